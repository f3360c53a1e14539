//! # roei_drill
//!
//! The third module of the npm package (`roei/drill`), for the widget's drill mode
//! (`<roei-drill>`), loaded only by pages that run a drill. A crate of its own: it links roei-core's
//! drill code and none of the engine's exports, so the engine bundle stays as it is and this module
//! carries nothing the drill page does not call.
//!
//! Each export is a few lines over `roei_core::drill`: JS values to JSON text, the core function,
//! its JSON parsed back. The drill is stateless here: the page holds the scenario and the
//! playthrough and passes them with every call (`roei_core::drill::live` says why). Errors are
//! thrown as in the engine module (`roei_wasm_bridge::RoeiError`): `Error` objects named
//! `RoeiError` with `code`, `path`, `clause` (and `problems`). No input panics: nothing unwraps on
//! input and sizes are checked before copying.
use roei_core::drill::{self, live, scenario};
use roei_core::Error;
use roei_wasm_bridge::{input_text, optional_plain_string, parsed, plain_string, RoeiError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DRILL_TS: &str = r#"
/** `{ ja, en }` text. */
export interface DrillText { ja: string; en: string }
/** A point on the simulated clock: seconds after the start, the instant (+09:00), `T+1h30m`. */
export interface DrillTick { secs: number; at: string; offset: string }
/** A question of an action's form (`roei_core::drill::prompts`). */
export interface DrillPrompt {
  key: string; in_fields: boolean; kind: "text" | "bool" | "count" | "list" | "choice";
  ja: string; en: string; required: boolean; choices: string[]; choice_labels?: DrillText[];
}
/** `roei/drill-briefing@1`. */
export interface DrillBriefing {
  format: "roei/drill-briefing@1"; id: string; title: DrillText; goals: DrillText[];
  start: DrillTick; end: DrillTick;
  contracts: { id: string; profile: string; principal: string; contractor?: string }[];
  roles: { id: string; name: DrillText; actor: string; owes: string[] }[];
  injects: number; expected: number;
  actions: { type: string; ja: string; en: string; prompts: DrillPrompt[] }[];
  labels: Record<string, Record<string, DrillText>>;
  playthrough: Playthrough;
}
/** `roei/playthrough@1` (docs/SCENARIO.md). */
export interface Playthrough {
  format: "roei/playthrough@1"; scenario?: string; end?: string;
  actions: { at: string; role: string; type: string; data?: Record<string, unknown> }[];
}
/** `roei/drill-state@1`: the drill at the clock's time. */
export interface DrillState {
  format: "roei/drill-state@1"; scenario: string; start: string; now: DrillTick; end: DrillTick;
  ended: boolean; next_inject: DrillTick | null;
  injects: { id: string; at: string; offset: string; fired: boolean; to: string | null; text: DrillText; events: string[] }[];
  actions: { event: string; at: string; offset: string; role: string; type: string }[];
  board: (Record<string, unknown> & { obligation: string; clause: string; status: string; verdict: string;
    due: string | null; due_secs: number | null; done_at: string | null; done_secs: number | null;
    missing: string[]; role: string | null; label: DrillText })[];
  warnings: { code: string; message: string; path: string }[];
  record: Record<string, unknown>;
}
"#;

fn scenario_text(v: &JsValue) -> Result<String, Error> {
    input_text(v, "scenario", scenario::MAX_SCENARIO_BYTES)
}

fn playthrough_text(v: &JsValue) -> Result<String, Error> {
    input_text(v, "playthrough", scenario::MAX_PLAYTHROUGH_BYTES)
}

/// Validates a scenario: `{ id, title, goals, start, end, roles, injects, expected }`.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::validate_scenario_json(&scenario_text(
        &scenario,
    )?)?))
}

/// What to show before the clock starts, with the form of every action and the labels.
#[wasm_bindgen(unchecked_return_type = "DrillBriefing")]
pub fn briefing(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::briefing_json(&scenario_text(&scenario)?)?))
}

/// The drill with its clock at `at` seconds after the start (never before the last action).
#[wasm_bindgen(js_name = drillState, unchecked_return_type = "DrillState")]
pub fn drill_state(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
    at: f64,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::state_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
        at,
    )?))
}

/// Records a player action at `at` from the form's answers (`{ key: text }`).
#[wasm_bindgen(
    unchecked_return_type = "{ event: string, playthrough: Playthrough, state: DrillState }"
)]
pub fn act(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
    at: f64,
    #[wasm_bindgen(unchecked_param_type = "string")] role: JsValue,
    #[wasm_bindgen(js_name = "eventType", unchecked_param_type = "string")] event_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string | null> | string")]
    answers: JsValue,
) -> Result<JsValue, RoeiError> {
    let role = plain_string(&role, "role")?;
    let event_type = plain_string(&event_type, "eventType")?;
    Ok(parsed(&drill::act_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
        at,
        &role,
        &event_type,
        &input_text(&answers, "answers", live::MAX_ANSWERS_BYTES)?,
    )?))
}

/// The playthrough with `end` = the clock, as text for `roei drill SCENARIO --play`.
#[wasm_bindgen(js_name = exportPlaythrough)]
pub fn export_playthrough(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
    at: f64,
) -> Result<String, RoeiError> {
    Ok(drill::export_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
        at,
    )?)
}

/// Resumes a saved or exported playthrough, the clock at its `end`.
#[wasm_bindgen(unchecked_return_type = "{ playthrough: Playthrough, state: DrillState }")]
pub fn resume(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::resume_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
    )?))
}

/// `roei/drill-score@1`: what `roei drill SCENARIO --play PLAYTHROUGH --json` prints.
#[wasm_bindgen]
pub fn score(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::score_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
    )?))
}

/// The after-action report: `lang` ja (default) | en, `format` html (default) | md | html-fragment.
#[wasm_bindgen]
pub fn debrief(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Playthrough | string")] playthrough: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] format: Option<JsValue>,
) -> Result<String, RoeiError> {
    let lang = optional_plain_string(lang, "lang")?;
    let format = optional_plain_string(format, "format")?;
    Ok(drill::debrief_json(
        &scenario_text(&scenario)?,
        &playthrough_text(&playthrough)?,
        lang.as_deref().unwrap_or("ja"),
        format.as_deref().unwrap_or("html"),
    )?)
}

/// The questions of one action's form.
#[wasm_bindgen(unchecked_return_type = "DrillPrompt[]")]
pub fn prompts(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    #[wasm_bindgen(js_name = "eventType", unchecked_param_type = "string")] event_type: JsValue,
) -> Result<JsValue, RoeiError> {
    let event_type = plain_string(&event_type, "eventType")?;
    Ok(parsed(&drill::prompts_json(
        &scenario_text(&scenario)?,
        &event_type,
    )?))
}

/// `runs` simulated incidents from `seed`: `roei/drill-montecarlo@1` (as `--monte-carlo N --seed S --json`).
#[wasm_bindgen(js_name = monteCarlo)]
pub fn monte_carlo(
    #[wasm_bindgen(unchecked_param_type = "object | string")] scenario: JsValue,
    runs: u32,
    seed: u32,
) -> Result<JsValue, RoeiError> {
    Ok(parsed(&drill::monte_carlo_json(
        &scenario_text(&scenario)?,
        runs.into(),
        seed.into(),
    )?))
}

/// The core's version (the package's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

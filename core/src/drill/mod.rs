//! Tabletop drill simulator: scenarios (`roei/scenario@1`), injects, a simulated clock, scoring by
//! the same obligation engine that runs real incidents, Monte Carlo over the players' delays, and
//! the debrief. nerima 第19条第2項 obliges contractors to rehearse; what is practised here is what
//! the catalog demands, because the drill's record is an ordinary `roei/incident@1` record and it is
//! judged by [`crate::evaluate`].
//!
//! - [`scenario`]: the scenario and playthrough formats, strictly validated (docs/SCENARIO.md).
//! - [`engine`]: [`Drill`], the clock; injects and player actions append ordinary events.
//! - [`score`]: per obligation, per role and per expected response.
//! - [`montecarlo`]: seeded simulation (xoshiro256**) with a plan cache equivalent to the engine.
//! - [`debrief`]: the after-action report (md / html, ja / en).
//! - [`prompts`]: what to ask players for each event type.
//! - [`live`]: facilitated play in a browser, replayed from the playthrough at each clock tick.
//!
//! The `*_json` functions below are the binding surface for the WASM layer: JSON text in, JSON or
//! document text out, [`Error`] on bad input, no panics.
//!
//! ```
//! let sc = r#"{"format":"roei/scenario@1","id":"D1","title":{"ja":"USBメモリ紛失","en":"Lost USB stick"},
//!   "contracts":[{"id":"C1","profile":"nagaoka","principal":"長岡市"}],
//!   "start":"2026-11-02T10:00:00+09:00","end":"T+4h",
//!   "roles":[{"id":"lead","name":{"ja":"作業責任者","en":"Work lead"},"actor":"contractor"}],
//!   "injects":[{"id":"i0","at":"T+0","text":{"ja":"USBメモリが見当たらない","en":"The stick is missing"},
//!               "events":[{"type":"detected","actor":"contractor","data":{"kind":"loss","signs_only":true}}]}]}"#;
//! let play = r#"{"format":"roei/playthrough@1","actions":[
//!   {"at":"T+30m","role":"lead","type":"reported_to_principal","data":{"written":true,
//!    "fields":{"content":"氏名・住所","count":"1,200件","location":"作業所","circumstances":"保管庫から所在不明"}}}]}"#;
//! let score: serde_json::Value = serde_json::from_str(&roei_core::drill::score_json(sc, play).unwrap()).unwrap();
//! let report = score["obligations"].as_array().unwrap().iter()
//!     .find(|o| o["obligation"] == "nagaoka:13-1").unwrap();
//! assert_eq!(report["verdict"], "on_time");
//! ```
pub mod debrief;
pub mod engine;
pub mod live;
pub mod montecarlo;
pub mod prompts;
pub mod scenario;
pub mod score;

pub use debrief::{debrief, Format};
pub use engine::{ActionLog, Drill, InjectLog};
pub use montecarlo::{
    full_states, sample_playthrough, sample_times, McReport, MonteCarlo, Outcome, Rng,
};
pub use scenario::{parse_offset, Playthrough, Scenario};
pub use score::{score, Score, Verdict};

use crate::error::Error;
use crate::lang::Lang;
use crate::vocab::EventType;

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::invalid("", e.to_string()))
}

/// Validates a scenario; returns a short summary (`{"id","title","roles","injects","expected","end"}`).
pub fn validate_scenario_json(scenario: &str) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    to_json(&serde_json::json!({
        "id": sc.id, "title": sc.title, "goals": sc.goals,
        "start": crate::time::fmt_jst(&sc.start), "end": crate::time::fmt_jst(&sc.end_instant()),
        "roles": sc.roles.iter().map(|r| serde_json::json!({"id": r.id, "name": r.name, "actor": r.actor})).collect::<Vec<_>>(),
        "injects": sc.injects.len(), "expected": sc.expected.len(),
    }))
}

/// Plays a playthrough through a scenario and returns `roei/drill-score@1`. A playthrough's `end`
/// may stop the clock early: the widget replays the actions so far with `end` = now to show the
/// injects revealed and the board at that moment.
pub fn score_json(scenario: &str, playthrough: &str) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    let d = Drill::play(&sc, &pt)?;
    to_json(&score(&d))
}

/// The after-action report of a playthrough: `lang` `ja`|`en`, `format` `md`|`html`.
pub fn debrief_json(
    scenario: &str,
    playthrough: &str,
    lang: &str,
    format: &str,
) -> Result<String, Error> {
    let lang = Lang::parse(lang).ok_or_else(|| Error::invalid("lang", "use ja or en"))?;
    let format = Format::parse(format)
        .ok_or_else(|| Error::invalid("format", "use md, html or html-fragment"))?;
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    let d = Drill::play(&sc, &pt)?;
    Ok(debrief(&score(&d), lang, format, None))
}

/// `runs` simulated incidents from `seed`: `roei/drill-montecarlo@1`. Same input, same output.
pub fn monte_carlo_json(scenario: &str, runs: u64, seed: u64) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let mut mc = MonteCarlo::new(&sc)?;
    to_json(&mc.run(runs, seed)?)
}

/// The questions for an event type in a scenario (contract / principal choices filled in).
pub fn prompts_json(scenario: &str, event_type: &str) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let t = EventType::from_key(event_type)
        .ok_or_else(|| Error::invalid("event_type", "not an event type"))?;
    let (contracts, principals) = choices(&sc);
    to_json(&prompts::prompts(t, &contracts, &principals))
}

/// What the page shows before the clock starts: `roei/drill-briefing@1` (title, goals, roles,
/// contracts, the form of every action, the labels, the empty playthrough to start from).
pub fn briefing_json(scenario: &str) -> Result<String, Error> {
    to_json(&live::briefing(&Scenario::parse(scenario)?))
}

/// `roei/drill-state@1`: the drill with its clock at `at` seconds after the start (a JS number;
/// clamped to the end, refused before the last action): injects fired so far, the obligations board,
/// the actions, the record.
pub fn state_json(scenario: &str, playthrough: &str, at: f64) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    to_json(&live::state(&sc, &pt, live::clock_secs(at)?)?)
}

/// Records a player action at `at`: `answers` is a JSON object of the form's answers by prompt key.
/// Returns `{"event", "playthrough", "state"}`: the new event's id, the grown playthrough (the page
/// keeps it in place of the old one) and the state just after the action.
pub fn act_json(
    scenario: &str,
    playthrough: &str,
    at: f64,
    role: &str,
    event_type: &str,
    answers: &str,
) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    let answers = live::parse_answers(answers)?;
    let (pt, event, state) =
        live::act(&sc, &pt, live::clock_secs(at)?, role, event_type, &answers)?;
    to_json(&serde_json::json!({
        "event": event,
        "playthrough": live::playthrough_out(&sc, &pt.actions, None),
        "state": state,
    }))
}

/// The playthrough to keep or to score with `roei drill SCENARIO --play`: the actions so far and
/// `end` = the clock (`at` seconds after the start), pretty-printed.
pub fn export_json(scenario: &str, playthrough: &str, at: f64) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    let at = live::state(&sc, &pt, live::clock_secs(at)?)?.now.secs;
    serde_json::to_string_pretty(&live::playthrough_out(&sc, &pt.actions, Some(at)))
        .map_err(|e| Error::invalid("", e.to_string()))
}

/// Resumes a saved or exported playthrough: `{"playthrough", "state"}` with the clock at its `end`
/// (the scenario's end when it has none).
pub fn resume_json(scenario: &str, playthrough: &str) -> Result<String, Error> {
    let sc = Scenario::parse(scenario)?;
    let pt = sc.parse_playthrough(playthrough)?;
    let state = live::state(&sc, &pt, pt.end)?;
    to_json(&serde_json::json!({
        "playthrough": live::playthrough_out(&sc, &pt.actions, None),
        "state": state,
    }))
}

/// Contract ids and distinct principals of a scenario, for the prompts.
pub fn choices(sc: &Scenario) -> (Vec<String>, Vec<String>) {
    let contracts = sc.contracts.iter().map(|c| c.id.clone()).collect();
    let mut principals: Vec<String> = Vec::new();
    for c in &sc.contracts {
        if !principals.contains(&c.principal) {
            principals.push(c.principal.clone());
        }
    }
    (contracts, principals)
}

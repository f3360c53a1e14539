//! The document exports (`report`, `timeline`, `ics`, `readiness`, `graph`), built as a second module,
//! `roei_reports`, with the feature `reports`. The widget's first paint needs only the engine; the
//! document renderers (HTML, Markdown, SVG, iCalendar) are fetched on the first click that needs
//! them, so they do not weigh on every page load of the portal.
use super::*;

/// A written report (as `roei report`): `kind` principal | record | ppc-preliminary | ppc-final |
/// subjects, `lang` ja (default) | en, `format` html (default) | md | json, at `at` (default now).
#[wasm_bindgen]
pub fn report(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    kind: &str,
    lang: Option<String>,
    format: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, JsValue> {
    let run = || -> Result<String, Error> {
        roei_core::report::report_text(
            &record_text(&record)?,
            kind,
            lang.as_deref().unwrap_or("ja"),
            format.as_deref().unwrap_or("html"),
            &at_text(at)?,
            policy_of(policy)?.as_deref(),
        )
    };
    run().map_err(|e| js_error(&e))
}

/// The shape shared by `timeline` and `ics`: a record, an instant, a language and a policy in, text out.
type Render = fn(&str, &str, &str, Option<&str>) -> Result<String, Error>;

fn render(
    f: Render,
    record: &JsValue,
    at: Option<JsValue>,
    lang: Option<String>,
    policy: Option<JsValue>,
) -> Result<String, JsValue> {
    let run = || -> Result<String, Error> {
        f(
            &record_text(record)?,
            &at_text(at)?,
            lang.as_deref().unwrap_or("ja"),
            policy_of(policy)?.as_deref(),
        )
    };
    run().map_err(|e| js_error(&e))
}

/// The incident's timeline as SVG text (as `roei timeline`).
#[wasm_bindgen]
pub fn timeline(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    lang: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, JsValue> {
    render(roei_core::report::timeline_text, &record, at, lang, policy)
}

/// Every pending or overdue due time as an iCalendar file (as `roei ics`).
#[wasm_bindgen]
pub fn ics(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    lang: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, JsValue> {
    render(roei_core::report::ics_text, &record, at, lang, policy)
}

/// The standing duties of the profiles as a checklist (as `roei readiness`).
#[wasm_bindgen]
pub fn readiness(
    profiles: Vec<String>,
    lang: Option<String>,
    format: Option<String>,
) -> Result<String, JsValue> {
    let run = || -> Result<String, Error> {
        let lang = roei_core::report::parse_lang(lang.as_deref().unwrap_or("ja"))?;
        let format = roei_core::report::Format::parse(format.as_deref().unwrap_or("html"))
            .ok_or_else(|| Error::Invalid {
                path: "format".into(),
                message: "use md, html or json".into(),
                clause: None,
            })?;
        roei_core::report::readiness(&profiles, lang, format)
    };
    run().map_err(|e| js_error(&e))
}

/// A profile's lifecycle graph as `dot` or `mermaid` text (as `roei graph`).
#[wasm_bindgen]
pub fn graph(profile: &str, format: &str) -> Result<String, JsValue> {
    json_calls::graph(profile, format).map_err(|e| js_error(&e))
}

//! # roei_reports
//!
//! The second module of the npm package (`roei/reports`): the document exports (`report`,
//! `timeline`, `ics`, `readiness`, `graph`) and the check of a record against a head hash kept
//! elsewhere (`verifyAnchor`, as `roei verify --anchor`: an audit's question, not a page load's). The widget's first paint needs only the engine
//! (`wasm/`, module `roei_wasm`); the document renderers (HTML, Markdown, SVG, iCalendar) are
//! fetched on the first click that needs them, so they do not weigh on every page load of the
//! portal. A crate of its own, so the engine's exports are not linked in and nothing is switched
//! by a feature; arguments and errors go through `roei_wasm_bridge` as in the other two modules.
use roei_core::{Catalog, Error, Lifecycle};
use roei_wasm_bridge::{
    at_text, json_value, optional_plain_string, plain_string, plain_strings, policy_of,
    record_text, RoeiError, MAX_PROFILES,
};
use wasm_bindgen::prelude::*;

/// `roei verify --anchor`: checks that `record` (object or JSON text) still holds, unchanged, the
/// events a head hash kept elsewhere (`Incident.headHash()` of the engine, or any report's) was taken
/// over; returns `{ events, event, later }`, or throws a `RoeiError` naming the event that broke it
/// where the record still shows one. In this module rather than the engine: the SHA-256 chain check is
/// 1.9 KB gzip that no page load needs (BENCHMARKS.md, "Package size").
#[wasm_bindgen(js_name = verifyAnchor, unchecked_return_type = "{ events: number, event: string | null, later: number }")]
pub fn verify_anchor(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] anchor: JsValue,
) -> Result<JsValue, RoeiError> {
    let anchor = plain_string(&anchor, "anchor")?;
    let rec = roei_core::Record::parse(&record_text(&record)?)?;
    let a = roei_core::seal::verify_anchor(&rec, &anchor)?;
    Ok(json_value(&a))
}

/// A written report (as `roei report`): `kind` principal | record | ppc-preliminary | ppc-final |
/// subjects, `lang` ja (default) | en, `format` html (default) | md | json, at `at` (default now).
/// Text arguments are JS values measured before they are copied (`roei_wasm_bridge::plain_string`).
#[wasm_bindgen]
pub fn report(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] format: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, RoeiError> {
    let kind = plain_string(&kind, "kind")?;
    let lang = optional_plain_string(lang, "lang")?;
    let format = optional_plain_string(format, "format")?;
    Ok(roei_core::report::report_text(
        &record_text(&record)?,
        &kind,
        lang.as_deref().unwrap_or("ja"),
        format.as_deref().unwrap_or("html"),
        &at_text(at)?,
        policy_of(policy)?.as_deref(),
    )?)
}

/// The shape shared by `timeline` and `ics`: a record, an instant, a language and a policy in, text out.
type Render = fn(&str, &str, &str, Option<&str>) -> Result<String, Error>;

fn render(
    f: Render,
    record: &JsValue,
    at: Option<JsValue>,
    lang: Option<JsValue>,
    policy: Option<JsValue>,
) -> Result<String, RoeiError> {
    let lang = optional_plain_string(lang, "lang")?;
    Ok(f(
        &record_text(record)?,
        &at_text(at)?,
        lang.as_deref().unwrap_or("ja"),
        policy_of(policy)?.as_deref(),
    )?)
}

/// The incident's timeline as SVG text (as `roei timeline`).
#[wasm_bindgen]
pub fn timeline(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, RoeiError> {
    render(roei_core::report::timeline_text, &record, at, lang, policy)
}

/// Every pending or overdue due time as an iCalendar file (as `roei ics`).
#[wasm_bindgen]
pub fn ics(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Date | null | undefined")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | string | null | undefined")]
    policy: Option<JsValue>,
) -> Result<String, RoeiError> {
    render(roei_core::report::ics_text, &record, at, lang, policy)
}

/// The standing duties of the profiles as a checklist (as `roei readiness`).
#[wasm_bindgen]
pub fn readiness(
    #[wasm_bindgen(unchecked_param_type = "string[]")] profiles: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] lang: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] format: Option<JsValue>,
) -> Result<String, RoeiError> {
    let profiles = plain_strings(&profiles, "profiles", MAX_PROFILES)?;
    let lang = optional_plain_string(lang, "lang")?;
    let format = optional_plain_string(format, "format")?;
    let lang = roei_core::report::parse_lang(lang.as_deref().unwrap_or("ja"))?;
    let format =
        roei_core::report::Format::parse(format.as_deref().unwrap_or("html")).ok_or_else(|| {
            Error::Invalid {
                path: "format".into(),
                message: "use md, html or json".into(),
                clause: None,
            }
        })?;
    Ok(roei_core::report::readiness(&profiles, lang, format)?)
}

/// A profile's lifecycle graph as `dot` or `mermaid` text (as `roei graph`).
#[wasm_bindgen]
pub fn graph(
    #[wasm_bindgen(unchecked_param_type = "string")] profile: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] format: JsValue,
) -> Result<String, RoeiError> {
    let profile = plain_string(&profile, "profile")?;
    let format = plain_string(&format, "format")?;
    Ok(graph_text(&profile, &format)?)
}

/// `roei graph PROFILE --format dot|mermaid` on plain text (tested on the host).
fn graph_text(profile: &str, format: &str) -> Result<String, Error> {
    let cat = Catalog::builtin();
    let p = cat
        .profile(profile)
        .ok_or_else(|| cat.unknown_profile("profile", profile, None))?;
    let g = Lifecycle::build(cat, p);
    match format {
        "dot" => Ok(g.to_dot()),
        "mermaid" => Ok(g.to_mermaid()),
        f => Err(Error::Invalid {
            path: "format".into(),
            message: format!(
                "'{}': use dot or mermaid",
                f.chars().take(20).collect::<String>()
            ),
            clause: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_errors_are_input_errors() {
        assert!(graph_text("nagaoka", "mermaid").unwrap().contains("13-1"));
        assert_eq!(graph_text("nagaoka", "png").unwrap_err().path(), "format");
        assert_eq!(
            graph_text("x", "dot").unwrap_err().code(),
            "unknown_profile"
        );
    }
}

//! # roei-wasm
//!
//! The WebAssembly adapter over `roei-core`, for municipal portals and the `<roei-incident>` widget.
//! Each export is a few lines: convert what JS passed to text, call the same core function the CLI
//! calls, hand the JSON back. Nothing here decides anything about obligations.
//!
//! - Records, events and policies are accepted as JS objects or as JSON text.
//! - Results are plain JS objects parsed from the core's JSON, so `check` gives exactly what
//!   `roei check --json` prints (`checkJSON` gives the same text byte for byte).
//! - Errors are thrown as real `Error` objects (`name` `RoeiError`) with the stable `code`, `path`,
//!   `clause` (and `problems` when there are several) of `roei_core::Error::to_report()`.
//! - No input panics: a panic would abort the instance and kill the widget, so nothing below unwraps
//!   on input; hostile sizes are refused before they are copied into WASM memory.
// The `reports` build exports only the documents: the engine's helpers go unused there.
#![cfg_attr(feature = "reports", allow(dead_code, unused_imports))]
use js_sys::{Array, Date, JSON};
use roei_core::{Error, Limits, Record};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use bridge::{input_text, js_error, json_value};

mod bridge;
pub mod json_calls;
#[cfg(feature = "reports")]
mod reports;
#[cfg(feature = "ts")]
pub mod ts;

// The interchange types, generated from the Rust types by `roei-gen-ts` (feature `ts`); the build
// script regenerates the file and `cargo test -p roei-wasm --features ts` fails when it is stale.
#[cfg(not(feature = "reports"))]
#[wasm_bindgen(typescript_custom_section)]
const INTERCHANGE_TS: &str = include_str!("../types/interchange.d.ts");

fn optional_text(v: Option<JsValue>, path: &str, limit: usize) -> Result<Option<String>, Error> {
    match v {
        Some(v) if !v.is_undefined() && !v.is_null() => input_text(&v, path, limit).map(Some),
        _ => Ok(None),
    }
}

/// `at` as RFC 3339 text: a string as given, a `Date`, or now (the JS clock: core has none).
fn at_text(at: Option<JsValue>) -> Result<String, Error> {
    let bad = |m: &str| Error::Invalid {
        path: "at".into(),
        message: m.into(),
        clause: None,
    };
    let ms = match at {
        None => Date::now(),
        Some(v) if v.is_undefined() || v.is_null() => Date::now(),
        Some(v) => {
            if let Some(s) = v.as_string() {
                return if s.len() > 100 {
                    Err(bad("not an RFC 3339 instant"))
                } else {
                    Ok(s)
                };
            }
            match v.dyn_ref::<Date>() {
                Some(d) => d.get_time(),
                None => return Err(bad("expected an RFC 3339 string or a Date")),
            }
        }
    };
    json_calls::instant_from_millis(ms)
        .map(|i| roei_core::time::fmt_jst(&i))
        .ok_or_else(|| bad("the date is not a valid instant"))
}

fn policy_of(policy: Option<JsValue>) -> Result<Option<String>, Error> {
    optional_text(policy, "policy", json_calls::MAX_POLICY_TEXT)
}

fn record_text(v: &JsValue) -> Result<String, Error> {
    input_text(v, "", Limits::default().max_bytes)
}

#[cfg(not(feature = "reports"))]
/// `roei/status@1` of a record at `at` (default now) under `policy` (default: interchange.md's
/// targets): the object `roei check --json` prints.
#[wasm_bindgen(unchecked_return_type = "Status")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, Error> {
        let s = json_calls::check(
            &record_text(&record)?,
            &at_text(at)?,
            policy_of(policy)?.as_deref(),
        )?;
        Ok(JSON::parse(&s).unwrap_or(JsValue::NULL))
    };
    run().map_err(|e| js_error(&e))
}

#[cfg(not(feature = "reports"))]
/// `check` as text: byte for byte what `roei check --json` writes (without the final newline).
#[wasm_bindgen(js_name = checkJSON)]
pub fn check_json(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<String, JsValue> {
    let run = || -> Result<String, Error> {
        json_calls::check_pretty(
            &record_text(&record)?,
            &at_text(at)?,
            policy_of(policy)?.as_deref(),
        )
    };
    run().map_err(|e| js_error(&e))
}

#[cfg(not(feature = "reports"))]
/// Statuses of many records at one instant under one policy (a portal's dashboard). One entry per
/// record, in order: its status, or `{ error }` for a record that does not validate (one bad record
/// does not hide the others). Throws only for a bad `at` or `policy`.
#[wasm_bindgen(js_name = checkMany, unchecked_return_type = "Array<Status | { error: ErrorReport }>")]
pub fn check_many(
    #[wasm_bindgen(unchecked_param_type = "Array<IncidentRecord | string>")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<Array, JsValue> {
    let run = || -> Result<Array, Error> {
        let Some(list) = records.dyn_ref::<Array>() else {
            return Err(Error::Json {
                path: String::new(),
                message: "expected an array of records".into(),
            });
        };
        let at = json_calls::parse_at(&at_text(at)?)?;
        let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
        let out = Array::new();
        for v in list.iter() {
            let item = record_text(&v).and_then(|t| json_calls::status_of(&t, &at, &policy));
            out.push(&match item {
                Ok(s) => JSON::parse(&s).unwrap_or(JsValue::NULL),
                Err(e) => json_value(&serde_json::json!({ "error": e.to_report() })),
            });
        }
        Ok(out)
    };
    run().map_err(|e| js_error(&e))
}

#[cfg(not(feature = "reports"))]
/// The lean `checkMany` (a dashboard's colours and counts): per record, `[obligation, status]` pairs
/// in the order of `check`'s obligations, or `{ error }`. The same `evaluate`, without building the
/// status document (labels, instants, JSON text parsed again in JS).
#[wasm_bindgen(js_name = checkManyStates, unchecked_return_type = "Array<Array<[string, State]> | { error: ErrorReport }>")]
pub fn check_many_states(
    #[wasm_bindgen(unchecked_param_type = "Array<IncidentRecord | string>")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<Array, JsValue> {
    let run = || -> Result<Array, Error> {
        let list: Array = records.dyn_into().map_err(|_| Error::Json {
            path: String::new(),
            message: "expected an array of records".into(),
        })?;
        let (at, policy) = (
            json_calls::parse_at(&at_text(at)?)?,
            json_calls::policy(policy_of(policy)?.as_deref())?,
        );
        let out = Array::new();
        for v in list.iter() {
            out.push(&match record_text(&v).and_then(|t| Record::parse(&t)) {
                Ok(rec) => roei_core::evaluate(&rec, &at, &policy)
                    .obligations
                    .iter()
                    .map(|o| Array::of2(&o.clause.obligation_id().into(), &o.state.key().into()))
                    .collect::<Array>()
                    .into(),
                Err(e) => json_value(&serde_json::json!({ "error": e.to_report() })),
            });
        }
        Ok(out)
    };
    run().map_err(|e| js_error(&e))
}

#[cfg(not(feature = "reports"))]
/// `{ valid: true, warnings }` (as `roei validate --json`), or `{ valid: false, error }` with every
/// problem in `error.problems`. Validation failures are the answer here, so they are not thrown.
#[wasm_bindgen(
    unchecked_return_type = "{ valid: true, warnings: Warning[] } | { valid: false, error: ErrorReport }"
)]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
) -> JsValue {
    match record_text(&record).and_then(|t| Record::parse(&t)) {
        Ok(r) => json_value(&serde_json::json!({ "valid": true, "warnings": r.warnings })),
        Err(e) => json_value(&serde_json::json!({ "valid": false, "error": e.to_report() })),
    }
}

#[cfg(not(feature = "reports"))]
/// The profiles of `roei profiles --json`.
#[wasm_bindgen(unchecked_return_type = "ProfileInfo[]")]
pub fn profiles() -> JsValue {
    json_value(&roei_core::profiles_json())
}

#[cfg(not(feature = "reports"))]
#[cfg(not(feature = "reports"))]
/// Japanese and English labels of every closed vocabulary (`stage`, `term`, `party`, `state`,
/// `event_type`, `incident_kind`, `actor`, `field_key`, `fact`): `{ stage: { report: { ja, en } } }`.
/// From roei-core, so the widget never keeps its own translations of legal words.
#[wasm_bindgen(
    unchecked_return_type = "Record<string, Record<string, { ja: string, en: string }>>"
)]
pub fn labels() -> JsValue {
    json_value(&json_calls::labels())
}

#[cfg(not(feature = "reports"))]
/// The core's version (the package's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(not(feature = "reports"))]
/// An incident being worked on: an append-only record in WASM memory.
#[wasm_bindgen]
pub struct Incident {
    rec: Record,
}

#[cfg(not(feature = "reports"))]
#[wasm_bindgen]
impl Incident {
    /// Reads a `roei/incident@1` record (object or JSON text), validating it.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    ) -> Result<Incident, JsValue> {
        record_text(&record)
            .and_then(|t| Record::parse(&t))
            .map(|rec| Incident { rec })
            .map_err(|e| js_error(&e))
    }

    /// A new record with no events. `contracts` is an array of contracts (objects or JSON text).
    pub fn create(
        id: &str,
        title: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "Contract[] | string")] contracts: JsValue,
    ) -> Result<Incident, JsValue> {
        let run = || -> Result<Incident, Error> {
            let c = input_text(&contracts, "contracts", Limits::default().max_bytes)?;
            Ok(Incident {
                rec: json_calls::create(id, title.as_deref(), &c)?,
            })
        };
        run().map_err(|e| js_error(&e))
    }

    /// Appends one event after validating it against the record (`Record::append_json`); returns the
    /// status at `at` (default now). On error the record is unchanged.
    #[wasm_bindgen(unchecked_return_type = "Status")]
    pub fn append(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "IncidentEvent | string")] event: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")]
        policy: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<JsValue, Error> {
            let ev = input_text(&event, "event", Limits::default().max_event_bytes)?;
            // `at` and the policy are read first, so a bad one cannot leave the event half-acknowledged.
            let at = json_calls::parse_at(&at_text(at)?)?;
            let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
            self.rec.append_json(&ev, Limits::default())?;
            Ok(
                JSON::parse(&json_calls::status_json(&self.rec, &at, &policy))
                    .unwrap_or(JsValue::NULL),
            )
        };
        run().map_err(|e| js_error(&e))
    }

    /// What `append` would say about `event`, without appending: `null` if it would be accepted,
    /// else the error report (forms validate as the user types).
    #[wasm_bindgen(js_name = checkEvent, unchecked_return_type = "ErrorReport | null")]
    pub fn check_event(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IncidentEvent | string")] event: JsValue,
    ) -> JsValue {
        let r = input_text(&event, "event", Limits::default().max_event_bytes)
            .and_then(|ev| self.rec.clone().append_json(&ev, Limits::default()));
        match r {
            Ok(()) => JsValue::NULL,
            Err(e) => json_value(&e.to_report()),
        }
    }

    /// Status at `at` (default now).
    #[wasm_bindgen(unchecked_return_type = "Status")]
    pub fn status(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")]
        policy: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<JsValue, Error> {
            let at = json_calls::parse_at(&at_text(at)?)?;
            let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
            let s = json_calls::status_json(&self.rec, &at, &policy);
            Ok(JSON::parse(&s).unwrap_or(JsValue::NULL))
        };
        run().map_err(|e| js_error(&e))
    }

    /// The record as `roei/incident@1` JSON text (`Record::to_json`): events exactly as appended.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> String {
        self.rec.to_json()
    }

    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.rec.id.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> Option<String> {
        self.rec.title.clone()
    }

    /// Number of events recorded (repeats of an identical event are not counted twice).
    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.rec.events.len()
    }

    /// An event id not yet used in this record: `e<N>`, N one more than the largest `e<N>` so far.
    #[wasm_bindgen(js_name = nextEventId)]
    pub fn next_event_id(&self) -> String {
        json_calls::next_event_id(&self.rec)
    }
}

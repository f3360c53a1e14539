//! # roei-wasm
//!
//! The WebAssembly adapter over `roei-core`, for municipal portals and the `<roei-incident>` widget:
//! the engine module `roei_wasm` (the package's main entry, `roei`; built for speed it is also
//! `roei/fast`). Its siblings are crates of their own, `wasm/reports` (`roei/reports`) and
//! `wasm/drill` (`roei/drill`); all three take arguments and throw errors through `wasm/bridge`.
//! Each export is a few lines: convert what JS passed to text, call the same core function the CLI
//! calls, hand the JSON back. Nothing here decides anything about obligations.
//!
//! - Records, events and policies are accepted as JS objects or as JSON text.
//! - Results are plain JS objects: the status document is built in JS from what `status_doc` packs
//!   (no JSON text parsed again), the others are parsed from the core's JSON; `check` gives exactly
//!   what `roei check --json` prints (`checkJSON` gives the same text byte for byte).
//! - Errors are thrown as real `Error` objects (`name` `RoeiError`) with the stable `code`, `path`,
//!   `clause` (and `problems` when there are several) of `roei_core::Error::to_report()`: exports
//!   return `Result<_, RoeiError>` and use `?` (`roei_wasm_bridge::RoeiError`).
//! - No input panics: a panic would abort the instance and kill the widget, so nothing below unwraps
//!   on input; hostile sizes are refused before they are copied into WASM memory.
use js_sys::{Array, JsString, JSON};
use roei_core::{Error, Limits, Record};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use roei_wasm_bridge::{
    at_text, input_text, json_value, plain_string, policy_of, record_text, RoeiError,
};

pub mod json_calls;
pub mod record_arena;
pub mod status_doc;
#[cfg(feature = "ts")]
pub mod ts;

// The interchange types, generated from the Rust types by `roei-gen-ts` (feature `ts`); the build
// script regenerates the file and `cargo test -p roei-wasm --features ts` fails when it is stale.
#[wasm_bindgen(typescript_custom_section)]
const INTERCHANGE_TS: &str = include_str!("../types/interchange.d.ts");

/// The `records` argument of the batch exports: a JS array (of records as objects or JSON text).
fn record_array(records: JsValue) -> Result<Array, Error> {
    records.dyn_into().map_err(|_| Error::Json {
        path: String::new(),
        message: "expected an array of records".into(),
    })
}

/// A batch's `{ error }` entry for a record that does not validate.
fn error_answer(e: &Error) -> JsValue {
    json_value(&json_calls::error_answer(e))
}

/// `roei/status@1` of a record at `at` (default now) under `policy` (default: the
/// targets of docs/FORMATS.md): the object `roei check --json` prints.
#[wasm_bindgen(unchecked_return_type = "Status")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsValue, RoeiError> {
    let (rec, ev) = json_calls::evaluation(
        &record_text(&record)?,
        &at_text(at)?,
        policy_of(policy)?.as_deref(),
    )?;
    Ok(status_doc::status_value(&ev, &rec))
}

/// `check` as text: byte for byte what `roei check --json` writes (without the final newline):
/// `check`'s object written by `JSON.stringify` with an indent of 2, which writes what serde_json's
/// pretty printer writes for it (tests/js/parity.test.mjs compares the two over the examples).
#[wasm_bindgen(js_name = checkJSON)]
pub fn check_json(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsString, RoeiError> {
    let doc = check(record, at, policy)?;
    // Stringifying a plain object of strings, numbers, booleans and nulls cannot throw.
    Ok(
        JSON::stringify_with_replacer_and_space(&doc, &JsValue::NULL, &JsValue::from(2))
            .unwrap_or_default(),
    )
}

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
) -> Result<Array, RoeiError> {
    let list = record_array(records)?;
    let at = json_calls::parse_at(&at_text(at)?)?;
    let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
    let out = Array::new();
    for v in list.iter() {
        let item = record_text(&v).and_then(|t| Record::parse(&t));
        out.push(&match item {
            Ok(rec) => status_doc::status_value(&roei_core::evaluate(&rec, &at, &policy), &rec),
            Err(e) => error_answer(&e),
        });
    }
    Ok(out)
}

/// The lean `checkMany` (a dashboard's colours and counts): per record, `[obligation, status]` pairs
/// in the order of `check`'s obligations, or `{ error }`. The same `evaluate`, without building the
/// status document (labels, instants).
#[wasm_bindgen(js_name = checkManyStates, unchecked_return_type = "Array<Array<[string, State]> | { error: ErrorReport }>")]
pub fn check_many_states(
    #[wasm_bindgen(unchecked_param_type = "Array<IncidentRecord | string>")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Date | null")] at: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyInput | string | null")] policy: Option<
        JsValue,
    >,
) -> Result<Array, RoeiError> {
    let list = record_array(records)?;
    let (at, policy) = (
        json_calls::parse_at(&at_text(at)?)?,
        json_calls::policy(policy_of(policy)?.as_deref())?,
    );
    let errors = Array::new();
    Ok(status_doc::state_lists(
        list.length(),
        |p, words| {
            for v in list.iter() {
                record_arena::per_record(|| match record_text(&v).and_then(|t| Record::parse(&t)) {
                    Ok(rec) => {
                        let ev = roei_core::evaluate(&rec, &at, &policy);
                        record_arena::outside(|| status_doc::pack_states(p, &ev, words))
                    }
                    Err(e) => {
                        record_arena::outside(|| status_doc::pack_error(p));
                        errors.push(&error_answer(&e));
                    }
                })
            }
        },
        &errors,
    ))
}

/// `{ valid: true, warnings }` (as `roei validate --json`), or `{ valid: false, error }` with every
/// problem in `error.problems`. Validation failures are the answer here, so they are not thrown.
#[wasm_bindgen(
    unchecked_return_type = "{ valid: true, warnings: Warning[] } | { valid: false, error: ErrorReport }"
)]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
) -> JsValue {
    match record_text(&record).and_then(|t| Record::parse(&t)) {
        Ok(r) => json_value(&json_calls::valid_answer(&r)),
        Err(e) => json_value(&json_calls::invalid_answer(&e)),
    }
}

/// The profiles of `roei profiles --json`.
#[wasm_bindgen(unchecked_return_type = "ProfileInfo[]")]
pub fn profiles() -> JsValue {
    json_value(&roei_core::profiles_json())
}

/// Japanese and English labels of every closed vocabulary (`stage`, `term`, `party`, `state`,
/// `event_type`, `incident_kind`, `actor`, `field_key`, `fact`): `{ stage: { report: { ja, en } } }`.
/// From roei-core, so the widget never keeps its own translations of legal words.
#[wasm_bindgen(
    unchecked_return_type = "Record<string, Record<string, { ja: string, en: string }>>"
)]
pub fn labels() -> JsValue {
    json_value(&json_calls::labels())
}

/// The core's version (the package's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// An incident being worked on: an append-only record in WASM memory.
#[wasm_bindgen]
pub struct Incident {
    rec: Record,
}

impl Incident {
    /// The record's `roei/status@1` object at `at` under `policy`.
    fn status_at(&self, at: &roei_core::Instant, policy: &roei_core::Policy) -> JsValue {
        status_doc::status_value(&roei_core::evaluate(&self.rec, at, policy), &self.rec)
    }
}

#[wasm_bindgen]
impl Incident {
    /// Reads a `roei/incident@1` record (object or JSON text), validating it.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "IncidentRecord | string")] record: JsValue,
    ) -> Result<Incident, RoeiError> {
        let rec = Record::parse(&record_text(&record)?)?;
        Ok(Incident { rec })
    }

    /// A new record with no events. `contracts` is an array of contracts (objects or JSON text).
    ///
    /// `id` and `title` arrive as JS values and are measured before they are copied into WASM
    /// memory: a string of hundreds of megabytes is a `RoeiError` (`too_large`), not an aborted
    /// instance (wasm-bindgen's own `&str` conversion aborts when the allocation fails).
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] title: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Contract[] | string")] contracts: JsValue,
    ) -> Result<Incident, RoeiError> {
        let id = plain_string(&id, "id")?;
        let title = if title.is_undefined() || title.is_null() {
            None
        } else {
            Some(plain_string(&title, "title")?)
        };
        let c = input_text(&contracts, "contracts", Limits::default().max_bytes)?;
        Ok(Incident {
            rec: json_calls::create(&id, title.as_deref(), &c)?,
        })
    }

    /// The record's head hash (`Record::head_hash`, 64 hex digits): what every report and export
    /// prints, for the widget's print view; keep it to check the record later with `verifyAnchor` of
    /// `roei/reports`.
    #[wasm_bindgen(js_name = headHash)]
    pub fn head_hash(&self) -> String {
        self.rec.head_hash()
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
    ) -> Result<JsValue, RoeiError> {
        let ev = input_text(&event, "event", Limits::default().max_event_bytes)?;
        // `at` and the policy are read first, so a bad one cannot leave the event half-acknowledged.
        let at = json_calls::parse_at(&at_text(at)?)?;
        let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
        self.rec.append_json(&ev, Limits::default())?;
        Ok(self.status_at(&at, &policy))
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
    ) -> Result<JsValue, RoeiError> {
        let at = json_calls::parse_at(&at_text(at)?)?;
        let policy = json_calls::policy(policy_of(policy)?.as_deref())?;
        Ok(self.status_at(&at, &policy))
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

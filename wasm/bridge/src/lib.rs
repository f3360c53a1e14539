//! # roei-wasm-bridge
//!
//! The JS side shared by the three WASM modules of the npm package: the engine (`wasm/`, module
//! `roei_wasm`), the documents (`wasm/reports`, `roei_reports`) and the drill (`wasm/drill`,
//! `roei_drill`). Each module is its own small crate, so none is built by a feature that replaces
//! code, and all three take their arguments and throw their errors through this one crate.
//!
//! - [`RoeiError`] is how every export fails: exports return `Result<_, RoeiError>` and use `?` on
//!   roei-core's calls; wasm-bindgen throws it as a JS `Error` named `RoeiError` carrying the stable
//!   `code`, `path`, `clause` (and `problems`) of `roei_core::Error::to_report()`.
//! - [`json_value`] and [`parsed`] hand results back as plain JS objects (the CLI's JSON).
//! - [`input_text`] and the argument readers take records, events and policies as JS objects or
//!   JSON text, with their size checked before they are copied into WASM memory.
//!
//! This crate has no `#[wasm_bindgen]` export of its own: a module exports exactly what its crate
//! root declares. Nothing here unwraps on input: a panic would abort the instance.
use js_sys::{Date, JsString, Reflect, JSON};
use roei_core::time::jst;
use roei_core::{Error, Instant, Limits};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Policies are small; core refuses anything over 64 KiB, so more is not copied in.
pub const MAX_POLICY_TEXT: usize = 64 * 1024;

/// The longest short text argument (an id, a title, an anchor, a report kind, a language, a format,
/// a profile, a role, an event type), in UTF-16 units.
pub const MAX_PLAIN_STRING: usize = 1000;

/// The most profiles `readiness` takes in one call (the catalog has a handful).
pub const MAX_PROFILES: u32 = 100;

/// A roei-core error on its way to JS. `From<roei_core::Error>` lets exports use `?`, and
/// `From<RoeiError> for JsValue` is what wasm-bindgen calls to throw it (an export's `Result<T, E>`
/// needs `E: Into<JsValue>`; the orphan rule rules out implementing that on `roei_core::Error`).
#[derive(Debug)]
pub struct RoeiError(pub Error);

impl From<Error> for RoeiError {
    fn from(e: Error) -> Self {
        RoeiError(e)
    }
}

impl From<RoeiError> for JsValue {
    fn from(e: RoeiError) -> JsValue {
        js_error(&e.0)
    }
}

/// The error as a JS `Error` carrying the report's fields.
fn js_error(e: &Error) -> JsValue {
    let r = e.to_report();
    let err = js_sys::Error::new(&r.message);
    err.set_name("RoeiError");
    let o: &JsValue = err.as_ref();
    // Reflect::set on a fresh Error cannot fail; ignoring its Result keeps this path panic-free.
    let _ = Reflect::set(o, &"code".into(), &r.code.into());
    let _ = Reflect::set(o, &"path".into(), &r.path.as_str().into());
    let clause = r.clause.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    let _ = Reflect::set(o, &"clause".into(), &clause);
    if !r.problems.is_empty() {
        let _ = Reflect::set(o, &"problems".into(), &json_value(&r.problems));
    }
    err.into()
}

/// Serialises with serde and parses with the JS engine (smaller than serde-wasm-bindgen, and the
/// object is the CLI's JSON by construction).
pub fn json_value<T: serde::Serialize + ?Sized>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .map_or(JsValue::NULL, |s| parsed(&s))
}

/// JSON text written by roei-core (serde_json) as a JS object; the JS parser accepts all of it.
pub fn parsed(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// JSON text of an input given as a string or as a JS object. `path` names it in errors.
pub fn input_text(v: &JsValue, path: &str, limit: usize) -> Result<String, Error> {
    let too_large = |size: usize| Error::TooLarge {
        path: path.to_string(),
        size,
        limit,
    };
    let s: JsString = if let Some(s) = v.dyn_ref::<JsString>() {
        s.clone()
    } else if v.is_object() {
        // Cycles and over-deep objects make stringify throw: that is an input error, not a crash.
        match JSON::stringify(v) {
            Ok(s) => s,
            Err(e) => {
                return Err(Error::Json {
                    path: path.to_string(),
                    message: format!("cannot be written as JSON: {}", describe(&e)),
                })
            }
        }
    } else {
        return Err(Error::Json {
            path: path.to_string(),
            message: "expected a JSON string or an object".into(),
        });
    };
    // UTF-8 takes at least one byte per UTF-16 unit, so this refuses oversize input before copying it.
    let units = s.length() as usize;
    if units > limit {
        return Err(too_large(units));
    }
    let text = String::from(s);
    if text.len() > limit {
        return Err(too_large(text.len()));
    }
    Ok(text)
}

/// The message of a thrown JS value.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// A short text argument from JS: a string of at most [`MAX_PLAIN_STRING`] UTF-16 units, measured
/// before it is copied into WASM memory (an object is not JSON-encoded here). Every export takes its
/// text arguments this way rather than as `&str`/`String`: wasm-bindgen's own conversion copies
/// first, and a string of hundreds of megabytes (several of them in one call) makes that copy's
/// allocation fail, which aborts the instance (`RuntimeError: unreachable`) instead of throwing.
pub fn plain_string(v: &JsValue, path: &str) -> Result<String, Error> {
    if !v.is_string() {
        return Err(Error::invalid(path, "expected a string"));
    }
    input_text(v, path, MAX_PLAIN_STRING)
}

/// [`plain_string`] of an optional argument: `undefined` and `null` are `None`.
pub fn optional_plain_string(v: Option<JsValue>, path: &str) -> Result<Option<String>, Error> {
    match v {
        Some(v) if !v.is_undefined() && !v.is_null() => plain_string(&v, path).map(Some),
        _ => Ok(None),
    }
}

/// An array of short text arguments (`readiness`'s profiles): at most `max` of them, each a
/// [`plain_string`] named `path[i]`.
pub fn plain_strings(v: &JsValue, path: &str, max: u32) -> Result<Vec<String>, Error> {
    let items: &js_sys::Array = v
        .dyn_ref()
        .ok_or_else(|| Error::invalid(path, "expected an array of strings"))?;
    if items.length() > max {
        return Err(Error::TooMany {
            path: path.to_string(),
            count: items.length() as usize,
            limit: max as usize,
        });
    }
    items
        .iter()
        .enumerate()
        .map(|(i, x)| plain_string(&x, &format!("{path}[{i}]")))
        .collect()
}

/// [`input_text`] of an optional argument: `undefined` and `null` are `None`.
pub fn optional_text(
    v: Option<JsValue>,
    path: &str,
    limit: usize,
) -> Result<Option<String>, Error> {
    match v {
        Some(v) if !v.is_undefined() && !v.is_null() => input_text(&v, path, limit).map(Some),
        _ => Ok(None),
    }
}

/// A `roei/incident@1` record given as an object or JSON text, within the core's size limit.
pub fn record_text(v: &JsValue) -> Result<String, Error> {
    input_text(v, "", Limits::default().max_bytes)
}

/// The optional `policy` argument (`roei/policy@1`) as text.
pub fn policy_of(policy: Option<JsValue>) -> Result<Option<String>, Error> {
    optional_text(policy, "policy", MAX_POLICY_TEXT)
}

/// `at` as RFC 3339 text: a string as given, a `Date`, or now (the JS clock: core has none).
pub fn at_text(at: Option<JsValue>) -> Result<String, Error> {
    let bad = |m: &str| Error::Invalid {
        path: "at".into(),
        message: m.into(),
        clause: None,
    };
    let ms = match at {
        None => Date::now(),
        Some(v) if v.is_undefined() || v.is_null() => Date::now(),
        Some(v) => {
            // Measured before it is copied (see [`plain_string`]).
            if let Some(s) = v.dyn_ref::<JsString>() {
                if s.length() > 100 {
                    return Err(bad("not an RFC 3339 instant"));
                }
                let s = String::from(s);
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
    instant_from_millis(ms)
        .map(|i| roei_core::time::fmt_jst(&i))
        .ok_or_else(|| bad("the date is not a valid instant"))
}

/// JS time (milliseconds since the epoch) in Japan time; `None` for NaN or out of range.
pub fn instant_from_millis(ms: f64) -> Option<Instant> {
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return None;
    }
    chrono::DateTime::from_timestamp_millis(ms as i64).map(|t| t.with_timezone(&jst()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_times_become_japan_time() {
        let i = instant_from_millis(0.0).unwrap();
        assert_eq!(roei_core::time::fmt_jst(&i), "1970-01-01T09:00:00+09:00");
        assert!(instant_from_millis(f64::NAN).is_none());
        assert!(instant_from_millis(f64::INFINITY).is_none());
        assert!(instant_from_millis(1e300).is_none());
    }
}

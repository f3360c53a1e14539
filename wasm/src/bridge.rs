//! The JS side of both crate roots (the engine and reports module in `lib.rs`, the drill module in
//! `drill.rs`): errors as JS `Error` objects with the stable fields, JSON values, and input text
//! taken from a JS string or object with its size checked before it is copied.
use js_sys::{JsString, Reflect, JSON};
use roei_core::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The error as a JS `Error` carrying the report's fields.
pub(crate) fn js_error(e: &Error) -> JsValue {
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
pub(crate) fn json_value<T: serde::Serialize + ?Sized>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// JSON text of an input given as a string or as a JS object. `path` names it in errors.
pub(crate) fn input_text(v: &JsValue, path: &str, limit: usize) -> Result<String, Error> {
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

pub(crate) fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

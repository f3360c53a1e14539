//! The WASM layer's `check(record, at, policy)` path: the input is split into three strings.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        roei_core::fuzzing::check_json(s);
    }
});

//! roei_core::fuzzing::scenario over arbitrary UTF-8.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        roei_core::fuzzing::scenario(s);
    }
});

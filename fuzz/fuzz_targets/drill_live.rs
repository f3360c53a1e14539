//! roei_core::fuzzing::drill_live (the drill page's calls on the library scenarios) over arbitrary UTF-8.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        roei_core::fuzzing::drill_live(&roei_tests::DRILL_LIBRARY, s);
    }
});

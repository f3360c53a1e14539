//! The widget's `Incident.append(event)`: events appended one by one to a base record.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        roei_core::fuzzing::append(s);
    }
});

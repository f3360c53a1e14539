//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the same entry points the
//! cargo-fuzz targets call, so every input the fuzzer kept stays a regression test in CI.
use std::path::Path;

fn replay(target: &str, f: fn(&str)) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        // A running fuzzer may remove files while we read: skip what vanished.
        let Ok(bytes) = entry.and_then(|e| std::fs::read(e.path())) else {
            continue;
        };
        if let Ok(s) = std::str::from_utf8(&bytes) {
            f(s);
        }
        n += 1;
    }
    n
}

#[test]
fn record_corpus() {
    assert!(replay("record", roei_core::fuzzing::record) >= 5);
}

#[test]
fn policy_corpus() {
    assert!(replay("policy", roei_core::fuzzing::policy) >= 1);
}

#[test]
fn check_json_corpus() {
    assert!(replay("check_json", roei_core::fuzzing::check_json) >= 1);
}

#[test]
fn append_corpus() {
    assert!(replay("append", roei_core::fuzzing::append) >= 1);
}

#[test]
fn scenario_corpus() {
    assert!(replay("scenario", roei_core::fuzzing::scenario) >= 6);
}

#[test]
fn report_corpus() {
    assert!(replay("report", roei_core::fuzzing::report) >= 1);
}

#[test]
fn drill_live_corpus() {
    assert!(
        replay("drill_live", |s| roei_core::fuzzing::drill_live(
            &roei_tests::DRILL_LIBRARY,
            s
        )) >= 12
    );
}

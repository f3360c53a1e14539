//! Records written by each release are read by every later one (docs/VERSIONING.md). Each folder of
//! `tests/compat/` holds what one release wrote or read, committed when it was released and never
//! edited: a sealed `roei/incident@1` record (written by `roei seal`), a `roei/policy@1`, a
//! `roei/scenario@1` and a `roei/playthrough@1`. Today's reader must read each of them without an
//! error, write the record back byte for byte, verify its seal, and score the playthrough. A change
//! that breaks one of these is a new format version (`@2`) with the `@1` reader kept, not an edit here.
use std::path::{Path, PathBuf};

use roei_core::seal::verify;
use roei_core::{evaluate, Policy, Record};

fn releases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("compat");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no release folder in tests/compat");
    dirs
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
}

#[test]
fn every_released_record_is_read_written_back_and_verified() {
    for dir in releases() {
        let text = read(&dir, "incident.sealed.json");
        let rec = Record::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.to_report()));
        // `roei seal` printed the record and a newline; the record is written back unchanged.
        assert_eq!(rec.to_json(), text.trim_end(), "{}", dir.display());
        let v = verify(&rec).unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.to_report()));
        assert_eq!(
            (v.sealed, v.unsealed),
            (rec.events.len(), 0),
            "{}",
            dir.display()
        );
        assert!(
            rec.warnings.is_empty(),
            "{}: {:?}",
            dir.display(),
            rec.warnings
        );
    }
}

#[test]
fn every_released_policy_is_read_and_applies() {
    for dir in releases() {
        let policy = Policy::from_json(&read(&dir, "policy.json"))
            .unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.to_report()));
        let rec = Record::parse(&read(&dir, "incident.sealed.json")).unwrap();
        let at = roei_tests::at("2026-11-02T18:00:00+09:00");
        let with = evaluate(&rec, &at, &policy).to_status(&rec);
        let without = evaluate(&rec, &at, &Policy::default()).to_status(&rec);
        assert_ne!(
            serde_json::to_value(&with).unwrap(),
            serde_json::to_value(&without).unwrap(),
            "{}: the policy's targets change due times",
            dir.display()
        );
    }
}

#[test]
fn every_released_playthrough_is_scored() {
    for dir in releases() {
        let scenario = read(&dir, "scenario.json");
        roei_core::drill::validate_scenario_json(&scenario)
            .unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.to_report()));
        let score = roei_core::drill::score_json(&scenario, &read(&dir, "playthrough.json"))
            .unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.to_report()));
        let score: serde_json::Value = serde_json::from_str(&score).unwrap();
        assert_eq!(score["format"], "roei/drill-score@1", "{}", dir.display());
    }
}

/// The rule a version-1 reader follows (docs/VERSIONING.md): fields it does not know, anywhere, are
/// kept and ignored, and an event type it does not know is kept with a warning — so a record written
/// by a later release that only adds is still read. Values outside a closed vocabulary are refused.
#[test]
fn a_version_1_reader_ignores_what_a_later_release_may_add() {
    let later = r#"{"format":"roei/incident@1","id":"I-1","added_later":{"x":1},
      "contracts":[{"id":"C1","profile":"nagaoka","principal":"長岡市","added_later":true}],
      "events":[{"id":"e1","at":"2026-11-02T10:15:00+09:00","type":"detected","actor":"contractor","added_later":[1],
                 "data":{"kind":"loss","added_later":"x"}},
                {"id":"e2","at":"2026-11-02T10:20:00+09:00","type":"added_later","actor":"contractor","data":{}}]}"#;
    let rec = Record::parse(later).unwrap();
    assert_eq!(rec.events.len(), 2);
    let codes: Vec<&str> = rec.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["unknown_event_type"]);
    assert!(
        rec.to_json().contains(r#""added_later":[1]"#),
        "events are kept as written"
    );
    let closed = later.replace(r#""kind":"loss""#, r#""kind":"added_later""#);
    assert_eq!(
        Record::parse(&closed).unwrap_err().path(),
        "events[0].data.kind"
    );
}

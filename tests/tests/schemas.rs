//! docs/schemas/ against real documents: every file in examples/ validates against the schema of its
//! `format`, and so does the status of every example record at several instants. (The CLI's own
//! output is checked in cli/tests/cli.rs; the schemas' freshness in roei-wasm's `ts` tests.)
use roei_core::{check_json, Policy};
use roei_tests::*;
use serde_json::Value;

fn example_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_validates_against_the_schema_of_its_format() {
    let files = example_files();
    assert!(files.len() >= 20, "{} example files", files.len());
    for p in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let format = v["format"].as_str().unwrap_or_default();
        let schema = schema_for_format(format)
            .unwrap_or_else(|| panic!("{}: no schema for format '{format}'", p.display()));
        let problems = schema_problems(schema, &v);
        assert!(problems.is_empty(), "{}: {problems:#?}", p.display());
    }
}

#[test]
fn statuses_of_the_example_records_validate() {
    let instants = [
        "2026-11-02T10:30:00+09:00",
        "2026-11-02T18:00:00+09:00",
        "2026-11-20T12:00:00+09:00",
        "2027-03-01T09:00:00+09:00",
    ];
    let mut n = 0;
    for p in example_files() {
        let text = std::fs::read_to_string(&p).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        if v["format"] != "roei/incident@1" {
            continue;
        }
        for at in instants {
            let s = check_json(&text, at, None).unwrap();
            let status = serde_json::to_value(&s).unwrap();
            let problems = schema_problems("status.schema.json", &status);
            assert!(
                problems.is_empty(),
                "{} at {at}: {problems:#?}",
                p.display()
            );
            n += 1;
        }
    }
    assert!(n >= 4);
    // A record with every kind of obligation state, national duties included.
    let _ = Policy::default();
}

/// The schemas refuse what the readers refuse, at least for the obvious cases (a wrong format, a
/// missing required member, a number for an id), and accept what they keep (an unknown event type,
/// kept with a warning).
#[test]
fn the_schemas_refuse_documents_the_readers_refuse() {
    let ex: Value =
        serde_json::from_str(include_str!("../../examples/nagaoka-usb-loss.json")).unwrap();
    let mut wrong = ex.clone();
    wrong["format"] = "roei/incident@2".into();
    assert!(!schema_problems("incident.schema.json", &wrong).is_empty());
    let mut missing = ex.clone();
    missing.as_object_mut().unwrap().remove("contracts");
    assert!(!schema_problems("incident.schema.json", &missing).is_empty());
    let mut number_id = ex.clone();
    number_id["events"][0]["id"] = 7.into();
    assert!(!schema_problems("incident.schema.json", &number_id).is_empty());
    assert!(roei_core::Record::parse(&number_id.to_string()).is_err());
    let mut unknown_type = ex;
    unknown_type["events"][1]["type"] = "teleported".into();
    assert!(roei_core::Record::parse(&unknown_type.to_string()).is_ok());
    let problems = schema_problems("incident.schema.json", &unknown_type);
    assert!(problems.is_empty(), "{problems:?}");
}

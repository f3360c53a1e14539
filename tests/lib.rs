//! Helpers for the cross-crate tests in `tests/tests/*.rs`: build records as JSON, evaluate them,
//! and look obligations up by id.
use roei_core::{evaluate, Policy, Record, State, Status};
use serde_json::{json, Value};

/// The library's drill scenarios (`examples/drills/`), for `roei_core::fuzzing::drill_live` in the
/// fuzz target and the corpus replay. Kept here, not in roei-core, so the published crate embeds
/// no file from outside its package.
pub const DRILL_LIBRARY: [&str; 6] = [
    include_str!("../examples/drills/nagaoka-usb-loss.json"),
    include_str!("../examples/drills/sapporo-misdirected-email.json"),
    include_str!("../examples/drills/hirono-ransomware.json"),
    include_str!("../examples/drills/nerima-unauthorised-software.json"),
    include_str!("../examples/drills/mynumber-wrong-household.json"),
    include_str!("../examples/drills/cloud-share-two-contracts.json"),
];

pub fn at(s: &str) -> roei_core::Instant {
    roei_core::time::parse_instant(s).unwrap_or_else(|| panic!("bad instant {s}"))
}

/// A record builder: contracts plus events with generated ids.
#[derive(Clone)]
pub struct Rec {
    pub v: Value,
    n: usize,
}

impl Rec {
    pub fn new(contracts: Value) -> Rec {
        Rec {
            v: json!({"format": "roei/incident@1", "id": "T-1", "contracts": contracts, "events": []}),
            n: 0,
        }
    }

    /// One contract of `profile` with principal `principal`.
    pub fn one(profile: &str) -> Rec {
        Rec::new(json!([{ "id": "C1", "profile": profile, "principal": "テスト市" }]))
    }

    pub fn ev(mut self, at: &str, ty: &str, actor: &str, data: Value) -> Rec {
        self.n += 1;
        let e = json!({"id": format!("e{}", self.n), "at": at, "type": ty, "actor": actor, "data": data});
        self.v["events"].as_array_mut().unwrap().push(e);
        self
    }

    pub fn record(&self) -> Record {
        Record::parse(&self.v.to_string()).unwrap_or_else(|e| panic!("record rejected: {e}"))
    }

    pub fn status(&self, when: &str) -> Status {
        self.status_with(when, &Policy::default())
    }

    pub fn status_with(&self, when: &str, p: &Policy) -> Status {
        let r = self.record();
        evaluate(&r, &at(when), p).to_status(&r)
    }
}

pub trait Find {
    fn get(&self, obligation: &str) -> &roei_core::eval::ObligationStatus;
    fn state(&self, obligation: &str) -> State {
        self.get(obligation).status
    }
}

impl Find for Status {
    fn get(&self, obligation: &str) -> &roei_core::eval::ObligationStatus {
        let mut it = self
            .obligations
            .iter()
            .filter(|o| o.obligation == obligation);
        let o = it.next().unwrap_or_else(|| {
            panic!(
                "no obligation {obligation} in {:?}",
                self.obligations
                    .iter()
                    .map(|o| &o.obligation)
                    .collect::<Vec<_>>()
            )
        });
        assert!(it.next().is_none(), "{obligation} appears twice");
        o
    }
}

/// Facts that make every national duty apply (sensitive data, My Number system, 500 persons).
pub fn reportable_facts() -> Value {
    json!({"sensitive": true, "encrypted": false, "financial_damage_risk": false, "improper_purpose": false,
           "subjects_count": 500, "my_number": true, "my_number_system": true, "public_exposure": false})
}

pub fn all_fields() -> Value {
    json!({"content": "氏名・住所", "count": "500件", "location": "作業場所", "circumstances": "紛失",
           "summary": "概要", "data_items": ["氏名"], "subjects_count": 500, "cause": "原因",
           "secondary_damage": "なし", "subject_response": "通知済", "publication_status": "未公表",
           "prevention": "再発防止策", "other": "なし"})
}

/// The hostile-text corpus of tests/hostile-corpus.json (shared with tests/js/hostile.test.mjs):
/// its XSS payloads and what breaks Markdown and XML (block starters at the start of a line, line
/// and paragraph separators, characters XML forbids). Every document writer must keep each as text.
pub fn hostile() -> Vec<String> {
    let v: Value = serde_json::from_str(include_str!("hostile-corpus.json")).expect("corpus JSON");
    ["xss", "markup"]
        .iter()
        .flat_map(|k| v[*k].as_array().expect("a list").iter())
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// Problems of `value` against `docs/schemas/<name>` (empty when it is valid), each with the JSON
/// pointer of the offending value.
pub fn schema_problems(name: &str, value: &Value) -> Vec<String> {
    let path = format!("{}/../docs/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let validator =
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{path} is no schema: {e}"));
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// The schema file for a document's `format` (`roei/incident@1` → `incident.schema.json`).
pub fn schema_for_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "roei/incident@1" => "incident.schema.json",
        "roei/policy@1" => "policy.schema.json",
        "roei/status@1" => "status.schema.json",
        "roei/scenario@1" => "scenario.schema.json",
        "roei/playthrough@1" => "playthrough.schema.json",
        _ => return None,
    })
}

//! Property tests: any sequence of events folds without panic, status is a deterministic function of
//! the record, and it does not depend on key order, offsets or a write-back.
use proptest::prelude::*;
use roei_core::{evaluate, Policy, Record};
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "detected",
    "facts",
    "confirmed",
    "dismissed",
    "containment_started",
    "contained",
    "evidence_preserved",
    "reported_to_principal",
    "principal_aware",
    "instruction_received",
    "subjects_notified",
    "cause_analyzed",
    "prevention_implemented",
    "record_submitted",
    "ppc_preliminary_reported",
    "ppc_final_reported",
    "published",
    "closed",
    "x-unknown",
];
const KINDS: &[&str] = &[
    "leak",
    "loss",
    "damage",
    "tampering",
    "erasure",
    "violation",
    "other",
];
const PROFILES: &[&str] = &["nagaoka", "kimitsu", "sapporo", "nerima", "hirono"];
const FIELDS: &[&str] = &[
    "content",
    "count",
    "location",
    "circumstances",
    "summary",
    "cause",
    "prevention",
    "other",
];

fn event() -> impl Strategy<
    Value = (
        usize,
        i64,
        usize,
        bool,
        Option<u64>,
        Vec<bool>,
        usize,
        bool,
        usize,
    ),
> {
    (
        0..TYPES.len(),
        -600i64..20_000,
        0..KINDS.len(),
        any::<bool>(),
        proptest::option::of(0u64..300),
        proptest::collection::vec(any::<bool>(), 8),
        0..3usize,
        any::<bool>(),
        0..FIELDS.len() + 1,
    )
}

fn record() -> impl Strategy<Value = Value> {
    (proptest::collection::vec(0..PROFILES.len(), 1..4), proptest::collection::vec(event(), 0..25)).prop_map(|(ps, evs)| {
        let contracts: Vec<Value> = ps
            .iter()
            .enumerate()
            .map(|(i, p)| json!({"id": format!("C{i}"), "profile": PROFILES[*p], "principal": if i % 2 == 0 { "甲市" } else { "乙町" }}))
            .collect();
        let n = contracts.len();
        let events: Vec<Value> = evs
            .into_iter()
            .enumerate()
            .map(|(i, (t, mins, k, b, count, bits, c, w, nf))| {
                let at = roei_core::time::fmt_jst(&(roei_tests::at("2026-11-02T10:00:00+09:00") + chrono::Duration::minutes(mins)));
                let mut data = json!({"kind": KINDS[k], "signs_only": b});
                if let Some(c) = count {
                    data["subjects_count"] = c.into();
                }
                for (j, f) in ["sensitive", "encrypted", "improper_purpose", "my_number", "my_number_system", "public_exposure", "financial_damage_risk", "notify_subjects"].iter().enumerate() {
                    if bits[j] {
                        data[*f] = (j % 2 == 0).into();
                    }
                }
                if c < n && b {
                    data["contract"] = format!("C{c}").into();
                }
                data["written"] = w.into();
                data["fields"] = FIELDS.iter().take(nf).map(|f| (f.to_string(), Value::from("値"))).collect::<serde_json::Map<_, _>>().into();
                data["by"] = if b { "principal" } else { "contractor" }.into();
                data["method"] = if w { "individual" } else { "public_notice" }.into();
                json!({"id": format!("e{i}"), "at": at, "type": TYPES[t], "actor": "contractor", "data": data})
            })
            .collect();
        json!({"format": "roei/incident@1", "id": "P", "contracts": contracts, "events": events})
    })
}

fn status_json(j: &str, at: &str) -> String {
    let r = Record::parse(j).expect("generated records are valid");
    serde_json::to_string(&evaluate(&r, &roei_tests::at(at), &Policy::default()).to_status(&r))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_folds_and_status_is_deterministic(v in record(), mins in -60i64..30_000) {
        let at = roei_core::time::fmt_jst(&(roei_tests::at("2026-11-02T10:00:00+09:00") + chrono::Duration::minutes(mins)));
        let j = v.to_string();
        let a = status_json(&j, &at);
        prop_assert_eq!(&a, &status_json(&j, &at));
        // Export and import: the same status.
        let back = Record::parse(&j).unwrap().to_json();
        prop_assert_eq!(&a, &status_json(&back, &at));
        // Key order does not matter (serde_json's Value sorts keys; the generator wrote them in another order).
        let reordered = serde_json::to_string(&serde_json::from_str::<Value>(&j).unwrap()).unwrap();
        prop_assert_eq!(&a, &status_json(&reordered, &at));
    }

    #[test]
    fn offsets_do_not_change_the_status(v in record(), mins in 0i64..30_000) {
        let at = roei_core::time::fmt_jst(&(roei_tests::at("2026-11-02T10:00:00+09:00") + chrono::Duration::minutes(mins)));
        let mut utc = v.clone();
        for e in utc["events"].as_array_mut().unwrap() {
            let t = roei_tests::at(e["at"].as_str().unwrap()).with_timezone(&chrono::Utc);
            e["at"] = t.to_rfc3339().into();
        }
        prop_assert_eq!(status_json(&v.to_string(), &at), status_json(&utc.to_string(), &at));
    }

    #[test]
    fn appending_never_undoes_a_done_obligation(v in record(), extra in event()) {
        // Statuses at an instant before a new event do not change when it is appended later.
        let r = Record::parse(&v.to_string()).unwrap();
        let at = roei_tests::at("2026-11-20T00:00:00+09:00");
        let before = evaluate(&r, &at, &Policy::default());
        let mut r2 = r.clone();
        let (t, _, k, ..) = extra;
        let e = json!({"id": "zz", "at": "2026-11-25T00:00:00+09:00", "type": TYPES[t], "actor": "other", "data": {"kind": KINDS[k]}});
        r2.append_json(&e.to_string(), roei_core::Limits::default()).unwrap();
        let after = evaluate(&r2, &at, &Policy::default());
        let s1 = serde_json::to_value(before.to_status(&r).obligations).unwrap();
        let s2 = serde_json::to_value(after.to_status(&r2).obligations).unwrap();
        prop_assert_eq!(s1, s2);
        // And a later instant keeps every done obligation done.
        let later = evaluate(&r2, &roei_tests::at("2026-11-26T00:00:00+09:00"), &Policy::default());
        for (a, b) in before.obligations.iter().zip(later.obligations.iter()) {
            if matches!(a.state, roei_core::State::Done | roei_core::State::DoneLate) {
                prop_assert_eq!(a.state, b.state, "{}", a.clause.obligation_id());
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,400}") {
        let _ = Record::parse(&s);
        let _ = roei_core::Policy::from_json(&s);
    }

    #[test]
    fn mutated_records_never_panic(v in record(), cut in 0usize..4000, byte in any::<u8>()) {
        let mut b = v.to_string().into_bytes();
        if !b.is_empty() {
            let i = cut % b.len();
            b[i] = byte;
        }
        if let Ok(s) = String::from_utf8(b) {
            if let Ok(r) = Record::parse(&s) {
                let _ = evaluate(&r, &roei_tests::at("2026-12-01T00:00:00+09:00"), &Policy::default());
            }
        }
    }
}

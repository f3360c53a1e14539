//! Untrusted records: every problem is an error naming its JSON path (and clause where one applies),
//! never a panic.
use roei_core::{Limits, Record};
use roei_tests::*;
use serde_json::json;

fn err(json: &str) -> roei_core::Error {
    Record::parse(json).expect_err("should be rejected")
}

fn detected(at: &str) -> serde_json::Value {
    json!({"id": "e1", "at": at, "type": "detected", "actor": "contractor", "data": {"kind": "leak"}})
}

fn rec_with(events: serde_json::Value) -> String {
    json!({"format": "roei/incident@1", "id": "X", "contracts": [{"id": "C1", "profile": "nagaoka", "principal": "長岡市"}], "events": events}).to_string()
}

#[test]
fn malformed_json() {
    for bad in [
        "",
        "{",
        "[]",
        "null",
        "{\"format\": \"roei/incident@1\",}",
        "\u{feff}{}",
    ] {
        let e = err(bad);
        assert_eq!(e.code(), "json", "{bad:?}: {e}");
    }
}

#[test]
fn missing_kind_names_the_path() {
    let e = err(&rec_with(
        json!([{"id": "e1", "at": "2026-11-02T10:00:00+09:00", "type": "detected", "actor": "contractor", "data": {}}]),
    ));
    assert_eq!(
        (e.code(), e.path()),
        ("missing_field", "events[0].data.kind")
    );
}

#[test]
fn unknown_profile() {
    let j = json!({"format": "roei/incident@1", "id": "X", "contracts": [{"id": "C1", "profile": "tokyo", "principal": "東京都"}]}).to_string();
    let e = err(&j);
    assert_eq!(
        (e.code(), e.path()),
        ("unknown_profile", "contracts[0].profile")
    );
    assert!(
        e.to_string().contains("nagaoka"),
        "lists the known profiles: {e}"
    );
    // A national layer is not a contract profile.
    let j = json!({"format": "roei/incident@1", "id": "X", "contracts": [{"id": "C1", "profile": "appi-local-gov", "principal": "市"}]}).to_string();
    assert_eq!(err(&j).path(), "contracts[0].profile");
    let j = json!({"format": "roei/incident@1", "id": "X", "contracts": [{"id": "C1", "profile": "nagaoka", "principal": "市", "national": ["gdpr"]}]}).to_string();
    assert_eq!(err(&j).path(), "contracts[0].national[0]");
}

#[test]
fn bad_timestamps() {
    for bad in [
        "2026-11-02 10:15",
        "2026-11-02T10:15:00",
        "2026-13-02T10:15:00+09:00",
        "yesterday",
        "2026-11-02T10:15:00+25:00",
    ] {
        let e = err(&rec_with(json!([detected(bad)])));
        assert_eq!(e.path(), "events[0].at", "{bad}: {e}");
        assert_eq!(e.code(), "invalid_value");
    }
    let e = err(&rec_with(
        json!([{"id": "e1", "at": 20261102, "type": "detected", "actor": "contractor", "data": {"kind": "leak"}}]),
    ));
    assert_eq!(e.path(), "events[0].at");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [10_000, 200_000] {
        let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let mut ev = detected("2026-11-02T10:00:00+09:00").to_string();
        ev.insert_str(1, &format!("\"x\":{deep},"));
        let j = rec_with(json!([])).replace("\"events\":[]", &format!("\"events\":[{ev}]"));
        let e = err(&j);
        // The whole text is refused past 128 levels before anything is built (and before the
        // event's own size and depth limits are looked at), with the path where it goes too deep.
        assert!(e.to_string().contains("levels deep"), "{depth}: {e}");
        assert!(e.path().starts_with("events[0].x[0]"), "{}", e.path());
        let top = format!("{{\"format\":\"roei/incident@1\",\"x\":{deep}}}");
        assert!(err(&top).to_string().contains("levels deep"));
    }
    // Reasonable nesting in an extension field is fine.
    let mut ev = detected("2026-11-02T10:00:00+09:00");
    ev["x"] = json!([[[[{"a": [1]}]]]]);
    assert!(Record::parse(&rec_with(json!([ev]))).is_ok());
}

#[test]
fn duplicate_ids() {
    let a = detected("2026-11-02T10:00:00+09:00");
    let mut b = a.clone();
    b["data"]["kind"] = "loss".into();
    let e = err(&rec_with(json!([a, b])));
    assert_eq!((e.code(), e.path()), ("duplicate_id", "events[1].id"));
    // The same event twice (a retried submit) is idempotent.
    let r = Record::parse(&rec_with(json!([a.clone(), a]))).unwrap();
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.warnings[0].code, "duplicate_event_ignored");
    let j = json!({"format": "roei/incident@1", "id": "X", "contracts": [
        {"id": "C1", "profile": "nagaoka", "principal": "市"}, {"id": "C1", "profile": "sapporo", "principal": "市"}]}).to_string();
    assert_eq!(err(&j).path(), "contracts[1].id");
}

#[test]
fn wrong_types_and_values() {
    let mut ev = detected("2026-11-02T10:00:00+09:00");
    ev["data"]["kind"] = "theft".into();
    let e = err(&rec_with(json!([ev])));
    assert_eq!(e.path(), "events[0].data.kind");
    assert!(e.to_string().contains("leak"), "lists the kinds: {e}");
    let f = json!({"id": "e2", "at": "2026-11-02T10:00:00+09:00", "type": "facts", "actor": "contractor", "data": {"subjects_count": -3}});
    assert_eq!(
        err(&rec_with(json!([f]))).path(),
        "events[0].data.subjects_count"
    );
    let a = json!({"id": "e3", "at": "2026-11-02T10:00:00+09:00", "type": "detected", "actor": "intern", "data": {"kind": "leak"}});
    assert_eq!(err(&rec_with(json!([a]))).path(), "events[0].actor");
    let c = json!({"id": "e4", "at": "2026-11-02T10:00:00+09:00", "type": "reported_to_principal", "actor": "contractor", "data": {"contract": "NOPE"}});
    assert_eq!(err(&rec_with(json!([c]))).path(), "events[0].data.contract");
}

#[test]
fn formats_and_versions() {
    let e = err(r#"{"format":"roei/incident@2","id":"X","contracts":[]}"#);
    assert_eq!((e.code(), e.path()), ("unsupported_format", "format"));
    let e = err(r#"{"id":"X"}"#);
    assert_eq!(e.code(), "missing_field");
    assert!(e.problems().len() >= 2, "lists format and contracts: {e}");
}

#[test]
fn every_problem_is_listed() {
    let e = err(&rec_with(json!([
        {"id": "e1", "at": "bad", "type": "detected", "actor": "contractor", "data": {"kind": "leak"}},
        {"id": "e2", "at": "2026-11-02T10:00:00+09:00", "type": "detected", "actor": "contractor", "data": {}}
    ])));
    let paths: Vec<_> = e.problems().iter().map(|p| p.path().to_string()).collect();
    assert_eq!(paths, ["events[0].at", "events[1].data.kind"]);
    let r = e.to_report();
    assert_eq!(r.path, "events[0].at");
    assert_eq!(r.problems.len(), 2);
}

#[test]
fn size_limits() {
    let big = format!(
        "{{\"format\":\"roei/incident@1\",\"pad\":\"{}\"}}",
        "x".repeat(9 * 1024 * 1024)
    );
    assert_eq!(err(&big).code(), "too_large");
    let evs: Vec<_> = (0..50).map(|i| json!({"id": format!("e{i}"), "at": "2026-11-02T10:00:00+09:00", "type": "closed", "actor": "other"})).collect();
    let limits = Limits {
        max_events: 10,
        ..Limits::default()
    };
    let e = Record::parse_with(&rec_with(json!(evs)), roei_core::Catalog::builtin(), limits)
        .unwrap_err();
    assert_eq!((e.code(), e.path()), ("too_many", "events"));
}

#[test]
fn extra_fields_are_ignored_and_kept() {
    let mut ev = detected("2026-11-02T10:00:00+09:00");
    ev["x-portal"] = json!({"ticket": 42});
    ev["data"]["x-note"] = "残す".into();
    let mut v: serde_json::Value = serde_json::from_str(&rec_with(json!([ev, {"id": "e2", "at": "2026-11-02T10:05:00+09:00", "type": "x-future-type", "actor": "other"}]))).unwrap();
    v["x-top"] = json!([1, 2]);
    v["contracts"][0]["x-c"] = true.into();
    let r = Record::parse(&v.to_string()).unwrap();
    assert_eq!(
        r.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        ["unknown_event_type"]
    );
    let back: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(back, v, "a version-1 reader writes back what it read");
}

#[test]
fn append_validates_each_event() {
    let mut r = Rec::one("nagaoka").record();
    let lim = Limits::default();
    r.append_json(&detected("2026-11-02T10:00:00+09:00").to_string(), lim)
        .unwrap();
    let e = r.append_json(r#"{"id":"e2","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{}}"#, lim).unwrap_err();
    assert_eq!(e.path(), "events[1].data.kind");
    let e = r
        .append_json(
            r#"{"id":"e1","at":"2026-11-02T11:00:00+09:00","type":"closed","actor":"other"}"#,
            lim,
        )
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_id");
    assert!(r.append_json("{", lim).is_err());
    assert_eq!(
        r.events.len(),
        1,
        "rejected events leave the record as it was"
    );
}

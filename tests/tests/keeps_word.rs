//! The record keeps its word (issue 14): numbers kept as written, repeated keys refused everywhere,
//! every writer refusing what the reader would refuse, limits that hold while reading, client seals.
//! Each test here failed before the change it names (RELIABILITY.md lists the probes).
use roei_core::{Limits, Policy, Record};

fn header(events: &str) -> String {
    format!(
        r#"{{"format":"roei/incident@1","id":"X","contracts":[{{"id":"C1","profile":"nagaoka","principal":"長岡市"}}],"events":[{events}]}}"#
    )
}

const E1: &str = r#"{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak"}}"#;

// ---- point 2: numbers ----

#[test]
fn numbers_keep_their_text_through_seal_and_write_back() {
    let ev = r#"{"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"facts","actor":"contractor","data":{"summary":123456789012345678901234567890,"location":1.50,"other":[1e2,-0.0]}}"#;
    let text = format!(
        r#"{{"format":"roei/incident@1","id":"X","contracts":[{{"id":"C1","profile":"nagaoka","principal":"長岡市","x":18446744073709551617}}],"events":[{E1},{ev}],"ext":{{"n":0.1000000000000000055511151231257827}}}}"#
    );
    let mut r = Record::parse(&text).unwrap();
    let back = r.to_json();
    for n in [
        "18446744073709551617",
        "0.1000000000000000055511151231257827",
    ] {
        assert!(back.contains(n), "{n} kept in the write-back: {back}");
    }
    r.seal().unwrap();
    let sealed = r.to_json();
    for n in [
        "123456789012345678901234567890",
        "1.50",
        "1e2",
        "-0.0",
        "18446744073709551617",
    ] {
        assert!(sealed.contains(n), "{n} kept by the seal: {sealed}");
    }
    let again = Record::parse(&sealed).unwrap();
    assert_eq!(roei_core::seal::verify(&again).unwrap().sealed, 2);
}

#[test]
fn the_seal_hashes_the_number_text_so_a_changed_spelling_is_caught() {
    let ev = r#"{"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"facts","actor":"contractor","data":{"summary":1.0}}"#;
    let mut r = Record::parse(&header(&format!("{E1},{ev}"))).unwrap();
    r.seal().unwrap();
    let sealed = r.to_json();
    assert!(sealed.contains(r#""summary":1.0"#));
    // As floats, 1.0 and 1.00 (or 9007199254740993 and 9007199254740992) hash the same.
    let edited = sealed.replace(r#""summary":1.0"#, r#""summary":1.00"#);
    let e = roei_core::seal::verify(&Record::parse(&edited).unwrap()).unwrap_err();
    assert_eq!(e.path(), "events[1].seal.hash");
}

// ---- point 3: repeated keys, repeated ids ----

fn dup_key(json: &str) -> (String, String) {
    let e = Record::parse(json).expect_err("a repeated key is refused");
    (e.code().to_string(), e.path().to_string())
}

#[test]
fn repeated_keys_are_refused_in_records_with_their_path() {
    let two_profiles = r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C1","profile":"nagaoka","principal":"長岡市","profile":"kimitsu"}],"events":[]}"#;
    assert_eq!(
        dup_key(two_profiles),
        ("duplicate_key".into(), "contracts[0].profile".into())
    );
    let two_event_lists = format!(
        r#"{{"format":"roei/incident@1","id":"X","contracts":[{{"id":"C1","profile":"nagaoka","principal":"長岡市"}}],"events":[{E1}],"events":[]}}"#
    );
    assert_eq!(
        dup_key(&two_event_lists),
        ("duplicate_key".into(), "events".into())
    );
    let two_ids = format!(
        r#"{{"format":"roei/incident@1","id":"X","contracts":[{{"id":"C1","profile":"nagaoka","principal":"長岡市"}}],"events":[{E1}],"id":"Y"}}"#
    );
    assert_eq!(dup_key(&two_ids), ("duplicate_key".into(), "id".into()));
    let in_event = header(
        r#"{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak","kind":"loss"}}"#,
    );
    assert_eq!(
        dup_key(&in_event),
        ("duplicate_key".into(), "events[0].data.kind".into())
    );
    // An escaped spelling is the same key.
    let escaped = header(
        r#"{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak"},"\u0061ctor":"other"}"#,
    );
    assert_eq!(
        dup_key(&escaped),
        ("duplicate_key".into(), "events[0].actor".into())
    );
}

#[test]
fn repeated_keys_are_refused_in_appends_policies_and_scenarios() {
    let mut r = Record::parse(&header(E1)).unwrap();
    let before = r.to_json();
    let e = r
        .append_json(
            r#"{"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"closed","actor":"other","type":"detected"}"#,
            Limits::default(),
        )
        .unwrap_err();
    assert_eq!((e.code(), e.path()), ("duplicate_key", "event.type"));
    assert_eq!(r.to_json(), before);

    let e = Policy::from_json(
        r#"{"format":"roei/policy@1","targets":{"immediately":"PT1H","immediately":"P30D"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("duplicate_key", "targets.immediately")
    );

    let sc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/drills/nagaoka-usb-loss.json"
    ))
    .unwrap();
    let doubled = sc.replacen('{', r#"{"title":"x","#, 1);
    let e = roei_core::drill::Scenario::parse(&doubled).unwrap_err();
    assert_eq!((e.code(), e.path()), ("duplicate_key", "title"));
}

#[test]
fn a_repeated_event_id_is_ignored_only_when_byte_identical() {
    let r = Record::parse(&header(&format!("{E1},{E1}"))).unwrap();
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.warnings[0].code, "duplicate_event_ignored");
    // Same content, other bytes (key order, spacing): refused, not judged equal and dropped.
    let respaced = r#"{"id":"e1", "at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak"}}"#;
    let e = Record::parse(&header(&format!("{E1},{respaced}"))).unwrap_err();
    assert_eq!((e.code(), e.path()), ("duplicate_id", "events[1].id"));
    let mut r = Record::parse(&header(E1)).unwrap();
    r.append_json(E1, Limits::default()).unwrap();
    assert_eq!(r.events.len(), 1);
    let e = r.append_json(respaced, Limits::default()).unwrap_err();
    assert_eq!(e.code(), "duplicate_id");
}

// ---- point 4: every writer refuses what the reader refuses ----

/// A record whose written text is `size` bytes or a little more, with `n` events of `pad` text.
fn padded(n: usize, pad: usize) -> Record {
    let mut evs = vec![E1.to_string()];
    for i in 1..n {
        evs.push(format!(
            r#"{{"id":"p{i}","at":"2026-11-02T11:00:00+09:00","type":"facts","actor":"contractor","data":{{"summary":"{}"}}}}"#,
            "x".repeat(pad)
        ));
    }
    Record::parse(&header(&evs.join(","))).unwrap()
}

#[test]
fn seal_refuses_a_record_it_would_make_too_large_and_changes_nothing() {
    let mut r = padded(20, 100);
    let size = r.to_json().len();
    // Room for the text as it is, not for 20 seals of about 180 bytes each.
    let limits = Limits {
        max_bytes: size + 1000,
        ..Limits::default()
    };
    assert!(Record::parse_with(&r.to_json(), roei_core::Catalog::builtin(), limits).is_ok());
    let before = r.to_json();
    let e = r.seal_within(&limits).unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(r.to_json(), before, "nothing changed");
    // With room, the sealed record is one the reader takes back under the same limits.
    let roomy = Limits {
        max_bytes: size + 20 * 200,
        ..Limits::default()
    };
    r.seal_within(&roomy).unwrap();
    assert!(Record::parse_with(&r.to_json(), roei_core::Catalog::builtin(), roomy).is_ok());
}

#[test]
fn seal_refuses_an_event_it_would_make_too_large() {
    let mut r = padded(2, 2000);
    let limits = Limits {
        max_event_bytes: r.events[1].raw().len() + 50,
        ..Limits::default()
    };
    let before = r.to_json();
    let e = r.seal_within(&limits).unwrap_err();
    assert_eq!((e.code(), e.path()), ("too_large", "events[1]"));
    assert_eq!(r.to_json(), before);
}

#[test]
fn append_refuses_an_event_past_the_record_limit_and_changes_nothing() {
    let mut r = padded(3, 1000);
    let limits = Limits {
        max_bytes: r.to_json().len() + 500,
        ..Limits::default()
    };
    let ev = format!(
        r#"{{"id":"big","at":"2026-11-02T12:00:00+09:00","type":"facts","actor":"contractor","data":{{"summary":"{}"}}}}"#,
        "y".repeat(600)
    );
    let (before, warnings) = (r.to_json(), r.warnings.clone());
    let e = r.append_json(&ev, limits).unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!((r.to_json(), r.warnings.clone()), (before, warnings));
    // What append kept, the reader reads.
    let small = ev.replace(&"y".repeat(600), "y");
    r.append_json(&small, limits).unwrap();
    assert!(Record::parse_with(&r.to_json(), roei_core::Catalog::builtin(), limits).is_ok());
}

#[test]
fn append_to_a_sealed_record_refuses_what_the_seal_makes_too_large() {
    let mut r = padded(2, 10);
    r.seal().unwrap();
    let ev = format!(
        r#"{{"id":"e3","at":"2026-11-02T12:00:00+09:00","type":"facts","actor":"contractor","data":{{"summary":"{}"}}}}"#,
        "z".repeat(500)
    );
    let limits = Limits {
        max_event_bytes: ev.len() + 20,
        ..Limits::default()
    };
    let before = r.to_json();
    let e = r.append_json(&ev, limits).unwrap_err();
    assert_eq!((e.code(), e.path()), ("too_large", "events[2]"));
    assert_eq!(r.to_json(), before);
}

// ---- point 7: a seal sent with an event ----

#[test]
fn an_appended_event_carrying_a_seal_is_refused() {
    let mut r = Record::parse(&header(E1)).unwrap();
    let forged = r#"{"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"closed","actor":"other","seal":{"alg":"sha256","prev":"00","hash":"11"}}"#;
    let e = r.append_json(forged, Limits::default()).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_value", "events[1].seal"));
    assert_eq!(r.events.len(), 1);
    // Sealing stays possible.
    r.seal().unwrap();
}

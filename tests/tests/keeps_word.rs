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

// ---- point 5: limits while reading ----

#[test]
fn counts_are_enforced_while_reading_whatever_the_shape() {
    let head = r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C1","profile":"nagaoka","principal":"長岡市"}],"events":["#;
    // 30,000 `{}` events: refused as too many events, with the full count, before any is built.
    let empties = format!("{head}{}]}}", vec!["{}"; 30_000].join(","));
    let e = Record::parse(&empties).unwrap_err();
    assert_eq!((e.code(), e.path()), ("too_many", "events"));
    assert!(e.to_string().contains("30000 items"), "{e}");
    // Dense free-form data (two bytes per value) is refused by the value budget, with its path.
    let ones = format!(
        "{head}{E1},{{\"id\":\"e2\",\"at\":\"2026-11-02T11:00:00+09:00\",\"type\":\"facts\",\"actor\":\"contractor\",\"data\":{{\"summary\":[{}]}}}}]}}",
        vec!["1"; 100_000].join(",")
    );
    let e = Record::parse(&ones).unwrap_err();
    assert!(
        e.path().starts_with("events[1].data.summary["),
        "{}",
        e.path()
    );
    assert!(e.to_string().contains("JSON values and keys"), "{e}");
    // The same data written as text of ordinary density is fine.
    let words = ones.replace(
        &vec!["1"; 100_000].join(","),
        &vec!["\"氏名・住所\""; 10_000].join(","),
    );
    assert!(Record::parse(&words).is_ok());
}

/// `n` events of a type this version does not know, ids `u0`…, one `unknown_event_type` each.
fn unknown_types(n: usize) -> String {
    header(
        &(0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"u{i}","at":"2026-11-02T10:00:00+09:00","type":"x","actor":"other"}}"#
                )
            })
            .collect::<Vec<_>>()
            .join(","),
    )
}

#[test]
fn a_record_lists_the_first_100_warnings_of_a_code_and_counts_the_rest() {
    // 250 warnings of one code: 100 listed, in order, then one `warnings_omitted` with the exact
    // count of the other 150 at the path of the first left out (a warning costs ~270 bytes: a
    // record with one on every event cost 11.7× its text in memory).
    let mut r = Record::parse(&unknown_types(250)).unwrap();
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes.len(), 101);
    assert!(codes[..100].iter().all(|c| *c == "unknown_event_type"));
    assert_eq!(r.warnings[99].path, "events[99].type");
    let last = &r.warnings[100];
    assert_eq!(
        (last.code, last.path.as_str()),
        ("warnings_omitted", "events[100].type")
    );
    assert!(
        last.message
            .starts_with("150 more warning(s) with code 'unknown_event_type'"),
        "{}",
        last.message
    );
    // The status (and its JSON) carries it; other codes keep their own 100.
    let status = roei_core::status(
        &r,
        &roei_core::time::parse_instant("2026-11-03T10:00:00+09:00").unwrap(),
        &Policy::default(),
    );
    let json = serde_json::to_string(&status).unwrap();
    assert!(
        json.contains(r#""code":"warnings_omitted""#) && json.contains("150 more warning(s)"),
        "{json}"
    );
    // An append updates the one summary, and a refused append puts its count back.
    let ev = |id: &str| {
        format!(r#"{{"id":"{id}","at":"2026-11-02T11:00:00+09:00","type":"x","actor":"other"}}"#)
    };
    r.append_json(&ev("u250"), Limits::default()).unwrap();
    assert_eq!(r.warnings.len(), 101);
    assert!(
        r.warnings[100].message.starts_with("151 more"),
        "{}",
        r.warnings[100].message
    );
    let tight = Limits {
        max_bytes: r.to_json().len() + 10,
        ..Limits::default()
    };
    let before = r.warnings.clone();
    assert!(r.append_json(&ev("u251"), tight).is_err());
    assert_eq!(r.warnings, before);
}

// ---- point 9: anchored heads ----

#[test]
fn an_anchor_catches_an_edit_that_was_sealed_again() {
    let e2 = r#"{"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"facts","actor":"contractor","data":{"subjects_count":120}}"#;
    let e3 = r#"{"id":"e3","at":"2026-11-02T12:00:00+09:00","type":"closed","actor":"other"}"#;
    let mut r = Record::parse(&header(&format!("{E1},{e2}"))).unwrap();
    r.seal().unwrap();
    let anchor = r.head_hash();
    assert_eq!(
        roei_core::seal::verify(&r).unwrap().head.as_deref(),
        Some(anchor.as_str())
    );
    // Extending the record keeps the anchor.
    r.append_json(e3, Limits::default()).unwrap();
    let a = roei_core::seal::verify_anchor(&r, &anchor).unwrap();
    assert_eq!((a.events, a.event.as_deref(), a.later), (2, Some("e2"), 1));
    // Edited without resealing: verify names the event, and so does the anchor check.
    let edited = r
        .to_json()
        .replace(r#""subjects_count":120"#, r#""subjects_count":12"#);
    let back = Record::parse(&edited).unwrap();
    let e = roei_core::seal::verify_anchor(&back, &anchor).unwrap_err();
    assert_eq!(e.path(), "events[1]");
    // Seals stripped and the record sealed again: `verify` says ok, the anchor does not.
    let stripped =
        Record::parse(&header(&format!("{E1},{},{e3}", e2.replace("120", "12")))).unwrap();
    let mut resealed = stripped.clone();
    resealed.seal().unwrap();
    assert!(roei_core::seal::verify(&resealed).is_ok());
    let e = roei_core::seal::verify_anchor(&resealed, &anchor).unwrap_err();
    assert_eq!(e.path(), "events");
    // Stripped and not resealed: reported as unsealed, not ok.
    let e = roei_core::seal::verify(&stripped).unwrap_err();
    assert_eq!(e.code(), "unsealed");
}

#[test]
fn every_report_and_export_carries_the_head_hash() {
    use roei_core::report::{self, Format, Kind};
    let r = Record::parse(include_str!("../../examples/nagaoka-usb-loss.json")).unwrap();
    let head = r.head_hash();
    let ev = roei_core::evaluate(
        &r,
        &roei_core::time::parse_instant("2026-11-02T18:00:00+09:00").unwrap(),
        &Policy::default(),
    );
    for kind in Kind::ALL {
        for format in Format::ALL {
            let text =
                report::report_for(&r, &ev, kind, roei_core::lang::Lang::Ja, format).unwrap();
            assert!(text.contains(&head), "{kind:?} {format:?}");
        }
    }
    // Folded at 75 octets (RFC 5545 §3.1): unfolded, the property holds the hash.
    let ics = report::ics(&r, &ev, roei_core::lang::Lang::Ja).replace("\r\n ", "");
    assert!(ics.contains(&format!("X-ROEI-RECORD-HASH:{head}")));
    assert!(report::timeline_svg(&r, &ev, roei_core::lang::Lang::Ja).contains(&head));
}

// ---- point 8: instants every output can write ----

#[test]
fn instants_outside_what_every_output_can_write_are_refused_with_their_path() {
    for at in [
        "0000-01-01T00:00:00+09:00",
        "1899-12-31T14:59:59Z",
        "9999-12-31T23:00:00-09:00",
        "3000-01-01T00:00:00+09:00",
    ] {
        let ev = E1.replace("2026-11-02T10:00:00+09:00", at);
        let e = Record::parse(&header(&ev)).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", "events[0].at"),
            "{at}"
        );
        let e = roei_core::check_json(&header(E1), at, None).unwrap_err();
        assert_eq!(e.path(), "at", "{at}");
    }
    let ok = E1.replace("2026-11-02T10:00:00+09:00", "2999-12-31T23:59:59+09:00");
    assert!(Record::parse(&header(&ok)).is_ok());
}

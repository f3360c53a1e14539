//! Tamper evidence: a sealed record verifies; any change to any sealed event's content, or to the
//! header, is caught and the first event that no longer matches is named.
use roei_core::seal::verify;
use roei_core::{Limits, Record};

fn sealed_example() -> Record {
    let j = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/nagaoka-usb-loss.json"
    ))
    .unwrap();
    let mut r = Record::parse(&j).unwrap();
    let v = r.seal().unwrap();
    assert_eq!((v.sealed, v.unsealed), (r.events.len(), 0));
    r
}

#[test]
fn a_sealed_record_verifies_and_keeps_its_status() {
    let r = sealed_example();
    let back = Record::parse(&r.to_json()).unwrap();
    assert_eq!(verify(&back).unwrap().sealed, 7);
    let at = roei_tests::at("2026-11-02T18:00:00+09:00");
    let plain = Record::parse(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/nagaoka-usb-loss.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let p = roei_core::Policy::default();
    assert_eq!(
        serde_json::to_value(roei_core::status(&plain, &at, &p)).unwrap(),
        serde_json::to_value(roei_core::status(&back, &at, &p)).unwrap(),
        "the seal is an extra field: status unchanged"
    );
}

#[test]
fn flipping_any_byte_of_any_sealed_event_is_detected() {
    let r = sealed_example();
    let json = r.to_json();
    let bytes = json.as_bytes();
    let mut checked = 0;
    for (i, ev) in r.events.iter().enumerate() {
        let raw = ev.raw();
        let start = json.find(raw).unwrap();
        for pos in start..start + raw.len() {
            let mut b = bytes.to_vec();
            b[pos] ^= 0x01;
            checked += 1;
            let Ok(s) = String::from_utf8(b) else {
                continue;
            }; // broken UTF-8: rejected as text
            let Ok(rec) = Record::parse(&s) else { continue }; // broken JSON or a now-invalid value
            match verify(&rec) {
                Err(e) => assert!(
                    e.path().starts_with(&format!("events[{i}]"))
                        || e.path().starts_with("events["),
                    "{}",
                    e.path()
                ),
                Ok(v) => panic!(
                    "flip at byte {} of event {} ({:?} -> {:?}) not detected: {v:?}",
                    pos - start,
                    ev.id,
                    bytes[pos] as char,
                    (bytes[pos] ^ 1) as char
                ),
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}

#[test]
fn the_first_changed_event_is_named() {
    let r = sealed_example();
    let tampered = r.to_json().replace("1,200件（1,200人）", "12件");
    let e = verify(&Record::parse(&tampered).unwrap()).unwrap_err();
    assert_eq!(e.path(), "events[5].seal.hash");
    assert!(e.to_string().contains("e6"), "{e}");
    // Dropping an event breaks the chain at the next one.
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    v["events"].as_array_mut().unwrap().remove(2);
    let e = verify(&Record::parse(&v.to_string()).unwrap()).unwrap_err();
    assert_eq!(e.path(), "events[2].seal.prev");
    // A changed contract changes the header the chain starts from.
    let tampered = r
        .to_json()
        .replace("\"profile\":\"nagaoka\"", "\"profile\":\"kimitsu\"");
    assert_eq!(
        verify(&Record::parse(&tampered).unwrap())
            .unwrap_err()
            .path(),
        "events[0].seal.prev"
    );
}

#[test]
fn appending_to_a_sealed_record_extends_the_chain() {
    let mut r = sealed_example();
    r.append_json(r#"{"id":"e8","at":"2026-11-03T09:00:00+09:00","type":"cause_analyzed","actor":"contractor","data":{"cause":"施錠確認漏れ"}}"#, Limits::default()).unwrap();
    let v = verify(&r).unwrap();
    assert_eq!((v.sealed, v.unsealed), (8, 0));
    // An unsealed record stays unsealed.
    let mut plain = Record::parse(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/nagaoka-usb-loss.json"
        ))
        .unwrap(),
    )
    .unwrap();
    plain
        .append_json(
            r#"{"id":"e8","at":"2026-11-03T09:00:00+09:00","type":"closed","actor":"other"}"#,
            Limits::default(),
        )
        .unwrap();
    // Nothing vouches for it: an unsealed record (or one whose seals were stripped) is not "ok".
    let e = verify(&plain).unwrap_err();
    assert_eq!((e.code(), e.path()), ("unsealed", "events[0].seal"));
}

#[test]
fn a_seal_key_written_with_an_escape_still_extends_the_chain() {
    // `"se\u0061l"` is the key `seal`: append must see it (it skips parsing only escape-free events
    // without the text "seal").
    let j = sealed_example().to_json();
    let at = j.rfind("\"seal\":").unwrap();
    let escaped = format!(
        "{}\"se\\u0061l\":{}",
        &j[..at],
        &j[at + "\"seal\":".len()..]
    );
    assert!(escaped.contains(r#""se\u0061l":"#));
    let mut r = Record::parse(&escaped).unwrap();
    assert_eq!(verify(&r).unwrap().sealed, 7);
    r.append_json(
        r#"{"id":"e8","at":"2026-11-03T09:00:00+09:00","type":"closed","actor":"other"}"#,
        Limits::default(),
    )
    .unwrap();
    let v = verify(&r).unwrap();
    assert_eq!((v.sealed, v.unsealed), (8, 0));
}

#[test]
fn an_unsealed_event_after_the_chain_is_named_until_resealed() {
    let r = sealed_example();
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    // A version-1 writer that knows nothing of seals appends an event.
    v["events"].as_array_mut().unwrap().push(serde_json::json!({"id": "e8", "at": "2026-11-03T09:00:00+09:00", "type": "closed", "actor": "other"}));
    let mut rec = Record::parse(&v.to_string()).unwrap();
    let e = verify(&rec).unwrap_err();
    assert_eq!(e.path(), "events[7].seal");
    assert_eq!(rec.seal().unwrap().sealed, 8);
    assert!(verify(&rec).is_ok());
}

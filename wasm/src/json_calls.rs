//! The exports' calls on JSON text, free of `JsValue` so they run (and are tested) on the host too.
//! Every function is a call into roei-core plus serialisation; the JS bindings in `lib.rs` only
//! convert arguments.
use roei_core::{evaluate, Error, Evaluation, Instant, Policy, Record};

/// A record read and evaluated at `at` (RFC 3339) under `policy` (default: docs/FORMATS.md's
/// targets), read in the order of `roei_core::check_json` (the CLI's path), so a bad record, `at`
/// or policy gives the same error; `status_doc` turns the evaluation into the status document.
pub fn evaluation(
    record: &str,
    at: &str,
    policy: Option<&str>,
) -> Result<(Record, Evaluation<'static>), Error> {
    let rec = Record::parse(record)?;
    let at = parse_at(at)?;
    let ev = evaluate(&rec, &at, &self::policy(policy)?);
    Ok((rec, ev))
}

/// The instant of `at`, with the error `check_json` gives.
pub fn parse_at(at: &str) -> Result<Instant, Error> {
    roei_core::record::parse_instant_arg(at, "at")
}

pub fn policy(text: Option<&str>) -> Result<Policy, Error> {
    match text {
        Some(p) => Policy::from_json(p),
        None => Ok(Policy::default()),
    }
}

/// A new record without events. The contracts go through the record reader, so their errors carry
/// the same paths (`contracts[0].profile`) as in a record read from a file.
pub fn create(id: &str, title: Option<&str>, contracts: &str) -> Result<Record, Error> {
    // A text that is not JSON is refused at `contracts` (the record's reader names the rest).
    let contracts = roei_core::json_guard::value(contracts, "contracts").map_err(|e| match e {
        Error::Json { message, .. } => Error::Json {
            path: "contracts".into(),
            message,
        },
        e => e,
    })?;
    // Built as a `Value` by hand: `serde_json::json!` would link serde_json's reader into the
    // engine (see `roei_core::json_guard::to_value`).
    use serde_json::Value;
    let mut doc = serde_json::Map::new();
    doc.insert("format".into(), roei_core::record::INCIDENT_FORMAT.into());
    doc.insert("id".into(), id.into());
    doc.insert("contracts".into(), contracts);
    doc.insert("events".into(), Value::Array(Vec::new()));
    if let Some(t) = title {
        doc.insert("title".into(), t.into());
    }
    let doc = Value::Object(doc);
    Record::parse(&doc.to_string())
}

/// `validate`'s answer for a record that reads: `{ "valid": true, "warnings" }`, as
/// `roei validate --json` writes it (keys sorted, as serde_json's `Value` keeps them).
pub fn valid_answer(rec: &Record) -> serde_json::Value {
    #[derive(serde::Serialize)]
    struct Valid<'a> {
        valid: bool,
        warnings: &'a [roei_core::Warning],
    }
    roei_core::json_guard::to_value(&Valid {
        valid: true,
        warnings: &rec.warnings,
    })
}

/// `validate`'s answer for a record that does not read: `{ "error", "valid": false }`.
pub fn invalid_answer(e: &Error) -> serde_json::Value {
    #[derive(serde::Serialize)]
    struct Invalid {
        error: roei_core::ErrorReport,
        valid: bool,
    }
    roei_core::json_guard::to_value(&Invalid {
        error: e.to_report(),
        valid: false,
    })
}

/// The `{ "error" }` entry of a batch (`checkMany`, `checkManyStates`) for a record that does not
/// read, as `roei check --json` prints an error.
pub fn error_answer(e: &Error) -> serde_json::Value {
    #[derive(serde::Serialize)]
    struct Failed {
        error: roei_core::ErrorReport,
    }
    roei_core::json_guard::to_value(&Failed {
        error: e.to_report(),
    })
}

/// `e<N>` with N one past the largest `e<N>` in the record (ids written elsewhere are left alone).
pub fn next_event_id(rec: &Record) -> String {
    let max = rec
        .events
        .iter()
        .filter_map(|e| e.id.strip_prefix('e')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("e{}", max.saturating_add(1))
}

/// Labels of the vocabularies (see `labels` in lib.rs).
pub fn labels() -> serde_json::Value {
    use roei_core::vocab::*;
    use serde_json::{Map, Value};
    fn group<T: Copy>(
        all: &[T],
        key: fn(T) -> &'static str,
        ja: fn(T) -> &'static str,
        en: fn(T) -> &'static str,
    ) -> Value {
        let mut m = Map::new();
        for &v in all {
            let mut pair = Map::new();
            pair.insert("ja".into(), ja(v).into());
            pair.insert("en".into(), en(v).into());
            m.insert(key(v).into(), Value::Object(pair));
        }
        Value::Object(m)
    }
    macro_rules! g {
        ($t:ty, $all:expr) => {
            group($all, <$t>::key, <$t>::ja, <$t>::en)
        };
    }
    // Built as a `Value` by hand: `serde_json::json!` would link serde_json's reader into the
    // engine (see `roei_core::json_guard::to_value`).
    let groups = [
        ("stage", g!(Stage, Stage::ALL)),
        ("term", g!(Term, Term::ALL)),
        ("party", g!(Party, Party::ALL)),
        ("state", g!(roei_core::State, &roei_core::State::ALL)),
        ("event_type", g!(EventType, EventType::ALL)),
        ("incident_kind", g!(IncidentKind, IncidentKind::ALL)),
        ("actor", g!(Actor, Actor::ALL)),
        ("field_key", g!(FieldKey, FieldKey::ALL)),
        ("fact", g!(Fact, Fact::ALL)),
    ];
    Value::Object(groups.into_iter().map(|(k, g)| (k.into(), g)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../examples/nagaoka-usb-loss.json");
    const AT: &str = "2026-11-02T18:00:00+09:00";

    #[test]
    fn evaluation_is_the_committed_cli_status() {
        // examples/nagaoka-usb-loss.status.json is the CLI's reviewed output at 18:00.
        let want = include_str!("../../examples/nagaoka-usb-loss.status.json");
        let (rec, ev) = evaluation(EXAMPLE, AT, None).unwrap();
        let got = serde_json::to_string_pretty(&ev.to_status(&rec)).unwrap();
        assert_eq!(got, want.trim_end());
    }

    #[test]
    fn a_policy_changes_due_times() {
        let p = r#"{"format":"roei/policy@1","targets":{"immediately":"PT2H"}}"#;
        let (_, ev) = evaluation(EXAMPLE, AT, Some(p)).unwrap();
        let report = ev
            .obligations
            .iter()
            .find(|o| o.clause.id == "nagaoka:13-1")
            .unwrap();
        assert_eq!(
            report.due.as_ref().map(roei_core::time::fmt_jst).as_deref(),
            Some("2026-11-02T12:15:00+09:00")
        );
        assert_eq!(report.target.map(|t| t.to_iso()).as_deref(), Some("PT2H"));
        let e = evaluation(EXAMPLE, AT, Some("{")).unwrap_err();
        assert_eq!(e.code(), "json");
    }

    #[test]
    fn bad_at_names_its_path() {
        let e = evaluation(EXAMPLE, "yesterday", None).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_value", "at"));
        assert_eq!(parse_at("2026-11-02T10:15:00").unwrap_err().path(), "at");
    }

    #[test]
    fn create_reports_contract_errors_with_paths() {
        let r = create(
            "INC-1",
            Some("件名"),
            r#"[{"id":"C1","profile":"nagaoka","principal":"長岡市"}]"#,
        )
        .unwrap();
        assert_eq!(
            r.to_json(),
            r#"{"format":"roei/incident@1","id":"INC-1","title":"件名","contracts":[{"id":"C1","profile":"nagaoka","principal":"長岡市"}],"events":[]}"#
        );
        let e = create(
            "INC-1",
            None,
            r#"[{"id":"C1","profile":"atlantis","principal":"X"}]"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("unknown_profile", "contracts[0].profile")
        );
        let e = create("INC-1", None, "[{").unwrap_err();
        assert_eq!((e.code(), e.path()), ("json", "contracts"));
        let e = create(" ", None, "[]").unwrap_err();
        assert_eq!(e.problems().len(), 2, "{e}");
        // The contracts text cannot smuggle other keys into the record.
        assert!(create("I", None, r#"[], "events": [{"id":"e1"}]"#).is_err());
    }

    #[test]
    fn next_event_id_follows_the_largest_e_number() {
        let mut r = Record::parse(EXAMPLE).unwrap();
        assert_eq!(next_event_id(&r), "e8");
        r.append_json(
            r#"{"id":"x-1","at":"2026-11-02T18:00:00+09:00","type":"closed","actor":"contractor"}"#,
            Default::default(),
        )
        .unwrap();
        r.append_json(
            r#"{"id":"e41","at":"2026-11-02T18:01:00+09:00","type":"closed","actor":"contractor"}"#,
            Default::default(),
        )
        .unwrap();
        assert_eq!(next_event_id(&r), "e42");
        let empty = create(
            "I",
            None,
            r#"[{"id":"C","profile":"sapporo","principal":"札幌市"}]"#,
        )
        .unwrap();
        assert_eq!(next_event_id(&empty), "e1");
    }

    #[test]
    fn labels_cover_every_state_in_both_languages() {
        let l = labels();
        for s in roei_core::State::ALL {
            let e = &l["state"][s.key()];
            assert!(
                e["ja"].as_str().is_some_and(|t| !t.is_empty())
                    && e["en"].as_str().is_some_and(|t| !t.is_empty()),
                "{s:?}"
            );
        }
        assert_eq!(
            l["event_type"].as_object().unwrap().len(),
            roei_core::vocab::EventType::ALL.len()
        );
    }

    /// The answers built without `serde_json::json!` (which links serde_json's reader into the
    /// engine) are the text `json!` built, byte for byte, over every example record and bad ones.
    #[test]
    fn answers_are_the_text_json_macro_wrote() {
        use serde_json::json;
        let mut records: Vec<String> = [
            "../examples",
            "../examples/national",
            "../tests/compat/0.1.0",
        ]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
        records.push(EXAMPLE.replace("\"loss\"", "\"teleport\""));
        records.push(EXAMPLE.replace("\"events\"", "\"events\": [], \"x\""));
        records.push("{".into());
        let (mut read, mut refused) = (0, 0);
        for text in &records {
            match Record::parse(text) {
                Ok(r) => {
                    read += 1;
                    let want = json!({ "valid": true, "warnings": r.warnings });
                    assert_eq!(valid_answer(&r).to_string(), want.to_string());
                }
                Err(e) => {
                    refused += 1;
                    let want = json!({ "valid": false, "error": e.to_report() });
                    assert_eq!(invalid_answer(&e).to_string(), want.to_string());
                    let want = json!({ "error": e.to_report() });
                    assert_eq!(error_answer(&e).to_string(), want.to_string());
                }
            }
        }
        assert!(read >= 6 && refused >= 3, "{read} read, {refused} refused");
        let c = roei_core::catalog::Catalog::builtin();
        let want = serde_json::Value::Array(
            c.profiles
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id, "kind": p.kind, "issuer": p.issuer, "title": p.title,
                        "seed": p.seed, "source": p.source,
                        "clauses": p.clauses.len(),
                        "incident_clauses": p.incident_clauses().count(),
                        "national": p.national,
                        "variants": p.variants,
                    })
                })
                .collect(),
        );
        assert_eq!(roei_core::profiles_json().to_string(), want.to_string());
        use roei_core::vocab::*;
        let pair = |ja: &str, en: &str| json!({ "ja": ja, "en": en });
        let stages: serde_json::Map<_, _> = Stage::ALL
            .iter()
            .map(|&s| (s.key().to_string(), pair(s.ja(), s.en())))
            .collect();
        let l = labels();
        assert_eq!(l["stage"], serde_json::Value::Object(stages));
        assert_eq!(
            l.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "actor",
                "event_type",
                "fact",
                "field_key",
                "incident_kind",
                "party",
                "stage",
                "state",
                "term"
            ]
        );
    }

    #[test]
    fn hostile_text_is_an_error_not_a_panic() {
        let deep = "[".repeat(100_000);
        for bad in ["", "null", "[]", "{\"format\":1}", deep.as_str(), "\u{0}", "{\"format\":\"roei/incident@1\",\"id\":\"I\",\"contracts\":[{\"id\":\"C\",\"profile\":\"nagaoka\",\"principal\":\"P\"}],\"events\":[{\"id\":\"e1\",\"at\":\"2026-13-45T99:00:00+09:00\",\"type\":\"detected\",\"actor\":\"contractor\",\"data\":{\"kind\":\"loss\"}}]}"] {
            assert!(evaluation(bad, AT, None).is_err(), "{:.40}", bad);
            assert!(create("I", None, bad).is_err());
        }
    }
}

//! Entry points shared by the cargo-fuzz targets (`fuzz/`) and the corpus replay test that CI runs
//! (`tests/tests/fuzz_corpus.rs`). Each takes untrusted text, drives the public API the way a portal
//! or a JS caller would, and asserts invariants: an `assert!` failing here is a bug the fuzzer found.
//! Nothing here may panic on its own account.
#![doc(hidden)]

use crate::eval::{ObligationStatus, State};
use crate::vocab::{Basis, Party, Stage, Term};
use crate::{evaluate, time, Limits, Policy, Record};

const INSTANTS: [&str; 3] = [
    "2026-11-02T09:00:00+09:00",
    "2026-11-05T12:00:00+09:00",
    "2027-03-01T00:00:00+09:00",
];

/// Statuses at several instants: the obligations, and the warning codes. An identical repeat of an
/// event is ignored on reading and so not written back: its warning (and the count of those past
/// the first 100, `warnings_omitted`), and the indices in later warnings' paths, are what a
/// write-back may change.
///
/// Compared field by field ([`Obligation`]), not as JSON text: serialising every obligation with its
/// two-language label, six times per input, was 85% of the `append` target's time.
fn statuses(r: &Record, p: &Policy) -> Statuses {
    INSTANTS
        .iter()
        .filter_map(|a| time::parse_instant(a))
        .map(|at| {
            let s = evaluate(r, &at, p).to_status(r);
            let codes: Vec<&'static str> = s
                .warnings
                .iter()
                .filter(|w| {
                    w.code != "duplicate_event_ignored"
                        && !(w.code == "warnings_omitted"
                            && w.message.contains("'duplicate_event_ignored'"))
                })
                .map(|w| w.code)
                .collect();
            (s.obligations, codes)
        })
        .collect()
}

/// Every field of an [`ObligationStatus`], by reference: what `roei/status@1` writes for one
/// obligation. Destructured without `..`, so a field added to the status fails to compile here
/// until it is compared too.
type Obligation<'a> = (
    (&'a str, &'a str, &'a str, Option<&'a str>, &'a str),
    (Stage, Party, Option<Party>, Party, Term, &'a str),
    (Option<&'a str>, Option<u32>, bool, Option<&'a str>),
    (Option<&'a str>, bool, State, &'a [&'static str]),
    (Option<&'a str>, &'a crate::catalog::Text, Basis, &'a str),
    (
        Option<&'a str>,
        Option<&'a str>,
        bool,
        bool,
        Option<&'a str>,
    ),
);

fn obligation(o: &ObligationStatus) -> Obligation<'_> {
    let ObligationStatus {
        clause,
        obligation,
        article,
        profile,
        contract,
        principal,
        stage,
        owed_by,
        jointly_with,
        owed_to,
        term,
        legal_term,
        target,
        days,
        written,
        trigger_at,
        due,
        hard,
        status,
        missing,
        done_at,
        label,
        basis,
        reportable_at,
        reportable_by,
        overdue_if_applicable,
        alternative,
        due_rolled_from,
    } = o;
    (
        (clause, obligation, profile, contract.as_deref(), principal),
        (*stage, *owed_by, *jointly_with, *owed_to, *term, legal_term),
        (target.as_deref(), *days, *written, trigger_at.as_deref()),
        (due.as_deref(), *hard, *status, missing),
        (done_at.as_deref(), label, *basis, article),
        (
            reportable_at.as_deref(),
            reportable_by.as_deref(),
            *overdue_if_applicable,
            *alternative,
            due_rolled_from.as_deref(),
        ),
    )
}

type Statuses = Vec<(Vec<ObligationStatus>, Vec<&'static str>)>;

/// The statuses of two records are the same, obligation for obligation and warning code for code;
/// if not, panics with `what` and both sides.
fn assert_same_statuses(a: &Statuses, b: &Statuses, what: &str) {
    let same = a.len() == b.len()
        && a.iter().zip(b).all(|((oa, wa), (ob, wb))| {
            wa == wb
                && oa.len() == ob.len()
                && oa
                    .iter()
                    .zip(ob)
                    .all(|(x, y)| obligation(x) == obligation(y))
        });
    assert!(same, "{what}\n left: {a:?}\nright: {b:?}");
}

/// Whether `s` has an object with a key written twice, by a reader written apart from
/// [`crate::json_guard`] (serde's own map access over every value): the oracle for "a repeated key is
/// never accepted". `None` when serde does not read `s` as JSON at all.
fn has_repeated_key(s: &str) -> Option<bool> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    struct Walk<'a>(&'a std::cell::Cell<bool>);
    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
            while a.next_element_seed(Walk(self.0))?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
            let mut keys = std::collections::HashSet::new();
            while let Some(k) = m.next_key::<String>()? {
                // arbitrary_precision hands a number over as a one-key map: not an object.
                if !keys.insert(k) {
                    self.0.set(true);
                }
                m.next_value_seed(Walk(self.0))?;
            }
            Ok(())
        }
    }
    let found = std::cell::Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(s);
    Walk(&found).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(found.get())
}

/// Limits a little above what `r` needs, varied by the input, so that the writers' size checks are
/// reached: `slack` bytes more than the written record and than its largest event.
fn tight_limits(r: &Record, slack: usize) -> Limits {
    Limits {
        max_bytes: r.to_json().len() + slack,
        max_event_bytes: r.events.iter().map(|e| e.raw().len()).max().unwrap_or(0) + slack / 2,
        ..Limits::default()
    }
}

/// A writer's result under `limits`: read back under the same limits (writer/reader symmetry).
fn assert_reads_back(r: &Record, limits: Limits, what: &str) {
    if let Err(e) = Record::parse_with(&r.to_json(), crate::Catalog::builtin(), limits) {
        panic!("{what}: the reader refuses what the writer kept: {e}");
    }
}

/// Record text: parse, evaluate at several instants, write back and re-read (same status), seal.
/// New rules (issue 14): an accepted record has no repeated key (by an independent reader); each
/// event's text survives the write-back and the seal byte for byte (so every number keeps its
/// spelling); a seal under tight limits either leaves the record as it was or gives one the reader
/// takes back under those limits.
pub fn record(s: &str) {
    // The hand-written reader reads what the serde reader it replaced read (fuzz builds only).
    #[cfg(fuzzing)]
    crate::record::agrees_with_reference(s);
    let parsed = Record::parse(s);
    if has_repeated_key(s) == Some(true) {
        assert!(parsed.is_err(), "a record with a repeated key was accepted");
    }
    let Ok(r) = parsed else { return };
    let p = Policy::default();
    let a = statuses(&r, &p);
    let back = r.to_json();
    let r2 = Record::parse(&back).expect("a record we wrote must read back");
    assert_same_statuses(&a, &statuses(&r2, &p), "write-back changed the status");
    let mut tight = r.clone();
    let limits = tight_limits(&r, s.len() % 1024);
    match tight.seal_within(&limits) {
        Ok(_) => {
            assert_reads_back(&tight, limits, "seal");
            for (before, after) in r.events.iter().zip(&tight.events) {
                let kept = before.raw().trim_end().trim_end_matches('}');
                assert!(
                    after.raw().starts_with(kept),
                    "the seal rewrote an event: {} -> {}",
                    before.raw(),
                    after.raw()
                );
            }
        }
        Err(_) => assert_eq!(tight.to_json(), back, "a refused seal changed the record"),
    }
    let _ = crate::terminal::status_table(
        &r,
        &evaluate(&r, &time::parse_instant(INSTANTS[1]).expect("instant"), &p),
        crate::lang::Lang::Ja,
    );
    let _ = crate::seal::verify(&r);
    let mut sealed = r.clone();
    if sealed.seal().is_ok() {
        assert!(
            crate::seal::verify(&sealed).is_ok(),
            "a record we sealed must verify"
        );
    }
}

/// Policy text, then the status of a fixed record under it.
pub fn policy(s: &str) {
    let Ok(p) = Policy::from_json(s) else { return };
    let rec = r#"{"format":"roei/incident@1","id":"F","contracts":[{"id":"C","profile":"nagaoka","principal":"市"}],
      "events":[{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak"}},
                {"id":"e2","at":"2026-11-02T11:00:00+09:00","type":"reported_to_principal","actor":"contractor","data":{"written":true}},
                {"id":"e3","at":"2026-11-02T11:30:00+09:00","type":"facts","actor":"contractor","data":{"sensitive":true,"encrypted":false}}]}"#;
    if let Ok(r) = Record::parse(rec) {
        let _ = statuses(&r, &p);
    }
}

/// `check_json(record, at, policy)` with the input split at the first two NUL-free `\u{1}` bytes.
pub fn check_json(s: &str) {
    let mut parts = s.splitn(3, '\u{1}');
    let rec = parts.next().unwrap_or("");
    let at = parts.next().unwrap_or(INSTANTS[1]);
    let pol = parts.next();
    let _ = crate::check_json(rec, at, pol);
}

/// A base record, then each line of the input appended as an event; a rejected event leaves the
/// record unchanged (its events, their order and its warnings), and at the end the grown record
/// equals itself written out and read back.
pub fn append(s: &str) {
    let base = r#"{"format":"roei/incident@1","id":"F","contracts":[{"id":"C1","profile":"sapporo","principal":"市"},{"id":"C2","profile":"kimitsu","principal":"町"}],"events":[]}"#;
    let Ok(mut r) = Record::parse(base) else {
        return;
    };
    let p = Policy::default();
    // Small limits the fuzzer can reach, so that the writers' refusals are exercised (issue 14):
    // whatever append or seal keeps, the reader takes back under the same limits.
    let limits = Limits {
        max_bytes: 2048 + s.len() % 2048,
        max_event_bytes: 256 + s.len() % 512,
        ..Limits::default()
    };
    for line in s.lines().take(64) {
        if line == "SEAL" {
            let before = r.to_json();
            match r.seal_within(&limits) {
                Ok(_) => assert_reads_back(&r, limits, "seal"),
                Err(_) => assert_eq!(r.to_json(), before, "a refused seal changed the record"),
            }
            continue;
        }
        let before = (r.events.len(), r.order.len(), r.warnings.len());
        let repeated = has_repeated_key(line) == Some(true);
        match r.append_json(line, limits) {
            Err(_) => assert_eq!(
                (r.events.len(), r.order.len(), r.warnings.len()),
                before,
                "a rejected event must leave the record unchanged"
            ),
            Ok(()) => {
                assert!(!repeated, "an event with a repeated key was accepted");
                if r.events.len() > before.0 {
                    assert_reads_back(&r, limits, "append");
                    // Kept byte for byte (the seal, on a sealed record, is added at the end).
                    let text = line.trim_matches([' ', '\t', '\r', '\n']);
                    let kept = r.events.last().map(|e| e.raw()).unwrap_or_default();
                    assert!(
                        kept == text || kept.starts_with(text.trim_end_matches('}')),
                        "append rewrote the event: {text} -> {kept}"
                    );
                }
            }
        }
    }
    if r.events.is_empty() {
        // Every line was rejected: the record is still the base (asserted above), the same for
        // every such input, so its write-back needs no second check. Most fuzz inputs end here
        // (61% of the minimised corpus of 2026-11-23).
        return;
    }
    let again = Record::parse(&r.to_json()).expect("appended record reads back");
    assert_same_statuses(
        &statuses(&r, &p),
        &statuses(&again, &p),
        "an appended record read back has another status",
    );
}

/// A scenario and a playthrough (split at the first `\u{1}`): validation, scoring, debrief, and a
/// short Monte Carlo run.
pub fn scenario(s: &str) {
    let (sc, pt) = s.split_once('\u{1}').unwrap_or((s, ""));
    if crate::drill::validate_scenario_json(sc).is_err() {
        return;
    }
    let _ = crate::drill::monte_carlo_json(sc, 20, 7);
    if !pt.is_empty() {
        let _ = crate::drill::score_json(sc, pt);
        let _ = crate::drill::debrief_json(sc, pt, "ja", "html");
    }
}

/// Every report kind in every format and language, the timeline and the calendar, of a record.
pub fn report(s: &str) {
    let Ok(r) = Record::parse(s) else { return };
    let Some(at) = time::parse_instant(INSTANTS[1]) else {
        return;
    };
    let ev = evaluate(&r, &at, &Policy::default());
    for kind in crate::report::Kind::ALL {
        for format in crate::report::Format::ALL {
            for lang in [crate::lang::Lang::Ja, crate::lang::Lang::En] {
                let out = crate::report::report_for(&r, &ev, kind, lang, format);
                if let (Ok(text), crate::report::Format::Html) = (&out, format) {
                    // Escaped everywhere: the only tags are the template's, never a script.
                    assert!(!text.contains("<script"), "a script in an HTML report");
                }
            }
        }
    }
    let _ = crate::report::timeline_svg(&r, &ev, crate::lang::Lang::Ja);
    let _ = crate::report::ics(&r, &ev, crate::lang::Lang::Ja);
}

/// The drill page's calls (`roei/drill`: state, act, export, resume) on one of `scenarios` (the
/// library's, `roei_tests::DRILL_LIBRARY`: real scenarios reach the replay, injects, prompts and
/// scoring that a random one rarely does; passed in so the published crate embeds no example
/// files) chosen by the first character, with the rest split at `\u{1}` into the playthrough, the clock (seconds),
/// the role, the event type and the form's answers. A recorded action gives a playthrough whose
/// state reads back at the same clock and whose export the CLI's scorer accepts.
pub fn drill_live(scenarios: &[&str], s: &str) {
    use crate::drill;
    let mut chars = s.chars();
    let Some(pick) = chars.next() else { return };
    let Some(sc) = scenarios.get(pick as usize % scenarios.len().max(1)) else {
        return;
    };
    let mut parts = chars.as_str().splitn(5, '\u{1}');
    let pt = parts.next().unwrap_or("");
    let at: f64 = parts
        .next()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(3600.0);
    let role = parts.next().unwrap_or("lead");
    let event_type = parts.next().unwrap_or("reported_to_principal");
    let answers = parts.next().unwrap_or("{}");

    let _ = drill::state_json(sc, pt, at);
    let _ = drill::export_json(sc, pt, at);
    let _ = drill::resume_json(sc, pt);
    if let Ok(out) = drill::act_json(sc, pt, at, role, event_type, answers) {
        let v: serde_json::Value = serde_json::from_str(&out).expect("act returns JSON");
        let grown = v["playthrough"].to_string();
        assert!(
            drill::state_json(sc, &grown, at).is_ok(),
            "the grown playthrough reads back at the action's clock"
        );
        let export = drill::export_json(sc, &grown, at).expect("a grown playthrough exports");
        assert!(
            drill::score_json(sc, &export).is_ok(),
            "the CLI's scorer accepts what the page exports"
        );
    }
}

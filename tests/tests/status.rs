//! `status(record, at, policy)` against docs/FORMATS.md, the contracts' clauses and the law.
use roei_core::{Policy, State};
use roei_tests::*;
use serde_json::json;

const T0: &str = "2026-11-02T10:00:00+09:00";

fn plus(mins: i64) -> String {
    roei_core::time::fmt_jst(&(at(T0) + chrono::Duration::minutes(mins)))
}

/// The whole lifecycle of every contract profile: each obligation starts at its trigger, gets the
/// due time its term gives, and is completed by its own event.
#[test]
fn every_obligation_runs_from_trigger_to_done() {
    for profile in ["nagaoka", "kimitsu", "sapporo", "nerima", "hirono"] {
        let base = Rec::one(profile)
            .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
            .ev(&plus(1), "facts", "contractor", reportable_facts())
            .ev(
                &plus(120),
                "reported_to_principal",
                "contractor",
                json!({"written": true, "fields": all_fields()}),
            )
            .ev(
                &plus(180),
                "instruction_received",
                "principal",
                json!({"text": "本人に通知せよ"}),
            );

        // 30 minutes in: the incident's own duties run; the principal does not know yet.
        let s = base.status(&plus(30));
        for o in &s.obligations {
            let c = roei_core::Catalog::builtin()
                .profile(&o.profile)
                .unwrap()
                .clause(&o.obligation)
                .unwrap();
            match c.trigger {
                roei_core::vocab::Trigger::Incident => {
                    assert_eq!(
                        o.trigger_at.as_deref(),
                        Some(T0),
                        "{profile} {}",
                        o.obligation
                    );
                    assert_eq!(o.status, State::Pending, "{profile} {}", o.obligation);
                }
                _ => {
                    assert!(o.trigger_at.is_none(), "{profile} {}", o.obligation);
                    assert_eq!(o.status, State::Waiting, "{profile} {}", o.obligation);
                }
            }
        }

        // Four hours in: the principal knew at +2h, instructed at +3h.
        let s = base.status(&plus(240));
        for o in &s.obligations {
            let c = roei_core::Catalog::builtin()
                .profile(&o.profile)
                .unwrap()
                .clause(&o.obligation)
                .unwrap();
            let trigger = match c.trigger {
                roei_core::vocab::Trigger::Incident => at(T0),
                roei_core::vocab::Trigger::PrincipalKnows => at(&plus(120)),
                roei_core::vocab::Trigger::Instruction => at(&plus(180)),
                roei_core::vocab::Trigger::Standing => unreachable!(),
            };
            assert_eq!(
                o.trigger_at.as_deref().map(at),
                Some(trigger),
                "{profile} {} trigger",
                o.obligation
            );
            let due = match o.term {
                roei_core::vocab::Term::Immediately => Some(trigger + chrono::Duration::hours(1)),
                roei_core::vocab::Term::Promptly => Some(trigger + chrono::Duration::days(3)),
                // Knowing on 11/2: the day is not counted, day 30 is 12/2, the period ends at 24:00.
                roei_core::vocab::Term::Days => Some(at("2026-12-03T00:00:00+09:00")),
                _ => None,
            };
            assert_eq!(
                o.due.as_deref().map(at),
                due,
                "{profile} {} due",
                o.obligation
            );
            assert_eq!(o.hard, o.term == roei_core::vocab::Term::Days);
        }

        // Every completing event, at +5h.
        let done = base
            .ev(
                &plus(300),
                "containment_started",
                "contractor",
                json!({"measures": "遮断"}),
            )
            .ev(
                &plus(300),
                "subjects_notified",
                "principal",
                json!({"method": "individual", "count": 500}),
            )
            .ev(
                &plus(300),
                "cause_analyzed",
                "contractor",
                json!({"cause": "設定誤り"}),
            )
            .ev(
                &plus(300),
                "prevention_implemented",
                "contractor",
                json!({"measures": "二重確認"}),
            )
            .ev(
                &plus(300),
                "record_submitted",
                "contractor",
                json!({"written": true, "fields": all_fields()}),
            )
            .ev(
                &plus(300),
                "ppc_preliminary_reported",
                "principal",
                json!({"fields": {"summary": "速報"}}),
            )
            .ev(
                &plus(300),
                "ppc_final_reported",
                "principal",
                json!({"fields": all_fields()}),
            )
            .ev(
                &plus(300),
                "published",
                "principal",
                json!({"by": "principal"}),
            )
            .ev(
                &plus(300),
                "published",
                "contractor",
                json!({"by": "contractor"}),
            );
        let s = done.status(&plus(301));
        for o in &s.obligations {
            let late = o
                .due
                .as_deref()
                .is_some_and(|d| at(o.done_at.as_deref().unwrap()) > at(d));
            let want = if late { State::DoneLate } else { State::Done };
            assert_eq!(
                o.status, want,
                "{profile} {} (due {:?}, done {:?})",
                o.obligation, o.due, o.done_at
            );
            assert!(
                o.missing.is_empty(),
                "{profile} {} missing {:?}",
                o.obligation,
                o.missing
            );
        }
        // The report to the principal came two hours after the incident: late wherever it is 直ちに.
        let report = s
            .obligations
            .iter()
            .find(|o| o.stage == roei_core::vocab::Stage::Report)
            .unwrap();
        let want = if report.term == roei_core::vocab::Term::Immediately {
            State::DoneLate
        } else {
            State::Done
        };
        assert_eq!(report.status, want, "{profile}");
    }
}

/// docs/FORMATS.md's record and status examples.
#[test]
fn interchange_example() {
    let r = Rec::new(json!([{ "id": "R8-0123", "profile": "nagaoka", "principal": "長岡市", "contractor": "株式会社例示" }]))
        .ev("2026-11-02T10:15:00+09:00", "detected", "contractor", json!({"kind": "loss", "signs_only": false, "summary": "USBメモリが所在不明"}))
        .ev("2026-11-02T11:30:00+09:00", "reported_to_principal", "contractor",
            json!({"contract": "R8-0123", "written": true, "fields": {"content": "氏名・住所", "location": "作業場所", "circumstances": "所在不明"}}));
    let s = r.status("2026-11-02T12:00:00+09:00");
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["format"], "roei/status@1");
    assert_eq!(
        v["incident"],
        "INC-2026-0042".replace("INC-2026-0042", "T-1")
    );
    assert_eq!(v["at"], "2026-11-02T12:00:00+09:00");
    assert!(v["warnings"].as_array().unwrap().is_empty());
    let o = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "nagaoka:13-1")
        .unwrap();
    let want = json!({ "clause": "nagaoka:13-1", "contract": "R8-0123", "stage": "report",
      "owed_by": "contractor", "owed_to": "principal",
      "term": "immediately", "legal_term": "直ちに", "written": true,
      "trigger_at": "2026-11-02T10:15:00+09:00", "due": "2026-11-02T11:15:00+09:00", "hard": false,
      "status": "overdue", "missing": ["count"], "done_at": null });
    for (k, val) in want.as_object().unwrap() {
        assert_eq!(&o[k], val, "field {k}");
    }
    // National duties are per principal, contract null, with a principal field.
    let n = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "appi-local-gov:68-1-final")
        .unwrap();
    assert_eq!(n["contract"], serde_json::Value::Null);
    assert_eq!(n["principal"], "長岡市");
}

#[test]
fn every_status_value_is_reached() {
    let mut seen = std::collections::HashSet::new();
    let cases = [
        // signs under an occurrence-only profile: waiting; facts unknown: undetermined
        Rec::one("kimitsu")
            .ev(
                T0,
                "detected",
                "contractor",
                json!({"kind": "leak", "signs_only": true}),
            )
            .status(&plus(10)),
        Rec::one("nagaoka")
            .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
            .ev(
                &plus(30),
                "reported_to_principal",
                "contractor",
                json!({"written": true, "fields": all_fields()}),
            )
            .ev(
                &plus(40),
                "facts",
                "contractor",
                json!({"my_number": false}),
            )
            .status(&plus(90)),
        Rec::one("nagaoka")
            .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
            .status(&plus(90)),
        Rec::one("nagaoka")
            .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
            .ev(
                &plus(70),
                "reported_to_principal",
                "contractor",
                json!({"written": true, "fields": all_fields()}),
            )
            .status(&plus(90)),
        Rec::one("nagaoka")
            .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
            .status(&plus(10)),
    ];
    for s in &cases {
        for o in &s.obligations {
            seen.insert(o.status);
        }
    }
    for st in State::ALL {
        assert!(seen.contains(st), "{st:?} never reached");
    }
    // And specifically:
    assert_eq!(cases[0].state("kimitsu:16-1"), State::Waiting);
    assert_eq!(cases[1].state("nagaoka:13-1"), State::Done);
    assert_eq!(
        cases[1].state("appi-local-gov:68-1-preliminary"),
        State::Undetermined
    );
    assert_eq!(
        cases[1].state("mynumber:29-4-preliminary"),
        State::NotApplicable
    );
    assert_eq!(cases[1].state("nagaoka:13-3"), State::Optional);
    assert_eq!(cases[2].state("nagaoka:13-1"), State::Overdue);
    assert_eq!(cases[3].state("nagaoka:13-1"), State::DoneLate);
    assert_eq!(cases[4].state("nagaoka:13-1"), State::Pending);
}

fn ppc(facts: serde_json::Value) -> roei_core::Status {
    ppc_with(facts, &Policy::default())
}

fn ppc_with(facts: serde_json::Value, policy: &Policy) -> roei_core::Status {
    Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(
            T0,
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        )
        .ev(&plus(5), "facts", "contractor", facts)
        .status_with(&plus(60), policy)
}

/// The policy option that leaves a duty undetermined until `encrypted` is recorded.
fn wait_for_encryption() -> Policy {
    Policy::from_json(r#"{"format":"roei/policy@1","unknown_encryption":"undetermined"}"#).unwrap()
}

#[test]
fn rule_43_head_count_is_more_than_100() {
    let base = json!({"sensitive": false, "financial_damage_risk": false, "improper_purpose": false, "encrypted": false});
    let mut f = base.clone();
    f["subjects_count"] = 100.into();
    assert_eq!(
        ppc(f.clone()).state("appi-local-gov:68-1-final"),
        State::NotApplicable,
        "100 persons"
    );
    f["subjects_count"] = 101.into();
    assert_eq!(
        ppc(f).state("appi-local-gov:68-1-final"),
        State::Pending,
        "101 persons"
    );
    // My Number: more than 100 as well, no threshold inside a My Number system.
    let mn = |n: u64, sys: bool| {
        ppc(json!({"my_number": true, "my_number_system": sys, "improper_purpose": false, "public_exposure": false, "subjects_count": n}))
            .state("mynumber:29-4-final")
    };
    assert_eq!(mn(100, false), State::NotApplicable);
    assert_eq!(mn(101, false), State::Pending);
    assert_eq!(mn(1, true), State::Pending);
}

#[test]
fn rule_43_each_item_and_the_encryption_carve_out() {
    let no = json!({"sensitive": false, "financial_damage_risk": false, "improper_purpose": false, "encrypted": false, "subjects_count": 3});
    assert_eq!(
        ppc(no.clone()).state("appi-local-gov:68-1-preliminary"),
        State::NotApplicable
    );
    for item in [
        "sensitive",
        "financial_damage_risk",
        "improper_purpose",
        "ordinance_sensitive",
    ] {
        let mut f = no.clone();
        f[item] = true.into();
        assert_eq!(
            ppc(f.clone()).state("appi-local-gov:68-1-preliminary"),
            State::Pending,
            "{item}"
        );
        f["encrypted"] = true.into();
        assert_eq!(
            ppc(f.clone()).state("appi-local-gov:68-1-preliminary"),
            State::NotApplicable,
            "{item} encrypted"
        );
        f.as_object_mut().unwrap().remove("encrypted");
        // The exclusion needs the measure taken (「講じたもの」): by default an unrecorded
        // encryption does not exclude; the `undetermined` option waits for the fact.
        assert_eq!(
            ppc(f.clone()).state("appi-local-gov:68-1-preliminary"),
            State::Pending,
            "{item} encryption unknown, default policy"
        );
        let s = ppc_with(f, &wait_for_encryption());
        assert_eq!(
            s.state("appi-local-gov:68-1-preliminary"),
            State::Undetermined,
            "{item} encryption unknown"
        );
        assert_eq!(
            s.get("appi-local-gov:68-1-preliminary").missing,
            ["encrypted"]
        );
    }
    // Nothing known: every deciding fact is asked for, and the would-be due time is still shown.
    let s = ppc_with(json!({}), &wait_for_encryption());
    let o = s.get("appi-local-gov:68-1-final");
    assert_eq!(o.status, State::Undetermined);
    assert_eq!(
        o.missing,
        [
            "personal_info",
            "sensitive",
            "financial_damage_risk",
            "improper_purpose",
            "subjects_count",
            "encrypted"
        ]
    );
    assert!(o.due.is_some());
}

#[test]
fn final_report_day_counts() {
    let f = json!({"sensitive": true, "encrypted": false, "improper_purpose": false});
    let s = ppc(f.clone());
    assert_eq!(
        s.get("appi-local-gov:68-1-final").due.as_deref(),
        Some("2026-12-03T00:00:00+09:00"),
        "civil code: end of D+30"
    );
    let strict = Policy::from_json(r#"{"format":"roei/policy@1","day_count":"strict"}"#).unwrap();
    let r = Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(
            T0,
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        )
        .ev(&plus(5), "facts", "contractor", f);
    assert_eq!(
        r.status_with(&plus(60), &strict)
            .get("appi-local-gov:68-1-final")
            .due
            .as_deref(),
        Some("2026-12-02T00:00:00+09:00"),
        "strict: end of D+29"
    );
    // 不正の目的: 60 days even when other items apply too. Day 60 is 1/1, an administrative
    // holiday like 1/2 and 1/3 (a Sunday): the filing to the PPC rolls to Monday 1/4.
    let s = ppc(json!({"sensitive": true, "encrypted": false, "improper_purpose": true}));
    assert_eq!(
        s.get("appi-local-gov:68-1-final").due.as_deref(),
        Some("2027-01-05T00:00:00+09:00")
    );
    assert_eq!(s.get("appi-local-gov:68-1-final").days, Some(60));
    // The 60-day rule follows the fact: an unknown improper purpose keeps the earlier 30 days.
    let s = ppc(json!({"sensitive": true, "encrypted": false}));
    assert_eq!(s.get("appi-local-gov:68-1-final").days, Some(30));
}

#[test]
fn deadlines_are_counted_in_japan_time() {
    // 2026-11-02T00:30+09:00 is 2026-11-01T15:30Z: the day of knowing is Nov 2 in Japan.
    let r = Rec::one("nagaoka")
        .ev(
            "2026-11-01T15:30:00Z",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .ev(
            "2026-11-01T15:30:00Z",
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        )
        .ev(
            "2026-11-01T15:31:00Z",
            "facts",
            "contractor",
            json!({"sensitive": true, "encrypted": false, "improper_purpose": false}),
        );
    let s = r.status("2026-11-02T09:00:00+09:00");
    assert_eq!(
        s.get("appi-local-gov:68-1-final").due.as_deref(),
        Some("2026-12-03T00:00:00+09:00")
    );
    // The clock runs from the facts that made it reportable (Rules Art. 44), a minute later.
    assert_eq!(
        s.get("appi-local-gov:68-1-final").trigger_at.as_deref(),
        Some("2026-11-02T00:31:00+09:00")
    );
}

#[test]
fn holiday_roll_forward_is_optional() {
    // Knowing 2026-08-22: day 30 is 9/21 (敬老の日), then 9/22 休日 and 9/23 秋分の日.
    let r = Rec::one("nagaoka")
        .ev(
            "2026-08-22T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .ev(
            "2026-08-22T10:00:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        )
        .ev(
            "2026-08-22T10:01:00+09:00",
            "facts",
            "contractor",
            json!({"sensitive": true, "encrypted": false, "improper_purpose": false}),
        );
    // On by default (行政機関の休日に関する法律 Art. 2): 9/21-9/23 are holidays, 9/24 is open.
    assert_eq!(
        r.status("2026-08-23T10:00:00+09:00")
            .get("appi-local-gov:68-1-final")
            .due
            .as_deref(),
        Some("2026-09-25T00:00:00+09:00")
    );
    let off =
        Policy::from_json(r#"{"format":"roei/policy@1","holiday_roll_forward":false}"#).unwrap();
    assert_eq!(
        r.status_with("2026-08-23T10:00:00+09:00", &off)
            .get("appi-local-gov:68-1-final")
            .due
            .as_deref(),
        Some("2026-09-22T00:00:00+09:00")
    );
}

#[test]
fn operating_targets_come_from_the_policy_and_the_legal_term_stays() {
    let r = Rec::one("nagaoka").ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    let p = Policy::from_json(r#"{"format":"roei/policy@1","targets":{"immediately":"PT30M"}}"#)
        .unwrap();
    let s = r.status_with(&plus(10), &p);
    let o = s.get("nagaoka:13-1");
    assert_eq!(o.due.as_deref(), Some("2026-11-02T10:30:00+09:00"));
    assert_eq!(o.target.as_deref(), Some("PT30M"));
    assert_eq!(o.legal_term, "直ちに");
    assert_eq!(
        r.status(&plus(10)).get("nagaoka:13-1").due.as_deref(),
        Some("2026-11-02T11:00:00+09:00")
    );
    // No time word: no due unless the policy gives one.
    let r = Rec::one("nerima").ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    assert_eq!(r.status(&plus(10)).get("nerima:19-1(2)").due, None);
    let p = Policy::from_json(r#"{"format":"roei/policy@1","targets":{"unspecified":"P14D"}}"#)
        .unwrap();
    assert_eq!(
        r.status_with(&plus(10), &p)
            .get("nerima:19-1(2)")
            .due
            .as_deref(),
        Some("2026-11-16T10:00:00+09:00")
    );
}

#[test]
fn signs_trigger_only_where_the_clause_says_so() {
    let signs = json!({"kind": "leak", "signs_only": true});
    for (profile, report, owed_from_signs) in [
        ("nagaoka", "nagaoka:13-1", true),
        ("sapporo", "sapporo:16-1", true),
        ("nerima", "nerima:19-1(1)/report", true),
        ("kimitsu", "kimitsu:16-1", false),
        ("hirono", "hirono:16-1", false),
    ] {
        let r = Rec::one(profile).ev(T0, "detected", "contractor", signs.clone());
        let s = r.status(&plus(10));
        let want = if owed_from_signs {
            State::Pending
        } else {
            State::Waiting
        };
        assert_eq!(s.state(report), want, "{profile} signs");
        // Confirmation starts the occurrence-only clocks at the confirmation.
        let s = r
            .ev(&plus(100), "confirmed", "contractor", json!({}))
            .status(&plus(110));
        let o = s.get(report);
        let trig = if owed_from_signs {
            T0.to_string()
        } else {
            plus(100)
        };
        assert_eq!(
            o.trigger_at.as_deref(),
            Some(trig.as_str()),
            "{profile} trigger"
        );
    }
}

#[test]
fn a_dismissal_keeps_what_signs_already_triggered() {
    let r = Rec::one("nagaoka")
        .ev(
            T0,
            "detected",
            "contractor",
            json!({"kind": "leak", "signs_only": true}),
        )
        .ev(
            &plus(30),
            "dismissed",
            "contractor",
            json!({"reason": "誤検知"}),
        );
    let s = r.status(&plus(90));
    assert_eq!(
        s.state("nagaoka:13-1"),
        State::Overdue,
        "the report was owed from the signs"
    );
    assert_eq!(
        s.state("appi-local-gov:68-1-preliminary"),
        State::NotApplicable,
        "the city never knew before the dismissal"
    );
    assert!(s.warnings.iter().any(|w| w.code == "dismissed_but_owed"));
    // Occurrence-only: signs then dismissal, nothing was ever owed.
    let s = Rec::one("kimitsu")
        .ev(
            T0,
            "detected",
            "contractor",
            json!({"kind": "leak", "signs_only": true}),
        )
        .ev(
            &plus(30),
            "dismissed",
            "contractor",
            json!({"reason": "誤検知"}),
        )
        .status(&plus(90));
    assert!(
        s.obligations
            .iter()
            .all(|o| o.status == State::NotApplicable),
        "{:?}",
        s.obligations
            .iter()
            .map(|o| (&o.obligation, o.status))
            .collect::<Vec<_>>()
    );
}

#[test]
fn violations_count_for_sapporo_and_nerima_only() {
    for (profile, report, counts) in [
        ("nagaoka", "nagaoka:13-1", false),
        ("kimitsu", "kimitsu:16-1", false),
        ("sapporo", "sapporo:16-1", true),
        ("nerima", "nerima:19-1(1)/report", true),
        ("hirono", "hirono:16-1", false),
    ] {
        let s = Rec::one(profile)
            .ev(
                T0,
                "detected",
                "contractor",
                json!({"kind": "violation", "signs_only": true}),
            )
            .status(&plus(10));
        assert_eq!(
            s.state(report),
            if counts {
                State::Pending
            } else {
                State::NotApplicable
            },
            "{profile}"
        );
        // A violation is not a leak, loss or damage: no national duty.
        assert_eq!(
            s.state("appi-local-gov:68-1-preliminary"),
            State::NotApplicable,
            "{profile}"
        );
    }
}

#[test]
fn written_form_is_required_only_where_the_clause_says_shomen() {
    let oral = json!({"written": false, "fields": all_fields()});
    let s = Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
        .ev(
            &plus(10),
            "reported_to_principal",
            "contractor",
            oral.clone(),
        )
        .status(&plus(20));
    assert_eq!(s.state("nagaoka:13-1"), State::Pending);
    assert_eq!(s.get("nagaoka:13-1").missing, ["written"]);
    let s = Rec::one("kimitsu")
        .ev(T0, "detected", "contractor", json!({"kind": "loss"}))
        .ev(&plus(10), "reported_to_principal", "contractor", oral)
        .status(&plus(20));
    assert_eq!(s.state("kimitsu:16-1"), State::Done);
}

#[test]
fn a_follow_up_report_completes_the_first() {
    let r = Rec::one("sapporo")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(&plus(20), "reported_to_principal", "contractor", json!({"written": true, "fields": {"content": "氏名", "location": "庁舎", "circumstances": "誤送信"}}));
    let s = r.status(&plus(30));
    assert_eq!(s.state("sapporo:16-1"), State::Pending);
    assert_eq!(s.get("sapporo:16-1").missing, ["count"]);
    let s = r
        .ev(
            &plus(50),
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": {"count": 12}}),
        )
        .status(&plus(60));
    assert_eq!(s.state("sapporo:16-1"), State::Done);
    assert_eq!(
        s.get("sapporo:16-1").done_at.as_deref(),
        Some(plus(50).as_str())
    );
}

#[test]
fn several_contracts_each_owed_to_its_own_principal() {
    let r = Rec::new(json!([
        { "id": "K-1", "profile": "kimitsu", "principal": "君津市" },
        { "id": "S-1", "profile": "sapporo", "principal": "札幌市" },
        { "id": "S-2", "profile": "sapporo", "principal": "札幌市" }
    ]))
    .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
    .ev(
        &plus(10),
        "reported_to_principal",
        "contractor",
        json!({"contract": "S-1", "written": true, "fields": all_fields()}),
    )
    .ev(&plus(11), "facts", "contractor", reportable_facts());
    let s = r.status(&plus(20));
    let reports: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.stage == roei_core::vocab::Stage::Report)
        .map(|o| (o.contract.clone().unwrap(), o.status))
        .collect();
    assert_eq!(
        reports,
        [
            ("K-1".into(), State::Pending),
            ("S-1".into(), State::Done),
            ("S-2".into(), State::Pending)
        ]
    );
    // National duties once per principal; 札幌市 knows (the S-1 report), 君津市 does not yet.
    let prelim: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.clause == "appi-local-gov:68-1-preliminary")
        .map(|o| (o.principal.clone(), o.status))
        .collect();
    assert_eq!(
        prelim,
        [
            ("君津市".into(), State::Waiting),
            ("札幌市".into(), State::Pending)
        ]
    );
}

#[test]
fn the_principals_clock_starts_at_its_own_earlier_knowledge() {
    let r = Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(&plus(5), "principal_aware", "principal", json!({}))
        .ev(&plus(6), "facts", "contractor", reportable_facts())
        .ev(
            &plus(600),
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        );
    // The principal knew at +5 min; the facts made it reportable at +6 (Rules Art. 44); the
    // contractor's report at +10 h does not delay it.
    let s = r.status(&plus(700));
    assert_eq!(
        s.get("appi-local-gov:68-1-preliminary")
            .trigger_at
            .as_deref(),
        Some(plus(6).as_str())
    );
}

#[test]
fn national_layers_can_be_chosen_per_contract() {
    let r = Rec::new(
        json!([{ "id": "C1", "profile": "nagaoka", "principal": "長岡市", "national": [] }]),
    )
    .ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    assert!(r
        .status(&plus(1))
        .obligations
        .iter()
        .all(|o| o.profile == "nagaoka"));
    let r = Rec::new(json!([{ "id": "C1", "profile": "nagaoka", "principal": "長岡市", "national": ["appi-local-gov"] }])).ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    assert!(r
        .status(&plus(1))
        .obligations
        .iter()
        .all(|o| o.profile != "mynumber"));
}

#[test]
fn kimitsu_notice_follows_the_instruction() {
    let base = Rec::one("kimitsu").ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    assert_eq!(
        base.status(&plus(10)).state("kimitsu:16-2/notify"),
        State::Waiting
    );
    let s = Rec::one("kimitsu")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(
            &plus(30),
            "instruction_received",
            "principal",
            json!({"notify_subjects": false, "text": "通知不要"}),
        )
        .status(&plus(40));
    assert_eq!(s.state("kimitsu:16-2/notify"), State::NotApplicable);
    // Best effort publication by the contractor: pending until the contractor publishes (the city's publication does not count).
    let r = base.ev(
        &plus(50),
        "published",
        "principal",
        json!({"by": "principal"}),
    );
    assert_eq!(r.status(&plus(60)).state("kimitsu:16-3"), State::Pending);
    let r = r.ev(
        &plus(70),
        "published",
        "contractor",
        json!({"by": "contractor"}),
    );
    assert_eq!(r.status(&plus(80)).state("kimitsu:16-3"), State::Done);
}

#[test]
fn hirono_items_are_omittable_per_contract() {
    let r = Rec::new(json!([{ "id": "H1", "profile": "hirono", "principal": "洋野町", "variant": "type3", "omit": ["hirono:16-2"] }])).ev(T0, "detected", "contractor", json!({"kind": "leak"}));
    let s = r.status(&plus(1));
    assert!(s.obligations.iter().all(|o| o.obligation != "hirono:16-2"));
    assert!(s.obligations.iter().any(|o| o.obligation == "hirono:16-1"));
    assert!(!s.warnings.iter().any(|w| w.code == "variant_not_given"));
    let s = Rec::one("hirono")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .status(&plus(1));
    assert!(s.warnings.iter().any(|w| w.code == "variant_not_given"));
    // 委託基準 binds the town itself: a contract cannot leave it out.
    let bad = Rec::new(
        json!([{ "id": "H1", "profile": "hirono", "principal": "洋野町", "omit": ["hirono:std7/contain"] }]),
    );
    let e = roei_core::Record::parse(&bad.v.to_string()).unwrap_err();
    assert_eq!(e.path(), "contracts[0].omit[0]");
    assert_eq!(e.clause(), Some("hirono:std7"));
}

#[test]
fn events_dated_late_count_at_their_own_instant() {
    let r = Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(
            &plus(200),
            "facts",
            "contractor",
            json!({"subjects_count": 3}),
        )
        .ev(
            &plus(30),
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        );
    let s = r.status(&plus(300));
    assert_eq!(s.state("nagaoka:13-1"), State::Done);
    assert_eq!(
        s.get("nagaoka:13-1").done_at.as_deref(),
        Some(plus(30).as_str())
    );
    assert!(s
        .warnings
        .iter()
        .any(|w| w.code == "event_out_of_order" && w.path == "events[2].at"));
    // An instant before the report: the report does not count yet, and the later events are flagged as ignored.
    let s = r.status(&plus(20));
    assert_eq!(s.state("nagaoka:13-1"), State::Pending);
    assert!(s.warnings.iter().any(|w| w.code == "future_events_ignored"));
}

#[test]
fn instants_are_compared_as_instants() {
    let jst = Rec::one("nagaoka").ev(
        "2026-11-02T10:00:00+09:00",
        "detected",
        "contractor",
        json!({"kind": "leak"}),
    );
    let utc = Rec::one("nagaoka").ev(
        "2026-11-02T01:00:00Z",
        "detected",
        "contractor",
        json!({"kind": "leak"}),
    );
    let a = serde_json::to_string(&jst.status("2026-11-02T10:30:00+09:00")).unwrap();
    let b = serde_json::to_string(&utc.status("2026-11-02T01:30:00+00:00")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_ppc_report_can_name_its_layer() {
    let base = Rec::one("nagaoka")
        .ev(T0, "detected", "contractor", json!({"kind": "leak"}))
        .ev(
            T0,
            "reported_to_principal",
            "contractor",
            json!({"written": true, "fields": all_fields()}),
        )
        .ev(&plus(5), "facts", "contractor", reportable_facts());
    // Without a layer, one report answers both (version-1 behaviour).
    let s = base
        .clone()
        .ev(
            &plus(60),
            "ppc_preliminary_reported",
            "principal",
            json!({}),
        )
        .status(&plus(70));
    assert_eq!(s.state("appi-local-gov:68-1-preliminary"), State::Done);
    assert_eq!(s.state("mynumber:29-4-preliminary"), State::Done);
    // The My Number form is separate: an APPI report leaves it pending.
    let s = base
        .ev(
            &plus(60),
            "ppc_preliminary_reported",
            "principal",
            json!({"layer": "appi-local-gov"}),
        )
        .status(&plus(70));
    assert_eq!(s.state("appi-local-gov:68-1-preliminary"), State::Done);
    assert_eq!(s.state("mynumber:29-4-preliminary"), State::Pending);
    let bad = Rec::one("nagaoka").ev(
        T0,
        "ppc_final_reported",
        "principal",
        json!({"layer": "gdpr"}),
    );
    assert_eq!(
        roei_core::Record::parse(&bad.v.to_string())
            .unwrap_err()
            .path(),
        "events[0].data.layer"
    );
}

//! The national clock as the law runs it (APPI Art. 68 with Rules Art. 43–45; 番号法 Art. 29-4 with
//! the PPC's rule on 特定個人情報 Art. 2; 行政機関の休日に関する法律 Art. 1–2; Civil Code Art. 140).
//! Each test quotes the text it is written from.
use roei_core::{Policy, State};
use roei_tests::*;
use serde_json::json;

const PRE: &str = "appi-local-gov:68-1-preliminary";
const FINAL: &str = "appi-local-gov:68-1-final";
const NOTICE: &str = "appi-local-gov:68-2";
const MN_PRE: &str = "mynumber:29-4-preliminary";
const MN_FINAL: &str = "mynumber:29-4-final";

/// Facts that decide Rule 43 item by item, none of them true.
fn quiet_facts(count: u64) -> serde_json::Value {
    json!({"sensitive": false, "financial_damage_risk": false, "improper_purpose": false,
           "encrypted": false, "subjects_count": count, "my_number": false})
}

/// An incident of `kind` under one `profile` contract: detected by the contractor at 10:00 on 11/02
/// and reported to the principal at 10:30 (no facts yet).
fn reported(profile: &str, kind: &str) -> Rec {
    Rec::one(profile)
        .ev(
            "2026-11-02T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": kind}),
        )
        .ev(
            "2026-11-02T10:30:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({}),
        )
}

/// A leak at the contractor on 11/02: detected 10:00, reported 10:30, 500 persons at 11:00 (item 4).
fn reportable_leak() -> Rec {
    reported("nagaoka", "leak").ev(
        "2026-11-02T11:00:00+09:00",
        "facts",
        "contractor",
        quiet_facts(500),
    )
}

/// National obligations of one principal in a status.
fn of<'s>(
    s: &'s roei_core::Status,
    principal: &str,
    obligation: &str,
) -> &'s roei_core::eval::ObligationStatus {
    s.obligations
        .iter()
        .find(|o| o.principal == principal && o.obligation == obligation && o.contract.is_none())
        .unwrap_or_else(|| panic!("no {obligation} for {principal}"))
}

/// 「行政機関の長等は…報告しなければならない」: each 行政機関の長等 is its own reporter, and item 4
/// counts 「保有個人情報に係る本人の数」 — the personal information that principal holds.
#[test]
fn facts_belong_to_the_principal_that_holds_the_information() {
    let rec = Rec::new(json!([
        { "id": "A-1", "profile": "nagaoka", "principal": "甲市" },
        { "id": "B-1", "profile": "sapporo", "principal": "乙市" }
    ]))
    .ev(
        "2026-11-02T10:00:00+09:00",
        "detected",
        "contractor",
        json!({"kind": "leak"}),
    )
    .ev(
        "2026-11-02T10:30:00+09:00",
        "facts",
        "contractor",
        quiet_facts(20),
    )
    .ev(
        "2026-11-02T11:00:00+09:00",
        "facts",
        "contractor",
        json!({"principal": "甲市", "subjects_count": 150}),
    )
    .ev(
        "2026-11-02T11:00:00+09:00",
        "principal_aware",
        "principal",
        json!({}),
    );
    let s = rec.status("2026-11-03T12:00:00+09:00");
    // 甲市 holds 150 persons' data: reportable. 乙市 holds 20: the unscoped count stands for it.
    assert_eq!(of(&s, "甲市", PRE).status, State::Pending);
    assert_eq!(of(&s, "甲市", PRE).reportable_by.as_deref(), Some("e3"));
    assert_eq!(of(&s, "乙市", PRE).status, State::NotApplicable);
    assert_eq!(of(&s, "乙市", FINAL).status, State::NotApplicable);
    // A contract-scoped fact counts for that contract's principal only.
    let rec2 = rec.clone().ev(
        "2026-11-02T12:00:00+09:00",
        "facts",
        "principal",
        json!({"contract": "B-1", "sensitive": true}),
    );
    let s = rec2.status("2026-11-03T12:00:00+09:00");
    assert_eq!(of(&s, "乙市", PRE).status, State::Pending);
    assert_eq!(
        of(&s, "乙市", PRE).trigger_at.as_deref(),
        Some("2026-11-02T12:00:00+09:00")
    );
    assert_eq!(of(&s, "甲市", PRE).reportable_by.as_deref(), Some("e3"));
}

/// Rule 44: 「当該事態を知った後、速やかに」, 「当該事態を知った日から三十日以内」 — 当該事態 is a Rule 43
/// situation. A count that passes 100 on day 18 starts the 速報 and the 30 days on day 18.
#[test]
fn the_clock_starts_when_the_facts_make_it_reportable() {
    let rec = Rec::one("nagaoka")
        .ev(
            "2026-11-02T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "loss"}),
        )
        .ev(
            "2026-11-02T11:00:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({"written": true}),
        )
        .ev(
            "2026-11-02T12:00:00+09:00",
            "facts",
            "principal",
            quiet_facts(40),
        )
        .ev(
            "2026-11-20T15:00:00+09:00",
            "facts",
            "principal",
            json!({"subjects_count": 130}),
        );
    // Day 10: 40 persons, nothing else: no duty yet.
    let s = rec.status("2026-11-12T12:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::NotApplicable);
    // Day 19: reportable since day 18 — pending, not overdue from day 0.
    let s = rec.status("2026-11-21T12:00:00+09:00");
    let pre = s.get(PRE);
    assert_eq!(pre.status, State::Pending);
    assert_eq!(pre.trigger_at.as_deref(), Some("2026-11-20T15:00:00+09:00"));
    assert_eq!(
        pre.reportable_at.as_deref(),
        Some("2026-11-20T15:00:00+09:00")
    );
    assert_eq!(pre.reportable_by.as_deref(), Some("e4"));
    // 30 days from 11/20 (not counted): day 30 is 12/20, a Sunday, so the filing rolls to Monday.
    let fin = s.get(FINAL);
    assert_eq!(fin.due.as_deref(), Some("2026-12-22T00:00:00+09:00"));
    assert_eq!(fin.due_rolled_from.as_deref(), Some("2026-12-20"));
    // A 速報 on day 19 is timely.
    let s = rec
        .clone()
        .ev(
            "2026-11-21T09:00:00+09:00",
            "ppc_preliminary_reported",
            "principal",
            json!({"fields": {"summary": "USB紛失"}}),
        )
        .status("2026-11-22T12:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Done);
}

/// The principal may know first (a resident's complaint), or with no contractor detection at all:
/// a `principal_aware` event with a `kind` starts the national clock there.
#[test]
fn the_principal_can_know_first() {
    let rec = Rec::one("nagaoka")
        .ev(
            "2026-11-02T09:00:00+09:00",
            "principal_aware",
            "principal",
            json!({"kind": "leak", "summary": "住民から苦情：他人の通知書が届いた"}),
        )
        .ev(
            "2026-11-02T09:30:00+09:00",
            "facts",
            "principal",
            quiet_facts(300),
        );
    let s = rec.status("2026-11-02T18:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Pending);
    assert_eq!(
        s.get(PRE).trigger_at.as_deref(),
        Some("2026-11-02T09:30:00+09:00")
    );
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2026-12-03T00:00:00+09:00")
    );
    // The contractor has detected nothing: its report to the city waits.
    assert_eq!(s.get("nagaoka:13-1").status, State::Waiting);
    // A later contractor detection does not move the principal's clock.
    let s = rec
        .ev(
            "2026-11-03T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .status("2026-11-03T18:00:00+09:00");
    assert_eq!(
        s.get(PRE).trigger_at.as_deref(),
        Some("2026-11-02T09:30:00+09:00")
    );
    assert_eq!(s.get("nagaoka:13-1").status, State::Overdue);
}

/// Rule 43 speaks of 保有個人情報: an incident that touches no personal information owes nothing
/// under APPI (contracts such as nerima's cover all information).
#[test]
fn no_personal_information_no_appi_duty() {
    let rec = reported("nerima", "leak").ev(
        "2026-11-02T11:00:00+09:00",
        "facts",
        "contractor",
        json!({"personal_info": false, "my_number": false}),
    );
    let s = rec.status("2026-11-03T10:00:00+09:00");
    for o in [PRE, FINAL, NOTICE, MN_PRE] {
        assert_eq!(s.get(o).status, State::NotApplicable, "{o}");
    }
    // The contract's own duties still run.
    assert_eq!(s.get("nerima:19-1(1)/report").status, State::Done);
    assert_eq!(s.get("nerima:19-1(1)/contain").status, State::Overdue);
    // Unrecorded, personal information follows from a head count (本人の数 presupposes it).
    let s = reported("nerima", "leak")
        .ev(
            "2026-11-02T11:00:00+09:00",
            "facts",
            "contractor",
            json!({"subjects_count": 500}),
        )
        .status("2026-11-03T10:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Pending);
}

/// My Number rule Art. 2: 「次に掲げる特定個人情報（高度な暗号化その他の…措置を講じたものを除く。以下同じ。）」
/// — encrypted media held in a My Number system are not reportable.
#[test]
fn encrypted_my_number_media_are_not_reportable() {
    let base = Rec::one("nagaoka")
        .ev(
            "2026-11-02T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "loss"}),
        )
        .ev(
            "2026-11-02T10:10:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({}),
        );
    let s = base
        .clone()
        .ev("2026-11-02T11:00:00+09:00", "facts", "contractor",
            json!({"my_number": true, "my_number_system": true, "encrypted": true, "subjects_count": 5}))
        .status("2026-11-03T10:00:00+09:00");
    assert_eq!(s.get(MN_PRE).status, State::NotApplicable);
    assert_eq!(s.get(MN_FINAL).status, State::NotApplicable);
    let s = base
        .ev("2026-11-02T11:00:00+09:00", "facts", "contractor",
            json!({"my_number": true, "my_number_system": true, "encrypted": false, "subjects_count": 5}))
        .status("2026-11-03T10:00:00+09:00");
    // Item 1: no head count.
    assert_eq!(s.get(MN_PRE).status, State::Pending);
}

/// Item 2(ロ) 「不正の目的をもって、特定個人情報が利用され、又は利用されたおそれがある事態」 and
/// item 4(ロ)(ハ): more than 100 persons' My Numbers used against Art. 9, or 特定個人情報 provided
/// against Art. 19 — misuse, not a 漏えい等 (recorded as kind `violation`).
#[test]
fn my_number_misuse_and_unlawful_provision() {
    let misuse = |facts: serde_json::Value| {
        Rec::one("sapporo")
            .ev(
                "2026-11-02T10:00:00+09:00",
                "detected",
                "contractor",
                json!({"kind": "violation", "summary": "職員が業務外でマイナンバーを照会"}),
            )
            .ev(
                "2026-11-02T10:30:00+09:00",
                "reported_to_principal",
                "contractor",
                json!({}),
            )
            .ev("2026-11-02T11:00:00+09:00", "facts", "principal", facts)
            .status("2026-11-03T10:00:00+09:00")
    };
    let s = misuse(json!({"my_number": true, "improper_use": true, "subjects_count": 3}));
    assert_eq!(s.get(MN_PRE).status, State::Pending);
    assert_eq!(s.get(MN_FINAL).days, Some(30));
    // APPI Rule 43 counts 漏えい、滅失、毀損 only.
    assert_eq!(s.get(PRE).status, State::NotApplicable);
    let s = misuse(json!({"my_number": true, "unlawful_provision": true, "subjects_count": 150}));
    assert_eq!(s.get(MN_PRE).status, State::Pending);
    let s = misuse(json!({"my_number": true, "unlawful_provision": true, "subjects_count": 80}));
    assert_eq!(s.get(MN_PRE).status, State::NotApplicable);
    let s = misuse(json!({"my_number": true, "unlawful_use": true, "subjects_count": 101}));
    assert_eq!(s.get(MN_PRE).status, State::Pending);
    // A misuse held in a My Number system is not item 1 (that needs a 漏えい等).
    let s = misuse(
        json!({"my_number": true, "my_number_system": true, "subjects_count": 3,
                           "encrypted": false, "improper_purpose": false, "public_exposure": false}),
    );
    assert_eq!(s.get(MN_PRE).status, State::NotApplicable);
    // 「以下同じ」: the encryption exclusion covers misuse too.
    let s = misuse(json!({"my_number": true, "improper_use": true, "encrypted": true}));
    assert_eq!(s.get(MN_PRE).status, State::NotApplicable);
}

/// 行政機関の休日に関する法律 Art. 2: a deadline for a filing to a national administrative organ that
/// falls on an administrative holiday (Art. 1: Saturdays, Sundays, national holidays, 12/29–1/3)
/// moves to the next open day. Knowing on 11/30: day 30 is 12/30.
#[test]
fn final_report_due_on_december_30_rolls_past_the_new_year() {
    let rec = Rec::one("nagaoka")
        .ev(
            "2026-11-30T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .ev(
            "2026-11-30T10:30:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({}),
        )
        .ev(
            "2026-11-30T10:30:00+09:00",
            "facts",
            "contractor",
            quiet_facts(500),
        );
    let s = rec.status("2026-12-10T10:00:00+09:00");
    // 12/30, 12/31, 1/1, 1/2 (Sat), 1/3 (Sun) are closed; Monday 2027-01-04 is the last day.
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2027-01-05T00:00:00+09:00")
    );
    assert_eq!(s.get(FINAL).due_rolled_from.as_deref(), Some("2026-12-30"));
    // The options stay: no roll-forward, or strict counting.
    let off =
        Policy::from_json(r#"{"format":"roei/policy@1","holiday_roll_forward":false}"#).unwrap();
    let s = rec.status_with("2026-12-10T10:00:00+09:00", &off);
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2026-12-31T00:00:00+09:00")
    );
    assert_eq!(s.get(FINAL).due_rolled_from, None);
    let strict = Policy::from_json(
        r#"{"format":"roei/policy@1","holiday_roll_forward":false,"day_count":"strict"}"#,
    )
    .unwrap();
    let s = rec.status_with("2026-12-10T10:00:00+09:00", &strict);
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2026-12-30T00:00:00+09:00")
    );
    // The city's own closing days do not move a filing owed to the PPC.
    let city =
        Policy::from_json(r#"{"format":"roei/policy@1","closed_days":{"extra":["2027-01-04"]}}"#)
            .unwrap();
    let s = rec.status_with("2026-12-10T10:00:00+09:00", &city);
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2027-01-05T00:00:00+09:00")
    );
}

/// Civil Code Art. 140 ただし書: 「期間が午前零時から始まるときは、この限りでない」 — the first day counts.
#[test]
fn a_period_starting_at_midnight_counts_its_first_day() {
    let rec = Rec::one("nagaoka")
        .ev(
            "2026-11-01T23:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .ev(
            "2026-11-01T23:10:00+09:00",
            "facts",
            "contractor",
            quiet_facts(500),
        )
        .ev(
            "2026-11-02T00:00:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({}),
        );
    let s = rec.status("2026-11-03T10:00:00+09:00");
    // 11/2 is day 1, day 30 is 12/1 (a Tuesday).
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2026-12-02T00:00:00+09:00")
    );
}

/// Art. 68(2) ただし書: (1) notice difficult and an alternative measure taken; (2) the information
/// includes 不開示情報 (Art. 78(1)).
#[test]
fn notice_exceptions() {
    let base = reportable_leak();
    let alt = base
        .clone()
        .ev(
            "2026-11-04T10:00:00+09:00",
            "subjects_notified",
            "principal",
            json!({"method": "public_notice", "reason": "連絡先が不明な本人が多数"}),
        )
        .status("2026-11-05T10:00:00+09:00");
    assert_eq!(alt.get(NOTICE).status, State::Done);
    assert!(alt.get(NOTICE).alternative);
    assert!(alt.warnings.iter().all(|w| w.code != "alternative_notice"));
    let unexplained = base
        .clone()
        .ev(
            "2026-11-04T10:00:00+09:00",
            "subjects_notified",
            "principal",
            json!({"method": "public_notice"}),
        )
        .status("2026-11-05T10:00:00+09:00");
    assert!(unexplained
        .warnings
        .iter()
        .any(|w| w.code == "alternative_notice"));
    let individual = base
        .clone()
        .ev(
            "2026-11-04T10:00:00+09:00",
            "subjects_notified",
            "principal",
            json!({"method": "individual"}),
        )
        .status("2026-11-05T10:00:00+09:00");
    assert!(!individual.get(NOTICE).alternative);
    let exempt = base
        .ev(
            "2026-11-02T12:00:00+09:00",
            "facts",
            "principal",
            json!({"non_disclosure": true}),
        )
        .status("2026-11-05T10:00:00+09:00");
    assert_eq!(exempt.get(NOTICE).status, State::NotApplicable);
    assert_eq!(exempt.get(PRE).status, State::Pending);
}

/// A complete report made first serves as both the 速報 and the 確報.
#[test]
fn a_complete_early_final_report_is_also_the_preliminary() {
    let base = reportable_leak();
    let s = base
        .clone()
        .ev(
            "2026-11-03T10:00:00+09:00",
            "ppc_final_reported",
            "principal",
            json!({"fields": all_fields(), "layer": "appi-local-gov"}),
        )
        .status("2026-11-06T10:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Done);
    assert_eq!(
        s.get(PRE).done_at.as_deref(),
        Some("2026-11-03T10:00:00+09:00")
    );
    assert_eq!(s.get(FINAL).status, State::Done);
    // An incomplete "final" report is not a 速報 of its own.
    let s = base
        .ev(
            "2026-11-03T10:00:00+09:00",
            "ppc_final_reported",
            "principal",
            json!({"fields": {"summary": "概要"}}),
        )
        .status("2026-11-06T10:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Overdue);
}

/// A dismissal after the principal knew: the notice to people about an incident that did not
/// happen is ruled out (policy `dismissal_rules_out`, default ["notify"]); the 確報 stays owed.
#[test]
fn a_dismissal_after_knowing() {
    let rec = Rec::one("nagaoka")
        .ev(
            "2026-11-02T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "loss", "signs_only": true}),
        )
        .ev(
            "2026-11-02T10:30:00+09:00",
            "reported_to_principal",
            "contractor",
            json!({}),
        )
        .ev(
            "2026-11-02T11:00:00+09:00",
            "facts",
            "contractor",
            quiet_facts(500),
        )
        .ev(
            "2026-11-03T10:00:00+09:00",
            "dismissed",
            "principal",
            json!({"reason": "庁舎内で発見、持ち出しなし"}),
        );
    let s = rec.status("2026-11-04T10:00:00+09:00");
    assert_eq!(s.get(NOTICE).status, State::NotApplicable);
    assert_eq!(s.get(FINAL).status, State::Pending);
    assert!(s.warnings.iter().any(|w| w.code == "dismissed_but_owed"));
    let keep = Policy::from_json(r#"{"format":"roei/policy@1","dismissal_rules_out":[]}"#).unwrap();
    assert_eq!(
        rec.status_with("2026-11-04T10:00:00+09:00", &keep)
            .get(NOTICE)
            .status,
        State::Pending
    );
}

/// An unrecorded `encrypted` fact: the exclusion needs the measure taken (「講じたもの」), so by default
/// it does not hide the deadline; the `undetermined` option shows the would-be due and says when
/// it has passed.
#[test]
fn unknown_encryption_does_not_hide_a_deadline() {
    let rec = reported("nagaoka", "loss").ev(
        "2026-11-02T11:00:00+09:00",
        "facts",
        "contractor",
        json!({"subjects_count": 500}),
    );
    let s = rec.status("2026-11-06T10:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Overdue);
    let p = Policy::from_json(r#"{"format":"roei/policy@1","unknown_encryption":"undetermined"}"#)
        .unwrap();
    let s = rec.status_with("2026-11-06T10:00:00+09:00", &p);
    let pre = s.get(PRE);
    assert_eq!(pre.status, State::Undetermined);
    assert_eq!(pre.due.as_deref(), Some("2026-11-05T10:30:00+09:00"));
    assert!(pre.overdue_if_applicable);
    assert_eq!(pre.missing, ["encrypted"]);
    let s = rec.status_with("2026-11-03T10:00:00+09:00", &p);
    assert!(!s.get(PRE).overdue_if_applicable);
}

/// Every obligation says how firm its reading is, in roei/status@1.
#[test]
fn every_obligation_carries_its_basis() {
    let s = Rec::one("hirono")
        .ev(
            "2026-11-02T10:00:00+09:00",
            "detected",
            "contractor",
            json!({"kind": "leak"}),
        )
        .status("2026-11-02T12:00:00+09:00");
    let v = serde_json::to_value(&s).unwrap();
    for o in v["obligations"].as_array().unwrap() {
        let b = o["basis"]
            .as_str()
            .unwrap_or_else(|| panic!("no basis: {o}"));
        assert!(["text", "guide", "reading"].contains(&b), "{o}");
    }
    assert_eq!(s.get(PRE).basis, roei_core::vocab::Basis::Text);
}

/// Past the published list, national holidays come from 祝日法 Art. 2–3: 成人の日 2028 is the second
/// Monday of January (1/10), so a 確報 whose day 30 is that Monday rolls to Tuesday, with no warning.
/// A roll-forward that rests on a predicted 秋分日 (2030) says so instead of refusing.
#[test]
fn holidays_after_the_published_list() {
    let knowing = |day: &str| {
        Rec::one("nagaoka")
            .ev(
                &format!("{day}T10:00:00+09:00"),
                "detected",
                "contractor",
                json!({"kind": "leak"}),
            )
            .ev(
                &format!("{day}T10:00:00+09:00"),
                "reported_to_principal",
                "contractor",
                json!({}),
            )
            .ev(
                &format!("{day}T10:00:00+09:00"),
                "facts",
                "contractor",
                quiet_facts(500),
            )
    };
    let s = knowing("2027-12-11").status("2027-12-12T10:00:00+09:00");
    assert_eq!(
        s.get(FINAL).due.as_deref(),
        Some("2028-01-12T00:00:00+09:00")
    );
    assert_eq!(s.get(FINAL).due_rolled_from.as_deref(), Some("2028-01-10"));
    assert!(
        s.warnings.iter().all(|w| !w.code.starts_with("holiday")),
        "{:?}",
        s.warnings
    );
    // 2030: 秋分日 by the approximation is 9/23; day 30 from 8/24 lands on it.
    let s = knowing("2030-08-24").status("2030-08-25T10:00:00+09:00");
    assert_eq!(s.get(FINAL).due_rolled_from.as_deref(), Some("2030-09-23"));
    assert!(
        s.warnings.iter().any(|w| w.code == "holiday_predicted"),
        "{:?}",
        s.warnings
    );
    // Past 2099 the holidays are unknown: weekends and the year-end still roll, with a warning.
    let s = knowing("2100-03-01").status("2100-03-02T10:00:00+09:00");
    assert!(s.warnings.iter().any(|w| w.code == "holiday_table_range"));
}

/// examples/national/: each record has its status beside it, at the instant the status names;
/// the committed status is what the engine computes (regenerate with `roei check X.json --at AT
/// --json > X.status.json`).
#[test]
fn national_examples_match_their_statuses() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/national");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".status.json") else {
            continue;
        };
        let want: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let rec =
            roei_core::Record::parse(&std::fs::read_to_string(format!("{stem}.json")).unwrap())
                .unwrap();
        let when = at(want["at"].as_str().unwrap());
        let got = serde_json::to_value(
            roei_core::evaluate(&rec, &when, &Policy::default()).to_status(&rec),
        )
        .unwrap();
        assert_eq!(got, want, "{stem}.status.json is stale: regenerate it");
        n += 1;
    }
    assert!(n >= 3, "only {n} national examples");
}

/// A report made stays made. The principal files the preliminary report while the facts say the
/// situation is reportable (Rules Art. 43 item 4: more than 1,000 persons); facts recorded later
/// put the count below it. The final report and the notice, not done, are then not applicable; the
/// preliminary report, sent to the PPC, stays done (a report is never shown as 対象外 once sent:
/// the record keeps its word, as a dismissal keeps what it follows the completion of). Found by
/// `props::appending_never_undoes_a_done_obligation` (a later event made a done My Number report
/// 対象外).
#[test]
fn a_report_made_stays_done_when_later_facts_rule_the_situation_out() {
    let filed = reported("nagaoka", "leak")
        .ev(
            "2026-11-02T11:00:00+09:00",
            "facts",
            "contractor",
            quiet_facts(5000),
        )
        .ev(
            "2026-11-03T09:00:00+09:00",
            "ppc_preliminary_reported",
            "principal",
            json!({"fields": {"summary": "USB紛失"}}),
        );
    let s = filed.status("2026-11-04T12:00:00+09:00");
    assert_eq!(s.get(PRE).status, State::Done);
    assert_eq!(s.get(FINAL).status, State::Pending);
    let s = filed
        .ev(
            "2026-11-10T09:00:00+09:00",
            "facts",
            "contractor",
            quiet_facts(40),
        )
        .status("2026-11-11T12:00:00+09:00");
    let pre = s.get(PRE);
    assert_eq!(pre.status, State::Done);
    assert_eq!(pre.done_at.as_deref(), Some("2026-11-03T09:00:00+09:00"));
    assert_eq!(s.get(FINAL).status, State::NotApplicable);
    assert_eq!(s.get(NOTICE).status, State::NotApplicable);
}

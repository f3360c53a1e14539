//! Written reports, the timeline, the calendar and the readiness check (issue #3), against the seeds
//! and the law (APPI Art. 68, 施行規則 Art. 44-45): what each document must list, that every required item is filled or marked 未記入,
//! that hostile record text stays text, and that the SVG and iCalendar outputs are well formed.
use roei_core::report::{self, Format, Kind, Lang};
use roei_core::{evaluate, Policy, Record, State};
use roei_tests::*;
use serde_json::{json, Value};

const EXAMPLE: &str = include_str!("../../examples/nagaoka-usb-loss.json");
const AT: &str = "2026-11-02T18:00:00+09:00";
/// After every event of [`nerima_hirono`].
const LATER: &str = "2026-11-05T12:00:00+09:00";

fn example() -> Record {
    Record::parse(EXAMPLE).unwrap()
}

fn doc(rec: &Record, when: &str, kind: Kind, lang: Lang) -> Value {
    let ev = evaluate(rec, &at(when), &Policy::default());
    serde_json::from_str(&report::report_for(rec, &ev, kind, lang, Format::Json).unwrap()).unwrap()
}

fn section<'a>(d: &'a Value, id: &str) -> &'a Vec<Value> {
    d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no section {id}"))["items"]
        .as_array()
        .unwrap()
}

fn keys(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["key"].as_str().unwrap()).collect()
}

/// Two contracts under other provisions, so that the record and notice kinds have clauses in force.
fn nerima_hirono() -> Record {
    Rec::new(json!([
        {"id": "N-1", "profile": "nerima", "principal": "練馬区", "contractor": "例示株式会社"},
        {"id": "H-1", "profile": "hirono", "principal": "洋野町", "variant": "type1"}
    ]))
    .ev(
        "2026-11-02T10:00:00+09:00",
        "detected",
        "contractor",
        json!({"kind": "leak", "summary": "誤送信"}),
    )
    .ev(
        "2026-11-02T10:30:00+09:00",
        "facts",
        "contractor",
        reportable_facts(),
    )
    .ev(
        "2026-11-02T11:00:00+09:00",
        "reported_to_principal",
        "contractor",
        json!({"written": true, "fields": all_fields()}),
    )
    .ev(
        "2026-11-03T10:00:00+09:00",
        "cause_analyzed",
        "contractor",
        json!({"cause": "宛先確認の省略"}),
    )
    .ev(
        "2026-11-04T10:00:00+09:00",
        "subjects_notified",
        "principal",
        json!({"method": "public_notice"}),
    )
    .record()
}

#[test]
fn every_kind_renders_in_every_format_and_language() {
    for rec in [example(), nerima_hirono()] {
        let ev = evaluate(&rec, &at(AT), &Policy::default());
        for kind in Kind::ALL {
            for lang in [Lang::Ja, Lang::En] {
                for format in Format::ALL {
                    let out = report::report_for(&rec, &ev, kind, lang, format).unwrap();
                    let what = format!("{} {:?} {:?}", kind.key(), lang, format);
                    match format {
                        Format::Html => {
                            assert!(out.starts_with("<!DOCTYPE html>"), "{what}");
                            assert!(out.contains("@page { size: A4;"), "{what}");
                            assert!(!out.contains("<script"), "{what}");
                            assert!(
                                !out.contains(" src=") && !out.contains(" href="),
                                "{what}: self-contained"
                            );
                        }
                        Format::Md => assert!(out.starts_with("# "), "{what}"),
                        Format::Json => {
                            let v: Value = serde_json::from_str(&out).unwrap();
                            assert_eq!(v["format"], "roei/report@1", "{what}");
                            assert_eq!(v["kind"], kind.key(), "{what}");
                            assert_eq!(v["incident"]["id"], rec.id.as_str(), "{what}");
                        }
                    }
                    if lang == Lang::Ja {
                        assert!(out.contains("令和8年11月2日"), "{what}: era date");
                    }
                    assert!(out.contains("2026-11-02"), "{what}: ISO date");
                    // Every item of every section is either filled or marked missing.
                    if format == Format::Json {
                        let v: Value = serde_json::from_str(&out).unwrap();
                        for s in v["sections"].as_array().unwrap() {
                            for it in s["items"].as_array().unwrap() {
                                assert!(it["value"].is_string() || it["value"].is_null(), "{what}");
                            }
                        }
                    } else {
                        let n_missing = out.matches("未記入").count();
                        let v = doc(&rec, AT, kind, lang);
                        let empty = v["sections"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .flat_map(|s| s["items"].as_array().unwrap())
                            .filter(|i| i["value"].is_null())
                            .count();
                        assert!(
                            n_missing >= empty,
                            "{what}: {n_missing} marks for {empty} empty items"
                        );
                    }
                }
            }
        }
    }
}

/// nagaoka 13-1 (seed 000): 当該事故に関わる個人情報の内容、件数、事故の発生場所及び発生状況等を書面により報告.
#[test]
fn principal_report_lists_the_four_contents_of_nagaoka_13_1() {
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/seeds/000_7bd46e1318274b13.txt"),
    )
    .unwrap();
    let art13 = &seed[seed.find("個人情報の内容、件数").expect("seed wording")..];
    let words = ["個人情報の内容", "件数", "発生場所", "発生状況"];
    for w in words {
        assert!(art13[..120].contains(w), "seed lists {w}");
    }
    let rec = example();
    // 12:00: after the first written report (e3), before the count (e6).
    let d = doc(&rec, "2026-11-02T12:00:00+09:00", Kind::Principal, Lang::Ja);
    let req = section(&d, "required");
    assert_eq!(keys(req), ["content", "count", "location", "circumstances"]);
    for (it, w) in req.iter().zip(words) {
        assert!(it["label"].as_str().unwrap().contains(w), "{it}");
        assert_eq!(it["required"], true);
        assert_eq!(it["clauses"], json!(["nagaoka:13-1"]));
    }
    assert!(req[1]["value"].is_null(), "count not given before e6");
    assert_eq!(req[0]["source"]["event"], "e3");
    assert_eq!(d["missing"], json!(["count"]));
    assert_eq!(d["addressees"], json!(["長岡市"]));
    assert_eq!(d["senders"], json!(["株式会社例示"]));
    let cite = &d["citations"][0];
    assert_eq!(cite["clause"], "nagaoka:13-1");
    assert_eq!(cite["article"], "第13条第1項");
    assert!(cite["source"]
        .as_str()
        .unwrap()
        .contains("000_7bd46e1318274b13.txt"));
    assert_eq!(cite["status"], "overdue");
    // The nine PPC items known so far ride along (APPI Art. 26(1) ただし書), and the note says why.
    let ppc = section(&d, "ppc_items");
    assert_eq!(ppc.len(), 9);
    assert!(d["notes"][0]
        .as_str()
        .unwrap()
        .contains("第26条第1項ただし書"));
    let md = report::report_for(
        &rec,
        &evaluate(&rec, &at("2026-11-02T12:00:00+09:00"), &Policy::default()),
        Kind::Principal,
        Lang::Ja,
        Format::Md,
    )
    .unwrap();
    let count_row = md.lines().find(|l| l.starts_with("| 件数")).unwrap();
    assert!(count_row.contains("**未記入**"), "{count_row}");

    // 18:00: the count came at 13:40 (e6); nothing required is missing, the report was late.
    let d = doc(&rec, AT, Kind::Principal, Lang::Ja);
    let req = section(&d, "required");
    assert_eq!(req[1]["value"], "1,200件（1,200人）");
    assert_eq!(req[1]["source"]["event"], "e6");
    assert_eq!(d["missing"], json!([]));
    assert_eq!(d["citations"][0]["status"], "done_late");
    assert_eq!(
        section(&d, "ppc_items")[2]["value"],
        "1,200人",
        "subjects_count from the facts (e4)"
    );
}

/// 施行規則 Art. 44: the final report carries all nine items (missing ones flagged); the preliminary what is known.
#[test]
fn ppc_reports_carry_the_nine_items_of_rules_art_44() {
    let rec = example();
    let nine = [
        "summary",
        "data_items",
        "subjects_count",
        "cause",
        "secondary_damage",
        "subject_response",
        "publication_status",
        "prevention",
        "other",
    ];
    let fin = doc(&rec, AT, Kind::PpcFinal, Lang::Ja);
    let items = section(&fin, "required");
    assert_eq!(keys(items), nine);
    assert!(items.iter().all(|i| i["required"] == true));
    assert_eq!(
        fin["missing"],
        json!([
            "cause",
            "secondary_damage",
            "subject_response",
            "publication_status",
            "prevention",
            "other"
        ])
    );
    assert_eq!(fin["addressees"], json!(["個人情報保護委員会"]));
    assert_eq!(fin["senders"], json!(["長岡市"]));
    let cites: Vec<&str> = fin["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["obligation"].as_str().unwrap())
        .collect();
    assert_eq!(
        cites,
        ["appi-local-gov:68-1-final"],
        "no My Number information: 29-4 is not in force"
    );
    // Civil Code count: known on 11/02, day 30 is 12/02, ends at 24:00.
    assert_eq!(fin["citations"][0]["due"], "2026-12-03T00:00:00+09:00");

    let pre = doc(&rec, AT, Kind::PpcPreliminary, Lang::Ja);
    let items = section(&pre, "required");
    assert_eq!(keys(items), nine);
    assert!(
        items.iter().all(|i| i["required"] == false),
        "preliminary: what is known"
    );
    assert_eq!(pre["missing"], json!([]));
    assert!(pre["notes"][0].as_str().unwrap().contains("速報"));

    // Before the facts (13:00) Rule 43 is undetermined, and the document says which facts decide it.
    let early = doc(
        &rec,
        "2026-11-02T12:00:00+09:00",
        Kind::PpcPreliminary,
        Lang::Ja,
    );
    assert!(
        early["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("本人の数")),
        "{}",
        early["notes"]
    );
}

/// 施行規則 Art. 45: the notice to data subjects carries items 1, 2, 4, 5 and 9.
#[test]
fn subjects_notice_carries_items_1_2_4_5_9_or_becomes_a_public_notice() {
    let d = doc(&example(), AT, Kind::Subjects, Lang::Ja);
    assert_eq!(
        keys(section(&d, "notice_items")),
        [
            "summary",
            "data_items",
            "cause",
            "secondary_damage",
            "other"
        ]
    );
    assert_eq!(d["variant"], "letter");
    assert_eq!(d["addressees"], json!(["本人各位"]));
    assert_eq!(
        d["chronology"],
        json!([]),
        "the internal chronology stays out of a letter to residents"
    );

    let d = doc(&nerima_hirono(), LATER, Kind::Subjects, Lang::Ja);
    assert_eq!(d["variant"], "public_notice");
    assert!(d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("代替措置")));
    assert_eq!(section(&d, "notice_items")[3]["key"], "secondary_damage");
}

/// nerima 19-1(4) (a record, no contents named) and hirono 基準7 (概要, 原因等の事実関係, 再発防止のために採った措置).
#[test]
fn record_report_lists_summary_cause_and_prevention() {
    let d = doc(&nerima_hirono(), LATER, Kind::Record, Lang::Ja);
    let items = section(&d, "required");
    assert_eq!(keys(items), ["summary", "cause", "prevention"]);
    assert!(
        items.iter().all(|i| i["required"] == true),
        "hirono 基準7 requires all three"
    );
    assert_eq!(items[1]["value"], "宛先確認の省略");
    let cites: Vec<&str> = d["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["obligation"].as_str().unwrap())
        .collect();
    assert_eq!(cites, ["nerima:19-1(4)", "hirono:std7/record"]);
    assert_eq!(d["addressees"], json!(["練馬区", "洋野町"]));
    // all_fields() gave a prevention text in the 11:00 report; the cause came later from cause_analyzed.
    assert!(items[2]["value"].is_string());
}

const XSS: [&str; 2] = [
    "<script>window.__xss=1</script>",
    "\"><img src=x onerror=window.__xss=1>",
];

/// Every free-text field of a record carrying both payloads.
fn hostile(p: &str) -> Record {
    let fields = json!({
        "content": p, "count": p, "location": p, "circumstances": p, "summary": p, "data_items": [p, p],
        "subjects_count": p, "cause": p, "secondary_damage": p, "subject_response": p,
        "publication_status": p, "prevention": p, "other": p
    });
    let t = |h: u32| format!("2026-11-02T{h:02}:00:00+09:00");
    let v = json!({
        "format": "roei/incident@1", "id": p, "title": p,
        "contracts": [
            {"id": p, "profile": "nagaoka", "principal": p, "contractor": p},
            {"id": format!("{p}2"), "profile": "nerima", "principal": p, "contractor": p}
        ],
        "events": [
            {"id": p, "at": t(9), "type": "detected", "actor": "contractor", "data": {"kind": "leak", "summary": p}},
            {"id": format!("{p}f"), "at": t(10), "type": "facts", "actor": "contractor",
             "data": {"subjects_count": 500, "data_items": [p], "sensitive": true, "encrypted": false,
                      "location": p, "circumstances": p}},
            {"id": "c1", "at": t(10), "type": "containment_started", "actor": "contractor", "data": {"measures": p}},
            {"id": "c2", "at": t(10), "type": "evidence_preserved", "actor": "contractor", "data": {"what": p}},
            {"id": "r1", "at": t(11), "type": "reported_to_principal", "actor": "contractor",
             "data": {"written": true, "fields": fields}},
            {"id": "i1", "at": t(12), "type": "instruction_received", "actor": "principal", "data": {"text": p}},
            {"id": "k1", "at": t(13), "type": "cause_analyzed", "actor": "contractor", "data": {"cause": p}},
            {"id": "k2", "at": t(13), "type": "prevention_implemented", "actor": "contractor", "data": {"measures": p}},
            {"id": "k3", "at": t(14), "type": "record_submitted", "actor": "contractor", "data": {"written": true, "fields": fields}},
            {"id": "k4", "at": t(15), "type": "ppc_preliminary_reported", "actor": "principal", "data": {"fields": fields}},
            {"id": "k5", "at": t(15), "type": "published", "actor": "principal", "data": {"by": "principal", "url": p}},
            {"id": "k6", "at": t(16), "type": p, "actor": "other", "data": {"x": p}}
        ]
    });
    Record::parse(&v.to_string()).unwrap()
}

#[test]
fn hostile_record_text_stays_text_in_html_md_and_svg() {
    for p in XSS {
        let rec = hostile(p);
        let ev = evaluate(&rec, &at("2026-11-02T17:00:00+09:00"), &Policy::default());
        for kind in Kind::ALL {
            for lang in [Lang::Ja, Lang::En] {
                let html = report::report_for(&rec, &ev, kind, lang, Format::Html).unwrap();
                assert!(!html.contains("<script"), "{} html", kind.key());
                assert!(!html.contains("<img"), "{} html", kind.key());
                assert!(
                    html.contains("&lt;"),
                    "{} html shows the payload, escaped",
                    kind.key()
                );
                let md = report::report_for(&rec, &ev, kind, lang, Format::Md).unwrap();
                // The Markdown writer emits no HTML of its own, so no `<` at all may appear.
                assert!(
                    !md.contains('<'),
                    "{} md: {}",
                    kind.key(),
                    md.lines().find(|l| l.contains('<')).unwrap_or("")
                );
                assert!(
                    md.contains("&lt;"),
                    "{} md shows the payload, escaped",
                    kind.key()
                );
                // No record text may end a table row early.
                for l in md.lines().filter(|l| l.starts_with('|')) {
                    assert!(l.ends_with(" |") || l.ends_with("---|"), "{l}");
                }
            }
        }
        let svg = report::timeline_svg(&rec, &ev, Lang::Ja);
        assert!(!svg.contains("<script") && !svg.contains("<img"));
        let doc = roxmltree::Document::parse(&svg).expect("valid XML");
        assert!(doc
            .descendants()
            .all(|n| !matches!(n.tag_name().name(), "script" | "img")));
        // The record's values really are in the documents (the test would pass on empty output otherwise).
        let d = doc_json(&rec, &ev, Kind::Principal);
        assert!(section(&d, "required")
            .iter()
            .all(|i| i["value"].as_str().unwrap_or("").contains("window.__xss")));
    }
}

fn doc_json(rec: &Record, ev: &roei_core::Evaluation, kind: Kind) -> Value {
    serde_json::from_str(&report::report_for(rec, ev, kind, Lang::Ja, Format::Json).unwrap())
        .unwrap()
}

#[test]
fn markdown_table_rows_keep_their_cells_under_hostile_pipes() {
    let rec = hostile("a | b\n# c\n| d |");
    let ev = evaluate(&rec, &at("2026-11-02T17:00:00+09:00"), &Policy::default());
    let md = report::report_for(&rec, &ev, Kind::Principal, Lang::Ja, Format::Md).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| 個人情報の内容"))
        .unwrap();
    // Five cells: `|` inside values is escaped, so splitting on unescaped pipes gives 5 + 2 borders.
    let unescaped = row.replace("\\|", "");
    assert_eq!(unescaped.matches('|').count(), 6, "{row}");
    assert!(!md.lines().any(|l| l.starts_with("# c")));
}

/// One bar per obligation shown: triggered and neither not applicable nor waiting (docs/REPORTS.md).
#[test]
fn timeline_is_valid_svg_with_one_bar_per_obligation_shown() {
    let rec = example();
    for (when, want) in [
        ("2026-11-02T10:30:00+09:00", vec!["nagaoka:13-1"]),
        (
            AT,
            vec![
                "nagaoka:13-1",
                "nagaoka:13-3",
                "appi-local-gov:68-1-preliminary",
                "appi-local-gov:68-1-final",
                "appi-local-gov:68-2",
            ],
        ),
    ] {
        let ev = evaluate(&rec, &at(when), &Policy::default());
        let status = ev.to_status(&rec);
        let shown: Vec<&str> = status
            .obligations
            .iter()
            .filter(|o| {
                o.trigger_at.is_some() && !matches!(o.status, State::NotApplicable | State::Waiting)
            })
            .map(|o| o.obligation.as_str())
            .collect();
        assert_eq!(shown, want, "{when}");
        for lang in [Lang::Ja, Lang::En] {
            let svg = report::timeline_svg(&rec, &ev, lang);
            let doc = roxmltree::Document::parse(&svg).expect("valid XML");
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            let bars: Vec<roxmltree::Node> = doc
                .descendants()
                .filter(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.split(' ').next() == Some("bar"))
                })
                .collect();
            let ids: Vec<&str> = bars
                .iter()
                .map(|b| b.attribute("data-obligation").unwrap())
                .collect();
            assert_eq!(ids, want, "{when} {lang:?}");
            for b in &bars {
                let o = status
                    .obligations
                    .iter()
                    .find(|o| o.obligation == b.attribute("data-obligation").unwrap())
                    .unwrap();
                assert_eq!(b.attribute("data-status"), Some(o.status.key()));
                // `may` has no due: an open-ended bar.
                assert_eq!(
                    b.attribute("class").unwrap().contains("open"),
                    o.due.is_none(),
                    "{}",
                    o.obligation
                );
            }
            let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
            assert!(
                texts.contains(if lang == Lang::Ja {
                    "作成時点"
                } else {
                    "as of"
                }),
                "now-line label"
            );
            assert!(texts.contains("e1"), "event labels");
        }
    }
}

fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

#[test]
fn ics_has_crlf_folding_escaping_and_one_event_per_pending_or_overdue_due() {
    let rec = example();
    for (when, n) in [("2026-11-02T12:00:00+09:00", 1), (AT, 3)] {
        let ev = evaluate(&rec, &at(when), &Policy::default());
        let ics = report::ics(&rec, &ev, Lang::Ja);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "every line ends in CRLF"
        );
        assert!(!ics.replace("\r\n", "").contains('\r'));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let want = ev
            .obligations
            .iter()
            .filter(|o| matches!(o.state, State::Pending | State::Overdue) && o.due.is_some())
            .count();
        assert_eq!(want, n, "{when}");
        assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), n);
        assert_eq!(ics.matches("END:VEVENT\r\n").count(), n);
        let text = unfold(&ics);
        assert!(text.contains(&format!(
            "DTSTAMP:{}",
            if when == AT {
                "20261102T090000Z"
            } else {
                "20261102T030000Z"
            }
        )));
        if when == AT {
            // 68-1-final: day 30 after 11/02 ends at 24:00 JST on 12/02 = 15:00 UTC.
            assert!(text.contains("DTSTART:20261202T150000Z"), "{text}");
            // 68-1-preliminary and 68-2: 速やかに, default target P3D from 13:00 JST, when the
            // count of 1,200 made the loss reportable (Rules Art. 44: the clock runs from then).
            assert_eq!(text.matches("DTSTART:20261105T040000Z").count(), 2);
        } else {
            // nagaoka:13-1 overdue at 12:00: due 11:15 JST.
            assert!(text.contains("DTSTART:20261102T021500Z"));
            assert!(text.contains("SUMMARY:【期限超過】nagaoka:13-1 直ちに"));
        }
    }
    // UIDs are stable for the same incident and obligation, whatever the export instant.
    let uids = |when: &str| -> Vec<String> {
        let ev = evaluate(&rec, &at(when), &Policy::default());
        unfold(&report::ics(&rec, &ev, Lang::Ja))
            .lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    let a = uids(AT);
    assert_eq!(a, uids("2026-11-03T09:00:00+09:00"));
    assert_eq!(a.len(), 3);
    assert!(
        a.iter().all(|u| a.iter().filter(|v| *v == u).count() == 1),
        "unique per obligation"
    );
}

#[test]
fn ics_text_escaping_keeps_hostile_titles_on_one_property() {
    let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
    v["title"] = json!("a;b,c\\d\r\nEND:VCALENDAR\nBEGIN:VEVENT");
    let rec = Record::parse(&v.to_string()).unwrap();
    let ev = evaluate(&rec, &at(AT), &Policy::default());
    let ics = report::ics(&rec, &ev, Lang::En);
    assert_eq!(ics.matches("\r\nEND:VCALENDAR").count(), 1);
    assert_eq!(ics.matches("\r\nBEGIN:VEVENT\r\n").count(), 3);
    let text = unfold(&ics);
    assert!(
        text.contains("a\\;b\\,c\\\\d\\nEND:VCALENDAR\\nBEGIN:VEVENT"),
        "{text}"
    );
}

#[test]
fn era_dates_at_the_boundaries() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(
        report::wareki::era_date(d(2019, 4, 30), Lang::Ja),
        "平成31年4月30日"
    );
    assert_eq!(
        report::wareki::era_date(d(2019, 5, 1), Lang::Ja),
        "令和元年5月1日"
    );
    assert_eq!(
        report::wareki::era_date(d(2026, 11, 2), Lang::Ja),
        "令和8年11月2日"
    );
    // The report date is the Japan-time day of the instant: 15:30 UTC on 11/01 is 11/02 in Japan.
    let rec = example();
    let ev = evaluate(&rec, &at("2026-11-01T15:30:00Z"), &Policy::default());
    let d: Value = serde_json::from_str(
        &report::report_for(&rec, &ev, Kind::Principal, Lang::Ja, Format::Json).unwrap(),
    )
    .unwrap();
    assert_eq!(d["date"]["era"], "令和8年11月2日");
    assert_eq!(d["date"]["iso"], "2026-11-02");
}

/// The standing obligations of the contracts (stage `prepare`): the emergency plan's five elements, reporting procedures, drills.
#[test]
fn readiness_lists_standing_duties_with_their_elements() {
    let v: Value = serde_json::from_str(
        &report::readiness(&["nagaoka".into(), "nerima".into()], Lang::Ja, Format::Json).unwrap(),
    )
    .unwrap();
    let duties = |p: usize| v["profiles"][p]["duties"].as_array().unwrap().clone();
    let plan = duties(0)
        .into_iter()
        .find(|d| d["clause"] == "nagaoka:13-2")
        .unwrap();
    let elements: Vec<&str> = plan["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    for want in ["連絡", "証拠保全", "被害拡大の防止", "復旧", "再発防止"] {
        assert!(
            elements.iter().any(|e| e.contains(want)),
            "{want} in {elements:?}"
        );
    }
    assert!(
        duties(0).iter().any(|d| d["clause"] == "nagaoka:12-2"),
        "reporting procedures"
    );
    assert!(
        duties(1).iter().any(|d| d["clause"] == "nerima:19-2"),
        "drills"
    );
    assert!(
        duties(1)
            .iter()
            .all(|d| !d["clause"].as_str().unwrap().starts_with("nerima:19-1")),
        "incident clauses are not standing duties"
    );
    for f in [Format::Md, Format::Html] {
        let out = report::readiness(&["sapporo".into()], Lang::En, f).unwrap();
        assert!(out.contains("sapporo:std6(1)") && out.contains("sapporo:16-2"));
    }
    let e = report::readiness(&["nagaoka".into(), "<x>".into()], Lang::Ja, Format::Md).unwrap_err();
    assert_eq!(e.code(), "unknown_profile");
    assert_eq!(e.path(), "PROFILE[1]");
}

#[test]
fn string_entry_points_name_the_bad_argument() {
    let e = report::report_text(EXAMPLE, "memo", "ja", "md", AT, None).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_value", "kind"));
    let e = report::report_text(EXAMPLE, "principal", "fr", "md", AT, None).unwrap_err();
    assert_eq!(e.path(), "lang");
    let e = report::report_text(EXAMPLE, "principal", "ja", "pdf", AT, None).unwrap_err();
    assert_eq!(e.path(), "format");
    let e = report::report_text(EXAMPLE, "principal", "ja", "md", "tomorrow", None).unwrap_err();
    assert_eq!(e.path(), "at");
    let e = report::timeline_text("{\"format\":\"roei/incident@1\"}", AT, "ja", None).unwrap_err();
    assert!(!e.code().is_empty());
    assert!(
        report::report_text(EXAMPLE, "ppc-final", "en", "html", AT, None)
            .unwrap()
            .contains("Rules Art. 44")
    );
    assert!(report::ics_text(EXAMPLE, AT, "ja", None)
        .unwrap()
        .contains("BEGIN:VEVENT"));
}

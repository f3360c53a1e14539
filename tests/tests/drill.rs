//! The drill simulator (issue #5): the scenario library played good and bad, scores differing for
//! the obligations the contracts name; Monte Carlo determinism and the fast path's equivalence with
//! the full engine; strict validation of untrusted scenarios and playthroughs; the debrief.
use roei_core::drill::{
    self, full_states, sample_times, Drill, MonteCarlo, Rng, Scenario, Verdict,
};
use roei_core::Lang;
use roei_core::{Policy, Record, State};
use serde_json::{json, Value};

const LIBRARY: [&str; 6] = [
    "nagaoka-usb-loss",
    "sapporo-misdirected-email",
    "hirono-ransomware",
    "nerima-unauthorised-software",
    "mynumber-wrong-household",
    "cloud-share-two-contracts",
];

fn file(name: &str) -> String {
    let p = format!("{}/../examples/drills/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn scenario(name: &str) -> Scenario {
    Scenario::parse(&file(&format!("{name}.json"))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Plays `name.kind.json` and returns the score as JSON.
fn play(name: &str, kind: &str) -> Value {
    let s = drill::score_json(
        &file(&format!("{name}.json")),
        &file(&format!("{name}.{kind}.json")),
    )
    .unwrap_or_else(|e| panic!("{name}.{kind}: {e}"));
    serde_json::from_str(&s).unwrap()
}

/// The score entry of an obligation (the first, or the one owed to/under `key` = contract or principal).
fn ob<'a>(score: &'a Value, obligation: &str, key: Option<&str>) -> &'a Value {
    score["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| {
            o["obligation"] == obligation
                && key.is_none_or(|k| o["contract"] == k || o["principal"] == k)
        })
        .unwrap_or_else(|| panic!("{obligation} {key:?} not in score"))
}

fn verdict(score: &Value, obligation: &str, key: Option<&str>) -> String {
    ob(score, obligation, key)["verdict"]
        .as_str()
        .unwrap()
        .to_string()
}

fn missing(score: &Value, obligation: &str) -> Vec<String> {
    ob(score, obligation, None)["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn inject_fired(score: &Value, id: &str) -> bool {
    score["injects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("inject {id} never came due"))["fired"]
        .as_bool()
        .unwrap()
}

fn total(score: &Value) -> f64 {
    score["total"]["percent"].as_f64().unwrap()
}

#[test]
fn every_library_scenario_plays_good_and_bad_and_the_good_one_scores_higher() {
    for name in LIBRARY {
        let good = play(name, "good");
        let bad = play(name, "bad");
        assert!(
            total(&good) > total(&bad),
            "{name}: good {} <= bad {}",
            total(&good),
            total(&bad)
        );
        // The drill's record is an ordinary incident record, and its status is what `check` says.
        for s in [&good, &bad] {
            let rec = Record::parse(&s["record"].to_string())
                .unwrap_or_else(|e| panic!("{name}: drill record invalid: {e}"));
            let at = roei_core::time::parse_instant(s["at"].as_str().unwrap()).unwrap();
            let st =
                serde_json::to_value(roei_core::status(&rec, &at, &Policy::default())).unwrap();
            assert_eq!(st["obligations"], s["status"]["obligations"], "{name}");
        }
    }
}

#[test]
fn nagaoka_bad_report_is_late_and_lacks_the_count() {
    let (good, bad) = (
        play("nagaoka-usb-loss", "good"),
        play("nagaoka-usb-loss", "bad"),
    );
    assert_eq!(verdict(&good, "nagaoka:13-1", None), "on_time");
    assert_eq!(verdict(&bad, "nagaoka:13-1", None), "overdue");
    assert_eq!(missing(&bad, "nagaoka:13-1"), ["count"]);
    // The city's reminder is a branch: it fires only when the report is overdue at T+1h30m.
    assert!(inject_fired(&bad, "i2"));
    assert!(!inject_fired(&good, "i2"));
    // 1,200 unencrypted: Rule 43(4); the bad team never files with the PPC.
    assert_eq!(
        verdict(&good, "appi-local-gov:68-1-preliminary", None),
        "on_time"
    );
    assert_eq!(
        verdict(&bad, "appi-local-gov:68-1-preliminary", None),
        "overdue"
    );
    // Same on both sides: not My Number information.
    for s in [&good, &bad] {
        assert_eq!(
            ob(s, "mynumber:29-4-preliminary", None)["status"],
            "not_applicable"
        );
    }
}

#[test]
fn sapporo_bad_team_reports_orally_and_misses_the_sensitive_data() {
    let (good, bad) = (
        play("sapporo-misdirected-email", "good"),
        play("sapporo-misdirected-email", "bad"),
    );
    assert_eq!(verdict(&good, "sapporo:16-1", None), "on_time");
    assert_eq!(verdict(&bad, "sapporo:16-1", None), "overdue");
    assert_eq!(missing(&bad, "sapporo:16-1"), ["written"]);
    // 12 persons only: reportable because of medical history (Rule 43(1)), which the bad team never records.
    assert_eq!(
        verdict(&good, "appi-local-gov:68-1-preliminary", None),
        "on_time"
    );
    let p = ob(&bad, "appi-local-gov:68-1-preliminary", None);
    assert_eq!(p["status"], "undetermined");
    assert_eq!(p["verdict"], "wrong_decision");
    assert!(missing(&bad, "appi-local-gov:68-1-preliminary").contains(&"sensitive".to_string()));
    assert!(inject_fired(&bad, "i2") && !inject_fired(&good, "i2"));
}

#[test]
fn hirono_final_report_gets_sixty_days_and_the_bad_report_is_late() {
    let (good, bad) = (
        play("hirono-ransomware", "good"),
        play("hirono-ransomware", "bad"),
    );
    assert_eq!(verdict(&good, "hirono:16-1", None), "on_time");
    assert_eq!(verdict(&bad, "hirono:16-1", None), "late");
    assert_eq!(ob(&bad, "hirono:16-1", None)["status"], "done_late");
    // The town knew on 2026-06-01 (both teams); improper purpose: 60 days, the Civil Code way
    // (6/1 not counted, day 60 is 7/31, the period ends at 24:00).
    for s in [&good, &bad] {
        let f = ob(s, "appi-local-gov:68-1-final", None);
        assert_eq!(f["due"], "2026-08-01T00:00:00+09:00");
        assert_eq!(f["hard"], true);
    }
    // Filed on day 45: late under 30 days, on time under the 60 that apply.
    assert_eq!(verdict(&bad, "appi-local-gov:68-1-final", None), "on_time");
    assert_eq!(
        ob(&bad, "appi-local-gov:68-1-final", None)["done_at"],
        "2026-07-16T09:00:00+09:00"
    );
    assert_eq!(
        verdict(&bad, "appi-local-gov:68-1-preliminary", None),
        "late"
    );
    assert_eq!(verdict(&bad, "hirono:std7/record", None), "incomplete");
    assert_eq!(verdict(&good, "hirono:std7/record", None), "on_time");
}

#[test]
fn nerima_signs_of_a_violation_start_every_duty() {
    let (good, bad) = (
        play("nerima-unauthorised-software", "good"),
        play("nerima-unauthorised-software", "bad"),
    );
    for o in ["nerima:19-1(2)", "nerima:19-1(3)", "nerima:19-1(4)"] {
        assert_eq!(verdict(&good, o, None), "on_time", "{o}");
        assert_eq!(verdict(&bad, o, None), "incomplete", "{o}");
    }
    assert_eq!(verdict(&bad, "nerima:19-1(1)/report", None), "late");
    assert_eq!(verdict(&bad, "nerima:19-1(1)/contain", None), "late");
    assert!(inject_fired(&bad, "i1") && !inject_fired(&good, "i1"));
    // A bare violation is not 漏えい等 under the APPI.
    assert_eq!(
        ob(&good, "appi-local-gov:68-1-preliminary", None)["status"],
        "not_applicable"
    );
}

#[test]
fn mynumber_layer_applies_where_the_appi_does_not() {
    let (good, bad) = (
        play("mynumber-wrong-household", "good"),
        play("mynumber-wrong-household", "bad"),
    );
    for s in [&good, &bad] {
        assert_eq!(
            ob(s, "appi-local-gov:68-1-preliminary", None)["status"],
            "not_applicable"
        );
    }
    assert_eq!(verdict(&good, "mynumber:29-4-preliminary", None), "on_time");
    assert_eq!(verdict(&good, "mynumber:29-4-2", None), "on_time");
    // Recording "not in a My Number system" rules the duty out: a wrong decision, scored as such.
    let p = ob(&bad, "mynumber:29-4-preliminary", None);
    assert_eq!(p["status"], "not_applicable");
    assert_eq!(p["verdict"], "wrong_decision");
    assert_eq!(verdict(&good, "nagaoka:13-1", None), "on_time");
    assert_eq!(verdict(&bad, "nagaoka:13-1", None), "late");
}

#[test]
fn cloud_share_forgetting_one_contract_fails_that_contract_only() {
    let (good, bad) = (
        play("cloud-share-two-contracts", "good"),
        play("cloud-share-two-contracts", "bad"),
    );
    for s in [&good, &bad] {
        assert_eq!(verdict(s, "sapporo:16-1", Some("S-02")), "on_time");
    }
    assert_eq!(verdict(&good, "kimitsu:16-1", Some("K-01")), "on_time");
    assert_eq!(verdict(&bad, "kimitsu:16-1", Some("K-01")), "overdue");
    // kimitsu counts occurrences only: its clock starts at the confirmation (T+2h), not the signs.
    assert_eq!(
        ob(&bad, "kimitsu:16-1", Some("K-01"))["trigger_at"],
        "2026-07-21T18:00:00+09:00"
    );
    assert_eq!(
        ob(&bad, "sapporo:16-1", Some("S-02"))["trigger_at"],
        "2026-07-21T16:00:00+09:00"
    );
    // Each principal has its own PPC duty: Sapporo's is filed, the other city never learned.
    assert_eq!(
        verdict(&bad, "appi-local-gov:68-1-preliminary", Some("札幌市")),
        "on_time"
    );
    let other = ob(&bad, "appi-local-gov:68-1-preliminary", Some("例示市"));
    assert_eq!(other["status"], "waiting");
    assert_eq!(other["verdict"], "wrong_decision");
    assert_eq!(
        verdict(&good, "appi-local-gov:68-1-preliminary", Some("例示市")),
        "on_time"
    );
}

#[test]
fn scores_break_down_by_role() {
    let bad = play("nagaoka-usb-loss", "bad");
    let role = |id: &str| {
        bad["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role"] == id)
            .unwrap()
            .clone()
    };
    // The contractor's report is the lead's; the PPC duties are the privacy office's (`owes`).
    assert_eq!(ob(&bad, "nagaoka:13-1", None)["role"], "lead");
    assert_eq!(
        ob(&bad, "appi-local-gov:68-1-preliminary", None)["role"],
        "privacy"
    );
    assert_eq!(role("privacy")["points"], 0.0);
    assert!(role("lead")["max"].as_f64().unwrap() >= 3.0);
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo

#[test]
fn monte_carlo_is_deterministic_for_a_seed() {
    for name in LIBRARY {
        let sc = file(&format!("{name}.json"));
        let a = drill::monte_carlo_json(&sc, 20_000, 7).unwrap();
        let b = drill::monte_carlo_json(&sc, 20_000, 7).unwrap();
        assert_eq!(a, b, "{name}");
        let c = drill::monte_carlo_json(&sc, 20_000, 8).unwrap();
        assert_ne!(a, c, "{name}: another seed gave the same output");
    }
}

/// The plan cache must agree with the full engine on every draw: compare the states of every
/// obligation for a few hundred seeds per scenario, on the library and on variants that force
/// ties and skipped actions.
#[test]
fn fast_path_matches_the_full_engine() {
    let mut compared = 0;
    for name in LIBRARY {
        let base: Value = serde_json::from_str(&file(&format!("{name}.json"))).unwrap();
        let mut tied = base.clone();
        // Delays of 0-60 seconds from the start, some actions skipped: many ties and orders.
        for x in tied["expected"].as_array_mut().unwrap() {
            x["delay"] = json!({"dist": "uniform", "min": 0, "max": 1});
            x["p"] = json!(0.7);
            x.as_object_mut().unwrap().remove("after");
        }
        for v in [base, tied] {
            let sc = Scenario::parse(&v.to_string()).unwrap();
            let mut mc = MonteCarlo::new(&sc).unwrap();
            assert!(mc.fast_path(), "{name}: expected the fast path");
            let mut times = Vec::new();
            let mut out = Vec::new();
            for seed in 0..300u64 {
                let mut rng = Rng::new(seed);
                sample_times(&sc, &mut rng, &mut times);
                mc.outcomes(&times, &mut out).unwrap();
                let fast: Vec<State> = out.iter().map(|o| o.state).collect();
                let full = full_states(&sc, &times).unwrap();
                assert_eq!(fast, full, "{name} seed {seed}: times {times:?}");
                compared += 1;
            }
            assert!(mc.distinct_orders() > 1, "{name}: only one order drawn");
        }
    }
    assert_eq!(compared, 6 * 2 * 300);
}

#[test]
fn monte_carlo_reflects_the_distributions() {
    // Reports always at T+30m (fixed): the 1-hour target is always met. Always at T+90m: never.
    let mk = |mins: u32| {
        let mut v: Value = serde_json::from_str(&file("nagaoka-usb-loss.json")).unwrap();
        for x in v["expected"].as_array_mut().unwrap() {
            if x["id"] == "x-report" {
                x["delay"] = json!({"dist": "fixed", "minutes": mins});
                x.as_object_mut().unwrap().remove("after");
            }
        }
        let r: Value =
            serde_json::from_str(&drill::monte_carlo_json(&v.to_string(), 2_000, 1).unwrap())
                .unwrap();
        r["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["obligation"] == "nagaoka:13-1")
            .unwrap()
            .clone()
    };
    let early = mk(30);
    assert_eq!(early["p_on_time"], 1.0);
    assert_eq!(early["median_slack_minutes"], 30.0);
    let late = mk(90);
    assert_eq!(late["p_on_time"], 0.0);
    assert_eq!(late["p_late"], 1.0);
    assert_eq!(late["median_slack_minutes"], -30.0);
}

// ---------------------------------------------------------------------------------------------
// Untrusted input

fn minimal() -> Value {
    json!({
        "format": "roei/scenario@1", "id": "T", "title": {"ja": "試験", "en": "Test"},
        "contracts": [{"id": "C1", "profile": "nagaoka", "principal": "長岡市"}],
        "start": "2026-11-02T10:00:00+09:00", "end": "T+1d",
        "roles": [{"id": "lead", "name": {"ja": "責任者", "en": "Lead"}, "actor": "contractor"}],
        "injects": [{"id": "i0", "at": "T+0", "text": {"ja": "発生", "en": "It happens"},
                     "events": [{"type": "detected", "actor": "contractor", "data": {"kind": "loss"}}]}]
    })
}

fn err_path(v: &Value) -> Vec<String> {
    match Scenario::parse(&v.to_string()) {
        Ok(_) => panic!("accepted: {v}"),
        Err(e) => e.problems().iter().map(|p| p.path().to_string()).collect(),
    }
}

type Mutation = Box<dyn Fn(&mut Value)>;

#[test]
fn scenario_errors_name_their_path() {
    assert!(Scenario::parse(&minimal().to_string()).is_ok());
    let cases: Vec<(Mutation, &str)> = vec![
        (
            Box::new(|v| v["injects"][0]["at"] = json!("40m")),
            "injects[0].at",
        ),
        (
            Box::new(|v| v["injects"][0]["events"][0]["data"] = json!({})),
            "injects[0].events[0].data.kind",
        ),
        (
            Box::new(|v| v["injects"][0]["events"][0]["type"] = json!("exploded")),
            "injects[0].events[0].type",
        ),
        (
            Box::new(|v| v["injects"][0]["at"] = json!("T+2d")),
            "injects[0].at",
        ),
        (
            Box::new(|v| v["contracts"][0]["profile"] = json!("atlantis")),
            "contracts[0].profile",
        ),
        (
            Box::new(|v| v["injects"][0]["dealy"] = json!(1)),
            "injects[0]",
        ),
        (
            Box::new(|v| {
                v["injects"][0]["when"] = json!({"obligation": "nagaoka:99", "state": ["overdue"]})
            }),
            "injects[0].when.obligation",
        ),
        (
            Box::new(|v| {
                v["injects"][0]["when"] =
                    json!({"obligation": "nagaoka:13-1", "state": ["soonish"]})
            }),
            "injects[0].when.state[0]",
        ),
        (
            Box::new(|v| {
                v["expected"] =
                    json!([{"id": "x", "role": "ghost", "type": "contained", "by": "T+1h"}])
            }),
            "expected[0].role",
        ),
        (
            Box::new(|v| {
                v["expected"] = json!([{"id": "x", "role": "lead", "type": "contained", "by": "T+1h",
            "delay": {"dist": "triangular", "min": 5, "mode": 1, "max": 9}}])
            }),
            "expected[0].delay",
        ),
        (
            Box::new(
                |v| v["expected"] = json!([{"id": "x", "role": "lead", "type": "contained", "by": "T+1h", "after": "nowhere"}]),
            ),
            "expected[0].after",
        ),
        (
            Box::new(|v| {
                v["expected"] = json!([{"id": "x", "role": "lead", "type": "reported_to_principal", "by": "T+1h",
            "data": {"contract": "C9"}}])
            }),
            "expected[0].data.contract",
        ),
        (
            Box::new(|v| {
                v["policy"] = json!({"format": "roei/policy@1", "targets": {"immediately": "soon"}})
            }),
            "policy.targets.immediately",
        ),
        (
            Box::new(|v| v["roles"][0]["name"]["en"] = json!("")),
            "roles[0].name.en",
        ),
    ];
    for (mutate, want) in cases {
        let mut v = minimal();
        mutate(&mut v);
        let paths = err_path(&v);
        assert!(
            paths.iter().any(|p| p.starts_with(want)),
            "wanted {want}, got {paths:?}"
        );
    }
}

#[test]
fn playthrough_errors_name_their_path() {
    let sc = Scenario::parse(&minimal().to_string()).unwrap();
    let pt =
        |actions: Value| json!({"format": "roei/playthrough@1", "actions": actions}).to_string();
    let e = sc
        .parse_playthrough(&pt(json!([
            {"at": "T+2h", "role": "lead", "type": "contained"},
            {"at": "T+1h", "role": "lead", "type": "contained"}])))
        .unwrap_err();
    assert_eq!(e.path(), "actions[1].at");
    let e = sc
        .parse_playthrough(&pt(
            json!([{"at": "T+1h", "role": "mayor", "type": "contained"}]),
        ))
        .unwrap_err();
    assert_eq!(e.path(), "actions[0].role");
    let e = sc
        .parse_playthrough(&pt(
            json!([{"at": "2026-11-01T10:00:00+09:00", "role": "lead", "type": "contained"}]),
        ))
        .unwrap_err();
    assert_eq!(e.path(), "actions[0].at");
    // An action the record refuses is refused with the action's path.
    let p = sc.parse_playthrough(&pt(
        json!([{"at": "T+1h", "role": "lead", "type": "reported_to_principal",
                                       "data": {"contract": "C9"}}]),
    ));
    let e = p
        .and_then(|p| Drill::play(&sc, &p).map(|_| ()))
        .unwrap_err();
    assert!(e.path().starts_with("actions[0]"), "{}", e.path());
}

#[test]
fn hostile_scenarios_are_refused_without_panicking() {
    let big = format!(
        r#"{{"format":"roei/scenario@1","id":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    assert_eq!(Scenario::parse(&big).unwrap_err().code(), "too_large");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(Scenario::parse(&deep).is_err());
    let many = {
        let mut v = minimal();
        let inj = v["injects"][0].clone();
        v["injects"] = Value::Array(
            (0..600)
                .map(|i| {
                    let mut x = inj.clone();
                    x["id"] = json!(format!("i{i}"));
                    x
                })
                .collect(),
        );
        v
    };
    assert!(err_path(&many).contains(&"injects".to_string()));
    // Every prefix of a real scenario, and single-byte corruptions of it: errors, never panics.
    let text = file("nagaoka-usb-loss.json");
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        if let Ok(s) = std::str::from_utf8(&bytes[..cut]) {
            if s.trim_end() == text.trim_end() {
                continue; // only the final newline cut: the whole scenario
            }
            assert!(Scenario::parse(s).is_err());
        }
    }
    for i in (0..bytes.len()).step_by(13) {
        for b in [b'"', b'}', b'9', b'-'] {
            let mut m = bytes.to_vec();
            m[i] = b;
            if let Ok(s) = std::str::from_utf8(&m) {
                if let Ok(sc) = Scenario::parse(s) {
                    let _ = Drill::play(
                        &sc,
                        &roei_core::drill::Playthrough {
                            actions: vec![],
                            end: sc.end,
                        },
                    );
                    let _ = MonteCarlo::new(&sc).and_then(|mut mc| mc.run(50, 1));
                }
            }
        }
    }
    assert!(drill::monte_carlo_json(&text, 0, 1).is_err());
    assert!(drill::monte_carlo_json(&text, u64::MAX, 1).is_err());
}

// ---------------------------------------------------------------------------------------------
// Debrief

#[test]
fn debrief_cites_clauses_states_goals_and_escapes_text() {
    let mut v: Value = serde_json::from_str(&file("nagaoka-usb-loss.json")).unwrap();
    v["title"]["ja"] = json!("<script>alert(1)</script>紛失");
    v["goals"][0]["en"] = json!("Report <b>now</b> & \"in writing\"");
    let sc = v.to_string();
    let bad = file("nagaoka-usb-loss.bad.json");
    let html_ja = drill::debrief_json(&sc, &bad, "ja", "html").unwrap();
    assert!(!html_ja.contains("<script>"));
    assert!(html_ja.contains("&lt;script&gt;alert(1)&lt;/script&gt;紛失"));
    assert!(html_ja.contains("nagaoka:13-1（長岡市 第13条第1項・直ちに）"));
    assert!(html_ja.contains("期限超過・未完了"));
    assert!(html_ja.contains("未記入: 件数・数量"));
    let html_en = drill::debrief_json(&sc, &bad, "en", "html").unwrap();
    assert!(html_en.contains("Report &lt;b&gt;now&lt;/b&gt; &amp; &quot;in writing&quot;"));
    let md_en = drill::debrief_json(&sc, &bad, "en", "md").unwrap();
    assert!(md_en.contains("## Learning goals"));
    assert!(md_en.contains("missing: count"));
    assert!(!md_en.contains("<b>"));
    let md_ja = drill::debrief_json(&sc, &file("nagaoka-usb-loss.good.json"), "ja", "md").unwrap();
    assert!(md_ja.contains("## 期限内にできたこと"));
    // The on-time section lists the report; the late section is empty for the good team.
    let on_time = md_ja.split("## 遅れたこと").next().unwrap();
    assert!(on_time.contains("nagaoka:13-1"));
    assert!(drill::debrief_json(&sc, &bad, "fr", "md").is_err());
}

/// The hostile corpus in every text a scenario gives the debrief (title, goals, role names, inject
/// texts, notes): every format and language keeps it as text, through report/escape.rs.
#[test]
fn debrief_keeps_the_hostile_corpus_as_text() {
    let base: Value = serde_json::from_str(&file("nagaoka-usb-loss.json")).unwrap();
    let play = file("nagaoka-usb-loss.bad.json");
    let corpus = roei_tests::hostile();
    assert_eq!(corpus.len(), 20);
    for p in corpus.iter().map(String::as_str) {
        let mut v = base.clone();
        v["title"] = json!({ "ja": p, "en": p });
        v["goals"] = json!([{ "ja": p, "en": p }]);
        for r in v["roles"].as_array_mut().unwrap() {
            r["name"] = json!({ "ja": p, "en": p });
        }
        for i in v["injects"].as_array_mut().unwrap() {
            i["text"] = json!({ "ja": p, "en": p });
        }
        for x in v["expected"].as_array_mut().unwrap() {
            x["note"] = json!({ "ja": p, "en": p });
        }
        let sc = v.to_string();
        for lang in ["ja", "en"] {
            for format in ["html", "html-fragment"] {
                let html = drill::debrief_json(&sc, &play, lang, format).unwrap();
                for tag in [
                    "<script", "<img", "<svg", "<iframe", "<math", "<details", "<b>",
                ] {
                    assert!(!html.contains(tag), "{format} {lang} {p:?}: {tag}");
                }
                assert!(!html.contains("onerror=\""), "{format} {lang} {p:?}");
                // XML-forbidden characters are replaced, so the page parses as XHTML too.
                assert!(
                    !html.contains(['\u{1}', '\u{8}', '\u{B}', '\u{FFFE}']),
                    "{p:?}"
                );
            }
            let md = drill::debrief_json(&sc, &play, lang, "md").unwrap();
            assert!(!md.contains('<'), "md {lang} {p:?}");
            assert!(
                !md.contains(['\u{2028}', '\u{2029}', '\u{1}', '\u{7F}', '\r']),
                "md {lang} {p:?}: a separator or a control character got through"
            );
            // No text may start a block of its own: every line is one the writer made.
            for l in md.lines() {
                assert!(
                    !(l.starts_with("- a list")
                        || l.starts_with("+ ")
                        || l.starts_with("1. ")
                        || l.starts_with("# heading")
                        || l.starts_with("> ")
                        || l.starts_with("=== ")
                        || l.starts_with("- after")
                        || l.starts_with("| c |")),
                    "md {lang} {p:?}: {l}"
                );
                if l.starts_with('|') {
                    assert!(l.ends_with(" |") || l.ends_with("---|"), "md {lang}: {l}");
                }
            }
            // The text really is there (the test would pass on an empty document otherwise).
            assert!(
                md.contains("\\_\\_xss") || !p.contains("__xss"),
                "md {lang} {p:?}"
            );
        }
    }
}

#[test]
fn interactive_engine_advances_and_scores_like_a_playthrough() {
    // The facilitator's calls (advance, act) give the same score as the recorded playthrough.
    let sc = scenario("nagaoka-usb-loss");
    let pt = sc
        .parse_playthrough(&file("nagaoka-usb-loss.good.json"))
        .unwrap();
    let mut d = Drill::start(&sc).unwrap();
    assert_eq!(d.injects.len(), 1, "only the T+0 inject at the start");
    for a in &pt.actions {
        let shown = d.advance_by(a.at - d.now()).unwrap();
        for i in shown {
            assert!(sc.injects[d.injects[i].index].at <= a.at);
        }
        d.act(a.role, a.event_type, a.data.clone()).unwrap();
    }
    d.advance_by(i64::MAX).unwrap();
    assert!(d.ended());
    let live = drill::score(&d);
    let replay = drill::score(&Drill::play(&sc, &pt).unwrap());
    assert_eq!(live.total, replay.total);
    assert_eq!(
        live.obligations
            .iter()
            .map(|o| o.verdict)
            .collect::<Vec<_>>(),
        replay
            .obligations
            .iter()
            .map(|o| o.verdict)
            .collect::<Vec<_>>()
    );
    assert!(live
        .obligations
        .iter()
        .any(|o| o.verdict == Verdict::OnTime));
    let _ = Lang::En;
}

//! The `roei` binary's contract (docs/FORMATS.md, "The command line"): outputs, exit codes 0/1/2, JSON errors on stderr.
use std::process::{Command, Output};

fn roei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roei"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

fn tmp(name: &str, body: &str) -> String {
    let p = std::env::temp_dir().join(format!("roei-cli-test-{}-{name}", std::process::id()));
    std::fs::write(&p, body).unwrap();
    p.to_string_lossy().into_owned()
}

const EX: &str = "examples/nagaoka-usb-loss.json";
const AT: &str = "2026-11-02T18:00:00+09:00";

#[test]
fn check_json_is_status_v1() {
    let o = roei(&["check", EX, "--at", AT, "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "roei/status@1");
    assert_eq!(v["incident"], "INC-2026-0042");
    assert_eq!(v["at"], AT);
    let keys = [
        "clause",
        "contract",
        "stage",
        "owed_by",
        "owed_to",
        "term",
        "legal_term",
        "written",
        "trigger_at",
        "due",
        "hard",
        "status",
        "missing",
        "done_at",
    ];
    for ob in v["obligations"].as_array().unwrap() {
        for k in keys {
            assert!(ob.get(k).is_some(), "{k} missing in {ob}");
        }
    }
    let r = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "nagaoka:13-1")
        .unwrap();
    // Signs at 10:15, count reported at 13:40: complete but past the one-hour target.
    assert_eq!(r["status"], "done_late");
    assert_eq!(r["done_at"], "2026-11-02T13:40:00+09:00");
    // The committed example output is what the binary prints.
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/nagaoka-usb-loss.status.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        committed, v,
        "examples/nagaoka-usb-loss.status.json is stale: regenerate it"
    );
}

#[test]
fn check_table_is_japanese_with_clauses_due_and_missing() {
    let o = roei(&["check", EX, "--at", "2026-11-02T12:00:00+09:00"]);
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8(o.stdout).unwrap();
    for want in [
        "状態",
        "nagaoka:13-1",
        "直ちに",
        "期限超過",
        "未記入: 件数・数量",
        "11/02 11:15",
        "appi-local-gov:68-1-final",
    ] {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
    let en = String::from_utf8(
        roei(&[
            "check",
            EX,
            "--at",
            "2026-11-02T12:00:00+09:00",
            "--lang",
            "en",
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        en.contains("overdue") && en.contains("missing: count"),
        "{en}"
    );
}

#[test]
fn invalid_input_exits_2_with_a_path() {
    let cases = [
        ("malformed", "{\"format\": ", "json", "format"),
        (
            "nokind",
            r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C","profile":"nagaoka","principal":"市"}],"events":[{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{}}]}"#,
            "missing_field",
            "events[0].data.kind",
        ),
        (
            "profile",
            r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C","profile":"osaka","principal":"市"}]}"#,
            "unknown_profile",
            "contracts[0].profile",
        ),
        (
            "time",
            r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C","profile":"nagaoka","principal":"市"}],"events":[{"id":"e1","at":"2026-11-02","type":"closed","actor":"other"}]}"#,
            "invalid_value",
            "events[0].at",
        ),
    ];
    for (name, body, code, path) in cases {
        let f = tmp(name, body);
        for cmd in ["check", "validate"] {
            let o = roei(&[cmd, &f, "--json"]);
            assert_eq!(o.status.code(), Some(2), "{name} {cmd}");
            let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|_| {
                panic!(
                    "{name}: stderr is not JSON: {}",
                    String::from_utf8_lossy(&o.stderr)
                )
            });
            assert_eq!(e["error"]["code"], code, "{name}");
            assert_eq!(e["error"]["path"], path, "{name}");
            assert!(e["error"].get("clause").is_some());
            assert!(e["error"]["message"].as_str().unwrap().len() > 5);
        }
        let o = roei(&["validate", &f]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains(path), "{name}");
    }
    let o = roei(&["check", EX, "--at", "tomorrow", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let f = tmp(
        "policy",
        r#"{"format":"roei/policy@1","targets":{"immediately":"1 hour"}}"#,
    );
    let o = roei(&["check", EX, "--policy", &f, "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["path"], "targets.immediately");
}

#[test]
fn other_failures_exit_1() {
    let o = roei(&["check", "/nonexistent/record.json", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["code"], "io");
}

#[test]
fn validate_accepts_the_example() {
    let o = roei(&["validate", EX]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("INC-2026-0042"));
}

#[test]
fn profiles_and_graphs() {
    let o = roei(&["profiles", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let nagaoka = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "nagaoka")
        .unwrap();
    assert_eq!(nagaoka["seed"], "000_7bd46e1318274b13.txt");
    let t = String::from_utf8(roei(&["profiles"]).stdout).unwrap();
    assert!(t.contains("長岡市") && t.contains("洋野町"));
    for p in [
        "nagaoka",
        "kimitsu",
        "sapporo",
        "nerima",
        "hirono",
        "appi-local-gov",
        "mynumber",
    ] {
        let dot = String::from_utf8(roei(&["graph", p, "--format", "dot"]).stdout).unwrap();
        assert!(
            dot.starts_with("digraph") && dot.trim_end().ends_with('}'),
            "{p}"
        );
        let m = String::from_utf8(roei(&["graph", p, "--format", "mermaid"]).stdout).unwrap();
        assert!(m.starts_with("flowchart"), "{p}");
    }
    // A contract profile's graph carries its clauses and its national layers with their Rule 43 branch.
    let dot = String::from_utf8(roei(&["graph", "nerima", "--format", "dot"]).stdout).unwrap();
    for want in [
        "nerima:19-1(1)",
        "nerima:19-1(4)",
        "appi-local-gov:68-1-final",
        "rule43",
        "style=dashed",
        "follow-up",
    ] {
        assert!(dot.contains(want), "{want} not in graph");
    }
    let o = roei(&["graph", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn seal_then_verify() {
    let o = roei(&["seal", EX]);
    assert_eq!(o.status.code(), Some(0));
    let sealed = String::from_utf8(o.stdout).unwrap();
    let f = tmp("sealed", &sealed);
    let o = roei(&["verify", &f, "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["seal"]["sealed"], 7);
    let bad = tmp("tampered", &sealed.replace("1,200件", "120件"));
    let o = roei(&["verify", &bad, "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["path"], "events[5].seal.hash");
}

#[test]
fn a_closed_pipe_stops_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // A sealed record far larger than a pipe's buffer, so roei is still writing when the reader
    // goes away after a few bytes (as `| head -c 10` does).
    let events: Vec<String> = (1..=3000)
        .map(|i| {
            format!(
                r#"{{"id":"e{i}","at":"2026-11-02T10:00:00+09:00","type":"facts","actor":"contractor","data":{{"location":"作業場所 {i}"}}}}"#
            )
        })
        .collect();
    let rec = format!(
        r#"{{"format":"roei/incident@1","id":"BIG","contracts":[{{"id":"C","profile":"nagaoka","principal":"長岡市"}}],"events":[{{"id":"e0","at":"2026-11-02T09:00:00+09:00","type":"detected","actor":"contractor","data":{{"kind":"loss"}}}},{}]}}"#,
        events.join(",")
    );
    let file = tmp("big.json", &rec);
    let mut child = Command::new(env!("CARGO_BIN_EXE_roei"))
        .args(["seal", &file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the pipe is closed while roei is still writing.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn a_refused_option_value_is_an_input_error_naming_the_option() {
    // Parsed once by clap into a typed value; under --json the refusal is the usual error object.
    let out = roei(&["check", EX, "--at", AT, "--lang", "fr", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["code"], "invalid_value");
    assert_eq!(e["error"]["path"], "--lang");
    assert!(e["error"]["message"].as_str().unwrap().contains("'fr'"));
    // Without --json, clap's message lists what is accepted.
    let out = roei(&["report", EX, "--kind", "ppc", "--at", AT]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ppc-preliminary") && err.contains("ppc-final"),
        "{err}"
    );
}

#[test]
fn operators_get_version_completions_man_page_and_exit_codes() {
    let v = roei(&["--version"]);
    assert!(v.status.success());
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("roei {}", env!("CARGO_PKG_VERSION"))
    );
    let help = String::from_utf8_lossy(&roei(&["--help"]).stdout).into_owned();
    for line in [
        "Exit codes",
        "  0  done",
        "  1  anything else",
        "  2  invalid input",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}:\n{help}");
    }
    for (shell, marker) in [
        ("bash", "_roei()"),
        ("zsh", "#compdef roei"),
        ("fish", "complete -c roei"),
    ] {
        let c = roei(&["completions", shell]);
        assert!(c.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&c.stdout);
        assert!(text.contains(marker), "{shell}: {text:.200}");
        assert!(
            text.contains("validate") && text.contains("completions"),
            "{shell} names the commands"
        );
    }
    let man = roei(&["man"]);
    assert!(man.status.success());
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(
        man.starts_with(".ie") || man.contains(".TH roei 1"),
        "{man:.200}"
    );
    assert!(man.contains(".SH \"EXIT STATUS\"") && man.contains("invalid input"));
    assert_eq!(roei(&["completions", "tcsh"]).status.code(), Some(2));
}

/// What the CLI prints validates against docs/schemas/: every status of `roei check --json` (the
/// example record and the drill library's records as the drills leave them), the profile list and
/// an error report.
#[test]
fn cli_output_validates_against_the_schemas() {
    use roei_tests::schema_problems;
    let mut n = 0;
    for at in [
        "2026-11-02T10:30:00+09:00",
        AT,
        "2026-11-20T12:00:00+09:00",
        "2027-03-01T09:00:00+09:00",
    ] {
        let out = roei(&["check", EX, "--at", at, "--json"]);
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let problems = schema_problems("status.schema.json", &v);
        assert!(problems.is_empty(), "status at {at}: {problems:#?}");
        n += 1;
    }
    // Records with national duties, several contracts and every event type: the drill library
    // played through, each status written by `roei check`.
    for name in [
        "nagaoka-usb-loss",
        "sapporo-misdirected-email",
        "hirono-ransomware",
        "nerima-unauthorised-software",
        "mynumber-wrong-household",
        "cloud-share-two-contracts",
    ] {
        for play in ["good", "bad"] {
            let sc = format!("examples/drills/{name}.json");
            let pt = format!("examples/drills/{name}.{play}.json");
            let out = roei(&["drill", &sc, "--play", &pt, "--json"]);
            assert!(out.status.success(), "{name}.{play}");
            let score: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let status = &score["status"];
            assert_eq!(status["format"], "roei/status@1", "{name}.{play}");
            let problems = schema_problems("status.schema.json", status);
            assert!(problems.is_empty(), "{name}.{play}: {problems:#?}");
            let problems = schema_problems("incident.schema.json", &score["record"]);
            assert!(problems.is_empty(), "{name}.{play} record: {problems:#?}");
            n += 1;
        }
    }
    assert!(n >= 16);
    let out = roei(&["profiles", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = schema_problems("profiles.schema.json", &v);
    assert!(problems.is_empty(), "{problems:#?}");
    let out = roei(&["check", "no-such-file.json", "--json"]);
    let bad = tmp("bad.json", r#"{"format":"roei/incident@1","contracts":[]}"#);
    let out2 = roei(&["check", &bad, "--json"]);
    assert_eq!(out2.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&out2.stderr).unwrap();
    let problems = schema_problems("error.schema.json", &e["error"]);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(out.status.code(), Some(1));
}

/// Issue 14: input from any source is read up to the limit and no further; text that is not UTF-8
/// is an input error naming the offset; a BOM is skipped; a full disk is an error, not a panic.
#[test]
fn inputs_are_bounded_and_named_and_outputs_fail_cleanly() {
    let start = std::time::Instant::now();
    let o = roei(&["check", "/dev/zero", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["code"], "too_large");
    // Not a benchmark: /dev/zero used to grow until the OOM killer; a minute means it still does.
    assert!(start.elapsed() < std::time::Duration::from_secs(60));

    let mut bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/nagaoka-usb-loss.json"
    ))
    .unwrap();
    let at = bytes.windows(5).position(|w| w == b"INC-2").unwrap();
    bytes[at + 3] = 0xFF;
    let p = std::env::temp_dir().join(format!("roei-cli-test-{}-latin", std::process::id()));
    std::fs::write(&p, &bytes).unwrap();
    let o = roei(&["validate", p.to_str().unwrap(), "--json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["path"].as_str()),
        (Some("json"), Some("id"))
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("offset {}", at + 3)),
        "{e}"
    );

    let bom = tmp(
        "bom",
        &format!(
            "\u{feff}{}",
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../examples/nagaoka-usb-loss.json"
            ))
            .unwrap()
        ),
    );
    assert_eq!(roei(&["validate", &bom]).status.code(), Some(0));

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_roei"))
        .args(["seal", EX])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("No space left"));
}

/// Issue 14 point 9: an unsealed record is not "ok"; an anchor taken from a report catches an edit
/// that was sealed again.
#[test]
fn verify_reports_unsealed_records_and_checks_anchors() {
    let o = roei(&["verify", EX, "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["code"], "unsealed");

    let sealed = String::from_utf8(roei(&["seal", EX]).stdout).unwrap();
    let f = tmp("anchor-sealed", &sealed);
    let o = roei(&["verify", &f, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let head = v["seal"]["head"].as_str().unwrap().to_string();
    // The report prints the same head.
    let rep = roei(&["report", &f, "--kind", "principal", "--at", AT]);
    assert!(String::from_utf8_lossy(&rep.stdout).contains(&head));
    let o = roei(&["verify", &f, "--anchor", &head]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Edit an early event of the unsealed original and seal again: verify alone says ok.
    let edited = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../",
        "examples/nagaoka-usb-loss.json"
    ))
    .unwrap()
    .replace("1,200件", "120件");
    let e = tmp("anchor-edited", &edited);
    let resealed = tmp(
        "anchor-resealed",
        &String::from_utf8(roei(&["seal", &e]).stdout).unwrap(),
    );
    assert_eq!(roei(&["verify", &resealed]).status.code(), Some(0));
    let o = roei(&["verify", &resealed, "--anchor", &head, "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["path"], "events");
}

/// Issue 14 point 8: a crafted id cannot drive the terminal (clear the screen, reorder text).
#[test]
fn control_and_bidi_characters_never_reach_the_terminal() {
    let ex = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/nagaoka-usb-loss.json"
    ))
    .unwrap();
    let crafted = ex.replacen(
        "\"INC-2026-0042\"",
        "\"X\\u001b[2J\\u001b[Hok: all clear\\u202e\"",
        1,
    );
    let f = tmp("crafted", &crafted);
    for args in [
        vec!["validate", f.as_str()],
        vec!["check", f.as_str(), "--at", AT],
    ] {
        let o = roei(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out}"
        );
        assert!(out.contains("[U+001B][2J"), "{out}");
    }
}

//! The native side of `benches/js/bench.mjs`: parse + evaluate of the very record texts the Node
//! script hands to the WASM engines, timed in this process so the ratio `roei/fast` / native is
//! measured on identical bytes, back to back with the WASM rounds (issue 17 target 1).
//!
//! `cargo bench -p roei-core --bench texts -- --file FILE --at RFC3339 [--runs R] [--warm W]`
//!
//! FILE holds one record per line (JSON text without newlines, as `JSON.stringify` writes it).
//! After a warm-up over the first W records (default 2,000), each of R runs (default 1) times:
//! - `raw`: `serde_json::Value` parse of every text (the floor of any JSON reader here);
//! - `states`: `Record::parse` + `evaluate`, and each obligation's id and state key collected, as
//!   the engine's `checkManyStates` does;
//! - `status`: `Record::parse` + `evaluate` + `to_status` + `serde_json::to_string`, as `checkMany`.
//!
//! Prints one JSON line: `{ "records", "bytes", "raw_ms": [..], "states_ms": [..], "status_ms": [..],
//! "states_cpu_ms": [..] }`. `states_cpu_ms` is the CPU time of `states` (this thread's time on a
//! CPU, Linux's /proc/thread-self/schedstat; `null` elsewhere): what `benches/js/fast-native.mjs`
//! compares with roei/fast's CPU time, since on a shared machine other jobs inflate wall time.
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// `Record::parse` + `evaluate`, the pairs kept: what `checkManyStates` computes per record.
fn states(
    text: &str,
    at: &roei_core::Instant,
    policy: &roei_core::Policy,
) -> Vec<(String, &'static str)> {
    let r = roei_core::Record::parse(text).expect("the generated records are valid");
    roei_core::evaluate(&r, at, policy)
        .obligations
        .iter()
        .map(|o| (o.clause.obligation_id().to_string(), o.state.key()))
        .collect()
}

fn status(text: &str, at: &roei_core::Instant, policy: &roei_core::Policy) -> String {
    let r = roei_core::Record::parse(text).expect("the generated records are valid");
    serde_json::to_string(&roei_core::evaluate(&r, at, policy).to_status(&r)).unwrap_or_default()
}

/// This thread's CPU time so far in ms (Linux), or `None` where the kernel does not say.
fn thread_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn main() {
    let file = arg("--file").expect("--file FILE (one record text per line)");
    let at = arg("--at").unwrap_or_else(|| "2026-11-10T12:00:00+09:00".into());
    let runs: usize = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(1);
    let warm: usize = arg("--warm").and_then(|s| s.parse().ok()).unwrap_or(2000);
    let body = std::fs::read_to_string(&file).expect("the record file");
    let texts: Vec<&str> = body.lines().filter(|l| !l.is_empty()).collect();
    let at = roei_core::time::parse_instant(&at).expect("--at is an RFC 3339 instant");
    let policy = roei_core::Policy::default();
    let mut sink = 0usize;
    for t in texts.iter().take(warm) {
        sink += states(t, &at, &policy).len() + status(t, &at, &policy).len();
    }
    let time = |f: &mut dyn FnMut(&str) -> usize, sink: &mut usize| {
        let t0 = Instant::now();
        for t in &texts {
            *sink += f(t);
        }
        t0.elapsed().as_secs_f64() * 1e3
    };
    let (mut raw, mut st, mut doc, mut st_cpu) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        raw.push(time(
            &mut |t| {
                let v: serde_json::Value = serde_json::from_str(t).expect("JSON");
                v.as_object().map_or(0, |o| o.len())
            },
            &mut sink,
        ));
        let cpu0 = thread_cpu_ms();
        st.push(time(&mut |t| states(t, &at, &policy).len(), &mut sink));
        st_cpu.push(cpu0.zip(thread_cpu_ms()).map(|(a, b)| b - a));
        doc.push(time(&mut |t| status(t, &at, &policy).len(), &mut sink));
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    println!(
        "{}",
        serde_json::json!({
            "records": texts.len(), "bytes": bytes, "sink": sink,
            "raw_ms": raw, "states_ms": st, "status_ms": doc, "states_cpu_ms": st_cpu,
        })
    );
}

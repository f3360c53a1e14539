//! One run over a portfolio of incidents (default 1,000,000): raw `serde_json::Value` parse of the
//! same bytes against roei's parse + evaluate, measured back to back in one process so the ratio is
//! fair. `cargo bench -p roei-core --bench portfolio -- [N]`
use std::time::Instant;

mod common;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // 5,000 distinct records, repeated: keeps memory modest while the bytes stay realistic.
    let distinct: Vec<String> = (0..5000).map(common::record).collect();
    let bytes: usize = (0..n).map(|i| distinct[i % distinct.len()].len()).sum();
    let at = roei_core::time::parse_instant("2026-11-20T00:00:00+09:00").unwrap();
    let policy = roei_core::Policy::default();
    let mut sink = 0usize;
    let t = Instant::now();
    for i in 0..n {
        let v: serde_json::Value = serde_json::from_str(&distinct[i % distinct.len()]).unwrap();
        sink += v.as_object().map_or(0, |o| o.len());
    }
    let raw = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut overdue = 0usize;
    for i in 0..n {
        let r = roei_core::Record::parse(&distinct[i % distinct.len()]).unwrap();
        let ev = roei_core::evaluate(&r, &at, &policy);
        overdue += ev.counts()[roei_core::State::Overdue as usize];
        sink += ev.obligations.len();
    }
    let ours = t.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!("portfolio: {n} incidents, {mb:.1} MB ({overdue} overdue obligations; sink {sink})");
    println!(
        "serde_json::Value parse : {raw:.2} s  {:.1} MB/s  {:.0} incidents/s",
        mb / raw,
        n as f64 / raw
    );
    println!(
        "roei parse + evaluate   : {ours:.2} s  {:.1} MB/s  {:.0} incidents/s",
        mb / ours,
        n as f64 / ours
    );
    println!("ratio (roei / raw parse): {:.0}%", raw / ours * 100.0);
}

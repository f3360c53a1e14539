//! Fold + status and append throughput (BENCHMARKS.md, "Native engine"): `cargo bench -p roei-core --bench engine`.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use roei_core::{evaluate, Policy, Record};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let records: Vec<Record> = (0..1000)
        .map(|i| Record::parse(&common::record(i)).unwrap())
        .collect();
    let events: usize = records.iter().map(|r| r.events.len()).sum();
    let at = roei_core::time::parse_instant("2026-11-20T00:00:00+09:00").unwrap();
    let policy = Policy::default();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(events as u64));
    g.bench_function("fold_status_1000_records", |b| {
        b.iter(|| {
            let mut n = 0;
            for r in &records {
                n += evaluate(black_box(r), &at, &policy).obligations.len();
            }
            n
        })
    });
    g.bench_function("fold_status_to_json_1000_records", |b| {
        b.iter(|| {
            let mut n = 0;
            for r in &records {
                n += serde_json::to_string(&evaluate(black_box(r), &at, &policy).to_status(r))
                    .unwrap()
                    .len();
            }
            n
        })
    });
    // Building the same records one event at a time, as the widget and services do (`append_json`:
    // each event parsed, validated against the record and admitted).
    let split: Vec<(String, Vec<String>)> = (0..1000)
        .map(|i| {
            let mut v: serde_json::Value = serde_json::from_str(&common::record(i)).unwrap();
            let evs = std::mem::take(v["events"].as_array_mut().unwrap());
            (v.to_string(), evs.iter().map(|e| e.to_string()).collect())
        })
        .collect();
    g.bench_function("append_1000_records", |b| {
        b.iter(|| {
            let mut n = 0;
            for (head, evs) in &split {
                let mut r = Record::parse(black_box(head)).unwrap();
                for e in evs {
                    r.append_json(e, roei_core::Limits::default()).unwrap();
                }
                n += r.events.len();
            }
            n
        })
    });
    let texts: Vec<String> = (0..1000).map(common::record).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse_1000_records", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| Record::parse(black_box(t)).unwrap().events.len())
                .sum::<usize>()
        })
    });
    g.bench_function("serde_json_value_parse_1000_records", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    serde_json::from_str::<serde_json::Value>(black_box(t))
                        .unwrap()
                        .as_object()
                        .map_or(0, |o| o.len())
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

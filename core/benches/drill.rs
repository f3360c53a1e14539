//! Drill Monte Carlo throughput (BENCHMARKS.md, "Drill Monte Carlo"):
//! `cargo bench -p roei-core --bench drill`. One element = one simulated incident: delays drawn for
//! every expected action, every obligation's state and slack computed, results accumulated.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use roei_core::drill::{full_states, sample_times, MonteCarlo, Rng, Scenario};
use std::hint::black_box;

const RUNS: u64 = 100_000;

fn scenario(name: &str) -> Scenario {
    let p = format!(
        "{}/../examples/drills/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Scenario::parse(&std::fs::read_to_string(p).expect("library scenario")).expect("valid")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("drill_monte_carlo");
    g.throughput(Throughput::Elements(RUNS));
    g.sample_size(20);
    for name in [
        "nagaoka-usb-loss",
        "cloud-share-two-contracts",
        "hirono-ransomware",
    ] {
        let sc = scenario(name);
        g.bench_function(format!("{name}/100k_runs"), |b| {
            // A fresh simulator per iteration: the plan cache is built inside the measurement.
            b.iter(|| {
                let mut mc = MonteCarlo::new(&sc).expect("simulator");
                black_box(mc.run(RUNS, black_box(42)).expect("runs").obligations.len())
            })
        });
    }
    g.finish();
    // The reference the fast path replaces: one full engine run (Drill::play + evaluate) per draw.
    let mut g = c.benchmark_group("drill_full_engine");
    let sc = scenario("nagaoka-usb-loss");
    g.throughput(Throughput::Elements(1_000));
    g.sample_size(10);
    g.bench_function("nagaoka-usb-loss/1k_runs", |b| {
        b.iter(|| {
            let mut rng = Rng::new(42);
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..1_000 {
                sample_times(&sc, &mut rng, &mut times);
                n += full_states(&sc, &times).expect("play").len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

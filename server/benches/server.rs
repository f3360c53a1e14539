//! roei-server's benchmark (BENCHMARKS.md): appends per second and p50/p99 latency with 1, 8 and 64
//! concurrent clients over HTTP, on SQLite and PostgreSQL, beside the raw insert rate of the same
//! database with the same durability settings (the same pool settings: SQLite WAL with
//! synchronous=FULL, PostgreSQL with fsync and synchronous_commit on) measured in the same run; and
//! the dashboard over 10,000 incidents beside reading the same rows without evaluating them.
//!
//! `cargo bench -p roei-server --bench server` (PostgreSQL needs initdb/pg_ctl, as the tests;
//! ROEI_SKIP_POSTGRES=1 runs SQLite only). `ROEI_BENCH_SECONDS` sets each measurement's length (3).
#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use roei_server::store::Store;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

fn seconds() -> f64 {
    std::env::var("ROEI_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0)
}

struct Run {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn summarise(mut lat: Vec<Duration>, elapsed: Duration) -> Run {
    lat.sort();
    let pick = |q: f64| {
        lat.get(((lat.len() as f64 - 1.0) * q).round() as usize)
            .map(|d| d.as_secs_f64() * 1e3)
            .unwrap_or(0.0)
    };
    Run {
        rate: lat.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: pick(0.5),
        p99_ms: pick(0.99),
    }
}

/// Each client appends to its own incident (an incident has one writer at a time in practice;
/// 32 writers on one incident is the concurrency test's case) until the time is up.
fn service_appends(s: &Server, token: &str, clients: usize, tag: &str) -> Run {
    let c = Client::new(s, Some(token));
    let heads: Vec<String> = (0..clients)
        .map(|i| {
            c.create(
                &format!("B-{tag}-{clients}-{i}"),
                nagaoka("R8-0123", "長岡市"),
            )
            .json()["head"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let barrier = Arc::new(Barrier::new(clients));
    let all = Arc::new(Mutex::new(Vec::new()));
    let run = Duration::from_secs_f64(seconds());
    let start = Instant::now();
    let threads: Vec<_> = heads
        .into_iter()
        .enumerate()
        .map(|(i, mut head)| {
            let (c, barrier, all) = (c.clone(), barrier.clone(), all.clone());
            let id = format!("B-{tag}-{clients}-{i}");
            std::thread::spawn(move || {
                barrier.wait();
                let mut session = c.session();
                let t0 = Instant::now();
                let mut lat = Vec::new();
                let mut n = 0;
                while t0.elapsed() < run {
                    let ev = event(
                        &format!("e{n}"),
                        "2026-11-02T11:00:00+09:00",
                        "facts",
                        json!({"note": n}),
                    );
                    let t = Instant::now();
                    let a = session.append(&id, &head, &ev);
                    assert_eq!(a.status, 201, "{}", a.body);
                    lat.push(t.elapsed());
                    head = a.json()["head"].as_str().unwrap().to_string();
                    n += 1;
                }
                all.lock().unwrap().extend(lat);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = start.elapsed();
    let lat = all.lock().unwrap().clone();
    summarise(lat, elapsed)
}

/// The same number of writers inserting rows of the same size into a plain table, one autocommit
/// INSERT each, through the service's own pool settings.
async fn raw_inserts(store: &Store, clients: usize, tag: &str, row: &str) -> Run {
    let table = format!("bench_raw_{tag}_{clients}");
    sqlx::query(&format!("CREATE TABLE {table} (k TEXT NOT NULL, seq BIGINT NOT NULL, raw TEXT NOT NULL, PRIMARY KEY (k, seq))"))
        .execute(&store.pool)
        .await
        .unwrap();
    let run = Duration::from_secs_f64(seconds());
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let (pool, table, row) = (store.pool.clone(), table.clone(), row.to_string());
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let t0 = Instant::now();
                let mut n = 0i64;
                while t0.elapsed() < run {
                    let t = Instant::now();
                    sqlx::query(&format!(
                        "INSERT INTO {table} (k, seq, raw) VALUES ($1, $2, $3)"
                    ))
                    .bind(format!("k{i}"))
                    .bind(n)
                    .bind(&row)
                    .execute(&pool)
                    .await
                    .unwrap();
                    lat.push(t.elapsed());
                    n += 1;
                }
                lat
            })
        })
        .collect();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    summarise(lat, start.elapsed())
}

const DASH_PRINCIPAL: &str = "ダッシュボード市";

/// 10,000 incidents of 4 sealed events each, written straight into the store.
async fn fill(store: &Store, n: usize) {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/nagaoka-usb-loss.json"
    ))
    .unwrap();
    let mut base = roei_core::Record::parse(&example).unwrap();
    base.events.truncate(0);
    // Its own principal, so that the service's benchmark incidents stay out of these rows.
    base.contracts[0].principal = DASH_PRINCIPAL.into();
    // The rows the service would have written, 500 incidents a transaction (a setup, not measured:
    // one commit per row would spend minutes on fsync).
    let mut tx = store.pool.begin().await.unwrap();
    for i in 0..n {
        if i % 500 == 499 {
            tx.commit().await.unwrap();
            tx = store.pool.begin().await.unwrap();
        }
        let id = format!("D-{i:05}");
        let mut rec =
            roei_core::Record::new(&id, Some("dashboard"), base.contracts.clone()).unwrap();
        let header = json!({"format": "roei/incident@1", "id": id, "title": "dashboard", "contracts": rec.contracts}).to_string();
        sqlx::query("INSERT INTO roei_incidents (id, header, created_at, created_by) VALUES ($1, $2, '2026-11-02T10:00:00.000+09:00', 'bench')")
            .bind(&id)
            .bind(&header)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO roei_incident_scope (incident_id, contract_id, principal) VALUES ($1, 'R8-0123', $2)")
            .bind(&id)
            .bind(DASH_PRINCIPAL)
            .execute(&mut *tx)
            .await
            .unwrap();
        for (j, (t, data)) in [
            ("detected", json!({"kind": "loss", "signs_only": true})),
            ("containment_started", json!({"measures": "捜索"})),
            ("facts", json!({"subjects_count": 1200, "encrypted": false})),
            ("confirmed", json!({})),
        ]
        .into_iter()
        .enumerate()
        {
            let mut ev = event(
                &format!("e{j}"),
                &format!("2026-11-02T1{j}:00:00+09:00"),
                t,
                data,
            );
            ev["actor"] = json!("contractor");
            ev["received_at"] = json!("2026-11-02T10:00:00.000+09:00");
            rec.append_json(&ev.to_string(), roei_core::Limits::default())
                .unwrap();
            if !rec.is_sealed() {
                rec.seal().unwrap();
            }
            sqlx::query("INSERT INTO roei_events (incident_id, seq, event_id, raw, head, received_at, recorded_by, record_bytes) VALUES ($1, $2, $3, $4, $5, '2026-11-02T10:00:00.000+09:00', 'bench', $6)")
                .bind(&id)
                .bind(j as i64 + 1)
                .bind(format!("e{j}"))
                .bind(rec.events[j].raw())
                .bind(roei_server::api::head_of(&rec))
                .bind(roei_server::api::record_text(&header, &rec.events.iter().map(|e| e.raw()).collect::<Vec<_>>()).len() as i64)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// Where the dashboard's time goes beyond the read, per incident, each step alone over rows
/// already in memory: the record text and roei-core's parse, the evaluation, and the row's JSON.
async fn dashboard_split(store: &Store, at: &roei_core::Instant, n: usize) {
    let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
    store
        .visible_each(DASH_PRINCIPAL, None, |id, header, events| {
            rows.push((id, header, events))
        })
        .await
        .unwrap();
    let policy = roei_core::Policy::default();
    let t = Instant::now();
    let recs: Vec<roei_core::Record> = rows
        .iter()
        .map(|(_, h, e)| roei_core::Record::parse(&roei_server::api::record_text(h, e)).unwrap())
        .collect();
    let parse = t.elapsed();
    let t = Instant::now();
    for r in &recs {
        std::hint::black_box(roei_core::evaluate(r, at, &policy));
    }
    let evaluate = t.elapsed();
    let t = Instant::now();
    let mut out = Vec::new();
    for r in &recs {
        serde_json::to_writer(&mut out, &roei_server::api::summary(r, at, &policy)).unwrap();
    }
    let row = t.elapsed();
    let us = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "  per incident, one thread: record text + parse {:.1} µs, evaluate {:.1} µs, evaluate + row JSON {:.1} µs",
        us(parse),
        us(evaluate),
        us(row)
    );
}

/// Where one append's time goes, each step alone, sequentially, on an incident of `events`
/// events: an authenticated keep-alive HTTP round trip (`GET /whoami`, the token cached), the
/// append's one read query, roei-core's part (parse header + head, validate, seal), signing the
/// receipt. The insert is the raw insert measured beside it.
async fn append_split(s: &Server, token: &str, url: &str, id: &str) {
    let runs = 200;
    let store = Store::open(url, 2).await.unwrap();
    let c = Client::new(s, Some(token));
    let mut session = c.session();
    let t = Instant::now();
    for _ in 0..runs {
        assert_eq!(
            session.call("GET", "/roei-api/whoami", None, None).status,
            200
        );
    }
    let http = t.elapsed();
    let t = Instant::now();
    let mut point = None;
    for _ in 0..runs {
        point = store.append_point(id, "e-new").await.unwrap();
    }
    let read = t.elapsed();
    let point = point.unwrap();
    let ev = json!({"id": "e-new", "at": "2026-11-02T11:00:00+09:00", "type": "facts", "data": {"note": 1}, "actor": "contractor", "received_at": "2026-11-02T11:00:00.000+09:00"}).to_string();
    let t = Instant::now();
    for _ in 0..runs {
        let base = roei_server::api::tail_record(id, &point).unwrap();
        roei_server::api::extend(id, &point, base, &ev, roei_core::Limits::default()).unwrap();
    }
    let core = t.elapsed();
    let dir = TempDir::new("key");
    let keys = roei_server::receipt::Keys::load_or_create(&dir.0.join("k")).unwrap();
    let t = Instant::now();
    for i in 0..runs {
        std::hint::black_box(keys.receipt(
            id,
            i,
            "e-new",
            &point.header,
            "2026-11-02T11:00:00.000+09:00",
        ));
    }
    let sign = t.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / runs as f64;
    println!(
        "  one append, step by step (ms): HTTP round trip + auth {:.2}, read header+head {:.2}, roei-core parse/validate/seal {:.3}, sign {:.3} (+ the insert: raw p50)",
        ms(http),
        ms(read),
        ms(core),
        ms(sign)
    );
}

/// Median of `runs` timings of `f`.
async fn median<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut t = Vec::new();
    for _ in 0..runs {
        let s = Instant::now();
        f().await;
        t.push(s.elapsed());
    }
    t.sort();
    t[t.len() / 2]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("roei-server benchmark ({} s per measurement)", seconds());
    for db in databases() {
        let s = Server::start(&db);
        let token = s.token("bench", "contractor", "長岡市", &["R8-0123"]);
        let url = s
            .database
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", s.data.join("roei.sqlite3").display()));
        // A stored event of the size the service writes (sealed, stamped).
        let row = r#"{"actor":"contractor","at":"2026-11-02T11:00:00+09:00","data":{"note":1},"id":"e1","received_at":"2026-11-02T11:00:00.000+09:00","seal":{"alg":"sha256","hash":"4f7ef96953398f7930f4b901b22bbd7b33a79d8fe1717298bc5b279a066f11c5","prev":"3893a7c69fb945c52abc7a4df01ee44ce8b034c91da4fe8ab2edeef1db17213e"},"type":"facts"}"#;
        println!(
            "\n{}: appends (service over HTTP) vs raw INSERT (same database, same durability)",
            db.name()
        );
        println!("clients | service appends/s | p50 ms | p99 ms | raw inserts/s | p50 ms | p99 ms | ratio");
        for clients in [1, 8, 64] {
            let svc = service_appends(&s, &token, clients, db.name());
            let raw = rt.block_on(async {
                let store = Store::open(&url, 16).await.unwrap();
                raw_inserts(&store, clients, db.name(), row).await
            });
            println!(
                "{clients:>7} | {:>17.0} | {:>6.2} | {:>6.2} | {:>13.0} | {:>6.2} | {:>6.2} | {:.0} %",
                svc.rate, svc.p50_ms, svc.p99_ms, raw.rate, raw.p50_ms, raw.p99_ms, 100.0 * svc.rate / raw.rate
            );
        }
        rt.block_on(append_split(
            &s,
            &token,
            &url,
            &format!("B-{}-1-0", db.name()),
        ));
        rt.block_on(async {
            let dir = TempDir::new("dash");
            let url = match &db {
                Db::Sqlite => format!("sqlite://{}", dir.0.join("dash.sqlite3").display()),
                Db::Postgres(pg) => pg.url.clone(),
            };
            let store = Store::open(&url, 16).await.unwrap();
            let n = 10_000;
            let t = Instant::now();
            fill(&store, n).await;
            eprintln!("({} incidents written in {:.1} s)", n, t.elapsed().as_secs_f64());
            let at = roei_core::time::parse_instant("2026-11-03T12:00:00+09:00").unwrap();
            // The plain read: the same two queries, the same rows streamed, every byte touched.
            let read = median(5, || async {
                let mut bytes = 0;
                let rows = store
                    .visible_each(DASH_PRINCIPAL, None, |id, header, events| {
                        bytes += id.len()
                            + header.len()
                            + events.iter().map(String::len).sum::<usize>();
                    })
                    .await
                    .unwrap();
                assert_eq!(rows, n);
                assert!(bytes > 0);
            })
            .await;
            let dash = median(5, || async {
                let body = roei_server::api::dashboard(&store, DASH_PRINCIPAL, None, &at)
                    .await
                    .unwrap();
                assert!(body.len() > n * 100);
            })
            .await;
            println!(
                "\n{}: dashboard over {n} incidents: read rows {:.0} ms, read + evaluate {:.0} ms: {:.2}x",
                db.name(),
                read.as_secs_f64() * 1e3,
                dash.as_secs_f64() * 1e3,
                dash.as_secs_f64() / read.as_secs_f64()
            );
            dashboard_split(&store, &at, n).await;
        });
    }
}

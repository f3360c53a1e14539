//! roei-server's benchmark (BENCHMARKS.md): appends per second and p50/p99 latency with 1, 8 and 64
//! concurrent clients over HTTP, on SQLite and PostgreSQL, beside the raw insert rate of the same
//! database with the same durability settings (the same pool settings: SQLite WAL with
//! synchronous=FULL, PostgreSQL with fsync and synchronous_commit on) measured in the same run; and
//! the dashboard over 10,000 incidents beside reading the same rows without evaluating them.
//! Clients keep their connection alive, as a browser or a portal's HTTP client does. The two sides of
//! each ratio take turns in short slices (and the dashboard and the plain read alternate), so that a
//! shared machine's changing load falls on both alike. Each database's section also prints where an
//! append's time goes and where the dashboard's does, step by step, and the CPU time the service's
//! process spent per append (user + system, from /proc), which other processes' load changes far
//! less than it changes rates, beside the CPU time the benchmark's own HTTP clients spent per append
//! on the same cores.
//!
//! `cargo bench -p roei-server --bench server` (PostgreSQL needs initdb/pg_ctl, as the tests;
//! ROEI_SKIP_POSTGRES=1 runs SQLite only). `ROEI_BENCH_SECONDS` sets each side's time per
//! measurement (3), cut into [`SLICES`] turns. For a profile of one case: `ROEI_SKIP_SQLITE=1`
//! runs PostgreSQL only, `ROEI_BENCH_CLIENTS=8` (a comma list) picks the client counts, and the
//! service's process id is printed on stderr (`perf record -p <pid>`); `ROEI_SKIP_DASHBOARD=1`
//! leaves out the dashboard. An A/B within one run:
//! `ROEI_BENCH_COMPARE="--option value …"` and/or `ROEI_BENCH_COMPARE_BIN=<a roei-server binary>`
//! (e.g. an older build) measures a second instance of the service, started with those `serve`
//! options or from that binary on the same database, in the same turns: its line follows each
//! service line, with the service's rate as a share of it.
#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use roei_server::store::Store;
use sqlx::pool::PoolConnection;
use std::io::Write as _;
use std::sync::Arc;
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

/// How many alternating slices each side's time is cut into: the service and the raw inserts take
/// turns (service, raw, raw, service, …), so that both see the same load of a shared machine.
const SLICES: usize = 4;

/// The latencies of one side, summed over its slices, and the time it ran.
#[derive(Default)]
struct Side {
    lat: Vec<Duration>,
    elapsed: Duration,
    /// CPU time the service's process spent (user + system) while this side ran.
    server_cpu: Duration,
    /// CPU time this process (the HTTP clients, on the same cores) spent while this side ran.
    client_cpu: Duration,
    /// Context switches of the service's threads while this side ran.
    server_switches: u64,
}

/// Context switches (voluntary and not) of a process's threads so far, from /proc (Linux): how
/// often an append's hand-offs between threads put one to sleep. Zero where /proc is not there.
fn process_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .flat_map(|status| {
            status
                .lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.rsplit(char::is_whitespace).next()?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

/// CPU time (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms,
/// fine over the thousands of appends of a slice). Zero where /proc is not there.
fn process_cpu(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Each client appends to its own incident (an incident has one writer at a time in practice;
/// 32 writers on one incident is the concurrency test's case) for `run`, over a kept-alive
/// connection as a browser or a portal's client holds one. `heads` carries each incident's id, head
/// and next event number from one slice to the next (created on the first).
///
/// The clients are driven as wrk drives its connections: event loops over the sockets (tokio's
/// current-thread runtime), two threads as `wrk -t2` on two cores (one for a single client), each
/// connection sending its next request as soon as it has read and checked the answer to the last.
/// Their CPU runs on the cores the service and the database share; a thread per client, each
/// blocking on its socket, spent 45-73 µs per append (mostly the kernel putting threads to sleep and
/// waking them), charged in effect to the service.
fn service_appends(
    s: &Server,
    token: &str,
    tag: &str,
    heads: &mut Vec<(String, String, usize)>,
    run: Duration,
    side: &mut Side,
) {
    const LOOPS: usize = 2;
    let cpu = process_cpu(s.child.id());
    let switches = process_switches(s.child.id());
    let own_cpu = process_cpu(std::process::id());
    let start = Instant::now();
    let (addr, auth) = (s.addr().to_string(), format!("Bearer {token}"));
    let mut groups: Vec<Vec<(usize, Head)>> = vec![Vec::new(); LOOPS];
    for (i, h) in std::mem::take(heads).into_iter().enumerate() {
        groups[i % LOOPS].push((i, h));
    }
    let loops: Vec<_> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|group| {
            let (addr, auth, tag) = (addr.clone(), auth.clone(), tag.to_string());
            std::thread::spawn(move || {
                let clients = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                clients.block_on(async {
                    let tasks: Vec<_> = group
                        .into_iter()
                        .map(|(i, (id, head, n))| {
                            let client = appending_client(
                                addr.clone(),
                                auth.clone(),
                                tag.clone(),
                                id,
                                head,
                                n,
                                run,
                            );
                            (i, tokio::spawn(client))
                        })
                        .collect();
                    let mut finished = Vec::new();
                    for (i, t) in tasks {
                        finished.push((i, t.await.unwrap()));
                    }
                    finished
                })
            })
        })
        .collect();
    let mut finished: Vec<_> = loops.into_iter().flat_map(|l| l.join().unwrap()).collect();
    finished.sort_by_key(|(i, _)| *i);
    for (_, (id, head, n, lat)) in finished {
        heads.push((id, head, n));
        side.lat.extend(lat);
    }
    side.elapsed += start.elapsed();
    side.server_cpu += process_cpu(s.child.id()).saturating_sub(cpu);
    side.server_switches += process_switches(s.child.id()).saturating_sub(switches);
    side.client_cpu += process_cpu(std::process::id()).saturating_sub(own_cpu);
}

/// An incident's id, its head and the number of its next event.
type Head = (String, String, usize);

/// One client of [`service_appends`]: appends `e{n}`, `e{n+1}`, … to incident `id` for `run` over
/// one kept-alive HTTP/1.1 connection. Every answer is read to its end and checked: status 201, and
/// the new head (its ETag, sent as the next request's If-Match) named in the JSON body.
async fn appending_client(
    addr: String,
    auth: String,
    tag: String,
    id: String,
    mut head: String,
    mut n: usize,
    run: Duration,
) -> (String, String, usize, Vec<Duration>) {
    let socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
    socket.set_nodelay(true).unwrap();
    let path = format!("/roei-api/incidents/{}/events", enc(&id));
    let (mut request, mut answer) = (Vec::new(), Vec::new());
    let mut lat = Vec::new();
    let t0 = Instant::now();
    while t0.elapsed() < run {
        let body = event(
            &format!("e{n}"),
            "2026-11-02T11:00:00+09:00",
            "facts",
            json!({"note": n}),
        )
        .to_string();
        request.clear();
        write!(
            request,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nIf-Match: \"{head}\"\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let t = Instant::now();
        send_all(&socket, &request).await;
        let (status, etag, body) = read_answer(&socket, &mut answer).await;
        assert_eq!(status, 201, "{tag}: {}", String::from_utf8_lossy(body));
        let etag = etag.expect("an append's answer carries the new head as its ETag");
        let new_head = std::str::from_utf8(etag).unwrap().trim_matches('"');
        let named = format!("\"head\":\"{new_head}\"");
        assert!(
            body.windows(named.len()).any(|w| w == named.as_bytes()),
            "{tag}: the body does not name the ETag's head: {}",
            String::from_utf8_lossy(body)
        );
        lat.push(t.elapsed());
        head = new_head.to_string();
        n += 1;
    }
    (id, head, n, lat)
}

async fn send_all(socket: &tokio::net::TcpStream, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        match socket.try_write(bytes) {
            Ok(k) => bytes = &bytes[k..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                socket.writable().await.unwrap()
            }
            Err(e) => panic!("sending a request: {e}"),
        }
    }
}

/// Reads one answer with a Content-Length into `buffer`: its status, its ETag and its body.
async fn read_answer<'a>(
    socket: &tokio::net::TcpStream,
    buffer: &'a mut Vec<u8>,
) -> (u16, Option<&'a [u8]>, &'a [u8]) {
    buffer.clear();
    let mut filled = 0;
    // (where the head ends, where the body ends) once the head is in.
    let mut parts = None;
    loop {
        if let Some((_, end)) = parts {
            if filled >= end {
                break;
            }
        }
        if buffer.len() < filled + 4096 {
            buffer.resize(filled + 4096, 0);
        }
        match socket.try_read(&mut buffer[filled..]) {
            Ok(0) => panic!("the connection closed before the answer's end"),
            Ok(k) => filled += k,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                socket.readable().await.unwrap();
                continue;
            }
            Err(e) => panic!("reading an answer: {e}"),
        }
        if parts.is_none() {
            if let Some(split) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                let length = header_of(&buffer[..split], b"content-length")
                    .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<usize>().ok())
                    .expect("a kept-alive answer carries Content-Length");
                parts = Some((split, split + 4 + length));
            }
        }
    }
    let (split, end) = parts.unwrap();
    assert_eq!(filled, end, "one answer at a time on a connection");
    let head = &buffer[..split];
    let status = std::str::from_utf8(&head[9..12]).unwrap().parse().unwrap();
    (status, header_of(head, b"etag"), &buffer[split + 4..end])
}

/// The value of header `name` (lower case) in an answer's head.
fn header_of<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    head.split(|&b| b == b'\n').find_map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        line[..colon]
            .eq_ignore_ascii_case(name)
            .then(|| line[colon + 1..].trim_ascii())
    })
}

/// The same number of writers inserting rows of the same size into a plain table, one autocommit
/// INSERT each, for `run`; `next` carries each writer's next key from one slice to the next.
///
/// The raw side is given the database at its best, so that the ratio measures the service: each
/// connection is held for the slice (a connection handed back to sqlx's pool is pinged on its
/// release, which a raw writer need not pay), PostgreSQL gets one connection per writer up to the
/// service's pool size of 16 (as `pgbench -c N`; more would only crowd the two cores), and SQLite, which takes one writer at a time, one connection the writers take
/// turns on (several connections would make them wait on SQLite's lock and retry: measured 248
/// inserts/s with 64 writers against about 4,000 with one connection).
async fn raw_inserts(
    connections: &[Arc<tokio::sync::Mutex<PoolConnection<sqlx::Any>>>],
    table: &str,
    row: &str,
    next: &mut [i64],
    run: Duration,
    side: &mut Side,
) {
    let start = Instant::now();
    let tasks: Vec<_> = next
        .iter()
        .enumerate()
        .map(|(i, &from)| {
            let conn = connections[i % connections.len()].clone();
            let sql = format!("INSERT INTO {table} (k, seq, raw) VALUES ($1, $2, $3)");
            let row = row.to_string();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let t0 = Instant::now();
                let mut n = from;
                while t0.elapsed() < run {
                    let t = Instant::now();
                    let mut conn = conn.lock().await;
                    sqlx::query(&sql)
                        .bind(format!("k{i}"))
                        .bind(n)
                        .bind(&row)
                        .execute(&mut **conn)
                        .await
                        .unwrap();
                    drop(conn);
                    lat.push(t.elapsed());
                    n += 1;
                }
                (n, lat)
            })
        })
        .collect();
    for (i, t) in tasks.into_iter().enumerate() {
        let (n, lat) = t.await.unwrap();
        next[i] = n;
        side.lat.extend(lat);
    }
    side.elapsed += start.elapsed();
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
    // roei-core's part again, on more appends of distinct events, best of five rounds: on the
    // tail read from the database (header + head parsed each time), and on the record kept from
    // the append before (roei-server's remembered tails, `Record::keep_last_event_only`).
    let core_runs = 1000;
    let texts: Vec<String> = (0..core_runs)
        .map(|i| json!({"id": format!("e-{i}"), "at": "2026-11-02T11:00:00+09:00", "type": "facts", "data": {"note": 1}, "actor": "contractor", "received_at": "2026-11-02T11:00:00.000+09:00"}).to_string())
        .collect();
    let limits = roei_core::Limits::default();
    let (mut on_read, mut on_kept) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        let t = Instant::now();
        for ev in &texts {
            let base = roei_server::api::tail_record(id, &point).unwrap();
            std::hint::black_box(roei_server::api::extend(id, &point, base, ev, limits).unwrap());
        }
        on_read = on_read.min(t.elapsed());
        let (mut kept, mut tail) = (
            roei_server::api::tail_record(id, &point).unwrap(),
            point.clone(),
        );
        let t = Instant::now();
        for ev in &texts {
            let (raw, head, mut next) =
                roei_server::api::extend(id, &tail, kept, ev, limits).unwrap();
            next.keep_last_event_only();
            kept = next;
            let seq = tail.head_event.as_ref().map_or(0, |h| h.seq) + 1;
            tail.head_event = Some(roei_server::store::StoredEvent {
                seq,
                raw,
                head,
                received_at: String::new(),
            });
        }
        on_kept = on_kept.min(t.elapsed());
    }
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
    let us = |d: Duration| d.as_secs_f64() * 1e6 / core_runs as f64;
    println!(
        "  roei-core per append, best of 5 x {core_runs}: on the tail read (parse header + head, validate, seal) {:.1} µs, on the remembered record (validate, seal, keep) {:.1} µs",
        us(on_read),
        us(on_kept)
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("roei-server benchmark ({} s per measurement)", seconds());
    let client_counts: Vec<usize> = std::env::var("ROEI_BENCH_CLIENTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 8, 64]);
    let skip_sqlite = std::env::var("ROEI_SKIP_SQLITE").as_deref() == Ok("1");
    for db in databases() {
        if skip_sqlite && matches!(db, Db::Sqlite) {
            continue;
        }
        let s = Server::start(&db);
        eprintln!("({} service: process {})", db.name(), s.child.id());
        let token = s.token("bench", "contractor", "長岡市", &["R8-0123"]);
        let compare_options = std::env::var("ROEI_BENCH_COMPARE").unwrap_or_default();
        let compare_bin = std::env::var("ROEI_BENCH_COMPARE_BIN").ok();
        let compare = (compare_bin.is_some() || !compare_options.is_empty()).then(|| {
            let options: Vec<&str> = compare_options.split_whitespace().collect();
            let program = compare_bin.as_deref().unwrap_or(bin());
            Server::spawn_program(program, &s.data, s.database.clone(), &options)
        });
        let compared = format!("{} {compare_options}", compare_bin.as_deref().unwrap_or(""));
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
        println!("clients | service appends/s | p50 ms | p99 ms | raw inserts/s | p50 ms | p99 ms | ratio | service process CPU µs/append | clients' CPU µs/append | service switches/append");
        for clients in client_counts.iter().copied() {
            let tag = db.name();
            let c = Client::new(&s, Some(&token));
            let incidents = |side: &str| -> Vec<Head> {
                (0..clients)
                    .map(|i| {
                        let id = format!("B-{tag}{side}-{clients}-{i}");
                        let head = c.create(&id, nagaoka("R8-0123", "長岡市")).json()["head"]
                            .as_str()
                            .unwrap()
                            .to_string();
                        (id, head, 0)
                    })
                    .collect()
            };
            let mut heads = incidents("");
            let mut compare_heads = match compare {
                Some(_) => incidents("-compare"),
                None => Vec::new(),
            };
            let held = match &db {
                Db::Sqlite => 1,
                Db::Postgres(_) => clients.min(16),
            };
            let store = rt.block_on(Store::open(&url, held as u32 + 1)).unwrap();
            let table = format!("bench_raw_{tag}_{clients}");
            rt.block_on(
                sqlx::query(&format!("CREATE TABLE {table} (k TEXT NOT NULL, seq BIGINT NOT NULL, raw TEXT NOT NULL, PRIMARY KEY (k, seq))"))
                    .execute(&store.pool),
            )
            .unwrap();
            let connections: Vec<_> = (0..held)
                .map(|_| {
                    Arc::new(tokio::sync::Mutex::new(
                        rt.block_on(store.pool.acquire()).unwrap(),
                    ))
                })
                .collect();
            let mut next = vec![0i64; clients];
            let slice = Duration::from_secs_f64(seconds() / SLICES as f64);
            let (mut svc, mut raw, mut alt) = (Side::default(), Side::default(), Side::default());
            // Each side first and last in turn: service, raw (and the compared instance between or
            // around them).
            let orders: [&[u8]; SLICES] = [b"sar", b"ras", b"asr", b"rsa"];
            for order in orders {
                for side in order {
                    match side {
                        b's' => service_appends(&s, &token, tag, &mut heads, slice, &mut svc),
                        b'a' => {
                            if let Some(a) = &compare {
                                service_appends(a, &token, tag, &mut compare_heads, slice, &mut alt)
                            }
                        }
                        _ => rt.block_on(raw_inserts(
                            &connections,
                            &table,
                            row,
                            &mut next,
                            slice,
                            &mut raw,
                        )),
                    }
                }
            }
            {
                // A pooled connection goes back to its pool through a task of the runtime.
                let _runtime = rt.enter();
                drop(connections);
            }
            let appends = svc.lat.len();
            let server_us = svc.server_cpu.as_secs_f64() * 1e6 / appends.max(1) as f64;
            let client_us = svc.client_cpu.as_secs_f64() * 1e6 / appends.max(1) as f64;
            let switches = svc.server_switches as f64 / appends.max(1) as f64;
            let (svc, raw) = (
                summarise(svc.lat, svc.elapsed),
                summarise(raw.lat, raw.elapsed),
            );
            println!(
                "{clients:>7} | {:>17.0} | {:>6.2} | {:>6.2} | {:>13.0} | {:>6.2} | {:>6.2} | {:.0} % | {server_us:.0} | {client_us:.0} | {switches:.1}",
                svc.rate, svc.p50_ms, svc.p99_ms, raw.rate, raw.p50_ms, raw.p99_ms, 100.0 * svc.rate / raw.rate
            );
            if compare.is_some() {
                let alt_us = alt.server_cpu.as_secs_f64() * 1e6 / alt.lat.len().max(1) as f64;
                let alt_switches = alt.server_switches as f64 / alt.lat.len().max(1) as f64;
                let alt = summarise(alt.lat, alt.elapsed);
                println!(
                    "{clients:>7} | compared ({}): {:.0} appends/s, p50 {:.2} ms, p99 {:.2} ms, {:.0} % of raw, {alt_us:.0} µs CPU/append, {alt_switches:.1} switches/append; service ÷ compared {:.0} %",
                    compared.trim(), alt.rate, alt.p50_ms, alt.p99_ms, 100.0 * alt.rate / raw.rate, 100.0 * svc.rate / alt.rate
                );
            }
        }
        // The split needs the 1-client incident.
        if client_counts.contains(&1) {
            rt.block_on(append_split(
                &s,
                &token,
                &url,
                &format!("B-{}-1-0", db.name()),
            ));
        }
        if std::env::var("ROEI_SKIP_DASHBOARD").as_deref() == Ok("1") {
            continue;
        }
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
            // The plain read: the same two queries, the same rows streamed, every byte touched;
            // it and the dashboard take turns, five times each, and each side's median is kept.
            let (mut reads, mut dashes) = (Vec::new(), Vec::new());
            for _ in 0..5 {
                let t = Instant::now();
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
                reads.push(t.elapsed());
                let t = Instant::now();
                let body = roei_server::api::dashboard(&store, DASH_PRINCIPAL, None, &at)
                    .await
                    .unwrap();
                assert!(body.len() > n * 100);
                dashes.push(t.elapsed());
            }
            reads.sort();
            dashes.sort();
            let (read, dash) = (reads[2], dashes[2]);
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

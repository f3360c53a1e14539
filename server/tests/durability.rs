//! Concurrency and crashes, on SQLite and a real PostgreSQL: 32 clients appending to one incident at
//! once while 16 more append each to its own incident (the service's group commit writes their
//! rows together), and kill -9 during a stream of appends to several incidents. Every acknowledged
//! event must be there, once, in one order, and the chain must verify.
mod common;
use common::*;
use std::sync::{Arc, Barrier, Mutex};

fn record_of(c: &Client, id: &str) -> roei_core::Record {
    let a = c.get(&format!("/roei-api/incidents/{id}"));
    assert_eq!(a.status, 200, "{}", a.body);
    roei_core::Record::parse(&a.body).unwrap()
}

/// Appends with If-Match, re-reading the head after each 409; returns (answer, 409s seen), or
/// `None` when the server went away.
fn append_until_done(c: &Client, id: &str, ev: &Value) -> Option<(Value, usize)> {
    let mut conflicts = 0;
    let mut head = c
        .try_call("GET", &format!("/roei-api/incidents/{id}"), None, None)
        .ok()?
        .header("etag")?
        .trim_matches('"')
        .to_string();
    loop {
        let a = c
            .try_call(
                "POST",
                &format!("/roei-api/incidents/{id}/events"),
                Some(&head),
                Some(&ev.to_string()),
            )
            .ok()?;
        match a.status {
            201 | 200 => return Some((a.json(), conflicts)),
            409 => {
                conflicts += 1;
                head = a.json()["head"].as_str().unwrap().to_string();
            }
            503 => std::thread::sleep(std::time::Duration::from_millis(20)),
            s => panic!("append {}: {s} {}", ev["id"], a.body),
        }
    }
}

fn concurrent(db: &Db) {
    let s = Server::start(db);
    let c = Client::new(
        &s,
        Some(&s.token("例示", "contractor", "長岡市", &["R8-0123"])),
    );
    let head = c.create("INC-C", nagaoka("R8-0123", "長岡市")).json()["head"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        c.append(
            "INC-C",
            &head,
            &event(
                "start",
                "2026-11-02T10:00:00+09:00",
                "detected",
                json!({"kind": "loss"})
            )
        )
        .status,
        201
    );
    let clients = 32;
    let per_client = 2;
    // 16 more clients, each on its own incident, at the same time: rows of many incidents and
    // the racers' rows meet in the same batches.
    let own = 16;
    for i in 0..own {
        assert_eq!(
            c.create(&format!("INC-O{i}"), nagaoka("R8-0123", "長岡市"))
                .status,
            201
        );
    }
    let barrier = Arc::new(Barrier::new(clients + own));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let conflicts = Arc::new(Mutex::new(0usize));
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (c, barrier, acked, conflicts) =
                (c.clone(), barrier.clone(), acked.clone(), conflicts.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for j in 0..per_client {
                    let ev = event(
                        &format!("c{i}-{j}"),
                        "2026-11-02T11:00:00+09:00",
                        "facts",
                        json!({"note": format!("client {i} append {j}")}),
                    );
                    let (answer, n) =
                        append_until_done(&c, "INC-C", &ev).expect("the server stays up");
                    acked.lock().unwrap().push((
                        ev["id"].as_str().unwrap().to_string(),
                        answer["seq"].as_i64().unwrap(),
                    ));
                    *conflicts.lock().unwrap() += n;
                }
            })
        })
        .chain((0..own).map(|i| {
            let (c, barrier) = (c.clone(), barrier.clone());
            std::thread::spawn(move || {
                let id = format!("INC-O{i}");
                barrier.wait();
                let mut head = c.head(&id);
                for j in 0..5 {
                    let ev = event(
                        &format!("o{j}"),
                        "2026-11-02T11:00:00+09:00",
                        "facts",
                        json!({}),
                    );
                    let a = c.append(&id, &head, &ev);
                    assert_eq!(a.status, 201, "{id}: {}", a.body);
                    assert_eq!(a.json()["seq"], j + 1);
                    head = a.json()["head"].as_str().unwrap().to_string();
                }
            })
        }))
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    for i in 0..own {
        let rec = record_of(&c, &format!("INC-O{i}"));
        let ids: Vec<&str> = rec.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["o0", "o1", "o2", "o3", "o4"], "{}", db.name());
        assert_eq!(roei_core::seal::verify(&rec).unwrap().sealed, 5);
    }
    let acked = acked.lock().unwrap().clone();
    assert_eq!(acked.len(), clients * per_client);
    assert!(
        *conflicts.lock().unwrap() > 0,
        "{}: 32 simultaneous appends and no 409: the test did not race",
        db.name()
    );
    let rec = record_of(&c, "INC-C");
    assert_eq!(rec.events.len(), 1 + clients * per_client, "{}", db.name());
    let mut ids: Vec<&str> = rec.events.iter().map(|e| e.id.as_str()).collect();
    for (id, seq) in &acked {
        assert_eq!(
            rec.events[*seq as usize - 1].id,
            *id,
            "{}: acknowledged at {seq}",
            db.name()
        );
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rec.events.len(), "no duplicate ids");
    let v = roei_core::seal::verify(&rec).unwrap();
    assert_eq!(v.sealed, rec.events.len());
}

#[test]
fn thirty_two_clients_append_to_one_incident_at_once() {
    for db in databases() {
        concurrent(&db);
    }
}

fn crash(db: &Db) {
    let mut s = Server::start(db);
    let token = s.token("例示", "contractor", "長岡市", &["R8-0123"]);
    let c = Client::new(&s, Some(&token));
    let head = c.create("INC-K", nagaoka("R8-0123", "長岡市")).json()["head"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        c.append(
            "INC-K",
            &head,
            &event(
                "start",
                "2026-11-02T10:00:00+09:00",
                "detected",
                json!({"kind": "loss"})
            )
        )
        .status,
        201
    );
    // Four writers race on INC-K, four more write each to its own incident: the appends that are
    // grouped into one commit when the server is killed.
    for w in 4..8 {
        assert_eq!(
            c.create(&format!("INC-K{w}"), nagaoka("R8-0123", "長岡市"))
                .status,
            201
        );
    }
    let acked: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (c, acked) = (c.clone(), acked.clone());
            let incident = if w < 4 {
                "INC-K".to_string()
            } else {
                format!("INC-K{w}")
            };
            std::thread::spawn(move || {
                for j in 0.. {
                    let ev = event(
                        &format!("w{w}-{j}"),
                        "2026-11-02T11:00:00+09:00",
                        "facts",
                        json!({"note": j}),
                    );
                    match append_until_done(&c, &incident, &ev) {
                        Some((answer, _)) => acked.lock().unwrap().push(answer["receipt"].clone()),
                        None => return,
                    }
                }
            })
        })
        .collect();
    while acked.lock().unwrap().len() < 80 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    s.kill9();
    for t in writers {
        t.join().unwrap();
    }
    let receipts: Vec<roei_server::receipt::Receipt> = acked
        .lock()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_value(r.clone()).unwrap())
        .collect();
    let restarted = Server::spawn(&s.data, s.database.clone());
    let c = Client::new(&restarted, Some(&token));
    let key = c.get("/.well-known/roei-signing-key").json()["key"]
        .as_str()
        .unwrap()
        .to_string();
    for incident in ["INC-K", "INC-K4", "INC-K5", "INC-K6", "INC-K7"] {
        let body = c.get(&format!("/roei-api/incidents/{incident}")).body;
        let rec = roei_core::Record::parse(&body).unwrap();
        let mine: Vec<_> = receipts
            .iter()
            .filter(|r| r.incident == incident)
            .cloned()
            .collect();
        assert!(
            !mine.is_empty(),
            "{}: no append acknowledged on {incident}",
            db.name()
        );
        for r in &mine {
            assert!(
                rec.events.iter().any(|e| e.id == r.event),
                "{}: acknowledged {} of {incident} lost",
                db.name(),
                r.event
            );
        }
        roei_core::seal::verify(&rec).unwrap();
        assert_eq!(
            roei_server::receipt::verify_record(&body, &mine, &key),
            vec![],
            "{}: {incident}",
            db.name()
        );
    }
    // The restarted service goes on appending to the same chain.
    let head = c.head("INC-K");
    assert_eq!(
        c.append(
            "INC-K",
            &head,
            &event(
                "after-restart",
                "2026-11-02T12:00:00+09:00",
                "facts",
                json!({})
            )
        )
        .status,
        201
    );
}

#[test]
fn kill_9_during_appends_loses_no_acknowledged_event() {
    for db in databases() {
        crash(&db);
    }
}

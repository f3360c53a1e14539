//! Group commit, on SQLite and a real PostgreSQL, through the store itself: concurrent appends
//! are written several rows to a statement; in one batch a row whose position or id is taken
//! loses (`Conflict`) while the others go in; a row the database refuses fails alone. The HTTP
//! paths over it (409 and retry, kill -9) are tested in durability.rs.
mod common;
use common::*;
use roei_server::store::{InsertError, NewEvent, Store, StoredEvent};
use std::sync::{Arc, Mutex};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn open(db: &Db, dir: &TempDir) -> Store {
    let url = match db {
        Db::Sqlite => format!("sqlite://{}", dir.0.join("group.sqlite3").display()),
        Db::Postgres(pg) => pg.url.clone(),
    };
    Store::open(&url, 8).await.unwrap()
}

async fn incident(store: &Store, id: &str) {
    sqlx::query("INSERT INTO roei_incidents (id, header, created_at, created_by) VALUES ($1, '{}', '2026-11-02T10:00:00.000+09:00', 'test')")
        .bind(id)
        .execute(&store.pool)
        .await
        .unwrap();
}

fn row(incident: &str, seq: i64, event_id: &str) -> NewEvent {
    NewEvent {
        incident_id: incident.into(),
        event_id: event_id.into(),
        event: StoredEvent {
            seq,
            raw: format!("{{\"id\":\"{event_id}\"}}"),
            head: format!("head-{incident}-{seq}-{event_id}"),
            received_at: "2026-11-02T10:00:00.000+09:00".into(),
        },
        record_bytes: 100,
        recorded_by: "test".into(),
    }
}

/// (seq, event id) of each stored row of `incident`, in log order.
async fn stored(store: &Store, incident: &str) -> Vec<(i64, String)> {
    store
        .events_after(incident, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            let v: Value = serde_json::from_str(&e.raw).unwrap();
            (e.seq, v["id"].as_str().unwrap().to_string())
        })
        .collect()
}

fn outcome(r: &Result<(), InsertError>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(InsertError::Conflict) => "conflict",
        Err(InsertError::Storage(_)) => "storage",
    }
}

/// What `insert_events` answered each row of `batch`, as [`outcome`] names it.
async fn outcomes_of(store: &Store, batch: &[NewEvent]) -> Vec<&'static str> {
    store
        .insert_events(batch)
        .await
        .iter()
        .map(outcome)
        .collect()
}

fn one_batch(db: &Db) {
    let dir = TempDir::new("batch");
    runtime().block_on(async {
        let store = open(db, &dir).await;
        for id in ["A", "B", "C"] {
            incident(&store, id).await;
        }
        let before = store.insert_events(&[row("A", 1, "a1")]).await;
        assert_eq!(outcome(&before[0]), "ok");
        // A batch of one row (told by the count of rows stored, not by the rows returned).
        let alone = store.insert_events(&[row("A", 1, "a1-alone")]).await;
        assert_eq!(outcome(&alone[0]), "conflict", "{}", db.name());
        let batch = [
            row("A", 1, "a1-late"),   // position taken by a stored row
            row("B", 1, "b1"),        // goes in
            row("B", 1, "b1-racing"), // position taken by the row before it in this batch
            row("A", 2, "a1"),        // id taken by a stored row
            row("C", 1, "c1"),        // goes in
            row("A", 2, "a2"),        // goes in
        ];
        let statements = store.insert_statements();
        let outcomes = outcomes_of(&store, &batch).await;
        assert_eq!(
            outcomes,
            ["conflict", "ok", "conflict", "conflict", "ok", "ok"],
            "{}",
            db.name()
        );
        assert_eq!(store.insert_statements(), statements + 1, "one statement");
        assert_eq!(
            stored(&store, "A").await,
            [(1, "a1".into()), (2, "a2".into())]
        );
        assert_eq!(stored(&store, "B").await, [(1, "b1".into())]);
        assert_eq!(stored(&store, "C").await, [(1, "c1".into())]);

        // A row the database refuses (its incident does not exist: the foreign key) fails the
        // statement; it is answered alone and the rows beside it still go in.
        let batch = [
            row("A", 3, "a3"),
            row("NOBODY", 1, "x"),
            row("B", 2, "b2"),
            row("C", 1, "c1-late"),
        ];
        let outcomes = outcomes_of(&store, &batch).await;
        assert_eq!(
            outcomes,
            ["ok", "storage", "ok", "conflict"],
            "{}",
            db.name()
        );
        assert_eq!(stored(&store, "A").await.len(), 3);
        assert_eq!(
            stored(&store, "B").await,
            [(1, "b1".into()), (2, "b2".into())]
        );
        assert!(stored(&store, "NOBODY").await.is_empty());
    });
}

#[test]
fn a_batch_stores_every_row_but_those_that_conflict_or_are_refused() {
    for db in databases() {
        one_batch(&db);
    }
}

/// 32 writers racing on one incident (each reads the head and appends after it, retrying on a
/// conflict) and 64 writers on 64 incidents, all at once through `insert_event`: every row
/// acknowledged is stored once at the position it was acknowledged at, the racers saw conflicts,
/// and the appends shared statements.
fn concurrent(db: &Db) {
    let dir = TempDir::new("group");
    runtime().block_on(async {
        let store = open(db, &dir).await;
        incident(&store, "ONE").await;
        for i in 0..64 {
            incident(&store, &format!("MANY-{i}")).await;
        }
        let statements = store.insert_statements();
        let acked = Arc::new(Mutex::new(Vec::new()));
        let conflicts = Arc::new(Mutex::new(0usize));
        let mut tasks = Vec::new();
        for w in 0..32 {
            let (store, acked, conflicts) = (store.clone(), acked.clone(), conflicts.clone());
            tasks.push(tokio::spawn(async move {
                for j in 0..3 {
                    let event_id = format!("w{w}-{j}");
                    loop {
                        let seq = store.head("ONE").await.unwrap().map_or(0, |h| h.0) + 1;
                        let r = row("ONE", seq, &event_id);
                        match store.insert_event("ONE", &event_id, &r.event, 1, "t").await {
                            Ok(()) => {
                                acked
                                    .lock()
                                    .unwrap()
                                    .push(("ONE".to_string(), seq, event_id));
                                break;
                            }
                            Err(InsertError::Conflict) => *conflicts.lock().unwrap() += 1,
                            Err(InsertError::Storage(e)) => panic!("{e}"),
                        }
                    }
                }
            }));
        }
        for i in 0..64 {
            let (store, acked) = (store.clone(), acked.clone());
            tasks.push(tokio::spawn(async move {
                let id = format!("MANY-{i}");
                for seq in 1..=10 {
                    let event_id = format!("e{seq}");
                    let r = row(&id, seq, &event_id);
                    store
                        .insert_event(&id, &event_id, &r.event, 1, "t")
                        .await
                        .unwrap_or_else(|e| panic!("{id} {seq}: {}", outcome(&Err(e))));
                    acked.lock().unwrap().push((id.clone(), seq, event_id));
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert_eq!(acked.len(), 32 * 3 + 64 * 10);
        assert!(
            *conflicts.lock().unwrap() > 0,
            "{}: the writers on ONE did not race",
            db.name()
        );
        let one = stored(&store, "ONE").await;
        assert_eq!(one.len(), 32 * 3, "{}", db.name());
        assert!(one
            .iter()
            .enumerate()
            .all(|(i, (seq, _))| *seq == i as i64 + 1));
        for (id, seq, event_id) in &acked {
            let rows = stored(&store, id).await;
            assert_eq!(
                rows[*seq as usize - 1].1,
                *event_id,
                "{}: {id} at {seq}",
                db.name()
            );
            assert_eq!(rows.iter().filter(|r| r.1 == *event_id).count(), 1);
        }
        let used = store.insert_statements() - statements;
        assert!(
            used < acked.len() as u64,
            "{}: {} rows in {used} statements: appends were not grouped",
            db.name(),
            acked.len()
        );
        eprintln!(
            "{}: {} rows acknowledged in {used} statements",
            db.name(),
            acked.len()
        );
    });
}

#[test]
fn concurrent_appends_are_grouped_and_each_acknowledged_row_is_stored_once() {
    for db in databases() {
        concurrent(&db);
    }
}

/// A store carried from one runtime into another (as a program that opens it in one and serves
/// in the next): the connection its writer kept from the first still appends, and the store is
/// dropped outside any runtime without a panic (its kept connection let go without its pool).
/// SQLite only: PostgreSQL connections belong to the runtime that made them, whoever writes.
#[test]
fn a_store_outliving_its_first_runtime_still_appends() {
    let dir = TempDir::new("runtime");
    let store = runtime().block_on(async {
        let store = open(&Db::Sqlite, &dir).await;
        incident(&store, "A").await;
        let r = row("A", 1, "a1");
        store
            .insert_event("A", "a1", &r.event, 1, "t")
            .await
            .unwrap_or_else(|e| panic!("{}", outcome(&Err(e))));
        store
    });
    runtime().block_on(async {
        let r = row("A", 2, "a2");
        let second = store.insert_event("A", "a2", &r.event, 1, "t").await;
        assert_eq!(outcome(&second), "ok");
        assert_eq!(stored(&store, "A").await.len(), 2);
    });
}

/// The caller writing a batch goes away half way (its client disconnected and the HTTP server
/// dropped the request's future) while another caller's row waits for that writer: the batch is
/// still written and committed, the waiting row is written after it, and later appends go on.
/// Another connection holds the database's write lock meanwhile, so that the writer is inside its
/// statement when it is dropped.
fn writer_dropped(db: &Db) {
    let dir = TempDir::new("dropped");
    runtime().block_on(async {
        let store = open(db, &dir).await;
        incident(&store, "A").await;
        incident(&store, "B").await;
        let mut lock = store.pool.acquire().await.unwrap();
        match db {
            Db::Sqlite => {
                sqlx::query("BEGIN IMMEDIATE")
                    .execute(&mut *lock)
                    .await
                    .unwrap();
            }
            Db::Postgres(_) => {
                sqlx::query("BEGIN").execute(&mut *lock).await.unwrap();
                sqlx::query("LOCK TABLE roei_events IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *lock)
                    .await
                    .unwrap();
            }
        }
        let a1 = row("A", 1, "a1");
        let writer = store.insert_event("A", "a1", &a1.event, 1, "t");
        let follower = {
            let store = store.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let b1 = row("B", 1, "b1");
                store.insert_event("B", "b1", &b1.event, 1, "t").await
            })
        };
        // The writer waits on the lock until it is dropped here.
        let dropped = tokio::time::timeout(std::time::Duration::from_millis(400), writer).await;
        assert!(dropped.is_err(), "{}: the writer was not held", db.name());
        assert!(!follower.is_finished(), "{}", db.name());
        sqlx::query("COMMIT").execute(&mut *lock).await.unwrap();
        drop(lock);
        let followed = tokio::time::timeout(std::time::Duration::from_secs(20), follower)
            .await
            .unwrap_or_else(|_| panic!("{}: the waiting append was never answered", db.name()))
            .unwrap();
        assert_eq!(outcome(&followed), "ok", "{}", db.name());
        // On PostgreSQL the waiting row had a writer's place of its own (several write at once) and
        // may commit before the dropped writer's batch does: that batch is waited for, not assumed.
        let waited = std::time::Instant::now();
        while stored(&store, "A").await.is_empty() && waited.elapsed().as_secs() < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(
            stored(&store, "A").await,
            [(1, "a1".into())],
            "{}: the dropped writer's batch was lost",
            db.name()
        );
        assert_eq!(stored(&store, "B").await, [(1, "b1".into())]);
        let a2 = row("A", 2, "a2");
        let later = store.insert_event("A", "a2", &a2.event, 1, "t").await;
        assert_eq!(outcome(&later), "ok", "{}", db.name());
    });
}

#[test]
fn a_writer_dropped_mid_batch_still_commits_and_answers_the_waiting() {
    for db in databases() {
        writer_dropped(&db);
    }
}

/// Every append is committed when it is answered: another store (another pool, as another instance
/// would be) sees the row at once, whether the writer wrote it alone or in a batch of concurrent
/// rows. On SQLite the writer takes the statement's result as soon as SQLite's thread sends it,
/// before that thread has finished with the statement (`store::sqlite_statement`).
fn answered_means_committed(db: &Db) {
    let dir = TempDir::new("committed");
    runtime().block_on(async {
        let store = open(db, &dir).await;
        let other = open(db, &dir).await;
        for id in ["A", "B", "C", "D"] {
            incident(&store, id).await;
        }
        for seq in 1..=20 {
            let r = row("A", seq, &format!("a{seq}"));
            let answer = store.insert_event("A", &r.event_id, &r.event, 1, "t").await;
            assert_eq!(outcome(&answer), "ok", "{}", db.name());
            assert_eq!(
                stored(&other, "A").await.len(),
                seq as usize,
                "{}",
                db.name()
            );
        }
        let tasks: Vec<_> = ["B", "C", "D"]
            .into_iter()
            .flat_map(|id| (1..=10).map(move |seq| (id, seq)))
            .map(|(id, seq)| {
                let (store, other) = (store.clone(), other.clone());
                tokio::spawn(async move {
                    let r = row(id, seq, &format!("{id}{seq}"));
                    let answer = store.insert_event(id, &r.event_id, &r.event, 1, "t").await;
                    assert_eq!(outcome(&answer), "ok");
                    let seen = stored(&other, id).await;
                    assert!(
                        seen.iter().any(|(s, _)| *s == seq),
                        "{id} {seq} answered, not seen"
                    );
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
}

#[test]
fn an_answered_append_is_committed() {
    for db in databases() {
        answered_means_committed(&db);
    }
}

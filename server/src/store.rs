//! Storage: the event logs, incidents and tokens in SQLite or PostgreSQL through sqlx's `any`
//! driver, so both databases run the same statements (one code path; docs/SERVER.md).
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk before the append is
//! acknowledged, so nothing acknowledged is lost on kill -9 or power loss.
//!
//! Appends are written by group commit ([`Store::insert_event`]): an append whose caller finds a
//! writer's place free (one on SQLite, two on PostgreSQL) becomes a writer itself and takes
//! every event row waiting at that moment; it writes them in one multi-row
//! `INSERT … ON CONFLICT DO NOTHING RETURNING` (one statement, one commit), then answers each
//! caller. Appends arriving meanwhile wait for that writer, which after its first batch hands what
//! waits to a task of its own, so that its caller is answered at once. One client alone thus
//! writes its own row in its own request, with no hand-off to another task and back. Invariants:
//! nothing is answered before its commit; a writer's caller that goes away (its request's future
//! dropped) does not take the batch with it — the rest of the work goes on as a task
//! ([`FinishOnDrop`]) and every row of it is written and answered. Which rows went in is what the
//! database's unique keys decided (position and event id per incident), never state kept here, so
//! several instances on one PostgreSQL stay correct. The schema is versioned
//! (`roei_schema_migrations`) and brought up to date at start, under an advisory lock on
//! PostgreSQL so that several instances starting together do not race.
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Row};
use tokio::sync::oneshot;

/// Versioned schema changes, applied in order, each once.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (
        2,
        "record_bytes",
        include_str!("../migrations/0002_record_bytes.sql"),
    ),
];

/// Which database the URL named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Who is writing appends now and the rows waiting for a writer ([`Store::insert_event`]).
    writers: Arc<Writers>,
    /// Insert statements the writers have sent to the database (a batch is one): how far appends
    /// were grouped ([`Store::insert_statements`]).
    statements: Arc<AtomicU64>,
}

/// One event row to append: a writer's unit ([`Store::insert_events`]).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub incident_id: String,
    pub event_id: String,
    pub event: StoredEvent,
    /// The size of the record text with this event ([`AppendPoint`]).
    pub record_bytes: i64,
    pub recorded_by: String,
}

/// A row waiting for a writer and the caller waiting for its outcome.
struct PendingInsert {
    row: NewEvent,
    answer: oneshot::Sender<Result<(), InsertError>>,
}

/// The appends of one store: the rows waiting to be written, how many batches are being written,
/// and the connections the writers keep between batches.
///
/// One writer at a time on SQLite (one writer of this process: its appends queue here, handed on
/// at once, rather than meeting the database's lock and its busy handler's sleeps; another process
/// writing the same file still waits through `busy_timeout`); on PostgreSQL two (one when the
/// pool has fewer than four connections), so that while one batch commits the next gathers what
/// arrives meanwhile (a client alone still commits as it would alone; many share statements).
///
/// Writers keep their connections (when the pool has room for readers besides): a connection
/// handed back to the pool is tested by sqlx on each release (a round trip to the database, or to
/// SQLite's worker thread), a cost per commit that a connection in constant use does not need. A
/// statement that fails lets its connection go (the pool tests it); the next batch takes a fresh
/// one.
struct Writers {
    state: std::sync::Mutex<WritersState>,
    /// Most batches written at once.
    most: usize,
    /// Whether writers keep connections of their own.
    keep: bool,
}

#[derive(Default)]
struct WritersState {
    waiting: Vec<PendingInsert>,
    /// Batches being written now (at most [`Writers::most`]).
    writing: usize,
    /// Connections kept by writers, free now.
    free: Vec<PoolConnection<Any>>,
}

impl Writers {
    fn new(backend: Backend, max_connections: u32) -> Writers {
        let most = match backend {
            Backend::Sqlite => 1,
            // Two: while one batch commits, the next gathers every row that arrives meanwhile.
            // More writers only split the waiting rows into smaller batches, each paying its own
            // statement, round trip and commit (BENCHMARKS.md, issue 15, session 8: with 8 clients
            // on two cores, 2 writers 55-57 % of the raw insert rate against 46-48 % with 8; with
            // 64 clients 71 % against 63 %; with 1 client the same).
            Backend::Postgres => (max_connections as usize / 2).clamp(1, 2),
        };
        Writers {
            state: Default::default(),
            most,
            keep: max_connections as usize > most,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, WritersState> {
        // The state stays whole whatever panicked while it was held (each change is one step).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `p`; when fewer than [`Writers::most`] batches are being written, the caller becomes
    /// a writer and gets the batch to write (its own row and every row waiting, up to
    /// [`MAX_BATCH_ROWS`]).
    fn wait_or_lead(&self, p: PendingInsert) -> Option<Vec<PendingInsert>> {
        let mut s = self.state();
        s.waiting.push(p);
        if s.writing >= self.most {
            return None;
        }
        s.writing += 1;
        Some(s.take_batch())
    }
}

impl Drop for WritersState {
    /// A pooled connection given back goes to its pool through a task of the runtime; a store
    /// dropped where no runtime runs lets its kept connections go without their pool (closed).
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            for conn in self.free.drain(..) {
                drop(conn.detach());
            }
        }
    }
}

impl WritersState {
    fn take_batch(&mut self) -> Vec<PendingInsert> {
        let n = self.waiting.len().min(MAX_BATCH_ROWS);
        self.waiting.drain(..n).collect()
    }
}

/// A writer's turn ([`write_batches`]): ends it however the writer stops. A writer that stops
/// without finishing (its runtime shut down, or a panic) answers nobody it had taken (their callers
/// see no answer: 503) and leaves the rows still waiting to the next caller that becomes a writer,
/// or fails them when no writer is left to take them.
struct WriterTurn {
    writers: Arc<Writers>,
    done: bool,
}

impl WriterTurn {
    /// The turn ended as it should: the writers' count was brought down with the last batch.
    fn end(mut self) {
        self.done = true;
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut s = self.writers.state();
        s.writing -= 1;
        if s.writing == 0 {
            // Dropped here: their callers get no answer (503), rather than waiting for ever.
            s.waiting.clear();
        }
    }
}

/// Writes `first`, answers its callers, then writes what waits meanwhile; the caller that became
/// the writer is answered with the first batch, so what comes after is written by a task of its
/// own instead of keeping that caller waiting.
async fn write_batches(
    pool: AnyPool,
    writers: Arc<Writers>,
    statements: Arc<AtomicU64>,
    first: Vec<PendingInsert>,
) {
    let turn = WriterTurn {
        writers: writers.clone(),
        done: false,
    };
    let Some(mut next) = write_batch(&pool, &writers, &statements, first).await else {
        turn.end();
        return;
    };
    tokio::spawn(async move {
        loop {
            match write_batch(&pool, &writers, &statements, next).await {
                Some(more) => next = more,
                None => return turn.end(),
            }
        }
    });
}

/// One batch of a writer's turn: one statement and one commit ([`insert_batch`]), then the answers.
/// Returns the next batch when rows waited meanwhile; otherwise the turn has ended.
async fn write_batch(
    pool: &AnyPool,
    writers: &Writers,
    statements: &AtomicU64,
    batch: Vec<PendingInsert>,
) -> Option<Vec<PendingInsert>> {
    let mut held = if writers.keep {
        writers.state().free.pop()
    } else {
        None
    };
    if writers.keep && held.is_none() {
        held = pool.acquire().await.ok();
    }
    let (rows, answers): (Vec<NewEvent>, Vec<_>) =
        batch.into_iter().map(|p| (p.row, p.answer)).unzip();
    let (outcomes, failed) = insert_batch(pool, held.as_mut(), statements, &rows).await;
    let next = {
        let mut s = writers.state();
        if let Some(conn) = held.filter(|_| !failed) {
            s.free.push(conn);
        }
        let next = (!s.waiting.is_empty()).then(|| s.take_batch());
        if next.is_none() {
            s.writing -= 1;
        }
        next
    };
    for (answer, outcome) in answers.into_iter().zip(outcomes) {
        // A caller that went away (its client disconnected) is not waited for.
        let _ = answer.send(outcome);
    }
    next
}

/// A writer's work, run by the caller that became the writer; if that caller's future is dropped
/// before the work is done, the rest of the work is spawned as a task of the runtime, so the
/// batch it holds is still written and answered.
struct FinishOnDrop(Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>>);

impl std::future::Future for FinishOnDrop {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        let Some(work) = self.0.as_mut() else {
            return std::task::Poll::Ready(());
        };
        let done = work.as_mut().poll(cx);
        if done.is_ready() {
            self.0 = None;
        }
        done
    }
}

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        if let Some(work) = self.0.take() {
            // Work that panicked cannot go on; without a runtime it cannot either: it is then
            // dropped, and its [`WriterTurn`] ends the turn.
            if !std::thread::panicking() {
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(work);
                }
            }
        }
    }
}

/// Most rows written by one statement: 8 parameters a row stays far below both databases' limits
/// on parameters (SQLite 32,766, PostgreSQL 65,535), and a batch of this size commits in well
/// under a millisecond of the database's time.
pub const MAX_BATCH_ROWS: usize = 256;

/// One stored event of a log.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub seq: i64,
    pub raw: String,
    pub head: String,
    pub received_at: String,
}

/// What an append needs from the database, read in one query: the incident's header, the head
/// of its log (the last event, with the count and the record's size after it) and the stored event
/// that already has the new event's id, if any. The rest of the log is not read: the head event is
/// all the chain needs to be extended, and the count and size are what the record's limits need.
#[derive(Debug, Clone)]
pub struct AppendPoint {
    pub header: String,
    /// The last event (`seq` is the number of events); `None` for an empty log.
    pub head_event: Option<StoredEvent>,
    /// Bytes of the record text after the last event (`None` for rows written before schema 2).
    pub record_bytes: Option<i64>,
    /// The stored event with the id the client sent.
    pub same_id: Option<StoredEvent>,
}

impl AsRef<str> for StoredEvent {
    /// The event's stored JSON text.
    fn as_ref(&self) -> &str {
        &self.raw
    }
}

/// Why an insert did not happen.
#[derive(Debug)]
pub enum InsertError {
    /// Another writer took this position (or this id) first.
    Conflict,
    Storage(sqlx::Error),
}

/// A token's stored description (the token itself is never stored, only its SHA-256).
#[derive(Debug, Clone)]
pub struct StoredToken {
    pub name: String,
    pub party: String,
    pub scope: String,
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates. `url` is `sqlite://PATH` or
    /// `postgres://…`.
    pub async fn open(url: &str, max_connections: u32) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(format!(
                "--database must be sqlite://PATH or postgres://…, not '{}'",
                url.chars().take(40).collect::<String>()
            ));
        };
        let url = if backend == Backend::Sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_string()
        };
        // No ping before each use of a pooled connection: a connection the database dropped fails
        // its next statement, which answers 503 storage_unavailable (retry), like any storage error.
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute("PRAGMA synchronous=FULL").await?;
                        conn.execute("PRAGMA busy_timeout=10000").await?;
                        conn.execute("PRAGMA foreign_keys=ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        let store = Store {
            pool,
            backend,
            writers: Arc::new(Writers::new(backend, max_connections)),
            statements: Default::default(),
        };
        store
            .migrate()
            .await
            .map_err(|e| format!("cannot bring the schema up to date: {e}"))?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Postgres {
            // Any constant: instances of roei-server on one database take turns.
            conn.execute("SELECT pg_advisory_lock(7265010015)").await?;
        }
        let result = async {
            conn.execute(
                "CREATE TABLE IF NOT EXISTS roei_schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .await?;
            for (version, name, sql) in MIGRATIONS {
                let done: i64 = sqlx::query(
                    "SELECT COUNT(*) FROM roei_schema_migrations WHERE version = $1",
                )
                .bind(*version)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
                if done > 0 {
                    continue;
                }
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                for statement in statements(sql) {
                    tx.execute(statement.as_str()).await?;
                }
                sqlx::query(
                    "INSERT INTO roei_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                )
                .bind(*version)
                .bind(*name)
                .bind(now_text())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            Ok::<(), sqlx::Error>(())
        }
        .await;
        if self.backend == Backend::Postgres {
            conn.execute("SELECT pg_advisory_unlock(7265010015)")
                .await?;
        }
        result
    }

    pub async fn add_token(&self, hash: &str, t: &StoredToken) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO roei_tokens (hash, name, party, scope, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash)
        .bind(&t.name)
        .bind(&t.party)
        .bind(&t.scope)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn token(&self, hash: &str) -> Result<Option<StoredToken>, sqlx::Error> {
        let row = sqlx::query("SELECT name, party, scope FROM roei_tokens WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(StoredToken {
                name: r.try_get(0)?,
                party: r.try_get(1)?,
                scope: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// Creates an incident; `Conflict` when the id is taken.
    pub async fn create_incident(
        &self,
        id: &str,
        header: &str,
        scope: &[(String, String)],
        created_by: &str,
    ) -> Result<(), InsertError> {
        let run = async {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO roei_incidents (id, header, created_at, created_by) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(header)
            .bind(now_text())
            .bind(created_by)
            .execute(&mut *tx)
            .await?;
            for (contract, principal) in scope {
                sqlx::query(
                    "INSERT INTO roei_incident_scope (incident_id, contract_id, principal) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(contract)
                .bind(principal)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        };
        run.await.map_err(|e| {
            if is_unique_violation(&e) {
                InsertError::Conflict
            } else {
                InsertError::Storage(e)
            }
        })
    }

    /// The incident's header (the record without its events) and its events in log order.
    pub async fn incident(
        &self,
        id: &str,
    ) -> Result<Option<(String, Vec<StoredEvent>)>, sqlx::Error> {
        let Some(row) = sqlx::query("SELECT header FROM roei_incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let header: String = row.try_get(0)?;
        Ok(Some((header, self.events_after(id, 0).await?)))
    }

    /// Events with `seq > after`, in order.
    pub async fn events_after(
        &self,
        id: &str,
        after: i64,
    ) -> Result<Vec<StoredEvent>, sqlx::Error> {
        sqlx::query(
            "SELECT seq, raw, head, received_at FROM roei_events WHERE incident_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id)
        .bind(after)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(stored_event)
        .collect()
    }

    /// The stored event with this id, if any.
    pub async fn event_by_id(
        &self,
        id: &str,
        event_id: &str,
    ) -> Result<Option<StoredEvent>, sqlx::Error> {
        sqlx::query(
            "SELECT seq, raw, head, received_at FROM roei_events WHERE incident_id = $1 AND event_id = $2",
        )
        .bind(id)
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(stored_event)
        .transpose()
    }

    /// The header, the head event and the event with `event_id` of incident `id`, in one query
    /// ([`AppendPoint`]); `None` when there is no such incident.
    pub async fn append_point(
        &self,
        id: &str,
        event_id: &str,
    ) -> Result<Option<AppendPoint>, sqlx::Error> {
        let Some(r) = sqlx::query(
            "SELECT i.header, h.seq, h.raw, h.head, h.received_at, h.record_bytes, s.seq, s.raw, s.head, s.received_at \
             FROM roei_incidents i \
             LEFT JOIN roei_events h ON h.incident_id = i.id \
               AND h.seq = (SELECT MAX(seq) FROM roei_events WHERE incident_id = $1) \
             LEFT JOIN roei_events s ON s.incident_id = i.id AND s.event_id = $2 \
             WHERE i.id = $1",
        )
        .bind(id)
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let event_at = |from: usize| -> Result<Option<StoredEvent>, sqlx::Error> {
            let Some(seq) = r.try_get::<Option<i64>, _>(from)? else {
                return Ok(None);
            };
            Ok(Some(StoredEvent {
                seq,
                raw: r.try_get(from + 1)?,
                head: r.try_get(from + 2)?,
                received_at: r.try_get(from + 3)?,
            }))
        };
        Ok(Some(AppendPoint {
            header: r.try_get(0)?,
            head_event: event_at(1)?,
            record_bytes: r.try_get(5)?,
            same_id: event_at(6)?,
        }))
    }

    /// The last event's position and hash (`None` for an empty log): the head a 409 names.
    pub async fn head(&self, id: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
        sqlx::query(
            "SELECT seq, head FROM roei_events WHERE incident_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
    }

    /// Appends at position `seq`; `Conflict` when another append took it (or the id) first.
    /// `record_bytes` is the size of the record text with this event ([`AppendPoint`]).
    ///
    /// When a writer's place is free ([`Writers`]) the caller writes the row itself, with every
    /// other row waiting at that moment, in one statement and one commit ([`Store::insert_events`]);
    /// otherwise the row waits for a writer. This returns once that commit is done, so nothing is
    /// acknowledged before it is durable. No transaction spans the validation: the unique keys are
    /// the lock.
    pub async fn insert_event(
        &self,
        id: &str,
        event_id: &str,
        e: &StoredEvent,
        record_bytes: i64,
        recorded_by: &str,
    ) -> Result<(), InsertError> {
        let row = NewEvent {
            incident_id: id.to_string(),
            event_id: event_id.to_string(),
            event: e.clone(),
            record_bytes,
            recorded_by: recorded_by.to_string(),
        };
        let (answer, outcome) = oneshot::channel();
        let lead = self.writers.wait_or_lead(PendingInsert { row, answer });
        if let Some(first) = lead {
            // This caller writes the batch itself (no hand-off to another task). Its future may be
            // dropped half way (the client went away and the HTTP server drops the handler): the
            // batch's work then goes on as a task of its own ([`FinishOnDrop`]), so that the rows
            // of the batch, other callers' among them, are still written and answered.
            FinishOnDrop(Some(Box::pin(write_batches(
                self.pool.clone(),
                self.writers.clone(),
                self.statements.clone(),
                first,
            ))))
            .await;
        }
        // No answer: the writer ended with the row taken and unanswered (its runtime shut down, or
        // it panicked); whether the row was stored is not known, so the append is answered as a
        // storage failure (503: the client retries, and finds its event by id if it was stored).
        outcome
            .await
            .unwrap_or(Err(InsertError::Storage(sqlx::Error::WorkerCrashed)))
    }

    /// Writes `rows` as one batch, as a writer does: one multi-row
    /// `INSERT … ON CONFLICT DO NOTHING RETURNING incident_id, seq, event_id`, one commit, and an outcome
    /// per row in the same order. A row whose position or event id is taken (by a stored row or
    /// by an earlier row of the same batch) is `Conflict`, and the others go in. A row the
    /// database refuses otherwise fails the whole statement (nothing of it is stored): each row is
    /// then written alone, so that the refused row gets its own error and no other caller fails
    /// for it.
    pub async fn insert_events(&self, rows: &[NewEvent]) -> Vec<Result<(), InsertError>> {
        insert_batch(&self.pool, None, &self.statements, rows)
            .await
            .0
    }

    /// How many insert statements appends have sent to the database so far: fewer than the rows
    /// appended when concurrent appends were grouped.
    pub fn insert_statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Every incident in the caller's scope, handed to `each` as (id, header, events' raw JSON in
    /// log order) while the rows arrive, in the database's order of ids: the dashboard's rows. A
    /// principal's scope is `principal`; a contractor's is its `contracts` of that principal.
    /// Returns how many incidents there were.
    ///
    /// Two queries (the headers, then the events, both ordered by incident id); the events are
    /// streamed, so each incident is handed on as soon as its last event is read and the caller's
    /// work overlaps the database's. The two lists are merged by equality of ids only (never by
    /// comparing them here), so the database's collation decides the order for both.
    pub async fn visible_each(
        &self,
        principal: &str,
        contracts: Option<&[String]>,
        mut each: impl FnMut(String, String, Vec<String>),
    ) -> Result<usize, sqlx::Error> {
        use futures_util::TryStreamExt;
        let mut binds: Vec<&str> = vec![principal];
        let mut filter = String::from("principal = $1");
        if let Some(list) = contracts {
            if list.is_empty() {
                return Ok(0);
            }
            filter.push_str(" AND contract_id IN (");
            filter.push_str(
                &(2..list.len() + 2)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            filter.push(')');
            binds.extend(list.iter().map(String::as_str));
        }
        let scope = format!("SELECT incident_id FROM roei_incident_scope WHERE {filter}");
        let heads =
            format!("SELECT id, header FROM roei_incidents WHERE id IN ({scope}) ORDER BY id");
        let events = format!(
            "SELECT incident_id, raw FROM roei_events WHERE incident_id IN ({scope}) ORDER BY incident_id, seq"
        );
        let mut q = sqlx::query(&heads);
        for b in &binds {
            q = q.bind(*b);
        }
        let mut heads: Vec<(String, String)> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let mut q = sqlx::query(&events);
        for b in &binds {
            q = q.bind(*b);
        }
        let position: std::collections::HashMap<String, usize> = heads
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), i))
            .collect();
        let count = heads.len();
        // Each header is handed on once, moved out of the list (`take`).
        let mut hand = |heads: &mut [(String, String)], i: usize, events: Vec<String>| {
            let (id, header) = std::mem::take(&mut heads[i]);
            each(id, header, events);
        };
        let mut rows = q.fetch(&self.pool);
        // `next`: the first header not handed on yet; `current`: the events of header `at`.
        let (mut next, mut at) = (0, None::<usize>);
        let mut current: Vec<String> = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let id: &str = r.try_get(0)?;
            if at.is_none_or(|i| position.get(id) != Some(&i)) {
                if let Some(i) = at.take() {
                    hand(&mut heads, i, std::mem::take(&mut current));
                }
                // An incident created after the headers were read has no header here: skipped.
                let Some(&i) = position.get(id).filter(|&&i| i >= next) else {
                    continue;
                };
                // Incidents without events come between, in the same order.
                for j in next..i {
                    hand(&mut heads, j, Vec::new());
                }
                (next, at) = (i + 1, Some(i));
            }
            current.push(r.try_get(1)?);
        }
        if let Some(i) = at {
            hand(&mut heads, i, current);
        }
        for j in next..count {
            hand(&mut heads, j, Vec::new());
        }
        Ok(count)
    }
}

/// [`Store::insert_events`] over a pool.
///
/// `held`: the writer's kept connection, used for the batch's statement when given (the rows
/// written alone after a refusal take connections from the pool). The second value is whether
/// the batch's statement failed: the writer then lets that connection go.
async fn insert_batch(
    pool: &AnyPool,
    held: Option<&mut PoolConnection<Any>>,
    statements: &AtomicU64,
    rows: &[NewEvent],
) -> (Vec<Result<(), InsertError>>, bool) {
    // Which of two rows of the batch with the same position or id goes in is the database's
    // choice; the rows it returns (incident, position, id) name each writer, unless two rows
    // share all three: the later of those loses here.
    let mut keys = HashSet::new();
    let first: Vec<bool> = rows
        .iter()
        .map(|r| keys.insert((r.incident_id.as_str(), r.event.seq, r.event_id.as_str())))
        .collect();
    // In the order of the keys: concurrent batches (several writers on PostgreSQL) then take
    // the keys' locks in one order and cannot deadlock on each other.
    let mut written: Vec<&NewEvent> = rows
        .iter()
        .zip(&first)
        .filter(|(_, f)| **f)
        .map(|(r, _)| r)
        .collect();
    written.sort_by(|a, b| {
        (&a.incident_id, a.event.seq, &a.event_id).cmp(&(&b.incident_id, b.event.seq, &b.event_id))
    });
    let mut sql = String::from(
        "INSERT INTO roei_events (incident_id, seq, event_id, raw, head, received_at, recorded_by, record_bytes) VALUES ",
    );
    for i in 0..written.len() {
        let p = i * 8;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5,
            p + 6,
            p + 7,
            p + 8
        ));
    }
    // One row needs no list of the rows stored: the count of rows the statement stored says it
    // (and the database then sends one message less, which on SQLite is a hand-off less between
    // its worker thread and the writer).
    let alone = written.len() == 1;
    sql.push_str(if alone {
        " ON CONFLICT DO NOTHING"
    } else {
        " ON CONFLICT DO NOTHING RETURNING incident_id, seq, event_id"
    });
    let mut q = sqlx::query(&sql);
    for r in &written {
        q = q
            .bind(r.incident_id.as_str())
            .bind(r.event.seq)
            .bind(r.event_id.as_str())
            .bind(r.event.raw.as_str())
            .bind(r.event.head.as_str())
            .bind(r.event.received_at.as_str())
            .bind(r.recorded_by.as_str())
            .bind(r.record_bytes);
    }
    statements.fetch_add(1, Ordering::Relaxed);
    let stored: Result<HashSet<(String, i64, String)>, sqlx::Error> = async {
        let (rows, rows_affected) = match held {
            Some(conn) if conn.backend_name() == "SQLite" => sqlite_statement(q, conn).await?,
            Some(conn) if alone => (Vec::new(), q.execute(&mut **conn).await?.rows_affected()),
            None if alone => (Vec::new(), q.execute(pool).await?.rows_affected()),
            Some(conn) => (q.fetch_all(&mut **conn).await?, 0),
            None => (q.fetch_all(pool).await?, 0),
        };
        if alone {
            let r = written[0];
            return Ok(HashSet::from_iter((rows_affected == 1).then(|| {
                (r.incident_id.clone(), r.event.seq, r.event_id.clone())
            })));
        }
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }
    .await;
    let failed = stored.is_err();
    let outcomes = match stored {
        Ok(stored) => rows
            .iter()
            .zip(&first)
            .map(|(r, f)| {
                let key = (r.incident_id.clone(), r.event.seq, r.event_id.clone());
                if *f && stored.contains(&key) {
                    Ok(())
                } else {
                    Err(InsertError::Conflict)
                }
            })
            .collect(),
        Err(e) if written.len() <= 1 => {
            // The one row written gets the database's error; the repeats of it lost to it.
            let mut error = Some(e);
            first
                .iter()
                .map(|f| match (f, error.take_if(|_| *f)) {
                    (true, Some(e)) => Err(InsertError::Storage(e)),
                    _ => Err(InsertError::Conflict),
                })
                .collect()
        }
        Err(_) => {
            let mut out = Vec::with_capacity(rows.len());
            for (r, f) in rows.iter().zip(&first) {
                if *f {
                    let alone = Box::pin(insert_batch(
                        pool,
                        None,
                        statements,
                        std::slice::from_ref(r),
                    ));
                    out.extend(alone.await.0);
                } else {
                    out.push(Err(InsertError::Conflict));
                }
            }
            out
        }
    };
    (outcomes, failed)
}

/// An autocommit statement on SQLite: the rows it returns and how many rows it changed, taken as
/// soon as SQLite's thread sends the statement's result, without waiting for that thread to close
/// the result channel afterwards (a second wake-up of the writer per statement: with one client
/// 10.7–13.2 context switches per append instead of 11.2–15.2, BENCHMARKS.md). Durable by then:
/// the result is sent once `sqlite3_step` has returned `SQLITE_DONE`, and in autocommit mode that
/// last step commits the statement's transaction (with `synchronous=FULL`, the WAL synced). Not
/// for PostgreSQL, where a statement's result comes before its implicit transaction commits (at
/// the protocol's `Sync`).
async fn sqlite_statement<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    conn: &mut PoolConnection<Any>,
) -> Result<(Vec<AnyRow>, u64), sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut results = (&mut **conn).fetch_many(q);
    let mut rows = Vec::new();
    while let Some(item) = results.try_next().await? {
        match item {
            sqlx::Either::Left(done) => return Ok((rows, done.rows_affected())),
            sqlx::Either::Right(row) => rows.push(row),
        }
    }
    Ok((rows, 0))
}

fn stored_event(r: &AnyRow) -> Result<StoredEvent, sqlx::Error> {
    Ok(StoredEvent {
        seq: r.try_get(0)?,
        raw: r.try_get(1)?,
        head: r.try_get(2)?,
        received_at: r.try_get(3)?,
    })
}

/// The SQL statements of a migration file (split at `;` ending a line; comments dropped).
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("--") || line.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if line.ends_with(';') {
            out.push(cur.trim().trim_end_matches(';').to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The server's clock in Japan time with milliseconds (RFC 3339): `received_at`.
pub fn now_text() -> String {
    chrono::Utc::now()
        .with_timezone(&roei_core::time::jst())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

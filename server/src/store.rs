//! Storage: the event logs, incidents and tokens in SQLite or PostgreSQL through sqlx's `any`
//! driver, so both databases run the same statements (one code path; docs/SERVER.md).
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk before the append is
//! acknowledged, so nothing acknowledged is lost on kill -9 or power loss. The schema is versioned
//! (`roei_schema_migrations`) and brought up to date at start, under an advisory lock on
//! PostgreSQL so that several instances starting together do not race.
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

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
    /// SQLite has one writer at a time: the service's own appends queue here, handed on at once,
    /// rather than meeting the database's lock and its busy handler's sleeps (1 ms, 2 ms, … 100 ms).
    /// Another process writing the same file still waits through `busy_timeout`. Unused on PostgreSQL.
    sqlite_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

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
            sqlite_writer: Default::default(),
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

    /// Appends at position `seq`; `Conflict` when another append took it (or the id) first. A
    /// single INSERT: the primary key is the lock, so no transaction spans the validation.
    /// `record_bytes` is the size of the record text with this event ([`AppendPoint`]).
    pub async fn insert_event(
        &self,
        id: &str,
        event_id: &str,
        e: &StoredEvent,
        record_bytes: i64,
        recorded_by: &str,
    ) -> Result<(), InsertError> {
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        };
        sqlx::query(
            "INSERT INTO roei_events (incident_id, seq, event_id, raw, head, received_at, recorded_by, record_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(e.seq)
        .bind(event_id)
        .bind(&e.raw)
        .bind(&e.head)
        .bind(&e.received_at)
        .bind(recorded_by)
        .bind(record_bytes)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(|e| {
            if is_unique_violation(&e) {
                InsertError::Conflict
            } else {
                InsertError::Storage(e)
            }
        })
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

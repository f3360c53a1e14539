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
const MIGRATIONS: &[(i64, &str, &str)] =
    &[(1, "initial", include_str!("../migrations/0001_initial.sql"))];

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
}

/// One stored event of a log.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub seq: i64,
    pub raw: String,
    pub head: String,
    pub received_at: String,
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
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
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
        let store = Store { pool, backend };
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

    /// Appends at position `seq`; `Conflict` when another append took it (or the id) first. A
    /// single INSERT: the primary key is the lock, so no transaction spans the validation.
    pub async fn insert_event(
        &self,
        id: &str,
        event_id: &str,
        e: &StoredEvent,
        recorded_by: &str,
    ) -> Result<(), InsertError> {
        sqlx::query(
            "INSERT INTO roei_events (incident_id, seq, event_id, raw, head, received_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(e.seq)
        .bind(event_id)
        .bind(&e.raw)
        .bind(&e.head)
        .bind(&e.received_at)
        .bind(recorded_by)
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

    /// Every incident in the caller's scope with its events (header, events' raw JSON in log
    /// order), in id order: the dashboard's rows. A principal's scope is `principal`; a
    /// contractor's is its `contracts` of that principal.
    pub async fn visible(
        &self,
        principal: &str,
        contracts: Option<&[String]>,
    ) -> Result<Vec<(String, String, Vec<String>)>, sqlx::Error> {
        let mut binds: Vec<&str> = vec![principal];
        let mut filter = String::from("principal = $1");
        if let Some(list) = contracts {
            if list.is_empty() {
                return Ok(Vec::new());
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
        let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
        for r in q.fetch_all(&self.pool).await? {
            out.push((r.try_get(0)?, r.try_get(1)?, Vec::new()));
        }
        let mut q = sqlx::query(&events);
        for b in &binds {
            q = q.bind(*b);
        }
        // Both lists are in id order: one merge pass.
        let mut i = 0;
        for r in q.fetch_all(&self.pool).await? {
            let id: String = r.try_get(0)?;
            while i < out.len() && out[i].0 < id {
                i += 1;
            }
            if i < out.len() && out[i].0 == id {
                out[i].2.push(r.try_get(1)?);
            }
        }
        Ok(out)
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

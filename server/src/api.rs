//! The HTTP API (docs/SERVER.md, docs/openapi.json): incidents, events, status, the event stream,
//! reports, and the static portal. Every handler authenticates first, then reads the record and
//! checks the caller's scope; an incident outside the scope answers 404 like one that does not
//! exist, so a caller learns nothing about other organisations' incidents.
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use roei_core::vocab::{EventType, Party};
use roei_core::{Limits, Record, State as ObligationState};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio::sync::broadcast;

use crate::auth::{authenticate, presented_token, Caller, TokenCache};
use crate::error::ApiError;
use crate::receipt::Keys;
use crate::store::{now_text, AppendPoint, InsertError, Store, StoredEvent};

/// Where the API lives; a portal forwards this prefix to the service.
pub const PREFIX: &str = "/roei-api";

/// The service's shared state (no state of its own beyond the database: instances are
/// interchangeable behind a load balancer; `wake` only shortens the local stream's wait).
pub struct App {
    pub store: Store,
    pub keys: Keys,
    pub wake: broadcast::Sender<String>,
    pub static_dir: Option<PathBuf>,
    /// Recently seen tokens (bounded: [`crate::auth::TOKEN_CACHE_SECONDS`]).
    pub tokens: TokenCache,
    /// The tails of the logs this instance appended to or read last ([`TailCache`]).
    pub tails: TailCache,
}

/// The tail ([`AppendPoint`]: header, head event, record size) of each log as this instance last
/// wrote or read it, so that the next append to it needs no read. Never trusted for an answer: an
/// append on a remembered tail succeeds only if the insert's unique keys (position n+1 and the event
/// id) prove it still the tail; an `If-Match` other than the remembered head, a conflict at the
/// insert or any other failure is done again from the database, and only a success is answered from
/// a remembered tail. Each entry is a state the database held (the tail just read, or the row this
/// instance just committed), so a stale entry costs a read and a wrong one cannot arise: a failure
/// drops the entry.
///
/// Bounded: at most `entries` logs (`roei-server serve --remembered-tails`, 0 = none),
/// each at most [`TAIL_CACHE_BYTES`] of header and head event (a larger tail is read each time), so
/// at most entries × 16 KiB of text. A new log past the bound evicts an arbitrary remembered one.
///
/// With a tail this instance wrote, the record roei-core appended to is kept too, cut to the header
/// and the new head event ([`Record::keep_last_event_only`]): the next append on that tail checks
/// and seals its event on it instead of parsing the header and the head event again (a sixth of
/// roei-core's and the service's work per append, BENCHMARKS.md). Only for tails of at most
/// [`TAIL_RECORD_BYTES`] of text (the reader holds at most about 8 times its text in memory, so
/// at most entries × 32 KiB more), and taken by the one append that uses it: a concurrent append on
/// the same tail reads the text as before.
pub struct TailCache {
    map: std::sync::Mutex<std::collections::HashMap<String, RememberedTail>>,
    entries: usize,
}

/// One remembered tail, with the record of it when this instance wrote it ([`TailCache`]).
struct RememberedTail {
    point: AppendPoint,
    record: Option<Record>,
}

/// The largest tail (header and head event text) whose parsed record is remembered.
pub const TAIL_RECORD_BYTES: usize = 4 * 1024;

/// Logs whose tail is remembered by default: 4,096 × 16 KiB = 64 MiB at the very most, a few MB in
/// practice (a header and a head event are 1–3 KB).
pub const TAIL_CACHE_ENTRIES: usize = 4096;
/// The largest tail (header and head event) remembered.
pub const TAIL_CACHE_BYTES: usize = 16 * 1024;

impl Default for TailCache {
    fn default() -> TailCache {
        TailCache::new(TAIL_CACHE_ENTRIES)
    }
}

impl TailCache {
    /// Remembers at most `entries` tails (0: every append reads its tail).
    pub fn new(entries: usize) -> TailCache {
        TailCache {
            map: Default::default(),
            entries,
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, RememberedTail>> {
        // Each change is one map operation: whatever panicked while it was held left it whole.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The remembered tail of log `id`.
    pub fn get(&self, id: &str) -> Option<AppendPoint> {
        self.map().get(id).map(|t| t.point.clone())
    }

    /// The record remembered with the tail of log `id` whose head is `point`'s, taken out (the
    /// append that uses it puts the next one back).
    fn take_record(&self, id: &str, point: &AppendPoint) -> Option<Record> {
        let head = point.head_event.as_ref()?;
        let mut map = self.map();
        let t = map.get_mut(id)?;
        let same = t.point.head_event.as_ref().is_some_and(|h| {
            h.seq == head.seq && h.head == head.head && t.point.header == point.header
        });
        if same {
            t.record.take()
        } else {
            None
        }
    }

    /// Remembers `point` (without `same_id`, which belongs to one append) as the tail of log `id`.
    pub fn put(&self, id: &str, point: AppendPoint) {
        self.put_with_record(id, point, None);
    }

    /// [`TailCache::put`] with the record of that tail ([`Record::keep_last_event_only`]), kept
    /// when the tail is at most [`TAIL_RECORD_BYTES`].
    fn put_with_record(&self, id: &str, mut point: AppendPoint, record: Option<Record>) {
        let size = point.header.len() + point.head_event.as_ref().map_or(0, |e| e.raw.len());
        if size > TAIL_CACHE_BYTES || self.entries == 0 {
            self.forget(id);
            return;
        }
        point.same_id = None;
        let mut map = self.map();
        if map.len() >= self.entries && !map.contains_key(id) {
            if let Some(any) = map.keys().next().cloned() {
                map.remove(&any);
            }
        }
        let record = record.filter(|_| size <= TAIL_RECORD_BYTES);
        map.insert(id.to_string(), RememberedTail { point, record });
    }

    /// Forgets the tail of log `id`.
    pub fn forget(&self, id: &str) {
        self.map().remove(id);
    }

    /// How many tails are remembered.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// Whether no tail is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

type Shared = Arc<App>;

/// The OpenAPI description served at `/roei-api/openapi.json`.
pub const OPENAPI: &str = include_str!("../../docs/openapi.json");

macro_rules! routes {
    ($($method:ident $path:literal => $handler:expr;)*) => {
        /// Every route as (method, path): the OpenAPI file is checked against this list.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// The service's router over `app`.
        pub fn router(app: Shared) -> Router {
            Router::new()
                $(.route($path, axum::routing::$method($handler)))*
                .fallback(static_file)
                .with_state(app)
        }
    };
}

routes! {
    get "/.well-known/roei-signing-key" => signing_key;
    get "/roei-api/openapi.json" => openapi;
    get "/roei-api/whoami" => whoami;
    get "/roei-api/incidents" => list_incidents;
    post "/roei-api/incidents" => create_incident;
    get "/roei-api/incidents/{id}" => get_record;
    get "/roei-api/incidents/{id}/status" => get_status;
    post "/roei-api/incidents/{id}/events" => append_event;
    get "/roei-api/incidents/{id}/stream" => stream;
    get "/roei-api/incidents/{id}/report" => report;
    get "/roei-api/incidents/{id}/calendar.ics" => calendar;
    get "/roei-api/incidents/{id}/timeline.svg" => timeline;
}

/// Query parameters the endpoints share.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// The instant to evaluate at (RFC 3339); default: the server's clock.
    pub at: Option<String>,
    pub lang: Option<String>,
    pub kind: Option<String>,
    pub format: Option<String>,
    /// Stream: events after this position.
    pub after: Option<i64>,
    /// Stream: the token, for clients that cannot set headers.
    pub access_token: Option<String>,
}

async fn caller(app: &App, headers: &HeaderMap, p: &Params) -> Result<Caller, ApiError> {
    authenticate(
        &app.store,
        &app.tokens,
        presented_token(headers, p.access_token.as_deref()),
    )
    .await
}

/// A record as stored: the parsed record, its JSON text, its events and its head.
pub struct Loaded {
    pub record: Record,
    pub text: String,
    pub events: Vec<StoredEvent>,
    pub head: String,
}

/// `{"format":…,"contracts":…}` + `,"events":[…]}`: the record text from its parts (stored events
/// or their raw JSON).
pub fn record_text<E: AsRef<str>>(header: &str, events: &[E]) -> String {
    let mut out = String::with_capacity(
        header.len() + events.iter().map(|e| e.as_ref().len() + 1).sum::<usize>() + 16,
    );
    out.push_str(header.trim_end().strip_suffix('}').unwrap_or(header));
    out.push_str(",\"events\":[");
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(e.as_ref());
    }
    out.push_str("]}");
    out
}

/// The head of the chain: the last event's seal hash, or the header's hash for an empty record.
pub fn head_of(rec: &Record) -> String {
    rec.events
        .last()
        .and_then(|e| serde_json::from_str::<Value>(e.raw()).ok())
        .and_then(|v| v["seal"]["hash"].as_str().map(str::to_string))
        .unwrap_or_else(|| roei_core::seal::genesis(rec))
}

fn damaged(id: &str, e: &roei_core::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "record_damaged",
        format!("the stored record '{id}' no longer reads: {e}"),
    )
    .at(e.path())
}

/// Reads an incident the caller may see (404 otherwise).
async fn load(app: &App, caller: &Caller, id: &str) -> Result<Loaded, ApiError> {
    let Some((header, events)) = app.store.incident(id).await.map_err(ApiError::storage)? else {
        return Err(ApiError::not_found(id));
    };
    let text = record_text(&header, &events);
    let record = Record::parse(&text).map_err(|e| damaged(id, &e))?;
    if !caller.sees(&record) {
        return Err(ApiError::not_found(id));
    }
    let head = events
        .last()
        .map(|e| e.head.clone())
        .unwrap_or_else(|| roei_core::seal::genesis(&record));
    Ok(Loaded {
        record,
        text,
        events,
        head,
    })
}

fn etag(head: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{head}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

fn at_of(p: &Params) -> Result<roei_core::Instant, ApiError> {
    match &p.at {
        None => Ok(chrono::Utc::now().with_timezone(&roei_core::time::jst())),
        Some(s) => roei_core::time::parse_instant(s).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_value",
                "at",
                format!(
                    "'{}' is not an RFC 3339 instant with an offset",
                    s.chars().take(60).collect::<String>()
                ),
            )
        }),
    }
}

fn json_response(status: StatusCode, head: Option<&str>, body: String) -> Response {
    let mut r = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(h) = head {
        r.headers_mut().insert(header::ETAG, etag(h));
    }
    r
}

async fn signing_key(State(app): State<Shared>) -> Response {
    axum::Json(json!({ "alg": "ed25519", "key": app.keys.public_hex(), "format": crate::receipt::RECEIPT_FORMAT }))
        .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn whoami(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    Ok(axum::Json(c.to_json()).into_response())
}

/// The dashboard: every incident the caller may see, with its next deadline and overdue count,
/// evaluated by roei-core at `at`.
async fn list_incidents(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    let at = at_of(&p)?;
    let body = dashboard(
        &app.store,
        &c.scope.principal,
        c.scope.contracts.as_deref(),
        &at,
    )
    .await?;
    Ok(json_response(StatusCode::OK, None, body))
}

/// Incidents a dashboard worker reads, evaluates and writes at a time.
const DASHBOARD_BATCH: usize = 256;

/// Stored rows of dashboard incidents: (id, header, events' raw JSON).
type DashboardRows = Vec<(String, String, Vec<String>)>;

/// The dashboard's answer, `{"at", "incidents": [row…]}`. The rows are read once
/// ([`Store::visible_each`]) and handed on in batches, as they arrive, to workers on the blocking
/// thread pool (one per core), each parsing every record once, evaluating it at `at` and writing its
/// row straight into JSON; the batches are then joined in the order read. The read and the
/// evaluation overlap and the evaluation uses every core: what the caller waits for is about the
/// longer of the two, not their sum.
pub async fn dashboard(
    store: &Store,
    principal: &str,
    contracts: Option<&[String]>,
    at: &roei_core::Instant,
) -> Result<String, ApiError> {
    let (send, receive) = std::sync::mpsc::channel::<(usize, DashboardRows)>();
    let receive = Arc::new(std::sync::Mutex::new(receive));
    let workers: Vec<_> = (0..std::thread::available_parallelism().map_or(2, |n| n.get().min(8)))
        .map(|_| {
            let (receive, at) = (receive.clone(), *at);
            tokio::task::spawn_blocking(move || {
                let policy = roei_core::Policy::default();
                let mut done: Vec<(usize, Vec<u8>)> = Vec::new();
                loop {
                    let next = receive
                        .lock()
                        .map_err(|_| internal("a dashboard worker failed"))?
                        .recv();
                    let Ok((k, batch)) = next else {
                        return Ok(done);
                    };
                    let mut out = Vec::with_capacity(batch.len() * 512);
                    for (i, (id, header, events)) in batch.iter().enumerate() {
                        let rec = Record::parse(&record_text(header, events))
                            .map_err(|e| damaged(id, &e))?;
                        if i > 0 {
                            out.push(b',');
                        }
                        serde_json::to_writer(&mut out, &summary(&rec, &at, &policy))
                            .map_err(|e| internal(&e.to_string()))?;
                    }
                    done.push((k, out));
                }
            })
        })
        .collect();
    let mut batch: DashboardRows = Vec::with_capacity(DASHBOARD_BATCH);
    let mut batches = 0;
    let read = store
        .visible_each(principal, contracts, |id, header, events| {
            batch.push((id, header, events));
            if batch.len() == DASHBOARD_BATCH {
                let _ = send.send((batches, std::mem::take(&mut batch)));
                batches += 1;
            }
        })
        .await;
    if !batch.is_empty() {
        let _ = send.send((batches, batch));
    }
    drop(send);
    let mut parts: Vec<(usize, Vec<u8>)> = Vec::new();
    for w in workers {
        parts.extend(w.await.map_err(|e| internal(&e.to_string()))??);
    }
    read.map_err(ApiError::storage)?;
    parts.sort_by_key(|(k, _)| *k);
    let mut out = format!(
        "{{\"at\":{},\"incidents\":[",
        json!(roei_core::time::fmt_jst(at))
    );
    for (i, (_, part)) in parts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Only serde_json wrote these bytes: UTF-8 by construction.
        out.push_str(std::str::from_utf8(part).map_err(|e| internal(&e.to_string()))?);
    }
    out.push_str("]}");
    Ok(out)
}

fn internal(message: &str) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
}

/// One dashboard row (`GET /roei-api/incidents`), borrowed from the record and its evaluation.
#[derive(Serialize)]
pub struct Summary<'a> {
    id: &'a str,
    title: Option<&'a str>,
    contracts: Vec<SummaryContract<'a>>,
    events: usize,
    next_deadline: Option<NextDeadline<'a>>,
    overdue: usize,
    undetermined: usize,
}

#[derive(Serialize)]
struct SummaryContract<'a> {
    id: &'a str,
    principal: &'a str,
    profile: &'a str,
}

/// The earliest due of a pending or undetermined duty.
#[derive(Serialize)]
struct NextDeadline<'a> {
    due: String,
    status: ObligationState,
    clause: &'a str,
    obligation: &'a str,
    owed_by: Party,
    legal_term: &'a str,
    label: &'a roei_core::catalog::Text,
}

/// One dashboard row.
pub fn summary<'a>(
    rec: &'a Record,
    at: &roei_core::Instant,
    policy: &roei_core::Policy,
) -> Summary<'a> {
    let ev = roei_core::evaluate(rec, at, policy);
    let counts = ev.counts();
    let next = ev
        .obligations
        .iter()
        // Undetermined duties show their would-be due (README: Rule 43 is three-valued).
        .filter(|o| {
            matches!(
                o.state,
                ObligationState::Pending | ObligationState::Undetermined
            )
        })
        .filter_map(|o| o.due.map(|d| (d, o)))
        .min_by_key(|(d, _)| *d)
        .map(|(d, o)| NextDeadline {
            due: roei_core::time::fmt_jst(&d),
            status: o.state,
            clause: &o.clause.id,
            obligation: o.clause.obligation_id(),
            owed_by: o.clause.owed_by,
            legal_term: &o.clause.legal_term,
            label: &o.clause.summary,
        });
    Summary {
        id: &rec.id,
        title: rec.title.as_deref(),
        contracts: rec
            .contracts
            .iter()
            .map(|c| SummaryContract {
                id: &c.id,
                principal: &c.principal,
                profile: &c.profile,
            })
            .collect(),
        events: rec.events.len(),
        next_deadline: next,
        overdue: counts[ObligationState::Overdue as usize],
        undetermined: counts[ObligationState::Undetermined as usize],
    }
}

fn parse_body(body: &str) -> Result<Map<String, Value>, ApiError> {
    match crate::strict_json::parse(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::invalid(&roei_core::Error::Json {
            path: String::new(),
            message: "expected a JSON object".into(),
        })),
        Err(message) => Err(ApiError::invalid(&roei_core::Error::Json {
            path: String::new(),
            message,
        })),
    }
}

/// Creates an incident from `{"id","title","contracts"}`; every contract must be in the caller's
/// scope.
async fn create_incident(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(p): Query<Params>,
    body: String,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    let mut m = parse_body(&body)?;
    for k in m.keys() {
        if !["format", "id", "title", "contracts"].contains(&k.as_str()) {
            return Err(ApiError::invalid(&roei_core::Error::Json {
                path: k.clone(),
                message: format!("unknown field '{k}' (a new incident takes id, title and contracts; events are appended one by one)"),
            }));
        }
    }
    if let Some(f) = m.remove("format") {
        if f != roei_core::record::INCIDENT_FORMAT {
            return Err(ApiError::invalid(&roei_core::Error::Format {
                path: "format".into(),
                found: f.to_string(),
                expected: roei_core::record::INCIDENT_FORMAT,
            }));
        }
    }
    let id =
        match m.get("id") {
            Some(Value::String(s))
                if !s.trim().is_empty()
                    && s.chars().count() <= 128
                    && !s.chars().any(char::is_control) =>
            {
                s.clone()
            }
            _ => return Err(ApiError::invalid(&roei_core::Error::Invalid {
                path: "id".into(),
                message:
                    "the incident id must be text of 1 to 128 characters without control characters"
                        .into(),
                clause: None,
            })),
        };
    let title = match m.get("title") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(ApiError::invalid(&roei_core::Error::Invalid {
                path: "title".into(),
                message: "the title must be text".into(),
                clause: None,
            }))
        }
    };
    let contracts: Vec<roei_core::Contract> = serde_json::from_value(
        m.get("contracts").cloned().unwrap_or(Value::Null),
    )
    .map_err(|e| {
        ApiError::invalid(&roei_core::Error::Json {
            path: "contracts".into(),
            message: e.to_string(),
        })
    })?;
    let rec = Record::new(&id, title.as_deref(), contracts).map_err(|e| ApiError::invalid(&e))?;
    for (i, k) in rec.contracts.iter().enumerate() {
        if !c.covers(&k.id, &k.principal) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "contract_out_of_scope",
                format!(
                    "contract '{}' of {} is not in this caller's scope",
                    k.id, k.principal
                ),
            )
            .at(format!("contracts[{i}]")));
        }
    }
    let mut header = Map::new();
    header.insert("format".into(), json!(roei_core::record::INCIDENT_FORMAT));
    header.insert("id".into(), json!(rec.id));
    if let Some(t) = &rec.title {
        header.insert("title".into(), json!(t));
    }
    header.insert(
        "contracts".into(),
        serde_json::to_value(&rec.contracts).unwrap_or_default(),
    );
    let header = Value::Object(header).to_string();
    let scope: Vec<(String, String)> = rec
        .contracts
        .iter()
        .map(|k| (k.id.clone(), k.principal.clone()))
        .collect();
    match app
        .store
        .create_incident(&id, &header, &scope, &c.name)
        .await
    {
        Ok(()) => {}
        Err(InsertError::Conflict) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "incident_exists",
                format!("an incident '{id}' already exists"),
            )
            .at("id"))
        }
        Err(InsertError::Storage(e)) => return Err(ApiError::storage(e)),
    }
    let head = roei_core::seal::genesis(&rec);
    let text = record_text::<&str>(&header, &[]);
    let mut r = json_response(
        StatusCode::CREATED,
        Some(&head),
        format!(
            "{{\"id\":{},\"head\":{},\"record\":{text}}}",
            json!(id),
            json!(head)
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("{PREFIX}/incidents/{}", percent(&id))) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Percent-encodes a path segment.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn get_record(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    let l = load(&app, &c, &id).await?;
    Ok(json_response(StatusCode::OK, Some(&l.head), l.text))
}

async fn get_status(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    let at = at_of(&p)?;
    let l = load(&app, &c, &id).await?;
    let status = roei_core::status(&l.record, &at, &roei_core::Policy::default());
    let mut v = serde_json::to_value(&status).unwrap_or_default();
    v["head"] = json!(l.head);
    v["events"] = json!(l.events.len());
    Ok(json_response(StatusCode::OK, Some(&l.head), v.to_string()))
}

/// The head a client names in `If-Match` (quoted or not; a weak `W/` prefix is ignored).
fn if_match(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::IF_MATCH)?.to_str().ok()?.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    Some(v.trim_matches('"').to_string())
}

fn conflict(head: &str, events: usize) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "head_conflict",
        "the record has moved on since this head: read it again, check the event against it and retry",
    )
    .at("If-Match")
    .with("head", json!(head))
    .with("events", json!(events))
}

/// Appends one event. The caller's party is the actor; the server adds `received_at` and the
/// chain's seal; roei-core validates; the new head is signed.
///
/// Only the header and the head event are read ([`Store::append_point`], one query): roei-core
/// appends to a record of the header and the head event, which is what extending the chain needs,
/// and the limits that depend on the whole log are checked here from the head row's count and size
/// (the same limits and errors as roei-core's, so the service never stores a record the reader
/// would refuse). A repeated id is found by the same query and by the unique index at the insert.
async fn append_event(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
    body: String,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    let limits = Limits::default();
    // Parsed before the incident is read (the query needs the id); its errors are answered after
    // the scope check, so that a caller learns nothing of an incident it cannot see.
    let parsed = if body.len() > limits.max_event_bytes {
        Err(ApiError::invalid(&roei_core::Error::TooLarge {
            path: "event".into(),
            size: body.len(),
            limit: limits.max_event_bytes,
        }))
    } else {
        parse_body(&body)
    };
    let event_id = parsed
        .as_ref()
        .ok()
        .and_then(|ev| ev.get("id"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // The tail this instance remembers, if any, when the client names its head: the insert's keys
    // prove it still the tail (position n+1 and the id must be free). Anything but success is done
    // again from the database, so that every other answer is the database's ([`TailCache`]).
    let expected = if_match(&headers);
    let remembered = app.tails.get(&id).filter(|point| {
        point
            .head_event
            .as_ref()
            .is_some_and(|h| expected.as_deref() == Some(h.head.as_str()))
    });
    if let (Some(point), Ok(ev)) = (remembered, &parsed) {
        let attempt = append_on(
            &app,
            &c,
            &id,
            &headers,
            Ok(ev.clone()),
            &event_id,
            point,
            limits,
            Tail::Remembered,
        );
        if let Ok(r) = attempt.await {
            return Ok(r);
        }
        app.tails.forget(&id);
    }
    let Some(point) = app
        .store
        .append_point(&id, &event_id)
        .await
        .map_err(ApiError::storage)?
    else {
        return Err(ApiError::not_found(&id));
    };
    // A client whose head is not the one just read gets 409 and comes back with that head: the
    // tail just read is remembered for it (any other failure forgets it).
    let stale_client = point
        .head_event
        .as_ref()
        .is_some_and(|h| expected.as_deref() != Some(h.head.as_str()));
    let tail = stale_client.then(|| point.clone());
    let answer = append_on(
        &app,
        &c,
        &id,
        &headers,
        parsed,
        &event_id,
        point,
        limits,
        Tail::Read,
    )
    .await;
    match (&answer, tail) {
        (Ok(_), _) => {}
        (Err(_), Some(tail)) => app.tails.put(&id, tail),
        (Err(_), None) => app.tails.forget(&id),
    }
    answer
}

/// Where an append's tail of the log came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Read from the database for this append: its answers are the database's.
    Read,
    /// Remembered by this instance ([`TailCache`]): only a success is answered from it.
    Remembered,
}

/// The append on a known tail of the log ([`AppendPoint`]: read from the database, or the one this
/// instance wrote last): scope, actor, repeat, duty, If-Match, limits, roei-core, insert, receipt.
#[allow(clippy::too_many_arguments)]
async fn append_on(
    app: &App,
    c: &Caller,
    id: &str,
    headers: &HeaderMap,
    parsed: Result<Map<String, Value>, ApiError>,
    event_id: &str,
    point: AppendPoint,
    limits: Limits,
    tail: Tail,
) -> Result<Response, ApiError> {
    let id = id.to_string();
    let event_id = event_id.to_string();
    let remembered = match tail {
        Tail::Remembered => app.tails.take_record(&id, &point),
        Tail::Read => None,
    };
    let base = match remembered {
        Some(record) => record,
        None => tail_record(&id, &point)?,
    };
    if !c.sees(&base) {
        return Err(ApiError::not_found(&id));
    }
    let count = point.head_event.as_ref().map_or(0, |e| e.seq);
    let head = point
        .head_event
        .as_ref()
        .map(|e| e.head.clone())
        .unwrap_or_else(|| roei_core::seal::genesis(&base));
    let mut ev = parsed?;
    for k in ["seal", "received_at"] {
        if ev.contains_key(k) {
            return Err(ApiError::invalid(&roei_core::Error::Invalid {
                path: k.into(),
                message: format!("'{k}' is written by the service, not by the client"),
                clause: None,
            }));
        }
    }
    let actor = c.actor().key();
    match ev.get("actor") {
        None => {
            ev.insert("actor".into(), json!(actor));
        }
        Some(Value::String(a)) if a == actor => {}
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "actor_not_caller",
                format!(
                "this caller records as '{actor}', not as {other}: the actor is the caller's party"
            ),
            )
            .at("actor"))
        }
    }
    // A repeat of an acknowledged event (a client retrying after a lost answer) gets its receipt.
    if let Some(s) = &point.same_id {
        let mut stored: Map<String, Value> = serde_json::from_str(&s.raw).unwrap_or_default();
        stored.remove("seal");
        stored.remove("received_at");
        if stored == ev {
            let receipt = app
                .keys
                .receipt(&id, s.seq, &event_id, &s.head, &s.received_at);
            return Ok(json_response(
                StatusCode::OK,
                Some(&head),
                json!({"seq": s.seq, "head": s.head, "received_at": s.received_at, "repeat": true, "event": stored, "receipt": receipt}).to_string(),
            ));
        }
        return Err(ApiError::invalid(&roei_core::Error::DuplicateId {
            path: "id".into(),
            id: event_id,
        }));
    }
    if let Some(t) = ev
        .get("type")
        .and_then(Value::as_str)
        .and_then(EventType::from_key)
    {
        if let Some(clause) = crate::duty::refused_clause(&base, t, c.party) {
            let other = if c.party == Party::Contractor {
                "principal"
            } else {
                "contractor"
            };
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "duty_of_other_party",
                format!(
                    "'{}' records a duty the {other} owes ({clause}); only the {other} records it",
                    t.key()
                ),
            )
            .at("type")
            .clause(clause));
        }
        if let Some(by) = ev
            .get("data")
            .and_then(|d| d.get("by"))
            .and_then(Value::as_str)
        {
            if by != c.party.key() {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "duty_of_other_party",
                    format!(
                        "this caller is the {}; '{by}' records for itself",
                        c.party.key()
                    ),
                )
                .at("data.by"));
            }
        }
    }
    let Some(expected) = if_match(headers) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "send 'If-Match: <head>' naming the record head this event was checked against",
        )
        .at("If-Match")
        .with("head", json!(head)));
    };
    if expected != head {
        return Err(conflict(&head, count as usize));
    }
    // The record's size before this event: kept with the head row (schema 2), else counted once.
    let size_before = match (&point.head_event, point.record_bytes) {
        (None, _) => record_text::<&str>(&point.header, &[]).len(),
        (Some(_), Some(n)) => n as usize,
        (Some(_), None) => {
            let all = app
                .store
                .events_after(&id, 0)
                .await
                .map_err(ApiError::storage)?;
            record_text(&point.header, &all).len()
        }
    };
    // The limits over the whole log, as roei-core's reader applies them to the record text.
    if count as usize >= limits.max_events {
        return Err(ApiError::invalid(&roei_core::Error::TooMany {
            path: "events".into(),
            count: count as usize + 1,
            limit: limits.max_events,
        }));
    }
    let received_at = now_text();
    ev.insert("received_at".into(), json!(received_at));
    let (raw, new_head, mut record) =
        extend(&id, &point, base, &Value::Object(ev).to_string(), limits)?;
    let size_after = size_before + usize::from(count > 0) + raw.len();
    if size_after > limits.max_bytes {
        return Err(ApiError::invalid(&roei_core::Error::WouldBeTooLarge {
            path: String::new(),
            action: "appending this event",
            size: size_after,
            limit: limits.max_bytes,
        }));
    }
    let stored = StoredEvent {
        seq: count + 1,
        raw,
        head: new_head.clone(),
        received_at: received_at.clone(),
    };
    match app
        .store
        .insert_event(&id, &event_id, &stored, size_after as i64, &c.name)
        .await
    {
        Ok(()) => {}
        // On a remembered tail the append is done again from the database, which answers.
        Err(InsertError::Conflict) if tail == Tail::Remembered => {
            return Err(conflict(&head, count as usize));
        }
        Err(InsertError::Conflict) => {
            let now = app.store.head(&id).await.map_err(ApiError::storage)?;
            let (n, h) = now.unwrap_or((0, head));
            return Err(conflict(&h, n as usize));
        }
        Err(InsertError::Storage(e)) => return Err(ApiError::storage(e)),
    }
    record.keep_last_event_only();
    app.tails.put_with_record(
        &id,
        AppendPoint {
            header: point.header.clone(),
            head_event: Some(stored.clone()),
            record_bytes: Some(size_after as i64),
            same_id: None,
        },
        Some(record),
    );
    let _ = app.wake.send(id.clone());
    let receipt = app
        .keys
        .receipt(&id, stored.seq, &event_id, &new_head, &received_at);
    Ok(json_response(
        StatusCode::CREATED,
        Some(&new_head),
        format!(
            "{{\"seq\":{},\"head\":{},\"received_at\":{},\"event\":{},\"receipt\":{}}}",
            stored.seq,
            json!(new_head),
            json!(received_at),
            stored.raw,
            serde_json::to_string(&receipt).unwrap_or_default()
        ),
    ))
}

/// The record of the header and the head event (the header alone for an empty log): what roei-core
/// needs to check an event against and to extend the chain.
pub fn tail_record(id: &str, point: &AppendPoint) -> Result<Record, ApiError> {
    let rec = Record::parse(&record_text(&point.header, point.head_event.as_slice()))
        .map_err(|e| damaged(id, &e))?;
    // Every event the service stores is sealed; a head without a seal was not written here. The
    // seal the service wrote ends the text and names the stored head ([`roei_core::seal::seal_at_end`]): only what
    // does not read so is parsed to find out.
    let sealed = |h: &StoredEvent| {
        roei_core::seal::seal_at_end(&h.raw).is_some_and(|(_, hash)| hash == h.head)
            || rec.is_sealed()
    };
    if let Some(h) = point.head_event.as_ref().filter(|h| !sealed(h)) {
        return Err(damaged(
            id,
            &roei_core::Error::invalid(
                format!("events[{}].seal", h.seq - 1),
                "the stored head event carries no seal",
            ),
        ));
    }
    Ok(rec)
}

/// The new event validated by roei-core on `base` (the record of the header and the head event,
/// [`tail_record`]), sealed onto the chain: its stored text, the new head, and the record with it.
pub fn extend(
    id: &str,
    point: &AppendPoint,
    base: Record,
    event: &str,
    limits: Limits,
) -> Result<(String, String, Record), ApiError> {
    let count = point.head_event.as_ref().map_or(0, |h| h.seq as usize);
    let mut rec = base;
    let before = rec.events.len();
    // roei-core names the new event by its place in the partial record: name its place in the log.
    let (partial, whole) = (format!("events[{before}]"), format!("events[{count}]"));
    rec.append_json(event, limits)
        .map_err(|e| ApiError::invalid(&e.map_paths(&|p: &str| p.replacen(&partial, &whole, 1))))?;
    if rec.events.len() != before + 1 {
        // roei-core ignores a byte-for-byte repeat of the head event; the id query finds it first.
        return Err(ApiError::invalid(&roei_core::Error::DuplicateId {
            path: "id".into(),
            id: rec.events[before - 1].id.clone(),
        }));
    }
    // On a sealed head roei-core has sealed the new event onto it: its text ends with the seal.
    let raw = rec.events[before].raw();
    if let Some(h) = point.head_event.as_ref() {
        if let Some((_, hash)) =
            roei_core::seal::seal_at_end(raw).filter(|(prev, _)| *prev == h.head)
        {
            let (raw, hash) = (raw.to_string(), hash.to_string());
            return Ok((raw, hash, rec));
        }
    }
    if !rec.is_sealed() {
        rec.seal().map_err(|e| damaged(id, &e))?;
    }
    let raw = rec.events[before].raw().to_string();
    let head = head_of(&rec);
    Ok((raw, head, rec))
}

/// Server-sent events: each append after `after` (or `Last-Event-ID`) as an `append` event whose
/// id is its position. Appends through this instance wake the stream at once; appends through
/// other instances on the same PostgreSQL are seen by polling every 500 ms.
async fn stream(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let c = caller(&app, &headers, &p).await?;
    load(&app, &c, &id).await?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = last_event_id.or(p.after).unwrap_or(0);
    let wake = app.wake.subscribe();
    struct S {
        app: Shared,
        id: String,
        after: i64,
        queue: VecDeque<StoredEvent>,
        wake: broadcast::Receiver<String>,
    }
    let state = S {
        app: app.clone(),
        id,
        after,
        queue: VecDeque::new(),
        wake,
    };
    let events = futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(e) = s.queue.pop_front() {
                let data = format!(
                    "{{\"seq\":{},\"head\":{},\"received_at\":{},\"event\":{}}}",
                    e.seq,
                    json!(e.head),
                    json!(e.received_at),
                    e.raw
                );
                let item = SseEvent::default()
                    .event("append")
                    .id(e.seq.to_string())
                    .data(data);
                return Some((Ok::<_, std::convert::Infallible>(item), s));
            }
            match s.app.store.events_after(&s.id, s.after).await {
                Ok(list) if !list.is_empty() => {
                    s.after = list.last().map(|e| e.seq).unwrap_or(s.after);
                    s.queue.extend(list);
                    continue;
                }
                Ok(_) => {}
                Err(_) => {
                    // The database is away: end the stream; the client reconnects with Last-Event-ID.
                    return None;
                }
            }
            let deadline = tokio::time::sleep(Duration::from_millis(500));
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    w = s.wake.recv() => match w {
                        Ok(x) if x == s.id => break,
                        Ok(_) => continue,
                        Err(broadcast::error::RecvError::Lagged(_)) => break,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                }
            }
        }
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

fn lang_of(p: &Params) -> &str {
    p.lang.as_deref().unwrap_or("ja")
}

fn text_response(content_type: &'static str, head: &str, body: String) -> Response {
    let mut r = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    r.headers_mut().insert(header::ETAG, etag(head));
    r
}

/// A written report (roei-core's report module): `kind` principal | record | ppc-preliminary |
/// ppc-final | subjects, `format` md | html | json.
async fn report(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let format = p.format.as_deref().unwrap_or("md");
    let ct = match format {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        _ => "text/markdown; charset=utf-8",
    };
    let kind = p.kind.as_deref().unwrap_or("principal");
    document(&app, &id, &headers, &p, ct, |text, at, lang| {
        roei_core::report::report_text(text, kind, lang, format, at, None)
    })
    .await
}

async fn calendar(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    document(
        &app,
        &id,
        &headers,
        &p,
        "text/calendar; charset=utf-8",
        |text, at, lang| roei_core::report::ics_text(text, at, lang, None),
    )
    .await
}

async fn timeline(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    document(
        &app,
        &id,
        &headers,
        &p,
        "image/svg+xml",
        |text, at, lang| roei_core::report::timeline_text(text, at, lang, None),
    )
    .await
}

/// One written document of a visible incident at `?at` (default now): the caller is checked, the
/// record loaded, `render` (a roei-core renderer over the record text, the instant and the
/// language) writes it, and the response carries the record's head as its ETag.
async fn document(
    app: &Shared,
    id: &str,
    headers: &HeaderMap,
    p: &Params,
    content_type: &'static str,
    render: impl FnOnce(&str, &str, &str) -> Result<String, roei_core::Error>,
) -> Result<Response, ApiError> {
    let c = caller(app, headers, p).await?;
    let at = roei_core::time::fmt_jst(&at_of(p)?);
    let l = load(app, &c, id).await?;
    let text = render(&l.text, &at, lang_of(p)).map_err(|e| ApiError::invalid(&e))?;
    Ok(text_response(content_type, &l.head, text))
}

/// The static portal (`--static DIR`), for the demo; `/` is `index.html`.
async fn static_file(State(app): State<Shared>, uri: Uri) -> Response {
    let not_found =
        || ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such path").into_response();
    let Some(dir) = &app.static_dir else {
        return not_found();
    };
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if path
        .split('/')
        .any(|s| s.is_empty() || s == ".." || s == "." || s.contains('\\'))
    {
        return not_found();
    }
    let file = dir.join(&path);
    let Ok(bytes) = tokio::fs::read(&file).await else {
        return not_found();
    };
    let ct = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    // The strict policy a portal would send (the same as web-demo/serve.mjs): the widget runs under it.
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CONTENT_SECURITY_POLICY, PORTAL_CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes,
    )
        .into_response()
}

/// Content-Security-Policy of the static portal.
pub const PORTAL_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::{TailCache, TAIL_CACHE_BYTES, TAIL_RECORD_BYTES};
    use crate::store::{AppendPoint, StoredEvent};

    fn tail(seq: i64, raw_bytes: usize) -> AppendPoint {
        let event = StoredEvent {
            seq,
            raw: "x".repeat(raw_bytes),
            head: format!("{seq:064x}"),
            received_at: "2026-11-30T09:00:00.000+09:00".into(),
        };
        AppendPoint {
            header: "{}".into(),
            head_event: Some(event.clone()),
            record_bytes: Some(1000),
            same_id: Some(event),
        }
    }

    /// The remembered tails stay within their count and size: a new log past the count evicts
    /// one other, a tail over the size is forgotten rather than kept, 0 remembers nothing, and the
    /// `same_id` of one append is never remembered for the next.
    #[test]
    fn remembered_tails_are_bounded_in_count_and_bytes() {
        let cache = TailCache::new(3);
        for n in 0..10 {
            cache.put(&format!("INC-{n}"), tail(n, 100));
            assert!(cache.len() <= 3);
            assert_eq!(
                cache
                    .get(&format!("INC-{n}"))
                    .unwrap()
                    .head_event
                    .unwrap()
                    .seq,
                n
            );
        }
        assert_eq!(cache.len(), 3);
        // A log already remembered is replaced, nothing evicted.
        let remembered = |c: &TailCache| -> Vec<bool> {
            (0..10)
                .map(|n| c.get(&format!("INC-{n}")).is_some())
                .collect()
        };
        let before = remembered(&cache);
        cache.put("INC-9", tail(10, 100));
        assert_eq!(remembered(&cache), before);
        assert!(cache.get("INC-9").unwrap().same_id.is_none());
        // Over the size: forgotten, so the next append reads it.
        cache.put("INC-9", tail(11, TAIL_CACHE_BYTES));
        assert!(cache.get("INC-9").is_none());
        assert_eq!(cache.len(), 2);
        cache.put("INC-9", tail(12, TAIL_CACHE_BYTES - 2));
        assert!(cache.get("INC-9").is_some());
        cache.forget("INC-9");
        assert!(cache.get("INC-9").is_none());
        let none = TailCache::new(0);
        none.put("INC-0", tail(1, 10));
        assert!(none.is_empty());
    }

    /// The record kept with a tail is given once, to an append on that same tail (header and
    /// head), and only for a tail of at most `TAIL_RECORD_BYTES`; a plain `put` keeps none.
    #[test]
    fn the_remembered_record_goes_to_one_append_on_its_own_tail() {
        let example = include_str!("../../examples/nagaoka-usb-loss.json");
        let record = || roei_core::Record::parse(example).unwrap();
        let cache = TailCache::default();
        cache.put_with_record("INC-1", tail(5, 100), Some(record()));
        assert!(cache.take_record("INC-1", &tail(4, 100)).is_none());
        let mut other_header = tail(5, 100);
        other_header.header = "{\"id\":\"other\"}".into();
        assert!(cache.take_record("INC-1", &other_header).is_none());
        assert!(cache.take_record("INC-2", &tail(5, 100)).is_none());
        assert!(cache.take_record("INC-1", &tail(5, 100)).is_some());
        assert!(cache.take_record("INC-1", &tail(5, 100)).is_none());
        assert!(cache.get("INC-1").is_some());
        cache.put_with_record("INC-1", tail(6, TAIL_RECORD_BYTES), Some(record()));
        assert!(cache
            .take_record("INC-1", &tail(6, TAIL_RECORD_BYTES))
            .is_none());
        cache.put_with_record("INC-1", tail(7, 100), Some(record()));
        cache.put("INC-1", tail(7, 100));
        assert!(cache.take_record("INC-1", &tail(7, 100)).is_none());
    }
}

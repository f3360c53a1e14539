//! `roei/incident@1`: the append-only, event-sourced incident record.
//!
//! Events are kept as the JSON they arrived in (`raw`) next to their typed reading, so a record
//! written back out is byte-for-byte what was read, extra fields included (a version-1 reader must
//! ignore, never drop, what it does not know). An event is never edited or removed: corrections
//! are new events.
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::catalog::{Catalog, ProfileKind};
use crate::error::{join_path, Error};
use crate::json_guard::ListLimit;
use crate::time::{parse_instant, Instant};
use crate::vocab::{Actor, EventType, FieldKey, IncidentKind};

pub const INCIDENT_FORMAT: &str = "roei/incident@1";

/// Bounds on hostile input. The defaults suit a real incident many times over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_events: usize,
    pub max_contracts: usize,
    /// Largest single event.
    pub max_event_bytes: usize,
    /// Deepest nesting of arrays/objects inside one event (unknown fields included, which serde
    /// would otherwise skip without counting).
    pub max_event_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_events: 20_000,
            max_contracts: 64,
            max_event_bytes: 256 * 1024,
            max_event_depth: 32,
        }
    }
}

/// A contract whose data the incident touches.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    pub id: String,
    pub profile: String,
    /// The municipality (委託者); national obligations are owed once per distinct principal.
    pub principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    /// National layers: absent = the profile's defaults, `[]` = none, or the ones named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<Vec<String>>,
    /// Contract type where the profile defines variants (hirono 類型1-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Clauses this contract leaves out (only those the profile marks omittable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>"))]
    pub omit: Vec<String>,
    /// Keys this version does not know, kept for the round trip.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

// Written by hand rather than with `#[serde(flatten)]`, which buffers every field before reading it.
impl<'de> Deserialize<'de> for Contract {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Contract;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a contract object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Contract, A::Error> {
                let (mut id, mut profile, mut principal) = (None, None, None);
                let mut c = Contract {
                    id: String::new(),
                    profile: String::new(),
                    principal: String::new(),
                    contractor: None,
                    national: None,
                    variant: None,
                    omit: Vec::new(),
                    extra: BTreeMap::new(),
                };
                while let Some(k) = m.next_key::<std::borrow::Cow<str>>()? {
                    match &*k {
                        "id" => id = Some(m.next_value()?),
                        "profile" => profile = Some(m.next_value()?),
                        "principal" => principal = Some(m.next_value()?),
                        "contractor" => c.contractor = m.next_value()?,
                        "national" => c.national = m.next_value()?,
                        "variant" => c.variant = m.next_value()?,
                        "omit" => {
                            c.omit = m.next_value::<Option<Vec<String>>>()?.unwrap_or_default()
                        }
                        _ => {
                            let v: Value = m.next_value()?;
                            c.extra.insert(k.into_owned(), v);
                        }
                    }
                }
                c.id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                c.profile = profile.ok_or_else(|| de::Error::missing_field("profile"))?;
                c.principal = principal.ok_or_else(|| de::Error::missing_field("principal"))?;
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyMethod {
    Individual,
    PublicNotice,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedBy {
    Principal,
    Contractor,
}

/// The `fields` of a report event: the contents the clauses ask for. Values may be any JSON (text,
/// numbers, lists); a value counts as given when it is not null, "", [] or {}.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circumstances: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_items: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subjects_count: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_damage: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_response: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication_status: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevention: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<Value>,
}

impl Fields {
    pub fn get(&self, k: FieldKey) -> Option<&Value> {
        match k {
            FieldKey::Content => self.content.as_ref(),
            FieldKey::Count => self.count.as_ref(),
            FieldKey::Location => self.location.as_ref(),
            FieldKey::Circumstances => self.circumstances.as_ref(),
            FieldKey::Summary => self.summary.as_ref(),
            FieldKey::DataItems => self.data_items.as_ref(),
            FieldKey::SubjectsCount => self.subjects_count.as_ref(),
            FieldKey::Cause => self.cause.as_ref(),
            FieldKey::SecondaryDamage => self.secondary_damage.as_ref(),
            FieldKey::SubjectResponse => self.subject_response.as_ref(),
            FieldKey::PublicationStatus => self.publication_status.as_ref(),
            FieldKey::Prevention => self.prevention.as_ref(),
            FieldKey::Other => self.other.as_ref(),
            _ => None,
        }
    }
}

/// Event data: one struct for every event type's keys (docs/FORMATS.md's table), all optional here;
/// [`Record`] validation enforces what a type requires (`detected` needs `kind`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventData {
    // detected
    pub kind: Option<IncidentKind>,
    pub signs_only: Option<bool>,
    pub summary: Option<Value>,
    // facts
    pub subjects_count: Option<u64>,
    pub data_items: Option<Vec<String>>,
    pub sensitive: Option<bool>,
    pub ordinance_sensitive: Option<bool>,
    pub financial_damage_risk: Option<bool>,
    pub improper_purpose: Option<bool>,
    pub encrypted: Option<bool>,
    pub my_number: Option<bool>,
    pub my_number_system: Option<bool>,
    pub public_exposure: Option<bool>,
    pub personal_info: Option<bool>,
    pub improper_use: Option<bool>,
    pub unlawful_use: Option<bool>,
    pub unlawful_provision: Option<bool>,
    pub non_disclosure: Option<bool>,
    pub location: Option<Value>,
    pub circumstances: Option<Value>,
    // dismissed
    pub reason: Option<Value>,
    // containment_*, prevention_implemented
    pub measures: Option<Value>,
    // evidence_preserved
    pub what: Option<Value>,
    // reported_to_principal, instruction_received, record_submitted, principal_aware
    pub contract: Option<String>,
    pub written: Option<bool>,
    pub fields: Option<Box<Fields>>,
    // instruction_received
    pub text: Option<Value>,
    /// roei extension: the instruction says whether the contractor is to notify data subjects.
    pub notify_subjects: Option<bool>,
    // subjects_notified
    pub method: Option<NotifyMethod>,
    pub count: Option<u64>,
    // cause_analyzed
    pub cause: Option<Value>,
    // published
    pub by: Option<PublishedBy>,
    pub url: Option<String>,
    pub names_contractor: Option<bool>,
    /// roei extension for national events (`ppc_*`): which principal; absent = every principal.
    pub principal: Option<String>,
    /// roei extension: the national layer an event answers (`appi-local-gov` or `mynumber`; the PPC
    /// takes My Number reports on a separate form). Absent = every layer.
    pub layer: Option<String>,
}

pub(crate) fn is_given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

impl EventData {
    /// Field keys this event supplies, as a bit set ([`FieldKey::bit`]).
    pub fn given_mask(&self) -> u32 {
        let mut m = 0u32;
        if let Some(f) = &self.fields {
            for k in FieldKey::ALL {
                if is_given(f.get(*k)) {
                    m |= k.bit();
                }
            }
        }
        let top: [(FieldKey, bool); 9] = [
            (FieldKey::Summary, is_given(self.summary.as_ref())),
            (FieldKey::Cause, is_given(self.cause.as_ref())),
            (FieldKey::Measures, is_given(self.measures.as_ref())),
            (FieldKey::What, is_given(self.what.as_ref())),
            (FieldKey::Reason, is_given(self.reason.as_ref())),
            (FieldKey::Text, is_given(self.text.as_ref())),
            (FieldKey::Method, self.method.is_some()),
            (FieldKey::Location, is_given(self.location.as_ref())),
            (
                FieldKey::Circumstances,
                is_given(self.circumstances.as_ref()),
            ),
        ];
        for (k, given) in top {
            if given {
                m |= k.bit();
            }
        }
        if self.subjects_count.is_some() {
            m |= FieldKey::SubjectsCount.bit();
        }
        if self.data_items.as_ref().is_some_and(|d| !d.is_empty()) {
            m |= FieldKey::DataItems.bit();
        }
        m
    }
}

/// One recorded event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub at: Instant,
    /// `None` for a type this version does not know (kept, ignored, warned about).
    pub event_type: Option<EventType>,
    /// The type as written (a static key for known types: no allocation).
    pub type_name: std::borrow::Cow<'static, str>,
    pub actor: Actor,
    /// Shared, not boxed per event: the union of every type's keys is large (hundreds of bytes), and
    /// an event without `data` points at one shared empty value instead of allocating its own (20,000
    /// such events cost 12 MB more as boxes: RELIABILITY.md, memory table).
    pub data: std::sync::Arc<EventData>,
    /// roei addition to `roei/incident@1`: when the event was entered, apart from `at`, the instant
    /// it happened as declared by the person recording it (a phone report at 11:05 entered at 13:00).
    /// Optional; obligations are computed from `at` only.
    pub recorded_at: Option<Instant>,
    /// roei addition to `roei/incident@1`: who recorded the event (name, department), optional.
    pub recorder: Option<Box<Recorder>>,
    /// The event exactly as recorded (valid JSON: it was parsed from it).
    raw: Box<str>,
    /// Contracts the event is about, as a bit set over `record.contracts` (all bits when it names none);
    /// resolved once when the event joins a record, so evaluation never compares strings.
    pub(crate) scope_mask: u64,
    /// `data.given_mask()`, computed once.
    pub(crate) given: u32,
}

impl PartialEq for Event {
    /// Same content: same id, instant, type, actor and data (extra fields and formatting aside).
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id
            && self.at == o.at
            && self.at.offset() == o.at.offset()
            && self.type_name == o.type_name
            && self.actor == o.actor
            && self.data == o.data
    }
}

/// The person who recorded an event (`recorder` on an event; both parts optional). A roei addition
/// to `roei/incident@1`: contracts require reports to name who is responsible, and the log of an
/// incident handled by several people must say who entered what.
/// Read from a JSON value by hand rather than a serde derive: the derive's visitor is 1–2 KB of the
/// gzipped WASM engine, which every page load fetches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recorder {
    pub name: Option<String>,
    pub department: Option<String>,
}

impl Recorder {
    /// `{"name"?: text, "department"?: text}` and nothing else; None for any other shape.
    fn from_value(v: &Value) -> Option<Recorder> {
        let mut r = Recorder::default();
        for (k, v) in v.as_object()? {
            let text = Some(v.as_str()?.to_string());
            match k.as_str() {
                "name" => r.name = text,
                "department" => r.department = text,
                _ => return None,
            }
        }
        Some(r)
    }
}

#[derive(Deserialize)]
struct TypedEvent<'a> {
    id: String,
    #[serde(borrow)]
    at: std::borrow::Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    type_name: std::borrow::Cow<'a, str>,
    actor: Actor,
    #[serde(default)]
    data: Option<Box<EventData>>,
    #[serde(default, borrow)]
    recorded_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    recorder: Option<Value>,
}

impl Event {
    fn with_given(mut self) -> Event {
        self.given = self.data.given_mask();
        self
    }

    /// The event's JSON exactly as recorded.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Parses one event from its JSON; `path` is where it sits (`events[3]`) for error messages.
    pub fn from_raw(raw: &RawValue, path: &str) -> Result<Event, Error> {
        let t: TypedEvent = crate::error::parse_with_path(raw.get(), path)?;
        let raw: Box<str> = Box::from(raw.get());
        Event::from_parts(t, raw, path)
    }

    fn from_parts(t: TypedEvent, raw: Box<str>, path: &str) -> Result<Event, Error> {
        let at = parse_instant(&t.at).ok_or_else(|| {
            Error::invalid(
                join_path(path, "at"),
                format!("'{}' is not an RFC 3339 instant with an offset (e.g. 2026-11-02T10:15:00+09:00)", truncate(&t.at, 60)),
            )
        })?;
        check_instant_range(&at, &join_path(path, "at"))?;
        let recorded_at = match &t.recorded_at {
            None => None,
            Some(s) => {
                let r = parse_instant(s).ok_or_else(|| {
                    Error::invalid(
                        join_path(path, "recorded_at"),
                        format!("'{}' is not an RFC 3339 instant with an offset (e.g. 2026-11-02T10:55:00+09:00)", truncate(s, 60)),
                    )
                })?;
                check_instant_range(&r, &join_path(path, "recorded_at"))?;
                Some(r)
            }
        };
        let recorder = match &t.recorder {
            None => None,
            Some(v) => Some(Box::new(Recorder::from_value(v).ok_or_else(|| {
                Error::invalid(
                    join_path(path, "recorder"),
                    "expected an object with optional text fields name and department".to_string(),
                )
            })?)),
        };
        let event_type = EventType::from_key(&t.type_name);
        Ok(Event {
            id: t.id,
            at,
            event_type,
            type_name: match event_type {
                Some(k) => std::borrow::Cow::Borrowed(k.key()),
                None => std::borrow::Cow::Owned(t.type_name.into_owned()),
            },
            actor: t.actor,
            data: match t.data {
                Some(d) => std::sync::Arc::from(d),
                None => no_data(),
            },
            recorded_at,
            recorder,
            raw,
            scope_mask: u64::MAX,
            given: 0,
        }
        .with_given())
    }

    /// Builds an event from parts (used by the drill engine and by portals assembling events).
    pub fn new(
        id: &str,
        at: Instant,
        event_type: EventType,
        actor: Actor,
        data: Value,
    ) -> Result<Event, Error> {
        let v = serde_json::json!({
            "id": id, "at": crate::time::fmt_jst(&at), "type": event_type.key(),
            "actor": actor.key(), "data": data,
        });
        let raw =
            RawValue::from_string(v.to_string()).map_err(|e| Error::invalid("", e.to_string()))?;
        Event::from_raw(&raw, "event")
    }
}

/// The first and last years an instant may have (in Japan time): every deadline derived from it
/// (day counts of days to months) is then a four-digit year that RFC 3339, iCalendar and the
/// Japanese-era dates can all write; `0000-…` and `+10000-…` cannot be written by every output.
pub const INSTANT_YEARS: (i32, i32) = (1900, 2999);

/// Refuses an instant outside [`INSTANT_YEARS`] (an event's `at` and `recorded_at`, the `at` of a
/// status or a report).
pub fn check_instant_range(at: &Instant, path: &str) -> Result<(), Error> {
    use chrono::Datelike;
    let y = at.with_timezone(&crate::time::jst()).year();
    if (INSTANT_YEARS.0..=INSTANT_YEARS.1).contains(&y) {
        return Ok(());
    }
    Err(Error::invalid(
        path,
        format!(
            "the year {y} is outside {}–{}, the years every output (RFC 3339, iCalendar, era dates) can write with their deadlines",
            INSTANT_YEARS.0, INSTANT_YEARS.1
        ),
    ))
}

/// Parses an RFC 3339 instant given as an argument (`at` of a status or a report; `path` names the
/// argument) and checks its range.
pub fn parse_instant_arg(s: &str, path: &str) -> Result<Instant, Error> {
    let at = parse_instant(s).ok_or_else(|| {
        Error::invalid(
            path,
            format!(
                "'{}' is not an RFC 3339 instant with an offset",
                truncate(s, 60)
            ),
        )
    })?;
    check_instant_range(&at, path)?;
    Ok(at)
}

/// The one empty [`EventData`] that events without `data` share.
fn no_data() -> std::sync::Arc<EventData> {
    static EMPTY: std::sync::OnceLock<std::sync::Arc<EventData>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Default::default).clone()
}

/// Deepest array/object nesting in a JSON text (strings skipped). Linear, no recursion.
pub fn json_depth(s: &str) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for b in s.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

pub(crate) fn check_event_size(raw: &str, path: &str, limits: &Limits) -> Result<(), Error> {
    if raw.len() > limits.max_event_bytes {
        return Err(Error::TooLarge {
            path: path.to_string(),
            size: raw.len(),
            limit: limits.max_event_bytes,
        });
    }
    let d = json_depth(raw);
    if d > limits.max_event_depth {
        return Err(Error::invalid(
            path,
            format!(
                "nested {d} levels deep, over the limit of {}",
                limits.max_event_depth
            ),
        ));
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// Event ids seen so far, by hash, without copying the ids; the rare hash collision goes to a list
/// and every match is confirmed against the event itself.
#[derive(Debug, Clone, Default)]
struct IdIndex {
    first: HashMap<u64, usize>,
    overflow: Vec<(u64, usize)>,
}

impl IdIndex {
    fn with_capacity(n: usize) -> IdIndex {
        IdIndex {
            first: HashMap::with_capacity(n),
            overflow: Vec::new(),
        }
    }
    fn hash(id: &str) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h =
            std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
                .build_hasher();
        h.write(id.as_bytes());
        h.finish()
    }
    fn find(&self, id: &str, events: &[Event]) -> Option<usize> {
        let h = Self::hash(id);
        let j = *self.first.get(&h)?;
        if events[j].id == id {
            return Some(j);
        }
        self.overflow
            .iter()
            .find(|(k, j)| *k == h && events[*j].id == id)
            .map(|(_, j)| *j)
    }
    fn remove(&mut self, id: &str, at: usize) {
        let h = Self::hash(id);
        if self.first.get(&h) == Some(&at) {
            self.first.remove(&h);
        }
        self.overflow.retain(|&(k, j)| !(k == h && j == at));
    }

    fn insert(&mut self, id: &str, at: usize) {
        let h = Self::hash(id);
        match self.first.entry(h) {
            std::collections::hash_map::Entry::Occupied(_) => self.overflow.push((h, at)),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(at);
            }
        }
    }
}

/// A warning: the record is usable, but someone should look (late entries, unknown types, …).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub path: String,
}

/// A validated incident record.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub title: Option<String>,
    pub contracts: Vec<Contract>,
    pub events: Vec<Event>,
    /// Top-level keys this version does not know, kept for the round trip as the text they were
    /// written in (numbers included, and costing no more memory than their text).
    pub extra: BTreeMap<String, Box<RawValue>>,
    /// Warnings found while reading (they are repeated in every status).
    pub warnings: Vec<Warning>,
    /// `events` sorted by instant (stable: record order breaks ties), indices into `events`.
    pub(crate) order: Vec<u32>,
    /// Event ids, so that an append checks for a repeat in constant time.
    ids: IdIndex,
}

struct RawRecord {
    format: Option<String>,
    id: Option<String>,
    title: Option<String>,
    contracts: Option<Vec<Contract>>,
    events: Option<Vec<Box<RawValue>>>,
    extra: BTreeMap<String, Box<RawValue>>,
}

type ParsedEvents = Vec<Result<Event, Error>>;

/// Two passes: the record with its events as raw JSON, then each event on its own, so every bad
/// event gets its own error with its path.
fn slow_parse(json: &str, limits: &Limits) -> Result<(RawRecord, ParsedEvents), Error> {
    let mut raw: RawRecord = crate::error::parse_with_path(json, "")?;
    let events = raw
        .events
        .take()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let path = format!("events[{i}]");
            check_event_size(r.get(), &path, limits)?;
            Event::from_raw(&r, &path)
        })
        .collect();
    Ok((raw, events))
}

mod fast {
    //! The single-pass reader for well-formed records (the common case).
    use super::*;
    use serde::de::{DeserializeSeed, SeqAccess};

    /// Byte ranges of the top-level `events` array's elements, or `None` when the text is not a
    /// plain object with at most one `events` array, or an event breaks a size or depth limit.
    pub(super) fn scan(json: &str, limits: &Limits) -> Option<Vec<(usize, usize)>> {
        let b = json.as_bytes();
        let (mut depth, mut in_str) = (0usize, false);
        let (mut expect_key, mut key_start, mut key_esc) = (false, None, false);
        let (mut key_is_events, mut seen_events, mut in_events) = (false, false, false);
        let (mut start, mut max_depth): (Option<usize>, usize) = (None, 0);
        let mut ranges = Vec::new();
        let close = |start: &mut Option<usize>,
                     i: usize,
                     max_depth: usize,
                     ranges: &mut Vec<(usize, usize)>|
         -> bool {
            if let Some(s) = start.take() {
                let end = s + json[s..i].trim_end().len();
                if end - s > limits.max_event_bytes || max_depth > limits.max_event_depth {
                    return false;
                }
                ranges.push((s, end));
            }
            true
        };
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if in_str {
                // Tight loop to the next quote or backslash: most bytes are string contents.
                let rest = &b[i..];
                let k = memchr::memchr2(b'"', b'\\', rest)?;
                i += k;
                if b[i] == b'\\' {
                    key_esc |= key_start.is_some();
                    i += 2;
                    continue;
                }
                in_str = false;
                if let Some(s) = key_start.take() {
                    if key_esc && json[s..i].contains("events") {
                        return None; // an escaped spelling of a key: let serde decide
                    }
                    key_is_events = &json[s..i] == "events";
                }
                i += 1;
                continue;
            }
            if in_events
                && depth == 2
                && start.is_none()
                && !matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b',' | b']')
            {
                start = Some(i);
                max_depth = 0;
            }
            match c {
                b'"' => {
                    in_str = true;
                    if depth == 1 && expect_key {
                        key_start = Some(i + 1);
                        key_esc = false;
                        expect_key = false;
                    }
                }
                b'{' | b'[' => {
                    depth += 1;
                    if depth == 1 {
                        if c != b'{' {
                            return None;
                        }
                        expect_key = true;
                    } else if depth == 2 && key_is_events {
                        if c != b'[' || seen_events {
                            return None;
                        }
                        seen_events = true;
                        in_events = true;
                    }
                    if in_events && depth > 2 {
                        max_depth = max_depth.max(depth - 2);
                    }
                }
                b'}' | b']' => {
                    if in_events && depth == 2 {
                        if !close(&mut start, i, max_depth, &mut ranges) {
                            return None;
                        }
                        in_events = false;
                    }
                    depth = depth.checked_sub(1)?;
                }
                b',' => {
                    if depth == 1 {
                        expect_key = true;
                        key_is_events = false;
                    } else if in_events
                        && depth == 2
                        && !close(&mut start, i, max_depth, &mut ranges)
                    {
                        return None;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if depth != 0 || in_str || (key_is_events && !seen_events) {
            return None;
        }
        Some(ranges)
    }

    struct Fast<'a> {
        json: &'a str,
        ranges: &'a [(usize, usize)],
    }

    struct Events<'de, 'a> {
        json: &'a str,
        ranges: &'a [(usize, usize)],
        _d: std::marker::PhantomData<&'de ()>,
    }

    impl<'de, 'a> DeserializeSeed<'de> for Events<'de, 'a> {
        type Value = Vec<(TypedEvent<'de>, Box<str>)>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de, 'a> Visitor<'de> for Events<'de, 'a> {
        type Value = Vec<(TypedEvent<'de>, Box<str>)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of events")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(self.ranges.len());
            while let Some(t) = s.next_element::<TypedEvent<'de>>()? {
                let &(a, b) = self
                    .ranges
                    .get(out.len())
                    .ok_or_else(|| de::Error::custom("event boundaries disagree"))?;
                out.push((t, Box::from(&self.json[a..b])));
            }
            if out.len() != self.ranges.len() {
                return Err(de::Error::custom("event boundaries disagree"));
            }
            Ok(out)
        }
    }

    type FastOut<'de> = (RawRecord, Vec<(TypedEvent<'de>, Box<str>)>);

    impl<'de, 'a> DeserializeSeed<'de> for Fast<'a> {
        type Value = FastOut<'de>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de, 'a> Visitor<'de> for Fast<'a> {
        type Value = FastOut<'de>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a roei/incident@1 object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut r = RawRecord {
                format: None,
                id: None,
                title: None,
                contracts: None,
                events: None,
                extra: BTreeMap::new(),
            };
            let mut events = Vec::new();
            while let Some(k) = m.next_key::<std::borrow::Cow<str>>()? {
                match &*k {
                    "events" => {
                        events = m.next_value_seed(Events {
                            json: self.json,
                            ranges: self.ranges,
                            _d: std::marker::PhantomData,
                        })?
                    }
                    _ => r.read_field(k, &mut m)?,
                }
            }
            Ok((r, events))
        }
    }

    pub(super) fn parse(json: &str, limits: &Limits) -> Option<(RawRecord, ParsedEvents)> {
        let ranges = scan(json, limits)?;
        if ranges.len() > limits.max_events {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(json);
        let (raw, typed) = Fast {
            json,
            ranges: &ranges,
        }
        .deserialize(&mut de)
        .ok()?;
        de.end().ok()?;
        let mut events = Vec::with_capacity(typed.len());
        for (i, (t, text)) in typed.into_iter().enumerate() {
            events.push(Ok(Event::from_parts(t, text, &format!("events[{i}]")).ok()?));
        }
        Some((raw, events))
    }
}

impl RawRecord {
    /// Reads one top-level key other than `events` (shared by the fast and the slow reader).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        k: std::borrow::Cow<str>,
        m: &mut A,
    ) -> Result<(), A::Error> {
        match &*k {
            "format" => self.format = Some(m.next_value()?),
            "id" => self.id = Some(m.next_value()?),
            "title" => self.title = m.next_value()?,
            "contracts" => self.contracts = Some(m.next_value()?),
            _ => {
                let v: Box<RawValue> = m.next_value()?;
                if self.extra.insert(k.into_owned(), v).is_some() {
                    return Err(de::Error::custom("duplicate key"));
                }
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for RawRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRecord;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a roei/incident@1 object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawRecord, A::Error> {
                let mut r = RawRecord {
                    format: None,
                    id: None,
                    title: None,
                    contracts: None,
                    events: None,
                    extra: BTreeMap::new(),
                };
                while let Some(k) = m.next_key::<std::borrow::Cow<str>>()? {
                    match &*k {
                        "events" => r.events = Some(m.next_value()?),
                        _ => r.read_field(k, &mut m)?,
                    }
                }
                Ok(r)
            }
        }
        d.deserialize_map(V)
    }
}

impl Record {
    /// Reads and validates a record against the built-in catalog with default limits.
    pub fn parse(json: &str) -> Result<Record, Error> {
        Record::parse_with(json, Catalog::builtin(), Limits::default())
    }

    /// Reads and validates a record; every problem found is reported (`Error::Many`).
    pub fn parse_with(json: &str, catalog: &Catalog, limits: Limits) -> Result<Record, Error> {
        if json.len() > limits.max_bytes {
            return Err(Error::TooLarge {
                path: String::new(),
                size: json.len(),
                limit: limits.max_bytes,
            });
        }
        // Repeated keys and over-long lists are refused on the text, before anything is built.
        let max_contracts = limits.max_contracts.min(64);
        crate::json_guard::check(
            json,
            "",
            &[
                ListLimit {
                    key: "events",
                    limit: limits.max_events,
                },
                ListLimit {
                    key: "contracts",
                    limit: max_contracts,
                },
            ],
        )?;
        // Fast path: one serde pass, event boundaries from a byte scan. Anything unusual (an error,
        // a limit) takes the slow path, which reads events one by one and reports every problem.
        let (raw, events) = match fast::parse(json, &limits) {
            Some(ok) => ok,
            None => slow_parse(json, &limits)?,
        };
        let mut errs = Vec::new();
        match raw.format.as_deref() {
            Some(INCIDENT_FORMAT) => {}
            Some(f) => {
                return Err(Error::Format {
                    path: "format".into(),
                    found: truncate(f, 60),
                    expected: INCIDENT_FORMAT,
                })
            }
            None => errs.push(missing("format", "format")),
        }
        let id = raw.id.unwrap_or_default();
        if id.trim().is_empty() {
            errs.push(missing("id", "id"));
        }
        let contracts = raw.contracts.unwrap_or_default();
        if contracts.is_empty() {
            errs.push(Error::Missing {
                path: "contracts".into(),
                field: "contracts".into(),
                clause: None,
            });
        }
        // Contract sets are 64-bit masks in evaluation (`max_contracts` above).
        if contracts.len() > max_contracts {
            return Err(Error::TooMany {
                path: "contracts".into(),
                count: contracts.len(),
                limit: max_contracts,
            });
        }
        if events.len() > limits.max_events {
            return Err(Error::TooMany {
                path: "events".into(),
                count: events.len(),
                limit: limits.max_events,
            });
        }
        validate_contracts(&contracts, catalog, &mut errs);
        let mut rec = Record {
            id,
            title: raw.title,
            contracts,
            events: Vec::with_capacity(events.len()),
            extra: raw.extra,
            warnings: Vec::new(),
            order: Vec::new(),
            ids: IdIndex::default(),
        };
        let mut ids = IdIndex::with_capacity(events.len());
        for (i, ev) in events.into_iter().enumerate() {
            match ev {
                Ok(ev) => {
                    if let Err(e) = rec.admit(ev, &format!("events[{i}]"), &mut ids) {
                        errs.push(e);
                    }
                }
                Err(e) => errs.push(e),
            }
        }
        Error::from_list(errs)?;
        rec.ids = ids;
        rec.reorder();
        Ok(rec)
    }

    /// Checks one event against the record and pushes it; `Ok(false)` for an identical repeat (ignored).
    fn admit(&mut self, ev: Event, path: &str, ids: &mut IdIndex) -> Result<bool, Error> {
        if ev.id.trim().is_empty() {
            return Err(missing(&join_path(path, "id"), "id"));
        }
        if let Some(j) = ids.find(&ev.id, &self.events) {
            // Idempotent only byte for byte (a retried submit sends the same text): anything else
            // under a used id, even a re-spacing, is refused rather than judged equal and dropped.
            return if self.events[j].raw == ev.raw {
                self.warnings.push(Warning {
                    code: "duplicate_event_ignored",
                    message: format!(
                        "event '{}' is repeated byte for byte; the repeat is ignored",
                        ev.id
                    ),
                    path: path.to_string(),
                });
                Ok(false)
            } else {
                Err(Error::DuplicateId {
                    path: join_path(path, "id"),
                    id: ev.id,
                })
            };
        }
        self.check_event(&ev, path)?;
        if let Some(last) = self.events.last() {
            if ev.at < last.at {
                self.warnings.push(Warning {
                    code: "event_out_of_order",
                    message: format!(
                        "event '{}' is dated before the event recorded ahead of it (written late?); it is evaluated at its own instant",
                        ev.id
                    ),
                    path: join_path(path, "at"),
                });
            }
        }
        if ev.event_type.is_none() {
            self.warnings.push(Warning {
                code: "unknown_event_type",
                message: format!(
                    "event type '{}' is not known to this version; the event is kept and ignored",
                    truncate(&ev.type_name, 60)
                ),
                path: join_path(path, "type"),
            });
        }
        let mut ev = ev;
        ev.scope_mask = self.contract_mask(&ev.data);
        ids.insert(&ev.id, self.events.len());
        self.events.push(ev);
        Ok(true)
    }

    fn check_event(&self, ev: &Event, path: &str) -> Result<(), Error> {
        let data = join_path(path, "data");
        if ev.event_type == Some(EventType::Detected) && ev.data.kind.is_none() {
            return Err(Error::Missing {
                path: join_path(&data, "kind"),
                field: "kind".into(),
                clause: None,
            });
        }
        if let Some(c) = &ev.data.contract {
            if !self.contracts.iter().any(|k| &k.id == c) {
                return Err(Error::invalid(
                    join_path(&data, "contract"),
                    format!("no contract '{}' in this record", truncate(c, 60)),
                ));
            }
        }
        if let Some(l) = &ev.data.layer {
            let known = Catalog::builtin()
                .profiles
                .iter()
                .any(|p| &p.id == l && p.kind == ProfileKind::National);
            if !known {
                return Err(Error::invalid(
                    join_path(&data, "layer"),
                    format!(
                        "'{}' is not a national layer ({})",
                        truncate(l, 40),
                        Catalog::builtin().known_ids(ProfileKind::National)
                    ),
                ));
            }
        }
        if let Some(p) = &ev.data.principal {
            if !self.contracts.iter().any(|k| &k.principal == p) {
                return Err(Error::invalid(
                    join_path(&data, "principal"),
                    format!(
                        "no contract with principal '{}' in this record",
                        truncate(p, 60)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Bit set of the contracts an event's `contract` / `principal` names (every contract when neither).
    fn contract_mask(&self, d: &EventData) -> u64 {
        let mut m = u64::MAX;
        if let Some(c) = &d.contract {
            m &= self
                .contracts
                .iter()
                .enumerate()
                .filter(|(_, k)| &k.id == c)
                .fold(0, |a, (i, _)| a | 1 << i);
        }
        if let Some(p) = &d.principal {
            m &= self
                .contracts
                .iter()
                .enumerate()
                .filter(|(_, k)| &k.principal == p)
                .fold(0, |a, (i, _)| a | 1 << i);
        }
        m
    }

    fn reorder(&mut self) {
        let mut order: Vec<u32> = (0..self.events.len() as u32).collect();
        if self.events.windows(2).any(|w| w[1].at < w[0].at) {
            order.sort_by_key(|&i| self.events[i as usize].at);
        }
        self.order = order;
    }

    /// Events in instant order (record order among equal instants).
    pub fn events_by_time(&self) -> impl Iterator<Item = &Event> {
        self.order.iter().map(move |&i| &self.events[i as usize])
    }

    /// How many events (in instant order) are at or before `at`.
    pub(crate) fn count_until(&self, at: &Instant) -> usize {
        self.order
            .partition_point(|&i| self.events[i as usize].at <= *at)
    }

    /// Appends one event (JSON text) after validating it against the record. A byte-for-byte repeat
    /// of an existing event is accepted and ignored (a retried submit); anything else under a used id
    /// is an error, and so is a `seal` key (roei writes seals) or an append after which the record
    /// would be one the reader refuses (too large, or the sealed event too large). On error the
    /// record is unchanged.
    pub fn append_json(&mut self, json: &str, limits: Limits) -> Result<(), Error> {
        self.check_room_for_one(&limits)?;
        check_event_size(json, "event", &limits)?;
        let raw: Box<RawValue> = serde_json::from_str(json).map_err(|e| Error::Json {
            path: "event".into(),
            message: e.to_string(),
        })?;
        let ev = Event::from_raw(&raw, "event")?;
        self.append_within(ev, limits)
    }

    /// Refuses a record whose written text ([`Record::to_json`]) the reader would refuse as too
    /// large: every writer (append, seal) calls it before it keeps a change.
    pub(crate) fn check_written_size(
        &self,
        limits: &Limits,
        action: &'static str,
    ) -> Result<(), Error> {
        let (head, tail) = self.json_head_and_tail();
        let size = head.len()
            + tail.len()
            + self.events.len().saturating_sub(1)
            + self.events.iter().map(|e| e.raw.len()).sum::<usize>();
        if size > limits.max_bytes {
            return Err(Error::WouldBeTooLarge {
                path: String::new(),
                action,
                size,
                limit: limits.max_bytes,
            });
        }
        Ok(())
    }

    /// Appends a parsed event (see [`Record::append_json`]) under the default limits.
    pub fn append(&mut self, ev: Event) -> Result<(), Error> {
        self.append_within(ev, Limits::default())
    }

    fn check_room_for_one(&self, limits: &Limits) -> Result<(), Error> {
        if self.events.len() >= limits.max_events {
            return Err(Error::TooMany {
                path: "events".into(),
                count: self.events.len() + 1,
                limit: limits.max_events,
            });
        }
        Ok(())
    }

    fn append_within(&mut self, ev: Event, limits: Limits) -> Result<(), Error> {
        self.check_room_for_one(&limits)?;
        let mut ids = std::mem::take(&mut self.ids);
        let r = self.append_with(ev, &mut ids, &limits);
        self.ids = ids;
        r
    }

    fn append_with(&mut self, ev: Event, ids: &mut IdIndex, limits: &Limits) -> Result<(), Error> {
        let n = self.events.len();
        let path = format!("events[{n}]");
        // A seal is roei's to write (when it seals the record, and on every append to a sealed one).
        // One sent with an event could only break the chain, now or at the next `seal`: refused.
        if crate::seal::carries_seal(&ev) {
            return Err(Error::invalid(
                join_path(&path, "seal"),
                "an appended event carries no 'seal': roei writes the seal when the record is sealed",
            ));
        }
        let warnings = self.warnings.len();
        if self.admit(ev, &path, ids)? {
            // A sealed record stays sealed: the new event joins the chain. Then the record must still
            // be one the reader accepts (the seal makes the event longer): else nothing changes.
            let checked = self
                .seal_last_if_chained()
                .and_then(|()| {
                    check_event_size(self.events[n].raw(), &path, limits)
                        .map_err(|e| e.into_writer_refusal("sealing this event"))
                })
                .and_then(|()| self.check_written_size(limits, "appending this event"));
            if let Err(e) = checked {
                if let Some(ev) = self.events.pop() {
                    ids.remove(&ev.id, self.events.len());
                }
                self.warnings.truncate(warnings);
                return Err(e);
            }
            // The common case, an event later than all others, extends the order in place.
            let n = self.events.len() - 1;
            let in_order = self.order.len() == n
                && self
                    .order
                    .last()
                    .is_none_or(|&j| self.events[j as usize].at <= self.events[n].at);
            if in_order {
                self.order.push(n as u32);
            } else {
                self.reorder();
            }
        }
        Ok(())
    }

    /// The record as `roei/incident@1` JSON; events are written exactly as they were read.
    pub fn to_json(&self) -> String {
        let (head, tail) = self.json_head_and_tail();
        let mut out = String::with_capacity(
            head.len() + tail.len() + self.events.iter().map(|e| e.raw.len() + 1).sum::<usize>(),
        );
        out.push_str(&head);
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&e.raw);
        }
        out.push_str(&tail);
        out
    }

    /// The written record's text before its events (up to `"events":[`) and after them.
    fn json_head_and_tail(&self) -> (String, String) {
        let mut out = String::with_capacity(256);
        out.push_str("{\"format\":\"");
        out.push_str(INCIDENT_FORMAT);
        out.push_str("\",\"id\":");
        out.push_str(&serde_json::to_string(&self.id).unwrap_or_default());
        if let Some(t) = &self.title {
            out.push_str(",\"title\":");
            out.push_str(&serde_json::to_string(t).unwrap_or_default());
        }
        out.push_str(",\"contracts\":");
        out.push_str(&serde_json::to_string(&self.contracts).unwrap_or_default());
        out.push_str(",\"events\":[");
        let mut tail = String::from("]");
        for (k, v) in &self.extra {
            tail.push(',');
            tail.push_str(&serde_json::to_string(k).unwrap_or_default());
            tail.push(':');
            tail.push_str(v.get());
        }
        tail.push('}');
        (out, tail)
    }

    /// A new, empty record (a portal starting an incident).
    pub fn new(id: &str, title: Option<&str>, contracts: Vec<Contract>) -> Result<Record, Error> {
        let mut errs = Vec::new();
        if id.trim().is_empty() {
            errs.push(missing("id", "id"));
        }
        if contracts.is_empty() {
            errs.push(missing("contracts", "contracts"));
        }
        if contracts.len() > 64 {
            errs.push(Error::TooMany {
                path: "contracts".into(),
                count: contracts.len(),
                limit: 64,
            });
        }
        validate_contracts(&contracts, Catalog::builtin(), &mut errs);
        Error::from_list(errs)?;
        Ok(Record {
            id: id.to_string(),
            title: title.map(str::to_string),
            contracts,
            events: Vec::new(),
            extra: BTreeMap::new(),
            warnings: Vec::new(),
            order: Vec::new(),
            ids: IdIndex::default(),
        })
    }
}

fn missing(path: &str, field: &str) -> Error {
    Error::Missing {
        path: path.into(),
        field: field.into(),
        clause: None,
    }
}

fn validate_contracts(contracts: &[Contract], catalog: &Catalog, errs: &mut Vec<Error>) {
    let mut seen = std::collections::HashSet::new();
    for (i, c) in contracts.iter().enumerate() {
        let at = |s: &str| format!("contracts[{i}].{s}");
        if c.id.trim().is_empty() {
            errs.push(missing(&at("id"), "id"));
        } else if !seen.insert(c.id.as_str()) {
            errs.push(Error::DuplicateId {
                path: at("id"),
                id: c.id.clone(),
            });
        }
        if c.principal.trim().is_empty() {
            errs.push(missing(&at("principal"), "principal"));
        }
        let Some(p) = catalog.profile(&c.profile) else {
            errs.push(catalog.unknown_profile(
                at("profile"),
                &c.profile,
                Some(ProfileKind::Contract),
            ));
            continue;
        };
        if p.kind != ProfileKind::Contract {
            errs.push(Error::invalid(
                at("profile"),
                format!("'{}' is a national layer, owed by the principal; name it in contracts[{i}].national", p.id),
            ));
            continue;
        }
        for (j, n) in c.national.iter().flatten().enumerate() {
            if !catalog
                .profile(n)
                .is_some_and(|q| q.kind == ProfileKind::National)
            {
                errs.push(catalog.unknown_profile(
                    at(&format!("national[{j}]")),
                    n,
                    Some(ProfileKind::National),
                ));
            }
        }
        if let Some(v) = &c.variant {
            if !p.variants.iter().any(|x| &x.id == v) {
                let known: Vec<_> = p.variants.iter().map(|x| x.id.as_str()).collect();
                errs.push(Error::invalid(
                    at("variant"),
                    if known.is_empty() {
                        format!("profile '{}' has no variants", p.id)
                    } else {
                        format!(
                            "unknown variant '{}' (known: {})",
                            truncate(v, 40),
                            known.join(", ")
                        )
                    },
                ));
            }
        }
        for (j, o) in c.omit.iter().enumerate() {
            match p
                .clauses
                .iter()
                .find(|k| k.obligation_id() == o || &k.id == o)
            {
                Some(k) if k.omittable => {}
                Some(k) => errs.push(Error::Invalid {
                    path: at(&format!("omit[{j}]")),
                    message: format!("'{o}' cannot be left out of a '{}' contract", p.id),
                    clause: Some(k.id.to_string()),
                }),
                None => errs.push(Error::invalid(
                    at(&format!("omit[{j}]")),
                    format!("'{}' is not a clause of '{}'", truncate(o, 60), p.id),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(json: &str) -> (Option<String>, Option<String>) {
        let l = Limits::default();
        let show = |r: (RawRecord, ParsedEvents)| {
            let ev: Vec<String> =
                r.1.into_iter()
                    .map(|e| {
                        e.map(|e| format!("{e:?}"))
                            .unwrap_or_else(|e| e.to_string())
                    })
                    .collect();
            format!("{:?} {:?} {:?} {:?}", r.0.format, r.0.id, r.0.extra, ev)
        };
        (
            fast::parse(json, &l).map(show),
            slow_parse(json, &l).ok().map(show),
        )
    }

    #[test]
    fn recorded_at_and_recorder_are_kept_and_checked() {
        let base = r#"{"format":"roei/incident@1","id":"I","contracts":[{"id":"C","profile":"nagaoka","principal":"P"}],"events":[]}"#;
        let mut rec = Record::parse(base).unwrap();
        let ev = r#"{"id":"e1","at":"2026-11-02T10:15:00+09:00","recorded_at":"2026-11-02T10:55:12+09:00","type":"detected","actor":"contractor","recorder":{"name":"佐藤","department":"情報システム課"},"data":{"kind":"loss","signs_only":true}}"#;
        rec.append_json(ev, Limits::default()).unwrap();
        let e = &rec.events[0];
        assert_eq!(e.recorded_at, parse_instant("2026-11-02T10:55:12+09:00"));
        assert_eq!(e.at, parse_instant("2026-11-02T10:15:00+09:00").unwrap());
        let who = e.recorder.as_deref().unwrap();
        assert_eq!(
            (who.name.as_deref(), who.department.as_deref()),
            (Some("佐藤"), Some("情報システム課"))
        );
        assert_eq!(e.raw(), ev, "kept byte for byte");
        // Not an instant: refused with its path, the record unchanged.
        let bad = ev
            .replace("e1", "e2")
            .replace("2026-11-02T10:55:12+09:00", "10:55");
        let err = rec
            .append_json(&bad, Limits::default())
            .unwrap_err()
            .to_report();
        assert_eq!(
            (err.code, err.path.as_str()),
            ("invalid_value", "event.recorded_at")
        );
        let bad = ev.replace("e1", "e2").replace(
            r#"{"name":"佐藤","department":"情報システム課"}"#,
            r#"{"name":1}"#,
        );
        assert!(rec.append_json(&bad, Limits::default()).is_err());
        assert_eq!(rec.events.len(), 1);
    }

    #[test]
    fn fast_path_is_taken_and_agrees_with_the_slow_path() {
        let ex = include_str!("../../examples/nagaoka-usb-loss.json");
        let (f, s) = both(ex);
        assert!(f.is_some(), "the example takes the fast path");
        assert_eq!(f, s);
        // Whitespace, escapes in strings, nested extensions, events before other keys.
        let odd = r#" { "events" : [ {"id":"a\"],[","at":"2026-11-02T10:00:00+09:00","type":"x","actor":"other","x":[[{"y":"}"}]]} ,
            {"id":"b","at":"2026-11-02T10:00:00Z","type":"closed","actor":"other"}  ] , "format":"roei/incident@1","id":"X","contracts":[] , "z":{"events":[1]} } "#;
        let (f, s) = both(odd);
        assert!(f.is_some());
        assert_eq!(f, s);
        // Oddities go to the slow path, which decides.
        for slow in [
            r#"{"events":[],"events":[]}"#,
            r#"{"ev\u0065nts":[1]}"#,
            r#"{"events":null}"#,
            "[1]",
            r#"{"events":[1]"#,
        ] {
            assert!(fast::parse(slow, &Limits::default()).is_none(), "{slow}");
        }
    }
}

//! `roei/incident@1`: the append-only, event-sourced incident record.
//!
//! Events are kept as the JSON they arrived in (`raw`) next to their typed reading, so a record
//! written back out is byte-for-byte what was read, extra fields included (a version-1 reader must
//! ignore, never drop, what it does not know). An event is never edited or removed: corrections
//! are new events.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::catalog::{Catalog, ProfileKind};
use crate::error::{join_path, Error};
use crate::json_guard::ListLimit;
use crate::time::Instant;
use crate::vocab::{Actor, EventType, IncidentKind};

/// The `format` value of a version-1 incident record.
pub const INCIDENT_FORMAT: &str = "roei/incident@1";

/// Bounds on hostile input. The defaults suit a real incident many times over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest record text, in bytes (8 MiB by default).
    pub max_bytes: usize,
    /// Most events one record may hold.
    pub max_events: usize,
    /// Most contracts one record may name.
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

mod read;
mod scan;
mod wire;

use scan::*;

#[cfg(fuzzing)]
pub(crate) use read::agrees_with_reference;
pub(crate) use read::{string_value as json_string, value as json_value};
pub use wire::*;

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
    /// Stable machine-readable code (`event_out_of_order`, `alternative_notice`, …).
    pub code: &'static str,
    /// What happened, in English, for people.
    pub message: String,
    /// JSON path of what the warning is about (`events[3].at`), or empty for the whole record.
    pub path: String,
}

/// How many warnings of one code a record lists; beyond that, one `warnings_omitted` warning per
/// code counts the rest (README "Decisions": a warning costs about 270 bytes against an event of 70,
/// so a record with a warning on every event would otherwise cost 12–17× its text in memory).
pub const WARNINGS_LISTED_PER_CODE: usize = 100;

/// How many warnings of one code a record has met: listed, and omitted past
/// [`WARNINGS_LISTED_PER_CODE`] (then `summary` is the index of its `warnings_omitted` warning).
#[derive(Debug, Clone, PartialEq, Eq)]
struct WarningTally {
    code: &'static str,
    listed: usize,
    omitted: usize,
    summary: usize,
}

/// The message of the `warnings_omitted` warning for `omitted` more warnings of `code`.
fn warnings_omitted_message(code: &str, omitted: usize) -> String {
    format!(
        "{omitted} more warning(s) with code '{code}' are not listed: a record lists the first {WARNINGS_LISTED_PER_CODE} of each code; this one has the path of the first left out"
    )
}

/// A validated incident record.
#[derive(Debug, Clone)]
pub struct Record {
    /// The incident id (事案番号).
    pub id: String,
    /// The incident's title, if given.
    pub title: Option<String>,
    /// The contracts whose data the incident touches (at least one).
    pub contracts: Vec<Contract>,
    /// Every event, in the order it was recorded (append-only).
    pub events: Vec<Event>,
    /// Top-level keys this version does not know, kept for the round trip as the text they were
    /// written in (numbers included, and costing no more memory than their text).
    pub extra: BTreeMap<String, Box<RawValue>>,
    /// Warnings found while reading (they are repeated in every status): the first 100 of each code,
    /// then one `warnings_omitted` per code counting the rest ([`WARNINGS_LISTED_PER_CODE`]).
    pub warnings: Vec<Warning>,
    /// `events` sorted by instant (stable: record order breaks ties), indices into `events`.
    pub(crate) order: Vec<u32>,
    /// Event ids, so that an append checks for a repeat in constant time.
    ids: IdIndex,
    /// Warnings met per code, for the cap of [`WARNINGS_LISTED_PER_CODE`] ([`Record::warn`]).
    warning_tally: Vec<WarningTally>,
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
        let guarded = crate::json_guard::walk(
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
        // One pass over the record (each event's text found and checked as JSON), then each event
        // read on its own, so every bad event gets its own error with its path.
        let (raw, (mut events, unread)) = read::record(json, &limits, guarded)?;
        let total = events.len() + unread.len();
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
        if total > limits.max_events {
            return Err(Error::TooMany {
                path: "events".into(),
                count: total,
                limit: limits.max_events,
            });
        }
        validate_contracts(&contracts, catalog, &mut errs);
        let mut rec = Record {
            id,
            title: raw.title,
            contracts,
            events: Vec::new(),
            extra: raw.extra,
            warnings: Vec::new(),
            order: Vec::new(),
            ids: IdIndex::default(),
            warning_tally: Vec::new(),
        };
        let mut ids = IdIndex::with_capacity(total);
        // The events that were read, checked in place: the kept ones are moved to the front of the
        // same list, so no second list of events is held beside it (20,000 small events: 2.6 MB).
        let mut unread = unread.into_iter().peekable();
        let (mut next, mut kept) = (0, 0);
        for i in 0..total {
            if let Some((_, e)) = unread.next_if(|(j, _)| *j == i) {
                errs.push(e);
                continue;
            }
            match rec.judge(&events[..kept], &events[next], i, &ids) {
                Ok(Some(mask)) => {
                    events[next].scope_mask = mask;
                    ids.insert(&events[next].id, kept);
                    events.swap(kept, next);
                    kept += 1;
                }
                Ok(None) => {}
                Err(e) => errs.push(e),
            }
            next += 1;
        }
        events.truncate(kept);
        rec.events = events;
        Error::from_list(errs)?;
        rec.ids = ids;
        rec.reorder();
        Ok(rec)
    }

    /// Adds a warning: the first [`WARNINGS_LISTED_PER_CODE`] of each code are listed in order;
    /// past that, one `warnings_omitted` warning per code (at the path of the first one left out)
    /// says how many more there were, and is updated, not repeated. The one way a record gains a
    /// warning, so the count is exact.
    fn warn(&mut self, warning: Warning) {
        let i = match self
            .warning_tally
            .iter()
            .position(|t| t.code == warning.code)
        {
            Some(i) => i,
            None => {
                self.warning_tally.push(WarningTally {
                    code: warning.code,
                    listed: 0,
                    omitted: 0,
                    summary: 0,
                });
                self.warning_tally.len() - 1
            }
        };
        let tally = &mut self.warning_tally[i];
        if tally.listed < WARNINGS_LISTED_PER_CODE {
            tally.listed += 1;
            self.warnings.push(warning);
        } else if tally.omitted == 0 {
            tally.omitted = 1;
            tally.summary = self.warnings.len();
            self.warnings.push(Warning {
                code: "warnings_omitted",
                message: warnings_omitted_message(warning.code, 1),
                path: warning.path,
            });
        } else {
            tally.omitted += 1;
            self.warnings[tally.summary].message =
                warnings_omitted_message(warning.code, tally.omitted);
        }
    }

    /// Puts the warnings back as they were before a refused append (`saved`: their number and
    /// tally then), summaries' counts included.
    fn restore_warnings(&mut self, saved: (usize, Vec<WarningTally>)) {
        let (len, tally) = saved;
        self.warnings.truncate(len);
        for t in tally.iter().filter(|t| t.omitted > 0) {
            self.warnings[t.summary].message = warnings_omitted_message(t.code, t.omitted);
        }
        self.warning_tally = tally;
    }

    /// Checks event number `index` against the record and pushes it; `Ok(false)` for an identical
    /// repeat (ignored).
    fn admit(&mut self, mut ev: Event, index: usize, ids: &mut IdIndex) -> Result<bool, Error> {
        let events = std::mem::take(&mut self.events);
        let verdict = self.judge(&events, &ev, index, ids);
        self.events = events;
        match verdict? {
            Some(mask) => {
                ev.scope_mask = mask;
                ids.insert(&ev.id, self.events.len());
                self.events.push(ev);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Checks event number `index` against the events kept before it (`before`, indexed by `ids`),
    /// adding its warnings: `Some(contract mask)` to keep it, `None` for an identical repeat
    /// (ignored). Its path (`events[3]`) is written only for an error or a warning: a record's reader
    /// judges every event, and writing the paths up front was a tenth of the reader's time in WASM.
    fn judge(
        &mut self,
        before: &[Event],
        ev: &Event,
        index: usize,
        ids: &IdIndex,
    ) -> Result<Option<u64>, Error> {
        let path = || event_path(index);
        if ev.id.trim().is_empty() {
            return Err(missing(&join_path(&path(), "id"), "id"));
        }
        if let Some(j) = ids.find(&ev.id, before) {
            // Idempotent only byte for byte (a retried submit sends the same text): anything else
            // under a used id, even a re-spacing, is refused rather than judged equal and dropped.
            return if before[j].raw == ev.raw {
                self.warn(Warning {
                    code: "duplicate_event_ignored",
                    message: format!(
                        "event '{}' is repeated byte for byte; the repeat is ignored",
                        ev.id
                    ),
                    path: path(),
                });
                Ok(None)
            } else {
                Err(Error::DuplicateId {
                    path: join_path(&path(), "id"),
                    id: ev.id.clone(),
                })
            };
        }
        self.check_event(ev, index)?;
        if let Some(last) = before.last() {
            if ev.at < last.at {
                self.warn(Warning {
                    code: "event_out_of_order",
                    message: format!(
                        "event '{}' is dated before the event recorded ahead of it (written late?); it is evaluated at its own instant",
                        ev.id
                    ),
                    path: join_path(&path(), "at"),
                });
            }
        }
        if ev.event_type.is_none() {
            self.warn(Warning {
                code: "unknown_event_type",
                message: format!(
                    "event type '{}' is not known to this version; the event is kept and ignored",
                    truncate(&ev.type_name, 60)
                ),
                path: join_path(&path(), "type"),
            });
        }
        Ok(Some(self.contract_mask(&ev.data)))
    }

    fn check_event(&self, ev: &Event, index: usize) -> Result<(), Error> {
        let data = || join_path(&event_path(index), "data");
        if ev.event_type == Some(EventType::Detected) && ev.data.kind.is_none() {
            return Err(Error::Missing {
                path: join_path(&data(), "kind"),
                field: "kind".into(),
                clause: None,
            });
        }
        if let Some(c) = &ev.data.contract {
            if !self.contracts.iter().any(|k| &k.id == c) {
                return Err(Error::invalid(
                    join_path(&data(), "contract"),
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
                    join_path(&data(), "layer"),
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
                    join_path(&data(), "principal"),
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
        let mask_where = |named: &dyn Fn(&Contract) -> bool| {
            (self.contracts.iter().enumerate())
                .filter(|(_, k)| named(k))
                .fold(0, |a, (i, _)| a | 1 << i)
        };
        let mut m = u64::MAX;
        if let Some(c) = &d.contract {
            m &= mask_where(&|k| &k.id == c);
        }
        if let Some(p) = &d.principal {
            m &= mask_where(&|k| &k.principal == p);
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
        let text = read::event_text(json, "event")?;
        let ev = Event::from_text(text, "event")?;
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

    /// Keeps the header and the last event alone: the record an append to the end of the log is
    /// checked against and sealed onto (the header's contracts, the last event's instant, id and
    /// seal), as [`Record::parse`] reads the header and that event's text — without reading them
    /// again. A service that appends keeps this after each append for the next one (roei-server's
    /// remembered tails) instead of parsing the header and the head event each time. The warnings
    /// are dropped (those of the events before were theirs; this record is for appending, not for a
    /// status). A record without events stays as it is.
    pub fn keep_last_event_only(&mut self) {
        let Some(last) = self.events.pop() else {
            return;
        };
        self.events.clear();
        self.ids = IdIndex::with_capacity(1);
        self.ids.insert(&last.id, 0);
        self.events.push(last);
        self.order = vec![0];
        self.warnings.clear();
        self.warning_tally.clear();
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
        let path = event_path(n);
        // A seal is roei's to write (when it seals the record, and on every append to a sealed one).
        // One sent with an event could only break the chain, now or at the next `seal`: refused.
        if crate::seal::carries_seal(&ev) {
            return Err(Error::invalid(
                join_path(&path, "seal"),
                "an appended event carries no 'seal': roei writes the seal when the record is sealed",
            ));
        }
        let warnings = (self.warnings.len(), self.warning_tally.clone());
        if self.admit(ev, n, ids)? {
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
                self.restore_warnings(warnings);
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
            warning_tally: Vec::new(),
        })
    }
}

/// The path of event number `index` (`events[3]`), for errors and warnings.
fn event_path(index: usize) -> String {
    format!("events[{index}]")
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
    use crate::time::parse_instant;

    fn both(json: &str) -> (Option<String>, Option<String>) {
        let l = Limits::default();
        let show = |r: (RawRecord, ParsedEvents)| {
            let ev: Vec<String> = r.1 .0.iter().map(|e| format!("{e:?}")).collect();
            let unread: Vec<String> = r.1 .1.iter().map(|(i, e)| format!("{i} {e}")).collect();
            format!(
                "{:?} {:?} {:?} {:?} {:?}",
                r.0.format, r.0.id, r.0.extra, ev, unread
            )
        };
        (
            fast::parse(json, &l).map(show),
            slow_parse(json, &l).ok().map(show),
        )
    }

    #[test]
    fn free_form_data_is_kept_as_written_and_given_by_the_value_rule() {
        let cases = [
            ("123456789012345678901234567890", true),
            ("1E2", true),
            ("-0.10", true),
            ("false", true),
            ("0", true),
            (r#""""#, false),
            (r#"" \t ""#, false),
            (r#""\u3000\n""#, false),
            (r#""\u0041""#, true),
            (r#"" 漏えい ""#, true),
            ("[ ]", false),
            ("[null]", true),
            ("[[]]", true),
            ("{ }", false),
            (r#"{"a":null}"#, true),
        ];
        for (text, given) in cases {
            let ev = format!(
                r#"{{"id":"e1","at":"2026-11-02T10:15:00+09:00","type":"facts","actor":"contractor","data":{{"summary":{text},"fields":{{"count":{text}}}}}}}"#
            );
            let rec = Record::parse(&header_with(&ev)).unwrap();
            let d = &rec.events[0].data;
            let summary = d.summary.as_ref().unwrap();
            assert_eq!(summary.json(), text, "kept as written");
            assert_eq!(summary.is_given(), given, "{text}");
            assert_eq!(
                is_given(Some(&summary.to_value())),
                given,
                "{text}: the value rule"
            );
            assert_eq!(
                d.fields.as_ref().unwrap().count.as_ref().unwrap().json(),
                text
            );
            assert_eq!(
                d.given_mask() & crate::vocab::FieldKey::Summary.bit() != 0,
                given,
                "{text}"
            );
        }
        // null is absent, as before.
        let ev = r#"{"id":"e1","at":"2026-11-02T10:15:00+09:00","type":"facts","actor":"contractor","data":{"summary":null}}"#;
        assert!(Record::parse(&header_with(ev)).unwrap().events[0]
            .data
            .summary
            .is_none());
        // Repeated keys inside free-form data are still refused, with their path.
        let ev = r#"{"id":"e1","at":"2026-11-02T10:15:00+09:00","type":"facts","actor":"contractor","data":{"summary":{"a":1,"b":{"c":1,"c":2}}}}"#;
        let e = Record::parse(&header_with(ev)).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("duplicate_key", "events[0].data.summary.b.c")
        );
    }

    fn header_with(events: &str) -> String {
        format!(
            r#"{{"format":"roei/incident@1","id":"I","contracts":[{{"id":"C","profile":"nagaoka","principal":"P"}}],"events":[{events}]}}"#
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
        let ex = include_str!("../../../examples/nagaoka-usb-loss.json");
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

#[cfg(test)]
mod keep_last_event_tests {
    use super::*;
    use serde_json::json;

    /// The record of the header and the text of its last event, as a service builds it to append.
    fn parsed_tail(example: &str, last: &Event) -> Record {
        let mut header: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(example).unwrap();
        header.remove("events");
        let text = serde_json::to_string(&header).unwrap();
        let text = format!(
            "{},\"events\":[{}]}}",
            text.strip_suffix('}').unwrap(),
            last.raw()
        );
        Record::parse(&text).unwrap()
    }

    /// A record cut to its header and last event takes every next event as the record read from
    /// that text does: the same accepted text (seal included), the same refusals, the same fields.
    #[test]
    fn the_kept_tail_appends_as_the_tail_read_from_its_text() {
        let example = include_str!("../../../examples/nagaoka-usb-loss.json");
        for sealed in [false, true] {
            let mut whole = Record::parse(example).unwrap();
            if sealed {
                whole.seal().unwrap();
            }
            let mut kept = whole.clone();
            kept.keep_last_event_only();
            let mut read = parsed_tail(example, whole.events.last().unwrap());
            assert_eq!(kept.events.len(), 1);
            let last_id = whole.events.last().unwrap().id.clone();
            let nexts = [
                json!({"id": "n1", "at": "2026-12-01T10:00:00+09:00", "type": "facts", "actor": "contractor", "data": {"subjects_count": 3}}),
                json!({"id": last_id, "at": "2026-12-01T10:00:00+09:00", "type": "facts", "actor": "contractor"}),
                json!({"id": "n2", "at": "2020-01-01T10:00:00+09:00", "type": "facts", "actor": "contractor"}),
                json!({"id": "n3", "at": "2026-12-02T10:00:00+09:00", "type": "unknown_kind", "actor": "principal"}),
                json!({"id": "n4", "at": "2026-12-03T10:00:00+09:00", "type": "facts", "actor": "contractor", "contracts": ["nowhere"]}),
                json!({"id": "n5", "at": "not a time", "type": "facts", "actor": "contractor"}),
            ];
            for next in nexts {
                let next = next.to_string();
                let (mut a, mut b) = (kept.clone(), read.clone());
                let (ra, rb) = (
                    a.append_json(&next, Limits::default()),
                    b.append_json(&next, Limits::default()),
                );
                assert_eq!(ra, rb, "{next}");
                assert_eq!(a.events.len(), b.events.len(), "{next}");
                for (x, y) in a.events.iter().zip(&b.events) {
                    assert_eq!(x.raw(), y.raw());
                    assert_eq!(x, y);
                    assert_eq!((x.scope_mask, x.given), (y.scope_mask, y.given));
                }
                assert_eq!(a.order, b.order);
                assert_eq!(a.to_json(), b.to_json());
                assert_eq!(a.is_sealed(), b.is_sealed());
                if ra.is_ok() {
                    // The kept tail of the kept tail is the tail read again.
                    a.keep_last_event_only();
                    kept = a;
                    read = parsed_tail(example, b.events.last().unwrap());
                    assert_eq!(kept.to_json(), read.to_json());
                }
            }
        }
    }
}

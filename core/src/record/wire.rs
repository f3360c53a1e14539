//! The wire types of `roei/incident@1`: contracts, events and their data as serde reads them, the
//! instant and size checks one event needs on its own. No record-level rule lives here.

use crate::error::{join_path, Error};
use crate::time::{parse_instant, Instant};
use crate::vocab::{Actor, EventType, FieldKey, IncidentKind};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

use super::Limits;

/// A contract whose data the incident touches.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Contract {
    /// The contract id, unique within the record.
    pub id: String,
    /// The catalog profile the contract's special provisions follow (`nagaoka`, …).
    pub profile: String,
    /// The municipality (委託者); national obligations are owed once per distinct principal.
    pub principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The contractor (受託者), if named.
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
                let mut c = Contract::default();
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
/// How data subjects were told (`subjects_notified.method`).
pub enum NotifyMethod {
    /// Each person individually (本人への通知).
    Individual,
    /// Made easily knowable to them, e.g. published (本人が容易に知り得る状態 / 代替措置).
    PublicNotice,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// Who published (`published.by`).
pub enum PublishedBy {
    /// The municipality (委託者).
    Principal,
    /// The contractor (受託者).
    Contractor,
}

impl NotifyMethod {
    /// The method for its interchange key (`individual`, `public_notice`).
    pub fn from_key(s: &str) -> Option<NotifyMethod> {
        match s {
            "individual" => Some(NotifyMethod::Individual),
            "public_notice" => Some(NotifyMethod::PublicNotice),
            _ => None,
        }
    }
}

impl PublishedBy {
    /// The publisher for its interchange key (`principal`, `contractor`).
    pub fn from_key(s: &str) -> Option<PublishedBy> {
        match s {
            "principal" => Some(PublishedBy::Principal),
            "contractor" => Some(PublishedBy::Contractor),
            _ => None,
        }
    }
}

/// The `fields` of a report event: the contents the clauses ask for. Values may be any JSON (text,
/// numbers, lists), kept as written; a value counts as given when it is not null, "",
/// [] or {}.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 個人情報の内容: what personal information is involved.
    pub content: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 件数・数量: how many (as given, text or number).
    pub count: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 発生場所: where it happened.
    pub location: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 発生状況: how it happened.
    pub circumstances: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 概要: a summary.
    pub summary: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 保有個人情報の項目: the data items involved.
    pub data_items: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `facts`: 本人の数, the number of persons (the text as written is kept in the record).
    pub subjects_count: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `cause_analyzed`: the cause found.
    pub cause: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 二次被害又はそのおそれの有無及びその内容: secondary damage.
    pub secondary_damage: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 本人への対応の実施状況: what was done for the persons.
    pub subject_response: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 公表の実施状況: publication so far.
    pub publication_status: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 再発防止のための措置: prevention measures.
    pub prevention: Option<FreeData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// その他参考となる事項: anything else of use.
    pub other: Option<FreeData>,
}

impl Fields {
    /// The value given for one report field key, if any.
    pub fn get(&self, k: FieldKey) -> Option<&FreeData> {
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
    /// `detected` (and `principal_aware`): the kind of incident (漏えい, 紛失, …).
    pub kind: Option<IncidentKind>,
    /// `detected`: only signs or a suspicion (兆候・おそれ), not a confirmed occurrence.
    pub signs_only: Option<bool>,
    /// 概要: a summary.
    pub summary: Option<FreeData>,
    // facts
    /// `facts`: 本人の数, the number of persons (the text as written is kept in the record).
    pub subjects_count: Option<u64>,
    /// 保有個人情報の項目: the data items involved.
    pub data_items: Option<Vec<String>>,
    /// `facts`: 要配慮個人情報 is involved (Rules Art. 43 item 1).
    pub sensitive: Option<bool>,
    /// `facts`: 条例要配慮個人情報 is involved (item 5).
    pub ordinance_sensitive: Option<bool>,
    /// `facts`: misuse could cause financial damage (item 2).
    pub financial_damage_risk: Option<bool>,
    /// `facts`: possibly caused by an act for an improper purpose (item 3; 60-day final report).
    pub improper_purpose: Option<bool>,
    /// `facts`: protected by strong encryption (excluded from every item).
    pub encrypted: Option<bool>,
    /// `facts`: 特定個人情報 (My Number information) is involved.
    pub my_number: Option<bool>,
    /// `facts`: held in a My Number system (My Number rule Art. 2 item 1).
    pub my_number_system: Option<bool>,
    /// `facts`: viewable by an unspecified number of people electronically (item 3).
    pub public_exposure: Option<bool>,
    /// `facts`: 保有個人情報 is involved at all (without it no APPI duty).
    pub personal_info: Option<bool>,
    /// `facts`: 特定個人情報 used for an improper purpose (My Number rule item 2(ロ)).
    pub improper_use: Option<bool>,
    /// `facts`: My Numbers used against 番号法 Art. 9 (item 4(ロ)).
    pub unlawful_use: Option<bool>,
    /// `facts`: 特定個人情報 provided against 番号法 Art. 19 (item 4(ハ)).
    pub unlawful_provision: Option<bool>,
    /// `facts`: includes 不開示情報 of APPI Art. 78(1) (no notice owed).
    pub non_disclosure: Option<bool>,
    /// 発生場所: where it happened.
    pub location: Option<FreeData>,
    /// 発生状況: how it happened.
    pub circumstances: Option<FreeData>,
    // dismissed
    /// `dismissed`: why it was not an incident; `subjects_notified`: why individual notice was difficult.
    pub reason: Option<FreeData>,
    // containment_*, prevention_implemented
    /// `containment_started`, `contained`, `prevention_implemented`: the measures taken.
    pub measures: Option<FreeData>,
    // evidence_preserved
    /// `evidence_preserved`: what was preserved.
    pub what: Option<FreeData>,
    // reported_to_principal, instruction_received, record_submitted, principal_aware
    /// Which contract the event is about (absent: every contract).
    pub contract: Option<String>,
    /// Whether it was done in writing (書面).
    pub written: Option<bool>,
    /// The report's contents, by field key.
    pub fields: Option<Box<Fields>>,
    // instruction_received
    /// `instruction_received`: the instruction's text.
    pub text: Option<FreeData>,
    /// roei extension: the instruction says whether the contractor is to notify data subjects.
    pub notify_subjects: Option<bool>,
    // subjects_notified
    /// `subjects_notified`: how the persons were told.
    pub method: Option<NotifyMethod>,
    /// `subjects_notified`: how many persons were told.
    pub count: Option<u64>,
    // cause_analyzed
    /// `cause_analyzed`: the cause found.
    pub cause: Option<FreeData>,
    // published
    /// `published`: who published.
    pub by: Option<PublishedBy>,
    /// `published`: where.
    pub url: Option<String>,
    /// `published`: whether the publication names the contractor.
    pub names_contractor: Option<bool>,
    /// roei extension for national events (`ppc_*`): which principal; absent = every principal.
    pub principal: Option<String>,
    /// roei extension: the national layer an event answers (`appi-local-gov` or `mynumber`; the PPC
    /// takes My Number reports on a separate form). Absent = every layer.
    pub layer: Option<String>,
}

/// Whether a JSON value counts as given: not null, "" (or only white space), [] or {}. The rule for
/// values inside free-form data; [`FreeData::is_given`] applies the same rule to the text.
pub(crate) fn is_given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// Free-form event data (a summary, the measures taken, a report field: any JSON) kept as the JSON
/// text it was written in rather than as a tree of `serde_json::Value`s. A value with its number
/// text costs 60–100 bytes against the 8 of its text, so a record of dense free-form data took 10–13
/// times its size in memory (RELIABILITY.md, memory table); the text is what the reports print
/// anyway, read on demand ([`FreeData::to_value`]). Numbers and strings stay exactly as written;
/// repeated keys inside were already refused by the reader's guard (`json_guard`), with their path.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(as = "serde_json::Value"))]
#[derive(Clone)]
pub struct FreeData(Box<str>);

impl FreeData {
    /// The JSON text as written (valid JSON, without the white space around it).
    pub fn json(&self) -> &str {
        &self.0
    }

    /// The value as a tree, read from the text on demand (numbers keep their digits:
    /// `arbitrary_precision`).
    pub fn to_value(&self) -> Value {
        // The text was read as JSON within the reader's depth limit, so this cannot fail.
        super::read::value(&self.0, "").unwrap_or(Value::Null)
    }

    /// Given: not null, "" (or only white space), [] or {} — [`is_given`]'s rule, read on the text
    /// (a string is decoded only when it has escapes).
    pub fn is_given(&self) -> bool {
        let t = &*self.0;
        match t.as_bytes().first() {
            None | Some(b'n') => false,
            Some(b'"') => {
                let inner = &t[1..t.len() - 1];
                if inner.contains('\\') {
                    super::read::string_value(t).is_some_and(|s| !s.trim().is_empty())
                } else {
                    !inner.trim().is_empty()
                }
            }
            Some(b'[') => !t[1..].trim_start().starts_with(']'),
            Some(b'{') => !t[1..].trim_start().starts_with('}'),
            Some(_) => true,
        }
    }
}

impl PartialEq for FreeData {
    /// The same value (white space and key order aside), as `serde_json::Value`s compare.
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0 || self.to_value() == o.to_value()
    }
}

impl fmt::Debug for FreeData {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Written as the text it was read as (serde_json's `RawValue`).
impl Serialize for FreeData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        checked_raw_value(self.0.to_string()).serialize(s)
    }
}

/// A `RawValue` of JSON text that roei's own reader (or serde_json's) has already read as exactly
/// one value, without the white space around it: event data, a record's unknown keys. `RawValue::from_string` would read it again, and with it link serde_json's whole reader
/// (about 25 KB of code) into the page's engine, which reads JSON with `record::read` only.
pub(crate) fn checked_raw_value(text: String) -> Box<RawValue> {
    // SAFETY: the callers pass text read as one well-formed JSON value with no white space around
    // it (`Text::kept`, `FreeData`); `record::read`'s tests and the `record` fuzz target check that reader against serde_json's,
    // and debug builds (every `cargo test`) check each text again in `from_string_unchecked`.
    unsafe { RawValue::from_string_unchecked(text) }
}

impl FreeData {
    /// Free-form data from JSON text the reader has checked (valid JSON, no white space around it).
    pub(crate) fn from_checked_text(text: &str) -> FreeData {
        FreeData(Box::from(text))
    }
}

impl<'de> Deserialize<'de> for FreeData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(|v| FreeData(v.into()))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for FreeData {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Value as schemars::JsonSchema>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Value as schemars::JsonSchema>::json_schema(g)
    }
    fn inline_schema() -> bool {
        <Value as schemars::JsonSchema>::inline_schema()
    }
}

/// An optional free-form value that is given ([`FreeData::is_given`]).
pub(crate) fn given(v: &Option<FreeData>) -> bool {
    v.as_ref().is_some_and(FreeData::is_given)
}

impl EventData {
    /// Field keys this event supplies, as a bit set ([`FieldKey::bit`]).
    pub fn given_mask(&self) -> u32 {
        let mut m = 0u32;
        if let Some(f) = &self.fields {
            for k in FieldKey::ALL {
                if f.get(*k).is_some_and(FreeData::is_given) {
                    m |= k.bit();
                }
            }
        }
        let top: [(FieldKey, bool); 9] = [
            (FieldKey::Summary, given(&self.summary)),
            (FieldKey::Cause, given(&self.cause)),
            (FieldKey::Measures, given(&self.measures)),
            (FieldKey::What, given(&self.what)),
            (FieldKey::Reason, given(&self.reason)),
            (FieldKey::Text, given(&self.text)),
            (FieldKey::Method, self.method.is_some()),
            (FieldKey::Location, given(&self.location)),
            (FieldKey::Circumstances, given(&self.circumstances)),
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
    /// The event's id, unique within the record.
    pub id: String,
    /// The declared instant the event happened or was done (RFC 3339 with its offset).
    pub at: Instant,
    /// `None` for a type this version does not know (kept, ignored, warned about).
    pub event_type: Option<EventType>,
    /// The type as written (a static key for known types: no allocation).
    pub type_name: std::borrow::Cow<'static, str>,
    /// Who recorded it: `contractor`, `principal`, `ppc`, `subject` or `other`.
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
    pub(crate) raw: Box<str>,
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
    /// The person's name.
    pub name: Option<String>,
    /// The person's department (所属).
    pub department: Option<String>,
}

/// One event's members as the reader read them ([`super::read::typed_event`]), before
/// [`Event::from_parts`] checks and builds them.
pub(crate) struct TypedEvent<'a> {
    pub(crate) id: String,
    pub(crate) at: std::borrow::Cow<'a, str>,
    pub(crate) type_name: std::borrow::Cow<'a, str>,
    pub(crate) actor: Actor,
    pub(crate) data: Option<Box<EventData>>,
    pub(crate) recorded_at: Option<std::borrow::Cow<'a, str>>,
    /// The recorder's JSON text (checked as JSON; its shape is checked by `from_parts`).
    pub(crate) recorder: Option<&'a str>,
}

impl Event {
    pub(crate) fn with_given(mut self) -> Event {
        self.given = self.data.given_mask();
        self
    }

    /// The event's JSON exactly as recorded.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Parses one event from its JSON; `path` is where it sits (`events[3]`) for error messages.
    pub fn from_raw(raw: &RawValue, path: &str) -> Result<Event, Error> {
        Event::from_text(raw.get(), path)
    }

    /// Parses one event from its JSON text, which is valid JSON without white space around it
    /// (an element the record's reader has checked, or a `RawValue`'s text).
    pub(crate) fn from_text(text: &str, path: &str) -> Result<Event, Error> {
        crate::json_guard::check(text, path, &[])?;
        Event::from_checked_text(text, path)
    }

    /// [`Event::from_text`] of a text whose repeated keys and count of values were checked already.
    pub(crate) fn from_checked_text(text: &str, path: &str) -> Result<Event, Error> {
        let t =
            super::read::typed_event(text).map_err(|f| super::read::json_error(text, path, f))?;
        Event::from_parts(t, Box::from(text), path)
    }

    pub(crate) fn from_parts(t: TypedEvent, raw: Box<str>, path: &str) -> Result<Event, Error> {
        let at = parse_instant(&t.at).ok_or_else(|| {
            Error::invalid(
                join_path(path, "at"),
                format!("'{}' is not an RFC 3339 instant with an offset (e.g. 2026-11-02T10:15:00+09:00)", truncate(&t.at, 60)),
            )
        })?;
        // The range check with its path built only when it fails: a record's reader calls this
        // for every event, and the path text was most of its cost.
        if !in_instant_range(&at) {
            check_instant_range(&at, &join_path(path, "at"))?;
        }
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
        let recorder = match t.recorder {
            None => None,
            Some(v) => Some(Box::new(super::read::recorder(v).ok_or_else(|| {
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

/// The instant's year in Japan time.
fn jst_year(at: &Instant) -> i32 {
    use chrono::Datelike;
    at.with_timezone(&crate::time::jst()).year()
}

/// Whether the instant's year is within [`INSTANT_YEARS`].
fn in_instant_range(at: &Instant) -> bool {
    (INSTANT_YEARS.0..=INSTANT_YEARS.1).contains(&jst_year(at))
}

/// Refuses an instant outside [`INSTANT_YEARS`] (an event's `at` and `recorded_at`, the `at` of a
/// status or a report).
pub fn check_instant_range(at: &Instant, path: &str) -> Result<(), Error> {
    if in_instant_range(at) {
        return Ok(());
    }
    let y = jst_year(at);
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
pub(crate) fn no_data() -> std::sync::Arc<EventData> {
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
    check_event_shape(raw.len(), || json_depth(raw), path, limits)
}

/// [`check_event_size`] of an event of `size` bytes nested `depth()` levels deep.
pub(crate) fn check_event_shape(
    size: usize,
    depth: impl FnOnce() -> usize,
    path: &str,
    limits: &Limits,
) -> Result<(), Error> {
    if size > limits.max_event_bytes {
        return Err(Error::TooLarge {
            path: path.to_string(),
            size,
            limit: limits.max_event_bytes,
        });
    }
    let d = depth();
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

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

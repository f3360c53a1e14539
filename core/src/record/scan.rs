//! What the record reader yields ([`RawRecord`], [`ParsedEvents`]), and, for tests and fuzzing only,
//! the serde reader it replaced ([`reference`]): the fast single pass over well-formed text and the
//! slow two-pass reader that gives every bad event its own error. The hand-written reader
//! (`read.rs`) is checked against it (`read::tests`, the `record` fuzz target).
use super::*;

#[derive(Default)]
pub(crate) struct RawRecord {
    pub(crate) format: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) contracts: Option<Vec<Contract>>,
    /// The events as raw JSON (the reference reader's first pass).
    #[cfg(any(test, fuzzing))]
    pub(crate) events: Option<Vec<Box<RawValue>>>,
    pub(crate) extra: BTreeMap<String, Box<RawValue>>,
}

/// The events that were read, and the error of each one that could not be, with its index.
pub(crate) type ParsedEvents = (Vec<Event>, Vec<(usize, Error)>);

#[cfg(any(test, fuzzing))]
pub(crate) use reference::*;

/// The serde reader the hand-written one replaced, kept as the reference it is tested against.
#[cfg(any(test, fuzzing))]
pub(crate) mod reference {
    use super::*;
    use serde::de::{self, Deserializer, MapAccess, Visitor};
    use serde::Deserialize;
    use std::fmt;

    /// An event's members as serde's derived reader read them.
    #[derive(Deserialize)]
    struct RefTypedEvent<'a> {
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
        recorder: Option<serde_json::Value>,
    }

    fn ref_event(t: RefTypedEvent, raw: Box<str>, path: &str) -> Result<Event, Error> {
        let recorder = t.recorder.map(|v| v.to_string());
        Event::from_parts(
            TypedEvent {
                id: t.id,
                at: t.at,
                type_name: t.type_name,
                actor: t.actor,
                data: t.data,
                recorded_at: t.recorded_at,
                recorder: recorder.as_deref(),
            },
            raw,
            path,
        )
    }

    fn ref_from_raw(raw: &RawValue, path: &str) -> Result<Event, Error> {
        let t: RefTypedEvent = crate::error::parse_with_path(raw.get(), path)?;
        ref_event(t, Box::from(raw.get()), path)
    }

    /// Two passes: the record with its events as raw JSON, then each event on its own, so every bad
    /// event gets its own error with its path.
    pub(crate) fn slow_parse(
        json: &str,
        limits: &Limits,
    ) -> Result<(RawRecord, ParsedEvents), Error> {
        let mut raw: RawRecord = crate::error::parse_with_path(json, "")?;
        let (mut events, mut unread) = (Vec::new(), Vec::new());
        for (i, r) in raw
            .events
            .take()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let path = format!("events[{i}]");
            match check_event_size(r.get(), &path, limits).and_then(|()| ref_from_raw(&r, &path)) {
                Ok(ev) => events.push(ev),
                Err(e) => unread.push((i, e)),
            }
        }
        Ok((raw, (events, unread)))
    }

    impl RawRecord {
        /// Reads one top-level key other than `events` (shared by the fast and the slow reader).
        pub(crate) fn read_field<'de, A: MapAccess<'de>>(
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
                    let mut r = RawRecord::default();
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

    #[cfg(test)]
    pub(crate) mod fast {
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

        pub(crate) struct Fast<'a> {
            json: &'a str,
            ranges: &'a [(usize, usize)],
        }

        pub(crate) struct Events<'de, 'a> {
            json: &'a str,
            ranges: &'a [(usize, usize)],
            _d: std::marker::PhantomData<&'de ()>,
        }

        impl<'de, 'a> DeserializeSeed<'de> for Events<'de, 'a> {
            type Value = Vec<Event>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_seq(self)
            }
        }

        impl<'de, 'a> Visitor<'de> for Events<'de, 'a> {
            type Value = Vec<Event>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of events")
            }
            /// Each event is built as soon as serde has read it, so no list of serde's readings is
            /// held beside the list of events (20,000 small events: 3.2 MB less at the peak). An event
            /// that does not build sends the record to the slow reader, which reports it.
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(self.ranges.len());
                while let Some(t) = s.next_element::<RefTypedEvent<'de>>()? {
                    let &(a, b) = self
                        .ranges
                        .get(out.len())
                        .ok_or_else(|| de::Error::custom("event boundaries disagree"))?;
                    // No path for the error: the slow reader reads the record again and names it.
                    let ev = ref_event(t, Box::from(&self.json[a..b]), "")
                        .map_err(|_| de::Error::custom("an event the slow reader reports"))?;
                    out.push(ev);
                }
                if out.len() != self.ranges.len() {
                    return Err(de::Error::custom("event boundaries disagree"));
                }
                Ok(out)
            }
        }

        pub(crate) type FastOut = (RawRecord, Vec<Event>);

        impl<'de, 'a> DeserializeSeed<'de> for Fast<'a> {
            type Value = FastOut;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_map(self)
            }
        }

        impl<'de, 'a> Visitor<'de> for Fast<'a> {
            type Value = FastOut;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a roei/incident@1 object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut r = RawRecord::default();
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

        pub(crate) fn parse(json: &str, limits: &Limits) -> Option<(RawRecord, ParsedEvents)> {
            let ranges = scan(json, limits)?;
            if ranges.len() > limits.max_events {
                return None;
            }
            let mut de = serde_json::Deserializer::from_str(json);
            let (raw, events) = Fast {
                json,
                ranges: &ranges,
            }
            .deserialize(&mut de)
            .ok()?;
            de.end().ok()?;
            drop(ranges);
            Some((raw, (events, Vec::new())))
        }
    }
}

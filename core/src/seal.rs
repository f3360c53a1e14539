//! Tamper evidence: an optional SHA-256 hash chain over the record (証拠保全, nagaoka 13-2 / sapporo 16-2).
//!
//! Each sealed event carries `"seal": {"alg": "sha256", "prev": H(i-1), "hash": H(i)}`, an extra field
//! that version-1 readers ignore. `H(i) = SHA-256(H(i-1) ‖ "\n" ‖ canonical(event i without "seal"))`,
//! hex. The chain starts from `H(-1) = SHA-256(canonical(header))`, the header being the record's
//! `format`, `id`, `title` and `contracts`, so a changed contract is caught as well as a changed event.
//! `canonical` is the JSON value with object keys sorted and no insignificant whitespace: a seal
//! speaks for the content, not for the formatting. Numbers are hashed as the text they were written
//! in (serde_json's `arbitrary_precision`), so `1.0` and `1.00`, or two integers past 2^53 that a
//! float would merge, hash differently; the only spelling the canonical form evens out is the
//! exponent's (`1E2`, `1e2` and `1e+2` are all `1e+2`). Sealing does not rewrite an event: the seal is
//! added at the end of its text, the rest kept byte for byte.
//!
//! Sealing is append-only: once an event is sealed, every later event must be; [`Record::append`]
//! seals a new event automatically when the record's last event is sealed.
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::record::{check_event_size, Event, Limits, Record};

/// The hash of the chain (`seal.alg`).
pub const SEAL_ALG: &str = "sha256";

/// Lower-case hex of `bytes`, two digits a byte: the form of every hash in a record's seals, and
/// the one hex writer of the workspace (roei-server writes its receipts' keys, signatures and token
/// hashes with it, on every request, so it writes into one string without a `format!` per byte).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Canonical text of a JSON value: keys sorted (serde_json's map is ordered), compact.
fn canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn chain(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex(&h.finalize())
}

/// `H(-1)`: the hash of the record's header.
pub fn genesis(rec: &Record) -> String {
    #[derive(serde::Serialize)]
    struct Header<'a> {
        format: &'a str,
        id: &'a str,
        title: Option<&'a str>,
        contracts: &'a [crate::record::Contract],
    }
    // Through a `Value`, whose keys are sorted: the canonical text the hash has always covered.
    let header = crate::json_guard::to_value(&Header {
        format: crate::record::INCIDENT_FORMAT,
        id: &rec.id,
        title: rec.title.as_deref(),
        contracts: &rec.contracts,
    });
    let mut h = Sha256::new();
    h.update(canonical(&header).as_bytes());
    hex(&h.finalize())
}

/// An event's JSON object without its seal, and the seal's (prev, hash) if present.
type Split = (Map<String, Value>, Option<(String, String)>);

/// The event's own JSON object without its seal, and the seal if present.
fn split(ev: &Event) -> Result<Split, String> {
    let mut obj = match crate::record::json_value(ev.raw(), "") {
        Ok(Value::Object(o)) => o,
        Ok(_) => return Err("an event is a JSON object".into()),
        Err(e) => return Err(e.to_string()),
    };
    let seal = match obj.remove("seal") {
        None => None,
        Some(Value::Object(s)) => {
            let get = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
            if get("alg").as_deref() != Some(SEAL_ALG) {
                return Err(format!(
                    "unsupported seal algorithm (expected '{SEAL_ALG}')"
                ));
            }
            match (get("prev"), get("hash")) {
                (Some(p), Some(h)) => Some((p, h)),
                _ => return Err("a seal needs 'prev' and 'hash'".into()),
            }
        }
        Some(_) => return Err("'seal' must be an object".into()),
    };
    Ok((obj, seal))
}

/// Whether an event's JSON text may have a `seal` key. Without the text `"seal"` and without any
/// escape it cannot (an escaped key such as `"se\u0061l"` is still `seal`, so any backslash means
/// "parse to find out"). Lets `append` skip parsing the previous event of an unsealed record.
fn may_hold_seal(raw: &str) -> bool {
    raw.contains("\"seal\"") || raw.contains('\\')
}

/// Whether the event's JSON object has a `seal` key (written by roei only: see [`Record::append`]).
pub(crate) fn carries_seal(ev: &Event) -> bool {
    may_hold_seal(ev.raw())
        && crate::record::json_value(ev.raw(), "")
            .is_ok_and(|v| v.as_object().is_some_and(|o| o.contains_key("seal")))
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// Events covered by the chain.
    pub sealed: usize,
    /// Events after the chain (unsealed tail), which the chain does not vouch for.
    pub unsealed: usize,
    /// The last hash of the chain (to be kept elsewhere, e.g. printed in the written report).
    pub head: Option<String>,
}

/// Checks the chain and names the first event that no longer matches. Strict: once an event is
/// sealed, every later event must be (an append to a sealed record is always sealed), so stripping a
/// seal is caught. Removing the *last* events leaves a shorter valid chain: keep the `head` hash
/// somewhere else (the written report prints it) to detect that.
///
/// A record with events but no seal at all is not "ok": it is refused as [`Error::Unsealed`], since
/// stripping every seal would otherwise verify as well as never sealing.
pub fn verify(rec: &Record) -> Result<Verified, Error> {
    let v = verify_prefix(rec)?;
    if v.sealed == 0 && !rec.events.is_empty() {
        return Err(Error::Unsealed {
            path: "events[0].seal".into(),
            events: rec.events.len(),
        });
    }
    if v.sealed > 0 && v.unsealed > 0 {
        let j = v.sealed;
        return Err(Error::invalid(
            format!("events[{j}].seal"),
            format!(
                "event '{}' follows sealed events but carries no seal",
                rec.events[j].id
            ),
        ));
    }
    Ok(v)
}

/// The chain's hash after each event, computed from the events' content (their stored seals are
/// not read): `hashes[i]` = `H(i)`. For a sealed record that verifies, these are its seals' hashes.
pub fn chain_hashes(rec: &Record) -> Vec<String> {
    let mut prev = genesis(rec);
    rec.events
        .iter()
        .map(|ev| {
            let h = match split(ev) {
                Ok((obj, _)) => chain(&prev, &canonical(&Value::Object(obj))),
                // Not an object with a valid seal shape: hash its text, so the head still changes.
                Err(_) => chain(&prev, ev.raw()),
            };
            prev = h.clone();
            h
        })
        .collect()
}

/// The record's head hash: `H(n-1)` over all its events ([`chain_hashes`]), or the header's hash
/// for a record without events. Equal to the head of a sealed record's chain; written on every
/// report and export so that whoever keeps a copy can later check, with [`verify_anchor`], that the
/// record still holds what the report was made from.
pub fn head_hash(rec: &Record) -> String {
    chain_hashes(rec).pop().unwrap_or_else(|| genesis(rec))
}

/// What an anchor check found: the record still holds, unchanged, the events up to `event`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Anchored {
    /// How many events the anchor covers (the anchored event is the last of them).
    pub events: usize,
    /// The anchored event's id (`None` for the header's hash: a record anchored before any event).
    pub event: Option<String>,
    /// Events recorded after the anchor.
    pub later: usize,
}

/// Checks that the record extends a head hash kept elsewhere (`anchor`, printed on a report or by
/// `roei verify`): some prefix of its events hashes to it. Otherwise the error names the event that
/// broke it where the record still shows one — the event whose stored seal carries the anchor, or
/// the first event before it whose content no longer matches — and says plainly when it cannot
/// (the record was changed before the anchor and sealed again, or the anchored event was removed).
pub fn verify_anchor(rec: &Record, anchor: &str) -> Result<Anchored, Error> {
    let anchor = anchor
        .trim()
        .trim_start_matches("sha256:")
        .to_ascii_lowercase();
    if anchor.len() != 64 || !anchor.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "--anchor",
            "an anchor is a SHA-256 head hash: 64 hexadecimal digits",
        ));
    }
    if anchor == genesis(rec) {
        return Ok(Anchored {
            events: 0,
            event: None,
            later: rec.events.len(),
        });
    }
    let hashes = chain_hashes(rec);
    if let Some(k) = hashes.iter().position(|h| *h == anchor) {
        return Ok(Anchored {
            events: k + 1,
            event: Some(rec.events[k].id.clone()),
            later: rec.events.len() - k - 1,
        });
    }
    // The anchored event may still carry the anchored seal: then name the first event up to it
    // whose content or chain no longer matches what its own seal says.
    let stored: Vec<Option<String>> = rec
        .events
        .iter()
        .map(|ev| split(ev).ok().and_then(|(_, s)| s.map(|(_, h)| h)))
        .collect();
    if let Some(k) = stored
        .iter()
        .position(|h| h.as_deref() == Some(anchor.as_str()))
    {
        let broke = (0..=k)
            .find(|&i| stored[i].as_deref() != Some(hashes[i].as_str()))
            .unwrap_or(k);
        return Err(Error::Invalid {
            path: format!("events[{broke}]"),
            message: format!(
                "event '{}' was changed after the anchor was taken (the anchor sealed event '{}', events[{k}]): the record no longer holds what the anchor vouches for",
                rec.events[broke].id, rec.events[k].id
            ),
            clause: None,
        });
    }
    Err(Error::Invalid {
        path: "events".into(),
        message: "no prefix of this record hashes to the anchor and no event carries it: an event up to the anchored one was changed, inserted or removed and the record sealed again (which one cannot be told from a hash), or the anchor is of another record".into(),
        clause: None,
    })
}

/// The chain's sealed prefix, tolerating an unsealed tail (for [`Record::seal`]).
fn verify_prefix(rec: &Record) -> Result<Verified, Error> {
    let mut prev = genesis(rec);
    let mut sealed = 0;
    let mut head = None;
    let mut seen_unsealed: Option<usize> = None;
    for (i, ev) in rec.events.iter().enumerate() {
        let path = format!("events[{i}]");
        let (obj, seal) = split(ev).map_err(|m| Error::invalid(format!("{path}.seal"), m))?;
        let Some((p, h)) = seal else {
            seen_unsealed.get_or_insert(i);
            continue;
        };
        if let Some(j) = seen_unsealed {
            return Err(Error::invalid(
                format!("events[{j}]"),
                format!(
                    "event '{}' is not sealed but later events are: the chain is broken here",
                    rec.events[j].id
                ),
            ));
        }
        if p != prev {
            return Err(Error::invalid(
                format!("{path}.seal.prev"),
                format!(
                    "event '{}' does not follow the sealed event before it (or the header changed)",
                    ev.id
                ),
            ));
        }
        let want = chain(&prev, &canonical(&Value::Object(obj)));
        if h != want {
            return Err(Error::invalid(
                format!("{path}.seal.hash"),
                format!(
                    "event '{}' no longer matches its seal: its content was changed",
                    ev.id
                ),
            ));
        }
        prev = want.clone();
        head = Some(want);
        sealed += 1;
    }
    Ok(Verified {
        sealed,
        unsealed: seen_unsealed.map(|j| rec.events.len() - j).unwrap_or(0),
        head,
    })
}

/// Seals one unsealed event: the seal is added at the end of the event's own text, which is
/// otherwise kept byte for byte (numbers, key order and spacing as the writer gave them).
///
/// The sealed event is the same event but for its text: the reader skips members it does not know,
/// so the added `seal` changes none of the event's fields, and the text is not read again. It stays
/// within what the reader accepts of one event (no second `seal`: an unsealed event carries none,
/// [`carries_seal`]; 8 values and keys more for 180 bytes more, well inside the values allowed per
/// byte, `json_guard`); its size is checked by the callers.
fn seal_one(ev: &Event, prev: &str, path: &str) -> Result<(Event, String), Error> {
    let (obj, _) = split(ev).map_err(|m| Error::invalid(format!("{path}.seal"), m))?;
    let empty = obj.is_empty();
    let hash = chain(prev, &canonical(&Value::Object(obj)));
    let seal = format!(r#""seal":{{"alg":"{SEAL_ALG}","prev":"{prev}","hash":"{hash}"}}"#);
    let text = ev.raw().trim_end();
    let body = text.strip_suffix('}').unwrap_or(text);
    let text = if empty {
        format!("{{{seal}}}")
    } else {
        format!("{body},{seal}}}")
    };
    debug_assert!(crate::record::json_value(&text, "").is_ok(), "{text}");
    let mut sealed = ev.clone();
    sealed.raw = text.into_boxed_str();
    Ok((sealed, hash))
}

/// The seal (prev, hash) at the end of an event's text, as [`Record::seal`] and
/// [`Record::append_json`] write it (added after the event's last member:
/// `…,"seal":{"alg":"sha256","prev":"<hex>","hash":"<hex>"}}`), read without parsing the event.
/// Only a `seal` member of the event's own object can end its text so (within a string every quote
/// is escaped, and any deeper object would close with one more brace), and an appended event that
/// carries a `seal` of its own is refused: on an event of a record this is the seal roei wrote.
/// `None` for any other ending (another spelling of a seal included); the caller then parses the
/// event.
pub fn seal_at_end(raw: &str) -> Option<(&str, &str)> {
    fn hex_64(s: &str) -> bool {
        s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
    let rest = raw.trim_end().strip_suffix("\"}}")?;
    let hash = rest.get(rest.len().checked_sub(64)?..)?;
    let rest = rest[..rest.len() - 64].strip_suffix("\",\"hash\":\"")?;
    let prev = rest.get(rest.len().checked_sub(64)?..)?;
    let rest = &rest[..rest.len() - 64];
    (hex_64(hash) && hex_64(prev) && rest.ends_with(",\"seal\":{\"alg\":\"sha256\",\"prev\":\""))
        .then_some((prev, hash))
}

impl Record {
    /// The record's head hash ([`head_hash`]): what every report and export prints.
    pub fn head_hash(&self) -> String {
        head_hash(self)
    }

    /// Whether the record's last event carries a seal.
    pub fn is_sealed(&self) -> bool {
        self.events.last().is_some_and(|e| {
            seal_at_end(e.raw()).is_some()
                || (e.raw().contains("\"seal\"") && split(e).ok().is_some_and(|(_, s)| s.is_some()))
        })
    }

    /// Seals every event not sealed yet, continuing the chain. The sealed prefix must verify, and the
    /// sealed record must be one the reader accepts under the default [`Limits`] (a seal adds about
    /// 180 bytes to each event): else the record is left as it was and the error says why.
    pub fn seal(&mut self) -> Result<Verified, Error> {
        self.seal_within(&Limits::default())
    }

    /// [`Record::seal`] under the given limits.
    pub fn seal_within(&mut self, limits: &Limits) -> Result<Verified, Error> {
        let v = verify_prefix(self)?;
        let mut prev = v.head.clone().unwrap_or_else(|| genesis(self));
        let mut next = self.clone();
        for i in v.sealed..next.events.len() {
            let path = format!("events[{i}]");
            let (ev, h) = seal_one(&next.events[i], &prev, &path)?;
            check_event_size(ev.raw(), &path, limits)
                .map_err(|e| e.into_writer_refusal("sealing this event"))?;
            next.events[i] = ev;
            prev = h;
        }
        next.check_written_size(limits, "sealing the record")?;
        let v = verify(&next)?;
        *self = next;
        Ok(v)
    }

    /// Seals the last event if the one before it is sealed (used by `append`).
    pub(crate) fn seal_last_if_chained(&mut self) -> Result<(), Error> {
        let n = self.events.len();
        if n < 2 {
            return Ok(());
        }
        // Most records are unsealed: skip the parse when the previous event cannot hold a seal.
        if !may_hold_seal(self.events[n - 2].raw()) {
            return Ok(());
        }
        // The seal `seal_one` wrote is read from the end of the text; any other text is parsed.
        let prev = match seal_at_end(self.events[n - 2].raw()) {
            Some((_, h)) => h.to_string(),
            None => match split(&self.events[n - 2]) {
                Ok((_, Some((_, h)))) => h,
                _ => return Ok(()),
            },
        };
        let (ev, _) = seal_one(&self.events[n - 1], &prev, &format!("events[{}]", n - 1))?;
        self.events[n - 1] = ev;
        Ok(())
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    /// The header's hash is the one `serde_json::json!` (keys sorted) gave before the header was
    /// built without it: every sealed record keeps verifying.
    #[test]
    fn genesis_hashes_the_header_json_macro_wrote() {
        for text in [
            include_str!("../../examples/nagaoka-usb-loss.json"),
            include_str!("../../examples/national/shared-server-two-cities.json"),
            include_str!("../../tests/compat/0.1.0/incident.sealed.json"),
        ] {
            let mut rec = Record::parse(text).unwrap();
            for title in [None, Some("件名 \"x\"".to_string())] {
                rec.title = title;
                let old = serde_json::json!({
                    "format": crate::record::INCIDENT_FORMAT,
                    "id": rec.id,
                    "title": rec.title,
                    "contracts": rec.contracts,
                });
                let mut h = Sha256::new();
                h.update(canonical(&old).as_bytes());
                assert_eq!(genesis(&rec), hex(&h.finalize()));
            }
        }
    }
}

#[cfg(test)]
mod seal_at_end_tests {
    use super::*;
    use serde_json::json;

    /// The seal as roei writes it, read from the end of the text, is the seal a parse finds;
    /// anything that only looks like one (nested, reordered, escaped, upper-case) reads as `None`.
    #[test]
    fn the_seal_at_the_end_is_the_one_roei_wrote() {
        let example = include_str!("../../examples/nagaoka-usb-loss.json");
        let mut rec = Record::parse(example).unwrap();
        rec.seal().unwrap();
        for ev in &rec.events {
            let parsed: Value = serde_json::from_str(ev.raw()).unwrap();
            let (prev, hash) = seal_at_end(ev.raw()).expect("a sealed event");
            assert_eq!(prev, parsed["seal"]["prev"]);
            assert_eq!(hash, parsed["seal"]["hash"]);
        }
        let h = "a".repeat(64);
        let seal = json!({"alg": "sha256", "prev": h, "hash": h});
        for not_sealed in [
            json!({"id": "x", "data": {"seal": seal}}).to_string(),
            format!(r#"{{"id":"x","data":{{"a":1,"seal":{seal}}}}}"#),
            format!(r#"{{"id":"x","seal":{{"prev":"{h}","alg":"sha256","hash":"{h}"}}}}"#),
            format!(
                r#"{{"id":"x","note":"\",\"seal\":{{\"alg\":\"sha256\",\"prev\":\"{h}\",\"hash\":\"{h}\"}}"}}"#
            ),
            format!(
                r#"{{"id":"x","seal":{{"alg":"sha256","prev":"{h}","hash":"{}"}}}}"#,
                "A".repeat(64)
            ),
            r#"{"id":"x"}"#.to_string(),
        ] {
            assert_eq!(seal_at_end(&not_sealed), None, "{not_sealed}");
        }
    }

    /// Appends to a sealed record seal each event without reading it again: the events, their
    /// texts, seals and every field are what reading the written record gives, and the chain
    /// verifies.
    #[test]
    fn appends_to_a_sealed_record_read_back_the_same() {
        let example = include_str!("../../examples/nagaoka-usb-loss.json");
        let mut rec = Record::parse(example).unwrap();
        rec.seal().unwrap();
        let n = rec.events.len();
        for i in 0..5 {
            let ev = json!({
                "id": format!("later-{i}"), "at": format!("2026-12-0{}T10:00:00+09:00", i + 1),
                "type": "facts", "actor": "contractor",
                "data": {"subjects_count": 12, "note": "追記 \"引用\" \\ 1.50"},
                "received_at": "2026-12-01T10:00:00.000+09:00"
            });
            rec.append_json(&ev.to_string(), Limits::default()).unwrap();
            let last = rec.events.last().unwrap();
            let (prev, hash) = seal_at_end(last.raw()).expect("the appended event is sealed");
            assert_eq!(prev, seal_at_end(rec.events[n + i - 1].raw()).unwrap().1);
            assert_eq!(hash, head_hash(&rec));
        }
        let again = Record::parse(&rec.to_json()).unwrap();
        assert_eq!(verify(&again).unwrap().sealed, n + 5);
        assert_eq!(again.events.len(), rec.events.len());
        for (a, b) in again.events.iter().zip(&rec.events) {
            assert_eq!(a.raw(), b.raw());
            assert_eq!(a, b);
            assert_eq!((a.scope_mask, a.given), (b.scope_mask, b.given));
            assert_eq!(
                (&a.recorded_at, &a.recorder, a.event_type),
                (&b.recorded_at, &b.recorder, b.event_type)
            );
        }
        assert!(rec.is_sealed() && again.is_sealed());
    }
}

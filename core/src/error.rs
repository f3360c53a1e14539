//! Errors for untrusted input. Every variant names the JSON path of the offending value and, where a
//! clause is the reason the value is needed, the clause id. `code()` is stable: portals and the WASM
//! layer switch on it.
//!
//! # Design
//!
//! One error type for the whole crate, because every caller does the same three things with an
//! error: show its message, point at the offending value, and switch on a stable code.
//!
//! - **A path, always.** Every variant carries the JSON path of the value it is about
//!   (`events[3].data.kind`, empty for the whole input). A piece checked on its own (one event, a
//!   policy inside a scenario) is checked with its own paths and then moved to where it sits with
//!   [`Error::with_path_prefix`] (or [`Error::map_paths`] when the piece's root has a name of its
//!   own), so no caller rebuilds an error to change its path.
//! - **A clause where one is the reason.** A value required by a contract clause or by the law names
//!   that clause (`nagaoka:13-1`), so the message answers "why is this needed".
//! - **A stable code, not the message.** [`Error::code`] is the contract with portals, the CLI's exit
//!   JSON and the WASM layer's thrown `RoeiError`; the message is for people and may be reworded.
//! - **Every problem at once.** Validation collects problems into [`Error::Many`]; its first
//!   problem is the headline (code, path, clause), [`Error::problems`] lists them all.
//! - **Open for additions.** The enum is `#[non_exhaustive]`: a new kind of problem is a new variant
//!   with a new code, which must not break a caller's `match`.
//! - **No panics, no I/O.** Building an error never fails; [`Error::to_report`] gives the
//!   serialisable `{code, message, path, clause, problems}` object (docs/FORMATS.md, "Errors").
use serde::Serialize;
use thiserror::Error;

/// A problem with untrusted input: what is wrong, at which JSON path, and (where one applies) the
/// clause that needs the value.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Not JSON, or JSON of the wrong shape (serde's message, with the path where it failed).
    #[error("{}{message}", at(path))]
    Json {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// What is wrong, for people (the code is for programs).
        message: String,
    },
    /// Input larger than the limit for its kind (records from a portal or a JS caller may be hostile).
    #[error("{}input is {size} bytes, over the limit of {limit}", at(path))]
    TooLarge {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The size in bytes.
        size: usize,
        /// The limit it is over.
        limit: usize,
    },
    /// A writer (seal, append) refusing a change after which the reader would refuse the result as
    /// too large; nothing was changed. Same code as [`Error::TooLarge`].
    #[error(
        "{}{action} would make it {size} bytes, over the limit of {limit} that every reader applies; nothing was changed",
        at(path)
    )]
    WouldBeTooLarge {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The change that was refused (`seal`, `append`).
        action: &'static str,
        /// The size in bytes.
        size: usize,
        /// The limit it is over.
        limit: usize,
    },
    /// Too many items in a list (events, contracts).
    #[error("{}{count} items, over the limit of {limit}", at(path))]
    TooMany {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// How many items were given.
        count: usize,
        /// The limit it is over.
        limit: usize,
    },
    /// A `format` other than the one this reader understands (`roei/incident@1`, …).
    #[error(
        "{}unsupported format '{found}' (this reader understands '{expected}')",
        at(path)
    )]
    Format {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The `format` given (cut to 60 characters).
        found: String,
        /// The format this reader understands.
        expected: &'static str,
    },
    /// A profile id the catalog does not have ([`crate::Catalog::unknown_profile`] builds it).
    #[error("{}unknown profile '{profile}' (known: {known})", at(path))]
    UnknownProfile {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The profile id given (cut to 60 characters).
        profile: String,
        /// The profile ids the catalog has, of the kind wanted.
        known: String,
    },
    /// A required value is absent; `clause` is the clause that requires it, where one does.
    #[error("{}required value '{field}' is missing", at(path))]
    Missing {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The name of the missing member.
        field: String,
        /// The clause that requires the value, where one does.
        clause: Option<String>,
    },
    /// An id used twice with different content (records are append-only).
    #[error("{}id '{id}' is used again with different content (an event is never edited: append a correction)", at(path))]
    DuplicateId {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The id given twice.
        id: String,
    },
    /// A key written twice in one object: JSON readers disagree on which one counts, so roei refuses
    /// rather than keep one silently (a second `"profile"` would swap a contract's obligations).
    #[error(
        "{}key '{key}' appears twice in the same object (write it once)",
        at(path)
    )]
    DuplicateKey {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// The key given twice.
        key: String,
    },
    /// `verify` of a record with events and no seal at all: nothing vouches for it (stripping every
    /// seal must not look like a record that verifies).
    #[error(
        "{}the record's {events} event(s) carry no seal: nothing vouches for them (seal the record with `roei seal` and keep its head hash elsewhere)",
        at(path)
    )]
    Unsealed {
        /// JSON path of the record (empty: the whole record).
        path: String,
        /// How many events carry no seal.
        events: usize,
    },
    /// A value of the right type that is not acceptable (a bad instant, an unknown key, …).
    #[error("{}{message}", at(path))]
    Invalid {
        /// JSON path of the offending value (empty for the whole input).
        path: String,
        /// What is wrong, for people (the code is for programs).
        message: String,
        /// The clause that requires the value, where one does.
        clause: Option<String>,
    },
    /// Several problems at once (`validate` lists them all); the first is the headline.
    #[error("{} problems; first: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    Many(Vec<Error>),
}

impl Error {
    /// A stable machine code: `json`, `too_large`, `too_many`, `unsupported_format`, `unknown_profile`,
    /// `missing_field`, `duplicate_id`, `duplicate_key`, `unsealed`, `invalid_value`; `Many` reports its first problem's code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Json { .. } => "json",
            Error::TooLarge { .. } | Error::WouldBeTooLarge { .. } => "too_large",
            Error::TooMany { .. } => "too_many",
            Error::Format { .. } => "unsupported_format",
            Error::UnknownProfile { .. } => "unknown_profile",
            Error::Missing { .. } => "missing_field",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::DuplicateKey { .. } => "duplicate_key",
            Error::Unsealed { .. } => "unsealed",
            Error::Invalid { .. } => "invalid_value",
            Error::Many(v) => v.first().map(Error::code).unwrap_or("invalid_value"),
        }
    }

    /// The JSON path of the offending value (`Many`: its first problem's); empty for the whole input.
    pub fn path(&self) -> &str {
        match self {
            Error::Json { path, .. }
            | Error::TooLarge { path, .. }
            | Error::WouldBeTooLarge { path, .. }
            | Error::TooMany { path, .. }
            | Error::Format { path, .. }
            | Error::UnknownProfile { path, .. }
            | Error::Missing { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::DuplicateKey { path, .. }
            | Error::Unsealed { path, .. }
            | Error::Invalid { path, .. } => path,
            Error::Many(v) => v.first().map(Error::path).unwrap_or(""),
        }
    }

    /// The clause that requires the value, where one does.
    pub fn clause(&self) -> Option<&str> {
        match self {
            Error::Missing { clause, .. } | Error::Invalid { clause, .. } => clause.as_deref(),
            Error::Many(v) => v.first().and_then(Error::clause),
            _ => None,
        }
    }

    /// Every individual problem (one for a single error).
    pub fn problems(&self) -> Vec<&Error> {
        match self {
            Error::Many(v) => v.iter().collect(),
            e => vec![e],
        }
    }

    /// The `{"code","message","path","clause"}` object of docs/FORMATS.md's "Errors".
    pub fn to_report(&self) -> ErrorReport {
        let first = match self {
            Error::Many(v) if !v.is_empty() => &v[0],
            e => e,
        };
        ErrorReport {
            code: first.code(),
            message: first.to_string(),
            path: first.path().to_string(),
            clause: first.clause().map(str::to_string),
            problems: match self {
                Error::Many(v) if v.len() > 1 => v.iter().map(|e| e.to_report()).collect(),
                _ => Vec::new(),
            },
        }
    }

    /// The same error about a piece that sits at `prefix` in a larger document: an error at
    /// `data.kind` found while checking one event becomes `events[3].data.kind` with the prefix
    /// `events[3]`. Every problem of a `Many` is moved.
    pub fn with_path_prefix(self, prefix: &str) -> Error {
        self.map_paths(&|p| join_path(prefix, p))
    }

    /// The same error with every path (of every problem) rewritten by `f`; for a piece whose own
    /// root has a name that the larger document replaces (see `drill::scenario`).
    pub fn map_paths(self, f: &dyn Fn(&str) -> String) -> Error {
        let mut e = self;
        match &mut e {
            Error::Json { path, .. }
            | Error::TooLarge { path, .. }
            | Error::TooMany { path, .. }
            | Error::Format { path, .. }
            | Error::UnknownProfile { path, .. }
            | Error::Missing { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::DuplicateKey { path, .. }
            | Error::Unsealed { path, .. }
            | Error::WouldBeTooLarge { path, .. }
            | Error::Invalid { path, .. } => *path = f(path),
            Error::Many(v) => {
                for x in std::mem::take(v) {
                    v.push(x.map_paths(f));
                }
            }
        }
        e
    }

    /// A reader's [`Error::TooLarge`] as a writer's refusal ([`Error::WouldBeTooLarge`]).
    pub(crate) fn into_writer_refusal(self, action: &'static str) -> Error {
        match self {
            Error::TooLarge { path, size, limit } => Error::WouldBeTooLarge {
                path,
                action,
                size,
                limit,
            },
            e => e,
        }
    }

    /// An [`Error::Invalid`] with no clause: the value at `path` is not acceptable, for `message`.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid {
            path: path.into(),
            message: message.into(),
            clause: None,
        }
    }

    /// Collapses a list of problems into one error (or none).
    pub(crate) fn from_list(mut v: Vec<Error>) -> Result<(), Error> {
        match v.len() {
            0 => Ok(()),
            1 => Err(v.pop().unwrap_or_else(|| Error::invalid("", "unknown"))),
            _ => Err(Error::Many(v)),
        }
    }
}

/// Parses `json`; on failure the error names the JSON path where it happened (`events[3].at`), found
/// by walking the text to serde's error position ([`path_at`]) rather than by a second, path-tracking
/// deserializer (which would double the deserialization code in the WASM bundle). A key repeated in
/// an object is refused first ([`crate::json_guard`]): serde would keep the last one silently.
pub(crate) fn parse_with_path<'de, T: serde::Deserialize<'de>>(
    json: &'de str,
    prefix: &str,
) -> Result<T, Error> {
    crate::json_guard::check(json, prefix, &[])?;
    serde_json::from_str::<T>(json).map_err(|e| json_error(json, prefix, &e))
}

/// A serde_json error as [`Error::Json`] with the path at its position.
pub(crate) fn json_error(json: &str, prefix: &str, e: &serde_json::Error) -> Error {
    let offset = byte_offset(json, e.line(), e.column());
    let mut message = e.to_string();
    // Single-line input (JS objects, one event): the path says where; "at line 1 column N" is noise.
    if e.line() <= 1 {
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
    }
    Error::Json {
        path: join_path(prefix, &path_at(json, offset)),
        message,
    }
}

/// serde_json's 1-based line and byte column to a byte offset.
fn byte_offset(json: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match json[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return json.len(),
        }
    }
    (start + column).min(json.len())
}

/// The JSON path (`events[3].data.kind`) of the value being read at byte `offset`: a linear walk
/// that tracks object keys and array indices. Paths deeper than 32 levels are cut with `…`.
pub fn path_at(json: &str, offset: usize) -> String {
    enum Frame {
        Obj(Option<(usize, usize)>),
        Arr(usize),
    }
    let b = json.as_bytes();
    let end = offset.min(b.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut expect_key = false;
    while i < end {
        match b[i] {
            b'"' => {
                let s = i + 1;
                let mut j = s;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let j = j.min(b.len());
                if expect_key {
                    if let Some(Frame::Obj(k)) = stack.last_mut() {
                        *k = Some((s, j));
                    }
                    expect_key = false;
                }
                i = j + 1;
                continue;
            }
            b'{' => {
                stack.push(Frame::Obj(None));
                expect_key = true;
            }
            b'[' => stack.push(Frame::Arr(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Arr(n)) => *n += 1,
                Some(Frame::Obj(k)) => {
                    *k = None;
                    expect_key = true;
                }
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for (depth, f) in stack.iter().enumerate() {
        if depth >= 32 {
            out.push('…');
            break;
        }
        match f {
            Frame::Obj(Some((s, e))) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(json.get(*s..*e).unwrap_or("?"));
            }
            Frame::Obj(None) => {}
            Frame::Arr(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

/// `"path: "`, or nothing for the whole input.
fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

pub(crate) fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        _ => format!("{prefix}.{rest}"),
    }
}

/// Serialisable error, as the CLI prints it under `{"error": …}` and the WASM layer throws it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorReport {
    /// The stable code ([`Error::code`]).
    pub code: &'static str,
    /// The message, for people.
    pub message: String,
    /// The JSON path of the offending value.
    pub path: String,
    /// The clause that requires the value, where one does.
    pub clause: Option<String>,
    /// Every problem, when there are several (the fields above are the first one's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ErrorReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_path_prefix_moves_every_problem() {
        let e = Error::Many(vec![
            Error::invalid("data.kind", "x"),
            Error::Missing {
                path: String::new(),
                field: "at".into(),
                clause: Some("nagaoka:13-1".into()),
            },
            Error::invalid("[2]", "y"),
        ])
        .with_path_prefix("events[3]");
        let paths: Vec<&str> = e.problems().iter().map(|p| p.path()).collect();
        assert_eq!(paths, ["events[3].data.kind", "events[3]", "events[3][2]"]);
        assert_eq!(e.clause(), None);
        assert_eq!(e.problems()[1].clause(), Some("nagaoka:13-1"));
        assert_eq!(e.code(), "invalid_value");
    }
}

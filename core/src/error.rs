//! Errors for untrusted input. Every variant names the JSON path of the offending value and, where a
//! clause is the reason the value is needed, the clause id. `code()` is stable: portals and the WASM
//! layer switch on it.
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not JSON, or JSON of the wrong shape (serde's message, with the path where it failed).
    #[error("{}{message}", at(path))]
    Json { path: String, message: String },
    /// Input larger than the limit for its kind (records from a portal or a JS caller may be hostile).
    #[error("{}input is {size} bytes, over the limit of {limit}", at(path))]
    TooLarge {
        path: String,
        size: usize,
        limit: usize,
    },
    /// Too many items in a list (events, contracts).
    #[error("{}{count} items, over the limit of {limit}", at(path))]
    TooMany {
        path: String,
        count: usize,
        limit: usize,
    },
    #[error(
        "{}unsupported format '{found}' (this reader understands '{expected}')",
        at(path)
    )]
    Format {
        path: String,
        found: String,
        expected: &'static str,
    },
    #[error("{}unknown profile '{profile}' (known: {known})", at(path))]
    UnknownProfile {
        path: String,
        profile: String,
        known: String,
    },
    #[error("{}required value '{field}' is missing", at(path))]
    Missing {
        path: String,
        field: String,
        clause: Option<String>,
    },
    #[error("{}id '{id}' is used again with different content (an event is never edited: append a correction)", at(path))]
    DuplicateId { path: String, id: String },
    #[error("{}{message}", at(path))]
    Invalid {
        path: String,
        message: String,
        clause: Option<String>,
    },
    /// Several problems at once (`validate` lists them all); the first is the headline.
    #[error("{} problems; first: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    Many(Vec<Error>),
}

impl Error {
    /// A stable machine code: `json`, `too_large`, `too_many`, `unsupported_format`, `unknown_profile`,
    /// `missing_field`, `duplicate_id`, `invalid_value`; `Many` reports its first problem's code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Json { .. } => "json",
            Error::TooLarge { .. } => "too_large",
            Error::TooMany { .. } => "too_many",
            Error::Format { .. } => "unsupported_format",
            Error::UnknownProfile { .. } => "unknown_profile",
            Error::Missing { .. } => "missing_field",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::Invalid { .. } => "invalid_value",
            Error::Many(v) => v.first().map(Error::code).unwrap_or("invalid_value"),
        }
    }

    pub fn path(&self) -> &str {
        match self {
            Error::Json { path, .. }
            | Error::TooLarge { path, .. }
            | Error::TooMany { path, .. }
            | Error::Format { path, .. }
            | Error::UnknownProfile { path, .. }
            | Error::Missing { path, .. }
            | Error::DuplicateId { path, .. }
            | Error::Invalid { path, .. } => path,
            Error::Many(v) => v.first().map(Error::path).unwrap_or(""),
        }
    }

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

    /// The `{"code","message","path","clause"}` object of interchange.md's error contract.
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

    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
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
/// deserializer (which would double the deserialization code in the WASM bundle).
pub(crate) fn parse_with_path<'de, T: serde::Deserialize<'de>>(
    json: &'de str,
    prefix: &str,
) -> Result<T, Error> {
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
    pub code: &'static str,
    pub message: String,
    pub path: String,
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ErrorReport>,
}

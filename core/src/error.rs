//! Errors for untrusted input. Every variant names the JSON path of the offending value and, where a
//! clause is the reason the value is needed, the clause id. `code()` is stable: portals and the WASM
//! layer switch on it.
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not JSON, or JSON of the wrong shape (serde's message, with the path where it failed).
    #[error("{path}: {message}")]
    Json { path: String, message: String },
    /// Input larger than the limit for its kind (records from a portal or a JS caller may be hostile).
    #[error("{path}: input is {size} bytes, over the limit of {limit}")]
    TooLarge {
        path: String,
        size: usize,
        limit: usize,
    },
    /// Too many items in a list (events, contracts).
    #[error("{path}: {count} items, over the limit of {limit}")]
    TooMany {
        path: String,
        count: usize,
        limit: usize,
    },
    #[error("{path}: unsupported format '{found}' (this reader understands '{expected}')")]
    Format {
        path: String,
        found: String,
        expected: &'static str,
    },
    #[error("{path}: unknown profile '{profile}' (known: {known})")]
    UnknownProfile {
        path: String,
        profile: String,
        known: String,
    },
    #[error("{path}: required value '{field}' is missing")]
    Missing {
        path: String,
        field: String,
        clause: Option<String>,
    },
    #[error("{path}: id '{id}' is used again with different content (an event is never edited: append a correction)")]
    DuplicateId { path: String, id: String },
    #[error("{path}: {message}")]
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

    /// serde_path_to_error's path, written the interchange way: `events[3].at`.
    pub(crate) fn from_serde<E: std::fmt::Display>(
        prefix: &str,
        e: serde_path_to_error::Error<E>,
    ) -> Error {
        let inner = e.inner().to_string();
        let p = e.path().to_string();
        let path = join_path(prefix, if p == "." { "" } else { &p });
        // serde_json appends " at line L column C"; keep it: it helps with files, harmless for JS objects.
        Error::Json {
            path,
            message: inner,
        }
    }
}

/// Parses `json` with plain serde (fast); only when that fails, parses again with path tracking so
/// the error names where it happened. Valid input pays nothing for the paths.
pub(crate) fn parse_with_path<'de, T: serde::Deserialize<'de>>(
    json: &'de str,
    prefix: &str,
) -> Result<T, Error> {
    match serde_json::from_str::<T>(json) {
        Ok(v) => Ok(v),
        Err(first) => {
            let de = &mut serde_json::Deserializer::from_str(json);
            match serde_path_to_error::deserialize::<_, T>(de) {
                Err(e) => Err(Error::from_serde(prefix, e)),
                // Cannot happen (same input, same type); keep serde's own message if it does.
                Ok(_) => Err(Error::Json {
                    path: prefix.to_string(),
                    message: first.to_string(),
                }),
            }
        }
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

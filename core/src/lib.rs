//! # roei-core
//!
//! 漏えい等 (leaks and the like): the response to a personal-information incident as Japanese municipal
//! outsourcing contracts (特記事項) and the national law (APPI Art. 68, 番号法 29-4) require it.
//!
//! - [`catalog`]: every incident clause of the seeds and the national layers, as cited data.
//! - [`record`]: the append-only `roei/incident@1` record.
//! - [`eval`]: `status(record, at, policy)`, a pure fold giving `roei/status@1`.
//! - [`graph`]: each profile's lifecycle as a petgraph graph, printable as DOT or Mermaid.
//! - [`time`] and [`holidays`]: Japan-time day counting with worked examples.
//!
//! No I/O, no clock: callers pass the instant. Untrusted input never panics; it gets an [`Error`]
//! naming the JSON path and, where one applies, the clause.
//!
//! `cargo add roei-core`. The status of a lost USB stick under a Nagaoka contract, 1 h 45 min after
//! the signs (the clause says 直ちに; the default operating target for it is one hour):
//!
//! ```
//! use roei_core::{Record, Policy, status, time::parse_instant};
//! let rec = Record::parse(r#"{
//!   "format": "roei/incident@1", "id": "INC-1",
//!   "contracts": [{ "id": "R8-0123", "profile": "nagaoka", "principal": "長岡市" }],
//!   "events": [{ "id": "e1", "at": "2026-11-02T10:15:00+09:00", "type": "detected",
//!                "actor": "contractor", "data": { "kind": "loss" } }] }"#).unwrap();
//! let s = status(&rec, &parse_instant("2026-11-02T12:00:00+09:00").unwrap(), &Policy::default());
//! let report = s.obligations.iter().find(|o| o.clause == "nagaoka:13-1").unwrap();
//! assert_eq!(report.legal_term, "直ちに");
//! assert_eq!(report.due.as_deref(), Some("2026-11-02T11:15:00+09:00"));
//! assert_eq!(report.status, roei_core::State::Overdue);
//! ```
//!
//! ## Versions
//!
//! The crate follows SemVer (at 0.x a breaking API change raises the minor version). The JSON
//! formats carry their major version in `format` (`roei/incident@1`): within `@1` fields are only
//! added, and a version-1 reader ignores the fields it does not know; a field removed, renamed or
//! changed in meaning makes the format `@2`, and the `@1` reader stays. A record written by any
//! release is read by every later one (docs/VERSIONING.md in the repository; tested against records
//! committed at each release).
#![warn(missing_docs)]
/// The crate's README (its crates.io page): its Rust example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod catalog;
pub mod drill;
pub mod error;
pub mod eval;
pub mod fuzzing;
pub mod graph;
pub mod holidays;
pub mod json_guard;
pub mod lang;
pub mod policy;
pub mod record;
pub mod report;
pub mod seal;
pub mod static_or_owned;
pub mod terminal;
pub mod time;
pub mod vocab;

pub use catalog::{Catalog, Clause, Profile, ProfileKind};
pub use error::{Error, ErrorReport};
pub use eval::{evaluate, evaluate_with, status, Evaluation, ObligationEval, State, Status};
pub use graph::Lifecycle;
pub use lang::Lang;
pub use policy::Policy;
pub use record::{Contract, Event, Limits, Record, Warning};
pub use time::Instant;

/// Parses a record and a policy (JSON text) and returns the status at `at` (RFC 3339) as
/// `roei/status@1`. The one call portals, the CLI and the WASM layer share, so they agree byte for byte.
pub fn check_json(record: &str, at: &str, policy: Option<&str>) -> Result<Status, Error> {
    let rec = Record::parse(record)?;
    let at = record::parse_instant_arg(at, "at")?;
    let policy = match policy {
        Some(p) => Policy::from_json(p)?,
        None => Policy::default(),
    };
    Ok(status(&rec, &at, &policy))
}

/// The profile list of `roei profiles --json`.
pub fn profiles_json() -> serde_json::Value {
    use catalog::{List, ProfileKind, Str, Text, Variant};
    #[derive(serde::Serialize)]
    struct ProfileInfo<'a> {
        id: &'a Str,
        kind: &'a ProfileKind,
        issuer: &'a Text,
        title: &'a Str,
        seed: &'a Option<Str>,
        source: &'a Option<Str>,
        clauses: usize,
        incident_clauses: usize,
        national: &'a List<Str>,
        variants: &'a List<Variant>,
    }
    let c = Catalog::builtin();
    let list: Vec<ProfileInfo> = c
        .profiles
        .iter()
        .map(|p| ProfileInfo {
            id: &p.id,
            kind: &p.kind,
            issuer: &p.issuer,
            title: &p.title,
            seed: &p.seed,
            source: &p.source,
            clauses: p.clauses.len(),
            incident_clauses: p.incident_clauses().count(),
            national: &p.national,
            variants: &p.variants,
        })
        .collect();
    // Through a `Value`, whose keys are sorted, as the list has always been written.
    json_guard::to_value(&list)
}

//! Written reports and exports (issue #3): principal / record / PPC / subjects reports in md, html and
//! json, the SVG timeline, the iCalendar export and the readiness checklist.
//!
//! A report is built once as data ([`Report`], the `roei/report@1` shape of docs/REPORTS.md) from the
//! record and its evaluation, then written out by a renderer. Every required field of the clauses in
//! force is listed with the latest value the record gives for it, or marked 未記入; every document
//! cites the clauses it answers. No I/O, no clock: the report date is the evaluation instant.
//!
//! ```
//! use roei_core::{evaluate, Policy, Record, time::parse_instant};
//! use roei_core::report::{report_for, Format, Kind, Lang};
//! let rec = Record::parse(r#"{
//!   "format": "roei/incident@1", "id": "INC-1",
//!   "contracts": [{ "id": "R8-0123", "profile": "nagaoka", "principal": "長岡市" }],
//!   "events": [{ "id": "e1", "at": "2026-11-02T10:15:00+09:00", "type": "detected",
//!                "actor": "contractor", "data": { "kind": "loss" } }] }"#).unwrap();
//! let ev = evaluate(&rec, &parse_instant("2026-11-02T12:00:00+09:00").unwrap(), &Policy::default());
//! let md = report_for(&rec, &ev, Kind::Principal, Lang::Ja, Format::Md).unwrap();
//! assert!(md.contains("令和8年11月2日"));
//! assert!(md.contains("nagaoka:13-1"));
//! assert!(md.contains("未記入"));
//! ```
pub(crate) mod blocks;
pub mod escape;
mod from_record;
pub(crate) mod html;
pub mod ics;
pub(crate) mod md;
pub mod readiness;
pub mod timeline;
pub mod wareki;

use serde::Serialize;

use crate::error::Error;
use crate::eval::Evaluation;
use crate::policy::Policy;
use crate::record::Record;

pub use crate::lang::Lang;
pub use from_record::build;
pub use ics::ics;
pub use readiness::readiness;
pub use timeline::timeline_svg;

/// The JSON shape of a report (docs/REPORTS.md).
pub const REPORT_FORMAT: &str = "roei/report@1";

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The contractor's incident report to the municipality (事故報告書).
    Principal,
    /// The written record / final report (nerima 19-1(4), hirono 基準7).
    Record,
    /// The municipality's preliminary report to the PPC (速報).
    PpcPreliminary,
    /// The municipality's final report to the PPC (確報).
    PpcFinal,
    /// The notice to data subjects, or the public notice used as the alternative measure.
    Subjects,
}

impl Kind {
    /// Every kind, in the order of the CLI's help.
    pub const ALL: [Kind; 5] = [
        Kind::Principal,
        Kind::Record,
        Kind::PpcPreliminary,
        Kind::PpcFinal,
        Kind::Subjects,
    ];
    /// The key (`principal`, `ppc-preliminary`, …) the CLI and the WASM layer take.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Principal => "principal",
            Kind::Record => "record",
            Kind::PpcPreliminary => "ppc-preliminary",
            Kind::PpcFinal => "ppc-final",
            Kind::Subjects => "subjects",
        }
    }
    /// The kind of a key.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// Output format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown.
    Md,
    /// One self-contained HTML file.
    Html,
    /// The report as data (`roei/report@1`).
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Md, Format::Html, Format::Json];
    /// The key (`md`, `html`, `json`).
    pub fn key(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
    /// The format of a key.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// `roei/report@1`: one document as data.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Always `roei/report@1`.
    pub format: &'static str,
    /// Which document.
    pub kind: Kind,
    /// Its language (`ja` or `en`).
    pub lang: &'static str,
    /// `subjects` only: `letter` (individual notice) or `public_notice` (the alternative measure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<&'static str>,
    /// The document's title.
    pub title: String,
    /// The incident it is about.
    pub incident: IncidentRef,
    /// Its date.
    pub date: ReportDate,
    /// To whom it goes.
    pub addressees: Vec<String>,
    /// From whom.
    pub senders: Vec<String>,
    /// The contracts it answers under.
    pub contracts: Vec<ContractRef>,
    /// Its sections of items.
    pub sections: Vec<Section>,
    /// The events up to the report date, in time order.
    pub chronology: Vec<ChronoEntry>,
    /// The obligations this document answers (clauses in force).
    pub citations: Vec<Citation>,
    /// Required field keys still without a value.
    pub missing: Vec<&'static str>,
    /// Notes: what is missing, what does not apply, how to read the form.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
/// The incident a report is about.
pub struct IncidentRef {
    /// The record's id.
    pub id: String,
    /// The record's title.
    pub title: Option<String>,
    /// The record's head hash ([`Record::head_hash`]) and how many events it covers: whoever keeps
    /// the report can later check that the record still holds what it was made from
    /// (`roei verify --anchor`).
    pub head: String,
    /// How many events the head hash covers.
    pub events: usize,
}

#[derive(Debug, Clone, Serialize)]
/// The date of a report, three ways.
pub struct ReportDate {
    /// The report instant, RFC 3339 in +09:00.
    pub at: String,
    /// The Japan-time calendar day, `YYYY-MM-DD`.
    pub iso: String,
    /// The day in Japanese era style (令和8年11月2日), or the English form.
    pub era: String,
}

#[derive(Debug, Clone, Serialize)]
/// A contract a report answers under.
pub struct ContractRef {
    /// The contract id.
    pub id: String,
    /// Its profile id.
    pub profile: String,
    /// The profile's issuer and title (`長岡市 個人情報の取扱いに関する特記仕様書`).
    pub provisions: String,
    /// The principal.
    pub principal: String,
    /// The contractor, if named.
    pub contractor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
/// A section of a report: a heading and its items.
pub struct Section {
    /// Stable id: `required`, `contents`, `ppc_items`, `measures`, `notice_items`.
    pub id: &'static str,
    /// The heading.
    pub heading: String,
    /// The items.
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
/// One item a clause asks for, with the latest value the record gives.
pub struct Item {
    /// Field key (the event data keys of docs/FORMATS.md).
    pub key: &'static str,
    /// What the item is called.
    pub label: String,
    /// The latest value the record gives, as text; `null` = 未記入.
    pub value: Option<String>,
    /// Required by a clause in force (`clauses` says which).
    pub required: bool,
    /// The clauses that ask for it.
    pub clauses: Vec<String>,
    /// The event the value comes from.
    pub source: Option<ValueSource>,
}

#[derive(Debug, Clone, Serialize)]
/// Where a value came from.
pub struct ValueSource {
    /// The event's id.
    pub event: String,
    /// The event's time.
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
/// One event of the chronology.
pub struct ChronoEntry {
    /// The event's id.
    pub event: String,
    /// When it happened (RFC 3339).
    pub at: String,
    #[serde(rename = "type")]
    /// Its type key.
    pub event_type: String,
    /// Its type, in words.
    pub label: String,
    /// What it says, in words.
    pub text: Option<String>,
    /// When the event was entered, where that is a minute or more after its declared `at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
    /// Who recorded it: `name（department）`, when the event says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorder: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
/// A clause the report answers, with its status.
pub struct Citation {
    /// The clause id.
    pub clause: String,
    /// The obligation id.
    pub obligation: String,
    /// The article.
    pub article: String,
    /// Where the clause comes from: the seed document or the law.
    pub source: String,
    /// The time word as the clause writes it.
    pub legal_term: String,
    /// Whether it must be in writing.
    pub written: bool,
    /// What it asks.
    pub summary: String,
    /// The contract it is owed under (national duties: none).
    pub contract: Option<String>,
    /// The principal.
    pub principal: String,
    /// Its status at the report date.
    pub status: crate::eval::State,
    /// The status in words.
    pub status_label: String,
    /// When its clock started.
    pub trigger_at: Option<String>,
    /// Its due time.
    pub due: Option<String>,
    /// When it was done.
    pub done_at: Option<String>,
    /// How firm the clause's reading is (`text`, `guide`, `reading`), and its label.
    pub basis: crate::vocab::Basis,
    /// How firm the reading is, in words.
    pub basis_label: String,
    /// The event whose facts made a conditional duty reportable (Rules Art. 44).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reportable_by: Option<String>,
    /// The last day of the count before it rolled forward over closed days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_rolled_from: Option<String>,
    /// An undetermined duty whose would-be due has passed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue_if_applicable: bool,
}

/// The document as text in `format` (JSON: `roei/report@1`).
pub fn report_for(
    rec: &Record,
    ev: &Evaluation,
    kind: Kind,
    lang: Lang,
    format: Format,
) -> Result<String, Error> {
    let r = build(rec, ev, kind, lang);
    Ok(match format {
        Format::Md => md::render(&r),
        Format::Html => {
            // The internal picture of the response is for the authorities, not for residents.
            let svg = (kind != Kind::Subjects).then(|| timeline_svg(rec, ev, lang));
            html::render(&r, svg.as_deref())
        }
        Format::Json => serde_json::to_string_pretty(&r).map_err(|e| Error::Invalid {
            path: String::new(),
            message: e.to_string(),
            clause: None,
        })?,
    })
}

fn invalid(path: &str, message: String) -> Error {
    Error::Invalid {
        path: path.into(),
        message,
        clause: None,
    }
}

/// Parses `lang` (`ja` | `en`), naming the argument in the error.
pub fn parse_lang(s: &str) -> Result<Lang, Error> {
    Lang::parse(s).ok_or_else(|| invalid("lang", format!("'{}': use ja or en", clip(s))))
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Record, instant and policy from their text forms, evaluated: the shared front half of the
/// string-level entry points below (the WASM layer binds these).
fn evaluate_text(
    record: &str,
    at: &str,
    policy: Option<&str>,
) -> Result<(Record, Policy, crate::time::Instant), Error> {
    let rec = Record::parse(record)?;
    let at = crate::record::parse_instant_arg(at, "at")?;
    let policy = match policy {
        Some(p) => Policy::from_json(p)?,
        None => Policy::default(),
    };
    Ok((rec, policy, at))
}

/// `report(record, kind, lang, format)` over JSON text: the record as `roei/incident@1`, `at` as
/// RFC 3339, `policy` as `roei/policy@1`. Errors name the argument (`kind`, `lang`, `format`, `at`)
/// or the record's JSON path.
pub fn report_text(
    record: &str,
    kind: &str,
    lang: &str,
    format: &str,
    at: &str,
    policy: Option<&str>,
) -> Result<String, Error> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        invalid(
            "kind",
            format!(
                "'{}': use principal, record, ppc-preliminary, ppc-final or subjects",
                clip(kind)
            ),
        )
    })?;
    let lang = parse_lang(lang)?;
    let format = Format::parse(format).ok_or_else(|| {
        invalid(
            "format",
            format!("'{}': use md, html or json", clip(format)),
        )
    })?;
    let (rec, policy, at) = evaluate_text(record, at, policy)?;
    let ev = crate::eval::evaluate(&rec, &at, &policy);
    report_for(&rec, &ev, kind, lang, format)
}

/// `timeline(record, at)` over JSON text: the SVG picture.
pub fn timeline_text(
    record: &str,
    at: &str,
    lang: &str,
    policy: Option<&str>,
) -> Result<String, Error> {
    let lang = parse_lang(lang)?;
    let (rec, policy, at) = evaluate_text(record, at, policy)?;
    let ev = crate::eval::evaluate(&rec, &at, &policy);
    Ok(timeline_svg(&rec, &ev, lang))
}

/// The iCalendar export over JSON text.
pub fn ics_text(record: &str, at: &str, lang: &str, policy: Option<&str>) -> Result<String, Error> {
    let lang = parse_lang(lang)?;
    let (rec, policy, at) = evaluate_text(record, at, policy)?;
    let ev = crate::eval::evaluate(&rec, &at, &policy);
    Ok(ics(&rec, &ev, lang))
}

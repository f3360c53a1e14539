//! `roei report / timeline / ics / readiness`: the written documents and exports of issue #3. The
//! documents are built in `roei_core::report`; this file parses arguments and prints.
use roei_core::report::{self, Format, Kind, Lang};
use roei_core::{evaluate, Error, Policy, Record};

use crate::{read, Fail};

#[derive(clap::Subcommand)]
pub enum ReportCmd {
    /// A written report: principal | record | ppc-preliminary | ppc-final | subjects.
    Report {
        record: String,
        /// principal, record, ppc-preliminary, ppc-final or subjects.
        #[arg(long)]
        kind: String,
        /// ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// md (default), html or json (roei/report@1).
        #[arg(long, default_value = "md")]
        format: String,
        /// RFC 3339 instant with offset: the report date (default: now).
        #[arg(long)]
        at: Option<String>,
        /// roei/policy@1 file with operating targets.
        #[arg(long)]
        policy: Option<String>,
        /// Errors as JSON on stderr.
        #[arg(long)]
        json: bool,
    },
    /// The incident as an SVG picture: events, obligations as bars, the report instant.
    Timeline {
        record: String,
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        policy: Option<String>,
        #[arg(long, default_value = "ja")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// Every pending or overdue due time as an iCalendar file.
    Ics {
        record: String,
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        policy: Option<String>,
        #[arg(long, default_value = "ja")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// The standing duties (emergency plan, reporting lines, drills) of profiles as a checklist.
    Readiness {
        #[arg(required = true)]
        profiles: Vec<String>,
        /// md (default), html or json.
        #[arg(long, default_value = "md")]
        format: String,
        #[arg(long, default_value = "ja")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
}

impl ReportCmd {
    /// Whether errors go to stderr as JSON.
    pub fn json(&self) -> bool {
        match self {
            ReportCmd::Report { json, .. }
            | ReportCmd::Timeline { json, .. }
            | ReportCmd::Ics { json, .. }
            | ReportCmd::Readiness { json, .. } => *json,
        }
    }
}

fn bad(path: &str, message: String) -> Fail {
    Fail::Input(Error::Invalid {
        path: path.into(),
        message,
        clause: None,
    })
}

fn lang(s: &str) -> Result<Lang, Fail> {
    Lang::parse(s).ok_or_else(|| bad("--lang", format!("'{s}': use ja or en")))
}

fn format(s: &str) -> Result<Format, Fail> {
    Format::parse(s).ok_or_else(|| bad("--format", format!("'{s}': use md, html or json")))
}

/// Reads, parses and evaluates the record at `at` (default now) under the policy.
fn load(
    record: &str,
    at: Option<String>,
    policy: Option<String>,
) -> Result<(Record, roei_core::Instant, Policy), Fail> {
    let rec = Record::parse(&read(record)?)?;
    let at = match at {
        Some(s) => roei_core::time::parse_instant(&s).ok_or_else(|| {
            bad(
                "--at",
                format!("'{s}' is not an RFC 3339 instant with an offset"),
            )
        })?,
        None => crate::now(),
    };
    let policy = match policy {
        Some(p) => Policy::from_json(&read(&p)?)?,
        None => Policy::default(),
    };
    Ok((rec, at, policy))
}

pub fn run(cmd: ReportCmd) -> Result<(), Fail> {
    match cmd {
        ReportCmd::Report {
            record,
            kind,
            lang: l,
            format: f,
            at,
            policy,
            ..
        } => {
            let kind = Kind::parse(&kind).ok_or_else(|| {
                bad(
                    "--kind",
                    format!(
                        "'{kind}': use principal, record, ppc-preliminary, ppc-final or subjects"
                    ),
                )
            })?;
            let (l, f) = (lang(&l)?, format(&f)?);
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            print!("{}", report::report_for(&rec, &ev, kind, l, f)?);
        }
        ReportCmd::Timeline {
            record,
            at,
            policy,
            lang: l,
            ..
        } => {
            let l = lang(&l)?;
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            println!("{}", report::timeline_svg(&rec, &ev, l));
        }
        ReportCmd::Ics {
            record,
            at,
            policy,
            lang: l,
            ..
        } => {
            let l = lang(&l)?;
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            print!("{}", report::ics(&rec, &ev, l));
        }
        ReportCmd::Readiness {
            profiles,
            format: f,
            lang: l,
            ..
        } => {
            let (l, f) = (lang(&l)?, format(&f)?);
            print!("{}", report::readiness(&profiles, l, f)?);
        }
    }
    Ok(())
}

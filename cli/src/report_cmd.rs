//! `roei report / timeline / ics / readiness`: the written documents and exports of issue #3. The
//! documents are built in `roei_core::report`; this file parses arguments and prints.
use roei_core::report;
use roei_core::{evaluate, Policy, Record};

use crate::args::{DocFormat, KindArg, LangArg};
use crate::{read, Fail};

#[derive(clap::Subcommand)]
pub enum ReportCmd {
    /// A written report: principal | record | ppc-preliminary | ppc-final | subjects.
    Report {
        record: String,
        /// Which document.
        #[arg(long, value_enum)]
        kind: KindArg,
        /// Language of the document.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DocFormat::Md)]
        format: DocFormat,
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
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
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
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
        #[arg(long)]
        json: bool,
    },
    /// The standing duties (emergency plan, reporting lines, drills) of profiles as a checklist.
    Readiness {
        #[arg(required = true)]
        profiles: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DocFormat::Md)]
        format: DocFormat,
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
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

/// Reads, parses and evaluates the record at `at` (default now) under the policy.
fn load(
    record: &str,
    at: Option<String>,
    policy: Option<String>,
) -> Result<(Record, roei_core::Instant, Policy), Fail> {
    let rec = Record::parse(&read(record)?)?;
    let at = match at {
        Some(s) => roei_core::record::parse_instant_arg(&s, "--at")?,
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
            let (kind, l, f) = (kind.into(), l.into(), f.into());
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            out!("{}", report::report_for(&rec, &ev, kind, l, f)?);
        }
        ReportCmd::Timeline {
            record,
            at,
            policy,
            lang: l,
            ..
        } => {
            let l = l.into();
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            outln!("{}", report::timeline_svg(&rec, &ev, l));
        }
        ReportCmd::Ics {
            record,
            at,
            policy,
            lang: l,
            ..
        } => {
            let l = l.into();
            let (rec, at, policy) = load(&record, at, policy)?;
            let ev = evaluate(&rec, &at, &policy);
            out!("{}", report::ics(&rec, &ev, l));
        }
        ReportCmd::Readiness {
            profiles,
            format: f,
            lang: l,
            ..
        } => {
            let (l, f) = (l.into(), f.into());
            out!("{}", report::readiness(&profiles, l, f)?);
        }
    }
    Ok(())
}

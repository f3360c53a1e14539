//! `roei`: the command-line adapter over roei-core (docs/FORMATS.md, "The command line"). Exit codes (stated in
//! `operator::EXIT_CODES`, shown by `--help` and the man page): 0 done, 2 invalid input (with
//! `--json`, stderr carries `{"error": {...}}`), 1 anything else.
use std::io::Write;
use std::process::ExitCode;

/// `print!` to standard output through [`write_stdout`].
macro_rules! out {
    ($($t:tt)*) => { $crate::write_stdout(format_args!($($t)*)) };
}

/// `println!` to standard output through [`write_stdout`].
macro_rules! outln {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}

mod args;
mod drill_cmd;
mod operator;
mod report_cmd;

use args::{GraphFormat, LangArg};
use clap::{CommandFactory, Parser, Subcommand};
use roei_core::report::escape::terminal;
use roei_core::terminal::status_table;
use roei_core::Lang;
use roei_core::{evaluate, Catalog, Error, Lifecycle, Policy, Record};

#[derive(Parser)]
#[command(
    name = "roei",
    version,
    about = "漏えい等の事故対応 — incident obligations from Japanese municipal contracts",
    after_help = operator::EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the profiles (contract special provisions and national layers).
    Profiles {
        #[arg(long)]
        json: bool,
    },
    /// Status of every obligation of a record at an instant.
    Check {
        record: String,
        /// RFC 3339 instant with offset (default: now).
        #[arg(long)]
        at: Option<String>,
        /// roei/policy@1 file with operating targets.
        #[arg(long)]
        policy: Option<String>,
        #[arg(long)]
        json: bool,
        /// Language of the table.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
    },
    /// Exit 0 if the record is valid, else list every problem with its JSON path.
    Validate {
        record: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a SHA-256 hash chain to the record's events (tamper evidence); prints the sealed record.
    Seal { record: String },
    /// Check the record's hash chain and name the first event that no longer matches.
    Verify {
        record: String,
        /// A head hash kept elsewhere (printed on a report or by an earlier verify): check that the
        /// record still holds, unchanged, the events it was taken over.
        #[arg(long)]
        anchor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    // [subcommands: reports] — report, timeline, ics, readiness are added here.
    #[command(flatten)]
    Reports(report_cmd::ReportCmd),
    // [subcommands: drill] — drill is added here.
    /// Tabletop drill: score a playthrough, Monte Carlo, or the interactive facilitator.
    Drill(drill_cmd::DrillArgs),
    /// The lifecycle graph of a profile.
    Graph {
        profile: String,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print a shell completion script (e.g. `roei completions bash > /etc/bash_completion.d/roei`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page roei(1) in roff (e.g. `roei man > /usr/local/share/man/man1/roei.1`).
    Man,
}

enum Fail {
    Input(Error),
    Other(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Input(e)
    }
}

/// Reads an input file (or device, or pipe) as UTF-8 text, refusing it past the record limit without
/// reading more than one byte beyond it: a size from the file system is not trusted (`/dev/zero`, a
/// FIFO and `/proc` files have none), so the read itself stops. Bytes that are not UTF-8 are input
/// errors (exit 2) naming the byte offset and the JSON path reached. A UTF-8 byte order mark at the
/// start is skipped: RFC 8259 §8.1 lets a parser ignore it, and editors on Windows write it.
fn read(path: &str) -> Result<String, Fail> {
    use std::io::Read;
    let limit = roei_core::Limits::default().max_bytes;
    let too_large = |size: usize| {
        Fail::Input(Error::TooLarge {
            path: String::new(),
            size,
            limit,
        })
    };
    let file = std::fs::File::open(path).map_err(|e| Fail::Other(format!("{path}: {e}")))?;
    // A regular file's size is known: refuse it unread, with its size. For anything else the size
    // shown is the bytes read before stopping (limit + 1).
    if let Ok(m) = file.metadata() {
        if m.is_file() && m.len() > limit as u64 {
            return Err(too_large(m.len() as usize));
        }
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fail::Other(format!("{path}: {e}")))?;
    if bytes.len() > limit {
        return Err(too_large(bytes.len()));
    }
    let skipped = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        3
    } else {
        0
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let body = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let before = std::str::from_utf8(&body[..at]).unwrap_or_default();
            Err(Fail::Input(Error::Json {
                path: roei_core::error::path_at(before, at),
                message: format!(
                    "{path}: not UTF-8 text: the byte 0x{:02X} at offset {} (counted from 0) does not start a valid UTF-8 character",
                    body[at],
                    at + skipped
                ),
            }))
        }
    }
}

fn now() -> roei_core::Instant {
    chrono::Utc::now().with_timezone(&roei_core::time::jst())
}

fn run(cmd: Cmd) -> Result<(), Fail> {
    match cmd {
        Cmd::Completions { shell } => out!("{}", operator::completions(Cli::command(), shell)),
        Cmd::Man => out!(
            "{}",
            operator::man(Cli::command()).map_err(|e| Fail::Other(e.to_string()))?
        ),
        Cmd::Profiles { json } => {
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&roei_core::profiles_json()).unwrap_or_default()
                );
            } else {
                out!(
                    "{}",
                    roei_core::terminal::profiles_table(Catalog::builtin())
                );
            }
        }
        Cmd::Check {
            record,
            at,
            policy,
            json,
            lang,
        } => {
            let lang = Lang::from(lang);
            let rec = Record::parse(&read(&record)?)?;
            let at = match at {
                Some(s) => roei_core::record::parse_instant_arg(&s, "--at")?,
                None => now(),
            };
            let policy = match policy {
                Some(p) => Policy::from_json(&read(&p)?)?,
                None => Policy::default(),
            };
            let ev = evaluate(&rec, &at, &policy);
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&ev.to_status(&rec)).unwrap_or_default()
                );
            } else {
                out!("{}", status_table(&rec, &ev, lang));
            }
        }
        Cmd::Validate { record, json } => {
            let rec = Record::parse(&read(&record)?)?;
            if json {
                outln!(
                    "{}",
                    serde_json::json!({"valid": true, "warnings": rec.warnings})
                );
            } else {
                outln!(
                    "ok: {} ({} events, {} contracts)",
                    terminal(&rec.id),
                    rec.events.len(),
                    rec.contracts.len()
                );
                for w in &rec.warnings {
                    eprintln!(
                        "warning [{}] {}: {}",
                        w.code,
                        terminal(&w.path),
                        terminal(&w.message)
                    );
                }
            }
        }
        Cmd::Seal { record } => {
            let mut rec = Record::parse(&read(&record)?)?;
            rec.seal()?;
            outln!("{}", rec.to_json());
        }
        Cmd::Verify {
            record,
            anchor,
            json,
        } => {
            let rec = Record::parse(&read(&record)?)?;
            let anchored = match anchor {
                Some(a) => Some(roei_core::seal::verify_anchor(&rec, &a)?),
                None => None,
            };
            // Without seals only an anchor vouches for the record; with seals, they must verify.
            let v = match roei_core::seal::verify(&rec) {
                Ok(v) => Some(v),
                Err(Error::Unsealed { .. }) if anchored.is_some() => None,
                Err(e) => return Err(e.into()),
            };
            if json {
                outln!(
                    "{}",
                    serde_json::json!({ "valid": true, "seal": v, "anchor": anchored, "head": rec.head_hash() })
                );
            } else {
                match &v {
                    Some(v) => outln!(
                        "ok: {} sealed event(s); head {}",
                        v.sealed,
                        v.head.as_deref().unwrap_or("-")
                    ),
                    None => outln!(
                        "unsealed: no event carries a seal; head {}",
                        rec.head_hash()
                    ),
                }
                if let Some(a) = anchored {
                    outln!(
                        "anchor ok: the record holds the anchored {} event(s) unchanged (up to '{}'); {} recorded after it",
                        a.events,
                        terminal(a.event.as_deref().unwrap_or("-")),
                        a.later
                    );
                }
            }
        }
        // [dispatch: reports]
        Cmd::Reports(c) => report_cmd::run(c)?,
        // [dispatch: drill]
        Cmd::Drill(a) => drill_cmd::run(a)?,
        Cmd::Graph { profile, format } => {
            let cat = Catalog::builtin();
            let p = cat
                .profile(&profile)
                .ok_or_else(|| cat.unknown_profile("PROFILE", &profile, None))?;
            let g = Lifecycle::build(cat, p);
            match format {
                GraphFormat::Dot => out!("{}", g.to_dot()),
                GraphFormat::Mermaid => out!("{}", g.to_mermaid()),
            }
        }
    }
    Ok(())
}

/// Writes to standard output. A closed pipe (`roei profiles --json | head`) is the reader saying
/// "enough": the run stops quietly with exit code 1 (the CLI's "anything else"), as other Unix tools
/// stop, recognised by its `io::ErrorKind::BrokenPipe` (Rust ignores SIGPIPE, so the write fails
/// rather than the process being killed). Any other write error is reported, also with 1.
fn write_stdout(args: std::fmt::Arguments) {
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: standard output: {e}");
        }
        std::process::exit(1);
    }
}

/// Parses the command line once into typed values. A refused value (`--lang fr`) exits with 2, as
/// any invalid input does; under `--json` the error is the usual `{"error": {...}}` on stderr, its
/// path the option clap names.
fn parse_args() -> Cli {
    match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() && std::env::args().any(|a| a == "--json") => {
            let path = e
                .get(clap::error::ContextKind::InvalidArg)
                .and_then(|v| v.to_string().split_whitespace().next().map(str::to_string))
                .unwrap_or_default();
            let message = e.to_string();
            let message = message
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ");
            eprintln!(
                "{}",
                serde_json::json!({ "error": Error::invalid(path, message).to_report() })
            );
            std::process::exit(2);
        }
        Err(e) => e.exit(),
    }
}

fn main() -> ExitCode {
    let cli = parse_args();
    let json = match &cli.cmd {
        Cmd::Profiles { json }
        | Cmd::Check { json, .. }
        | Cmd::Validate { json, .. }
        | Cmd::Verify { json, .. } => *json,
        // [json flag: reports]
        Cmd::Reports(c) => c.json(),
        // [json flag: drill]
        Cmd::Drill(a) => a.json,
        _ => false,
    };
    match run(cli.cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Input(e)) => {
            if json {
                eprintln!("{}", serde_json::json!({ "error": e.to_report() }));
            } else {
                for p in e.problems() {
                    eprintln!("error [{}] {}", p.code(), terminal(&p.to_string()));
                }
            }
            ExitCode::from(2)
        }
        Err(Fail::Other(m)) => {
            if json {
                eprintln!(
                    "{}",
                    serde_json::json!({ "error": { "code": "io", "message": m, "path": "", "clause": null } })
                );
            } else {
                eprintln!("error: {}", terminal(&m));
            }
            ExitCode::from(1)
        }
    }
}

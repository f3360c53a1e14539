//! The typed values of the command line, parsed once by clap (as ripgrep's `flags` module does):
//! a language, a document format, a report kind. A subcommand receives `roei_core` types and never
//! looks at an argument string again; a value clap refuses lists the ones it accepts.
use clap::ValueEnum;
use roei_core::report::{Format, Kind};
use roei_core::Lang;

/// `--lang`: the language of tables and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 日本語 (the default).
    Ja,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

/// `--format` of `roei report` and `roei readiness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown.
    Md,
    /// One self-contained HTML file.
    Html,
    /// The document as data (`roei/report@1`).
    Json,
}

impl From<DocFormat> for Format {
    fn from(f: DocFormat) -> Format {
        match f {
            DocFormat::Md => Format::Md,
            DocFormat::Html => Format::Html,
            DocFormat::Json => Format::Json,
        }
    }
}

/// `--kind` of `roei report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// The report to the principal (委託者への報告).
    Principal,
    /// The written record (記録・報告書).
    Record,
    /// The preliminary report to the PPC (速報).
    PpcPreliminary,
    /// The final report to the PPC (確報).
    PpcFinal,
    /// The notice to data subjects, or the public notice.
    Subjects,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Principal => Kind::Principal,
            KindArg::Record => Kind::Record,
            KindArg::PpcPreliminary => Kind::PpcPreliminary,
            KindArg::PpcFinal => Kind::PpcFinal,
            KindArg::Subjects => Kind::Subjects,
        }
    }
}

/// `--format` of `roei graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// `--debrief` of `roei drill --play`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DebriefFormat {
    /// Markdown.
    Md,
    /// One HTML file.
    Html,
}

impl From<DebriefFormat> for roei_core::drill::Format {
    fn from(f: DebriefFormat) -> roei_core::drill::Format {
        match f {
            DebriefFormat::Md => roei_core::drill::Format::Md,
            DebriefFormat::Html => roei_core::drill::Format::Html,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each typed value's command-line name is the core's key for it, so the CLI accepts exactly
    /// what the WASM layer and the documents call the same thing.
    #[test]
    fn names_match_the_core_keys() {
        for k in KindArg::value_variants() {
            let name = k.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name, Kind::from(*k).key());
        }
        for f in DocFormat::value_variants() {
            let name = f.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name, Format::from(*f).key());
        }
        for l in LangArg::value_variants() {
            let name = l.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name, Lang::from(*l).key());
        }
    }
}

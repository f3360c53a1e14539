//! The document laid out as neutral blocks (headings, key-value tables, tables, lists), so that the
//! Markdown and HTML writers say the same thing and differ only in syntax and escaping.
use super::{Kind, Lang, Report};
use crate::eval::State;

/// One table cell: text, or an empty value to be marked 未記入.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(String),
    Missing,
}

/// One block of a document; the Markdown and HTML writers ([`super::md::write_blocks`],
/// [`super::html::write_blocks`]) escape every string in it.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Title(String),
    Heading(String),
    Para(String),
    /// A paragraph in bold (a drill's total score).
    Strong(String),
    /// A CSS class (column widths in HTML), the header row (empty: key-value table) and the rows.
    Table(&'static str, Vec<String>, Vec<Vec<Cell>>),
    List(Vec<String>),
    /// Where the HTML writer puts the timeline picture (Markdown leaves it out).
    Timeline,
}

pub(crate) fn missing_label(lang: Lang) -> &'static str {
    lang.pick("未記入", "missing (未記入)")
}

fn lang_of(r: &Report) -> Lang {
    Lang::parse(r.lang).unwrap_or_default()
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The document as blocks: the header table, the letter's opening (notices to data subjects), the
/// sections, what is still missing, the chronology, the clauses answered and the notes.
pub(crate) fn blocks(r: &Report) -> Vec<Block> {
    let lang = lang_of(r);
    let mut b = vec![Block::Title(r.title.clone())];
    header(r, lang, &mut b);
    if r.kind == Kind::Subjects {
        b.push(Block::Para(
            lang.pick("このたび、個人情報の漏えい等が発生し、又は発生したおそれがあることが判明しました。関係する皆様に多大なご迷惑とご心配をおかけしますことを深くお詫び申し上げます。次のとおりお知らせいたします。",
                "We have learned that personal information has leaked, or may have leaked. We sincerely apologise for the concern this causes, and inform you as follows.",
            )
            .into(),
        ));
    }

    sections(r, lang, &mut b);
    if !r.missing.is_empty() {
        let names: Vec<String> = r
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .filter(|i| i.required && i.value.is_none())
            .map(|i| i.label.clone())
            .collect();
        b.push(Block::Para(format!(
            "{}{}",
            lang.pick("未記入の必須事項: ", "Required items still missing: "),
            names.join(lang.pick("、", ", "))
        )));
    }

    if !r.chronology.is_empty() {
        chronology(r, lang, &mut b);
    }
    if !r.citations.is_empty() {
        citations(r, lang, &mut b);
    }
    if !r.notes.is_empty() {
        b.push(Block::Heading(lang.pick("備考", "Notes").into()));
        b.push(Block::List(r.notes.clone()));
    }
    b
}

/// The key-value table at the head: incident, subject, contracts, addressees, senders, date.
fn header(r: &Report, lang: Lang, b: &mut Vec<Block>) {
    let sep = lang.pick("、", ", ");
    let mut head: Vec<Vec<Cell>> = vec![vec![
        t(lang.pick("事案番号", "Incident")),
        t(r.incident.id.clone()),
    ]];
    if let Some(title) = &r.incident.title {
        head.push(vec![t(lang.pick("件名", "Subject")), t(title.clone())]);
    }
    if !r.contracts.is_empty() {
        let cs: Vec<String> = r
            .contracts
            .iter()
            .map(|c| {
                lang.pick(
                    format!("{}（{}）", c.id, c.provisions),
                    format!("{} ({})", c.id, c.provisions),
                )
            })
            .collect();
        head.push(vec![t(lang.pick("契約", "Contract")), t(cs.join(sep))]);
    }
    if !r.addressees.is_empty() {
        head.push(vec![t(lang.pick("宛先", "To")), t(r.addressees.join(sep))]);
    }
    if !r.senders.is_empty() {
        let who = match r.kind {
            Kind::Principal | Kind::Record | Kind::PpcPreliminary | Kind::PpcFinal => {
                lang.pick("報告者", "From")
            }
            Kind::Subjects => lang.pick("差出人", "From"),
        };
        head.push(vec![t(who), t(r.senders.join(sep))]);
    }
    head.push(vec![
        t(lang.pick("日付", "Date")),
        t(lang.pick(
            format!("{}（{}）", r.date.era, r.date.iso),
            format!("{} — {}", r.date.era, r.date.iso),
        )),
    ]);
    head.push(vec![
        t(lang.pick("作成時点", "As of")),
        t(r.date.at.clone()),
    ]);
    head.push(vec![
        t(lang.pick("記録のハッシュ", "Record hash")),
        t(lang.pick(
            format!(
                "{}（事象{}件まで。roei verify --anchor で照合）",
                r.incident.head, r.incident.events
            ),
            format!(
                "{} (after {} events; check with roei verify --anchor)",
                r.incident.head, r.incident.events
            ),
        )),
    ]);
    b.push(Block::Table("kv", Vec::new(), head));
}

/// One table per section: the items, their values (or 未記入), and for a report the working
/// columns (required, clauses, the event a value came from).
fn sections(r: &Report, lang: Lang, b: &mut Vec<Block>) {
    for s in &r.sections {
        b.push(Block::Heading(s.heading.clone()));
        let headers = vec![
            lang.pick("項目", "Item").to_string(),
            lang.pick("内容", "Content").to_string(),
            lang.pick("区分", "Required?").to_string(),
            lang.pick("根拠条項", "Clauses").to_string(),
            lang.pick("出典事象", "From event").to_string(),
        ];
        if r.kind == Kind::Subjects {
            // A letter to residents: the items and what we say, without the working columns.
            let rows = s
                .items
                .iter()
                .map(|it| {
                    vec![
                        t(it.label.clone()),
                        it.value.clone().map(Cell::Text).unwrap_or(Cell::Missing),
                    ]
                })
                .collect();
            b.push(Block::Table("kv", Vec::new(), rows));
            continue;
        }
        let rows = s
            .items
            .iter()
            .map(|it| {
                vec![
                    t(it.label.clone()),
                    match &it.value {
                        Some(v) => t(v.clone()),
                        None => Cell::Missing,
                    },
                    t(if it.required {
                        lang.pick("必須", "required")
                    } else {
                        lang.pick("任意", "optional")
                    }),
                    t(it.clauses.join(", ")),
                    t(it.source
                        .as_ref()
                        .map(|s| format!("{} {}", s.event, short(&s.at)))
                        .unwrap_or_default()),
                ]
            })
            .collect();
        b.push(Block::Table("items", headers, rows));
    }
}

/// The record's events in time order, with when each was entered and by whom.
fn chronology(r: &Report, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Heading(lang.pick("経過", "Chronology").into()));
    let rows = r
        .chronology
        .iter()
        .map(|c| {
            // The declared time, and when it was entered if that was later (or earlier).
            let when = match &c.recorded_at {
                Some(r) => format!(
                    "{}{}{}{}",
                    day_time(&c.at),
                    lang.pick("（記録 ", " (entered "),
                    day_time(r),
                    lang.pick("）", ")")
                ),
                None => day_time(&c.at),
            };
            let mut details = c.text.clone().unwrap_or_default();
            if let Some(who) = &c.recorder {
                if !details.is_empty() {
                    details.push_str(lang.pick("／", " / "));
                }
                details.push_str(lang.pick("記録者: ", "recorded by "));
                details.push_str(who);
            }
            vec![t(when), t(format!("{} {}", c.event, c.label)), t(details)]
        })
        .collect();
    b.push(Block::Table(
        "chrono",
        vec![
            lang.pick("日時", "When").into(),
            lang.pick("事象", "Event").into(),
            lang.pick("内容", "Details").into(),
        ],
        rows,
    ));
    b.push(Block::Timeline);
}

/// The clauses the document answers, their legal terms, states and due times, and the overdue ones.
fn citations(r: &Report, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Heading(
        lang.pick("根拠条項と対応状況", "Clauses answered and their status")
            .into(),
    ));
    let rows = r
        .citations
        .iter()
        .map(|c| {
            let whom = c.contract.clone().unwrap_or_else(|| c.principal.clone());
            vec![
                t(format!("{} ({whom})", c.obligation)),
                t(format!(
                    "{} — {}{}",
                    c.article,
                    c.source,
                    lang.pick(
                        format!("（{}）", c.basis_label),
                        format!(" ({})", c.basis_label)
                    )
                )),
                t(format!(
                    "{}{}",
                    c.legal_term,
                    if c.written {
                        lang.pick("・書面", ", in writing")
                    } else {
                        ""
                    }
                )),
                t(if c.overdue_if_applicable {
                    format!(
                        "{}{}",
                        c.status_label,
                        lang.pick("（該当すれば期限超過）", " (overdue if it applies)")
                    )
                } else {
                    c.status_label.clone()
                }),
                t(match (&c.due, &c.due_rolled_from) {
                    (Some(due), Some(from)) => format!(
                        "{}{}",
                        short(due),
                        lang.pick(
                            format!("（{from}が休日のため繰り延べ）"),
                            format!(" (rolled from {from}, a closed day)")
                        )
                    ),
                    (Some(due), None) => short(due),
                    (None, _) => "—".into(),
                }),
                t(c.done_at
                    .as_deref()
                    .map(short)
                    .unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    b.push(Block::Table(
        "cites",
        vec![
            lang.pick("条項", "Clause").into(),
            lang.pick("条・出典", "Article, source").into(),
            lang.pick("法令・契約上の期限", "Legal term").into(),
            lang.pick("状態", "Status").into(),
            lang.pick("目標期限", "Due").into(),
            lang.pick("完了", "Done").into(),
        ],
        rows,
    ));
    let overdue: Vec<&str> = r
        .citations
        .iter()
        .filter(|c| c.status == State::Overdue)
        .map(|c| c.obligation.as_str())
        .collect();
    if !overdue.is_empty() {
        b.push(Block::Para(format!(
            "{}{}",
            lang.pick("期限を超過している義務: ", "Overdue: "),
            overdue.join(", ")
        )));
    }
}

/// `2026-11-02T10:15:00+09:00` → `2026-11-02 10:15` (Japan time, as every instant in the report).
fn day_time(s: &str) -> String {
    match (s.get(0..10), s.get(11..16)) {
        (Some(d), Some(hm)) => format!("{d} {hm}"),
        _ => s.to_string(),
    }
}

/// `2026-11-02T10:15:00+09:00` → `11/02 10:15` (the year is in the header).
pub(crate) fn short(s: &str) -> String {
    match (s.get(5..7), s.get(8..10), s.get(11..16)) {
        (Some(m), Some(d), Some(hm)) => format!("{m}/{d} {hm}"),
        _ => s.to_string(),
    }
}

//! Text for terminals: the obligations table of `roei check`, the profiles table of `roei profiles`,
//! display widths and readable spans. Japanese first; the language is picked through [`Lang`].
use crate::eval::{Evaluation, ObligationEval, State};
use crate::lang::Lang;
use crate::record::Record;
use crate::time::{fmt_jst, jst, Instant};

/// Display width in a terminal: East Asian wide and fullwidth characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// "1時間05分" / "1h05m"; days when long.
pub fn span_text(secs: i64, lang: Lang) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86400, (s % 86400) / 3600, (s % 3600) / 60);
    match lang {
        Lang::Ja if d > 0 => format!("{d}日{h}時間"),
        Lang::Ja => format!("{h}時間{m:02}分"),
        Lang::En if d > 0 => format!("{d}d{h}h"),
        Lang::En => format!("{h}h{m:02}m"),
    }
}

fn short(t: &Instant) -> String {
    t.with_timezone(&jst()).format("%m/%d %H:%M").to_string()
}

/// The table of `roei check` (without `--json`). Record text (the id, the title, contract ids and
/// principals) goes through [`crate::report::escape::terminal`]: no control character reaches the
/// terminal.
pub fn status_table(rec: &Record, ev: &Evaluation, lang: Lang) -> String {
    use crate::report::escape::terminal as esc;
    let (id, title) = (esc(&rec.id), rec.title.as_deref().map(esc));
    let mut out = String::new();
    out.push_str(&lang.pick(
        format!(
            "事案 {}{}\n時点 {}（日本時間）\n",
            id,
            title
                .as_ref()
                .map(|t| format!("「{t}」"))
                .unwrap_or_default(),
            fmt_jst(&ev.at)
        ),
        format!(
            "Incident {}{}\nAs of {} (Japan time)\n",
            id,
            title
                .as_ref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default(),
            fmt_jst(&ev.at)
        ),
    ));
    let head: [&str; 8] = lang.pick(
        [
            "状態",
            "条項",
            "契約/委託者",
            "段階",
            "義務者→相手",
            "法定期限",
            "目標期限",
            "残り/未記入",
        ],
        [
            "status",
            "clause",
            "contract/principal",
            "stage",
            "owed by→to",
            "legal term",
            "due",
            "left / missing",
        ],
    );
    let rows: Vec<[String; 8]> = ev
        .obligations
        .iter()
        .map(|o| status_row(rec, ev, o, lang))
        .collect();
    let mut w = [0usize; 8];
    for (i, h) in head.iter().enumerate() {
        w[i] = width(h);
    }
    for r in &rows {
        for i in 0..8 {
            w[i] = w[i].max(width(&r[i]));
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for i in 0..8 {
            if i == 7 {
                s.push_str(&cells[i]);
            } else {
                s.push_str(&pad(&cells[i], w[i]));
                s.push_str("  ");
            }
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(&head.map(str::to_string)));
    out.push_str(&line(&w.map(|n| "-".repeat(n))));
    for r in &rows {
        out.push_str(&line(r));
    }
    let counts = ev.counts();
    let summary: Vec<String> = State::ALL
        .iter()
        .filter(|s| counts[**s as usize] > 0)
        .map(|s| format!("{} {}", s.label(lang), counts[*s as usize]))
        .collect();
    out.push_str(&format!("\n{}\n", summary.join(" / ")));
    for wn in &ev.warnings {
        out.push_str(&format!(
            "{} [{}] {} {}\n",
            lang.pick("注意", "warning"),
            wn.code,
            wn.path,
            wn.message
        ));
    }
    out
}

/// One line of the `roei check` table: status, clause, contract or principal, stage, parties, legal
/// term, due time, and what is left (time or missing items).
fn status_row(rec: &Record, ev: &Evaluation, o: &ObligationEval, lang: Lang) -> [String; 8] {
    let c = o.clause;
    let state = if o.overdue_if_applicable {
        lang.pick(
            format!("{}（該当すれば期限超過）", o.state.label(lang)),
            format!("{} (overdue if it applies)", o.state.label(lang)),
        )
    } else {
        o.state.label(lang).to_string()
    };
    let who = match o.contract {
        Some(i) => crate::report::escape::terminal(&rec.contracts[i].id),
        None => crate::report::escape::terminal(&rec.contracts[o.principal_of].principal),
    };
    let stage = c.stage.label(lang);
    let parties = format!("{}→{}", c.owed_by.label(lang), c.owed_to.label(lang));
    let legal = match o.days {
        Some(d) if c.term == crate::vocab::Term::Days => {
            lang.pick(format!("{d}日以内"), format!("{d} days"))
        }
        _ => lang.pick(c.legal_term.to_string(), c.term.en().to_string()),
    };
    let mut due = o.due.as_ref().map(short).unwrap_or_else(|| "—".into());
    if let Some(from) = o.rolled_from {
        // The count ended on a closed day and rolled forward (行政機関の休日に関する法律 Art. 2).
        due.push_str(&lang.pick(
            format!("（{}から繰延）", from.format("%m/%d")),
            format!(" (from {})", from.format("%m/%d")),
        ));
    }
    if o.due.is_some() && c.basis == Some(crate::vocab::Basis::Reading) {
        due.push_str(lang.pick("※解釈", " *reading"));
    }
    let missing = o.missing_keys();
    let mut last = match (o.state, o.due) {
        (State::Pending, Some(d)) => {
            let s = (d - ev.at).num_seconds();
            let span = span_text(s, lang);
            lang.pick(format!("残り{span}"), format!("{span} left"))
        }
        (State::Overdue, Some(d)) => {
            let s = (ev.at - d).num_seconds();
            let span = span_text(s, lang);
            lang.pick(format!("超過{span}"), format!("{span} over"))
        }
        (State::Done | State::DoneLate, _) => o
            .done_at
            .as_ref()
            .map(|t| lang.pick(format!("{}完了", short(t)), format!("done {}", short(t))))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let show_missing = matches!(
        o.state,
        State::Pending | State::Overdue | State::Undetermined
    );
    if show_missing && !missing.is_empty() {
        let names: Vec<String> = if o.state == State::Undetermined {
            o.missing_facts
                .iter()
                .map(|f| lang.pick(f.ja(), f.key()).to_string())
                .collect()
        } else {
            crate::vocab::FieldKey::ALL
                .iter()
                .filter(|k| o.missing_fields & k.bit() != 0)
                .map(|k| lang.pick(k.ja(), k.key()).to_string())
                .collect()
        };
        if !last.is_empty() {
            last.push(' ');
        }
        let more = names.len().saturating_sub(3);
        let mut shown = names.into_iter().take(3).collect::<Vec<_>>();
        if more > 0 {
            shown.push(lang.pick(format!("他{more}件"), format!("+{more} more")));
        }
        last.push_str(&lang.pick(
            format!("未記入: {}", shown.join("・")),
            format!("missing: {}", shown.join(", ")),
        ));
    }
    [
        state,
        c.obligation_id().to_string(),
        who,
        stage.to_string(),
        parties,
        legal,
        due,
        last,
    ]
}

/// The table of `roei profiles`.
pub fn profiles_table(c: &crate::catalog::Catalog) -> String {
    let mut rows = vec![[
        "id".to_string(),
        "発行者 issuer".into(),
        "出典 source".into(),
        "条項 clauses".into(),
        "表題 title".into(),
    ]];
    for p in &c.profiles {
        rows.push([
            p.id.to_string(),
            format!("{} / {}", p.issuer.ja, p.issuer.en),
            p.seed
                .as_deref()
                .or(p.source.as_deref())
                .unwrap_or_default()
                .to_string(),
            format!(
                "{} ({}+{})",
                p.clauses.len(),
                p.incident_clauses().count(),
                p.standing_clauses().count()
            ),
            p.title.to_string(),
        ]);
    }
    let mut w = [0usize; 5];
    for r in &rows {
        for i in 0..5 {
            w[i] = w[i].max(width(&r[i]));
        }
    }
    let mut out = String::new();
    for (n, r) in rows.iter().enumerate() {
        let mut s = String::new();
        for i in 0..5 {
            s.push_str(&if i == 4 {
                r[i].clone()
            } else {
                pad(&r[i], w[i]) + "  "
            });
        }
        out.push_str(s.trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(
                &w.iter()
                    .map(|n| "-".repeat(*n))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            out.push('\n');
        }
    }
    out.push_str("clauses: total (incident + standing)\n");
    out
}

//! The after-action report: what was on time, late or left undone, each with its clause, the
//! scenario's learning goals, the score by role and the timeline. Markdown or HTML, Japanese or
//! English. It is laid out as the reports' blocks (`report/blocks.rs`) and written by the
//! reports' Markdown and HTML writers, so every text from the scenario or the record goes through
//! the one escaping layer, [`crate::report::escape`].
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::report::blocks::{Block, Cell};
use crate::report::{escape, html, md};
use crate::vocab::{Fact, FieldKey};

use super::score::{ExpectedVerdict, ObligationScore, Score, Verdict};

/// The debrief's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Md,
    /// A whole HTML page.
    Html,
    /// The HTML body alone, in an `<article>`, without the document head and its inline `<style>`:
    /// for a page that shows it in a sandboxed frame under a CSP with `style-src 'self'`, which the
    /// frame inherits and which would refuse the inline style (the page links its own stylesheet).
    HtmlFragment,
}

impl Format {
    /// `md` (or `markdown`), `html` or `html-fragment`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "md" | "markdown" => Some(Format::Md),
            "html" => Some(Format::Html),
            "html-fragment" => Some(Format::HtmlFragment),
            _ => None,
        }
    }
}

/// The page around the debrief's blocks (`Format::Html`): a plain stylesheet, no scripts.
const STYLE: &str = "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}";

fn render(blocks: &[Block], format: Format, lang: Lang, title: &str, svg: Option<&str>) -> String {
    match format {
        Format::Md => md::write_blocks(blocks, lang),
        Format::HtmlFragment => {
            let mut o = format!("<article lang=\"{}\">\n", lang.key());
            html::write_blocks(&mut o, blocks, lang, svg);
            o.push_str("</article>\n");
            o
        }
        Format::Html => {
            let mut o = format!(
                "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
                lang.key(),
                escape::html(title)
            );
            html::write_blocks(&mut o, blocks, lang, svg);
            o.push_str("</body>\n</html>\n");
            o
        }
    }
}

/// A table of plain-text cells.
fn table(head: Vec<String>, rows: Vec<Vec<String>>) -> Block {
    Block::Table(
        "debrief",
        head,
        rows.into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    )
}

/// Column headings, Japanese and English side by side.
fn heads(lang: Lang, cols: &[(&str, &str)]) -> Vec<String> {
    cols.iter()
        .map(|(ja, en)| lang.pick(*ja, *en).to_string())
        .collect()
}

fn pct(p: Option<f64>) -> String {
    p.map(|x| format!("{x}%")).unwrap_or_else(|| "—".into())
}

fn missing_label(k: &str, lang: Lang) -> String {
    FieldKey::from_key(k)
        .map(|f| f.label(lang))
        .or_else(|| Fact::from_key(k).map(|f| f.label(lang)))
        .unwrap_or(k)
        .to_string()
}

/// "nagaoka:13-1（長岡市 第13条第1項・直ちに）" — the citation people look up.
fn citation(o: &ObligationScore, lang: Lang) -> String {
    let issuer = Catalog::builtin()
        .profile(&o.profile)
        .map(|p| p.issuer.in_lang(lang).to_string())
        .unwrap_or_default();
    lang.pick(
        format!(
            "{}（{} {}・{}）",
            o.obligation, issuer, o.article, o.legal_term
        ),
        format!(
            "{} ({} {}; {} / {})",
            o.obligation,
            issuer,
            o.article,
            o.legal_term,
            o.term.en()
        ),
    )
}

fn short_time(s: &Option<String>) -> String {
    // RFC 3339 in +09:00: keep "MM-DD HH:MM".
    s.as_deref()
        .and_then(|x| x.get(5..16))
        .map(|x| x.replace('T', " "))
        .unwrap_or_else(|| "—".into())
}

fn owed_to_whom(o: &ObligationScore, lang: Lang) -> String {
    let who = match &o.contract {
        Some(c) => lang.pick(format!("契約 {c}"), format!("contract {c}")),
        None => lang.pick(
            format!("{}（国の規律）", o.principal),
            format!("{} (national law)", o.principal),
        ),
    };
    match &o.role {
        Some(r) => lang.pick(format!("{who}・担当 {r}"), format!("{who}; role {r}")),
        None => who,
    }
}

fn item(o: &ObligationScore, lang: Lang) -> String {
    let mut s = format!(
        "{} — {} [{}]",
        citation(o, lang),
        o.label.in_lang(lang),
        owed_to_whom(o, lang)
    );
    let due = short_time(&o.due);
    let done = short_time(&o.done_at);
    s.push_str(&lang.pick(
        format!(" 期限 {due}・完了 {done}"),
        format!(" due {due}, done {done}"),
    ));
    if !o.missing.is_empty() {
        let m: Vec<String> = o.missing.iter().map(|k| missing_label(k, lang)).collect();
        let m = m.join(lang.pick("・", ", "));
        s.push_str(&match o.verdict {
            Verdict::Undecided | Verdict::WrongDecision => lang.pick(
                format!(" 未記録の事実: {m}"),
                format!(" facts not recorded: {m}"),
            ),
            _ => lang.pick(format!(" 未記入: {m}"), format!(" missing: {m}")),
        });
    }
    s
}

/// The after-action report of a scored drill. `timeline_svg`, if given, is embedded in HTML as is
/// (it must come from trusted code, e.g. `roei_core::report`).
pub fn debrief(score: &Score, lang: Lang, format: Format, timeline_svg: Option<&str>) -> String {
    let title = score.title.in_lang(lang);
    let doc_title = lang.pick(
        format!("訓練の振り返り：{title}"),
        format!("After-action report: {title}"),
    );
    let mut b = vec![Block::Title(doc_title.clone())];
    summary(score, lang, &mut b);
    obligations(score, lang, &mut b);
    roles(score, lang, &mut b);
    expected(score, lang, &mut b);
    if timeline_svg.is_some() {
        b.push(Block::Timeline);
    }
    timeline(score, lang, &mut b);
    if !score.status.warnings.is_empty() {
        b.push(Block::Heading(lang.pick("注意", "Warnings").into()));
        b.push(Block::List(
            score
                .status
                .warnings
                .iter()
                .map(|w| format!("[{}] {}", w.code, w.message))
                .collect(),
        ));
    }
    render(&b, format, lang, &doc_title, timeline_svg)
}

/// The scenario, the instants, the total score and the learning goals.
fn summary(score: &Score, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Para(lang.pick(
        format!(
            "シナリオ {}・開始 {}・採点時点 {}（{}）",
            score.scenario, score.start, score.at, score.offset
        ),
        format!(
            "Scenario {}; started {}; scored at {} ({})",
            score.scenario, score.start, score.at, score.offset
        ),
    )));
    b.push(Block::Strong(lang.pick(
        format!(
            "総合 {} / {}（{}）— 義務 {} / {}・期待される対応 {} / {}",
            score.total.points,
            score.total.max,
            pct(score.total.percent),
            score.obligations_total.points,
            score.obligations_total.max,
            score.expected_total.points,
            score.expected_total.max
        ),
        format!(
            "Total {} / {} ({}) — obligations {} / {}, expected responses {} / {}",
            score.total.points,
            score.total.max,
            pct(score.total.percent),
            score.obligations_total.points,
            score.obligations_total.max,
            score.expected_total.points,
            score.expected_total.max
        ),
    )));
    if !score.goals.is_empty() {
        b.push(Block::Heading(
            lang.pick("学習目標", "Learning goals").into(),
        ));
        b.push(Block::List(
            score
                .goals
                .iter()
                .map(|g| g.in_lang(lang).to_string())
                .collect(),
        ));
    }
}

/// The obligations, grouped by verdict: on time, late, incomplete, not scored.
fn obligations(score: &Score, lang: Lang, b: &mut Vec<Block>) {
    let groups: [(&[Verdict], &str, &str); 4] = [
        (&[Verdict::OnTime], "期限内にできたこと", "On time"),
        (&[Verdict::Late, Verdict::Overdue], "遅れたこと", "Late"),
        (
            &[
                Verdict::Incomplete,
                Verdict::Undecided,
                Verdict::WrongDecision,
            ],
            "未完了・判断漏れ",
            "Incomplete or undecided",
        ),
        (
            &[Verdict::Open, Verdict::NotScored],
            "採点対象外（期限前・対象外・任意）",
            "Not scored (not yet due, not applicable, optional)",
        ),
    ];
    for (vs, hja, hen) in groups {
        let items: Vec<String> = score
            .obligations
            .iter()
            .filter(|o| vs.contains(&o.verdict))
            .map(|o| {
                let v = o.verdict.label(lang);
                let st = o.status.label(lang);
                format!("{v}（{st}）: {}", item(o, lang))
            })
            .collect();
        b.push(Block::Heading(lang.pick(hja, hen).into()));
        if items.is_empty() {
            b.push(Block::Para(lang.pick("なし", "None").into()));
        } else {
            b.push(Block::List(items));
        }
    }
}

/// The score of each role.
fn roles(score: &Score, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Heading(
        lang.pick("役割ごとの得点", "Score by role").into(),
    ));
    b.push(table(
        heads(
            lang,
            &[
                ("役割", "role"),
                ("名称", "name"),
                ("得点", "points"),
                ("割合", "share"),
            ],
        ),
        score
            .roles
            .iter()
            .map(|r| {
                vec![
                    r.role.clone(),
                    r.name.in_lang(lang).to_string(),
                    format!("{} / {}", r.points.points, r.points.max),
                    pct(r.points.percent),
                ]
            })
            .collect(),
    ));
}

/// The scenario's expected responses: done on time, late or missed.
fn expected(score: &Score, lang: Lang, b: &mut Vec<Block>) {
    if score.expected.is_empty() {
        return;
    }
    b.push(Block::Heading(
        lang.pick("期待される対応", "Expected responses").into(),
    ));
    b.push(table(
        heads(
            lang,
            &[
                ("結果", "result"),
                ("役割", "role"),
                ("対応", "action"),
                ("目標", "by"),
                ("実施", "done"),
                ("備考", "note"),
            ],
        ),
        score
            .expected
            .iter()
            .map(|x| {
                vec![
                    x.verdict.label(lang).to_string(),
                    x.role.clone(),
                    x.event_type.label(lang).to_string(),
                    format!("{} ({})", short_time(&Some(x.by.clone())), x.by_offset),
                    short_time(&x.at),
                    x.note
                        .as_ref()
                        .map(|n| n.in_lang(lang).to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    ));
    let missed = score
        .expected
        .iter()
        .filter(|x| x.verdict == ExpectedVerdict::Missed)
        .count();
    if missed > 0 {
        b.push(Block::Para(lang.pick(
            format!("未実施の対応 {missed} 件"),
            format!("{missed} expected response(s) missed"),
        )));
    }
}

/// Injects and player actions in time order.
fn timeline(score: &Score, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Heading(lang.pick("経過", "Timeline").into()));
    let mut rows: Vec<(String, usize, Vec<String>)> = Vec::new();
    for (i, inj) in score.injects.iter().enumerate() {
        let kind = if inj.fired {
            lang.pick("状況付与", "inject")
        } else {
            lang.pick("状況付与（条件不成立）", "inject (condition not met)")
        };
        rows.push((
            inj.at.clone(),
            i,
            vec![
                short_time(&Some(inj.at.clone())),
                inj.offset.clone(),
                kind.into(),
                inj.to.clone().unwrap_or_default(),
                inj.text.in_lang(lang).to_string(),
            ],
        ));
    }
    for (i, a) in score.actions.iter().enumerate() {
        rows.push((
            a.at.clone(),
            score.injects.len() + i,
            vec![
                short_time(&Some(a.at.clone())),
                a.offset.clone(),
                lang.pick("対応", "action").into(),
                a.role.clone(),
                a.event_type.label(lang).to_string(),
            ],
        ));
    }
    // Instants are all written in +09:00, so the strings sort as instants; injects first on ties.
    rows.sort_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
    b.push(table(
        heads(
            lang,
            &[
                ("時刻", "time"),
                ("経過", "elapsed"),
                ("種別", "kind"),
                ("役割", "role"),
                ("内容", "what"),
            ],
        ),
        rows.into_iter().map(|r| r.2).collect(),
    ));
}

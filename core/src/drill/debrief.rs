//! The after-action report: what was on time, late or left undone, each with its clause, the
//! scenario's learning goals, the score by role and the timeline. Markdown or HTML, Japanese or
//! English. Every text that comes from the scenario or the record is escaped.
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::vocab::{Fact, FieldKey};

use super::score::{ExpectedVerdict, ObligationScore, Score, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    /// The HTML body alone, in an `<article>`, without the document head and its inline `<style>`:
    /// for a page that shows it in a sandboxed frame under a CSP with `style-src 'self'`, which the
    /// frame inherits and which would refuse the inline style (the page links its own stylesheet).
    HtmlFragment,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "md" | "markdown" => Some(Format::Md),
            "html" => Some(Format::Html),
            "html-fragment" => Some(Format::HtmlFragment),
            _ => None,
        }
    }
}

/// A tiny document model rendered two ways, so the two formats cannot drift apart.
enum Block {
    H1(String),
    H2(String),
    P(String),
    /// Bold paragraph.
    Strong(String),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
    /// Trusted markup (the timeline SVG) for HTML only.
    RawHtml(String),
}

pub fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Markdown text: HTML-escaped (renderers pass HTML through), Markdown punctuation that could
/// start markup escaped, line breaks flattened.
fn md_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

fn render(blocks: &[Block], format: Format, lang: Lang, title: &str) -> String {
    let mut o = String::new();
    match format {
        Format::Md => {
            for b in blocks {
                match b {
                    Block::H1(s) => o.push_str(&format!("# {}\n\n", md_escape(s))),
                    Block::H2(s) => o.push_str(&format!("## {}\n\n", md_escape(s))),
                    Block::P(s) => o.push_str(&format!("{}\n\n", md_escape(s))),
                    Block::Strong(s) => o.push_str(&format!("**{}**\n\n", md_escape(s))),
                    Block::List(items) => {
                        for i in items {
                            o.push_str(&format!("- {}\n", md_escape(i)));
                        }
                        o.push('\n');
                    }
                    Block::Table(head, rows) => {
                        let line = |cells: &[String]| {
                            format!(
                                "| {} |\n",
                                cells
                                    .iter()
                                    .map(|c| md_escape(c))
                                    .collect::<Vec<_>>()
                                    .join(" | ")
                            )
                        };
                        o.push_str(&line(head));
                        o.push_str(&format!("|{}\n", "---|".repeat(head.len())));
                        for r in rows {
                            o.push_str(&line(r));
                        }
                        o.push('\n');
                    }
                    Block::RawHtml(_) => {}
                }
            }
        }
        Format::HtmlFragment => {
            o.push_str(&format!("<article lang=\"{}\">\n", lang.key()));
            html_blocks(&mut o, blocks);
            o.push_str("</article>\n");
        }
        Format::Html => {
            o.push_str(&format!(
                "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}}th{{background:#eee}}</style>\n</head>\n<body>\n",
                lang.key(),
                html_escape(title)
            ));
            html_blocks(&mut o, blocks);
            o.push_str("</body>\n</html>\n");
        }
    }
    o
}

fn html_blocks(o: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::H1(s) => o.push_str(&format!("<h1>{}</h1>\n", html_escape(s))),
            Block::H2(s) => o.push_str(&format!("<h2>{}</h2>\n", html_escape(s))),
            Block::P(s) => o.push_str(&format!("<p>{}</p>\n", html_escape(s))),
            Block::Strong(s) => {
                o.push_str(&format!("<p><strong>{}</strong></p>\n", html_escape(s)))
            }
            Block::List(items) => {
                o.push_str("<ul>\n");
                for i in items {
                    o.push_str(&format!("<li>{}</li>\n", html_escape(i)));
                }
                o.push_str("</ul>\n");
            }
            Block::Table(head, rows) => {
                o.push_str("<table>\n<tr>");
                for h in head {
                    o.push_str(&format!("<th>{}</th>", html_escape(h)));
                }
                o.push_str("</tr>\n");
                for r in rows {
                    o.push_str("<tr>");
                    for c in r {
                        o.push_str(&format!("<td>{}</td>", html_escape(c)));
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</table>\n");
            }
            Block::RawHtml(s) => {
                o.push_str(s);
                o.push('\n');
            }
        }
    }
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
    let mut b = Vec::new();
    b.push(Block::H1(lang.pick(
        format!("訓練の振り返り：{title}"),
        format!("After-action report: {title}"),
    )));
    b.push(Block::P(lang.pick(
        format!(
            "シナリオ {}・開始 {}・採点時点 {}（{}）",
            score.scenario, score.start, score.at, score.offset
        ),
        format!(
            "Scenario {}; started {}; scored at {} ({})",
            score.scenario, score.start, score.at, score.offset
        ),
    )));
    let pct = |p: Option<f64>| p.map(|x| format!("{x}%")).unwrap_or_else(|| "—".into());
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
        b.push(Block::H2(lang.pick("学習目標", "Learning goals").into()));
        b.push(Block::List(
            score
                .goals
                .iter()
                .map(|g| g.in_lang(lang).to_string())
                .collect(),
        ));
    }
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
        b.push(Block::H2(lang.pick(hja, hen).into()));
        if items.is_empty() {
            b.push(Block::P(lang.pick("なし", "None").into()));
        } else {
            b.push(Block::List(items));
        }
    }
    b.push(Block::H2(
        lang.pick("役割ごとの得点", "Score by role").into(),
    ));
    b.push(Block::Table(
        lang.pick(
            vec!["役割".into(), "名称".into(), "得点".into(), "割合".into()],
            vec![
                "role".into(),
                "name".into(),
                "points".into(),
                "share".into(),
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
    if !score.expected.is_empty() {
        b.push(Block::H2(
            lang.pick("期待される対応", "Expected responses").into(),
        ));
        b.push(Block::Table(
            lang.pick(
                vec![
                    "結果".into(),
                    "役割".into(),
                    "対応".into(),
                    "目標".into(),
                    "実施".into(),
                    "備考".into(),
                ],
                vec![
                    "result".into(),
                    "role".into(),
                    "action".into(),
                    "by".into(),
                    "done".into(),
                    "note".into(),
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
            b.push(Block::P(lang.pick(
                format!("未実施の対応 {missed} 件"),
                format!("{missed} expected response(s) missed"),
            )));
        }
    }
    b.push(Block::H2(lang.pick("経過", "Timeline").into()));
    if let Some(svg) = timeline_svg {
        b.push(Block::RawHtml(svg.to_string()));
    }
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
    b.push(Block::Table(
        lang.pick(
            vec![
                "時刻".into(),
                "経過".into(),
                "種別".into(),
                "役割".into(),
                "内容".into(),
            ],
            vec![
                "time".into(),
                "elapsed".into(),
                "kind".into(),
                "role".into(),
                "what".into(),
            ],
        ),
        rows.into_iter().map(|r| r.2).collect(),
    ));
    if !score.status.warnings.is_empty() {
        b.push(Block::H2(lang.pick("注意", "Warnings").into()));
        b.push(Block::List(
            score
                .status
                .warnings
                .iter()
                .map(|w| format!("[{}] {}", w.code, w.message))
                .collect(),
        ));
    }
    let doc_title = lang.pick(
        format!("訓練の振り返り：{title}"),
        format!("After-action report: {title}"),
    );
    render(&b, format, lang, &doc_title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            md_escape("a|b\n<i>*x*</i>"),
            "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;"
        );
    }
}

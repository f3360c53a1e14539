//! The incident as a picture (SVG): events on a time axis, each obligation as a bar from its trigger
//! to its due time in its status colour, the report instant as a line, clause ids as labels, and a
//! legend. All text is escaped with [`escape::html`]; the output is standalone XML and also embeds
//! inline in the HTML report.
//!
//! What is drawn (docs/REPORTS.md): one bar per obligation that has been triggered and is not ruled
//! out — `not_applicable` and `waiting` obligations are omitted and counted in a footnote. An
//! obligation with no due time (`may`, `best_effort`, no time word) gets an open-ended bar to the
//! right edge. `undetermined` ones that have a trigger are drawn grey and dashed.
//!
//! The time axis is logarithmic from the first instant (x ∝ ln(1 + t/30 min)): the first hours of an
//! incident and a 30-day deadline fit on one page, and the ticks give the real times.
use std::fmt::Write;

use super::escape::html as esc;
use super::from_record::{state_label, tr};
use super::Lang;
use crate::eval::{Evaluation, ObligationEval, State};
use crate::record::Record;
use crate::time::{jst, Instant};

const W: f64 = 780.0;
const X0: f64 = 236.0;
const X1: f64 = 752.0;
const ROW: f64 = 30.0;
const TAU: f64 = 1800.0;

/// Whether an obligation gets a bar (the rule of the module documentation).
pub fn shown(o: &ObligationEval) -> bool {
    o.trigger_at.is_some() && !matches!(o.state, State::NotApplicable | State::Waiting)
}

pub(crate) fn colour(s: State) -> &'static str {
    match s {
        State::Pending => "#1f6fb4",
        State::Overdue => "#c62828",
        State::Done => "#2e7d32",
        State::DoneLate => "#ef8c00",
        State::Optional => "#7b1fa2",
        State::Undetermined => "#8a8a8a",
        State::Waiting | State::NotApplicable => "#c8c8c8",
    }
}

struct Scale {
    t0: Instant,
    span: f64,
}

impl Scale {
    fn x(&self, t: &Instant) -> f64 {
        let d = ((*t - self.t0).num_seconds() as f64).max(0.0);
        let f = (1.0 + d / TAU).ln() / (1.0 + self.span / TAU).ln();
        X0 + (X1 - X0) * f.clamp(0.0, 1.0)
    }
}

fn hm(t: &Instant) -> String {
    t.with_timezone(&jst()).format("%m/%d %H:%M").to_string()
}

/// The SVG picture of the record as evaluated at `ev.at`.
pub fn timeline_svg(rec: &Record, ev: &Evaluation, lang: Lang) -> String {
    let events: Vec<&crate::record::Event> =
        rec.events_by_time().filter(|e| e.at <= ev.at).collect();
    let rows: Vec<&ObligationEval> = ev.obligations.iter().filter(|o| shown(o)).collect();
    let mut t0 = ev.at;
    let mut t1 = ev.at;
    for e in &events {
        t0 = t0.min(e.at);
        t1 = t1.max(e.at);
    }
    for o in &rows {
        for t in [o.trigger_at, o.due, o.done_at].into_iter().flatten() {
            t0 = t0.min(t);
            t1 = t1.max(t);
        }
    }
    let sc = Scale {
        t0,
        span: ((t1 - t0).num_seconds() as f64).max(3600.0),
    };
    let ev_y = 118.0;
    let top = ev_y + 22.0;
    let axis_y = top + ROW * rows.len() as f64 + 8.0;
    let legend_y = axis_y + 58.0;
    let h = legend_y + 62.0;

    let mut o = String::with_capacity(8192);
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="roei-timeline" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}">"#,
        esc(tr(lang, "事故対応の経過図", "Incident timeline"))
    );
    o.push_str(r#"<style>.roei-timeline text{font-family:"IPAGothic","IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;fill:#222}.roei-timeline .small{font-size:10px}.roei-timeline .lbl{font-size:12px}</style>"#);
    let _ = write!(
        o,
        r##"<title>{}</title><rect x="0" y="0" width="{W}" height="{h}" fill="#ffffff"/>"##,
        esc(&format!(
            "{} {} — {}",
            tr(lang, "経過図", "Timeline"),
            rec.id,
            crate::time::fmt_jst(&ev.at)
        ))
    );
    let _ = write!(
        o,
        r#"<text x="8" y="20" style="font-size:14px;font-weight:bold">{}</text>"#,
        esc(&format!(
            "{} {}{}",
            tr(lang, "経過図", "Timeline"),
            rec.id,
            rec.title
                .as_deref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default()
        ))
    );

    // Grid and ticks: round offsets from the first instant, skipping ticks that would collide.
    const TICKS: [i64; 14] = [
        0,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        3 * 86400,
        7 * 86400,
        14 * 86400,
        30 * 86400,
        60 * 86400,
        90 * 86400,
        180 * 86400,
    ];
    let mut last_x = f64::NEG_INFINITY;
    for s in TICKS {
        if s as f64 > sc.span {
            break;
        }
        let t = sc.t0 + chrono::Duration::seconds(s);
        let x = sc.x(&t);
        if x - last_x < 52.0 {
            continue;
        }
        last_x = x;
        let _ = write!(
            o,
            "<line x1=\"{x:.1}\" y1=\"{ev_y}\" x2=\"{x:.1}\" y2=\"{axis_y}\" stroke=\"#e2e2e2\"/><text class=\"small\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            esc(&hm(&t))
        );
    }
    let _ = write!(
        o,
        "<line x1=\"{X0}\" y1=\"{axis_y}\" x2=\"{X1}\" y2=\"{axis_y}\" stroke=\"#555\"/><text class=\"small\" x=\"{X1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        axis_y + 28.0,
        esc(tr(
            lang,
            "時刻は日本時間。時間軸は対数目盛（最初の事象からの経過時間）",
            "Japan time; logarithmic axis (time since the first event)"
        ))
    );

    // Events: markers on their own track, labels slanted above.
    let _ = write!(
        o,
        "<line x1=\"{X0}\" y1=\"{ev_y}\" x2=\"{X1}\" y2=\"{ev_y}\" stroke=\"#555\"/><text class=\"lbl\" x=\"8\" y=\"{:.1}\">{}</text>",
        ev_y + 4.0,
        esc(tr(lang, "事象", "Events"))
    );
    // Labels of events close in time are pushed right (with a leader) so they do not overprint.
    let mut last_label = f64::NEG_INFINITY;
    for e in &events {
        let x = sc.x(&e.at);
        let lx = x.max(last_label + 19.0);
        last_label = lx;
        let label = match e.event_type {
            Some(t) => format!("{} {}", e.id, tr(lang, t.ja(), t.en())),
            None => format!("{} {}", e.id, e.type_name),
        };
        let _ = write!(
            o,
            "<g class=\"event\"><title>{}</title><circle cx=\"{x:.1}\" cy=\"{ev_y}\" r=\"4\" fill=\"#333\"/><line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{lx:.1}\" y2=\"{:.1}\" stroke=\"#999\"/><text class=\"small\" x=\"{lx:.1}\" y=\"{:.1}\" transform=\"rotate(-35 {lx:.1} {:.1})\">{}</text></g>",
            esc(&format!("{} {}", hm(&e.at), label)),
            ev_y - 4.0,
            ev_y - 8.0,
            ev_y - 9.0,
            ev_y - 9.0,
            esc(&clip(&label, 22))
        );
    }

    // One row per obligation shown.
    for (i, ob) in rows.iter().enumerate() {
        let y = top + ROW * i as f64;
        let c = colour(ob.state);
        let who = ob
            .contract
            .map(|k| rec.contracts[k].id.clone())
            .unwrap_or_else(|| rec.contracts[ob.principal_of].principal.clone());
        let _ = write!(
            o,
            "<text class=\"lbl\" x=\"8\" y=\"{:.1}\">{}</text><text class=\"small\" x=\"8\" y=\"{:.1}\">{}</text>",
            y + 11.0,
            esc(&clip(ob.clause.obligation_id(), 34)),
            y + 23.0,
            esc(&clip(
                &format!(
                    "{} · {} · {}",
                    state_label(ob.state, lang),
                    ob.clause.legal_term,
                    who
                ),
                42
            ))
        );
        let Some(start) = ob.trigger_at else { continue };
        let xs = sc.x(&start);
        let (xe, open) = match ob.due {
            Some(d) => (sc.x(&d), false),
            None => (X1, true),
        };
        let w = (xe - xs).max(3.0);
        let dashed = if open || ob.state == State::Undetermined {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let opacity = if open { "0.45" } else { "0.9" };
        let _ = write!(
            o,
            "<rect class=\"bar{}\" data-obligation=\"{}\" data-status=\"{}\" x=\"{xs:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"12\" rx=\"2\" fill=\"{c}\" fill-opacity=\"{opacity}\" stroke=\"{c}\"{dashed}><title>{}</title></rect>",
            if open { " open" } else { "" },
            esc(ob.clause.obligation_id()),
            ob.state.key(),
            y + 3.0,
            esc(&format!(
                "{} {} {} → {}",
                ob.clause.obligation_id(),
                state_label(ob.state, lang),
                hm(&start),
                ob.due.as_ref().map(hm).unwrap_or_else(|| tr(lang, "期限なし", "no due time").into())
            ))
        );
        if open {
            let _ = write!(
                o,
                "<text class=\"small\" x=\"{:.1}\" y=\"{:.1}\">▶</text>",
                X1 + 2.0,
                y + 13.0
            );
        }
        if ob.state == State::Overdue {
            let xn = sc.x(&ev.at);
            let _ = write!(
                o,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{xn:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>",
                xs + w,
                y + 9.0,
                y + 9.0
            );
        }
        if let Some(d) = ob.done_at {
            let xd = sc.x(&d);
            let _ = write!(
                o,
                "<path d=\"M{:.1} {:.1} l4 -8 l4 8 l-4 8 z\" fill=\"#000\"><title>{}</title></path>",
                xd - 4.0,
                y + 9.0,
                esc(&format!("{} {}", tr(lang, "完了", "done"), hm(&d)))
            );
        }
    }

    // The report instant.
    let xn = sc.x(&ev.at);
    let _ = write!(
        o,
        "<line x1=\"{xn:.1}\" y1=\"36\" x2=\"{xn:.1}\" y2=\"{axis_y}\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/><text class=\"small\" x=\"{:.1}\" y=\"34\" text-anchor=\"end\" style=\"fill:#c62828\">{}</text>",
        xn - 3.0,
        esc(&format!("{} {}", tr(lang, "作成時点", "as of"), hm(&ev.at)))
    );

    // Legend.
    let mut x = 8.0;
    for s in [
        State::Pending,
        State::Overdue,
        State::Done,
        State::DoneLate,
        State::Optional,
        State::Undetermined,
    ] {
        let label = state_label(s, lang);
        let _ = write!(
            o,
            "<rect x=\"{x:.1}\" y=\"{legend_y}\" width=\"14\" height=\"10\" fill=\"{}\"/><text class=\"small\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            colour(s),
            x + 18.0,
            legend_y + 9.0,
            esc(label)
        );
        x += 28.0 + 8.0 * label.chars().count() as f64;
    }
    let _ = write!(
        o,
        "<rect x=\"{x:.1}\" y=\"{legend_y}\" width=\"14\" height=\"10\" fill=\"#888\" fill-opacity=\"0.45\" stroke=\"#888\" stroke-dasharray=\"4 3\"/><text class=\"small\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        x + 18.0,
        legend_y + 9.0,
        esc(tr(lang, "期限の定めなし（右端まで）", "no due time (open-ended)"))
    );
    let y2 = legend_y + 22.0;
    let _ = write!(
        o,
        "<path d=\"M8 {:.1} l4 -8 l4 8 l-4 8 z\" fill=\"#000\"/><text class=\"small\" x=\"22\" y=\"{:.1}\">{}</text><line x1=\"130\" y1=\"{:.1}\" x2=\"150\" y2=\"{:.1}\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/><text class=\"small\" x=\"156\" y=\"{:.1}\">{}</text>",
        y2 + 5.0,
        y2 + 9.0,
        esc(tr(lang, "完了時点", "completed")),
        y2 + 5.0,
        y2 + 5.0,
        y2 + 9.0,
        esc(tr(lang, "作成時点（現在）", "report instant (now)"))
    );
    let omitted: Vec<String> = [State::NotApplicable, State::Waiting, State::Undetermined]
        .into_iter()
        .filter_map(|s| {
            let n = ev
                .obligations
                .iter()
                .filter(|o| o.state == s && !shown(o))
                .count();
            (n > 0).then(|| format!("{} {n}", state_label(s, lang)))
        })
        .collect();
    if !omitted.is_empty() {
        let _ = write!(
            o,
            "<text class=\"small\" x=\"8\" y=\"{:.1}\">{}</text>",
            y2 + 28.0,
            esc(&format!(
                "{}{}",
                tr(
                    lang,
                    "表示していない義務（未発生・対象外）: ",
                    "Not drawn (not triggered or not applicable): "
                ),
                omitted.join(tr(lang, "、", ", "))
            ))
        );
    }
    o.push_str("</svg>");
    o
}

/// Cuts text to `n` columns (East Asian wide characters count two), so labels stay in their column.
fn clip(s: &str, n: usize) -> String {
    if crate::terminal::width(s) <= n {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = crate::terminal::width(c.encode_utf8(&mut [0; 4]));
        if w + cw > n.saturating_sub(1) {
            break;
        }
        w += cw;
        out.push(c);
    }
    out + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_keeps_the_svg_well_formed() {
        let payload = "<script>window.__xss=1</script>\"><img src=x onerror=window.__xss=1>\u{1}&";
        let rec = Record::parse(
            &serde_json::json!({
                "format": "roei/incident@1", "id": payload, "title": payload,
                "contracts": [{"id": payload, "profile": "nagaoka", "principal": payload}],
                "events": [{"id": payload, "at": "2026-11-02T10:15:00+09:00", "type": "detected",
                            "actor": "contractor", "data": {"kind": "loss", "summary": payload}},
                           {"id": "x", "at": "2026-11-02T10:20:00+09:00", "type": payload,
                            "actor": "other"}]
            })
            .to_string(),
        )
        .unwrap();
        let at = crate::time::parse_instant("2026-11-02T12:00:00+09:00").unwrap();
        let ev = crate::evaluate(&rec, &at, &crate::Policy::default());
        for lang in [Lang::Ja, Lang::En] {
            let svg = timeline_svg(&rec, &ev, lang);
            let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
            assert!(doc
                .descendants()
                .all(|n| !matches!(n.tag_name().name(), "script" | "img" | "foreignObject")));
            assert!(
                svg.contains("&lt;script&gt;"),
                "the payload is shown, escaped"
            );
        }
    }
}

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
//! The time axis is linear from the first instant (equal times, equal widths: how long a step took
//! reads off the picture), with ticks at a round step. Event labels are laid out in lanes above the
//! events line so that labels of events close in time never overprint (`place_labels`), each with a
//! leader line to its marker.
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
/// Height of one lane of event labels.
const LANE: f64 = 13.0;
/// Most lanes of event labels before labels are pushed right instead.
const MAX_LANES: usize = 8;
/// Space kept between two labels in a lane.
const GAP: f64 = 6.0;
/// Least distance between two tick labels.
const TICK_PX: f64 = 72.0;

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

/// Where things go: the linear time scale and the vertical layout, which depends on how many lanes
/// the event labels need.
struct Frame {
    t0: Instant,
    span: f64,
    ev_y: f64,
    top: f64,
    axis_y: f64,
    legend_y: f64,
    h: f64,
}

impl Frame {
    fn new(t0: Instant, t1: Instant, lanes: usize, rows: usize) -> Frame {
        let ev_y = 52.0 + LANE * lanes as f64;
        let top = ev_y + 22.0;
        let axis_y = top + ROW * rows as f64 + 8.0;
        let legend_y = axis_y + 58.0;
        Frame {
            t0,
            span: ((t1 - t0).num_seconds() as f64).max(3600.0),
            ev_y,
            top,
            axis_y,
            legend_y,
            h: legend_y + 62.0,
        }
    }

    /// Linear: equal times take equal widths, so how long things took reads off the picture.
    fn x(&self, t: &Instant) -> f64 {
        let d = ((*t - self.t0).num_seconds() as f64).max(0.0);
        X0 + (X1 - X0) * (d / self.span).clamp(0.0, 1.0)
    }
}

fn hm(t: &Instant) -> String {
    t.with_timezone(&jst()).format("%m/%d %H:%M").to_string()
}

/// Width of a label at 10 px (half-width columns about 6 px; wide characters count two).
fn label_width(s: &str) -> f64 {
    6.0 * crate::terminal::width(s) as f64 + 4.0
}

/// One event's label: where it starts and in which lane above the events line.
struct Placed<'a> {
    event: &'a crate::record::Event,
    x: f64,
    lx: f64,
    lane: usize,
    label: String,
}

/// Lays event labels out without overlap: each goes in the lowest lane where it fits to the right of
/// the labels already there (starting at its marker, or ending at the right edge), with a leader line
/// to its marker. Past `MAX_LANES` a label goes in the lane that frees up first, pushed right.
fn place_labels<'a>(
    events: &[&'a crate::record::Event],
    x_of: impl Fn(&Instant) -> f64,
    lang: Lang,
) -> Vec<Placed<'a>> {
    let mut ends: Vec<f64> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let label = clip(
            &match e.event_type {
                Some(t) => format!("{} {}", e.id, tr(lang, t.ja(), t.en())),
                None => format!("{} {}", e.id, e.type_name),
            },
            30,
        );
        let x = x_of(&e.at);
        let w = label_width(&label);
        let lx = x.min(W - 4.0 - w).max(X0 - 40.0);
        let lane = match ends.iter().position(|&end| end + GAP <= lx) {
            Some(l) => l,
            None if ends.len() < MAX_LANES => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
            None => (0..ends.len())
                .min_by(|&a, &b| ends[a].total_cmp(&ends[b]))
                .unwrap_or(0),
        };
        let lx = lx.max(ends[lane] + GAP);
        ends[lane] = lx + w;
        out.push(Placed {
            event: e,
            x,
            lx,
            lane,
            label,
        });
    }
    out
}

/// The SVG picture of the record as evaluated at `ev.at`.
pub fn timeline_svg(rec: &Record, ev: &Evaluation, lang: Lang) -> String {
    let events: Vec<&crate::record::Event> =
        rec.events_by_time().filter(|e| e.at <= ev.at).collect();
    let rows: Vec<&ObligationEval> = ev.obligations.iter().filter(|o| shown(o)).collect();
    let (mut t0, mut t1) = (ev.at, ev.at);
    let instants = events.iter().map(|e| e.at).chain(
        rows.iter()
            .flat_map(|o| [o.trigger_at, o.due, o.done_at].into_iter().flatten()),
    );
    for t in instants {
        t0 = t0.min(t);
        t1 = t1.max(t);
    }
    let scale = Frame::new(t0, t1, 0, rows.len());
    let placed = place_labels(&events, |t| scale.x(t), lang);
    let lanes = placed.iter().map(|p| p.lane + 1).max().unwrap_or(1);
    let f = Frame::new(t0, t1, lanes, rows.len());

    let mut o = String::with_capacity(8192);
    header(&mut o, rec, ev, &f, lang);
    ticks(&mut o, &f, lang);
    event_track(&mut o, &f, &placed, lang);
    for (i, ob) in rows.iter().enumerate() {
        obligation_row(&mut o, rec, ev, &f, ob, f.top + ROW * i as f64, lang);
    }
    now_line(&mut o, ev, &f, lang);
    legend(&mut o, ev, &f, lang);
    o.push_str("</svg>");
    o
}

fn header(o: &mut String, rec: &Record, ev: &Evaluation, f: &Frame, lang: Lang) {
    let h = f.h;
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="roei-timeline" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}">"#,
        esc(tr(lang, "事故対応の経過図", "Incident timeline"))
    );
    o.push_str(r#"<style>.roei-timeline text{font-family:"IPAGothic","IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;fill:#222}.roei-timeline .small{font-size:10px}.roei-timeline .lbl{font-size:12px}</style>"#);
    let _ = write!(
        o,
        r##"<title>{}</title><desc>{}</desc><rect x="0" y="0" width="{W}" height="{h}" fill="#ffffff"/>"##,
        esc(&format!(
            "{} {} — {}",
            tr(lang, "経過図", "Timeline"),
            rec.id,
            crate::time::fmt_jst(&ev.at)
        )),
        esc(&format!("sha256:{}", rec.head_hash()))
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
}

/// Grid lines and tick labels at a round step (10 minutes to 90 days) at least `TICK_PX` apart.
fn ticks(o: &mut String, f: &Frame, lang: Lang) {
    const STEPS: [i64; 13] = [
        600,
        1800,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        7 * 86400,
        14 * 86400,
        30 * 86400,
        60 * 86400,
        90 * 86400,
    ];
    let px_per_sec = (X1 - X0) / f.span;
    let step = STEPS
        .into_iter()
        .find(|&s| s as f64 * px_per_sec >= TICK_PX)
        .unwrap_or(STEPS[STEPS.len() - 1]);
    let axis_y = f.axis_y;
    let ev_y = f.ev_y;
    let mut s = 0;
    while s as f64 <= f.span {
        let t = f.t0 + chrono::Duration::seconds(s);
        let x = f.x(&t);
        let _ = write!(
            o,
            "<line x1=\"{x:.1}\" y1=\"{ev_y}\" x2=\"{x:.1}\" y2=\"{axis_y}\" stroke=\"#e2e2e2\"/><text class=\"small\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            esc(&hm(&t))
        );
        s += step;
    }
    let _ = write!(
        o,
        "<line x1=\"{X0}\" y1=\"{axis_y}\" x2=\"{X1}\" y2=\"{axis_y}\" stroke=\"#555\"/><text class=\"small\" x=\"{X1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        axis_y + 28.0,
        esc(tr(
            lang,
            "時刻は日本時間。時間軸は線形（最初の事象から）",
            "Japan time; linear axis from the first event"
        ))
    );
}

/// The events line: a marker per event, its label in its lane, a leader from label to marker.
fn event_track(o: &mut String, f: &Frame, placed: &[Placed], lang: Lang) {
    let ev_y = f.ev_y;
    let _ = write!(
        o,
        "<line x1=\"{X0}\" y1=\"{ev_y}\" x2=\"{X1}\" y2=\"{ev_y}\" stroke=\"#555\"/><text class=\"lbl\" x=\"8\" y=\"{:.1}\">{}</text>",
        ev_y + 4.0,
        esc(tr(lang, "事象", "Events"))
    );
    for p in placed {
        let x = p.x;
        let lx = p.lx;
        let base = ev_y - 10.0 - LANE * p.lane as f64;
        let _ = write!(
            o,
            "<g class=\"event\" data-lane=\"{}\"><title>{}</title><circle cx=\"{x:.1}\" cy=\"{ev_y}\" r=\"4\" fill=\"#333\"/><line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{lx:.1}\" y2=\"{:.1}\" stroke=\"#999\"/><text class=\"small\" x=\"{lx:.1}\" y=\"{base:.1}\" data-width=\"{:.1}\">{}</text></g>",
            p.lane,
            esc(&format!("{} {}", hm(&p.event.at), p.label)),
            ev_y - 4.0,
            base + 2.0,
            label_width(&p.label),
            esc(&p.label)
        );
    }
}

/// One obligation: its id and state on the left, a bar from trigger to due time, the overdue stretch
/// to now, and a diamond where it was done.
fn obligation_row(
    o: &mut String,
    rec: &Record,
    ev: &Evaluation,
    f: &Frame,
    ob: &ObligationEval,
    y: f64,
    lang: Lang,
) {
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
    let Some(start) = ob.trigger_at else { return };
    let xs = f.x(&start);
    let (xe, open) = match ob.due {
        Some(d) => (f.x(&d), false),
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
        let xn = f.x(&ev.at);
        let _ = write!(
            o,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{xn:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>",
            xs + w,
            y + 9.0,
            y + 9.0
        );
    }
    if let Some(d) = ob.done_at {
        let xd = f.x(&d);
        let _ = write!(
            o,
            "<path d=\"M{:.1} {:.1} l4 -8 l4 8 l-4 8 z\" fill=\"#000\"><title>{}</title></path>",
            xd - 4.0,
            y + 9.0,
            esc(&format!("{} {}", tr(lang, "完了", "done"), hm(&d)))
        );
    }
}

/// The report instant: a dashed red line across the picture.
fn now_line(o: &mut String, ev: &Evaluation, f: &Frame, lang: Lang) {
    let xn = f.x(&ev.at);
    let axis_y = f.axis_y;
    let _ = write!(
        o,
        "<line x1=\"{xn:.1}\" y1=\"36\" x2=\"{xn:.1}\" y2=\"{axis_y}\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/><text class=\"small\" x=\"{:.1}\" y=\"34\" text-anchor=\"end\" style=\"fill:#c62828\">{}</text>",
        xn - 3.0,
        esc(&format!("{} {}", tr(lang, "作成時点", "as of"), hm(&ev.at)))
    );
}

/// The colours, the open-ended bar, the done mark and the now line; and what was left out.
fn legend(o: &mut String, ev: &Evaluation, f: &Frame, lang: Lang) {
    let legend_y = f.legend_y;
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

    /// Events minutes apart and a far deadline: labels in lanes, none overlapping; the axis linear.
    #[test]
    fn close_events_get_lanes_and_the_axis_is_linear() {
        let mut events = Vec::new();
        for (i, m) in [0, 1, 2, 3, 5, 8, 60].iter().enumerate() {
            events.push(serde_json::json!({"id": format!("e{}", i + 1),
                "at": format!("2026-11-02T{:02}:{:02}:00+09:00", 10 + m / 60, m % 60),
                "type": if i == 0 { "detected" } else { "evidence_preserved" }, "actor": "contractor",
                "data": if i == 0 { serde_json::json!({"kind": "loss", "signs_only": true}) } else { serde_json::json!({"what": "x"}) }}));
        }
        let rec = Record::parse(
            &serde_json::json!({"format": "roei/incident@1", "id": "I",
                "contracts": [{"id": "C", "profile": "nagaoka", "principal": "P"}], "events": events})
            .to_string(),
        )
        .unwrap();
        let at = crate::time::parse_instant("2026-11-04T10:00:00+09:00").unwrap();
        let ev = crate::evaluate(&rec, &at, &crate::Policy::default());
        let svg = timeline_svg(&rec, &ev, Lang::Ja);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let labels: Vec<(f64, f64, f64)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("data-width").is_some())
            .map(|n| {
                let num = |a| n.attribute(a).unwrap().parse::<f64>().unwrap();
                (num("x"), num("y"), num("data-width"))
            })
            .collect();
        assert_eq!(labels.len(), 7);
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let same_lane = (a.1 - b.1).abs() < 1.0;
                let apart = a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0;
                assert!(!same_lane || apart, "labels overlap: {a:?} {b:?}\n{svg}");
            }
        }
        assert!(
            labels.iter().any(|l| l.1 != labels[0].1),
            "close labels take more than one lane"
        );
        // Linear: the markers of events 8 and 60 minutes after the first are 8:60 from it (a
        // logarithmic axis would put them about 1:4.7).
        let xs: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| n.attribute("cx").unwrap().parse().unwrap())
            .collect();
        let ratio = (xs[6] - xs[0]) / (xs[5] - xs[0]);
        assert!((ratio - 7.5).abs() < 0.6, "not linear: {xs:?}");
        assert!(svg.contains("線形"));
    }

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

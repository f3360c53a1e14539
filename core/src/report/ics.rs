//! iCalendar export (RFC 5545) of every pending or overdue due time, written by hand: a few dozen
//! lines, where a crate would add weight to the WASM bundle. CRLF line endings, lines folded at 75
//! octets (never inside a UTF-8 character), TEXT values escaped, times in UTC (`Z`), and a UID that
//! stays the same for the same incident and obligation across exports, so calendars update in place.
use sha2::{Digest, Sha256};

use super::escape::ics_text as esc;
use super::Lang;
use crate::eval::{Evaluation, ObligationEval, State};
use crate::record::Record;
use crate::time::fmt_jst;
use crate::vocab::{FieldKey, Term};

/// Obligations exported: pending or overdue, with a due time.
pub fn exported(o: &ObligationEval) -> bool {
    matches!(o.state, State::Pending | State::Overdue) && o.due.is_some()
}

fn utc(t: &crate::time::Instant) -> String {
    t.with_timezone(&chrono::Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Appends one content line, folded: at most 75 octets per physical line, continuation lines start
/// with a space (which counts toward their 75).
fn line(out: &mut String, content: &str) {
    let mut used = 0usize;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// Stable per incident, obligation and the contract (or principal) it is owed under.
fn uid(rec: &Record, o: &ObligationEval) -> String {
    let whom = match o.contract {
        Some(i) => format!("contract\u{0}{}", rec.contracts[i].id),
        None => format!("principal\u{0}{}", rec.contracts[o.principal_of].principal),
    };
    let mut h = Sha256::new();
    h.update(rec.id.as_bytes());
    h.update([0]);
    h.update(o.clause.obligation_id().as_bytes());
    h.update([0]);
    h.update(whom.as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}@roei")
}

/// The calendar: one VEVENT per pending or overdue obligation with a due time. `DTSTAMP` is the
/// export instant (`ev.at`), so the same inputs give the same bytes.
pub fn ics(rec: &Record, ev: &Evaluation, lang: Lang) -> String {
    let mut o = String::with_capacity(2048);
    line(&mut o, "BEGIN:VCALENDAR");
    line(&mut o, "VERSION:2.0");
    line(&mut o, "PRODID:-//roei//incident obligations//JA");
    line(&mut o, "CALSCALE:GREGORIAN");
    line(&mut o, "METHOD:PUBLISH");
    // The record's head hash (`roei verify --anchor`): the calendar says which record it was made from.
    line(&mut o, &format!("X-ROEI-RECORD-HASH:{}", rec.head_hash()));
    line(
        &mut o,
        &format!(
            "X-WR-CALNAME:{}",
            esc(&format!(
                "{} {}",
                lang.pick("事故対応期限", "Incident deadlines"),
                rec.id
            ))
        ),
    );
    let stamp = utc(&ev.at);
    for ob in ev.obligations.iter().filter(|o| exported(o)) {
        let Some(due) = ob.due else { continue };
        let c = ob.clause;
        let who = ob
            .contract
            .map(|i| rec.contracts[i].id.clone())
            .unwrap_or_else(|| rec.contracts[ob.principal_of].principal.clone());
        let legal = match (c.term, ob.days) {
            (Term::Days, Some(d)) => lang.pick(format!("{d}日以内"), format!("within {d} days")),
            _ => c.legal_term.to_string(),
        };
        let stage = c.stage.label(lang);
        let prefix = if ob.state == State::Overdue {
            lang.pick("【期限超過】", "[OVERDUE] ")
        } else {
            ""
        };
        let summary = format!(
            "{prefix}{} {legal} {stage}（{}）",
            c.obligation_id(),
            rec.id
        );
        let missing: Vec<String> = FieldKey::ALL
            .iter()
            .filter(|k| ob.missing_fields & k.bit() != 0)
            .map(|k| k.label(lang).to_string())
            .collect();
        let mut desc = vec![
            format!("{} / {}", rec.id, rec.title.as_deref().unwrap_or("")),
            format!("{}: {}", lang.pick("条項", "Clause"), c.article),
            c.summary.in_lang(lang).to_string(),
            format!(
                "{}: {} / {}: {}",
                lang.pick("法令・契約上の期限", "Legal term"),
                c.legal_term,
                lang.pick("状態", "Status"),
                ob.state.label(lang)
            ),
            format!(
                "{}: {who}",
                lang.pick("契約・委託者", "Contract / principal")
            ),
        ];
        if let Some(t) = &ob.trigger_at {
            desc.push(format!(
                "{}: {}",
                lang.pick("起算", "Triggered"),
                fmt_jst(t)
            ));
        }
        desc.push(format!("{}: {}", lang.pick("期限", "Due"), fmt_jst(&due)));
        if let Some(span) = &ob.target {
            desc.push(format!(
                "{}: {}",
                lang.pick("運用上の目標（ポリシー）", "Operating target (policy)"),
                span.words(lang)
            ));
        }
        if !missing.is_empty() {
            desc.push(format!(
                "{}: {}",
                lang.pick("未記入", "Missing"),
                missing.join(lang.pick("、", ", "))
            ));
        }
        line(&mut o, "BEGIN:VEVENT");
        line(&mut o, &format!("UID:{}", uid(rec, ob)));
        line(&mut o, &format!("DTSTAMP:{stamp}"));
        line(&mut o, &format!("DTSTART:{}", utc(&due)));
        line(&mut o, &format!("SUMMARY:{}", esc(&summary)));
        line(&mut o, &format!("DESCRIPTION:{}", esc(&desc.join("\n"))));
        line(&mut o, &format!("CATEGORIES:{}", esc(c.stage.key())));
        if ob.state == State::Pending {
            // A reminder an hour before, or at the due time for a short target.
            line(&mut o, "BEGIN:VALARM");
            line(&mut o, "ACTION:DISPLAY");
            line(&mut o, &format!("DESCRIPTION:{}", esc(&summary)));
            let lead = if ob.target.is_some_and(|s| s.0.num_hours() < 2) {
                "PT0M"
            } else {
                "PT1H"
            };
            line(&mut o, &format!("TRIGGER:-{lead}"));
            line(&mut o, "END:VALARM");
        }
        line(&mut o, "END:VEVENT");
    }
    line(&mut o, "END:VCALENDAR");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let mut o = String::new();
        let long = format!("DESCRIPTION:{}", "漏えい等報告".repeat(30));
        line(&mut o, &long);
        for l in o.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        // Unfolding (remove CRLF + one space) gives the content back.
        assert_eq!(o.trim_end_matches("\r\n").replace("\r\n ", ""), long);
    }
}

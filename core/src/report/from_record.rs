//! Builds a [`Report`] from the record and its evaluation: which clauses the document answers, what
//! they ask for, and the latest value the record gives for each item.
use serde_json::Value;

use super::*;
use crate::catalog::{Clause, Profile, ProfileKind};
use crate::eval::{ObligationEval, State};
use crate::record::{is_given, FreeData, NotifyMethod, PublishedBy};
use crate::time::{fmt_jst, jst_date};
use crate::vocab::{EventType, FieldKey, Party, Stage};

/// Items 1, 2, 4, 5 and 9: what the notice to data subjects carries (Rules Art. 45 / Art. 10).
const NOTICE_ITEMS: [FieldKey; 5] = [
    FieldKey::Summary,
    FieldKey::DataItems,
    FieldKey::Cause,
    FieldKey::SecondaryDamage,
    FieldKey::Other,
];
/// The `reported_to_principal` contents (docs/FORMATS.md), for a report clause that names none.
const PRINCIPAL_ITEMS: [FieldKey; 4] = [
    FieldKey::Content,
    FieldKey::Count,
    FieldKey::Location,
    FieldKey::Circumstances,
];
/// The `record_submitted` contents (docs/FORMATS.md), for a record clause that names none (nerima 19-1(4)).
const RECORD_ITEMS: [FieldKey; 3] = [FieldKey::Summary, FieldKey::Cause, FieldKey::Prevention];

/// Kept for `report/timeline.rs` only, whose rewrite moves it to [`Lang::pick`]; use that.
pub(crate) fn tr<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    lang.pick(ja, en)
}

/// Kept for `report/timeline.rs` only, whose rewrite moves it to [`State::label`]; use that.
pub(crate) fn state_label(s: State, lang: Lang) -> &'static str {
    s.label(lang)
}

/// Where a clause comes from, for citations: the seed document of a contract profile, or the law.
pub(crate) fn source_of(p: &Profile, lang: Lang) -> String {
    match (p.kind, &p.seed, &p.source) {
        (ProfileKind::Contract, Some(seed), _) => {
            format!("{} {}（seeds/{seed}）", p.issuer.in_lang(lang), p.title)
        }
        (_, _, Some(src)) => src.to_string(),
        _ => p.title.to_string(),
    }
}

/// The text of a free-form value when it is given (read from its JSON text on demand).
fn free_text(v: &FreeData, lang: Lang) -> Option<String> {
    v.is_given().then(|| value_text(&v.to_value(), lang))
}

/// Value text: strings as written, numbers as digits, lists joined, booleans as あり/なし.
fn value_text(v: &Value, lang: Lang) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => lang
            .pick(
                if *b { "あり" } else { "なし" },
                if *b { "yes" } else { "no" },
            )
            .to_string(),
        Value::Array(a) => a
            .iter()
            .filter(|x| is_given(Some(x)))
            .map(|x| value_text(x, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        Value::Object(o) => o
            .iter()
            .filter(|(_, x)| is_given(Some(x)))
            .map(|(k, x)| format!("{k}: {}", value_text(x, lang)))
            .collect::<Vec<_>>()
            .join(lang.pick("、", "; ")),
        Value::Null => String::new(),
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// The latest given value per field key, from the events at or before the report instant that
/// concern the document's contracts. `fields` of report events count under their own key; other
/// event data counts where it means the same thing (the facts' `subjects_count`, the detection's
/// `summary`, the analysed `cause`, the prevention `measures`, containment `measures`, and what the
/// notice and publication events say about items 6 and 7).
pub(crate) struct Values {
    slots: Vec<Option<(String, ValueSource)>>,
}

impl Values {
    pub(crate) fn collect(rec: &Record, ev: &Evaluation, mask: u64, lang: Lang) -> Values {
        let mut slots = vec![None; FieldKey::ALL.len()];
        for e in rec.events_by_time() {
            if e.at > ev.at || e.scope_mask & mask == 0 {
                continue;
            }
            let src = || ValueSource {
                event: e.id.clone(),
                at: fmt_jst(&e.at),
            };
            let mut put = |k: FieldKey, v: String| {
                if !v.trim().is_empty() {
                    slots[k as usize] = Some((v, src()));
                }
            };
            let d = &e.data;
            let text = |v: &Option<FreeData>| v.as_ref().and_then(|v| free_text(v, lang));
            match e.event_type {
                Some(EventType::Detected) => {
                    if let Some(s) = text(&d.summary) {
                        put(FieldKey::Summary, s);
                    }
                }
                Some(EventType::Facts) => {
                    if let Some(n) = d.subjects_count {
                        put(
                            FieldKey::SubjectsCount,
                            format!("{}{}", thousands(n), lang.pick("人", " persons")),
                        );
                    }
                    if let Some(items) = d.data_items.as_ref().filter(|v| !v.is_empty()) {
                        put(FieldKey::DataItems, items.join(lang.pick("、", ", ")));
                    }
                    if let Some(s) = text(&d.location) {
                        put(FieldKey::Location, s);
                    }
                    if let Some(s) = text(&d.circumstances) {
                        put(FieldKey::Circumstances, s);
                    }
                }
                Some(EventType::CauseAnalyzed) => {
                    if let Some(s) = text(&d.cause) {
                        put(FieldKey::Cause, s);
                    }
                }
                Some(EventType::PreventionImplemented) => {
                    if let Some(s) = text(&d.measures) {
                        put(FieldKey::Prevention, s);
                    }
                }
                Some(EventType::ContainmentStarted | EventType::Contained) => {
                    if let Some(s) = text(&d.measures) {
                        put(FieldKey::Measures, s);
                    }
                }
                Some(EventType::SubjectsNotified) => {
                    let how = match d.method {
                        Some(NotifyMethod::PublicNotice) => lang.pick(
                            "本人が容易に知り得る状態に置いた（代替措置）",
                            "made known by public notice (alternative measure)",
                        ),
                        _ => lang.pick("本人へ通知した", "notified the data subjects"),
                    };
                    let count = d
                        .count
                        .map(|n| {
                            lang.pick(
                                format!("（{}件）", thousands(n)),
                                format!(" ({} persons)", thousands(n)),
                            )
                        })
                        .unwrap_or_default();
                    put(
                        FieldKey::SubjectResponse,
                        format!("{} {how}{count}", fmt_jst(&e.at)),
                    );
                }
                Some(EventType::Published) => {
                    let by = match d.by {
                        Some(PublishedBy::Contractor) => lang.pick("受託者が", "by the contractor"),
                        _ => lang.pick("委託者が", "by the principal"),
                    };
                    let url = d
                        .url
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default();
                    put(
                        FieldKey::PublicationStatus,
                        lang.pick(
                            format!("{} {by}公表{url}", fmt_jst(&e.at)),
                            format!("{} published {by}{url}", fmt_jst(&e.at)),
                        ),
                    );
                }
                _ => {}
            }
            if let Some(f) = &d.fields {
                for k in FieldKey::ALL {
                    if let Some(v) = f.get(*k).and_then(|v| free_text(v, lang)) {
                        put(*k, v);
                    }
                }
            }
        }
        Values { slots }
    }

    pub(crate) fn get(&self, k: FieldKey) -> Option<&(String, ValueSource)> {
        self.slots.get(k as usize).and_then(|s| s.as_ref())
    }
}

fn stages(kind: Kind) -> &'static [Stage] {
    match kind {
        Kind::Principal => &[Stage::Report],
        Kind::Record => &[Stage::Record],
        Kind::PpcPreliminary => &[Stage::PpcPreliminary],
        Kind::PpcFinal => &[Stage::PpcFinal],
        Kind::Subjects => &[Stage::Notify],
    }
}

/// Bit set of the contracts an obligation concerns (all of its principal's for national duties).
fn contract_mask(rec: &Record, o: &ObligationEval) -> u64 {
    match o.contract {
        Some(i) => 1u64 << i,
        None => {
            let p = &rec.contracts[o.principal_of].principal;
            rec.contracts
                .iter()
                .enumerate()
                .filter(|(_, c)| &c.principal == p)
                .fold(0, |m, (i, _)| m | 1 << i)
        }
    }
}

fn citation(rec: &Record, o: &ObligationEval, lang: Lang) -> Citation {
    let c: &Clause = o.clause;
    Citation {
        clause: c.id.to_string(),
        obligation: c.obligation_id().to_string(),
        article: c.article.to_string(),
        source: source_of(o.profile, lang),
        legal_term: c.legal_term.to_string(),
        written: c.written,
        summary: c.summary.in_lang(lang).to_string(),
        contract: o.contract.map(|i| rec.contracts[i].id.clone()),
        principal: rec.contracts[o.principal_of].principal.clone(),
        status: o.state,
        status_label: o.state.label(lang).to_string(),
        trigger_at: o.trigger_at.as_ref().map(fmt_jst),
        due: o.due.as_ref().map(fmt_jst),
        done_at: o.done_at.as_ref().map(fmt_jst),
        basis: c.basis.unwrap_or(crate::vocab::Basis::Text),
        basis_label: c
            .basis
            .unwrap_or(crate::vocab::Basis::Text)
            .label(lang)
            .to_string(),
        reportable_by: o.reportable_by.map(|i| rec.events[i].id.clone()),
        due_rolled_from: o.rolled_from.map(|d| d.to_string()),
        overdue_if_applicable: o.overdue_if_applicable,
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// The items of one section: `keys` in order, required where a clause in force lists the key in
/// `fields`, with the clause ids that ask for it.
fn items(
    keys: &[FieldKey],
    in_force: &[&ObligationEval],
    values: &Values,
    lang: Lang,
) -> Vec<Item> {
    keys.iter()
        .map(|&k| {
            let mut clauses = Vec::new();
            let mut required = false;
            for o in in_force {
                let c = o.clause;
                if c.fields.contains(&k) {
                    required = true;
                    push_unique(&mut clauses, &c.id);
                } else if c.contents.contains(&k) {
                    push_unique(&mut clauses, &c.id);
                }
            }
            let (value, source) = match values.get(k) {
                Some((v, s)) => (Some(v.clone()), Some(s.clone())),
                None => (None, None),
            };
            Item {
                key: k.key(),
                label: k.label(lang).to_string(),
                value,
                required,
                clauses,
                source,
            }
        })
        .collect()
}

/// Field keys the clauses in force ask for (required first, then contents), in clause order;
/// `fallback` when they name none.
fn asked(in_force: &[&ObligationEval], fallback: &[FieldKey]) -> Vec<FieldKey> {
    let mut keys: Vec<FieldKey> = Vec::new();
    for o in in_force {
        for k in o.clause.fields.iter().chain(&o.clause.contents) {
            if *k != FieldKey::Written && !keys.contains(k) {
                keys.push(*k);
            }
        }
    }
    if keys.is_empty() {
        keys.extend_from_slice(fallback);
    }
    keys
}

/// The document of `kind` for the record as evaluated at `ev.at`: who it is from and to, its
/// sections, the notes on what is missing or not applicable, the chronology and the citations.
pub fn build(rec: &Record, ev: &Evaluation, kind: Kind, lang: Lang) -> Report {
    let relevant: Vec<&ObligationEval> = ev
        .obligations
        .iter()
        .filter(|o| stages(kind).contains(&o.clause.stage))
        .filter(|o| kind != Kind::Principal || o.contract.is_some())
        .collect();
    let in_force: Vec<&ObligationEval> = relevant
        .iter()
        .copied()
        .filter(|o| o.state != State::NotApplicable)
        .collect();
    let mask = if in_force.is_empty() {
        u64::MAX
    } else {
        in_force.iter().fold(0, |m, o| m | contract_mask(rec, o))
    };
    let values = Values::collect(rec, ev, mask, lang);
    let Parties {
        contracts,
        addressees,
        senders,
        public_notice,
    } = parties(rec, ev, kind, mask, lang);
    let title = title(kind, public_notice, lang);
    let mut notes: Vec<String> = Vec::new();
    let sections = sections(kind, &in_force, &values, public_notice, lang, &mut notes);
    let missing = missing_required(&sections);
    applicability_notes(kind, &relevant, &in_force, lang, &mut notes);
    let chronology = chronology(rec, ev, mask, lang);
    let day = jst_date(&ev.at);
    Report {
        format: REPORT_FORMAT,
        kind,
        lang: lang.key(),
        variant: (kind == Kind::Subjects).then_some(if public_notice {
            "public_notice"
        } else {
            "letter"
        }),
        title,
        incident: IncidentRef {
            id: rec.id.clone(),
            title: rec.title.clone(),
            head: rec.head_hash(),
            events: rec.events.len(),
        },
        date: ReportDate {
            at: fmt_jst(&ev.at),
            iso: day.format("%Y-%m-%d").to_string(),
            era: wareki::era_date(day, lang),
        },
        addressees,
        senders,
        contracts,
        sections,
        chronology: if kind == Kind::Subjects {
            Vec::new()
        } else {
            chronology
        },
        citations: in_force.iter().map(|o| citation(rec, o, lang)).collect(),
        missing,
        notes,
    }
}

/// Who a document is about, from and to.
struct Parties {
    contracts: Vec<ContractRef>,
    addressees: Vec<String>,
    senders: Vec<String>,
    /// A notice to data subjects given as a public notice (Art. 68(2) proviso), not a letter.
    public_notice: bool,
}

/// The contracts (of `mask`) a document answers under, its addressees and its senders.
fn parties(rec: &Record, ev: &Evaluation, kind: Kind, mask: u64, lang: Lang) -> Parties {
    let contract_idx: Vec<usize> = (0..rec.contracts.len())
        .filter(|i| mask & (1u64 << i) != 0)
        .collect();
    let contracts: Vec<ContractRef> = contract_idx
        .iter()
        .map(|&i| {
            let c = &rec.contracts[i];
            let provisions = crate::Catalog::builtin()
                .profile(&c.profile)
                .map(|p| format!("{} {}", p.issuer.in_lang(lang), p.title))
                .unwrap_or_default();
            ContractRef {
                id: c.id.clone(),
                profile: c.profile.clone(),
                provisions,
                principal: c.principal.clone(),
                contractor: c.contractor.clone(),
            }
        })
        .collect();
    let mut principals: Vec<String> = Vec::new();
    let mut contractors: Vec<String> = Vec::new();
    for c in &contracts {
        push_unique(&mut principals, &c.principal);
        let who = c.contractor.clone().unwrap_or_else(|| {
            lang.pick(Party::Contractor.ja(), "the contractor")
                .to_string()
        });
        push_unique(&mut contractors, &who);
    }
    let notice_method = rec
        .events_by_time()
        .filter(|e| e.at <= ev.at && e.event_type == Some(EventType::SubjectsNotified))
        .filter_map(|e| e.data.method)
        .last();
    let public_notice = kind == Kind::Subjects && notice_method == Some(NotifyMethod::PublicNotice);
    let (addressees, senders) = match kind {
        Kind::Principal | Kind::Record => (principals.clone(), contractors),
        Kind::PpcPreliminary | Kind::PpcFinal => (
            vec![lang
                .pick(
                    "個人情報保護委員会",
                    "Personal Information Protection Commission",
                )
                .to_string()],
            principals.clone(),
        ),
        Kind::Subjects if public_notice => (Vec::new(), principals.clone()),
        Kind::Subjects => (
            vec![lang
                .pick("本人各位", "To the persons concerned")
                .to_string()],
            principals.clone(),
        ),
    };

    Parties {
        contracts,
        addressees,
        senders,
        public_notice,
    }
}

/// The document's title.
fn title(kind: Kind, public_notice: bool, lang: Lang) -> String {
    match kind {
        Kind::Principal => lang.pick("個人情報事故報告書", "Incident report to the principal"),
        Kind::Record => lang.pick("事故等の記録（報告書）", "Written record of the incident"),
        Kind::PpcPreliminary => lang.pick(
            "保有個人情報の漏えい等報告（速報）",
            "Report of a leak or the like to the PPC (preliminary)",
        ),
        Kind::PpcFinal => lang.pick(
            "保有個人情報の漏えい等報告（確報）",
            "Report of a leak or the like to the PPC (final)",
        ),
        Kind::Subjects if public_notice => lang.pick(
            "個人情報の漏えい等に関するお知らせ（公表）",
            "Public notice of a personal-information incident",
        ),
        Kind::Subjects => lang.pick(
            "個人情報の漏えい等に関するお知らせ",
            "Notice of a personal-information incident",
        ),
    }
    .to_string()
}

/// The sections of a document of `kind`: the items its clauses ask for, with the notes that explain
/// the form (appended to `notes`).
fn sections(
    kind: Kind,
    in_force: &[&ObligationEval],
    values: &Values,
    public_notice: bool,
    lang: Lang,
    notes: &mut Vec<String>,
) -> Vec<Section> {
    let mut sections = Vec::new();
    match kind {
        Kind::Principal => {
            let keys = asked(in_force, &PRINCIPAL_ITEMS);
            sections.push(Section {
                id: "required",
                heading: lang.pick("報告事項", "Items reported").to_string(),
                items: items(&keys, in_force, values, lang),
            });
            sections.push(Section {
                id: "measures",
                heading: lang.pick("講じた措置", "Measures taken").to_string(),
                items: items(&[FieldKey::Measures], in_force, values, lang),
            });
            let rest: Vec<FieldKey> = FieldKey::PPC_ITEMS
                .into_iter()
                .filter(|k| !keys.contains(k))
                .collect();
            sections.push(Section {
                id: "ppc_items",
                heading: lang
                    .pick(
                        "個人情報保護委員会への報告事項（判明している範囲）",
                        "Items of a report to the PPC (as far as known)",
                    )
                    .to_string(),
                items: items(&rest, in_force, values, lang),
            });
            notes.push(
                lang.pick("受託者が個人情報取扱事業者である場合、委託元である委託者に本報告を行うことで、個人情報保護法第26条第1項ただし書による委託元への通知を兼ねることができるよう、判明している報告事項（施行規則第8条の9項目）を併記しています。",
                    "Where the contractor is a private business, this report to the principal (the entrusting party) can also serve as its notice under APPI Art. 26(1) proviso; the nine items of Rules Art. 8 are listed as far as known.",
                )
                .to_string(),
            );
        }
        Kind::Record => {
            let keys = asked(in_force, &RECORD_ITEMS);
            sections.push(Section {
                id: "required",
                heading: lang.pick("記載事項", "Contents").to_string(),
                items: items(&keys, in_force, values, lang),
            });
            if in_force.iter().any(|o| o.clause.fields.is_empty()) {
                notes.push(lang.pick("記録の提出を定める条項のうち記載事項を定めていないものについては、概要・原因等の事実関係・再発防止のために採った措置を記載しています。",
                    "Where the clause names no contents for the record, the summary, the facts including the cause and the prevention measures are given.").to_string());
            }
        }
        Kind::PpcPreliminary | Kind::PpcFinal => {
            let keys = asked(in_force, &FieldKey::PPC_ITEMS);
            sections.push(Section {
                id: "required",
                heading: lang.pick("報告事項", "Items reported").to_string(),
                items: items(&keys, in_force, values, lang),
            });
            notes.push(if kind == Kind::PpcPreliminary {
                lang.pick("速報は、報告をしようとする時点において把握しているものを報告するものです（施行規則第44条）。未記入の事項は判明次第、確報で報告します。",
                   "A preliminary report carries what is known when it is made (Rules Art. 44); the items left blank follow in the final report.").to_string()
            } else {
                lang.pick("確報は全ての事項を報告するものです（施行規則第44条）。未記入の事項があれば、報告前に補ってください。",
                   "A final report carries every item (Rules Art. 44); fill in any item marked missing before sending.").to_string()
            });
        }
        Kind::Subjects => {
            let keys = asked(in_force, &NOTICE_ITEMS);
            sections.push(Section {
                id: "notice_items",
                heading: lang
                    .pick("お知らせする事項", "What we must tell you")
                    .to_string(),
                items: items(&keys, in_force, values, lang),
            });
            if public_notice {
                notes.push(lang.pick("本人への通知が困難な場合に、本人の権利利益を保護するために必要な代替措置（法第68条第2項ただし書）として公表する文案です。通知が困難である理由を記録してください。",
                    "Text for the public notice used as the alternative measure where individual notice is difficult (Art. 68(2) proviso); record why notice was difficult.").to_string());
            }
        }
    }

    sections
}

/// Required fields of a written clause still missing, flagged in the notes with the clause.
fn missing_required(sections: &[Section]) -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = Vec::new();
    for s in sections {
        for it in &s.items {
            if it.required && it.value.is_none() && !missing.contains(&it.key) {
                missing.push(it.key);
            }
        }
    }
    missing
}

/// Notes on what does not apply (yet): no clause in force, clauses ruled out, clauses waiting for facts.
fn applicability_notes(
    kind: Kind,
    relevant: &[&ObligationEval],
    in_force: &[&ObligationEval],
    lang: Lang,
    notes: &mut Vec<String>,
) {
    if in_force.is_empty() {
        notes.push(match kind {
            Kind::Principal => lang.pick("この事案の契約に、委託者への報告を定める条項で現時点で該当するものはありません。", "No clause of this incident's contracts currently requires a report to the principal."),
            Kind::Record => lang.pick("この事案の契約に、記録（報告書）の提出を定める条項で現時点で該当するものはありません。", "No clause of this incident's contracts currently requires a written record."),
            Kind::PpcPreliminary | Kind::PpcFinal => lang.pick("現時点で、個人情報保護委員会への報告を要する事態（施行規則第43条）に該当していません。", "The incident is not, as of this date, one that must be reported to the PPC (Rules Art. 43)."),
            Kind::Subjects => lang.pick("現時点で、本人への通知を要する条項に該当していません。", "No clause currently requires notice to the data subjects."),
        }.to_string());
    }
    let ruled_out: Vec<String> = relevant
        .iter()
        .filter(|o| o.state == State::NotApplicable)
        .map(|o| o.clause.obligation_id().to_string())
        .collect();
    if !ruled_out.is_empty() {
        notes.push(format!(
            "{}{}",
            lang.pick("対象外の条項: ", "Clauses not applicable: "),
            ruled_out.join(", ")
        ));
    }
    for o in in_force {
        if o.state == State::Undetermined {
            let facts: Vec<&str> = o.missing_facts.iter().map(|f| f.label(lang)).collect();
            notes.push(format!(
                "{} {}: {}",
                o.clause.obligation_id(),
                lang.pick(
                    "の適用は次の事実の記録により決まります",
                    "applies depending on facts not yet recorded"
                ),
                facts.join(lang.pick("、", ", "))
            ));
        }
    }
}

/// The record's events up to `ev.at` that concern the contracts of `mask`, in time order.
fn chronology(rec: &Record, ev: &Evaluation, mask: u64, lang: Lang) -> Vec<ChronoEntry> {
    rec.events_by_time()
        .filter(|e| e.at <= ev.at && e.scope_mask & mask != 0)
        .map(|e| ChronoEntry {
            event: e.id.clone(),
            at: fmt_jst(&e.at),
            event_type: e.type_name.to_string(),
            label: e
                .event_type
                .map(|t| t.label(lang).to_string())
                .unwrap_or_else(|| e.type_name.to_string()),
            text: event_text(e, lang),
            recorded_at: e
                .recorded_at
                .filter(|r| (*r - e.at).num_seconds().abs() >= 60)
                .map(|r| fmt_jst(&r)),
            recorder: e.recorder.as_deref().and_then(recorder_text),
        })
        .collect()
}

/// `name（department）`, `name` or `department` of an event's recorder; None when it names neither.
fn recorder_text(r: &crate::record::Recorder) -> Option<String> {
    match (r.name.as_deref(), r.department.as_deref()) {
        (Some(n), Some(d)) => Some(format!("{n}（{d}）")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => None,
    }
}

/// The free text an event carries, for the chronology.
fn event_text(e: &crate::record::Event, lang: Lang) -> Option<String> {
    let d = &e.data;
    let mut parts: Vec<String> = Vec::new();
    for v in [
        &d.summary,
        &d.measures,
        &d.what,
        &d.reason,
        &d.text,
        &d.cause,
        &d.location,
        &d.circumstances,
    ]
    .into_iter()
    .flatten()
    {
        parts.extend(free_text(v, lang));
    }
    if let Some(k) = d.kind {
        parts.insert(0, k.label(lang).to_string());
    }
    if d.signs_only == Some(true) {
        parts.push(lang.pick("（兆候）", "(signs only)").to_string());
    }
    if let Some(n) = d.subjects_count {
        parts.push(format!(
            "{}{}",
            lang.pick("本人の数 ", "subjects "),
            thousands(n)
        ));
    }
    if let Some(f) = &d.fields {
        for k in FieldKey::ALL {
            if let Some(v) = f.get(*k).and_then(|v| free_text(v, lang)) {
                parts.push(format!("{}: {}", k.label(lang), v));
            }
        }
    }
    if d.written == Some(true) {
        parts.push(lang.pick("（書面）", "(in writing)").to_string());
    }
    if let Some(u) = &d.url {
        parts.push(u.clone());
    }
    (!parts.is_empty()).then(|| parts.join(lang.pick("／", " / ")))
}

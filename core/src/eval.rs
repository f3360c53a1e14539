//! Evaluation: the status of every obligation at an instant, derived from the record (a pure fold;
//! nothing is stored). Only events at or before the instant count, so any past state can be replayed.
//!
//! Rules, each from interchange.md / clauses.md / law.md:
//! - An obligation's clock starts at its trigger: the incident as its profile counts it (signs count
//!   only where the clause says 兆候/おそれ), the principal's knowledge, or the principal's instruction.
//! - The principal knows at the earliest of the contractor's report to it and any `principal_aware`.
//!   National duties start when the principal knows *and* the incident counts under the national scope.
//! - A dismissal rules out what it precedes; what signs had already triggered stays owed.
//! - `done` needs every required field, across several events if need be, in writing where the clause
//!   says 書面; `done_at` is the instant of the event that completed it.
use serde::Serialize;

use crate::catalog::{Catalog, Clause, Condition, Predicate, Profile, ProfileKind, Scope};
use crate::policy::Policy;
use crate::record::{Event, NotifyMethod, PublishedBy, Record, Warning};
use crate::time::{day_count_deadline, fmt_jst, Instant, Span};
use crate::vocab::*;

pub const STATUS_FORMAT: &str = "roei/status@1";

/// Status of one obligation: a word of the closed vocabulary ([`crate::vocab`]).
pub use crate::vocab::State;

/// The evaluated state of one obligation instance, typed (no strings built).
#[derive(Debug, Clone)]
pub struct ObligationEval<'c> {
    pub profile: &'c Profile,
    pub clause: &'c Clause,
    /// Index into `record.contracts` (`None` for national duties).
    pub contract: Option<usize>,
    /// Index of a contract whose principal this duty is owed by/to (the first one for national duties).
    pub principal_of: usize,
    pub trigger_at: Option<Instant>,
    pub due: Option<Instant>,
    pub target: Option<Span>,
    pub days: Option<u32>,
    pub state: State,
    /// Required fields still missing (bits of [`FieldKey`]).
    pub missing_fields: u32,
    /// Facts an `undetermined` duty waits for.
    pub missing_facts: Vec<Fact>,
    pub done_at: Option<Instant>,
}

impl ObligationEval<'_> {
    pub fn missing_keys(&self) -> Vec<&'static str> {
        if self.state == State::Undetermined {
            return self.missing_facts.iter().map(|f| f.key()).collect();
        }
        FieldKey::ALL
            .iter()
            .filter(|k| self.missing_fields & k.bit() != 0)
            .map(|k| k.key())
            .collect()
    }
}

/// Every obligation of a record at an instant.
#[derive(Debug, Clone)]
pub struct Evaluation<'c> {
    pub at: Instant,
    pub obligations: Vec<ObligationEval<'c>>,
    pub warnings: Vec<Warning>,
}

/// Facts as of the instant (later `facts` events override earlier ones, key by key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub subjects_count: Option<u64>,
    pub data_items: bool,
    pub sensitive: Option<bool>,
    pub ordinance_sensitive: Option<bool>,
    pub financial_damage_risk: Option<bool>,
    pub improper_purpose: Option<bool>,
    pub encrypted: Option<bool>,
    pub my_number: Option<bool>,
    pub my_number_system: Option<bool>,
    pub public_exposure: Option<bool>,
    pub location: bool,
    pub circumstances: bool,
}

impl Facts {
    fn apply(&mut self, e: &Event) {
        let d = &e.data;
        macro_rules! over { ($($f:ident),*) => { $( if d.$f.is_some() { self.$f = d.$f; } )* } }
        over!(
            subjects_count,
            sensitive,
            ordinance_sensitive,
            financial_damage_risk,
            improper_purpose,
            encrypted,
            my_number,
            my_number_system,
            public_exposure
        );
        self.data_items |= d.data_items.as_ref().is_some_and(|v| !v.is_empty());
        self.location |= crate::record::is_given(d.location.as_ref());
        self.circumstances |= crate::record::is_given(d.circumstances.as_ref());
    }

    fn truth(&self, f: Fact) -> Option<bool> {
        match f {
            Fact::Sensitive => self.sensitive,
            Fact::OrdinanceSensitive => self.ordinance_sensitive,
            Fact::FinancialDamageRisk => self.financial_damage_risk,
            Fact::ImproperPurpose => self.improper_purpose,
            Fact::Encrypted => self.encrypted,
            Fact::MyNumber => self.my_number,
            Fact::MyNumberSystem => self.my_number_system,
            Fact::PublicExposure => self.public_exposure,
            Fact::SubjectsCount => self.subjects_count.map(|n| n > 0),
            Fact::DataItems => Some(self.data_items),
            Fact::Location => Some(self.location),
            Fact::Circumstances => Some(self.circumstances),
        }
    }
}

/// Three-valued truth for conditions on facts not yet recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

fn pred(p: &Predicate, f: &Facts) -> Tri {
    let v = match (p.fact, p.gt) {
        (Fact::SubjectsCount, Some(n)) => f.subjects_count.map(|c| c > n),
        (fact, _) => f.truth(fact),
    };
    match v {
        Some(true) => Tri::Yes,
        Some(false) => Tri::No,
        None if p.absent_is_false => Tri::No,
        None => Tri::Unknown,
    }
}

fn all(ps: &[Predicate], f: &Facts) -> Tri {
    ps.iter().fold(Tri::Yes, |acc, p| match (acc, pred(p, f)) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
        _ => Tri::Yes,
    })
}

fn any(ps: &[Predicate], f: &Facts) -> Tri {
    ps.iter().fold(Tri::No, |acc, p| match (acc, pred(p, f)) {
        (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
        (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
        _ => Tri::No,
    })
}

/// Evaluates a condition; for `Unknown`, the facts that would settle it.
pub fn condition(c: &Condition, f: &Facts) -> (Tri, Vec<Fact>) {
    let a = all(&c.all, f);
    let y = if c.any.is_empty() {
        Tri::Yes
    } else {
        any(&c.any, f)
    };
    let n = match any(&c.none, f) {
        Tri::Yes => Tri::No,
        Tri::No => Tri::Yes,
        Tri::Unknown => Tri::Unknown,
    };
    let r = [a, y, n]
        .into_iter()
        .fold(Tri::Yes, |acc, t| match (acc, t) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::Yes,
        });
    let mut missing = Vec::new();
    if r == Tri::Unknown {
        for (group, t) in [(&c.all, a), (&c.any, y), (&c.none, n)] {
            if t == Tri::Unknown {
                for p in group.iter() {
                    if pred(p, f) == Tri::Unknown && !missing.contains(&p.fact) {
                        missing.push(p.fact);
                    }
                }
            }
        }
    }
    (r, missing)
}

/// Where the incident stands under one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeState {
    /// Nothing detected yet.
    Nothing,
    /// Detected, but no kind this scope counts.
    OutOfScope,
    /// Only signs, and this scope counts occurrences: waits for `confirmed`.
    SignsOnly,
    At(Instant),
}

/// Up to four conditions: key, truth, whether facts are missing.
type ConditionMemo = ([(usize, Tri, bool); 4], usize);

/// The facts and milestones of the record up to the instant, computed once per evaluation.
struct View<'r> {
    rec: &'r Record,
    /// Prefix of `rec.order`: the events at or before the instant, in instant order.
    order: &'r [u32],
    facts: Facts,
    /// Set when the latest confirm/dismiss decision is a dismissal.
    dismissed_at: Option<Instant>,
    /// Small memo of scope results (a record has few distinct profiles).
    scopes: std::cell::RefCell<([(usize, ScopeState); 8], usize)>,
    /// Memo of condition results (facts are fixed for the instant).
    conditions: std::cell::RefCell<ConditionMemo>,
}

impl<'r> View<'r> {
    fn new(rec: &'r Record, at: &Instant) -> View<'r> {
        let order = &rec.order[..rec.count_until(at)];
        let mut facts = Facts::default();
        let mut dismissed_at = None;
        for &i in order {
            let e = &rec.events[i as usize];
            match e.event_type {
                Some(EventType::Facts) => facts.apply(e),
                Some(EventType::Dismissed) => dismissed_at = Some(e.at),
                Some(EventType::Confirmed) => dismissed_at = None,
                _ => {}
            }
        }
        View {
            rec,
            order,
            facts,
            dismissed_at,
            scopes: std::cell::RefCell::new(([(0, ScopeState::Nothing); 8], 0)),
            conditions: std::cell::RefCell::new(([(0, Tri::Unknown, false); 4], 0)),
        }
    }

    fn condition(&self, c: &Condition) -> (Tri, Vec<Fact>) {
        let key = c as *const Condition as usize;
        if let Ok(memo) = self.conditions.try_borrow() {
            if let Some((_, t, missing)) = memo.0[..memo.1].iter().find(|(k, ..)| *k == key) {
                // Decided conditions cost nothing; an undetermined one (rare) lists its facts again.
                if !missing {
                    return (*t, Vec::new());
                }
            }
        }
        let (t, m) = condition(c, &self.facts);
        if let Ok(mut memo) = self.conditions.try_borrow_mut() {
            let n = memo.1;
            if n < memo.0.len() && !memo.0[..n].iter().any(|(k, ..)| *k == key) {
                memo.0[n] = (key, t, !m.is_empty());
                memo.1 += 1;
            }
        }
        (t, m)
    }

    fn events(&self) -> impl Iterator<Item = &'r Event> + '_ {
        self.order.iter().map(|&i| &self.rec.events[i as usize])
    }

    fn scope(&self, s: &Scope) -> ScopeState {
        let key = s as *const Scope as usize;
        if let Ok(memo) = self.scopes.try_borrow() {
            if let Some((_, st)) = memo.0[..memo.1].iter().find(|(k, _)| *k == key) {
                return *st;
            }
        }
        let st = self.scope_uncached(s);
        if let Ok(mut memo) = self.scopes.try_borrow_mut() {
            let n = memo.1;
            if n < memo.0.len() {
                memo.0[n] = (key, st);
                memo.1 += 1;
            }
        }
        st
    }

    fn scope_uncached(&self, s: &Scope) -> ScopeState {
        let mut counted = false;
        let mut detected = false;
        for e in self.events() {
            match e.event_type {
                Some(EventType::Detected) => {
                    detected = true;
                    let Some(kind) = e.data.kind else { continue };
                    if !s.kinds.contains(&kind) {
                        continue;
                    }
                    counted = true;
                    if s.signs || !e.data.signs_only.unwrap_or(false) {
                        return ScopeState::At(e.at);
                    }
                }
                Some(EventType::Confirmed) if counted => return ScopeState::At(e.at),
                _ => {}
            }
        }
        match (detected, counted) {
            (false, _) => ScopeState::Nothing,
            (true, false) => ScopeState::OutOfScope,
            (true, true) => ScopeState::SignsOnly,
        }
    }

    /// When the principal of the contracts in `mask` first knew.
    fn principal_knows(&self, mask: u64) -> Option<Instant> {
        self.events()
            .find(|e| {
                matches!(
                    e.event_type,
                    Some(EventType::ReportedToPrincipal) | Some(EventType::PrincipalAware)
                ) && e.scope_mask & mask != 0
            })
            .map(|e| e.at)
    }

    fn instruction(&self, mask: u64) -> Option<&'r Event> {
        self.events().find(|e| {
            e.event_type == Some(EventType::InstructionReceived) && e.scope_mask & mask != 0
        })
    }
}

/// One obligation instance to evaluate: a clause of a contract, or a national clause for a principal.
struct Instance<'c> {
    profile: &'c Profile,
    clause: &'c Clause,
    contract: Option<usize>,
    /// Contracts whose events count (one, or all of a principal's), as a bit set.
    mask: u64,
    /// First contract of the principal.
    first: usize,
}

/// Calls `f` for every obligation instance of the record, in output order: each contract's clauses,
/// then the national layers once per distinct principal (in catalog order), without allocating.
fn for_each_instance<'c>(rec: &Record, catalog: &'c Catalog, mut f: impl FnMut(Instance<'c>)) {
    let profiles: Vec<Option<&'c Profile>> = rec
        .contracts
        .iter()
        .map(|c| catalog.profile(&c.profile))
        .collect();
    for (ci, c) in rec.contracts.iter().enumerate() {
        let Some(p) = profiles[ci] else { continue };
        for cl in p.incident_clauses() {
            if !c.omit.is_empty()
                && c.omit
                    .iter()
                    .any(|o| o == cl.obligation_id() || o == &cl.id)
            {
                continue;
            }
            f(Instance {
                profile: p,
                clause: cl,
                contract: Some(ci),
                mask: 1 << ci,
                first: ci,
            });
        }
    }
    for (first, c) in rec.contracts.iter().enumerate() {
        if rec.contracts[..first]
            .iter()
            .any(|k| k.principal == c.principal)
        {
            continue;
        }
        let mask = rec
            .contracts
            .iter()
            .enumerate()
            .filter(|(_, k)| k.principal == c.principal)
            .fold(0u64, |m, (i, _)| m | 1 << i);
        let wants = |layer: &str| {
            rec.contracts.iter().enumerate().any(|(i, k)| {
                mask & (1 << i) != 0
                    && match &k.national {
                        Some(v) => v.iter().any(|n| n == layer),
                        None => profiles[i].is_some_and(|p| p.national.iter().any(|n| n == layer)),
                    }
            })
        };
        for p in catalog
            .profiles
            .iter()
            .filter(|p| p.kind == ProfileKind::National)
        {
            if !wants(&p.id) {
                continue;
            }
            for cl in p.incident_clauses() {
                f(Instance {
                    profile: p,
                    clause: cl,
                    contract: None,
                    mask,
                    first,
                });
            }
        }
    }
}

/// Status of every obligation of `rec` at `at`, with the built-in catalog.
pub fn evaluate(rec: &Record, at: &Instant, policy: &Policy) -> Evaluation<'static> {
    evaluate_with(rec, at, policy, Catalog::builtin())
}

pub fn evaluate_with<'c>(
    rec: &Record,
    at: &Instant,
    policy: &Policy,
    catalog: &'c Catalog,
) -> Evaluation<'c> {
    let view = View::new(rec, at);
    let mut warnings = rec.warnings.clone();
    let ignored = rec.events.len() - view.order.len();
    if ignored > 0 {
        warnings.push(Warning {
            code: "future_events_ignored",
            message: format!(
                "{ignored} event(s) dated after {} are not counted",
                fmt_jst(at)
            ),
            path: "events".into(),
        });
    }
    for (i, c) in rec.contracts.iter().enumerate() {
        if let Some(p) = catalog.profile(&c.profile) {
            if !p.variants.is_empty() && c.variant.is_none() && c.omit.is_empty() {
                warnings.push(Warning {
                    code: "variant_not_given",
                    message: format!(
                        "profile '{}' picks clauses per contract type, and the seed lost the marks that say which: every clause applies unless listed in 'omit'",
                        p.id
                    ),
                    path: format!("contracts[{i}].variant"),
                });
            }
        }
    }
    let mut obligations = Vec::with_capacity(16);
    let mut beyond_table = false;
    let mut kept_after_dismissal = false;
    let mut alternative_notice = false;
    for_each_instance(rec, catalog, |inst| {
        let ev = eval_one(&view, &inst, at, policy, &mut beyond_table);
        if let (Some(d), Some(t)) = (view.dismissed_at, ev.trigger_at) {
            if t <= d && ev.state != State::NotApplicable {
                kept_after_dismissal = true;
            }
        }
        if ev.clause.owed_by == Party::Principal
            && ev.clause.stage == Stage::Notify
            && ev.done_at.is_some()
            && ev.profile.kind == ProfileKind::National
        {
            alternative_notice |= view.events().any(|e| {
                e.event_type == Some(EventType::SubjectsNotified)
                    && e.data.method == Some(NotifyMethod::PublicNotice)
            });
        }
        obligations.push(ev);
    });
    if alternative_notice {
        warnings.push(Warning {
            code: "alternative_notice",
            message: "subjects were told by public notice: the law allows this alternative only where individual notice is difficult; record why".into(),
            path: "events".into(),
        });
    }
    if kept_after_dismissal {
        warnings.push(Warning {
            code: "dismissed_but_owed",
            message: "the incident was dismissed, but obligations its signs had already triggered stay owed".into(),
            path: "events".into(),
        });
    }
    if beyond_table {
        warnings.push(Warning {
            code: "holiday_table_range",
            message: format!(
                "a deadline falls outside the holiday table ({}-{}); weekends and the year-end closure were applied, national holidays were not",
                crate::holidays::FIRST_YEAR,
                crate::holidays::LAST_YEAR
            ),
            path: String::new(),
        });
    }
    Evaluation {
        at: *at,
        obligations,
        warnings,
    }
}

fn eval_one<'c>(
    view: &View,
    inst: &Instance<'c>,
    at: &Instant,
    policy: &Policy,
    beyond_table: &mut bool,
) -> ObligationEval<'c> {
    let cl = inst.clause;
    let mut ev = ObligationEval {
        profile: inst.profile,
        clause: cl,
        contract: inst.contract,
        principal_of: inst.first,
        trigger_at: None,
        due: None,
        target: None,
        days: cl.days,
        state: State::Waiting,
        missing_fields: cl.required_mask(),
        missing_facts: Vec::new(),
        done_at: None,
    };
    if cl.written && cl.fields.is_empty() {
        ev.missing_fields = FieldKey::Written.bit();
    }
    let t_inc = match view.scope(&inst.profile.scope) {
        ScopeState::OutOfScope => {
            ev.state = State::NotApplicable;
            ev.missing_fields = 0;
            return ev;
        }
        ScopeState::Nothing => return ev,
        ScopeState::SignsOnly => {
            if view.dismissed_at.is_some() {
                ev.state = State::NotApplicable;
                ev.missing_fields = 0;
            }
            return ev;
        }
        ScopeState::At(t) => t,
    };
    let mut instruction_rules_out = false;
    ev.trigger_at = match cl.trigger {
        Trigger::Incident => Some(t_inc),
        Trigger::PrincipalKnows => view.principal_knows(inst.mask).map(|k| k.max(t_inc)),
        Trigger::Instruction => view.instruction(inst.mask).map(|e| {
            instruction_rules_out =
                cl.stage == Stage::Notify && e.data.notify_subjects == Some(false);
            e.at.max(t_inc)
        }),
        Trigger::Standing => None,
    };
    let (cond, missing_facts) = match cl
        .applies_if
        .as_ref()
        .and_then(|n| inst.profile.conditions.get(n))
    {
        Some(c) => view.condition(c),
        None => (Tri::Yes, Vec::new()),
    };
    let dismissed_first = match (view.dismissed_at, ev.trigger_at) {
        (Some(d), Some(t)) => d < t,
        (Some(_), None) => true,
        _ => false,
    };
    if cond == Tri::No || instruction_rules_out || dismissed_first {
        ev.state = State::NotApplicable;
        ev.missing_fields = 0;
        return ev;
    }
    let Some(trigger) = ev.trigger_at else {
        if cond == Tri::Unknown {
            ev.state = State::Undetermined;
            ev.missing_facts = missing_facts;
        }
        return ev;
    };
    // Due: a day count for fixed periods, the policy's operating target for time words.
    if cl.term == Term::Days {
        let mut days = cl.days.unwrap_or(0);
        for alt in &cl.days_if {
            if view.facts.truth(alt.fact) == Some(true) {
                days = alt.days;
            }
        }
        ev.days = Some(days);
        let roll = policy.holiday_roll_forward.then_some(&policy.closed_days);
        if let Some(d) = day_count_deadline(&trigger, days, policy.day_count, roll) {
            *beyond_table |= d.beyond_holiday_table;
            ev.due = Some(d.due);
        }
    } else if let Some(span) = policy.target(cl.term) {
        ev.target = Some(span);
        ev.due = trigger.checked_add_signed(span.0);
    }
    let (done_at, missing) = completion(view, inst);
    ev.missing_fields = missing;
    ev.done_at = done_at;
    ev.state = match (done_at, cond) {
        (Some(d), _) => match ev.due {
            Some(due) if d > due => State::DoneLate,
            _ => State::Done,
        },
        (None, Tri::Unknown) => {
            ev.missing_facts = missing_facts;
            State::Undetermined
        }
        (None, _) if cl.term == Term::May => State::Optional,
        (None, _) => match ev.due {
            Some(due) if *at > due => State::Overdue,
            _ => State::Pending,
        },
    };
    if ev.state == State::Optional {
        ev.missing_fields = 0;
    }
    ev
}

/// When the obligation was completed, and what is still missing.
fn completion(view: &View, inst: &Instance) -> (Option<Instant>, u32) {
    let cl = inst.clause;
    let Some(done_by) = &cl.done_by else {
        return (None, cl.required_mask());
    };
    let required = cl.required_mask();
    let (mut all, mut written, mut any_written, mut any) = (0u32, 0u32, false, false);
    for e in view.events() {
        if e.event_type != Some(done_by.event) || e.scope_mask & inst.mask == 0 {
            continue;
        }
        if inst.profile.kind == ProfileKind::National
            && e.data.layer.as_ref().is_some_and(|l| l != &inst.profile.id)
        {
            continue;
        }
        if let Some(by) = done_by.by {
            let who = match e.data.by {
                Some(PublishedBy::Principal) => Party::Principal,
                Some(PublishedBy::Contractor) => Party::Contractor,
                None => match e.actor {
                    Actor::Principal => Party::Principal,
                    Actor::Contractor => Party::Contractor,
                    _ => continue,
                },
            };
            if who != by {
                continue;
            }
        }
        let given = e.given;
        any = true;
        all |= given;
        if e.data.written == Some(true) {
            written |= given;
            any_written = true;
        }
        let complete = if cl.written {
            any_written && required & !written == 0
        } else {
            required & !all == 0
        };
        if complete {
            return (Some(e.at), 0);
        }
    }
    // Fields never given are listed by name; `written` is listed when something was given only
    // orally, or (for a clause with no listed contents) nothing has been given in writing yet.
    let mut missing = required & !all;
    let oral_only = required & all & !written != 0;
    if cl.written && (oral_only || (required == 0 && !any_written) || (any && !any_written)) {
        missing |= FieldKey::Written.bit();
    }
    (None, missing)
}

/// `roei/status@1`, ready to serialise.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub format: &'static str,
    pub incident: String,
    pub at: String,
    pub obligations: Vec<ObligationStatus>,
    pub warnings: Vec<Warning>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ObligationStatus {
    pub clause: String,
    /// Unique obligation id (a clause can yield several: `nerima:19-1(1)/contain`).
    pub obligation: String,
    pub profile: String,
    pub contract: Option<String>,
    pub principal: String,
    pub stage: Stage,
    pub owed_by: Party,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub jointly_with: Option<Party>,
    pub owed_to: Party,
    pub term: Term,
    pub legal_term: String,
    /// The operating target the due time came from (`PT1H`), if any.
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub days: Option<u32>,
    pub written: bool,
    pub trigger_at: Option<String>,
    pub due: Option<String>,
    pub hard: bool,
    pub status: State,
    pub missing: Vec<&'static str>,
    pub done_at: Option<String>,
    pub label: crate::catalog::Text,
}

impl Evaluation<'_> {
    pub fn to_status(&self, rec: &Record) -> Status {
        Status {
            format: STATUS_FORMAT,
            incident: rec.id.clone(),
            at: fmt_jst(&self.at),
            obligations: self
                .obligations
                .iter()
                .map(|o| ObligationStatus {
                    clause: o.clause.id.to_string(),
                    obligation: o.clause.obligation_id().to_string(),
                    profile: o.profile.id.to_string(),
                    contract: o.contract.map(|i| rec.contracts[i].id.clone()),
                    principal: rec.contracts[o.principal_of].principal.clone(),
                    stage: o.clause.stage,
                    owed_by: o.clause.owed_by,
                    jointly_with: o.clause.jointly_with,
                    owed_to: o.clause.owed_to,
                    term: o.clause.term,
                    legal_term: o.clause.legal_term.to_string(),
                    target: o.target.map(|s| s.to_iso()),
                    days: o.days,
                    written: o.clause.written,
                    trigger_at: o.trigger_at.as_ref().map(fmt_jst),
                    due: o.due.as_ref().map(fmt_jst),
                    hard: o.clause.term == Term::Days,
                    status: o.state,
                    missing: o.missing_keys(),
                    done_at: o.done_at.as_ref().map(fmt_jst),
                    label: o.clause.summary.clone(),
                })
                .collect(),
            warnings: self.warnings.clone(),
        }
    }

    /// How many obligations are in each state.
    pub fn counts(&self) -> [usize; 8] {
        let mut c = [0; 8];
        for o in &self.obligations {
            c[o.state as usize] += 1;
        }
        c
    }
}

/// The status of a record at an instant, as `roei/status@1`.
pub fn status(rec: &Record, at: &Instant, policy: &Policy) -> Status {
    evaluate(rec, at, policy).to_status(rec)
}

//! Evaluation: the status of every obligation at an instant, derived from the record (a pure fold;
//! nothing is stored). Only events at or before the instant count, so any past state can be replayed.
//!
//! Rules, each from docs/FORMATS.md, the contracts' clauses or the law:
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
use crate::time::{day_count_deadline, fmt_jst, ClosedDays, Instant, Span};
use crate::vocab::*;

/// The `format` of a status.
pub const STATUS_FORMAT: &str = "roei/status@1";

/// Status of one obligation: a word of the closed vocabulary ([`crate::vocab`]).
pub use crate::vocab::State;

/// The evaluated state of one obligation instance, typed (no strings built).
#[derive(Debug, Clone)]
pub struct ObligationEval<'c> {
    /// The profile the duty comes from.
    pub profile: &'c Profile,
    /// Its clause.
    pub clause: &'c Clause,
    /// Index into `record.contracts` (`None` for national duties).
    pub contract: Option<usize>,
    /// Index of a contract whose principal this duty is owed by/to (the first one for national duties).
    pub principal_of: usize,
    /// When its clock started.
    pub trigger_at: Option<Instant>,
    /// Its due time (none for `may`, `best_effort`, an unset `unspecified`).
    pub due: Option<Instant>,
    /// The policy target the due time came from.
    pub target: Option<Span>,
    /// The day count of a `days` term.
    pub days: Option<u32>,
    /// Its status.
    pub state: State,
    /// Required fields still missing (bits of [`FieldKey`]).
    pub missing_fields: u32,
    /// Facts an `undetermined` duty waits for.
    pub missing_facts: Vec<Fact>,
    /// When it was done.
    pub done_at: Option<Instant>,
    /// Index into `record.events` of the event whose facts made a conditional duty reportable
    /// (Rule 44: the clock runs from the reportable situation, not the first sign).
    pub reportable_by: Option<usize>,
    /// An `undetermined` duty whose would-be `due` has passed: overdue if it turns out to apply.
    pub overdue_if_applicable: bool,
    /// Completed by an alternative measure (Art. 68(2) ただし書: notice difficult, publication or an
    /// inquiry desk instead).
    pub alternative: bool,
    /// The last day of the count before a holiday roll-forward moved it.
    pub rolled_from: Option<chrono::NaiveDate>,
}

impl ObligationEval<'_> {
    /// The keys still missing: fields, or for `undetermined` the facts.
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
    /// The instant evaluated.
    pub at: Instant,
    /// Every obligation instance.
    pub obligations: Vec<ObligationEval<'c>>,
    /// What a person should look at.
    pub warnings: Vec<Warning>,
}

/// Facts as of an instant, for one principal (later `facts` events override earlier ones, key by
/// key). Each 行政機関の長等 is its own reporter and Rules Art. 43's items are judged on the personal
/// information that principal holds, so a `facts` event that names a `principal` or `contract`
/// counts only for it; an unscoped one counts for every principal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Number of persons (本人の数).
    pub subjects_count: Option<u64>,
    /// Whether the data items were recorded.
    pub data_items: bool,
    /// 要配慮個人情報.
    pub sensitive: Option<bool>,
    /// 条例要配慮個人情報.
    pub ordinance_sensitive: Option<bool>,
    /// Risk of financial damage.
    pub financial_damage_risk: Option<bool>,
    /// Done for an improper purpose (不正の目的).
    pub improper_purpose: Option<bool>,
    /// Strongly encrypted (高度な暗号化).
    pub encrypted: Option<bool>,
    /// 特定個人情報 (My Number information).
    pub my_number: Option<bool>,
    /// Held in a My Number system.
    pub my_number_system: Option<bool>,
    /// Viewable by the unspecified public.
    pub public_exposure: Option<bool>,
    /// Personal information at all.
    pub personal_info: Option<bool>,
    /// 特定個人情報 used improperly (番号法).
    pub improper_use: Option<bool>,
    /// 特定個人情報 used unlawfully (番号法).
    pub unlawful_use: Option<bool>,
    /// 特定個人情報 provided unlawfully (番号法).
    pub unlawful_provision: Option<bool>,
    /// Includes 不開示情報 (no notice to the persons is owed).
    pub non_disclosure: Option<bool>,
    /// Whether the place was recorded.
    pub location: bool,
    /// Whether the circumstances were recorded.
    pub circumstances: bool,
    /// Derived from the kinds detected: a 漏えい等 (`Some(true)`), only misuse or other kinds
    /// (`Some(false)`), nothing detected yet (`None`).
    pub leaked: Option<bool>,
    /// What an unrecorded `encrypted` reads as ([`Policy::unknown_encryption`]).
    pub encrypted_default: Option<bool>,
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
            public_exposure,
            personal_info,
            improper_use,
            unlawful_use,
            unlawful_provision,
            non_disclosure
        );
        self.data_items |= d.data_items.as_ref().is_some_and(|v| !v.is_empty());
        self.location |= crate::record::given(&d.location);
        self.circumstances |= crate::record::given(&d.circumstances);
    }

    /// A detection (or the principal's own knowledge with a `kind`) tells whether this is a 漏えい等.
    fn detect(&mut self, kind: IncidentKind) {
        let leak = !matches!(kind, IncidentKind::Violation | IncidentKind::Other);
        self.leaked = Some(self.leaked == Some(true) || leak);
    }

    /// The value of a fact: `None` while unrecorded.
    pub fn truth(&self, f: Fact) -> Option<bool> {
        match f {
            Fact::Sensitive => self.sensitive,
            Fact::OrdinanceSensitive => self.ordinance_sensitive,
            Fact::FinancialDamageRisk => self.financial_damage_risk,
            Fact::ImproperPurpose => self.improper_purpose,
            Fact::Encrypted => self.encrypted.or(self.encrypted_default),
            Fact::MyNumber => self.my_number,
            Fact::MyNumberSystem => self.my_number_system,
            Fact::PublicExposure => self.public_exposure,
            Fact::SubjectsCount => self.subjects_count.map(|n| n > 0),
            Fact::DataItems => Some(self.data_items),
            Fact::Location => Some(self.location),
            Fact::Circumstances => Some(self.circumstances),
            // 本人の数 and 特定個人情報 presuppose personal information; so does 要配慮個人情報.
            Fact::PersonalInfo => self.personal_info.or_else(|| {
                (self.subjects_count.is_some_and(|n| n > 0)
                    || self.my_number == Some(true)
                    || self.sensitive == Some(true))
                .then_some(true)
            }),
            Fact::Leaked => self.leaked,
            Fact::ImproperUse => self.improper_use,
            Fact::UnlawfulUse => self.unlawful_use,
            Fact::UnlawfulProvision => self.unlawful_provision,
            Fact::NonDisclosure => self.non_disclosure,
        }
    }
}

/// Three-valued truth for conditions on facts not yet recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Holds.
    Yes,
    /// Does not hold.
    No,
    /// Not known yet (a fact not recorded).
    Unknown,
}

impl Tri {
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::Yes,
        }
    }
    fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::No,
        }
    }
    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
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
    ps.iter().fold(Tri::Yes, |acc, p| acc.and(pred(p, f)))
}

fn any(ps: &[Predicate], f: &Facts) -> Tri {
    ps.iter().fold(Tri::No, |acc, p| acc.or(pred(p, f)))
}

/// The three parts of a condition without its `any_of` (a part of another condition).
fn own_parts(c: &Condition, f: &Facts) -> [Tri; 3] {
    let y = if c.any.is_empty() {
        Tri::Yes
    } else {
        any(&c.any, f)
    };
    [all(&c.all, f), y, any(&c.none, f).not()]
}

/// Evaluates a condition of `profile`; for `Unknown`, the facts that would settle it.
pub fn condition(c: &Condition, profile: &Profile, f: &Facts) -> (Tri, Vec<Fact>) {
    let parts: Vec<&Condition> = c
        .any_of
        .iter()
        .filter_map(|n| profile.conditions.get(n))
        .collect();
    let either = if c.any_of.is_empty() {
        Tri::Yes
    } else {
        parts.iter().fold(Tri::No, |acc, q| {
            acc.or(own_parts(q, f).into_iter().fold(Tri::Yes, Tri::and))
        })
    };
    let own = own_parts(c, f);
    let r = own.into_iter().fold(either, Tri::and);
    let mut missing = Vec::new();
    if r == Tri::Unknown {
        let mut note = |c: &Condition, own: [Tri; 3]| {
            for (group, t) in [(&c.all, own[0]), (&c.any, own[1]), (&c.none, own[2])] {
                if t == Tri::Unknown {
                    for p in group.iter() {
                        if pred(p, f) == Tri::Unknown && !missing.contains(&p.fact) {
                            missing.push(p.fact);
                        }
                    }
                }
            }
        };
        note(c, own);
        if either == Tri::Unknown {
            for q in parts {
                let own = own_parts(q, f);
                if own.into_iter().fold(Tri::Yes, Tri::and) == Tri::Unknown {
                    note(q, own);
                }
            }
        }
    }
    (r, missing)
}

/// A condition judged for one principal: its truth at the instant and, when it holds, the event
/// whose facts first made it hold (Rule 44's clock runs from the reportable situation).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Judged {
    truth: Tri,
    missing: Vec<Fact>,
    /// Index into `record.events` of the first event after which the condition held; `None` when it
    /// held from the start (or does not hold).
    since: Option<usize>,
}

/// Folds one event into the facts; whether it can change them (a `facts` event or a detection).
fn fold(facts: &mut Facts, e: &Event) -> bool {
    match e.event_type {
        Some(EventType::Facts) => facts.apply(e),
        Some(EventType::Detected) | Some(EventType::PrincipalAware) => match e.data.kind {
            Some(kind) => facts.detect(kind),
            None => return false,
        },
        _ => return false,
    }
    true
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

/// The facts and milestones of the record up to the instant, computed once per evaluation.
struct View<'r> {
    rec: &'r Record,
    /// Prefix of `rec.order`: the events at or before the instant, in instant order.
    order: &'r [u32],
    /// Set when the latest confirm/dismiss decision is a dismissal.
    dismissed_at: Option<Instant>,
    /// What an unrecorded `encrypted` reads as (from the policy).
    encrypted_default: Option<bool>,
    /// Memo of scope results by (scope, principal mask): a record has few distinct profiles.
    scopes: std::cell::RefCell<Vec<(usize, u64, ScopeState)>>,
    /// Memo of judged conditions by (condition, mask): facts are fixed for the instant.
    judged: std::cell::RefCell<Vec<(usize, u64, Judged)>>,
}

impl<'r> View<'r> {
    fn new(rec: &'r Record, at: &Instant, policy: &Policy) -> View<'r> {
        let order = &rec.order[..rec.count_until(at)];
        let mut dismissed_at = None;
        for &i in order {
            let e = &rec.events[i as usize];
            match e.event_type {
                Some(EventType::Dismissed) => dismissed_at = Some(e.at),
                Some(EventType::Confirmed) => dismissed_at = None,
                _ => {}
            }
        }
        View {
            rec,
            order,
            dismissed_at,
            encrypted_default: policy.unknown_encryption.default_truth(),
            scopes: std::cell::RefCell::new(Vec::new()),
            judged: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The facts of the contracts in `mask` as of the instant.
    fn facts(&self, mask: u64) -> Facts {
        let mut facts = Facts {
            encrypted_default: self.encrypted_default,
            ..Facts::default()
        };
        for e in self.events().filter(|e| e.scope_mask & mask != 0) {
            fold(&mut facts, e);
        }
        facts
    }

    /// Judges `c` for the contracts in `mask`, walking their facts in time order.
    fn judge(&self, c: &Condition, profile: &Profile, mask: u64) -> Judged {
        let key = c as *const Condition as usize;
        if let Some((.., j)) = self
            .judged
            .borrow()
            .iter()
            .find(|(k, m, _)| *k == key && *m == mask)
        {
            return j.clone();
        }
        let mut facts = Facts {
            encrypted_default: self.encrypted_default,
            ..Facts::default()
        };
        let mut since = None;
        let mut held = condition(c, profile, &facts).0 == Tri::Yes;
        for (&i, e) in self.order.iter().zip(self.events()) {
            if e.scope_mask & mask == 0 || !fold(&mut facts, e) {
                continue;
            }
            if !held && condition(c, profile, &facts).0 == Tri::Yes {
                held = true;
                since = Some(i as usize);
            }
        }
        let (truth, missing) = condition(c, profile, &facts);
        let j = Judged {
            truth,
            missing,
            since: if truth == Tri::Yes { since } else { None },
        };
        self.judged.borrow_mut().push((key, mask, j.clone()));
        j
    }

    fn events(&self) -> impl Iterator<Item = &'r Event> + '_ {
        self.order.iter().map(|&i| &self.rec.events[i as usize])
    }

    /// Where the incident stands under `s`. With `principal` (a mask), the principal's own knowledge
    /// of the incident (`principal_aware` with a `kind`: a resident's complaint, a police call)
    /// counts as a detection too: duties the principal owes run from what it knows.
    fn scope(&self, s: &Scope, principal: Option<u64>) -> ScopeState {
        let key = s as *const Scope as usize;
        let mask = principal.unwrap_or(0);
        if let Some((.., st)) = self
            .scopes
            .borrow()
            .iter()
            .find(|(k, m, _)| *k == key && *m == mask)
        {
            return *st;
        }
        let st = self.scope_uncached(s, principal);
        self.scopes.borrow_mut().push((key, mask, st));
        st
    }

    fn scope_uncached(&self, s: &Scope, principal: Option<u64>) -> ScopeState {
        let mut counted = false;
        let mut detected = false;
        for e in self.events() {
            let detection = match e.event_type {
                Some(EventType::Detected) => true,
                Some(EventType::PrincipalAware) => {
                    e.data.kind.is_some() && principal.is_some_and(|m| e.scope_mask & m != 0)
                }
                Some(EventType::Confirmed) if counted => return ScopeState::At(e.at),
                _ => false,
            };
            if !detection {
                continue;
            }
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

/// [`evaluate`] against a catalog of one's own (tests, or profiles brought by the caller).
pub fn evaluate_with<'c>(
    rec: &Record,
    at: &Instant,
    policy: &Policy,
    catalog: &'c Catalog,
) -> Evaluation<'c> {
    let view = View::new(rec, at, policy);
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
    let mut holiday_notes = HolidayNotes::default();
    let mut kept_after_dismissal = false;
    let mut alternative_notice = false;
    for_each_instance(rec, catalog, |inst| {
        let ev = eval_one(&view, &inst, at, policy, &mut holiday_notes);
        if let (Some(d), Some(t)) = (view.dismissed_at, ev.trigger_at) {
            if t <= d && ev.state != State::NotApplicable {
                kept_after_dismissal = true;
            }
        }
        if ev.alternative && ev.profile.kind == ProfileKind::National {
            // Art. 68(2) ただし書 allows the alternative only where notice is difficult: say why.
            alternative_notice |= view.events().any(|e| {
                e.event_type == Some(EventType::SubjectsNotified)
                    && e.data.method == Some(NotifyMethod::PublicNotice)
                    && !crate::record::given(&e.data.reason)
            });
        }
        obligations.push(ev);
    });
    if alternative_notice {
        warnings.push(Warning {
            code: "alternative_notice",
            message: "subjects were told by an alternative measure (public notice): the law allows it only where individual notice is difficult; record why in data.reason".into(),
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
    if holiday_notes.predicted_equinox {
        warnings.push(Warning {
            code: "holiday_predicted",
            message: format!(
                "a deadline's roll-forward rests on a 春分日 or 秋分日 computed by the astronomical approximation, not yet gazetted (known through {}): check it when the Cabinet Office announces that year's days",
                crate::holidays::GAZETTED_THROUGH
            ),
            path: String::new(),
        });
    }
    if holiday_notes.beyond_known_years {
        warnings.push(Warning {
            code: "holiday_table_range",
            message: format!(
                "a deadline falls outside the years whose national holidays roei knows ({}-{}); weekends and the year-end closure were applied, national holidays were not",
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

/// What the day counts of one evaluation had to assume about national holidays (warnings).
#[derive(Debug, Default)]
struct HolidayNotes {
    /// A roll-forward reached a year whose holidays roei does not know.
    beyond_known_years: bool,
    /// A roll-forward rested on a predicted, not yet gazetted, equinox day.
    predicted_equinox: bool,
}

fn eval_one<'c>(
    view: &View,
    inst: &Instance<'c>,
    at: &Instant,
    policy: &Policy,
    holiday_notes: &mut HolidayNotes,
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
        reportable_by: None,
        overdue_if_applicable: false,
        alternative: false,
        rolled_from: None,
    };
    if cl.written && cl.fields.is_empty() {
        ev.missing_fields = FieldKey::Written.bit();
    }
    let not_applicable = |mut ev: ObligationEval<'c>| {
        ev.state = State::NotApplicable;
        ev.missing_fields = 0;
        ev
    };
    // What the principal owes runs from what the principal knows, which may come first.
    let principal_side = (cl.owed_by == Party::Principal).then_some(inst.mask);
    let t_inc = match view.scope(&inst.profile.scope, principal_side) {
        ScopeState::OutOfScope => return not_applicable(ev),
        ScopeState::Nothing => return ev,
        ScopeState::SignsOnly if view.dismissed_at.is_some() => return not_applicable(ev),
        ScopeState::SignsOnly => return ev,
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
    let judged = cl
        .applies_if
        .as_ref()
        .and_then(|n| inst.profile.conditions.get(n))
        .map(|c| view.judge(c, inst.profile, inst.mask));
    let cond = judged.as_ref().map_or(Tri::Yes, |j| j.truth);
    let dismissed_first = match (view.dismissed_at, ev.trigger_at) {
        (Some(d), Some(t)) => d < t,
        (Some(_), None) => true,
        _ => false,
    };
    // What the facts rule out is not applicable, unless it was done while the facts recorded by then
    // did not rule it out: a report sent or a notice given stays done (with its due, so done late
    // stays late) when later facts show it was not owed, as a dismissal keeps what it follows below.
    let done_before_ruled_out = cond == Tri::No
        && ev.trigger_at.is_some()
        && judged_when_done(view, inst, policy).is_some_and(|then| then != Tri::No);
    if (cond == Tri::No && !done_before_ruled_out) || instruction_rules_out || dismissed_first {
        return not_applicable(ev);
    }
    // Rules Art. 44 「当該事態を知った」: the clock runs from the later of the principal knowing and
    // the first instant the recorded facts made the situation reportable.
    if let (Some(t), Some(i)) = (ev.trigger_at, judged.as_ref().and_then(|j| j.since)) {
        ev.reportable_by = Some(i);
        ev.trigger_at = Some(t.max(view.rec.events[i].at));
    }
    let Some(trigger) = ev.trigger_at else {
        if cond == Tri::Unknown {
            ev.state = State::Undetermined;
            ev.missing_facts = judged.map(|j| j.missing).unwrap_or_default();
        }
        return ev;
    };
    ev.due = due(&mut ev, view, inst, &trigger, policy, holiday_notes);
    let (done_by, missing) = completion(view, inst);
    ev.missing_fields = missing;
    ev.done_at = done_by.map(|e| e.at);
    ev.alternative = done_by.is_some_and(|e| {
        cl.stage == Stage::Notify && e.data.method == Some(NotifyMethod::PublicNotice)
    });
    ev.state = match (ev.done_at, cond) {
        (Some(d), _) => match ev.due {
            Some(due) if d > due => State::DoneLate,
            _ => State::Done,
        },
        (None, Tri::Unknown) => {
            ev.missing_facts = judged.map(|j| j.missing).unwrap_or_default();
            ev.overdue_if_applicable = ev.due.is_some_and(|due| *at > due);
            State::Undetermined
        }
        (None, _) if cl.term == Term::May => State::Optional,
        (None, _) => match ev.due {
            Some(due) if *at > due => State::Overdue,
            _ => State::Pending,
        },
    };
    // A dismissal rules out, by policy, what it precedes the completion of (the notice to people
    // about an incident that did not happen, by default).
    if view.dismissed_at.is_some()
        && ev.done_at.is_none()
        && policy.dismissal_rules_out.contains(&cl.stage)
    {
        return not_applicable(ev);
    }
    if ev.state == State::Optional {
        ev.missing_fields = 0;
    }
    ev
}

/// The truth of the obligation's condition on the facts recorded up to the event that completed
/// it; `None` when nothing completed it (or it has no condition).
fn judged_when_done(view: &View, inst: &Instance, policy: &Policy) -> Option<Tri> {
    let done = completion(view, inst).0?;
    let condition = inst
        .clause
        .applies_if
        .as_ref()
        .and_then(|n| inst.profile.conditions.get(n))?;
    let then = View::new(view.rec, &done.at, policy);
    Some(then.judge(condition, inst.profile, inst.mask).truth)
}

/// The due instant: a day count for fixed periods (rolled forward over the closed days of whoever
/// receives the filing), the policy's operating target for time words.
fn due(
    ev: &mut ObligationEval,
    view: &View,
    inst: &Instance,
    trigger: &Instant,
    policy: &Policy,
    holiday_notes: &mut HolidayNotes,
) -> Option<Instant> {
    let cl = inst.clause;
    if cl.term != Term::Days {
        let span = policy.target(cl.term)?;
        ev.target = Some(span);
        return trigger.checked_add_signed(span.0);
    }
    let facts = view.facts(inst.mask);
    let mut days = cl.days.unwrap_or(0);
    for alt in &cl.days_if {
        if facts.truth(alt.fact) == Some(true) {
            days = alt.days;
        }
    }
    ev.days = Some(days);
    // 行政機関の休日に関する法律 Art. 1-2 for a filing to the PPC (a national administrative organ);
    // the municipality's own closing days (地方自治法 Art. 4-2(4)) for one owed to it.
    let national = ClosedDays::default();
    let closed = if cl.owed_to == Party::Ppc {
        &national
    } else {
        &policy.closed_days
    };
    let roll = policy.holiday_roll_forward.then_some(closed);
    let d = day_count_deadline(trigger, days, policy.day_count, roll)?;
    holiday_notes.beyond_known_years |= d.beyond_holiday_table;
    holiday_notes.predicted_equinox |= d.predicted_holiday;
    ev.rolled_from = d.rolled_from;
    Some(d.due)
}

/// The event that completed the obligation, if any, and what is still missing.
fn completion<'r>(view: &View<'r>, inst: &Instance) -> (Option<&'r Event>, u32) {
    let cl = inst.clause;
    let Some(done_by) = &cl.done_by else {
        return (None, cl.required_mask());
    };
    let required = cl.required_mask();
    // An event of another type that `also` completes it must be a complete report of its own.
    let complete_report = cl
        .contents
        .iter()
        .chain(cl.fields.iter())
        .fold(0u32, |m, f| m | f.bit());
    let (mut all, mut written, mut any_written, mut any) = (0u32, 0u32, false, false);
    for e in view.events() {
        if e.scope_mask & inst.mask == 0 {
            continue;
        }
        match e.event_type {
            Some(t) if t == done_by.event => {}
            Some(t)
                if done_by.also.contains(&t) && e.given & complete_report == complete_report => {}
            _ => continue,
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
            return (Some(e), 0);
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    #[cfg_attr(feature = "schema", schemars(extend("const" = "roei/status@1")))]
    /// Always `roei/status@1`.
    pub format: &'static str,
    /// The record's id.
    pub incident: String,
    /// The instant evaluated (RFC 3339, +09:00).
    pub at: String,
    /// One entry per obligation per contract (national duties once per principal).
    pub obligations: Vec<ObligationStatus>,
    /// What a person should look at; never changes a status.
    pub warnings: Vec<Warning>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
/// One obligation's status (docs/FORMATS.md, `roei/status@1`).
pub struct ObligationStatus {
    /// The clause id.
    pub clause: String,
    /// Unique obligation id (a clause can yield several: `nerima:19-1(1)/contain`).
    pub obligation: String,
    /// The article as people cite it (`第13条第1項`, `法第68条第1項; 規則第44条（速報）`).
    pub article: String,
    /// The profile id.
    pub profile: String,
    /// The contract it is owed under (null for national duties).
    pub contract: Option<String>,
    /// The principal it concerns.
    pub principal: String,
    /// Its lifecycle stage.
    pub stage: Stage,
    /// Who owes it.
    pub owed_by: Party,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    /// Who owes it together with `owed_by`, if anyone.
    pub jointly_with: Option<Party>,
    /// To whom it is owed.
    pub owed_to: Party,
    /// The clause's time word.
    pub term: Term,
    /// The time word as the clause writes it (直ちに, 30日以内, …).
    pub legal_term: String,
    /// The operating target the due time came from (`PT1H`), if any.
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    /// The day count of a `days` term.
    pub days: Option<u32>,
    /// Whether it must be done in writing (書面).
    pub written: bool,
    /// When its clock started.
    pub trigger_at: Option<String>,
    /// Its due time (null where there is none).
    pub due: Option<String>,
    /// Whether the due time is fixed by law (a day count) rather than a policy target.
    pub hard: bool,
    /// Its status.
    pub status: State,
    /// Field keys still owed, or for `undetermined` the fact keys to record.
    pub missing: Vec<&'static str>,
    /// The `at` of the event that completed it.
    pub done_at: Option<String>,
    /// What it asks, in both languages.
    pub label: crate::catalog::Text,
    /// How firm the clause's reading is: read in the text, PPC guidance, or roei's reading.
    pub basis: Basis,
    /// When the recorded facts made a conditional duty reportable, and by which event (Rules
    /// Art. 44: the clock runs from the reportable situation).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reportable_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    /// The id of the event whose facts made it reportable.
    pub reportable_by: Option<String>,
    /// An `undetermined` duty whose would-be `due` has passed: overdue if it turns out to apply.
    pub overdue_if_applicable: bool,
    /// Completed by an alternative measure (APPI Art. 68(2) ただし書).
    pub alternative: bool,
    /// The last day of a day count before it rolled forward over closed days (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub due_rolled_from: Option<String>,
}

impl Evaluation<'_> {
    /// The status as `roei/status@1`.
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
                    article: o.clause.article.to_string(),
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
                    basis: o.clause.basis.unwrap_or(Basis::Text),
                    reportable_at: o.reportable_by.map(|i| fmt_jst(&rec.events[i].at)),
                    reportable_by: o.reportable_by.map(|i| rec.events[i].id.clone()),
                    overdue_if_applicable: o.overdue_if_applicable,
                    alternative: o.alternative,
                    due_rolled_from: o.rolled_from.map(|d| d.to_string()),
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

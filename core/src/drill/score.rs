//! Scoring: the obligation statuses at the drill's end, per obligation and per role, plus the
//! scenario's expected responses. Deterministic: no clock, no randomness, catalog order.
use serde::Serialize;

use crate::catalog::Text;
use crate::eval::{ObligationEval, State, Status};
use crate::time::fmt_jst;
use crate::vocab::{Actor, EventType, Party, Stage, Term};

use super::engine::{ActionLog, Drill, InjectLog};
use super::scenario::{fmt_offset, Scenario};

/// The `format` of a drill score.
pub const SCORE_FORMAT: &str = "roei/drill-score@1";

/// How an obligation ended, for the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Done by its due time.
    OnTime,
    /// Done, after its due time.
    Late,
    /// Not done, and its due time has passed.
    Overdue,
    /// Not done by the end, no due time to miss (a clause with no time word): still owed.
    Incomplete,
    /// The facts that decide whether it applies were never recorded (e.g. Rule 43 not examined).
    Undecided,
    /// The scenario says it applies, but the team's record made it not apply or never started it.
    WrongDecision,
    /// Still running at the end, not yet due: not scored.
    Open,
    /// Not applicable, optional, not triggered or excluded by the scenario: not scored.
    NotScored,
}

impl Verdict {
    /// The label in `lang`.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.ja(), self.en())
    }
    /// Share of the weight earned; `None` when not scored.
    pub fn credit(self) -> Option<f64> {
        match self {
            Verdict::OnTime => Some(1.0),
            Verdict::Late => Some(0.5),
            Verdict::Overdue
            | Verdict::Incomplete
            | Verdict::Undecided
            | Verdict::WrongDecision => Some(0.0),
            Verdict::Open | Verdict::NotScored => None,
        }
    }
    /// The key (`on_time`, `late`, …).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::OnTime => "on_time",
            Verdict::Late => "late",
            Verdict::Overdue => "overdue",
            Verdict::Incomplete => "incomplete",
            Verdict::Undecided => "undecided",
            Verdict::WrongDecision => "wrong_decision",
            Verdict::Open => "open",
            Verdict::NotScored => "not_scored",
        }
    }
    /// The Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Verdict::OnTime => "期限内に完了",
            Verdict::Late => "遅れて完了",
            Verdict::Overdue => "期限超過・未完了",
            Verdict::Incomplete => "未完了",
            Verdict::Undecided => "判断漏れ（事実未記録）",
            Verdict::WrongDecision => "判断誤り（対象事態と認識せず）",
            Verdict::Open => "期限前（採点対象外）",
            Verdict::NotScored => "採点対象外",
        }
    }
    /// The English label.
    pub fn en(self) -> &'static str {
        match self {
            Verdict::OnTime => "on time",
            Verdict::Late => "done late",
            Verdict::Overdue => "overdue, not done",
            Verdict::Incomplete => "not done",
            Verdict::Undecided => "undecided (facts not recorded)",
            Verdict::WrongDecision => "wrong decision (not recognised as applying)",
            Verdict::Open => "not yet due (not scored)",
            Verdict::NotScored => "not scored",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
/// Points earned out of a maximum.
pub struct Points {
    /// Points earned.
    pub points: f64,
    /// Points possible.
    pub max: f64,
    /// 0–100, one decimal; null when nothing was scored.
    pub percent: Option<f64>,
}

impl Points {
    fn new(points: f64, max: f64) -> Points {
        Points {
            points: round2(points),
            max: round2(max),
            percent: (max > 0.0).then(|| (points / max * 1000.0).round() / 10.0),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, Clone, Serialize)]
/// How one obligation went in the drill.
pub struct ObligationScore {
    /// The obligation id.
    pub obligation: String,
    /// The clause id.
    pub clause: String,
    /// The article.
    pub article: String,
    /// The profile id.
    pub profile: String,
    /// The contract it is owed under (national duties: none).
    pub contract: Option<String>,
    /// The principal.
    pub principal: String,
    /// The role that answers for it.
    pub role: Option<String>,
    /// Its lifecycle stage.
    pub stage: Stage,
    /// Who owes it.
    pub owed_by: Party,
    /// The clause's time word.
    pub term: Term,
    /// The time word as the clause writes it.
    pub legal_term: String,
    /// Its status at the end.
    pub status: State,
    /// How it ended, for the team.
    pub verdict: Verdict,
    /// Points earned.
    pub points: f64,
    /// Points possible (its weight).
    pub max: f64,
    /// When its clock started.
    pub trigger_at: Option<String>,
    /// Its due time.
    pub due: Option<String>,
    /// Whether the due time is fixed by law (a day count).
    pub hard: bool,
    /// When it was done.
    pub done_at: Option<String>,
    /// Fields still missing.
    pub missing: Vec<&'static str>,
    /// What it asks, in both languages.
    pub label: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// How an expected response went.
pub enum ExpectedVerdict {
    /// Done by its time.
    OnTime,
    /// Done, after its time.
    Late,
    /// Not done.
    Missed,
}

impl ExpectedVerdict {
    /// The label in `lang`.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.ja(), self.en())
    }
    /// The Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            ExpectedVerdict::OnTime => "期限内",
            ExpectedVerdict::Late => "遅れ",
            ExpectedVerdict::Missed => "未実施",
        }
    }
    /// The English label.
    pub fn en(self) -> &'static str {
        match self {
            ExpectedVerdict::OnTime => "on time",
            ExpectedVerdict::Late => "late",
            ExpectedVerdict::Missed => "missed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
/// How one expected response of the scenario went.
pub struct ExpectedScore {
    /// Its id.
    pub id: String,
    /// The role expected to act.
    pub role: String,
    #[serde(rename = "type")]
    /// The event type expected.
    pub event_type: EventType,
    /// By when (RFC 3339).
    pub by: String,
    /// By when, as an offset from the start.
    pub by_offset: String,
    /// How it went.
    pub verdict: ExpectedVerdict,
    /// The action that answered it.
    pub event: Option<String>,
    /// When it was done.
    pub at: Option<String>,
    /// Points earned.
    pub points: f64,
    /// Points possible.
    pub max: f64,
    /// The trainer's note.
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
/// The score of one role.
pub struct RoleScore {
    /// The role id.
    pub role: String,
    /// Its name.
    pub name: Text,
    /// The party it plays.
    pub actor: Actor,
    #[serde(flatten)]
    /// Its points.
    pub points: Points,
}

/// `roei/drill-score@1`.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Always `roei/drill-score@1`.
    pub format: &'static str,
    /// The scenario id.
    pub scenario: String,
    /// The scenario's title.
    pub title: Text,
    /// Its learning goals.
    pub goals: Vec<Text>,
    /// When the drill started (RFC 3339).
    pub start: String,
    /// When it was scored.
    pub at: String,
    /// When it was scored, as an offset from the start.
    pub offset: String,
    /// Whether the scenario's end was reached.
    pub ended: bool,
    /// All points.
    pub total: Points,
    /// Points for obligations.
    pub obligations_total: Points,
    /// Points for expected responses.
    pub expected_total: Points,
    /// Per obligation.
    pub obligations: Vec<ObligationScore>,
    /// Per expected response.
    pub expected: Vec<ExpectedScore>,
    /// Per role.
    pub roles: Vec<RoleScore>,
    /// The injects, as they fired.
    pub injects: Vec<InjectLog>,
    /// The player actions.
    pub actions: Vec<ActionLog>,
    /// `roei/status@1` at the drill's end: exactly what `roei check` says of the final record.
    pub status: Status,
    /// The final `roei/incident@1` record.
    pub record: serde_json::Value,
}

fn matches(list: &[String], o: &ObligationEval) -> bool {
    list.iter().any(|s| {
        s == o.clause.obligation_id()
            || s == &o.clause.id
            || s.strip_suffix(':').is_some_and(|p| p == o.profile.id)
    })
}

/// The role that answers for an obligation: among the roles whose actor is the party that owes it,
/// one that names it in `owes`, else the first that names nothing.
pub fn role_for(sc: &Scenario, o: &ObligationEval) -> Option<usize> {
    let actor = match o.clause.owed_by {
        Party::Contractor => Actor::Contractor,
        Party::Principal => Actor::Principal,
        Party::Ppc => Actor::Ppc,
        Party::Subjects => Actor::Subject,
        Party::Public => Actor::Other,
    };
    let of_actor = || {
        sc.roles
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.actor == actor)
    };
    of_actor()
        .find(|(_, r)| matches(&r.owes, o))
        .or_else(|| of_actor().find(|(_, r)| r.owes.is_empty()))
        .or_else(|| of_actor().next())
        .map(|(i, _)| i)
}

/// The verdict for one obligation at the drill's end.
pub fn verdict(sc: &Scenario, o: &ObligationEval, end: &crate::time::Instant) -> Verdict {
    if matches(&sc.scoring.exclude, o) {
        return Verdict::NotScored;
    }
    let must = matches(&sc.scoring.must_apply, o);
    match o.state {
        State::Done => Verdict::OnTime,
        State::DoneLate => Verdict::Late,
        State::Overdue => Verdict::Overdue,
        State::Undetermined if must => Verdict::WrongDecision,
        State::Undetermined => Verdict::Undecided,
        State::NotApplicable | State::Waiting if must => Verdict::WrongDecision,
        State::Pending => match o.due {
            Some(d) if d > *end => Verdict::Open,
            _ => Verdict::Incomplete,
        },
        State::NotApplicable | State::Waiting | State::Optional => Verdict::NotScored,
    }
}

fn weight(sc: &Scenario, o: &ObligationEval) -> f64 {
    sc.scoring
        .weights
        .get(o.clause.obligation_id())
        .or_else(|| sc.scoring.weights.get(o.clause.id.as_str()))
        .copied()
        .unwrap_or(1.0)
}

/// Scores a drill at its current clock (the end, for a finished drill).
pub fn score(d: &Drill) -> Score {
    let sc = d.scenario();
    let rec = d.record();
    let ev = d.evaluate();
    let end = ev.at;
    let mut per_role = vec![(0.0f64, 0.0f64); sc.roles.len()];
    let mut ob_total = (0.0, 0.0);
    let status = ev.to_status(rec);
    let obligations: Vec<ObligationScore> = ev
        .obligations
        .iter()
        .zip(status.obligations.iter())
        .map(|(o, s)| {
            let v = verdict(sc, o, &end);
            let role = role_for(sc, o);
            let (pts, max) = match v.credit() {
                Some(c) => {
                    let w = weight(sc, o);
                    (c * w, w)
                }
                None => (0.0, 0.0),
            };
            ob_total.0 += pts;
            ob_total.1 += max;
            if let Some(r) = role {
                per_role[r].0 += pts;
                per_role[r].1 += max;
            }
            ObligationScore {
                obligation: s.obligation.clone(),
                clause: s.clause.clone(),
                article: o.clause.article.to_string(),
                profile: s.profile.clone(),
                contract: s.contract.clone(),
                principal: s.principal.clone(),
                role: role.map(|r| sc.roles[r].id.clone()),
                stage: s.stage,
                owed_by: s.owed_by,
                term: s.term,
                legal_term: s.legal_term.clone(),
                status: s.status,
                verdict: v,
                points: round2(pts),
                max: round2(max),
                trigger_at: s.trigger_at.clone(),
                due: s.due.clone(),
                hard: s.hard,
                done_at: s.done_at.clone(),
                missing: s.missing.clone(),
                label: s.label.clone(),
            }
        })
        .collect();

    // Expected responses: each answered by the first unused action of its type, by the same role if
    // one did it, else by another role of the same actor; on time if done by `by`.
    let mut used = vec![false; d.actions.len()];
    let mut ex_total = (0.0, 0.0);
    let mut expected = Vec::new();
    for x in &sc.expected {
        let want_contract = x.data.get("contract").and_then(|v| v.as_str());
        let fits = |a: &ActionLog| {
            a.event_type == x.event_type
                && (want_contract.is_none()
                    || a.contract.is_none()
                    || a.contract.as_deref() == want_contract)
        };
        let actor = sc.roles[x.role].actor;
        let hit =
            d.actions
                .iter()
                .enumerate()
                .find(|(i, a)| !used[*i] && a.role_index == x.role && fits(a))
                .or_else(|| {
                    d.actions.iter().enumerate().find(|(i, a)| {
                        !used[*i] && sc.roles[a.role_index].actor == actor && fits(a)
                    })
                })
                .map(|(i, _)| i);
        let (v, pts) = match hit {
            Some(i) => {
                used[i] = true;
                if d.actions[i].secs <= x.by {
                    (ExpectedVerdict::OnTime, 1.0)
                } else {
                    (ExpectedVerdict::Late, 0.5)
                }
            }
            None => (ExpectedVerdict::Missed, 0.0),
        };
        ex_total.0 += pts;
        ex_total.1 += 1.0;
        per_role[x.role].0 += pts;
        per_role[x.role].1 += 1.0;
        expected.push(ExpectedScore {
            id: x.id.clone(),
            role: sc.roles[x.role].id.clone(),
            event_type: x.event_type,
            by: fmt_jst(&sc.instant(x.by)),
            by_offset: fmt_offset(x.by),
            verdict: v,
            event: hit.map(|i| d.actions[i].event.clone()),
            at: hit.map(|i| d.actions[i].at.clone()),
            points: pts,
            max: 1.0,
            note: x.note.clone(),
        });
    }
    let roles = sc
        .roles
        .iter()
        .zip(per_role)
        .map(|(r, (p, m))| RoleScore {
            role: r.id.clone(),
            name: r.name.clone(),
            actor: r.actor,
            points: Points::new(p, m),
        })
        .collect();
    Score {
        format: SCORE_FORMAT,
        scenario: sc.id.clone(),
        title: sc.title.clone(),
        goals: sc.goals.clone(),
        start: fmt_jst(&sc.start),
        at: fmt_jst(&end),
        offset: fmt_offset(d.now()),
        ended: d.ended(),
        total: Points::new(ob_total.0 + ex_total.0, ob_total.1 + ex_total.1),
        obligations_total: Points::new(ob_total.0, ob_total.1),
        expected_total: Points::new(ex_total.0, ex_total.1),
        obligations,
        expected,
        roles,
        injects: d.injects.clone(),
        actions: d.actions.clone(),
        status,
        record: serde_json::from_str(&rec.to_json()).unwrap_or(serde_json::Value::Null),
    }
}

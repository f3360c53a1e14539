//! The drill engine: a simulated clock over an ordinary incident record.
//!
//! Injects and player actions are appended to a `roei/incident@1` record with [`Record::append`], so
//! whatever the players did is judged by the same [`evaluate`] that runs real incidents. The clock
//! only moves forward; injects fire when it passes their time, conditional ones only if the named
//! obligation is, at that time, in one of the listed states.
use serde::Serialize;
use serde_json::Value;

use crate::catalog::Text;
use crate::error::Error;
use crate::eval::{evaluate, Evaluation};
use crate::record::{Event, Record};
use crate::time::{fmt_jst, Instant};
use crate::vocab::EventType;

use super::scenario::{fmt_offset, Action, Playthrough, Scenario};

/// An inject whose time has come: shown to the players, or skipped because its condition did not hold.
#[derive(Debug, Clone, Serialize)]
pub struct InjectLog {
    #[serde(skip)]
    /// Position in the scenario's `injects`.
    pub index: usize,
    /// The inject's id.
    pub id: String,
    /// When it fired (RFC 3339).
    pub at: String,
    /// When it fired, as an offset from the start (`T+40m`).
    pub offset: String,
    /// Whether it fired (a conditional inject whose condition was not met did not).
    pub fired: bool,
    /// The role it was addressed to (all players when absent).
    pub to: Option<String>,
    /// What the players were told.
    pub text: Text,
    /// Ids of the record events it added.
    pub events: Vec<String>,
}

/// A player action, as it entered the record.
#[derive(Debug, Clone, Serialize)]
pub struct ActionLog {
    /// The id of the event the action appended.
    pub event: String,
    /// When it was taken (RFC 3339).
    pub at: String,
    /// When it was taken, as an offset from the start.
    pub offset: String,
    #[serde(skip)]
    /// Seconds after the start.
    pub secs: i64,
    #[serde(skip)]
    /// Position of the role in the scenario's `roles`.
    pub role_index: usize,
    /// The role's id.
    pub role: String,
    #[serde(rename = "type")]
    /// The event type the action recorded.
    pub event_type: EventType,
    /// The `contract` the action names, if any (for matching expected responses).
    #[serde(skip)]
    pub contract: Option<String>,
}

/// A running drill.
#[derive(Debug, Clone)]
pub struct Drill<'s> {
    sc: &'s Scenario,
    record: Record,
    now: i64,
    /// Next position in `sc.inject_order`.
    next: usize,
    /// The injects, in the order they fired.
    pub injects: Vec<InjectLog>,
    /// The player actions, in order.
    pub actions: Vec<ActionLog>,
}

impl<'s> Drill<'s> {
    /// Starts the clock at the scenario's start and fires the injects at T+0.
    pub fn start(sc: &'s Scenario) -> Result<Drill<'s>, Error> {
        let record = Record::new(&sc.id, Some(&sc.title.ja), sc.contracts.clone())?;
        let mut d = Drill {
            sc,
            record,
            now: 0,
            next: 0,
            injects: Vec::new(),
            actions: Vec::new(),
        };
        d.advance_to(0)?;
        Ok(d)
    }

    /// Scores a recorded playthrough: every action at its time, injects in between, to the end.
    pub fn play(sc: &'s Scenario, pt: &Playthrough) -> Result<Drill<'s>, Error> {
        Drill::play_to(sc, &pt.actions, pt.end)
    }

    /// Replays `actions` (in time order) and stops the clock at `end` seconds after the start
    /// (clamped to the scenario's end; never before the last action).
    pub fn play_to(sc: &'s Scenario, actions: &[Action], end: i64) -> Result<Drill<'s>, Error> {
        let mut d = Drill::start(sc)?;
        for (i, a) in actions.iter().enumerate() {
            d.advance_to(a.at)
                .map_err(|e| super::scenario::reprefix(e, &format!("actions[{i}]")))?;
            d.act(a.role, a.event_type, a.data.clone())
                .map_err(|e| super::scenario::reprefix(e, &format!("actions[{i}]")))?;
        }
        d.advance_to(end)?;
        Ok(d)
    }

    /// The scenario being played.
    pub fn scenario(&self) -> &'s Scenario {
        self.sc
    }

    /// Seconds since the start.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The simulated clock as an instant.
    pub fn now_instant(&self) -> Instant {
        self.sc.instant(self.now)
    }

    /// Whether the clock has reached the scenario's end.
    pub fn ended(&self) -> bool {
        self.now >= self.sc.end
    }

    /// When the next inject is due (seconds after the start), fired or not: a conditional one is
    /// decided only when its time comes.
    pub fn next_inject_at(&self) -> Option<i64> {
        self.sc
            .inject_order
            .get(self.next)
            .and_then(|&i| self.sc.injects.get(i))
            .map(|inj| inj.at)
    }

    /// The drill's incident record so far (an ordinary `roei/incident@1` record).
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The obligations at the current simulated instant.
    pub fn evaluate(&self) -> Evaluation<'static> {
        evaluate(&self.record, &self.now_instant(), &self.sc.policy)
    }

    /// Moves the clock forward by `secs` (clamped to the drill's end); returns the new inject log entries.
    pub fn advance_by(&mut self, secs: i64) -> Result<std::ops::Range<usize>, Error> {
        self.advance_to(self.now.saturating_add(secs.max(0)))
    }

    /// Moves the clock to `t` seconds after the start (never backwards, never past the end),
    /// firing every inject due on the way. Returns the range of new entries in [`Drill::injects`].
    pub fn advance_to(&mut self, t: i64) -> Result<std::ops::Range<usize>, Error> {
        let t = t.clamp(self.now, self.sc.end);
        let first = self.injects.len();
        while let Some(&i) = self.sc.inject_order.get(self.next) {
            let inj = &self.sc.injects[i];
            if inj.at > t {
                break;
            }
            self.next += 1;
            self.now = self.now.max(inj.at);
            let fired = match &inj.when {
                None => true,
                Some(w) => {
                    let ev = self.evaluate();
                    ev.obligations.iter().any(|o| {
                        (o.clause.obligation_id() == w.obligation || o.clause.id == w.obligation)
                            && w.contract.as_ref().is_none_or(|c| {
                                o.contract
                                    .and_then(|k| self.record.contracts.get(k))
                                    .is_some_and(|k| &k.id == c)
                            })
                            && w.states.contains(&o.state)
                    })
                }
            };
            let mut ids = Vec::new();
            if fired {
                for (j, e) in inj.events.iter().enumerate() {
                    let id = format!("inj-{}-{}", inj.id, j + 1);
                    let ev = Event::new(
                        &id,
                        self.now_instant(),
                        e.event_type,
                        e.actor,
                        e.data.clone(),
                    )?;
                    self.record.append(ev).map_err(|e| {
                        super::scenario::reprefix(e, &format!("injects[{i}].events[{j}]"))
                    })?;
                    ids.push(id);
                }
            }
            self.injects.push(InjectLog {
                index: i,
                id: inj.id.clone(),
                at: fmt_jst(&self.now_instant()),
                offset: fmt_offset(inj.at),
                fired,
                to: inj
                    .to
                    .and_then(|r| self.sc.roles.get(r))
                    .map(|r| r.id.clone()),
                text: inj.text.clone(),
                events: ids,
            });
        }
        self.now = t;
        Ok(first..self.injects.len())
    }

    /// A player action at the current time: an ordinary incident event by the role's actor.
    /// Returns the event id.
    pub fn act(
        &mut self,
        role: usize,
        event_type: EventType,
        data: Value,
    ) -> Result<String, Error> {
        let r = self
            .sc
            .roles
            .get(role)
            .ok_or_else(|| Error::invalid("role", format!("no role number {role}")))?;
        let id = format!("act-{}", self.actions.len() + 1);
        let contract = data
            .get("contract")
            .and_then(Value::as_str)
            .map(str::to_string);
        let ev = Event::new(&id, self.now_instant(), event_type, r.actor, data)?;
        self.record.append(ev)?;
        self.actions.push(ActionLog {
            event: id.clone(),
            at: fmt_jst(&self.now_instant()),
            offset: fmt_offset(self.now),
            secs: self.now,
            role_index: role,
            role: r.id.clone(),
            event_type,
            contract,
        });
        Ok(id)
    }
}

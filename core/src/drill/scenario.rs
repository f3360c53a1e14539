//! `roei/scenario@1` and `roei/playthrough@1`: reading and strict validation.
//!
//! Scenario files and playthroughs come from trainers and players, so they are untrusted: sizes are
//! bounded, unknown fields are refused (a misspelt `dealy` would otherwise silently drop a
//! distribution), and every problem names its JSON path.
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use crate::catalog::{Catalog, Text};
use crate::error::{join_path, Error};
use crate::eval::State;
use crate::policy::Policy;
use crate::record::{json_depth, Contract, Event, Record};
use crate::time::{fmt_jst, parse_instant, Instant};
use crate::vocab::{Actor, EventType};

/// The `format` of a scenario.
pub const SCENARIO_FORMAT: &str = "roei/scenario@1";
/// The `format` of a playthrough.
pub const PLAYTHROUGH_FORMAT: &str = "roei/playthrough@1";

/// Bounds on scenario and playthrough input (generous for any real exercise).
pub const MAX_SCENARIO_BYTES: usize = 1024 * 1024;
/// The largest playthrough accepted, in bytes.
pub const MAX_PLAYTHROUGH_BYTES: usize = 2 * 1024 * 1024;
/// The most roles.
pub const MAX_ROLES: usize = 32;
/// The most injects.
pub const MAX_INJECTS: usize = 500;
/// The most events one inject adds.
pub const MAX_INJECT_EVENTS: usize = 32;
/// The most expected responses.
pub const MAX_EXPECTED: usize = 128;
/// The most actions in a playthrough.
pub const MAX_ACTIONS: usize = 5_000;
/// The longest text, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The largest event data, in bytes.
pub const MAX_DATA_BYTES: usize = 32 * 1024;
/// The deepest event data.
pub const MAX_DATA_DEPTH: usize = 16;
/// The deepest scenario or playthrough JSON.
pub const MAX_JSON_DEPTH: usize = 64;
/// A scenario's `id` is at most this many characters.
pub const MAX_SCENARIO_ID_CHARS: usize = 200;
/// At most this many learning goals.
pub const MAX_GOALS: usize = 50;
/// A role, inject or expected-response id is at most this many characters.
pub const MAX_ID_CHARS: usize = 100;
/// The largest scoring weight of an obligation.
pub const MAX_WEIGHT: f64 = 100.0;
/// How much of a refused value an error message quotes.
const QUOTE_CHARS: usize = 60;
/// A drill lasts at most 400 simulated days (a 60-day final report fits with room to spare).
pub const MAX_OFFSET_SECS: i64 = 400 * 86_400;

// ---------------------------------------------------------------------------------------------
// Raw (serde) shapes

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[cfg_attr(feature = "schema", schemars(extend("const" = "roei/scenario@1")))]
    format: String,
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    id: String,
    title: Text,
    #[serde(default)]
    goals: Vec<Text>,
    contracts: Vec<Contract>,
    start: String,
    end: String,
    #[serde(default)]
    policy: Option<Value>,
    roles: Vec<RawRole>,
    injects: Vec<RawInject>,
    #[serde(default)]
    expected: Vec<RawExpected>,
    #[serde(default)]
    scoring: RawScoring,
    #[serde(rename = "notes", default)]
    _notes: Option<Value>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: String,
    name: Text,
    actor: Actor,
    #[serde(default)]
    owes: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInject {
    id: String,
    at: String,
    text: Text,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    events: Vec<RawInjectEvent>,
    #[serde(default)]
    when: Option<RawWhen>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInjectEvent {
    #[serde(rename = "type")]
    event_type: String,
    actor: Actor,
    #[serde(default)]
    data: Option<Value>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    obligation: String,
    #[serde(default)]
    contract: Option<String>,
    state: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpected {
    id: String,
    role: String,
    #[serde(rename = "type")]
    event_type: String,
    by: String,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    delay: Option<Dist>,
    #[serde(default)]
    p: Option<f64>,
    #[serde(default)]
    note: Option<Text>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    #[serde(default)]
    weights: BTreeMap<String, f64>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    must_apply: Vec<String>,
}

/// A delay in minutes, for Monte Carlo. Samples are clamped to [0, 400 days].
///
/// Read through [`RawDist`] rather than as an internally tagged enum: serde buffers a tagged enum's
/// fields, and a buffered number from serde_json's `arbitrary_precision` (on, so that record numbers
/// keep their text) no longer reads as `f64`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawDist")]
pub enum Dist {
    /// Always this many minutes.
    Fixed {
        /// The delay.
        minutes: f64,
    },
    /// Evenly between `min` and `max`.
    Uniform {
        /// The shortest delay.
        min: f64,
        /// The longest delay.
        max: f64,
    },
    /// Triangular: most often `mode`.
    Triangular {
        /// The shortest delay.
        min: f64,
        /// The most likely delay.
        mode: f64,
        /// The longest delay.
        max: f64,
    },
    /// `median` minutes (e^μ) and `sigma` (σ of the log); `max` optionally caps a long tail.
    Lognormal {
        /// The median delay.
        median: f64,
        /// The spread (σ of the logarithm).
        sigma: f64,
        #[serde(default)]
        /// A cap on the long tail.
        max: Option<f64>,
    },
}

/// `delay` as written: `{"dist": "fixed" | "uniform" | "triangular" | "lognormal", …}`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDist {
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = ["fixed", "uniform", "triangular", "lognormal"]))
    )]
    dist: String,
    minutes: Option<f64>,
    min: Option<f64>,
    mode: Option<f64>,
    max: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
}

impl TryFrom<RawDist> for Dist {
    type Error = String;
    fn try_from(r: RawDist) -> Result<Dist, String> {
        let need = |v: Option<f64>, k: &str| v.ok_or_else(|| format!("missing field `{k}`"));
        let only = |allowed: &[&str]| -> Result<(), String> {
            let given = [
                ("minutes", r.minutes),
                ("min", r.min),
                ("mode", r.mode),
                ("max", r.max),
                ("median", r.median),
                ("sigma", r.sigma),
            ];
            match given
                .iter()
                .find(|(k, v)| v.is_some() && !allowed.contains(k))
            {
                Some((k, _)) => Err(format!("unknown field `{k}` for dist `{}`", r.dist)),
                None => Ok(()),
            }
        };
        match r.dist.as_str() {
            "fixed" => only(&["minutes"]).and(Ok(Dist::Fixed {
                minutes: need(r.minutes, "minutes")?,
            })),
            "uniform" => only(&["min", "max"]).and(Ok(Dist::Uniform {
                min: need(r.min, "min")?,
                max: need(r.max, "max")?,
            })),
            "triangular" => only(&["min", "mode", "max"]).and(Ok(Dist::Triangular {
                min: need(r.min, "min")?,
                mode: need(r.mode, "mode")?,
                max: need(r.max, "max")?,
            })),
            "lognormal" => only(&["median", "sigma", "max"]).and(Ok(Dist::Lognormal {
                median: need(r.median, "median")?,
                sigma: need(r.sigma, "sigma")?,
                max: r.max,
            })),
            other => Err(format!(
                "unknown variant `{other}`, expected one of `fixed`, `uniform`, `triangular`, `lognormal`"
            )),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaythrough {
    #[cfg_attr(feature = "schema", schemars(extend("const" = "roei/playthrough@1")))]
    format: String,
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    title: Option<Value>,
    #[serde(default)]
    end: Option<String>,
    actions: Vec<RawAction>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    at: String,
    role: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    note: Option<Value>,
}

/// The JSON Schema of `roei/scenario@1` as this reader accepts it (docs/schemas/, feature `schema`).
#[cfg(feature = "schema")]
pub fn scenario_schema(settings: schemars::generate::SchemaSettings) -> schemars::Schema {
    settings
        .into_generator()
        .into_root_schema_for::<RawScenario>()
}

/// The JSON Schema of `roei/playthrough@1` as this reader accepts it (feature `schema`).
#[cfg(feature = "schema")]
pub fn playthrough_schema(settings: schemars::generate::SchemaSettings) -> schemars::Schema {
    settings
        .into_generator()
        .into_root_schema_for::<RawPlaythrough>()
}

// ---------------------------------------------------------------------------------------------
// Validated shapes

#[derive(Debug, Clone)]
/// A role players take.
pub struct Role {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The party it plays.
    pub actor: Actor,
    /// Obligation ids, clause ids or profile prefixes (`appi-local-gov:`) this role answers for;
    /// otherwise a role answers for what its actor owes (the first role of each actor).
    pub owes: Vec<String>,
}

#[derive(Debug, Clone)]
/// An event an inject appends to the drill's record.
pub struct InjectEvent {
    /// Its type.
    pub event_type: EventType,
    /// Who the event is recorded as.
    pub actor: Actor,
    /// Its data.
    pub data: Value,
}

/// Fires only if, at its time, the obligation is in one of `states`.
#[derive(Debug, Clone)]
pub struct When {
    /// The obligation id.
    pub obligation: String,
    /// The contract, where the obligation is owed under several.
    pub contract: Option<String>,
    /// The statuses in which the inject fires.
    pub states: Vec<State>,
}

#[derive(Debug, Clone)]
/// A validated inject: news for the players at a time, perhaps with events.
pub struct Inject {
    /// Its id.
    pub id: String,
    /// Seconds after the start.
    pub at: i64,
    /// What the players are told.
    pub text: Text,
    /// Role the inject is addressed to (all players when `None`).
    pub to: Option<usize>,
    /// Events it appends.
    pub events: Vec<InjectEvent>,
    /// Its condition, if any.
    pub when: Option<When>,
}

/// What a Monte Carlo delay is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The drill's start.
    Start,
    /// An inject (its index).
    Inject(usize),
    /// An earlier expected response (its index).
    Expected(usize),
}

#[derive(Debug, Clone)]
/// A validated expected response: what a good team does, and by when.
pub struct Expected {
    /// Its id.
    pub id: String,
    /// The role (index into `roles`).
    pub role: usize,
    /// The event type expected.
    pub event_type: EventType,
    /// Seconds after the start by which a good team has done it.
    pub by: i64,
    /// The data expected with it.
    pub data: Value,
    /// What the Monte Carlo delay is measured from.
    pub anchor: Anchor,
    /// The players' delay, for Monte Carlo.
    pub delay: Option<Dist>,
    /// Probability the action is taken at all (Monte Carlo).
    pub p: f64,
    /// The trainer's note.
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Default)]
/// How the drill is scored.
pub struct Scoring {
    /// Weights of obligations (default 1).
    pub weights: BTreeMap<String, f64>,
    /// Obligations not scored.
    pub exclude: Vec<String>,
    /// Obligations the team's record must make apply.
    pub must_apply: Vec<String>,
}

/// A validated `roei/scenario@1`.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// Its learning goals.
    pub goals: Vec<Text>,
    /// The contracts of the drill's record.
    pub contracts: Vec<Contract>,
    /// When the drill starts (the simulated clock's T+0).
    pub start: Instant,
    /// Seconds after the start at which the drill ends and is scored.
    pub end: i64,
    /// The policy the drill is judged under.
    pub policy: Policy,
    /// The roles.
    pub roles: Vec<Role>,
    /// The injects, in scenario order.
    pub injects: Vec<Inject>,
    /// Indices into `injects`, by time (scenario order among equal times): the order they fire in.
    pub inject_order: Vec<usize>,
    /// The expected responses.
    pub expected: Vec<Expected>,
    /// How it is scored.
    pub scoring: Scoring,
}

/// One player action of a playthrough.
#[derive(Debug, Clone)]
pub struct Action {
    /// Seconds after the start.
    pub at: i64,
    /// The role (index into `roles`).
    pub role: usize,
    /// The event type.
    pub event_type: EventType,
    /// Its data.
    pub data: Value,
}

/// A validated `roei/playthrough@1`.
#[derive(Debug, Clone)]
pub struct Playthrough {
    /// The actions, in time order.
    pub actions: Vec<Action>,
    /// When the drill is scored (seconds after the start); the scenario's end by default.
    pub end: i64,
}

// ---------------------------------------------------------------------------------------------
// Offsets

/// Parses `T+40m`, `T+1h30m`, `T+2d`, `T+0` into seconds (units: d, h, m; at most 400 days).
pub fn parse_offset(s: &str) -> Option<i64> {
    let rest = s.trim().strip_prefix("T+")?;
    if rest.is_empty() || rest.len() > 24 {
        return None;
    }
    if rest == "0" {
        return Some(0);
    }
    let (mut total, mut num, mut any) = (0i64, String::new(), false);
    let mut last_unit = 4u8;
    for ch in rest.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
            continue;
        }
        let (unit, rank) = match ch {
            'd' => (86_400, 3u8),
            'h' => (3_600, 2),
            'm' => (60, 1),
            _ => return None,
        };
        // Units in decreasing order, each once: `T+1h30m`, not `T+30m1h`.
        if rank >= last_unit || num.is_empty() {
            return None;
        }
        last_unit = rank;
        let n: i64 = num.parse().ok()?;
        num.clear();
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    if !num.is_empty() || !any || total > MAX_OFFSET_SECS {
        return None;
    }
    Some(total)
}

/// `T+1d2h30m` (shortest form) for seconds after the start.
pub fn fmt_offset(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    let sec = s % 60;
    let mut out = String::from("T+");
    if d > 0 {
        out.push_str(&format!("{d}d"));
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 {
        out.push_str(&format!("{sec}s"));
    }
    if out == "T+" {
        out.push('0');
    }
    out
}

impl Scenario {
    /// The instant `offset` seconds after the start.
    pub fn instant(&self, offset: i64) -> Instant {
        self.start
            .checked_add_signed(chrono::Duration::seconds(offset))
            .unwrap_or(self.start)
    }

    /// The drill's end as an instant.
    pub fn end_instant(&self) -> Instant {
        self.instant(self.end)
    }

    /// The index of role `id`.
    pub fn role_index(&self, id: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.id == id)
    }

    /// Reads and validates a scenario; every problem found is reported. Each part is checked by a
    /// function of its own below (header, roles, injects, expected responses, scoring), then every
    /// event the scenario can add is appended to a scratch record.
    pub fn parse(json: &str) -> Result<Scenario, Error> {
        if json.len() > MAX_SCENARIO_BYTES {
            return Err(Error::TooLarge {
                path: String::new(),
                size: json.len(),
                limit: MAX_SCENARIO_BYTES,
            });
        }
        check_depth(json, "", MAX_JSON_DEPTH)?;
        let raw: RawScenario = crate::error::parse_with_path(json, "")?;
        if raw.format != SCENARIO_FORMAT {
            return Err(Error::Format {
                path: "format".into(),
                found: clip(&raw.format, QUOTE_CHARS),
                expected: SCENARIO_FORMAT,
            });
        }
        let mut errs = Vec::new();
        let header = check_header(&raw, &mut errs);
        let roles = check_roles(&raw, &mut errs);
        let injects = check_injects(&raw, header.end, &mut errs);
        let expected = check_expected(&raw, header.end, &mut errs);
        check_scoring(&raw.scoring, &mut errs);
        if let (Some(rec), Some(start)) = (header.scratch, header.start) {
            check_events_append(rec, start, &injects, &expected, &roles, &mut errs);
        }
        Error::from_list(errs)?;
        let start = header
            .start
            .ok_or_else(|| Error::invalid("start", "missing"))?;
        let mut inject_order: Vec<usize> = (0..injects.len()).collect();
        inject_order.sort_by_key(|&i| (injects[i].at, i));
        Ok(Scenario {
            id: raw.id,
            title: raw.title,
            goals: raw.goals,
            contracts: raw.contracts,
            start,
            end: header.end,
            policy: header.policy,
            roles,
            injects,
            inject_order,
            expected,
            scoring: Scoring {
                weights: raw.scoring.weights,
                exclude: raw.scoring.exclude,
                must_apply: raw.scoring.must_apply,
            },
        })
    }

    /// Reads and validates a playthrough of this scenario.
    pub fn parse_playthrough(&self, json: &str) -> Result<Playthrough, Error> {
        if json.len() > MAX_PLAYTHROUGH_BYTES {
            return Err(Error::TooLarge {
                path: String::new(),
                size: json.len(),
                limit: MAX_PLAYTHROUGH_BYTES,
            });
        }
        check_depth(json, "", MAX_JSON_DEPTH)?;
        let raw: RawPlaythrough = crate::error::parse_with_path(json, "")?;
        let _ = (&raw.title, raw._schema.as_ref());
        if raw.format != PLAYTHROUGH_FORMAT {
            return Err(Error::Format {
                path: "format".into(),
                found: clip(&raw.format, QUOTE_CHARS),
                expected: PLAYTHROUGH_FORMAT,
            });
        }
        let mut errs = Vec::new();
        if let Some(s) = &raw.scenario {
            if s != &self.id {
                errs.push(Error::invalid(
                    "scenario",
                    format!(
                        "this playthrough is for '{}', not '{}'",
                        clip(s, QUOTE_CHARS),
                        clip(&self.id, QUOTE_CHARS)
                    ),
                ));
            }
        }
        let end = match &raw.end {
            None => self.end,
            Some(e) => {
                let v = self
                    .offset_or_instant(e, "end", &mut errs)
                    .unwrap_or(self.end);
                if v > self.end {
                    errs.push(Error::invalid(
                        "end",
                        format!("{e} is after the scenario's end ({})", fmt_offset(self.end)),
                    ));
                }
                v.min(self.end)
            }
        };
        if raw.actions.len() > MAX_ACTIONS {
            return Err(too_many("actions", raw.actions.len(), MAX_ACTIONS));
        }
        let mut actions = Vec::with_capacity(raw.actions.len());
        let mut last = 0i64;
        for (i, a) in raw.actions.iter().enumerate() {
            let p = format!("actions[{i}]");
            let _ = &a.note;
            let at = self.offset_or_instant(&a.at, &join_path(&p, "at"), &mut errs);
            if let Some(at) = at {
                if at < last {
                    errs.push(Error::invalid(
                        join_path(&p, "at"),
                        "the drill clock only moves forward: actions are listed in time order",
                    ));
                } else if at > end {
                    errs.push(Error::invalid(
                        join_path(&p, "at"),
                        format!("{} is after the drill's end ({})", a.at, fmt_offset(end)),
                    ));
                }
                last = last.max(at);
            }
            let role = self.role_index(&a.role);
            if role.is_none() {
                errs.push(unknown_role(&join_path(&p, "role"), &a.role));
            }
            let t = event_type(&a.event_type, &join_path(&p, "type"), &mut errs);
            let data = check_data(a.data.as_ref(), &join_path(&p, "data"), &mut errs);
            if let (Some(at), Some(role), Some(t)) = (at, role, t) {
                actions.push(Action {
                    at,
                    role,
                    event_type: t,
                    data,
                });
            }
        }
        Error::from_list(errs)?;
        Ok(Playthrough { actions, end })
    }

    /// An offset (`T+40m`) or an RFC 3339 instant, as seconds after the start.
    fn offset_or_instant(&self, s: &str, path: &str, errs: &mut Vec<Error>) -> Option<i64> {
        if let Some(v) = parse_offset(s) {
            return Some(v);
        }
        if let Some(t) = parse_instant(s) {
            let secs = (t - self.start).num_seconds();
            if (0..=MAX_OFFSET_SECS).contains(&secs) {
                return Some(secs);
            }
            errs.push(Error::invalid(
                path,
                format!(
                    "{} is before the drill's start ({}) or too far after it",
                    clip(s, QUOTE_CHARS),
                    fmt_jst(&self.start)
                ),
            ));
            return None;
        }
        errs.push(Error::invalid(
            path,
            format!(
                "'{}' is neither an offset (T+40m, T+1h30m, T+2d) nor an RFC 3339 instant",
                clip(s, QUOTE_CHARS)
            ),
        ));
        None
    }
}

// ---------------------------------------------------------------------------------------------
// The parts of a scenario, each checked on its own

/// What the scenario's header gives: its start and end, its policy, and a scratch record holding
/// its contracts (checked exactly as an incident record's are), or `None` where one is wrong.
struct Header {
    start: Option<Instant>,
    end: i64,
    policy: Policy,
    scratch: Option<Record>,
}

/// `id`, `title`, `goals`, `start`, `end`, `policy` and `contracts`.
fn check_header(raw: &RawScenario, errs: &mut Vec<Error>) -> Header {
    if raw.id.trim().is_empty() || raw.id.chars().count() > MAX_SCENARIO_ID_CHARS {
        errs.push(Error::invalid(
            "id",
            format!("give an id of 1 to {MAX_SCENARIO_ID_CHARS} characters"),
        ));
    }
    check_text(&raw.title, "title", errs);
    for (i, g) in raw.goals.iter().enumerate() {
        check_text(g, &format!("goals[{i}]"), errs);
    }
    if raw.goals.len() > MAX_GOALS {
        errs.push(too_many("goals", raw.goals.len(), MAX_GOALS));
    }
    let start = parse_instant(&raw.start);
    if start.is_none() {
        errs.push(Error::invalid(
            "start",
            format!(
                "'{}' is not an RFC 3339 instant with an offset",
                clip(&raw.start, QUOTE_CHARS)
            ),
        ));
    }
    let end = offset_or(&raw.end, "end", errs).unwrap_or(0);
    if end <= 0 && parse_offset(&raw.end).is_some() {
        errs.push(Error::invalid("end", "the drill must last longer than T+0"));
    }
    let policy = match &raw.policy {
        None => Policy::default(),
        Some(v) => match Policy::from_json(&v.to_string()) {
            Ok(p) => p,
            Err(e) => {
                errs.push(e.with_path_prefix("policy"));
                Policy::default()
            }
        },
    };
    // Contracts are checked exactly as an incident record's are (same paths: contracts[0].profile).
    let scratch = match Record::new(&raw.id, Some(&raw.title.ja), raw.contracts.clone()) {
        Ok(r) => Some(r),
        Err(e) => {
            errs.extend(e.problems().into_iter().cloned());
            None
        }
    };
    Header {
        start,
        end,
        policy,
        scratch,
    }
}

/// `roles`: at least one, at most [`MAX_ROLES`], unique ids, and `owes` naming the catalog.
fn check_roles(raw: &RawScenario, errs: &mut Vec<Error>) -> Vec<Role> {
    if raw.roles.is_empty() {
        errs.push(Error::Missing {
            path: "roles".into(),
            field: "roles".into(),
            clause: None,
        });
    }
    if raw.roles.len() > MAX_ROLES {
        errs.push(too_many("roles", raw.roles.len(), MAX_ROLES));
    }
    let mut roles = Vec::new();
    for (i, r) in raw.roles.iter().enumerate() {
        let p = format!("roles[{i}]");
        check_id(&r.id, &join_path(&p, "id"), errs);
        if raw.roles[..i].iter().any(|q| q.id == r.id) {
            errs.push(Error::DuplicateId {
                path: join_path(&p, "id"),
                id: clip(&r.id, QUOTE_CHARS),
            });
        }
        check_text(&r.name, &join_path(&p, "name"), errs);
        for (j, o) in r.owes.iter().enumerate() {
            if !names_obligation(o) {
                errs.push(Error::invalid(
                    format!("{p}.owes[{j}]"),
                    format!(
                        "'{}' is neither an obligation, a clause nor a profile prefix ('appi-local-gov:')",
                        clip(o, QUOTE_CHARS)
                    ),
                ));
            }
        }
        roles.push(Role {
            id: r.id.clone(),
            name: r.name.clone(),
            actor: r.actor,
            owes: r.owes.clone(),
        });
    }
    roles
}

/// The index of role `id` in the raw scenario.
fn role_of(raw: &RawScenario, id: &str) -> Option<usize> {
    raw.roles.iter().position(|r| r.id == id)
}

/// `injects`: at most [`MAX_INJECTS`], unique ids, times within the drill, events a record accepts.
fn check_injects(raw: &RawScenario, end: i64, errs: &mut Vec<Error>) -> Vec<Inject> {
    if raw.injects.len() > MAX_INJECTS {
        errs.push(too_many("injects", raw.injects.len(), MAX_INJECTS));
    }
    let mut injects = Vec::new();
    for (i, r) in raw.injects.iter().enumerate().take(MAX_INJECTS) {
        let p = format!("injects[{i}]");
        check_id(&r.id, &join_path(&p, "id"), errs);
        if raw.injects[..i].iter().any(|q| q.id == r.id) {
            errs.push(Error::DuplicateId {
                path: join_path(&p, "id"),
                id: clip(&r.id, QUOTE_CHARS),
            });
        }
        let at = offset_or(&r.at, &join_path(&p, "at"), errs).unwrap_or(0);
        if at > end {
            errs.push(Error::invalid(
                join_path(&p, "at"),
                format!("{} is after the drill's end ({})", r.at, raw.end),
            ));
        }
        check_text(&r.text, &join_path(&p, "text"), errs);
        let to = r.to.as_ref().and_then(|t| {
            let ix = role_of(raw, t);
            if ix.is_none() {
                errs.push(unknown_role(&join_path(&p, "to"), t));
            }
            ix
        });
        if r.events.len() > MAX_INJECT_EVENTS {
            errs.push(too_many(
                &join_path(&p, "events"),
                r.events.len(),
                MAX_INJECT_EVENTS,
            ));
        }
        let mut events = Vec::new();
        for (j, e) in r.events.iter().enumerate().take(MAX_INJECT_EVENTS) {
            let ep = format!("{p}.events[{j}]");
            let Some(t) = event_type(&e.event_type, &join_path(&ep, "type"), errs) else {
                continue;
            };
            let data = check_data(e.data.as_ref(), &join_path(&ep, "data"), errs);
            events.push(InjectEvent {
                event_type: t,
                actor: e.actor,
                data,
            });
        }
        let when = r
            .when
            .as_ref()
            .map(|w| check_when(raw, w, &join_path(&p, "when"), errs));
        injects.push(Inject {
            id: r.id.clone(),
            at,
            text: r.text.clone(),
            to,
            events,
            when,
        });
    }
    injects
}

/// An inject's `when`: an obligation id, a contract of the scenario, and statuses.
fn check_when(raw: &RawScenario, w: &RawWhen, wp: &str, errs: &mut Vec<Error>) -> When {
    if !names_obligation(&w.obligation) || w.obligation.ends_with(':') {
        errs.push(Error::invalid(
            join_path(wp, "obligation"),
            format!(
                "'{}' is not an obligation id",
                clip(&w.obligation, QUOTE_CHARS)
            ),
        ));
    }
    if let Some(c) = &w.contract {
        if !raw.contracts.iter().any(|k| &k.id == c) {
            errs.push(Error::invalid(
                join_path(wp, "contract"),
                format!("no contract '{}' in this scenario", clip(c, QUOTE_CHARS)),
            ));
        }
    }
    if w.state.is_empty() {
        errs.push(Error::Missing {
            path: join_path(wp, "state"),
            field: "state".into(),
            clause: None,
        });
    }
    let mut states = Vec::new();
    for (k, s) in w.state.iter().enumerate() {
        match parse_state(s) {
            Some(v) => states.extend(v),
            None => errs.push(Error::invalid(
                format!("{wp}.state[{k}]"),
                format!(
                    "'{}' is not a status (not_applicable, undetermined, waiting, pending, overdue, done, done_late, optional, late)",
                    clip(s, 40)
                ),
            )),
        }
    }
    When {
        obligation: w.obligation.clone(),
        contract: w.contract.clone(),
        states,
    }
}

/// `expected`: at most [`MAX_EXPECTED`], each by a known role, anchored only backwards (an inject
/// that always fires, or an earlier expected action), so the anchors have no cycles.
fn check_expected(raw: &RawScenario, end: i64, errs: &mut Vec<Error>) -> Vec<Expected> {
    if raw.expected.len() > MAX_EXPECTED {
        errs.push(too_many("expected", raw.expected.len(), MAX_EXPECTED));
    }
    // Ids seen so far: every inject, then the expected actions in order.
    let mut ids: HashMap<&str, Anchor> = HashMap::new();
    for (i, r) in raw.injects.iter().enumerate().take(MAX_INJECTS) {
        ids.insert(r.id.as_str(), Anchor::Inject(i));
    }
    let mut expected = Vec::new();
    for (i, r) in raw.expected.iter().enumerate().take(MAX_EXPECTED) {
        let p = format!("expected[{i}]");
        check_id(&r.id, &join_path(&p, "id"), errs);
        let role = role_of(raw, &r.role);
        if role.is_none() {
            errs.push(unknown_role(&join_path(&p, "role"), &r.role));
        }
        let t = event_type(&r.event_type, &join_path(&p, "type"), errs);
        let by = offset_or(&r.by, &join_path(&p, "by"), errs).unwrap_or(0);
        if by > end {
            errs.push(Error::invalid(
                join_path(&p, "by"),
                format!("{} is after the drill's end ({})", r.by, raw.end),
            ));
        }
        let data = check_data(r.data.as_ref(), &join_path(&p, "data"), errs);
        let anchor = match &r.after {
            None => Anchor::Start,
            Some(a) => match ids.get(a.as_str()) {
                Some(Anchor::Inject(k)) if raw.injects[*k].when.is_some() => {
                    errs.push(Error::invalid(
                        join_path(&p, "after"),
                        format!("'{a}' is a conditional inject; a delay is measured from an inject that always fires, or from an earlier expected action"),
                    ));
                    Anchor::Start
                }
                Some(x) => *x,
                None => {
                    errs.push(Error::invalid(
                        join_path(&p, "after"),
                        format!(
                            "'{}' is neither an inject nor an earlier expected action",
                            clip(a, QUOTE_CHARS)
                        ),
                    ));
                    Anchor::Start
                }
            },
        };
        if ids.insert(r.id.as_str(), Anchor::Expected(i)).is_some() {
            errs.push(Error::DuplicateId {
                path: join_path(&p, "id"),
                id: clip(&r.id, QUOTE_CHARS),
            });
        }
        if let Some(d) = &r.delay {
            if let Err(m) = check_dist(d) {
                errs.push(Error::invalid(join_path(&p, "delay"), m));
            }
        }
        let prob = r.p.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&prob) {
            errs.push(Error::invalid(
                join_path(&p, "p"),
                "a probability between 0 and 1",
            ));
        }
        if let Some(n) = &r.note {
            check_text(n, &join_path(&p, "note"), errs);
        }
        if let (Some(role), Some(t)) = (role, t) {
            expected.push(Expected {
                id: r.id.clone(),
                role,
                event_type: t,
                by,
                data,
                anchor,
                delay: r.delay.clone(),
                p: prob,
                note: r.note.clone(),
            });
        }
    }
    expected
}

/// `scoring`: weights from 0 to [`MAX_WEIGHT`] on obligation ids; `exclude` and `must_apply` name
/// obligations.
fn check_scoring(scoring: &RawScoring, errs: &mut Vec<Error>) {
    for (k, w) in &scoring.weights {
        if !names_obligation(k) || !w.is_finite() || !(0.0..=MAX_WEIGHT).contains(w) {
            errs.push(Error::invalid(
                format!("scoring.weights.{}", clip(k, QUOTE_CHARS)),
                "an obligation id with a weight from 0 to 100",
            ));
        }
    }
    for (name, list) in [
        ("exclude", &scoring.exclude),
        ("must_apply", &scoring.must_apply),
    ] {
        for (j, o) in list.iter().enumerate() {
            if !names_obligation(o) {
                errs.push(Error::invalid(
                    format!("scoring.{name}[{j}]"),
                    format!("'{}' is not an obligation id", clip(o, QUOTE_CHARS)),
                ));
            }
        }
    }
}

/// Every event the scenario can add must be one a record accepts (kind given, contract known…):
/// append them all, in firing order, to the scratch record.
fn check_events_append(
    mut rec: Record,
    start: Instant,
    injects: &[Inject],
    expected: &[Expected],
    roles: &[Role],
    errs: &mut Vec<Error>,
) {
    let mut order: Vec<usize> = (0..injects.len()).collect();
    order.sort_by_key(|&i| (injects[i].at, i));
    let mut n = 0usize;
    for &i in &order {
        for (j, e) in injects[i].events.iter().enumerate() {
            n += 1;
            let at = start + chrono::Duration::seconds(injects[i].at);
            let path = format!("injects[{i}].events[{j}]");
            if let Err(e) = Event::new(
                &format!("chk{n}"),
                at,
                e.event_type,
                e.actor,
                e.data.clone(),
            )
            .and_then(|ev| rec.append(ev))
            {
                errs.push(reprefix(e, &path));
            }
        }
    }
    for (i, x) in expected.iter().enumerate() {
        n += 1;
        let actor = roles.get(x.role).map(|r| r.actor).unwrap_or(Actor::Other);
        if let Err(e) = Event::new(
            &format!("chk{n}"),
            start,
            x.event_type,
            actor,
            x.data.clone(),
        )
        .and_then(|ev| rec.append(ev))
        {
            errs.push(reprefix(e, &format!("expected[{i}]")));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

fn too_many(path: &str, count: usize, limit: usize) -> Error {
    Error::TooMany {
        path: path.into(),
        count,
        limit,
    }
}

fn unknown_role(path: &str, id: &str) -> Error {
    Error::invalid(
        path,
        format!("no role '{}' in this scenario", clip(id, QUOTE_CHARS)),
    )
}

fn check_depth(json: &str, path: &str, limit: usize) -> Result<(), Error> {
    let d = json_depth(json);
    if d > limit {
        return Err(Error::invalid(
            path,
            format!("nested {d} levels deep, over the limit of {limit}"),
        ));
    }
    Ok(())
}

fn check_id(id: &str, path: &str, errs: &mut Vec<Error>) {
    if id.trim().is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control)
    {
        errs.push(Error::invalid(
            path,
            format!("give an id of 1 to {MAX_ID_CHARS} characters without control characters"),
        ));
    }
}

fn check_text(t: &Text, path: &str, errs: &mut Vec<Error>) {
    for (k, s) in [("ja", &t.ja), ("en", &t.en)] {
        if s.trim().is_empty() {
            errs.push(Error::Missing {
                path: join_path(path, k),
                field: k.into(),
                clause: None,
            });
        } else if s.chars().count() > MAX_TEXT_CHARS {
            errs.push(Error::invalid(
                join_path(path, k),
                format!("longer than {MAX_TEXT_CHARS} characters"),
            ));
        }
    }
}

fn offset_or(s: &str, path: &str, errs: &mut Vec<Error>) -> Option<i64> {
    let v = parse_offset(s);
    if v.is_none() {
        errs.push(Error::invalid(
            path,
            format!(
                "'{}' is not an offset from the start such as T+0, T+40m, T+1h30m or T+2d (at most T+400d)",
                clip(s, QUOTE_CHARS)
            ),
        ));
    }
    v
}

fn event_type(s: &str, path: &str, errs: &mut Vec<Error>) -> Option<EventType> {
    let t = EventType::from_key(s);
    if t.is_none() {
        errs.push(Error::invalid(
            path,
            format!(
                "'{}' is not an event type ({})",
                clip(s, QUOTE_CHARS),
                EventType::ALL
                    .iter()
                    .map(|t| t.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    t
}

fn check_data(v: Option<&Value>, path: &str, errs: &mut Vec<Error>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(Value::Object(o)) => {
            let s = Value::Object(o.clone()).to_string();
            if s.len() > MAX_DATA_BYTES {
                errs.push(Error::TooLarge {
                    path: path.into(),
                    size: s.len(),
                    limit: MAX_DATA_BYTES,
                });
            } else if json_depth(&s) > MAX_DATA_DEPTH {
                errs.push(Error::invalid(
                    path,
                    format!("nested deeper than {MAX_DATA_DEPTH} levels"),
                ));
            }
            Value::Object(o.clone())
        }
        Some(_) => {
            errs.push(Error::invalid(path, "event data is a JSON object"));
            Value::Object(Default::default())
        }
    }
}

fn check_dist(d: &Dist) -> Result<(), String> {
    let fin = |xs: &[f64]| xs.iter().all(|x| x.is_finite() && *x >= 0.0);
    let cap = (MAX_OFFSET_SECS / 60) as f64;
    match *d {
        Dist::Fixed { minutes } if fin(&[minutes]) && minutes <= cap => Ok(()),
        Dist::Uniform { min, max } if fin(&[min, max]) && min <= max && max <= cap => Ok(()),
        Dist::Triangular { min, mode, max }
            if fin(&[min, mode, max]) && min <= mode && mode <= max && min < max && max <= cap =>
        {
            Ok(())
        }
        Dist::Lognormal { median, sigma, max }
            if median.is_finite()
                && median > 0.0
                && median <= cap
                && sigma.is_finite()
                && sigma > 0.0
                && sigma <= 5.0
                && max.is_none_or(|m| m.is_finite() && m >= 0.0 && m <= cap) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "minutes must be finite, not negative, at most {cap} (400 days), min ≤ mode ≤ max; lognormal needs median > 0 and 0 < sigma ≤ 5"
        )),
    }
}

/// `late` is shorthand for `overdue` or `done_late`.
fn parse_state(s: &str) -> Option<Vec<State>> {
    if s == "late" {
        return Some(vec![State::Overdue, State::DoneLate]);
    }
    State::ALL.iter().find(|x| x.key() == s).map(|x| vec![*x])
}

/// Whether `s` names something in the catalog: an obligation or clause id, or a profile prefix.
pub(crate) fn names_obligation(s: &str) -> bool {
    let c = Catalog::builtin();
    if let Some(p) = s.strip_suffix(':') {
        return c.profile(p).is_some();
    }
    c.profiles
        .iter()
        .flat_map(|p| p.clauses.iter())
        .any(|k| k.obligation_id() == s || k.id == s)
}

/// Moves an error found while checking one event of the scenario (`event.data.kind`,
/// `events[3].data.kind`: both stand for that one event) to where the event sits in the scenario file.
pub(crate) fn reprefix(e: Error, prefix: &str) -> Error {
    e.map_paths(&|p| {
        let Some(r) = p.strip_prefix("event") else {
            return join_path(prefix, p);
        };
        let r = r.strip_prefix('s').unwrap_or(r);
        let rest = match r.strip_prefix('[') {
            Some(x) => x.split_once(']').map(|(_, t)| t).unwrap_or(""),
            None => r,
        };
        join_path(prefix, rest.strip_prefix('.').unwrap_or(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("T+0"), Some(0));
        assert_eq!(parse_offset("T+40m"), Some(2400));
        assert_eq!(parse_offset("T+1h30m"), Some(5400));
        assert_eq!(parse_offset("T+2d"), Some(172_800));
        assert_eq!(parse_offset("T+1d2h3m"), Some(93_780));
        for bad in [
            "",
            "T+",
            "40m",
            "T+30m1h",
            "T+1h1h",
            "T+1x",
            "T+-1m",
            "T+401d",
            "T+m",
            "T+1",
            "T+99999999999999999999m",
        ] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        assert_eq!(fmt_offset(5400), "T+1h30m");
        assert_eq!(fmt_offset(0), "T+0");
    }

    #[test]
    fn reprefix_maps_event_paths() {
        let e = Error::Missing {
            path: "events[3].data.kind".into(),
            field: "kind".into(),
            clause: None,
        };
        assert_eq!(
            reprefix(e, "injects[0].events[1]").path(),
            "injects[0].events[1].data.kind"
        );
        let e = Error::invalid("event.at", "x");
        assert_eq!(reprefix(e, "expected[2]").path(), "expected[2].at");
        let e = Error::invalid("targets.immediately", "x");
        assert_eq!(reprefix(e, "policy").path(), "policy.targets.immediately");
    }
}

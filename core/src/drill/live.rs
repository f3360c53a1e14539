//! Facilitated play in a browser (`<roei-drill>`): the drill at a simulated instant, replayed from
//! the scenario and the actions recorded so far, and new actions stamped with the simulated time.
//!
//! Stateless replay rather than a session object kept in WASM memory, because the playthrough the
//! facilitator's page holds then *is* the drill:
//! - nothing in WASM memory can drift from what is exported: the exported playthrough is the input
//!   every state was computed from, so `roei drill SCENARIO --play` scores it identically;
//! - a refused action leaves nothing half-applied (the page keeps its previous playthrough), a reload
//!   resumes from the saved playthrough, and there is no handle to free;
//! - the clock cannot go back: a state before the last action is refused.
//!
//! Each call parses the scenario and replays every action (about a millisecond for the library's
//! scenarios in WASM), which a clock ticking a few times a second affords easily.
use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::Text;
use crate::error::Error;
use crate::record::{json_depth, Contract, Warning};
use crate::time::{fmt_jst, parse_instant};
use crate::vocab::{Actor, EventType};

use super::engine::{ActionLog, Drill, InjectLog};
use super::prompts::{build_data, prompts, Prompt};
use super::scenario::{
    fmt_offset, reprefix, Action, Playthrough, Scenario, MAX_DATA_BYTES, MAX_OFFSET_SECS,
    PLAYTHROUGH_FORMAT,
};
use super::score::{score, ObligationScore};

/// The `format` of a live drill's state.
pub const STATE_FORMAT: &str = "roei/drill-state@1";
/// The `format` of a drill's briefing.
pub const BRIEFING_FORMAT: &str = "roei/drill-briefing@1";

/// Form answers are short texts; this bounds the whole object before it is read.
pub const MAX_ANSWERS_BYTES: usize = 64 * 1024;

/// A point on the simulated clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tick {
    /// Seconds after the start.
    pub secs: i64,
    /// The instant, RFC 3339 in Japan time.
    pub at: String,
    /// `T+1h30m`.
    pub offset: String,
}

fn tick(sc: &Scenario, secs: i64) -> Tick {
    Tick {
        secs,
        at: fmt_jst(&sc.instant(secs)),
        offset: fmt_offset(secs),
    }
}

/// One row of the obligations board: the score entry at the current clock, with its due and done
/// times as seconds after the start (the page counts down against the simulated clock).
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    #[serde(flatten)]
    /// The obligation's score so far.
    pub obligation: ObligationScore,
    /// Its due time, in seconds after the start.
    pub due_secs: Option<i64>,
    /// When it was done, in seconds after the start.
    pub done_secs: Option<i64>,
}

/// `roei/drill-state@1`: what the players and the facilitator see at the clock's current time.
#[derive(Debug, Clone, Serialize)]
pub struct DrillState {
    /// Always `roei/drill-state@1`.
    pub format: &'static str,
    /// The scenario id.
    pub scenario: String,
    /// When the drill started (RFC 3339).
    pub start: String,
    /// The simulated clock now.
    pub now: Tick,
    /// The drill's end.
    pub end: Tick,
    /// The clock has reached the scenario's end.
    pub ended: bool,
    /// When the next inject is due (its text is not revealed; a conditional one may not fire).
    pub next_inject: Option<Tick>,
    /// Injects whose time has come, fired or skipped (condition not met), in the order they came.
    pub injects: Vec<InjectLog>,
    /// The player actions so far.
    pub actions: Vec<ActionLog>,
    /// The obligations board.
    pub board: Vec<BoardRow>,
    /// The record's warnings.
    pub warnings: Vec<Warning>,
    /// The drill's `roei/incident@1` record so far.
    pub record: Value,
}

#[derive(Debug, Clone, Serialize)]
/// A role, as the briefing shows it.
pub struct RoleInfo {
    /// The role id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The party it plays.
    pub actor: Actor,
    /// The obligations it answers for.
    pub owes: Vec<String>,
}

/// An action players can record: an incident event type and the questions its form asks.
#[derive(Debug, Clone, Serialize)]
pub struct ActionForm {
    #[serde(rename = "type")]
    /// The event type.
    pub event_type: EventType,
    /// Its Japanese label.
    pub ja: &'static str,
    /// Its English label.
    pub en: &'static str,
    /// What to ask for its data.
    pub prompts: Vec<Prompt>,
}

/// `roei/drill-briefing@1`: what is shown before the clock starts, and the forms.
#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    /// Always `roei/drill-briefing@1`.
    pub format: &'static str,
    /// The scenario id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// Its learning goals.
    pub goals: Vec<Text>,
    /// The start.
    pub start: Tick,
    /// The end.
    pub end: Tick,
    /// The scenario's contracts.
    pub contracts: Vec<Contract>,
    /// The roles.
    pub roles: Vec<RoleInfo>,
    /// How many injects and expected responses the scenario has (their content is for later).
    pub injects: usize,
    /// How many expected responses the scenario scores.
    pub expected: usize,
    /// The actions a player can take.
    pub actions: Vec<ActionForm>,
    /// Japanese and English names of the vocabularies the board and the score use.
    pub labels: Value,
    /// The empty playthrough to start from.
    pub playthrough: PlaythroughOut,
}

/// A playthrough as this module writes it: instants in Japan time, roles and types by key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaythroughOut {
    /// Always `roei/playthrough@1`.
    pub format: &'static str,
    /// The scenario id.
    pub scenario: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// When the drill is scored.
    pub end: Option<String>,
    /// The actions, in order.
    pub actions: Vec<ActionOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One action of an exported playthrough.
pub struct ActionOut {
    /// When (RFC 3339).
    pub at: String,
    /// The role id.
    pub role: String,
    #[serde(rename = "type")]
    /// The event type key.
    pub event_type: &'static str,
    /// The event's data.
    pub data: Value,
}

/// The playthrough of `actions`, stopped at `end` if given.
pub fn playthrough_out(sc: &Scenario, actions: &[Action], end: Option<i64>) -> PlaythroughOut {
    PlaythroughOut {
        format: PLAYTHROUGH_FORMAT,
        scenario: sc.id.clone(),
        end: end.map(|e| fmt_jst(&sc.instant(e))),
        actions: actions
            .iter()
            .map(|a| ActionOut {
                at: fmt_jst(&sc.instant(a.at)),
                role: sc
                    .roles
                    .get(a.role)
                    .map(|r| r.id.clone())
                    .unwrap_or_default(),
                event_type: a.event_type.key(),
                data: a.data.clone(),
            })
            .collect(),
    }
}

/// The clock as a JS number of seconds since the start: finite, not negative, whole seconds.
pub fn clock_secs(at: f64) -> Result<i64, Error> {
    if !at.is_finite() || at < 0.0 {
        return Err(Error::invalid(
            "at",
            "the drill clock is a number of seconds since the start, 0 or more",
        ));
    }
    // Past 400 days every scenario has ended; clamping first keeps the cast exact.
    Ok(at.min(MAX_OFFSET_SECS as f64).floor() as i64)
}

/// `at` clamped to the scenario, refused before the last action (the clock never goes back).
fn forward(sc: &Scenario, actions: &[Action], at: i64) -> Result<i64, Error> {
    let at = at.clamp(0, sc.end);
    match actions.last() {
        Some(last) if at < last.at => Err(Error::invalid(
            "at",
            format!(
                "the drill clock only moves forward: {} is before the last action ({})",
                fmt_offset(at),
                fmt_offset(last.at)
            ),
        )),
        _ => Ok(at),
    }
}

/// The state of a drill whose clock stands at `d.now()`.
pub fn state_of(d: &Drill) -> DrillState {
    let sc = d.scenario();
    let s = score(d);
    let secs_of = |iso: &Option<String>| {
        iso.as_deref()
            .and_then(parse_instant)
            .map(|t| (t - sc.start).num_seconds())
    };
    let board = s
        .obligations
        .into_iter()
        .map(|o| BoardRow {
            due_secs: secs_of(&o.due),
            done_secs: secs_of(&o.done_at),
            obligation: o,
        })
        .collect();
    DrillState {
        format: STATE_FORMAT,
        scenario: sc.id.clone(),
        start: s.start,
        now: tick(sc, d.now()),
        end: tick(sc, sc.end),
        ended: d.ended(),
        next_inject: d.next_inject_at().map(|t| tick(sc, t)),
        injects: s.injects,
        actions: s.actions,
        board,
        warnings: s.status.warnings,
        record: s.record,
    }
}

/// The drill at `at` seconds after the start (clamped to its end): the actions replayed, every inject
/// due by then fired or skipped. The playthrough's own `end` is not used: the clock is `at`.
pub fn state(sc: &Scenario, pt: &Playthrough, at: i64) -> Result<DrillState, Error> {
    let at = forward(sc, &pt.actions, at)?;
    Ok(state_of(&Drill::play_to(sc, &pt.actions, at)?))
}

/// A player action recorded at `at`: the form's answers (`{key: text}`, keys from the prompts of
/// `event_type`) become event data exactly as the terminal facilitator builds them, and the event is
/// appended by `role`'s actor. Returns the grown playthrough (without `end`), the new event's id and
/// the state just after it. Errors about the answers name `data.…` (the form field), and `role`,
/// `type` or `at`.
pub fn act(
    sc: &Scenario,
    pt: &Playthrough,
    at: i64,
    role: &str,
    event_type: &str,
    answers: &Map<String, Value>,
) -> Result<(Playthrough, String, DrillState), Error> {
    let role_ix = sc.role_index(role).ok_or_else(|| {
        Error::invalid(
            "role",
            format!(
                "no role '{}' in this scenario",
                role.chars().take(60).collect::<String>()
            ),
        )
    })?;
    let t = EventType::from_key(event_type)
        .ok_or_else(|| Error::invalid("type", "not an event type"))?;
    let at = forward(sc, &pt.actions, at)?;
    let (contracts, principals) = super::choices(sc);
    let ps = prompts(t, &contracts, &principals);
    for k in answers.keys() {
        if !ps.iter().any(|p| p.key == k) {
            return Err(Error::invalid(
                format!("answers.{}", k.chars().take(60).collect::<String>()),
                format!("not asked for {}", t.key()),
            ));
        }
    }
    let mut texts = Vec::with_capacity(ps.len());
    for p in &ps {
        texts.push(match answers.get(p.key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(Error::invalid(
                    format!("answers.{}", p.key),
                    "expected the answer as text",
                ))
            }
        });
    }
    let data = build_data(&ps, &texts)?;
    let size = data.to_string().len();
    if size > MAX_DATA_BYTES {
        return Err(Error::TooLarge {
            path: "data".into(),
            size,
            limit: MAX_DATA_BYTES,
        });
    }
    let mut d = Drill::play_to(sc, &pt.actions, at)?;
    // The event's own errors come back as `events[N].data.kind`: the form knows it as `data.kind`.
    let id = d
        .act(role_ix, t, data.clone())
        .map_err(|e| reprefix(e, ""))?;
    let mut actions = pt.actions.clone();
    actions.push(Action {
        at,
        role: role_ix,
        event_type: t,
        data,
    });
    let state = state_of(&d);
    Ok((
        Playthrough {
            actions,
            end: sc.end,
        },
        id,
        state,
    ))
}

/// What is shown before the clock starts, the forms of every action, and the labels.
pub fn briefing(sc: &Scenario) -> Briefing {
    let (contracts, principals) = super::choices(sc);
    Briefing {
        format: BRIEFING_FORMAT,
        id: sc.id.clone(),
        title: sc.title.clone(),
        goals: sc.goals.clone(),
        start: tick(sc, 0),
        end: tick(sc, sc.end),
        contracts: sc.contracts.clone(),
        roles: sc
            .roles
            .iter()
            .map(|r| RoleInfo {
                id: r.id.clone(),
                name: r.name.clone(),
                actor: r.actor,
                owes: r.owes.clone(),
            })
            .collect(),
        injects: sc.injects.len(),
        expected: sc.expected.len(),
        actions: EventType::ALL
            .iter()
            .map(|&t| ActionForm {
                event_type: t,
                ja: t.ja(),
                en: t.en(),
                prompts: prompts(t, &contracts, &principals),
            })
            .collect(),
        labels: labels(),
        playthrough: playthrough_out(sc, &[], None),
    }
}

/// `{group: {key: {ja, en}}}` for the vocabularies a drill page shows.
pub fn labels() -> Value {
    use super::score::{ExpectedVerdict, Verdict};
    use crate::eval::State;
    use crate::vocab::*;
    fn group<T: Copy>(
        all: &[T],
        f: impl Fn(T) -> (&'static str, &'static str, &'static str),
    ) -> Value {
        let mut m = Map::new();
        for &v in all {
            let (k, ja, en) = f(v);
            m.insert(k.into(), serde_json::json!({ "ja": ja, "en": en }));
        }
        Value::Object(m)
    }
    macro_rules! g {
        ($all:expr) => {
            group($all, |v| (v.key(), v.ja(), v.en()))
        };
    }
    let verdicts = [
        Verdict::OnTime,
        Verdict::Late,
        Verdict::Overdue,
        Verdict::Incomplete,
        Verdict::Undecided,
        Verdict::WrongDecision,
        Verdict::Open,
        Verdict::NotScored,
    ];
    let expected = [
        (ExpectedVerdict::OnTime, "on_time"),
        (ExpectedVerdict::Late, "late"),
        (ExpectedVerdict::Missed, "missed"),
    ];
    serde_json::json!({
        "stage": g!(Stage::ALL),
        "term": g!(Term::ALL),
        "party": g!(Party::ALL),
        "state": g!(&State::ALL),
        "event_type": g!(EventType::ALL),
        "incident_kind": g!(IncidentKind::ALL),
        "actor": g!(Actor::ALL),
        "field_key": g!(FieldKey::ALL),
        "fact": g!(Fact::ALL),
        "verdict": g!(&verdicts),
        "expected_verdict": group(&expected, |(v, k)| (k, v.ja(), v.en())),
    })
}

/// Reads the answers object of a form: at most [`MAX_ANSWERS_BYTES`], an object.
pub fn parse_answers(json: &str) -> Result<Map<String, Value>, Error> {
    if json.len() > MAX_ANSWERS_BYTES {
        return Err(Error::TooLarge {
            path: "answers".into(),
            size: json.len(),
            limit: MAX_ANSWERS_BYTES,
        });
    }
    if json_depth(json) > 8 {
        return Err(Error::invalid("answers", "nested too deeply"));
    }
    match crate::error::parse_with_path::<Value>(json, "answers")? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::invalid(
            "answers",
            "expected an object of answers by key",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SC: &str = include_str!("../../../examples/drills/nagaoka-usb-loss.json");
    const GOOD: &str = include_str!("../../../examples/drills/nagaoka-usb-loss.good.json");

    fn sc() -> Scenario {
        Scenario::parse(SC).unwrap()
    }

    fn empty(sc: &Scenario) -> Playthrough {
        sc.parse_playthrough(r#"{"format":"roei/playthrough@1","actions":[]}"#)
            .unwrap()
    }

    fn row<'a>(s: &'a DrillState, id: &str) -> &'a BoardRow {
        s.board
            .iter()
            .find(|r| r.obligation.obligation == id)
            .unwrap()
    }

    fn answers(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_state_shows_what_has_come_due_and_counts_down_on_the_simulated_clock() {
        let sc = sc();
        let pt = empty(&sc);
        let s = state(&sc, &pt, 0).unwrap();
        assert_eq!(s.now.offset, "T+0");
        assert_eq!(s.now.at, "2026-11-02T10:00:00+09:00");
        assert_eq!(s.injects.len(), 1, "only i0 at T+0");
        assert_eq!(s.next_inject.as_ref().unwrap().offset, "T+40m");
        let r = row(&s, "nagaoka:13-1");
        assert_eq!(r.obligation.status.key(), "pending");
        assert_eq!(
            r.due_secs,
            Some(3600),
            "直ちに = one hour from the signs at T+0"
        );

        // +45 min: i1 has fired; the reminder i2 (T+1h30m, only if 13-1 is overdue) is next.
        let s = state(&sc, &pt, 45 * 60).unwrap();
        assert_eq!(
            s.injects.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["i0", "i1"]
        );
        assert_eq!(s.next_inject.as_ref().unwrap().offset, "T+1h30m");

        // Nobody reported: at T+1h40m 13-1 is overdue and the branching reminder has fired.
        let s = state(&sc, &pt, 100 * 60).unwrap();
        assert_eq!(row(&s, "nagaoka:13-1").obligation.status.key(), "overdue");
        let i2 = s.injects.iter().find(|i| i.id == "i2").unwrap();
        assert!(i2.fired);
        assert!(!s.ended);

        // Past the end: clamped, ended, nothing left to come.
        let s = state(&sc, &pt, 1e9 as i64).unwrap();
        assert!(s.ended);
        assert_eq!(s.now.offset, "T+4d");
        assert!(s.next_inject.is_none());
    }

    #[test]
    fn an_action_is_stamped_with_the_simulated_time_and_replays_to_the_same_score() {
        let sc = sc();
        let pt = empty(&sc);
        let at = 50 * 60 + 17; // seconds are kept
        let (pt, id, s) = act(
            &sc,
            &pt,
            at,
            "lead",
            "reported_to_principal",
            &answers(serde_json::json!({
                "written": "y", "content": "住民の氏名・住所", "count": "1,200人",
                "location": "受託者作業場所", "circumstances": "所在不明"
            })),
        )
        .unwrap();
        assert_eq!(id, "act-1");
        assert_eq!(pt.actions[0].at, at);
        let r = row(&s, "nagaoka:13-1");
        assert_eq!(r.obligation.status.key(), "done");
        assert_eq!(r.done_secs, Some(at));
        assert_eq!(s.actions[0].at, "2026-11-02T10:50:17+09:00");

        // The exported playthrough reads back and scores exactly as the live drill.
        let out = playthrough_out(&sc, &pt.actions, Some(sc.end));
        let text = serde_json::to_string_pretty(&out).unwrap();
        let back = sc.parse_playthrough(&text).unwrap();
        assert_eq!(back.actions.len(), 1);
        assert_eq!(back.actions[0].at, at);
        let live = state(&sc, &pt, sc.end).unwrap();
        let replay = score(&Drill::play(&sc, &back).unwrap());
        assert_eq!(
            serde_json::to_value(live.board.iter().map(|r| &r.obligation).collect::<Vec<_>>())
                .unwrap(),
            serde_json::to_value(&replay.obligations).unwrap()
        );
    }

    #[test]
    fn the_clock_never_goes_back_and_bad_answers_name_the_field() {
        let sc = sc();
        let pt = empty(&sc);
        let (pt, _, _) = act(
            &sc,
            &pt,
            3600,
            "lead",
            "containment_started",
            &answers(serde_json::json!({"measures": "捜索"})),
        )
        .unwrap();
        let e = state(&sc, &pt, 60).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_value", "at"));
        let e = act(&sc, &pt, 60, "lead", "closed", &Map::new()).unwrap_err();
        assert_eq!(e.path(), "at");

        let cases: Vec<(&str, &str, Value, &str)> = vec![
            ("nobody", "closed", serde_json::json!({}), "role"),
            ("lead", "teleported", serde_json::json!({}), "type"),
            ("lead", "detected", serde_json::json!({}), "data.kind"),
            (
                "lead",
                "detected",
                serde_json::json!({"kind": "teleport"}),
                "data.kind",
            ),
            (
                "lead",
                "facts",
                serde_json::json!({"subjects_count": "many"}),
                "data.subjects_count",
            ),
            (
                "lead",
                "facts",
                serde_json::json!({"encrypted": "perhaps"}),
                "data.encrypted",
            ),
            (
                "lead",
                "closed",
                serde_json::json!({"measures": "x"}),
                "answers.measures",
            ),
            (
                "lead",
                "contained",
                serde_json::json!({"measures": 3}),
                "answers.measures",
            ),
        ];
        for (role, t, a, path) in cases {
            let e = act(&sc, &pt, 7200, role, t, &answers(a)).unwrap_err();
            assert_eq!(e.path(), path, "{role} {t}: {e}");
        }
        assert_eq!(clock_secs(f64::NAN).unwrap_err().path(), "at");
        assert_eq!(clock_secs(-1.0).unwrap_err().path(), "at");
        assert_eq!(clock_secs(f64::INFINITY).unwrap_err().path(), "at");
        assert_eq!(clock_secs(90.9).unwrap(), 90);
        assert_eq!(clock_secs(1e300).unwrap(), MAX_OFFSET_SECS);
        assert_eq!(parse_answers("[]").unwrap_err().path(), "answers");
        assert_eq!(parse_answers("{").unwrap_err().code(), "json");
        assert_eq!(
            parse_answers(&"[".repeat(100)).unwrap_err().path(),
            "answers"
        );
        assert_eq!(
            parse_answers(&" ".repeat(MAX_ANSWERS_BYTES + 1))
                .unwrap_err()
                .code(),
            "too_large"
        );
    }

    #[test]
    fn the_briefing_has_roles_goals_and_a_form_per_event_type() {
        let sc = sc();
        let b = briefing(&sc);
        assert_eq!(b.roles.len(), 3);
        assert_eq!(b.goals.len(), 3);
        assert_eq!(b.end.offset, "T+4d");
        assert_eq!(b.actions.len(), EventType::ALL.len());
        for f in &b.actions {
            // Keys are unique within a form: the answers object is keyed by them.
            let mut keys: Vec<&str> = f.prompts.iter().map(|p| p.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), f.prompts.len(), "{:?}", f.event_type);
            for p in &f.prompts {
                assert!(
                    p.choice_labels.is_empty() || p.choice_labels.len() == p.choices.len(),
                    "{}",
                    p.key
                );
            }
        }
        let v = serde_json::to_value(&b).unwrap();
        assert_eq!(v["labels"]["verdict"]["late"]["ja"], "遅れて完了");
        assert_eq!(v["labels"]["state"]["overdue"]["en"], "overdue");
        assert_eq!(v["labels"]["expected_verdict"]["missed"]["ja"], "未実施");
        assert_eq!(v["playthrough"]["actions"], serde_json::json!([]));
        assert_eq!(v["playthrough"]["scenario"], "DRILL-NAGAOKA-USB");
    }

    #[test]
    fn the_good_playthrough_replayed_step_by_step_scores_as_the_cli_does() {
        let sc = sc();
        let good = sc.parse_playthrough(GOOD).unwrap();
        // Replay through `act`, as the page does, one action at a time at its time.
        let mut pt = empty(&sc);
        for a in &good.actions {
            let (contracts, principals) = crate::drill::choices(&sc);
            let ps = prompts(a.event_type, &contracts, &principals);
            let mut m = Map::new();
            for p in &ps {
                let v = if p.in_fields {
                    a.data.get("fields").and_then(|f| f.get(p.key))
                } else {
                    a.data.get(p.key)
                };
                let text = match v {
                    None => continue,
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Bool(b)) => if *b { "y" } else { "n" }.into(),
                    Some(other) => other.to_string(),
                };
                m.insert(p.key.into(), Value::String(text));
            }
            let role = sc.roles[a.role].id.clone();
            pt = act(&sc, &pt, a.at, &role, a.event_type.key(), &m)
                .unwrap()
                .0;
        }
        let text = serde_json::to_string(&playthrough_out(&sc, &pt.actions, None)).unwrap();
        let live = crate::drill::score_json(SC, &text).unwrap();
        let cli = crate::drill::score_json(SC, GOOD).unwrap();
        let (live, cli): (Value, Value) = (
            serde_json::from_str(&live).unwrap(),
            serde_json::from_str(&cli).unwrap(),
        );
        assert_eq!(live["total"], cli["total"]);
        assert_eq!(live["roles"], cli["roles"]);
        let verdicts = |s: &Value| -> Vec<(String, String)> {
            s["obligations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o["obligation"].to_string(), o["verdict"].to_string()))
                .collect()
        };
        assert_eq!(verdicts(&live), verdicts(&cli));
    }
}

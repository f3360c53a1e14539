//! Monte Carlo over the players' delays: how likely each obligation is met, and with what slack.
//!
//! Each simulated incident draws, for every expected action, whether it is taken (`p`) and when
//! (its anchor plus a delay from its distribution). Running the full engine per draw costs tens of
//! microseconds; the fast path instead notes that the engine's outcome depends on the action times
//! only through (a) the order in which the events fall, ties included, and (b) a few comparisons of
//! instants (done vs due, end vs due). So, once per distinct order, the real engine (`Drill::play`
//! then `evaluate`) is run and its answer is kept as a *plan*: which event triggers each obligation,
//! which completes it, which rule gives the due time (a span, or a day count from the trigger's
//! day). Every later draw with the same order only recomputes (b). Each plan is checked against the
//! engine on the draw that created it, and `tests/tests/drill.rs` compares the two paths on
//! hundreds of seeds.
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use serde::Serialize;

use crate::error::Error;
use crate::eval::{Evaluation, State};
use crate::time::day_count_deadline;
use crate::vocab::Term;

use super::engine::Drill;
use super::scenario::{Action, Anchor, Dist, Playthrough, Scenario, MAX_OFFSET_SECS};

/// The `format` of a Monte Carlo report.
pub const MONTE_CARLO_FORMAT: &str = "roei/drill-montecarlo@1";
/// Upper bound on runs per call (memory for the slack medians grows with it).
pub const MAX_RUNS: u64 = 5_000_000;
/// Orders kept; beyond this, a new order is evaluated in full and not kept.
const MAX_PLANS: usize = 100_000;
/// Events the fast path can order (fixed injects with events plus expected actions).
const MAX_ITEMS: usize = 64;

// ---------------------------------------------------------------------------------------------
// PRNG: xoshiro256** seeded by splitmix64 (public-domain algorithms by Blackman and Vigna). Small,
// fast and identical on every target, WASM included; no `rand` dependency.

#[derive(Debug, Clone)]
/// A seeded random number generator (xoshiro256**): the same seed gives the same runs everywhere.
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded from `seed` (through SplitMix64).
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng {
            s: [
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
            ],
        }
    }

    #[inline]
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box–Muller; one draw per call keeps the stream easy to reason about).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64(); // (0, 1]: ln is finite
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

impl Dist {
    /// One delay, in minutes, clamped to [0, 400 days].
    pub fn sample_minutes(&self, rng: &mut Rng) -> f64 {
        let v = match *self {
            Dist::Fixed { minutes } => minutes,
            Dist::Uniform { min, max } => min + (max - min) * rng.next_f64(),
            Dist::Triangular { min, mode, max } => {
                let u = rng.next_f64();
                let w = max - min;
                if w <= 0.0 {
                    min
                } else if u < (mode - min) / w {
                    min + (u * w * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * w * (max - mode)).sqrt()
                }
            }
            Dist::Lognormal { median, sigma, max } => {
                let x = median * (sigma * rng.normal()).exp();
                max.map_or(x, |m| x.min(m))
            }
        };
        let cap = (MAX_OFFSET_SECS / 60) as f64;
        if v.is_finite() {
            v.clamp(0.0, cap)
        } else {
            cap
        }
    }
}

/// Draws when each expected action is taken in one simulated incident: seconds after the start, or
/// `None` when it is not taken (its `p`, a missing anchor, or after the drill's end).
pub fn sample_times(sc: &Scenario, rng: &mut Rng, out: &mut Vec<Option<i64>>) {
    out.clear();
    for x in &sc.expected {
        let taken = x.p >= 1.0 || rng.next_f64() < x.p;
        let anchor = match x.anchor {
            Anchor::Start => Some(0),
            Anchor::Inject(k) => sc.injects.get(k).map(|i| i.at),
            Anchor::Expected(j) => out.get(j).copied().flatten(),
        };
        let t = match (taken, anchor) {
            (true, Some(a)) => Some(match &x.delay {
                Some(d) => a + (d.sample_minutes(rng) * 60.0).round() as i64,
                // No distribution: the action is taken when the scenario expects it.
                None => x.by.max(a),
            }),
            _ => None,
        };
        out.push(t.filter(|t| *t <= sc.end));
    }
}

/// The playthrough a draw stands for: the actions taken, in time order (scenario order on ties).
pub fn sample_playthrough(sc: &Scenario, times: &[Option<i64>]) -> Playthrough {
    let mut idx: Vec<usize> = (0..times.len()).filter(|&i| times[i].is_some()).collect();
    idx.sort_by_key(|&i| (times[i], i));
    Playthrough {
        actions: idx
            .into_iter()
            .filter_map(|i| {
                let x = sc.expected.get(i)?;
                Some(Action {
                    at: times[i]?,
                    role: x.role,
                    event_type: x.event_type,
                    data: x.data.clone(),
                })
            })
            .collect(),
        end: sc.end,
    }
}

/// The engine's states for a draw, the slow and sure way: play it, evaluate the final record.
pub fn full_states(sc: &Scenario, times: &[Option<i64>]) -> Result<Vec<State>, Error> {
    let d = Drill::play(sc, &sample_playthrough(sc, times))?;
    Ok(d.evaluate().obligations.iter().map(|o| o.state).collect())
}

// ---------------------------------------------------------------------------------------------
// Fast path

#[derive(Default)]
struct Fx(u64);
impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut v = 0u64;
            for (i, b) in c.iter().enumerate() {
                v |= u64::from(*b) << (8 * i);
            }
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
type FxBuild = BuildHasherDefault<Fx>;

/// The order of the events of a draw: item ids by time, the high bit set where an item ties with
/// the one before it (the engine compares instants with `<` and `<=`, so ties matter).
#[derive(Clone, PartialEq, Eq)]
struct Key {
    len: u8,
    ids: [u8; MAX_ITEMS],
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write(&self.ids[..usize::from(self.len)]);
    }
}

#[derive(Debug, Clone, Copy)]
enum DueRule {
    None,
    Span(i64),
    Days(u32),
}

#[derive(Debug, Clone, Copy)]
enum ObPlan {
    /// State decided by the order alone (not applicable, undetermined, waiting, optional).
    Fixed(State),
    /// Triggered: done/late/pending/overdue follow from the instants.
    Timed {
        trigger: u8,
        done: Option<u8>,
        due: DueRule,
    },
}

/// Outcome of one obligation in one draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The obligation's state at the drill's end.
    pub state: State,
    /// Due minus done, in seconds, when both exist.
    pub slack: Option<i64>,
}

/// Monte Carlo over a scenario: players' delays drawn from the scenario's distributions.
pub struct MonteCarlo<'s> {
    sc: &'s Scenario,
    /// Times (seconds after the start) of the unconditional injects that add events, in firing order.
    fixed: Vec<i64>,
    fast: bool,
    index: HashMap<Key, u32, FxBuild>,
    plans: Vec<ObPlan>,
    n_ob: usize,
    days: HashMap<(i64, u32), Option<i64>, FxBuild>,
    /// Buffers reused across draws.
    items: Vec<(i64, u8)>,
    item_times: Vec<i64>,
    /// Obligation ids etc. from a first evaluation (the list depends on the contracts only).
    meta: Vec<ObMeta>,
}

#[derive(Debug, Clone)]
struct ObMeta {
    obligation: String,
    clause: String,
    contract: Option<String>,
    principal: String,
    due_rule: Option<String>,
}

impl<'s> MonteCarlo<'s> {
    /// Prepares the simulation (refuses a scenario whose expected actions cannot be simulated).
    pub fn new(sc: &'s Scenario) -> Result<MonteCarlo<'s>, Error> {
        let fixed: Vec<i64> = sc
            .inject_order
            .iter()
            .map(|&i| &sc.injects[i])
            .filter(|i| i.when.is_none() && !i.events.is_empty())
            .map(|i| i.at)
            .collect();
        // Conditional injects that add events make the record depend on intermediate states, which
        // the plans do not capture: such scenarios are simulated in full.
        let fast = !sc
            .injects
            .iter()
            .any(|i| i.when.is_some() && !i.events.is_empty())
            && fixed.len() + sc.expected.len() <= MAX_ITEMS;
        let d = Drill::play(
            sc,
            &Playthrough {
                actions: Vec::new(),
                end: sc.end,
            },
        )?;
        let ev = d.evaluate();
        let st = ev.to_status(d.record());
        let meta = ev
            .obligations
            .iter()
            .zip(st.obligations)
            .map(|(o, s)| ObMeta {
                obligation: s.obligation,
                clause: s.clause,
                contract: s.contract,
                principal: s.principal,
                due_rule: if o.clause.term == Term::Days {
                    let mut r = format!("{} days", o.clause.days.unwrap_or(0));
                    for d in &o.clause.days_if {
                        r.push_str(&format!(", {} if {}", d.days, d.fact.key()));
                    }
                    Some(r)
                } else {
                    sc.policy.target(o.clause.term).map(|s| s.to_iso())
                },
            })
            .collect::<Vec<_>>();
        Ok(MonteCarlo {
            sc,
            fast,
            n_ob: meta.len(),
            fixed,
            index: HashMap::default(),
            plans: Vec::new(),
            days: HashMap::default(),
            items: Vec::with_capacity(MAX_ITEMS),
            item_times: Vec::with_capacity(MAX_ITEMS),
            meta,
        })
    }

    /// Whether draws use the plan cache (else every draw runs the full engine).
    pub fn fast_path(&self) -> bool {
        self.fast
    }

    /// Distinct event orders met so far.
    pub fn distinct_orders(&self) -> usize {
        self.index.len()
    }

    /// How many obligations the drill has.
    pub fn obligations(&self) -> usize {
        self.n_ob
    }

    /// Outcomes of one draw, in the engine's obligation order.
    pub fn outcomes(&mut self, times: &[Option<i64>], out: &mut Vec<Outcome>) -> Result<(), Error> {
        out.clear();
        if !self.fast {
            return self.slow(times, out);
        }
        // Items: fixed injects first (ids in firing order), then expected actions; sorting by
        // (time, id) reproduces the engine's tie order (injects before actions, scenario order).
        self.items.clear();
        self.item_times.clear();
        for (k, &t) in self.fixed.iter().enumerate() {
            self.items.push((t, k as u8));
            self.item_times.push(t);
        }
        let base = self.fixed.len();
        for (i, t) in times.iter().enumerate() {
            let t = t.unwrap_or(i64::MAX);
            self.item_times.push(t);
            if t != i64::MAX {
                self.items.push((t, (base + i) as u8));
            }
        }
        self.items.sort_unstable();
        let mut key = Key {
            len: self.items.len() as u8,
            ids: [0; MAX_ITEMS],
        };
        for (j, &(t, id)) in self.items.iter().enumerate() {
            let tie = j > 0 && self.items[j - 1].0 == t;
            key.ids[j] = id | if tie { 0x80 } else { 0 };
        }
        let plan_at = match self.index.get(&key) {
            Some(&p) => p as usize,
            // Too many distinct orders to keep: evaluate this draw in full.
            None if self.index.len() >= MAX_PLANS => return self.slow(times, out),
            None => match self.learn(times, key)? {
                Some(p) => p,
                None => return self.slow(times, out),
            },
        };
        for j in 0..self.n_ob {
            let p = self.plans[plan_at + j];
            out.push(self.apply(p));
        }
        Ok(())
    }

    fn apply(&mut self, p: ObPlan) -> Outcome {
        match p {
            ObPlan::Fixed(state) => Outcome { state, slack: None },
            ObPlan::Timed { trigger, done, due } => {
                let trig = self.item_times[usize::from(trigger)];
                let due = match due {
                    DueRule::None => None,
                    DueRule::Span(s) => Some(trig + s),
                    DueRule::Days(n) => self.day_due(trig, n),
                };
                match done.map(|d| self.item_times[usize::from(d)]) {
                    Some(t) => Outcome {
                        state: match due {
                            Some(d) if t > d => State::DoneLate,
                            _ => State::Done,
                        },
                        slack: due.map(|d| d - t),
                    },
                    None => Outcome {
                        state: match due {
                            Some(d) if self.sc.end > d => State::Overdue,
                            _ => State::Pending,
                        },
                        slack: None,
                    },
                }
            }
        }
    }

    /// Due time (seconds after the start) of a day count from the trigger's Japan day; memoised per day.
    fn day_due(&mut self, trig: i64, days: u32) -> Option<i64> {
        let start_utc = self.sc.start.timestamp();
        let day = (start_utc + trig + 9 * 3600).div_euclid(86_400);
        let sc = self.sc;
        *self.days.entry((day, days)).or_insert_with(|| {
            let at = sc.instant(trig);
            let roll = sc
                .policy
                .holiday_roll_forward
                .then_some(&sc.policy.closed_days);
            day_count_deadline(&at, days, sc.policy.day_count, roll)
                .map(|d| (d.due - sc.start).num_seconds())
        })
    }

    fn slow(&mut self, times: &[Option<i64>], out: &mut Vec<Outcome>) -> Result<(), Error> {
        let d = Drill::play(self.sc, &sample_playthrough(self.sc, times))?;
        let ev = d.evaluate();
        for o in &ev.obligations {
            let slack = match (o.done_at, o.due) {
                (Some(t), Some(d)) => Some((d - t).num_seconds()),
                _ => None,
            };
            out.push(Outcome {
                state: o.state,
                slack,
            });
        }
        Ok(())
    }

    /// Runs the real engine on this draw and keeps its answer as the plan for the draw's order.
    /// `None` if the plan could not be expressed (the draw is then evaluated in full).
    fn learn(&mut self, times: &[Option<i64>], key: Key) -> Result<Option<usize>, Error> {
        let d = Drill::play(self.sc, &sample_playthrough(self.sc, times))?;
        let ev: Evaluation = d.evaluate();
        let start = self.sc.start;
        let find = |t: crate::time::Instant, items: &[(i64, u8)]| {
            let s = (t - start).num_seconds();
            items.iter().find(|(x, _)| *x == s).map(|(_, id)| *id)
        };
        let mut plan = Vec::with_capacity(ev.obligations.len());
        for o in &ev.obligations {
            let timed = o.done_at.is_some() || matches!(o.state, State::Pending | State::Overdue);
            if !timed {
                plan.push(ObPlan::Fixed(o.state));
                continue;
            }
            let Some(trigger) = o.trigger_at.and_then(|t| find(t, &self.items)) else {
                return Ok(None);
            };
            let done = match o.done_at {
                Some(t) => match find(t, &self.items) {
                    Some(i) => Some(i),
                    None => return Ok(None),
                },
                None => None,
            };
            let due = if o.due.is_none() {
                DueRule::None
            } else if o.clause.term == Term::Days {
                DueRule::Days(o.days.unwrap_or(0))
            } else if let Some(s) = o.target {
                DueRule::Span(s.0.num_seconds())
            } else {
                return Ok(None);
            };
            plan.push(ObPlan::Timed { trigger, done, due });
        }
        // Self-check on the draw that created the plan.
        let mut check = Vec::with_capacity(plan.len());
        for p in &plan {
            check.push(self.apply(*p));
        }
        if check
            .iter()
            .zip(&ev.obligations)
            .any(|(c, o)| c.state != o.state)
        {
            return Ok(None);
        }
        let at = self.plans.len();
        self.plans.extend(plan);
        self.index.insert(key, at as u32);
        Ok(Some(at))
    }

    /// `runs` simulated incidents from `seed`.
    pub fn run(&mut self, runs: u64, seed: u64) -> Result<McReport, Error> {
        if runs == 0 || runs > MAX_RUNS {
            return Err(Error::invalid("runs", format!("give 1 to {MAX_RUNS} runs")));
        }
        let sc = self.sc;
        let mut rng = Rng::new(seed);
        let mut times = Vec::with_capacity(sc.expected.len());
        let mut out = Vec::with_capacity(self.n_ob);
        let mut counts = vec![[0u64; 8]; self.n_ob];
        let mut slacks: Vec<Vec<i32>> = vec![Vec::new(); self.n_ob];
        let mut exp_on_time = vec![0u64; sc.expected.len()];
        let mut exp_taken = vec![0u64; sc.expected.len()];
        for _ in 0..runs {
            sample_times(sc, &mut rng, &mut times);
            for (i, t) in times.iter().enumerate() {
                if let Some(t) = t {
                    exp_taken[i] += 1;
                    if *t <= sc.expected[i].by {
                        exp_on_time[i] += 1;
                    }
                }
            }
            self.outcomes(&times, &mut out)?;
            for (j, o) in out.iter().enumerate() {
                counts[j][o.state as usize] += 1;
                if let Some(s) = o.slack {
                    slacks[j].push(s.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
                }
            }
        }
        let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let obligations = self
            .meta
            .iter()
            .zip(counts)
            .zip(slacks)
            .map(|((m, c), mut s)| {
                let na = c[State::NotApplicable as usize] + c[State::Optional as usize];
                let applies = runs - na;
                let on_time = c[State::Done as usize];
                let late = c[State::DoneLate as usize];
                let frac = |n: u64| (applies > 0).then(|| r4(n as f64 / applies as f64));
                let median = if s.is_empty() {
                    None
                } else {
                    let mid = (s.len() - 1) / 2;
                    let (_, m, _) = s.select_nth_unstable(mid);
                    Some((f64::from(*m) / 60.0 * 10.0).round() / 10.0)
                };
                let states = State::ALL
                    .iter()
                    .filter(|st| c[**st as usize] > 0)
                    .map(|st| (st.key(), c[*st as usize]))
                    .collect();
                McObligation {
                    obligation: m.obligation.clone(),
                    clause: m.clause.clone(),
                    contract: m.contract.clone(),
                    principal: m.principal.clone(),
                    due_rule: m.due_rule.clone(),
                    p_applies: r4(applies as f64 / runs as f64),
                    p_on_time: frac(on_time),
                    p_late: frac(late),
                    p_open: frac(c[State::Pending as usize]),
                    p_not_done: frac(applies - on_time - late - c[State::Pending as usize]),
                    median_slack_minutes: median,
                    states,
                }
            })
            .collect();
        let expected = sc
            .expected
            .iter()
            .enumerate()
            .map(|(i, x)| McExpected {
                id: x.id.clone(),
                p_taken: r4(exp_taken[i] as f64 / runs as f64),
                p_by: r4(exp_on_time[i] as f64 / runs as f64),
            })
            .collect();
        Ok(McReport {
            format: MONTE_CARLO_FORMAT,
            scenario: sc.id.clone(),
            runs,
            seed,
            method: if self.fast { "plans" } else { "full" },
            distinct_orders: self.index.len(),
            obligations,
            expected,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
/// One obligation across every run.
pub struct McObligation {
    /// The obligation id.
    pub obligation: String,
    /// The clause id.
    pub clause: String,
    /// The contract it is owed under (national duties: none).
    pub contract: Option<String>,
    /// The principal it concerns.
    pub principal: String,
    /// `PT1H` (operating target), `30 days` (fixed period) or null (no due time).
    pub due_rule: Option<String>,
    /// Share of runs in which it applied (not `not_applicable`, not an unexercised `may`).
    pub p_applies: f64,
    /// Of the runs in which it applied: done by its due time.
    pub p_on_time: Option<f64>,
    /// Of the runs in which it applied: done after its due time.
    pub p_late: Option<f64>,
    /// Not done at the drill's end and not yet due (or with no due time): still open.
    pub p_open: Option<f64>,
    /// Not done: overdue, undetermined (facts never recorded) or never triggered.
    pub p_not_done: Option<f64>,
    /// Median of (due − done) over the runs where it was done and had a due time; negative = late.
    pub median_slack_minutes: Option<f64>,
    /// How many runs ended in each state.
    pub states: BTreeMap<&'static str, u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
/// One expected response across every run.
pub struct McExpected {
    /// The expected response's id.
    pub id: String,
    /// Share of runs in which the action was taken before the drill's end.
    pub p_taken: f64,
    /// Share of runs in which it was taken by its `by`.
    pub p_by: f64,
}

/// `roei/drill-montecarlo@1`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct McReport {
    /// Always `roei/drill-montecarlo@1`.
    pub format: &'static str,
    /// The scenario id.
    pub scenario: String,
    /// How many runs.
    pub runs: u64,
    /// The seed (same seed, same report).
    pub seed: u64,
    /// `plans` (the fast path) or `full` (every run through the engine).
    pub method: &'static str,
    /// How many different orders of events the runs produced.
    pub distinct_orders: usize,
    /// Per obligation.
    pub obligations: Vec<McObligation>,
    /// Per expected response.
    pub expected: Vec<McExpected>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_stream() {
        // Reference values of splitmix64 from seed 0 (Vigna's splitmix64.c).
        let mut x = 0u64;
        assert_eq!(splitmix64(&mut x), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut x), 0x6E78_9E6A_A1B9_65F4);
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let va: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let vb: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let vc: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(va, vb);
        assert_ne!(va, vc);
    }

    #[test]
    fn distributions_stay_in_range_and_centre_where_expected() {
        let mut r = Rng::new(1);
        let n = 20_000;
        let tri = Dist::Triangular {
            min: 10.0,
            mode: 20.0,
            max: 60.0,
        };
        let mut sum = 0.0;
        for _ in 0..n {
            let v = tri.sample_minutes(&mut r);
            assert!((10.0..=60.0).contains(&v));
            sum += v;
        }
        // Mean of a triangular distribution is (min + mode + max) / 3 = 30.
        assert!((sum / n as f64 - 30.0).abs() < 0.5, "{}", sum / n as f64);
        let ln = Dist::Lognormal {
            median: 30.0,
            sigma: 0.5,
            max: None,
        };
        let mut v: Vec<f64> = (0..n).map(|_| ln.sample_minutes(&mut r)).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        assert!((v[n / 2] - 30.0).abs() < 1.0, "median {}", v[n / 2]);
        let u = Dist::Uniform { min: 5.0, max: 6.0 };
        assert!((0..1000).all(|_| (5.0..6.0).contains(&u.sample_minutes(&mut r))));
    }
}

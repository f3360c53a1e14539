//! `roei drill`: the terminal side of the drill simulator (roei_core::drill holds the logic).
//!
//! - `--play P.json`: score a recorded playthrough (`--debrief md|html` for the after-action report);
//! - `--monte-carlo N --seed S`: delays drawn from the scenario's distributions;
//! - neither: the interactive facilitator, reading commands from standard input.
use std::io::{BufRead, Write};

use roei_core::drill::{self, prompts, Drill, MonteCarlo, Scenario};
use roei_core::terminal::{status_table, width};
use roei_core::vocab::EventType;
use roei_core::Error;
use roei_core::Lang;

use crate::args::{DebriefFormat, LangArg};
use crate::{read, Fail};

#[derive(clap::Args)]
pub struct DrillArgs {
    /// roei/scenario@1 file.
    scenario: String,
    /// Score a recorded playthrough (roei/playthrough@1) instead of playing interactively.
    #[arg(long, value_name = "PLAYTHROUGH")]
    play: Option<String>,
    /// Simulate N incidents, players' delays drawn from the scenario's distributions.
    #[arg(long = "monte-carlo", value_name = "N")]
    monte_carlo: Option<u64>,
    /// Seed of the Monte Carlo draws (same seed, same output).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// With --play: the after-action report instead of the score.
    #[arg(long, value_enum)]
    debrief: Option<DebriefFormat>,
    #[arg(long)]
    pub json: bool,
    /// Language of tables and reports.
    #[arg(long, value_enum, default_value_t = LangArg::Ja)]
    lang: LangArg,
}

fn bad(path: &str, message: String) -> Fail {
    Fail::Input(Error::Invalid {
        path: path.into(),
        message,
        clause: None,
    })
}

pub fn run(a: DrillArgs) -> Result<(), Fail> {
    let lang = Lang::from(a.lang);
    let sc = Scenario::parse(&read(&a.scenario)?)?;
    if a.play.is_some() && a.monte_carlo.is_some() {
        return Err(bad(
            "--play",
            "give --play or --monte-carlo, not both".into(),
        ));
    }
    if let Some(n) = a.monte_carlo {
        let mut mc = MonteCarlo::new(&sc)?;
        let r = mc.run(n, a.seed).map_err(|e| match e {
            Error::Invalid { message, .. } => bad("--monte-carlo", message),
            e => Fail::Input(e),
        })?;
        if a.json {
            outln!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
        } else {
            out!("{}", mc_table(&sc, &r, lang));
        }
        return Ok(());
    }
    if let Some(p) = a.play {
        let pt = sc.parse_playthrough(&read(&p)?)?;
        let d = Drill::play(&sc, &pt)?;
        let s = drill::score(&d);
        if let Some(f) = a.debrief {
            out!("{}", drill::debrief(&s, lang, f.into(), None));
        } else if a.json {
            outln!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
        } else {
            out!("{}", score_table(&s, lang));
        }
        return Ok(());
    }
    if a.debrief.is_some() {
        return Err(bad("--debrief", "--debrief goes with --play".into()));
    }
    interactive(&sc, lang)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn table(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let w: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r.iter().enumerate().map(|(i, c)| pad(c, w[i])).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn score_table(s: &drill::Score, lang: Lang) -> String {
    let pct = |p: Option<f64>| p.map(|x| format!("{x}%")).unwrap_or_else(|| "—".into());
    let mut out = format!(
        "{} {}\n{} {} / {} ({})  {} {} / {}  {} {} / {}\n\n",
        lang.pick("訓練", "Drill"),
        s.title.in_lang(lang),
        lang.pick("総合", "Total"),
        s.total.points,
        s.total.max,
        pct(s.total.percent),
        lang.pick("義務", "obligations"),
        s.obligations_total.points,
        s.obligations_total.max,
        lang.pick("期待される対応", "expected"),
        s.expected_total.points,
        s.expected_total.max,
    );
    let mut rows = vec![lang
        .pick(
            vec![
                "結果",
                "義務",
                "契約/委託者",
                "役割",
                "状態",
                "得点",
                "未記入",
            ],
            vec![
                "verdict",
                "obligation",
                "contract/principal",
                "role",
                "status",
                "points",
                "missing",
            ],
        )
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()];
    for o in &s.obligations {
        rows.push(vec![
            o.verdict.label(lang).to_string(),
            o.obligation.clone(),
            o.contract.clone().unwrap_or_else(|| o.principal.clone()),
            o.role.clone().unwrap_or_default(),
            o.status.label(lang).to_string(),
            if o.max > 0.0 {
                format!("{}/{}", o.points, o.max)
            } else {
                "—".into()
            },
            o.missing.join(","),
        ]);
    }
    out.push_str(&table(&rows));
    out.push('\n');
    let mut rows = vec![vec![
        lang.pick("役割", "role").to_string(),
        lang.pick("得点", "points").to_string(),
        lang.pick("割合", "share").to_string(),
    ]];
    for r in &s.roles {
        rows.push(vec![
            format!("{} {}", r.role, r.name.in_lang(lang)),
            format!("{}/{}", r.points.points, r.points.max),
            pct(r.points.percent),
        ]);
    }
    out.push_str(&table(&rows));
    if !s.expected.is_empty() {
        out.push('\n');
        let mut rows = vec![vec![
            lang.pick("期待される対応", "expected").to_string(),
            lang.pick("役割", "role").to_string(),
            lang.pick("目標", "by").to_string(),
            lang.pick("結果", "result").to_string(),
            lang.pick("実施", "done").to_string(),
        ]];
        for x in &s.expected {
            rows.push(vec![
                format!("{} {}", x.id, x.event_type.label(lang)),
                x.role.clone(),
                x.by_offset.clone(),
                x.verdict.label(lang).to_string(),
                x.at.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&table(&rows));
    }
    out
}

fn mc_table(sc: &Scenario, r: &drill::McReport, lang: Lang) -> String {
    let p = |x: Option<f64>| {
        x.map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_else(|| "—".into())
    };
    let mut out = format!(
        "{} {} — {} {} / seed {} / {}\n",
        lang.pick("モンテカルロ", "Monte Carlo"),
        sc.title.in_lang(lang),
        lang.pick("試行", "runs"),
        r.runs,
        r.seed,
        r.method
    );
    let mut rows = vec![lang
        .pick(
            vec![
                "義務",
                "契約/委託者",
                "期限",
                "該当",
                "期限内",
                "遅延",
                "未了・超過",
                "期限前",
                "余裕(中央値)",
            ],
            vec![
                "obligation",
                "contract/principal",
                "due",
                "applies",
                "on time",
                "late",
                "missed",
                "open",
                "median slack",
            ],
        )
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()];
    for o in &r.obligations {
        rows.push(vec![
            o.obligation.clone(),
            o.contract.clone().unwrap_or_else(|| o.principal.clone()),
            o.due_rule.clone().unwrap_or_else(|| "—".into()),
            p(Some(o.p_applies)),
            p(o.p_on_time),
            p(o.p_late),
            p(o.p_not_done),
            p(o.p_open),
            o.median_slack_minutes
                .map(|m| {
                    roei_core::terminal::span_text((m * 60.0) as i64, lang)
                        + if m < 0.0 {
                            lang.pick(" 超過", " over")
                        } else {
                            ""
                        }
                })
                .unwrap_or_else(|| "—".into()),
        ]);
    }
    out.push_str(&table(&rows));
    out
}

// ---------------------------------------------------------------------------------------------
// Interactive facilitator

struct Io<R: BufRead> {
    input: R,
}

impl<R: BufRead> Io<R> {
    /// One line, or `None` at the end of input.
    fn ask(&mut self, prompt: &str) -> Option<String> {
        out!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut s = String::new();
        match self.input.read_line(&mut s) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(s.trim().to_string()),
        }
    }
}

fn parse_span(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "" | "m" | "min" | "分" => 60,
        "h" | "時間" => 3600,
        "d" | "日" => 86_400,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn show_injects(d: &Drill, range: std::ops::Range<usize>, lang: Lang) {
    for inj in &d.injects[range] {
        if !inj.fired {
            continue;
        }
        let to = inj
            .to
            .as_deref()
            .map(|r| format!(" → {r}"))
            .unwrap_or_default();
        outln!(
            "\n  ■ {} [{} {}]{to}\n    {}",
            lang.pick("状況付与", "Inject"),
            inj.offset,
            &inj.at[5..16.min(inj.at.len())].replace('T', " "),
            inj.text.in_lang(lang)
        );
    }
}

fn help(lang: Lang) {
    outln!(
        "{}",
        lang.pick("コマンド: a 30m|2h|1d（時計を進める）  e（対応を記録）  b（義務の一覧）  l（経過）  s（終了して採点）  h（ヘルプ）  q（中断）",
            "Commands: a 30m|2h|1d (advance)  e (record an action)  b (obligations board)  l (log)  s (end & score)  h (help)  q (quit)"
        )
    );
}

fn interactive(sc: &Scenario, lang: Lang) -> Result<(), Fail> {
    let stdin = std::io::stdin();
    let mut io = Io {
        input: stdin.lock(),
    };
    let mut d = Drill::start(sc)?;
    outln!("roei drill — {} / {}", sc.title.ja, sc.title.en);
    outln!(
        "{} {}  {} {}",
        lang.pick("開始", "Start"),
        roei_core::time::fmt_jst(&sc.start),
        lang.pick("終了", "End"),
        roei_core::time::fmt_jst(&sc.end_instant())
    );
    if !sc.goals.is_empty() {
        outln!("{}", lang.pick("学習目標:", "Learning goals:"));
        for g in &sc.goals {
            outln!("  - {}", g.in_lang(lang));
        }
    }
    outln!("{}", lang.pick("役割:", "Roles:"));
    for (i, r) in sc.roles.iter().enumerate() {
        outln!(
            "  {}) {} {} ({})",
            i + 1,
            r.id,
            r.name.in_lang(lang),
            r.actor.key()
        );
    }
    show_injects(&d, 0..d.injects.len(), lang);
    help(lang);
    loop {
        let prompt = format!("\n[{}] > ", drill::scenario::fmt_offset(d.now()));
        let Some(line) = io.ask(&prompt) else {
            break;
        };
        let (cmd, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match cmd {
            "" => {}
            "a" | "advance" => match parse_span(arg) {
                Some(secs) if secs > 0 => {
                    let r = d.advance_by(secs)?;
                    outln!(
                        "{} {} ({})",
                        lang.pick("時刻:", "Now:"),
                        roei_core::time::fmt_jst(&d.now_instant()),
                        drill::scenario::fmt_offset(d.now())
                    );
                    show_injects(&d, r, lang);
                    if d.ended() {
                        outln!(
                            "{}",
                            lang.pick(
                                "訓練の終了時刻です。s で採点します。",
                                "The drill has reached its end. Type s to score."
                            )
                        );
                    }
                }
                _ => outln!(
                    "{}",
                    lang.pick("例: a 30m / a 2h / a 1d", "e.g. a 30m / a 2h / a 1d")
                ),
            },
            "e" | "act" => act(&mut io, &mut d, lang),
            "b" | "board" => out!("{}", status_table(d.record(), &d.evaluate(), lang)),
            "l" | "log" => {
                for x in &d.actions {
                    outln!("  {} {} {}", x.offset, x.role, x.event_type.label(lang));
                }
                for i in d.injects.iter().filter(|i| i.fired) {
                    outln!(
                        "  {} {} {}",
                        i.offset,
                        lang.pick("状況付与", "inject"),
                        i.id
                    );
                }
            }
            "s" | "end" => break,
            "q" | "quit" => return Ok(()),
            _ => help(lang),
        }
    }
    let s = drill::score(&d);
    outln!();
    out!("{}", score_table(&s, lang));
    Ok(())
}

fn act<R: BufRead>(io: &mut Io<R>, d: &mut Drill, lang: Lang) {
    let sc = d.scenario();
    outln!("{}", lang.pick("対応の種類:", "Action:"));
    for (i, t) in EventType::ALL.iter().enumerate() {
        outln!("  {:>2}) {} / {}", i + 1, t.ja(), t.en());
    }
    let Some(a) = io.ask(lang.pick("番号 > ", "number > ")) else {
        return;
    };
    let Some(t) = a
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|n| EventType::ALL.get(n).copied())
    else {
        outln!("{}", lang.pick("取り消しました", "cancelled"));
        return;
    };
    let role = if sc.roles.len() == 1 {
        0
    } else {
        for (i, r) in sc.roles.iter().enumerate() {
            outln!("  {}) {} {}", i + 1, r.id, r.name.in_lang(lang));
        }
        let Some(a) = io.ask(lang.pick("役割 > ", "role > ")) else {
            return;
        };
        match a
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .filter(|n| *n < sc.roles.len())
        {
            Some(n) => n,
            None => {
                outln!("{}", lang.pick("取り消しました", "cancelled"));
                return;
            }
        }
    };
    let (contracts, principals) = drill::choices(sc);
    let ps = prompts::prompts(t, &contracts, &principals);
    let mut answers = Vec::new();
    for p in &ps {
        let mut q = format!("  {} / {}", p.ja, p.en);
        if !p.choices.is_empty() {
            let c: Vec<String> = p
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}={c}", i + 1))
                .collect();
            q.push_str(&format!(" [{}]", c.join(" ")));
        }
        if p.kind == prompts::PromptKind::Bool {
            q.push_str(" (y/n)");
        }
        if p.required {
            q.push_str(lang.pick("（必須）", " (required)"));
        }
        q.push_str(": ");
        let Some(a) = io.ask(&q) else { return };
        answers.push(a);
    }
    let r = prompts::build_data(&ps, &answers).and_then(|data| d.act(role, t, data));
    match r {
        Ok(id) => outln!(
            "{} {id}: {} ({})",
            lang.pick("記録しました", "Recorded"),
            t.label(lang),
            drill::scenario::fmt_offset(d.now())
        ),
        Err(e) => outln!(
            "{} [{}] {e}",
            lang.pick("記録できません", "Not recorded"),
            e.code()
        ),
    }
}

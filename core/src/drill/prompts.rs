//! What to ask a player for each event type, and how the answers become event data. Kept in the core
//! so the terminal facilitator and the widget ask the same questions.
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::vocab::{EventType, Fact, FieldKey, IncidentKind};

/// What kind of answer a prompt takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    /// Free text.
    Text,
    /// y/n (はい/いいえ); empty = not recorded.
    Bool,
    /// A whole number.
    Count,
    /// Comma-separated list (、 also accepted).
    List,
    /// One of `choices` (by value or 1-based number).
    Choice,
}

/// One question to ask a player for an event's data.
#[derive(Debug, Clone, Serialize)]
pub struct Prompt {
    /// The data key.
    pub key: &'static str,
    /// Whether the value goes under `data.fields` (report contents) rather than `data`.
    pub in_fields: bool,
    /// What kind of answer it takes.
    pub kind: PromptKind,
    /// The question in Japanese.
    pub ja: String,
    /// The question in English.
    pub en: String,
    /// Whether the event is refused without it.
    pub required: bool,
    /// The values a `Choice` accepts.
    pub choices: Vec<String>,
    /// Display names of `choices`, in the same order, where they come from a closed vocabulary
    /// (`kind`, `method`, `by`); empty for contract ids and principals, which are shown as they are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choice_labels: Vec<Label>,
}

/// A Japanese / English display name fixed in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Japanese.
    pub ja: &'static str,
    /// English.
    pub en: &'static str,
}

fn p(key: &'static str, kind: PromptKind, ja: &str, en: &str) -> Prompt {
    Prompt {
        key,
        in_fields: false,
        kind,
        ja: ja.into(),
        en: en.into(),
        required: false,
        choices: Vec::new(),
        choice_labels: Vec::new(),
    }
}

fn field(k: FieldKey) -> Prompt {
    Prompt {
        in_fields: true,
        ..p(k.key(), PromptKind::Text, k.ja(), k.en())
    }
}

fn fact(f: Fact, kind: PromptKind) -> Prompt {
    p(f.key(), kind, f.ja(), f.en())
}

fn choice(key: &'static str, ja: &str, en: &str, choices: Vec<String>) -> Prompt {
    Prompt {
        choices,
        ..p(key, PromptKind::Choice, ja, en)
    }
}

/// A choice among a closed vocabulary: `(value, label)` pairs.
fn labelled(key: &'static str, ja: &str, en: &str, items: &[(&str, Label)]) -> Prompt {
    Prompt {
        choice_labels: items.iter().map(|(_, l)| *l).collect(),
        ..choice(
            key,
            ja,
            en,
            items.iter().map(|(v, _)| v.to_string()).collect(),
        )
    }
}

fn lbl(ja: &'static str, en: &'static str) -> Label {
    Label { ja, en }
}

/// The questions for an event type. `contracts` and `principals` list the drill's contract ids and
/// principals, for the events that can name one (empty answer = all of them).
pub fn prompts(t: EventType, contracts: &[String], principals: &[String]) -> Vec<Prompt> {
    use EventType as E;
    use PromptKind::*;
    let contract = || {
        (contracts.len() > 1).then(|| {
            choice(
                "contract",
                "契約（空欄＝すべて）",
                "contract (empty = all)",
                contracts.to_vec(),
            )
        })
    };
    let written = || p("written", Bool, "書面によるか", "in writing");
    let mut v: Vec<Prompt> = Vec::new();
    match t {
        E::Detected | E::PrincipalAware => {
            let kinds: Vec<(&str, Label)> = IncidentKind::ALL
                .iter()
                .map(|k| (k.key(), lbl(k.ja(), k.en())))
                .collect();
            // The principal may learn first (a resident's complaint): its `kind` is optional, and
            // with it the principal's own duties run from that knowledge.
            if t == E::PrincipalAware {
                v.extend(contract());
            }
            v.push(Prompt {
                required: t == E::Detected,
                ..labelled("kind", "事故の種類", "kind of incident", &kinds)
            });
            v.push(p(
                "signs_only",
                Bool,
                "兆候・おそれのみか",
                "signs or suspicion only",
            ));
            v.push(p("summary", Text, "概要", "summary"));
        }
        E::Facts => {
            v.push(fact(Fact::SubjectsCount, Count));
            v.push(fact(Fact::DataItems, List));
            for f in [
                Fact::Sensitive,
                Fact::OrdinanceSensitive,
                Fact::FinancialDamageRisk,
                Fact::ImproperPurpose,
                Fact::Encrypted,
                Fact::MyNumber,
                Fact::MyNumberSystem,
                Fact::PublicExposure,
                Fact::PersonalInfo,
                Fact::ImproperUse,
                Fact::UnlawfulUse,
                Fact::UnlawfulProvision,
                Fact::NonDisclosure,
            ] {
                v.push(fact(f, Bool));
            }
            v.push(fact(Fact::Location, Text));
            v.push(fact(Fact::Circumstances, Text));
        }
        E::Dismissed => v.push(p("reason", Text, "理由", "reason")),
        E::ContainmentStarted | E::Contained | E::PreventionImplemented => {
            v.push(p("measures", Text, "講じた措置", "measures"))
        }
        E::EvidencePreserved => v.push(p("what", Text, "保全した証拠", "what was preserved")),
        E::ReportedToPrincipal => {
            v.extend(contract());
            v.push(written());
            for k in [
                FieldKey::Content,
                FieldKey::Count,
                FieldKey::Location,
                FieldKey::Circumstances,
            ] {
                v.push(field(k));
            }
        }
        E::InstructionReceived => {
            v.extend(contract());
            v.push(p("text", Text, "指示内容", "instruction"));
            v.push(p(
                "notify_subjects",
                Bool,
                "受託者が本人へ通知するか",
                "is the contractor to notify the data subjects",
            ));
        }
        E::SubjectsNotified => {
            v.push(labelled(
                "method",
                "方法",
                "method",
                &[
                    ("individual", lbl("本人へ個別に通知", "individual notice")),
                    (
                        "public_notice",
                        lbl(
                            "本人が容易に知り得る状態に置く（公表等）",
                            "made easily known to the subjects (public notice)",
                        ),
                    ),
                ],
            ));
            v.push(p("count", Count, "人数", "number notified"));
        }
        E::CauseAnalyzed => v.push(p("cause", Text, "原因", "cause")),
        E::RecordSubmitted => {
            v.extend(contract());
            v.push(written());
            for k in [FieldKey::Summary, FieldKey::Cause, FieldKey::Prevention] {
                v.push(field(k));
            }
        }
        E::PpcPreliminaryReported | E::PpcFinalReported => {
            if principals.len() > 1 {
                v.push(choice(
                    "principal",
                    "委託者（空欄＝すべて）",
                    "principal (empty = all)",
                    principals.to_vec(),
                ));
            }
            for k in FieldKey::PPC_ITEMS {
                v.push(field(k));
            }
        }
        E::Published => {
            v.push(labelled(
                "by",
                "公表者",
                "published by",
                &[
                    ("principal", lbl("委託者", "the principal")),
                    ("contractor", lbl("受託者", "the contractor")),
                ],
            ));
            v.push(p("url", Text, "URL", "URL"));
            v.push(p(
                "names_contractor",
                Bool,
                "受託者名を含むか",
                "names the contractor",
            ));
        }
        E::Confirmed | E::Closed => {}
    }
    v
}

/// Builds event data from answers given as text (`answers[i]` answers `prompts[i]`; empty = skip).
pub fn build_data(prompts: &[Prompt], answers: &[String]) -> Result<Value, Error> {
    let mut data = Map::new();
    let mut fields = Map::new();
    for (i, pr) in prompts.iter().enumerate() {
        let a = answers.get(i).map(|s| s.trim()).unwrap_or("");
        let path = if pr.in_fields {
            format!("data.fields.{}", pr.key)
        } else {
            format!("data.{}", pr.key)
        };
        if a.is_empty() {
            if pr.required {
                return Err(Error::Missing {
                    path,
                    field: pr.key.into(),
                    clause: None,
                });
            }
            continue;
        }
        if a.chars().count() > super::scenario::MAX_TEXT_CHARS {
            return Err(Error::invalid(path, "answer too long"));
        }
        let v = match pr.kind {
            PromptKind::Text => Value::String(a.to_string()),
            PromptKind::Bool => match a.to_lowercase().as_str() {
                "y" | "yes" | "true" | "はい" | "1" => Value::Bool(true),
                "n" | "no" | "false" | "いいえ" | "0" => Value::Bool(false),
                _ => return Err(Error::invalid(path, "answer y or n (はい / いいえ)")),
            },
            PromptKind::Count => match a.replace([',', '，'], "").parse::<u64>() {
                Ok(n) => Value::from(n),
                Err(_) => return Err(Error::invalid(path, "a whole number")),
            },
            PromptKind::List => Value::Array(
                a.split([',', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            PromptKind::Choice => {
                let pick = a
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| pr.choices.get(n))
                    .or_else(|| pr.choices.iter().find(|c| c.as_str() == a));
                match pick {
                    Some(c) => Value::String(c.clone()),
                    None => {
                        return Err(Error::invalid(
                            path,
                            format!("choose one of: {}", pr.choices.join(", ")),
                        ))
                    }
                }
            }
        };
        if pr.in_fields {
            fields.insert(pr.key.into(), v);
        } else {
            data.insert(pr.key.into(), v);
        }
    }
    if !fields.is_empty() {
        data.insert("fields".into(), Value::Object(fields));
    }
    Ok(Value::Object(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_event_data() {
        let ps = prompts(EventType::ReportedToPrincipal, &[], &[]);
        let mut a = vec![String::new(); ps.len()];
        a[0] = "y".into();
        a[2] = "1,200件".into();
        let v = build_data(&ps, &a).unwrap();
        assert_eq!(v["written"], true);
        assert_eq!(v["fields"]["count"], "1,200件");
        assert!(v["fields"].get("content").is_none());

        let ps = prompts(EventType::Detected, &[], &[]);
        assert!(build_data(&ps, &[]).is_err(), "kind is required");
        let v = build_data(&ps, &["2".into(), "はい".into()]).unwrap();
        assert_eq!(v["kind"], "loss");
        assert_eq!(v["signs_only"], true);
        assert!(build_data(&ps, &["teleport".into()]).is_err());

        let ps = prompts(EventType::Facts, &[], &[]);
        let v = build_data(&ps, &["1,200".into(), "氏名、住所".into()]).unwrap();
        assert_eq!(v["subjects_count"], 1200);
        assert_eq!(v["data_items"], serde_json::json!(["氏名", "住所"]));
    }
}

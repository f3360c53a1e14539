//! `roei/policy@1`: the operating targets a portal sets for the time words, and the day-count choices.
//!
//! The legal term (直ちに) never changes; the policy only says how the organisation operationalises it
//! ("we treat 直ちに as within one hour"). The status shows both.
use serde::Deserialize;

use crate::error::Error;
use crate::time::{ClosedDays, DayCount, Span};
use crate::vocab::Term;

pub const POLICY_FORMAT: &str = "roei/policy@1";
const MAX_POLICY_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub immediately: Span,
    pub promptly: Span,
    pub without_delay: Span,
    /// Optional target for clauses with no time word (none by default: `due` stays null).
    pub unspecified: Option<Span>,
    pub day_count: DayCount,
    pub holiday_roll_forward: bool,
    pub closed_days: ClosedDays,
}

impl Default for Policy {
    /// interchange.md's defaults: 直ちに PT1H, 速やかに P3D, 遅滞なく P5D, civil-code counting, no roll-forward.
    fn default() -> Self {
        Policy {
            immediately: Span(chrono::Duration::hours(1)),
            promptly: Span(chrono::Duration::days(3)),
            without_delay: Span(chrono::Duration::days(5)),
            unspecified: None,
            day_count: DayCount::CivilCode,
            holiday_roll_forward: false,
            closed_days: ClosedDays::default(),
        }
    }
}

#[derive(Deserialize)]
struct RawPolicy {
    format: Option<String>,
    #[serde(default)]
    targets: RawTargets,
    #[serde(default)]
    day_count: Option<DayCount>,
    #[serde(default)]
    holiday_roll_forward: Option<bool>,
    #[serde(default)]
    closed_days: Option<ClosedDays>,
}

#[derive(Deserialize, Default)]
struct RawTargets {
    immediately: Option<String>,
    promptly: Option<String>,
    without_delay: Option<String>,
    unspecified: Option<String>,
}

impl Policy {
    /// Parses a policy; absent keys keep their defaults, unknown keys are ignored (version 1 rule).
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        if json.len() > MAX_POLICY_BYTES {
            return Err(Error::TooLarge {
                path: String::new(),
                size: json.len(),
                limit: MAX_POLICY_BYTES,
            });
        }
        let raw: RawPolicy = crate::error::parse_with_path(json, "")?;
        match raw.format.as_deref() {
            Some(POLICY_FORMAT) => {}
            Some(other) => {
                return Err(Error::Format {
                    path: "format".into(),
                    found: other.into(),
                    expected: POLICY_FORMAT,
                })
            }
            None => {
                return Err(Error::Missing {
                    path: "format".into(),
                    field: "format".into(),
                    clause: None,
                })
            }
        }
        let mut p = Policy::default();
        let span = |key: &str, v: &Option<String>, slot: &mut Span| -> Result<(), Error> {
            if let Some(s) = v {
                *slot = Span::parse(s).map_err(|m| Error::invalid(format!("targets.{key}"), m))?;
            }
            Ok(())
        };
        span("immediately", &raw.targets.immediately, &mut p.immediately)?;
        span("promptly", &raw.targets.promptly, &mut p.promptly)?;
        span(
            "without_delay",
            &raw.targets.without_delay,
            &mut p.without_delay,
        )?;
        if let Some(s) = &raw.targets.unspecified {
            p.unspecified =
                Some(Span::parse(s).map_err(|m| Error::invalid("targets.unspecified", m))?);
        }
        if let Some(d) = raw.day_count {
            p.day_count = d;
        }
        if let Some(r) = raw.holiday_roll_forward {
            p.holiday_roll_forward = r;
        }
        if let Some(c) = raw.closed_days {
            if c.extra.len() > 1000 {
                return Err(Error::TooMany {
                    path: "closed_days.extra".into(),
                    count: c.extra.len(),
                    limit: 1000,
                });
            }
            p.closed_days = c;
        }
        Ok(p)
    }

    /// The operating target for a time word (`None`: no target, `due` is null).
    pub fn target(&self, term: Term) -> Option<Span> {
        match term {
            Term::Immediately => Some(self.immediately),
            Term::Promptly => Some(self.promptly),
            Term::WithoutDelay => Some(self.without_delay),
            Term::Unspecified => self.unspecified,
            Term::Days | Term::May | Term::BestEffort => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "format": POLICY_FORMAT,
            "targets": {
                "immediately": self.immediately.to_iso(),
                "promptly": self.promptly.to_iso(),
                "without_delay": self.without_delay.to_iso(),
                "unspecified": self.unspecified.map(|s| s.to_iso()),
            },
            "day_count": self.day_count,
            "holiday_roll_forward": self.holiday_roll_forward,
            "closed_days": self.closed_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_interchange() {
        let p = Policy::from_json(r#"{"format":"roei/policy@1"}"#).unwrap();
        assert_eq!(p, Policy::default());
        let spelled = Policy::from_json(
            r#"{ "format": "roei/policy@1",
  "targets": { "immediately": "PT1H", "promptly": "P3D", "without_delay": "P5D" },
  "day_count": "civil-code", "holiday_roll_forward": false }"#,
        )
        .unwrap();
        assert_eq!(spelled, Policy::default());
    }

    #[test]
    fn errors_name_the_field() {
        let e = Policy::from_json(r#"{"format":"roei/policy@1","targets":{"promptly":"3 days"}}"#)
            .unwrap_err();
        assert_eq!(e.path(), "targets.promptly");
        let e = Policy::from_json(r#"{"format":"roei/policy@1","day_count":"lunar"}"#).unwrap_err();
        assert_eq!(e.path(), "day_count");
        let e = Policy::from_json(r#"{"format":"roei/policy@2"}"#).unwrap_err();
        assert_eq!(e.code(), "unsupported_format");
        let e = Policy::from_json(r#"{}"#).unwrap_err();
        assert_eq!(e.code(), "missing_field");
        assert!(Policy::from_json(r#"{"format":"roei/policy@1","future_key":1}"#).is_ok());
    }
}

//! `roei/policy@1`: the operating targets a portal sets for the time words, and the day-count choices.
//!
//! The legal term (直ちに) never changes; the policy only says how the organisation operationalises it
//! ("we treat 直ちに as within one hour"). The status shows both.
use serde_json::{Map, Value};

use crate::error::Error;
use crate::time::{ClosedDays, DayCount, Span};
use crate::vocab::{Stage, Term};

/// The `format` of a policy.
pub const POLICY_FORMAT: &str = "roei/policy@1";
const MAX_POLICY_BYTES: usize = 64 * 1024;
/// A city's own closing days over many years fit well within this.
const MAX_EXTRA_DAYS: usize = 1000;

/// A read `roei/policy@1`: the operating target of each time word and the day-count choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The target for 直ちに (immediately); one hour by default.
    pub immediately: Span,
    /// The target for 速やかに (promptly); three days by default.
    pub promptly: Span,
    /// The target for 遅滞なく (without delay); five days by default.
    pub without_delay: Span,
    /// Optional target for clauses with no time word (none by default: `due` stays null).
    pub unspecified: Option<Span>,
    /// How a period of days is counted (Civil Code Art. 140 by default).
    pub day_count: DayCount,
    /// Whether a day-count deadline that ends on a closed day moves to the next open day. For a
    /// filing owed to the PPC the closed days are the national administrative holidays
    /// (行政機関の休日に関する法律 Art. 1 and 2: Saturdays, Sundays, national holidays, 12/29–1/3);
    /// for one owed to the municipality, `closed_days` (地方自治法 Art. 4-2(4): the city's ordinance).
    pub holiday_roll_forward: bool,
    /// The municipality's closing days, for deadlines owed to it.
    pub closed_days: ClosedDays,
    /// How an unrecorded `encrypted` fact is read (Rules Art. 43 / My Number rule Art. 2 exclude
    /// information "for which strong encryption … was taken", 講じたもの).
    pub unknown_encryption: UnknownEncryption,
    /// Stages a dismissal rules out even after signs had triggered them (when not yet done).
    pub dismissal_rules_out: Vec<Stage>,
}

/// How an unrecorded `encrypted` fact is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownEncryption {
    /// The exclusion needs the measure to have been taken; until a `facts` event says it was, the
    /// information is not excluded, so a reportable situation's clock runs (default).
    #[default]
    NotExcluded,
    /// Leave the duty `undetermined` until `encrypted` is recorded (its would-be `due` still shows,
    /// and `overdue_if_applicable` says when that due has passed).
    Undetermined,
}

impl UnknownEncryption {
    /// The truth an unrecorded `encrypted` takes.
    pub fn default_truth(self) -> Option<bool> {
        match self {
            UnknownEncryption::NotExcluded => Some(false),
            UnknownEncryption::Undetermined => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            UnknownEncryption::NotExcluded => "not_excluded",
            UnknownEncryption::Undetermined => "undetermined",
        }
    }
}

impl Default for Policy {
    /// The defaults (docs/FORMATS.md): 直ちに PT1H, 速やかに P3D, 遅滞なく P5D, civil-code counting,
    /// roll-forward over closed days (行政機関の休日に関する法律 Art. 2 for the PPC), an unrecorded
    /// encryption not excluding, and a dismissal ruling out the notice to data subjects.
    fn default() -> Self {
        Policy {
            immediately: Span(chrono::Duration::hours(1)),
            promptly: Span(chrono::Duration::days(3)),
            without_delay: Span(chrono::Duration::days(5)),
            unspecified: None,
            day_count: DayCount::CivilCode,
            holiday_roll_forward: true,
            closed_days: ClosedDays::default(),
            unknown_encryption: UnknownEncryption::NotExcluded,
            dismissal_rules_out: vec![Stage::Notify],
        }
    }
}

impl Policy {
    /// Parses a policy; absent keys keep their defaults, unknown keys are ignored (version 1 rule),
    /// except inside `closed_days`, whose keys are a closed set (a misspelt `saturdays` would
    /// otherwise silently count Saturdays as open).
    ///
    /// Read from a `serde_json::Value` by hand rather than by `#[derive(Deserialize)]`: the derived
    /// readers for these few keys (and chrono's date deserializer) cost 9 KB of the gzipped WASM
    /// bundle, the hand reader a fraction of that, and it names every bad field by path.
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        if json.len() > MAX_POLICY_BYTES {
            return Err(Error::TooLarge {
                path: String::new(),
                size: json.len(),
                limit: MAX_POLICY_BYTES,
            });
        }
        let v: Value = crate::json_guard::value(json, "")?;
        let Some(top) = v.as_object() else {
            return Err(Error::invalid("", "a policy is a JSON object"));
        };
        match top.get("format") {
            Some(Value::String(f)) if f == POLICY_FORMAT => {}
            Some(Value::String(other)) => {
                return Err(Error::Format {
                    path: "format".into(),
                    found: other.chars().take(60).collect(),
                    expected: POLICY_FORMAT,
                })
            }
            Some(_) => return Err(Error::invalid("format", "expected a string")),
            None => {
                return Err(Error::Missing {
                    path: "format".into(),
                    field: "format".into(),
                    clause: None,
                })
            }
        }
        let mut p = Policy::default();
        match top.get("targets") {
            None | Some(Value::Null) => {}
            Some(Value::Object(t)) => {
                let span = |key: &str| -> Result<Option<Span>, Error> {
                    let path = || format!("targets.{key}");
                    match t.get(key) {
                        None | Some(Value::Null) => Ok(None),
                        Some(Value::String(s)) => Span::parse(s)
                            .map(Some)
                            .map_err(|m| Error::invalid(path(), m)),
                        Some(_) => Err(Error::invalid(
                            path(),
                            "expected an ISO 8601 duration such as \"PT1H\"",
                        )),
                    }
                };
                if let Some(s) = span("immediately")? {
                    p.immediately = s;
                }
                if let Some(s) = span("promptly")? {
                    p.promptly = s;
                }
                if let Some(s) = span("without_delay")? {
                    p.without_delay = s;
                }
                p.unspecified = span("unspecified")?;
            }
            Some(_) => return Err(Error::invalid("targets", "expected an object")),
        }
        match top.get("day_count") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "civil-code" => p.day_count = DayCount::CivilCode,
            Some(Value::String(s)) if s == "strict" => p.day_count = DayCount::Strict,
            Some(_) => {
                return Err(Error::invalid(
                    "day_count",
                    "expected \"civil-code\" or \"strict\"",
                ))
            }
        }
        match top.get("holiday_roll_forward") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => p.holiday_roll_forward = *b,
            Some(_) => {
                return Err(Error::invalid(
                    "holiday_roll_forward",
                    "expected true or false",
                ))
            }
        }
        match top.get("closed_days") {
            None | Some(Value::Null) => {}
            Some(Value::Object(c)) => p.closed_days = closed_days(c)?,
            Some(_) => return Err(Error::invalid("closed_days", "expected an object")),
        }
        match top.get("unknown_encryption") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "not_excluded" => {
                p.unknown_encryption = UnknownEncryption::NotExcluded
            }
            Some(Value::String(s)) if s == "undetermined" => {
                p.unknown_encryption = UnknownEncryption::Undetermined
            }
            Some(_) => {
                return Err(Error::invalid(
                    "unknown_encryption",
                    "expected \"not_excluded\" or \"undetermined\"",
                ))
            }
        }
        match top.get("dismissal_rules_out") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                p.dismissal_rules_out.clear();
                for (i, v) in list.iter().enumerate() {
                    let stage = v.as_str().and_then(Stage::from_key).ok_or_else(|| {
                        Error::invalid(
                            format!("dismissal_rules_out[{i}]"),
                            "expected a stage key such as \"notify\" or \"ppc_final\"",
                        )
                    })?;
                    if !p.dismissal_rules_out.contains(&stage) {
                        p.dismissal_rules_out.push(stage);
                    }
                }
            }
            Some(_) => {
                return Err(Error::invalid(
                    "dismissal_rules_out",
                    "expected a list of stage keys",
                ))
            }
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

    /// The policy as `roei/policy@1` JSON (what [`Policy::from_json`] reads back).
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
            "unknown_encryption": self.unknown_encryption.key(),
            "dismissal_rules_out": self.dismissal_rules_out.iter().map(|s| s.key()).collect::<Vec<_>>(),
        })
    }
}

/// `closed_days`: four switches and a list of extra dates, every key checked.
fn closed_days(c: &Map<String, Value>) -> Result<ClosedDays, Error> {
    let mut out = ClosedDays::default();
    for (key, v) in c {
        let path = || format!("closed_days.{key}");
        let flag = match key.as_str() {
            "saturday" => &mut out.saturday,
            "sunday" => &mut out.sunday,
            "national_holidays" => &mut out.national_holidays,
            "year_end" => &mut out.year_end,
            "extra" => {
                let Some(list) = v.as_array() else {
                    return Err(Error::invalid(path(), "expected a list of dates"));
                };
                if list.len() > MAX_EXTRA_DAYS {
                    return Err(Error::TooMany {
                        path: path(),
                        count: list.len(),
                        limit: MAX_EXTRA_DAYS,
                    });
                }
                for (i, d) in list.iter().enumerate() {
                    let date = d
                        .as_str()
                        .and_then(crate::time::parse_date)
                        .ok_or_else(|| {
                            Error::invalid(
                                format!("closed_days.extra[{i}]"),
                                "expected a date YYYY-MM-DD",
                            )
                        })?;
                    out.extra.push(date);
                }
                continue;
            }
            _ => {
                return Err(Error::invalid(
                    path(),
                    "unknown key: use saturday, sunday, national_holidays, year_end or extra",
                ))
            }
        };
        *flag = v
            .as_bool()
            .ok_or_else(|| Error::invalid(path(), "expected true or false"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn defaults_match_interchange() {
        let p = Policy::from_json(r#"{"format":"roei/policy@1"}"#).unwrap();
        assert_eq!(p, Policy::default());
        let spelled = Policy::from_json(
            r#"{ "format": "roei/policy@1",
  "targets": { "immediately": "PT1H", "promptly": "P3D", "without_delay": "P5D" },
  "day_count": "civil-code", "holiday_roll_forward": true,
  "unknown_encryption": "not_excluded", "dismissal_rules_out": ["notify"] }"#,
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
        let e = Policy::from_json(r#"{"format":"roei/policy@1","targets":{"immediately":60}}"#)
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", "targets.immediately")
        );
        let e = Policy::from_json(r#"{"format":1}"#).unwrap_err();
        assert_eq!(e.path(), "format");
        let e = Policy::from_json(r#"[1]"#).unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        let e = Policy::from_json(r#"{"format":"roei/policy@1","holiday_roll_forward":"yes"}"#)
            .unwrap_err();
        assert_eq!(e.path(), "holiday_roll_forward");
        let e = Policy::from_json(r#"{"format":"roei/policy@1","targets":{"promptly":"P2D",}}"#)
            .unwrap_err();
        assert_eq!(e.code(), "json");
    }

    #[test]
    fn every_key_is_read() {
        let p = Policy::from_json(
            r#"{"format":"roei/policy@1",
                "targets":{"immediately":"PT30M","promptly":"P2D","without_delay":"P4D","unspecified":"P10D"},
                "day_count":"strict","holiday_roll_forward":false,
                "unknown_encryption":"undetermined","dismissal_rules_out":["notify","ppc_final"],
                "closed_days":{"saturday":false,"sunday":true,"national_holidays":false,"year_end":false,
                               "extra":["2026-11-24","2027-02-01"]}}"#,
        )
        .unwrap();
        assert_eq!(p.immediately, Span::parse("PT30M").unwrap());
        assert_eq!(p.promptly, Span::parse("P2D").unwrap());
        assert_eq!(p.without_delay, Span::parse("P4D").unwrap());
        assert_eq!(p.unspecified, Some(Span::parse("P10D").unwrap()));
        assert_eq!(p.day_count, DayCount::Strict);
        assert!(!p.holiday_roll_forward);
        assert_eq!(p.unknown_encryption, UnknownEncryption::Undetermined);
        assert_eq!(p.dismissal_rules_out, vec![Stage::Notify, Stage::PpcFinal]);
        let c = &p.closed_days;
        assert!(!c.saturday && c.sunday && !c.national_holidays && !c.year_end);
        assert_eq!(
            c.extra,
            vec![
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
            ]
        );
        // Written back and read again: the same policy.
        assert_eq!(Policy::from_json(&p.to_json().to_string()).unwrap(), p);
    }

    #[test]
    fn closed_days_keys_are_checked() {
        let e =
            Policy::from_json(r#"{"format":"roei/policy@1","closed_days":{"saturdays":false}}"#)
                .unwrap_err();
        assert_eq!(e.path(), "closed_days.saturdays");
        let e = Policy::from_json(
            r#"{"format":"roei/policy@1","closed_days":{"extra":["2026-11-24","2026-13-01"]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), "closed_days.extra[1]");
        let e =
            Policy::from_json(r#"{"format":"roei/policy@1","closed_days":{"extra":["2026-1-2"]}}"#)
                .unwrap_err();
        assert_eq!(e.path(), "closed_days.extra[0]");
        let many = format!(
            r#"{{"format":"roei/policy@1","closed_days":{{"extra":[{}]}}}}"#,
            vec!["\"2026-11-24\""; 1001].join(",")
        );
        assert_eq!(Policy::from_json(&many).unwrap_err().code(), "too_many");
    }
}

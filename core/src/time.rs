//! Time rules. Instants are stored with their offsets and compared as instants; calendar arithmetic
//! (which day is "the day of knowing", when a day ends) happens in Japan time, UTC+09:00, which has no
//! daylight saving time.
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone};
use serde::{Deserialize, Serialize};

use crate::holidays;

/// An instant with the offset it was written with.
pub type Instant = DateTime<FixedOffset>;

/// Asia/Tokyo: +09:00 all year.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// Writes an instant as RFC 3339 in +09:00 (docs/FORMATS.md: outputs are in Japan time).
///
/// ```
/// let t = chrono::DateTime::parse_from_rfc3339("2026-11-02T01:15:00Z").unwrap();
/// assert_eq!(roei_core::time::fmt_jst(&t), "2026-11-02T10:15:00+09:00");
/// ```
pub fn fmt_jst(t: &Instant) -> String {
    t.with_timezone(&jst())
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Parses an RFC 3339 instant; an offset is required (a bare local time is ambiguous evidence).
pub fn parse_instant(s: &str) -> Option<Instant> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// Parses a calendar date written `YYYY-MM-DD` (four-digit year, two-digit month and day), nothing
/// else. By hand rather than `str::parse::<NaiveDate>`, whose general format parser is 3 KB of the
/// gzipped WASM bundle for this one use.
///
/// ```
/// use roei_core::time::parse_date;
/// assert_eq!(parse_date("2026-11-24"), chrono::NaiveDate::from_ymd_opt(2026, 11, 24));
/// assert_eq!(parse_date("2026-02-29"), None); // not a leap year
/// assert_eq!(parse_date("2026-1-02"), None);
/// ```
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// The calendar day an instant falls on in Japan.
pub fn jst_date(t: &Instant) -> NaiveDate {
    t.with_timezone(&jst()).date_naive()
}

/// 24:00 Japan time at the end of `day`, written as the next day's `T00:00:00+09:00`.
pub fn end_of_day(day: NaiveDate) -> Option<Instant> {
    let next = day.succ_opt()?;
    jst()
        .from_local_datetime(&next.and_time(NaiveTime::MIN))
        .single()
}

/// How a period "within N days of the day of knowing" is counted (民法 Art. 140 and 行政機関の休日に関する法律 Art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DayCount {
    /// Civil Code Art. 140: the day of knowing is not counted; day D gives the end of D+N.
    #[default]
    CivilCode,
    /// The day of knowing is day 1: the end of D+N-1.
    Strict,
}

/// Days an office is closed, for the optional roll-forward of a deadline's last day
/// (Civil Code Art. 142; 地方自治法 第4条の2 lets each municipality set its closing days by ordinance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClosedDays {
    /// Saturdays are closed.
    pub saturday: bool,
    /// Sundays are closed.
    pub sunday: bool,
    /// National holidays (祝日法) are closed.
    pub national_holidays: bool,
    /// 12/29 to 1/3, the usual municipal year-end closure.
    pub year_end: bool,
    /// Further closing days (a city's own), as `YYYY-MM-DD`.
    pub extra: Vec<NaiveDate>,
}

impl Default for ClosedDays {
    fn default() -> Self {
        ClosedDays {
            saturday: true,
            sunday: true,
            national_holidays: true,
            year_end: true,
            extra: Vec::new(),
        }
    }
}

impl ClosedDays {
    /// Whether the office is closed on day `d`.
    pub fn is_closed(&self, d: NaiveDate) -> bool {
        use chrono::{Datelike, Weekday};
        (self.saturday && d.weekday() == Weekday::Sat)
            || (self.sunday && d.weekday() == Weekday::Sun)
            || (self.national_holidays && holidays::is_holiday(d))
            || (self.year_end
                && ((d.month() == 12 && d.day() >= 29) || (d.month() == 1 && d.day() <= 3)))
            || self.extra.contains(&d)
    }
}

/// Result of a day-count deadline: the instant, and whether the holiday table had to be trusted
/// beyond the years it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayDeadline {
    /// The end of the last day: 24:00 Japan time, written as the next day's 00:00.
    pub due: Instant,
    /// The last day of the period (after any roll-forward).
    pub last_day: NaiveDate,
    /// The last day of the count before it rolled forward over closed days, when it did.
    pub rolled_from: Option<NaiveDate>,
    /// Whether the count went past the years the holiday rules are checked for.
    pub beyond_holiday_table: bool,
    /// Whether the roll-forward looked at a day whose holiday status rests on a predicted (not yet
    /// gazetted) 春分日 or 秋分日 ([`holidays::HolidayBasis::Predicted`]).
    pub predicted_holiday: bool,
}

/// The deadline of "within `days` days of the day of knowing".
///
/// Worked examples (knowing at 2026-11-02 14:00 Japan time, 30 days):
///
/// ```
/// use roei_core::time::{day_count_deadline, fmt_jst, ClosedDays, DayCount};
/// let knew = chrono::DateTime::parse_from_rfc3339("2026-11-02T14:00:00+09:00").unwrap();
/// // Civil Code: Nov 2 is not counted, day 30 is Dec 2, the period ends at 24:00 on Dec 2.
/// let d = day_count_deadline(&knew, 30, DayCount::CivilCode, None).unwrap();
/// assert_eq!(fmt_jst(&d.due), "2026-12-03T00:00:00+09:00");
/// // Strict: Nov 2 is day 1, so day 30 is Dec 1.
/// let d = day_count_deadline(&knew, 30, DayCount::Strict, None).unwrap();
/// assert_eq!(fmt_jst(&d.due), "2026-12-02T00:00:00+09:00");
/// ```
///
/// The day is the Japan day even when the instant was written in another offset: 23:30 UTC on
/// 2026-11-01 is 08:30 on Nov 2 in Japan, so it counts from Nov 2.
///
/// ```
/// # use roei_core::time::{day_count_deadline, fmt_jst, DayCount};
/// let knew = chrono::DateTime::parse_from_rfc3339("2026-11-01T23:30:00Z").unwrap();
/// let d = day_count_deadline(&knew, 30, DayCount::CivilCode, None).unwrap();
/// assert_eq!(fmt_jst(&d.due), "2026-12-03T00:00:00+09:00");
/// ```
///
/// With roll-forward, a last day on which the office is closed moves to the next open day. Knowing on
/// 2026-12-02 gives a last day of 2027-01-01 (New Year's Day, closed through Jan 3, a Sunday), so
/// the period ends at the end of Monday 2027-01-04:
///
/// ```
/// # use roei_core::time::{day_count_deadline, fmt_jst, ClosedDays, DayCount};
/// let knew = chrono::DateTime::parse_from_rfc3339("2026-12-02T09:00:00+09:00").unwrap();
/// let closed = ClosedDays::default();
/// let d = day_count_deadline(&knew, 30, DayCount::CivilCode, Some(&closed)).unwrap();
/// assert_eq!(fmt_jst(&d.due), "2027-01-05T00:00:00+09:00");
/// ```
///
/// Civil Code Art. 140's proviso: a period that starts at 00:00 counts its first day. Knowing at
/// exactly midnight Japan time on Nov 2 makes Nov 2 day 1, so day 30 is Dec 1:
///
/// ```
/// # use roei_core::time::{day_count_deadline, fmt_jst, DayCount};
/// let knew = chrono::DateTime::parse_from_rfc3339("2026-11-02T00:00:00+09:00").unwrap();
/// let d = day_count_deadline(&knew, 30, DayCount::CivilCode, None).unwrap();
/// assert_eq!(fmt_jst(&d.due), "2026-12-02T00:00:00+09:00");
/// ```
pub fn day_count_deadline(
    knew: &Instant,
    days: u32,
    count: DayCount,
    roll_forward: Option<&ClosedDays>,
) -> Option<DayDeadline> {
    let d0 = jst_date(knew);
    let at_midnight = knew.with_timezone(&jst()).time() == NaiveTime::MIN;
    let n = match count {
        DayCount::CivilCode if !at_midnight => i64::from(days),
        DayCount::CivilCode | DayCount::Strict => i64::from(days).saturating_sub(1),
    };
    let counted = d0.checked_add_signed(Duration::try_days(n)?)?;
    let mut last = counted;
    let mut beyond = false;
    let mut predicted = false;
    if let Some(closed) = roll_forward {
        // A closed run is at most a few days; the bound only guards against a pathological config.
        for _ in 0..366 {
            if closed.national_holidays {
                match holidays::holiday_basis(last) {
                    holidays::HolidayBasis::Unsupported => beyond = true,
                    holidays::HolidayBasis::Predicted => predicted = true,
                    _ => {}
                }
            }
            if !closed.is_closed(last) {
                break;
            }
            last = last.succ_opt()?;
        }
    }
    Some(DayDeadline {
        due: end_of_day(last)?,
        last_day: last,
        rolled_from: (last != counted).then_some(counted),
        beyond_holiday_table: beyond,
        predicted_holiday: predicted,
    })
}

/// An ISO 8601 duration limited to weeks, days, hours, minutes and seconds (`PT1H`, `P3D`, `P1DT12H`).
/// Years and months are refused: their length depends on the start, and targets are fixed spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span(pub Duration);

impl Span {
    /// An ISO 8601 duration (`PT1H`, `P3D`, `P1DT2H30M`).
    pub fn parse(s: &str) -> Result<Span, String> {
        let bad = || format!("'{s}' is not an ISO 8601 duration such as PT1H or P3D");
        let rest = s.strip_prefix('P').ok_or_else(bad)?;
        if rest.is_empty() || s.len() > 40 {
            return Err(bad());
        }
        let mut secs: i64 = 0;
        let mut num = String::new();
        let mut in_time = false;
        let mut any = false;
        for ch in rest.chars() {
            match ch {
                '0'..='9' => num.push(ch),
                'T' if !in_time && num.is_empty() => in_time = true,
                _ => {
                    let n: i64 = num.parse().map_err(|_| bad())?;
                    num.clear();
                    let unit: i64 = match (in_time, ch) {
                        (false, 'W') => 7 * 86400,
                        (false, 'D') => 86400,
                        (true, 'H') => 3600,
                        (true, 'M') => 60,
                        (true, 'S') => 1,
                        (false, 'Y') | (false, 'M') => {
                            return Err(format!(
                                "'{s}': years and months have no fixed length; give days (P30D)"
                            ))
                        }
                        _ => return Err(bad()),
                    };
                    secs = n
                        .checked_mul(unit)
                        .and_then(|v| secs.checked_add(v))
                        .ok_or_else(bad)?;
                    any = true;
                }
            }
        }
        if !num.is_empty() || !any {
            return Err(bad());
        }
        // Ten years is far beyond any operating target and keeps instant arithmetic in range.
        if secs > 10 * 366 * 86400 {
            return Err(format!("'{s}' is longer than ten years"));
        }
        Ok(Span(Duration::seconds(secs)))
    }

    /// Back to ISO 8601, shortest form (`PT1H`, `P3D`, `P1DT12H`).
    pub fn to_iso(&self) -> String {
        let mut s = self.0.num_seconds();
        if s == 0 {
            return "PT0S".into();
        }
        let d = s / 86400;
        s %= 86400;
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
        let mut out = String::from("P");
        if d > 0 {
            out.push_str(&format!("{d}D"));
        }
        if h > 0 || m > 0 || sec > 0 {
            out.push('T');
            if h > 0 {
                out.push_str(&format!("{h}H"));
            }
            if m > 0 {
                out.push_str(&format!("{m}M"));
            }
            if sec > 0 {
                out.push_str(&format!("{sec}S"));
            }
        }
        out
    }

    /// In words, for people: `1時間`, `3日`, `1日12時間` / `1 hour`, `3 days`, `1 day 12 hours`.
    pub fn words(&self, lang: crate::lang::Lang) -> String {
        let s = self.0.num_seconds().max(0);
        let (d, h, m, sec) = (s / 86400, (s % 86400) / 3600, (s % 3600) / 60, s % 60);
        let ja = [(d, "日"), (h, "時間"), (m, "分"), (sec, "秒")];
        let en = [(d, "day"), (h, "hour"), (m, "minute"), (sec, "second")];
        let parts: Vec<String> = ja
            .iter()
            .zip(en.iter())
            .filter(|((n, _), _)| *n > 0)
            .map(|((n, j), (_, e))| {
                lang.pick(
                    format!("{n}{j}"),
                    format!("{n} {e}{}", if *n == 1 { "" } else { "s" }),
                )
            })
            .collect();
        if parts.is_empty() {
            return lang.pick("0分", "0 minutes").to_string();
        }
        parts.join(lang.pick("", " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_in_words() {
        use crate::lang::Lang;
        for (iso, ja, en) in [
            ("PT1H", "1時間", "1 hour"),
            ("P3D", "3日", "3 days"),
            ("P1DT12H", "1日12時間", "1 day 12 hours"),
            ("PT90M", "1時間30分", "1 hour 30 minutes"),
        ] {
            let s = Span::parse(iso).unwrap();
            assert_eq!(
                (s.words(Lang::Ja).as_str(), s.words(Lang::En).as_str()),
                (ja, en)
            );
        }
    }

    fn at(s: &str) -> Instant {
        parse_instant(s).unwrap()
    }

    #[test]
    fn spans_parse_and_print() {
        for (s, secs) in [
            ("PT1H", 3600),
            ("P3D", 259200),
            ("P5D", 432000),
            ("P1DT12H", 129600),
            ("PT90M", 5400),
            ("P1W", 604800),
        ] {
            assert_eq!(Span::parse(s).unwrap().0.num_seconds(), secs, "{s}");
        }
        assert_eq!(Span::parse("PT90M").unwrap().to_iso(), "PT1H30M");
        for bad in [
            "",
            "P",
            "PT",
            "1H",
            "P1M",
            "P1Y",
            "PT1",
            "P-1D",
            "PT1H1",
            "P99999999999999999999D",
            "P4000D",
        ] {
            assert!(Span::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn day_counts_around_the_boundary() {
        let knew = at("2026-11-02T23:59:59+09:00");
        let c = day_count_deadline(&knew, 30, DayCount::CivilCode, None).unwrap();
        assert_eq!(c.last_day, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        let s = day_count_deadline(&knew, 30, DayCount::Strict, None).unwrap();
        assert_eq!(s.last_day, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let c60 = day_count_deadline(&knew, 60, DayCount::CivilCode, None).unwrap();
        assert_eq!(fmt_jst(&c60.due), "2027-01-02T00:00:00+09:00");
    }

    #[test]
    fn roll_forward_skips_weekends_and_holidays() {
        // Knowing 2026-08-22 (Sat): D+30 = 2026-09-21 (敬老の日), 9/22 国民の休日, 9/23 秋分の日 -> Thu 9/24.
        let knew = at("2026-08-22T10:00:00+09:00");
        let d = day_count_deadline(&knew, 30, DayCount::CivilCode, Some(&ClosedDays::default()))
            .unwrap();
        assert_eq!(d.last_day, NaiveDate::from_ymd_opt(2026, 9, 24).unwrap());
        assert!(!d.beyond_holiday_table);
        let none = day_count_deadline(&knew, 30, DayCount::CivilCode, None).unwrap();
        assert_eq!(none.last_day, NaiveDate::from_ymd_opt(2026, 9, 21).unwrap());
    }

    #[test]
    fn roll_forward_beyond_the_table_is_flagged() {
        let knew = at("2100-03-01T10:00:00+09:00");
        let d = day_count_deadline(&knew, 30, DayCount::CivilCode, Some(&ClosedDays::default()))
            .unwrap();
        assert!(d.beyond_holiday_table);
    }
}

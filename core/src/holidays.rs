//! Japanese national holidays (国民の祝日 and the 休日 of 祝日法 Art. 3), computed from the law's rules
//! for 1955–2099, and which answers rest on a prediction.
//!
//! Why computed, not a table: a 60-day deadline from November of the last published year already
//! leaves any table, and the rules of 国民の祝日に関する法律 (昭和23年法律第178号) fix every day
//! except 春分の日 and 秋分の日 years ahead. The rules are checked, every day from 1955-01-01 to
//! 2027-12-31, against the Cabinet Office's published list (内閣府「国民の祝日」について,
//! `syukujitsu.csv`, checked in as `core/tests/data/syukujitsu.csv`), which stays the authority: a
//! rule that disagrees with it is a bug. 2028–2050 are checked against an independent data set, the
//! `@holiday-jp/holiday_jp` npm package (`scripts/test-holidays.sh`).
//!
//! What the law says, as applied here:
//! - **Art. 2** lists the 国民の祝日: 元日 1/1; 成人の日 1/15, the second Monday of January from 2000
//!   (平成10年法律第141号); 建国記念の日 2/11 from 1967 (政令, after 昭和41年法律第86号); 天皇誕生日
//!   4/29 until 1988, 12/23 1989–2018 (平成元年法律第5号), 2/23 from 2020 (none in 2019); 春分の日
//!   and 秋分の日 (「春分日」「秋分日」); 4/29 みどりの日 1989–2006, 昭和の日 from 2007
//!   (平成17年法律第43号); 憲法記念日 5/3; みどりの日 5/4 from 2007; こどもの日 5/5; 海の日 7/20
//!   1996–2002 (平成7年法律第22号), the third Monday of July from 2003 (平成13年法律第59号); 山の日 8/11
//!   from 2016 (平成26年法律第43号); 敬老の日 9/15 1966–2002, the third Monday of September from 2003;
//!   体育の日 10/10 1966–1999, the second Monday of October 2000–2019, renamed スポーツの日 from
//!   2020; 文化の日 11/3; 勤労感謝の日 11/23.
//! - **One-off laws.** 1959-04-10, 1989-02-24, 1990-11-12 and 1993-06-09 were made 休日 by their own
//!   laws; in 2019 the 即位の日 (5/1) and the 即位礼正殿の儀 (10/22) were 休日 treated as 国民の祝日 for
//!   Art. 3, which made 4/30 and 5/2 国民の休日. The Olympic special measures law (平成27年法律第33号
//!   and its amendments) moved 海の日, スポーツの日 and 山の日 to 7/23, 7/24, 8/10 in 2020 and 7/22,
//!   7/23, 8/8 in 2021. The names are the Cabinet Office list's own, including its
//!   「体育の日（スポーツの日）」 for 2019-10-14 and 「休日（祝日扱い）」.
//! - **Art. 3(2), 振替休日.** From 1973-04-12 (昭和48年法律第10号) a 国民の祝日 on a Sunday made
//!   「その翌日」 a 休日; from 2007 (平成17年法律第43号) 「その日後においてその日に最も近い「国民の祝日」
//!   でない日を休日とする」: the next day that is not itself a 国民の祝日.
//! - **Art. 3(3), 国民の休日.** From 1985-12-27 (昭和60年法律第103号) 「その前日及び翌日が「国民の祝日」
//!   である日（日曜日にあたる日及び前項に規定する休日にあたる日を除く。）は、休日とする」; from 2007
//!   「（「国民の祝日」でない日に限る。）」. Both kinds of 休日 are named 「休日」, as in the list.
//!
//! **春分日・秋分日** are fixed for each year by the 暦要項 of the National Astronomical Observatory
//! (国立天文台), published in the 官報 on the first working day of February of the year before. This
//! version knows them as gazetted through [`GAZETTED_THROUGH`] (the list it was checked against).
//! After that they come from the approximation of 暦計算研究会編『新こよみ便利帳』 (恒星社厚生閣), as
//! quoted by koyomi8.com 「将来の春分日・秋分日の計算」: 春分日 = int(20.8431 + 0.242194 (Y − 1980) −
//! int((Y − 1980) / 4)) and 秋分日 = int(23.2488 + …) for 1980–2099; 20.8357 and 23.2588 with
//! int((Y − 1983) / 4) for 1900–1979. It is computed here in exact integer millionths. A day whose
//! answer would change if a predicted equinox fell one day earlier or later has
//! [`HolidayBasis::Predicted`], so a deadline on it can say so rather than refuse.
//!
//! Outside [`FIRST_YEAR`]–[`LAST_YEAR`] (before the published list; after the formula's range)
//! [`covers`] is false and [`is_holiday`] answers false: callers warn that national holidays were not
//! applied.
use chrono::{Datelike, NaiveDate, Weekday};

/// First year answered: the first year of the Cabinet Office's published list.
pub const FIRST_YEAR: i32 = 1955;
/// Last year answered: the last year of the equinox approximation's 1980–2099 range.
pub const LAST_YEAR: i32 = 2099;
/// Last year whose 春分日・秋分日 this version knows as gazetted (the last year of the checked-in
/// Cabinet Office list). Raise it only together with a fresh copy of that list.
pub const GAZETTED_THROUGH: i32 = 2027;

/// How far the answer of [`holiday_name`] for a day can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayBasis {
    /// 1955 to [`GAZETTED_THROUGH`]: the year is in the Cabinet Office's list, its equinox days
    /// gazetted, and the rules were checked against that list day by day.
    Gazetted,
    /// After [`GAZETTED_THROUGH`], and the answer follows from the statute's fixed rules alone.
    Computed,
    /// After [`GAZETTED_THROUGH`], and the answer depends on a 春分日 or 秋分日 that is predicted by
    /// the approximation, not yet gazetted: it would differ if that day fell one day earlier or later.
    Predicted,
    /// Outside [`FIRST_YEAR`]–[`LAST_YEAR`]: no answer ([`is_holiday`] says false).
    Unsupported,
}

/// Whether the year of `d` is answered (1955–2099).
pub fn covers(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// The day's name if it is a national holiday or a 休日 of 祝日法 Art. 3: `Some("春分の日")`,
/// `Some("休日")` for a 振替休日 or 国民の休日, `None` for an ordinary day or a year not covered.
pub fn holiday_name(d: NaiveDate) -> Option<&'static str> {
    name_with_equinox_shift(d, 0)
}

/// Whether the day is a national holiday or a 休日 of 祝日法 Art. 3 (false outside 1955–2099).
pub fn is_holiday(d: NaiveDate) -> bool {
    holiday_name(d).is_some()
}

/// Whether the answer for `d` rests on the published list, on the statute's fixed rules, or on a
/// predicted equinox day.
pub fn holiday_basis(d: NaiveDate) -> HolidayBasis {
    if !covers(d) {
        return HolidayBasis::Unsupported;
    }
    if d.year() <= GAZETTED_THROUGH {
        return HolidayBasis::Gazetted;
    }
    let answer = name_with_equinox_shift(d, 0);
    if name_with_equinox_shift(d, -1) != answer || name_with_equinox_shift(d, 1) != answer {
        HolidayBasis::Predicted
    } else {
        HolidayBasis::Computed
    }
}

/// [`holiday_name`], with every predicted (not gazetted) equinox day moved by `shift` days.
fn name_with_equinox_shift(d: NaiveDate, shift: i64) -> Option<&'static str> {
    if !covers(d) {
        return None;
    }
    if let Some(name) = national_holiday(d, shift) {
        return Some(name);
    }
    let is_national =
        |day: Option<NaiveDate>| day.is_some_and(|x| national_holiday(x, shift).is_some());
    let ymd = (d.year(), d.month(), d.day());
    // Art. 3(2), 振替休日.
    if ymd >= (2007, 1, 1) {
        let mut back = d.pred_opt();
        while let Some(b) = back.filter(|&b| is_national(Some(b))) {
            if b.weekday() == Weekday::Sun {
                return Some("休日");
            }
            back = b.pred_opt();
        }
    } else if let Some(prev) = d.pred_opt() {
        if prev.weekday() == Weekday::Sun
            && (prev.year(), prev.month(), prev.day()) >= (1973, 4, 12)
            && is_national(Some(prev))
        {
            return Some("休日");
        }
    }
    // Art. 3(3), 国民の休日 (before 2007 never on a Sunday; a 振替休日 was answered above).
    if ymd >= (1985, 12, 27)
        && (ymd >= (2007, 1, 1) || d.weekday() != Weekday::Sun)
        && is_national(d.pred_opt())
        && is_national(d.succ_opt())
    {
        return Some("休日");
    }
    None
}

/// Art. 2's days, as (month, day, first year, last year, name). A day of 0x80 + n is the n-th Monday
/// of the month (the Happy Monday laws). 2020 and 2021 lack the days the Olympic law moved.
const ARTICLE_2: &[(u8, u8, u16, u16, &str)] = &[
    (1, 1, 0, 9999, "元日"),
    (1, 15, 0, 1999, "成人の日"),
    (1, 0x82, 2000, 9999, "成人の日"),
    (2, 11, 1967, 9999, "建国記念の日"),
    (2, 23, 2020, 9999, "天皇誕生日"),
    (4, 29, 0, 1988, "天皇誕生日"),
    (4, 29, 1989, 2006, "みどりの日"),
    (4, 29, 2007, 9999, "昭和の日"),
    (5, 3, 0, 9999, "憲法記念日"),
    (5, 4, 2007, 9999, "みどりの日"),
    (5, 5, 0, 9999, "こどもの日"),
    (7, 20, 1996, 2002, "海の日"),
    (7, 0x83, 2003, 2019, "海の日"),
    (7, 0x83, 2022, 9999, "海の日"),
    (8, 11, 2016, 2019, "山の日"),
    (8, 11, 2022, 9999, "山の日"),
    (9, 15, 1966, 2002, "敬老の日"),
    (9, 0x83, 2003, 9999, "敬老の日"),
    (10, 10, 1966, 1999, "体育の日"),
    (10, 0x82, 2000, 2018, "体育の日"),
    (10, 0x82, 2019, 2019, "体育の日（スポーツの日）"),
    (10, 0x82, 2022, 9999, "スポーツの日"),
    (11, 3, 0, 9999, "文化の日"),
    (11, 23, 0, 9999, "勤労感謝の日"),
    (12, 23, 1989, 2018, "天皇誕生日"),
];

/// Days set by their own laws, as (year, month, day, name).
const ONE_OFF: &[(u16, u8, u8, &str)] = &[
    (1959, 4, 10, "結婚の儀"),
    (1989, 2, 24, "大喪の礼"),
    (1990, 11, 12, "即位礼正殿の儀"),
    (1993, 6, 9, "結婚の儀"),
    (2019, 5, 1, "休日（祝日扱い）"),
    (2019, 10, 22, "休日（祝日扱い）"),
    (2020, 7, 23, "海の日"),
    (2020, 7, 24, "スポーツの日"),
    (2020, 8, 10, "山の日"),
    (2021, 7, 22, "海の日"),
    (2021, 7, 23, "スポーツの日"),
    (2021, 8, 8, "山の日"),
];

/// The 国民の祝日 (and the one-off days treated as such) falling on `d`; predicted equinox days moved
/// by `equinox_shift`.
fn national_holiday(d: NaiveDate, equinox_shift: i64) -> Option<&'static str> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return None;
    }
    // Within FIRST_YEAR..=LAST_YEAR, so it fits.
    let (y16, m8, d8) = (y as u16, m as u8, day as u8);
    if let Some(&(.., name)) = ONE_OFF.iter().find(|r| (r.0, r.1, r.2) == (y16, m8, d8)) {
        return Some(name);
    }
    // The n-th Monday of a month is day 0x80 + n.
    let as_monday = if d.weekday() == Weekday::Mon {
        0x80 + (d8 - 1) / 7 + 1
    } else {
        0
    };
    let rule = ARTICLE_2
        .iter()
        .find(|r| r.0 == m8 && (r.1 == d8 || r.1 == as_monday) && (r.2..=r.3).contains(&y16));
    if let Some(&(.., name)) = rule {
        return Some(name);
    }
    let shift = if y > GAZETTED_THROUGH {
        equinox_shift
    } else {
        0
    };
    let is_equinox = |spring| i64::from(equinox_day(y, spring)) + shift == i64::from(day);
    match m {
        3 if is_equinox(true) => Some("春分の日"),
        9 if is_equinox(false) => Some("秋分の日"),
        _ => None,
    }
}

/// The day of March (`spring`) or September of the equinox in `year` (1900–2099), by the
/// approximation quoted in the module doc, in integer millionths of a day.
fn equinox_day(year: i32, spring: bool) -> u32 {
    let base: i64 = match (spring, year >= 1980) {
        (true, true) => 20_843_100,
        (false, true) => 23_248_800,
        (true, false) => 20_835_700,
        (false, false) => 23_258_800,
    };
    // Integer division truncates toward zero, as int() does in the published formula.
    let leap_years = i64::from(if year >= 1980 {
        (year - 1980) / 4
    } else {
        (year - 1983) / 4
    });
    let day = (base + 242_194 * i64::from(year - 1980) - 1_000_000 * leap_years) / 1_000_000;
    u32::try_from(day).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn equinox_formula_matches_the_gazetted_days_it_was_fitted_to() {
        // 官報-announced days (also in the Cabinet Office list): 2024 3/20 and 9/22, 2025 3/20 and
        // 9/23, 2027 3/21 and 9/23; 1956 3/21 needs int() to truncate toward zero.
        assert_eq!(equinox_day(2024, true), 20);
        assert_eq!(equinox_day(2024, false), 22);
        assert_eq!(equinox_day(2025, false), 23);
        assert_eq!(equinox_day(2027, true), 21);
        assert_eq!(equinox_day(1956, true), 21);
    }

    #[test]
    fn substitute_is_the_next_day_that_is_not_a_national_holiday_from_2007() {
        // 2025-05-04 みどりの日 is a Sunday, 5/5 is こどもの日: the 休日 is Tue 5/6.
        assert_eq!(holiday_name(date(2025, 5, 6)), Some("休日"));
        // Before 2007 only 「その翌日」: 1997-05-04 (Sun) was no holiday at all, 5/5 no substitute.
        assert_eq!(holiday_name(date(1997, 5, 4)), None);
        assert_eq!(holiday_name(date(1997, 5, 6)), None);
        // Before 1973-04-12 no substitute: 1973-02-11 was a Sunday.
        assert_eq!(holiday_name(date(1973, 2, 12)), None);
        assert_eq!(holiday_name(date(1973, 4, 30)), Some("休日"));
    }

    #[test]
    fn sandwiched_day_is_a_holiday() {
        assert_eq!(holiday_name(date(2026, 9, 22)), Some("休日"));
        assert_eq!(holiday_name(date(2019, 4, 30)), Some("休日"));
        assert_eq!(holiday_name(date(2019, 5, 2)), Some("休日"));
    }

    #[test]
    fn basis_says_which_answers_rest_on_a_predicted_equinox() {
        assert_eq!(holiday_basis(date(2027, 3, 21)), HolidayBasis::Gazetted);
        assert_eq!(holiday_basis(date(2030, 1, 14)), HolidayBasis::Computed);
        assert_eq!(holiday_basis(date(2030, 6, 3)), HolidayBasis::Computed);
        // 2030: 春分日 predicted 3/20 (Wed).
        assert_eq!(holiday_name(date(2030, 3, 20)), Some("春分の日"));
        assert_eq!(holiday_basis(date(2030, 3, 20)), HolidayBasis::Predicted);
        assert_eq!(holiday_basis(date(2030, 3, 21)), HolidayBasis::Predicted);
        assert_eq!(holiday_basis(date(2030, 3, 25)), HolidayBasis::Computed);
        assert_eq!(holiday_basis(date(1954, 12, 31)), HolidayBasis::Unsupported);
        assert_eq!(holiday_basis(date(2100, 1, 1)), HolidayBasis::Unsupported);
        assert!(!is_holiday(date(2100, 1, 1)));
        assert!(covers(date(2099, 12, 31)) && !covers(date(2100, 1, 1)));
    }
}

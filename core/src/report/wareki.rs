//! Japanese era dates (和暦) for the dates of written reports: 令和8年11月2日.

use chrono::{Datelike, NaiveDate};

use crate::lang::Lang;

/// Era names with their first day, newest first (Meiji from the adoption of the Gregorian calendar
/// on 明治6年1月1日; earlier dates fall back to the ISO form).
const ERAS: [(&str, &str, i32, u32, u32); 5] = [
    ("令和", "Reiwa", 2019, 5, 1),
    ("平成", "Heisei", 1989, 1, 8),
    ("昭和", "Showa", 1926, 12, 25),
    ("大正", "Taisho", 1912, 7, 30),
    ("明治", "Meiji", 1868, 1, 25),
];

/// The era, year of the era and the era's name in English, or `None` before 1873-01-01.
pub fn era(d: NaiveDate) -> Option<(&'static str, &'static str, i32)> {
    if d < NaiveDate::from_ymd_opt(1873, 1, 1)? {
        return None;
    }
    ERAS.iter().find_map(|&(ja, en, y, m, day)| {
        let start = NaiveDate::from_ymd_opt(y, m, day)?;
        (d >= start).then(|| (ja, en, d.year() - y + 1))
    })
}

/// 令和8年11月2日 (元年 for the first year); in English "2 November 2026 (Reiwa 8)". Dates outside the
/// table are written in ISO form.
pub fn era_date(d: NaiveDate, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match (era(d), lang) {
        (Some((ja, _, n)), Lang::Ja) => {
            let year = if n == 1 {
                "元".to_string()
            } else {
                n.to_string()
            };
            format!("{ja}{year}年{}月{}日", d.month(), d.day())
        }
        (Some((_, en, n)), Lang::En) => format!(
            "{} {} {} ({en} {n})",
            d.day(),
            MONTHS[d.month0() as usize],
            d.year()
        ),
        (None, _) => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn boundaries_of_reiwa_and_heisei() {
        assert_eq!(era_date(d(2019, 4, 30), Lang::Ja), "平成31年4月30日");
        assert_eq!(era_date(d(2019, 5, 1), Lang::Ja), "令和元年5月1日");
        assert_eq!(era_date(d(2019, 12, 31), Lang::Ja), "令和元年12月31日");
        assert_eq!(era_date(d(2020, 1, 1), Lang::Ja), "令和2年1月1日");
        assert_eq!(era_date(d(2026, 11, 2), Lang::Ja), "令和8年11月2日");
        assert_eq!(era_date(d(1989, 1, 7), Lang::Ja), "昭和64年1月7日");
        assert_eq!(era_date(d(1989, 1, 8), Lang::Ja), "平成元年1月8日");
        assert_eq!(
            era_date(d(2026, 11, 2), Lang::En),
            "2 November 2026 (Reiwa 8)"
        );
        assert_eq!(era_date(d(1800, 1, 1), Lang::Ja), "1800-01-01");
    }
}

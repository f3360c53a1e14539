//! Japanese national holidays (国民の祝日に関する法律), as a table.
//!
//! 春分の日 and 秋分の日 are fixed each February for the next year, and one-off laws have moved
//! holidays before (2020-2021), so the days come from the Cabinet Office's published list, not from
//! rules. The table covers 2023 (the year APPI began to bind local governments directly) through 2027,
//! the last year published. Outside it, [`covers`] is false and deadline arithmetic says so. A test
//! per year checks the table against Art. 3 (振替休日 and 国民の休日).
use chrono::NaiveDate;

/// (year, month, day, name). Substitute holidays (振替休日) and sandwiched days (国民の休日) included.
pub const TABLE: &[(i32, u32, u32, &str)] = &[
    (2023, 1, 1, "元日"),
    (2023, 1, 2, "休日"),
    (2023, 1, 9, "成人の日"),
    (2023, 2, 11, "建国記念の日"),
    (2023, 2, 23, "天皇誕生日"),
    (2023, 3, 21, "春分の日"),
    (2023, 4, 29, "昭和の日"),
    (2023, 5, 3, "憲法記念日"),
    (2023, 5, 4, "みどりの日"),
    (2023, 5, 5, "こどもの日"),
    (2023, 7, 17, "海の日"),
    (2023, 8, 11, "山の日"),
    (2023, 9, 18, "敬老の日"),
    (2023, 9, 23, "秋分の日"),
    (2023, 10, 9, "スポーツの日"),
    (2023, 11, 3, "文化の日"),
    (2023, 11, 23, "勤労感謝の日"),
    (2024, 1, 1, "元日"),
    (2024, 1, 8, "成人の日"),
    (2024, 2, 11, "建国記念の日"),
    (2024, 2, 12, "休日"),
    (2024, 2, 23, "天皇誕生日"),
    (2024, 3, 20, "春分の日"),
    (2024, 4, 29, "昭和の日"),
    (2024, 5, 3, "憲法記念日"),
    (2024, 5, 4, "みどりの日"),
    (2024, 5, 5, "こどもの日"),
    (2024, 5, 6, "休日"),
    (2024, 7, 15, "海の日"),
    (2024, 8, 11, "山の日"),
    (2024, 8, 12, "休日"),
    (2024, 9, 16, "敬老の日"),
    (2024, 9, 22, "秋分の日"),
    (2024, 9, 23, "休日"),
    (2024, 10, 14, "スポーツの日"),
    (2024, 11, 3, "文化の日"),
    (2024, 11, 4, "休日"),
    (2024, 11, 23, "勤労感謝の日"),
    (2025, 1, 1, "元日"),
    (2025, 1, 13, "成人の日"),
    (2025, 2, 11, "建国記念の日"),
    (2025, 2, 23, "天皇誕生日"),
    (2025, 2, 24, "休日"),
    (2025, 3, 20, "春分の日"),
    (2025, 4, 29, "昭和の日"),
    (2025, 5, 3, "憲法記念日"),
    (2025, 5, 4, "みどりの日"),
    (2025, 5, 5, "こどもの日"),
    (2025, 5, 6, "休日"),
    (2025, 7, 21, "海の日"),
    (2025, 8, 11, "山の日"),
    (2025, 9, 15, "敬老の日"),
    (2025, 9, 23, "秋分の日"),
    (2025, 10, 13, "スポーツの日"),
    (2025, 11, 3, "文化の日"),
    (2025, 11, 23, "勤労感謝の日"),
    (2025, 11, 24, "休日"),
    (2026, 1, 1, "元日"),
    (2026, 1, 12, "成人の日"),
    (2026, 2, 11, "建国記念の日"),
    (2026, 2, 23, "天皇誕生日"),
    (2026, 3, 20, "春分の日"),
    (2026, 4, 29, "昭和の日"),
    (2026, 5, 3, "憲法記念日"),
    (2026, 5, 4, "みどりの日"),
    (2026, 5, 5, "こどもの日"),
    (2026, 5, 6, "休日"),
    (2026, 7, 20, "海の日"),
    (2026, 8, 11, "山の日"),
    (2026, 9, 21, "敬老の日"),
    (2026, 9, 22, "休日"),
    (2026, 9, 23, "秋分の日"),
    (2026, 10, 12, "スポーツの日"),
    (2026, 11, 3, "文化の日"),
    (2026, 11, 23, "勤労感謝の日"),
    (2027, 1, 1, "元日"),
    (2027, 1, 11, "成人の日"),
    (2027, 2, 11, "建国記念の日"),
    (2027, 2, 23, "天皇誕生日"),
    (2027, 3, 21, "春分の日"),
    (2027, 3, 22, "休日"),
    (2027, 4, 29, "昭和の日"),
    (2027, 5, 3, "憲法記念日"),
    (2027, 5, 4, "みどりの日"),
    (2027, 5, 5, "こどもの日"),
    (2027, 7, 19, "海の日"),
    (2027, 8, 11, "山の日"),
    (2027, 9, 20, "敬老の日"),
    (2027, 9, 23, "秋分の日"),
    (2027, 10, 11, "スポーツの日"),
    (2027, 11, 3, "文化の日"),
    (2027, 11, 23, "勤労感謝の日"),
];

pub const FIRST_YEAR: i32 = 2023;
pub const LAST_YEAR: i32 = 2027;

/// Whether the table covers the year of `d`.
pub fn covers(d: NaiveDate) -> bool {
    use chrono::Datelike;
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

pub fn holiday_name(d: NaiveDate) -> Option<&'static str> {
    use chrono::Datelike;
    let key = (d.year(), d.month(), d.day());
    TABLE
        .binary_search_by(|&(y, m, dd, _)| (y, m, dd).cmp(&key))
        .ok()
        .map(|i| TABLE[i].3)
}

pub fn is_holiday(d: NaiveDate) -> bool {
    holiday_name(d).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Duration, Weekday};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn table_is_sorted_and_dates_exist() {
        for w in TABLE.windows(2) {
            assert!(
                (w[0].0, w[0].1, w[0].2) < (w[1].0, w[1].1, w[1].2),
                "{:?}",
                w
            );
        }
        for &(y, m, d, _) in TABLE {
            assert!(NaiveDate::from_ymd_opt(y, m, d).is_some());
        }
    }

    /// Art. 3(2): a holiday on a Sunday moves the day off to the next day that is not a holiday;
    /// Art. 3(3): a day between two holidays is a day off. Every 休日 entry must be explained by one of
    /// these, and every Sunday holiday must have its substitute.
    fn check_year(year: i32, named: usize, days_off: usize) {
        let rows: Vec<_> = TABLE.iter().filter(|r| r.0 == year).collect();
        assert_eq!(
            rows.iter().filter(|r| r.3 != "休日").count(),
            named,
            "{year}: named holidays"
        );
        assert_eq!(rows.len(), days_off, "{year}: all days off");
        for r in &rows {
            let d = date(r.0, r.1, r.2);
            if r.3 == "休日" {
                let prev = d - Duration::days(1);
                let next = d + Duration::days(1);
                let sandwiched = is_holiday(prev) && is_holiday(next);
                let mut back = prev;
                let mut substitute = false;
                while is_holiday(back) {
                    if back.weekday() == Weekday::Sun && holiday_name(back) != Some("休日") {
                        substitute = true;
                    }
                    back -= Duration::days(1);
                }
                assert!(sandwiched || substitute, "{d}: 休日 without reason");
            } else if d.weekday() == Weekday::Sun {
                let mut n = d + Duration::days(1);
                while is_holiday(n) && holiday_name(n) != Some("休日") {
                    n += Duration::days(1);
                }
                assert_eq!(
                    holiday_name(n),
                    Some("休日"),
                    "{d}: Sunday holiday without substitute"
                );
            }
        }
    }

    #[test]
    fn year_2023() {
        check_year(2023, 16, 17);
        assert_eq!(holiday_name(date(2023, 3, 21)), Some("春分の日"));
    }
    #[test]
    fn year_2024() {
        check_year(2024, 16, 21);
        assert_eq!(holiday_name(date(2024, 9, 22)), Some("秋分の日"));
    }
    #[test]
    fn year_2025() {
        // 5/4 みどりの日 falls on a Sunday; 5/5 is a holiday itself, so the day off moves to Tue 5/6.
        check_year(2025, 16, 19);
        assert_eq!(holiday_name(date(2025, 5, 6)), Some("休日"));
    }
    #[test]
    fn year_2026() {
        // 9/22 lies between 敬老の日 and 秋分の日: a 国民の休日.
        check_year(2026, 16, 18);
        assert_eq!(holiday_name(date(2026, 9, 22)), Some("休日"));
        assert!(!is_holiday(date(2026, 11, 24)));
    }
    #[test]
    fn year_2027() {
        check_year(2027, 16, 17);
        assert_eq!(holiday_name(date(2027, 3, 22)), Some("休日"));
    }
}

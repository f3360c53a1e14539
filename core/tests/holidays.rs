//! The computed national holidays against published data, day by day.
//!
//! - 1955–2027: the Cabinet Office's list (内閣府「国民の祝日」について, `syukujitsu.csv`), the
//!   authority: `data/syukujitsu.csv` is that file as published (Shift_JIS converted to UTF-8, nothing
//!   else changed; sha256 of the published bytes cec37a74…fe964a, as of August 2026).
//! - 2028–2050: the `@holiday-jp/holiday_jp` npm package, an independent data set used only at test
//!   time. `scripts/test-holidays.sh` dumps it with `tests/js/holiday-jp-dump.mjs` and runs the ignored
//!   test below with `ROEI_HOLIDAY_JP_JSON` naming the dump.
use chrono::{Datelike, NaiveDate, Weekday};
use roei_core::holidays::{
    covers, holiday_basis, holiday_name, is_holiday, HolidayBasis, FIRST_YEAR, GAZETTED_THROUGH,
    LAST_YEAR,
};
use std::collections::BTreeMap;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

fn cabinet_office_list() -> BTreeMap<NaiveDate, String> {
    let text = include_str!("data/syukujitsu.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("国民の祝日・休日月日,国民の祝日・休日名称")
    );
    let mut out = BTreeMap::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let (day, name) = line.split_once(',').expect("date,name");
        let day = NaiveDate::parse_from_str(day, "%Y/%m/%d").expect(day);
        assert!(
            out.insert(day, name.trim().to_string()).is_none(),
            "{day} twice"
        );
    }
    out
}

#[test]
fn rules_match_the_cabinet_office_list_every_day_of_its_range() {
    let list = cabinet_office_list();
    let first = *list.keys().next().unwrap();
    let last = *list.keys().next_back().unwrap();
    assert_eq!(first, date(FIRST_YEAR, 1, 1));
    assert_eq!(
        last.year(),
        GAZETTED_THROUGH,
        "GAZETTED_THROUGH is the list's last year"
    );
    let mut wrong = Vec::new();
    for d in days(first, date(GAZETTED_THROUGH, 12, 31)) {
        let want = list.get(&d).map(String::as_str);
        if holiday_name(d) != want {
            wrong.push(format!(
                "{d}: computed {:?}, list {want:?}",
                holiday_name(d)
            ));
        }
        assert_eq!(holiday_basis(d), HolidayBasis::Gazetted);
    }
    assert!(
        wrong.is_empty(),
        "{} days differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Through 2099 every year has its 16 国民の祝日 (Art. 2 since 2020), every 国民の祝日 on a Sunday is
/// followed by a 休日 after the run of 国民の祝日 it starts (Art. 3(2)), and every 休日 is explained
/// by Art. 3(2) or 3(3).
#[test]
fn every_year_to_2099_follows_article_3() {
    for year in 2022..=LAST_YEAR {
        let mut named = 0;
        for d in days(date(year, 1, 1), date(year, 12, 31)) {
            match holiday_name(d) {
                Some("休日") => {
                    let before = d.pred_opt().unwrap();
                    let sandwiched = is_national(before) && is_national(d.succ_opt().unwrap());
                    let mut back = before;
                    while is_national(back) && back.weekday() != Weekday::Sun {
                        back = back.pred_opt().unwrap();
                    }
                    let substitute = is_national(back) && back.weekday() == Weekday::Sun;
                    assert!(sandwiched || substitute, "{d}: 休日 without a reason");
                }
                Some(_) => {
                    named += 1;
                    if d.weekday() == Weekday::Sun {
                        let mut next = d.succ_opt().unwrap();
                        while is_national(next) {
                            next = next.succ_opt().unwrap();
                        }
                        assert_eq!(holiday_name(next), Some("休日"), "{d}: no 振替休日");
                    }
                }
                None => {}
            }
        }
        assert_eq!(named, 16, "{year}");
    }
}

fn is_national(d: NaiveDate) -> bool {
    holiday_name(d).is_some_and(|n| n != "休日")
}

#[test]
fn only_days_near_a_predicted_equinox_are_predicted() {
    for d in days(date(GAZETTED_THROUGH + 1, 1, 1), date(LAST_YEAR, 12, 31)) {
        let basis = holiday_basis(d);
        let near_equinox = matches!((d.month(), d.day()), (3, 18..=24) | (9, 20..=26));
        assert!(
            basis == HolidayBasis::Computed || (basis == HolidayBasis::Predicted && near_equinox),
            "{d}: {basis:?}"
        );
        if matches!(holiday_name(d), Some("春分の日" | "秋分の日")) {
            assert_eq!(basis, HolidayBasis::Predicted, "{d}");
        }
    }
    assert!(!covers(date(LAST_YEAR + 1, 3, 20)));
    assert_eq!(
        holiday_basis(date(LAST_YEAR + 1, 1, 1)),
        HolidayBasis::Unsupported
    );
    assert!(!is_holiday(date(FIRST_YEAR - 1, 1, 1)));
}

/// Run by `scripts/test-holidays.sh`, which dumps `@holiday-jp/holiday_jp` first.
#[test]
#[ignore = "needs ROEI_HOLIDAY_JP_JSON: run scripts/test-holidays.sh"]
fn rules_match_holiday_jp_every_day_2028_2050() {
    let path = std::env::var("ROEI_HOLIDAY_JP_JSON").expect("ROEI_HOLIDAY_JP_JSON");
    let text = std::fs::read_to_string(&path).expect(&path);
    let dump: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let holidays = dump["holidays"]
        .as_object()
        .expect("holidays: {date: name}");
    let (from, to) = (date(2028, 1, 1), date(2050, 12, 31));
    let theirs: BTreeMap<NaiveDate, &str> = holidays
        .iter()
        .map(|(d, n)| (d.parse().expect(d), n.as_str().expect("name")))
        .filter(|(d, _)| (from..=to).contains(d))
        .collect();
    assert!(theirs.len() > 23 * 16, "the dump covers 2028-2050");
    let mut wrong = Vec::new();
    for d in days(from, to) {
        let ours = holiday_name(d);
        let same = match (ours, theirs.get(&d).copied()) {
            (None, None) => true,
            // holiday_jp names a 振替休日 after its holiday ("山の日 振替休日") and a 国民の休日 "休日".
            (Some("休日"), Some(t)) => t == "休日" || t.ends_with(" 振替休日"),
            (Some(o), Some(t)) => o == t,
            _ => false,
        };
        if !same {
            wrong.push(format!(
                "{d}: ours {ours:?}, holiday_jp {:?}",
                theirs.get(&d)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} days differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

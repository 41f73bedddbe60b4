//! Japanese era dates (和暦): the eras 明治 … 令和, conversion to and from Gregorian dates,
//! parsing the ways documents write them and formatting.
//!
//! Only dates from 明治6年1月1日 (1873-01-01) are converted: Japan adopted the Gregorian
//! calendar that day (明治5年12月3日 of the old calendar became 明治6年1月1日), and earlier dates
//! used the lunisolar calendar (`before_gregorian_calendar`).
//!
//! **Era boundaries are strict.** On the day an era began, only the new era is accepted:
//! 1912-07-30 is 大正元年7月30日, never 明治45年7月30日; 1926-12-25 is 昭和元年12月25日;
//! 1989-01-08 is 平成元年1月8日; 2019-05-01 is 令和元年5月1日.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::text::{echo, normalize, Cursor};
use super::{ymd, CalendarError};

/// Japanese era (元号).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// 明治 (M), converted from 明治6年1月1日 = 1873-01-01 only.
    Meiji,
    /// 大正 (T), from 1912-07-30.
    Taisho,
    /// 昭和 (S), from 1926-12-25.
    Showa,
    /// 平成 (H), from 1989-01-08.
    Heisei,
    /// 令和 (R), from 2019-05-01.
    Reiwa,
}

/// One row of the era table.
struct EraRow {
    era: Era,
    kanji: &'static str,
    letter: char,
    /// Gregorian year of 元年.
    first_year: i32,
    /// First day converted (for 明治: the first Gregorian day, not the era's proclamation).
    start: NaiveDate,
}

/// The era table, oldest first. Each era ends the day before the next one starts.
const ERAS: [EraRow; 5] = [
    EraRow {
        era: Era::Meiji,
        kanji: "明治",
        letter: 'M',
        first_year: 1868,
        start: ymd(1873, 1, 1),
    },
    EraRow {
        era: Era::Taisho,
        kanji: "大正",
        letter: 'T',
        first_year: 1912,
        start: ymd(1912, 7, 30),
    },
    EraRow {
        era: Era::Showa,
        kanji: "昭和",
        letter: 'S',
        first_year: 1926,
        start: ymd(1926, 12, 25),
    },
    EraRow {
        era: Era::Heisei,
        kanji: "平成",
        letter: 'H',
        first_year: 1989,
        start: ymd(1989, 1, 8),
    },
    EraRow {
        era: Era::Reiwa,
        kanji: "令和",
        letter: 'R',
        first_year: 2019,
        start: ymd(2019, 5, 1),
    },
];

/// The first day this module converts: 明治6年1月1日.
pub const FIRST_GREGORIAN_DAY: NaiveDate = ymd(1873, 1, 1);

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    fn index(self) -> usize {
        self as usize
    }

    fn row(self) -> &'static EraRow {
        &ERAS[self.index()]
    }

    /// The era's name in kanji (`令和`).
    pub fn kanji(self) -> &'static str {
        self.row().kanji
    }

    /// The era's initial letter (`R`), as in `R5.11.16`.
    pub fn letter(self) -> char {
        self.row().letter
    }

    /// The Gregorian year of the era's first year (元年): 1868, 1912, 1926, 1989, 2019.
    pub fn first_year(self) -> i32 {
        self.row().first_year
    }

    /// First day converted in this era. For 明治 this is 1873-01-01 (the first Gregorian day),
    /// not the era's start under the old calendar.
    pub fn start(self) -> NaiveDate {
        self.row().start
    }

    /// Last day of the era (inclusive), `None` for the current era.
    pub fn end(self) -> Option<NaiveDate> {
        ERAS.get(self.index() + 1)
            .and_then(|next| next.start.pred_opt())
    }

    /// Whether `date` falls in this era.
    pub fn contains(self, date: NaiveDate) -> bool {
        date >= self.start() && self.end().is_none_or(|end| date <= end)
    }

    /// The era in force on `date` (`None` before 1873-01-01).
    pub fn of(date: NaiveDate) -> Option<Era> {
        ERAS.iter().rev().find(|r| r.start <= date).map(|r| r.era)
    }

    /// The era's range for messages: `2019-05-01 – ` or `1989-01-08 – 2019-04-30`.
    pub(crate) fn range_label(self) -> String {
        match self.end() {
            Some(end) => format!("{} – {}", self.start(), end),
            None => format!("{} – ", self.start()),
        }
    }

    /// The era named by a kanji name or initial letter at the cursor.
    pub(crate) fn eat(cursor: &mut Cursor<'_>) -> Option<Era> {
        ERAS.iter()
            .find(|r| cursor.eat_str(r.kanji) || cursor.eat(r.letter))
            .map(|r| r.era)
    }
}

impl fmt::Display for Era {
    /// The kanji name (`令和`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// How to write an era date.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum EraStyle {
    /// `令和5年11月16日`; the first year is written 元年 (`令和元年5月1日`).
    #[default]
    Kanji,
    /// `R5.11.16`; the first year is written 1 (`R1.5.1`), no zero padding.
    Short,
}

/// A date in a Japanese era (和暦): era, era year (1 = 元年), month, day.
///
/// Always a real day inside its era (from 1873-01-01): build it with [`EraDate::new`] or
/// [`to_era_date`]. Serialised as `{ "era": "reiwa", "year": 5, "month": 11, "day": 16 }`;
/// deserialising validates the same way as [`EraDate::new`]. `Display` writes the kanji form.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "EraDateParts", deny_unknown_fields)]
pub struct EraDate {
    era: Era,
    year: u32,
    month: u32,
    day: u32,
}

/// The unvalidated shape of an [`EraDate`] document.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct EraDateParts {
    /// Era.
    era: Era,
    /// Era year, 1 = 元年.
    year: u32,
    /// Month 1–12.
    month: u32,
    /// Day 1–31.
    day: u32,
}

impl TryFrom<EraDateParts> for EraDate {
    type Error = CalendarError;
    fn try_from(p: EraDateParts) -> Result<Self, Self::Error> {
        EraDate::new(p.era, p.year, p.month, p.day)
    }
}

impl EraDate {
    /// Validate an era date: errors `invalid_date` (no such day, or year 0),
    /// `before_gregorian_calendar` (明治1–5年) or `date_outside_era`.
    ///
    /// ```
    /// use tsunagu::calendar::{Era, EraDate};
    /// use tsunagu::Coded;
    /// assert!(EraDate::new(Era::Reiwa, 1, 5, 1).is_ok());
    /// assert_eq!(EraDate::new(Era::Reiwa, 1, 4, 30).unwrap_err().code(), "date_outside_era");
    /// ```
    pub fn new(era: Era, year: u32, month: u32, day: u32) -> Result<Self, CalendarError> {
        let text = EraDate {
            era,
            year,
            month,
            day,
        }
        .format(EraStyle::Kanji);
        resolve(era, year, month, day, &text)?;
        Ok(EraDate {
            era,
            year,
            month,
            day,
        })
    }

    /// The era.
    pub fn era(&self) -> Era {
        self.era
    }
    /// The era year (1 = 元年).
    pub fn year(&self) -> u32 {
        self.year
    }
    /// The month (1–12).
    pub fn month(&self) -> u32 {
        self.month
    }
    /// The day of the month.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// The Gregorian day.
    pub fn to_date(&self) -> NaiveDate {
        // Validated on construction; the fallback is unreachable.
        let year = self.era.first_year() + self.year as i32 - 1;
        NaiveDate::from_ymd_opt(year, self.month, self.day).unwrap_or(self.era.start())
    }

    /// Write in `style`: `令和5年11月16日` / `令和元年5月1日` or `R5.11.16` / `R1.5.1`.
    pub fn format(&self, style: EraStyle) -> String {
        match style {
            EraStyle::Kanji => {
                let year = if self.year == 1 {
                    "元".to_string()
                } else {
                    self.year.to_string()
                };
                format!(
                    "{}{}年{}月{}日",
                    self.era.kanji(),
                    year,
                    self.month,
                    self.day
                )
            }
            EraStyle::Short => format!(
                "{}{}.{}.{}",
                self.era.letter(),
                self.year,
                self.month,
                self.day
            ),
        }
    }
}

impl fmt::Display for EraDate {
    /// The kanji form, `令和5年11月16日`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(EraStyle::Kanji))
    }
}

impl From<EraDate> for NaiveDate {
    fn from(value: EraDate) -> Self {
        value.to_date()
    }
}

/// The Gregorian day of an era date, checking the year, the day and the era's range.
fn resolve(
    era: Era,
    year: u32,
    month: u32,
    day: u32,
    input: &str,
) -> Result<NaiveDate, CalendarError> {
    let invalid = || CalendarError::InvalidDate {
        input: echo(input),
        path: None,
    };
    if year == 0 {
        return Err(invalid());
    }
    let gregorian_year = i32::try_from(year)
        .ok()
        .and_then(|y| era.first_year().checked_add(y - 1))
        .ok_or_else(invalid)?;
    if era == Era::Meiji && gregorian_year < FIRST_GREGORIAN_DAY.year() {
        return Err(CalendarError::BeforeGregorianCalendar {
            input: echo(input),
            path: None,
        });
    }
    if gregorian_year > super::HORIZON.year() {
        return Err(CalendarError::DateBeyondHorizon {
            input: echo(input),
            path: None,
        });
    }
    let date = NaiveDate::from_ymd_opt(gregorian_year, month, day).ok_or_else(invalid)?;
    if !era.contains(date) {
        return Err(CalendarError::DateOutsideEra {
            era,
            date,
            input: echo(input),
            path: None,
        });
    }
    Ok(date)
}

/// Parse a date as Japanese documents write it.
///
/// Accepted forms (after normalisation: full-width digits, letters and punctuation become ASCII,
/// all spaces are ignored, letters may be lower case, dash look-alikes count as `-`):
///
/// * kanji era: `令和5年11月16日`, `令和元年5月1日`, `平成三十一年四月三十日` (kanji numerals);
/// * letter era: `R5.11.16`, `H31.4.30`, `S58.4.1`, `m6/1/1`, `t1-7-30`; the two separators must
///   be the same; `元` is accepted as the year (`R元.5.1`); era kanji with separators
///   (`令和5.11.16`) and letters with 年月日 (`R5年11月16日`) are accepted too;
/// * Gregorian (西暦), because forms mix both: `2023-11-16`, `2023/11/16`, `2023.11.16`,
///   `2023年11月16日`, with a four-digit year. Gregorian input is taken as written and is not
///   limited to the era range;
/// * any of these followed by the weekday in brackets, as letters and notices often add:
///   `令和5年11月16日（木）`, `R5.11.16(木曜日)`. The weekday must be the date's.
///
/// Errors: `unparseable_era_date` (no accepted form), `invalid_date` (2月30日, year 0),
/// `before_gregorian_calendar` (明治1–5年) and `date_outside_era` (令和1年4月30日,
/// 平成31年5月1日) and `weekday_mismatch` (`令和5年11月16日(金)`). The error message echoes the input, truncated to 32 characters.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::parse_era_date;
/// use tsunagu::Coded;
/// let want = NaiveDate::from_ymd_opt(2023, 11, 16).unwrap();
/// assert_eq!(parse_era_date("令和5年11月16日"), Ok(want));
/// assert_eq!(parse_era_date("Ｒ５．１１．１６"), Ok(want));
/// assert_eq!(parse_era_date("2023-11-16"), Ok(want));
/// assert_eq!(parse_era_date("平成31年5月1日").unwrap_err().code(), "date_outside_era");
/// ```
pub fn parse_era_date(input: &str) -> Result<NaiveDate, CalendarError> {
    let chars = normalize(input);
    let mut cur = Cursor::new(&chars);
    let unparseable = || CalendarError::UnparseableEraDate {
        input: echo(input),
        path: None,
    };
    match Era::eat(&mut cur) {
        Some(era) => {
            let year = if cur.eat('元') {
                1
            } else {
                cur.number().ok_or_else(unparseable)?.0
            };
            let (month, day, weekday) = month_day(&mut cur).ok_or_else(unparseable)?;
            check_weekday(resolve(era, year, month, day, input)?, weekday, input)
        }
        None => {
            let (year, len) = cur.number().ok_or_else(unparseable)?;
            if len != 4 {
                return Err(unparseable());
            }
            let (month, day, weekday) = month_day(&mut cur).ok_or_else(unparseable)?;
            let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(
                CalendarError::InvalidDate {
                    input: echo(input),
                    path: None,
                },
            )?;
            check_weekday(date, weekday, input)
        }
    }
}

/// Weekday kanji, Monday first (as [`chrono::Weekday::num_days_from_monday`]).
const WEEKDAYS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

/// The stated weekday, if any, must be the date's (`weekday_mismatch`).
fn check_weekday(
    date: NaiveDate,
    weekday: Option<usize>,
    input: &str,
) -> Result<NaiveDate, CalendarError> {
    match weekday {
        Some(w) if w != date.weekday().num_days_from_monday() as usize => {
            Err(CalendarError::WeekdayMismatch {
                date,
                input: echo(input),
                path: None,
            })
        }
        _ => Ok(date),
    }
}

/// After the year: `年M月D日` or `<sep>M<sep>D` with the same separator, then an optional
/// weekday in brackets (`(木)`, `(木曜日)`), then the end. Returns the weekday's index from
/// Monday.
fn month_day(cur: &mut Cursor<'_>) -> Option<(u32, u32, Option<usize>)> {
    let (month, day) = if cur.eat('年') {
        let month = cur.number()?.0;
        if !cur.eat('月') {
            return None;
        }
        let day = cur.number()?.0;
        if !cur.eat('日') {
            return None;
        }
        (month, day)
    } else {
        let sep = cur.eat_any(&['.', '/', '-'])?;
        let month = cur.number()?.0;
        if !cur.eat(sep) {
            return None;
        }
        (month, cur.number()?.0)
    };
    let weekday = if cur.eat('(') {
        let c = cur.eat_any(&WEEKDAYS)?;
        if !cur.eat_str("曜日") {
            cur.eat('曜');
        }
        if !cur.eat(')') {
            return None;
        }
        WEEKDAYS.iter().position(|w| *w == c)
    } else {
        None
    };
    cur.at_end().then_some((month, day, weekday))
}

/// The era date of a Gregorian day; `before_gregorian_calendar` before 1873-01-01.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::{to_era_date, Era};
/// let e = to_era_date(NaiveDate::from_ymd_opt(1989, 1, 7).unwrap()).unwrap();
/// assert_eq!((e.era(), e.year()), (Era::Showa, 64));
/// assert_eq!(e.to_string(), "昭和64年1月7日");
/// ```
pub fn to_era_date(date: NaiveDate) -> Result<EraDate, CalendarError> {
    let era = Era::of(date).ok_or_else(|| CalendarError::BeforeGregorianCalendar {
        input: date.to_string(),
        path: None,
    })?;
    Ok(EraDate {
        era,
        year: (date.year() - era.first_year() + 1) as u32,
        month: date.month(),
        day: date.day(),
    })
}

/// Write a Gregorian day as an era date in `style`; `before_gregorian_calendar` before
/// 1873-01-01.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::{format_era_date, EraStyle};
/// let d = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap();
/// assert_eq!(format_era_date(d, EraStyle::Kanji).unwrap(), "令和元年5月1日");
/// assert_eq!(format_era_date(d, EraStyle::Short).unwrap(), "R1.5.1");
/// ```
pub fn format_era_date(date: NaiveDate, style: EraStyle) -> Result<String, CalendarError> {
    Ok(to_era_date(date)?.format(style))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_table_is_contiguous() {
        for pair in Era::ALL.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert_eq!(a.end().unwrap().succ_opt().unwrap(), b.start());
            assert!(a.contains(a.end().unwrap()));
            assert!(!a.contains(b.start()));
            assert_eq!(Era::of(b.start()), Some(b));
            assert_eq!(Era::of(a.end().unwrap()), Some(a));
            // The era's first year is the Gregorian year of its start (明治 aside).
            if b != Era::Meiji {
                assert_eq!(b.first_year(), b.start().year());
            }
        }
        assert_eq!(Era::Reiwa.end(), None);
        assert_eq!(Era::of(d(1872, 12, 31)), None);
        assert_eq!(Era::of(d(1873, 1, 1)), Some(Era::Meiji));
        assert_eq!(Era::Heisei.end(), Some(d(2019, 4, 30)));
        assert_eq!(Era::Showa.end(), Some(d(1989, 1, 7)));
        assert_eq!(Era::Taisho.end(), Some(d(1926, 12, 24)));
        assert_eq!(Era::Meiji.end(), Some(d(1912, 7, 29)));
    }

    #[test]
    fn an_era_year_past_the_horizon_is_a_typed_error() {
        // 令和7981年 is 9999, the last supported year; 令和7982年 and 令和9999年 (12017) are past it.
        assert_eq!(parse_era_date("令和7981年12月31日"), Ok(d(9999, 12, 31)));
        for text in ["令和7982年1月1日", "令和9999年1月1日", "R4294967295.1.1"] {
            let err = parse_era_date(text).unwrap_err();
            assert!(
                matches!(
                    err,
                    CalendarError::DateBeyondHorizon { .. }
                        | CalendarError::UnparseableEraDate { .. }
                ),
                "{text}: {err:?}"
            );
        }
        assert_eq!(
            parse_era_date("令和9999年1月1日").unwrap_err().code(),
            "date_beyond_horizon"
        );
        assert_eq!(
            EraDate::new(Era::Reiwa, 9999, 1, 1).unwrap_err().code(),
            "date_beyond_horizon"
        );
    }

    #[test]
    fn parses_accepted_forms() {
        let table: &[(&str, NaiveDate)] = &[
            ("令和5年11月16日", d(2023, 11, 16)),
            ("令和元年5月1日", d(2019, 5, 1)),
            ("R5.11.16", d(2023, 11, 16)),
            ("H31.4.30", d(2019, 4, 30)),
            ("S58.4.1", d(1983, 4, 1)),
            ("s58.4.1", d(1983, 4, 1)),
            ("S58/4/1", d(1983, 4, 1)),
            ("S58-04-01", d(1983, 4, 1)),
            ("T1.7.30", d(1912, 7, 30)),
            ("t15.12.24", d(1926, 12, 24)),
            ("M6.1.1", d(1873, 1, 1)),
            ("m45.7.29", d(1912, 7, 29)),
            ("明治6年1月1日", d(1873, 1, 1)),
            ("大正元年7月30日", d(1912, 7, 30)),
            ("昭和64年1月7日", d(1989, 1, 7)),
            ("平成元年1月8日", d(1989, 1, 8)),
            ("Ｒ５．１１．１６", d(2023, 11, 16)),
            ("ｒ５／１１／１６", d(2023, 11, 16)),
            ("令和５年１１月１６日", d(2023, 11, 16)),
            ("令和 5 年 11 月 16 日", d(2023, 11, 16)),
            ("\u{3000}令和5年11月16日\u{3000}", d(2023, 11, 16)),
            (" R 5 . 11 . 16 ", d(2023, 11, 16)),
            ("R5ー11ー16", d(2023, 11, 16)),
            ("R元.5.1", d(2019, 5, 1)),
            ("令和5.11.16", d(2023, 11, 16)),
            ("R5年11月16日", d(2023, 11, 16)),
            ("令和五年十一月十六日", d(2023, 11, 16)),
            ("平成三十一年四月三十日", d(2019, 4, 30)),
            ("㋿5年11月16日", d(2023, 11, 16)),
            ("2023-11-16", d(2023, 11, 16)),
            ("2023/11/16", d(2023, 11, 16)),
            ("2023.11.16", d(2023, 11, 16)),
            ("2023年11月16日", d(2023, 11, 16)),
            ("２０２３－１１－１６", d(2023, 11, 16)),
            ("令和5年11月16日（木）", d(2023, 11, 16)),
            ("令和5年11月16日 (木曜日)", d(2023, 11, 16)),
            ("R5.11.16(木曜)", d(2023, 11, 16)),
            ("2023-11-16(木)", d(2023, 11, 16)),
        ];
        for (text, want) in table {
            assert_eq!(parse_era_date(text), Ok(*want), "{text}");
        }
    }

    #[test]
    fn rejects_with_codes() {
        let table: &[(&str, &str)] = &[
            ("令和1年4月30日", "date_outside_era"),
            ("令和元年4月30日", "date_outside_era"),
            ("平成31年5月1日", "date_outside_era"),
            ("H32.1.1", "date_outside_era"),
            ("S64.1.8", "date_outside_era"),
            ("明治45年7月30日", "date_outside_era"),
            ("大正15年12月25日", "date_outside_era"),
            ("令和5年2月30日", "invalid_date"),
            ("R5.2.29", "invalid_date"),
            ("R5.13.1", "invalid_date"),
            ("R0.5.1", "invalid_date"),
            ("2023-02-30", "invalid_date"),
            ("明治5年12月2日", "before_gregorian_calendar"),
            ("M1.1.1", "before_gregorian_calendar"),
            ("", "unparseable_era_date"),
            ("tomorrow", "unparseable_era_date"),
            ("R5.11/16", "unparseable_era_date"),
            ("R5.11", "unparseable_era_date"),
            ("令和5年11月16", "unparseable_era_date"),
            ("令和5年11月16日です", "unparseable_era_date"),
            ("23-11-16", "unparseable_era_date"),
            ("X5.11.16", "unparseable_era_date"),
            ("R12345.1.1", "unparseable_era_date"),
            ("令和5年11月16日(金)", "weekday_mismatch"),
            ("2023-11-16(日)", "weekday_mismatch"),
            ("令和5年11月16日(x)", "unparseable_era_date"),
            ("令和5年11月16日(木", "unparseable_era_date"),
            ("令和5年2月30日(木)", "invalid_date"),
        ];
        for (text, code) in table {
            let err = parse_era_date(text).unwrap_err();
            assert_eq!(err.code(), *code, "{text}: {err}");
        }
    }

    #[test]
    fn outside_era_message_names_era_and_date() {
        let err = parse_era_date("令和1年4月30日").unwrap_err();
        assert_eq!(
            err,
            CalendarError::DateOutsideEra {
                era: Era::Reiwa,
                date: d(2019, 4, 30),
                input: "令和1年4月30日".into(),
                path: None,
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("令和") && msg.contains("2019-04-30") && msg.contains("2019-05-01"));
        let msg = parse_era_date("平成31年5月1日").unwrap_err().to_string();
        assert!(msg.contains("平成") && msg.contains("2019-05-01") && msg.contains("2019-04-30"));
    }

    #[test]
    fn formats_kanji_and_short() {
        let table: &[(NaiveDate, &str, &str)] = &[
            (d(2023, 11, 16), "令和5年11月16日", "R5.11.16"),
            (d(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
            (d(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
            (d(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
            (d(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
            (d(1983, 4, 1), "昭和58年4月1日", "S58.4.1"),
            (d(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
            (d(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
            (d(1873, 1, 1), "明治6年1月1日", "M6.1.1"),
        ];
        for (date, kanji, short) in table {
            assert_eq!(format_era_date(*date, EraStyle::Kanji).unwrap(), *kanji);
            assert_eq!(format_era_date(*date, EraStyle::Short).unwrap(), *short);
            assert_eq!(to_era_date(*date).unwrap().to_string(), *kanji);
        }
        let err = format_era_date(d(1872, 12, 31), EraStyle::Kanji).unwrap_err();
        assert_eq!(err.code(), "before_gregorian_calendar");
    }

    #[test]
    fn era_date_new_and_serde() {
        let e = EraDate::new(Era::Reiwa, 5, 11, 16).unwrap();
        assert_eq!(e.to_date(), d(2023, 11, 16));
        assert_eq!(NaiveDate::from(e), d(2023, 11, 16));
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"era":"reiwa","year":5,"month":11,"day":16}"#);
        assert_eq!(serde_json::from_str::<EraDate>(&json).unwrap(), e);
        let bad = r#"{"era":"heisei","year":31,"month":5,"day":1}"#;
        let err = serde_json::from_str::<EraDate>(bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside"), "{err}");
        let unknown = r#"{"era":"reiwa","year":5,"month":11,"day":16,"x":1}"#;
        assert!(serde_json::from_str::<EraDate>(unknown).is_err());
        assert_eq!(
            EraDate::new(Era::Meiji, 5, 1, 1).unwrap_err().code(),
            "before_gregorian_calendar"
        );
        assert_eq!(
            EraDate::new(Era::Reiwa, 0, 1, 1).unwrap_err().code(),
            "invalid_date"
        );
        assert_eq!(
            EraDate::new(Era::Reiwa, u32::MAX, 1, 1).unwrap_err().code(),
            "invalid_date"
        );
        let schema = serde_json::to_value(schemars::schema_for!(EraDate)).unwrap();
        assert!(schema.to_string().contains("\"era\""));
    }

    fn any_supported_date() -> impl Strategy<Value = NaiveDate> {
        let lo = d(1873, 1, 1).num_days_from_ce();
        let hi = d(2100, 12, 31).num_days_from_ce();
        (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    fn to_full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                c => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn format_parse_round_trips(date in any_supported_date()) {
            for style in [EraStyle::Kanji, EraStyle::Short] {
                let text = format_era_date(date, style).unwrap();
                prop_assert_eq!(parse_era_date(&text), Ok(date), "{}", text);
                prop_assert_eq!(parse_era_date(&to_full_width(&text)), Ok(date), "{}", text);
                prop_assert_eq!(parse_era_date(&text.to_lowercase()), Ok(date), "{}", text);
            }
            let e = to_era_date(date).unwrap();
            prop_assert!(e.era().contains(date));
            prop_assert_eq!(e.to_date(), date);
            prop_assert_eq!(EraDate::new(e.era(), e.year(), e.month(), e.day()), Ok(e));
            prop_assert_eq!(parse_era_date(&date.to_string()), Ok(date));
        }
    }
}

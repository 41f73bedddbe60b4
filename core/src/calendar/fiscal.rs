//! Fiscal year (年度): April 1 – March 31, named by the Gregorian year it starts in
//! ("2020年度" = 令和2年度 = 2020-04-01 … 2021-03-31).
//!
//! **Era label decision.** A fiscal year is labelled with the era in force for the greater part
//! of it, counting the era year of its starting Gregorian year. So the fiscal year that began on
//! 2019-04-01 (in 平成31年) is **令和元年度**, as practitioners and most municipal documents call
//! it after the change (the national budget for it was enacted as 平成31年度); 1988年度 is
//! 昭和63年度 (平成 began on 1989-01-08, with 83 days left); 1926年度 is 大正15年度 (昭和 covered its
//! last 97 days); 1912年度 is 大正元年度. When *parsing*, any era in force on at least one day of
//! the fiscal year is accepted, so 平成31年度 and 令和元年度 both mean 2019年度, while 平成32年度
//! and 昭和64年度 are rejected (`fiscal_year_outside_era`).
//!
//! Supported years: [`FiscalYear::MIN_YEAR`] (1873, the first fiscal year that starts after
//! the Gregorian calendar was adopted) to [`FiscalYear::MAX_YEAR`] (9998).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::era::Era;
use super::text::{echo, normalize, Cursor};
use super::CalendarError;

/// Fiscal year (年度), identified by the Gregorian year it starts in (2020 = 2020-04-01 …
/// 2021-03-31). Serialised as that plain number; deserialising checks the supported range.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::FiscalYear;
/// let fy = FiscalYear::of(NaiveDate::from_ymd_opt(2021, 3, 31).unwrap()).unwrap();
/// assert_eq!(fy.year(), 2020);
/// assert_eq!(fy.label_ja(), "令和2年度");
/// assert_eq!(fy.label_gregorian(), "2020年度");
/// assert_eq!("R2年度".parse::<FiscalYear>(), Ok(fy));
/// assert_eq!(fy.next().unwrap().start(), NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "i32", into = "i32")]
pub struct FiscalYear(i32);

impl schemars::JsonSchema for FiscalYear {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FiscalYear".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Fiscal year (年度), as the Gregorian year it starts in (April 1).",
            "type": "integer",
            "minimum": FiscalYear::MIN_YEAR,
            "maximum": FiscalYear::MAX_YEAR,
        })
    }
}

impl FiscalYear {
    /// First supported starting year: 1873 (明治6年度).
    pub const MIN_YEAR: i32 = 1873;
    /// Last supported starting year: 9998 (its end, 9999-03-31, keeps four-digit years).
    pub const MAX_YEAR: i32 = 9998;
    /// The first supported fiscal year.
    pub const MIN: FiscalYear = FiscalYear(Self::MIN_YEAR);
    /// The last supported fiscal year.
    pub const MAX: FiscalYear = FiscalYear(Self::MAX_YEAR);

    /// The fiscal year starting in April of `year`; `fiscal_year_out_of_range` outside
    /// 1873 ..= 9998.
    pub fn new(year: i32) -> Result<Self, CalendarError> {
        Self::checked(i64::from(year))
    }

    fn checked(year: i64) -> Result<Self, CalendarError> {
        if (i64::from(Self::MIN_YEAR)..=i64::from(Self::MAX_YEAR)).contains(&year) {
            Ok(FiscalYear(year as i32))
        } else {
            Err(CalendarError::FiscalYearOutOfRange { year, path: None })
        }
    }

    /// The fiscal year `date` falls in (January–March belong to the previous year's);
    /// `fiscal_year_out_of_range` outside 1873-04-01 ..= 9999-03-31.
    pub fn of(date: NaiveDate) -> Result<Self, CalendarError> {
        Self::new(start_year_of(date))
    }

    /// The starting Gregorian year.
    pub fn year(self) -> i32 {
        self.0
    }

    /// First day, April 1.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day (inclusive), March 31 of the following year.
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` is in this fiscal year.
    pub fn contains(self, date: NaiveDate) -> bool {
        start_year_of(date) == self.0
    }

    /// The following fiscal year (`None` after [`FiscalYear::MAX`]).
    pub fn next(self) -> Option<Self> {
        Self::new(self.0 + 1).ok()
    }

    /// The previous fiscal year (`None` before [`FiscalYear::MIN`]).
    pub fn prev(self) -> Option<Self> {
        Self::new(self.0 - 1).ok()
    }

    /// The era used for the label and its era year: the era in force for the greater part of
    /// the fiscal year (ties go to the newer era), year counted from the starting Gregorian
    /// year. See the module documentation.
    pub fn era_year(self) -> (Era, u32) {
        let (start, end) = (self.start(), self.end());
        let overlap = |era: Era| -> i64 {
            let from = era.start().max(start);
            let to = era.end().map_or(end, |e| e.min(end));
            (to - from).num_days() + 1
        };
        let era = Era::ALL
            .into_iter()
            .max_by_key(|era| (overlap(*era), *era))
            .unwrap_or(Era::Reiwa);
        (era, (self.0 - era.first_year() + 1) as u32)
    }

    /// The Japanese label: `令和2年度`, `令和元年度` (2019), `平成30年度`.
    pub fn label_ja(self) -> String {
        let (era, year) = self.era_year();
        if year == 1 {
            format!("{}元年度", era.kanji())
        } else {
            format!("{}{}年度", era.kanji(), year)
        }
    }

    /// The Gregorian label: `2020年度`.
    pub fn label_gregorian(self) -> String {
        format!("{}年度", self.0)
    }
}

/// The starting Gregorian year of the fiscal year containing `date`.
pub(crate) fn start_year_of(date: NaiveDate) -> i32 {
    if date.month() < 4 {
        date.year() - 1
    } else {
        date.year()
    }
}

impl TryFrom<i32> for FiscalYear {
    type Error = CalendarError;
    fn try_from(value: i32) -> Result<Self, Self::Error> {
        FiscalYear::new(value)
    }
}

impl From<FiscalYear> for i32 {
    fn from(value: FiscalYear) -> Self {
        value.0
    }
}

impl fmt::Display for FiscalYear {
    /// The Gregorian label, `2020年度`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_gregorian())
    }
}

impl FromStr for FiscalYear {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fiscal_year(s)
    }
}

/// Parse a fiscal year as documents write it: `令和2年度`, `令和元年度`, `R2年度`, `r2`,
/// `2020年度`, `2020`, `FY2020`, with full-width characters and spaces allowed (as for
/// [`super::parse_era_date`]). The suffix `年度` is optional; a bare `年` is rejected (a
/// calendar year is not a fiscal year). Era labels are accepted for any era in force on at least
/// one day of that fiscal year (`平成31年度` and `令和元年度` are both 2019).
///
/// Errors: `unparseable_fiscal_year`, `fiscal_year_outside_era` (平成32年度, 昭和64年度, 令和0年度),
/// `fiscal_year_out_of_range` (before 1873 or after 9998).
///
/// ```
/// use tsunagu::calendar::parse_fiscal_year;
/// use tsunagu::Coded;
/// assert_eq!(parse_fiscal_year("令和2年度").unwrap().year(), 2020);
/// assert_eq!(parse_fiscal_year("平成31年度").unwrap().year(), 2019);
/// assert_eq!(parse_fiscal_year("平成32年度").unwrap_err().code(), "fiscal_year_outside_era");
/// ```
pub fn parse_fiscal_year(input: &str) -> Result<FiscalYear, CalendarError> {
    let chars = normalize(input);
    let mut cur = Cursor::new(&chars);
    let unparseable = || CalendarError::UnparseableFiscalYear {
        input: echo(input),
        path: None,
    };
    let era = Era::eat(&mut cur);
    let fy = match era {
        Some(era) => {
            let n = if cur.eat('元') {
                1
            } else {
                cur.number().ok_or_else(unparseable)?.0
            };
            end_of_label(&mut cur).ok_or_else(unparseable)?;
            let year = era.first_year() + n as i32 - 1;
            let outside = || CalendarError::FiscalYearOutsideEra {
                era,
                year,
                input: echo(input),
                path: None,
            };
            if n == 0 {
                return Err(outside());
            }
            let fy = FiscalYear::new(year)?;
            let in_force = era.start() <= fy.end() && era.end().is_none_or(|e| e >= fy.start());
            if !in_force {
                return Err(outside());
            }
            fy
        }
        None => {
            cur.eat_str("FY");
            let (year, len) = cur.number().ok_or_else(unparseable)?;
            if len != 4 {
                return Err(unparseable());
            }
            end_of_label(&mut cur).ok_or_else(unparseable)?;
            FiscalYear::new(year as i32)?
        }
    };
    Ok(fy)
}

/// An optional `年度`, then the end of the text.
fn end_of_label(cur: &mut Cursor<'_>) -> Option<()> {
    cur.eat_str("年度");
    cur.at_end().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fy(y: i32) -> FiscalYear {
        FiscalYear::new(y).unwrap()
    }

    #[test]
    fn bounds_and_membership() {
        let f = fy(2020);
        assert_eq!(f.start(), d(2020, 4, 1));
        assert_eq!(f.end(), d(2021, 3, 31));
        assert!(f.contains(d(2020, 4, 1)));
        assert!(f.contains(d(2021, 3, 31)));
        assert!(!f.contains(d(2020, 3, 31)));
        assert!(!f.contains(d(2021, 4, 1)));
        assert_eq!(FiscalYear::of(d(2021, 1, 15)), Ok(f));
        assert_eq!(FiscalYear::of(d(2020, 4, 1)), Ok(f));
        assert_eq!(FiscalYear::of(d(2020, 3, 31)), Ok(fy(2019)));
        assert_eq!(f.next(), Some(fy(2021)));
        assert_eq!(f.prev(), Some(fy(2019)));
        assert_eq!(FiscalYear::MAX.next(), None);
        assert_eq!(FiscalYear::MIN.prev(), None);
        assert_eq!(
            FiscalYear::of(d(1873, 3, 31)).unwrap_err().code(),
            "fiscal_year_out_of_range"
        );
        assert_eq!(
            FiscalYear::new(1872).unwrap_err().code(),
            "fiscal_year_out_of_range"
        );
        assert_eq!(
            FiscalYear::new(9999).unwrap_err().code(),
            "fiscal_year_out_of_range"
        );
        // Leap years: FY2023 ends on 2024-03-31 and includes 2024-02-29.
        assert!(fy(2023).contains(d(2024, 2, 29)));
    }

    #[test]
    fn labels() {
        let table: &[(i32, &str)] = &[
            (2020, "令和2年度"),
            (2019, "令和元年度"),
            (2018, "平成30年度"),
            (1989, "平成元年度"),
            (1988, "昭和63年度"),
            (1927, "昭和2年度"),
            (1926, "大正15年度"),
            (1912, "大正元年度"),
            (1911, "明治44年度"),
            (1873, "明治6年度"),
        ];
        for (year, label) in table {
            assert_eq!(fy(*year).label_ja(), *label);
            assert_eq!(parse_fiscal_year(label), Ok(fy(*year)), "{label}");
        }
        assert_eq!(fy(2020).label_gregorian(), "2020年度");
        assert_eq!(fy(2020).to_string(), "2020年度");
        assert_eq!(fy(2019).era_year(), (Era::Reiwa, 1));
    }

    #[test]
    fn parses_accepted_forms() {
        let table: &[(&str, i32)] = &[
            ("令和2年度", 2020),
            ("令和元年度", 2019),
            ("平成31年度", 2019),
            ("R2年度", 2020),
            ("r2", 2020),
            ("R2", 2020),
            ("H30年度", 2018),
            ("2020年度", 2020),
            ("2020", 2020),
            ("FY2020", 2020),
            ("fy 2020", 2020),
            ("２０２０年度", 2020),
            ("Ｒ２年度", 2020),
            ("令和 ２ 年度", 2020),
            ("令和二年度", 2020),
            ("昭和元年度", 1926),
            ("明治45年度", 1912),
            ("昭和63年度", 1988),
        ];
        for (text, year) in table {
            assert_eq!(parse_fiscal_year(text), Ok(fy(*year)), "{text}");
            assert_eq!(text.parse::<FiscalYear>(), Ok(fy(*year)), "{text}");
        }
    }

    #[test]
    fn rejects_with_codes() {
        let table: &[(&str, &str)] = &[
            ("平成32年度", "fiscal_year_outside_era"),
            ("昭和64年度", "fiscal_year_outside_era"),
            ("令和0年度", "fiscal_year_outside_era"),
            ("大正16年度", "fiscal_year_outside_era"),
            ("明治5年度", "fiscal_year_out_of_range"),
            ("1872年度", "fiscal_year_out_of_range"),
            ("9999", "fiscal_year_out_of_range"),
            ("2020年", "unparseable_fiscal_year"),
            ("20年度", "unparseable_fiscal_year"),
            ("", "unparseable_fiscal_year"),
            ("next year", "unparseable_fiscal_year"),
            ("令和2年度分", "unparseable_fiscal_year"),
        ];
        for (text, code) in table {
            let err = parse_fiscal_year(text).unwrap_err();
            assert_eq!(err.code(), *code, "{text}: {err}");
        }
    }

    #[test]
    fn serde_plain_number_with_range() {
        assert_eq!(serde_json::to_string(&fy(2020)).unwrap(), "2020");
        assert_eq!(
            serde_json::from_str::<FiscalYear>("2020").unwrap(),
            fy(2020)
        );
        assert!(serde_json::from_str::<FiscalYear>("1200").is_err());
        assert!(serde_json::from_str::<FiscalYear>("\"2020\"").is_err());
        let schema = serde_json::to_value(schemars::schema_for!(FiscalYear)).unwrap();
        assert_eq!(schema["type"], "integer");
        assert_eq!(schema["minimum"], 1873);
        assert_eq!(schema["maximum"], 9998);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let lo = d(1873, 4, 1).num_days_from_ce();
        let hi = d(9999, 3, 31).num_days_from_ce();
        (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    proptest! {
        #[test]
        fn every_date_in_exactly_one_fiscal_year(date in any_date()) {
            let f = FiscalYear::of(date).unwrap();
            prop_assert!(f.contains(date));
            prop_assert!(f.start() <= date && date <= f.end());
            if let Some(p) = f.prev() { prop_assert!(!p.contains(date)); }
            if let Some(n) = f.next() { prop_assert!(!n.contains(date)); }
        }

        #[test]
        fn fiscal_year_contains_its_bounds(year in FiscalYear::MIN_YEAR..=FiscalYear::MAX_YEAR) {
            let f = fy(year);
            prop_assert!(f.contains(f.start()));
            prop_assert!(f.contains(f.end()));
            prop_assert!(!f.contains(f.start().pred_opt().unwrap()));
            prop_assert!(!f.contains(f.end().succ_opt().unwrap()));
            if let Some(n) = f.next() {
                prop_assert_eq!(f.end().succ_opt().unwrap(), n.start());
            }
            prop_assert_eq!(parse_fiscal_year(&f.label_ja()), Ok(f));
            prop_assert_eq!(parse_fiscal_year(&f.label_gregorian()), Ok(f));
            let (era, n) = f.era_year();
            prop_assert!(n >= 1);
            prop_assert!(era.start() <= f.end() && era.end().is_none_or(|e| e >= f.start()));
        }
    }
}

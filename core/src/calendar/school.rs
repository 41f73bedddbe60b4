//! School stage (学齢・学年) implied by a birth date under the April-2 cohort rule.
//!
//! A child enters elementary school on the first April 1 on or after the 6th birthday
//! (学校教育法17条: 満6歳に達した日の翌日以後における最初の学年の初め; an age is reached the day
//! before the birthday). So a school cohort (学年) runs from April 2 to April 1: a child born on
//! April 1 is in the **older** cohort (born 2017-04-01 → enters 2023-04-01; born 2017-04-02 →
//! enters 2024-04-01).
//!
//! **What this is not:** the stage is the one the cohort is *expected* to be in (学齢相当), not
//! actual enrolment. Grade retention and skipping are very rare in Japan, but high school is not
//! compulsory, and deferred entry (就学猶予) exists; callers that know the actual enrolment record
//! it on the person.
//!
//! **Adult decision:** [`SchoolStage::Adult`] starts on the April 1 after the cohort's expected
//! high-school graduation, i.e. twelve school years after elementary entry, in the school year the
//! person turns 19. Everyone in it is at least 18.

use chrono::{Datelike, NaiveDate};

use super::fiscal::start_year_of;
use super::CalendarError;

macro_rules! grade_type {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "integer",
                    "minimum": 1,
                    "maximum": $max,
                })
            }
        }

        impl $name {
            /// Highest grade.
            pub const MAX: u8 = $max;

            /// Validate a grade; `invalid_grade` outside 1 ..= MAX.
            pub fn new(grade: u8) -> Result<Self, CalendarError> {
                if (1..=Self::MAX).contains(&grade) {
                    Ok($name(grade))
                } else {
                    Err(CalendarError::InvalidGrade { grade, max: Self::MAX, path: None })
                }
            }

            /// The grade number.
            pub fn get(self) -> u8 {
                self.0
            }
        }

        impl TryFrom<u8> for $name {
            type Error = CalendarError;
            fn try_from(value: u8) -> Result<Self, Self::Error> {
                $name::new(value)
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

grade_type! {
    /// Elementary-school grade (小学校の学年), 1–6.
    ElementaryGrade, 6
}

grade_type! {
    /// Junior-high or high-school grade (中学校・高校の学年), 1–3.
    SecondaryGrade, 3
}

/// School stage (学齢相当の段階) of a person on a date, ordered from youngest to oldest.
///
/// Serialised as `{ "stage": "preschool" }`, `{ "stage": "elementary", "grade": 3 }`,
/// `{ "stage": "junior_high", "grade": 1 }`, `{ "stage": "high_school", "grade": 2 }`,
/// `{ "stage": "adult" }`.
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
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
pub enum SchoolStage {
    /// Before elementary school (未就学), including infancy.
    #[serde(rename = "preschool")]
    PreSchool,
    /// Elementary school (小学校), grades 1–6.
    Elementary {
        /// Grade 1–6.
        grade: ElementaryGrade,
    },
    /// Junior high school (中学校), grades 1–3.
    JuniorHigh {
        /// Grade 1–3.
        grade: SecondaryGrade,
    },
    /// High school (高等学校), grades 1–3 (age-equivalent; not compulsory).
    HighSchool {
        /// Grade 1–3.
        grade: SecondaryGrade,
    },
    /// Past high-school age (高校卒業年齢以上): from the April after the cohort's expected
    /// high-school graduation.
    Adult,
}

/// One school stage in school-year order after elementary entry.
struct StageSpan {
    /// School-year index (0 = elementary grade 1) of the stage's first grade.
    first: i32,
    /// Number of grades.
    grades: i32,
    /// Build the stage from a grade already known to be in range.
    make: fn(u8) -> SchoolStage,
}

/// The stages after elementary entry, as data; past the last one is [`SchoolStage::Adult`].
const STAGES: &[StageSpan] = &[
    StageSpan {
        first: 0,
        grades: 6,
        make: |g| SchoolStage::Elementary {
            grade: ElementaryGrade(g),
        },
    },
    StageSpan {
        first: 6,
        grades: 3,
        make: |g| SchoolStage::JuniorHigh {
            grade: SecondaryGrade(g),
        },
    },
    StageSpan {
        first: 9,
        grades: 3,
        make: |g| SchoolStage::HighSchool {
            grade: SecondaryGrade(g),
        },
    },
];

impl SchoolStage {
    /// Elementary school, grade 1–6 (`invalid_grade` otherwise).
    pub fn elementary(grade: u8) -> Result<Self, CalendarError> {
        Ok(SchoolStage::Elementary {
            grade: ElementaryGrade::new(grade)?,
        })
    }

    /// Junior high school, grade 1–3 (`invalid_grade` otherwise).
    pub fn junior_high(grade: u8) -> Result<Self, CalendarError> {
        Ok(SchoolStage::JuniorHigh {
            grade: SecondaryGrade::new(grade)?,
        })
    }

    /// High school, grade 1–3 (`invalid_grade` otherwise).
    pub fn high_school(grade: u8) -> Result<Self, CalendarError> {
        Ok(SchoolStage::HighSchool {
            grade: SecondaryGrade::new(grade)?,
        })
    }

    /// The stage code as serialised: `preschool`, `elementary`, `junior_high`, `high_school`,
    /// `adult`.
    pub fn code(self) -> &'static str {
        match self {
            SchoolStage::PreSchool => "preschool",
            SchoolStage::Elementary { .. } => "elementary",
            SchoolStage::JuniorHigh { .. } => "junior_high",
            SchoolStage::HighSchool { .. } => "high_school",
            SchoolStage::Adult => "adult",
        }
    }

    /// The grade within the stage, where there is one.
    pub fn grade(self) -> Option<u8> {
        match self {
            SchoolStage::Elementary { grade } => Some(grade.get()),
            SchoolStage::JuniorHigh { grade } | SchoolStage::HighSchool { grade } => {
                Some(grade.get())
            }
            SchoolStage::PreSchool | SchoolStage::Adult => None,
        }
    }

    /// Whether the stage is compulsory education (義務教育: elementary and junior high).
    pub fn is_compulsory(self) -> bool {
        matches!(
            self,
            SchoolStage::Elementary { .. } | SchoolStage::JuniorHigh { .. }
        )
    }

    /// Japanese label: `未就学`, `小学3年`, `中学2年`, `高校1年`, `高校卒業年齢以上`.
    pub fn label_ja(self) -> String {
        match self {
            SchoolStage::PreSchool => "未就学".to_string(),
            SchoolStage::Elementary { grade } => format!("小学{}年", grade.get()),
            SchoolStage::JuniorHigh { grade } => format!("中学{}年", grade.get()),
            SchoolStage::HighSchool { grade } => format!("高校{}年", grade.get()),
            SchoolStage::Adult => "高校卒業年齢以上".to_string(),
        }
    }

    /// English label: `preschool`, `elementary grade 3`, `junior high grade 2`,
    /// `high school grade 1`, `past high-school age`.
    pub fn label_en(self) -> String {
        match self {
            SchoolStage::PreSchool => "preschool".to_string(),
            SchoolStage::Elementary { grade } => format!("elementary grade {}", grade.get()),
            SchoolStage::JuniorHigh { grade } => format!("junior high grade {}", grade.get()),
            SchoolStage::HighSchool { grade } => format!("high school grade {}", grade.get()),
            SchoolStage::Adult => "past high-school age".to_string(),
        }
    }
}

/// Starting year of the school year (fiscal year) in which a child born on `birth` enters
/// elementary school: the cohort runs April 2 – April 1, so April 1 births join the older one.
fn entry_year(birth: NaiveDate) -> i32 {
    let cohort = if (birth.month(), birth.day()) <= (4, 1) {
        birth.year() - 1
    } else {
        birth.year()
    };
    cohort + 7
}

/// The day a child born on `birth` enters elementary school (April 1, 就学); `None` only beyond
/// chrono's date range.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::elementary_entry_date;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(elementary_entry_date(d(2017, 4, 1)), Some(d(2023, 4, 1)));
/// assert_eq!(elementary_entry_date(d(2017, 4, 2)), Some(d(2024, 4, 1)));
/// ```
pub fn elementary_entry_date(birth: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(entry_year(birth), 4, 1)
}

/// The school stage of a person born on `birth` on `today`, under the April-2 cohort rule (see
/// the module documentation). Errors with `date_before_birth` when `today` is before `birth`:
/// a birth date in the future is almost always a typing error, and an unborn child has no stage.
///
/// ```
/// use chrono::NaiveDate;
/// use tsunagu::calendar::{school_stage, SchoolStage};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let stage = school_stage(d(2015, 6, 1), d(2023, 11, 16)).unwrap();
/// assert_eq!(stage, SchoolStage::elementary(2).unwrap());
/// assert_eq!(stage.label_ja(), "小学2年");
/// assert_eq!(school_stage(d(2017, 4, 1), d(2023, 4, 1)).unwrap().label_en(), "elementary grade 1");
/// assert_eq!(school_stage(d(2017, 4, 2), d(2023, 4, 1)).unwrap(), SchoolStage::PreSchool);
/// ```
pub fn school_stage(birth: NaiveDate, today: NaiveDate) -> Result<SchoolStage, CalendarError> {
    if today < birth {
        return Err(CalendarError::DateBeforeBirth { path: None });
    }
    let index = start_year_of(today) - entry_year(birth);
    if index < 0 {
        return Ok(SchoolStage::PreSchool);
    }
    Ok(STAGES
        .iter()
        .find(|s| (s.first..s.first + s.grades).contains(&index))
        .map_or(SchoolStage::Adult, |s| {
            (s.make)((index - s.first + 1) as u8)
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn stage(birth: NaiveDate, today: NaiveDate) -> SchoolStage {
        school_stage(birth, today).unwrap()
    }

    #[test]
    fn april_first_and_second_boundary() {
        let (b1, b2) = (d(2017, 4, 1), d(2017, 4, 2));
        assert_eq!(stage(b1, d(2023, 3, 31)), SchoolStage::PreSchool);
        assert_eq!(
            stage(b1, d(2023, 4, 1)),
            SchoolStage::elementary(1).unwrap()
        );
        assert_eq!(stage(b2, d(2023, 4, 1)), SchoolStage::PreSchool);
        assert_eq!(stage(b2, d(2024, 3, 31)), SchoolStage::PreSchool);
        assert_eq!(
            stage(b2, d(2024, 4, 1)),
            SchoolStage::elementary(1).unwrap()
        );
        assert_eq!(elementary_entry_date(b1), Some(d(2023, 4, 1)));
        assert_eq!(elementary_entry_date(b2), Some(d(2024, 4, 1)));
        // Born 2016-04-02 is in the same cohort as 2017-04-01.
        assert_eq!(elementary_entry_date(d(2016, 4, 2)), Some(d(2023, 4, 1)));
        assert_eq!(elementary_entry_date(d(2016, 4, 1)), Some(d(2022, 4, 1)));
        // Leap-day births are ordinary members of their cohort.
        assert_eq!(elementary_entry_date(d(2016, 2, 29)), Some(d(2022, 4, 1)));
    }

    #[test]
    fn stage_table_for_one_child() {
        let b = d(2010, 9, 15); // enters 2017-04-01
        let table: &[(NaiveDate, &str, &str)] = &[
            (d(2010, 9, 15), "未就学", "preschool"),
            (d(2017, 3, 31), "未就学", "preschool"),
            (d(2017, 4, 1), "小学1年", "elementary grade 1"),
            (d(2019, 6, 1), "小学3年", "elementary grade 3"),
            (d(2023, 3, 31), "小学6年", "elementary grade 6"),
            (d(2023, 4, 1), "中学1年", "junior high grade 1"),
            (d(2026, 3, 31), "中学3年", "junior high grade 3"),
            (d(2026, 4, 1), "高校1年", "high school grade 1"),
            (d(2029, 3, 31), "高校3年", "high school grade 3"),
            (d(2029, 4, 1), "高校卒業年齢以上", "past high-school age"),
            (d(2080, 1, 1), "高校卒業年齢以上", "past high-school age"),
        ];
        for (today, ja, en) in table {
            let s = stage(b, *today);
            assert_eq!(s.label_ja(), *ja, "{today}");
            assert_eq!(s.label_en(), *en, "{today}");
        }
        assert!(stage(b, d(2024, 1, 1)).is_compulsory());
        assert!(!stage(b, d(2027, 1, 1)).is_compulsory());
        assert_eq!(stage(b, d(2024, 1, 1)).grade(), Some(1));
        assert_eq!(stage(b, d(2024, 1, 1)).code(), "junior_high");
    }

    #[test]
    fn before_birth_is_an_error() {
        let err = school_stage(d(2020, 5, 5), d(2020, 5, 4)).unwrap_err();
        assert_eq!(err.code(), "date_before_birth");
        assert_eq!(stage(d(2020, 5, 5), d(2020, 5, 5)), SchoolStage::PreSchool);
    }

    #[test]
    fn grades_are_validated() {
        assert_eq!(
            SchoolStage::elementary(0).unwrap_err().code(),
            "invalid_grade"
        );
        assert_eq!(
            SchoolStage::elementary(7).unwrap_err().code(),
            "invalid_grade"
        );
        assert!(SchoolStage::elementary(6).is_ok());
        assert_eq!(
            SchoolStage::junior_high(4).unwrap_err().code(),
            "invalid_grade"
        );
        assert_eq!(
            SchoolStage::high_school(0).unwrap_err().code(),
            "invalid_grade"
        );
        assert!(SchoolStage::high_school(3).is_ok());
    }

    #[test]
    fn serde_shape() {
        let cases: &[(SchoolStage, &str)] = &[
            (SchoolStage::PreSchool, r#"{"stage":"preschool"}"#),
            (
                SchoolStage::elementary(3).unwrap(),
                r#"{"stage":"elementary","grade":3}"#,
            ),
            (
                SchoolStage::junior_high(1).unwrap(),
                r#"{"stage":"junior_high","grade":1}"#,
            ),
            (
                SchoolStage::high_school(2).unwrap(),
                r#"{"stage":"high_school","grade":2}"#,
            ),
            (SchoolStage::Adult, r#"{"stage":"adult"}"#),
        ];
        for (s, json) in cases {
            assert_eq!(serde_json::to_string(s).unwrap(), *json);
            assert_eq!(serde_json::from_str::<SchoolStage>(json).unwrap(), *s);
        }
        for bad in [
            r#"{"stage":"elementary","grade":7}"#,
            r#"{"stage":"junior_high","grade":0}"#,
            r#"{"stage":"elementary"}"#,
            r#"{"stage":"elementary","grade":3,"x":1}"#,
            r#"{"stage":"college"}"#,
        ] {
            assert!(serde_json::from_str::<SchoolStage>(bad).is_err(), "{bad}");
        }
        let schema = serde_json::to_value(schemars::schema_for!(SchoolStage)).unwrap();
        let text = schema.to_string();
        assert!(
            text.contains("junior_high") && text.contains("\"maximum\":6"),
            "{text}"
        );
    }

    fn day(n: i32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(n).unwrap()
    }

    proptest! {
        #[test]
        fn stage_is_monotonic_and_changes_only_on_april_first(
            birth in d(1900, 1, 1).num_days_from_ce()..d(2100, 1, 1).num_days_from_ce(),
            a in 0i32..30_000,
            b in 0i32..30_000,
        ) {
            let birth = day(birth);
            let (lo, hi) = (a.min(b), a.max(b));
            let (t1, t2) = (birth + chrono::Days::new(lo as u64), birth + chrono::Days::new(hi as u64));
            prop_assert!(stage(birth, t1) <= stage(birth, t2));
            if t2 > birth && !(t2.month() == 4 && t2.day() == 1) {
                prop_assert_eq!(stage(birth, t2), stage(birth, t2.pred_opt().unwrap()));
            }
        }

        #[test]
        fn entry_is_first_april_first_on_or_after_sixth_birthday(
            birth in d(1900, 1, 1).num_days_from_ce()..d(2100, 1, 1).num_days_from_ce(),
        ) {
            let birth = day(birth);
            let entry = elementary_entry_date(birth).unwrap();
            prop_assert_eq!((entry.month(), entry.day()), (4, 1));
            // Reached 6 (満6歳) the day before entry at the latest, and not a year earlier.
            prop_assert!(crate::calendar::age_on(birth, entry).unwrap() >= 6);
            let year_before = NaiveDate::from_ymd_opt(entry.year() - 1, 4, 1).unwrap();
            prop_assert!(crate::calendar::age_on(birth, year_before).unwrap() < 6);
            prop_assert_eq!(stage(birth, entry), SchoolStage::elementary(1).unwrap());
            prop_assert_eq!(stage(birth, entry.pred_opt().unwrap()), SchoolStage::PreSchool);
        }
    }
}

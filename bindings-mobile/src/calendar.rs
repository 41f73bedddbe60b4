//! Japanese era dates (和暦) and fiscal years (年度).

use crate::date::IsoDate;
use crate::error::Result;
use tsunagu::calendar as c;
use tsunagu::calendar::EraStyle;

/// A date in an era.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EraDate {
    /// Era code (`reiwa`, `heisei`, `showa`, `taisho`, `meiji`).
    pub era: String,
    /// Era name in kanji (`令和`).
    pub era_kanji: String,
    /// Era year (1 = 元年).
    pub year: u32,
    /// Month.
    pub month: u32,
    /// Day.
    pub day: u32,
    /// Kanji form (`令和5年11月16日`).
    pub text: String,
}

/// A fiscal year (年度, April to March).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FiscalYearInfo {
    /// Gregorian year it starts in.
    pub year: i32,
    /// First day (1 April).
    pub start: IsoDate,
    /// Last day (31 March).
    pub end: IsoDate,
    /// Japanese label (`令和5年度`).
    pub label_ja: String,
    /// Gregorian label (`2023年度`).
    pub label_gregorian: String,
}

/// A school stage (学齢) on a date: `preschool`, `elementary`, `junior_high`, `high_school`,
/// `beyond_school` … and the grade where there is one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SchoolStageInfo {
    /// Stage code.
    pub stage: String,
    /// Grade within the stage.
    pub grade: Option<u32>,
}

/// Age in whole years on `today` (`None` when today is before the birth date).
#[uniffi::export]
pub fn age_on(birth_date: IsoDate, today: IsoDate) -> Result<Option<u32>> {
    crate::guard::guarded(|| {
        Ok(c::age_on(
            birth_date.get("$.birth_date")?,
            today.get("$.today")?,
        ))
    })
}

/// School stage on `today` by the April cohort rule.
#[uniffi::export]
pub fn school_stage(birth_date: IsoDate, today: IsoDate) -> Result<SchoolStageInfo> {
    crate::guard::guarded(|| {
        let s = c::school_stage(birth_date.get("$.birth_date")?, today.get("$.today")?)?;
        let v = serde_json::to_value(s).unwrap_or_default();
        Ok(SchoolStageInfo {
            stage: v["stage"].as_str().unwrap_or_default().to_string(),
            grade: v["grade"].as_u64().map(|g| g as u32),
        })
    })
}

/// Parse a fiscal year (`令和5年度`, `2023年度`, `R5年度` …) into its starting Gregorian year.
#[uniffi::export]
pub fn parse_fiscal_year(text: String) -> Result<i32> {
    crate::guard::guarded(|| Ok(c::parse_fiscal_year(&text)?.year()))
}

/// Parse an era date (`令和5年11月16日`, `R5.11.16`, `令和元年5月1日` …) into a calendar date.
#[uniffi::export]
pub fn parse_era_date(text: String) -> Result<IsoDate> {
    crate::guard::guarded(|| Ok(c::parse_era_date(&text)?.into()))
}

/// Write a date as an era date.
#[uniffi::export]
pub fn format_era_date(date: IsoDate, style: EraStyle) -> Result<String> {
    crate::guard::guarded(|| Ok(c::format_era_date(date.get("$.date")?, style)?))
}

/// The era date of a calendar date.
#[uniffi::export]
pub fn to_era_date(date: IsoDate) -> Result<EraDate> {
    crate::guard::guarded(|| {
        let e = c::to_era_date(date.get("$.date")?)?;
        Ok(EraDate {
            era: serde_json::to_value(e.era())
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            era_kanji: e.era().kanji().to_string(),
            year: e.year(),
            month: e.month(),
            day: e.day(),
            text: e.format(c::EraStyle::Kanji),
        })
    })
}

/// The fiscal year a date falls in.
#[uniffi::export]
pub fn fiscal_year_of(date: IsoDate) -> Result<FiscalYearInfo> {
    crate::guard::guarded(|| {
        let f = c::FiscalYear::of(date.get("$.date")?)?;
        Ok(FiscalYearInfo {
            year: f.year(),
            start: f.start().into(),
            end: f.end().into(),
            label_ja: f.label_ja(),
            label_gregorian: f.label_gregorian(),
        })
    })
}

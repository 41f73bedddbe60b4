//! Calendar helpers (暦): era dates (和暦), fiscal years (年度), ages and school stages.
//! Dates cross the boundary as ISO strings (`"2023-11-16"`).

use crate::convert::{date, from_js_or_default, text as string, to_js_value};
use crate::error::{to_js, JsResult};
use serde::Serialize;
use tsunagu::calendar::{self, EraStyle, FiscalYear};
use wasm_bindgen::prelude::*;

/// Parse a Japanese or ISO date (`令和5年11月16日`, `R5.11.16`, `S58.4.1` …) into an ISO date.
///
/// Codes: `unparseable_era_date`, `invalid_date`, `date_outside_era`, `before_gregorian_calendar`
/// and the other calendar codes.
#[wasm_bindgen(js_name = parseEraDate)]
pub fn parse_era_date(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult<String> {
    calendar::parse_era_date(&string(&text, "text")?)
        .map(|d| d.to_string())
        .map_err(to_js)
}

/// Write an ISO date in an era: style `"kanji"` (default, `令和5年11月16日`) or `"short"`
/// (`R5.11.16`).
///
/// Codes: `malformed_document` (bad date or style), `before_gregorian_calendar`.
#[wasm_bindgen(js_name = formatEraDate)]
pub fn format_era_date(
    #[wasm_bindgen(unchecked_param_type = "string")] date_iso: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EraStyle | undefined")] style: JsValue,
) -> JsResult<String> {
    let style: EraStyle = from_js_or_default(style, "$.style")?;
    calendar::format_era_date(date(&date_iso, "date")?, style).map_err(to_js)
}

/// An ISO date as `{ era, year, month, day }` (year 1 = 元年).
#[wasm_bindgen(js_name = toEraDate, unchecked_return_type = "EraDate")]
pub fn to_era_date(
    #[wasm_bindgen(unchecked_param_type = "string")] date_iso: JsValue,
) -> JsResult<JsValue> {
    let era = calendar::to_era_date(date(&date_iso, "date")?).map_err(to_js)?;
    to_js_value(&era)
}

/// A fiscal year (年度, April 1 – March 31) as JS sees it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FiscalYearInfo {
    /// The Gregorian year it starts in.
    pub year: i32,
    /// First day (April 1), ISO.
    pub start: String,
    /// Last day (March 31), ISO.
    pub end: String,
    /// `令和2年度`.
    pub label_ja: String,
    /// `2020年度`.
    pub label_gregorian: String,
}

impl From<FiscalYear> for FiscalYearInfo {
    fn from(fy: FiscalYear) -> Self {
        FiscalYearInfo {
            year: fy.year(),
            start: fy.start().to_string(),
            end: fy.end().to_string(),
            label_ja: fy.label_ja(),
            label_gregorian: fy.label_gregorian(),
        }
    }
}

/// The fiscal year (April 1 – March 31) containing an ISO date.
///
/// Codes: `malformed_document`, `fiscal_year_out_of_range`.
#[wasm_bindgen(js_name = fiscalYearOf, unchecked_return_type = "FiscalYearInfo")]
pub fn fiscal_year_of(
    #[wasm_bindgen(unchecked_param_type = "string")] date_iso: JsValue,
) -> JsResult<JsValue> {
    let fy = FiscalYear::of(date(&date_iso, "date")?).map_err(to_js)?;
    to_js_value(&FiscalYearInfo::from(fy))
}

/// Parse a fiscal year as written (`令和2年度`, `R2年度`, `2020年度`).
///
/// Codes: `unparseable_fiscal_year` and the other calendar codes.
#[wasm_bindgen(js_name = parseFiscalYear, unchecked_return_type = "FiscalYearInfo")]
pub fn parse_fiscal_year(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult<JsValue> {
    let fy = calendar::parse_fiscal_year(&string(&text, "text")?).map_err(to_js)?;
    to_js_value(&FiscalYearInfo::from(fy))
}

/// Age in whole years on `today`; `null` when `today` is before the birth date.
#[wasm_bindgen(js_name = ageOn)]
pub fn age_on(
    #[wasm_bindgen(unchecked_param_type = "string")] birth: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
) -> JsResult<Option<u32>> {
    Ok(calendar::age_on(
        date(&birth, "birth")?,
        date(&today, "today")?,
    ))
}

/// School stage (学年) on `today` under the April-2 cohort rule: `{ stage, grade? }`.
///
/// Codes: `malformed_document`, `date_before_birth` and the other calendar codes.
#[wasm_bindgen(js_name = schoolStage, unchecked_return_type = "SchoolStage")]
pub fn school_stage(
    #[wasm_bindgen(unchecked_param_type = "string")] birth: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
) -> JsResult<JsValue> {
    let stage =
        calendar::school_stage(date(&birth, "birth")?, date(&today, "today")?).map_err(to_js)?;
    to_js_value(&stage)
}

//! Annual report (実績報告) from journal events: the core's `stats::annual_report`, nothing
//! computed here. Events are the core's `Event` objects (`{ on, command }`) as the registry
//! records them (`registry.events()`), or read back from a journal.

use crate::convert::{from_js, from_js_or_default, to_js_value};
use crate::error::{malformed, to_js, JsResult};
use crate::registry::Registry;
use tsunagu::calendar::{self, FiscalYear};
use tsunagu::registry::Event;
use tsunagu::stats::{self, AgeBands, ReportSettings};
use wasm_bindgen::prelude::*;

/// A fiscal year given as its starting year (`2020`) or as text (`"令和2年度"`, `"R2年度"`,
/// `"2020年度"`).
fn fiscal_year(value: &JsValue) -> JsResult<FiscalYear> {
    if let Some(y) = value.as_f64() {
        if y.fract() != 0.0 || y.abs() > f64::from(i32::MAX) {
            return Err(to_js(malformed(
                "$.fiscal_year".into(),
                format!("expected a whole year, got {y}"),
            )));
        }
        return FiscalYear::new(y as i32).map_err(to_js);
    }
    match value.as_string() {
        Some(text) => calendar::parse_fiscal_year(&text).map_err(to_js),
        None => Err(to_js(malformed(
            "$.fiscal_year".into(),
            "expected a year number or a fiscal-year label such as 令和2年度".into(),
        ))),
    }
}

/// Report settings (`{ age_bands?, network_meeting_types? }`), the age bands validated.
fn settings(value: JsValue) -> JsResult<ReportSettings> {
    let s: ReportSettings = from_js_or_default(value, "$.settings")?;
    AgeBands::new(s.age_bands.bands().to_vec()).map_err(to_js)?;
    Ok(s)
}

fn report(events: &[Event], fy: &JsValue, settings_doc: JsValue) -> JsResult<JsValue> {
    let fy = fiscal_year(fy)?;
    let s = settings(settings_doc)?;
    to_js_value(&stats::annual_report(events, fy, &s).map_err(to_js)?)
}

/// The annual report (実績報告) of a fiscal year from journal events (`Event[]`, in journal
/// order): first consultations, caseload, issues, age bands, plans, closures, referrals, the
/// contact table, case and network meetings. `fiscalYear` is `2020` or `"令和2年度"`;
/// `settings` optionally gives `{ age_bands, network_meeting_types }`.
///
/// Codes: `malformed_document`, the calendar codes (fiscal year), the stats codes (age bands).
#[wasm_bindgen(js_name = annualReport, unchecked_return_type = "AnnualReport")]
pub fn annual_report(
    #[wasm_bindgen(unchecked_param_type = "Event[]")] events: JsValue,
    #[wasm_bindgen(js_name = fiscalYear, unchecked_param_type = "number | string")]
    fiscal_year: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReportSettings | undefined")] settings: JsValue,
) -> JsResult<JsValue> {
    let events: Vec<Event> = from_js(events, "$")?;
    report(&events, &fiscal_year, settings)
}

#[wasm_bindgen]
impl Registry {
    /// The annual report of a fiscal year from this registry's events (as `annualReport`).
    ///
    /// Codes: those of `annualReport`.
    #[wasm_bindgen(js_name = annualReport, unchecked_return_type = "AnnualReport")]
    pub fn annual_report(
        &self,
        #[wasm_bindgen(js_name = fiscalYear, unchecked_param_type = "number | string")]
        fiscal_year: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ReportSettings | undefined")] settings: JsValue,
    ) -> JsResult<JsValue> {
        report(&self.events, &fiscal_year, settings)
    }
}

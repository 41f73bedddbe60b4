//! Annual report (実績報告) from journal events: the core's `stats::annual_report`, nothing
//! computed here. Events are the core's `Event` objects (`{ on, command }`) as the registry
//! records them (`registry.events()`), or read back from a journal.

use crate::convert::{from_js, to_js_value};
use crate::error::{to_js, JsResult};
use crate::registry::{fiscal_year_arg, settings_arg};
use tsunagu::registry::Event;
use wasm_bindgen::prelude::*;

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
    let (fy, s) = (fiscal_year_arg(&fiscal_year)?, settings_arg(settings)?);
    to_js_value(&tsunagu::stats::annual_report(&events, fy, &s).map_err(to_js)?)
}

//! Households (世帯): validation with every problem, and composite-pattern detection (複合課題).

use crate::convert::{date, from_js, from_js_or_default, to_js_value};
use crate::error::{to_js, JsResult};
use crate::Engine;
use serde::Serialize;
use tsunagu::household::{self, Household};
use tsunagu::patterns::PatternSettings;
use tsunagu::Coded;
use wasm_bindgen::prelude::*;

/// One validation problem as a plain record (for showing beside form fields).
#[derive(Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// Stable snake_case code.
    pub code: &'static str,
    /// JSON path of the offending field, or `null`.
    pub path: Option<String>,
    /// Message (ids and codes, never names).
    pub message: String,
}

#[wasm_bindgen]
impl Engine {
    /// Check a household on `today` (ISO date); throws the first problem.
    ///
    /// Codes: `malformed_document` and every household code (`empty_household`,
    /// `duplicate_member`, `multiple_heads`, `age_mismatch`, `unknown_member` …), `unknown_code`.
    #[wasm_bindgen(js_name = validateHousehold)]
    pub fn validate_household(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<()> {
        let h: Household = from_js(household, "$")?;
        household::validate(&h, &self.tax, date(&today, "today")?).map_err(to_js)
    }

    /// Every problem of a household on `today`, in document order (`[]` when valid). A value
    /// that is not a household document at all throws `malformed_document`.
    #[wasm_bindgen(js_name = householdProblems, unchecked_return_type = "Problem[]")]
    pub fn household_problems(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let h: Household = from_js(household, "$")?;
        let problems: Vec<Problem> = household::validate_all(&h, &self.tax, date(&today, "today")?)
            .into_iter()
            .map(|e| Problem {
                code: e.code(),
                path: e.path(),
                message: e.to_string(),
            })
            .collect();
        to_js_value(&problems)
    }

    /// Composite patterns (8050, double care, young carer, multi-problem, isolated, service gap)
    /// found in a valid household on `today`, each with its evidence. `settings` optionally
    /// tunes the thresholds (`PatternSettings`, every field optional).
    ///
    /// Does not validate (call `householdProblems` first); codes: `malformed_document` only.
    #[wasm_bindgen(js_name = detectPatterns, unchecked_return_type = "PatternFinding[]")]
    pub fn detect_patterns(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PatternSettings | undefined")] settings: JsValue,
    ) -> JsResult<JsValue> {
        let h: Household = from_js(household, "$")?;
        let today = date(&today, "today")?;
        let settings: PatternSettings = from_js_or_default(settings, "$.settings")?;
        let found =
            tsunagu::patterns::detect_patterns(&h, &self.tax, &self.directory, &settings, today);
        to_js_value(&found)
    }
}

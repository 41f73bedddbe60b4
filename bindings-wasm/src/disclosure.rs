//! Disclosure (情報提供): preview what an audience (a meeting, an agency) may see of a case,
//! without recording anything.

use crate::convert::{from_js, to_js_value};
use crate::error::{to_js, JsResult};
use crate::registry::Registry;
use serde::Serialize;
use tsunagu::consent::InfoCategory;
use tsunagu::disclosure::{self, CaseView, DisclosureDecision, DisclosureRequest};
use tsunagu::registry::RegistryError;
use wasm_bindgen::prelude::*;

/// A disclosure preview: the decision (level and the basis of every category) and the view the
/// audience would see if every allowed category were shown.
#[derive(Serialize, schemars::JsonSchema)]
pub struct DisclosurePreview {
    /// What may be seen, and why.
    pub decision: DisclosureDecision,
    /// The redacted view of the case's household.
    pub view: CaseView,
}

#[wasm_bindgen]
impl Registry {
    /// Preview a disclosure: decide with the registry's consents and meeting types, and redact
    /// the case's household accordingly. Records nothing (the `disclose` command does).
    ///
    /// Codes: `malformed_document`, `not_found` (case), `unknown_code` (meeting type),
    /// `confidentiality_not_acknowledged`, `personal_info_not_allowed`, `consent_required`.
    #[wasm_bindgen(js_name = previewDisclosure, unchecked_return_type = "DisclosurePreview")]
    pub fn preview_disclosure(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DisclosureRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        let request: DisclosureRequest = from_js(request, "$")?;
        let not_found = || {
            to_js(RegistryError::NotFound {
                entity: "case",
                id: request.case.to_string(),
                path: "$.case".into(),
            })
        };
        let case = self.inner.case(&request.case).ok_or_else(not_found)?;
        let decision =
            disclosure::decide(&request, self.inner.consents(), self.inner.meeting_types())
                .map_err(to_js)?;
        let household = self
            .inner
            .household(case.household())
            .ok_or_else(not_found)?;
        let view = disclosure::redact(
            household,
            &decision,
            &InfoCategory::ALL,
            self.inner.taxonomies(),
        );
        to_js_value(&DisclosurePreview { decision, view })
    }
}

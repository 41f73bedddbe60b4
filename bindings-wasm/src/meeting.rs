//! Meetings (会議): meeting types as data — who may see what, on which legal basis.

use crate::convert::{from_js, text, to_js_value};
use crate::error::{to_js, JsResult};
use crate::Engine;
use serde::Serialize;
use tsunagu::meeting::{MeetingType, MeetingTypesDocument};
use tsunagu::taxonomy::Label;
use wasm_bindgen::prelude::*;

/// A meeting type as looked up by code: the display name (a municipal alias's when the code is
/// one) and the base type whose rules apply (`personal_info`, `legal_basis`, `convened_by`).
#[derive(Serialize, schemars::JsonSchema)]
pub struct MeetingTypeInfo {
    /// The code looked up.
    pub code: String,
    /// Name to display.
    pub label: Label,
    /// The base type (its rules).
    pub base: MeetingType,
}

#[wasm_bindgen]
impl Engine {
    /// Extend the meeting types (municipal aliases such as つながる会議), all or nothing.
    ///
    /// Codes: `malformed_document`, `unknown_code`, `duplicate_code` and the other meeting codes.
    #[wasm_bindgen(js_name = extendMeetingTypes)]
    pub fn extend_meeting_types(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MeetingTypesDocument")] document: JsValue,
    ) -> JsResult<()> {
        let doc: MeetingTypesDocument = from_js(document, "$")?;
        self.meeting_types = self.meeting_types.extended(doc).map_err(to_js)?;
        Ok(())
    }

    /// Every meeting type and alias in force.
    #[wasm_bindgen(js_name = meetingTypes, unchecked_return_type = "MeetingTypesDocument")]
    pub fn meeting_types(&self) -> JsResult<JsValue> {
        to_js_value(self.meeting_types.document())
    }

    /// Look a meeting type (or alias) up by code; `null` when unknown.
    #[wasm_bindgen(js_name = meetingType, unchecked_return_type = "MeetingTypeInfo | null")]
    pub fn meeting_type(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> JsResult<JsValue> {
        let code = text(&code, "code")?;
        let code = code.as_str();
        let info = self
            .meeting_types
            .resolve(&code.into())
            .map(|t| MeetingTypeInfo {
                code: code.to_string(),
                label: t.label(),
                base: t.base.clone(),
            });
        to_js_value(&info)
    }
}

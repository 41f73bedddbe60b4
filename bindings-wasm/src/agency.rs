//! Agencies (関係機関): the directory the engine checks households and routes against.

use crate::convert::{from_js, to_js_value};
use crate::error::{to_js, JsResult};
use crate::Engine;
use tsunagu::agency::{Agency, Directory};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// Replace the agency directory (validated against the taxonomy; on error nothing changes).
    ///
    /// Codes: `malformed_document`, `duplicate_agency`, `unknown_code`, `empty_age_range`.
    #[wasm_bindgen(js_name = setAgencies)]
    pub fn set_agencies(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AgencyDirectory")] agencies: JsValue,
    ) -> JsResult<usize> {
        let list: Vec<Agency> = from_js(agencies, "$")?;
        self.directory = Directory::new(list, &self.tax).map_err(to_js)?;
        self.router = std::cell::OnceCell::new();
        Ok(self.directory.agencies().len())
    }

    /// The agency directory.
    #[wasm_bindgen(unchecked_return_type = "AgencyDirectory")]
    pub fn agencies(&self) -> JsResult<JsValue> {
        to_js_value(&self.directory)
    }
}

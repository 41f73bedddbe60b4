//! Taxonomy (分類): the built-in vocabularies and a municipality's extensions.

use crate::convert::{from_js, to_js_value};
use crate::error::{to_js, JsResult};
use crate::Engine;
use tsunagu::taxonomy::TaxonomyDocument;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// Extend the taxonomy in place, all or nothing (a failed extension changes nothing).
    ///
    /// Codes: `malformed_document`, `duplicate_code`, `unknown_code` and the other taxonomy codes.
    #[wasm_bindgen(js_name = extendTaxonomy)]
    pub fn extend_taxonomy(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TaxonomyDocument")] document: JsValue,
    ) -> JsResult<()> {
        let doc: TaxonomyDocument = from_js(document, "$")?;
        self.tax = self.tax.extended(doc).map_err(to_js)?;
        self.router = std::cell::OnceCell::new();
        Ok(())
    }

    /// The whole taxonomy document (built-ins and extensions merged).
    #[wasm_bindgen(unchecked_return_type = "TaxonomyDocument")]
    pub fn taxonomy(&self) -> JsResult<JsValue> {
        to_js_value(self.tax.document())
    }
}

//! The person master (個人台帳・名寄せ, issue 17) as the registry holds it: search by kana
//! prefix, name, birth date, small area and phone; a person's current record and merge history;
//! 名寄せ candidate pairs; and the core's name and reading match keys and マイナンバー check.
//! Nothing is computed here: each export converts and calls the core.

use crate::convert::{from_js, from_js_or_default, text, to_js_value};
use crate::error::{to_js, JsResult};
use crate::registry::Registry;
use tsunagu::person::{self, CandidateWeights, PersonQuery};
use wasm_bindgen::prelude::*;

/// The match key of a name (kanji; 旧字体・異体字 folded, spaces removed): two names with equal
/// keys are the same name for 名寄せ.
///
/// Codes: `malformed_document` (not a string).
#[wasm_bindgen(js_name = nameKey)]
pub fn name_key(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> JsResult<String> {
    Ok(person::name_key(&text(&name, "name")?))
}

/// The match key of a reading (kana; katakana/hiragana, half/full width and small kana folded).
///
/// Codes: `malformed_document` (not a string).
#[wasm_bindgen(js_name = readingKey)]
pub fn reading_key(
    #[wasm_bindgen(unchecked_param_type = "string")] reading: JsValue,
) -> JsResult<String> {
    Ok(person::reading_key(&text(&reading, "reading")?))
}

/// Whether a text looks like a マイナンバー (12 digits with a valid check digit, spaces and
/// hyphens ignored): a field that does is refused by every command, and a page can warn before.
///
/// Codes: `malformed_document` (not a string).
#[wasm_bindgen(js_name = looksLikeMyNumber)]
pub fn looks_like_my_number(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> JsResult<bool> {
    Ok(person::looks_like_my_number(&text(&value, "text")?))
}

/// The result of `searchPersons`.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct PersonSearchResult {
    /// The current records found, in the index's order.
    pub persons: Vec<person::PersonRecord>,
    /// More persons matched than the query's limit allowed.
    pub truncated: bool,
}

#[wasm_bindgen]
impl Registry {
    /// The current record of a person (`null` when unknown); a merged record's id gives the
    /// surviving person's record (名寄せ).
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(unchecked_return_type = "PersonRecord | null")]
    pub fn person(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<JsValue> {
        let id = text(&id, "id")?;
        to_js_value(&self.book().registry().person(&id.as_str().into()))
    }

    /// Search the person master across all windows (`{reading?, name?, birth_date?,
    /// small_area?, phone?, limit?}`, combinable): the current records and whether the list
    /// was cut at the limit.
    ///
    /// Codes: `malformed_document`, `empty_query` and the other person codes.
    #[wasm_bindgen(js_name = searchPersons, unchecked_return_type = "PersonSearchResult")]
    pub fn search_persons(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PersonQuery")] query: JsValue,
    ) -> JsResult<JsValue> {
        let query: PersonQuery = from_js(query, "$")?;
        let book = self.book();
        let found = book.registry().search_persons(&query).map_err(to_js)?;
        to_js_value(&PersonSearchResult {
            persons: found.persons.into_iter().cloned().collect(),
            truncated: found.truncated,
        })
    }

    /// 名寄せ candidate pairs with scores and reasons, best first (`weights` optional).
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(js_name = duplicateCandidates, unchecked_return_type = "CandidatePair[]")]
    pub fn duplicate_candidates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CandidateWeights | undefined")] weights: JsValue,
    ) -> JsResult<JsValue> {
        let weights: CandidateWeights = from_js_or_default(weights, "$.weights")?;
        to_js_value(&self.book().registry().duplicate_candidates(&weights))
    }

    /// The merges and splits that concern a person.
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(js_name = mergeHistory, unchecked_return_type = "MergeRecord[]")]
    pub fn merge_history(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<JsValue> {
        let id = text(&id, "id")?;
        to_js_value(&self.book().registry().merge_history(&id.as_str().into()))
    }
}

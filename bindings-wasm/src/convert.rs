//! JS value ⇄ Rust value conversion.
//!
//! Values cross as `serde_json::Value`: serde-wasm-bindgen converts between JS and `Value` (one
//! instantiation each way), and serde_json between `Value` and the core's types. This keeps the
//! bundle small (serde-wasm-bindgen instantiated per document type was over half the code) and
//! honours `deny_unknown_fields` (serde-wasm-bindgen reads only the fields a struct names, so an
//! unknown key would pass silently).

use crate::error::{malformed, to_js, JsResult};
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

/// Convert a JS value into `T`. `root` is the JSON path of the argument (`$` for a document,
/// `$.settings` for an options argument); a value of the wrong shape is `malformed_document` at
/// `root`, with serde's message naming the field or variant (as the core's own `from_json`,
/// which reports a line and column instead). Field-level paths would need serde_path_to_error,
/// which doubled the deserialisation code in the bundle.
pub fn from_js<T: DeserializeOwned>(value: JsValue, root: &str) -> JsResult<T> {
    let text = json_text(&value, root)?;
    serde_json::from_str(&text).map_err(|e| to_js(malformed(root.to_string(), e.to_string())))
}

/// The JSON text of a JS value (`JSON.stringify`), for the core's own `from_json` parsers.
pub fn json_text(value: &JsValue, root: &str) -> JsResult<String> {
    let fail = |e: &str| to_js(malformed(root.to_string(), e.to_string()));
    js_sys::JSON::stringify(value)
        .map_err(|_| fail("not representable as JSON"))?
        .as_string()
        .ok_or_else(|| fail("undefined is not a document"))
}

/// Like [`from_js`], but `undefined` / `null` give `T::default()`.
pub fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    root: &str,
) -> JsResult<T> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, root)
    }
}

/// Convert a Rust value into a plain JS value: objects (not `Map`s), `null` for `None`.
pub fn to_js_value<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let fail = |e: String| to_js(malformed("$".into(), e));
    let text = serde_json::to_string(value).map_err(|e| fail(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| fail("unparseable output".into()))
}

/// An ISO date argument (`2023-11-16`); `name` is the argument's name for the error path.
pub fn date(text: &str, name: &str) -> JsResult<NaiveDate> {
    text.parse::<NaiveDate>().map_err(|e| {
        to_js(malformed(
            format!("$.{name}"),
            format!("expected an ISO date (YYYY-MM-DD): {e}"),
        ))
    })
}

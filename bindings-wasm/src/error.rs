//! The one conversion from [`tsunagu::Error`] to a JavaScript `Error`, and the panic guard.
//!
//! Every error reaching JavaScript is a real `Error` whose `name` is `"TsunaguError"`, with a
//! stable snake_case `code` (the core's code, unchanged) and a `path` (the JSON path of the
//! offending field, or `null`). Arguments that do not convert (wrong shape, bad date string) are
//! reported with the core's own `malformed_document` code and the path of the field.
//!
//! **Panics.** `wasm32-unknown-unknown` builds with `panic=abort`: a panic cannot unwind, so
//! `catch_unwind` would catch nothing. Instead (1) every export returns `Result` and the core's
//! paths return typed errors rather than panicking; (2) [`install_panic_guard`] sets a panic hook
//! that asks wasm-bindgen to re-create the instance before the next call
//! (`wasm_bindgen::handler::schedule_reinit`) and throws a `TsunaguError` with code
//! [`INTERNAL_PANIC`] to the caller. The call that panicked fails with that error; the next call
//! runs on a fresh instance (objects such as an `Engine` made before the panic belong to the
//! dead instance and must be made again).

use wasm_bindgen::prelude::*;

/// Code of the error thrown when the core panics (a bug): binding-level, not a core code.
pub const INTERNAL_PANIC: &str = "internal_panic";

/// Result of every export.
pub type JsResult<T> = Result<T, JsValue>;

/// Build the JavaScript error: `name`, `message`, `code`, `path`.
fn js_error(code: &str, message: &str, path: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("TsunaguError");
    let obj: &JsValue = err.as_ref();
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &code.into());
    let path = path.map_or(JsValue::NULL, JsValue::from);
    let _ = js_sys::Reflect::set(obj, &"path".into(), &path);
    err.into()
}

/// The one conversion from the core's error (or any area's error, gathered into it first).
pub fn to_js(err: impl Into<tsunagu::Error>) -> JsValue {
    let err: tsunagu::Error = err.into();
    let js = js_error(err.code(), &err.to_string(), err.path().as_deref());
    // A rule document's problems (every one, each with its code, rule id and path) ride along.
    if let tsunagu::Error::Routing(tsunagu::routing::RoutingError::InvalidRuleDocument {
        problems,
    }) = &err
    {
        let list: Vec<serde_json::Value> = problems
            .iter()
            .map(|p| serde_json::json!({ "code": p.code, "rule": p.rule, "path": p.path }))
            .collect();
        if let Ok(v) = js_sys::JSON::parse(&serde_json::Value::from(list).to_string()) {
            let _ = js_sys::Reflect::set(&js, &"problems".into(), &v);
        }
    }
    js
}

/// A value that did not convert into the expected shape: the core's `malformed_document` error
/// with the JSON path of the field (`$.members[1].relation`).
pub fn malformed(path: String, message: String) -> tsunagu::Error {
    tsunagu::Error::Document(tsunagu::error::DocumentError {
        format: "json",
        path,
        message,
    })
}

/// Install the panic guard (see the module docs). Called once when the module starts.
pub fn install_panic_guard() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::handler::schedule_reinit();
        let message = format!("internal error (panic) in tsunagu: {info}");
        wasm_bindgen::throw_val(js_error(INTERNAL_PANIC, &message, None));
    }));
}

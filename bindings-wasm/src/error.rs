//! The one conversion from [`tsunagu::Error`] to a JavaScript `Error`, and the panic guard.
//!
//! Every error reaching JavaScript is a real `Error` whose `name` is `"TsunaguError"`, with a
//! stable snake_case `code` (the core's code, unchanged), a `path` (the JSON path of the
//! offending field, or `null`) and a `kind` (`invalid`, `not_found`, `transition` …), chosen by
//! one table ([`kind_name`]) from the core's [`ErrorKind`], so a code has the same class family
//! in every binding (checked by `tests/vectors/errors/classes.json`). Arguments that do not convert (wrong shape, bad date string) are
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

use tsunagu::error::ErrorKind;
use wasm_bindgen::prelude::*;

/// Code of the error thrown when the core panics (a bug): binding-level, not a core code.
pub const INTERNAL_PANIC: &str = "internal_panic";

/// Result of every export.
pub type JsResult<T> = Result<T, JsValue>;

/// `kind` of the error thrown when the core panics (a bug).
pub const INTERNAL_KIND: &str = "internal";

/// The one table: the JavaScript `kind` of each kind of error (the `name` is always
/// `"TsunaguError"`).
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Document => "document",
        ErrorKind::RuleDocument => "rule_document",
        ErrorKind::Invalid => "invalid",
        ErrorKind::Rule => "rule",
        ErrorKind::NotFound => "not_found",
        ErrorKind::AlreadyExists => "already_exists",
        ErrorKind::Transition => "transition",
        ErrorKind::Consent => "consent",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Storage => "storage",
    }
}

/// Build the JavaScript error: `name`, `message`, `code`, `path`, `kind`.
fn js_error(code: &str, message: &str, path: Option<&str>, kind: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("TsunaguError");
    let obj: &JsValue = err.as_ref();
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &code.into());
    let path = path.map_or(JsValue::NULL, JsValue::from);
    let _ = js_sys::Reflect::set(obj, &"path".into(), &path);
    let _ = js_sys::Reflect::set(obj, &"kind".into(), &kind.into());
    err.into()
}

/// The one conversion from the core's error (or any area's error, gathered into it first).
pub fn to_js(err: impl Into<tsunagu::Error>) -> JsValue {
    let err: tsunagu::Error = err.into();
    let js = js_error(
        err.code(),
        &err.to_string(),
        err.path().as_deref(),
        kind_name(err.kind()),
    );
    // Every problem of a rule document, an access policy (each with its code, rule id and path)
    // or a form definition or submission (code, path of the field, message of codes and ids)
    // rides along as `problems`.
    if let Some(list) = problems(&err) {
        if let Ok(v) = js_sys::JSON::parse(&serde_json::Value::from(list).to_string()) {
            let _ = js_sys::Reflect::set(&js, &"problems".into(), &v);
        }
    }
    js
}

/// The problems an error carries, when it is one that lists every problem.
fn problems(err: &tsunagu::Error) -> Option<Vec<serde_json::Value>> {
    use serde_json::json;
    match err {
        tsunagu::Error::Routing(tsunagu::routing::RoutingError::InvalidRuleDocument {
            problems,
        }) => Some(
            problems
                .iter()
                .map(|p| json!({ "code": p.code, "rule": p.rule, "path": p.path }))
                .collect(),
        ),
        #[cfg(feature = "records")]
        tsunagu::Error::Access(tsunagu::access::AccessError::InvalidPolicy { problems }) => Some(
            problems
                .iter()
                .map(|p| json!({ "code": p.code, "rule": p.rule, "path": p.path }))
                .collect(),
        ),
        #[cfg(feature = "records")]
        tsunagu::Error::Forms(f) if !f.problems().is_empty() => Some(
            f.problems()
                .iter()
                .map(|p| json!({ "code": p.code, "path": p.path, "message": p.message }))
                .collect(),
        ),
        _ => None,
    }
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
        wasm_bindgen::throw_val(js_error(INTERNAL_PANIC, &message, None, INTERNAL_KIND));
    }));
}

/// `errorForCode(code)`: throw an example error of `code`, built by the core and converted
/// through the one table (for the error-class vector). An unknown code throws a
/// `malformed_document` error.
#[wasm_bindgen(js_name = errorForCode)]
pub fn error_for_code(
    #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
) -> JsResult<()> {
    let code = crate::convert::text(&code, "code")?;
    let code = code.as_str();
    match tsunagu::Error::example(code) {
        Some(e) => Err(to_js(e)),
        None => Err(to_js(malformed(
            "$".into(),
            format!("no error code `{code}`"),
        ))),
    }
}

//! JS value ⇄ Rust value conversion, and the limits that keep hostile input from killing the tab.
//!
//! Values cross as JSON text: `JSON.stringify` on the JS side, serde_json into the core's types
//! (and back with serde_json and `JSON.parse`). This keeps the bundle small (serde-wasm-bindgen
//! instantiated per document type was over half the code) and honours `deny_unknown_fields`.
//!
//! **Hostile input (issue 19).** Every JS value that becomes a document goes through
//! [`json_text`], which never lets a value reach the core or overflow a stack:
//! - a value `JSON.stringify` refuses (a cycle, a `BigInt`, a throwing getter or `toJSON`, a
//!   nesting so deep that the JS stack overflows, a string past the engine's length limit) is
//!   `malformed_document`; the value is then walked (iteratively, never recursively) to name the
//!   cause and its path: `cycle: $.a.b refers back to $.a`, `nesting deeper than 64 levels at
//!   $.a.a…`, `a BigInt at $.n`;
//! - a document nested deeper than [`MAX_DEPTH`] levels is `malformed_document` naming the depth
//!   and the path, before serde sees it (serde_json's own limit is 128; ours is lower so that
//!   the core's deserialisers never run near the wasm stack's end). No document of the core is
//!   nested deeper than about 12 levels, so 64 leaves room for any municipal extension.
//! - `undefined`, a function or a symbol where a document is expected is `malformed_document`.
//!
//! Scalar arguments (dates, ids, codes) go through [`text`], so a number, `null`, a symbol or an
//! object where a string is expected is `malformed_document` at `$.<name>`, never a `TypeError`
//! thrown by the glue.

use crate::error::{malformed, to_js, JsResult};
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// The deepest nesting of arrays and objects accepted in a document (the root container is
/// level 1).
pub const MAX_DEPTH: usize = 64;

/// Nodes the diagnostic walk visits at most before it gives up naming the cause.
const WALK_BUDGET: usize = 1_000_000;

/// Convert a JS value into `T`. `root` is the JSON path of the argument (`$` for a document,
/// `$.settings` for an options argument); a value of the wrong shape is `malformed_document` at
/// `root`, with serde's message naming the field or variant (as the core's own `from_json`,
/// which reports a line and column instead). Field-level paths would need serde_path_to_error,
/// which doubled the deserialisation code in the bundle.
pub fn from_js<T: DeserializeOwned>(value: JsValue, root: &str) -> JsResult<T> {
    let text = json_text(&value, root)?;
    serde_json::from_str(&text)
        .map_err(|e| to_js(malformed(root.to_string(), redact(&e.to_string()))))
}

/// Longest serde message passed on (a message names a field or variant, never a document).
const MESSAGE_LIMIT: usize = 200;

/// serde's message without the values it quotes: `invalid type: string "山田太郎", expected …`
/// names the person's data, so a quoted string value becomes `a string`; an unknown variant or
/// field (a code the caller wrote) is kept, cut at [`MESSAGE_LIMIT`] characters like the rest.
pub fn redact(message: &str) -> String {
    let mut out = message.to_string();
    if let Some(start) = out.find("invalid type: string \"") {
        if let Some(end) = out.rfind("\", expected") {
            if end > start {
                out.replace_range(start..end + 1, "invalid type: a string");
            }
        }
    }
    if out.chars().count() > MESSAGE_LIMIT {
        out = out.chars().take(MESSAGE_LIMIT).chain("…".chars()).collect();
    }
    out
}

/// The JSON text of a JS value (`JSON.stringify`), for the core's own `from_json` parsers;
/// refuses cycles, values JSON cannot hold and nesting deeper than [`MAX_DEPTH`] (module docs).
pub fn json_text(value: &JsValue, root: &str) -> JsResult<String> {
    let fail = |path: &str, e: &str| to_js(malformed(path.to_string(), e.to_string()));
    if value.is_undefined() || value.is_function() || value.is_symbol() {
        return Err(fail(
            root,
            "expected a document, got undefined, a function or a symbol",
        ));
    }
    let text = match js_sys::JSON::stringify(value) {
        Ok(s) => s.as_string(),
        Err(_) => {
            let (path, why) = diagnose(value, root).unwrap_or_else(|| {
                (
                    root.to_string(),
                    "not representable as JSON (a value JSON.stringify refuses: a throwing \
                     getter or toJSON, or a string past the engine's length limit)"
                        .to_string(),
                )
            });
            return Err(fail(&path, &why));
        }
    };
    let text = text.ok_or_else(|| fail(root, "expected a document, got undefined"))?;
    if text_depth(&text) > MAX_DEPTH {
        let (path, why) =
            diagnose(value, root).unwrap_or_else(|| (root.to_string(), depth_message()));
        return Err(fail(&path, &why));
    }
    Ok(text)
}

fn depth_message() -> String {
    format!("nesting deeper than {MAX_DEPTH} levels")
}

/// The deepest nesting of `[`/`{` in JSON text (outside strings).
fn text_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// One container on the walk: its value, path, and the children left to visit.
struct Frame {
    value: JsValue,
    path: String,
    keys: Vec<String>,
    is_array: bool,
    next: usize,
}

/// Path of a child: `$.a`, `$[3]`, `$["odd key"]`.
fn child_path(parent: &str, key: &str, is_array: bool) -> String {
    if is_array {
        format!("{parent}[{key}]")
    } else if !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit())
    {
        format!("{parent}.{key}")
    } else {
        let quoted = serde_json::Value::from(key).to_string();
        format!("{parent}[{quoted}]")
    }
}

/// Open a container: its indices, or its own string keys.
fn open(value: JsValue, path: String) -> Result<Frame, (String, String)> {
    let is_array = js_sys::Array::is_array(&value);
    let keys = if is_array {
        let array: &js_sys::Array = value.unchecked_ref();
        let len = array.length() as usize;
        (0..len).map(|i| i.to_string()).collect()
    } else {
        // `Reflect.ownKeys` (caught: a proxy's trap may throw) rather than `Object.keys`:
        // non-enumerable keys are walked too, which only widens the search.
        match js_sys::Reflect::own_keys(&value) {
            Ok(keys) => keys.iter().filter_map(|k| k.as_string()).collect(),
            Err(_) => return Err((path, "an object whose keys cannot be read".into())),
        }
    };
    Ok(Frame {
        value,
        path,
        keys,
        is_array,
        next: 0,
    })
}

/// Walk a value (iteratively) for the first cycle, excess depth or value JSON cannot hold;
/// `None` when none is found within [`WALK_BUDGET`] nodes.
fn diagnose(value: &JsValue, root: &str) -> Option<(String, String)> {
    if value.is_bigint() {
        return Some((root.to_string(), "a BigInt, which JSON cannot hold".into()));
    }
    if !value.is_object() {
        return None;
    }
    let mut stack = match open(value.clone(), root.to_string()) {
        Ok(f) => vec![f],
        Err(found) => return Some(found),
    };
    let mut visited = 0usize;
    while let Some(top) = stack.last_mut() {
        if top.next >= top.keys.len() {
            stack.pop();
            continue;
        }
        visited += 1;
        if visited > WALK_BUDGET {
            return None;
        }
        let key = top.keys[top.next].clone();
        top.next += 1;
        let path = child_path(&top.path, &key, top.is_array);
        let child = match js_sys::Reflect::get(&top.value, &JsValue::from_str(&key)) {
            Ok(v) => v,
            Err(_) => return Some((path, "a property whose getter throws".into())),
        };
        if child.is_bigint() {
            return Some((path, "a BigInt, which JSON cannot hold".into()));
        }
        if !child.is_object() || child.is_function() {
            continue;
        }
        if let Some(ancestor) = stack.iter().find(|f| f.value == child) {
            let why = format!("cycle: {path} refers back to {}", ancestor.path);
            return Some((path, why));
        }
        if stack.len() >= MAX_DEPTH {
            return Some((path, depth_message()));
        }
        match open(child, path) {
            Ok(f) => stack.push(f),
            Err(found) => return Some(found),
        }
    }
    None
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

/// A string argument (an id, a code, a date's text): anything else is `malformed_document` at
/// `$.<name>`.
pub fn text(value: &JsValue, name: &str) -> JsResult<String> {
    value.as_string().ok_or_else(|| {
        to_js(malformed(
            format!("$.{name}"),
            format!("expected a string, got {}", type_name(value)),
        ))
    })
}

/// The JS type of a value, for messages (never its content: it may be personal data).
fn type_name(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else if value.is_function() {
        "a function"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_bigint() {
        "a BigInt"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else {
        "an object"
    }
}

/// An ISO date argument (`2023-11-16`); `name` is the argument's name for the error path.
pub fn date(value: &JsValue, name: &str) -> JsResult<NaiveDate> {
    parse_date(&text(value, name)?, name)
}

/// An ISO date in text (`2023-11-16`).
pub fn parse_date(text: &str, name: &str) -> JsResult<NaiveDate> {
    text.parse::<NaiveDate>().map_err(|e| {
        to_js(malformed(
            format!("$.{name}"),
            format!("expected an ISO date (YYYY-MM-DD): {e}"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn quoted_string_values_are_redacted_and_messages_capped() {
        let m =
            r#"invalid type: string "髙橋 由美", expected struct Household at line 1 column 12"#;
        assert_eq!(
            redact(m),
            "invalid type: a string, expected struct Household at line 1 column 12"
        );
        let long = format!("unknown variant `{}`", "x".repeat(1000));
        assert_eq!(redact(&long).chars().count(), 201);
        assert_eq!(redact("missing field `id`"), "missing field `id`");
    }
}

//! Python values ⇄ core documents.

use crate::error::IntoPy;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;
use std::path::PathBuf;
use tsunagu::analysis::{jsonl, JournalFile};
use tsunagu::error::from_json;
use tsunagu::registry::Event;

/// Deepest nesting of containers (dicts, lists, tuples) a document may have: serde_json's
/// recursion limit, which the core's `from_json` applies to every JSON document, so a document
/// built from Python objects is refused where the same document as text would be. Counted as
/// JSON counts it: the outermost container is level 1.
pub const MAX_DEPTH: usize = 128;

/// A document that cannot be converted: `malformed_document` at `path`, with what is wrong
/// (never the value itself: it may be personal data).
fn malformed(path: &[Seg], message: impl Into<String>) -> PyErr {
    crate::error::to_py(tsunagu::Error::Document(tsunagu::error::DocumentError {
        format: "json",
        path: path_text(path),
        message: message.into(),
    }))
}

/// One step of a JSON path.
enum Seg {
    Key(String),
    Index(usize),
}

/// `$.members[2].birth_date`; keys that are not identifiers are quoted (`$["a b"]`).
fn path_text(path: &[Seg]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k)
                if !k.is_empty()
                    && k.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && !k.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                out.push('.');
                out.push_str(k);
            }
            Seg::Key(k) => out.push_str(&format!("[{}]", serde_json::Value::from(k.as_str()))),
        }
    }
    out
}

/// The walk's state: the JSON path from the root, and the ids of the containers on it (a
/// container met again on its own path is a cycle).
struct Walk {
    path: Vec<Seg>,
    open: Vec<usize>,
}

/// A Python object as JSON: dicts, lists, tuples, str, int, float, bool, None, `datetime.date`
/// (ISO string) and enums (their value). Raises `DocumentError` (`malformed_document`, with the
/// JSON path) for nesting deeper than [`MAX_DEPTH`], a container that contains itself, an
/// integer outside `i64`/`u64`, a float that is not finite, a string that is not valid Unicode
/// (a lone surrogate) and an object of any other type. Iterative in Python's terms: no Python
/// code runs except `isoformat()` of a date and `str()` of a non-string dict key.
pub fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut walk = Walk {
        path: Vec::new(),
        open: Vec::new(),
    };
    value(obj, &mut walk)
}

fn text(s: &Bound<'_, PyString>, walk: &Walk) -> PyResult<String> {
    s.to_str().map(str::to_owned).map_err(|_| {
        malformed(
            &walk.path,
            "text that is not valid Unicode (a lone surrogate)",
        )
    })
}

/// Enter a container: check the depth and the cycle, remember it on the path.
fn enter(obj: &Bound<'_, PyAny>, walk: &mut Walk) -> PyResult<()> {
    let id = obj.as_ptr() as usize;
    if walk.open.contains(&id) {
        return Err(malformed(
            &walk.path,
            "a structure that contains itself (a cycle)",
        ));
    }
    if walk.open.len() >= MAX_DEPTH {
        return Err(malformed(
            &walk.path,
            format!("nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    walk.open.push(id);
    Ok(())
}

fn value(obj: &Bound<'_, PyAny>, walk: &mut Walk) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Err(malformed(&walk.path, "an integer outside the 64-bit range"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| malformed(&walk.path, "a number that is not finite (NaN or infinity)"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return text(s, walk).map(Value::String);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        enter(obj, walk)?;
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = match k.cast::<PyString>() {
                Ok(s) => text(s, walk)?,
                Err(_)
                    if k.is_none()
                        || k.cast::<PyBool>().is_ok()
                        || k.cast::<PyInt>().is_ok()
                        || k.cast::<PyFloat>().is_ok() =>
                {
                    match k.str() {
                        Ok(s) => text(&s, walk)?,
                        Err(_) => return Err(malformed(&walk.path, "a key that is not text")),
                    }
                }
                Err(_) => {
                    return Err(malformed(
                        &walk.path,
                        format!("a key of type {} (keys are text)", type_name(&k)),
                    ))
                }
            };
            walk.path.push(Seg::Key(key.clone()));
            let v = value(&v, walk)?;
            walk.path.pop();
            m.insert(key, v);
        }
        walk.open.pop();
        return Ok(Value::Object(m));
    }
    let items = if let Ok(l) = obj.cast::<PyList>() {
        Some(l.iter().collect::<Vec<_>>())
    } else {
        obj.cast::<PyTuple>().ok().map(|t| t.iter().collect())
    };
    if let Some(items) = items {
        enter(obj, walk)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            walk.path.push(Seg::Index(i));
            out.push(value(v, walk)?);
            walk.path.pop();
        }
        walk.open.pop();
        return Ok(Value::Array(out));
    }
    if obj.hasattr("isoformat").unwrap_or(false) && obj.hasattr("year").unwrap_or(false) {
        let iso = obj
            .call_method0("isoformat")
            .and_then(|v| v.extract::<String>())
            .map_err(|_| malformed(&walk.path, "a date whose isoformat() failed"))?;
        return Ok(Value::String(iso));
    }
    if let Ok(v) = obj.getattr("value") {
        if obj.get_type().getattr("__members__").is_ok() {
            // An enum's value is a plain value (not the enum again), so this cannot loop.
            if v.is(obj) {
                return Err(malformed(&walk.path, "an enum whose value is itself"));
            }
            return value(&v, walk);
        }
    }
    Err(malformed(
        &walk.path,
        format!("a value of type {} (not a JSON value)", type_name(obj)),
    ))
}

/// The name of an object's type, for messages (never its value).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Parse a Python object into a core document: a dict/list (converted), or a JSON string.
pub fn document<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        str_arg(s)?
    } else {
        to_json(obj)?.to_string()
    };
    from_json(&text).py()
}

/// A `str` argument as Rust text: a string with a lone surrogate (not valid Unicode) is
/// `malformed_document` at `$`, not Python's `UnicodeEncodeError`.
pub fn str_arg(s: &Bound<'_, PyString>) -> PyResult<String> {
    text(
        s,
        &Walk {
            path: Vec::new(),
            open: Vec::new(),
        },
    )
}

/// A core value as a Python object (dicts, lists, str …).
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Events from a Python object: a list of event dicts, a JSON array or JSON Lines string, or a
/// `pathlib.Path` to a JSON Lines file or an SQLite journal (a `str` is text, never a path).
pub fn events(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = str_arg(s)?;
        return py.detach(|| jsonl::parse_text(&text)).py();
    }
    if let Ok(path) = obj.extract::<PathBuf>() {
        return py
            .detach(|| JournalFile::open(path).and_then(|f| f.events()))
            .py();
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|e| document::<Event>(&e)).collect();
    }
    let it = obj.try_iter()?;
    it.map(|e| document::<Event>(&e?)).collect()
}

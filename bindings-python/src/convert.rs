//! Python values ⇄ core documents.

use crate::error::IntoPy;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;
use std::path::PathBuf;
use tsunagu::analysis::{jsonl, JournalFile};
use tsunagu::error::from_json;
use tsunagu::registry::Event;

/// A Python object as JSON: dicts, lists, tuples, str, int, float, bool, None, `datetime.date`
/// (ISO string) and enums (their value).
pub fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        let v: i64 = i.extract()?;
        return Ok(Value::from(v));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = match k.extract::<String>() {
                Ok(s) => s,
                Err(_) => k.str()?.to_str()?.to_owned(),
            };
            m.insert(key, to_json(&v)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|v| to_json(&v))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|v| to_json(&v))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if obj.hasattr("isoformat")? && obj.hasattr("year")? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if let Ok(v) = obj.getattr("value") {
        if obj.get_type().getattr("__members__").is_ok() {
            return to_json(&v);
        }
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to a JSON document",
        obj.get_type().name()?
    )))
}

/// Parse a Python object into a core document: a dict/list (converted), or a JSON string.
pub fn document<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.to_owned()
    } else {
        to_json(obj)?.to_string()
    };
    from_json(&text).py()
}

/// A core value as a Python object (dicts, lists, str …).
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Events from a Python object: a list of event dicts, a JSON array or JSON Lines string, or a
/// `pathlib.Path` to a JSON Lines file or an SQLite journal (a `str` is text, never a path).
pub fn events(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_str()?.to_owned();
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

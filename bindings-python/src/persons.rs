//! The person master's text functions (名寄せの照合キー): name and reading match keys, and the
//! マイナンバー check. The book's person, timeline and worklist reads are methods of `CaseBook`
//! (book.rs), over the helpers of this module.

use crate::arrow::{record_tables, ArrowTable};
use crate::convert;
use crate::error::IntoPy;
use pyo3::prelude::*;
use serde_json::{Map, Value};
use tsunagu::person::{self, CandidateWeights, PersonQuery};
use tsunagu::record::{TimelineFilter, TimelineSubject};
use tsunagu::registry::Registry;
use tsunagu::worklist::{Worklist, WorklistQuery};

/// The name match key (氏名の照合キー): NFKC, spaces removed, variant kanji (髙→高 …) folded.
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn name_key(text: &str) -> String {
    person::name_key(text)
}

/// The reading match key (よみの照合キー): katakana → hiragana, small kana and long marks folded.
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn reading_key(text: &str) -> String {
    person::reading_key(text)
}

/// Whether two names are the same person's name for 名寄せ (equal name keys).
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn same_name(a: &str, b: &str) -> bool {
    person::name_key(a) == person::name_key(b)
}

/// Whether two readings are the same for 名寄せ (equal reading keys).
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn same_reading(a: &str, b: &str) -> bool {
    person::reading_key(a) == person::reading_key(b)
}

/// Whether a text looks like a マイナンバー (12 digits with a valid check digit): the library
/// refuses to store one.
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn looks_like_my_number(text: &str) -> bool {
    person::looks_like_my_number(text)
}

/// Register the functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(name_key, m)?)?;
    m.add_function(wrap_pyfunction!(reading_key, m)?)?;
    m.add_function(wrap_pyfunction!(same_name, m)?)?;
    m.add_function(wrap_pyfunction!(same_reading, m)?)?;
    m.add_function(wrap_pyfunction!(looks_like_my_number, m)?)?;
    Ok(())
}

// ------------------------------------------------------------------------ the book's reads

/// A core value from JSON built here (an id, a query), through the core's own parser, so a bad
/// value is the core's error with its path.
pub fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> PyResult<T> {
    tsunagu::error::from_json(&v.to_string()).py()
}

/// A person query: a dict / JSON text, or nothing (then the keyword criteria).
pub fn query(obj: Option<&Bound<'_, PyAny>>) -> PyResult<PersonQuery> {
    match obj {
        Some(o) if !o.is_none() => convert::document(o),
        _ => from_value(Value::Object(Map::new())),
    }
}

/// Candidate weights: a dict / JSON text, or the defaults.
pub fn weights(obj: Option<&Bound<'_, PyAny>>) -> PyResult<CandidateWeights> {
    match obj {
        Some(o) if !o.is_none() => convert::document(o),
        _ => Ok(CandidateWeights::default()),
    }
}

/// The subject of a timeline: exactly one of `case` and `person`.
pub fn subject(case: Option<&str>, person: Option<&str>) -> PyResult<TimelineSubject> {
    let v =
        match (case, person) {
            (Some(c), None) => serde_json::json!({ "type": "case", "case": c }),
            (None, Some(p)) => serde_json::json!({ "type": "person", "person": p }),
            _ => return Err(crate::error::to_py(tsunagu::Error::Document(
                tsunagu::error::DocumentError {
                    format: "json",
                    path: "$".into(),
                    message:
                        "a timeline is of a case or of a person: give exactly one of case=, person="
                            .into(),
                },
            ))),
        };
    from_value(v)
}

/// A timeline filter: a dict / JSON text (`kinds`, `from`, `to`, `include_superseded`), or none.
pub fn filter(obj: Option<&Bound<'_, PyAny>>) -> PyResult<TimelineFilter> {
    match obj {
        Some(o) if !o.is_none() => convert::document(o),
        _ => Ok(TimelineFilter::default()),
    }
}

/// A worklist query: `on` is a date (with the keyword criteria) or a whole query dict / JSON.
pub fn worklist_query(
    on: &Bound<'_, PyAny>,
    agency: Option<&str>,
    case: Option<&str>,
    worker: Option<&str>,
    horizon_days: Option<u32>,
) -> PyResult<WorklistQuery> {
    if on.is_none()
        || on.cast::<pyo3::types::PyDict>().is_ok()
        || on.cast::<pyo3::types::PyString>().is_ok()
    {
        return convert::document(on);
    }
    let mut m = Map::new();
    m.insert("on".into(), convert::to_json(on)?);
    for (k, v) in [("agency", agency), ("case", case), ("worker", worker)] {
        if let Some(v) = v {
            m.insert(k.into(), Value::from(v));
        }
    }
    if let Some(h) = horizon_days {
        m.insert("horizon_days".into(), Value::from(h));
    }
    from_value(Value::Object(m))
}

/// The persons table: a search's result, or the whole master (current records, merged ones
/// left out) when there is no query.
pub fn persons_table(reg: &Registry, q: Option<PersonQuery>) -> PyResult<ArrowTable> {
    match q {
        Some(q) => record_tables::persons(reg.search_persons(&q).py()?.persons),
        None => record_tables::persons(
            reg.persons()
                .entries()
                .filter(|e| e.merged_into.is_none())
                .map(|e| &e.record),
        ),
    }
}

/// The worklist table.
pub fn worklist_table(list: &Worklist) -> PyResult<ArrowTable> {
    record_tables::worklist(list)
}

//! Arrow tables of the person master and the case record: persons (a search result or the
//! whole master), 名寄せ candidate pairs, a timeline and a worklist. Each is a fixed list of
//! columns read from the core's own JSON shape of a row (one place that names the columns, so a
//! table and the dicts the same call returns agree): text columns are `Utf8` (a list becomes its
//! items joined by `; `), counts `Int64`, dates `Date32`; absent values are nulls.

use super::{batch, dates, ArrowTable};
use arrow_array::{ArrayRef, Int64Array, StringArray};
use chrono::NaiveDate;
use pyo3::prelude::*;
use serde_json::Value;
use std::sync::Arc;

/// The type of a column.
#[derive(Clone, Copy)]
enum Col {
    /// Text (`Utf8`).
    Text,
    /// A whole number (`Int64`).
    Int,
    /// A calendar date (`Date32`).
    Date,
}

/// Columns: name, JSON pointer into the row, type.
type Spec = &'static [(&'static str, &'static str, Col)];

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(text_of)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Value::Object(m) => m
            .get("code")
            .or_else(|| m.get("kind"))
            .and_then(text_of)
            .or_else(|| Some(v.to_string())),
        other => Some(other.to_string()),
    }
}

/// A table named `name` of `rows` (each serialised by the core) with the columns of `spec`.
fn from_rows(name: &str, spec: Spec, rows: &[Value]) -> PyResult<ArrowTable> {
    let columns: Vec<(&str, ArrayRef)> = spec
        .iter()
        .map(|&(col, ptr, ty)| {
            let cells = rows
                .iter()
                .map(move |r| r.pointer(ptr).unwrap_or(&Value::Null));
            let array: ArrayRef = match ty {
                Col::Text => Arc::new(cells.map(text_of).collect::<StringArray>()),
                Col::Int => Arc::new(cells.map(Value::as_i64).collect::<Int64Array>()),
                Col::Date => dates(cells.map(|v| {
                    v.as_str()
                        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                })),
            };
            (col, array)
        })
        .collect();
    Ok(ArrowTable {
        name: name.into(),
        batch: batch(columns)?,
    })
}

fn rows<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect()
}

const PERSONS: Spec = &[
    ("id", "/id", Col::Text),
    ("name", "/name", Col::Text),
    ("reading", "/reading", Col::Text),
    ("sex", "/sex", Col::Text),
    ("birth_date", "/birth_date", Col::Date),
    ("small_area", "/address/small_area", Col::Text),
    ("phones", "/phones", Col::Text),
];

/// Persons (個人台帳): one row per record — id, name, reading, sex, birth_date, small_area,
/// phones (joined by `; `). The address text and other names stay out of the table.
pub fn persons<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> PyResult<ArrowTable> {
    from_rows("persons", PERSONS, &rows(items))
}

const CANDIDATES: Spec = &[
    ("a", "/a", Col::Text),
    ("b", "/b", Col::Text),
    ("score", "/score", Col::Int),
    ("reasons", "/reasons", Col::Text),
];

/// 名寄せ candidate pairs, best first: a, b, score, reasons (codes joined by `; `).
pub fn candidates<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> PyResult<ArrowTable> {
    from_rows("duplicate_candidates", CANDIDATES, &rows(items))
}

const TIMELINE: Spec = &[
    ("on", "/on", Col::Date),
    ("at", "/at", Col::Text),
    ("kind", "/kind", Col::Text),
    ("code", "/code", Col::Text),
    ("case", "/case", Col::Text),
    ("summary", "/summary", Col::Text),
    ("source", "/source", Col::Text),
    ("superseded_by", "/superseded_by", Col::Text),
];

/// A timeline (経過記録), in its order: on, at, kind, code, case, summary, source,
/// superseded_by.
pub fn timeline<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> PyResult<ArrowTable> {
    from_rows("timeline", TIMELINE, &rows(items))
}

const WORKLIST: Spec = &[
    ("section", "/section", Col::Text),
    ("days_overdue", "/days_overdue", Col::Int),
    ("task", "/task/id", Col::Text),
    ("kind", "/task/kind", Col::Text),
    ("case", "/task/case", Col::Text),
    ("household", "/task/household", Col::Text),
    ("agency", "/task/agency", Col::Text),
    ("worker", "/task/worker", Col::Text),
    ("due_on", "/task/due_on", Col::Date),
];

/// A worklist, most urgent first: section (`overdue`, `due_today`, `due_this_week`),
/// days_overdue, task, kind, case, household, agency, worker, due_on.
pub fn worklist(list: &tsunagu::worklist::Worklist) -> PyResult<ArrowTable> {
    let mut out = Vec::new();
    for (section, entries) in [
        ("overdue", &list.overdue),
        ("due_today", &list.due_today),
        ("due_this_week", &list.due_this_week),
    ] {
        for e in entries {
            let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("section".into(), Value::from(section));
            }
            out.push(v);
        }
    }
    from_rows("worklist", WORKLIST, &out)
}

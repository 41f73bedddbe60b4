//! Conformance-vector runner for the Rust core.
//!
//! A vector (`tests/vectors/<area>/<name>.json`) is
//!
//! ```json
//! { "description": "…",
//!   "given": { "today": "2023-11-16", "agencies": [ … ], "taxonomy": { … } },
//!   "when":  [ { "op": "parse_era_date", "args": { "text": "令和5年11月16日" } } ],
//!   "then":  [ { "ok": "2023-11-16" } ] }
//! ```
//!
//! `then[i]` is the expectation for `when[i]`: `{"ok": v}` (exact JSON equality), `{"match": v}`
//! (every key/element given in `v` equals the output's; arrays must have the same length) or
//! `{"error": {"code": "…", "path": "…"}}` (`path` optional). The same files run from pytest,
//! Node (wasm) and Kotlin/Swift (uniffi) through their own short runners; `ops.md` in
//! `tests/vectors/` lists the operations.

use serde_json::{json, Value};
use tsunagu::Error;

mod access;
mod forms;
mod ops;
mod person;
mod worklist;

/// One failed expectation.
#[derive(Debug)]
pub struct Failure {
    /// File name.
    pub file: String,
    /// Index of the step.
    pub step: usize,
    /// What went wrong.
    pub message: String,
}

/// Outcome of one step: a JSON value or a core error.
pub type StepResult = Result<Value, Error>;

/// Run every step of a vector document and compare with its expectations.
pub fn run_vector(file: &str, doc: &Value) -> Vec<Failure> {
    let mut failures = Vec::new();
    let given = doc.get("given").cloned().unwrap_or(json!({}));
    let when = doc["when"].as_array().cloned().unwrap_or_default();
    let then = doc["then"].as_array().cloned().unwrap_or_default();
    if when.len() != then.len() {
        failures.push(Failure {
            file: file.into(),
            step: 0,
            message: "when/then length differ".into(),
        });
        return failures;
    }
    let mut ctx = ops::Context::new(&given);
    for (i, (step, expect)) in when.iter().zip(then.iter()).enumerate() {
        let op = step["op"].as_str().unwrap_or("");
        let args = step.get("args").cloned().unwrap_or(json!({}));
        let got = match &mut ctx {
            Ok(ctx) => ops::run(ctx, op, &args),
            Err(e) => Err(e.clone()),
        };
        if let Err(message) = check(&got, expect) {
            failures.push(Failure {
                file: file.into(),
                step: i,
                message: format!("op {op}: {message}"),
            });
        }
    }
    failures
}

fn check(got: &StepResult, expect: &Value) -> Result<(), String> {
    if let Some(err) = expect.get("error") {
        return match got {
            Ok(v) => Err(format!("expected error {err}, got {v}")),
            Err(e) => {
                if err["code"].as_str() != Some(e.code()) {
                    return Err(format!(
                        "expected error {}, got {} ({e})",
                        err["code"],
                        e.code()
                    ));
                }
                if let Some(p) = err.get("path") {
                    if p.as_str() != e.path().as_deref() {
                        return Err(format!("expected path {p}, got {:?}", e.path()));
                    }
                }
                if let Some(expected) = err.get("problems") {
                    let got = problems(e);
                    if !subset(expected, &got) {
                        return Err(format!("expected problems {expected}, got {got}"));
                    }
                }
                Ok(())
            }
        };
    }
    let got = match got {
        Ok(v) => v,
        Err(e) => return Err(format!("unexpected error {}: {e}", e.code())),
    };
    if let Some(v) = expect.get("ok") {
        return if v == got {
            Ok(())
        } else {
            Err(format!("expected {v}, got {got}"))
        };
    }
    if let Some(v) = expect.get("match") {
        return if subset(v, got) {
            Ok(())
        } else {
            Err(format!("expected to match {v}, got {got}"))
        };
    }
    Err("expectation has none of ok / match / error".into())
}

/// The problems of an `invalid_rule_document` error, as `[{code, rule, path}]` (else `[]`).
fn problems(e: &Error) -> Value {
    match e {
        Error::Routing(tsunagu::routing::RoutingError::InvalidRuleDocument { problems }) => {
            json!(problems
                .iter()
                .map(|p| json!({ "code": p.code, "rule": p.rule, "path": p.path }))
                .collect::<Vec<_>>())
        }
        Error::Access(tsunagu::access::AccessError::InvalidPolicy { problems }) => {
            json!(problems
                .iter()
                .map(|p| json!({ "code": p.code, "rule": p.rule, "path": p.path }))
                .collect::<Vec<_>>())
        }
        Error::Forms(f) => json!(f
            .problems()
            .iter()
            .map(|p| json!({ "code": p.code, "path": p.path }))
            .collect::<Vec<_>>()),
        _ => json!([]),
    }
}

/// `expected` ⊆ `actual`: objects by key (an expected `null` also matches an absent key), arrays
/// elementwise with equal length, scalars equal.
pub fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, v)| match a.get(k) {
            Some(av) => subset(v, av),
            None => v.is_null(),
        }),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| subset(x, y))
        }
        _ => expected == actual,
    }
}

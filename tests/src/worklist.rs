//! The worklist operation (issue 18, item 5): `worklist` with `query` (a
//! `tsunagu::worklist::WorklistQuery`: `on`, optional `agency`, `case`, `worker`,
//! `horizon_days`) returns the registry's worklist — `{on, overdue, due_today, due_this_week}`,
//! each entry `{days_overdue, task}` — as JSON.

use crate::ops::Context;
use crate::StepResult;
use serde_json::{json, Value};
use tsunagu::error::from_json;
use tsunagu::worklist::WorklistQuery;

/// Run `worklist`.
pub fn worklist(ctx: &Context, args: &Value) -> StepResult {
    let query: WorklistQuery = from_json(&args["query"].to_string())?;
    Ok(json!(ctx.registry.worklist(&query)))
}

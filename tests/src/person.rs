//! Vector operations of the person master (issue 17): name and reading match keys, the
//! マイナンバー check, person search, 名寄せ candidates, a person record and its merge history.
//!
//! | op | args | returns |
//! |---|---|---|
//! | `name_key` / `reading_key` | `text` | the match key |
//! | `same_name` / `same_reading` | `a`, `b` | whether the two keys are equal |
//! | `looks_like_my_number` | `text` | bool |
//! | `search_persons` | `query` (`PersonQuery`) | `{persons: [ids], truncated}` |
//! | `duplicate_candidates` | `weights?` | candidate pairs |
//! | `person` | `id` | the current record `id` resolves to, or `null` |
//! | `merge_history` | `id` | the merges that concern `id` |

use crate::ops::Context;
use crate::StepResult;
use serde_json::{json, Value};
use tsunagu::error::from_json;
use tsunagu::ids::PersonId;
use tsunagu::person::{self, CandidateWeights, PersonQuery};
use tsunagu::Error;

/// The ops this file answers.
pub const OPS: &[&str] = &[
    "name_key",
    "reading_key",
    "same_name",
    "same_reading",
    "looks_like_my_number",
    "search_persons",
    "duplicate_candidates",
    "person",
    "merge_history",
];

fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Error> {
    Ok(from_json(&v.to_string())?)
}

/// Run one person op.
pub fn run(ctx: &mut Context, op: &str, args: &Value) -> StepResult {
    let text = |k: &str| -> Result<String, Error> { de(&args[k]) };
    match op {
        "name_key" => Ok(json!(person::name_key(&text("text")?))),
        "reading_key" => Ok(json!(person::reading_key(&text("text")?))),
        "same_name" => Ok(json!(
            person::name_key(&text("a")?) == person::name_key(&text("b")?)
        )),
        "same_reading" => Ok(json!(
            person::reading_key(&text("a")?) == person::reading_key(&text("b")?)
        )),
        "looks_like_my_number" => Ok(json!(person::looks_like_my_number(&text("text")?))),
        "search_persons" => {
            let q: PersonQuery = de(&args["query"])?;
            let found = ctx.registry.search_persons(&q)?;
            let ids: Vec<&PersonId> = found.persons.iter().map(|p| &p.id).collect();
            Ok(json!({ "persons": ids, "truncated": found.truncated }))
        }
        "duplicate_candidates" => {
            let w: CandidateWeights = match args.get("weights") {
                Some(w) => de(w)?,
                None => CandidateWeights::default(),
            };
            Ok(json!(ctx.registry.duplicate_candidates(&w)))
        }
        "person" => {
            let id: PersonId = de(&args["id"])?;
            Ok(json!(ctx.registry.person(&id)))
        }
        "merge_history" => {
            let id: PersonId = de(&args["id"])?;
            Ok(json!(ctx.registry.merge_history(&id)))
        }
        other => unreachable!("{other} is not a person op"),
    }
}

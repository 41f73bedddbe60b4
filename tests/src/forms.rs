//! The form operations vectors may use (`tests/vectors/forms/`): extending the national forms,
//! checking a form definition, submitting a filled form (the commands it yields) and executing
//! them as one unit.

use crate::ops::Context;
use crate::StepResult;
use chrono::NaiveDate;
use serde_json::{json, Value};
use tsunagu::error::from_json;
use tsunagu::forms::{FormDefinition, FormSet, Submission};
use tsunagu::Error;

fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Error> {
    Ok(from_json(&v.to_string())?)
}

/// Run a form operation.
pub fn run(ctx: &mut Context, op: &str, args: &Value) -> StepResult {
    match op {
        // `{document}` → `{forms}`: the number of forms after the extension.
        "extend_forms" => {
            ctx.forms.extend_json(&args["document"].to_string())?;
            Ok(json!({ "forms": ctx.forms.forms().len() }))
        }
        // `{form}` → `null`, or `invalid_form_definition` with every problem.
        "check_form_definition" => {
            let form: FormDefinition = de(&args["form"])?;
            FormSet::check_definition(&form)?;
            Ok(Value::Null)
        }
        // `{submission, today}` → the commands it yields (not executed).
        "submit_form" => {
            let sub: Submission = de(&args["submission"])?;
            let today: NaiveDate = de(&args["today"])?;
            Ok(json!(ctx.forms.submit(&sub, &ctx.registry, today)?))
        }
        // `{submission, today}` → the receipts: the commands run as one unit (all or nothing).
        "execute_form" => {
            let sub: Submission = de(&args["submission"])?;
            let today: NaiveDate = de(&args["today"])?;
            let commands = ctx.forms.submit(&sub, &ctx.registry, today)?;
            let before = ctx.registry.clone();
            let mut receipts = Vec::new();
            for c in &commands {
                match ctx.registry.execute(c, today) {
                    Ok(r) => receipts.push(r),
                    Err(e) => {
                        ctx.registry = before;
                        return Err(e);
                    }
                }
            }
            Ok(json!(receipts))
        }
        other => Err(Error::Document(tsunagu::error::DocumentError {
            format: "json",
            path: "$.when[].op".into(),
            message: format!("unknown op {other}"),
        })),
    }
}

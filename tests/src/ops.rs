//! The operations vectors may use, mapped onto the core's API.

use crate::StepResult;
use serde_json::{json, Value};
use tsunagu::agency::Directory;
use tsunagu::error::from_json;
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};
use tsunagu::Error;

/// State built from `given`.
pub struct Context {
    pub tax: Taxonomies,
    pub directory: Directory,
}

impl Context {
    pub fn new(given: &Value) -> Result<Context, Error> {
        let mut tax = Taxonomies::builtin();
        if let Some(ext) = given.get("taxonomy") {
            let doc: TaxonomyDocument = de(ext)?;
            tax = tax.extended(doc)?;
        }
        let directory = match given.get("agencies") {
            Some(a) => Directory::new(de(a)?, &tax)?,
            None => Directory::default(),
        };
        Ok(Context { tax, directory })
    }
}

fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Error> {
    from_json(&v.to_string())
}

pub fn run(ctx: &mut Context, op: &str, args: &Value) -> StepResult {
    match op {
        "extend_taxonomy" => {
            let doc: TaxonomyDocument = de(&args["document"])?;
            ctx.tax = ctx.tax.extended(doc)?;
            Ok(
                json!({ "issues": ctx.tax.issues().len(), "agency_kinds": ctx.tax.agency_kinds().len() }),
            )
        }
        "load_directory" => {
            ctx.directory = Directory::new(de(&args["agencies"])?, &ctx.tax)?;
            Ok(json!(ctx.directory.agencies().len()))
        }
        other => Err(Error::Document(tsunagu::error::DocumentError {
            format: "json",
            path: "$.when[].op".into(),
            message: format!("unknown op {other}"),
        })),
    }
}

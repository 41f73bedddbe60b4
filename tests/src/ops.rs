//! The operations vectors may use, mapped onto the core's API.

use crate::StepResult;
use chrono::NaiveDate;
use serde_json::{json, Value};
use tsunagu::agency::Directory;
use tsunagu::calendar::{self, EraStyle, FiscalYear};
use tsunagu::error::from_json;
use tsunagu::household::Household;
use tsunagu::patterns::PatternSettings;
use tsunagu::registry::{Command, Registry};
use tsunagu::routing::{Router, RoutingEnv, RuleSet, Situation};
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};
use tsunagu::Error;

/// State built from `given`: taxonomies, a directory, and a registry that `execute` steps share.
pub struct Context {
    pub tax: Taxonomies,
    pub directory: Directory,
    pub registry: Registry,
    pub rules: RuleSet,
    pub access: crate::access::AccessState,
    pub forms: tsunagu::forms::FormSet,
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
        let mut registry = Registry::new();
        for a in given
            .get("agencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            registry.execute(
                &de(&json!({ "command": "register_agency", "agency": a }))?,
                NaiveDate::MIN,
            )?;
        }
        if let Some(cmds) = given.get("commands").and_then(Value::as_array) {
            for c in cmds {
                let command: Command = de(&c["command"])?;
                // `by` (an actor) once a worker is registered (setup mode ends).
                let by: Option<tsunagu::worker::Actor> = match c.get("by") {
                    Some(b) => Some(de(b)?),
                    None => None,
                };
                registry.execute_as(&command, date(&c["today"])?, by.as_ref())?;
            }
        }
        let env = RoutingEnv::builtin();
        let rules_given = given.get("rules");
        let mut rules = match rules_given
            .and_then(|r| r.get("builtin"))
            .and_then(Value::as_bool)
        {
            Some(false) => RuleSet::empty(),
            _ => RuleSet::builtin(),
        };
        if let Some(ext) = rules_given
            .and_then(|r| r.get("extend"))
            .filter(|e| !e.is_null())
        {
            rules = rules.extend_json(&ext.to_string(), &env)?;
        }
        Ok(Context {
            tax,
            directory,
            registry,
            rules,
            access: Default::default(),
            forms: tsunagu::forms::FormSet::builtin(),
        })
    }
}

fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Error> {
    Ok(from_json(&v.to_string())?)
}

fn date(v: &Value) -> Result<NaiveDate, Error> {
    de(v)
}

fn text(v: &Value) -> Result<String, Error> {
    de(v)
}

/// Run one operation. The list is the contract every binding's runner implements
/// (`tests/vectors/README.md`).
pub fn run(ctx: &mut Context, op: &str, args: &Value) -> StepResult {
    match op {
        "parse_era_date" => Ok(json!(calendar::parse_era_date(&text(&args["text"])?)?)),
        "format_era_date" => {
            let style: EraStyle = match args.get("style") {
                Some(s) => de(s)?,
                None => EraStyle::Kanji,
            };
            Ok(json!(calendar::format_era_date(
                date(&args["date"])?,
                style
            )?))
        }
        "fiscal_year" => {
            let fy = FiscalYear::of(date(&args["date"])?)?;
            Ok(
                json!({ "year": fy.year(), "label_ja": fy.label_ja(), "label_gregorian": fy.label_gregorian(),
                       "start": fy.start(), "end": fy.end() }),
            )
        }
        "parse_fiscal_year" => Ok(json!(
            calendar::parse_fiscal_year(&text(&args["text"])?)?.year()
        )),
        "age_on" => Ok(json!(calendar::age_on(
            date(&args["birth_date"])?,
            date(&args["today"])?
        ))),
        "school_stage" => Ok(json!(calendar::school_stage(
            date(&args["birth_date"])?,
            date(&args["today"])?
        )?)),
        "validate_household" => {
            let h: Household = de(&args["household"])?;
            h.validate(&ctx.tax, date(&args["today"])?)?;
            Ok(Value::Null)
        }
        "detect_patterns" => {
            let h: Household = de(&args["household"])?;
            let today = date(&args["today"])?;
            h.validate(&ctx.tax, today)?;
            let settings: PatternSettings = match args.get("settings") {
                Some(s) => de(s)?,
                None => PatternSettings::default(),
            };
            let found =
                tsunagu::patterns::detect_patterns(&h, &ctx.tax, &ctx.directory, &settings, today);
            Ok(json!(found))
        }
        "load_rules" => {
            ctx.rules = ctx
                .rules
                .extend_json(&args["document"].to_string(), &RoutingEnv::builtin())?;
            Ok(json!({ "loaded": ctx.rules.rules().len() }))
        }
        "route" => {
            let router = Router::compile(&ctx.rules, RoutingEnv::builtin())?;
            let h: Household = de(&args["household"])?;
            let situation: Situation = de(&args["situation"])?;
            Ok(json!(router.evaluate(&h, &situation)))
        }
        "execute" => {
            let command: Command = de(&args["command"])?;
            let receipt = ctx.registry.execute(&command, date(&args["today"])?)?;
            Ok(json!(receipt))
        }
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
        other if crate::access::BOOK_OPS.contains(&other) => {
            crate::access::run_on(&mut ctx.access, &mut ctx.registry, other, args)
                .expect("an access op on the registry")
        }
        other if crate::access::OPS.contains(&other) => {
            crate::access::run(&mut ctx.access, &ctx.tax, other, args).expect("an access op")
        }
        op if crate::person::OPS.contains(&op) => crate::person::run(ctx, op, args),
        "extend_forms" | "check_form_definition" | "submit_form" | "execute_form" => {
            crate::forms::run(ctx, op, args)
        }
        "worklist" => crate::worklist::worklist(ctx, args),
        other => Err(Error::Document(tsunagu::error::DocumentError {
            format: "json",
            path: "$.when[].op".into(),
            message: format!("unknown op {other}"),
        })),
    }
}

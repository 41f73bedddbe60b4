//! The access operations vectors may use (`tests/vectors/access/`): access policy, redacted reads,
//! address restriction and the view log, mapped onto `tsunagu::access`.
//!
//! State per vector: the policy (the built-in one until `load_access_policy`), the address
//! protections (`set_protections`) and one view log that every read appends to.

use crate::StepResult;
use serde_json::{json, Value};
use tsunagu::access::{
    Access, Action, AddressProtection, CaseRelation, ContactDetails, Policy, PolicyEnv,
    Protections, ReadRequest, RecordKind, Requester, ViewLog,
};
use tsunagu::error::from_json;
use tsunagu::household::Household;
use tsunagu::ids::{CaseId, PersonId, WorkerId};
use tsunagu::privacy::InfoCategory;
use tsunagu::taxonomy::Taxonomies;
use tsunagu::Error;

/// The operations of this file.
pub const OPS: &[&str] = &[
    "load_access_policy",
    "set_protections",
    "decide_access",
    "read_household",
    "read_contact",
    "view_log",
];

/// The operations on the registry as an actor (the book's reads and permitted commands, on
/// the vector's policy and view log).
pub const BOOK_OPS: &[&str] = &[
    "execute_as",
    "read_case_as",
    "read_household_as",
    "read_person_as",
    "read_contact_as",
];

/// Run one operation as an actor on the registry; `None` when `op` is not one of them.
pub fn run_on(
    state: &mut AccessState,
    registry: &mut tsunagu::registry::Registry,
    op: &str,
    args: &Value,
) -> Option<StepResult> {
    let actor = || de::<tsunagu::worker::Actor>(&args["actor"]);
    let at = || de::<chrono::DateTime<chrono::Utc>>(&args["at"]);
    Some(match op {
        "execute_as" => (|| {
            let command: tsunagu::registry::Command = de(&args["command"])?;
            let by = actor()?;
            registry.permit_command(&state.policy, &command, &by)?;
            let today = de::<chrono::NaiveDate>(&args["today"])?;
            Ok(json!(registry.execute_as(&command, today, Some(&by))?))
        })(),
        "read_case_as" => (|| {
            let v = registry.read_case(
                &state.policy,
                &mut state.log,
                &actor()?,
                &de(&args["case"])?,
                at()?,
            )?;
            Ok(json!(v))
        })(),
        "read_household_as" => (|| {
            let v = registry.read_household(
                &state.policy,
                &mut state.log,
                &actor()?,
                &de(&args["household"])?,
                at()?,
            )?;
            Ok(json!(v))
        })(),
        "read_person_as" => (|| {
            let v = registry.read_person(
                &state.policy,
                &mut state.log,
                &actor()?,
                &de(&args["person"])?,
                at()?,
            )?;
            Ok(json!(v))
        })(),
        "read_contact_as" => (|| {
            let v = registry.read_contact(
                &state.policy,
                &mut state.log,
                &actor()?,
                &de(&args["person"])?,
                at()?,
            )?;
            Ok(json!(v))
        })(),
        _ => return None,
    })
}

/// The access state of one vector.
pub struct AccessState {
    policy: Policy,
    protections: Protections,
    log: ViewLog,
}

impl Default for AccessState {
    fn default() -> Self {
        AccessState {
            policy: Policy::builtin().clone(),
            protections: Protections::default(),
            log: ViewLog::new(),
        }
    }
}

fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Error> {
    Ok(from_json(&v.to_string())?)
}

fn opt<T: serde::de::DeserializeOwned + Default>(v: Option<&Value>) -> Result<T, Error> {
    match v {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => de(v),
    }
}

/// Run one access operation; `None` when `op` is not one of them.
pub fn run(
    state: &mut AccessState,
    tax: &Taxonomies,
    op: &str,
    args: &Value,
) -> Option<StepResult> {
    Some(match op {
        "load_access_policy" => load(state, args),
        "set_protections" => (|| {
            let records: Vec<AddressProtection> = de(&args["protections"])?;
            for r in &records {
                r.validate()?;
            }
            state.protections = Protections::new(records);
            Ok(json!({ "protections": state.protections.records.len() }))
        })(),
        "decide_access" => (|| {
            let requester: Requester = de(&args["requester"])?;
            let relations: Vec<CaseRelation> = opt(args.get("relations"))?;
            let disclosed: Vec<InfoCategory> = opt(args.get("disclosed"))?;
            let kind: RecordKind = de(&args["kind"])?;
            let action: Action = de(&args["action"])?;
            Ok(json!(state.policy.decide_with(
                &requester, &relations, &disclosed, kind, action
            )))
        })(),
        "read_household" | "read_contact" => read(state, tax, op, args),
        "view_log" => (|| {
            let records = if let Some(p) = args.get("person") {
                state.log.who_viewed(&de::<PersonId>(p)?)
            } else if let Some(w) = args.get("worker") {
                state.log.viewed_by(&de::<WorkerId>(w)?)
            } else if let Some(c) = args.get("case") {
                state.log.case_views(&de::<CaseId>(c)?)
            } else {
                state.log.iter().collect()
            };
            Ok(json!(records))
        })(),
        _ => return None,
    })
}

fn load(state: &mut AccessState, args: &Value) -> StepResult {
    let base = match args.get("builtin").and_then(Value::as_bool) {
        Some(false) => Policy::from_json(r#"{"rules": []}"#, &PolicyEnv::default())?,
        _ => Policy::builtin().clone(),
    };
    let env = match args.get("roles") {
        Some(r) => PolicyEnv::with_roles(de::<Vec<_>>(r)?),
        None => PolicyEnv::default(),
    };
    state.policy = base.extend_json(&args["document"].to_string(), &env)?;
    Ok(json!({ "rules": state.policy.rules().len() }))
}

fn read(state: &mut AccessState, tax: &Taxonomies, op: &str, args: &Value) -> StepResult {
    let requester: Requester = de(&args["requester"])?;
    let relations: Vec<CaseRelation> = opt(args.get("relations"))?;
    let disclosed: Vec<InfoCategory> = opt(args.get("disclosed"))?;
    let case: Option<CaseId> = opt(args.get("case"))?;
    let household: Household = de(&args["household"])?;
    let contacts: Vec<ContactDetails> = opt(args.get("contacts"))?;
    let req = ReadRequest {
        requester: &requester,
        relations: &relations,
        disclosed: &disclosed,
        case: case.as_ref(),
        at: de(&args["at"])?,
    };
    let access = Access {
        policy: &state.policy,
        protections: &state.protections,
        tax,
    };
    if op == "read_household" {
        return Ok(json!(access.read_household(
            &req,
            &household,
            &contacts,
            &mut state.log
        )));
    }
    let person: PersonId = de(&args["person"])?;
    let contact = contacts
        .into_iter()
        .find(|c| c.person == person)
        .unwrap_or(ContactDetails {
            person,
            address: None,
            phone: None,
            whereabouts: None,
        });
    Ok(json!(access.read_contact(
        &req,
        &household,
        &contact,
        &mut state.log
    )?))
}

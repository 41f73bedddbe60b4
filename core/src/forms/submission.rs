//! Submissions (記入された様式): a filled form as JSON — values by field id — checked against its
//! definition with every problem and its path reported at once, and normalised into the
//! [`FormRecord`] the registry keeps (dates as ISO, 和暦 input read, person references as
//! objects, multi-choices with their ◎).

use super::check::RELATIONS;
use super::definition::*;
use super::error::FormProblem;
use crate::ids::*;
use crate::taxonomy::{Label, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A filled form as a host sends it (記入された様式).
///
/// `record` names the form record kept in the registry, and the ids of the records the
/// submission creates are derived from it (the intake's consent is `<record>-consent`).
/// `case`, `household` and `plan` name the records the form is about (new ones for an intake or
/// a first plan): the host chooses them, the core never invents an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The form filled.
    pub form: FormId,
    /// Id of the form record to keep.
    pub record: FormRecordId,
    /// The case (every national form but a custom one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// The household (intake: registered if new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// The plan (plan and evaluation forms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanId>,
    /// Values by field id (see [`FieldType`] for each type's JSON).
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
}

/// A validated, normalised filled form, as the registry keeps it (様式の記録): every value the
/// worker wrote, including those no other command stores (生活歴, 見立て, the person's view …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormRecord {
    /// Record id.
    pub id: FormRecordId,
    /// The form filled.
    pub form: FormId,
    /// Its kind.
    pub kind: FormKind,
    /// The form's date (受付日, アセスメント日, 作成日, 評価日; a custom form's first date field,
    /// else the day it was submitted).
    pub on: NaiveDate,
    /// The case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// The household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// The plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanId>,
    /// Normalised values by field id: dates ISO, persons `{"id", …}`, a ◎ multi-choice
    /// `{"selected", "main"}`, groups arrays of row objects. Blank optional values are left out.
    pub values: BTreeMap<FieldId, Value>,
}

/// The date field that dates a form of each kind.
pub(crate) fn date_field(kind: FormKind) -> Option<&'static str> {
    match kind {
        FormKind::Intake => Some("received_on"),
        FormKind::Assessment => Some("assessed_on"),
        FormKind::Plan => Some("created_on"),
        FormKind::Evaluation => Some("evaluated_on"),
        FormKind::Custom => None,
    }
}

/// The codes and labels of a choice field's choices, in print order.
pub fn choice_options(choices: &Choices, tax: &Taxonomies) -> Vec<(String, Label)> {
    fn terms<C: ToString>(t: &[crate::taxonomy::Term<C>]) -> Vec<(String, Label)> {
        t.iter()
            .map(|t| (t.code.to_string(), label(&t.ja, &t.en)))
            .collect()
    }
    fn label(ja: &str, en: &str) -> Label {
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
    match choices {
        Choices::Listed { options } => options
            .iter()
            .map(|o| (o.code.clone(), o.label.clone()))
            .collect(),
        Choices::Taxonomy {
            list,
            intake_form_only,
        } => match list {
            TaxonomyList::Issues => tax
                .issues()
                .iter()
                .filter(|i| !intake_form_only || i.intake_form_item.is_some())
                .map(|i| (i.code.to_string(), label(&i.ja, &i.en)))
                .collect(),
            TaxonomyList::Channels => terms(tax.channels()),
            TaxonomyList::Projects => terms(tax.projects()),
            TaxonomyList::CertificateKinds => terms(tax.certificate_kinds()),
            TaxonomyList::ClosureReasons => tax
                .closure_reasons()
                .iter()
                .map(|r| (r.code.to_string(), label(&r.ja, &r.en)))
                .collect(),
            TaxonomyList::AgencyKinds => tax
                .agency_kinds()
                .iter()
                .map(|k| (k.code.to_string(), label(&k.ja, &k.en)))
                .collect(),
        },
    }
}

/// Read a date as ISO or 和暦.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| crate::calendar::parse_era_date(text).ok())
}

struct Checker<'a> {
    tax: &'a Taxonomies,
    out: Vec<FormProblem>,
}

/// Validate `values` against `fields` (paths under `path`); the normalised values.
fn check_values(
    c: &mut Checker<'_>,
    fields: &[&Field],
    values: &Map<String, Value>,
    path: &str,
) -> BTreeMap<FieldId, Value> {
    let known: BTreeSet<&str> = fields.iter().map(|f| f.id.as_str()).collect();
    for key in values.keys() {
        if !known.contains(key.as_str()) {
            c.out.push(FormProblem::new(
                "unknown_field",
                format!("{path}.{key}"),
                format!("the form has no field `{key}`"),
            ));
        }
    }
    let mut normalised = BTreeMap::new();
    for field in fields {
        let p = format!("{path}.{}", field.id);
        let value = values.get(field.id.as_str()).filter(|v| !v.is_null());
        match value.and_then(|v| check_value(c, field, v, &p)) {
            Some(v) => {
                normalised.insert(field.id.clone(), v);
            }
            None if field.required && !c.out.iter().any(|e| under(&e.path, &p)) => {
                c.out.push(FormProblem::new(
                    "missing_field",
                    &p,
                    format!("`{}` is required", field.id),
                ));
            }
            None => {}
        }
    }
    normalised
}

/// `path` is `base` or inside it (`base.x`, `base[0]`), not a sibling that shares its prefix.
fn under(path: &str, base: &str) -> bool {
    path.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn wrong_type(c: &mut Checker<'_>, p: &str, expected: &str) -> Option<Value> {
    c.out.push(FormProblem::new(
        "wrong_type",
        p,
        format!("expected {expected}"),
    ));
    None
}

fn date_value(c: &mut Checker<'_>, v: &Value, p: &str) -> Option<Value> {
    let Some(s) = v.as_str() else {
        return wrong_type(c, p, "a date string");
    };
    if s.trim().is_empty() {
        return None;
    }
    match parse_date(s) {
        Some(d) => Some(Value::String(d.to_string())),
        None => {
            c.out.push(FormProblem::new(
                "invalid_date",
                p,
                "not an ISO or Japanese-era date",
            ));
            None
        }
    }
}

/// Check one value; `None` when it is blank or has problems (then recorded).
fn check_value(c: &mut Checker<'_>, field: &Field, v: &Value, p: &str) -> Option<Value> {
    match &field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::Agency | FieldType::Worker => {
            let Some(s) = v.as_str() else {
                return wrong_type(c, p, "a string");
            };
            (!s.trim().is_empty()).then(|| Value::String(s.to_string()))
        }
        FieldType::Date { .. } => date_value(c, v, p),
        FieldType::Boolean => match v {
            Value::Bool(_) => Some(v.clone()),
            _ => wrong_type(c, p, "true or false"),
        },
        FieldType::Number { integer, min, max } => {
            let Some(n) = v.as_f64() else {
                return wrong_type(c, p, "a number");
            };
            if *integer && n.fract() != 0.0 {
                return wrong_type(c, p, "a whole number");
            }
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                c.out.push(FormProblem::new(
                    "out_of_range",
                    p,
                    "outside the field's bounds",
                ));
                return None;
            }
            Some(v.clone())
        }
        FieldType::Choice { choices } => {
            let Some(s) = v.as_str() else {
                return wrong_type(c, p, "a choice code");
            };
            if s.is_empty() {
                return None;
            }
            let options = choice_options(choices, c.tax);
            if !options.iter().any(|(code, _)| code == s) {
                c.out.push(FormProblem::new(
                    "unknown_choice",
                    p,
                    format!("`{s}` is not one of the field's choices"),
                ));
                return None;
            }
            Some(v.clone())
        }
        FieldType::MultiChoice { choices, main } => multi_choice(c, choices, *main, v, p),
        FieldType::Person => person(c, v, p),
        FieldType::Group {
            fields,
            min_rows,
            max_rows,
        } => {
            let Some(rows) = v.as_array() else {
                return wrong_type(c, p, "an array of rows");
            };
            let min = min_rows.unwrap_or(0).max(u32::from(field.required)) as usize;
            if rows.len() < min && !rows.is_empty() {
                c.out.push(FormProblem::new(
                    "too_few_rows",
                    p,
                    format!("at least {min} row(s)"),
                ));
            }
            if max_rows.is_some_and(|m| rows.len() > m as usize) {
                c.out.push(FormProblem::new(
                    "too_many_rows",
                    p,
                    format!("at most {} row(s)", max_rows.unwrap_or(0)),
                ));
            }
            let fields: Vec<&Field> = fields.iter().collect();
            let mut out = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let rp = format!("{p}[{i}]");
                match row.as_object() {
                    Some(obj) => out.push(Value::Object(
                        check_values(c, &fields, obj, &rp)
                            .into_iter()
                            .map(|(k, v)| (k.0, v))
                            .collect(),
                    )),
                    None => {
                        wrong_type(c, &rp, "a row object");
                    }
                }
            }
            (!out.is_empty()).then_some(Value::Array(out))
        }
    }
}

fn multi_choice(
    c: &mut Checker<'_>,
    choices: &Choices,
    allows_main: bool,
    v: &Value,
    p: &str,
) -> Option<Value> {
    let (selected, main, sp) = match v {
        Value::Array(a) => (a.clone(), None, p.to_string()),
        Value::Object(o) => {
            for key in o.keys() {
                if key != "selected" && key != "main" {
                    c.out.push(FormProblem::new(
                        "unknown_field",
                        format!("{p}.{key}"),
                        "expected `selected` and `main`",
                    ));
                }
            }
            let Some(a) = o.get("selected").and_then(Value::as_array) else {
                return wrong_type(c, &format!("{p}.selected"), "an array of choice codes");
            };
            (
                a.clone(),
                o.get("main").filter(|m| !m.is_null()).cloned(),
                format!("{p}.selected"),
            )
        }
        _ => return wrong_type(c, p, "an array of choice codes"),
    };
    let options = choice_options(choices, c.tax);
    let mut seen = BTreeSet::new();
    let mut ok = true;
    for (i, s) in selected.iter().enumerate() {
        let ip = format!("{sp}[{i}]");
        let Some(s) = s.as_str() else {
            wrong_type(c, &ip, "a choice code");
            ok = false;
            continue;
        };
        if !options.iter().any(|(code, _)| code == s) {
            c.out.push(FormProblem::new(
                "unknown_choice",
                &ip,
                format!("`{s}` is not one of the field's choices"),
            ));
            ok = false;
        } else if !seen.insert(s.to_string()) {
            c.out.push(FormProblem::new(
                "duplicate_choice",
                &ip,
                format!("`{s}` is selected twice"),
            ));
            ok = false;
        }
    }
    if let Some(m) = &main {
        let mp = format!("{p}.main");
        if !allows_main {
            c.out.push(FormProblem::new(
                "main_not_allowed",
                &mp,
                "this field has no main concern (◎)",
            ));
            ok = false;
        } else if !m.as_str().is_some_and(|m| seen.contains(m)) {
            c.out.push(FormProblem::new(
                "main_not_selected",
                &mp,
                "the main concern (◎) must be one of the selected choices",
            ));
            ok = false;
        }
    }
    if !ok || selected.is_empty() {
        return None;
    }
    if allows_main {
        let mut o = Map::new();
        o.insert("selected".into(), Value::Array(selected));
        if let Some(m) = main {
            o.insert("main".into(), m);
        }
        Some(Value::Object(o))
    } else {
        Some(Value::Array(selected))
    }
}

fn person(c: &mut Checker<'_>, v: &Value, p: &str) -> Option<Value> {
    let obj = match v {
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => {
            let mut o = Map::new();
            o.insert("id".into(), Value::String(s.clone()));
            return Some(Value::Object(o));
        }
        Value::Object(o) => o,
        _ => return wrong_type(c, p, "a person id or a person object"),
    };
    let before = c.out.len();
    let mut out = Map::new();
    for (key, value) in obj {
        let kp = format!("{p}.{key}");
        match key.as_str() {
            "id" | "name" => match value.as_str() {
                Some(s) if !s.trim().is_empty() => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    wrong_type(c, &kp, "a non-empty string");
                }
            },
            "relation" => match value.as_str() {
                Some(r) if RELATIONS.contains(&r) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => c.out.push(FormProblem::new(
                    "unknown_choice",
                    &kp,
                    "not a relation to the head of household",
                )),
            },
            "birth_date" => {
                if let Some(d) = date_value(c, value, &kp) {
                    out.insert(key.clone(), d);
                }
            }
            "approx_age" => match value.as_u64() {
                Some(_) => {
                    out.insert(key.clone(), value.clone());
                }
                None => {
                    wrong_type(c, &kp, "a whole number");
                }
            },
            _ => c.out.push(FormProblem::new(
                "unknown_field",
                &kp,
                "a person has id, name, relation, birth_date and approx_age",
            )),
        }
    }
    if !out.contains_key("id") && c.out.len() == before {
        c.out.push(FormProblem::new(
            "missing_field",
            format!("{p}.id"),
            "a person reference needs the id the person search filled",
        ));
    }
    (c.out.len() == before).then_some(Value::Object(out))
}

/// Validate a submission against its form: the normalised record, or every problem found.
/// `today` dates a custom form without a date field; a national sheet dated after `today` is
/// `date_in_future` at its date field.
pub(crate) fn validate(
    form: &FormDefinition,
    submission: &Submission,
    tax: &Taxonomies,
    today: NaiveDate,
) -> Result<FormRecord, Vec<FormProblem>> {
    let mut c = Checker {
        tax,
        out: Vec::new(),
    };
    let fields: Vec<&Field> = form.fields().collect();
    let values: Map<String, Value> = submission
        .values
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let values = check_values(&mut c, &fields, &values, "$.values");
    if !c.out.is_empty() {
        return Err(c.out);
    }
    let on = match date_field(form.kind) {
        Some(f) => values
            .get(&FieldId::from(f))
            .and_then(Value::as_str)
            .and_then(parse_date),
        None => form
            .fields()
            .filter(|f| matches!(f.field_type, FieldType::Date { .. }))
            .find_map(|f| {
                values
                    .get(&f.id)
                    .and_then(Value::as_str)
                    .and_then(parse_date)
            }),
    }
    .unwrap_or(today);
    if let (Some(f), true) = (date_field(form.kind), on > today) {
        // A sheet is written after the fact: its date is not after the day it is submitted
        // (the commands would refuse it too, at their own paths).
        return Err(vec![FormProblem::new(
            "date_in_future",
            format!("$.values.{f}"),
            "the form's date is after today",
        )]);
    }
    Ok(FormRecord {
        id: submission.record.clone(),
        form: form.id.clone(),
        kind: form.kind,
        on,
        case: submission.case.clone(),
        household: submission.household.clone(),
        plan: submission.plan.clone(),
        values,
    })
}

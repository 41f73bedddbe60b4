//! Checking form definitions (様式の検査): every problem of a form document, or of a municipal
//! extension, found in one pass with its JSON path — ids, labels, choices, ranges, and the fields
//! each national kind's commands read (its *binding fields*), which an extension can add to but
//! never take away.

use super::definition::*;
use super::error::FormProblem;
use std::collections::BTreeSet;

/// What a binding field must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// A type by name (`date`, `agency` …).
    Type(&'static str),
    /// A choice (single or multi, by `multi`) from a taxonomy.
    Taxonomy(TaxonomyList, bool),
    /// A choice (single or multi) from listed options that must include these codes.
    Listed(bool, &'static [&'static str]),
}

/// A field the commands of a kind read: its path (`goals.text` inside a group), shape and
/// whether the form must mark it required.
pub(crate) struct Binding {
    pub path: &'static str,
    pub shape: Shape,
    pub required: bool,
}

const fn b(path: &'static str, shape: Shape, required: bool) -> Binding {
    Binding {
        path,
        shape,
        required,
    }
}

use Shape::{Listed, Taxonomy as Tax, Type};
use TaxonomyList as L;

/// Relations to the head of household (続柄), as [`crate::household::Relation`] codes.
pub(crate) const RELATIONS: &[&str] = &[
    "head",
    "spouse",
    "child",
    "child_in_law",
    "parent",
    "grandparent",
    "grandchild",
    "sibling",
    "other",
];

const INTAKE: &[Binding] = &[
    b("received_on", Type("date"), true),
    b("receiving_window", Type("agency"), true),
    b("responsible_window", Type("agency"), false),
    b("channel", Tax(L::Channels, false), true),
    b("consulter_relation", Listed(false, &["self"]), true),
    b("consulter", Type("person"), false),
    b("subject", Type("person"), true),
    b("household_members", Type("group"), false),
    b("household_members.member", Type("person"), true),
    b("household_members.relation", Listed(false, RELATIONS), true),
    b("household_members.birth_date", Type("date"), false),
    b("consultation_items", Tax(L::Issues, true), true),
    b("chief_complaint", Type("long_text"), true),
    b("consent_to_share", Type("boolean"), true),
    b(
        "consent_method",
        Listed(false, &["written", "verbal", "electronic"]),
        false,
    ),
];

const ASSESSMENT: &[Binding] = &[
    b("assessed_on", Type("date"), true),
    b("issues", Type("group"), true),
    b("issues.issue", Tax(L::Issues, false), true),
    b("issues.member", Type("person"), false),
    b(
        "issues.status",
        Listed(false, &["current", "past", "suspected"]),
        true,
    ),
    b("issues.onset", Type("date"), false),
    b("strengths", Type("long_text"), false),
    b("wishes", Type("long_text"), true),
    b(
        "urgency",
        Listed(false, &["immediate", "high", "normal"]),
        true,
    ),
];

const PLAN: &[Binding] = &[
    b("created_on", Type("date"), true),
    b("period_from", Type("date"), true),
    b("period_to", Type("date"), true),
    b("chief_complaint", Type("long_text"), true),
    b("wishes", Type("long_text"), true),
    b("policy", Type("long_text"), true),
    b(
        "approaches",
        Listed(true, &["problem_solving", "staying_connected"]),
        true,
    ),
    b("long_term_goals", Type("group"), false),
    b("long_term_goals.goal_id", Type("text"), false),
    b("long_term_goals.text", Type("long_text"), true),
    b("long_term_goals.target_date", Type("date"), false),
    b("short_term_goals", Type("group"), true),
    b("short_term_goals.goal_id", Type("text"), false),
    b("short_term_goals.text", Type("long_text"), true),
    b("short_term_goals.target_date", Type("date"), false),
    b("roles", Type("group"), false),
    b("roles.description", Type("long_text"), true),
    b(
        "roles.party",
        Listed(false, &["agency", "worker", "person", "informal"]),
        true,
    ),
    b("roles.agency", Type("agency"), false),
    b("roles.worker", Type("worker"), false),
    b("roles.person", Type("person"), false),
    b("roles.informal_kind", Type("text"), false),
    b("roles.informal_label", Type("text"), false),
    b("roles.schedule", Type("text"), false),
    b("next_monitoring_on", Type("date"), true),
    b("monitoring_interval_days", Type("number"), true),
    b("consent_on", Type("date"), false),
    b(
        "consent_method",
        Listed(false, &["signature", "verbal", "electronic"]),
        false,
    ),
];

const EVALUATION: &[Binding] = &[
    b("evaluated_on", Type("date"), true),
    b("evaluator", Type("worker"), true),
    b("goals_met", Type("group"), false),
    b("goals_met.goal_id", Type("text"), true),
    b(
        "goals_met.progress",
        Listed(
            false,
            &["achieved", "in_progress", "stalled", "not_started"],
        ),
        true,
    ),
    b("goals_met.note", Type("long_text"), false),
    b("person_view", Type("long_text"), true),
    b(
        "decision",
        Listed(false, &["close", "continue", "replan"]),
        true,
    ),
    b("closure_reason", Tax(L::ClosureReasons, false), false),
    b("closure_referral", Type("text"), false),
];

/// The binding fields of a kind.
pub(crate) fn bindings(kind: FormKind) -> &'static [Binding] {
    match kind {
        FormKind::Intake => INTAKE,
        FormKind::Assessment => ASSESSMENT,
        FormKind::Plan => PLAN,
        FormKind::Evaluation => EVALUATION,
        FormKind::Custom => &[],
    }
}

/// Lower snake_case, non-empty, starting with a letter.
pub(crate) fn valid_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_label(label: &crate::taxonomy::Label, path: &str, out: &mut Vec<FormProblem>) {
    if label.ja.trim().is_empty() || label.en.trim().is_empty() {
        out.push(FormProblem::new(
            "empty_label",
            path,
            "a label needs both ja and en text",
        ));
    }
}

fn check_id(id: &str, path: &str, out: &mut Vec<FormProblem>) {
    if !valid_id(id) {
        out.push(FormProblem::new(
            "invalid_id",
            path,
            format!("id `{id}` is not lower snake_case"),
        ));
    }
}

/// Check one field (and a group's fields) at `path`.
pub(crate) fn check_field(field: &Field, path: &str, out: &mut Vec<FormProblem>) {
    check_id(field.id.as_str(), &format!("{path}.id"), out);
    check_label(&field.label, &format!("{path}.label"), out);
    if let Some(help) = &field.help {
        check_label(help, &format!("{path}.help"), out);
    }
    let tpath = format!("{path}.type");
    match &field.field_type {
        FieldType::Choice { choices } | FieldType::MultiChoice { choices, .. } => {
            if let Choices::Listed { options } = choices {
                check_options(options, &format!("{tpath}.choices.options"), 0, out);
            }
        }
        FieldType::Number {
            min: Some(lo),
            max: Some(hi),
            ..
        } if lo > hi => {
            out.push(FormProblem::new(
                "invalid_range",
                &tpath,
                "min is above max",
            ));
        }
        FieldType::Group {
            fields,
            min_rows,
            max_rows,
        } => {
            if let (Some(lo), Some(hi)) = (min_rows, max_rows) {
                if lo > hi || *hi == 0 {
                    out.push(FormProblem::new(
                        "invalid_range",
                        &tpath,
                        "min_rows is above max_rows, or max_rows is 0",
                    ));
                }
            }
            if fields.is_empty() {
                out.push(FormProblem::new(
                    "empty_choices",
                    format!("{tpath}.fields"),
                    "a group needs at least one field",
                ));
            }
            let mut seen = BTreeSet::new();
            for (i, f) in fields.iter().enumerate() {
                let p = format!("{tpath}.fields[{i}]");
                if !seen.insert(f.id.as_str()) {
                    out.push(FormProblem::new(
                        "duplicate_id",
                        format!("{p}.id"),
                        format!("field `{}` is defined twice in the group", f.id),
                    ));
                }
                check_field(f, &p, out);
            }
        }
        _ => {}
    }
}

/// Check listed options (`from` is the index the first option has in its list, for paths).
pub(crate) fn check_options(
    options: &[Choice],
    path: &str,
    from: usize,
    out: &mut Vec<FormProblem>,
) {
    if options.is_empty() && from == 0 {
        out.push(FormProblem::new(
            "empty_choices",
            path,
            "a listed choice needs at least one option",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, o) in options.iter().enumerate() {
        let p = format!("{path}[{}]", from + i);
        check_id(&o.code, &format!("{p}.code"), out);
        check_label(&o.label, &format!("{p}.label"), out);
        if !seen.insert(o.code.as_str()) {
            out.push(FormProblem::new(
                "duplicate_choice",
                format!("{p}.code"),
                format!("choice `{}` is listed twice", o.code),
            ));
        }
    }
}

/// Check a whole form at `path` (`$` for a form document, `$.forms[2]` in an extension).
pub(crate) fn check_form(form: &FormDefinition, path: &str, out: &mut Vec<FormProblem>) {
    check_id(form.id.as_str(), &format!("{path}.id"), out);
    check_label(&form.title, &format!("{path}.title"), out);
    let mut sections = BTreeSet::new();
    let mut fields = BTreeSet::new();
    for (i, s) in form.sections.iter().enumerate() {
        let sp = format!("{path}.sections[{i}]");
        check_id(s.id.as_str(), &format!("{sp}.id"), out);
        check_label(&s.label, &format!("{sp}.label"), out);
        if !sections.insert(s.id.as_str()) {
            out.push(FormProblem::new(
                "duplicate_id",
                format!("{sp}.id"),
                format!("section `{}` is defined twice", s.id),
            ));
        }
        for (j, f) in s.fields.iter().enumerate() {
            let fp = format!("{sp}.fields[{j}]");
            if !fields.insert(f.id.as_str()) {
                out.push(FormProblem::new(
                    "duplicate_id",
                    format!("{fp}.id"),
                    format!("field `{}` is defined twice", f.id),
                ));
            }
            check_field(f, &fp, out);
        }
    }
    check_bindings(form, path, out);
}

/// The field at a binding path (`a` or `group.b`).
pub(crate) fn field_at<'a>(form: &'a FormDefinition, path: &str) -> Option<&'a Field> {
    match path.split_once('.') {
        None => form.field(path),
        Some((group, sub)) => match &form.field(group)?.field_type {
            FieldType::Group { fields, .. } => fields.iter().find(|f| f.id.as_str() == sub),
            _ => None,
        },
    }
}

/// The JSON path of the field at a binding path, under the form's `path`.
fn field_path(form: &FormDefinition, path: &str, binding: &str) -> String {
    let (top, sub) = match binding.split_once('.') {
        Some((g, s)) => (g, Some(s)),
        None => (binding, None),
    };
    for (i, s) in form.sections.iter().enumerate() {
        if let Some(j) = s.fields.iter().position(|f| f.id.as_str() == top) {
            let base = format!("{path}.sections[{i}].fields[{j}]");
            return match (sub, &s.fields[j].field_type) {
                (Some(sub), FieldType::Group { fields, .. }) => {
                    match fields.iter().position(|f| f.id.as_str() == sub) {
                        Some(k) => format!("{base}.type.fields[{k}]"),
                        None => format!("{base}.type.fields"),
                    }
                }
                _ => base,
            };
        }
    }
    format!("{path}.sections")
}

fn check_bindings(form: &FormDefinition, path: &str, out: &mut Vec<FormProblem>) {
    for binding in bindings(form.kind) {
        let Some(field) = field_at(form, binding.path) else {
            // A missing optional group's sub-fields are reported with the group.
            let parent_missing = binding
                .path
                .split_once('.')
                .is_some_and(|(g, _)| form.field(g).is_none());
            if !parent_missing {
                out.push(FormProblem::new(
                    "missing_binding_field",
                    field_path(form, path, binding.path),
                    format!(
                        "a {} form needs the field `{}`",
                        form.kind.code(),
                        binding.path
                    ),
                ));
            }
            continue;
        };
        let fits = match (binding.shape, &field.field_type) {
            (Type(name), t) => t.name() == name,
            (Tax(list, false), FieldType::Choice { choices })
            | (Tax(list, true), FieldType::MultiChoice { choices, .. }) => {
                matches!(choices, Choices::Taxonomy { list: l, .. } if *l == list)
            }
            (Listed(false, codes), FieldType::Choice { choices })
            | (Listed(true, codes), FieldType::MultiChoice { choices, .. }) => match choices {
                Choices::Listed { options } => {
                    codes.iter().all(|c| options.iter().any(|o| o.code == *c))
                }
                Choices::Taxonomy { .. } => false,
            },
            _ => false,
        };
        if !fits {
            out.push(FormProblem::new(
                "wrong_binding_type",
                format!("{}.type", field_path(form, path, binding.path)),
                format!(
                    "field `{}` of a {} form is not of the type its commands read",
                    binding.path,
                    form.kind.code()
                ),
            ));
        } else if binding.required && !field.required {
            out.push(FormProblem::new(
                "binding_not_required",
                format!("{}.required", field_path(form, path, binding.path)),
                format!(
                    "field `{}` of a {} form must be required",
                    binding.path,
                    form.kind.code()
                ),
            ));
        }
    }
}

//! Municipal extensions of forms (様式の拡張): a document that adds fields to a section of a
//! form, adds sections, adds listed choices to a choice field, and brings the municipality's own
//! forms. It can only add: a national form keeps every field its commands read. Every problem is
//! reported at once with its path in the extension document, and a failed extension changes
//! nothing.

use super::check::{check_field, check_form, check_options};
use super::definition::*;
use super::error::{FormError, FormProblem};
use super::FormSet;
use serde::{Deserialize, Serialize};

/// A municipal extension document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormExtension {
    /// Fields added at the end of a section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldAddition>,
    /// Sections added at the end of a form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionAddition>,
    /// Listed choices added to a choice field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceAddition>,
    /// The municipality's own forms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormDefinition>,
}

/// A field added to a section of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldAddition {
    /// The form.
    pub form: FormId,
    /// The section.
    pub section: FieldId,
    /// The new field.
    pub field: Field,
}

/// A section added at the end of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionAddition {
    /// The form.
    pub form: FormId,
    /// The new section.
    pub section: Section,
}

/// Listed choices added to a choice field (`field` is `id`, or `group.id` inside a group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceAddition {
    /// The form.
    pub form: FormId,
    /// The field.
    pub field: String,
    /// The new choices.
    pub options: Vec<Choice>,
}

fn unknown_form(form: &FormId, path: String, out: &mut Vec<FormProblem>) {
    out.push(FormProblem::new(
        "unknown_form",
        path,
        format!("no form `{form}`"),
    ));
}

/// Every top-level field id and section id of a form.
fn ids(form: &FormDefinition) -> impl Iterator<Item = &str> {
    form.sections
        .iter()
        .map(|s| s.id.as_str())
        .chain(form.fields().map(|f| f.id.as_str()))
}

/// `set` extended by `ext`, or every problem.
pub(crate) fn extend(set: &FormSet, ext: FormExtension) -> Result<FormSet, FormError> {
    let mut forms = set.forms.clone();
    let mut out = Vec::new();
    for (i, add) in ext.sections.into_iter().enumerate() {
        let p = format!("$.sections[{i}]");
        let Some(form) = forms.iter_mut().find(|f| f.id == add.form) else {
            unknown_form(&add.form, format!("{p}.form"), &mut out);
            continue;
        };
        let probe = FormDefinition {
            id: form.id.clone(),
            kind: FormKind::Custom,
            title: form.title.clone(),
            sections: vec![add.section.clone()],
        };
        let before = out.len();
        let mut section_problems = Vec::new();
        check_form(&probe, "$", &mut section_problems);
        for prob in section_problems {
            let path = prob
                .path
                .replacen("$.sections[0]", &format!("{p}.section"), 1);
            out.push(FormProblem { path, ..prob });
        }
        for (j, f) in add.section.fields.iter().enumerate() {
            if ids(form).any(|id| id == f.id.as_str()) {
                out.push(FormProblem::new(
                    "duplicate_id",
                    format!("{p}.section.fields[{j}].id"),
                    format!("form `{}` already has `{}`", form.id, f.id),
                ));
            }
        }
        if ids(form).any(|id| id == add.section.id.as_str()) {
            out.push(FormProblem::new(
                "duplicate_id",
                format!("{p}.section.id"),
                format!("form `{}` already has `{}`", form.id, add.section.id),
            ));
        }
        if out.len() == before {
            form.sections.push(add.section);
        }
    }
    for (i, add) in ext.fields.into_iter().enumerate() {
        let p = format!("$.fields[{i}]");
        let Some(form) = forms.iter_mut().find(|f| f.id == add.form) else {
            unknown_form(&add.form, format!("{p}.form"), &mut out);
            continue;
        };
        let before = out.len();
        check_field(&add.field, &format!("{p}.field"), &mut out);
        if ids(form).any(|id| id == add.field.id.as_str()) {
            out.push(FormProblem::new(
                "duplicate_id",
                format!("{p}.field.id"),
                format!("form `{}` already has `{}`", form.id, add.field.id),
            ));
        }
        let Some(section) = form.sections.iter_mut().find(|s| s.id == add.section) else {
            out.push(FormProblem::new(
                "unknown_section",
                format!("{p}.section"),
                format!("form `{}` has no section `{}`", add.form, add.section),
            ));
            continue;
        };
        if out.len() == before {
            section.fields.push(add.field);
        }
    }
    for (i, add) in ext.choices.into_iter().enumerate() {
        let p = format!("$.choices[{i}]");
        let Some(form) = forms.iter_mut().find(|f| f.id == add.form) else {
            unknown_form(&add.form, format!("{p}.form"), &mut out);
            continue;
        };
        let Some(field) = field_mut(form, &add.field) else {
            out.push(FormProblem::new(
                "unknown_field",
                format!("{p}.field"),
                format!("form `{}` has no field `{}`", add.form, add.field),
            ));
            continue;
        };
        let options = match &mut field.field_type {
            FieldType::Choice { choices } | FieldType::MultiChoice { choices, .. } => match choices
            {
                Choices::Listed { options } => options,
                Choices::Taxonomy { .. } => {
                    out.push(FormProblem::new(
                        "not_listed_choices",
                        format!("{p}.field"),
                        "choices from a taxonomy are extended by extending the taxonomy",
                    ));
                    continue;
                }
            },
            _ => {
                out.push(FormProblem::new(
                    "not_listed_choices",
                    format!("{p}.field"),
                    format!("field `{}` is not a choice", add.field),
                ));
                continue;
            }
        };
        let before = out.len();
        let mut all = options.clone();
        all.extend(add.options.iter().cloned());
        let mut found = Vec::new();
        check_options(&all, &format!("{p}.options"), 0, &mut found);
        let offset = options.len();
        for prob in found {
            // Re-index the new options' paths to the extension's list.
            let path = reindex(&prob.path, &format!("{p}.options"), offset);
            out.push(FormProblem { path, ..prob });
        }
        if add.options.is_empty() {
            out.push(FormProblem::new(
                "empty_choices",
                format!("{p}.options"),
                "no choice to add",
            ));
        }
        if out.len() == before {
            options.extend(add.options);
        }
    }
    for (i, form) in ext.forms.into_iter().enumerate() {
        let p = format!("$.forms[{i}]");
        if forms.iter().any(|f| f.id == form.id) {
            out.push(FormProblem::new(
                "duplicate_form",
                format!("{p}.id"),
                format!("form `{}` already exists", form.id),
            ));
        }
        check_form(&form, &p, &mut out);
        forms.push(form);
    }
    if out.is_empty() {
        Ok(FormSet { forms })
    } else {
        Err(FormError::InvalidFormDefinition { problems: out })
    }
}

/// `base[n]…` with `n` shifted back by `offset` (so it indexes the extension's own list).
fn reindex(path: &str, base: &str, offset: usize) -> String {
    let Some(rest) = path.strip_prefix(base).and_then(|r| r.strip_prefix('[')) else {
        return path.to_string();
    };
    let Some((n, tail)) = rest.split_once(']') else {
        return path.to_string();
    };
    match n.parse::<usize>() {
        Ok(n) if n >= offset => format!("{base}[{}]{tail}", n - offset),
        _ => path.to_string(),
    }
}

fn field_mut<'a>(form: &'a mut FormDefinition, path: &str) -> Option<&'a mut Field> {
    let (top, sub) = match path.split_once('.') {
        Some((g, s)) => (g, Some(s)),
        None => (path, None),
    };
    let field = form
        .sections
        .iter_mut()
        .flat_map(|s| s.fields.iter_mut())
        .find(|f| f.id.as_str() == top)?;
    match sub {
        None => Some(field),
        Some(sub) => match &mut field.field_type {
            FieldType::Group { fields, .. } => fields.iter_mut().find(|f| f.id.as_str() == sub),
            _ => None,
        },
    }
}

//! Forms (様式): the national sheets of 包括的相談支援 as data, a municipality's extensions and
//! own forms, and submitting a filled form into the domain commands.
//!
//! - A **form document** ([`FormDefinition`]) has sections of fields; each field has an id,
//!   ja/en labels, a type (text, long text, date with 和暦 input, number, yes/no, choice and
//!   multi-choice from a taxonomy or listed in the form, person, agency, worker, repeated group),
//!   whether it is required, and help text.
//! - The four national sheets are built in ([`FormSet::builtin`], `core/data/forms/*.toml`):
//!   相談受付・申込票 (`intake`), アセスメントシート (`assessment`), プラン(案) (`plan`) and
//!   評価・終結 (`evaluation`). Each national kind's commands read certain fields (its binding
//!   fields, checked when a form is loaded); a municipality adds fields, sections and listed
//!   choices, and brings its own forms ([`FormExtension`], [`FormSet::extend_json`]), but
//!   cannot take a binding field away.
//! - Every problem of a definition or an extension is reported at once
//!   ([`FormError::InvalidFormDefinition`]), and every problem of a submission likewise
//!   ([`FormError::InvalidSubmission`]), each with its code and JSON path.
//! - **Submitting** ([`FormSet::submit`]) validates a [`Submission`] and returns the commands it
//!   produces, ending with the form record ([`crate::registry::RecordForm`]) that keeps every
//!   value the worker wrote; the caller runs them with
//!   [`crate::registry::CaseBook::execute_batch`], so they happen together or not at all. See
//!   `commands.rs` for what each sheet produces and the decisions taken.
//! - **Output**: [`layout`] lays a filled form out as rows (labels in the chosen language,
//!   choice labels rather than codes, dates in 和暦 where the field says so); with feature `xlsx`,
//!   `xlsx::workbook` writes them as an xlsx workbook in the municipal layout and returns its
//!   bytes.
//!
//! This module reads the registry (is the household new? which state is the case in?) but never
//! changes it: the commands do. It does no I/O and reads no clock (`today` is an argument).

mod check;
mod commands;
mod definition;
mod error;
mod extension;
mod render;
mod submission;
#[cfg(test)]
mod tests;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use commands::INTAKE_CONSENT_BASIS;
pub use definition::{
    Choice, Choices, Field, FieldId, FieldType, FormDefinition, FormId, FormKind, FormRecordId,
    Section, TaxonomyList,
};
pub use error::{FormError, FormProblem};
pub use extension::{ChoiceAddition, FieldAddition, FormExtension, SectionAddition};
pub use render::{layout, Language, PrintRow};
pub use submission::{choice_options, FormRecord, Submission};

use crate::registry::{Command, Registry};
use crate::taxonomy::Taxonomies;
use crate::Error;
use chrono::NaiveDate;

/// The built-in national forms, converted from `core/data/forms/*.toml` by `core/build.rs`.
const BUILTIN: &[&str] = &[
    include_str!(concat!(env!("OUT_DIR"), "/data/forms/intake.json")),
    include_str!(concat!(env!("OUT_DIR"), "/data/forms/assessment.json")),
    include_str!(concat!(env!("OUT_DIR"), "/data/forms/plan.json")),
    include_str!(concat!(env!("OUT_DIR"), "/data/forms/evaluation.json")),
];

/// The forms in force for one municipality: the national sheets plus its extensions.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct FormSet {
    forms: Vec<FormDefinition>,
}

impl Default for FormSet {
    fn default() -> Self {
        FormSet::builtin()
    }
}

impl FormSet {
    /// The four national sheets.
    pub fn builtin() -> FormSet {
        let forms = BUILTIN
            .iter()
            .map(|text| {
                serde_json::from_str(text).expect("built-in forms parse (checked by tests)")
            })
            .collect();
        FormSet { forms }
    }

    /// A set of the given forms, each checked (every problem at once, paths under `$[i]`).
    pub fn new(forms: Vec<FormDefinition>) -> Result<FormSet, FormError> {
        let mut problems = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, f) in forms.iter().enumerate() {
            if !seen.insert(f.id.clone()) {
                problems.push(FormProblem::new(
                    "duplicate_form",
                    format!("$[{i}].id"),
                    format!("form `{}` is defined twice", f.id),
                ));
            }
            check::check_form(f, &format!("$[{i}]"), &mut problems);
        }
        if problems.is_empty() {
            Ok(FormSet { forms })
        } else {
            Err(FormError::InvalidFormDefinition { problems })
        }
    }

    /// Check one form document (every problem, paths from `$`).
    pub fn check_definition(form: &FormDefinition) -> Result<(), FormError> {
        let mut problems = Vec::new();
        check::check_form(form, "$", &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(FormError::InvalidFormDefinition { problems })
        }
    }

    /// The forms, national first, then the municipality's own in the order added.
    pub fn forms(&self) -> &[FormDefinition] {
        &self.forms
    }

    /// Form by id.
    pub fn form(&self, id: &FormId) -> Option<&FormDefinition> {
        self.forms.iter().find(|f| &f.id == id)
    }

    /// A copy extended by a municipality's document; every problem at once, nothing changed
    /// on error.
    pub fn extended(&self, ext: FormExtension) -> Result<FormSet, FormError> {
        extension::extend(self, ext)
    }

    /// Extend in place from a JSON extension document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), FormError> {
        let ext: FormExtension = crate::coded::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML extension document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), FormError> {
        let ext: FormExtension = crate::coded::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Validate a submission against its form with the taxonomies in force: the normalised
    /// [`FormRecord`], or every problem (`invalid_submission`); `unknown_form` at `$.form`.
    pub fn validate(
        &self,
        submission: &Submission,
        tax: &Taxonomies,
        today: NaiveDate,
    ) -> Result<FormRecord, FormError> {
        let form = self
            .form(&submission.form)
            .ok_or_else(|| FormError::UnknownForm {
                form: submission.form.to_string(),
                path: "$.form".into(),
            })?;
        submission::validate(form, submission, tax, today)
            .map_err(|problems| FormError::InvalidSubmission { problems })
    }

    /// Submit a filled form: validate it (the registry's taxonomies) and return the commands it
    /// produces against `reg` as it stands, the form record last. Run them with
    /// [`crate::registry::CaseBook::execute_batch`] on the same `today`.
    ///
    /// Codes: `unknown_form` (`$.form`), `invalid_submission` (every problem; the first one's
    /// path), `not_found` (`$.case`: an assessment, plan or evaluation of an unknown case).
    pub fn submit(
        &self,
        submission: &Submission,
        reg: &Registry,
        today: NaiveDate,
    ) -> Result<Vec<Command>, Error> {
        let record = self.validate(submission, reg.taxonomies(), today)?;
        commands::commands(&record, reg)
    }
}

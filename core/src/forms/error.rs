//! Errors of forms (様式のエラー): every problem of a form definition, or of a submission, found
//! at once, each with its code and JSON path; and the unknown form.

use crate::coded::{Coded, ErrorKind};
use serde::{Deserialize, Serialize};

/// One problem of a form definition or of a submission. Messages name codes and ids only, never
/// what a worker wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormProblem {
    /// Stable snake_case code (see [`FormProblem::DEFINITION_CODES`] and
    /// [`FormProblem::SUBMISSION_CODES`]).
    pub code: String,
    /// JSON path: in the definition (`$.sections[1].fields[0].id`) or in the submission
    /// (`$.values.goals[0].text`).
    pub path: String,
    /// What is wrong (codes and ids only).
    pub message: String,
}

impl FormProblem {
    /// Problems of a form definition or a municipal extension.
    pub const DEFINITION_CODES: &'static [&'static str] = &[
        "invalid_id",
        "duplicate_id",
        "empty_label",
        "empty_choices",
        "duplicate_choice",
        "invalid_range",
        "missing_binding_field",
        "wrong_binding_type",
        "unknown_form",
        "unknown_section",
        "unknown_field",
        "not_listed_choices",
        "duplicate_form",
        "binding_not_required",
    ];
    /// Problems of a submission.
    pub const SUBMISSION_CODES: &'static [&'static str] = &[
        "missing_field",
        "unknown_field",
        "wrong_type",
        "unknown_choice",
        "duplicate_choice",
        "invalid_date",
        "out_of_range",
        "main_not_selected",
        "main_not_allowed",
        "too_few_rows",
        "too_many_rows",
        "date_order",
        "not_a_member",
        "date_in_future",
    ];

    pub(crate) fn new(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FormProblem {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FormProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] at {}: {}", self.code, self.path, self.message)
    }
}

/// Errors of forms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// A form definition (or a municipal extension) with problems, every one listed; nothing
    /// is loaded.
    #[error("invalid form definition: {} problem(s), first: {}", problems.len(), first(problems))]
    InvalidFormDefinition {
        /// Every problem, in document order.
        problems: Vec<FormProblem>,
    },
    /// A submission with problems, every one listed; no command is produced.
    #[error("invalid submission: {} problem(s), first: {}", problems.len(), first(problems))]
    InvalidSubmission {
        /// Every problem, in form order.
        problems: Vec<FormProblem>,
    },
    /// A submission names a form the set does not have.
    #[error("unknown form `{form}` at {path}")]
    UnknownForm {
        /// The form id.
        form: String,
        /// JSON path.
        path: String,
    },
}

fn first(problems: &[FormProblem]) -> String {
    problems.first().map_or_else(String::new, |p| p.to_string())
}

impl FormError {
    /// Every code this area can return (besides `malformed_document`).
    pub const CODES: &'static [&'static str] = &[
        "invalid_form_definition",
        "invalid_submission",
        "unknown_form",
    ];

    /// The problems listed, if any.
    pub fn problems(&self) -> &[FormProblem] {
        match self {
            FormError::InvalidFormDefinition { problems }
            | FormError::InvalidSubmission { problems } => problems,
            _ => &[],
        }
    }
}

impl Coded for FormError {
    fn code(&self) -> &'static str {
        match self {
            FormError::Document(e) => e.code(),
            FormError::InvalidFormDefinition { .. } => "invalid_form_definition",
            FormError::InvalidSubmission { .. } => "invalid_submission",
            FormError::UnknownForm { .. } => "unknown_form",
        }
    }
    /// The first problem's path.
    fn path(&self) -> Option<String> {
        match self {
            FormError::Document(e) => e.path(),
            FormError::InvalidFormDefinition { problems }
            | FormError::InvalidSubmission { problems } => problems.first().map(|p| p.path.clone()),
            FormError::UnknownForm { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            FormError::Document(e) => e.kind(),
            FormError::InvalidFormDefinition { .. } | FormError::InvalidSubmission { .. } => {
                ErrorKind::Invalid
            }
            FormError::UnknownForm { .. } => ErrorKind::NotFound,
        }
    }
}

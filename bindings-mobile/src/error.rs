//! The one error type of the binding: every core error arrives as a [`TsunaguError`] carrying the
//! core's stable `code`, its message (ids and codes, never names) and the JSON `path` of the
//! offending field. Kotlin sees `TsunaguException.<Variant>`, Swift a `TsunaguError` enum that
//! conforms to `Error`.
//!
//! The variant is chosen by one table from the core's [`ErrorKind`] (`tsunagu::error::
//! kind_of_code` gives every code's kind), so a code has the same class family in every binding
//! (checked by `tests/vectors/errors/classes.json`):
//!
//! | kind | variant |
//! |---|---|
//! | `document`, `invalid` | `Invalid` |
//! | `rule_document` | `InvalidRules` |
//! | `rule`, `not_found`, `already_exists`, `transition`, `consent`, `conflict` | `Rejected` |
//! | `storage` | `Journal` |
//! | (a panic of the library: `internal_panic`, not a core code) | `Internal` |

use tsunagu::error::ErrorKind;

/// One problem of a document (文書の問題): a routing rule document (`InvalidRules`), a form
/// definition or a filled form (`Invalid` with `invalid_form_definition` /
/// `invalid_submission`: `rule` is then `None`). A form screen marks every field at once.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RuleProblem {
    /// Stable code (`unknown_code`, `duplicate_rule_id` …).
    pub code: String,
    /// Rule id, when the problem is inside a rule.
    pub rule: Option<String>,
    /// JSON path of the problem.
    pub path: String,
    /// Line in a TOML document, where known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// Every failure of the binding. The variant says what kind of failure it is; `code` is the
/// core's stable snake_case code (`not_found`, `illegal_transition`, `invalid_date` …).
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum TsunaguError {
    /// A document or argument that does not parse or is not valid (`malformed_document`,
    /// `invalid_date`, household validation codes, `invalid_submission` …).
    #[error("{code} at {path:?}: {detail}")]
    Invalid {
        /// Stable code.
        code: String,
        /// Message (ids and codes, never names). Named `detail` because Kotlin's `Throwable`
        /// already has `message` (which uniffi fills with code, detail and path).
        detail: String,
        /// JSON path of the offending field.
        path: Option<String>,
        /// Every problem, for the codes that list them (`invalid_submission`,
        /// `invalid_form_definition`: every field at once, the first one's path in `path`);
        /// empty otherwise.
        problems: Vec<RuleProblem>,
    },
    /// A domain rule refused the command (`not_found`, `illegal_transition`, `consent_required` …);
    /// nothing changed.
    #[error("{code} at {path:?}: {detail}")]
    Rejected {
        /// Stable code.
        code: String,
        /// Message (ids and codes, never names). Named `detail` because Kotlin's `Throwable`
        /// already has `message` (which uniffi fills with code, detail and path).
        detail: String,
        /// JSON path of the offending field.
        path: Option<String>,
    },
    /// A routing rule document with problems (`invalid_rule_document`): every problem is listed.
    #[error("{code}: {detail}")]
    InvalidRules {
        /// Stable code.
        code: String,
        /// Message (ids and codes, never names). Named `detail` because Kotlin's `Throwable`
        /// already has `message` (which uniffi fills with code, detail and path).
        detail: String,
        /// Path of the first problem.
        path: Option<String>,
        /// Every problem, in document order.
        problems: Vec<RuleProblem>,
    },
    /// The journal, its file or a merge failed (`storage`, `chain_broken`, `unverified_journal` …).
    #[error("{code} at {path:?}: {detail}")]
    Journal {
        /// Stable code.
        code: String,
        /// Message (ids and codes, never names). Named `detail` because Kotlin's `Throwable`
        /// already has `message` (which uniffi fills with code, detail and path).
        detail: String,
        /// JSON path, where there is one.
        path: Option<String>,
    },
    /// The library failed inside (a bug: a Rust panic, caught at the boundary by
    /// [`crate::guard::guarded`]); code `internal_panic`. The call changed nothing that was not
    /// already stored, and the objects remain usable.
    #[error("{code}: {detail}")]
    Internal {
        /// Stable code (`internal_panic`).
        code: String,
        /// The panic's message.
        detail: String,
        /// Always `None`.
        path: Option<String>,
    },
}

impl TsunaguError {
    /// The stable code, whatever the variant.
    pub fn code(&self) -> &str {
        match self {
            TsunaguError::Invalid { code, .. }
            | TsunaguError::Rejected { code, .. }
            | TsunaguError::InvalidRules { code, .. }
            | TsunaguError::Journal { code, .. }
            | TsunaguError::Internal { code, .. } => code,
        }
    }
    /// The path, whatever the variant.
    pub fn path(&self) -> Option<&str> {
        match self {
            TsunaguError::Invalid { path, .. }
            | TsunaguError::Rejected { path, .. }
            | TsunaguError::InvalidRules { path, .. }
            | TsunaguError::Journal { path, .. }
            | TsunaguError::Internal { path, .. } => path.as_deref(),
        }
    }
    /// The error's path field.
    fn path_slot(&mut self) -> &mut Option<String> {
        match self {
            TsunaguError::Invalid { path, .. }
            | TsunaguError::Rejected { path, .. }
            | TsunaguError::InvalidRules { path, .. }
            | TsunaguError::Journal { path, .. }
            | TsunaguError::Internal { path, .. } => path,
        }
    }
    /// The same error with its path's prefix `from` (`$.action`) replaced by `to` (`$`), where
    /// the path starts with `from` followed by the end, `.` or `[`.
    pub(crate) fn rebased(mut self, from: &str, to: &str) -> Self {
        if let Some(s) = self.path_slot().as_mut() {
            if let Some(rest) = s.strip_prefix(from) {
                if rest.is_empty() || rest.starts_with(['.', '[']) {
                    *s = format!("{to}{rest}");
                }
            }
        }
        self
    }
    /// The same error with its path prefixed (`$[3]` + `.household.id`), for batch calls.
    pub fn under(mut self, prefix: &str) -> Self {
        let p = self.path_slot();
        *p = Some(tsunagu::registry::path_under(prefix, p.as_deref()));
        self
    }
    /// A `malformed_document` error at `path`.
    pub fn malformed(message: impl Into<String>, path: &str) -> Self {
        TsunaguError::invalid("malformed_document", message, Some(path))
    }
    /// An `Invalid` error without a list of problems.
    pub fn invalid(code: &str, detail: impl Into<String>, path: Option<&str>) -> Self {
        TsunaguError::Invalid {
            code: code.into(),
            detail: detail.into(),
            path: path.map(String::from),
            problems: Vec::new(),
        }
    }
}

impl From<tsunagu::Error> for TsunaguError {
    /// The one table: the variant of each kind of error.
    fn from(e: tsunagu::Error) -> Self {
        let code = e.code().to_string();
        let detail = e.to_string();
        let path = e.path();
        match e.kind() {
            ErrorKind::Document | ErrorKind::Invalid => {
                let problems = match &e {
                    tsunagu::Error::Forms(f) => f
                        .problems()
                        .iter()
                        .map(|p| RuleProblem {
                            code: p.code.clone(),
                            rule: None,
                            path: p.path.clone(),
                            line: None,
                            message: p.message.clone(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                TsunaguError::Invalid {
                    code,
                    detail,
                    path,
                    problems,
                }
            }
            ErrorKind::RuleDocument => {
                let problems = match &e {
                    tsunagu::Error::Routing(
                        tsunagu::routing::RoutingError::InvalidRuleDocument { problems },
                    ) => problems.as_slice(),
                    _ => &[],
                };
                TsunaguError::InvalidRules {
                    code,
                    detail,
                    path: problems.first().map(|p| p.path.clone()),
                    problems: problems
                        .iter()
                        .map(|p| RuleProblem {
                            code: p.code.clone(),
                            rule: p.rule.as_ref().map(|r| r.to_string()),
                            path: p.path.clone(),
                            line: p.line,
                            message: p.message.clone(),
                        })
                        .collect(),
                }
            }
            ErrorKind::Rule
            | ErrorKind::NotFound
            | ErrorKind::AlreadyExists
            | ErrorKind::Transition
            | ErrorKind::Consent
            | ErrorKind::Conflict => TsunaguError::Rejected { code, detail, path },
            ErrorKind::Storage => TsunaguError::Journal { code, detail, path },
        }
    }
}

impl From<tsunagu::registry::BatchError> for TsunaguError {
    /// A rejected batch: the core's error with its path under the event (`$[i].command…`, as
    /// [`tsunagu::registry::BatchError::path`] re-roots it).
    fn from(e: tsunagu::registry::BatchError) -> Self {
        let path = e.path();
        let mut error = TsunaguError::from(e.error);
        *error.path_slot() = path;
        error
    }
}

/// Every area error converts through [`tsunagu::Error`] (and so through the one table).
macro_rules! from_area_errors {
    ($($ty:ty),* $(,)?) => {
        $(
            impl From<$ty> for TsunaguError {
                fn from(e: $ty) -> Self {
                    tsunagu::Error::from(e).into()
                }
            }
        )*
    };
}

tsunagu::for_each_area_error!(from_area_errors);

/// Result of every fallible binding call.
pub type Result<T, E = TsunaguError> = std::result::Result<T, E>;

/// An example error of `code`, built by the core and converted through the one table (for the
/// error-class vector); `internal_panic` is `Internal`; an unknown code is `Invalid` with code
/// `unknown_error_code`.
#[uniffi::export]
pub fn error_for_code(code: String) -> Result<()> {
    crate::guard::guarded(|| {
        Err(match tsunagu::Error::example(&code) {
            Some(e) => e.into(),
            None if code == crate::guard::INTERNAL_PANIC => TsunaguError::Internal {
                code,
                detail: "example of an internal error".into(),
                path: None,
            },
            None => TsunaguError::invalid(
                "unknown_error_code",
                format!("no error code `{code}`"),
                None,
            ),
        })
    })
}

/// The kind of an error code (`not_found`, `rule` …; `None` for an unknown code), as the core's
/// table gives it.
#[uniffi::export]
pub fn error_kind_of_code(code: String) -> Result<Option<String>> {
    crate::guard::guarded(
        || Ok(tsunagu::error::kind_of_code(&code).map(|k| k.as_str().to_string())),
    )
}

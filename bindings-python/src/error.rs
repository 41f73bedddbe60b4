//! The one place where core errors become Python exceptions.
//!
//! Hierarchy (all carry `code` and `path` attributes):
//!
//! ```text
//! TsunaguError (Exception)
//! ├── ValidationError          bad input: codes, dates, shapes (the default)
//! │   ├── DocumentError        malformed_document (JSON / TOML that does not parse)
//! │   └── RuleDocumentError    invalid_rule_document; `problems` lists every problem
//! ├── NotFoundError            a referenced id does not exist
//! ├── AlreadyExistsError       an id that must be new is taken
//! ├── TransitionError          a lifecycle step not allowed from the current state
//! └── ConsentError             consent and disclosure rules
//! ```

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyErr};
use tsunagu::Error;

create_exception!(tsunagu._core, TsunaguError, PyException, "Base class of every tsunagu error; has `code` (stable snake_case) and `path` (JSON path or None).");
create_exception!(
    tsunagu._core,
    ValidationError,
    TsunaguError,
    "Input that breaks a rule (a code, a date, a shape)."
);
create_exception!(
    tsunagu._core,
    DocumentError,
    ValidationError,
    "A JSON or TOML document that does not parse (code `malformed_document`)."
);
create_exception!(
    tsunagu._core,
    RuleDocumentError,
    ValidationError,
    "A routing rule document with problems (code `invalid_rule_document`); `problems` lists every one as a dict (`code`, `rule`, `path`, `line`, `source`, `related_rule`, `message`). Nothing was loaded."
);
create_exception!(
    tsunagu._core,
    NotFoundError,
    TsunaguError,
    "A referenced entity (case, agency, plan, person …) does not exist."
);
create_exception!(
    tsunagu._core,
    AlreadyExistsError,
    TsunaguError,
    "An entity with this id already exists."
);
create_exception!(
    tsunagu._core,
    TransitionError,
    TsunaguError,
    "A lifecycle step (case, referral, consent) not allowed now."
);
create_exception!(
    tsunagu._core,
    ConsentError,
    TsunaguError,
    "Consent and disclosure rules (consent required, not given …)."
);

const NOT_FOUND: &[&str] = &[
    "not_found",
    "unknown_agency",
    "unknown_plan",
    "unknown_person",
    "unknown_consent",
    "unknown_goal",
];
const ALREADY_EXISTS: &[&str] = &[
    "already_exists",
    "duplicate_agency",
    "duplicate_contact",
    "duplicate_consent",
];
const TRANSITION: &[&str] = &[
    "illegal_transition",
    "illegal_referral_transition",
    "date_before_last_event",
    "date_before_last_transition",
    "referral_not_accepted",
    "assessment_required",
    "plan_not_consented",
    "not_authorised",
    "already_withdrawn",
];

/// The Python class of a core error.
fn class_of<'py>(py: Python<'py>, e: &Error) -> Bound<'py, pyo3::types::PyType> {
    let code = e.code();
    if code == "malformed_document" {
        py.get_type::<DocumentError>()
    } else if code == "invalid_rule_document" {
        py.get_type::<RuleDocumentError>()
    } else if NOT_FOUND.contains(&code) {
        py.get_type::<NotFoundError>()
    } else if ALREADY_EXISTS.contains(&code) {
        py.get_type::<AlreadyExistsError>()
    } else if TRANSITION.contains(&code) {
        py.get_type::<TransitionError>()
    } else if matches!(e, Error::Consent(_) | Error::Disclosure(_)) {
        py.get_type::<ConsentError>()
    } else {
        py.get_type::<ValidationError>()
    }
}

/// Convert a core error into a Python exception instance with `code` and `path` set.
pub fn to_py(e: Error) -> PyErr {
    Python::attach(|py| {
        let cls = class_of(py, &e);
        let message = e.to_string();
        match cls.call1((message.clone(),)) {
            Ok(inst) => {
                let _ = inst.setattr("code", e.code());
                let _ = inst.setattr("path", e.path());
                if let Error::Routing(tsunagu::routing::RoutingError::InvalidRuleDocument {
                    problems,
                }) = &e
                {
                    let list = problems
                        .iter()
                        .map(|p| {
                            let d = pyo3::types::PyDict::new(py);
                            d.set_item("code", &p.code)?;
                            d.set_item("rule", p.rule.as_ref().map(|r| r.as_str()))?;
                            d.set_item("path", &p.path)?;
                            d.set_item("line", p.line)?;
                            d.set_item(
                                "source",
                                match p.source {
                                    tsunagu::routing::RuleSource::Builtin => "builtin",
                                    _ => "document",
                                },
                            )?;
                            d.set_item(
                                "related_rule",
                                p.related_rule.as_ref().map(|r| r.as_str()),
                            )?;
                            d.set_item("message", &p.message)?;
                            Ok(d)
                        })
                        .collect::<PyResult<Vec<_>>>();
                    if let Ok(list) = list {
                        let _ = inst.setattr("problems", list);
                    }
                }
                PyErr::from_value(inst)
            }
            Err(err) => err,
        }
    })
}

/// `Result<T, tsunagu::Error>` → `PyResult<T>`.
pub trait IntoPy<T> {
    /// Map the error.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// Every area error converts through [`tsunagu::Error`] (and so through the one table).
macro_rules! into_py_area_errors {
    ($($ty:ty),* $(,)?) => {
        $(
            impl<T> IntoPy<T> for Result<T, $ty> {
                fn py(self) -> PyResult<T> {
                    self.map_err(|e| to_py(e.into()))
                }
            }
        )*
    };
}

into_py_area_errors!(
    tsunagu::error::DocumentError,
    tsunagu::calendar::CalendarError,
    tsunagu::taxonomy::TaxonomyError,
    tsunagu::household::HouseholdError,
    tsunagu::agency::AgencyError,
    tsunagu::case::CaseError,
    tsunagu::plan::PlanError,
    tsunagu::referral::ReferralError,
    tsunagu::routing::RoutingError,
    tsunagu::meeting::MeetingError,
    tsunagu::consent::ConsentError,
    tsunagu::disclosure::DisclosureError,
    tsunagu::journal::JournalError,
    tsunagu::registry::RegistryError,
    tsunagu::participation::ParticipationError,
    tsunagu::community::CommunityError,
    tsunagu::disaster::DisasterError,
    tsunagu::sync::SyncError,
    tsunagu::stats::StatsError,
);

/// Register the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TsunaguError", py.get_type::<TsunaguError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("RuleDocumentError", py.get_type::<RuleDocumentError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("AlreadyExistsError", py.get_type::<AlreadyExistsError>())?;
    m.add("TransitionError", py.get_type::<TransitionError>())?;
    m.add("ConsentError", py.get_type::<ConsentError>())?;
    Ok(())
}

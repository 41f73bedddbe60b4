//! The one place where core errors become Python exceptions: one table from the core's
//! [`ErrorKind`] (`tsunagu::error::kind_of_code` gives every code's kind) to a class, so a code
//! has the same class family in every binding (checked by `tests/vectors/errors/classes.json`).
//!
//! Hierarchy (all carry `code`, `path` and `kind` attributes):
//!
//! ```text
//! TsunaguError (Exception)
//! ├── ValidationError          kind `invalid`: a value that is not valid on its own
//! │   ├── DocumentError        kind `document`: malformed_document (JSON / TOML that does not parse)
//! │   ├── RuleDocumentError    kind `rule_document`: invalid_rule_document; `problems` lists every problem
//! │   └── RuleViolationError   kind `rule`: a domain rule refused a well-formed command
//! ├── NotFoundError            kind `not_found`: a referenced id does not exist
//! ├── AlreadyExistsError       kind `already_exists`: an id that must be new is taken
//! ├── TransitionError          kind `transition`: a lifecycle step not allowed from the current state
//! ├── ConsentError             kind `consent`: consent and disclosure rules
//! ├── ConflictError            kind `conflict`: two writers changed the same thing
//! ├── StorageError             kind `storage`: the journal or its store failed
//! └── InternalError            kind `internal`, code `internal_panic`: a Rust panic (a bug), see `panic.rs`
//! ```

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyErr};
use tsunagu::error::ErrorKind;
use tsunagu::Error;

create_exception!(tsunagu._core, TsunaguError, PyException, "Base class of every tsunagu error; has `code` (stable snake_case), `path` (JSON path or None) and `kind` (the code's kind, e.g. `not_found`).");
create_exception!(
    tsunagu._core,
    ValidationError,
    TsunaguError,
    "Input that is not valid (a code, a date, a shape)."
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
    RuleViolationError,
    ValidationError,
    "A well-formed command that a domain rule refuses now (a date in the future, out of order, over capacity …)."
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
create_exception!(
    tsunagu._core,
    ConflictError,
    TsunaguError,
    "Two writers changed the same thing (a stale plan version)."
);
create_exception!(
    tsunagu._core,
    StorageError,
    TsunaguError,
    "The journal or its store failed (a broken chain, a corrupt file, storage)."
);

create_exception!(
    tsunagu._core,
    InternalError,
    TsunaguError,
    "A bug inside tsunagu: Rust panicked during the call (code `internal_panic`, kind `internal`). The call was abandoned; the message carries no input data."
);

/// The one table: the Python class of each kind of error.
fn class_of(py: Python<'_>, kind: ErrorKind) -> Bound<'_, pyo3::types::PyType> {
    match kind {
        ErrorKind::Document => py.get_type::<DocumentError>(),
        ErrorKind::RuleDocument => py.get_type::<RuleDocumentError>(),
        ErrorKind::Invalid => py.get_type::<ValidationError>(),
        ErrorKind::Rule => py.get_type::<RuleViolationError>(),
        ErrorKind::NotFound => py.get_type::<NotFoundError>(),
        ErrorKind::AlreadyExists => py.get_type::<AlreadyExistsError>(),
        ErrorKind::Transition => py.get_type::<TransitionError>(),
        ErrorKind::Consent => py.get_type::<ConsentError>(),
        ErrorKind::Conflict => py.get_type::<ConflictError>(),
        ErrorKind::Storage => py.get_type::<StorageError>(),
    }
}

/// Convert a core error into a Python exception instance with `code` and `path` set.
pub fn to_py(e: Error) -> PyErr {
    Python::attach(|py| {
        let kind = e.kind();
        let cls = class_of(py, kind);
        let message = e.to_string();
        match cls.call1((message.clone(),)) {
            Ok(inst) => {
                let _ = inst.setattr("code", e.code());
                let _ = inst.setattr("path", e.path());
                let _ = inst.setattr("kind", kind.as_str());
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
                if let Error::Access(tsunagu::access::AccessError::InvalidPolicy { problems }) = &e
                {
                    let list = problems
                        .iter()
                        .map(|p| {
                            let d = pyo3::types::PyDict::new(py);
                            d.set_item("code", &p.code)?;
                            d.set_item("rule", p.rule.as_ref().map(|r| r.to_string()))?;
                            d.set_item("path", &p.path)?;
                            d.set_item("line", p.line)?;
                            d.set_item("message", &p.message)?;
                            Ok(d)
                        })
                        .collect::<PyResult<Vec<_>>>();
                    if let Ok(list) = list {
                        let _ = inst.setattr("problems", list);
                    }
                }
                if let Error::Forms(fe) = &e {
                    let list = fe
                        .problems()
                        .iter()
                        .map(|p| {
                            let d = pyo3::types::PyDict::new(py);
                            d.set_item("code", &p.code)?;
                            d.set_item("path", &p.path)?;
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

tsunagu::for_each_area_error!(into_py_area_errors);

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
    m.add("RuleViolationError", py.get_type::<RuleViolationError>())?;
    m.add("ConflictError", py.get_type::<ConflictError>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add_function(wrap_pyfunction!(_error_for_code, m)?)?;
    Ok(())
}

/// `tsunagu._error_for_code(code)`: raise an example error of `code`, built by the core and
/// converted through the one table (for the error-class vector; `ValueError` for an unknown
/// code).
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn _error_for_code(code: &str) -> PyResult<()> {
    if code == crate::panic::INTERNAL_PANIC {
        return Err(crate::panic::internal_error());
    }
    match Error::example(code) {
        Some(e) => Err(to_py(e)),
        None => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "no error code `{code}`"
        ))),
    }
}

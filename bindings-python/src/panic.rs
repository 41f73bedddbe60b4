//! The panic guard: a Rust panic inside an exported call becomes `tsunagu.InternalError`
//! (a `TsunaguError`, code `internal_panic`, kind `internal`), the code the wasm binding uses,
//! instead of pyo3's `PanicException` (a `BaseException`: `except Exception` and
//! `except TsunaguError` would let it through and a notebook or a web worker would die with it).
//!
//! Every `#[pyfunction]` and `#[pymethods]` block carries `#[guard]` (crate
//! `tsunagu-python-guard`), which runs the body through [`guard`] / [`guard_result`]. The
//! panic's own message is not passed on: it may quote a value (a name, a note) and an error
//! message never carries personal data; the default panic hook has already printed it to stderr
//! for the developer. A panic is a bug in tsunagu: the call is abandoned (the book's lock is
//! poison-tolerant and a command is applied all or nothing, so the book stays usable).

use crate::error::InternalError;
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The stable code of the error a panic becomes (binding-level, not a core code).
pub const INTERNAL_PANIC: &str = "internal_panic";

/// The `kind` of that error.
pub const INTERNAL_KIND: &str = "internal";

/// The Python exception for a caught panic.
pub fn internal_error() -> PyErr {
    let err = InternalError::new_err(
        "internal error in tsunagu (a bug; please report it with the stderr output): the call panicked and was abandoned",
    );
    Python::attach(|py| {
        let v = err.value(py);
        let _ = v.setattr("code", INTERNAL_PANIC);
        let _ = v.setattr("path", py.None());
        let _ = v.setattr("kind", INTERNAL_KIND);
    });
    err
}

/// Run `f`; a panic becomes [`internal_error`].
pub fn guard<T>(f: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| internal_error())
}

/// Run `f`, which returns a result already; a panic becomes [`internal_error`].
pub fn guard_result<T, E: From<PyErr>>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(internal_error().into()),
    }
}

/// `tsunagu._panic_for_test()`: panics inside Rust, to prove the guard (test-only; always
/// raises `InternalError`).
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn _panic_for_test() {
    panic!("tsunagu._panic_for_test: a deliberate panic");
}

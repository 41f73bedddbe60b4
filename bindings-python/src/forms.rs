//! Forms (様式) in Python: the national sheets and a municipality's extensions (`FormSet`),
//! checking a form definition, submitting a filled form into the commands it yields, executing
//! them on a book as one unit, and the filled form's layout and Excel workbook.

use crate::book::{ActingBook, CaseBook};
use crate::convert;
use crate::error::IntoPy;
use crate::persons::from_value;
use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;
use std::path::PathBuf;
use tsunagu::forms::{
    FormDefinition, FormExtension, FormRecordId, FormSet as CoreFormSet, Language, Submission,
};
use tsunagu::worker::Actor;

/// A form extension document: a dict, JSON text or TOML text.
fn extension(document: &Bound<'_, PyAny>) -> PyResult<FormExtension> {
    if let Ok(s) = document.cast::<pyo3::types::PyString>() {
        let text = convert::str_arg(s)?;
        if !text.trim_start().starts_with('{') {
            return tsunagu::error::from_toml(&text).py();
        }
    }
    convert::document(document)
}

fn language(lang: &str) -> PyResult<Language> {
    from_value(serde_json::Value::from(lang))
}

/// A book argument: a `CaseBook`, or an `ActingBook` (its commands are recorded by its actor).
fn book_arg(book: &Bound<'_, PyAny>) -> PyResult<(Py<CaseBook>, Option<Actor>)> {
    if let Ok(b) = book.cast::<CaseBook>() {
        return Ok((b.clone().unbind(), None));
    }
    if let Ok(a) = book.cast::<ActingBook>() {
        let a = a.get();
        return Ok((a.book_ref().clone_ref(book.py()), Some(a.actor().clone())));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "book must be a CaseBook or an ActingBook",
    ))
}

/// Check one form definition on its own (a municipality's own form before loading it):
/// raises `invalid_form_definition` with every problem in `problems`.
#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn check_form_definition(form: &Bound<'_, PyAny>) -> PyResult<()> {
    let form: FormDefinition = convert::document(form)?;
    CoreFormSet::check_definition(&form).py()
}

/// The forms in force (様式一式): the four national sheets (相談受付・申込票 `intake`,
/// アセスメントシート `assessment`, プラン(案) `plan`, 評価・終結 `evaluation`) and a
/// municipality's extensions and own forms. Immutable: `extended` returns a new set.
#[pyclass(frozen, skip_from_py_object, module = "tsunagu._core")]
#[derive(Clone)]
pub struct FormSet(CoreFormSet);

#[tsunagu_python_guard::guard]
#[pymethods]
impl FormSet {
    /// The national sheets.
    #[new]
    fn new() -> Self {
        FormSet(CoreFormSet::builtin())
    }
    /// A copy extended by a municipality's document (dict, JSON or TOML text: added fields,
    /// sections, choices and own forms); raises `invalid_form_definition` with every problem,
    /// changing nothing.
    fn extended(&self, document: &Bound<'_, PyAny>) -> PyResult<FormSet> {
        self.0.extended(extension(document)?).py().map(FormSet)
    }
    fn __len__(&self) -> usize {
        self.0.forms().len()
    }
    /// The form definitions as dicts.
    fn forms<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.forms())
    }
    /// One form definition as a dict (`None` when the set has no such form).
    fn form<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let id = from_value(id.into())?;
        convert::to_py(py, &self.0.form(&id))
    }
    /// The commands a filled form yields on `today` against the book as it stands (the form
    /// record last), as dicts — not executed. Raises `invalid_submission` with every problem.
    fn submit<'py>(
        &self,
        py: Python<'py>,
        submission: &Bound<'py, PyAny>,
        book: &Bound<'py, PyAny>,
        today: NaiveDate,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sub: Submission = convert::document(submission)?;
        let (book, _) = book_arg(book)?;
        let commands = {
            let b = book.get().lock();
            self.0.submit(&sub, b.registry(), today).py()?
        };
        convert::to_py(py, &commands)
    }
    /// Submit and execute on the book as one unit (all commands appended in one transaction,
    /// or none): returns the receipts. An `ActingBook` records them by its actor.
    #[pyo3(signature = (submission, book, today, now=None))]
    fn execute<'py>(
        &self,
        py: Python<'py>,
        submission: &Bound<'py, PyAny>,
        book: &Bound<'py, PyAny>,
        today: NaiveDate,
        now: Option<DateTime<Utc>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sub: Submission = convert::document(submission)?;
        let (book, actor) = book_arg(book)?;
        let receipts = py
            .detach(|| {
                let mut b = book.get().lock();
                let commands = self.0.submit(&sub, b.registry(), today)?;
                let at = b.recording_time(now.unwrap_or_else(crate::book::clock));
                b.execute_batch_as(commands, today, at, actor.as_ref())
            })
            .py()?;
        convert::to_py(py, &receipts)
    }
    /// The layout of a recorded form (by its form record id) as print rows (dicts: title,
    /// section, field, table), labels in `lang` (`ja` or `en`); `None` for an unknown record.
    #[pyo3(signature = (record, book, lang="ja"))]
    fn layout<'py>(
        &self,
        py: Python<'py>,
        record: &str,
        book: &Bound<'py, PyAny>,
        lang: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (id, lang): (FormRecordId, Language) = (from_value(record.into())?, language(lang)?);
        let (book, _) = book_arg(book)?;
        let b = book.get().lock();
        let reg = b.registry();
        let rows = reg.form_record(&id).and_then(|r| {
            self.0
                .form(&r.form)
                .map(|form| tsunagu::forms::layout(form, r, reg, lang))
        });
        convert::to_py(py, &rows)
    }
    /// Write a recorded form as an Excel workbook (.xlsx, the municipal layout) to `path`;
    /// returns the number of bytes written. Raises `not_found` for an unknown record.
    #[pyo3(signature = (record, book, path, lang="ja"))]
    fn to_excel(
        &self,
        py: Python<'_>,
        record: &str,
        book: &Bound<'_, PyAny>,
        path: PathBuf,
        lang: &str,
    ) -> PyResult<usize> {
        let (id, lang): (FormRecordId, Language) = (from_value(record.into())?, language(lang)?);
        let (book, _) = book_arg(book)?;
        let bytes = {
            let b = book.get().lock();
            let reg = b.registry();
            let rec = reg.form_record(&id).ok_or_else(|| {
                crate::error::to_py(tsunagu::Error::from(
                    tsunagu::registry::RegistryError::NotFound {
                        entity: "form record",
                        id: id.to_string(),
                        path: "$.record".into(),
                    },
                ))
            })?;
            tsunagu::forms::xlsx::workbook(&self.0, rec, reg, lang).py()?
        };
        py.detach(|| std::fs::write(&path, &bytes))?;
        Ok(bytes.len())
    }
    fn __repr__(&self) -> String {
        format!("FormSet(forms={})", self.0.forms().len())
    }
}

/// Register the class and the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<FormSet>()?;
    m.add_function(wrap_pyfunction!(check_form_definition, m)?)?;
    Ok(())
}

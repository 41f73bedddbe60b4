//! Python binding of tsunagu (`tsunagu._core`): a thin, Pythonic layer over the core — the
//! calendar, taxonomies, households, the case book, reports and exports (this file and
//! `book.rs`), routing (`routing.rs`), persons and the record (`persons.rs`,
//! `record_tables.rs`), forms (`forms.rs`) and access (`access.rs`).
//!
//! Documents (commands, households, agencies, taxonomy extensions) go in as dicts or JSON
//! strings and come out as dicts shaped exactly like the core's JSON; dates are `datetime.date`
//! where a function takes or returns a single date. Every error is a `TsunaguError` subclass
//! with the core's `code` and `path` (see `error.rs`); a Rust panic is `InternalError` (code
//! `internal_panic`), never pyo3's `PanicException`: every `#[pyfunction]` and `#[pymethods]`
//! block carries `#[tsunagu_python_guard::guard]` (`panic.rs`) — put it on any new one.
//! Documents built from Python objects are bounded (depth 128, no cycles: `convert.rs`). Long
//! work (replay, reports, exports, reading journals) releases the GIL. Classes are frozen
//! (`Send + Sync`) and pickle by value, so they travel to Dask workers.

mod access;
mod arrow;
mod book;
mod convert;
mod error;
mod forms;
mod panic;
mod persons;
mod routing;

use arrow::ArrowTable;
use book::{CaseBook, Journal};
use chrono::NaiveDate;
use error::IntoPy;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyType};
use std::path::PathBuf;
use tsunagu::analysis::JournalFile;
use tsunagu::calendar::{EraStyle, FiscalYear as CoreFiscalYear};
use tsunagu::stats::{self, AgeBands, PartialReport as CorePartial, Position, ReportSettings};
use tsunagu::taxonomy::{Taxonomies as CoreTaxonomies, TaxonomyDocument};
use tsunagu::Coded;

pub use tsunagu::VERSION;

/// A date for Python: `datetime.date` holds years 1–9999, the core's dates go further (an era
/// year has no upper bound: 令和9999年 is the year 12017), so a date outside Python's range is
/// the core's `invalid_date` (a `ValidationError`), not Python's `ValueError`.
pub(crate) fn py_date(d: NaiveDate) -> PyResult<NaiveDate> {
    use chrono::Datelike;
    if (1..=9999).contains(&d.year()) {
        Ok(d)
    } else {
        Err(error::to_py(tsunagu::Error::Calendar(
            tsunagu::calendar::CalendarError::InvalidDate {
                input: format!("year {}", d.year()),
                path: None,
            },
        )))
    }
}

fn fiscal_year_arg(obj: &Bound<'_, PyAny>) -> PyResult<CoreFiscalYear> {
    if let Ok(fy) = obj.cast::<FiscalYear>() {
        return Ok(fy.get().0);
    }
    if let Ok(y) = obj.extract::<i32>() {
        return CoreFiscalYear::new(y).py();
    }
    let text: String = obj.extract()?;
    tsunagu::calendar::parse_fiscal_year(&text).py()
}

fn settings_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<ReportSettings> {
    match obj {
        None => Ok(ReportSettings::default()),
        Some(o) if o.is_none() => Ok(ReportSettings::default()),
        Some(o) => {
            let s: ReportSettings = convert::document(o)?;
            AgeBands::new(s.age_bands.bands().to_vec()).py()?;
            Ok(s)
        }
    }
}

fn bands_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<AgeBands> {
    match obj {
        Some(o) if !o.is_none() => {
            let bands: Vec<stats::AgeBand> = convert::document(o)?;
            AgeBands::new(bands).py()
        }
        _ => Ok(AgeBands::default()),
    }
}

// ------------------------------------------------------------------------------ calendar

/// Fiscal year (年度), April 1 – March 31, named by the year it starts in.
#[pyclass(frozen, eq, ord, hash, skip_from_py_object, module = "tsunagu._core")]
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(CoreFiscalYear);

#[tsunagu_python_guard::guard]
#[pymethods]
impl FiscalYear {
    /// `FiscalYear(2020)`, `FiscalYear("令和2年度")`, `FiscalYear("R2年度")`.
    #[new]
    fn new(year: &Bound<'_, PyAny>) -> PyResult<Self> {
        fiscal_year_arg(year).map(FiscalYear)
    }
    /// The fiscal year a date falls in.
    #[staticmethod]
    fn of(date: NaiveDate) -> PyResult<Self> {
        CoreFiscalYear::of(date).py().map(FiscalYear)
    }
    /// Starting Gregorian year.
    #[getter]
    fn year(&self) -> i32 {
        self.0.year()
    }
    /// April 1.
    #[getter]
    fn start(&self) -> PyResult<NaiveDate> {
        py_date(self.0.start())
    }
    /// March 31 of the next year.
    #[getter]
    fn end(&self) -> PyResult<NaiveDate> {
        py_date(self.0.end())
    }
    /// `令和2年度`.
    #[getter]
    fn label_ja(&self) -> String {
        self.0.label_ja()
    }
    /// `2020年度`.
    #[getter]
    fn label_gregorian(&self) -> String {
        self.0.label_gregorian()
    }
    fn __contains__(&self, date: NaiveDate) -> bool {
        self.0.contains(date)
    }
    fn __int__(&self) -> i32 {
        self.0.year()
    }
    fn __repr__(&self) -> String {
        format!("FiscalYear({})", self.0.year())
    }
    fn __str__(&self) -> String {
        self.0.label_ja()
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, (i32,))> {
        Ok((slf.get_type(), (slf.get().0.year(),)))
    }
}

/// Parse a Japanese era date (`令和5年11月16日`, `R5.11.16`, `2023年11月16日（木）` …).
#[tsunagu_python_guard::guard]
#[pyfunction]
fn parse_era_date(text: &str) -> PyResult<NaiveDate> {
    py_date(tsunagu::calendar::parse_era_date(text).py()?)
}

/// Format a date in the era calendar: `style="kanji"` (`令和5年11月16日`) or `"short"` (`R5.11.16`).
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (date, style="kanji"))]
fn format_era_date(date: NaiveDate, style: &str) -> PyResult<String> {
    let style = match style {
        "kanji" => EraStyle::Kanji,
        "short" => EraStyle::Short,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "unknown style {other:?}: kanji or short"
            )))
        }
    };
    tsunagu::calendar::format_era_date(date, style).py()
}

/// School stage (学齢) on a date: `{"stage": …, "grade": …}` (Japanese school year from April 2).
#[tsunagu_python_guard::guard]
#[pyfunction]
fn school_stage<'py>(
    py: Python<'py>,
    birth: NaiveDate,
    today: NaiveDate,
) -> PyResult<Bound<'py, PyAny>> {
    let stage = tsunagu::calendar::school_stage(birth, today).py()?;
    convert::to_py(py, &stage)
}

/// Age in whole years on a date (`None` before birth).
#[tsunagu_python_guard::guard]
#[pyfunction]
fn age_on(birth: NaiveDate, today: NaiveDate) -> Option<u32> {
    tsunagu::calendar::age_on(birth, today)
}

// ------------------------------------------------------------------------------ taxonomy

/// The vocabularies in force (issues, agency kinds, sectors …): built-ins plus extensions.
#[pyclass(frozen, skip_from_py_object, module = "tsunagu._core")]
#[derive(Clone)]
pub struct Taxonomies(CoreTaxonomies);

fn taxonomy_doc(document: &Bound<'_, PyAny>) -> PyResult<TaxonomyDocument> {
    if let Ok(s) = document.extract::<String>() {
        if !s.trim_start().starts_with('{') {
            return tsunagu::error::from_toml(&s).py();
        }
    }
    convert::document(document)
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl Taxonomies {
    /// The built-in taxonomies.
    #[new]
    fn new() -> Self {
        Taxonomies(CoreTaxonomies::builtin())
    }
    /// A copy extended by a municipality's document (dict, JSON or TOML text); raises on a
    /// duplicate or unknown code, changing nothing.
    fn extended(&self, document: &Bound<'_, PyAny>) -> PyResult<Taxonomies> {
        self.0
            .extended(taxonomy_doc(document)?)
            .py()
            .map(Taxonomies)
    }
    /// Number of issue categories.
    #[getter]
    fn issue_count(&self) -> usize {
        self.0.issues().len()
    }
    /// Number of agency kinds.
    #[getter]
    fn agency_kind_count(&self) -> usize {
        self.0.agency_kinds().len()
    }
    /// Issue categories as dicts.
    fn issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.issues())
    }
    /// Agency kinds as dicts.
    fn agency_kinds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.agency_kinds())
    }
    /// The whole document.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, self.0.document())
    }
    fn __repr__(&self) -> String {
        format!(
            "Taxonomies(issues={}, agency_kinds={})",
            self.0.issues().len(),
            self.0.agency_kinds().len()
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let text = serde_json::to_string(&slf.get().0).unwrap_or_default();
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_taxonomies_from_json")?,
            (text,),
        ))
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
fn _taxonomies_from_json(text: &str) -> PyResult<Taxonomies> {
    tsunagu::error::from_json(text).py().map(Taxonomies)
}

/// Validate a taxonomy extension document (JSON or TOML text, or a dict) against the built-ins
/// (and `base`, when given); returns the extended taxonomies or raises.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (document, base=None))]
fn validate_taxonomy(
    document: &Bound<'_, PyAny>,
    base: Option<&Taxonomies>,
) -> PyResult<Taxonomies> {
    let base = base.map_or_else(CoreTaxonomies::builtin, |b| b.0.clone());
    base.extended(taxonomy_doc(document)?).py().map(Taxonomies)
}

/// The agency directory (関係機関名簿), validated against taxonomies.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Directory(tsunagu::agency::Directory);

#[tsunagu_python_guard::guard]
#[pymethods]
impl Directory {
    /// `Directory(agencies, taxonomies=None)`: raises on a duplicate id or unknown kind.
    #[new]
    #[pyo3(signature = (agencies, taxonomies=None))]
    fn new(agencies: &Bound<'_, PyAny>, taxonomies: Option<&Taxonomies>) -> PyResult<Self> {
        let tax = taxonomies.map_or_else(CoreTaxonomies::builtin, |t| t.0.clone());
        let list: Vec<tsunagu::agency::Agency> = convert::document(agencies)?;
        tsunagu::agency::Directory::new(list, &tax)
            .py()
            .map(Directory)
    }
    fn __len__(&self) -> usize {
        self.0.agencies().len()
    }
    /// The agencies as dicts.
    fn agencies<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.agencies())
    }
    fn __repr__(&self) -> String {
        format!("Directory(agencies={})", self.0.agencies().len())
    }
}

// ------------------------------------------------------------------------------ households

/// Validate a household document on `today`; raises the first problem.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (household, today, taxonomies=None))]
fn validate_household(
    household: &Bound<'_, PyAny>,
    today: NaiveDate,
    taxonomies: Option<&Taxonomies>,
) -> PyResult<()> {
    let tax = taxonomies.map_or_else(CoreTaxonomies::builtin, |t| t.0.clone());
    let h: tsunagu::household::Household = convert::document(household)?;
    h.validate(&tax, today).py()
}

/// Every problem of a household document, as `(code, path)` pairs (empty when valid).
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (household, today, taxonomies=None))]
fn household_problems(
    household: &Bound<'_, PyAny>,
    today: NaiveDate,
    taxonomies: Option<&Taxonomies>,
) -> PyResult<Vec<(String, Option<String>)>> {
    let tax = taxonomies.map_or_else(CoreTaxonomies::builtin, |t| t.0.clone());
    let h: tsunagu::household::Household = convert::document(household)?;
    Ok(tsunagu::household::validate_all(&h, &tax, today)
        .iter()
        .map(|e| (e.code().to_string(), e.path()))
        .collect())
}

/// Composite patterns (8050, double care, young carer …) of a household on `today`; the
/// household is validated first (raises on the first problem). `settings` tunes the thresholds.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (household, today, taxonomies=None, directory=None, settings=None))]
fn detect_patterns<'py>(
    py: Python<'py>,
    household: &Bound<'py, PyAny>,
    today: NaiveDate,
    taxonomies: Option<&Taxonomies>,
    directory: Option<&Directory>,
    settings: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tax = taxonomies.map_or_else(CoreTaxonomies::builtin, |t| t.0.clone());
    let h: tsunagu::household::Household = convert::document(household)?;
    h.validate(&tax, today).py()?;
    let settings: tsunagu::patterns::PatternSettings = match settings {
        Some(s) if !s.is_none() => convert::document(s)?,
        _ => Default::default(),
    };
    let empty = tsunagu::agency::Directory::default();
    let dir = directory.map_or(&empty, |d| &d.0);
    let found = tsunagu::patterns::detect_patterns(&h, &tax, dir, &settings, today);
    convert::to_py(py, &found)
}

// ------------------------------------------------------------------------------ statistics

/// A partial annual report: mergeable (a commutative monoid) — compute one per partition of a
/// journal, merge in any order, `finish()` into the report.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct PartialReport(CorePartial);

#[tsunagu_python_guard::guard]
#[pymethods]
impl PartialReport {
    /// The empty partial of a fiscal year (the identity of `merge`).
    #[new]
    fn new(fiscal_year: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PartialReport(CorePartial::new(fiscal_year_arg(
            fiscal_year,
        )?)))
    }

    /// Fold events whose journal positions start at `start` (a partition of a journal must pass
    /// its events' global positions).
    #[staticmethod]
    #[pyo3(signature = (fiscal_year, events, start=0))]
    fn from_events(
        py: Python<'_>,
        fiscal_year: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
        start: u64,
    ) -> PyResult<Self> {
        let fy = fiscal_year_arg(fiscal_year)?;
        let events = convert::events(py, events)?;
        Ok(PartialReport(py.detach(|| {
            CorePartial::from_positioned(
                fy,
                events
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (start + i as Position, e)),
            )
        })))
    }

    /// Fold positions `start .. stop` of a journal file: JSON Lines (positions = line numbers,
    /// read on `threads` threads) or an SQLite journal (positions = `seq - 1`).
    #[staticmethod]
    #[pyo3(signature = (path, fiscal_year, start=0, stop=None, threads=1))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        fiscal_year: &Bound<'_, PyAny>,
        start: usize,
        stop: Option<usize>,
        threads: usize,
    ) -> PyResult<Self> {
        let fy = fiscal_year_arg(fiscal_year)?;
        py.detach(|| JournalFile::open(path)?.partial_report(fy, start, stop, threads))
            .py()
            .map(PartialReport)
    }

    /// Merge with another partial of the same year (raises `fiscal_year_mismatch`).
    fn merge(&self, py: Python<'_>, other: &PartialReport) -> PyResult<PartialReport> {
        let (a, b) = (self.0.clone(), other.0.clone());
        py.detach(|| a.merge(b)).py().map(PartialReport)
    }

    /// Finish into the annual report.
    #[pyo3(signature = (settings=None))]
    fn finish(
        &self,
        py: Python<'_>,
        settings: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AnnualReport> {
        let settings = settings_arg(settings)?;
        py.detach(|| self.0.finish(&settings))
            .py()
            .map(AnnualReport)
    }

    /// Events folded into this partial.
    #[getter]
    fn events_folded(&self) -> u64 {
        self.0.events_folded()
    }

    /// The fiscal year.
    #[getter]
    fn fiscal_year(&self) -> FiscalYear {
        FiscalYear(self.0.fiscal_year())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PartialReport>()
            .is_ok_and(|o| o.get().0 == self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "PartialReport({}, events={})",
            self.0.fiscal_year().year(),
            self.0.events_folded()
        )
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let bytes = serde_json::to_vec(&slf.get().0).unwrap_or_default();
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_partial_from_json")?,
            (PyBytes::new(slf.py(), &bytes),),
        ))
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
fn _partial_from_json(data: &[u8]) -> PyResult<PartialReport> {
    serde_json::from_slice(data)
        .map(PartialReport)
        .map_err(|e| {
            error::to_py(tsunagu::Error::Document(
                tsunagu::error::DocumentError::json(&e),
            ))
        })
}

/// The annual report (実績報告) of a fiscal year.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct AnnualReport(stats::AnnualReport);

#[tsunagu_python_guard::guard]
#[pymethods]
impl AnnualReport {
    /// The fiscal year.
    #[getter]
    fn fiscal_year(&self) -> FiscalYear {
        FiscalYear(self.0.fiscal_year)
    }
    /// `令和2年度`.
    #[getter]
    fn label(&self) -> &str {
        &self.0.label
    }
    /// First consultations: total, monthly average, by month, single / continuing / handed over.
    #[getter]
    fn first_consultations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.first_consultations)
    }
    /// New / carried over / reopened.
    #[getter]
    fn caseload<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.caseload)
    }
    /// Plans made, re-plans, monitoring.
    #[getter]
    fn plans<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.plans)
    }
    /// Total liaison contacts.
    #[getter]
    fn contacts_total(&self) -> u64 {
        self.0.contacts.total
    }
    /// Table 1 count of an agency kind.
    fn contacts_of_kind(&self, kind: &str) -> u64 {
        self.0.contacts_of_kind(kind)
    }
    /// Table 1 subtotal of a sector.
    fn contacts_of_sector(&self, sector: &str) -> u64 {
        self.0.contacts_of_sector(sector)
    }
    /// Network meetings as `(number, date, meeting_type)`.
    #[getter]
    fn network_meetings(&self) -> Vec<(u32, NaiveDate, String)> {
        self.0
            .network_meetings
            .iter()
            .map(|m| (m.number, m.date, m.meeting_type.clone()))
            .collect()
    }
    /// Case meetings: total, by type, by convener.
    #[getter]
    fn case_meetings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.case_meetings)
    }
    /// The whole report as a dict (JSON shape; dates as ISO strings).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0)
    }
    /// The whole report as JSON text.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, indent: Option<usize>) -> String {
        match indent {
            Some(_) => serde_json::to_string_pretty(&self.0).unwrap_or_default(),
            None => serde_json::to_string(&self.0).unwrap_or_default(),
        }
    }
    /// The report's tables (Arrow), by name: first_consultations_by_month, issues, age_bands,
    /// closures, referrals, contacts, contact_sectors, case_meetings, network_meetings.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for t in arrow::report_tables(&self.0)? {
            d.set_item(t.name.clone(), Py::new(py, t)?)?;
        }
        Ok(d)
    }
    /// One table by name.
    fn table(&self, name: &str) -> PyResult<ArrowTable> {
        arrow::report_tables(&self.0)?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(name.to_string()))
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<AnnualReport>()
            .is_ok_and(|o| o.get().0 == self.0)
    }
    fn __repr__(&self) -> String {
        let f = &self.0.first_consultations;
        format!(
            "AnnualReport({}: first_consultations={} (single {}, continuing {}), contacts={}, case_meetings={}, network_meetings={})",
            self.0.label,
            f.total,
            f.single,
            f.continuing,
            self.0.contacts.total,
            self.0.case_meetings.total,
            self.0.network_meetings.len()
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_report_from_json")?,
            (slf.get().to_json(None)?,),
        ))
    }
}

/// Statistics ledger (統計台帳): a journal's events reduced once to the facts the annual
/// report counts, in columns with ids numbered — load a journal once, then report any fiscal
/// year (or other age bands) without reading the events again.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Ledger(stats::Ledger);

#[tsunagu_python_guard::guard]
#[pymethods]
impl Ledger {
    /// The ledger of a journal: an open `CaseBook`, an events list, JSON / JSON Lines text, or
    /// a `pathlib.Path` to an SQLite journal or a JSON Lines file (parsed on `threads`
    /// threads). Positions are the events' indices (line numbers; `seq - 1` in a journal).
    #[new]
    #[pyo3(signature = (events, threads=2))]
    fn new(py: Python<'_>, events: &Bound<'_, PyAny>, threads: usize) -> PyResult<Self> {
        Journal::arg(py, events)?.ledger(py, threads)
    }

    /// Events the ledger was built from.
    #[getter]
    fn events(&self) -> u64 {
        self.0.events()
    }

    fn __len__(&self) -> usize {
        self.0.events() as usize
    }

    /// The annual report of a fiscal year.
    #[pyo3(signature = (fiscal_year, settings=None))]
    fn annual_report(
        &self,
        py: Python<'_>,
        fiscal_year: &Bound<'_, PyAny>,
        settings: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AnnualReport> {
        let fy = fiscal_year_arg(fiscal_year)?;
        let settings = settings_arg(settings)?;
        py.detach(|| self.0.annual_report(fy, &settings))
            .py()
            .map(AnnualReport)
    }

    /// The partial report of a fiscal year (merges with partials of other ledgers or folds).
    fn partial_report(
        &self,
        py: Python<'_>,
        fiscal_year: &Bound<'_, PyAny>,
    ) -> PyResult<PartialReport> {
        let fy = fiscal_year_arg(fiscal_year)?;
        Ok(PartialReport(py.detach(|| self.0.partial_report(fy))))
    }

    fn __repr__(&self) -> String {
        format!("Ledger(events={})", self.0.events())
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
fn _report_from_json(text: &str) -> PyResult<AnnualReport> {
    tsunagu::error::from_json(text).py().map(AnnualReport)
}

/// The annual report of a fiscal year from a journal: an open `CaseBook`, an events list, JSON /
/// JSON Lines text, or a `pathlib.Path` to an SQLite journal or a JSON Lines file (a JSON Lines
/// file is read and folded on `threads` threads).
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (events, fiscal_year, settings=None, threads=2))]
fn annual_report(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    fiscal_year: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<AnnualReport> {
    let fy = fiscal_year_arg(fiscal_year)?;
    let settings = settings_arg(settings)?;
    Journal::arg(py, events)?.annual_report(py, fy, &settings, threads)
}

/// The pseudonymised export as Arrow tables: cases, persons, issues, contacts, referrals,
/// meetings; resources, matches, match_follow_ups, resource_gaps (参加支援); activities,
/// activity_sessions (地域づくり); disaster_records, disaster_visits, disaster_dispatches
/// (災害ケースマネジメント).
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Export(stats::ExportTables);

#[tsunagu_python_guard::guard]
#[pymethods]
impl Export {
    /// The tables by name, in the order of the class doc.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for t in arrow::export_tables(&self.0)? {
            d.set_item(t.name.clone(), Py::new(py, t)?)?;
        }
        Ok(d)
    }
    /// One table by name (only that one is built).
    fn table(&self, py: Python<'_>, name: &str) -> PyResult<ArrowTable> {
        py.detach(|| arrow::export_table(&self.0, name))
    }
    /// Row counts by table.
    fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("cases", self.0.cases.len()),
            ("persons", self.0.persons.len()),
            ("issues", self.0.issues.len()),
            ("contacts", self.0.contacts.len()),
            ("referrals", self.0.referrals.len()),
            ("meetings", self.0.meetings.len()),
        ]
        .into_iter()
        .chain(arrow::support_tables::counts(&self.0))
        .collect()
    }
    fn __repr__(&self) -> PyResult<String> {
        let parts: Vec<String> = self
            .counts()?
            .iter()
            .map(|(n, c)| format!("{n}={c}"))
            .collect();
        Ok(format!("Export({})", parts.join(", ")))
    }
}

/// Export a journal (as for `annual_report`; files are streamed, never all in memory) as
/// pseudonymised tables: ids replaced by HMAC-SHA256 pseudonyms under `key` (≥ 16 bytes), names
/// and free text dropped, birth dates coarsened to age bands on `as_of` (persons) and on the
/// intake date (cases).
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (events, key, as_of, age_bands=None))]
fn export(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    key: &[u8],
    as_of: NaiveDate,
    age_bands: Option<&Bound<'_, PyAny>>,
) -> PyResult<Export> {
    let bands = bands_arg(age_bands)?;
    let key = stats::Pseudonymiser::new(key).py()?;
    Journal::arg(py, events)?.export(py, &key, as_of, &bands)
}

/// Default age bands as dicts.
#[tsunagu_python_guard::guard]
#[pyfunction]
fn default_age_bands<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    convert::to_py(py, &AgeBands::default())
}

// ------------------------------------------------------------------------------ fixtures

fn synthetic(
    cases: u64,
    contacts: u64,
    fiscal_year: i32,
    seed: u64,
) -> PyResult<tsunagu::stats::fixtures::Synthetic> {
    Ok(tsunagu::stats::fixtures::Synthetic {
        seed,
        cases,
        contacts,
        fiscal_year: CoreFiscalYear::new(fiscal_year).py()?,
    })
}

/// The Ishinomaki 2020 journal (seeds 003) as JSON Lines text.
#[tsunagu_python_guard::guard]
#[pyfunction]
fn ishinomaki_2020() -> String {
    tsunagu::testing::ishinomaki_2020_jsonl()
}

/// Write a synthetic journal (JSON Lines) of `cases` cases and `contacts` liaison contacts,
/// generated in Rust (no Python object per event); returns the number of events.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (path, cases, contacts, fiscal_year=2022, seed=1, replayable=false))]
fn write_synthetic_journal(
    py: Python<'_>,
    path: PathBuf,
    cases: u64,
    contacts: u64,
    fiscal_year: i32,
    seed: u64,
    replayable: bool,
) -> PyResult<u64> {
    let s = synthetic(cases, contacts, fiscal_year, seed)?;
    py.detach(|| tsunagu::testing::write_synthetic_journal(&path, &s, replayable))
        .map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))
}

type Timing = (u64, f64, f64, AnnualReport);

fn timing(t: tsunagu::testing::Timing) -> Timing {
    (
        t.events,
        t.build_seconds,
        t.report_seconds,
        AnnualReport(t.report),
    )
}

/// Time the ledger on a synthetic journal generated in memory chunk by chunk (generation not
/// timed): returns `(events, build_seconds, report_seconds, report)` — the ledger built by
/// pushing every event, then its annual report (the best of `repeat`).
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (cases, contacts, fiscal_year=2022, seed=1, repeat=1))]
fn bench_ledger_report(
    py: Python<'_>,
    cases: u64,
    contacts: u64,
    fiscal_year: i32,
    seed: u64,
    repeat: usize,
) -> PyResult<Timing> {
    let s = synthetic(cases, contacts, fiscal_year, seed)?;
    py.detach(|| tsunagu::testing::bench_ledger_report(&s, repeat))
        .py()
        .map(timing)
}

/// Time the core's annual report on a synthetic journal generated in memory chunk by chunk
/// (generation not timed): returns `(events, fold_seconds, finish_seconds, report)`.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (cases, contacts, fiscal_year=2022, seed=1, threads=2))]
fn bench_core_report(
    py: Python<'_>,
    cases: u64,
    contacts: u64,
    fiscal_year: i32,
    seed: u64,
    threads: usize,
) -> PyResult<Timing> {
    let s = synthetic(cases, contacts, fiscal_year, seed)?;
    py.detach(|| tsunagu::testing::bench_core_report(&s, threads))
        .py()
        .map(timing)
}

/// Every error code the core can return.
#[tsunagu_python_guard::guard]
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    tsunagu::error::all_codes()
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    error::register(m)?;
    m.add_class::<FiscalYear>()?;
    m.add_class::<Taxonomies>()?;
    m.add_class::<Directory>()?;
    m.add_class::<CaseBook>()?;
    m.add("Registry", m.py().get_type::<CaseBook>())?;
    m.add_class::<book::ActingBook>()?;
    m.add_class::<PartialReport>()?;
    m.add_class::<Ledger>()?;
    m.add_class::<AnnualReport>()?;
    m.add_class::<Export>()?;
    m.add_class::<ArrowTable>()?;
    m.add_class::<routing::RuleSet>()?;
    m.add_class::<routing::Router>()?;
    m.add_class::<routing::Routing>()?;
    m.add_class::<routing::Recommendation>()?;
    m.add_function(wrap_pyfunction!(routing::rule_problems, m)?)?;
    m.add_function(wrap_pyfunction!(routing::_ruleset_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(routing::_router_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(parse_era_date, m)?)?;
    m.add_function(wrap_pyfunction!(format_era_date, m)?)?;
    m.add_function(wrap_pyfunction!(age_on, m)?)?;
    m.add_function(wrap_pyfunction!(school_stage, m)?)?;
    m.add_function(wrap_pyfunction!(validate_taxonomy, m)?)?;
    m.add_function(wrap_pyfunction!(validate_household, m)?)?;
    m.add_function(wrap_pyfunction!(household_problems, m)?)?;
    m.add_function(wrap_pyfunction!(detect_patterns, m)?)?;
    m.add_function(wrap_pyfunction!(annual_report, m)?)?;
    m.add_function(wrap_pyfunction!(export, m)?)?;
    m.add_function(wrap_pyfunction!(default_age_bands, m)?)?;
    m.add_function(wrap_pyfunction!(ishinomaki_2020, m)?)?;
    m.add_function(wrap_pyfunction!(write_synthetic_journal, m)?)?;
    m.add_function(wrap_pyfunction!(bench_core_report, m)?)?;
    m.add_function(wrap_pyfunction!(bench_ledger_report, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(panic::_panic_for_test, m)?)?;
    persons::register(m)?;
    forms::register(m)?;
    access::register(m)?;
    m.add_function(wrap_pyfunction!(book::_registry_from_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(_partial_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(_report_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(_taxonomies_from_json, m)?)?;
    Ok(())
}

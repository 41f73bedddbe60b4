//! `CaseBook` (alias `Registry`): the core's `CaseBook` over a memory or SQLite store, and the
//! journals the statistics functions accept (a book, a journal file, events).

use crate::arrow::{record_tables, ArrowTable};
use crate::error::{self, IntoPy};
use crate::persons;
use crate::Taxonomies;
use crate::{bands_arg, convert, fiscal_year_arg, settings_arg, AnnualReport, Export, Ledger};
use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tsunagu::analysis::{jsonl, JournalFile};
use tsunagu::ids::PersonId;
use tsunagu::registry::{BookStore, Command, Event};
use tsunagu::stats;
use tsunagu::worker::Actor;

type Book = tsunagu::registry::CaseBook<BookStore>;

/// The device id of books built from events (`replay`, unpickling); the default of the
/// `device` argument (written out in the signatures, where pyo3 needs a literal).
const DEVICE: &str = "python";

/// The wall clock: the time an event is recorded at (the core never reads a clock).
pub(crate) fn clock() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// The case book (ケース記録簿): the registry (台帳) kept in a hash-chained journal — in memory
/// (`CaseBook()`, `CaseBook.replay(events)`) or in an SQLite journal file
/// (`CaseBook.open(path)`), replayed and verified on open. Thread-safe: a Mutex inside; long
/// work releases the GIL. `Registry` is the same class.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct CaseBook(Mutex<Book>);

impl CaseBook {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Book> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `execute` by `actor` (none: setup mode).
    fn execute_by<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        today: NaiveDate,
        now: Option<DateTime<Utc>>,
        actor: Option<&Actor>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let command: Command = convert::document(command)?;
        let receipt = py
            .detach(|| {
                let mut book = self.lock();
                let at = book.recording_time(now.unwrap_or_else(clock));
                book.execute_as(command, today, at, actor)
            })
            .py()?;
        convert::to_py(py, &receipt)
    }

    /// `execute_all` by `actor` (each event stamped) or, without one, with each event's own `by`.
    fn execute_all_by(
        &self,
        py: Python<'_>,
        events: Vec<Event>,
        actor: Option<&Actor>,
    ) -> PyResult<usize> {
        let n = events.len();
        py.detach(|| {
            // The lock is taken and released without the GIL (no deadlock with other threads).
            let mut book = self.lock();
            let at = book.recording_time(clock());
            match actor {
                Some(a) => book.execute_events_as(events, at, Some(a)),
                None => book.execute_events(events, at),
            }
        })
        .map_err(batch_error)?;
        Ok(n)
    }

    fn in_memory(device: &str, events: Vec<Event>) -> Result<Self, tsunagu::Error> {
        let mut book = Book::open(BookStore::default(), device)?;
        if !events.is_empty() {
            book.execute_events(events, clock())?;
        }
        Ok(CaseBook(Mutex::new(book)))
    }
}

/// A batch error as a Python exception: the core's class and code, the path under the event.
fn batch_error(e: tsunagu::registry::BatchError) -> PyErr {
    let path = e.path();
    let err = error::to_py(e.error);
    Python::attach(|py| {
        let _ = err.value(py).setattr("path", path);
    });
    err
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl CaseBook {
    /// An empty book in memory (built-in taxonomies and meeting types).
    #[new]
    #[pyo3(signature = (device="python"))]
    fn new(device: &str) -> PyResult<Self> {
        CaseBook::in_memory(device, Vec::new()).py()
    }

    /// Open (or create) the SQLite journal at `path` (the library's own store, as the tour and
    /// the Rust API write it): verified and replayed; commands executed later are appended to
    /// it, recorded as `device`.
    #[staticmethod]
    #[pyo3(signature = (path, device="python"))]
    fn open(py: Python<'_>, path: PathBuf, device: &str) -> PyResult<Self> {
        py.detach(|| {
            let store = tsunagu::journal::SqliteStore::open(&path)?;
            Book::open(BookStore::from(store), device)
        })
        .py()
        .map(|b| CaseBook(Mutex::new(b)))
    }

    /// A book in memory rebuilt from a journal: a list of events, JSON / JSON Lines text, or a
    /// `pathlib.Path` to a JSON Lines file or an SQLite journal.
    #[staticmethod]
    fn replay(py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Self> {
        let events = convert::events(py, events)?;
        py.detach(|| CaseBook::in_memory(DEVICE, events)).py()
    }

    /// Execute a command (dict or JSON) on `today`, recorded at `now` (default: the clock);
    /// returns the receipt as a dict. A rejected command raises and changes nothing. Without an
    /// actor: accepted only while no worker is registered (use `as_actor` after).
    #[pyo3(signature = (command, today, now=None))]
    fn execute<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        today: NaiveDate,
        now: Option<DateTime<Utc>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.execute_by(py, command, today, now, None)
    }

    /// Execute events (`{"on": …, "command": …, "by"?: …}`) in order, all or nothing; returns
    /// how many. Each event keeps its own `by` (an imported journal). A rejected command raises
    /// with its path under the event (`$[2].command.case`).
    fn execute_all(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<usize> {
        let events = convert::events(py, events)?;
        self.execute_all_by(py, events, None)
    }

    /// This book acting as a worker (`worker`) of an agency (`agency`): an `ActingBook` whose
    /// `execute` and `execute_all` record the actor on every event. Once a worker is registered,
    /// a command without an actor raises `actor_required`.
    fn as_actor(slf: &Bound<'_, Self>, worker: &str, agency: &str) -> ActingBook {
        ActingBook {
            book: slf.clone().unbind(),
            actor: Actor::new(worker, agency),
        }
    }

    /// The roles in force (職種) as dicts (`code`, `ja`, `en`).
    fn roles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().roles().roles())
    }
    /// Workers (職員) as dicts: `{"worker": {...}, "status": {...}}`.
    fn workers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(
            py,
            &self.lock().registry().staff().iter().collect::<Vec<_>>(),
        )
    }
    /// A case's team (主担当 `main`, 副担当 `sub`, `history`) as a dict, or None.
    fn case_team<'py>(&self, py: Python<'py>, case: &str) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().case_team(&case.into()))
    }
    /// The cases a worker is on the team of: `[{"case", "position", "open"}]`.
    fn worker_cases<'py>(&self, py: Python<'py>, worker: &str) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().worker_cases(&worker.into()))
    }

    /// Number of events in the journal.
    fn __len__(&self) -> usize {
        self.lock().len() as usize
    }

    /// The journal's events as JSON Lines text (`{"on", "command"}` per line).
    fn journal_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        let events = py.detach(|| self.lock().payloads()).py()?;
        Ok(jsonl::to_text(&events))
    }

    /// The journal's events as dicts (`{"on", "command"}`).
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let events = py.detach(|| self.lock().payloads()).py()?;
        convert::to_py(py, &events)
    }

    /// Check the journal's hash chain: `{"events", "last_seq", "last_hash", …}`; raises
    /// `chain_broken` naming the first event that fails.
    fn verify<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = py.detach(|| self.lock().verify()).py()?;
        convert::to_py(py, &report)
    }

    /// Cases as dicts.
    fn cases<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().cases().collect::<Vec<_>>())
    }
    /// One case as a dict, or None.
    fn case<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().case(&id.into()))
    }
    /// Households as dicts.
    fn households<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().households().collect::<Vec<_>>())
    }
    /// Liaison contacts as dicts.
    fn contacts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().contacts())
    }
    /// Referrals as dicts.
    fn referrals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().referrals())
    }
    /// Meetings as dicts.
    fn meetings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().meetings().collect::<Vec<_>>())
    }
    /// Support-plan histories as dicts.
    fn plans<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().plans().collect::<Vec<_>>())
    }
    /// Consent records as dicts.
    fn consents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().consents())
    }
    /// Provision records (第三者提供記録) left by disclosures, as dicts.
    fn provisions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().provisions())
    }
    /// Composite patterns of a registered household on `today`.
    fn patterns<'py>(
        &self,
        py: Python<'py>,
        household: &str,
        today: NaiveDate,
    ) -> PyResult<Bound<'py, PyAny>> {
        let found = self
            .lock()
            .registry()
            .patterns(&household.into(), today)
            .py()?;
        convert::to_py(py, &found)
    }
    /// Plans whose monitoring is overdue on `today`.
    fn overdue_monitoring<'py>(
        &self,
        py: Python<'py>,
        today: NaiveDate,
    ) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lock().registry().overdue_monitoring(today))
    }
    /// Preview a disclosure request (dict or JSON): `{"decision", "view"}` — what the audience
    /// may see and why, and the redacted household. Records nothing.
    fn preview_disclosure<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = convert::document(request)?;
        let preview = self.lock().preview_disclosure(&request).py()?;
        convert::to_py(py, &preview)
    }
    /// The taxonomies in force.
    fn taxonomies(&self) -> Taxonomies {
        Taxonomies(self.lock().registry().taxonomies().clone())
    }

    /// The annual report of a fiscal year, folded from this book's journal.
    #[pyo3(signature = (fiscal_year, settings=None))]
    fn annual_report(
        &self,
        py: Python<'_>,
        fiscal_year: &Bound<'_, PyAny>,
        settings: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AnnualReport> {
        let fy = fiscal_year_arg(fiscal_year)?;
        let settings = settings_arg(settings)?;
        py.detach(|| self.lock().annual_report(fy, &settings))
            .py()
            .map(AnnualReport)
    }

    /// The pseudonymised export of this book's journal.
    #[pyo3(signature = (key, as_of, age_bands=None))]
    fn export(
        &self,
        py: Python<'_>,
        key: &[u8],
        as_of: NaiveDate,
        age_bands: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Export> {
        let bands = bands_arg(age_bands)?;
        let key = stats::Pseudonymiser::new(key).py()?;
        py.detach(|| self.lock().export(&key, as_of, &bands))
            .py()
            .map(Export)
    }

    // ------------------------------------------------------------ persons and the record

    /// The current record of a person (個人台帳) as a dict; a merged record's id gives the
    /// surviving person's record (名寄せ); `None` for an unknown id.
    fn person<'py>(&self, py: Python<'py>, id: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let id: PersonId = persons::from_value(convert::to_json(id)?)?;
        convert::to_py(py, &self.lock().registry().person(&id))
    }

    /// Search persons across every window (kana prefix of the reading, name, birth date, small
    /// area, phone; combinable): `query` is a dict / JSON (`reading`, `name`, `birth_date`,
    /// `small_area`, `phone`, `limit`). Returns `{"persons": [records], "truncated": bool}`.
    /// A query without a criterion raises `empty_query`.
    fn search_persons<'py>(
        &self,
        py: Python<'py>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q: tsunagu::person::PersonQuery = convert::document(query)?;
        let book = self.lock();
        let found = book.registry().search_persons(&q).py()?;
        convert::to_py(py, &found)
    }

    /// The persons as an Arrow table (id, name, reading, sex, birth_date, small_area, phones):
    /// a search's result with `query`, else every current (not merged) record.
    #[pyo3(signature = (query=None))]
    fn persons_table(&self, query: Option<&Bound<'_, PyAny>>) -> PyResult<ArrowTable> {
        let q = match query {
            Some(q) if !q.is_none() => Some(persons::query(Some(q))?),
            _ => None,
        };
        persons::persons_table(self.lock().registry(), q)
    }

    /// 名寄せ candidate pairs, best first, as dicts (`a`, `b`, `score`, `reasons`); `weights`
    /// (a dict) tunes the scoring. Candidates only: merging is a command (`merge_persons`).
    #[pyo3(signature = (weights=None))]
    fn duplicate_candidates<'py>(
        &self,
        py: Python<'py>,
        weights: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let w = persons::weights(weights)?;
        let pairs = py.detach(|| self.lock().registry().duplicate_candidates(&w));
        convert::to_py(py, &pairs)
    }

    /// The candidate pairs as an Arrow table (a, b, score, reasons).
    #[pyo3(signature = (weights=None))]
    fn duplicate_candidates_table(
        &self,
        py: Python<'_>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ArrowTable> {
        let w = persons::weights(weights)?;
        let pairs = py.detach(|| self.lock().registry().duplicate_candidates(&w));
        record_tables::candidates(&pairs)
    }

    /// The merges and splits that concern a person, as dicts.
    fn merge_history<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id: PersonId = persons::from_value(convert::to_json(id)?)?;
        convert::to_py(py, &self.lock().registry().merge_history(&id))
    }

    /// The timeline (経過記録) of a case (`case=`) or of a person across their cases
    /// (`person=`), oldest first, as dicts; `filter` is a dict (`kinds`, `from`, `to`,
    /// `include_superseded`). An unknown case raises `not_found`.
    #[pyo3(signature = (*, case=None, person=None, filter=None))]
    fn timeline<'py>(
        &self,
        py: Python<'py>,
        case: Option<&str>,
        person: Option<&str>,
        filter: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (s, f) = (persons::subject(case, person)?, persons::filter(filter)?);
        let items = self.lock().registry().timeline(&s, &f).py()?;
        convert::to_py(py, &items)
    }

    /// The timeline as an Arrow table (on, at, kind, code, case, summary, source,
    /// superseded_by).
    #[pyo3(signature = (*, case=None, person=None, filter=None))]
    fn timeline_table(
        &self,
        case: Option<&str>,
        person: Option<&str>,
        filter: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ArrowTable> {
        let (s, f) = (persons::subject(case, person)?, persons::filter(filter)?);
        let items = self.lock().registry().timeline(&s, &f).py()?;
        record_tables::timeline(&items)
    }

    /// The worklist (業務一覧) on a date — for an agency, a case or a worker (their tasks and the
    /// unassigned tasks of their cases) — as a dict `{on, overdue, due_today, due_this_week}`,
    /// each entry `{days_overdue, task}`. `on` may also be a whole query dict.
    #[pyo3(signature = (on, agency=None, case=None, worker=None, horizon_days=None))]
    fn worklist<'py>(
        &self,
        py: Python<'py>,
        on: &Bound<'py, PyAny>,
        agency: Option<&str>,
        case: Option<&str>,
        worker: Option<&str>,
        horizon_days: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = persons::worklist_query(on, agency, case, worker, horizon_days)?;
        let list = self.lock().registry().worklist(&q);
        convert::to_py(py, &list)
    }

    /// The worklist as an Arrow table, most urgent first (section, days_overdue, task, kind,
    /// case, household, agency, worker, due_on).
    #[pyo3(signature = (on, agency=None, case=None, worker=None, horizon_days=None))]
    fn worklist_table(
        &self,
        on: &Bound<'_, PyAny>,
        agency: Option<&str>,
        case: Option<&str>,
        worker: Option<&str>,
        horizon_days: Option<u32>,
    ) -> PyResult<ArrowTable> {
        let q = persons::worklist_query(on, agency, case, worker, horizon_days)?;
        let list = self.lock().registry().worklist(&q);
        persons::worklist_table(&list)
    }

    fn __repr__(&self) -> String {
        let book = self.lock();
        let r = book.registry();
        format!(
            "CaseBook(events={}, households={}, cases={}, contacts={})",
            book.len(),
            r.households().count(),
            r.cases().count(),
            r.contacts().len()
        )
    }

    /// Pickles as its events (JSON Lines): unpickled, it is a book in memory replaying them.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let text = slf.get().journal_jsonl(slf.py())?;
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_registry_from_jsonl")?,
            (text,),
        ))
    }
}

/// A `CaseBook` acting as one worker of one agency (`book.as_actor(worker, agency)`): the same
/// `execute` and `execute_all` as the book, each event recording the actor (`by`). It holds the
/// book, not a copy: what it executes is in the book.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct ActingBook {
    book: Py<CaseBook>,
    actor: Actor,
}

impl ActingBook {
    /// The book acted on.
    pub(crate) fn book_ref(&self) -> &Py<CaseBook> {
        &self.book
    }
    /// The actor.
    pub(crate) fn actor(&self) -> &Actor {
        &self.actor
    }
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl ActingBook {
    /// The worker id.
    #[getter]
    fn worker(&self) -> &str {
        self.actor.worker.as_str()
    }
    /// The agency id.
    #[getter]
    fn agency(&self) -> &str {
        self.actor.agency.as_str()
    }
    /// The book acted on.
    #[getter]
    fn book(&self, py: Python<'_>) -> Py<CaseBook> {
        self.book.clone_ref(py)
    }

    /// `CaseBook.execute` as this actor.
    #[pyo3(signature = (command, today, now=None))]
    fn execute<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        today: NaiveDate,
        now: Option<DateTime<Utc>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.book
            .get()
            .execute_by(py, command, today, now, Some(&self.actor))
    }

    /// `CaseBook.execute_all` as this actor: every event is recorded `by` it.
    fn execute_all(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<usize> {
        let events = convert::events(py, events)?;
        self.book
            .get()
            .execute_all_by(py, events, Some(&self.actor))
    }

    fn __repr__(&self) -> String {
        format!(
            "ActingBook(worker={:?}, agency={:?})",
            self.actor.worker.as_str(),
            self.actor.agency.as_str()
        )
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn _registry_from_jsonl(py: Python<'_>, text: &str) -> PyResult<CaseBook> {
    let events = jsonl::parse_text(text).py()?;
    py.detach(|| CaseBook::in_memory(DEVICE, events)).py()
}

/// A journal as the statistics functions take it.
pub enum Journal {
    /// An open case book.
    Book(Py<CaseBook>),
    /// An SQLite journal or a JSON Lines file.
    File(JournalFile),
    /// Events (a list, JSON or JSON Lines text).
    Events(Vec<Event>),
}

impl Journal {
    /// A `CaseBook`, a `pathlib.Path` (SQLite journal or JSON Lines; a `str` is text), or events.
    pub fn arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(book) = obj.cast::<CaseBook>() {
            return Ok(Journal::Book(book.clone().unbind()));
        }
        if obj.cast::<PyString>().is_err() {
            if let Ok(path) = obj.extract::<PathBuf>() {
                return JournalFile::open(path).py().map(Journal::File);
            }
        }
        convert::events(py, obj).map(Journal::Events)
    }

    /// The annual report (files folded on `threads` threads where they are JSON Lines).
    pub fn annual_report(
        self,
        py: Python<'_>,
        fy: tsunagu::calendar::FiscalYear,
        settings: &stats::ReportSettings,
        threads: usize,
    ) -> PyResult<AnnualReport> {
        py.detach(|| match self {
            Journal::Book(b) => b.get().lock().annual_report(fy, settings),
            Journal::File(f) => f
                .partial_report(fy, 0, None, threads)
                .and_then(|p| p.finish(settings)),
            Journal::Events(e) => stats::annual_report(&e, fy, settings),
        })
        .py()
        .map(AnnualReport)
    }

    /// The statistics ledger.
    pub fn ledger(self, py: Python<'_>, threads: usize) -> PyResult<Ledger> {
        py.detach(|| match self {
            Journal::Book(b) => b.get().lock().ledger(),
            Journal::File(f) => f.ledger(threads),
            Journal::Events(e) => Ok(stats::Ledger::from_events(&e)),
        })
        .py()
        .map(Ledger)
    }

    /// The pseudonymised export (files streamed, never all in memory).
    pub fn export(
        self,
        py: Python<'_>,
        key: &stats::Pseudonymiser,
        as_of: NaiveDate,
        bands: &stats::AgeBands,
    ) -> PyResult<Export> {
        py.detach(|| match self {
            Journal::Book(b) => b.get().lock().export(key, as_of, bands),
            Journal::File(f) => f.export(key, as_of, bands),
            Journal::Events(e) => stats::export(&e, key, as_of, bands),
        })
        .py()
        .map(Export)
    }
}

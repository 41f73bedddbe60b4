//! [`JournalFile`]: a journal file on disk, SQLite or JSON Lines, told apart by its first bytes.

use super::{journal_export, journal_ledger, journal_partial, jsonl};
use crate::calendar::FiscalYear;
use crate::error::DocumentError;
use crate::journal::{Journal, SqliteStore};
use crate::registry::Event;
use crate::stats::{AgeBands, ExportTables, Ledger, PartialReport, Pseudonymiser};
use crate::Error;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How a journal file is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalFormat {
    /// The library's SQLite journal (hash-chained, verified as read).
    Sqlite,
    /// JSON Lines: one event (`{"on": …, "command": …}`) per line, as exported.
    JsonLines,
}

/// A journal file: an SQLite journal (what [`CaseBook::open_file`] writes) or a JSON Lines file
/// of events. Every reader verifies an SQLite journal's hash chain as it reads it; positions
/// are `seq - 1` (SQLite) or line numbers (JSON Lines).
///
/// [`CaseBook::open_file`]: crate::registry::CaseBook::open_file
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFile {
    path: PathBuf,
    format: JournalFormat,
}

impl JournalFile {
    /// The file at `path`, its format read from its first bytes (SQLite's header, else JSON
    /// Lines). Errors: `malformed_document` at `$` (`cannot read PATH: …`) when it cannot be
    /// read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref().to_path_buf();
        let cannot = |e: std::io::Error| {
            Error::Document(DocumentError {
                format: "json",
                path: "$".into(),
                message: format!("cannot read {}: {e}", path.display()),
            })
        };
        let mut head = Vec::with_capacity(16);
        std::fs::File::open(&path)
            .and_then(|f| f.take(16).read_to_end(&mut head))
            .map_err(cannot)?;
        let format = if head == SQLITE_HEADER {
            JournalFormat::Sqlite
        } else {
            JournalFormat::JsonLines
        };
        Ok(JournalFile { path, format })
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The format.
    pub fn format(&self) -> JournalFormat {
        self.format
    }

    fn journal(&self) -> Result<Journal<Event, SqliteStore>, Error> {
        Ok(Journal::open(SqliteStore::open(&self.path)?)?)
    }

    /// Every event, in order.
    pub fn events(&self) -> Result<Vec<Event>, Error> {
        match self.format {
            JournalFormat::Sqlite => {
                super::fold_journal(&self.journal()?, Vec::new(), |mut v, _, e| {
                    v.push(e.clone());
                    v
                })
            }
            JournalFormat::JsonLines => jsonl::read(&self.path, 0, None),
        }
    }

    /// The partial report of a fiscal year over positions `start .. stop` (JSON Lines: read and
    /// folded on `threads` threads, each folding into its own partial, merged at the end — the
    /// monoid that lets Dask scale out).
    pub fn partial_report(
        &self,
        fiscal_year: FiscalYear,
        start: usize,
        stop: Option<usize>,
        threads: usize,
    ) -> Result<PartialReport, Error> {
        match self.format {
            JournalFormat::Sqlite => journal_partial(
                &self.journal()?,
                fiscal_year,
                start as u64,
                stop.map(|s| s as u64),
            ),
            JournalFormat::JsonLines => jsonl::fold(
                &self.path,
                start,
                stop,
                threads,
                || PartialReport::new(fiscal_year),
                |p, at, e: &Event| p.add(at, e),
                |a, b| a.merge(b),
            ),
        }
    }

    /// The statistics ledger (JSON Lines: each of `threads` workers parses its blocks into its
    /// own ledger — parsing, pushing and dropping each event on one thread — and the ledgers
    /// are merged).
    pub fn ledger(&self, threads: usize) -> Result<Ledger, Error> {
        match self.format {
            JournalFormat::Sqlite => journal_ledger(&self.journal()?),
            JournalFormat::JsonLines => jsonl::fold(
                &self.path,
                0,
                None,
                threads,
                Ledger::new,
                |l, at, e: &Event| l.push(at, e),
                |mut a, b| {
                    a.merge(b);
                    Ok(a)
                },
            ),
        }
    }

    /// The pseudonymised export, streamed: events are parsed and exported one at a time, never
    /// all in memory (JSON Lines: parsed on two workers, exported in one ordered pass).
    pub fn export(
        &self,
        key: &Pseudonymiser,
        as_of: chrono::NaiveDate,
        bands: &AgeBands,
    ) -> Result<ExportTables, Error> {
        match self.format {
            JournalFormat::Sqlite => journal_export(&self.journal()?, key, as_of, bands),
            JournalFormat::JsonLines => jsonl::in_order(&self.path, |events| {
                crate::stats::export(events.map(|(_, e): (usize, Event)| e), key, as_of, bands)
            })?,
        }
    }
}

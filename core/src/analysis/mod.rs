//! Analysis (分析): the annual report, the statistics ledger and the pseudonymised export of a
//! journal wherever it is kept — a [`CaseBook`], an SQLite journal file, a JSON Lines file of
//! events — so that every binding asks the core instead of reading journals itself.
//!
//! This module sits above `registry`, `journal` and `stats` and nothing below imports it.
//! Reading files (`JournalFile`, the file readers of [`jsonl`]) needs the file system and
//! threads: it is behind the cargo feature `files` (with `sqlite`; off in the wasm build).
//!
//! Positions (what the report folds count "first consultation" by) are the events' indices in
//! their journal: `seq - 1` in a journal, the line number in a JSON Lines file, the index in a
//! list — the same numbers whichever way one journal is read.

#[cfg(feature = "files")]
mod file;
pub mod jsonl;
#[cfg(test)]
mod tests;

#[cfg(feature = "files")]
pub use file::{JournalFile, JournalFormat};

use crate::calendar::FiscalYear;
use crate::journal::{Journal, Store};
use crate::registry::{CaseBook, Event};
use crate::stats::{
    self, AgeBands, AnnualReport, ExportTables, Ledger, PartialReport, Pseudonymiser,
    ReportSettings,
};
use crate::Error;

/// Fold every payload of `journal` (verified as read) with its position, in order.
fn fold_journal<S: Store, A>(
    journal: &Journal<Event, S>,
    init: A,
    mut fold: impl FnMut(A, u64, &Event) -> A,
) -> Result<A, Error> {
    Ok(journal.replay(init, |acc, e| fold(acc, e.seq - 1, &e.payload))?)
}

/// The partial report of `fy` over positions `start .. stop` of a journal.
fn journal_partial<S: Store>(
    journal: &Journal<Event, S>,
    fy: FiscalYear,
    start: u64,
    stop: Option<u64>,
) -> Result<PartialReport, Error> {
    let stop = stop.unwrap_or(u64::MAX);
    fold_journal(journal, PartialReport::new(fy), |mut p, at, e| {
        if (start..stop).contains(&at) {
            p.add(at, e);
        }
        p
    })
}

/// The statistics ledger of a journal.
fn journal_ledger<S: Store>(journal: &Journal<Event, S>) -> Result<Ledger, Error> {
    fold_journal(journal, Ledger::new(), |mut l, at, e| {
        l.push(at, e);
        l
    })
}

/// The pseudonymised export of a journal, read in one verified pass.
fn journal_export<S: Store>(
    journal: &Journal<Event, S>,
    key: &Pseudonymiser,
    as_of: chrono::NaiveDate,
    bands: &AgeBands,
) -> Result<ExportTables, Error> {
    let mut failed = None;
    let events = journal.iter().map_while(|r| match r {
        Ok(e) => Some(e.payload),
        Err(e) => {
            failed = Some(e);
            None
        }
    });
    let tables = stats::export(events, key, as_of, bands);
    match failed {
        Some(e) => Err(e.into()),
        None => tables,
    }
}

impl<S: Store> CaseBook<S> {
    /// The partial report of a fiscal year from this book's journal (merges with partials of
    /// other journals).
    pub fn partial_report(&self, fiscal_year: FiscalYear) -> Result<PartialReport, Error> {
        journal_partial(self.journal(), fiscal_year, 0, None)
    }

    /// The annual report (実績報告) of a fiscal year from this book's journal.
    pub fn annual_report(
        &self,
        fiscal_year: FiscalYear,
        settings: &ReportSettings,
    ) -> Result<AnnualReport, Error> {
        self.partial_report(fiscal_year)?.finish(settings)
    }

    /// The statistics ledger of this book's journal.
    pub fn ledger(&self) -> Result<Ledger, Error> {
        journal_ledger(self.journal())
    }

    /// The pseudonymised export of this book's journal (see [`stats::export`]).
    pub fn export(
        &self,
        key: &Pseudonymiser,
        as_of: chrono::NaiveDate,
        bands: &AgeBands,
    ) -> Result<ExportTables, Error> {
        journal_export(self.journal(), key, as_of, bands)
    }
}

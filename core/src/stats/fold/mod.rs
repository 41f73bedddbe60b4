//! What every command contributes to statistics (実績報告の事実・分析用データ), one file per area:
//! which facts it folds into the annual report ([`Facts`]) and which rows it exports
//! ([`Rows`]). Every command struct implements both in its area's file here (`case.rs`,
//! `participation.rs` …), and the fold, the ledger and the export reach them only through the
//! exhaustive `each_command!`, so a new command does not compile until both are answered.
//!
//! # One definition of every fact
//!
//! A command states its facts to a [`FactSink`] (a case opened on a day for a person, a
//! contact with an agency, an assessment's issue codes …). Two sinks implement it: the
//! [`PartialReport`](super::PartialReport), which folds each fact at once, and the
//! [`Ledger`](super::Ledger), which stores it in columns (ids numbered) and later applies the
//! stored facts to a partial with the same methods. Facts that are rare and not worth columns
//! (documents, registrations, meetings, participation and community records) are [`Kept`]
//! whole by the ledger and folded by the partial in one place,
//! `PartialReport::fold_kept`.

mod case;
mod community;
mod config;
mod consent;
mod disaster;
mod disclosure;
mod erasure;
mod forms;
mod household;
mod household_move;
mod meeting;
mod participation;
mod person;
mod plan;
mod record;
mod referral;
mod sink;
#[cfg(test)]
mod tests;
mod worker;

pub(super) use case::{CaseFact, IssueSet};
pub(super) use record::RecordFacts;
pub(super) use sink::{FactSink, Facts, Kept, MeetingFacts, Rows};

use crate::error::Error;
use crate::registry::command::each_command;
use crate::registry::Event;
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;

/// State the facts of event `event` at position `at` to `sink`.
pub(super) fn facts_of(at: Position, event: &Event, sink: &mut impl FactSink) {
    each_command!(&event.command, c => Facts::facts(c, at, event.on, sink))
}

/// Export the rows of `event`.
pub(super) fn rows_of(event: &Event, x: &mut Exporter<'_>) -> Result<(), Error> {
    each_command!(&event.command, c => Rows::rows(c, event.on, x))
}

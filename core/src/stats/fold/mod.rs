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
mod household;
mod meeting;
mod participation;
mod plan;
mod referral;
#[cfg(test)]
mod tests;

pub(super) use case::CaseFact;

use super::community::CommunityFact;
use super::export::Exporter;
use super::partial::{MeetingFacts, Position};
use super::participation::ParticipationFact;
use crate::case::CaseCommand;
use crate::error::Error;
use crate::ids::*;
use crate::meeting::{MeetingId, MeetingTypesDocument};
use crate::referral::ReferralStatus;
use crate::registry::command::each_command;
use crate::registry::Event;
use crate::taxonomy::TaxonomyDocument;
use chrono::NaiveDate;

/// A fact the report counts that a ledger keeps whole (rare: documents, registrations, meetings,
/// participation and community records).
#[derive(Debug, Clone)]
pub(super) enum Kept {
    /// A taxonomy extension.
    Taxonomy(TaxonomyDocument),
    /// A meeting-types extension.
    MeetingTypes(MeetingTypesDocument),
    /// An agency registered with its kind.
    Agency(AgencyId, AgencyKindCode),
    /// A meeting held.
    Meeting(MeetingId, MeetingFacts),
    /// A participation-support fact (matches, follow-ups, resource gaps).
    Participation(ParticipationFact),
    /// A community-building fact (activities, sessions).
    Community(CommunityFact),
}

/// Where a command's facts go: the partial report (folds at once) or the ledger (stores).
/// Ids are given as ids; each sink numbers them in its own tables.
pub(super) trait FactSink {
    /// A household member's birth date or approximate age, recorded at `at` on `on`.
    fn member(
        &mut self,
        at: Position,
        on: NaiveDate,
        person: &PersonId,
        birth_date: Option<NaiveDate>,
        approx_age: Option<u32>,
    );
    /// A case opened on `on` for `person`: by intake (a first consultation) or by outreach.
    fn open(&mut self, case: &CaseId, person: &PersonId, on: NaiveDate, intake: bool);
    /// A lifecycle command on a case at `at`, executed on `on` (see `CaseFact::of`).
    fn case_action(&mut self, at: Position, on: NaiveDate, case: &CaseId, action: &CaseCommand);
    /// A support plan (or a re-plan) created on `created_on`.
    fn plan(&mut self, created_on: NaiveDate, replan: bool);
    /// A monitoring record of `on`.
    fn monitoring(&mut self, on: NaiveDate);
    /// A liaison contact with `agency` on `on`.
    fn contact(&mut self, agency: &AgencyId, on: NaiveDate);
    /// A referral proposed on `on`.
    fn proposal(&mut self, at: Position, referral: &ReferralId, on: NaiveDate);
    /// A referral's status set to `status` on `on`.
    fn referral_step(
        &mut self,
        at: Position,
        referral: &ReferralId,
        on: NaiveDate,
        status: ReferralStatus,
    );
    /// A rare fact, kept whole.
    fn kept(&mut self, at: Position, on: NaiveDate, fact: Kept);
}

/// Which facts a command folds into the annual report; implemented by every command struct
/// in its area's file.
pub(super) trait Facts {
    /// State the facts of this command, accepted at journal position `at` on `on` (the
    /// event's date), to `sink`. A command the report does not count states none.
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink);
}

/// Which rows a command exports (pseudonymised, see [`super::export`]); implemented by every
/// command struct in its area's file.
pub(super) trait Rows {
    /// Add this command's rows (or update rows already exported) for an event dated `on`.
    /// Errors only from documents (taxonomy or meeting-type extensions).
    fn rows(&self, on: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error>;
}

/// State the facts of event `event` at position `at` to `sink`.
pub(super) fn facts_of(at: Position, event: &Event, sink: &mut impl FactSink) {
    each_command!(&event.command, c => c.facts(at, event.on, sink))
}

/// Export the rows of `event`.
pub(super) fn rows_of(event: &Event, x: &mut Exporter<'_>) -> Result<(), Error> {
    each_command!(&event.command, c => c.rows(event.on, x))
}

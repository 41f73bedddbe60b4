//! The vocabulary every command's statistics are stated in: the traits [`Facts`] (what a command
//! folds into the annual report) and [`Rows`] (what it exports), the [`FactSink`] both the partial
//! report and the ledger implement, and the rare facts a ledger [`Kept`] whole.

use crate::case::CaseCommand;
use crate::error::Error;
use crate::ids::*;
use crate::meeting::{ConvenerRole, MeetingId, MeetingTypeCode, MeetingTypesDocument};
use crate::referral::ReferralStatus;
use crate::stats::community::CommunityFact;
use crate::stats::export::exporter::Exporter;
use crate::stats::participation::ParticipationFact;
use crate::stats::position::Position;
use crate::taxonomy::TaxonomyDocument;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A meeting as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(in crate::stats) struct MeetingFacts {
    pub(in crate::stats) meeting_type: MeetingTypeCode,
    pub(in crate::stats) date: NaiveDate,
    pub(in crate::stats) convener: ConvenerRole,
}

/// A fact the report counts that a ledger keeps whole (rare: documents, registrations, meetings,
/// participation and community records).
#[derive(Debug, Clone)]
pub(in crate::stats) enum Kept {
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
    /// A case-record fact (entries, outreach attempts, stages, keeping connected).
    Record(super::record::RecordFact),
}

/// Where a command's facts go: the partial report (folds at once) or the ledger (stores).
/// Ids are given as ids; each sink numbers them in its own tables.
pub(in crate::stats) trait FactSink {
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
pub(in crate::stats) trait Facts {
    /// State the facts of this command, accepted at journal position `at` on `on` (the
    /// event's date), to `sink`. A command the report does not count states none.
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink);
}

/// Which rows a command exports (pseudonymised, see [`super::export`]); implemented by every
/// command struct in its area's file.
pub(in crate::stats) trait Rows {
    /// Add this command's rows (or update rows already exported) for an event dated `on`.
    /// Errors only from documents (taxonomy or meeting-type extensions).
    fn rows(&self, on: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error>;
}

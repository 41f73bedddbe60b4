//! Statistics (統計・実績報告): the annual report (実績報告) of a fiscal year computed by folding
//! journal events, mergeable partial reports for scale-out, and the pseudonymised export for
//! analysis outside the case system.
//!
//! # The annual report
//!
//! [`AnnualReport`] holds what a municipality's 実績報告 states (seeds 003, Ishinomaki 2020):
//! first consultations (total, monthly average, per month), single vs continuing consultations,
//! new vs carried-over cases, issues by category (several per person), persons by age band,
//! plans made and re-plans, monitoring done, closures by reason, referrals by outcome, liaison
//! contacts by agency kind with sector subtotals and a total (the layout of Table 1), case
//! meetings by type and by convener, and the network meetings held with their dates.
//!
//! # Mergeable partial reports
//!
//! A [`PartialReport`] is a commutative monoid: [`PartialReport::new`] is the identity and
//! [`PartialReport::merge`] is associative and commutative, so partial reports computed on **any
//! partition** of a journal's events, merged in any order, equal the single-pass report
//! (`stats::tests` proves it by property test). Design:
//!
//! * Every figure is either a plain counter (contacts per agency id, plans made, monitoring
//!   records, closures per reason) — merged by addition — or a fact about one entity keyed by its
//!   id in a map (cases, persons, referrals, meetings, agencies) — merged entry by entry.
//!   Nothing is resolved while folding: a contact is counted under its agency *id*, and the
//!   agency's kind and sector are looked up only in [`PartialReport::finish`], because the
//!   agency's registration may sit in another partition.
//! * **First consultations are de-duplicated by case id.** A case's first consultation is the
//!   intake date of its `open_case` (or of the `engage` of an outreach case), kept per case id as
//!   a minimum; a case therefore counts once however the events are split, and the report does not
//!   require partitions by case.
//! * Facts that later events replace (a re-recorded assessment, an updated household, a referral's
//!   status, whether a case was open on April 1) keep the **journal position** of the event that
//!   set them, and merge keeps the one with the greater position — last-writer-wins made
//!   order-independent. Positions are the events' sequence numbers in the whole journal (the
//!   journal's `seq`; `0, 1, 2 …` for a slice): callers that partition a journal must pass the
//!   global positions, not per-partition indices.
//! * Single vs continuing is decided from the case's outcome decisions up to the end of the year,
//!   by precedence: continuing support (継続相談) over handed over (つなぎ) over information only
//!   (単発相談). A case decided information-only, reopened and then taken into continuing support
//!   counts as continuing. Handed-over cases are reported separately, as are cases not yet decided
//!   on March 31.
//! * Merging partials of two different fiscal years is an error (`fiscal_year_mismatch`), as is
//!   a settings document with malformed age bands (`invalid_age_bands`).
//!
//! Folding does not re-validate commands: it expects the events of a journal, which hold only
//! accepted commands. A contact whose agency was never registered is reported by
//! [`PartialReport::finish`] as `unknown_agency` rather than left out of Table 1.
//!
//! # Decisions on what each figure counts
//!
//! * Dates are the records' own dates (intake `on`, plan `created_on`, monitoring `on`, closure
//!   `on`, contact `on`, meeting `date`, referral proposal `on`); commands without a date of their
//!   own (`decide`, `start_monitoring` …) take the event's `on`. Events dated after March 31 of the
//!   year do not affect its report.
//! * Issues and age bands describe the **persons of the year's first consultations** (図1, 図2 of
//!   seeds 003): per case, the distinct issue codes of its latest assessment (all members and the
//!   household as a whole), and the subject's age on the intake date (from the birth date, else the
//!   approximate age; `unknown` otherwise).
//! * New = cases opened (intake or outreach) in the year; carried over = opened before April 1 and
//!   open on April 1; reopened = closed on April 1 and reopened during the year.
//! * Closures count `close` commands dated in the year and information-only decisions (closed with
//!   reason `information_provided`). Referrals are those proposed in the year, by their status on
//!   March 31. Case meetings are meetings of any type that may discuss individual cases; network
//!   meetings are meetings whose base type is one of [`ReportSettings::network_meeting_types`]
//!   (default `promotion_meeting`, `network_meeting`).
//! * Participation-support and community-building figures are folded from their commands' facts
//!   (matches, follow-ups, resource gaps by area; activities, sessions and participants per area
//!   and stage); see `stats::participation` and `stats::community` (and [`ParticipationFigures`],
//!   [`CommunityFigures`]) for what each counts.
//!
//! # Where each command's statistics are
//!
//! Which facts a command folds and which rows it exports are answered per command in
//! `stats/fold/<area>.rs` (traits `Facts` and `Rows`, dispatched exhaustively). The files
//! beside it own the machinery: `partial/` the mergeable fold (`finish.rs` the report,
//! `wire.rs` the serialised form), `ledger.rs` the columnar ledger, `export/` the export pass,
//! `participation.rs`, `community.rs` and `disaster.rs` those areas' figures and export rows,
//! `id_tables.rs` the dense id tables and hasher, `pseudonym.rs` the keyed pseudonyms,
//! `report.rs` the report's types.

mod community;
mod disaster;
mod export;
pub mod fixtures;
mod fold;
mod id_tables;
mod ledger;
mod partial;
mod participation;
mod position;
mod pseudonym;
mod report;
#[cfg(test)]
mod tests;

pub use community::{ActivityRow, SessionRow};
pub use disaster::{DisasterRecordRow, DispatchRow, VisitRow};
pub use export::{
    export, CaseRow, ContactRow, ExportTables, IssueRow, MeetingRow, PersonRow, ReferralRow,
    SupportTables,
};
pub use ledger::Ledger;
pub use partial::{annual_report, PartialReport};
pub use participation::{FollowUpRow, GapRow, MatchRow, ResourceRow};
pub use position::Position;
pub use pseudonym::{Pseudonymiser, PSEUDONYM_HEX_LEN};
pub use report::RecordFigures;
pub use report::{
    AgeBand, AgeBands, AnnualReport, BandCount, Caseload, CodeCount, CommunityAreaRow,
    CommunityFigures, ContactKindRow, ContactSectorRow, ContactTable, FirstConsultations,
    GapAreaRow, MeetingCounts, MonthCount, NeedRow, NetworkMeeting, ParticipationFigures,
    PlanCounts, ReportSettings, StageRow,
};

use crate::coded::Coded;

/// Errors of statistics and the pseudonymised export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// Two partial reports of different fiscal years cannot be merged.
    #[error("cannot merge a partial report of fiscal year {left} with one of {right}")]
    FiscalYearMismatch {
        /// The receiving partial's year.
        left: i32,
        /// The other partial's year.
        right: i32,
    },
    /// Age bands that are empty, unordered, overlapping or with a gap.
    #[error("invalid age bands: {reason} at {path}")]
    InvalidAgeBands {
        /// What is wrong.
        reason: String,
        /// JSON path of the offending band.
        path: String,
    },
    /// A pseudonymisation key shorter than 16 bytes.
    #[error("pseudonymisation key too short: {len} bytes, at least 16 needed")]
    KeyTooShort {
        /// The key's length in bytes.
        len: usize,
    },
}

impl StatsError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] =
        &["fiscal_year_mismatch", "invalid_age_bands", "key_too_short"];
}

impl Coded for StatsError {
    fn code(&self) -> &'static str {
        match self {
            StatsError::FiscalYearMismatch { .. } => "fiscal_year_mismatch",
            StatsError::InvalidAgeBands { .. } => "invalid_age_bands",
            StatsError::KeyTooShort { .. } => "key_too_short",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            StatsError::InvalidAgeBands { path, .. } => Some(path.clone()),
            _ => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            StatsError::FiscalYearMismatch { .. } => crate::coded::ErrorKind::Rule,
            StatsError::InvalidAgeBands { .. } => crate::coded::ErrorKind::Invalid,
            StatsError::KeyTooShort { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

//! Errors of disaster case management (災害ケースマネジメントのエラー).

use super::ids::*;
use crate::coded::Coded;
use crate::ids::*;
use chrono::NaiveDate;

/// Errors of disaster case management.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisasterError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// A command on a record whose disaster phase has ended (it is read-only).
    #[error("record `{id}`: the disaster phase has ended; `{command}` is not allowed")]
    PhaseEnded {
        /// Record id.
        id: DisasterRecordId,
        /// Command code.
        command: &'static str,
    },
    /// Linking a case before the phase ended.
    #[error("record `{id}`: the disaster phase has not ended")]
    PhaseNotEnded {
        /// Record id.
        id: DisasterRecordId,
    },
    /// Linking a second case.
    #[error("record `{id}` is already linked to case `{case}`")]
    CaseAlreadyLinked {
        /// Record id.
        id: DisasterRecordId,
        /// The linked case.
        case: CaseId,
    },
    /// A date before one the command must follow.
    #[error("record `{id}`: {on} is before {last} at {path}")]
    DateOutOfOrder {
        /// Record id.
        id: DisasterRecordId,
        /// The date given.
        on: NaiveDate,
        /// The earliest allowed date.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A move to the stage the household is already in.
    #[error("record `{id}` is already at stage `{stage}` at {path}")]
    StageUnchanged {
        /// Record id.
        id: DisasterRecordId,
        /// Stage code.
        stage: &'static str,
        /// JSON path.
        path: String,
    },
    /// A wide-area evacuation without a place.
    #[error("wide-area evacuation needs a place at {path}")]
    EmptyPlace {
        /// JSON path.
        path: String,
    },
    /// An issue already on the record.
    #[error("record `{id}` already has issue `{issue}` at {path}")]
    DuplicateIssue {
        /// Record id.
        id: DisasterRecordId,
        /// Issue code.
        issue: IssueCode,
        /// JSON path.
        path: String,
    },
    /// A risk rank not in the visit intervals.
    #[error("unknown risk rank `{rank}` at {path}")]
    UnknownRiskRank {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A risk rank defined twice.
    #[error("duplicate risk rank `{rank}` at {path}")]
    DuplicateRiskRank {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A visit interval of zero days.
    #[error("risk rank `{rank}` needs an interval of at least one day at {path}")]
    InvalidInterval {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A dispatch id used twice on a record.
    #[error("record `{id}`: duplicate dispatch `{dispatch}` at {path}")]
    DuplicateDispatch {
        /// Record id.
        id: DisasterRecordId,
        /// Dispatch id.
        dispatch: DispatchId,
        /// JSON path.
        path: String,
    },
    /// A dispatch id not on the record.
    #[error("record `{id}`: unknown dispatch `{dispatch}` at {path}")]
    UnknownDispatch {
        /// Record id.
        id: DisasterRecordId,
        /// Dispatch id.
        dispatch: DispatchId,
        /// JSON path.
        path: String,
    },
    /// A dispatch command its status does not allow.
    #[error("dispatch `{dispatch}`: `{command}` is not allowed when it is {from}")]
    IllegalTransition {
        /// Dispatch id.
        dispatch: DispatchId,
        /// Current status code.
        from: &'static str,
        /// Command code.
        command: &'static str,
    },
}

impl DisasterError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "phase_ended",
        "phase_not_ended",
        "case_already_linked",
        "date_out_of_order",
        "stage_unchanged",
        "empty_place",
        "duplicate_issue",
        "unknown_risk_rank",
        "duplicate_risk_rank",
        "invalid_interval",
        "duplicate_dispatch",
        "unknown_dispatch",
        "illegal_transition",
    ];
}

impl Coded for DisasterError {
    fn code(&self) -> &'static str {
        match self {
            DisasterError::Document(e) => e.code(),
            DisasterError::Taxonomy(e) => e.code(),
            DisasterError::PhaseEnded { .. } => "phase_ended",
            DisasterError::PhaseNotEnded { .. } => "phase_not_ended",
            DisasterError::CaseAlreadyLinked { .. } => "case_already_linked",
            DisasterError::DateOutOfOrder { .. } => "date_out_of_order",
            DisasterError::StageUnchanged { .. } => "stage_unchanged",
            DisasterError::EmptyPlace { .. } => "empty_place",
            DisasterError::DuplicateIssue { .. } => "duplicate_issue",
            DisasterError::UnknownRiskRank { .. } => "unknown_risk_rank",
            DisasterError::DuplicateRiskRank { .. } => "duplicate_risk_rank",
            DisasterError::InvalidInterval { .. } => "invalid_interval",
            DisasterError::DuplicateDispatch { .. } => "duplicate_dispatch",
            DisasterError::UnknownDispatch { .. } => "unknown_dispatch",
            DisasterError::IllegalTransition { .. } => "illegal_transition",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            DisasterError::Document(e) => e.path(),
            DisasterError::Taxonomy(e) => e.path(),
            DisasterError::DateOutOfOrder { path, .. }
            | DisasterError::StageUnchanged { path, .. }
            | DisasterError::EmptyPlace { path }
            | DisasterError::DuplicateIssue { path, .. }
            | DisasterError::UnknownRiskRank { path, .. }
            | DisasterError::DuplicateRiskRank { path, .. }
            | DisasterError::InvalidInterval { path, .. }
            | DisasterError::DuplicateDispatch { path, .. }
            | DisasterError::UnknownDispatch { path, .. } => Some(path.clone()),
            DisasterError::PhaseEnded { .. }
            | DisasterError::PhaseNotEnded { .. }
            | DisasterError::CaseAlreadyLinked { .. }
            | DisasterError::IllegalTransition { .. } => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            DisasterError::Document(e) => e.kind(),
            DisasterError::Taxonomy(e) => e.kind(),
            DisasterError::PhaseEnded { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::PhaseNotEnded { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::CaseAlreadyLinked { .. } => crate::coded::ErrorKind::Rule,
            DisasterError::DateOutOfOrder { .. } => crate::coded::ErrorKind::Rule,
            DisasterError::StageUnchanged { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::EmptyPlace { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::DuplicateIssue { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::UnknownRiskRank { .. } => crate::coded::ErrorKind::NotFound,
            DisasterError::DuplicateRiskRank { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::InvalidInterval { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::DuplicateDispatch { .. } => crate::coded::ErrorKind::AlreadyExists,
            DisasterError::UnknownDispatch { .. } => crate::coded::ErrorKind::NotFound,
            DisasterError::IllegalTransition { .. } => crate::coded::ErrorKind::Transition,
        }
    }
}

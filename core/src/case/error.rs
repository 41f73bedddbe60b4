//! Case errors (ケースのエラー): [`CaseError`], its stable codes, paths and kinds.

use super::command::CaseAction;
use super::state::{CaseStateKind, FiscalYear};
use crate::coded::Coded;
use crate::ids::*;
use chrono::NaiveDate;

/// Errors of the case lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An agency directory error (an unknown agency …).
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// A date after `today` (`date_in_future`).
    #[error(transparent)]
    DateInFuture(#[from] crate::calendar::DateInFuture),
    /// A command the current state does not accept.
    #[error("case `{case}`: `{action}` is not allowed in state `{state}`")]
    IllegalTransition {
        /// Case id.
        case: CaseId,
        /// Current state.
        state: CaseStateKind,
        /// The command.
        action: CaseAction,
    },
    /// A command dated before the case's latest event.
    #[error("case `{case}`: date {on} is before the latest event on {last}")]
    DateBeforeLastEvent {
        /// Case id.
        case: CaseId,
        /// The command's date.
        on: NaiveDate,
        /// Date of the latest event.
        last: NaiveDate,
        /// JSON path of the date, when the command carries it.
        path: Option<String>,
    },
    /// A transfer or closure that needs an accepted referral of this case from the responsible
    /// window to another window, without one.
    #[error("case `{case}`: referral {referral:?} is not an accepted referral from the responsible window")]
    ReferralNotAccepted {
        /// Case id.
        case: CaseId,
        /// The referral given, if any.
        referral: Option<ReferralId>,
        /// JSON path.
        path: String,
    },
    /// A carry-over into a fiscal year that is not the next one, or is after today's.
    #[error("case `{case}`: cannot carry over from fiscal year {current} into {into} (today is in {today_year})")]
    InvalidCarryOver {
        /// Case id.
        case: CaseId,
        /// Year requested.
        into: FiscalYear,
        /// Latest year the case is recorded in.
        current: FiscalYear,
        /// Fiscal year of today.
        today_year: FiscalYear,
    },
    /// Deciding an outcome without an assessment recorded since the case (re)entered assessment.
    #[error("case `{case}`: record an assessment before deciding")]
    AssessmentRequired {
        /// Case id.
        case: CaseId,
    },
    /// Ending a life-threatening case with information only.
    #[error("case `{case}`: urgency is immediate, it cannot end with information only")]
    UrgentInformationOnly {
        /// Case id.
        case: CaseId,
    },
    /// Transferring responsibility to the window that already holds it.
    #[error("case `{case}`: `{window}` is already the responsible window")]
    SameWindow {
        /// Case id.
        case: CaseId,
        /// The window.
        window: AgencyId,
    },
    /// Adopting a plan the context does not know.
    #[error("case `{case}`: unknown plan `{plan}`")]
    UnknownPlan {
        /// Case id.
        case: CaseId,
        /// Plan id.
        plan: PlanId,
    },
    /// Adopting a plan of another case.
    #[error("case `{case}`: plan `{plan}` belongs to case `{plan_case}`")]
    PlanCaseMismatch {
        /// Case id.
        case: CaseId,
        /// Plan id.
        plan: PlanId,
        /// The plan's case.
        plan_case: CaseId,
    },
    /// Adopting a plan the person has not consented to.
    #[error("case `{case}`: plan `{plan}` has no consent")]
    PlanNotConsented {
        /// Case id.
        case: CaseId,
        /// Plan id.
        plan: PlanId,
    },
    /// A required text (chief complaint, concern, wishes) that is empty.
    #[error("case `{case}`: {path} must not be empty")]
    MissingText {
        /// Case id.
        case: CaseId,
        /// JSON path.
        path: String,
    },
}

impl CaseError {
    /// Every code this area can return (with `unknown_code` from the taxonomy and
    /// `unknown_agency` from the directory, which `apply` also returns).
    pub const CODES: &'static [&'static str] = &[
        "illegal_transition",
        "date_before_last_event",
        "referral_not_accepted",
        "invalid_carry_over",
        "assessment_required",
        "urgent_information_only",
        "same_window",
        "unknown_plan",
        "plan_case_mismatch",
        "plan_not_consented",
        "missing_text",
    ];
}

impl Coded for CaseError {
    fn code(&self) -> &'static str {
        match self {
            CaseError::Taxonomy(e) => e.code(),
            CaseError::Agency(e) => e.code(),
            CaseError::DateInFuture(e) => e.code(),
            CaseError::IllegalTransition { .. } => "illegal_transition",
            CaseError::DateBeforeLastEvent { .. } => "date_before_last_event",
            CaseError::ReferralNotAccepted { .. } => "referral_not_accepted",
            CaseError::InvalidCarryOver { .. } => "invalid_carry_over",
            CaseError::AssessmentRequired { .. } => "assessment_required",
            CaseError::UrgentInformationOnly { .. } => "urgent_information_only",
            CaseError::SameWindow { .. } => "same_window",
            CaseError::UnknownPlan { .. } => "unknown_plan",
            CaseError::PlanCaseMismatch { .. } => "plan_case_mismatch",
            CaseError::PlanNotConsented { .. } => "plan_not_consented",
            CaseError::MissingText { .. } => "missing_text",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            CaseError::Taxonomy(e) => e.path(),
            CaseError::Agency(e) => e.path(),
            CaseError::DateInFuture(e) => e.path(),
            CaseError::DateBeforeLastEvent { path, .. } => path.clone(),
            CaseError::ReferralNotAccepted { path, .. } | CaseError::MissingText { path, .. } => {
                Some(path.clone())
            }
            CaseError::InvalidCarryOver { .. } => Some("$.into".into()),
            CaseError::SameWindow { .. } => Some("$.to".into()),
            CaseError::UnknownPlan { .. }
            | CaseError::PlanCaseMismatch { .. }
            | CaseError::PlanNotConsented { .. } => Some("$.plan".into()),
            CaseError::UrgentInformationOnly { .. } => Some("$.outcome".into()),
            CaseError::IllegalTransition { .. } | CaseError::AssessmentRequired { .. } => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            CaseError::Taxonomy(e) => e.kind(),
            CaseError::Agency(e) => e.kind(),
            CaseError::DateInFuture(e) => e.kind(),
            CaseError::IllegalTransition { .. } => crate::coded::ErrorKind::Transition,
            CaseError::DateBeforeLastEvent { .. } => crate::coded::ErrorKind::Transition,
            CaseError::ReferralNotAccepted { .. } => crate::coded::ErrorKind::Transition,
            CaseError::InvalidCarryOver { .. } => crate::coded::ErrorKind::Rule,
            CaseError::AssessmentRequired { .. } => crate::coded::ErrorKind::Transition,
            CaseError::UrgentInformationOnly { .. } => crate::coded::ErrorKind::Rule,
            CaseError::SameWindow { .. } => crate::coded::ErrorKind::Rule,
            CaseError::UnknownPlan { .. } => crate::coded::ErrorKind::NotFound,
            CaseError::PlanCaseMismatch { .. } => crate::coded::ErrorKind::Rule,
            CaseError::PlanNotConsented { .. } => crate::coded::ErrorKind::Transition,
            CaseError::MissingText { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

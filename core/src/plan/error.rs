//! Errors of support plans and monitoring ([`PlanError`]): codes, paths and kinds.

use crate::coded::Coded;
use crate::ids::*;
use chrono::NaiveDate;

use super::{ActionId, GoalId};

/// Errors of support plans and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// An agency directory error (an unknown agency …).
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// A date after `today` (`date_in_future`).
    #[error(transparent)]
    DateInFuture(#[from] crate::calendar::DateInFuture),
    /// A plan document that breaks a structural rule.
    #[error("invalid plan `{plan}` at {path}: {reason}")]
    InvalidPlan {
        /// Plan id.
        plan: PlanId,
        /// JSON path of the offending field.
        path: String,
        /// Which rule (fixed English text, no personal data).
        reason: &'static str,
    },
    /// A goal id that the plan version does not define.
    #[error("plan `{plan}` has no goal `{goal}` (at {path})")]
    UnknownGoal {
        /// Plan id.
        plan: PlanId,
        /// The goal id.
        goal: GoalId,
        /// JSON path of the reference.
        path: String,
    },
    /// A goal or action id used twice in one version (or a goal reviewed twice in one record).
    #[error("plan `{plan}` uses id `{id}` twice (at {path})")]
    DuplicateId {
        /// Plan id.
        plan: PlanId,
        /// The id.
        id: String,
        /// JSON path of the second use.
        path: String,
    },
    /// A re-plan whose version is not the current one plus one.
    #[error("plan `{plan}`: version {got} given, {expected} expected")]
    PlanVersionConflict {
        /// Plan id.
        plan: PlanId,
        /// The version given.
        got: u32,
        /// The version expected.
        expected: u32,
    },
    /// A re-plan for another plan id or another case.
    #[error(
        "plan `{plan}` (case `{case}`) cannot follow plan `{current}` (case `{current_case}`)"
    )]
    PlanMismatch {
        /// Id of the new version.
        plan: PlanId,
        /// Case of the new version.
        case: CaseId,
        /// Id of the current version.
        current: PlanId,
        /// Case of the current version.
        current_case: CaseId,
    },
    /// Monitoring dated before the plan version was made.
    #[error(
        "plan `{plan}` v{version}: monitoring on {on} is before the plan was made on {created_on}"
    )]
    MonitoringBeforePlan {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
        /// Monitoring date.
        on: NaiveDate,
        /// Plan creation date.
        created_on: NaiveDate,
    },
    /// Monitoring dated before the latest record.
    #[error("plan `{plan}` v{version}: monitoring on {on} is before the latest record on {last}")]
    MonitoringOutOfOrder {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
        /// Monitoring date.
        on: NaiveDate,
        /// Latest record date.
        last: NaiveDate,
    },
    /// Monitoring of a plan the person has not consented to (it is not in force).
    #[error("plan `{plan}` v{version} has no consent")]
    PlanNotConsented {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
    },
    /// Consent recorded twice for one version.
    #[error("plan `{plan}` v{version} already has consent")]
    AlreadyConsented {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
    },
    /// Monitoring after a record that decided to re-plan or close this version.
    #[error("plan `{plan}` v{version} was concluded by its monitoring on {on}")]
    MonitoringConcluded {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
        /// Date of the concluding record.
        on: NaiveDate,
    },
    /// An action id that the current plan version does not define.
    #[error("plan `{plan}` has no action `{action}` in its current version (at {path})")]
    UnknownAction {
        /// Plan id.
        plan: PlanId,
        /// The action id.
        action: ActionId,
        /// JSON path of the reference.
        path: String,
    },
    /// An action already recorded as done (its done date is kept; a done action is not redone).
    #[error("plan `{plan}` v{version}: action `{action}` was already done on {on}")]
    ActionAlreadyDone {
        /// Plan id.
        plan: PlanId,
        /// Version.
        version: u32,
        /// The action id.
        action: ActionId,
        /// The date it was done.
        on: NaiveDate,
    },
}

impl PlanError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "invalid_plan",
        "unknown_goal",
        "duplicate_id",
        "plan_version_conflict",
        "plan_mismatch",
        "monitoring_before_plan",
        "monitoring_out_of_order",
        "plan_not_consented",
        "already_consented",
        "monitoring_concluded",
        "unknown_action",
        "action_already_done",
    ];
}

impl Coded for PlanError {
    fn code(&self) -> &'static str {
        match self {
            PlanError::Agency(e) => e.code(),
            PlanError::DateInFuture(e) => e.code(),
            PlanError::InvalidPlan { .. } => "invalid_plan",
            PlanError::UnknownGoal { .. } => "unknown_goal",
            PlanError::DuplicateId { .. } => "duplicate_id",
            PlanError::PlanVersionConflict { .. } => "plan_version_conflict",
            PlanError::PlanMismatch { .. } => "plan_mismatch",
            PlanError::MonitoringBeforePlan { .. } => "monitoring_before_plan",
            PlanError::MonitoringOutOfOrder { .. } => "monitoring_out_of_order",
            PlanError::PlanNotConsented { .. } => "plan_not_consented",
            PlanError::AlreadyConsented { .. } => "already_consented",
            PlanError::MonitoringConcluded { .. } => "monitoring_concluded",
            PlanError::UnknownAction { .. } => "unknown_action",
            PlanError::ActionAlreadyDone { .. } => "action_already_done",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            PlanError::Agency(e) => e.path(),
            PlanError::DateInFuture(e) => e.path(),
            PlanError::InvalidPlan { path, .. }
            | PlanError::UnknownGoal { path, .. }
            | PlanError::DuplicateId { path, .. }
            | PlanError::UnknownAction { path, .. } => Some(path.clone()),
            PlanError::PlanVersionConflict { .. } => Some("$.version".into()),
            PlanError::PlanMismatch { .. } => Some("$.id".into()),
            PlanError::MonitoringBeforePlan { .. } | PlanError::MonitoringOutOfOrder { .. } => {
                Some("$.on".into())
            }
            PlanError::PlanNotConsented { .. }
            | PlanError::AlreadyConsented { .. }
            | PlanError::MonitoringConcluded { .. } => None,
            PlanError::ActionAlreadyDone { .. } => Some("$.action".into()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            PlanError::Agency(e) => e.kind(),
            PlanError::DateInFuture(e) => e.kind(),
            PlanError::InvalidPlan { .. } => crate::coded::ErrorKind::Invalid,
            PlanError::UnknownGoal { .. } => crate::coded::ErrorKind::NotFound,
            PlanError::DuplicateId { .. } => crate::coded::ErrorKind::Invalid,
            PlanError::PlanVersionConflict { .. } => crate::coded::ErrorKind::Conflict,
            PlanError::PlanMismatch { .. } => crate::coded::ErrorKind::Rule,
            PlanError::MonitoringBeforePlan { .. } => crate::coded::ErrorKind::Rule,
            PlanError::MonitoringOutOfOrder { .. } => crate::coded::ErrorKind::Rule,
            PlanError::PlanNotConsented { .. } => crate::coded::ErrorKind::Transition,
            PlanError::AlreadyConsented { .. } => crate::coded::ErrorKind::Transition,
            PlanError::MonitoringConcluded { .. } => crate::coded::ErrorKind::Transition,
            PlanError::UnknownAction { .. } => crate::coded::ErrorKind::NotFound,
            PlanError::ActionAlreadyDone { .. } => crate::coded::ErrorKind::Transition,
        }
    }
}

//! Support plans (支援プラン) and monitoring (モニタリング).
//!
//! A [`SupportPlan`] is drafted *with* the person (伴走型): the chief complaint (主訴) and wishes
//! (本人の意向) in the person's words, the policy (支援方針), the approaches combined
//! ([`Approach`]), long- and short-term goals, actions with who does what and when (役割分担), the
//! monitoring schedule and the person's consent (同意). Monitoring records (モニタリング記録) note
//! progress per goal and end in a decision: continue, re-plan (リプラン) or close (終結).
//!
//! A [`PlanHistory`] keeps every version of one plan: re-planning creates version n+1 and earlier
//! versions become read-only (only [`PlanHistory::current`] takes consent and monitoring records).
//! [`overdue_monitoring`] lists plans whose monitoring is overdue on a given day.
//!
//! This module owns the plan document, its validation and the monitoring calendar. It does not own
//! the case lifecycle (see [`crate::case`]: a case adopts a plan by id) nor the meeting that reviews
//! the plan (see [`crate::meeting`]).

#[cfg(test)]
mod tests;

use crate::agency::{AgencyError, Directory};
use crate::calendar::not_in_future;
use crate::coded::Coded;
use crate::ids::*;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

macro_rules! local_id {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
                 Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Build from anything string-like.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The raw string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_string())
            }
        }
    )*};
}

local_id! {
    /// Goal (目標) id, unique within one plan version (long- and short-term goals together).
    GoalId,
    /// Action (支援内容・役割分担) id, unique within one plan version.
    ActionId,
}

/// Approach (アプローチ) of a plan; the two are usually combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Approach {
    /// Solving a specific problem (具体的な課題解決を目指すアプローチ).
    ProblemSolving,
    /// Staying connected (つながり続けることを目指すアプローチ).
    StayingConnected,
}

/// Goal (目標): long-term (長期目標) or short-term (短期目標).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Goal id.
    pub id: GoalId,
    /// The goal, ideally in words the person agreed to.
    pub text: String,
    /// Target date (達成目標時期); long-term goals often have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<NaiveDate>,
}

/// Who carries out an action (役割分担).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Party {
    /// An agency in the directory (関係機関).
    Agency {
        /// Agency id.
        agency: AgencyId,
    },
    /// A named worker (相談員, CSW …) by id.
    Worker {
        /// Worker id.
        worker: WorkerId,
    },
    /// The person or a household member (本人・家族): a 伴走型 plan gives them actions too.
    Member {
        /// Person id.
        person: PersonId,
    },
    /// An informal support: 民生委員, neighbour, volunteer group …
    Informal {
        /// Kind (an agency-kind code such as `welfare_commissioner`, or free text).
        kind: String,
        /// Display label (no personal names needed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

/// When an action happens (時期・頻度): free text ("毎週火曜"), given dates, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Free-text schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Specific dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<NaiveDate>,
}

/// Action (支援内容): what is done, by whom, when, towards which goals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Action id.
    pub id: ActionId,
    /// What is done.
    pub description: String,
    /// Who does it.
    pub responsible: Party,
    /// When.
    #[serde(default)]
    pub schedule: Schedule,
    /// Goals it serves (ids of long- or short-term goals of the same version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalId>,
}

/// How consent was given (同意の方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Signature on the plan (署名).
    Signature,
    /// Verbal consent, recorded by the worker (口頭).
    Verbal,
    /// Electronic consent (電子).
    Electronic,
}

/// The person's consent to the plan (本人同意).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanConsent {
    /// Date consent was given.
    pub on: NaiveDate,
    /// How.
    pub method: ConsentMethod,
}

/// Monitoring schedule (モニタリング予定): the first date, then every `interval_days` after the
/// latest record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringSchedule {
    /// First monitoring date (次回モニタリング日).
    pub first_on: NaiveDate,
    /// Days between monitorings (at least 1).
    pub interval_days: u32,
}

/// Progress of one goal at a monitoring (進捗).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Not started (未着手).
    NotStarted,
    /// In progress (取組中).
    InProgress,
    /// Achieved (達成).
    Achieved,
    /// Stalled (停滞).
    Stalled,
}

/// Progress of one goal with an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalProgress {
    /// The goal.
    pub goal: GoalId,
    /// Its progress.
    pub progress: Progress,
    /// Note (free text; never copied into error messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a monitoring decided (モニタリングの判断).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonitoringDecision {
    /// Continue the plan (継続).
    Continue,
    /// Re-plan (リプラン): the next version carries on; this version takes no more records.
    Replan,
    /// Close (終結): this version takes no more records.
    Close,
}

/// Monitoring record (モニタリング記録).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringRecord {
    /// Date of the monitoring.
    pub on: NaiveDate,
    /// Who monitored.
    pub by: WorkerId,
    /// Progress per goal (goals not listed were not reviewed this time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<GoalProgress>,
    /// The decision.
    pub decision: MonitoringDecision,
}

/// Support plan (支援プラン), one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportPlan {
    /// Plan id, shared by every version.
    pub id: PlanId,
    /// The case it belongs to.
    pub case: CaseId,
    /// Version, from 1; a re-plan creates the next one.
    pub version: u32,
    /// Date this version was made (作成日).
    pub created_on: NaiveDate,
    /// Chief complaint (主訴), in the person's words.
    pub chief_complaint: String,
    /// The person's wishes (本人の意向), in the person's words.
    pub wishes: String,
    /// Support policy (支援方針).
    pub policy: String,
    /// Approaches combined (at least one).
    pub approaches: Vec<Approach>,
    /// Long-term goals (長期目標).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub long_term_goals: Vec<Goal>,
    /// Short-term goals (短期目標).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_term_goals: Vec<Goal>,
    /// Actions and role sharing (支援内容・役割分担).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// The person's consent; a plan is not in force (and not monitored) without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<PlanConsent>,
    /// Monitoring schedule.
    pub monitoring: MonitoringSchedule,
    /// Monitoring records, oldest first (added through [`PlanHistory::record_monitoring`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<MonitoringRecord>,
}

/// What the case lifecycle needs to know about a plan (see [`crate::case::CaseContext`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStatus {
    /// Plan id.
    pub plan: PlanId,
    /// The case it belongs to.
    pub case: CaseId,
    /// Current version.
    pub version: u32,
    /// Date of the person's consent to the current version, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consented_on: Option<NaiveDate>,
}

/// A plan whose monitoring is overdue (モニタリング期限超過).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverdueMonitoring {
    /// Plan id.
    pub plan: PlanId,
    /// The version that is overdue (the current one).
    pub version: u32,
    /// The case.
    pub case: CaseId,
    /// When monitoring was due.
    pub due_on: NaiveDate,
    /// Days past due (at least 1).
    pub days_overdue: i64,
}

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
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            PlanError::Agency(e) => e.path(),
            PlanError::DateInFuture(e) => e.path(),
            PlanError::InvalidPlan { path, .. }
            | PlanError::UnknownGoal { path, .. }
            | PlanError::DuplicateId { path, .. } => Some(path.clone()),
            PlanError::PlanVersionConflict { .. } => Some("$.version".into()),
            PlanError::PlanMismatch { .. } => Some("$.id".into()),
            PlanError::MonitoringBeforePlan { .. } | PlanError::MonitoringOutOfOrder { .. } => {
                Some("$.on".into())
            }
            PlanError::PlanNotConsented { .. }
            | PlanError::AlreadyConsented { .. }
            | PlanError::MonitoringConcluded { .. } => None,
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
        }
    }
}

impl SupportPlan {
    fn invalid(&self, path: impl Into<String>, reason: &'static str) -> PlanError {
        PlanError::InvalidPlan {
            plan: self.id.clone(),
            path: path.into(),
            reason,
        }
    }

    /// All goals, long-term first.
    pub fn goals(&self) -> impl Iterator<Item = &Goal> {
        self.long_term_goals.iter().chain(&self.short_term_goals)
    }

    /// Goal by id.
    pub fn goal(&self, id: &GoalId) -> Option<&Goal> {
        self.goals().find(|g| &g.id == id)
    }

    /// Check the structural rules that need no outside data.
    ///
    /// Rules: version ≥ 1; chief complaint, wishes and policy non-empty; at least one approach,
    /// none twice; at least one goal (long- or short-term); goal and action ids unique; target
    /// dates not before `created_on`; every action's goal references exist; consent not before
    /// `created_on`; monitoring starts on or after `created_on` with an interval of at least one
    /// day; monitoring records dated on or after `created_on`, in order, reviewing known goals
    /// at most once each, and none after a record that decided re-plan or close.
    ///
    /// Codes: `invalid_plan`, `duplicate_id`, `unknown_goal`.
    pub fn validate_structure(&self) -> Result<(), PlanError> {
        if self.version == 0 {
            return Err(self.invalid("$.version", "versions start at 1"));
        }
        for (field, text) in [
            ("chief_complaint", &self.chief_complaint),
            ("wishes", &self.wishes),
            ("policy", &self.policy),
        ] {
            if text.trim().is_empty() {
                return Err(self.invalid(format!("$.{field}"), "must not be empty"));
            }
        }
        if self.approaches.is_empty() {
            return Err(self.invalid("$.approaches", "at least one approach is required"));
        }
        for (i, a) in self.approaches.iter().enumerate() {
            if self.approaches[..i].contains(a) {
                return Err(self.invalid(format!("$.approaches[{i}]"), "approach listed twice"));
            }
        }
        if self.long_term_goals.is_empty() && self.short_term_goals.is_empty() {
            return Err(self.invalid("$.short_term_goals", "at least one goal is required"));
        }
        let mut goal_ids = BTreeSet::new();
        for (list, goals) in [
            ("long_term_goals", &self.long_term_goals),
            ("short_term_goals", &self.short_term_goals),
        ] {
            for (i, g) in goals.iter().enumerate() {
                if !goal_ids.insert(&g.id) {
                    return Err(PlanError::DuplicateId {
                        plan: self.id.clone(),
                        id: g.id.0.clone(),
                        path: format!("$.{list}[{i}].id"),
                    });
                }
                if g.text.trim().is_empty() {
                    return Err(self.invalid(format!("$.{list}[{i}].text"), "must not be empty"));
                }
                if g.target_date.is_some_and(|d| d < self.created_on) {
                    return Err(self.invalid(
                        format!("$.{list}[{i}].target_date"),
                        "target date is before the plan was made",
                    ));
                }
            }
        }
        let mut action_ids = BTreeSet::new();
        for (i, a) in self.actions.iter().enumerate() {
            if !action_ids.insert(&a.id) {
                return Err(PlanError::DuplicateId {
                    plan: self.id.clone(),
                    id: a.id.0.clone(),
                    path: format!("$.actions[{i}].id"),
                });
            }
            if a.description.trim().is_empty() {
                return Err(
                    self.invalid(format!("$.actions[{i}].description"), "must not be empty")
                );
            }
            for (j, g) in a.goals.iter().enumerate() {
                if !goal_ids.contains(g) {
                    return Err(PlanError::UnknownGoal {
                        plan: self.id.clone(),
                        goal: g.clone(),
                        path: format!("$.actions[{i}].goals[{j}]"),
                    });
                }
            }
        }
        if let Some(c) = &self.consent {
            if c.on < self.created_on {
                return Err(self.invalid("$.consent.on", "consent is before the plan was made"));
            }
        }
        if self.monitoring.first_on < self.created_on {
            return Err(self.invalid(
                "$.monitoring.first_on",
                "first monitoring is before the plan was made",
            ));
        }
        if self.monitoring.interval_days == 0 {
            return Err(self.invalid(
                "$.monitoring.interval_days",
                "interval must be at least one day",
            ));
        }
        for (i, r) in self.records.iter().enumerate() {
            self.check_record(r, &format!("$.records[{i}]"), &self.records[..i])?;
        }
        Ok(())
    }

    /// Validate with outside data: the structure plus every agency named as a responsible party
    /// exists in `directory` (`unknown_agency`).
    pub fn validate(&self, directory: &Directory) -> Result<(), PlanError> {
        self.validate_structure()?;
        for (i, a) in self.actions.iter().enumerate() {
            if let Party::Agency { agency } = &a.responsible {
                if directory.get(agency).is_none() {
                    return Err(AgencyError::UnknownAgency {
                        id: agency.clone(),
                        path: format!("$.actions[{i}].responsible.agency"),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Check one monitoring record against this version and the records before it. `prefix` is
    /// the JSON path of the record (`$` for a record given alone).
    fn check_record(
        &self,
        r: &MonitoringRecord,
        prefix: &str,
        before: &[MonitoringRecord],
    ) -> Result<(), PlanError> {
        if self.consent.is_none() {
            return Err(PlanError::PlanNotConsented {
                plan: self.id.clone(),
                version: self.version,
            });
        }
        if r.on < self.created_on {
            return Err(PlanError::MonitoringBeforePlan {
                plan: self.id.clone(),
                version: self.version,
                on: r.on,
                created_on: self.created_on,
            });
        }
        if let Some(last) = before.last() {
            if last.decision != MonitoringDecision::Continue {
                return Err(PlanError::MonitoringConcluded {
                    plan: self.id.clone(),
                    version: self.version,
                    on: last.on,
                });
            }
            if r.on < last.on {
                return Err(PlanError::MonitoringOutOfOrder {
                    plan: self.id.clone(),
                    version: self.version,
                    on: r.on,
                    last: last.on,
                });
            }
        }
        let mut seen = BTreeSet::new();
        for (i, p) in r.progress.iter().enumerate() {
            let path = format!("{prefix}.progress[{i}].goal");
            if self.goal(&p.goal).is_none() {
                return Err(PlanError::UnknownGoal {
                    plan: self.id.clone(),
                    goal: p.goal.clone(),
                    path,
                });
            }
            if !seen.insert(&p.goal) {
                return Err(PlanError::DuplicateId {
                    plan: self.id.clone(),
                    id: p.goal.0.clone(),
                    path,
                });
            }
        }
        Ok(())
    }

    /// When the next monitoring is due.
    ///
    /// `None` when the plan has no consent (it is not in force yet, so nothing is due), or when
    /// the latest record decided to re-plan or close (this version is concluded). Otherwise the
    /// schedule's first date when there is no record yet, else the latest record's date plus the
    /// interval.
    pub fn next_monitoring_due(&self) -> Option<NaiveDate> {
        self.consent.as_ref()?;
        match self.records.last() {
            None => Some(self.monitoring.first_on),
            Some(r) if r.decision == MonitoringDecision::Continue => {
                r.on.checked_add_days(Days::new(u64::from(self.monitoring.interval_days)))
            }
            Some(_) => None,
        }
    }

    /// The summary the case lifecycle checks when a case adopts this plan.
    pub fn status(&self) -> PlanStatus {
        PlanStatus {
            plan: self.id.clone(),
            case: self.case.clone(),
            version: self.version,
            consented_on: self.consent.as_ref().map(|c| c.on),
        }
    }
}

/// Plans whose monitoring is overdue on `today`: due strictly before `today`.
///
/// Only the current (highest) version of each plan id counts, whatever order the versions come
/// in. Plans without consent and concluded versions are never overdue (see
/// [`SupportPlan::next_monitoring_due`]). Sorted most overdue first, then by plan id.
pub fn overdue_monitoring<'a>(
    plans: impl IntoIterator<Item = &'a SupportPlan>,
    today: NaiveDate,
) -> Vec<OverdueMonitoring> {
    let mut current: BTreeMap<&PlanId, &SupportPlan> = BTreeMap::new();
    for p in plans {
        let slot = current.entry(&p.id).or_insert(p);
        if p.version > slot.version {
            *slot = p;
        }
    }
    let mut out: Vec<OverdueMonitoring> = current
        .values()
        .filter_map(|p| {
            let due = p.next_monitoring_due()?;
            (due < today).then(|| OverdueMonitoring {
                plan: p.id.clone(),
                version: p.version,
                case: p.case.clone(),
                due_on: due,
                days_overdue: (today - due).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then_with(|| a.plan.cmp(&b.plan))
    });
    out
}

/// Every version of one support plan (支援プランの履歴). Never empty; versions run 1, 2, … and
/// only the last ([`PlanHistory::current`]) can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "PlanHistoryDocument", into = "PlanHistoryDocument")]
pub struct PlanHistory {
    versions: Vec<SupportPlan>,
}

/// Serialized form of a [`PlanHistory`]; checked on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanHistoryDocument {
    /// Versions, oldest first.
    pub versions: Vec<SupportPlan>,
}

impl TryFrom<PlanHistoryDocument> for PlanHistory {
    type Error = PlanError;
    fn try_from(doc: PlanHistoryDocument) -> Result<Self, PlanError> {
        let Some(first) = doc.versions.first() else {
            return Err(PlanError::InvalidPlan {
                plan: PlanId::new(""),
                path: "$.versions".into(),
                reason: "a plan history has at least one version",
            });
        };
        for (i, v) in doc.versions.iter().enumerate() {
            v.validate_structure()?;
            if v.id != first.id || v.case != first.case {
                return Err(PlanError::PlanMismatch {
                    plan: v.id.clone(),
                    case: v.case.clone(),
                    current: first.id.clone(),
                    current_case: first.case.clone(),
                });
            }
            let expected = i as u32 + 1;
            if v.version != expected {
                return Err(PlanError::PlanVersionConflict {
                    plan: v.id.clone(),
                    got: v.version,
                    expected,
                });
            }
        }
        Ok(PlanHistory {
            versions: doc.versions,
        })
    }
}

impl From<PlanHistory> for PlanHistoryDocument {
    fn from(h: PlanHistory) -> Self {
        PlanHistoryDocument {
            versions: h.versions,
        }
    }
}

impl PlanHistory {
    /// Start a history with version 1 of a plan.
    ///
    /// Checks [`SupportPlan::validate`], that the version is 1, that it has no monitoring records
    /// yet, and that `created_on` and any consent date are not after `today`.
    ///
    /// Codes: `invalid_plan`, `duplicate_id`, `unknown_goal`, `unknown_agency`,
    /// `plan_version_conflict`, `date_in_future`.
    pub fn new(
        plan: SupportPlan,
        directory: &Directory,
        today: NaiveDate,
    ) -> Result<Self, PlanError> {
        if plan.version != 1 {
            return Err(PlanError::PlanVersionConflict {
                plan: plan.id.clone(),
                got: plan.version,
                expected: 1,
            });
        }
        check_new_version(&plan, directory, today)?;
        Ok(PlanHistory {
            versions: vec![plan],
        })
    }

    /// The current (latest) version.
    pub fn current(&self) -> &SupportPlan {
        self.versions.last().expect("a plan history is never empty")
    }

    /// Every version, oldest first (read-only).
    pub fn versions(&self) -> &[SupportPlan] {
        &self.versions
    }

    /// Version `n` (from 1), if it exists.
    pub fn version(&self, n: u32) -> Option<&SupportPlan> {
        n.checked_sub(1)
            .and_then(|i| self.versions.get(usize::try_from(i).ok()?))
    }

    /// Re-plan (リプラン): add `next` as the new current version; earlier versions stay as they
    /// were.
    ///
    /// `next` must have the same plan id and case, version = current + 1, no monitoring records,
    /// and a `created_on` not before the current version's creation nor its latest monitoring
    /// record, and not after `today`. A re-plan does not require the current version's monitoring
    /// to have decided `replan`: a 重層的支援会議 may revise a plan at any time.
    ///
    /// Codes: as [`PlanHistory::new`], plus `plan_mismatch` and `invalid_plan` at `$.created_on`.
    pub fn replan(
        &mut self,
        next: SupportPlan,
        directory: &Directory,
        today: NaiveDate,
    ) -> Result<&SupportPlan, PlanError> {
        let cur = self.current();
        if next.id != cur.id || next.case != cur.case {
            return Err(PlanError::PlanMismatch {
                plan: next.id.clone(),
                case: next.case.clone(),
                current: cur.id.clone(),
                current_case: cur.case.clone(),
            });
        }
        if next.version != cur.version + 1 {
            return Err(PlanError::PlanVersionConflict {
                plan: next.id.clone(),
                got: next.version,
                expected: cur.version + 1,
            });
        }
        let floor = cur
            .records
            .last()
            .map_or(cur.created_on, |r| r.on.max(cur.created_on));
        if next.created_on < floor {
            return Err(next.invalid(
                "$.created_on",
                "a new version cannot predate the current version or its monitoring",
            ));
        }
        check_new_version(&next, directory, today)?;
        self.versions.push(next);
        Ok(self.current())
    }

    /// Record the person's consent to the current version.
    ///
    /// Codes: `already_consented`, `invalid_plan` (consent before the plan was made),
    /// `date_in_future`.
    pub fn record_consent(
        &mut self,
        consent: PlanConsent,
        today: NaiveDate,
    ) -> Result<(), PlanError> {
        let cur = self.current();
        if cur.consent.is_some() {
            return Err(PlanError::AlreadyConsented {
                plan: cur.id.clone(),
                version: cur.version,
            });
        }
        if consent.on < cur.created_on {
            return Err(cur.invalid("$.on", "consent is before the plan was made"));
        }
        not_in_future(consent.on, today, "$.on")?;
        self.current_mut().consent = Some(consent);
        Ok(())
    }

    /// Record a monitoring of the current version.
    ///
    /// The version must have consent; the record must not predate the plan or the latest record,
    /// nor follow a record that decided re-plan or close, nor be after `today`; every goal it
    /// reviews must exist in the current version, each at most once. Nothing changes on error.
    ///
    /// Codes: `plan_not_consented`, `monitoring_before_plan`, `monitoring_out_of_order`,
    /// `monitoring_concluded`, `unknown_goal`, `duplicate_id`, `date_in_future`.
    pub fn record_monitoring(
        &mut self,
        record: MonitoringRecord,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, PlanError> {
        let cur = self.current();
        cur.check_record(&record, "$", &cur.records)?;
        not_in_future(record.on, today, "$.on")?;
        let cur = self.current_mut();
        cur.records.push(record);
        Ok(cur.next_monitoring_due())
    }

    fn current_mut(&mut self) -> &mut SupportPlan {
        self.versions
            .last_mut()
            .expect("a plan history is never empty")
    }
}

fn check_new_version(
    plan: &SupportPlan,
    directory: &Directory,
    today: NaiveDate,
) -> Result<(), PlanError> {
    plan.validate(directory)?;
    if !plan.records.is_empty() {
        return Err(plan.invalid(
            "$.records",
            "a new version starts without monitoring records",
        ));
    }
    not_in_future(plan.created_on, today, "$.created_on")?;
    if let Some(c) = &plan.consent {
        not_in_future(c.on, today, "$.consent.on")?;
    }
    Ok(())
}

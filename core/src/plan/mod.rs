//! Support plans (支援プラン) and monitoring (モニタリング).
//!
//! A [`SupportPlan`] is drafted *with* the person (伴走型): the chief complaint (主訴) and wishes
//! (本人の意向) in the person's words, the policy (支援方針), the approaches combined
//! ([`Approach`]), long- and short-term goals, actions with who does what and when (役割分担), the
//! monitoring schedule and the person's consent (同意). Each action has an owner (the person or
//! family, an agency, a worker, an informal supporter) and may have a due date (期限) and a done
//! date (完了日, [`PlanHistory::complete_action`]); the worklist turns them into tasks.
//! Monitoring records (モニタリング記録) note progress per goal and end in a decision: continue,
//! re-plan (リプラン) or close (終結); a close may carry the [`Closure`] with its evaluation
//! (評価・終結), which closes the case (`registry/plan.rs`).
//!
//! A [`PlanHistory`] keeps every version of one plan: re-planning creates version n+1 and earlier
//! versions become read-only (only [`PlanHistory::current`] takes consent and monitoring records).
//! [`overdue_monitoring`] lists plans whose monitoring is overdue on a given day.
//!
//! This module owns the plan document, its validation and the monitoring calendar. It does not own
//! the case lifecycle (see [`crate::case`]: a case adopts a plan by id) nor the meeting that reviews
//! the plan (see [`crate::meeting`]). This file holds the document and its validation; versions
//! are in `history`, the closure in `closure`, the errors in `error`.

mod closure;
mod error;
mod history;
#[cfg(test)]
mod tests;

pub use closure::{Closure, Evaluation, GoalAttainment, PostClosureFollowUp};
pub use error::PlanError;
pub use history::{overdue_monitoring, PlanHistory, PlanHistoryDocument};

use crate::agency::{AgencyError, Directory};
use crate::ids::*;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
    /// Due date (期限): the day by which the action should be done; it becomes a task on the
    /// responsible party's worklist (see [`crate::worklist`]). Not before the plan was made.
    /// Optional so plans written before due dates existed parse and hash as they did; an action
    /// with only a free-text schedule has no due date and no task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// Date the action was done (完了日). Usually set by
    /// [`PlanHistory::complete_action`] (the `complete_plan_action` command); a new version may
    /// also carry it for an action done before the re-plan. Not before the plan was made, never
    /// after the day it is recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
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
    /// Closure with its evaluation (評価・終結), on a `close` decision only: the record then
    /// closes the case (see [`Closure`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
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

    /// Action by id.
    pub fn action(&self, id: &ActionId) -> Option<&Action> {
        self.actions.iter().find(|a| &a.id == id)
    }

    /// Check the structural rules that need no outside data.
    ///
    /// Rules: version ≥ 1; chief complaint, wishes and policy non-empty; at least one approach,
    /// none twice; at least one goal (long- or short-term); goal and action ids unique; target
    /// dates, action due dates and done dates not before `created_on`; every action's goal
    /// references exist; consent not before `created_on`; monitoring starts on or after
    /// `created_on` with an interval of at least one day; monitoring records dated on or after
    /// `created_on`, in order, reviewing known goals at most once each, none after a record that
    /// decided re-plan or close, and a closure only on a `close` decision, naming the plan's
    /// case, with the person's view and any follow-up not before the record.
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
            if a.due_on.is_some_and(|d| d < self.created_on) {
                return Err(self.invalid(
                    format!("$.actions[{i}].due_on"),
                    "due date is before the plan was made",
                ));
            }
            if a.done_on.is_some_and(|d| d < self.created_on) {
                return Err(self.invalid(
                    format!("$.actions[{i}].done_on"),
                    "done date is before the plan was made",
                ));
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
        if let Some(c) = &r.closure {
            self.check_closure(r, c, prefix)?;
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

    /// A closure belongs to a `close` decision, names this plan's case, carries the person's
    /// view, and any follow-up is dated on or after the record.
    fn check_closure(
        &self,
        r: &MonitoringRecord,
        c: &Closure,
        prefix: &str,
    ) -> Result<(), PlanError> {
        if r.decision != MonitoringDecision::Close {
            return Err(self.invalid(
                format!("{prefix}.closure"),
                "a closure belongs to a close decision",
            ));
        }
        if c.case != self.case {
            return Err(self.invalid(
                format!("{prefix}.closure.case"),
                "the closure names another case than the plan's",
            ));
        }
        if c.evaluation.person_view.trim().is_empty() {
            return Err(self.invalid(
                format!("{prefix}.closure.evaluation.person_view"),
                "must not be empty",
            ));
        }
        if let Some(f) = &c.evaluation.follow_up {
            if f.due_on.is_some_and(|d| d < r.on) {
                return Err(self.invalid(
                    format!("{prefix}.closure.evaluation.follow_up.due_on"),
                    "follow-up is before the closing monitoring",
                ));
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

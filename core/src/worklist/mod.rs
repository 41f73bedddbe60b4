//! Tasks and the worklist (タスク・業務一覧): what a window must do, derived from the records.
//!
//! A [`Task`] is one thing owed on a date: a plan action (支援内容), a monitoring due
//! (モニタリング), a re-plan decided by a monitoring (リプラン), a referral awaiting an answer or
//! back in the sender's queue (つなぎのフォローアップ), a participation follow-up (定着支援), a
//! consent running out (同意の更新), a watching-over visit (見守り訪問), the carry-over of an open
//! case into the next fiscal year (年度繰越) and a follow-up after closure (終結後のフォローアップ).
//! Tasks are never stored: `Registry::tasks` derives them from the registry on a date, so they
//! cannot drift from the records, and a task is done when the record that answers it exists.
//! Each task names its case (when there is one), the agency that must act and, when known, the
//! worker; its reason is a [`TaskKind`] code plus parameters (ids and codes), which a UI labels
//! in Japanese or English from data ([`TaskLabels`], `core/data/task_labels.toml`).
//!
//! [`worklist`] turns the tasks into the screen a 相談支援員 opens every morning: for an agency,
//! a case or a worker on a date, what is overdue, due today and due this week, most urgent
//! first (the order is documented on [`worklist`]).
//!
//! This module owns the task shape, the urgency order and the worklist; the derivation from the
//! records is in `registry/tasks.rs` (it reads every area), and each area keeps its own dates
//! (the plan's next monitoring, a referral's follow-up date, a visit interval …).

#[cfg(test)]
mod derive_tests;
mod labels;
mod list;
#[cfg(test)]
mod tests;

pub use labels::{Lang, TaskLabel, TaskLabels, TaskLabelsDocument};
pub use list::{worklist, CaseTeams, NoTeams, Worklist, WorklistEntry, WorklistQuery};

use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a task is about: its reason code (a UI labels it from [`TaskLabels`]).
///
/// The declaration order is the tie-break between tasks of the same urgency tier and due date:
/// work with a person before paperwork.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A watching-over visit to an affected household (見守り訪問), due by its risk rank's
    /// interval after the last visit that met the household.
    WatchingOverVisit,
    /// A monitoring of the plan in force (モニタリング), due on the plan's next monitoring date.
    MonitoringDue,
    /// A re-plan (リプラン) decided by a monitoring, until the next version is made.
    ReplanDue,
    /// An action of the plan in force with a due date (支援内容・役割分担).
    PlanAction,
    /// A referral sent and not yet answered: the sender follows it up by its follow-up date
    /// (つなぎのフォローアップ); overdue = stalled (滞留).
    ReferralFollowUp,
    /// A referral sent to this agency and not yet answered: accept or decline (受入の回答).
    ReferralAnswer,
    /// A referral declined or revoked, back in the sender's queue with next options (差し戻し).
    ReferralReturned,
    /// A participation-support follow-up (定着支援) of a live match.
    ParticipationFollowUp,
    /// A follow-up after closure (終結後のフォローアップ) set by the closing evaluation.
    PostClosureFollowUp,
    /// A consent with an expiry date, to renew with the person before it runs out (同意の更新).
    ConsentRenewal,
    /// Year-end review of an open case: carry it into the next fiscal year (年度繰越).
    CarryOver,
}

impl TaskKind {
    /// Every kind, in order.
    pub const ALL: [TaskKind; 11] = [
        TaskKind::WatchingOverVisit,
        TaskKind::MonitoringDue,
        TaskKind::ReplanDue,
        TaskKind::PlanAction,
        TaskKind::ReferralFollowUp,
        TaskKind::ReferralAnswer,
        TaskKind::ReferralReturned,
        TaskKind::ParticipationFollowUp,
        TaskKind::PostClosureFollowUp,
        TaskKind::ConsentRenewal,
        TaskKind::CarryOver,
    ];

    /// Stable snake_case code (the wire name).
    pub fn code(self) -> &'static str {
        match self {
            TaskKind::WatchingOverVisit => "watching_over_visit",
            TaskKind::MonitoringDue => "monitoring_due",
            TaskKind::ReplanDue => "replan_due",
            TaskKind::PlanAction => "plan_action",
            TaskKind::ReferralFollowUp => "referral_follow_up",
            TaskKind::ReferralAnswer => "referral_answer",
            TaskKind::ReferralReturned => "referral_returned",
            TaskKind::ParticipationFollowUp => "participation_follow_up",
            TaskKind::PostClosureFollowUp => "post_closure_follow_up",
            TaskKind::ConsentRenewal => "consent_renewal",
            TaskKind::CarryOver => "carry_over",
        }
    }

    /// Whether the kind is paperwork (書類・事務): it never rises above [`Tier::Paperwork`],
    /// whatever the case's urgency.
    pub fn is_paperwork(self) -> bool {
        matches!(self, TaskKind::ConsentRenewal | TaskKind::CarryOver)
    }
}

impl std::fmt::Display for TaskKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// How urgent a task is (緊急度), most urgent first (the derived order).
///
/// Decision: risk to a person outranks lateness. A watching-over visit of the most urgent risk
/// rank (the first rank of the visit intervals, A by default) and any casework of a case assessed
/// `immediate` is [`Tier::Urgent`]; the second rank and casework of a `high` case is
/// [`Tier::High`]; other casework is [`Tier::Routine`]; consent renewals and carry-overs are
/// [`Tier::Paperwork`].
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Risk to life or safety (要緊急).
    Urgent,
    /// Act within days.
    High,
    /// Ordinary casework.
    Routine,
    /// Paperwork (書類・事務).
    Paperwork,
}

/// One task (タスク): what is owed, for which case, by whom, by when — and when it was done,
/// when that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Stable id, derived from the records: `<kind>:<record ids…>` (e.g.
    /// `plan_action:p-y:1:a1`), the same on every device and every day the task exists.
    pub id: String,
    /// The reason code.
    pub kind: TaskKind,
    /// Parameters of the reason (ids, codes, dates; the plan action's own description): what a
    /// label needs, never a person's name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// The case, when the task belongs to one (a disaster record or a match of a household
    /// without an open case has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// The household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// The agency that must act; `None` when no window holds the household (the task then shows
    /// only on the municipality-wide worklist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyId>,
    /// The worker, when the records name one (a plan action's worker, the worker of the last
    /// monitoring or visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// Due date (期限).
    pub due_on: NaiveDate,
    /// Date done (完了日), when the records show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// Urgency tier.
    pub tier: Tier,
}

/// What a municipality may set about task due dates (data, with practice defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskSettings {
    /// Days after a monitoring that decided to re-plan by which the next version is due
    /// (default 14: a re-plan is usually agreed at the next case meeting, within two weeks).
    #[serde(default = "default_replan_days")]
    pub replan_days: u32,
    /// Days after sending by which a referral's answer is expected when it sets no follow-up
    /// date (default [`crate::referral::DEFAULT_FOLLOW_UP_DAYS`], as the stalled-referral query).
    #[serde(default = "default_referral_days")]
    pub referral_follow_up_days: u32,
}

fn default_replan_days() -> u32 {
    14
}

fn default_referral_days() -> u32 {
    crate::referral::DEFAULT_FOLLOW_UP_DAYS
}

impl Default for TaskSettings {
    fn default() -> Self {
        TaskSettings {
            replan_days: default_replan_days(),
            referral_follow_up_days: default_referral_days(),
        }
    }
}

impl Task {
    /// Whether the task is still open (not done).
    pub fn is_open(&self) -> bool {
        self.done_on.is_none()
    }
}

//! Closure with evaluation (評価・終結): what a monitoring that decides to close records — the
//! case it closes, the closure reason, and the evaluation of the national 評価・終結 sheet (how far
//! the goals were met, the person's own view, the follow-up after closure).
//!
//! The plan module keeps the closure as data on the [`super::MonitoringRecord`] and checks its
//! shape; the registry (`registry/plan.rs`) closes the case through the case lifecycle when the
//! record is accepted, and checks the reason against the taxonomy there.

use super::Party;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How far the plan's goals were met at closure (目標の達成状況), one judgement for the plan; the
/// per-goal progress is the record's `progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalAttainment {
    /// Met (達成).
    Met,
    /// Partly met (一部達成).
    PartlyMet,
    /// Not met (未達成): closure for another reason (moved, declined, lost contact …).
    NotMet,
}

/// Follow-up after closure (終結後のフォローアップ): who checks in, and when.
///
/// Decision: a dated follow-up becomes a task (`post_closure_follow_up`) on the worklist of the
/// window that closed the case, due on `due_on`; an undated one is kept as a note only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostClosureFollowUp {
    /// Date of the check-in (確認予定日), not before the closing monitoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// Who follows up (a worker, an agency, an informal supporter such as the 民生委員).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Party>,
    /// What is followed up (free text; never copied into error messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Evaluation at closure (評価).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// How far the goals were met.
    pub goals_met: GoalAttainment,
    /// The person's own view of the support and its end (本人の意見・感想), in their words;
    /// required — closure is evaluated *with* the person (伴走型).
    pub person_view: String,
    /// The worker's evaluation (支援者の評価), free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_view: Option<String>,
    /// Follow-up after closure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<PostClosureFollowUp>,
}

/// Closure (終結) decided by a monitoring: the case it closes, why, and the evaluation.
///
/// Present only on a record whose decision is `close`. A record that decides `close` *with* a
/// closure closes the case (on the record's date, through the case lifecycle's `close`); a
/// `close` decision without one — the only form before closures existed — closes nothing, so
/// journals written before keep replaying to the same state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// The case closed: the plan's own case, named again so the record says what it closes (and
    /// the statistics can count the closure without looking the plan up).
    pub case: CaseId,
    /// Closure reason (終結理由), a taxonomy code such as `resolved`.
    pub reason: ClosureReasonCode,
    /// The accepted referral, for reasons that require one (`transferred`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralId>,
    /// The evaluation (評価).
    pub evaluation: Evaluation,
}

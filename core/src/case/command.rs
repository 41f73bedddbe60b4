//! Case commands (ケースへの操作): what comes into a case — intake, outreach, assessment, the
//! outcome and urgency found — the [`CaseCommand`] a journal stores, the [`CaseAction`] named in
//! history and errors, and the [`Transition`] each accepted command appends.

use super::state::{CaseStateKind, FiscalYear};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The three outcomes national statistics count after assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Information or advice only (相談・情報提供のみで終了; 単発相談).
    InformationOnly,
    /// Handed to another system or agency (他制度・他機関へのつなぎ).
    HandedOver,
    /// Continuing support with a plan (プラン作成による継続支援; 継続相談).
    ContinuingSupport,
}

/// Urgency (緊急度) found at assessment, and of a routing recommendation; most urgent first
/// (the derived order: `Immediate < High < Normal`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Urgency {
    /// Risk to life: respond now (即時対応, e.g. abuse, DV with risk, suicide risk).
    Immediate,
    /// High: act within days.
    High,
    /// Normal.
    #[default]
    Normal,
}

/// Intake (受付 / 初回相談).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Intake {
    /// Channel (受付経路), a taxonomy code such as `phone`.
    pub channel: ChannelCode,
    /// The window that received the consultation (受付窓口); may differ from the responsible one.
    pub receiving_window: AgencyId,
    /// Chief complaint (主訴), in the person's words.
    pub chief_complaint: String,
    /// Date of intake.
    pub on: NaiveDate,
}

/// How an outreach case came to the window's attention (アウトリーチの端緒).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outreach {
    /// Date outreach started.
    pub on: NaiveDate,
    /// Where the concern came from, a channel code such as `community_report`.
    pub source: ChannelCode,
    /// The concern as reported (by others: the person has not spoken yet).
    pub concern: String,
}

/// Issues of one member, or of the household as a whole, found at assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberIssues {
    /// The member; `None` for the household as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<PersonId>,
    /// Issue category codes.
    pub issues: Vec<IssueCode>,
}

/// Assessment (アセスメント): issues of each member and the household, strengths, the person's
/// wishes and the urgency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Date of the assessment.
    pub on: NaiveDate,
    /// Issues per member and of the household.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<MemberIssues>,
    /// Strengths (ストレングス).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strengths: Vec<String>,
    /// The person's wishes (本人の意向), in the person's words.
    pub wishes: String,
    /// Urgency.
    pub urgency: Urgency,
}

/// A command on a case, as a journal stores it: `{"action": "close", "reason": "resolved", …}`.
///
/// Commands without a date of their own take effect on the `today` passed to [`Case::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseCommand {
    /// The person engages with an outreach case; intake is recorded (Outreach → Intake).
    Engage {
        /// The intake.
        intake: Intake,
    },
    /// Start assessment (Intake → Assessment), or resume it when a hand-over came back
    /// declined or unanswered (HandingOver → Assessment).
    BeginAssessment,
    /// Record (or replace) the assessment (Assessment → Assessment).
    RecordAssessment {
        /// The assessment.
        assessment: Assessment,
    },
    /// Decide the outcome (Assessment → Closed / HandingOver / Planning).
    Decide {
        /// The outcome.
        outcome: Outcome,
    },
    /// Adopt a support plan the person consented to (Planning → Active).
    AdoptPlan {
        /// Plan id.
        plan: PlanId,
    },
    /// Start monitoring (Active → Monitoring).
    StartMonitoring,
    /// Monitoring decided to continue (Monitoring → Active).
    ContinueSupport,
    /// Monitoring decided to re-plan (Monitoring → Planning).
    Replan,
    /// Close (終結) from any open state.
    Close {
        /// Closure reason code.
        reason: ClosureReasonCode,
        /// Closure date.
        on: NaiveDate,
        /// The accepted referral, for reasons that require one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referral: Option<ReferralId>,
    },
    /// Reopen a closed case (Closed → Assessment).
    Reopen {
        /// Reopening date.
        on: NaiveDate,
    },
    /// Carry an open case into the next fiscal year (年度繰越); state unchanged.
    CarryOver {
        /// The fiscal year carried into.
        into: FiscalYear,
    },
    /// Move responsibility to the window that accepted a referral (HandingOver → Assessment at
    /// the new window; other open states are kept).
    TransferResponsibility {
        /// The new responsible window.
        to: AgencyId,
        /// The accepted referral.
        referral: ReferralId,
    },
}

/// The name of a command, as recorded in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// [`CaseCommand::Engage`]
    Engage,
    /// [`CaseCommand::BeginAssessment`]
    BeginAssessment,
    /// [`CaseCommand::RecordAssessment`]
    RecordAssessment,
    /// [`CaseCommand::Decide`]
    Decide,
    /// [`CaseCommand::AdoptPlan`]
    AdoptPlan,
    /// [`CaseCommand::StartMonitoring`]
    StartMonitoring,
    /// [`CaseCommand::ContinueSupport`]
    ContinueSupport,
    /// [`CaseCommand::Replan`]
    Replan,
    /// [`CaseCommand::Close`]
    Close,
    /// [`CaseCommand::Reopen`]
    Reopen,
    /// [`CaseCommand::CarryOver`]
    CarryOver,
    /// [`CaseCommand::TransferResponsibility`]
    TransferResponsibility,
}

impl CaseAction {
    /// Stable snake_case code (the `action` tag of the command).
    pub fn code(self) -> &'static str {
        match self {
            CaseAction::Engage => "engage",
            CaseAction::BeginAssessment => "begin_assessment",
            CaseAction::RecordAssessment => "record_assessment",
            CaseAction::Decide => "decide",
            CaseAction::AdoptPlan => "adopt_plan",
            CaseAction::StartMonitoring => "start_monitoring",
            CaseAction::ContinueSupport => "continue_support",
            CaseAction::Replan => "replan",
            CaseAction::Close => "close",
            CaseAction::Reopen => "reopen",
            CaseAction::CarryOver => "carry_over",
            CaseAction::TransferResponsibility => "transfer_responsibility",
        }
    }
}

impl std::fmt::Display for CaseAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl CaseCommand {
    /// The command's name.
    pub fn action(&self) -> CaseAction {
        match self {
            CaseCommand::Engage { .. } => CaseAction::Engage,
            CaseCommand::BeginAssessment => CaseAction::BeginAssessment,
            CaseCommand::RecordAssessment { .. } => CaseAction::RecordAssessment,
            CaseCommand::Decide { .. } => CaseAction::Decide,
            CaseCommand::AdoptPlan { .. } => CaseAction::AdoptPlan,
            CaseCommand::StartMonitoring => CaseAction::StartMonitoring,
            CaseCommand::ContinueSupport => CaseAction::ContinueSupport,
            CaseCommand::Replan => CaseAction::Replan,
            CaseCommand::Close { .. } => CaseAction::Close,
            CaseCommand::Reopen { .. } => CaseAction::Reopen,
            CaseCommand::CarryOver { .. } => CaseAction::CarryOver,
            CaseCommand::TransferResponsibility { .. } => CaseAction::TransferResponsibility,
        }
    }

    /// The command's own date and its JSON path, if it carries one.
    pub(super) fn own_date(&self) -> Option<(NaiveDate, &'static str)> {
        match self {
            CaseCommand::Engage { intake } => Some((intake.on, "$.intake.on")),
            CaseCommand::RecordAssessment { assessment } => {
                Some((assessment.on, "$.assessment.on"))
            }
            CaseCommand::Close { on, .. } | CaseCommand::Reopen { on } => Some((*on, "$.on")),
            _ => None,
        }
    }
}

/// One accepted command in a case's history (経過記録).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// Effective date: the command's own date, or `today` for commands without one.
    pub on: NaiveDate,
    /// State before.
    pub from: CaseStateKind,
    /// State after (equal to `from` for record_assessment, carry_over and most transfers).
    pub to: CaseStateKind,
    /// The command.
    pub action: CaseAction,
}

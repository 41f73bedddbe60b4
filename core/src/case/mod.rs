//! Case lifecycle (ケースの流れ) as an explicit state machine.
//!
//! A [`Case`] is opened by intake (受付, [`Case::open_intake`]) or by outreach before the person
//! engages (アウトリーチ, [`Case::open_outreach`]). It then moves only through
//! [`Case::apply`] with a [`CaseCommand`] (a serde enum a journal can store):
//!
//! ```text
//! Outreach --engage--> Intake --begin_assessment--> Assessment --record_assessment--> Assessment
//! Assessment --decide(information_only)--> Closed{information_provided}
//! Assessment --decide(handed_over)--> HandingOver --transfer_responsibility--> Assessment (new window)
//!                                      HandingOver --begin_assessment--> Assessment (referral came back)
//! Assessment --decide(continuing_support)--> Planning --adopt_plan--> Active
//! Active --start_monitoring--> Monitoring --continue_support--> Active
//!                              Monitoring --replan--> Planning
//! any open state --close--> Closed      Closed --reopen--> Assessment
//! any open state --carry_over / transfer_responsibility--> same state
//! ```
//!
//! **Invariants.** A case always has exactly one responsible window (相談窓口の主担当). A rejected
//! command changes nothing. Every accepted command appends one [`Transition`] to the history, dated
//! on or after the previous one and never after `today`. A closed case accepts only `reopen`.
//! Closure with a reason flagged `requires_accepted_referral` (`transferred`) needs a referral of
//! this case from the responsible window to another window that was accepted: "not our field" is
//! never a reason to close (warm hand-off).
//!
//! This module owns the lifecycle only. Referrals, plans, taxonomies and the agency directory are
//! consulted through [`CaseContext`].

mod context;
#[cfg(test)]
mod tests;

pub use context::{AcceptedReferral, CaseContext, SimpleContext};

use crate::agency::AgencyError;
use crate::calendar::not_in_future;
use crate::coded::Coded;
use crate::ids::*;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Fiscal year (年度) named by the calendar year it starts in: `2020` = 令和2年度 =
/// 2020-04-01 … 2021-03-31.
pub type FiscalYear = i32;

/// The fiscal year (年度) a date falls in.
pub fn fiscal_year_of(date: NaiveDate) -> FiscalYear {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The closure reason recorded when a case ends with information or advice only.
pub const INFORMATION_ONLY_REASON: &str = "information_provided";

/// State of a case (ケースの状態).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseState {
    /// Reaching out before the person engages (アウトリーチ).
    Outreach,
    /// Consultation received (受付).
    Intake,
    /// Assessment (アセスメント).
    Assessment,
    /// Handed to another system or agency (他制度・他機関へのつなぎ), waiting for it to accept.
    HandingOver,
    /// Making the support plan (プラン作成).
    Planning,
    /// Support under way (支援中).
    Active,
    /// Monitoring (モニタリング).
    Monitoring,
    /// Closed (終結).
    Closed {
        /// Closure reason code (終結理由).
        reason: ClosureReasonCode,
        /// Closure date.
        on: NaiveDate,
    },
}

/// The kind of a [`CaseState`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStateKind {
    /// アウトリーチ
    Outreach,
    /// 受付
    Intake,
    /// アセスメント
    Assessment,
    /// つなぎ（受入待ち）
    HandingOver,
    /// プラン作成
    Planning,
    /// 支援中
    Active,
    /// モニタリング
    Monitoring,
    /// 終結
    Closed,
}

impl CaseStateKind {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CaseStateKind::Outreach => "outreach",
            CaseStateKind::Intake => "intake",
            CaseStateKind::Assessment => "assessment",
            CaseStateKind::HandingOver => "handing_over",
            CaseStateKind::Planning => "planning",
            CaseStateKind::Active => "active",
            CaseStateKind::Monitoring => "monitoring",
            CaseStateKind::Closed => "closed",
        }
    }
}

impl std::fmt::Display for CaseStateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl CaseState {
    /// The kind of this state.
    pub fn kind(&self) -> CaseStateKind {
        match self {
            CaseState::Outreach => CaseStateKind::Outreach,
            CaseState::Intake => CaseStateKind::Intake,
            CaseState::Assessment => CaseStateKind::Assessment,
            CaseState::HandingOver => CaseStateKind::HandingOver,
            CaseState::Planning => CaseStateKind::Planning,
            CaseState::Active => CaseStateKind::Active,
            CaseState::Monitoring => CaseStateKind::Monitoring,
            CaseState::Closed { .. } => CaseStateKind::Closed,
        }
    }
    /// Whether the case is open (any state but closed).
    pub fn is_open(&self) -> bool {
        !matches!(self, CaseState::Closed { .. })
    }
}

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
    fn own_date(&self) -> Option<(NaiveDate, &'static str)> {
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

/// A case (ケース): one person's consultation, seen with the whole household.
///
/// Fields are private so the lifecycle's invariants hold; read them through the accessors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    id: CaseId,
    household: HouseholdId,
    subject: PersonId,
    responsible_window: AgencyId,
    state: CaseState,
    opened_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outreach: Option<Outreach>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    intake: Option<Intake>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assessment: Option<Assessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plan: Option<PlanId>,
    fiscal_years: Vec<FiscalYear>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<Transition>,
}

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

impl Case {
    /// Open a case at intake (受付): state `intake`, opened on the intake date.
    ///
    /// Codes: `unknown_agency` (`$.responsible_window`, `$.intake.receiving_window`),
    /// `unknown_code` (`$.intake.channel`), `missing_text` (`$.intake.chief_complaint`),
    /// `date_in_future` (`$.intake.on`).
    pub fn open_intake(
        id: CaseId,
        household: HouseholdId,
        subject: PersonId,
        responsible_window: AgencyId,
        intake: Intake,
        ctx: &dyn CaseContext,
        today: NaiveDate,
    ) -> Result<Case, CaseError> {
        check_agency(ctx, &responsible_window, "$.responsible_window")?;
        check_intake(&id, &intake, ctx, today, "$.intake")?;
        Ok(Case::new(
            id,
            household,
            subject,
            responsible_window,
            CaseState::Intake,
            intake.on,
            None,
            Some(intake),
        ))
    }

    /// Open a case by outreach (アウトリーチ), before the person engages: state `outreach`;
    /// [`CaseCommand::Engage`] records the intake later.
    ///
    /// Codes: `unknown_agency` (`$.responsible_window`), `unknown_code` (`$.outreach.source`),
    /// `missing_text` (`$.outreach.concern`), `date_in_future` (`$.outreach.on`).
    pub fn open_outreach(
        id: CaseId,
        household: HouseholdId,
        subject: PersonId,
        responsible_window: AgencyId,
        outreach: Outreach,
        ctx: &dyn CaseContext,
        today: NaiveDate,
    ) -> Result<Case, CaseError> {
        check_agency(ctx, &responsible_window, "$.responsible_window")?;
        ctx.taxonomies()
            .check_channel(&outreach.source, "$.outreach.source")?;
        if outreach.concern.trim().is_empty() {
            return Err(CaseError::MissingText {
                case: id,
                path: "$.outreach.concern".into(),
            });
        }
        not_in_future(outreach.on, today, "$.outreach.on")?;
        Ok(Case::new(
            id,
            household,
            subject,
            responsible_window,
            CaseState::Outreach,
            outreach.on,
            Some(outreach),
            None,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        id: CaseId,
        household: HouseholdId,
        subject: PersonId,
        responsible_window: AgencyId,
        state: CaseState,
        opened_on: NaiveDate,
        outreach: Option<Outreach>,
        intake: Option<Intake>,
    ) -> Case {
        Case {
            id,
            household,
            subject,
            responsible_window,
            state,
            opened_on,
            outreach,
            intake,
            assessment: None,
            outcome: None,
            plan: None,
            fiscal_years: vec![fiscal_year_of(opened_on)],
            history: Vec::new(),
        }
    }

    /// Case id.
    pub fn id(&self) -> &CaseId {
        &self.id
    }
    /// Household (世帯).
    pub fn household(&self) -> &HouseholdId {
        &self.household
    }
    /// The person at the centre of the case (本人).
    pub fn subject(&self) -> &PersonId {
        &self.subject
    }
    /// The one responsible window (主担当の相談窓口).
    pub fn responsible_window(&self) -> &AgencyId {
        &self.responsible_window
    }
    /// Current state.
    pub fn state(&self) -> &CaseState {
        &self.state
    }
    /// Date the case was opened (intake or start of outreach).
    pub fn opened_on(&self) -> NaiveDate {
        self.opened_on
    }
    /// How outreach began, for outreach cases.
    pub fn outreach(&self) -> Option<&Outreach> {
        self.outreach.as_ref()
    }
    /// Intake, once the person has engaged.
    pub fn intake(&self) -> Option<&Intake> {
        self.intake.as_ref()
    }
    /// Latest assessment.
    pub fn assessment(&self) -> Option<&Assessment> {
        self.assessment.as_ref()
    }
    /// Latest decided outcome (kept through later states; replaced by the next decision).
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }
    /// The adopted support plan.
    pub fn plan(&self) -> Option<&PlanId> {
        self.plan.as_ref()
    }
    /// Fiscal years the case was open in, ascending (the opening year, each carry-over, and the
    /// year of each reopening).
    pub fn fiscal_years(&self) -> &[FiscalYear] {
        &self.fiscal_years
    }
    /// Accepted commands, oldest first.
    pub fn history(&self) -> &[Transition] {
        &self.history
    }
    /// Date of the latest event (the latest transition, else the opening).
    pub fn last_event_on(&self) -> NaiveDate {
        self.history.last().map_or(self.opened_on, |t| t.on)
    }
    /// The fiscal year an open case should be carried into on `today`, if it is not yet
    /// recorded in today's year. Carry-over is never automatic: a journal or a year-end job
    /// issues [`CaseCommand::CarryOver`]; other commands are not blocked meanwhile.
    pub fn needs_carry_over(&self, today: NaiveDate) -> Option<FiscalYear> {
        let last = *self.fiscal_years.last()?;
        (self.state.is_open() && fiscal_year_of(today) > last).then_some(last + 1)
    }

    /// Apply a command. On success, appends and returns the [`Transition`]; on error nothing
    /// changes (the case is validated on a copy and replaced only on success).
    ///
    /// Order of checks: the state must accept the command (`illegal_transition`); its date (own
    /// or `today`) must not precede the latest event (`date_before_last_event`) nor follow
    /// `today` (`date_in_future`); then the command's own rules.
    ///
    /// Codes: `illegal_transition`, `date_before_last_event`, `date_in_future`, `missing_text`,
    /// `unknown_code`, `unknown_agency`, `assessment_required`, `urgent_information_only`,
    /// `unknown_plan`, `plan_case_mismatch`, `plan_not_consented`, `referral_not_accepted`,
    /// `invalid_carry_over`, `same_window`.
    pub fn apply(
        &mut self,
        cmd: &CaseCommand,
        ctx: &dyn CaseContext,
        today: NaiveDate,
    ) -> Result<Transition, CaseError> {
        let mut next = self.clone();
        let transition = next.step(cmd, ctx, today)?;
        next.history.push(transition.clone());
        *self = next;
        Ok(transition)
    }

    fn illegal(&self, action: CaseAction) -> CaseError {
        CaseError::IllegalTransition {
            case: self.id.clone(),
            state: self.state.kind(),
            action,
        }
    }

    /// Whether the current state accepts `action` at all (before its data is checked).
    pub fn accepts(&self, action: CaseAction) -> bool {
        use CaseAction as A;
        use CaseStateKind as S;
        let state = self.state.kind();
        match action {
            A::Engage => state == S::Outreach,
            A::BeginAssessment => matches!(state, S::Intake | S::HandingOver),
            A::RecordAssessment | A::Decide => state == S::Assessment,
            A::AdoptPlan => state == S::Planning,
            A::StartMonitoring => state == S::Active,
            A::ContinueSupport | A::Replan => state == S::Monitoring,
            A::Reopen => state == S::Closed,
            A::Close | A::CarryOver | A::TransferResponsibility => state != S::Closed,
        }
    }

    /// Validate and perform `cmd` on `self` (a scratch copy), returning the transition.
    fn step(
        &mut self,
        cmd: &CaseCommand,
        ctx: &dyn CaseContext,
        today: NaiveDate,
    ) -> Result<Transition, CaseError> {
        let action = cmd.action();
        if !self.accepts(action) {
            return Err(self.illegal(action));
        }
        let (on, path) = match cmd.own_date() {
            Some((d, p)) => (d, Some(p)),
            None => (today, None),
        };
        let last = self.last_event_on();
        if on < last {
            return Err(CaseError::DateBeforeLastEvent {
                case: self.id.clone(),
                on,
                last,
                path: path.map(str::to_string),
            });
        }
        not_in_future(on, today, path.unwrap_or("$"))?;
        let from = self.state.kind();

        match cmd {
            CaseCommand::Engage { intake } => {
                check_intake(&self.id, intake, ctx, today, "$.intake")?;
                self.intake = Some(intake.clone());
                self.state = CaseState::Intake;
            }
            CaseCommand::BeginAssessment => self.state = CaseState::Assessment,
            CaseCommand::RecordAssessment { assessment } => {
                self.check_assessment(assessment, ctx)?;
                self.assessment = Some(assessment.clone());
            }
            CaseCommand::Decide { outcome } => {
                let entered = self.entered_assessment_on();
                let Some(assessment) = self.assessment.as_ref().filter(|a| a.on >= entered) else {
                    return Err(CaseError::AssessmentRequired {
                        case: self.id.clone(),
                    });
                };
                self.state = match outcome {
                    Outcome::InformationOnly => {
                        if assessment.urgency == Urgency::Immediate {
                            return Err(CaseError::UrgentInformationOnly {
                                case: self.id.clone(),
                            });
                        }
                        let reason = ClosureReasonCode::new(INFORMATION_ONLY_REASON);
                        ctx.taxonomies()
                            .check_closure_reason(&reason, "$.outcome")?;
                        CaseState::Closed { reason, on }
                    }
                    Outcome::HandedOver => CaseState::HandingOver,
                    Outcome::ContinuingSupport => CaseState::Planning,
                };
                self.outcome = Some(*outcome);
            }
            CaseCommand::AdoptPlan { plan } => {
                let Some(status) = ctx.plan_status(plan) else {
                    return Err(CaseError::UnknownPlan {
                        case: self.id.clone(),
                        plan: plan.clone(),
                    });
                };
                if status.case != self.id {
                    return Err(CaseError::PlanCaseMismatch {
                        case: self.id.clone(),
                        plan: plan.clone(),
                        plan_case: status.case,
                    });
                }
                if status.consented_on.is_none_or(|c| c > on) {
                    return Err(CaseError::PlanNotConsented {
                        case: self.id.clone(),
                        plan: plan.clone(),
                    });
                }
                self.plan = Some(plan.clone());
                self.state = CaseState::Active;
            }
            CaseCommand::StartMonitoring => self.state = CaseState::Monitoring,
            CaseCommand::ContinueSupport => self.state = CaseState::Active,
            CaseCommand::Replan => self.state = CaseState::Planning,
            CaseCommand::Close {
                reason,
                on,
                referral,
            } => {
                let r = ctx.taxonomies().check_closure_reason(reason, "$.reason")?;
                if r.requires_accepted_referral {
                    self.check_referral(ctx, referral.as_ref(), None, *on, "$.referral")?;
                }
                self.state = CaseState::Closed {
                    reason: reason.clone(),
                    on: *on,
                };
            }
            CaseCommand::Reopen { on } => {
                let year = fiscal_year_of(*on);
                if self.fiscal_years.last().is_none_or(|&y| year > y) {
                    self.fiscal_years.push(year);
                }
                self.state = CaseState::Assessment;
            }
            CaseCommand::CarryOver { into } => {
                let current = self.fiscal_years.last().copied().unwrap_or(*into);
                let today_year = fiscal_year_of(today);
                if *into != current + 1 || *into > today_year {
                    return Err(CaseError::InvalidCarryOver {
                        case: self.id.clone(),
                        into: *into,
                        current,
                        today_year,
                    });
                }
                self.fiscal_years.push(*into);
            }
            CaseCommand::TransferResponsibility { to, referral } => {
                check_agency(ctx, to, "$.to")?;
                if to == &self.responsible_window {
                    return Err(CaseError::SameWindow {
                        case: self.id.clone(),
                        window: to.clone(),
                    });
                }
                self.check_referral(ctx, Some(referral), Some(to), on, "$.referral")?;
                self.responsible_window = to.clone();
                if self.state == CaseState::HandingOver {
                    self.state = CaseState::Assessment;
                }
            }
        }
        Ok(Transition {
            on,
            from,
            to: self.state.kind(),
            action,
        })
    }

    /// Date the case last entered the assessment state (its opening date when never).
    fn entered_assessment_on(&self) -> NaiveDate {
        self.history
            .iter()
            .rev()
            .find(|t| t.to == CaseStateKind::Assessment && t.from != CaseStateKind::Assessment)
            .map_or(self.opened_on, |t| t.on)
    }

    fn check_assessment(&self, a: &Assessment, ctx: &dyn CaseContext) -> Result<(), CaseError> {
        if a.wishes.trim().is_empty() {
            return Err(CaseError::MissingText {
                case: self.id.clone(),
                path: "$.assessment.wishes".into(),
            });
        }
        for (i, m) in a.issues.iter().enumerate() {
            for (j, code) in m.issues.iter().enumerate() {
                ctx.taxonomies()
                    .check_issue(code, &format!("$.assessment.issues[{i}].issues[{j}]"))?;
            }
        }
        Ok(())
    }

    /// The referral must be an accepted referral of this case, from the responsible window to
    /// another window (to `to` when given), accepted on or before `on`.
    fn check_referral(
        &self,
        ctx: &dyn CaseContext,
        referral: Option<&ReferralId>,
        to: Option<&AgencyId>,
        on: NaiveDate,
        path: &str,
    ) -> Result<(), CaseError> {
        let ok = referral
            .and_then(|id| ctx.accepted_referral(&self.id, id))
            .is_some_and(|r| {
                r.case == self.id
                    && r.from == self.responsible_window
                    && r.to != self.responsible_window
                    && to.is_none_or(|to| &r.to == to)
                    && r.accepted_on <= on
            });
        if ok {
            Ok(())
        } else {
            Err(CaseError::ReferralNotAccepted {
                case: self.id.clone(),
                referral: referral.cloned(),
                path: path.to_string(),
            })
        }
    }
}

fn check_agency(ctx: &dyn CaseContext, id: &AgencyId, path: &str) -> Result<(), CaseError> {
    if ctx.agency_exists(id) {
        Ok(())
    } else {
        Err(AgencyError::UnknownAgency {
            id: id.clone(),
            path: path.to_string(),
        }
        .into())
    }
}

fn check_intake(
    case: &CaseId,
    intake: &Intake,
    ctx: &dyn CaseContext,
    today: NaiveDate,
    prefix: &str,
) -> Result<(), CaseError> {
    ctx.taxonomies()
        .check_channel(&intake.channel, &format!("{prefix}.channel"))?;
    check_agency(
        ctx,
        &intake.receiving_window,
        &format!("{prefix}.receiving_window"),
    )?;
    if intake.chief_complaint.trim().is_empty() {
        return Err(CaseError::MissingText {
            case: case.clone(),
            path: format!("{prefix}.chief_complaint"),
        });
    }
    Ok(not_in_future(intake.on, today, &format!("{prefix}.on"))?)
}

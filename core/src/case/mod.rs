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
//!
//! This file holds [`Case`] and its state machine ([`Case::apply`]); the state and fiscal year are
//! in `state`, the commands, inputs and history entries in `command`, the errors in `error`, the
//! cross-entity facts in `context`. Every item is re-exported here (`crate::case::X`).

mod command;
mod context;
mod error;
mod state;
#[cfg(test)]
mod tests;

pub use command::{
    Assessment, CaseAction, CaseCommand, Intake, MemberIssues, Outcome, Outreach, Transition,
    Urgency,
};
pub use context::{AcceptedReferral, CaseContext, SimpleContext};
pub use error::CaseError;
pub use state::{fiscal_year_of, CaseState, CaseStateKind, FiscalYear, INFORMATION_ONLY_REASON};

use crate::agency::AgencyError;
use crate::calendar::not_in_future;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

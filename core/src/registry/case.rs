//! Case commands (ケースの流れ): opening a case at intake (受付) or by outreach (アウトリーチ), and
//! the lifecycle commands on a case. The case module owns the state machine and checks its own
//! dates; this file checks that the household exists and the subject is a member.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::case::{Case, CaseCommand, Intake, Outreach};
use crate::ids::*;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Open a case at intake (受付).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCase {
    /// Case id.
    pub case: CaseId,
    /// Household.
    pub household: HouseholdId,
    /// The person at the centre (本人), a member of the household.
    pub subject: PersonId,
    /// The responsible window.
    pub responsible_window: AgencyId,
    /// Intake record.
    pub intake: Intake,
}

/// Open a case by outreach (アウトリーチ), before the person engages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenOutreachCase {
    /// Case id.
    pub case: CaseId,
    /// Household.
    pub household: HouseholdId,
    /// The person reached out to.
    pub subject: PersonId,
    /// The responsible window.
    pub responsible_window: AgencyId,
    /// Outreach record.
    pub outreach: Outreach,
}

/// A lifecycle command on a case (ケースの操作): engage, assess, decide, close, reopen ….
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseAction {
    /// Case id.
    pub case: CaseId,
    /// The command.
    pub action: CaseCommand,
}

/// A new case's id is free, its household exists and its subject is a member.
fn check_new_case(
    reg: &Registry,
    case: &CaseId,
    household: &HouseholdId,
    subject: &PersonId,
) -> Result<(), Error> {
    if reg.cases.contains_key(case) {
        return Err(exists("case", case, "$.case"));
    }
    let h = reg
        .households
        .get(household)
        .ok_or_else(|| not_found("household", household, "$.household"))?;
    if h.member(subject).is_none() {
        return Err(not_found("person", subject, "$.subject"));
    }
    Ok(())
}

impl Apply for OpenCase {
    /// None: the case module checks the intake date (`CaseError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_new_case(reg, &self.case, &self.household, &self.subject)
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let c = Case::open_intake(
            self.case.clone(),
            self.household.clone(),
            self.subject.clone(),
            self.responsible_window.clone(),
            self.intake.clone(),
            reg,
            today,
        )?;
        reg.cases.insert(self.case.clone(), c);
        Ok(Receipt::Recorded)
    }
}

impl Apply for OpenOutreachCase {
    /// None: the case module checks the outreach date (`CaseError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_new_case(reg, &self.case, &self.household, &self.subject)
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let c = Case::open_outreach(
            self.case.clone(),
            self.household.clone(),
            self.subject.clone(),
            self.responsible_window.clone(),
            self.outreach.clone(),
            reg,
            today,
        )?;
        reg.cases.insert(self.case.clone(), c);
        Ok(Receipt::Recorded)
    }
}

impl Apply for CaseAction {
    /// None: the case module checks its commands' dates (`CaseError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if !reg.cases.contains_key(&self.case) {
            return Err(not_found("case", &self.case, "$.case"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let mut c = reg
            .cases
            .get(&self.case)
            .cloned()
            .ok_or_else(|| not_found("case", &self.case, "$.case"))?;
        let transition = c.apply(&self.action, reg, today)?;
        reg.cases.insert(self.case.clone(), c);
        Ok(Receipt::CaseTransition { transition })
    }
}

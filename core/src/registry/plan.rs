//! Support-plan commands (支援プラン・モニタリング): the first version of a plan, re-plans, the
//! person's consent to the current version, monitoring, and an action marked done. The plan
//! module owns versions and checks its own dates; this file checks that the plan's case exists.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found, rebased};
use super::{Receipt, Registry};
use crate::case::CaseCommand;
use crate::ids::*;
use crate::plan::{ActionId, MonitoringRecord, PlanConsent, PlanHistory, SupportPlan};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Make the first version of a support plan (支援プランの作成).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    /// The plan (version 1).
    pub plan: SupportPlan,
}

/// Re-plan (リプラン): the next version of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replan {
    /// The new version.
    pub plan: SupportPlan,
}

/// Record the person's consent to the current plan version (プランへの同意).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentToPlan {
    /// Plan id.
    pub plan: PlanId,
    /// The consent.
    pub consent: PlanConsent,
}

/// Record monitoring (モニタリング) of the current plan version.
///
/// The decision drives the case (モニタリングの判断とケースの流れ):
/// - **close** with a [`crate::plan::Closure`] (評価・終結) closes the plan's case on the record's
///   date through the case lifecycle (`close`, so the reason is checked against the taxonomy and
///   `transferred` needs its accepted referral); the receipt is the case transition. The record
///   and the closure are accepted together or not at all. A `close` without a closure is the form
///   journals held before closures existed: it concludes the plan version and closes nothing, so
///   old journals replay to the same state (and a journal that closed its case with a separate
///   `case` command after such a record still replays).
/// - **replan** concludes the version; the re-plan itself is a task (`replan_due`, see
///   [`crate::worklist`]) until the next version is made. The case state is not moved: a case
///   command (`replan`) still moves a case that tracks monitoring to planning, as before.
/// - **continue** sets the next monitoring date (the record's date plus the interval), which is
///   the `monitoring_due` task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMonitoring {
    /// Plan id.
    pub plan: PlanId,
    /// The record.
    pub record: MonitoringRecord,
}

/// Record that an action of the current plan version was done (支援内容の完了), on its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletePlanAction {
    /// Plan id.
    pub plan: PlanId,
    /// The action (an id of the current version).
    pub action: ActionId,
    /// Date it was done.
    pub on: NaiveDate,
}

/// The plan `id` exists (`not_found` at `path` otherwise).
fn check_plan(reg: &Registry, id: &PlanId, path: &str) -> Result<(), Error> {
    if !reg.plans.contains_key(id) {
        return Err(not_found("plan", id, path));
    }
    Ok(())
}

impl Apply for CreatePlan {
    /// None: the plan module checks its dates (`PlanError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg.plans.contains_key(&self.plan.id) {
            return Err(exists("plan", &self.plan.id, "$.plan.id"));
        }
        if !reg.cases.contains_key(&self.plan.case) {
            return Err(not_found("case", &self.plan.case, "$.plan.case"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let history = PlanHistory::new(self.plan.clone(), &reg.directory, today)?;
        reg.plans.insert(self.plan.id.clone(), history);
        Ok(Receipt::Recorded)
    }
}

impl Apply for Replan {
    /// None: the plan module checks its dates (`PlanError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_plan(reg, &self.plan.id, "$.plan.id")
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let h = reg
            .plans
            .get_mut(&self.plan.id)
            .ok_or_else(|| not_found("plan", &self.plan.id, "$.plan.id"))?;
        h.replan(self.plan.clone(), &reg.directory, today)?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for ConsentToPlan {
    /// None: the plan module checks its dates (`PlanError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_plan(reg, &self.plan, "$.plan")
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        reg.plans
            .get_mut(&self.plan)
            .ok_or_else(|| not_found("plan", &self.plan, "$.plan"))?
            .record_consent(self.consent.clone(), today)?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for RecordMonitoring {
    /// None: the plan module checks its dates (`PlanError::DateInFuture`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_plan(reg, &self.plan, "$.plan")
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let mut history = reg
            .plans
            .get(&self.plan)
            .cloned()
            .ok_or_else(|| not_found("plan", &self.plan, "$.plan"))?;
        history.record_monitoring(self.record.clone(), today)?;
        let Some(closure) = &self.record.closure else {
            reg.plans.insert(self.plan.clone(), history);
            return Ok(Receipt::Recorded);
        };
        // The plan module checked that the closure names the plan's case.
        let mut case = reg
            .cases
            .get(&closure.case)
            .cloned()
            .ok_or_else(|| not_found("case", &closure.case, "$.closure.case"))?;
        let close = CaseCommand::Close {
            reason: closure.reason.clone(),
            on: self.record.on,
            referral: closure.referral.clone(),
        };
        let transition = case.apply(&close, reg, today).map_err(|e| {
            let e = rebased(e.into(), "$.reason", "$.closure.reason");
            rebased(e, "$.referral", "$.closure.referral")
        })?;
        reg.plans.insert(self.plan.clone(), history);
        reg.cases.insert(closure.case.clone(), case);
        Ok(Receipt::CaseTransition { transition })
    }
}

impl Apply for CompletePlanAction {
    /// None: the plan module checks the date (`PlanError::DateInFuture` at `$.on`).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        check_plan(reg, &self.plan, "$.plan")
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        reg.plans
            .get_mut(&self.plan)
            .ok_or_else(|| not_found("plan", &self.plan, "$.plan"))?
            .complete_action(&self.action, self.on, today)?;
        Ok(Receipt::Recorded)
    }
}

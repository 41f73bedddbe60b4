//! Support-plan commands (支援プラン・モニタリング): the first version of a plan, re-plans, the
//! person's consent to the current version and monitoring. The plan module owns versions and
//! checks its own dates; this file checks that the plan's case exists.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::ids::*;
use crate::plan::{MonitoringRecord, PlanConsent, PlanHistory, SupportPlan};
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMonitoring {
    /// Plan id.
    pub plan: PlanId,
    /// The record.
    pub record: MonitoringRecord,
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
        reg.plans
            .get_mut(&self.plan)
            .ok_or_else(|| not_found("plan", &self.plan, "$.plan"))?
            .record_monitoring(self.record.clone(), today)?;
        Ok(Receipt::Recorded)
    }
}

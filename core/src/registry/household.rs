//! Household commands (世帯): registering a household document and replacing it when members
//! move or issues change.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::household::Household;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Register a household (世帯の登録).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterHousehold {
    /// The household document.
    pub household: Household,
}

/// Replace a registered household's document (世帯の更新): members move, issues change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateHousehold {
    /// The new document (same id).
    pub household: Household,
}

impl Apply for RegisterHousehold {
    /// None: the household module checks its own dates against `today`.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg.households.contains_key(&self.household.id) {
            return Err(exists("household", &self.household.id, "$.household.id"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        crate::household::validate_within(&self.household, &reg.taxonomies, today, &reg.limits)?;
        reg.households
            .insert(self.household.id.clone(), self.household.clone());
        Ok(Receipt::Recorded)
    }
}

impl Apply for UpdateHousehold {
    /// None: the household module checks its own dates against `today`.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if !reg.households.contains_key(&self.household.id) {
            return Err(not_found("household", &self.household.id, "$.household.id"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        crate::household::validate_within(&self.household, &reg.taxonomies, today, &reg.limits)?;
        reg.households
            .insert(self.household.id.clone(), self.household.clone());
        Ok(Receipt::Recorded)
    }
}

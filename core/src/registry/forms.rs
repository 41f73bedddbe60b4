//! Form records (様式の記録): keeping a filled form, validated and normalised by
//! [`crate::forms::FormSet::submit`], whole in the registry — the values no other command stores
//! (生活歴, the worker's 見立て, the person's own view, the follow-up after closure) and the
//! sheet as it was filled. A record is added once and never edited; a corrected sheet is a new
//! record.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::forms::FormRecord;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Keep a filled form (様式の記録). Sent by [`crate::forms::FormSet::submit`] after the
/// commands the form produces, in the same batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordForm {
    /// The record.
    pub record: FormRecord,
}

impl Apply for RecordForm {
    /// The form's date: a sheet is written after the fact.
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.record.on, "$.record.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg.form_records.contains_key(&self.record.id) {
            return Err(exists("form record", &self.record.id, "$.record.id"));
        }
        if let Some(case) = &self.record.case {
            if !reg.cases.contains_key(case) {
                return Err(not_found("case", case, "$.record.case"));
            }
        }
        if let Some(h) = &self.record.household {
            if !reg.households.contains_key(h) {
                return Err(not_found("household", h, "$.record.household"));
            }
        }
        if let Some(plan) = &self.record.plan {
            if !reg.plans.contains_key(plan) {
                return Err(not_found("plan", plan, "$.record.plan"));
            }
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.form_records
            .insert(self.record.id.clone(), self.record.clone());
        Ok(Receipt::Recorded)
    }
}

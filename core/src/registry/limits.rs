//! The limits command (上限の設定): a municipality's [`Limits`] as a journalled configuration
//! command, so that every device and every replay holds new input to the same maximums.
//!
//! Decision: the command replaces the whole [`Limits`] value (a document names the limits it
//! changes; the others are the defaults), and it applies to input from then on — households
//! already recorded are not re-checked, so lowering a limit never makes a journal unreadable.

use super::command::{Apply, RecordedDates};
use super::{Receipt, Registry};
use crate::limits::Limits;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Set the limits in force (上限の設定), e.g. more members per household for a municipality
/// that registers institutions as households.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigureLimits {
    /// The limits (fields left out keep their defaults).
    pub limits: Limits,
}

impl Apply for ConfigureLimits {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        // `invalid_limit`, its path that of the limits document (`$.nesting_depth`).
        Ok(self.limits.validate()?)
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.limits = self.limits;
        Ok(Receipt::Recorded)
    }
}

impl Registry {
    /// The limits in force (上限): the defaults until `configure_limits`.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

//! Community-building commands (地域づくり): registering community activities and places
//! (地域活動・場), recording their sessions (開催) and their end (休止・終了). The community module
//! keeps its own rules; this file checks that an activity's resource is in the directory.

use super::command::{Apply, RecordedDates};
use super::rules::rebased;
use super::{Receipt, Registry};
use crate::community::{Activity, ActivityId, CommunityCommand, Session};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Register a community activity or place (地域活動・場) of a small area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterActivity {
    /// The activity.
    pub activity: Activity,
}

/// Record a session (開催) of an activity, with counts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSession {
    /// The session.
    pub session: Session,
}

/// An activity ended (休止・終了); its record and sessions stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndActivity {
    /// Activity id.
    pub activity: ActivityId,
    /// Date.
    pub on: NaiveDate,
}

/// Apply a community command to a copy of the register and store it if accepted.
fn community_apply(reg: &mut Registry, cmd: &CommunityCommand) -> Result<(), Error> {
    let mut next = reg.community.clone();
    next.apply(cmd)?;
    reg.community = next;
    Ok(())
}

impl Apply for RegisterActivity {
    /// None: an activity's start and end in the directory may be planned.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if let Some(r) = &self.activity.resource {
            reg.resources.check(r, "$.activity.resource")?;
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        community_apply(
            reg,
            &CommunityCommand::AddActivity {
                activity: self.activity.clone(),
            },
        )?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for RecordSession {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.session.on, "$.session.on")]
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        community_apply(
            reg,
            &CommunityCommand::RecordSession {
                session: self.session.clone(),
            },
        )?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for EndActivity {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        community_apply(
            reg,
            &CommunityCommand::EndActivity {
                id: self.activity.clone(),
                on: self.on,
            },
        )
        .map_err(|e| rebased(e, "$.id", "$.activity"))?;
        Ok(Receipt::Recorded)
    }
}

//! Meeting commands (会議): recording a meeting held. The meeting module checks the record against
//! the meeting types; this file checks that the cases discussed and the agencies present exist.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry};
use crate::meeting::Meeting;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record a meeting (会議) held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldMeeting {
    /// The meeting record.
    pub meeting: Meeting,
}

impl Apply for HoldMeeting {
    /// None: the meeting's date is not checked against `today` (as before).
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let meeting = &self.meeting;
        if reg.meetings.contains_key(&meeting.id) {
            return Err(exists("meeting", &meeting.id, "$.meeting.id"));
        }
        for (i, c) in meeting.cases.iter().enumerate() {
            if !reg.cases.contains_key(c) {
                return Err(not_found("case", c, &format!("$.meeting.cases[{i}]")));
            }
        }
        reg.directory
            .check(&meeting.convener.agency, "$.meeting.convener.agency")?;
        for (i, p) in meeting.participants.iter().enumerate() {
            reg.directory
                .check(&p.agency, &format!("$.meeting.participants[{i}].agency"))?;
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let m = self.meeting.clone().hold(&reg.meeting_types)?;
        reg.meetings.insert(m.id.clone(), m);
        Ok(Receipt::Recorded)
    }
}

//! Statistics of meeting commands (会議): case meetings by type and convener and network
//! meetings with their dates (kept whole by the ledger, counted when dated in the year); in the
//! export, the meetings table.

use super::sink::{FactSink, Facts, Kept, MeetingFacts, Rows};
use crate::error::Error;
use crate::registry::HoldMeeting;
use crate::stats::export::exporter::Exporter;
use crate::stats::export::tables::MeetingRow;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for HoldMeeting {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let meeting = &self.meeting;
        sink.kept(
            at,
            on,
            Kept::Meeting(
                meeting.id.clone(),
                MeetingFacts {
                    meeting_type: meeting.meeting_type.clone(),
                    date: meeting.date,
                    convener: meeting.convener.role,
                },
            ),
        );
    }
}
impl Rows for HoldMeeting {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let meeting = &self.meeting;
        let base = x.types.resolve(&meeting.meeting_type).map_or_else(
            || meeting.meeting_type.to_string(),
            |r| r.base.code.to_string(),
        );
        x.out.meetings.push(MeetingRow {
            meeting: x.key.pseudonym("meeting", meeting.id.as_str()),
            meeting_type: meeting.meeting_type.to_string(),
            base_type: base,
            date: meeting.date,
            convener: meeting.convener.role,
            cases: meeting.cases.len() as u32,
        });
        Ok(())
    }
}

// Meeting records that bind disclosure: counted and exported as meetings, like `hold_meeting`
// (the convener's role is the designation's, checked when recorded). Designations, pledges and
// plans from decisions are not counted (the plan a decision makes is counted as the plan).
impl Facts for crate::registry::RecordMeeting {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let meeting = &self.meeting;
        sink.kept(
            at,
            on,
            Kept::Meeting(
                meeting.id.clone(),
                MeetingFacts {
                    meeting_type: meeting.meeting_type.clone(),
                    date: meeting.date,
                    convener: meeting.convener.role,
                },
            ),
        );
    }
}
impl Rows for crate::registry::RecordMeeting {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let meeting = &self.meeting;
        let base = x.types.resolve(&meeting.meeting_type).map_or_else(
            || meeting.meeting_type.to_string(),
            |r| r.base.code.to_string(),
        );
        x.out.meetings.push(MeetingRow {
            meeting: x.key.pseudonym("meeting", meeting.id.as_str()),
            meeting_type: meeting.meeting_type.to_string(),
            base_type: base,
            date: meeting.date,
            convener: meeting.convener.role,
            cases: meeting.agenda.len() as u32,
        });
        Ok(())
    }
}

impl Facts for crate::registry::DesignateConvener {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for crate::registry::DesignateConvener {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for crate::registry::RecordPledge {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for crate::registry::RecordPledge {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for crate::registry::PlanFromDecision {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        // Counted as the plan it makes: a re-plan when the draft is a later version.
        sink.plan(self.plan.created_on, self.plan.version > 1);
    }
}
impl Rows for crate::registry::PlanFromDecision {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

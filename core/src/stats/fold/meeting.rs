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

//! Statistics of community-building commands (地域づくり): activities, their end and their
//! sessions as report facts ([`CommunityFact`]) and as export rows (see
//! [`crate::stats::community`] for what each counts and what leaves).

use super::sink::{FactSink, Facts, Kept, Rows};
use crate::error::Error;
use crate::registry::{EndActivity, RecordSession, RegisterActivity};
use crate::stats::community::{ActivityInfo, ActivityRow, CommunityFact, SessionRow};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for RegisterActivity {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let activity = &self.activity;
        let fact = CommunityFact::Registered {
            at,
            id: activity.id.clone(),
            info: ActivityInfo {
                small_area: activity.small_area.clone(),
                stages: activity.stages.clone(),
                operator: activity.operator,
                started_on: activity.started_on,
            },
            ended_on: activity.ended_on,
        };
        sink.kept(at, on, Kept::Community(fact));
    }
}
impl Rows for RegisterActivity {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let activity = &self.activity;
        let key = x.key;
        let row = ActivityRow {
            activity: key.pseudonym("activity", activity.id.as_str()),
            small_area: activity.small_area.clone(),
            daily_life_area: activity.daily_life_area.clone(),
            operator: activity.operator,
            stages: activity.stages.iter().copied().collect(),
            resource: activity
                .resource
                .as_ref()
                .map(|r| key.pseudonym("resource", r.as_str())),
            started_on: activity.started_on,
            ended_on: activity.ended_on,
        };
        let activities = &mut x.out.support.activities;
        if !x.community.activity_index.contains_key(&activity.id) {
            x.community
                .activity_index
                .insert(activity.id.clone(), activities.len());
            activities.push(row);
        }
        Ok(())
    }
}

impl Facts for EndActivity {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let fact = CommunityFact::Ended {
            id: self.activity.clone(),
            on: self.on,
        };
        sink.kept(at, on, Kept::Community(fact));
    }
}
impl Rows for EndActivity {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        if let Some(&i) = x.community.activity_index.get(&self.activity) {
            x.out.support.activities[i].ended_on = Some(self.on);
        }
        Ok(())
    }
}

impl Facts for RecordSession {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let s = &self.session;
        let fact = CommunityFact::Session {
            activity: s.activity.clone(),
            on: s.on,
            participants: s.participants,
            supporters: s.supporters,
        };
        sink.kept(at, on, Kept::Community(fact));
    }
}
impl Rows for RecordSession {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let session = &self.session;
        x.out.support.sessions.push(SessionRow {
            activity: x.key.pseudonym("activity", session.activity.as_str()),
            on: session.on,
            participants: session.participants,
            supporters: session.supporters,
        });
        Ok(())
    }
}

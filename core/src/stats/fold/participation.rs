//! Statistics of participation-support commands (参加支援): match steps, follow-ups and resource
//! gaps as report facts ([`ParticipationFact`]); resources, matches, follow-ups and gaps as
//! export rows (see [`crate::stats::participation`] for what each counts and what leaves).

use super::sink::{FactSink, Facts, Kept, Rows};
use crate::error::Error;
use crate::participation::{FollowUpNext, MatchCommand, MatchStage, SocialResource, StopReason};
use crate::registry::{
    ExtendResourceKinds, MatchAction, RecordResourceGap, RegisterResource, UpdateResource,
};
use crate::stats::export::exporter::Exporter;
use crate::stats::participation::{
    need_code, FollowUpRow, GapRow, MatchRow, ParticipationFact, ResourceRow,
};
use crate::stats::position::Position;
use chrono::{Datelike, NaiveDate};

impl Facts for ExtendResourceKinds {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for ExtendResourceKinds {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

/// A resource's row, replacing its earlier row when it was registered before.
fn resource_row(resource: &SocialResource, x: &mut Exporter<'_>) {
    let key = x.key;
    let row = ResourceRow {
        resource: key.pseudonym("resource", resource.id.as_str()),
        kind: resource.kind.clone(),
        areas: resource.areas.clone(),
        capacity_limit: resource.capacity.map(|c| c.limit),
        capacity_current: resource.capacity.map(|c| c.current),
        contact: key.pseudonym("agency", resource.contact.as_str()),
    };
    let rows = &mut x.out.support.resources;
    match x.participation.resource_index.get(&resource.id) {
        Some(&i) => rows[i] = row,
        None => {
            x.participation
                .resource_index
                .insert(resource.id.clone(), rows.len());
            rows.push(row);
        }
    }
}

impl Facts for RegisterResource {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for RegisterResource {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        resource_row(&self.resource, x);
        Ok(())
    }
}

impl Facts for UpdateResource {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for UpdateResource {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        resource_row(&self.resource, x);
        Ok(())
    }
}

impl Facts for MatchAction {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let fact = match &self.r#match {
            MatchCommand::Propose { id, on, .. } => ParticipationFact::Proposed {
                id: id.clone(),
                on: *on,
            },
            MatchCommand::MarkTried { on, .. } => ParticipationFact::Tried { on: *on },
            MatchCommand::MarkContinuing { on, .. } => ParticipationFact::Continuing { on: *on },
            MatchCommand::RecordFollowUp { id, follow_up } => ParticipationFact::FollowUp {
                id: id.clone(),
                on: follow_up.on,
                stop: match follow_up.next {
                    FollowUpNext::Stop { reason } => Some(reason),
                    FollowUpNext::NextOn { .. } => None,
                },
            },
            MatchCommand::Stop { id, on, reason } => ParticipationFact::Stopped {
                id: id.clone(),
                on: *on,
                reason: *reason,
            },
        };
        sink.kept(at, on, Kept::Participation(fact));
    }
}
impl Rows for MatchAction {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let cmd = &self.r#match;
        let key = x.key;
        let index = &mut x.participation.match_index;
        let out = &mut x.out.support;
        if let MatchCommand::Propose {
            id,
            person,
            resource,
            on,
            ..
        } = cmd
        {
            if !index.contains_key(id) {
                index.insert(id.clone(), out.matches.len());
                out.matches.push(MatchRow {
                    r#match: key.pseudonym("match", id.as_str()),
                    person: key.pseudonym("person", person.as_str()),
                    resource: key.pseudonym("resource", resource.as_str()),
                    stage: MatchStage::Proposed,
                    proposed_on: *on,
                    tried_on: None,
                    continuing_on: None,
                    stopped_on: None,
                    stop_reason: None,
                });
            }
            return Ok(());
        }
        let Some(&i) = index.get(cmd.id()) else {
            return Ok(());
        };
        let m = &mut out.matches[i];
        let stop = |m: &mut MatchRow, on: NaiveDate, reason: StopReason| {
            m.stage = MatchStage::Stopped;
            m.stopped_on = Some(on);
            m.stop_reason = Some(reason);
        };
        match cmd {
            MatchCommand::Propose { .. } => {}
            MatchCommand::MarkTried { on, .. } => {
                m.stage = MatchStage::Tried;
                m.tried_on = Some(*on);
            }
            MatchCommand::MarkContinuing { on, .. } => {
                m.stage = MatchStage::Continuing;
                m.continuing_on = Some(*on);
            }
            MatchCommand::RecordFollowUp { follow_up, .. } => {
                if let FollowUpNext::Stop { reason } = follow_up.next {
                    stop(m, follow_up.on, reason);
                }
                let row = FollowUpRow {
                    r#match: m.r#match,
                    on: follow_up.on,
                    observation: follow_up.observation,
                };
                out.follow_ups.push(row);
            }
            MatchCommand::Stop { on, reason, .. } => stop(m, *on, *reason),
        }
        Ok(())
    }
}

impl Facts for RecordResourceGap {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        if let Some(area) = &self.gap.area {
            let fact = ParticipationFact::Gap {
                on,
                area: area.clone(),
                need: self.gap.need.code(),
            };
            sink.kept(at, on, Kept::Participation(fact));
        }
    }
}
impl Rows for RecordResourceGap {
    fn rows(&self, on: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let gap = &self.gap;
        if let Some(area) = &gap.area {
            let need = need_code(&gap.need);
            let month = on.with_day(1).unwrap_or(on);
            let k = (area.clone(), need, month);
            let gaps = &mut x.out.support.gaps;
            match x.participation.gap_index.get(&k) {
                Some(&i) => gaps[i].persons += 1,
                None => {
                    x.participation.gap_index.insert(k.clone(), gaps.len());
                    let (area, need, month) = k;
                    gaps.push(GapRow {
                        area,
                        need,
                        month,
                        persons: 1,
                    });
                }
            }
        }
        Ok(())
    }
}

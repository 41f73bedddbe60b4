//! Statistics of disaster case-management commands (災害ケースマネジメント): the annual report
//! counts none of them; the export keeps affected-household records, visits and dispatches (see
//! [`crate::stats::disaster`] for what leaves).

use super::sink::{FactSink, Facts, Rows};
use crate::disaster::DisasterCommand;
use crate::error::Error;
use crate::registry::{DisasterAction, EndDisasterPhase, OpenDisasterRecord, SetVisitIntervals};
use crate::stats::disaster::{DisasterRecordRow, DispatchRow, RecordState, VisitFact};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for SetVisitIntervals {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for SetVisitIntervals {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for OpenDisasterRecord {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for OpenDisasterRecord {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let record = &self.record;
        let key = x.key;
        let d = &mut x.disaster;
        if d.record_index.contains_key(&record.id) {
            return Ok(());
        }
        d.record_index.insert(record.id.clone(), d.records.len());
        d.records.push(RecordState {
            row: DisasterRecordRow {
                record: key.pseudonym("disaster_record", record.id.as_str()),
                household: key.pseudonym("household", record.household.as_str()),
                disaster: key.pseudonym("disaster", record.disaster.as_str()),
                opened_on: record.on,
                damage: record.damage,
                housing_stage: record.stage.code(),
                rank: record.rank.clone(),
                ended_on: None,
                case: None,
            },
            risk: vec![(record.on, record.rank.clone())],
            visits: Vec::new(),
            dispatches: Vec::new(),
        });
        Ok(())
    }
}

impl Facts for DisasterAction {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for DisasterAction {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let record = &self.record;
        let key = x.key;
        let d = &mut x.disaster;
        let Some(&i) = d.record_index.get(record) else {
            return Ok(());
        };
        let r = &mut d.records[i];
        match &self.action {
            DisasterCommand::MoveStage { stage, .. } => r.row.housing_stage = stage.code(),
            DisasterCommand::AddIssue { .. } => {}
            DisasterCommand::AssessRisk { on, rank } => r.risk.push((*on, rank.clone())),
            DisasterCommand::RecordVisit { visit } => {
                if let Some(rank) = &visit.rank_after {
                    r.risk.push((visit.on, rank.clone()));
                }
                r.visits.push(VisitFact {
                    on: visit.on,
                    role: visit.role,
                    met: visit.met,
                    rank_after: visit.rank_after.clone(),
                });
            }
            DisasterCommand::RequestDispatch {
                id,
                profession,
                purpose,
                agency,
                on,
            } => {
                let joint = format!("{}:{}{}", record.as_str().len(), record, id);
                r.dispatches.push((
                    id.clone(),
                    DispatchRow {
                        dispatch: key.pseudonym("dispatch", &joint),
                        record: r.row.record,
                        profession: *profession,
                        purpose: purpose.clone(),
                        agency: agency.as_ref().map(|a| key.pseudonym("agency", a.as_str())),
                        status: "requested",
                        requested_on: *on,
                        dispatched_on: None,
                        reported_on: None,
                        outcome: None,
                    },
                ));
            }
            DisasterCommand::MarkDispatched { id, on } => {
                if let Some((_, d)) = r.dispatches.iter_mut().find(|(x, _)| x == id) {
                    d.status = "dispatched";
                    d.dispatched_on = Some(*on);
                }
            }
            DisasterCommand::ReportDispatch { id, on, report } => {
                if let Some((_, d)) = r.dispatches.iter_mut().find(|(x, _)| x == id) {
                    d.status = "reported";
                    d.reported_on = Some(*on);
                    d.outcome = Some(report.outcome);
                }
            }
            DisasterCommand::LinkCase { case } => {
                r.row.case = Some(key.pseudonym("case", case.as_str()));
            }
        }
        Ok(())
    }
}

impl Facts for EndDisasterPhase {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for EndDisasterPhase {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let key = x.key;
        if let Some(&i) = x.disaster.record_index.get(&self.record) {
            let r = &mut x.disaster.records[i];
            r.row.ended_on = Some(self.on);
            r.row.case = Some(key.pseudonym("case", self.case.as_str()));
        }
        Ok(())
    }
}

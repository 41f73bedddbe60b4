//! Statistics of support-plan commands (支援プラン・モニタリング): plans made and re-plans by
//! creation date, monitoring records by date, and a monitoring that closes its case as that
//! case's closure (counted and exported as the case `close` it performs). Consent to a plan and
//! an action done are not counted; plans are not exported.

use super::sink::{FactSink, Facts, Rows};
use crate::case::CaseCommand;
use crate::error::Error;
use crate::registry::{CaseAction, CompletePlanAction};
use crate::registry::{ConsentToPlan, CreatePlan, RecordMonitoring, Replan};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for CreatePlan {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.plan(self.plan.created_on, false);
    }
}
impl Rows for CreatePlan {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for Replan {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.plan(self.plan.created_on, true);
    }
}
impl Rows for Replan {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for ConsentToPlan {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for ConsentToPlan {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for RecordMonitoring {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        sink.monitoring(self.record.on);
        // A monitoring that closes its case (評価・終結) counts as that case's closure.
        if let Some(close) = closing(self) {
            sink.case_action(at, on, &close.case, &close.action);
        }
    }
}
impl Rows for RecordMonitoring {
    fn rows(&self, on: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        match closing(self) {
            Some(close) => close.rows(on, x),
            None => Ok(()),
        }
    }
}

/// The case `close` a monitoring with a closure performs, as the case command it stands for.
fn closing(m: &RecordMonitoring) -> Option<CaseAction> {
    let c = m.record.closure.as_ref()?;
    Some(CaseAction {
        case: c.case.clone(),
        action: CaseCommand::Close {
            reason: c.reason.clone(),
            on: m.record.on,
            referral: c.referral.clone(),
        },
    })
}

// An action done is casework, not a report figure: nothing counted, nothing exported.
impl Facts for CompletePlanAction {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for CompletePlanAction {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

//! Statistics of support-plan commands (支援プラン・モニタリング): plans made and re-plans by
//! creation date, monitoring records by date. Consent to a plan is not counted; plans are not
//! exported.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
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
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.monitoring(self.record.on);
    }
}
impl Rows for RecordMonitoring {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

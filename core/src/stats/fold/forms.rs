//! Statistics of form records (様式の記録): none. A filled form is kept whole for the case file;
//! what the report counts (cases opened, assessments' issues, plans, closures) comes from the
//! commands the form produced, so counting the record too would count twice. Not exported: its
//! values are free text about a person.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::RecordForm;
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for RecordForm {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for RecordForm {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

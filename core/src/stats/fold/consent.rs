//! Statistics of consent commands (同意): neither counted in the report nor exported (a consent
//! record is personal and its figures are not part of 実績報告).

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::ConsentAction;
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for ConsentAction {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for ConsentAction {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

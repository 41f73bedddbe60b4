//! Statistics of disclosure commands (第三者提供): neither counted in the report nor exported
//! (provision records stay in the case system, for the person's access log).

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::Disclose;
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for Disclose {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for Disclose {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

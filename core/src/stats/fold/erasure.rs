//! Statistics of erasure (消去): an erasure counts nothing and exports nothing — the erased
//! household's events are still folded, as their clear projections (`registry::erasure`), so the
//! report's counts do not change.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::EraseHousehold;
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for EraseHousehold {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for EraseHousehold {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

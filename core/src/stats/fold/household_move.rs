//! Statistics of a move between households (世帯間の異動) and of the limits setting: the
//! annual report counts households, cases and support as they are recorded, and a member who
//! moves was already counted with the household where they were first consulted, so a move adds
//! no fact; the export's persons table follows the person to the household joined.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::{ConfigureLimits, MovePerson};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

impl Facts for MovePerson {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for MovePerson {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        if let Some(info) = x.persons.get_mut(&self.person) {
            info.household = self.to.clone();
            info.relation = self.relation;
        }
        Ok(())
    }
}

impl Facts for ConfigureLimits {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for ConfigureLimits {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

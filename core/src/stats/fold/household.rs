//! Statistics of household commands (世帯): every member's birth date or approximate age (for
//! the age bands of first consultations) and, in the export, the persons table.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::household::Household;
use crate::registry::{RegisterHousehold, UpdateHousehold};
use crate::stats::export::exporter::{Exporter, PersonInfo};
use crate::stats::position::Position;
use chrono::NaiveDate;

fn member_facts(household: &Household, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
    for m in &household.members {
        sink.member(at, on, &m.id, m.birth_date, m.approx_age);
    }
}

fn person_rows(household: &Household, x: &mut Exporter<'_>) {
    for m in &household.members {
        if !x.persons.contains_key(&m.id) {
            x.person_order.push(m.id.clone());
        }
        x.persons.insert(
            m.id.clone(),
            PersonInfo {
                household: household.id.clone(),
                relation: m.relation,
                birth_date: m.birth_date,
                approx_age: m.approx_age,
            },
        );
    }
}

impl Facts for RegisterHousehold {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        member_facts(&self.household, at, on, sink);
    }
}
impl Rows for RegisterHousehold {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        person_rows(&self.household, x);
        Ok(())
    }
}

impl Facts for UpdateHousehold {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        member_facts(&self.household, at, on, sink);
    }
}
impl Rows for UpdateHousehold {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        person_rows(&self.household, x);
        Ok(())
    }
}

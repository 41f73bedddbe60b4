//! Statistics of person-master commands (個人台帳): none. The annual report counts cases,
//! consultations and support, not the people in the master, and the master holds what identifies
//! a person (name, reading, address, phone, 宛名番号), which the pseudonymised export never
//! carries: registering, updating, merging and splitting persons (and extending the kanji variants) state no fact and export no row.
//! (A merge does not re-attribute facts already counted: the report counts what happened at each
//! window, under the ids the windows used.)

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::{
    ExtendKanjiVariants, MergePersons, RegisterPerson, SplitPerson, UpdatePerson,
};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

/// No facts and no rows for the listed commands.
macro_rules! silent {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Facts for $ty {
                fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
            }
            impl Rows for $ty {
                fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
                    Ok(())
                }
            }
        )*
    };
}

silent!(
    RegisterPerson,
    UpdatePerson,
    MergePersons,
    SplitPerson,
    ExtendKanjiVariants,
);

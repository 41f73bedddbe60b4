//! Statistics of worker and case-team commands (職員・担当チーム): neither counted in the annual
//! report nor exported. The report counts households, cases and support, not staff; workers'
//! names and teams are personal data of the staff and stay in the case system.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::registry::{AssignTeam, ExtendRoles, HandOver, RegisterWorker, UpdateWorker};
use crate::registry::{LiftAddressProtection, ProtectAddress};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use chrono::NaiveDate;

/// Neither facts nor rows.
macro_rules! uncounted {
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

uncounted!(
    ExtendRoles,
    RegisterWorker,
    UpdateWorker,
    AssignTeam,
    HandOver
);

// Address restrictions (住所秘匿) are neither counted nor exported: that one exists is DV
// information.
uncounted!(ProtectAddress, LiftAddressProtection);

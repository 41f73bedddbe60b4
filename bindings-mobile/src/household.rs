//! Household documents (世帯) across the boundary. The records themselves are the core's
//! (`tsunagu::household::{Household, Person, Area, Tie, TieParty, DisabilityCertificate}` and
//! their enums, derived for uniffi under the core's `uniffi` feature; ids and codes are strings
//! in Kotlin and Swift); this module converts them from and to the JSON document.

use crate::error::Result;
use tsunagu::household::Household;

/// Parse a household JSON document (the interchange format) into the record.
#[uniffi::export]
pub fn household_from_json(json: String) -> Result<Household> {
    crate::guard::guarded(|| crate::guard::from_json(&json))
}

/// A household as its JSON document (世帯の文書): the format [`household_from_json`] reads and
/// the batch calls that take documents (`Router::route_batch_json`, `route_batch_compact`) read.
#[uniffi::export]
pub fn household_to_json(household: Household) -> Result<String> {
    crate::guard::guarded(|| Ok(serde_json::to_string(&household).expect("a household serialises")))
}

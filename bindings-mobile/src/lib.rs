//! # tsunagu-mobile — Kotlin and Swift bindings of tsunagu (uniffi, proc-macros)
//!
//! What an outreach worker's app needs, as whole units of work per call (a uniffi call costs
//! microseconds, so the API takes batches): the case journal on the device ([`journal`]: an
//! SQLite file, typed calls for households, intake and visits, a batch append, due lists,
//! disclosure previews, export, merge of several devices with conflicts), typed calls for the
//! records outreach workers make offline ([`support`]: affected-household records and
//! watching-over visits, match follow-ups, their due lists), routing with explanations
//! ([`routing`], one household or a list; the compact batch result in [`routing_briefs`]), era dates
//! and fiscal years ([`calendar`]), vocabularies ([`vocabulary`]), the case record offline
//! ([`record`]: entries, outreach, timeline, person search), the worklist ([`worklist`]) and forms
//! ([`forms`]). A journal handle acts as one worker (`CaseJournal::as_actor`): every event it
//! appends carries the actor. Every failure is one [`TsunaguError`] carrying the core's code,
//! message and path; every export throws and runs through [`guard::guarded`], so a panic arrives
//! as `TsunaguError::Internal` (`internal_panic`) instead of ending the app. Calendar dates are [`date::IsoDate`] (`java.time.LocalDate`
//! in Kotlin, `CalendarDate` in Swift).
//!
//! `build.sh` generates the Kotlin and Swift sources; see `PACKAGING.md` for Android and iOS.

uniffi::setup_scaffolding!();

pub mod calendar;
pub mod date;
pub mod error;
pub mod forms;
pub mod guard;
pub mod household;
pub mod journal;
pub mod record;
pub mod routing;
pub mod routing_briefs;
pub mod support;
pub mod vocabulary;
pub mod worklist;

pub use error::TsunaguError;
pub use tsunagu::VERSION;

/// Version of the core.
#[uniffi::export]
pub fn core_version() -> error::Result<String> {
    crate::guard::guarded(|| Ok(VERSION.to_string()))
}

//! # tsunagu (つなぐ) — the domain engine for 重層的支援体制整備事業
//!
//! A pure Rust core for Japan's multi-layered community-welfare support system: households and
//! persons, the issue taxonomy, the case lifecycle, support plans and monitoring, agencies,
//! liaison contacts and referrals, Japanese era dates and fiscal years.
//!
//! **The domain never reads the clock or the environment**: operations that depend on the date
//! take `today` as an argument. See `ARCHITECTURE.md` for the map of modules.
#![warn(missing_docs)]

pub mod access;
pub mod agency;
pub mod analysis;
pub mod calendar;
pub mod case;
pub mod coded;
pub mod community;
pub mod consent;
pub mod disaster;
pub mod disclosure;
pub mod error;
pub mod forms;
pub mod household;
pub mod ids;
pub mod journal;
pub mod limits;
pub mod meeting;
pub mod participation;
pub mod patterns;
pub mod person;
pub mod plan;
pub mod privacy;
pub mod record;
pub mod referral;
pub mod registry;
pub mod retention;
pub mod routing;
pub mod schema;
pub mod stats;
pub mod sync;
pub mod taxonomy;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;
pub mod worklist;

pub use error::{Coded, Error};

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
mod ffi;

/// Crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

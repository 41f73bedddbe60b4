//! Calendar dates across the boundary (暦日): never timestamps.
//!
//! [`IsoDate`] is a uniffi custom type carried as an ISO-8601 `YYYY-MM-DD` string. Kotlin sees
//! `java.time.LocalDate` (uniffi.toml: `LocalDate.parse` / `toString`), Swift sees
//! `CalendarDate`, a plain struct of year, month and day defined in `CalendarDate.swift`.
//! Lifting never fails on the Rust side (a failed custom-type lift would surface as an internal
//! error rather than a `TsunaguError`); the string is validated by the core when a call uses it,
//! giving `invalid_date` with the JSON path of the argument.

use crate::error::{Result, TsunaguError};
use chrono::NaiveDate;

/// A calendar date as `YYYY-MM-DD`, validated by the core when used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub String);

uniffi::custom_type!(IsoDate, String, {
    lower: |d| d.0,
    try_lift: |s| Ok(IsoDate(s)),
});

impl IsoDate {
    /// Validate into a date; `invalid_date` at `path` otherwise.
    pub fn get(&self, path: &str) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(&self.0, "%Y-%m-%d")
            .ok()
            .filter(|_| self.0.len() == 10)
            .ok_or_else(|| {
                TsunaguError::invalid(
                    "invalid_date",
                    format!("not a calendar date (YYYY-MM-DD): {:.12}", self.0),
                    Some(path),
                )
            })
    }
}

impl From<NaiveDate> for IsoDate {
    fn from(d: NaiveDate) -> Self {
        IsoDate(d.format("%Y-%m-%d").to_string())
    }
}

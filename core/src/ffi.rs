//! uniffi custom types (feature `uniffi`): what the Kotlin and Swift bindings need to carry the
//! core's own types. The id and code newtypes made by `ids::string_newtype!` register themselves
//! there (each is its string in Kotlin and Swift); this file adds the two newtypes written by hand
//! and calendar dates.
//!
//! Dates cross as ISO-8601 `YYYY-MM-DD` text; the binding's `uniffi.toml` maps the custom type
//! `NaiveDate` to `java.time.LocalDate` (Kotlin) and `CalendarDate` (Swift). Lowering never fails.
//! Lifting text that is not a calendar date (only Swift can build one: `CalendarDate` is a plain
//! year-month-day struct) fails in uniffi's lift, which the foreign side raises as an internal
//! error naming the argument, not as the library's error: a binding that must answer such input
//! with `invalid_date` at a path takes the date as text and lets the core validate it.

use chrono::NaiveDate;

use crate::routing::{MeetingCode, RuleId};

uniffi::custom_newtype!(RuleId, String);
uniffi::custom_newtype!(MeetingCode, String);

/// `YYYY-MM-DD`, the form the core's JSON documents use.
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The date of `YYYY-MM-DD` text (exactly ten characters, as the core writes it).
fn parse(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| format!("not a calendar date (YYYY-MM-DD): {s:.12}"))
}

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |d| iso(d),
    try_lift: |s| parse(&s).map_err(uniffi::deps::anyhow::Error::msg),
});

//! Calendar (暦): Japanese era dates (和暦), fiscal years (年度), ages and school stages.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl CalendarError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for CalendarError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

/// Age in whole years on `today` (None when `today` is before `birth`).
pub fn age_on(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> Option<u32> {
    today.years_since(birth)
}

//! Household validation (skeleton: filled in by the household owner).

/// Errors of household validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HouseholdError {
    /// Placeholder.
    #[error("not implemented")]
    NotImplemented,
}

impl HouseholdError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for HouseholdError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

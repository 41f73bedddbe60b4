//! Consent (同意): consent records and their lifecycle.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl ConsentError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for ConsentError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

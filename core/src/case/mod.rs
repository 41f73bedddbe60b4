//! Case lifecycle (ケースの流れ).
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl CaseError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for CaseError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

//! Case journal (ケース記録): append-only, hash-chained events; stores.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl JournalError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for JournalError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

//! Disclosure (情報提供): what an audience may see of a case, and provision records.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisclosureError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl DisclosureError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for DisclosureError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

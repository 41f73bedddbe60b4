//! Support plans (支援プラン) and monitoring (モニタリング).
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl PlanError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for PlanError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

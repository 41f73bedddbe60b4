//! Referral routing rules (振り分けルール): rule documents, compilation, evaluation with explanations.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoutingError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl RoutingError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for RoutingError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

//! Referrals (つなぎ) and liaison contacts (連絡調整).
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferralError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl ReferralError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for ReferralError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

//! Meetings (会議): meeting types as data and meeting records.
//!
//! (Skeleton: filled in by the module's owner.)

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingError {
    /// Placeholder until the module lands.
    #[error("not implemented")]
    NotImplemented,
}

impl MeetingError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}

impl crate::error::Coded for MeetingError {
    fn code(&self) -> &'static str {
        "not_implemented"
    }
}

//! stub
/// Errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommunityError {
    /// x
    #[error("x")]
    X,
}
impl CommunityError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}
impl crate::error::Coded for CommunityError {
    fn code(&self) -> &'static str {
        "x"
    }
}

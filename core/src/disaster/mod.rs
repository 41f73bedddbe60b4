//! stub
/// Errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisasterError {
    /// x
    #[error("x")]
    X,
}
impl DisasterError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[];
}
impl crate::error::Coded for DisasterError {
    fn code(&self) -> &'static str {
        "x"
    }
}

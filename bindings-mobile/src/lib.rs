//! mobile binding for tsunagu (filled in by the mobile binding issue).
pub use tsunagu::VERSION;

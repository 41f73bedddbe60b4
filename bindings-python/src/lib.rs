//! python binding for tsunagu (filled in by the python binding issue).
pub use tsunagu::VERSION;

//! wasm binding for tsunagu (filled in by the wasm binding issue).
pub use tsunagu::VERSION;

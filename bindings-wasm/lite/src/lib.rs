//! The widgets' WebAssembly module (the `tsunagu` package's main module, `pkg/tsunagu_wasm.js`):
//! every export of `tsunagu-wasm` except the records API of its `records` feature (`Registry`,
//! `previewDisclosure`, `annualReport`), whose `Command` deserialisation is about half of the full
//! module. The exports are `tsunagu-wasm`'s own; linking the crate brings them in.
#![warn(missing_docs)]

pub use tsunagu_wasm::*;

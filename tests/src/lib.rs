//! Conformance vectors runner.

//! Tests of disclosure.

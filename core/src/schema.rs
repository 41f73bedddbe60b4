//! JSON Schema (schemars) of every interchange document: the contract bindings and web teams build
//! on. `tests/tests/schemas.rs` fails when the checked-in `schemas/` folder is stale; regenerate
//! with `UPDATE_SCHEMAS=1 cargo test -p tsunagu-conformance --test schemas`.

use schemars::{schema_for, Schema};

/// Every document type with its schema file name (without `.schema.json`).
pub fn documents() -> Vec<(&'static str, Schema)> {
    vec![
        ("household", schema_for!(crate::household::Household)),
        ("agency_directory", schema_for!(crate::agency::Directory)),
        ("taxonomy", schema_for!(crate::taxonomy::TaxonomyDocument)),
        (
            "pattern_findings",
            schema_for!(Vec<crate::household::PatternFinding>),
        ),
    ]
}

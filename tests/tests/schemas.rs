//! The checked-in JSON Schemas in `schemas/` must equal what the core generates.

use std::path::PathBuf;

#[test]
fn checked_in_schemas_are_fresh() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    let mut expected_files = Vec::new();
    for (name, schema) in tsunagu::schema::documents() {
        let file = format!("{name}.schema.json");
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = dir.join(&file);
        expected_files.push(file.clone());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    if !update {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if !expected_files.contains(&name) {
                stale.push(format!("{name} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas: {stale:?}; run UPDATE_SCHEMAS=1 cargo test -p tsunagu-conformance --test schemas"
    );
}

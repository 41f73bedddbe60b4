//! Runs every conformance vector in `tests/vectors/` against the Rust core.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn all_vectors_pass() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no vectors found");
    let mut failures = Vec::new();
    let mut steps = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        steps += doc["when"].as_array().map_or(0, |w| w.len());
        failures.extend(tsunagu_conformance::run_vector(
            &f.display().to_string(),
            &doc,
        ));
    }
    for f in &failures {
        eprintln!("FAIL {} step {}: {}", f.file, f.step, f.message);
    }
    assert!(
        failures.is_empty(),
        "{} of {steps} vector steps failed",
        failures.len()
    );
    eprintln!("{} vector files, {steps} steps passed", files.len());
}

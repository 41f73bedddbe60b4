//! Build script: converts the built-in data, every `data/**/*.toml` and every `*.toml` table kept
//! beside the code in `src/`, to JSON in `OUT_DIR` (same relative path, `.json` extension:
//! `data/taxonomy.toml` → `$OUT_DIR/data/taxonomy.json`).
//!
//! The TOML files stay the source that people edit and review; the library embeds the JSON and
//! parses it with serde_json at run time, so loading the built-ins needs no TOML parser (the
//! WebAssembly build then links none: about a fifth of its size). New data files are converted
//! without touching this script. TOML datetimes become their RFC 3339 strings.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    // A directory is watched recursively: a new or edited data file reruns the conversion.
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(&root.join("data"), &mut files);
    collect(&root.join("src"), &mut files);
    for file in files {
        let rel = file.strip_prefix(&root).expect("under the manifest dir");
        if rel.starts_with("src") {
            println!("cargo:rerun-if-changed={}", rel.display());
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let table: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", file.display()));
        let json = serde_json::to_string(&to_json(toml::Value::Table(table)))
            .expect("JSON values serialise");
        let dest = out.join(rel).with_extension("json");
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
            .expect("OUT_DIR is writable");
        std::fs::write(&dest, json).expect("OUT_DIR is writable");
    }
}

/// Every `*.toml` under `dir` (none when it does not exist), in a stable order.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("readable dir").path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(J::Number)
            .unwrap_or_else(|| panic!("built-in data holds a non-finite float {f}")),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
    }
}

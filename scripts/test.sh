#!/usr/bin/env bash
# Runs every test of tsunagu: formatting, clippy, the Rust suites (unit, property, scenario,
# conformance vectors, schema freshness), then each binding's suite when its issue has landed.
# Installs what it needs by itself (see the binding scripts it calls).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace

#!/usr/bin/env bash
# Runs every test of tsunagu — what CI runs (.ci/run calls this):
#   formatting, clippy (default, all and no features), the Rust suites (unit, property, scenario,
#   tour, crash test, conformance vectors, schema freshness), the benchmarks at a tiny size, then
#   each binding's own suite (Python, WebAssembly in Node and Chromium, Kotlin and Swift).
# Each binding script installs what it needs by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
start=$(date +%s)
section() { echo; echo "== $1 ($(( $(date +%s) - start ))s)"; }

section "cargo fmt --check"
cargo fmt --all --check
section "cargo clippy (workspace, default features)"
cargo clippy --workspace --all-targets -- -D warnings
section "cargo clippy (core without default features: the wasm configuration)"
cargo clippy -p tsunagu --no-default-features --all-targets -- -D warnings
section "cargo test (workspace)"
cargo test --workspace

section "benchmarks at a tiny size (they must keep working; figures in BENCHMARKS.md)"
TSUNAGU_BENCH_N=2000 cargo bench -p tsunagu --bench journal
if [ -f bench/routing/Cargo.toml ]; then
  cargo run --release --manifest-path bench/routing/Cargo.toml -- --n 2000
fi

for binding in python wasm mobile; do
  if [ -x "bindings-$binding/test.sh" ]; then
    section "bindings-$binding"
    "bindings-$binding/test.sh"
  fi
done
section "all suites passed"

#!/usr/bin/env bash
# Runs every test of tsunagu — what CI runs (.ci/run calls this):
#   formatting, clippy (default and no features), the Rust suites (unit, property, scenario,
#   tour, crash test, conformance vectors, schema freshness), the benchmarks at a tiny size (the
#   routing one cross-checks the default rules against zen-engine), then each binding's own suite
#   (Python, WebAssembly in Node and Chromium, Kotlin and Swift), each on every vector.
# Each binding script installs what it needs by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
start=$(date +%s)
section() { echo; echo "== $1 ($(( $(date +%s) - start ))s)"; }
# Build caches kept between runs on this machine (tool chroots, binding build dirs); everything
# still works when it is empty, only slower.
cache="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
mkdir -p "$cache" 2>/dev/null || { cache="${TMPDIR:-/tmp}/tsunagu-cache"; mkdir -p "$cache"; }
export TSUNAGU_CACHE="$cache"
# The workspace's build directory is kept there too, so a CI run on a fresh checkout rebuilds only
# what changed (cargo's fingerprints decide; an explicit CARGO_TARGET_DIR wins).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"

section "cargo fmt --check"
cargo fmt --all --check
section "cargo clippy (workspace, default features)"
cargo clippy --workspace --all-targets -- -D warnings
section "cargo clippy (core without default features: the wasm configuration)"
cargo clippy -p tsunagu --no-default-features --all-targets -- -D warnings
section "cargo test (workspace)"
cargo test --workspace

section "benchmarks at a tiny size (they must keep working; figures in BENCHMARKS.md)"
# Built in the test profile here (no release build in CI); `cargo bench` gives the real figures.
TSUNAGU_BENCH_N=2000 cargo test -p tsunagu --bench journal
# Sealed journal (encryption at rest): append and replay sealed vs clear, key destruction.
TSUNAGU_BENCH_N=2000 TSUNAGU_BENCH_HOUSEHOLDS=50 cargo test -p tsunagu --bench seal
# The statistics ledger against the event fold (asserts both reports equal before printing).
TSUNAGU_BENCH_CASES=200 TSUNAGU_BENCH_CONTACTS=2000 cargo test -p tsunagu --bench stats
# The person master: index build, kana-prefix search, 名寄せ candidates (1M persons in `cargo bench`).
TSUNAGU_BENCH_PERSONS=2000 cargo test -p tsunagu --bench persons
# The timeline of a case with many record entries.
TSUNAGU_BENCH_ENTRIES=50 TSUNAGU_BENCH_CASES=20 TSUNAGU_BENCH_REPEAT=20 cargo test -p tsunagu --bench timeline
# Reads with the view log on (memory, SQLite) against off.
TSUNAGU_BENCH_READS=200 cargo test -p tsunagu --bench access
# The routing comparison against zen-engine is a separate workspace (zen stays out of the
# library's tree). In CI it runs in the dev profile on 2,000 households: a cross-check that the
# default rules and zen's decision table still decide the same (it exits non-zero otherwise).
# Its target dir is kept between runs in $TSUNAGU_CACHE (zen-engine is a long cold build).
cargo run -q --manifest-path bench/routing/Cargo.toml --target-dir "$cache/target-bench-routing" -- --n 2000

section "fuzz targets, a few seconds each on the checked-in corpus (scripts/fuzz.sh; RELIABILITY.md)"
# cargo-fuzz on stable with RUSTC_BOOTSTRAP=1, installed into the cache by the script when
# missing; TSUNAGU_FUZZ_SECONDS sets the seconds per target (0 skips the section).
fuzz_seconds="${TSUNAGU_FUZZ_SECONDS:-5}"
if [ "$fuzz_seconds" != 0 ]; then
  FUZZ_CORPUS_ONLY=1 TSUNAGU_CACHE="$cache" FUZZ_TARGET_DIR="$cache/target-fuzz" \
    bash scripts/fuzz.sh "$fuzz_seconds"
fi

# The binding suites: Python (pytest, stubtest, vectors, Dask), wasm (types, tsc, Node vectors,
# Chromium end-to-end) and mobile (Kotlin on the JVM, Swift XCTest in a Debian 13 chroot). Each
# script installs what it needs and keeps its tools in $TSUNAGU_CACHE. All run by default;
# TSUNAGU_BINDINGS=0 skips them, or a list (TSUNAGU_BINDINGS="wasm python") runs only those.
wanted="${TSUNAGU_BINDINGS:-1}"
[ "$wanted" = 1 ] && wanted="python wasm mobile"
[ "$wanted" = 0 ] && wanted=""
for binding in $wanted; do
  section "bindings-$binding"
  # Each binding builds with its own profile settings: its own target dir, so the workspace's
  # artifacts are not rebuilt back and forth.
  CARGO_TARGET_DIR="$cache/target-$binding" bash "bindings-$binding/test.sh"
done
section "all suites passed"

#!/usr/bin/env bash
# Build the tsunagu mobile library for the host (release) and generate the Kotlin and Swift
# sources into bindings-mobile/out/:
#   out/lib/libtsunagu_mobile.so   the host library (JNA / SwiftPM load it)
#   out/kotlin/jp/tsunagu/mobile/tsunagu_mobile.kt
#   out/swift/{tsunagu_mobile.swift, tsunagu_mobileFFI.h, tsunagu_mobileFFI.modulemap}
# Respects CARGO_TARGET_DIR. The uniffi-bindgen binary is built from this workspace, so its
# uniffi version is always the library's.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"
start=$(date +%s)
# One invocation for the library and the generator: the same features, so the core is built once
# (the `cli` feature only adds the generator's entry point; the cdylib exports nothing more).
cargo build --release -p tsunagu-mobile --features cli --lib --bin uniffi-bindgen
LIB="$TARGET/release/libtsunagu_mobile.so"
rm -rf "$HERE/out"
mkdir -p "$HERE/out/lib" "$HERE/out/kotlin" "$HERE/out/swift"
cp "$LIB" "$HERE/out/lib/"
for lang in kotlin swift; do
    "$TARGET/release/uniffi-bindgen" generate "$LIB" --language "$lang" --no-format --out-dir "$HERE/out/$lang"
done
echo "build.sh: library and bindings in $HERE/out ($(( $(date +%s) - start )) s)"

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
cargo build --release -p tsunagu-mobile --features cli --bin uniffi-bindgen
cargo build --release -p tsunagu-mobile --lib
LIB="$TARGET/release/libtsunagu_mobile.so"
rm -rf "$HERE/out"
mkdir -p "$HERE/out/lib" "$HERE/out/kotlin" "$HERE/out/swift"
cp "$LIB" "$HERE/out/lib/"
for lang in kotlin swift; do
    "$TARGET/release/uniffi-bindgen" generate "$LIB" --language "$lang" --no-format \
        --config "$HERE/uniffi.toml" --out-dir "$HERE/out/$lang"
done
echo "build.sh: library and bindings in $HERE/out ($(( $(date +%s) - start )) s)"

#!/usr/bin/env bash
# Build the tsunagu mobile library for the host and generate the Kotlin and Swift sources into
# bindings-mobile/out/:
#   out/lib/libtsunagu_mobile.so   the host library (JNA / SwiftPM load it)
#   out/kotlin/jp/tsunagu/mobile/tsunagu_mobile.kt (+ the hand-written views/kotlin/*.kt) and
#     out/kotlin/jp/tsunagu/core/tsunagu.kt (the core's types, uniffi-core.toml)
#   out/swift/{TsunaguMobile.swift, tsunagu_mobileFFI.h, TsunaguCore.swift, tsunaguFFI.h, …}
# Respects CARGO_TARGET_DIR and TSUNAGU_CACHE (default /var/cache/tsunagu). The uniffi-bindgen
# binary is built from this workspace, so its uniffi version is always the library's.
#   PROFILE   cargo profile: `release` (default; what an app ships and bench.sh measures) or `dev`
#             (test.sh's default: several times faster to compile cold, same bindings).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"
start=$(date +%s)
PROFILE="${PROFILE:-release}"
case "$PROFILE" in
    release) DIR=release ;;
    dev) DIR=debug ;;
    *) DIR="$PROFILE" ;;
esac
# The library alone (without the `cli` feature: exactly what an app links).
cargo build --profile "$PROFILE" -p tsunagu-mobile --lib
LIB="$TARGET/$DIR/libtsunagu_mobile.so"
# The generator (uniffi's `cli`: clap, askama, goblin, cargo_metadata … ~50 more crates, minutes
# cold) is cached in $TSUNAGU_CACHE/uniffi-bindgen, keyed by the uniffi crates' versions in
# Cargo.lock and uniffi-bindgen.rs, and built from this workspace only when missing.
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
KEY=$( (grep -A1 '^name = "uniffi' "$ROOT/Cargo.lock"; cat "$HERE/uniffi-bindgen.rs") | sha256sum | cut -c1-16)
BINDGEN="$CACHE/uniffi-bindgen/uniffi-bindgen-$KEY"
if [ ! -x "$BINDGEN" ]; then
    cargo build --profile "$PROFILE" -p tsunagu-mobile --features cli --bin uniffi-bindgen
    if mkdir -p "$CACHE/uniffi-bindgen" 2>/dev/null && [ -w "$CACHE/uniffi-bindgen" ]; then
        cp "$TARGET/$DIR/uniffi-bindgen" "$BINDGEN.tmp" && mv "$BINDGEN.tmp" "$BINDGEN"
    else
        BINDGEN="$TARGET/$DIR/uniffi-bindgen"
    fi
fi
rm -rf "$HERE/out"
mkdir -p "$HERE/out/lib" "$HERE/out/kotlin" "$HERE/out/swift"
cp "$LIB" "$HERE/out/lib/"
for lang in kotlin swift; do
    "$BINDGEN" generate "$LIB" --language "$lang" --no-format --out-dir "$HERE/out/$lang" \
        --config "$HERE/uniffi-core.toml"
done
# The hand-written Kotlin views (views/kotlin: RoutingBriefs over the compact batch) ship with the
# generated sources. The Swift ones live in swift/Sources/TsunaguMobile with CalendarDate.swift.
cp "$HERE"/views/kotlin/*.kt "$HERE/out/kotlin/jp/tsunagu/mobile/"
echo "build.sh: $PROFILE library and bindings in $HERE/out ($(( $(date +%s) - start )) s)"

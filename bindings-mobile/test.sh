#!/usr/bin/env bash
# Run the Kotlin tests on the JVM and the Swift XCTest suite (in a Debian 13 chroot), both
# against the library and bindings from build.sh. Fails if either suite fails or cannot run.
# Works from a clean checkout as root: installs what is missing (JNA and, if absent, a JDK from
# Debian; kotlinc from npm; the Swift chroot by swift-chroot.sh) and reuses them from the cache.
#
#   TSUNAGU_CACHE   where tools are kept between runs (default /var/cache/tsunagu):
#                   kotlin/ (npm kotlin-compiler), kotlin-jars/ (compiled jars keyed by the
#                   sha256 of their sources: kotlin-build.sh), swift-trixie/ (the chroot; its pkg/ keeps SwiftPM's
#                   .build between runs)
#   PROFILE         cargo profile of the library under test (default dev: compiles several times
#                   faster than release cold; the bindings are the same; bench.sh uses release)
#   SKIP_BUILD=1    reuse bindings-mobile/out from a previous build.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
KOTLIN_VERSION=2.4.20
T0=$(date +%s)
stamp() { echo "test.sh: $1 ($(( $(date +%s) - T0 )) s)"; }
mkdir -p "$CACHE"

# Tests need no debug info: without it the cold dev build is faster still.
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-false}"
[ "${SKIP_BUILD:-}" = 1 ] || PROFILE="${PROFILE:-dev}" TSUNAGU_CACHE="$CACHE" "$HERE/build.sh"
stamp "built"

# ---------------------------------------------------------------- Kotlin on the JVM
TSUNAGU_CACHE="$CACHE" "$HERE/kotlin-build.sh"
stamp "kotlin compiled"
K="$CACHE/kotlin/node_modules/kotlin-compiler"
CP="/usr/share/java/jna.jar"
BUILD="$HERE/build"
kotlin_rc=0
java -Djna.library.path="$HERE/out/lib" -cp "$BUILD/tests.jar:$BUILD/bindings.jar:$CP:$K/lib/kotlin-stdlib.jar" \
    jp.tsunagu.mobile.tests.MainKt "$ROOT/tests/vectors" "$ROOT/tests/fixtures" "${KOTLIN_BENCH_N:-200}" \
    || kotlin_rc=$?
stamp "kotlin done (rc=$kotlin_rc)"

# ---------------------------------------------------------------- Swift in a Debian 13 chroot
CHROOT="$CACHE/swift-trixie"
TSUNAGU_CACHE="$CACHE" "$HERE/swift-chroot.sh"
stamp "swift chroot ready"
# One run at a time in the shared chroot (its pkg/ and /proc mount).
exec 9>"$CACHE/swift-trixie.lock"
flock 9
PKG="$CHROOT/pkg"
# Keep pkg/.build (SwiftPM's incremental build) and copy only files whose content changed, so an
# unchanged generated Swift file is not compiled again.
sync_file() { # source destination
    mkdir -p "$(dirname "$2")"
    cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}
mkdir -p "$PKG"
sync_file "$HERE/swift/Package.swift" "$PKG/Package.swift"
(cd "$HERE/swift" && find Sources Tests -type f) | while read -r f; do sync_file "$HERE/swift/$f" "$PKG/$f"; done
sync_file "$HERE/out/swift/TsunaguMobile.swift" "$PKG/Sources/TsunaguMobile/TsunaguMobile.swift"
sync_file "$HERE/out/swift/tsunagu_mobileFFI.h" "$PKG/Sources/tsunagu_mobileFFI/tsunagu_mobileFFI.h"
# The core's types (crate `tsunagu`, a second uniffi component in the same library).
sync_file "$HERE/out/swift/TsunaguCore.swift" "$PKG/Sources/TsunaguMobile/TsunaguCore.swift"
sync_file "$HERE/out/swift/tsunaguFFI.h" "$PKG/Sources/tsunagu_mobileFFI/tsunaguFFI.h"
sync_file "$HERE/out/lib/libtsunagu_mobile.so" "$PKG/lib/libtsunagu_mobile.so"
# Files left in pkg/ by a run of another checkout (a renamed or removed source, another branch's
# generated file) would be compiled too: remove every source file this run did not lay down.
expected="$( (cd "$HERE/swift" && find Sources Tests -type f); printf '%s\n' \
    Sources/TsunaguMobile/TsunaguMobile.swift Sources/tsunagu_mobileFFI/tsunagu_mobileFFI.h \
    Sources/TsunaguMobile/TsunaguCore.swift Sources/tsunagu_mobileFFI/tsunaguFFI.h)"
(cd "$PKG" && find Sources Tests -type f 2>/dev/null) | while read -r f; do
    grep -qxF "$f" <<<"$expected" || rm -f "$PKG/$f"
done
rm -rf "$PKG/vectors" "$PKG/fixtures"
cp -r "$ROOT/tests/vectors" "$ROOT/tests/fixtures" "$PKG/"
mountpoint -q "$CHROOT/proc" || mount --bind /proc "$CHROOT/proc"
trap 'umount "$CHROOT/proc" 2>/dev/null || true' EXIT
swift_rc=0
chroot "$CHROOT" env TSUNAGU_DATA=/pkg bash -c \
    'cd /pkg && LD_LIBRARY_PATH=/pkg/lib swift test -Xlinker -L/pkg/lib 2>&1' || swift_rc=$?
umount "$CHROOT/proc"
trap - EXIT
stamp "swift done (rc=$swift_rc)"

if [ "$kotlin_rc" != 0 ] || [ "$swift_rc" != 0 ]; then
    echo "test.sh: FAILED (kotlin rc=$kotlin_rc, swift rc=$swift_rc)"
    exit 1
fi
echo "test.sh: Kotlin and Swift suites passed ($(( $(date +%s) - T0 )) s)"

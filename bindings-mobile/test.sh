#!/usr/bin/env bash
# Run the Kotlin tests on the JVM and the Swift XCTest suite (in a Debian 13 chroot), both
# against the library and bindings from build.sh. Fails if either suite fails or cannot run.
#
#   TSUNAGU_CACHE   where tools are kept between runs (default /var/cache/tsunagu):
#                   $TSUNAGU_CACHE/kotlin (npm kotlin-compiler), $TSUNAGU_CACHE/swift-trixie (chroot)
#   SKIP_BUILD=1    reuse bindings-mobile/out from a previous build.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
KOTLIN_VERSION=2.4.20
T0=$(date +%s)
stamp() { echo "test.sh: $1 ($(( $(date +%s) - T0 )) s)"; }

[ "${SKIP_BUILD:-}" = 1 ] || "$HERE/build.sh"
stamp "built"

# ---------------------------------------------------------------- Kotlin on the JVM
if [ ! -f /usr/share/java/jna.jar ]; then
    apt-get update -qq
    apt-get install -y -qq libjna-java || apt-get install -y -qq libjna-java   # dpkg failed once here
fi
K="$CACHE/kotlin/node_modules/kotlin-compiler"
if [ ! -x "$K/bin/kotlinc" ]; then
    mkdir -p "$CACHE/kotlin"
    (cd "$CACHE/kotlin" && npm install --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
fi
CP="/usr/share/java/jna.jar"
BUILD="$HERE/build"
mkdir -p "$BUILD"
"$K/bin/kotlinc" -nowarn -cp "$CP" $(find "$HERE/out/kotlin" -name '*.kt') "$HERE"/kotlin/*.kt \
    -d "$BUILD/tests.jar" 2>&1 | grep -v '^warning:' || true
[ -f "$BUILD/tests.jar" ] || { echo "test.sh: Kotlin compilation failed"; exit 1; }
stamp "kotlin compiled"
kotlin_rc=0
java -Djna.library.path="$HERE/out/lib" -cp "$BUILD/tests.jar:$CP:$K/lib/kotlin-stdlib.jar" \
    jp.tsunagu.mobile.tests.MainKt "$ROOT/tests/vectors" "$ROOT/tests/fixtures" "${KOTLIN_BENCH_N:-200}" \
    || kotlin_rc=$?
stamp "kotlin done (rc=$kotlin_rc)"

# ---------------------------------------------------------------- Swift in a Debian 13 chroot
CHROOT="$CACHE/swift-trixie"
TSUNAGU_CACHE="$CACHE" "$HERE/swift-chroot.sh"
PKG="$CHROOT/pkg"
rm -rf "$PKG"
mkdir -p "$PKG/lib"
cp -r "$HERE/swift/Package.swift" "$HERE/swift/Sources" "$HERE/swift/Tests" "$PKG/"
cp "$HERE/out/swift/TsunaguMobile.swift" "$PKG/Sources/TsunaguMobile/"
cp "$HERE/out/swift/tsunagu_mobileFFI.h" "$PKG/Sources/tsunagu_mobileFFI/"
cp "$HERE/out/lib/libtsunagu_mobile.so" "$PKG/lib/"
cp -r "$ROOT/tests/vectors" "$ROOT/tests/fixtures" "$PKG/"
mount --bind /proc "$CHROOT/proc"
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
echo "test.sh: Kotlin and Swift suites passed"

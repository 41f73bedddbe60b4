#!/usr/bin/env bash
# Boundary benchmark (not a test): route N households and append N events (one batch call each)
# from Kotlin through uniffi + JNA, against the same work in Rust (examples/bench.rs), one run
# each, and print the Kotlin/Rust ratios. Needs build.sh and test.sh's tools (kotlinc, JNA).
#   N (default 10000); SKIP_BUILD=1 reuses out/ and build/tests.jar.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
N="${N:-10000}"
K="$CACHE/kotlin/node_modules/kotlin-compiler"
CP="/usr/share/java/jna.jar"
if [ "${SKIP_BUILD:-}" != 1 ]; then
    "$HERE/build.sh"
    mkdir -p "$HERE/build"
    "$K/bin/kotlinc" -nowarn -cp "$CP" $(find "$HERE/out/kotlin" -name '*.kt') "$HERE"/kotlin/*.kt -d "$HERE/build/tests.jar"
fi
cd "$ROOT"
rust=$(cargo run -q --release -p tsunagu-mobile --features cli --example bench -- "$N")
kotlin=$(java -Djna.library.path="$HERE/out/lib" -cp "$HERE/build/tests.jar:$CP:$K/lib/kotlin-stdlib.jar" \
    jp.tsunagu.mobile.tests.MainKt bench "$N")
echo "$rust"
echo "$kotlin"
for op in route_batch append_batch; do
    r=$(echo "$rust" | awk -v op="$op" '$2==op {sub("ms=","",$4); print $4}')
    k=$(echo "$kotlin" | awk -v op="$op" '$2==op {sub("ms=","",$4); print $4}')
    awk -v op="$op" -v r="$r" -v k="$k" -v n="$N" 'BEGIN { printf "%-13s n=%d  rust %8.1f ms  kotlin %8.1f ms  ratio %.2fx\n", op, n, r, k, k/r }'
done

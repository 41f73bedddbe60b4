#!/usr/bin/env bash
# Boundary benchmark (not a test): route N households (with explanations; brief; brief from one
# JSON array; compact from one JSON array, the call alone and with every household read through
# the view) and append N events, one batch call each, from Kotlin through uniffi + JNA against
# the same calls in Rust (examples/bench.rs); one run each; prints the Kotlin/Rust ratios.
#   N (default 10000); SKIP_BUILD=1 reuses out/ and build/*.jar. Always the release profile.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
N="${N:-10000}"
K="$CACHE/kotlin/node_modules/kotlin-compiler"
CP="/usr/share/java/jna.jar"
if [ "${SKIP_BUILD:-}" != 1 ]; then
    PROFILE=release "$HERE/build.sh"
    TSUNAGU_CACHE="$CACHE" "$HERE/kotlin-build.sh"
fi
cd "$ROOT"
rust=$(cargo run -q --release -p tsunagu-mobile --example bench -- "$N")
kotlin=$(java -Djna.library.path="$HERE/out/lib" -cp "$HERE/build/tests.jar:$HERE/build/bindings.jar:$CP:$K/lib/kotlin-stdlib.jar" \
    jp.tsunagu.mobile.tests.MainKt bench "$N")
echo "$rust"
echo "$kotlin"
for op in route_batch route_batch_brief route_batch_json route_batch_compact route_batch_compact_read append_batch; do
    r=$(echo "$rust" | awk -v op="$op" '$2==op {sub("ms=","",$4); print $4}')
    k=$(echo "$kotlin" | awk -v op="$op" '$2==op {sub("ms=","",$4); print $4}')
    awk -v op="$op" -v r="$r" -v k="$k" -v n="$N" 'BEGIN { printf "%-26s n=%d  rust %8.1f ms  kotlin %8.1f ms  ratio %.2fx\n", op, n, r, k, k/r }'
done

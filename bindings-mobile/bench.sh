#!/usr/bin/env bash
# Boundary benchmark (not a test): route N households (with explanations; brief; brief from one
# JSON array; compact from one JSON array, the call alone and with every household read through
# the view) and append N events, one batch call each, from Kotlin through uniffi +
# JNA against the same calls in Rust (examples/bench.rs); each: 5 untimed calls then 5 timed ones.
# Prints the Kotlin/Rust ratios of the median wall time and of the median process CPU time (every
# thread: CLOCK_PROCESS_CPUTIME_ID on both sides), of the minimum wall times, and the load average
# at the start and the end.
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
echo "load average at the start: $(cat /proc/loadavg)"
cd "$ROOT"
rust=$(cargo run -q --release -p tsunagu-mobile --example bench -- "$N")
kotlin=$(java -Djna.library.path="$HERE/out/lib" -cp "$HERE/build/tests.jar:$HERE/build/bindings.jar:$CP:$K/lib/kotlin-stdlib.jar" \
    jp.tsunagu.mobile.tests.MainKt bench "$N")
echo "$rust"
echo "$kotlin"
for op in route_batch route_batch_brief route_batch_json route_batch_compact route_batch_compact_read append_batch; do
    field() { echo "$1" | awk -v op="$op" -v key="$2" '$2==op { for (i = 3; i <= NF; i++) if (index($i, key "=") == 1) { sub(key "=", "", $i); print $i } }'; }
    r=$(field "$rust" ms); k=$(field "$kotlin" ms); rc=$(field "$rust" cpu_ms); kc=$(field "$kotlin" cpu_ms)
    rm_=$(field "$rust" min_ms); km=$(field "$kotlin" min_ms)
    awk -v op="$op" -v r="$r" -v k="$k" -v rc="$rc" -v kc="$kc" -v rm="$rm_" -v km="$km" -v n="$N" 'BEGIN {
        printf "%-25s n=%d  wall: rust %7.1f kotlin %7.1f ms %5.2fx (min %5.2fx)  cpu: rust %7.1f kotlin %7.1f ms %5.2fx\n", op, n, r, k, k/r, km/rm, rc, kc, kc/rc }'
done
echo "load average at the end: $(cat /proc/loadavg)"

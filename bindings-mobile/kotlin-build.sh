#!/usr/bin/env bash
# Compile the generated Kotlin bindings (out/kotlin) and the Kotlin tests and bench (kotlin/) into
# build/bindings.jar and build/tests.jar; used by test.sh and bench.sh. Installs what is missing
# (a JDK and JNA from Debian, kotlinc from npm into $TSUNAGU_CACHE/kotlin).
#
# kotlinc is slow (minutes for the 4k-line generated file on a loaded 2-core machine), so the jars
# are cached in $TSUNAGU_CACHE/kotlin-jars by the sha256 of exactly what they are compiled from:
# the compiler version and the generated bindings, then that key and the test sources. Same
# sources, same compiler: same jar.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
KOTLIN_VERSION=2.4.20
apt_install() {
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"   # dpkg failed once here
}
command -v java >/dev/null || apt_install openjdk-17-jdk-headless
[ -f /usr/share/java/jna.jar ] || apt_install libjna-java
K="$CACHE/kotlin/node_modules/kotlin-compiler"
if [ ! -x "$K/bin/kotlinc" ]; then
    mkdir -p "$CACHE/kotlin"
    (cd "$CACHE/kotlin" && npm install --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
fi
CP="/usr/share/java/jna.jar"
JARS="$CACHE/kotlin-jars"
mkdir -p "$HERE/build" "$JARS"
compile() { # name key classpath sources... -> build/<name>.jar
    local name=$1 key=$2 cp=$3; shift 3
    local jar="$JARS/$name-$key.jar"
    if [ -f "$jar" ]; then
        echo "kotlin-build.sh: $name.jar from the cache ($key)"
    else
        rm -f "$jar.tmp.jar"
        "$K/bin/kotlinc" -nowarn -cp "$cp" "$@" -d "$jar.tmp.jar" 2>&1 | grep -v '^warning:' || true
        [ -f "$jar.tmp.jar" ] || { echo "kotlin-build.sh: Kotlin compilation of $name failed"; exit 1; }
        mv "$jar.tmp.jar" "$jar"
        echo "kotlin-build.sh: $name.jar compiled ($key)"
    fi
    cp "$jar" "$HERE/build/$name.jar"
}
mapfile -t GEN < <(find "$HERE/out/kotlin" -name '*.kt' | sort)
mapfile -t TESTS < <(find "$HERE/kotlin" -name '*.kt' | sort)
[ "${#GEN[@]}" -gt 0 ] || { echo "kotlin-build.sh: no generated bindings in out/kotlin (run build.sh)"; exit 1; }
GEN_KEY=$( (echo "kotlin $KOTLIN_VERSION"; cat "${GEN[@]}") | sha256sum | cut -c1-16)
compile bindings "$GEN_KEY" "$CP" "${GEN[@]}"
TESTS_KEY=$( (echo "$GEN_KEY"; cat "${TESTS[@]}") | sha256sum | cut -c1-16)
compile tests "$TESTS_KEY" "$CP:$HERE/build/bindings.jar" "${TESTS[@]}"

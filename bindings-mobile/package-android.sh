#!/usr/bin/env bash
# Assemble an Android library (AAR) layout from whatever Android .so files exist:
#   $CARGO_TARGET_DIR/aarch64-linux-android/release/libtsunagu_mobile.so  -> jni/arm64-v8a/
#   $CARGO_TARGET_DIR/x86_64-linux-android/release/libtsunagu_mobile.so   -> jni/x86_64/
# plus the generated Kotlin sources (out/kotlin) for the app's source set. Build the .so files
# first with cargo-ndk (see PACKAGING.md); ABIs without a library are reported and skipped.
# Output: out/android/tsunagu-mobile.aar (zip: AndroidManifest.xml, classes.jar if kotlinc
# and an android.jar are given, jni/<abi>/libtsunagu_mobile.so, R.txt) and out/android/jniLibs/.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$HERE/out/android"
rm -rf "$OUT"; mkdir -p "$OUT/aar/jni" "$OUT/jniLibs"
found=0
for pair in "aarch64-linux-android:arm64-v8a" "x86_64-linux-android:x86_64" "armv7-linux-androideabi:armeabi-v7a"; do
    triple="${pair%%:*}"; abi="${pair##*:}"
    so="$TARGET/$triple/release/libtsunagu_mobile.so"
    if [ -f "$so" ]; then
        mkdir -p "$OUT/aar/jni/$abi" "$OUT/jniLibs/$abi"
        cp "$so" "$OUT/aar/jni/$abi/"; cp "$so" "$OUT/jniLibs/$abi/"
        echo "package-android.sh: $abi <- $so"; found=$((found + 1))
    else
        echo "package-android.sh: no library for $abi ($so missing; build it with cargo ndk -t $abi)"
    fi
done
cat > "$OUT/aar/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="jp.tsunagu.mobile">
    <uses-sdk android:minSdkVersion="24" />
</manifest>
XML
: > "$OUT/aar/R.txt"
if [ -d "$HERE/out/kotlin" ]; then
    mkdir -p "$OUT/kotlin"; cp -r "$HERE/out/kotlin/." "$OUT/kotlin/"
fi
# classes.jar: compile the generated Kotlin against JNA when a compiler is at hand (the app may
# instead add out/android/kotlin to its source set and depend on net.java.dev.jna:jna@aar).
K="${TSUNAGU_CACHE:-/var/cache/tsunagu}/kotlin/node_modules/kotlin-compiler"
if [ -x "$K/bin/kotlinc" ] && [ -f /usr/share/java/jna.jar ] && [ -d "$OUT/kotlin" ]; then
    "$K/bin/kotlinc" -nowarn -cp /usr/share/java/jna.jar $(find "$OUT/kotlin" -name '*.kt') -d "$OUT/classes.jar" 2>/dev/null \
        && cp "$OUT/classes.jar" "$OUT/aar/classes.jar"
fi
[ -f "$OUT/aar/classes.jar" ] || (cd "$OUT" && mkdir -p empty && jar cf aar/classes.jar -C empty . 2>/dev/null || true)
(cd "$OUT/aar" && rm -f ../tsunagu-mobile.aar && jar cfM ../tsunagu-mobile.aar . 2>/dev/null || zip -qr ../tsunagu-mobile.aar .)
echo "package-android.sh: $OUT/tsunagu-mobile.aar with $found ABI(s)"
[ "$found" -gt 0 ] || echo "package-android.sh: WARNING: no Android library found; the AAR has no native code"

#!/usr/bin/env bash
# Report the bundle size (gzipped wasm + JS glue; budget 250 KB) and calls per second from
# JavaScript in headless Chromium. Builds the package first unless SKIP_BUILD=1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "${SKIP_BUILD:-}" = 1 ] || "$HERE/build.sh"
node "$HERE/tests/e2e/bench.mjs" | tee "$HERE/artifacts/bench.json"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const kb = (n) => (n / 1024).toFixed(1) + " KB";
console.log(`widgets module (pkg/): wasm ${kb(r.size.wasm_bytes)} raw, ${kb(r.size.wasm_gzip)} gz; js ${kb(r.size.js_gzip)} gz; total ${kb(r.size.total_gzip)} gz (budget 250 KB: ${r.size.total_gzip <= 250 * 1024 ? "within" : "OVER"})`);
const f = r.size.full;
if (f) console.log(`full module (pkg/full/): wasm ${kb(f.wasm_bytes)} raw, ${kb(f.wasm_gzip)} gz; total ${kb(f.total_gzip)} gz`);
for (const [k, v] of Object.entries(r.calls)) console.log(`${k}: ${v ?? "n/a"}`);
' "$HERE/artifacts/bench.json"

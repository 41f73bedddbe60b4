#!/usr/bin/env bash
# Install bindings-wasm's npm dev packages (binaryen's wasm-opt, typescript, playwright-core) from
# package-lock.json with `npm ci` when one is missing or not the locked version. Idempotent; used
# by build.sh and test.sh so that both work from a clean checkout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v npm >/dev/null 2>&1 || {
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}
fresh=1
for dep in binaryen typescript playwright-core; do
  want="$(node -e 'const l = require(process.argv[1]); process.stdout.write(l.packages["node_modules/" + process.argv[2]]?.version ?? "")' "$HERE/package-lock.json" "$dep")"
  have="$(node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' "$HERE/node_modules/$dep/package.json")"
  [ -n "$want" ] && [ "$want" = "$have" ] || fresh=0
done
if [ "$fresh" != 1 ]; then
  echo "[npm-deps] npm ci in bindings-wasm/" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --silent)
fi

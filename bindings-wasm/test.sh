#!/usr/bin/env bash
# Build the package (build.sh), then run the binding's tests:
#   - cargo test -p tsunagu-wasm (the TypeScript types are fresh; writes the journal fixture)
#   - node tests on pkg-node/ (binding behaviour and every conformance vector)
#   - tsc type-check of a TypeScript consumer against pkg/
#   - end-to-end test of the demo page in headless Chromium (screenshots in artifacts/)
# Prints a closing line "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
passed=0
failed=0
count() { # count LOG: add node:test's "# pass N" / "# fail N" totals
  local p f
  p=$(awk '/^# pass /{print $3}' "$1" | tail -1); f=$(awk '/^# fail /{print $3}' "$1" | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ -z "$p" ] && [ -z "$f" ]; then failed=$((failed + 1)); fi
}
step() { # step NAME CMD...: a single pass/fail step
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "not ok - $name"; fi
}

if [ "${SKIP_BUILD:-}" != 1 ]; then
  if ! "$HERE/build.sh"; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi
fi

# npm dev packages (typescript, playwright-core), when the build was skipped.
"$HERE/scripts/npm-deps.sh" || { echo "npm install failed"; echo "0 passed, 1 failed"; exit 1; }

# Headless Chromium, a Japanese font for the screenshots, and pdftotext (poppler-utils) to read the
# printed forms back (Debian packages).
missing=()
for p in chromium fonts-ipafont-gothic poppler-utils; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "typescript types are fresh, journal fixtures written (cargo test -p tsunagu-wasm)" \
  bash -c "cd '$ROOT' && cargo test -q -p tsunagu-wasm --test types --test fixtures >/dev/null 2>&1"

step "tsc: a TypeScript consumer type-checks against pkg/" \
  "$HERE/node_modules/.bin/tsc" -p "$HERE/tests/ts/tsconfig.json"

log="$(mktemp)"
node --test --test-reporter=tap "$HERE"/tests/node/*.test.mjs | tee "$log" | grep -E '^(not ok|# (pass|fail))' ; count "$log"
node --test --test-reporter=tap --test-concurrency=1 "$HERE"/tests/e2e/*.e2e.mjs | tee "$log" | grep -E '^(not ok|# (pass|fail))|^ +(error|expected|actual):' ; count "$log"
rm -f "$log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

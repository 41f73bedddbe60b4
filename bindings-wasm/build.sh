#!/usr/bin/env bash
# Build the tsunagu WebAssembly package.
#
#   bindings-wasm/pkg/       ES module package for bundlers and <script type="module"> (wasm-bindgen
#                            --target web), with package.json, .d.ts, the widgets and the optimised
#                            .wasm: the widgets' module at the root, the full module in pkg/full/
#   bindings-wasm/pkg-node/  the full module for Node (--target nodejs), used by the node tests;
#                            pkg-node/lite/ the widgets' module
#
# Toolchain: a rustup wasm32-unknown-unknown target when installed; otherwise Debian's rustc-web
# (1.96 + std sources) with -Zbuild-std, linked by Debian's wasm-ld. Missing pieces are installed:
# apt packages (rustc-web cargo-web rust-web-src lld binaryen), wasm-bindgen-cli at exactly the
# version in Cargo.lock, npm dev packages (binaryen's wasm-opt as a fallback, typescript,
# playwright-core). Set TSUNAGU_WASM_DEBUG=1 for an unoptimised debug build.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET_DIR="${TSUNAGU_WASM_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/wasm}"
CRATE=tsunagu_wasm
log() { printf '[build.sh] %s\n' "$*" >&2; }

need_apt=()
ensure_apt() { # ensure_apt PACKAGE...: install the Debian packages that are missing
  need_apt=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
  if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
}

# --- Rust toolchain for wasm32 -------------------------------------------------------------------
CARGO_CMD=(cargo)
BUILD_STD=()
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "using rustup's wasm32-unknown-unknown target"
  ENV_PREFIX=()
else
  log "no rustup wasm32 target: Debian rustc-web with -Zbuild-std"
  ensure_apt rustc-web cargo-web rust-web-src lld
  ENV_PREFIX=(env "PATH=/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld)
  CARGO_CMD=(/usr/bin/cargo)
  BUILD_STD=(-Zbuild-std=std,panic_abort)
fi

# --- wasm-bindgen-cli, exactly the library's version ---------------------------------------------
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
[ -n "$WB_VERSION" ] || { log "wasm-bindgen not found in Cargo.lock"; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$WB_VERSION"
fi

# --- npm dev packages (binaryen's wasm-opt, typescript, playwright-core) --------------------------
command -v node >/dev/null 2>&1 || ensure_apt nodejs npm
"$HERE/scripts/npm-deps.sh"

# --- compile -------------------------------------------------------------------------------------
# Two modules (see README "Two modules"): the widgets' module (crate tsunagu-wasm-lite: no
# records API, under the 250 KB budget) and the full one (crate tsunagu-wasm, feature `records`).
# Separate cargo invocations, or cargo would unify the features; the core is compiled once.
PROFILE=wasm
PROFILE_ARGS=(--profile wasm
  --config 'profile.wasm.inherits="release"' --config 'profile.wasm.opt-level="z"'
  --config 'profile.wasm.lto=true' --config 'profile.wasm.codegen-units=1'
  --config 'profile.wasm.panic="abort"' --config 'profile.wasm.debug=false')
if [ "${TSUNAGU_WASM_DEBUG:-}" = 1 ]; then PROFILE=debug; PROFILE_ARGS=(); fi
for pkg in tsunagu-wasm-lite tsunagu-wasm; do
  log "cargo build -p $pkg ($PROFILE)"
  (cd "$ROOT" && "${ENV_PREFIX[@]}" CARGO_TARGET_DIR="$TARGET_DIR" "${CARGO_CMD[@]}" build -q \
    --target wasm32-unknown-unknown "${BUILD_STD[@]}" -p "$pkg" "${PROFILE_ARGS[@]}")
done
OUT="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE"

# --- bindgen + optimise --------------------------------------------------------------------------
#   pkg/            widgets' module, web target (the package's main module)
#   pkg/full/       full module, web target
#   pkg-node/       full module, Node (the node tests and the conformance vectors)
#   pkg-node/lite/  widgets' module, Node
rm -rf "$HERE/pkg" "$HERE/pkg-node"
bindgen() { # bindgen WASM TARGET DIR
  wasm-bindgen --target "$2" --out-name "$CRATE" --out-dir "$3" "$1"
  node "$HERE/scripts/patch-glue.mjs" "$3/$CRATE.js"
}
bindgen "$OUT/${CRATE}_lite.wasm" web "$HERE/pkg"
bindgen "$OUT/$CRATE.wasm" web "$HERE/pkg/full"
bindgen "$OUT/$CRATE.wasm" nodejs "$HERE/pkg-node"
bindgen "$OUT/${CRATE}_lite.wasm" nodejs "$HERE/pkg-node/lite"
printf '{ "type": "commonjs" }\n' > "$HERE/pkg-node/package.json"
# wasm-opt -Oz: a system binaryen of version 116 or later (native, fast), else the npm binaryen's
# (current release, runs on Node). Debian's 108 produces a module that validates but fails to
# instantiate (it turns the externref table into a funcref table), so it is not used.
WASM_OPT_FLAGS=(-Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers)
WASM_OPT="$HERE/node_modules/.bin/wasm-opt"
if command -v wasm-opt >/dev/null 2>&1; then
  v="$(wasm-opt --version | grep -o '[0-9]\+' | head -1)"
  if [ "${v:-0}" -ge 116 ]; then WASM_OPT="$(command -v wasm-opt)"; fi
fi
if [ "${TSUNAGU_WASM_DEBUG:-}" != 1 ]; then
  log "wasm-opt -Oz ($WASM_OPT)"
  # The web and Node outputs of one module are usually the same bytes: optimise each once.
  declare -A done_sum=()
  for f in "$HERE"/pkg/${CRATE}_bg.wasm "$HERE"/pkg/full/${CRATE}_bg.wasm; do
    done_sum["$(sha256sum < "$f" | cut -d' ' -f1)"]="$f"
  done
  pids=()
  for f in "${done_sum[@]}"; do
    ( "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" -o "$f.opt" "$f" ) & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for f in "$HERE"/pkg-node/${CRATE}_bg.wasm "$HERE"/pkg-node/lite/${CRATE}_bg.wasm; do
    same="${done_sum["$(sha256sum < "$f" | cut -d' ' -f1)"]:-}"
    if [ -n "$same" ]; then cp "$same.opt" "$f"; else "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" -o "$f" "$f"; fi
  done
  for f in "${done_sum[@]}"; do mv "$f.opt" "$f"; done
fi
# The optimised modules must still load and run; the widgets' module has no Registry.
node -e 'const t = require(process.argv[1]); if (t.parseEraDate("R5.11.16") !== "2023-11-16" || typeof t.Registry !== "function") process.exit(1)' \
  "$HERE/pkg-node/$CRATE.js" || { log "the built module does not load"; exit 1; }
node -e 'const t = require(process.argv[1]); if (t.parseEraDate("R5.11.16") !== "2023-11-16" || t.Registry !== undefined) process.exit(1)' \
  "$HERE/pkg-node/lite/$CRATE.js" || { log "the built widgets module does not load"; exit 1; }

# --- package -------------------------------------------------------------------------------------
cp -r "$HERE/widgets" "$HERE/pkg/widgets"
VERSION="$(awk -F'"' '/^version = / {print $2; exit}' "$ROOT/Cargo.toml")"
cat > "$HERE/pkg/package.json" <<JSON
{
  "name": "tsunagu",
  "version": "$VERSION",
  "description": "tsunagu (つなぐ): domain engine for Japan's multi-layered community-welfare support system, as WebAssembly, with intake and eco-map widgets",
  "license": "Apache-2.0",
  "type": "module",
  "main": "./${CRATE}.js",
  "module": "./${CRATE}.js",
  "types": "./${CRATE}.d.ts",
  "exports": {
    ".": { "types": "./${CRATE}.d.ts", "default": "./${CRATE}.js" },
    "./full": { "types": "./full/${CRATE}.d.ts", "default": "./full/${CRATE}.js" },
    "./widgets": { "types": "./widgets/index.d.ts", "default": "./widgets/index.js" },
    "./${CRATE}_bg.wasm": "./${CRATE}_bg.wasm",
    "./full/${CRATE}_bg.wasm": "./full/${CRATE}_bg.wasm"
  },
  "files": ["${CRATE}.js", "${CRATE}.d.ts", "${CRATE}_bg.wasm", "${CRATE}_bg.wasm.d.ts", "full/", "widgets/"],
  "sideEffects": ["./widgets/index.js"]
}
JSON
log "built $(du -b "$HERE/pkg/${CRATE}_bg.wasm" | cut -f1) bytes of wasm (widgets' module) and $(du -b "$HERE/pkg/full/${CRATE}_bg.wasm" | cut -f1) (full) into pkg/ and pkg-node/"

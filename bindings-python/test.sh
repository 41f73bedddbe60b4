#!/usr/bin/env bash
# Build the tsunagu wheel and run the Python test suite (pytest, conformance vectors, Dask,
# stubtest). Works on a fresh machine with Rust and Python 3.10+:
#   bindings-python/test.sh            # venv at $TSUNAGU_VENV (default below)
# The venv lives outside the checkout (default /var/cache/tsunagu/python-venv when that directory
# is writable, else bindings-python/.venv) and is reused across runs: the pinned requirements are
# installed only when the venv is new or the pin list changed (a stamp file records its hash).
# An empty or missing cache just means a first, slower run.
# maturin gets its own target dir ($TSUNAGU_MATURIN_TARGET; default python-target in the same
# cache, else bindings-python/target) so it does not rebuild pyo3 against a plain cargo build of
# the workspace, and CI runs build incrementally.
# The wheel under test is built with the dev profile without debug info (about half the cold
# build time of --release; the behaviour tested is the same, with overflow checks on).
# TSUNAGU_RELEASE=1 builds the optimised wheel instead (for bench.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
if [ -z "${TSUNAGU_VENV:-}" ]; then
  if mkdir -p "$cache_root" 2>/dev/null && [ -w "$cache_root" ]; then
    TSUNAGU_VENV="$cache_root/python-venv"
  else
    TSUNAGU_VENV="$here/.venv"
  fi
fi
venv="$TSUNAGU_VENV"
if [ -z "${TSUNAGU_MATURIN_TARGET:-}" ]; then
  if [ -w "$cache_root" ]; then
    TSUNAGU_MATURIN_TARGET="$cache_root/python-target"
  else
    TSUNAGU_MATURIN_TARGET="$here/target"
  fi
fi
target="$TSUNAGU_MATURIN_TARGET"
python="${PYTHON:-python3}"

# Pinned versions checked to install and work together here (Python 3.11, November 2026).
requirements=(
  "maturin==1.16.0" "pytest==9.2.0" "pandas==3.1.1" "pyarrow==26.0.1" "polars==2.1.0"
  "duckdb==2.0.1" "dask[distributed]==2026.8.0" "mypy==2.4.1"
)
stamp_value="$("$python" --version 2>&1) ${requirements[*]}"

# One run at a time per venv: the wheel is installed into it and tested from it.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "pass" 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
if [ "$(cat "$venv/.tsunagu-stamp" 2>/dev/null || true)" != "$stamp_value" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q "${requirements[@]}"
  printf '%s' "$stamp_value" >"$venv/.tsunagu-stamp"
else
  echo "test.sh: reusing venv $venv (requirements unchanged)"
fi

cd "$here"
rm -rf "$here/dist"
if [ "${TSUNAGU_RELEASE:-0}" = "1" ]; then
  CARGO_TARGET_DIR="$target" "$venv/bin/maturin" build --release --out "$here/dist" -i "$venv/bin/python"
else
  CARGO_TARGET_DIR="$target" CARGO_PROFILE_DEV_DEBUG=0 \
    "$venv/bin/maturin" build --out "$here/dist" -i "$venv/bin/python"
fi
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$here"/dist/tsunagu-*.whl

# The SQLite journal the Rust tour writes, for tests/test_casebook.py (Python reads the
# library's own store). Built in maturin's target dir: the core alone, no pyo3.
tour_dir="$(mktemp -d)"
trap 'rm -rf "$tour_dir"' EXIT
(cd "$here/.." && CARGO_TARGET_DIR="$target" cargo run -q -p tsunagu --example tour -- "$tour_dir/tour.journal.sqlite" >/dev/null)
export TSUNAGU_TOUR_JOURNAL="$tour_dir/tour.journal.sqlite"

# Run from a directory without the sources, so the installed wheel is what is tested.
cd "$here/tests"
set +e
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test.sh: pytest collected no tests — failing" >&2
  exit 1
fi
exit "$rc"

#!/usr/bin/env bash
# Build the tsunagu wheel and run the Python test suite (pytest, conformance vectors, Dask,
# stubtest). Works on a fresh machine with Rust and Python 3.10+:
#   bindings-python/test.sh            # venv at bindings-python/.venv (or $TSUNAGU_VENV)
# maturin gets its own target dir (bindings-python/target, or $TSUNAGU_MATURIN_TARGET) so it does
# not rebuild pyo3 against a plain cargo build of the workspace.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${TSUNAGU_VENV:-$here/.venv}"
target="${TSUNAGU_MATURIN_TARGET:-$here/target}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
# Pinned versions checked to install and work together here (Python 3.11, November 2026).
"$venv/bin/python" -m pip install -q \
  "maturin==1.16.0" "pytest==9.2.0" "pandas==3.1.1" "pyarrow==26.0.1" "polars==2.1.0" \
  "duckdb==2.0.1" "dask[distributed]==2026.8.0" "mypy==2.4.1"

cd "$here"
rm -rf "$here/dist"
CARGO_TARGET_DIR="$target" "$venv/bin/maturin" build --release --out "$here/dist" -i "$venv/bin/python"
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$here"/dist/tsunagu-*.whl

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

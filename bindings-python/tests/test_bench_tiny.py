"""The benchmark script at its tiny size: checks that it runs and that its internal cross-checks
(core report == end-to-end report; pandas group-bys == report figures) hold. No timing asserted."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parents[1] / "bench.py"


def test_bench_tiny(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "figures.json"
    r = subprocess.run([sys.executable, str(BENCH), "--size", "tiny", "--dir", str(tmp_path), "--json", str(out)],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    figures = json.loads(out.read_text())
    assert figures["contacts"] == 20_000 and figures["events"] > 20_000
    assert figures["ledger_build_s"] > 0 and figures["python_ledger_load_s"] > 0

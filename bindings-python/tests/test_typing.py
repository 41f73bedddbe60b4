from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def test_stubtest() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy.stubtest", "tsunagu", "--ignore-missing-stub"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_on_typed_example() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(HERE / "typed_example.py")],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr

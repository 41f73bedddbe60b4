from __future__ import annotations

import json
import pathlib
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tsunagu", *args], capture_output=True, text=True, check=False)


def test_report_formats(ishinomaki_journal: pathlib.Path) -> None:
    j = run("report", str(ishinomaki_journal), "--fiscal-year", "2020", "--format", "json")
    assert j.returncode == 0, j.stderr
    data = json.loads(j.stdout)
    assert data["contacts"]["total"] == 481 and data["first_consultations"]["single"] == 13
    c = run("report", str(ishinomaki_journal), "-y", "令和2年度", "-f", "csv")
    assert c.returncode == 0, c.stderr
    assert "contacts_total,total,計,481" in c.stdout
    t = run("report", str(ishinomaki_journal), "-y", "R2年度")
    assert t.returncode == 0 and "令和2年度" in t.stdout and "481" in t.stdout


def test_validate_taxonomy(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "ext.toml"
    good.write_text('[[issues]]\ncode = "pet_care"\nja = "ペット"\nen = "Pet care"\ndomain = "welfare"\n', encoding="utf-8")
    r = run("validate", "taxonomy", str(good))
    assert r.returncode == 0 and "ok" in r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"issues": [{"code": "hikikomori", "ja": "x", "en": "x", "domain": "isolation"}]}', encoding="utf-8")
    r = run("validate", "taxonomy", str(bad))
    assert r.returncode == 1 and "duplicate_code" in r.stderr
    assert run("validate", "rules", str(good)).returncode == 2
    assert run("report", str(tmp_path / "missing.jsonl"), "-y", "2020").returncode != 0

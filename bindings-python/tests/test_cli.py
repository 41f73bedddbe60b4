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
    assert run("report", str(tmp_path / "missing.jsonl"), "-y", "2020").returncode != 0


def test_rules_check(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "rules.toml"
    good.write_text(
        'remove = ["window.hospital_discharge"]\n', encoding="utf-8")
    r = run("rules", "check", str(good))
    assert r.returncode == 0 and "ok" in r.stdout, r.stderr
    assert run("validate", "rules", str(good)).returncode == 0
    # Standalone, there is nothing to remove.
    s = run("rules", "check", "--standalone", str(good))
    assert s.returncode == 1 and "unknown_rule" in s.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [
        {"id": "x.a", "description": {"ja": "a", "en": "a"}, "priority": "high",
         "when": {"has_issue": {"codes": ["no_such_issue"]}}, "then": {"agency_kind": "community_general_support_center"}},
        {"id": "x.b", "description": {"ja": "b", "en": "b"}, "priority": 1, "when": {"all": []}, "then": {}},
    ]}), encoding="utf-8")
    r = run("rules", "check", str(bad))
    assert r.returncode == 1
    lines = [line for line in r.stderr.splitlines() if line.startswith("  ")]
    assert len(lines) == 4, r.stderr
    assert "wrong_type rule x.a at $.rules[0].priority" in r.stderr
    assert "empty_outcome rule x.b at $.rules[1].then" in r.stderr
    j = run("rules", "check", "--format", "json", str(bad))
    assert j.returncode == 1
    assert [p["code"] for p in json.loads(j.stdout)["problems"]] == [
        "wrong_type", "unknown_code", "empty_condition", "empty_outcome"]
    assert run("validate", "rules", str(bad)).returncode == 1
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rules]\n", encoding="utf-8")
    b = run("rules", "check", str(broken))
    assert b.returncode == 1 and "malformed_document" in b.stderr
    assert run("rules", "check", str(tmp_path / "missing.toml")).returncode == 2
    show = run("rules", "show", str(good))
    assert show.returncode == 0
    ids = [rule["id"] for rule in json.loads(show.stdout)["rules"]]
    assert "window.elderly" in ids and "window.hospital_discharge" not in ids

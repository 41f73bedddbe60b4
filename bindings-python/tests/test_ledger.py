"""The statistics ledger (統計台帳): a journal loaded once, reports of any year from it, equal
to the event fold's; partials that merge with the fold's; bad input as typed errors."""

from __future__ import annotations

import pathlib

import pytest

import tsunagu


def test_ledger_reports_equal_the_fold(tmp_path: pathlib.Path) -> None:
    journal = tmp_path / "synthetic.jsonl"
    n = tsunagu.write_synthetic_journal(journal, 300, 3_000, fiscal_year=2022, seed=5)
    from_file = tsunagu.Ledger(journal)
    text = journal.read_text(encoding="utf-8")
    from_text = tsunagu.Ledger(text)
    assert len(from_file) == from_file.events == from_text.events == n
    assert repr(from_file) == f"Ledger(events={n})"
    # Any number of worker threads: each builds its own ledger, merged at the end.
    for threads in (1, 3):
        assert tsunagu.Ledger(journal, threads=threads).annual_report(2022) == from_file.annual_report(2022)
    for year in (2021, 2022, 2023):
        expected = tsunagu.annual_report(journal, year)
        assert from_file.annual_report(year) == expected
        assert from_text.annual_report(tsunagu.FiscalYear(year)) == expected
    # Other age bands from the same ledger, as from the fold.
    bands = {"age_bands": [{"code": "young", "ja": "若年", "min": 0, "max": 39},
                           {"code": "older", "ja": "中高年", "min": 40}]}
    assert from_file.annual_report(2022, bands) == tsunagu.annual_report(journal, 2022, bands)
    # A ledger of the first half merges with a fold of the second half into the whole.
    lines = text.splitlines()
    half = len(lines) // 2
    first = tsunagu.Ledger("\n".join(lines[:half])).partial_report(2022)
    second = tsunagu.PartialReport.from_file(journal, 2022, start=half)
    whole = tsunagu.PartialReport.from_file(journal, 2022)
    assert first.merge(second) == whole
    assert first.merge(second).finish() == from_file.annual_report(2022)


def test_ledger_reproduces_ishinomaki(ishinomaki_journal: pathlib.Path) -> None:
    r = tsunagu.Ledger(ishinomaki_journal).annual_report(2020)
    assert r.first_consultations["total"] == 24
    assert (r.first_consultations["single"], r.first_consultations["continuing"]) == (13, 11)
    assert r.contacts_total == 481
    assert r == tsunagu.annual_report(ishinomaki_journal, 2020)


def test_ledger_bad_input_is_typed(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.jsonl"
    good = tsunagu.ishinomaki_2020().splitlines()
    bad.write_text("\n".join(good[:3] + ["{not json"] + good[3:]), encoding="utf-8")
    with pytest.raises(tsunagu.DocumentError) as e:
        tsunagu.Ledger(bad)
    # The bad line named (1-based), as for the fold of the same file.
    assert e.value.code == "malformed_document" and "line 4" in str(e.value)
    with pytest.raises(tsunagu.DocumentError) as fold_error:
        tsunagu.annual_report(bad, 2020)
    assert str(fold_error.value) == str(e.value)
    with pytest.raises(tsunagu.TsunaguError):
        tsunagu.Ledger(tmp_path / "missing.jsonl")
    ledger = tsunagu.Ledger(tsunagu.ishinomaki_2020())
    with pytest.raises(tsunagu.ValidationError) as v:
        ledger.annual_report(2020, {"age_bands": [{"code": "a", "ja": "a", "min": 10, "max": 5}]})
    assert v.value.code == "invalid_age_bands"

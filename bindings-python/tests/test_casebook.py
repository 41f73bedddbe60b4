"""The case book on the library's own store: Python opens SQLite journals (one written by the
Rust tour, one written from Python), appends to them, and reports and exports from them as from
JSON Lines."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import shutil
import subprocess

import pytest

import tsunagu

D = datetime.date
REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def tour_journal(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The SQLite journal the tour writes (`cargo run -p tsunagu --example tour -- PATH`).
    test.sh writes it before pytest and passes it in TSUNAGU_TOUR_JOURNAL; without it, the tour
    is run here (cargo must be on PATH)."""
    given = os.environ.get("TSUNAGU_TOUR_JOURNAL")
    if given:
        return pathlib.Path(given)
    cargo = shutil.which("cargo")
    assert cargo, "cargo is needed to run the tour (or set TSUNAGU_TOUR_JOURNAL)"
    path = tmp_path_factory.mktemp("tour") / "tour.journal.sqlite"
    subprocess.run([cargo, "run", "-q", "-p", "tsunagu", "--example", "tour", "--", str(path)],
                   cwd=REPO, check=True, capture_output=True)
    return path


def test_python_reads_the_sqlite_journal_the_tour_wrote(tour_journal: pathlib.Path, tmp_path: pathlib.Path) -> None:
    copy = tmp_path / "cases.sqlite"
    shutil.copy(tour_journal, copy)
    book = tsunagu.CaseBook.open(copy)
    n = len(book)
    assert n > 10
    report = book.verify()
    assert report["events"] == n
    case = book.case("c-y")
    assert case is not None and case["subject"] == "y-mother"
    assert [e["command"]["command"] for e in book.events()][:1] == ["register_agency"]
    # The journal's consents and provisions are there: the tour's refused and allowed disclosures.
    assert book.consents() and book.provisions()
    preview = book.preview_disclosure({
        "case": "c-y", "person": "y-mother", "purpose": "support_planning", "on": "2023-07-01",
        "audience": {"type": "meeting", "meeting_type": "support_meeting", "participants_acknowledged": True}})
    assert set(preview) == {"decision", "view"} and preview["decision"]["level"]
    with pytest.raises(tsunagu.NotFoundError) as missing:
        book.preview_disclosure({
            "case": "c-x", "person": "y-mother", "purpose": "support_planning", "on": "2023-07-01",
            "audience": {"type": "meeting", "meeting_type": "support_meeting", "participants_acknowledged": True}})
    assert (missing.value.code, missing.value.path) == ("not_found", "$.case")
    # Reports and exports read the file directly, as they read an open book or the events.
    events = book.events()
    by_book = book.annual_report(2023)
    assert tsunagu.annual_report(copy, 2023) == by_book == tsunagu.annual_report(events, 2023)
    assert tsunagu.annual_report(book, 2023) == by_book
    assert tsunagu.Ledger(copy).annual_report(2023) == by_book == tsunagu.Ledger(book).annual_report(2023)
    assert tsunagu.PartialReport.from_file(copy, 2023).finish() == by_book
    key = b"0123456789abcdef"
    counts = tsunagu.export(events, key, D(2024, 3, 31)).counts()
    assert tsunagu.export(copy, key, D(2024, 3, 31)).counts() == counts
    assert tsunagu.export(book, key, D(2024, 3, 31)).counts() == counts
    assert dict(counts)["cases"] == 1
    # A command appended from Python is in the file when it is opened again. The tour registered
    # a worker, so from then on a command names the worker who executes it.
    log = {"command": "log_contact", "contact": {
        "id": "lc-py", "case": "c-y", "on": "2023-12-01", "agency": "aoba-ward-office",
        "channel": "phone", "purpose": "申請日程の調整", "csw_role": "coordinate"}}
    with pytest.raises(tsunagu.RuleViolationError) as anonymous:
        book.execute(log, D(2023, 12, 1))
    assert anonymous.value.code == "actor_required"
    assert len(book) == n
    book.as_actor("csw-1", "sendai-council").execute(log, D(2023, 12, 1))
    del book
    again = tsunagu.CaseBook.open(copy)
    assert len(again) == n + 1 and again.verify()["events"] == n + 1
    assert any(c["id"] == "lc-py" for c in again.contacts())


def test_a_book_written_from_python_reopens(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "desk.sqlite"
    book = tsunagu.CaseBook.open(path, device="desk-1")
    for a in json.loads((FIXTURES / "sendai_agencies.json").read_text()):
        book.execute({"command": "register_agency", "agency": a}, D(2023, 4, 1))
    household = json.loads((FIXTURES / "y_san_household.json").read_text())
    # The clock may step back between commands: the book records at its last time instead.
    late = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    book.execute({"command": "register_household", "household": household}, D(2023, 6, 5), now=late)
    book.execute_all([{"on": "2023-06-05", "command": {
        "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
        "responsible_window": "sendai-council",
        "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                   "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05"}}}])
    # A rejected batch names the event in the path and appends nothing.
    n = len(book)
    with pytest.raises(tsunagu.NotFoundError) as e:
        book.execute_all([
            {"on": "2023-06-06", "command": {"command": "case", "case": "c-y", "action": {"action": "begin_assessment"}}},
            {"on": "2023-06-06", "command": {"command": "case", "case": "c-x", "action": {"action": "begin_assessment"}}},
        ])
    assert (e.value.code, e.value.path) == ("not_found", "$[1].command.case")
    assert len(book) == n
    assert book.case("c-y") == tsunagu.CaseBook.replay(book.events()).case("c-y")
    del book
    again = tsunagu.CaseBook.open(path)
    assert len(again) == n and again.case("c-y") is not None
    assert again.events()[-1]["command"]["command"] == "open_case"
    # Registry is the same class; a book in memory pickles as its events.
    assert tsunagu.Registry is tsunagu.CaseBook
    assert "CaseBook(events=" in repr(again)


def test_opening_something_else_fails_cleanly(tmp_path: pathlib.Path) -> None:
    bogus = tmp_path / "not-a-journal.sqlite"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(tsunagu.TsunaguError):
        tsunagu.CaseBook.open(bogus)
    with pytest.raises(tsunagu.DocumentError) as e:
        tsunagu.annual_report(tmp_path / "missing.jsonl", 2023)
    assert e.value.path == "$" and "cannot read" in str(e.value)

"""Y-san's case (DOMAIN.md §8) walked as an analyst would, from Python: find her by kana across
windows, see the 名寄せ candidate pair 髙橋/高橋 with its reasons, merge them, and read her
worker's worklist and her case's timeline — as dicts and as Arrow tables (pyarrow, polars)."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import shutil
import subprocess

import pyarrow as pa
import pytest

import tsunagu

D = datetime.date
REPO = pathlib.Path(__file__).resolve().parents[2]
# The persons of the record issue's scenario (tests/vectors/person/y_san_two_windows.json): the
# disability window's 髙橋 由美 (和暦), the poverty window's 高橋由美 (hiragana, 西暦), a neighbour.
VECTOR = json.loads((REPO / "tests" / "vectors" / "person" / "y_san_two_windows.json").read_text(encoding="utf-8"))
REGISTRATIONS = [s["args"] for s in VECTOR["when"] if s["op"] == "execute" and s["args"]["command"]["command"] == "register_person"]
REASONS = ["same_reading_and_birth_date", "same_name_and_birth_date", "same_name_in_area"]


@pytest.fixture()
def windows() -> tsunagu.CaseBook:
    book = tsunagu.CaseBook()
    for r in REGISTRATIONS:
        book.execute(r["command"], D.fromisoformat(r["today"]))
    return book


def test_kana_search_finds_her_at_both_windows(windows: tsunagu.CaseBook) -> None:
    found = windows.search_persons({"reading": "たかはし"})
    ids = [p["id"] for p in found["persons"]]
    assert set(ids) == {"p-shogai-001", "p-konkyu-014", "p-neighbour-7"}
    assert found["truncated"] is False
    # Half-width katakana finds the same people; a small limit says it truncated.
    few = windows.search_persons({"reading": "ﾀｶﾊｼ", "limit": 1})
    assert len(few["persons"]) == 1 and few["truncated"] is True
    # As a table: one row per person, birth dates as dates, the 和暦 one normalised.
    t = pa.table(windows.persons_table({"reading": "たかはし"}))
    assert t.num_rows == 3
    assert t.column_names == ["id", "name", "reading", "sex", "birth_date", "small_area", "phones"]
    rows = {r["id"]: r for r in t.to_pylist()}
    assert rows["p-shogai-001"]["birth_date"] == D(1981, 5, 20)
    assert rows["p-konkyu-014"]["birth_date"] == D(1981, 5, 20)
    assert rows["p-shogai-001"]["small_area"] == "sendai-aoba-01"
    assert pa.table(windows.persons_table()).num_rows == 3


def test_name_keys_fold_the_variant_kanji() -> None:
    assert tsunagu.same_name("髙橋 由美", "高橋由美")
    assert not tsunagu.same_name("高橋 由美", "高橋 由香")
    assert tsunagu.same_reading("タカハシ ユミ", "たかはし ゆみ")
    assert tsunagu.name_key("髙橋 由美") == tsunagu.name_key("高橋由美")
    assert tsunagu.reading_key("ﾀｶﾊｼ") == tsunagu.reading_key("たかはし")
    assert not tsunagu.looks_like_my_number("022-123-4567")


def test_candidate_pair_then_merge(windows: tsunagu.CaseBook) -> None:
    pairs = windows.duplicate_candidates()
    assert pairs == [{"a": "p-konkyu-014", "b": "p-shogai-001", "score": 125, "reasons": REASONS}]
    t = pa.table(windows.duplicate_candidates_table())
    assert t.to_pylist() == [{"a": "p-konkyu-014", "b": "p-shogai-001", "score": 125, "reasons": "; ".join(REASONS)}]
    # The neighbour (similar name in the area, another birth date) is not proposed.
    assert all("p-neighbour-7" not in (p["a"], p["b"]) for p in pairs)

    windows.execute({"command": "merge_persons", "survivor": "p-shogai-001", "merged": "p-konkyu-014",
                     "on": "2026-12-01", "reasons": REASONS}, D(2026, 12, 1))
    # The poverty window's id now gives her one record; its phone finds her.
    assert windows.person("p-konkyu-014")["id"] == "p-shogai-001"
    assert [p["id"] for p in windows.search_persons({"phone": "09011112222"})["persons"]] == ["p-shogai-001"]
    assert windows.duplicate_candidates() == []
    assert windows.merge_history("p-konkyu-014") == [
        {"survivor": "p-shogai-001", "merged": "p-konkyu-014", "on": "2026-12-01", "reasons": REASONS}]
    assert pa.table(windows.persons_table()).num_rows == 2
    assert windows.person("nobody") is None


def test_person_reads_refuse_bad_input(windows: tsunagu.CaseBook) -> None:
    with pytest.raises(tsunagu.ValidationError) as e:
        windows.search_persons({"reading": "\u3000"})
    assert e.value.code == "empty_query"
    with pytest.raises(tsunagu.DocumentError):
        windows.search_persons(None)
    with pytest.raises(tsunagu.DocumentError):
        windows.timeline(case="c", person="p")
    with pytest.raises(tsunagu.NotFoundError) as nf:
        windows.timeline(case="no-such-case")
    assert nf.value.path == "$.case"


@pytest.fixture(scope="module")
def tour_journal(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The SQLite journal of the tour (Y-san's case c-y, her worker csw-1), copied: test.sh
    writes it and passes TSUNAGU_TOUR_JOURNAL; else the tour is run here."""
    copy = tmp_path_factory.mktemp("y") / "tour.journal.sqlite"
    given = os.environ.get("TSUNAGU_TOUR_JOURNAL")
    if given:
        shutil.copy(given, copy)
        return copy
    cargo = shutil.which("cargo")
    assert cargo, "cargo is needed to run the tour (or set TSUNAGU_TOUR_JOURNAL)"
    subprocess.run([cargo, "run", "-q", "-p", "tsunagu", "--example", "tour", "--", str(copy)],
                   cwd=REPO, check=True, capture_output=True)
    return copy


def test_her_worklist_and_timeline(tour_journal: pathlib.Path) -> None:
    book = tsunagu.CaseBook.open(tour_journal)
    # Her worker's morning: the worklist of csw-1 on 2023-09-05, as a dict and as a table.
    wl = book.worklist(D(2023, 9, 5), worker="csw-1")
    assert wl["on"] == "2023-09-05"
    entries = wl["overdue"] + wl["due_today"] + wl["due_this_week"]
    assert entries, "her worker has tasks that morning"
    assert all(e["task"]["case"] == "c-y" for e in entries if e["task"].get("case"))
    t = pa.table(book.worklist_table(D(2023, 9, 5), worker="csw-1"))
    assert t.num_rows == len(entries)
    assert t.column("task").to_pylist() == [e["task"]["id"] for e in entries]
    assert set(t.column("section").to_pylist()) <= {"overdue", "due_today", "due_this_week"}
    # The case's worklist holds only the case's tasks, and her worker's among them.
    by_case = book.worklist(D(2023, 9, 5), case="c-y")
    case_tasks = [e["task"] for k in ("overdue", "due_today", "due_this_week") for e in by_case[k]]
    assert case_tasks and all(t.get("case") == "c-y" for t in case_tasks)
    assert {e["task"]["id"] for e in entries if e["task"].get("case") == "c-y"} <= {t["id"] for t in case_tasks}
    # The same query as a dict gives the same list.
    assert book.worklist({"on": "2023-09-05", "worker": "csw-1"}) == wl

    # Her case's timeline, oldest first, with the record entries of the home visit and the calls.
    items = book.timeline(case="c-y")
    assert items and [i["on"] for i in items] == sorted(i["on"] for i in items)
    assert {"c-y"} >= {i.get("case") for i in items if i.get("case")}
    tt = pa.table(book.timeline_table(case="c-y"))
    assert tt.num_rows == len(items)
    assert tt.column("summary").to_pylist() == [i["summary"] for i in items]
    assert tt.schema.field("on").type == pa.date32()
    # Her timeline as a person (y-mother is the case's subject) holds the case's items.
    mine = book.timeline(person="y-mother")
    assert len(mine) >= len(items)
    # Filtered by date: only September 2023.
    sept = book.timeline(case="c-y", filter={"from": "2023-09-01", "to": "2023-09-30"})
    assert sept and all(i["on"].startswith("2023-09") for i in sept)
    polars = pytest.importorskip("polars")
    assert polars.DataFrame(book.timeline_table(case="c-y")).height == len(items)

"""Forms from Python (issue 18 item 7): Y-san's 相談受付・申込票 submitted (the commands, not
run), executed on a book as one unit (all or nothing), laid out and written as an Excel
workbook; a municipality's extension and a bad definition with every problem."""

from __future__ import annotations

import datetime
import json
import pathlib
import zipfile

import pytest

import tsunagu

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTOR = json.loads((REPO / "tests" / "vectors" / "forms" / "intake.json").read_text(encoding="utf-8"))
AGENCIES = VECTOR["given"]["agencies"]
SUBMISSION = VECTOR["when"][0]["args"]["submission"]
TODAY = datetime.date(2023, 11, 16)


def book_with_agencies() -> tsunagu.CaseBook:
    book = tsunagu.CaseBook()
    for a in AGENCIES:
        book.execute({"command": "register_agency", "agency": a}, datetime.date.min)
    return book


def test_submit_yields_the_commands_and_changes_nothing() -> None:
    forms, book = tsunagu.FormSet(), book_with_agencies()
    assert len(forms) >= 4 and forms.form("intake") is not None and forms.form("nope") is None
    n = len(book)
    commands = forms.submit(SUBMISSION, book, TODAY)
    assert [c["command"] for c in commands][:2] == ["register_household", "open_case"]
    assert commands[-1]["command"] == "record_form"
    assert len(book) == n


def test_execute_is_all_or_nothing_then_layout_and_excel(tmp_path: pathlib.Path) -> None:
    forms, book = tsunagu.FormSet(), book_with_agencies()
    n = len(book)
    bad = json.loads(json.dumps(SUBMISSION))
    bad["values"]["receiving_window"] = "unknown-window"
    with pytest.raises(tsunagu.NotFoundError) as e:
        forms.execute(bad, book, TODAY)
    assert e.value.code == "unknown_agency"
    assert len(book) == n, "a refused form appends nothing"

    receipts = forms.execute(SUBMISSION, book, TODAY)
    assert len(receipts) == 4 and book.case("case-y")["state"]["kind"] == "intake"

    rows = forms.layout("form-y-intake", book)
    assert rows[0] == {"row": "title", "text": "相談受付・申込票"}
    assert {"row": "field", "label": "受付日", "value": "令和5年11月16日", "required": True} in rows
    # Choice codes become labels: the window's name, not its id.
    assert any(r.get("label") == "受付窓口" and r.get("value") == "仙台市社会福祉協議会 (CSW)" for r in rows)
    assert "Yさん" in json.dumps(rows, ensure_ascii=False)
    assert forms.layout("form-y-intake", book, "en")[0] == {"row": "title", "text": "Consultation intake and application"}
    with pytest.raises(tsunagu.DocumentError):
        forms.layout("form-y-intake", book, "fr")
    assert forms.layout("no-such-record", book) is None

    path = tmp_path / "intake.xlsx"
    size = forms.to_excel("form-y-intake", book, path)
    assert size == path.stat().st_size > 0
    with zipfile.ZipFile(path) as z:
        assert "xl/workbook.xml" in z.namelist()
        shared = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else ""
        assert "Yさん" in shared or any("Yさん" in z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    with pytest.raises(tsunagu.NotFoundError):
        forms.to_excel("no-such-record", book, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_acting_book_records_the_worker() -> None:
    forms, book = tsunagu.FormSet(), book_with_agencies()
    book.execute({"command": "register_worker", "worker": {"id": "csw-1", "name": "佐藤", "agency": "sendai-council",
                                                          "roles": ["community_social_worker"]}}, TODAY)
    with pytest.raises(tsunagu.RuleViolationError):
        forms.execute(SUBMISSION, book, TODAY)  # a worker exists: commands need an actor
    forms.execute(SUBMISSION, book.as_actor("csw-1", "sendai-council"), TODAY)
    assert book.events()[-1]["by"] == {"worker": "csw-1", "agency": "sendai-council"}


def test_bad_definition_reports_every_problem() -> None:
    with pytest.raises(tsunagu.TsunaguError) as e:
        tsunagu.check_form_definition({"id": "x", "title": {"ja": "", "en": ""}, "sections": []})
    assert e.value.code in {"invalid_form_definition", "malformed_document"}
    if e.value.code == "invalid_form_definition":
        assert e.value.problems and all("path" in p for p in e.value.problems)
    ext = json.loads((REPO / "tests" / "vectors" / "forms" / "extension.json").read_text(encoding="utf-8"))
    docs = [s["args"]["document"] for s in ext["when"] if s["op"] == "extend_forms"]
    forms = tsunagu.FormSet()
    with pytest.raises(tsunagu.TsunaguError) as bad_ext:
        forms.extended(docs[0])
    assert bad_ext.value.code == "invalid_form_definition"
    assert {"code": "unknown_form", "path": "$.fields[0].form"} in [
        {"code": p["code"], "path": p["path"]} for p in bad_ext.value.problems]
    assert len(forms) == 4, "a refused extension changes nothing"
    assert len(forms.extended(docs[1])) == 5
    definition = next(s["args"]["form"] for s in ext["when"] if s["op"] == "check_form_definition")
    with pytest.raises(tsunagu.TsunaguError) as bad_def:
        tsunagu.check_form_definition(definition)
    assert "wrong_binding_type" in {p["code"] for p in bad_def.value.problems}

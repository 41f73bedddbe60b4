"""The book as an actor (issue 16): `book.as_actor(worker, agency)` records the worker on every
event; once a worker exists a command without one raises `actor_required`; the acting agency of a
referral is the actor's; Y-san's team is assigned and handed over."""

from __future__ import annotations

import datetime
import json
import pathlib

import pytest

import tsunagu

D = datetime.date
FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def worker(id: str, agency: str, *roles: str) -> dict[str, object]:
    return {"command": "register_worker",
            "worker": {"id": id, "agency": agency, "name": "職員", "roles": list(roles)}}


@pytest.fixture()
def book() -> tsunagu.CaseBook:
    book = tsunagu.CaseBook()
    events = [{"on": "2023-04-01", "command": {"command": "register_agency", "agency": a}}
              for a in json.loads((FIXTURES / "sendai_agencies.json").read_text(encoding="utf-8"))]
    household = json.loads((FIXTURES / "y_san_household.json").read_text(encoding="utf-8"))
    events += [
        {"on": "2023-06-05", "command": {"command": "register_household", "household": household}},
        {"on": "2023-06-05", "command": {
            "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
            "responsible_window": "sendai-council",
            "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                       "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05"}}},
        # Setup mode: the first worker is registered without an actor. She is also the 管理者:
        # the access policy lets only a manager register workers and extend roles.
        {"on": "2023-06-05", "command": worker("csw-1", "sendai-council", "community_social_worker", "manager")},
    ]
    book.execute_all(events)
    # From then on every command has an actor.
    book.as_actor("csw-1", "sendai-council").execute_all([
        {"on": "2023-06-05", "command": worker("csw-2", "sendai-council", "chief_consultation_support_worker")},
        {"on": "2023-06-05", "command": worker("ward-1", "aoba-ward-office", "consultation_support_worker")},
    ])
    return book


def test_as_actor_records_the_worker_on_every_event(book: tsunagu.CaseBook) -> None:
    csw = book.as_actor("csw-1", "sendai-council")
    assert isinstance(csw, tsunagu.ActingBook)
    assert (csw.worker, csw.agency) == ("csw-1", "sendai-council")
    assert "csw-1" in repr(csw)
    n = len(book)
    csw.execute({"command": "assign_team", "case": "c-y", "main": "csw-1", "sub": ["ward-1"],
                 "on": "2023-06-06"}, D(2023, 6, 6))
    csw.execute_all([{"on": "2023-06-07", "command": {
        "command": "extend_roles", "document": {"roles": [
            {"code": "marugoto_consultant", "ja": "丸ごと相談員", "en": "All-round consultant"}]}}}])
    assert len(book) == n + 2
    events = book.events()
    assert [e.get("by") for e in events[-2:]] == [{"worker": "csw-1", "agency": "sendai-council"}] * 2
    assert "by" not in events[0], "events without an actor are written as before"
    assert any(r["code"] == "marugoto_consultant" for r in book.roles())
    assert book.verify()["events"] == len(book)
    # A book replayed from its events keeps who did what.
    again = tsunagu.CaseBook.replay(book.journal_jsonl())
    assert again.events() == events
    assert again.case_team("c-y") == book.case_team("c-y")


def test_a_command_without_an_actor_is_refused_once_workers_exist(book: tsunagu.CaseBook) -> None:
    n = len(book)
    with pytest.raises(tsunagu.RuleViolationError) as e:
        book.execute({"command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-06-06"},
                      D(2023, 6, 6))
    assert e.value.code == "actor_required"
    with pytest.raises(tsunagu.RuleViolationError) as e:
        book.as_actor("csw-1", "aoba-ward-office").execute(
            {"command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-06-06"}, D(2023, 6, 6))
    assert e.value.code == "worker_not_of_agency"
    with pytest.raises(tsunagu.NotFoundError) as e:
        book.as_actor("nobody", "sendai-council").execute_all([{"on": "2023-06-06", "command": {
            "command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-06-06"}}])
    assert e.value.code == "unknown_worker"
    assert len(book) == n


def test_the_acting_agency_of_a_referral_is_the_actors(book: tsunagu.CaseBook) -> None:
    book.as_actor("csw-1", "sendai-council").execute_all([
        {"on": "2023-06-26", "command": {"command": "propose_referral", "proposal": {
            "id": "r-1", "case": "c-y", "household": "h-y", "from": "sendai-council",
            "to": "aoba-ward-office", "purpose": "生活保護の申請", "on": "2023-06-26"}}},
        {"on": "2023-06-26", "command": {"command": "referral", "referral": "r-1",
                                         "action": {"action": "send", "on": "2023-06-26"}}},
    ])
    accept = {"command": "referral", "referral": "r-1", "action": {"action": "accept", "on": "2023-06-28"}}
    with pytest.raises(tsunagu.TransitionError) as e:
        book.as_actor("csw-2", "sendai-council").execute(accept, D(2023, 6, 28))
    assert e.value.code == "not_authorised"
    with pytest.raises(tsunagu.RuleViolationError) as e:
        book.as_actor("csw-2", "sendai-council").execute(
            {**accept, "actor": "aoba-ward-office"}, D(2023, 6, 28))
    assert (e.value.code, e.value.path) == ("worker_not_of_agency", "$.actor")
    receipt = book.as_actor("ward-1", "aoba-ward-office").execute(accept, D(2023, 6, 28))
    assert receipt["status"] == "accepted"


def test_y_san_team_is_handed_over_and_the_queries_show_it(book: tsunagu.CaseBook) -> None:
    csw = book.as_actor("csw-1", "sendai-council")
    csw.execute({"command": "assign_team", "case": "c-y", "main": "csw-1", "sub": ["ward-1"],
                 "on": "2023-06-06"}, D(2023, 6, 6))
    csw.execute({"command": "hand_over", "case": "c-y", "to": "csw-2", "on": "2023-07-01",
                 "reason": "異動のため"}, D(2023, 7, 1))
    team = book.case_team("c-y")
    assert team is not None
    assert (team["main"], team["sub"]) == ("csw-2", ["ward-1"])
    assert [c["change"] for c in team["history"]] == ["assigned", "handed_over"]
    assert book.worker_cases("csw-2") == [{"case": "c-y", "position": "main", "open": True}]
    assert book.worker_cases("csw-1") == []
    assert {w["worker"]["id"] for w in book.workers()} == {"csw-1", "csw-2", "ward-1"}

"""Access from Python (issue 16 item 6): the policy's decisions, redacted reads through an
AccessGate with its view log, and policy errors as exceptions of the matching class. The book
does not apply access yet (it is wired in separately); these are the core's access functions."""

from __future__ import annotations

import datetime
import json
import pathlib

import pytest

import tsunagu

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTOR = json.loads((REPO / "tests" / "vectors" / "access" / "y_san_other_agency.json").read_text(encoding="utf-8"))
READ = next(s["args"] for s in VECTOR["when"] if s["op"] == "read_household")
HOUSEHOLD, CONTACTS = READ["household"], READ.get("contacts", [])
ITO = {"worker": "caseworker-ito", "agency": "welfare_office", "roles": ["consultation_support_worker"]}
SATO = {"worker": "csw-sato", "agency": "council", "roles": ["community_social_worker"]}
UTC = datetime.timezone.utc


def test_another_agency_sees_nothing_before_a_disclosure_and_nothing_is_logged() -> None:
    policy = tsunagu.AccessPolicy()
    d = policy.decide(ITO, "household", "read", ["other_agency"])
    assert d["grants"] == [] and d["relation"] == "other_agency"
    gate = tsunagu.AccessGate(policy)
    view = gate.read_household(ITO, HOUSEHOLD, datetime.datetime(2024, 6, 3, 1, tzinfo=UTC),
                               relations=["other_agency"], case="case-y", contacts=CONTACTS)
    assert view == {"shown": []}
    assert gate.view_log() == [] and len(gate) == 0
    with pytest.raises(tsunagu.ConsentError) as e:
        gate.read_contact(ITO, HOUSEHOLD, "y1", datetime.datetime(2024, 6, 3, 1, tzinfo=UTC),
                          relations=["other_agency"], case="case-y", contacts=CONTACTS)
    assert e.value.code == "access_denied"


def test_the_primary_worker_sees_all_and_the_log_answers_who_looked() -> None:
    gate = tsunagu.AccessGate()
    view = gate.read_household(SATO, HOUSEHOLD, datetime.datetime(2024, 6, 10, 3, tzinfo=UTC),
                               relations=["primary"], case="case-y", contacts=CONTACTS)
    assert "legal_criminal" in view["shown"] and "health_disability" in view["shown"]
    log = gate.view_log(person="y3")
    assert len(log) == 1 and log[0]["worker"] == "csw-sato" and log[0]["outcome"] == "shown"
    assert gate.view_log(worker="caseworker-ito") == []
    assert len(gate.view_log(case="case-y")) == 1
    with pytest.raises(tsunagu.TsunaguError) as e:
        gate.read_contact(SATO, HOUSEHOLD, "nobody", datetime.datetime(2024, 6, 10, 3, tzinfo=UTC),
                          relations=["primary"], contacts=CONTACTS)
    assert e.value.code == "unknown_person"
    assert len(gate) == 1, "a refused read logs nothing"


def test_policy_errors_are_exceptions_with_every_problem() -> None:
    bad = {"rules": [{"id": "Bad Id", "reason": "", "colour": "red"}]}
    with pytest.raises(tsunagu.TsunaguError) as e:
        tsunagu.load_access_policy(bad)
    err = e.value
    assert err.code == "invalid_access_policy" or err.code.startswith("invalid")
    assert err.problems and all({"code", "path"} <= set(p) for p in err.problems)
    assert type(err) is getattr(tsunagu, next(
        c["python"] for c in json.loads((REPO / "tests" / "vectors" / "errors" / "classes.json").read_text(
            encoding="utf-8"))["codes"] if c["code"] == err.code).removeprefix("tsunagu."))


def test_bad_protections_and_naive_times_change_nothing() -> None:
    gate = tsunagu.AccessGate()
    with pytest.raises(tsunagu.TsunaguError):
        gate.set_protections([{"person": "y1"}])
    assert "protections=0" in repr(gate)
    with pytest.raises(tsunagu.DocumentError):
        gate.read_household(SATO, HOUSEHOLD, datetime.datetime(2024, 6, 10, 3), relations=["primary"])
    assert len(gate) == 0

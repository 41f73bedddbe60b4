"""Routing from Python: rule sets, documents (dict / JSON / TOML / path), the router, explanations,
typed errors with every problem, pickling, threads."""

from __future__ import annotations

import datetime
import json
import pathlib
import pickle
import threading
from typing import Any

import pytest

import tsunagu

TODAY = datetime.date(2024, 6, 1)

H8050: dict[str, Any] = {
    "id": "h8050",
    "members": [
        {"id": "p1", "relation": "head", "approx_age": 82, "issues": ["frailty"]},
        {"id": "p2", "relation": "child", "approx_age": 52, "employment": "unemployed",
         "engagement": "not_engaging", "issues": ["hikikomori"]},
    ],
}

ELDER_OVERRIDE: dict[str, Any] = {
    "rules": [{
        "id": "window.elderly",
        "description": {"ja": "高齢者：社協の総合相談", "en": "Older people: the social welfare council"},
        "priority": 500,
        "when": {"member": {"age": {"min": 65}, "has_issue": {"any": True}}},
        "then": {"agency_kind": "social_welfare_council", "project": "comprehensive_consultation"},
    }],
    "remove": ["window.hospital_discharge"],
}

ELDER_OVERRIDE_TOML = """
remove = ["window.hospital_discharge"]

[[rules]]
id = "window.elderly"
description = { ja = "高齢者：社協の総合相談", en = "Older people: the social welfare council" }
priority = 500
when = { member = { age = { min = 65 }, has_issue = { any = true } } }
then = { agency_kind = "social_welfare_council", project = "comprehensive_consultation" }
"""

BAD_TOML = """
[[rules]]
id = "x.a"
description = { ja = "a", en = "a" }
priority = "high"
when = { has_issue = { codes = ["no_such_issue"] } }
then = { agency_kind = "community_general_support_center" }

[[rules]]
id = "x.b"
description = { ja = "b", en = "b" }
priority = 1
when = { all = [] }
then = {}
"""


def test_builtin_rules() -> None:
    rs = tsunagu.RuleSet()
    assert rs == tsunagu.RuleSet.builtin()
    assert len(rs) > 10 and "window.elderly" in rs and "nope" not in rs
    assert rs.ids()[0] == rs.rules()[0]["id"]
    rule = rs.get("window.elderly")
    assert rule is not None and rule["description"]["ja"]
    assert rs.get("nope") is None
    assert len(tsunagu.RuleSet.empty()) == 0
    assert "[[rules]]" in tsunagu.RuleSet.builtin_text()
    assert repr(rs).startswith("RuleSet(rules=")


def test_route_8050_ranked_with_explanations() -> None:
    routing = tsunagu.Router().route(H8050, TODAY)
    assert routing.household == "h8050"
    rules = [r.rule for r in routing]
    # The review of issue 17: the child without income also goes to the self-reliance office and,
    # withdrawn, to the regional hikikomori support centre.
    assert rules == ["multi_agency.composite", "outreach.not_engaging", "participation.isolated", "window.elderly",
                     "window.poverty", "window.hikikomori"]
    top = routing.top
    assert top is not None and top.rank == 1 and routing[0] == top and routing[-1].rule == "window.hikikomori"
    assert (top.agency_kind, top.project, top.urgency) == ("multi_agency_coordinator", "multi_agency", "normal")
    assert top.meeting == "support_meeting"  # no consent yet: the confidential 支援会議
    assert not top.is_fallback
    assert top.description["ja"] and top.description["en"]
    assert [f["kind"] for f in top.facts][:2] == ["pattern", "pattern_evidence"]
    assert "p1 is 82" in top.facts[1]["text"]["en"] and "82歳" in top.facts[1]["text"]["ja"]
    assert {f.get("member") for f in routing[1].facts} == {"p2"}  # members named by id
    ja, en = top.explain("ja"), top.explain("en")
    assert "multi_agency.composite" in ja and ja != en
    assert "\n   - " in en
    assert "window.elderly" in routing.explain("en")
    with pytest.raises(ValueError):
        top.explain("fr")
    with pytest.raises(IndexError):
        routing[10]
    d = routing.to_dict()
    assert d["recommendations"][0]["explanation"]["rule"] == "multi_agency.composite"
    assert json.loads(routing.to_json()) == d


def test_situation_forms_and_consent() -> None:
    r = tsunagu.Router()
    by_kw = r.route(H8050, today=TODAY, consent=tsunagu.ConsentState.GIVEN, urgency="normal")
    by_dict = r.route(H8050, {"today": "2024-06-01", "consent": "given"})
    by_json = r.route(json.dumps(H8050), json.dumps({"today": "2024-06-01", "consent": "given"}))
    assert by_kw == by_dict == by_json
    assert by_kw.top.meeting == "multi_layered_support_meeting"  # with consent: 重層的支援会議
    urgent = r.route(H8050, TODAY, urgency=tsunagu.Urgency.IMMEDIATE)
    assert urgent.top.urgency == "immediate"
    with pytest.raises(tsunagu.DocumentError):
        r.route(H8050)  # no date
    with pytest.raises(tsunagu.DocumentError):
        r.route(H8050, TODAY, consent="maybe")
    with pytest.raises(tsunagu.DocumentError) as e:
        r.route({"id": "h", "members": [{"id": "p", "relation": "head", "approx_age": "old"}]}, TODAY)
    assert e.value.code == "malformed_document"


def test_fallback_keeps_receiving_window() -> None:
    h = {"id": "h0", "members": [{"id": "p1", "relation": "head", "approx_age": 40}]}
    routing = tsunagu.Router(tsunagu.RuleSet.empty()).route(h, TODAY, receiving_window="self_reliance_support_office")
    assert len(routing) == 1
    fb = routing.top
    assert fb.is_fallback and fb.rule == "fallback"
    assert (fb.agency_kind, fb.project) == ("self_reliance_support_office", "comprehensive_consultation")
    assert "断らない" in fb.explain("ja")


@pytest.mark.parametrize("form", ["dict", "json", "toml", "json_path", "toml_path"])
def test_municipality_override_all_forms(form: str, tmp_path: pathlib.Path) -> None:
    doc: Any = {
        "dict": ELDER_OVERRIDE,
        "json": json.dumps(ELDER_OVERRIDE),
        "toml": ELDER_OVERRIDE_TOML,
    }.get(form)
    if form == "json_path":
        doc = tmp_path / "rules.json"
        doc.write_text(json.dumps(ELDER_OVERRIDE), encoding="utf-8")
    elif form == "toml_path":
        doc = tmp_path / "rules.toml"
        doc.write_text(ELDER_OVERRIDE_TOML, encoding="utf-8")
    base = tsunagu.RuleSet()
    rs = base.extended(doc)
    assert len(rs) == len(base) - 1 and "window.hospital_discharge" not in rs
    assert "window.hospital_discharge" in base  # the original never changes
    assert rs == tsunagu.RuleSet.load(doc)
    h = {"id": "ho", "members": [{"id": "p1", "relation": "head", "approx_age": 80, "hospitalised": True,
                                   "issues": ["hospital_discharge", "dementia"]}]}
    top = tsunagu.Router(rs).route(h, TODAY).top
    assert top.rule == "window.elderly" and top.agency_kind == "social_welfare_council"
    assert tsunagu.Router(doc).route(h, TODAY) == rs.router().route(h, TODAY)


def test_invalid_document_lists_every_problem() -> None:
    base = tsunagu.RuleSet()
    with pytest.raises(tsunagu.RuleDocumentError) as e:
        base.extended(BAD_TOML)
    err = e.value
    assert isinstance(err, tsunagu.ValidationError) and isinstance(err, tsunagu.TsunaguError)
    assert err.code == "invalid_rule_document"
    got = [(p["code"], p["rule"], p["path"]) for p in err.problems]
    assert got == [
        ("wrong_type", "x.a", "$.rules[0].priority"),
        ("unknown_code", "x.a", "$.rules[0].when.has_issue.codes[0]"),
        ("empty_condition", "x.b", "$.rules[1].when.all"),
        ("empty_outcome", "x.b", "$.rules[1].then"),
    ]
    assert err.path == "$.rules[0].priority"
    assert [p["line"] for p in err.problems] == [5, 6, 13, 14]  # TOML lines
    assert all(p["source"] == "document" and p["message"] for p in err.problems)
    # Survives pickling (Dask workers re-raise it in the client).
    again = pickle.loads(pickle.dumps(err))
    assert again.code == err.code and again.problems == err.problems
    # rule_problems returns them without raising; a valid document has none.
    assert tsunagu.rule_problems(BAD_TOML) == err.problems
    assert tsunagu.rule_problems(ELDER_OVERRIDE) == []
    # Standalone, removing a default is an unknown rule.
    standalone = tsunagu.rule_problems(ELDER_OVERRIDE, builtin=False)
    assert [(p["code"], p["path"]) for p in standalone] == [("unknown_rule", "$.remove[0]")]
    with pytest.raises(tsunagu.DocumentError):
        base.extended("[[rules]\nid = ")  # TOML that does not parse
    with pytest.raises(FileNotFoundError):
        base.extended(pathlib.Path("/nonexistent/rules.toml"))


def test_taxonomy_extension_makes_codes_known() -> None:
    tax = tsunagu.Taxonomies().extended(
        {"issues": [{"code": "pet_care", "ja": "ペットの世話", "en": "Pet care", "domain": "welfare"}]})
    doc = {"rules": [{"id": "city.pet", "description": {"ja": "ペット", "en": "Pets"}, "priority": 10,
                      "when": {"has_issue": {"codes": ["pet_care"]}},
                      "then": {"agency_kind": "social_welfare_council"}}]}
    with pytest.raises(tsunagu.RuleDocumentError):
        tsunagu.RuleSet.load(doc)
    rs = tsunagu.RuleSet.load(doc, taxonomies=tax)
    router = tsunagu.Router(rs, taxonomies=tax)
    h = {"id": "hp", "members": [{"id": "p1", "relation": "head", "approx_age": 40, "issues": ["pet_care"]}]}
    # The municipal rule routes the new code; a need no statutory window takes is also 制度の狭間
    # (→ 多機関協働), which ranks first.
    rules = [r.rule for r in router.route(h, TODAY)]
    assert "city.pet" in rules
    assert rules[0] == "multi_agency.service_gap"


def test_pickle_and_threads() -> None:
    rs = tsunagu.RuleSet().extended(ELDER_OVERRIDE)
    assert pickle.loads(pickle.dumps(rs)) == rs
    router = rs.router()
    clone = pickle.loads(pickle.dumps(router))
    assert len(clone) == len(router)
    assert clone.route(H8050, TODAY) == router.route(H8050, TODAY)
    expected = router.route(H8050, TODAY)
    results: list[bool] = []

    def work() -> None:
        results.extend(r == expected for r in router.route_many([H8050] * 200, TODAY))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and all(results)

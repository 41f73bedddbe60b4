"""The participation-support, community and disaster tables of the pseudonymised export (issue 9):
each loads into pyarrow, pandas and polars with its columns and rows, joins the case tables, and no
name, free text, place of evacuation, worker, id or household area of the journal appears in any
exported value."""

from __future__ import annotations

import datetime
import pathlib
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import tsunagu

D = datetime.date
KEY = b"a key of sixteen bytes or more"

SUPPORT_COLUMNS: dict[str, list[str]] = {
    "resources": ["resource", "kind", "areas", "capacity_limit", "capacity_current", "contact_agency"],
    "matches": ["match", "person", "resource", "stage", "proposed_on", "tried_on", "continuing_on",
                "stopped_on", "stop_reason"],
    "match_follow_ups": ["match", "on", "observation"],
    "resource_gaps": ["area", "need", "month", "persons"],
    "activities": ["activity", "small_area", "daily_life_area", "operator", "stages", "resource",
                   "started_on", "ended_on"],
    "activity_sessions": ["activity", "on", "participants", "supporters"],
    "disaster_records": ["record", "household", "disaster", "opened_on", "damage", "housing_stage", "rank",
                         "phase_ended", "ended_on", "case"],
    "disaster_visits": ["record", "on", "role", "met", "rank", "rank_after"],
    "disaster_dispatches": ["dispatch", "record", "profession", "purpose", "agency", "status", "requested_on",
                            "dispatched_on", "reported_on", "outcome"],
}

ROWS = {"resources": 2, "matches": 2, "match_follow_ups": 2, "resource_gaps": 2, "activities": 2,
        "activity_sessions": 3, "disaster_records": 1, "disaster_visits": 3, "disaster_dispatches": 2}

# Strings of the journal below that must never leave: names, free text, places of evacuation,
# workers, every id, the household's areas.
SECRETS = [
    "仮名 太郎", "Hanako Sample", "山田さん宅のサロン", "佐藤さんの茶話会", "買い物支援の会 田中",
    "山形県秘密町の親戚宅", "Secret Town, Fukushima", "借金と孤独の話", "料理好きの鈴木さん", "鈴木さんと話したい",
    "worker-secret-1", "worker-secret-2", "kamisugi-5chome", "kamisugi-zone", "aoba-ward-x",
    "hh-secret-1", "person-secret-a", "person-secret-b", "res-secret-1", "res-secret-2", "match-secret-1",
    "match-secret-2", "act-secret-1", "act-secret-2", "rec-secret-1", "disp-secret-1", "disp-secret-2",
    "flood-of-secret-river", "agency-secret-csw", "agency-secret-bar", "case-secret-1", "秘密地区社協",
]


def _journal() -> tsunagu.Registry:
    reg = tsunagu.Registry()

    def ok(today: str, command: dict[str, Any]) -> None:
        reg.execute(command, D.fromisoformat(today))

    for id_, name, kind in [("agency-secret-csw", "秘密地区社協 鈴木支所", "social_welfare_council"),
                            ("agency-secret-bar", "秘密弁護士会", "lawyer")]:
        ok("2024-04-01", {"command": "register_agency", "agency": {"id": id_, "name": name, "kind": kind}})
    ok("2024-04-01", {"command": "register_household", "household": {
        "id": "hh-secret-1",
        "area": {"small_area": "kamisugi-5chome", "daily_life_area": "kamisugi-zone", "ward": "aoba-ward-x"},
        "members": [
            {"id": "person-secret-a", "name": "仮名 太郎", "relation": "head", "approx_age": 78,
             "issues": ["social_isolation"]},
            {"id": "person-secret-b", "name": "Hanako Sample", "relation": "spouse", "birth_date": "1950-02-03",
             "issues": []},
        ]}})
    ok("2024-04-01", {"command": "register_resource", "resource": {
        "id": "res-secret-1", "name": "山田さん宅のサロン", "kind": "salon", "areas": ["place-area-01", "place-area-02"],
        "capacity": {"limit": 10, "current": 4}, "contact": "agency-secret-csw", "tags": ["料理好きの鈴木さん"]}})
    ok("2024-04-01", {"command": "register_resource", "resource": {
        "id": "res-secret-2", "name": "買い物支援の会 田中", "kind": "volunteering", "contact": "agency-secret-csw"}})
    match = lambda today, m: ok(today, {"command": "match", "match": m})  # noqa: E731
    match("2024-04-05", {"type": "propose", "id": "match-secret-1", "person": "person-secret-a",
                         "household": "hh-secret-1", "resource": "res-secret-1", "on": "2024-04-05",
                         "next_follow_up": "2024-04-19"})
    match("2024-04-12", {"type": "mark_tried", "id": "match-secret-1", "on": "2024-04-12",
                         "next_follow_up": "2024-04-26"})
    match("2024-04-26", {"type": "record_follow_up", "id": "match-secret-1", "follow_up": {
        "on": "2024-04-26", "by": "worker-secret-1", "observation": "settling",
        "next": {"type": "next_on", "date": "2024-05-26"}}})
    match("2024-04-05", {"type": "propose", "id": "match-secret-2", "person": "person-secret-b",
                         "household": "hh-secret-1", "resource": "res-secret-2", "on": "2024-04-05",
                         "next_follow_up": "2024-04-19"})
    match("2024-04-19", {"type": "record_follow_up", "id": "match-secret-2", "follow_up": {
        "on": "2024-04-19", "observation": "not_attending", "next": {"type": "stop", "reason": "person_declined"}}})
    for need in [{"type": "wish", "wish": "鈴木さんと話したい"}, {"type": "issue", "issue": "hikikomori"}]:
        ok("2024-04-20", {"command": "record_resource_gap", "gap": {"area": "gap-area-07", "need": need}})
    ok("2024-04-01", {"command": "register_activity", "activity": {
        "id": "act-secret-1", "name": "佐藤さんの茶話会", "small_area": "place-area-01", "daily_life_area": "place-dla-1",
        "operator": "residents_organisation", "stages": ["watching_over", "place_to_belong"],
        "resource": "res-secret-1", "started_on": "2023-04-01"}})
    ok("2024-04-01", {"command": "register_activity", "activity": {
        "id": "act-secret-2", "name": "買い物支援", "small_area": "place-area-02",
        "operator": "social_welfare_council", "stages": ["everyday_help"], "started_on": "2024-04-01"}})
    for act, on, n in [("act-secret-1", "2024-05-08", 14), ("act-secret-1", "2024-06-12", 11),
                       ("act-secret-2", "2024-05-09", 5)]:
        ok(on, {"command": "record_session", "session": {"activity": act, "on": on, "participants": n,
                                                         "supporters": 3}})
    ok("2024-06-30", {"command": "end_activity", "activity": "act-secret-2", "on": "2024-06-30"})
    ok("2024-05-01", {"command": "open_disaster_record", "record": {
        "id": "rec-secret-1", "household": "hh-secret-1", "disaster": "flood-of-secret-river", "on": "2024-05-01",
        "damage": "large_scale_half", "stage": {"stage": "wide_area_evacuation", "place": "山形県秘密町の親戚宅"},
        "rank": "b", "issues": ["disaster_recovery"]}})
    dis = lambda today, a: ok(today, {"command": "disaster", "record": "rec-secret-1", "action": a})  # noqa: E731
    dis("2024-05-10", {"type": "record_visit", "visit": {"on": "2024-05-10", "role": "lsa", "by": "worker-secret-2",
                                                          "met": True, "rank_after": "a"}})
    dis("2024-05-20", {"type": "record_visit", "visit": {"on": "2024-05-20", "role": "support_centre_staff",
                                                          "met": False}})
    dis("2024-06-01", {"type": "move_stage", "on": "2024-06-01",
                       "stage": {"stage": "wide_area_evacuation", "place": "Secret Town, Fukushima"}})
    dis("2024-06-05", {"type": "record_visit", "visit": {"on": "2024-06-05", "role": "csw", "met": True,
                                                          "rank_after": "c"}})
    dis("2024-06-02", {"type": "request_dispatch", "id": "disp-secret-1", "profession": "lawyer",
                       "purpose": "disaster_loan_repayment", "agency": "agency-secret-bar", "on": "2024-06-02"})
    dis("2024-06-09", {"type": "mark_dispatched", "id": "disp-secret-1", "on": "2024-06-09"})
    dis("2024-06-20", {"type": "report_dispatch", "id": "disp-secret-1", "on": "2024-06-20",
                       "report": {"outcome": "continuing_support", "issues_found": ["debt"]}})
    dis("2024-07-01", {"type": "request_dispatch", "id": "disp-secret-2", "profession": "mental_care",
                       "purpose": "social_isolation", "on": "2024-07-01"})
    ok("2025-02-01", {"command": "open_case", "case": "case-secret-1", "household": "hh-secret-1",
                      "subject": "person-secret-a", "responsible_window": "agency-secret-csw",
                      "intake": {"channel": "agency_referral", "receiving_window": "agency-secret-csw",
                                 "chief_complaint": "借金と孤独の話", "on": "2025-02-01"}})
    ok("2025-02-01", {"command": "end_disaster_phase", "record": "rec-secret-1", "on": "2025-02-01",
                      "case": "case-secret-1"})
    return reg


@pytest.fixture(scope="module")
def export() -> tsunagu.Export:
    return _journal().export(KEY, D(2025, 3, 31))


def test_every_support_table_loads_into_pyarrow_and_pandas(export: tsunagu.Export) -> None:
    import pyarrow as pa

    tables = export.tables()
    counts = dict(export.counts())
    for name, columns in SUPPORT_COLUMNS.items():
        t = tables[name]
        assert t.name == name and t.column_names == columns and len(t) == ROWS[name] == counts[name]
        pt = pa.table(t)
        assert pt.column_names == columns and pt.num_rows == ROWS[name]
        df = t.to_pandas()
        assert list(df.columns) == columns and len(df) == ROWS[name]
        one = export.table(name)
        assert pa.table(one).equals(pt)
    with pytest.raises(KeyError):
        export.table("disaster_places")


def test_column_types(export: tsunagu.Export) -> None:
    import pyarrow as pa

    resources = pa.table(export.table("resources"))
    assert resources.schema.field("areas").type == pa.list_(pa.string())
    assert resources.schema.field("capacity_limit").type == pa.uint32()
    records = pa.table(export.table("disaster_records"))
    assert records.schema.field("opened_on").type == pa.date32()
    assert records.schema.field("phase_ended").type == pa.bool_()
    sessions = pa.table(export.table("activity_sessions"))
    assert sessions.schema.field("participants").type == pa.uint32()


def test_values_of_the_support_tables(export: tsunagu.Export) -> None:
    import pandas as pd

    t = {name: export.table(name).to_pandas() for name in SUPPORT_COLUMNS}
    res = t["resources"]
    assert list(res["kind"]) == ["salon", "volunteering"]
    assert [list(a) for a in res["areas"]] == [["place-area-01", "place-area-02"], []]
    assert res["capacity_limit"].iloc[0] == 10 and res["capacity_current"].iloc[0] == 4
    assert res["contact_agency"].iloc[0] == res["contact_agency"].iloc[1]

    m = t["matches"]
    assert list(m["stage"]) == ["tried", "stopped"]
    assert m["tried_on"].iloc[0] == D(2024, 4, 12) and m["stop_reason"].iloc[1] == "person_declined"
    assert m["stopped_on"].iloc[1] == D(2024, 4, 19)
    assert list(m["resource"]) == list(res["resource"])
    f = t["match_follow_ups"]
    assert list(f["observation"]) == ["settling", "not_attending"]
    assert list(f["match"]) == list(m["match"])

    g = t["resource_gaps"]
    assert list(g["need"]) == ["wish:uncoded", "issue:hikikomori"] and set(g["area"]) == {"gap-area-07"}
    assert list(g["month"]) == [D(2024, 4, 1)] * 2 and list(g["persons"]) == [1, 1]

    a = t["activities"]
    assert [list(s) for s in a["stages"]] == [["place_to_belong", "watching_over"], ["everyday_help"]]
    assert list(a["operator"]) == ["residents_organisation", "social_welfare_council"]
    assert a["resource"].iloc[0] == res["resource"].iloc[0] and pd.isna(a["resource"].iloc[1])
    s = t["activity_sessions"]
    assert s.groupby("activity")["participants"].sum().to_dict() == {a["activity"].iloc[0]: 25,
                                                                     a["activity"].iloc[1]: 5}

    r = t["disaster_records"]
    assert r["housing_stage"].iloc[0] == "wide_area_evacuation" and r["damage"].iloc[0] == "large_scale_half"
    assert r["rank"].iloc[0] == "c" and bool(r["phase_ended"].iloc[0]) and r["ended_on"].iloc[0] == D(2025, 2, 1)
    v = t["disaster_visits"]
    assert list(v["rank"]) == ["a", "a", "c"] and list(v["met"]) == [True, False, True]
    assert list(v["role"]) == ["lsa", "support_centre_staff", "csw"]
    d = t["disaster_dispatches"]
    assert list(d["status"]) == ["reported", "requested"]
    assert d["outcome"].iloc[0] == "continuing_support" and pd.isna(d["outcome"].iloc[1])
    assert d["dispatched_on"].iloc[0] == D(2024, 6, 9) and pd.isna(d["agency"].iloc[1])


def test_support_tables_join_the_case_tables(export: tsunagu.Export) -> None:
    import polars as pl

    persons = pl.DataFrame(export.table("persons"))
    cases = pl.DataFrame(export.table("cases"))
    matches = pl.DataFrame(export.table("matches"))
    records = pl.DataFrame(export.table("disaster_records"))
    assert matches.join(persons, on="person").height == 2
    assert records.join(cases, on="case").height == 1
    assert records["household"].to_list() == cases["household"].to_list()
    # Per-area figures: a resource serving two areas counts in each (one serving the whole
    # municipality has no area; whether `explode` keeps it as a null differs between versions).
    per_area = (pl.DataFrame(export.table("resources")).explode("areas").drop_nulls("areas")
                .group_by("areas").len().sort("areas"))
    assert per_area["areas"].to_list() == ["place-area-01", "place-area-02"]
    assert per_area["len"].to_list() == [1, 1]


def test_nothing_that_must_not_leave_appears_in_any_table(export: tsunagu.Export) -> None:
    import pyarrow as pa

    values: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif v is not None:
            values.append(str(v))

    for name, t in export.tables().items():
        walk(pa.table(t).to_pylist())
        values.append(name)
    dump = "\n".join(values)
    assert "place-area-01" in dump and "gap-area-07" in dump and "place-dla-1" in dump
    for s in SECRETS:
        assert s not in dump, s


def test_the_new_tables_type_check(tmp_path: pathlib.Path) -> None:
    example = tmp_path / "support_example.py"
    example.write_text(textwrap.dedent("""
        import datetime

        import tsunagu


        def support_rows(events: str) -> dict[str, int]:
            ex: tsunagu.Export = tsunagu.export(events, b"sixteen byte key!", datetime.date(2025, 3, 31))
            t: tsunagu.ArrowTable = ex.table("disaster_visits")
            columns: list[str] = t.column_names
            rows: dict[str, int] = {name: len(table) for name, table in ex.tables().items()}
            rows[t.name] = t.num_rows + len(columns)
            return rows
    """), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(example)],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr

from __future__ import annotations

import datetime
import json
import pathlib
import pickle
import threading

import pytest

import tsunagu

D = datetime.date
FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def test_version_and_codes() -> None:
    assert tsunagu.__version__
    codes = tsunagu.error_codes()
    assert "fiscal_year_mismatch" in codes and "malformed_document" in codes
    assert codes == sorted(codes)


def test_era_and_fiscal_year() -> None:
    assert tsunagu.parse_era_date("令和5年11月16日") == D(2023, 11, 16)
    assert tsunagu.format_era_date(D(2019, 5, 1)) == "令和元年5月1日"
    assert tsunagu.format_era_date(D(2023, 11, 16), "short") == "R5.11.16"
    fy = tsunagu.FiscalYear.of(D(2021, 3, 31))
    assert fy == tsunagu.FiscalYear(2020) == tsunagu.FiscalYear("令和2年度")
    assert (fy.start, fy.end, fy.label_ja, int(fy)) == (D(2020, 4, 1), D(2021, 3, 31), "令和2年度", 2020)
    assert D(2020, 12, 1) in fy and D(2021, 4, 1) not in fy
    assert repr(fy) == "FiscalYear(2020)"
    assert pickle.loads(pickle.dumps(fy)) == fy
    assert tsunagu.FiscalYear(2021) > fy and len({fy, tsunagu.FiscalYear(2020)}) == 1
    with pytest.raises(tsunagu.ValidationError) as e:
        tsunagu.parse_era_date("平成32年1月1日")
    assert e.value.code and isinstance(e.value, tsunagu.TsunaguError)
    assert tsunagu.age_on(D(2000, 4, 2), D(2020, 4, 1)) == 19


def test_exception_hierarchy_and_pickling() -> None:
    assert issubclass(tsunagu.DocumentError, tsunagu.ValidationError)
    for cls in (tsunagu.NotFoundError, tsunagu.AlreadyExistsError, tsunagu.TransitionError, tsunagu.ConsentError):
        assert issubclass(cls, tsunagu.TsunaguError)
    with pytest.raises(tsunagu.DocumentError) as e:
        tsunagu.Taxonomies().extended('{"issues": [ {"code": 1} ]}')
    assert e.value.code == "malformed_document"
    with pytest.raises(tsunagu.ValidationError) as v:
        tsunagu.Taxonomies().extended({"issues": [{"code": "hikikomori", "ja": "x", "en": "x", "domain": "isolation"}]})
    assert (v.value.code, v.value.path) == ("duplicate_code", "$.issues[0].code")
    back = pickle.loads(pickle.dumps(v.value))
    assert type(back) is type(v.value) and back.code == "duplicate_code" and back.path == "$.issues[0].code"


def registry_with_case() -> tsunagu.Registry:
    reg = tsunagu.Registry()
    for a in json.loads((FIXTURES / "sendai_agencies.json").read_text()):
        reg.execute({"command": "register_agency", "agency": a}, D(2023, 4, 1))
    household = json.loads((FIXTURES / "y_san_household.json").read_text())
    reg.execute({"command": "register_household", "household": household}, D(2023, 6, 5))
    reg.execute(
        {"command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
         "responsible_window": "sendai-council",
         "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                    "chief_complaint": "生活福祉資金を借りたい", "on": D(2023, 6, 5)}},
        D(2023, 6, 5),
    )
    return reg


def test_registry_commands_errors_and_queries() -> None:
    reg = registry_with_case()
    assert len(reg.cases()) == 1 and reg.case("c-y")["subject"] == "y-mother"
    assert reg.case("nope") is None
    with pytest.raises(tsunagu.NotFoundError) as e:
        reg.execute({"command": "case", "case": "c-x", "action": {"action": "begin_assessment"}}, D(2023, 6, 6))
    assert (e.value.code, e.value.path) == ("not_found", "$.case")
    with pytest.raises(tsunagu.TransitionError) as t:
        reg.execute({"command": "case", "case": "c-y", "action": {"action": "start_monitoring"}}, D(2023, 6, 6))
    assert t.value.code == "illegal_transition"
    with pytest.raises(tsunagu.AlreadyExistsError):
        reg.execute({"command": "register_household", "household": reg.households()[0]}, D(2023, 6, 6))
    n = len(reg)
    receipt = reg.execute({"command": "case", "case": "c-y", "action": {"action": "begin_assessment"}}, D(2023, 6, 12))
    assert receipt["receipt"] == "case_transition" and len(reg) == n + 1
    patterns = reg.patterns("h-y", D(2023, 6, 12))
    assert isinstance(patterns, list)
    assert "CaseBook(events=" in repr(reg)
    again = pickle.loads(pickle.dumps(reg))
    assert again.cases() == reg.cases() and len(again) == len(reg)
    # execute_all is all or nothing
    with pytest.raises(tsunagu.TsunaguError):
        reg.execute_all([
            {"on": "2023-06-13", "command": {"command": "case", "case": "c-y", "action": {"action": "begin_assessment"}}},
        ])
    assert len(reg) == n + 1


def test_household_validation_and_patterns() -> None:
    household = json.loads((FIXTURES / "y_san_household.json").read_text())
    tsunagu.validate_household(household, D(2023, 6, 5))
    bad = dict(household, members=[dict(household["members"][1], birth_date="2030-01-01")] + household["members"][1:])
    with pytest.raises(tsunagu.ValidationError) as e:
        tsunagu.validate_household(bad, D(2023, 6, 5))
    assert e.value.path and e.value.path.startswith("$.members[0]")
    assert tsunagu.household_problems(bad, D(2023, 6, 5))
    kobayashi = json.loads((FIXTURES / "kobayashi_household.json").read_text())
    found = tsunagu.detect_patterns(kobayashi, D(2023, 11, 16))
    assert found and all("pattern" in f for f in found)


def test_partial_reports_merge_and_pickle() -> None:
    text = tsunagu.ishinomaki_2020()
    lines = text.splitlines()
    single = tsunagu.PartialReport.from_events(2020, text)
    half = len(lines) // 2
    a = tsunagu.PartialReport.from_events(2020, "\n".join(lines[:half]))
    b = tsunagu.PartialReport.from_events(2020, "\n".join(lines[half:]), start=half)
    assert b.merge(a) == single == a.merge(b)
    assert pickle.loads(pickle.dumps(a)) == a
    assert tsunagu.PartialReport(2020).merge(single) == single
    with pytest.raises(tsunagu.ValidationError) as e:
        a.merge(tsunagu.PartialReport(2021))
    assert e.value.code == "fiscal_year_mismatch"
    r = single.finish()
    assert pickle.loads(pickle.dumps(r)) == r
    assert "first_consultations=24" in repr(r)
    with pytest.raises(tsunagu.ValidationError) as bands:
        single.finish({"age_bands": [{"code": "a", "ja": "a", "min": 5}]})
    assert bands.value.code == "invalid_age_bands"


def test_threads_share_a_registry() -> None:
    """Frozen classes with a Mutex inside: many threads may use one registry."""
    reg = tsunagu.Registry.replay(tsunagu.ishinomaki_2020())
    results: list[int] = []

    def work() -> None:
        for _ in range(5):
            results.append(reg.annual_report(2020).contacts_total)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [481] * 20


def test_export_tables() -> None:
    import duckdb
    import polars as pl
    import pyarrow as pa

    text = tsunagu.ishinomaki_2020()
    ex = tsunagu.export(text, b"sixteen byte key!", D(2021, 3, 31))
    assert dict(ex.counts())["contacts"] == 481
    tables = ex.tables()
    assert set(tables) == {"cases", "persons", "issues", "contacts", "referrals", "meetings",
                           "resources", "matches", "match_follow_ups", "resource_gaps", "activities",
                           "activity_sessions", "disaster_records", "disaster_visits", "disaster_dispatches"}
    contacts = pa.table(tables["contacts"])
    assert contacts.num_rows == 481
    assert set(contacts.column_names) >= {"contact", "case", "on", "agency_kind", "sector", "channel"}
    df = tables["contacts"].to_pandas()
    by_sector = df.groupby("sector", observed=True).size().to_dict()
    assert by_sector == {"government": 154, "community_welfare_medical": 200, "childcare_education": 21,
                         "police_justice": 11, "private": 95}
    cases = pl.DataFrame(tables["cases"])
    assert cases.height == 24 and cases["case"].dtype == pl.UInt64 and cases["case"].n_unique() == 24
    assert "ic-00" not in set(cases["case"].to_list())
    # Pseudonym columns are UInt64 join keys: every contact's case is an exported case, also
    # through pandas, where the nullable `case` column stays exact (UInt64, not float64).
    assert contacts.schema.field("case").type == pa.uint64()
    assert contacts.schema.field("agency").type == pa.uint64()
    # (uint64 here, where every contact has a case; nullable UInt64 when one has none)
    assert str(df["case"].dtype) in {"uint64", "UInt64"}
    assert set(df["case"].dropna().astype("uint64")) <= set(cases["case"].to_list())
    # A contact about no case: a null in `case`, exact through to_pandas (UInt64, not float64).
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if '"log_contact"' in line)
    lines[first] = lines[first].replace('"case":"ic-00",', "")
    nulls = tsunagu.export("\n".join(lines), b"sixteen byte key!", D(2021, 3, 31)).table("contacts")
    ndf = nulls.to_pandas()
    assert str(ndf["case"].dtype) == "UInt64" and int(ndf["case"].isna().sum()) == 1
    assert ndf["case"].dropna().tolist() == df["case"].tolist()[1:]
    issues = pa.table(tables["issues"])
    assert issues.schema.field("member").type == pa.uint64()
    referrals = pa.table(tables["referrals"])
    assert referrals.schema.field("from_agency").type == pa.uint64()
    persons = pa.table(tables["persons"])
    assert "birth_date" not in persons.column_names and "name" not in persons.column_names
    con = duckdb.connect()
    con.register("cases", pa.table(tables["cases"]))
    assert con.execute("select count(*) from cases where outcome = 'continuing_support'").fetchone() == (11,)
    other = tsunagu.export(text, b"another sixteen b", D(2021, 3, 31))
    assert pa.table(other.table("cases")).column("case") != pa.table(tables["cases"]).column("case")
    with pytest.raises(tsunagu.ValidationError) as e:
        tsunagu.export(text, b"short", D(2021, 3, 31))
    assert e.value.code == "key_too_short"

"""Ishinomaki 2020 (seeds 003) reproduced through Python: the same figures the Rust test checks.

Source inconsistency: the report says case meetings were "推進員主体 12回 + その他主体 5回 の計9回";
12 + 5 = 17. The dataset holds the itemised 12 + 5 meetings and the library reports total 17.
"""

from __future__ import annotations

import datetime
import pathlib

import tsunagu

TABLE_1 = {
    "city_public_assistance_division": 54, "city_disability_welfare_division": 3,
    "city_long_term_care_insurance_division": 3, "city_child_support_division": 1,
    "city_board_of_education": 0, "city_housing_division": 18, "city_abuse_prevention_center": 5,
    "citizens_consultation_center": 6, "city_welfare_general_affairs_division": 7,
    "city_health_promotion_division": 10, "branch_office": 33, "city_other": 12,
    "other_government": 2, "hello_work": 0,
    "community_general_support_center": 28, "life_support_coordinator": 0,
    "disability_consultation_office": 6, "care_manager": 15, "care_service_provider": 17,
    "disability_service_provider": 0, "social_welfare_council": 2,
    "medical_institution_pharmacy": 127, "welfare_commissioner": 4,
    "neighbourhood_association": 0, "welfare_cooperator": 0, "neighbour": 1,
    "nursery_kindergarten": 0, "elementary_school": 0, "junior_high_school": 0, "high_school": 21,
    "police": 0, "public_prosecutors_office": 0, "lawyer": 11,
    "landlord_real_estate": 3, "private_business": 8, "karakoro_station": 20, "npo": 21,
    "private_other": 43,
}
SECTORS = {"government": 154, "community_welfare_medical": 200, "childcare_education": 21,
           "police_justice": 11, "private": 95}
NETWORK = [datetime.date(2020, 6, 23), datetime.date(2020, 8, 20), datetime.date(2020, 10, 6),
           datetime.date(2021, 3, 17)]


def check(r: tsunagu.AnnualReport) -> None:
    fc = r.first_consultations
    assert (fc["total"], fc["single"], fc["continuing"], fc["handed_over"]) == (24, 13, 11, 0)
    assert fc["monthly_average"] == 2.0
    for kind, n in TABLE_1.items():
        assert r.contacts_of_kind(kind) == n, kind
    for sector, n in SECTORS.items():
        assert r.contacts_of_sector(sector) == n, sector
    assert r.contacts_total == 481
    assert [d for _, d, _ in r.network_meetings] == NETWORK
    assert [n for n, _, _ in r.network_meetings] == [1, 2, 3, 4]
    cm = r.case_meetings
    assert cm["total"] == 17  # 12 + 5, not the printed 計9回 (see module doc)
    by = dict((role, n) for role, n in cm["by_convener"])
    assert by["multi_agency_operator"] == 12
    assert sum(by.values()) - by["multi_agency_operator"] == 5
    assert r.plans["made"] == 11
    assert r.label == "令和2年度"


def test_from_events_text() -> None:
    check(tsunagu.annual_report(tsunagu.ishinomaki_2020(), 2020))


def test_from_file_and_registry(ishinomaki_journal: pathlib.Path) -> None:
    from_file = tsunagu.annual_report(ishinomaki_journal, "令和2年度")
    check(from_file)
    reg = tsunagu.Registry.replay(ishinomaki_journal)
    assert len(reg.cases()) == 24
    via_registry = reg.annual_report(tsunagu.FiscalYear(2020))
    assert via_registry == from_file
    assert from_file.to_dict() == tsunagu.annual_report(tsunagu.ishinomaki_2020(), 2020, threads=1).to_dict()


def test_table_1_to_dataframes() -> None:
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    r = tsunagu.annual_report(tsunagu.ishinomaki_2020(), 2020)
    t = r.table("contacts")
    at = pa.table(t)
    assert at.num_rows == t.num_rows and at.column("count").to_pylist()[0] == 54
    df = t.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert df.groupby("sector")["count"].sum().to_dict() == SECTORS
    pdf = pl.DataFrame(t)
    assert pdf.filter(pl.col("kind") == "npo")["count"].to_list() == [21]
    con = duckdb.connect()
    con.register("contacts", at)
    assert con.execute("select sum(count) from contacts").fetchone() == (481,)
    nm = pa.table(r.table("network_meetings"))
    assert nm.column("date").to_pylist() == NETWORK

"""A small typed use of the package, checked by mypy in test_typing.py."""

import datetime

import tsunagu


def figures(journal: str) -> tuple[int, int]:
    r: tsunagu.AnnualReport = tsunagu.annual_report(journal, tsunagu.FiscalYear(2020))
    fy: tsunagu.FiscalYear = r.fiscal_year
    start: datetime.date = fy.start
    assert start.month == 4
    try:
        tsunagu.parse_era_date("令和2年4月1日")
    except tsunagu.ValidationError as e:
        code: str = e.code
        print(code)
    return r.contacts_total, len(r.network_meetings)

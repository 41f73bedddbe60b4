"""Benchmark (not a test): the annual report at scale, tsunagu against pandas.

    python bench.py --size tiny      # CI smoke run (2,000 cases, 20,000 contacts)
    python bench.py --size full      # 1,000,000 cases, 10,000,000 liaison contacts
    python bench.py --cases N --contacts M [--keep]

Data are generated in Rust (no Python object per event) into a JSON Lines journal under
bench-data/. Reported: the core's annual report time — from the statistics ledger (統計台帳, the
events loaded once into columns; its build is reported apart) and, for comparison, the fold of
in-memory events; the generation is not timed —, the Python end-to-end time (journal file → report: parse + fold on two
threads), the same group-bys done by pandas on the exported tables (and the ratio), the export of
the contact table to pyarrow (rows/s), and peak memory (max RSS of this process).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import resource
import time
from typing import Any

import tsunagu
from tsunagu import _core

SIZES = {"tiny": (2_000, 20_000), "small": (100_000, 1_000_000), "full": (1_000_000, 10_000_000)}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pandas_groupbys(t: dict[str, Any], fy: tsunagu.FiscalYear) -> dict[str, Any]:
    """The annual report's group-bys on the exported tables, in pandas."""
    import pandas as pd

    start, end = pd.Timestamp(fy.start), pd.Timestamp(fy.end)
    cases, contacts, issues = t["cases"], t["contacts"], t["issues"]
    fc = cases[(cases["first_consultation_on"] >= start) & (cases["first_consultation_on"] <= end)]
    out: dict[str, Any] = {}
    out["first_total"] = len(fc)
    out["by_month"] = fc.groupby(fc["first_consultation_on"].dt.to_period("M")).size()
    out["by_outcome"] = fc.groupby("outcome", dropna=False).size()
    out["age_bands"] = fc.groupby("age_band", observed=False).size()
    fi = issues.merge(fc[["case"]], on="case")
    out["issues"] = fi.drop_duplicates(["case", "issue"]).groupby("issue", observed=True).size()
    opened = cases["opened_on"]
    out["new"] = int(((opened >= start) & (opened <= end)).sum())
    c = contacts[(contacts["on"] >= start) & (contacts["on"] <= end)]
    out["contacts_by_kind"] = c.groupby("agency_kind", observed=False).size()
    out["contacts_by_sector"] = c.groupby("sector", observed=False).size()
    closed = cases[(cases["closed_on"] >= start) & (cases["closed_on"] <= end)]
    out["closures"] = closed.groupby("closure_reason").size()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny")
    ap.add_argument("--cases", type=int)
    ap.add_argument("--contacts", type=int)
    ap.add_argument("--fiscal-year", type=int, default=2022)
    ap.add_argument("--dir", default=str(pathlib.Path(__file__).resolve().parent / "bench-data"))
    ap.add_argument("--keep", action="store_true", help="keep the journal file")
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--repeat", type=int, default=1, help="time the core report and pandas this many times (best)")
    a = ap.parse_args()
    cases, contacts = SIZES[a.size]
    cases, contacts = a.cases or cases, a.contacts or contacts
    fy = tsunagu.FiscalYear(a.fiscal_year)
    figures: dict[str, Any] = {"cases": cases, "contacts": contacts}
    print(f"tsunagu {tsunagu.__version__} benchmark: {cases:,} cases, {contacts:,} liaison contacts, {fy.label_ja}")
    figures["loadavg_start"] = os.getloadavg()
    print(f"load average at start:   {' '.join(f'{x:.1f}' for x in figures['loadavg_start'])} (2 cores)")

    # 1. Core, two ways (generation in 1M-event chunks, never timed):
    #    a. the event fold: fold + merge + finish of in-memory events on two threads;
    #    b. the ledger (統計台帳): every event pushed once into a Ledger (its build, timed apart),
    #       then the ledger's annual report — the loaded form tsunagu reports from, as pandas is
    #       given loaded DataFrames. The ratio to pandas is taken on (b)'s report time.
    # The best of `repeat` runs; CPU time of the process over the runs (includes generation).
    fold_s, cpu0 = float("inf"), time.process_time()
    for _ in range(a.repeat):
        n, f_s, finish_s, core_report = _core.bench_core_report(cases, contacts, a.fiscal_year, seed=1, threads=2)
        fold_s = min(fold_s, f_s + finish_s)
    figures.update(events=n, event_fold_s=fold_s, core_and_generation_cpu_s=time.process_time() - cpu0)
    print(f"core, event fold:        {fold_s:8.3f} s  ({n:,} events, {n / fold_s / 1e6:.1f} M events/s, 2 threads, best of {a.repeat})")
    n2, build_s, core_s, ledger_report = _core.bench_ledger_report(cases, contacts, a.fiscal_year, seed=1, repeat=a.repeat)
    assert n2 == n and ledger_report == core_report, "ledger report differs from the event fold's"
    figures.update(ledger_build_s=build_s, core_s=core_s, core_runs=a.repeat)
    print(f"core, ledger build:      {build_s:8.3f} s  (every event pushed once; 1 thread)")
    print(f"core annual report:      {core_s:8.3f} s  (from the ledger, {n / core_s / 1e6:.1f} M events/s, 1 thread, best of {a.repeat})")
    print(f"  load average now:      {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")

    # 2. Python end-to-end: journal file → report.
    d = pathlib.Path(a.dir)
    d.mkdir(parents=True, exist_ok=True)
    journal = d / f"journal-{cases}-{contacts}.jsonl"
    t0 = time.perf_counter()
    written = tsunagu.write_synthetic_journal(journal, cases, contacts, fiscal_year=a.fiscal_year, seed=1)
    gen_s = time.perf_counter() - t0
    size_gb = journal.stat().st_size / 1e9
    print(f"journal written:         {gen_s:8.2f} s  ({written:,} events, {size_gb:.2f} GB JSON Lines; not part of the figures)")
    t0, c0 = time.perf_counter(), time.process_time()
    report = tsunagu.annual_report(journal, fy, threads=2)
    e2e_s, e2e_cpu = time.perf_counter() - t0, time.process_time() - c0
    figures["python_end_to_end_cpu_s"] = e2e_cpu
    assert report == core_report, "end-to-end report differs from the core's"
    figures.update(python_end_to_end_s=e2e_s, journal_gb=size_gb)
    print(f"python end-to-end:       {e2e_s:8.2f} s  ({e2e_cpu:.2f} s CPU; parse + fold + finish, 2 threads)")
    t0, c0 = time.perf_counter(), time.process_time()
    ledger = tsunagu.Ledger(journal)
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    assert ledger.annual_report(fy) == report, "ledger of the file differs from the fold of the file"
    py_report_s = time.perf_counter() - t0
    figures.update(python_ledger_load_s=load_s, python_ledger_load_cpu_s=load_cpu, python_ledger_report_s=py_report_s)
    print(f"python ledger load:      {load_s:8.2f} s  ({load_cpu:.2f} s CPU; 2 workers, each parsing into its own ledger, merged)")
    print(f"python ledger report:    {py_report_s:8.3f} s  (ledger.annual_report, through the binding)")

    # 3. Export, then the same group-bys by pandas.
    t0, c0 = time.perf_counter(), time.process_time()
    ex = tsunagu.export(journal, b"benchmark key, 16+ bytes", fy.end)
    export_s, export_cpu = time.perf_counter() - t0, time.process_time() - c0
    figures["export_cpu_s"] = export_cpu
    print(f"pseudonymised export:    {export_s:8.2f} s  ({export_cpu:.2f} s CPU; {dict(ex.counts())})")

    import pyarrow as pa

    # pyarrow initialises lazily on its first stream import (~0.5 s once): warm it up first.
    pa.table(ex.table("meetings"))
    t0 = time.perf_counter()
    contacts_table = pa.table(ex.table("contacts"))
    arrow_s = time.perf_counter() - t0
    rows_per_s = contacts_table.num_rows / arrow_s
    figures.update(export_s=export_s, contacts_to_pyarrow_s=arrow_s, contacts_to_pyarrow_rows_per_s=rows_per_s)
    print(f"contacts → pyarrow:      {arrow_s:8.3f} s  ({rows_per_s / 1e6:.1f} M rows/s; target ≥ 10 M rows/s)")

    frames = {
        "cases": pa.table(ex.table("cases")).to_pandas(),
        "issues": pa.table(ex.table("issues")).to_pandas(),
        "contacts": contacts_table.to_pandas(),
    }
    for col in ("opened_on", "first_consultation_on", "closed_on"):
        frames["cases"][col] = frames["cases"][col].astype("datetime64[s]")
    frames["contacts"]["on"] = frames["contacts"]["on"].astype("datetime64[s]")
    pandas_s, c0 = float("inf"), time.process_time()
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        pd_out = pandas_groupbys(frames, fy)
        pandas_s = min(pandas_s, time.perf_counter() - t0)
    pandas_cpu = (time.process_time() - c0) / a.repeat
    assert pd_out["first_total"] == report.first_consultations["total"]
    assert int(pd_out["contacts_by_kind"].sum()) == report.contacts_total
    for kind, count in pd_out["contacts_by_kind"].items():
        assert report.contacts_of_kind(str(kind)) == int(count), kind
    ratio = pandas_s / core_s
    figures.update(pandas_groupbys_s=pandas_s, pandas_groupbys_cpu_s=pandas_cpu, pandas_over_core=ratio,
                   pandas_over_event_fold=pandas_s / fold_s)
    print(f"pandas group-bys:        {pandas_s:8.3f} s  (on exported, already-loaded DataFrames; best of {a.repeat}, {pandas_cpu:.3f} s CPU per run)")
    print(f"ratio pandas / core:     {ratio:8.2f} ×  (ledger report; target ≥ 5)")
    print(f"ratio pandas / fold:     {pandas_s / fold_s:8.2f} ×  (the event fold, for comparison)")
    figures["loadavg_end"] = os.getloadavg()
    print(f"load average at end:     {' '.join(f'{x:.1f}' for x in figures['loadavg_end'])} (2 cores)")
    figures["peak_rss_mb"] = rss_mb()
    print(f"peak memory (max RSS):   {figures['peak_rss_mb']:8.0f} MB")
    if not a.keep:
        journal.unlink()
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

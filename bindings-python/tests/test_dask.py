"""Scale-out with Dask: partial reports per partition on a LocalCluster of two worker
processes, merged, equal the single-process report."""

from __future__ import annotations

import functools
import pathlib

import pytest

import tsunagu


def partial(path: str, year: int, start: int, stop: int) -> tsunagu.PartialReport:
    return tsunagu.PartialReport.from_file(path, year, start=start, stop=stop)


def merge(a: tsunagu.PartialReport, b: tsunagu.PartialReport) -> tsunagu.PartialReport:
    return a.merge(b)



def test_dask_local_cluster(tmp_path: pathlib.Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    journal = tmp_path / "journal.jsonl"
    n = tsunagu.write_synthetic_journal(journal, cases=3000, contacts=20000, fiscal_year=2022, seed=11)
    single = tsunagu.annual_report(journal, 2022, threads=1)
    cuts = list(range(0, n, n // 7)) + [n]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        futures = [client.submit(partial, str(journal), 2022, a, b, pure=False) for a, b in zip(cuts, cuts[1:])]
        # Merge in reverse order on the workers: order must not matter.
        merged_future = client.submit(functools.reduce, merge, list(reversed(futures)))
        merged = merged_future.result()
        workers = {w for w in client.who_has(futures).values() for w in w}
    assert isinstance(merged, tsunagu.PartialReport) and merged.events_folded == n
    assert merged.finish() == single
    assert len(workers) >= 1

"""Every conformance vector in tests/vectors/, run through the Python binding.

Ops map onto the binding; an op this runner does not know FAILS the vector (never skipped).
Comparison rules are the Rust runner's (tests/src/lib.rs): ok = exact, match = subset, error =
code (and path when given).
"""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Callable

import pytest

import tsunagu

VECTORS = sorted((pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors").rglob("*.json"))


def d(v: str) -> datetime.date:
    return datetime.date.fromisoformat(v)


class Context:
    """State built from `given`, as the Rust runner builds it (tests/src/ops.rs)."""

    def __init__(self, given: dict[str, Any]) -> None:
        self.tax = tsunagu.Taxonomies()
        if "taxonomy" in given:
            self.tax = self.tax.extended(given["taxonomy"])
        self.directory = tsunagu.Directory(given.get("agencies", []), self.tax)
        self.registry = tsunagu.Registry()
        for a in given.get("agencies", []):
            self.registry.execute({"command": "register_agency", "agency": a}, datetime.date.min)
        for c in given.get("commands", []):
            self.registry.execute(c["command"], d(c["today"]))


def op_extend_taxonomy(ctx: Context, args: dict[str, Any]) -> Any:
    ctx.tax = ctx.tax.extended(args["document"])
    return {"issues": ctx.tax.issue_count, "agency_kinds": ctx.tax.agency_kind_count}


def op_load_directory(ctx: Context, args: dict[str, Any]) -> Any:
    ctx.directory = tsunagu.Directory(args["agencies"], ctx.tax)
    return len(ctx.directory)


def op_fiscal_year(ctx: Context, args: dict[str, Any]) -> Any:
    fy = tsunagu.FiscalYear.of(d(args["date"]))
    return {"year": fy.year, "label_ja": fy.label_ja, "label_gregorian": fy.label_gregorian,
            "start": fy.start.isoformat(), "end": fy.end.isoformat()}


def op_validate_household(ctx: Context, args: dict[str, Any]) -> Any:
    tsunagu.validate_household(args["household"], d(args["today"]), ctx.tax)
    return None


OPS: dict[str, Callable[[Context, dict[str, Any]], Any]] = {
    "parse_era_date": lambda ctx, a: tsunagu.parse_era_date(a["text"]).isoformat(),
    "format_era_date": lambda ctx, a: tsunagu.format_era_date(d(a["date"]), a.get("style", "kanji")),
    "fiscal_year": op_fiscal_year,
    "parse_fiscal_year": lambda ctx, a: tsunagu.FiscalYear(a["text"]).year,
    "age_on": lambda ctx, a: tsunagu.age_on(d(a["birth_date"]), d(a["today"])),
    "school_stage": lambda ctx, a: tsunagu.school_stage(d(a["birth_date"]), d(a["today"])),
    "validate_household": op_validate_household,
    "detect_patterns": lambda ctx, a: tsunagu.detect_patterns(
        a["household"], d(a["today"]), ctx.tax, ctx.directory, a.get("settings")),
    "execute": lambda ctx, a: ctx.registry.execute(a["command"], d(a["today"])),
    "extend_taxonomy": op_extend_taxonomy,
    "load_directory": op_load_directory,
}


def subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(subset(e, a) for e, a in zip(expected, actual))
    return bool(expected == actual)


def test_vectors_exist() -> None:
    assert VECTORS, "no conformance vectors found"


@pytest.mark.parametrize("path", VECTORS, ids=[str(p.relative_to(p.parents[1])) for p in VECTORS])
def test_vector(path: pathlib.Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    when, then = doc["when"], doc["then"]
    assert len(when) == len(then), "when/then length differ"
    failures = []
    ctx_error: tsunagu.TsunaguError | None = None
    try:
        ctx = Context(doc.get("given", {}))
    except tsunagu.TsunaguError as e:
        ctx_error = e
    for i, (step, expect) in enumerate(zip(when, then)):
        op = step["op"]
        if op not in OPS:
            pytest.fail(f"{path.name} step {i}: op {op!r} is not supported by the Python runner")
        got: Any = None
        err: tsunagu.TsunaguError | None = ctx_error
        if err is None:
            try:
                got = OPS[op](ctx, step.get("args", {}))
            except tsunagu.TsunaguError as e:
                err = e
        if "error" in expect:
            if err is None:
                failures.append(f"step {i} ({op}): expected error {expect['error']}, got {got!r}")
            elif err.code != expect["error"]["code"] or (
                "path" in expect["error"] and err.path != expect["error"]["path"]
            ):
                failures.append(f"step {i} ({op}): expected {expect['error']}, got {err.code} at {err.path}")
        elif err is not None:
            failures.append(f"step {i} ({op}): unexpected error {err.code} at {err.path}: {err}")
        elif "ok" in expect:
            if expect["ok"] != got:
                failures.append(f"step {i} ({op}): expected {expect['ok']!r}, got {got!r}")
        elif "match" in expect:
            if not subset(expect["match"], got):
                failures.append(f"step {i} ({op}): expected to match {expect['match']!r}, got {got!r}")
        else:
            failures.append(f"step {i}: expectation has none of ok / match / error")
    assert not failures, "\n".join(failures)

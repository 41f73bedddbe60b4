"""Every conformance vector in tests/vectors/, run through the Python binding.

Ops map onto the binding; an op this runner does not know FAILS the vector (never skipped).
Comparison rules are the Rust runner's (tests/src/lib.rs): ok = exact, match = subset (an
expected null also matches an absent key), error = code (and path, and the subset of `problems`
of a rule document, when given).
"""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Callable

import pytest

import tsunagu

VECTORS = sorted((pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors").rglob("*.json"))
# Ops the core answers (the Rust runner runs them) that no binding exposes yet: a vector using one
# is reported as skipped with the ops named, in every binding alike (tests/vectors/bindings_pending.json).
PENDING = set(
    json.loads(
        (pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "bindings_pending.json").read_text(
            encoding="utf-8"
        )
    )["pending_ops"]["python"]
)


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
        rules = given.get("rules") or {}
        self.forms = tsunagu.FormSet()
        self.policy = tsunagu.AccessPolicy()
        self.access = tsunagu.AccessGate(self.policy, self.tax)
        self.rules = tsunagu.RuleSet.builtin() if rules.get("builtin", True) is not False else tsunagu.RuleSet.empty()
        if rules.get("extend") is not None:
            self.rules = self.rules.extended(rules["extend"])


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


def op_load_rules(ctx: Context, args: dict[str, Any]) -> Any:
    ctx.rules = ctx.rules.extended(args["document"])
    return {"loaded": len(ctx.rules)}


def op_route(ctx: Context, args: dict[str, Any]) -> Any:
    router = tsunagu.Router(ctx.rules)
    return router.route(args["household"], args.get("situation")).to_dict()


def op_search_persons(ctx: Context, args: dict[str, Any]) -> Any:
    found = ctx.registry.search_persons(args.get("query"))
    return {"persons": [p["id"] for p in found["persons"]], "truncated": found["truncated"]}


def op_extend_forms(ctx: Context, args: dict[str, Any]) -> Any:
    ctx.forms = ctx.forms.extended(args.get("document"))
    return {"forms": len(ctx.forms)}


def op_check_form_definition(ctx: Context, args: dict[str, Any]) -> Any:
    tsunagu.check_form_definition(args.get("form"))
    return None


def op_load_access_policy(ctx: Context, args: dict[str, Any]) -> Any:
    ctx.policy = tsunagu.load_access_policy(
        args.get("document"), builtin=args.get("builtin") is not False, roles=args.get("roles"))
    ctx.access.set_policy(ctx.policy)
    return {"rules": len(ctx.policy)}


def read_args(ctx: Context, a: dict[str, Any]) -> dict[str, Any]:
    ctx.access.set_taxonomies(ctx.tax)
    return {k: a.get(k) for k in ("relations", "disclosed", "case", "contacts")}


def op_view_log(ctx: Context, a: dict[str, Any]) -> Any:
    for k in ("person", "worker", "case"):
        if k in a:
            return ctx.access.view_log(**{k: a[k]})
    return ctx.access.view_log()


OPS: dict[str, Callable[[Context, dict[str, Any]], Any]] = {
    "load_access_policy": op_load_access_policy,
    "decide_access": lambda ctx, a: ctx.policy.decide(
        a.get("requester"), a.get("kind"), a.get("action"), a.get("relations"), a.get("disclosed")),
    "set_protections": lambda ctx, a: {"protections": ctx.access.set_protections(a.get("protections"))},
    "read_household": lambda ctx, a: ctx.access.read_household(
        a.get("requester"), a.get("household"), a.get("at"), **read_args(ctx, a)),
    "read_contact": lambda ctx, a: ctx.access.read_contact(
        a.get("requester"), a.get("household"), a.get("person"), a.get("at"), **read_args(ctx, a)),
    "view_log": op_view_log,
    "extend_forms": op_extend_forms,
    "check_form_definition": op_check_form_definition,
    "submit_form": lambda ctx, a: ctx.forms.submit(a.get("submission"), ctx.registry, d(a["today"])),
    "execute_form": lambda ctx, a: ctx.forms.execute(a.get("submission"), ctx.registry, d(a["today"])),
    "name_key": lambda ctx, a: tsunagu.name_key(a["text"]),
    "reading_key": lambda ctx, a: tsunagu.reading_key(a["text"]),
    "same_name": lambda ctx, a: tsunagu.same_name(a["a"], a["b"]),
    "same_reading": lambda ctx, a: tsunagu.same_reading(a["a"], a["b"]),
    "looks_like_my_number": lambda ctx, a: tsunagu.looks_like_my_number(a["text"]),
    "search_persons": op_search_persons,
    "duplicate_candidates": lambda ctx, a: ctx.registry.duplicate_candidates(a.get("weights")),
    "person": lambda ctx, a: ctx.registry.person(a.get("id")),
    "merge_history": lambda ctx, a: ctx.registry.merge_history(a.get("id")),
    "worklist": lambda ctx, a: ctx.registry.worklist(a.get("query")),
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
    "load_rules": op_load_rules,
    "route": op_route,
}


def subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(subset(v, actual[k]) if k in actual else v is None for k, v in expected.items())
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
    pending = sorted({step["op"] for step in when} & PENDING)
    if pending:
        pytest.skip(f"ops not yet exposed by the bindings: {', '.join(pending)}")
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
            elif "problems" in expect["error"] and not subset(
                expect["error"]["problems"], getattr(err, "problems", [])
            ):
                failures.append(
                    f"step {i} ({op}): expected problems {expect['error']['problems']!r}, "
                    f"got {getattr(err, 'problems', [])!r}"
                )
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

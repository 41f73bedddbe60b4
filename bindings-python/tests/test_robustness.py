"""Hostile input never crashes the interpreter (issue 19 item 1).

Contract tested here, for every exported function and every method of every exported class:

* bad input raises a ``tsunagu.TsunaguError`` subclass with a stable ``code`` — never
  ``internal_panic`` (that would be a bug the guard caught), never a segfault or an abort;
* a value the *Python signature* cannot hold raises Python's own exception, before any tsunagu
  code runs: ``TypeError`` (``None`` or a ``str`` where a ``datetime.date``, a class instance or
  an ``int`` is declared) and ``OverflowError`` (a negative or > 64-bit ``int`` for a count, a
  seed or a position, all unsigned); ``ValueError`` only for ``format_era_date``'s ``style`` (not
  ``kanji``/``short``) and ``_error_for_code`` (not a code); ``KeyError`` only for
  ``AnnualReport.table`` / ``Export.table`` (no table of that name); ``ValueError`` for
  ``explain(lang)`` (not ``ja``/``en``); ``UnicodeEncodeError`` (a ``ValueError``) for a ``str``
  with a lone surrogate passed where the signature declares plain text (an id, a name, a code:
  pyo3 refuses it while converting the argument; the same text inside a *document* is
  ``malformed_document``). ``OSError`` where a path is read as a rule document (``RuleSet.load``,
  ``RuleSet.extended``, ``Router``, ``rule_problems``: a missing or unreadable file is the file system's error; a file
  that is not UTF-8 is ``malformed_document``) and for ``write_synthetic_journal`` (a test
  fixture writer).
* a Rust panic becomes ``tsunagu.InternalError`` (code ``internal_panic``), which
  ``except Exception`` catches (pyo3's ``PanicException`` is a ``BaseException``).

The hostile calls run in a child interpreter, so a crash there is a failed test here, naming the
last call that started.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import textwrap

import pytest

import tsunagu


def test_panic_becomes_internal_error() -> None:
    try:
        tsunagu._panic_for_test()
    except Exception as e:  # noqa: BLE001 — the point: `except Exception` catches it
        assert isinstance(e, tsunagu.InternalError)
        assert isinstance(e, tsunagu.TsunaguError)
        assert e.code == "internal_panic"
        assert e.kind == "internal"
        assert e.path is None
        assert "deliberate" not in str(e), "the panic's own text (may quote data) is not passed on"
    else:
        pytest.fail("no exception")
    # The interpreter and the library go on working.
    assert tsunagu.age_on(datetime.date(2000, 1, 1), datetime.date(2020, 1, 1)) == 20


def deep(n: int) -> dict:
    root: dict = {}
    cur = root
    for _ in range(n):
        nxt: dict = {}
        cur["a"] = nxt
        cur = nxt
    return root


def test_deep_document_is_malformed_with_the_depth_and_path() -> None:
    with pytest.raises(tsunagu.DocumentError) as info:
        tsunagu.validate_household(deep(100_000), datetime.date(2024, 4, 1))
    assert info.value.code == "malformed_document"
    assert "deeper than 128" in str(info.value)
    assert info.value.path == "$" + ".a" * 128


def test_depth_limit_is_the_json_limit() -> None:
    """127 nested dicts convert (then fail as a household, not as a document); 129 do not."""
    with pytest.raises(tsunagu.TsunaguError) as ok:
        tsunagu.validate_household(deep(127), datetime.date(2024, 4, 1))
    assert "deeper than" not in str(ok.value)
    with pytest.raises(tsunagu.DocumentError, match="deeper than 128"):
        tsunagu.validate_household(deep(128), datetime.date(2024, 4, 1))


def test_cycles_are_malformed_with_the_path() -> None:
    d: dict = {"members": []}
    d["members"].append({"self": d})
    with pytest.raises(tsunagu.DocumentError) as info:
        tsunagu.validate_household(d, datetime.date(2024, 4, 1))
    assert info.value.path == "$.members[0].self"
    assert "cycle" in str(info.value)
    lst: list = []
    lst.append(lst)
    with pytest.raises(tsunagu.DocumentError, match="cycle"):
        tsunagu.CaseBook().execute({"command": "x", "list": lst}, datetime.date(2024, 4, 1))
    # The same object twice, side by side, is not a cycle.
    shared = {"k": 1}
    with pytest.raises(tsunagu.TsunaguError) as info2:
        tsunagu.validate_household({"a": shared, "b": shared}, datetime.date(2024, 4, 1))
    assert "cycle" not in str(info2.value)


@pytest.mark.parametrize(
    "value, what",
    [
        (2**80, "64-bit"),
        (float("nan"), "not finite"),
        ("\ud800", "not valid Unicode"),
        (object(), "type object"),
        (b"\xff\x00", "type bytes"),
    ],
)
def test_values_json_cannot_hold_are_malformed(value: object, what: str) -> None:
    with pytest.raises(tsunagu.DocumentError, match=what) as info:
        tsunagu.validate_household({"id": "h", "members": [{"x": value}]}, datetime.date(2024, 4, 1))
    assert info.value.path == "$.members[0].x"


def test_era_year_past_python_dates_is_a_library_error() -> None:
    with pytest.raises(tsunagu.ValidationError) as info:
        tsunagu.parse_era_date("令和9999年1月1日")
    assert info.value.code in {"date_beyond_horizon", "invalid_date"}


# ------------------------------------------------------------------------------ the hostile matrix

CHILD = textwrap.dedent(
    r'''
    import datetime, inspect, json, pathlib, sys, tempfile
    import tsunagu
    from tsunagu import _core

    tmp = pathlib.Path(tempfile.mkdtemp())
    bad_utf8 = tmp / "bad_utf8.jsonl"
    bad_utf8.write_bytes(b'{"a": "\xff\xfe\xfd"}\n\xc3\x28\n')
    garbage = tmp / "garbage.sqlite"
    garbage.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    garbage_jsonl = tmp / "garbage.jsonl"
    garbage_jsonl.write_bytes(bytes(range(256)) * 64)

    def deep(n):
        root = cur = {}
        for _ in range(n):
            cur["a"] = {}
            cur = cur["a"]
        return root

    cyc = {}
    cyc["self"] = cyc
    cyc_list = []
    cyc_list.append(cyc_list)

    HOSTILE = {
        "none": None,
        "empty_str": "",
        "huge_str": "x" * 10_000_000,
        "garbage_str": "\x00\ufffd\ud800{[",
        "bytes": bytes(range(256)),
        "negative": -1,
        "huge_int": 2**70,
        "nan": float("nan"),
        "date_min": datetime.date.min,
        "date_max": datetime.date.max,
        "deep": deep(100_000),
        "cyclic_dict": cyc,
        "cyclic_list": cyc_list,
        "object": object(),
        "negative_age_household": {"id": "h", "members": [{"id": "p", "birth_date": "2030-01-01", "age": -5}]},
        "bad_utf8_file": bad_utf8,
        "garbage_sqlite": garbage,
        "garbage_jsonl": garbage_jsonl,
        "missing_file": tmp / "missing" / "nothing.sqlite",
    }

    def instances():
        book = tsunagu.CaseBook()
        ledger = tsunagu.Ledger([])
        report = ledger.annual_report(2024)
        exp = tsunagu.export([], b"0123456789abcdef0123", datetime.date(2024, 4, 1))
        rules = tsunagu.RuleSet.builtin()
        router = tsunagu.Router(rules)
        out = {
            "FiscalYear": tsunagu.FiscalYear(2024),
            "Taxonomies": tsunagu.Taxonomies(),
            "Directory": tsunagu.Directory([]),
            "CaseBook": book,
            "ActingBook": book.as_actor("w", "a"),
            "PartialReport": tsunagu.PartialReport(2024),
            "Ledger": ledger,
            "AnnualReport": report,
            "Export": exp,
            "ArrowTable": exp.table("cases"),
            "RuleSet": rules,
            "Router": router,
            "FormSet": tsunagu.FormSet(),
            "AccessPolicy": tsunagu.AccessPolicy(),
            "AccessGate": tsunagu.AccessGate(),
        }
        routing = router.route(
            {"id": "h", "members": [{"id": "p1", "relation": "head", "approx_age": 82, "issues": ["frailty"]}]},
            datetime.date(2024, 6, 1),
        )
        out["Routing"] = routing
        out["Recommendation"] = routing.top
        for name, factory in EXTRA_INSTANCES.items():
            out[name] = factory()
        return out

    EXTRA_INSTANCES = {}
    # Generators of big synthetic data: only their argument checks are tried (ints here are
    # negative or > 64 bits, so they are refused before any work).
    SKIP = {"_panic_for_test"}

    def required(fn):
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            return 1
        return sum(
            1 for p in sig.parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.name not in ("self", "cls", "$self", "$cls")
        )

    targets = []
    seen = set()
    for name in sorted(dir(_core)):
        obj = getattr(_core, name)
        if name in SKIP or name.startswith("__") or id(obj) in seen:
            continue  # an alias (Registry is CaseBook) is tried once
        seen.add(id(obj))
        if isinstance(obj, type):
            if issubclass(obj, BaseException):
                continue
            targets.append((name, obj))  # the constructor
            for m in sorted(vars(obj)):
                if m.startswith("__") and m not in ("__contains__", "__eq__"):
                    continue
                targets.append((f"{name}.{m}", m))
        elif callable(obj):
            targets.append((name, obj))

    inst = instances()
    out = open(sys.argv[1], "w", buffering=1)
    for tname, target in targets:
        if isinstance(target, str):
            cls_name = tname.split(".")[0]
            if cls_name not in inst:
                out.write(json.dumps({"call": tname, "arg": "-", "outcome": "no_instance"}) + "\n")
                continue
            attr = getattr(type(inst[cls_name]), target)
            if isinstance(attr, property) or type(attr).__name__ == "getset_descriptor":
                continue
            fn = getattr(inst[cls_name], target)
        else:
            fn = target
        n = max(required(fn), 1)
        for hname, h in HOSTILE.items():
            out.write(json.dumps({"call": tname, "arg": hname, "outcome": "started"}) + "\n")
            try:
                fn(*([h] * n))
                outcome = "ok"
            except tsunagu.TsunaguError as e:
                outcome = f"TsunaguError:{e.code}"
            except BaseException as e:  # noqa: BLE001
                outcome = type(e).__name__
            out.write(json.dumps({"call": tname, "arg": hname, "outcome": outcome}) + "\n")
    out.write(json.dumps({"done": True}) + "\n")
    '''
)

# Where Python's own exceptions are the documented answer (see the module doc).
PYTHON_ERRORS = {"TypeError", "OverflowError", "UnicodeEncodeError"}
FILE_ERRORS = {"OSError", "FileNotFoundError", "IsADirectoryError", "NotADirectoryError"}
EXTRA_ALLOWED = {
    "RuleSet.load": FILE_ERRORS,
    "RuleSet.extended": FILE_ERRORS,
    "Router": FILE_ERRORS,
    "rule_problems": FILE_ERRORS,
    "Routing.explain": {"ValueError"},
    "Recommendation.explain": {"ValueError"},
    "format_era_date": {"ValueError"},
    "_error_for_code": {"ValueError"},
    "AnnualReport.table": {"KeyError"},
    "Export.table": {"KeyError"},
    "write_synthetic_journal": {"OSError", "FileNotFoundError", "IsADirectoryError"},
}


def test_hostile_matrix_never_crashes(tmp_path) -> None:
    log = tmp_path / "calls.jsonl"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(log)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]
    started = [x for x in lines if x.get("outcome") == "started"]
    assert proc.returncode == 0, (
        f"the child interpreter died (rc {proc.returncode}) during {started[-1] if started else '?'}:\n"
        f"{proc.stderr[-3000:]}"
    )
    assert lines and lines[-1] == {"done": True}
    results = [x for x in lines if "outcome" in x and x["outcome"] != "started"]
    calls = {x["call"] for x in results}
    assert len(calls) > 60, f"only {len(calls)} callables tried"
    assert not [x for x in results if x["outcome"] == "no_instance"], "a class without an instance"
    bad = []
    for x in results:
        o = x["outcome"]
        if o == "ok" or (o.startswith("TsunaguError:") and o != "TsunaguError:internal_panic"):
            continue
        if o in PYTHON_ERRORS or o in EXTRA_ALLOWED.get(x["call"], set()):
            continue
        bad.append(x)
    summary: dict[str, set[str]] = {}
    for b in bad:
        summary.setdefault(b["outcome"], set()).add(f"{b['call']}({b['arg']})")
    assert not bad, "\n".join(f"{o}: {sorted(c)}" for o, c in summary.items())


def test_the_harness_sees_a_crash() -> None:
    """The child-interpreter harness would report a segfault (so the matrix can fail): a child
    that reads address 0 dies with a signal, not with an exception."""
    proc = subprocess.run([sys.executable, "-c", "import ctypes; ctypes.string_at(0)"],
                          capture_output=True, timeout=60)
    assert proc.returncode != 0


def test_the_library_keeps_working_after_a_panic() -> None:
    """After an InternalError the interpreter and the library go on: a book made afterwards
    executes commands."""
    book = tsunagu.CaseBook()
    with pytest.raises(tsunagu.InternalError):
        tsunagu._panic_for_test()
    book.execute({"command": "register_agency", "agency": {
        "id": "a", "name": "A", "kind": "social_welfare_council", "serves": {"any_issue": True}}},
        datetime.date(2024, 4, 1))
    assert len(book) == 1


def test_every_export_carries_the_guard() -> None:
    """Every `#[pyfunction]` and `#[pymethods]` in the binding's sources is preceded by
    `#[tsunagu_python_guard::guard]`, so a new export cannot forget it."""
    import pathlib

    src = pathlib.Path(__file__).resolve().parents[1] / "src"
    missing = []
    for path in sorted(src.glob("*.rs")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() in ("#[pyfunction]", "#[pymethods]"):
                if "tsunagu_python_guard::guard" not in lines[i - 1]:
                    missing.append(f"{path.name}:{i + 1}")
    assert not missing, f"exports without #[guard]: {missing}"

"""Every error code raises the class tests/vectors/errors/classes.json gives it (one kind → class
table in the binding, so the same code has the same class family in every language)."""

from __future__ import annotations

import json
import pathlib

import pytest

import tsunagu

VECTOR = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "errors" / "classes.json"
CODES = json.loads(VECTOR.read_text(encoding="utf-8"))["codes"]


def test_every_core_code_is_listed() -> None:
    assert [c["code"] for c in CODES] == tsunagu.error_codes()


@pytest.mark.parametrize("entry", CODES, ids=[c["code"] for c in CODES])
def test_code_raises_its_class(entry: dict[str, str]) -> None:
    expected = getattr(tsunagu, entry["python"].removeprefix("tsunagu."))
    with pytest.raises(tsunagu.TsunaguError) as info:
        tsunagu._error_for_code(entry["code"])
    err = info.value
    assert type(err) is expected, f"{entry['code']}: {type(err).__name__}"
    assert err.code == entry["code"]
    assert err.kind == entry["kind"]


def test_unknown_code_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        tsunagu._error_for_code("no_such_code")


BINDING_CODES = json.loads(VECTOR.read_text(encoding="utf-8"))["binding_codes"]


@pytest.mark.parametrize("entry", BINDING_CODES, ids=[c["code"] for c in BINDING_CODES])
def test_binding_code_raises_its_class(entry: dict[str, str]) -> None:
    """`internal_panic` (a caught Rust panic) is not a core code but has its class too."""
    expected = getattr(tsunagu, entry["python"].removeprefix("tsunagu."))
    with pytest.raises(tsunagu.TsunaguError) as info:
        tsunagu._error_for_code(entry["code"])
    assert type(info.value) is expected
    assert info.value.code == entry["code"]
    assert info.value.kind == entry["kind"]

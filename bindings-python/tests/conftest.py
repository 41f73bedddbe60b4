import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO


@pytest.fixture(scope="session")
def ishinomaki_journal(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    import tsunagu

    p = tmp_path_factory.mktemp("journal") / "ishinomaki_2020.jsonl"
    p.write_text(tsunagu.ishinomaki_2020(), encoding="utf-8")
    return p

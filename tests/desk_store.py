"""A small store for the desk's tests, built once per test process from ten demo articles.

Ingest runs the whole pipeline (a few seconds with the models loaded), so the store is built once and
shared by tests/test_desk_*.py, tests/test_export.py and tests/test_browser.py. The articles are listed
in tests/fixtures/desk/articles.txt: three stories with several outlets and languages, a syndicated
copy (006 → 008), and neighbouring Niger stories for related coverage.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "interbellum" / "data" / "demo"
LIST = Path(__file__).resolve().parent / "fixtures" / "desk" / "articles.txt"


def fixture_inputs() -> list[str]:
    names = [line.strip() for line in LIST.read_text(encoding="utf-8").splitlines()]
    return [str(DEMO / "articles" / n) for n in names if n and not n.startswith("#")]


@cache
def desk_store() -> Path:
    """The path of the built store (read-only use only: the tests share it)."""
    from interbellum import open_store
    from interbellum.ingest import IngestSummary, ingest

    folder = Path(tempfile.mkdtemp(prefix="interbellum-desk-"))
    atexit.register(shutil.rmtree, folder, True)
    db = folder / "desk.db"
    with open_store(db) as store:
        summary = IngestSummary.of(ingest(fixture_inputs(), store))
    assert summary.failed == 0, summary.failures
    return db

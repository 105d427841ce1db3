"""The demo store: the bundled corpus (``data/demo/``, written for the project) ingested into a store.

Idempotent like any ingest: a second build stores nothing new and takes a few seconds. The feed in
the corpus only indexes the JSON Lines records, so it is not read (reading it could try the network).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ..ingest import IngestSummary, expand_inputs, ingest
from ..store import open_store

DEFAULT_DB = "interbellum-demo.db"


def demo_inputs() -> list[str]:
    """The corpus files, in the order they are ingested (pages, then records)."""
    root = Path(str(resources.files("interbellum") / "data" / "demo"))
    return expand_inputs([str(root / "articles"), str(root / "records.jsonl")])


def build_demo(db: str | Path = DEFAULT_DB, *, on_input: Callable[[str], None] | None = None) -> IngestSummary:
    """Ingest the demo corpus into ``db`` (created when missing); return the run's counts."""
    with open_store(db) as store:
        return IngestSummary.of(ingest(demo_inputs(), store, on_input=on_input))

"""The store: what was read, kept in one SQLite file that Datasette can open.

    >>> from interbellum import open_store
    >>> with open_store("news.db") as store:
    ...     result = store.add_document(doc)          # AddResult("new" | "updated" | "duplicate", id, version)
    ...     store.search("Menaka attack", limit=5)

Modules: :mod:`.sqlite` (opening, checks, transactions, ``add_document``), :mod:`.migrations` (the
schema as decorated steps recorded in ``_migrations``), :mod:`.write` (Document → rows),
:mod:`.queries` (rows → model objects and JSON-ready summaries; full-text search), :mod:`.stories`
(each stored article into a story, in its transaction; the story log), :mod:`.story_queries` (stories
and related stories read back).
"""

from __future__ import annotations

from .sqlite import AddResult, Store, open_store

__all__ = ["AddResult", "Store", "open_store"]

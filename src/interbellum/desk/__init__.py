"""The desk: web pages, a JSON API and downloads over a store, read-only (FastAPI + Jinja2, served by uvicorn).

    >>> from interbellum.desk import create_app
    >>> app = create_app("news.db")          # uvicorn.run(app) or `interbellum serve --db news.db`

Modules: :mod:`.app` (the factory, per-thread read-only access, the one error shape), :mod:`.pages`
(HTML), :mod:`.api` (JSON under ``/api/``), :mod:`.queries` (the read-only SQL), :mod:`.render`
(highlighted text, timelines), :mod:`.mapdata` (country outlines), :mod:`.demo` (the demo store).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

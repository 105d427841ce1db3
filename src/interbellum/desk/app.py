"""The desk's application: ``create_app(db_path)`` gives a FastAPI app over a store, read-only.

Each worker thread gets its own read-only connection and :class:`~interbellum.store.Store` (SQLite
connections are not shared across threads here, and WAL lets them read while an ingest writes). The
related-story index is the exception: one per process (:mod:`.related`), built in the background at startup.
Errors take one shape, made in :func:`error_body`: ``{"error": {"status", "title", "detail"}}`` under
``/api/``, the same facts as an HTML page elsewhere.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from .. import __version__
from ..store import Store, open_store
from .related import SharedRelated

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


class Reader:
    """Per-thread read-only access to one store file: a raw connection for the desk's SQL, and a Store."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        open_store(self.path, readonly=True).close()  # refuses a missing, foreign or outdated file up front
        self._local = threading.local()
        self.related = SharedRelated(self.path)

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro", uri=True,
                                   check_same_thread=False, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = ON")
            self._local.conn = conn
        return conn

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.path, readonly=True)
            self._local.store = store
        return store


def error_body(status: int, detail: str) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"error": {"status": status, "title": HTTPStatus(status).phrase, "detail": detail}}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(db_path: str | Path) -> FastAPI:
    """The desk over the store at ``db_path`` (pages at ``/``, JSON under ``/api/``)."""
    from . import api, pages

    reader = Reader(db_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        reader.related.start()  # in the background: pages serve (with the fallback) while it builds
        yield

    app = FastAPI(lifespan=lifespan, title="Interbellum desk", version=__version__, openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None,
                  description="Read-only JSON API over an Interbellum store: stories, articles, events, "
                              "actors, places, situations, search and exports.")
    app.state.reader = reader
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    pages.setup_templates(app.state.templates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    def respond(request: Request, status: int, detail: str) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(status, detail), status_code=status)
        body = error_body(status, detail)["error"]
        return app.state.templates.TemplateResponse(request, "error.html", {"error": body}, status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Any:
        return respond(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        return respond(request, 422, _validation_detail(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Any:
        log.exception("error serving %s", request.url.path)
        return respond(request, 500, "the desk failed on this request; the server log has the details")

    return app

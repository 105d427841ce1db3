"""The SQLite store: one file in WAL mode, made and upgraded by :mod:`.migrations`, openable in Datasette.

Concurrency, as Datasette does it: one writer, many readers. WAL lets readers (the desk, Datasette, a
second ``open_store(..., readonly=True)``) read while one process writes; writers queue on SQLite's
lock for up to ``BUSY_TIMEOUT_S``. A :class:`Store` is one connection guarded by a lock, so threads
may share it, but a web server should give each reader thread its own read-only Store.

Durability: every write is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``). With WAL and
``synchronous=NORMAL`` a committed transaction survives the process being killed (kill -9); only a
power cut can lose the last commits, never corrupt the file — the trade SQLite recommends for WAL.

Opening checks, so that no file is ever silently overwritten (each raises :class:`StoreError`):
not SQLite; SQLite with tables but not ours (no ``meta`` row ``application = interbellum``);
ours with tables no migration made; ours from a newer Interbellum (more migrations than we know).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from ..errors import StoreError
from ..model import Article, Document
from . import migrations, queries, spans, story_queries, write
from .stories import StoryIndex

BUSY_TIMEOUT_S = 30.0
# PRAGMA application_id: "IBLM". Lets `file` and other tools tell our stores from other SQLite files.
APPLICATION_ID = 0x49424C4D

Status = Literal["new", "updated", "duplicate"]


@dataclass(frozen=True)
class AddResult:
    """What ``add_document`` did: ``status``, the stored article's id, and its current version."""

    status: Status
    article_id: str
    version: int


def open_store(path: str | Path, *, create: bool = True, readonly: bool = False) -> Store:
    """Open (and create or upgrade, unless ``readonly``) the store at ``path``.

    Raises :class:`StoreError` when the file is missing (``create=False`` or ``readonly``), is not
    an Interbellum store, or was written by a newer Interbellum.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and (readonly or not create):
        raise StoreError(f"no store at {path}")
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a store file")
    conn = _connect(path, readonly)
    try:
        _prepare(conn, path, readonly)
    except BaseException:
        conn.close()
        raise
    return Store(conn, path, readonly=readonly)


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                                   isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
        else:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path} ({exc})") from None
    conn.row_factory = sqlite3.Row
    return conn


def _prepare(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    try:
        tables = migrations.table_names(conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a SQLite database ({exc})") from None
    ours = "meta" in tables and _meta(conn, "application") == "interbellum"
    if (tables and not ours) or app_id not in (0, APPLICATION_ID):
        shown = ", ".join(sorted(tables)[:5]) or f"application_id {app_id:#x}"
        raise StoreError(f"{path} is not an Interbellum store (it holds {shown}); give a new file")
    done = migrations.applied(conn) if ours else []
    known = [step.name for step in migrations.MIGRATIONS]
    version = int(_meta(conn, "schema_version") or len(done)) if ours else 0
    if version > len(known) or done != known[: len(done)]:
        raise StoreError(f"{path} was written by a newer Interbellum (schema {max(version, len(done))}, "
                         f"this version knows {len(known)}); upgrade Interbellum to open it")
    foreign = tables - migrations.expected_tables(len(done)) if ours else set()
    if foreign:
        raise StoreError(f"{path} has tables Interbellum did not make ({', '.join(sorted(foreign))}); "
                         "refusing to write to it")
    if readonly:
        if len(done) < len(known):
            raise StoreError(f"{path} has an older schema ({len(done)} < {len(known)}); "
                             "open it once without readonly to upgrade it")
        conn.execute("PRAGMA query_only = ON")
        return
    _set_up_writer(conn, fresh=not tables)


def _set_up_writer(conn: sqlite3.Connection, *, fresh: bool) -> None:
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if fresh:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        migrations.apply(conn)
        if fresh:
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)", (_now(),))
    except sqlite3.Error as exc:
        raise StoreError(f"cannot prepare the store ({exc})") from None


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _now() -> str:
    """Record time, UTC, to the second: when we stored a thing (never when it happened)."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """A store file: add documents, read articles back, search. Use :func:`open_store` to get one."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool = False) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self.readonly = readonly
        self._story_index: StoryIndex | None = None  # built at first use, kept in step with the log

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {str(self.path)!r}{' readonly' if self.readonly else ''}>"

    @property
    def schema_version(self) -> int:
        return int(self._read(lambda c: _meta(c, "schema_version")) or 0)

    # -- writing ---------------------------------------------------------------------------------
    def add_document(self, doc: Document, *, stages: Sequence[str] = (), page_key: str | None = None) -> AddResult:
        """Store ``doc`` in one transaction: "new", "updated" (a new version) or "duplicate" (nothing changes).

        The article is found by id, else by canonical URL. A body seen before in any version of it is a
        duplicate, so re-reading an old copy never flips the current one. ``stages`` (the pipeline's
        stage names) are recorded with the article; ``page_key`` (see :mod:`interbellum.ingest`) marks
        the input page as read, so a rerun can skip it before reading.
        """
        article_id = doc.article.id
        if not article_id:
            raise StoreError(f"{doc.input}: the article has no id; read it through the pipeline first")
        digest = write.text_hash(doc.article.body)
        now = _now()
        try:
            return self._add(doc, article_id, digest, now, stages, page_key)
        except BaseException:
            self._story_index = None  # it may hold what was rolled back: rebuild from the log
            raise

    def _add(self, doc: Document, article_id: str, digest: str, now: str, stages: Sequence[str],
             page_key: str | None) -> AddResult:
        with self._transaction() as conn:
            found = write.find_article(conn, article_id, write.canonical(doc.article.url))
            if found is not None and write.has_version(conn, found["id"], digest):
                result = AddResult("duplicate", found["id"], found["version"])
            else:
                values = write.article_values(doc, digest=digest, stages=list(stages), now=now)
                write.upsert_outlet(conn, doc)
                if found is None:
                    write.insert_article(conn, article_id, values)
                    result = AddResult("new", article_id, 1)
                else:
                    result = AddResult("updated", found["id"], found["version"] + 1)
                    write.update_article(conn, result.article_id, result.version, values)
                write.insert_knowledge(conn, result.article_id, doc)
                write.insert_events(conn, result.article_id, doc, now)
                write.insert_situations(conn, result.article_id, doc, now)
                spans.refresh(conn, result.article_id, now)
                self._stories(conn).file(conn, doc, result.article_id, result.status, now)
            if page_key:
                write.record_page(conn, page_key, result.article_id, doc.input, now)
        return result

    def has_page(self, page_key: str) -> bool:
        """True when an input page with this key was stored before (see ``add_document``)."""
        return self._read(lambda c: c.execute("SELECT 1 FROM pages WHERE key = ?", (page_key,)).fetchone()) is not None

    def has_url(self, url: str) -> bool:
        """True when an article with this URL (compared in canonical form) is stored."""
        key = write.canonical(url)
        return self._read(lambda c: c.execute("SELECT 1 FROM articles WHERE canonical_url = ? LIMIT 1",
                                              (key,)).fetchone()) is not None

    # -- reading ---------------------------------------------------------------------------------
    def article(self, article_id: str) -> Article | None:
        """The article's current version, or None."""
        return self._read(lambda c: queries.article(c, article_id))

    def document(self, article_id: str) -> Document | None:
        """The article with its entities, places, times, events and situations, as stored."""
        return self._read(lambda c: queries.document(c, article_id))

    def articles(self, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
        """Article summaries, newest published first; see :func:`.queries.articles` for the filters."""
        return self._read(lambda c: queries.articles(c, limit=limit, offset=offset, **filters))

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        return self._read(lambda c: queries.versions(c, article_id))

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching ``query`` (words, all required; "quoted phrases"), best first."""
        return self._read(lambda c: queries.search(c, query, limit))

    def count(self, table: str) -> int:
        """Rows in one of the store's tables."""
        return self._read(lambda c: queries.count(c, table))

    # -- stories ---------------------------------------------------------------------------------
    def stories(self, *, limit: int = 50, offset: int = 0, country: str | None = None, actor: str | None = None,
                event_type: str | None = None, q: str | None = None) -> list[dict[str, Any]]:
        """Stories, newest ``last_seen`` first, as ``interbellum stories`` prints them, plus n_articles,
        countries (ISO3), actors (names) and event_types; filters: ``country`` (ISO3), ``actor`` (a
        name or knowledge-base id), ``event_type`` (PLOVER, ACLED type or ACLED event type), ``q`` (words)."""
        return self._read(lambda c: story_queries.stories(c, limit=limit, offset=offset, country=country,
                                                          actor=actor, event_type=event_type, q=q))

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story in the shape of ``stories()``, or None."""
        return self._read(lambda c: story_queries.story(c, story_id))

    def story_count(self, *, country: str | None = None, actor: str | None = None, event_type: str | None = None,
                    q: str | None = None) -> int:
        """How many stories ``stories()`` would list with these filters, all pages together."""
        return self._read(lambda c: story_queries.story_count(c, country=country, actor=actor,
                                                              event_type=event_type, q=q))

    def related(self, article_id: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """Other stories related to the article's, best first: ``{story, title, score, article, url}``;
        ``[]`` when nothing stored is related. Raises StoreError for an unknown article."""
        return self._read(lambda c: story_queries.related(c, self._stories(c), article_id, limit))

    def _stories(self, conn: sqlite3.Connection) -> StoryIndex:
        """The story index, built from the log at first use and brought up to date on each use."""
        if self._story_index is None:
            self._story_index = StoryIndex(writable=not self.readonly)
        self._story_index.sync(conn)
        return self._story_index

    # -- plumbing --------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._conn

    def _read(self, fn: Any) -> Any:
        with self._lock:
            try:
                return fn(self._connection())
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: read failed ({exc})") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front, so no deadlock midway."""
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot write ({exc})") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: write failed, nothing was changed ({exc})") from None
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- situations ------------------------------------------------------------------------------
    def situations(self, *, country: str | None = None, actor: str | None = None, as_of: str | None = None,
                   relation: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Situation spans (contracts/README.md shape, with "reports" and "contradictions"), filtered by
        country (ISO3), actor (name or id, as subject or object), relation, and the date they held on
        (``as_of``, YYYY[-MM[-DD]]; see :mod:`.spans` for what "held" means)."""
        return self._read(lambda c: spans.situations(c, country=country, actor=actor, as_of=as_of,
                                                     relation=relation, limit=limit))

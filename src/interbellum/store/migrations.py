"""The store's schema, as an ordered list of small migrations recorded in ``_migrations``.

Each migration is a function ``(conn) -> None`` registered with ``@migration``; the list order is the
schema order and a file's schema version is the number of migrations it has applied (also kept in
``meta`` as ``schema_version`` so that Datasette users and other tools can read it). A migration runs
in the same transaction as the row that records it, so a crash leaves it either applied or not.

To change the schema, append a new function: never edit one that has shipped, since files made with it
exist. Names are ``mNNN_what`` so that their order shows in ``_migrations``.

Conventions, for the readers to come (desk, stories, as-of queries):
- event time and record time are apart: ``events.date``/``date_precision`` say when it happened,
  ``recorded_at`` when we learned it; ``articles.published`` vs ``articles.fetched_at`` likewise;
- lists and free-form metadata are JSON text (Datasette renders them; ``json_each`` queries them);
- ``"start"``/``"end"`` are character offsets into the article body of the version stored in
  ``articles`` (``end`` is an SQL keyword: quote it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class _Step:
    name: str
    fn: Migration


MIGRATIONS: list[_Step] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next schema step, under its function name."""
    if any(step.name == fn.__name__ for step in MIGRATIONS):
        raise ValueError(f"migration {fn.__name__} is registered twice")
    MIGRATIONS.append(_Step(fn.__name__, fn))
    return fn


def latest_version() -> int:
    return len(MIGRATIONS)


def execute_script(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, which would split a migration from its record;
    ``sqlite3.complete_statement`` finds statement ends even inside trigger bodies.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]!r}")


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this file has applied, in order (empty for a fresh file)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'").fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY version")]


def apply(conn: sqlite3.Connection, *, upto: int | None = None) -> int:
    """Apply the pending migrations (each in its own transaction); return how many ran.

    ``conn`` must be in autocommit mode (``isolation_level=None``): transactions are explicit here.
    """
    target = len(MIGRATIONS) if upto is None else upto
    ran = 0
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Counted under the write lock: two processes opening one new file must not both migrate it.
            version = len(applied(conn)) + 1
            if version > target:
                conn.execute("COMMIT")
                return ran
            step = MIGRATIONS[version - 1]
            step.fn(conn)
            now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            conn.execute("INSERT INTO _migrations(version, name, applied_at) VALUES (?, ?, ?)",
                         (version, step.name, now))
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(version),))
            conn.execute("COMMIT")
            ran += 1
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def expected_tables(version: int) -> set[str]:
    """The tables a file at schema ``version`` has: the migrations replayed on an in-memory database.

    Derived rather than listed by hand, so a new migration cannot forget to update a list.
    """
    if version not in _TABLES_CACHE:
        mem = sqlite3.connect(":memory:", isolation_level=None)
        try:
            apply(mem, upto=version)
            _TABLES_CACHE[version] = table_names(mem)
        finally:
            mem.close()
    return _TABLES_CACHE[version]


_TABLES_CACHE: dict[int, set[str]] = {}


def table_names(conn: sqlite3.Connection) -> set[str]:
    """User tables (FTS5 shadow tables included), not SQLite's own ``sqlite_*``."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    return {row[0] for row in rows}


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    execute_script(conn, _BOOKKEEPING + _ARTICLES + _KNOWLEDGE + _EVENTS + _SEARCH)


_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS _migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('application', 'interbellum');
"""

# seq is an INTEGER PRIMARY KEY so that the FTS index's rowids survive VACUUM (implicit rowids may not).
_ARTICLES = """
CREATE TABLE outlets (
    domain TEXT PRIMARY KEY, name TEXT, country TEXT, kind TEXT, state_affiliated INTEGER);
CREATE TABLE stories (
    id TEXT PRIMARY KEY, title TEXT, first_seen TEXT, last_seen TEXT, representative TEXT);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    input TEXT,
    url TEXT, canonical_url TEXT, title TEXT, subtitle TEXT, source TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    site_name TEXT, site_domain TEXT REFERENCES outlets(domain),
    published TEXT, published_precision TEXT, updated TEXT,
    language TEXT NOT NULL DEFAULT 'und', reading_time_min INTEGER,
    body TEXT NOT NULL,
    related_titles TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}',
    site_state_affiliated INTEGER, source_state_affiliated INTEGER,
    text_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    stages TEXT NOT NULL DEFAULT '[]',
    fetched_at TEXT NOT NULL,
    story_id TEXT REFERENCES stories(id),
    duplicate_of TEXT REFERENCES articles(id));
CREATE INDEX articles_canonical_url ON articles(canonical_url);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_site ON articles(site_domain);
CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    title TEXT, body TEXT NOT NULL, text_hash TEXT NOT NULL, fetched_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version));
CREATE INDEX article_versions_hash ON article_versions(article_id, text_hash);
CREATE TABLE pages (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    input TEXT, seen_at TEXT NOT NULL);
CREATE INDEX pages_article ON pages(article_id);
"""

_KNOWLEDGE = """
CREATE TABLE entities (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT, country TEXT, kb_id TEXT);
CREATE TABLE places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT, admin1 TEXT, kind TEXT, lat REAL, lon REAL);
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id TEXT REFERENCES entities(id),
    place_id TEXT REFERENCES places(id),
    text TEXT NOT NULL, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'place')));
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_place ON mentions(place_id);
CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles(id), seq INTEGER NOT NULL,
    text TEXT NOT NULL, value TEXT, end_value TEXT, precision TEXT,
    "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq));
"""

_EVENTS = """
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT REFERENCES articles(id), seq INTEGER,
    type TEXT NOT NULL, sentence TEXT NOT NULL,
    actors TEXT NOT NULL DEFAULT '[]', targets TEXT NOT NULL DEFAULT '[]',
    actor_ids TEXT NOT NULL DEFAULT '[]', target_ids TEXT NOT NULL DEFAULT '[]',
    mode TEXT, acled_type TEXT, place TEXT, place_id TEXT,
    date TEXT, date_precision TEXT,
    claimed_by TEXT, hedged INTEGER NOT NULL DEFAULT 0, negated INTEGER NOT NULL DEFAULT 0,
    fatalities INTEGER, confidence REAL, "start" INTEGER, "end" INTEGER,
    recorded_at TEXT NOT NULL);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date);
CREATE TABLE event_reports (
    event_id TEXT NOT NULL REFERENCES events(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    sentence TEXT NOT NULL, "start" INTEGER, "end" INTEGER,
    claimed_by TEXT, fatalities INTEGER, recorded_at TEXT NOT NULL);
CREATE INDEX event_reports_event ON event_reports(event_id);
CREATE INDEX event_reports_article ON event_reports(article_id);
CREATE TABLE situations (
    id TEXT PRIMARY KEY,
    article_id TEXT REFERENCES articles(id), seq INTEGER,
    subject TEXT NOT NULL, relation TEXT NOT NULL, object TEXT NOT NULL,
    subject_id TEXT, object_id TEXT,
    "start" TEXT, start_precision TEXT, "end" TEXT, end_precision TEXT, ongoing INTEGER,
    claimed_by TEXT, hedged INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL);
CREATE INDEX situations_article ON situations(article_id);
CREATE TABLE situation_reports (
    situation_id TEXT NOT NULL REFERENCES situations(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    sentence TEXT NOT NULL, "start" INTEGER, "end" INTEGER,
    claimed_by TEXT, recorded_at TEXT NOT NULL);
CREATE INDEX situation_reports_situation ON situation_reports(situation_id);
CREATE INDEX situation_reports_article ON situation_reports(article_id);
"""

# External-content FTS5 (Datasette detects it and offers a search box); the triggers keep it in step
# with every write to articles, whoever makes it. remove_diacritics 2: "Ménaka" matches "Menaka".
_SEARCH = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
"""


@migration
def m002_stories(conn: sqlite3.Connection) -> None:
    """Stories as the desk reads them, their canonical events, and the clusterer's saved state."""
    execute_script(conn, _STORIES)


# story_events.data is the canonical event exactly as `interbellum stories` prints it (contracts/README.md:
# the extract event object plus "reports"); the other columns are copies for filtering and the map; seq is
# its place in the story's list; events.story_event_id links each article's event to the canonical one.
# story_log is the duplicate index and the clusterer as an append-only log, one row per article assigned
# (or re-featured), written in the transaction that stores the article: a store rebuilds both by replaying
# it (no scoring), so an interrupted ingest resumes from what was committed and saving costs the same at
# any size. story_state holds small settings (the log's format version).
_STORIES = """
ALTER TABLE stories ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN countries TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN event_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN updated_at TEXT;
CREATE INDEX stories_last_seen ON stories(last_seen);
CREATE INDEX articles_duplicate ON articles(duplicate_of);
CREATE TABLE story_events (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories(id),
    type TEXT NOT NULL, mode TEXT, acled_type TEXT,
    actors TEXT NOT NULL DEFAULT '[]', targets TEXT NOT NULL DEFAULT '[]',
    place TEXT, place_id TEXT, country TEXT, lat REAL, lon REAL,
    date TEXT, date_precision TEXT, fatalities INTEGER,
    n_reports INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX story_events_story ON story_events(story_id);
CREATE INDEX story_events_date ON story_events(date);
CREATE INDEX story_events_country ON story_events(country);
CREATE TABLE story_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE story_log (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    op TEXT NOT NULL CHECK (op IN ('assign', 'refresh')),
    story_id TEXT NOT NULL,
    features TEXT NOT NULL,
    dedupe TEXT,
    signature BLOB,
    related_titles TEXT NOT NULL DEFAULT '[]',
    recorded_at TEXT NOT NULL);
ALTER TABLE events ADD COLUMN story_event_id TEXT;
CREATE INDEX events_story_event ON events(story_event_id);
"""


@migration
def m003_situation_spans(conn: sqlite3.Connection) -> None:
    """Situations over the store: one row per held relation, with every report that supports it."""
    execute_script(conn, _SPANS)


# situation_spans.data is the situation exactly as `interbellum situations` prints it (contracts/README.md:
# the extract situation object plus "reports" and "contradictions"); the columns copy what the as-of
# queries and the desk filter on. "start"/"end" here are dates (ISO prefixes), not character offsets.
# situations.span_id ties each article-level situation to the span it supports.
_SPANS = """
CREATE TABLE situation_spans (
    id TEXT PRIMARY KEY,
    relation TEXT NOT NULL,
    subject TEXT NOT NULL, subject_id TEXT,
    object TEXT NOT NULL, object_id TEXT,
    country TEXT,
    "start" TEXT, start_precision TEXT, "end" TEXT, end_precision TEXT, ongoing INTEGER,
    claimed_by TEXT, hedged INTEGER NOT NULL DEFAULT 0,
    n_reports INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX situation_spans_subject ON situation_spans(subject);
CREATE INDEX situation_spans_object ON situation_spans(object);
CREATE INDEX situation_spans_country ON situation_spans(country);
ALTER TABLE situations ADD COLUMN span_id TEXT;
CREATE INDEX situations_span ON situations(span_id);
CREATE INDEX situations_key ON situations(relation, subject, object);
"""

"""Reading the store back: articles as model objects, summaries as JSON-ready dicts, full-text search.

Every function takes a connection and only reads, so the desk can call them on a read-only store.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from ..errors import StoreError
from ..model import Article, Document, Entity, Event, Evidence, Place, Situation, Span, TimeExpr
from .migrations import table_names

# The fields of an article summary: the shape `interbellum stories` prints for an article, plus
# what a listing needs (site name, version, record time, story).
_SUMMARY = ("id, url, title, published, language, site_domain AS outlet, site_name, duplicate_of, story_id, "
            "version, fetched_at")
_FILTERS = {
    "outlet": "site_domain = ?",
    "language": "language = ?",
    "story": "story_id = ?",
    "since": "published >= ?",
    "until": "published <= ?",
    "fetched_since": "fetched_at >= ?",
}
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')


def article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    return _article(row) if row else None


def _article(row: sqlite3.Row) -> Article:
    return Article(
        title=row["title"], body=row["body"], language=row["language"], id=row["id"], url=row["url"],
        subtitle=row["subtitle"], source=row["source"], authors=json.loads(row["authors"]),
        site_name=row["site_name"], site_domain=row["site_domain"], published=row["published"],
        published_precision=row["published_precision"], updated=row["updated"],
        reading_time_min=row["reading_time_min"], related_titles=json.loads(row["related_titles"]),
        site_state_affiliated=_bool(row["site_state_affiliated"]),
        source_state_affiliated=_bool(row["source_state_affiliated"]), extra=json.loads(row["extra"]),
    )


def document(conn: sqlite3.Connection, article_id: str) -> Document | None:
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    return Document(input=row["input"] or article_id, article=_article(row), entities=_entities(conn, article_id),
                    places=_places(conn, article_id), times=_times(conn, article_id),
                    events=_events(conn, article_id), situations=_situations(conn, article_id))


def _entities(conn: sqlite3.Connection, article_id: str) -> list[Entity]:
    out: dict[str, Entity] = {}
    rows = conn.execute('SELECT m.entity_id, m.text, m."start", m."end", e.name, e.type, e.country, e.kb_id '
                        "FROM mentions m JOIN entities e ON e.id = m.entity_id "
                        "WHERE m.article_id = ? AND m.kind = 'entity' ORDER BY m.rowid", (article_id,))
    for r in rows:
        entity = out.setdefault(r["entity_id"], Entity(name=r["name"], type=r["type"], id=r["kb_id"],
                                                      country=r["country"]))
        entity.mentions.append(Span(r["text"], r["start"], r["end"]))
    return list(out.values())


def _places(conn: sqlite3.Connection, article_id: str) -> list[Place]:
    out: dict[str, Place] = {}
    rows = conn.execute('SELECT m.place_id, m.text, m."start", m."end", p.* '
                        "FROM mentions m JOIN places p ON p.id = m.place_id "
                        "WHERE m.article_id = ? AND m.kind = 'place' ORDER BY m.rowid", (article_id,))
    for r in rows:
        place = out.setdefault(r["place_id"], Place(
            name=r["name"], lat=r["lat"], lon=r["lon"], id=None if r["id"].startswith("~") else r["id"],
            country=r["country"], admin1=r["admin1"], kind=r["kind"]))
        place.mentions.append(Span(r["text"], r["start"], r["end"]))
    return list(out.values())


def _times(conn: sqlite3.Connection, article_id: str) -> list[TimeExpr]:
    rows = conn.execute('SELECT text, value, precision, "start", "end", end_value FROM times '
                        "WHERE article_id = ? ORDER BY seq", (article_id,))
    return [TimeExpr(*r) for r in rows]


def _events(conn: sqlite3.Connection, article_id: str) -> list[Event]:
    rows = conn.execute("SELECT * FROM events WHERE article_id = ? ORDER BY seq", (article_id,))
    return [Event(type=r["type"], sentence=r["sentence"], actors=json.loads(r["actors"]),
                  targets=json.loads(r["targets"]), mode=r["mode"], acled_type=r["acled_type"], place=r["place"],
                  date=r["date"], date_precision=r["date_precision"], claimed_by=r["claimed_by"],
                  hedged=bool(r["hedged"]), negated=bool(r["negated"]), fatalities=r["fatalities"],
                  confidence=r["confidence"], start=r["start"], end=r["end"], actor_ids=json.loads(r["actor_ids"]),
                  target_ids=json.loads(r["target_ids"]), place_id=r["place_id"]) for r in rows]


def _situations(conn: sqlite3.Connection, article_id: str) -> list[Situation]:
    out = []
    for r in conn.execute("SELECT * FROM situations WHERE article_id = ? ORDER BY seq", (article_id,)).fetchall():
        evidence = [Evidence(e["sentence"], e["start"], e["end"]) for e in conn.execute(
            'SELECT sentence, "start", "end" FROM situation_reports WHERE situation_id = ? AND article_id = ? '
            "ORDER BY rowid", (r["id"], article_id))]
        out.append(Situation(subject=r["subject"], relation=r["relation"], object=r["object"], start=r["start"],
                             end=r["end"], ongoing=_bool(r["ongoing"]), evidence=evidence,
                             subject_id=r["subject_id"], object_id=r["object_id"],
                             start_precision=r["start_precision"], end_precision=r["end_precision"],
                             claimed_by=r["claimed_by"], hedged=bool(r["hedged"])))
    return out


def articles(conn: sqlite3.Connection, *, limit: int = 100, offset: int = 0,
             **filters: str | None) -> list[dict[str, Any]]:
    """Summaries, newest published first (undated last), then by arrival.

    Filters (None means any): ``outlet`` (domain), ``language``, ``story``, ``since``/``until``
    (publication dates, inclusive, ``YYYY[-MM[-DD]]``), ``fetched_since`` (record time).
    """
    unknown = set(filters) - set(_FILTERS)
    if unknown:
        raise StoreError(f"unknown article filter(s): {', '.join(sorted(unknown))}")
    used = {k: v for k, v in filters.items() if v is not None}
    where = " AND ".join(_FILTERS[k] for k in used) or "1"
    rows = conn.execute(f"SELECT {_SUMMARY} FROM articles WHERE {where} "
                        "ORDER BY published IS NULL, published DESC, seq LIMIT ? OFFSET ?",
                        [*used.values(), limit, offset])
    return [dict(r) for r in rows]


def versions(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT version, title, text_hash, fetched_at, length(body) AS chars "
                        "FROM article_versions WHERE article_id = ? ORDER BY version", (article_id,))
    return [dict(r) for r in rows]


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word required, "quoted phrases" kept, operators inert.

    Quoting each token (as Datasette's escape_fts does) means a stray ``"``, ``-`` or ``AND`` in
    a search box cannot become an FTS5 syntax error.
    """
    tokens = [t.strip('"') for t in _TOKEN.findall(text)]
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens if t.strip())


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    query = fts_query(text)
    if not query:
        return []
    rows = conn.execute(
        "SELECT a.id, a.title, a.url, a.published, a.site_domain AS outlet, "
        "snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, articles_fts.rank AS rank "
        "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?", (query, limit))
    return [dict(r) for r in rows]


def count(conn: sqlite3.Connection, table: str) -> int:
    if table not in table_names(conn):
        raise StoreError(f"no table {table!r} in the store")
    return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)

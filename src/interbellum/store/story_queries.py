"""Reading stories back: the ``interbellum stories`` shape, filters for the desk, related stories.

Every function takes a connection and only reads (the related-story index is built by the caller).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..errors import StoreError
from ..stories.related import related as related_stories
from .queries import fts_query
from .stories import StoryIndex

# The article fields of a story, as contracts/README.md gives them.
_ARTICLE = "id, url, title, published, language, site_domain AS outlet, duplicate_of"
_LIST_FIELDS = ("countries", "actors", "event_types")


def _where(country: str | None, actor: str | None, event_type: str | None, q: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of the story filters (None means any)."""
    clauses, params = ["n_articles > 0"], []
    if country:
        clauses.append("EXISTS (SELECT 1 FROM json_each(stories.countries) WHERE upper(value) = upper(?))")
        params.append(country)
    if actor:
        # an actor's name as listed, or its knowledge-base id through the story's mentions
        clauses.append("(EXISTS (SELECT 1 FROM json_each(stories.actors) WHERE lower(value) = lower(?)) OR "
                       "EXISTS (SELECT 1 FROM articles a JOIN mentions m ON m.article_id = a.id "
                       "JOIN entities e ON e.id = m.entity_id WHERE a.story_id = stories.id "
                       "AND (e.kb_id = ? OR e.id = ?)))")
        params += [actor, actor, actor]
    if event_type:
        # a PLOVER type, an ACLED "Event type / Sub-event type", or an ACLED event type alone
        clauses.append("EXISTS (SELECT 1 FROM json_each(stories.event_types) WHERE value = ? OR value LIKE ?)")
        params += [event_type, event_type.replace("%", "") + " / %"]
    if q:
        query = fts_query(q)
        if query:
            clauses.append("stories.id IN (SELECT a.story_id FROM articles_fts JOIN articles a "
                           "ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?)")
            params.append(query)
    return " AND ".join(clauses), params


def stories(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0, country: str | None = None,
            actor: str | None = None, event_type: str | None = None, q: str | None = None) -> list[dict[str, Any]]:
    """Stories, newest ``last_seen`` first (undated last), in the ``interbellum stories`` shape."""
    where, params = _where(country, actor, event_type, q)
    rows = conn.execute(f"SELECT * FROM stories WHERE {where} ORDER BY last_seen IS NULL, last_seen DESC, id "
                        "LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [_story(conn, r) for r in rows]


def story_count(conn: sqlite3.Connection, *, country: str | None = None, actor: str | None = None,
                event_type: str | None = None, q: str | None = None) -> int:
    where, params = _where(country, actor, event_type, q)
    return conn.execute(f"SELECT count(*) FROM stories WHERE {where}", params).fetchone()[0]


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    return _story(conn, row) if row else None


def _story(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    articles = [dict(r) for r in conn.execute(
        f"SELECT {_ARTICLE} FROM articles WHERE story_id = ? ORDER BY published IS NULL, published, seq",
        (row["id"],))]
    events = [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM story_events WHERE story_id = ? ORDER BY seq", (row["id"],))]
    out: dict[str, Any] = {"id": row["id"], "title": row["title"], "first_seen": row["first_seen"],
                           "last_seen": row["last_seen"], "articles": articles, "events": events,
                           "n_articles": row["n_articles"], "representative": row["representative"]}
    out.update({k: json.loads(row[k]) for k in _LIST_FIELDS})
    return out


def related(conn: sqlite3.Connection, index: StoryIndex, article_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Other stories related to the article's, best first: ``{story, title, score, article, url}``.

    The page's own related titles are linked to stored stories first. Raises StoreError for an
    article the store does not hold."""
    row = conn.execute("SELECT related_titles FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise StoreError(f"no article {article_id!r} in the store")
    if index.clusterer.story_of(article_id) is None:
        return []  # stored before stories existed: nothing to compare with
    hits = related_stories(index.clusterer, article_id, limit, related_titles=json.loads(row["related_titles"]))
    out = []
    for story_id, score, representative in hits:
        srow = conn.execute("SELECT s.title, a.url FROM stories s LEFT JOIN articles a ON a.id = ? "
                            "WHERE s.id = ?", (representative, story_id)).fetchone()
        if srow is None:
            continue  # assigned in memory by a transaction still open elsewhere
        out.append({"story": story_id, "title": srow["title"], "score": score, "article": representative,
                    "url": srow["url"]})
    return out

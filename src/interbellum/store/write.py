"""Rows from a Document: what ``Store.add_document`` writes, inside the transaction it opened.

Nothing here commits; every function takes the connection of a transaction in progress.
An article's derived rows (mentions, times, events, situations and their reports) belong to the
version stored in ``articles`` and are replaced whole when a new version arrives.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from ..model import Document, Entity, Place
from ..reading.meta import canonical_url, normalise_text

# Tables holding rows derived from one article's current version, cleared before a new version.
_DERIVED = ("mentions", "times", "event_reports", "events", "situation_reports", "situations")


def text_hash(body: str) -> str:
    """The body's fingerprint: a re-fetched page whose text differs only in spacing or case is the same."""
    return hashlib.sha1(normalise_text(body).encode("utf-8")).hexdigest()


def canonical(url: str | None) -> str | None:
    return canonical_url(url) if url else None


def find_article(conn: sqlite3.Connection, article_id: str, canonical_url: str | None) -> sqlite3.Row | None:
    """The stored article with this id, else the one with this canonical URL (a page whose id moved)."""
    row = conn.execute("SELECT id, version FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None and canonical_url:
        row = conn.execute("SELECT id, version FROM articles WHERE canonical_url = ? ORDER BY seq LIMIT 1",
                           (canonical_url,)).fetchone()
    return row


def has_version(conn: sqlite3.Connection, article_id: str, digest: str) -> bool:
    """Any version of the article with this text — so re-reading an older copy changes nothing."""
    return conn.execute("SELECT 1 FROM article_versions WHERE article_id = ? AND text_hash = ?",
                        (article_id, digest)).fetchone() is not None


def article_values(doc: Document, *, digest: str, stages: list[str], now: str) -> dict[str, Any]:
    a = doc.article
    return {
        "input": doc.input, "url": a.url, "canonical_url": canonical(a.url), "title": a.title,
        "subtitle": a.subtitle, "source": a.source, "authors": _json(a.authors), "site_name": a.site_name,
        "site_domain": a.site_domain, "published": a.published, "published_precision": a.published_precision,
        "updated": a.updated, "language": a.language, "reading_time_min": a.reading_time_min, "body": a.body,
        "related_titles": _json(a.related_titles), "extra": _json(a.extra),
        "site_state_affiliated": a.site_state_affiliated, "source_state_affiliated": a.source_state_affiliated,
        "text_hash": digest, "stages": _json(stages), "fetched_at": now,
    }


def insert_article(conn: sqlite3.Connection, article_id: str, values: dict[str, Any]) -> None:
    row = {"id": article_id, **values, "version": 1}
    cols = ", ".join(row)
    conn.execute(f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    _add_version(conn, article_id, 1, values)


def update_article(conn: sqlite3.Connection, article_id: str, version: int, values: dict[str, Any]) -> None:
    # The first input that gave us the article stays its input; the URL a user first saw stays too.
    values = {k: v for k, v in values.items() if k != "input"}
    sets = ", ".join(f"{k} = ?" for k in values)
    conn.execute(f"UPDATE articles SET {sets}, version = ? WHERE id = ?", [*values.values(), version, article_id])
    for table in _DERIVED:
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    _add_version(conn, article_id, version, values)


def _add_version(conn: sqlite3.Connection, article_id: str, version: int, values: dict[str, Any]) -> None:
    conn.execute("INSERT INTO article_versions (article_id, version, title, body, text_hash, fetched_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (article_id, version, values["title"], values["body"], values["text_hash"], values["fetched_at"]))


def upsert_outlet(conn: sqlite3.Connection, doc: Document) -> None:
    a = doc.article
    if not a.site_domain:
        return
    # What an outlet table loaded from the knowledge base says is kept; articles only fill gaps.
    conn.execute("INSERT INTO outlets (domain, name, state_affiliated) VALUES (?, ?, ?) "
                 "ON CONFLICT(domain) DO UPDATE SET name = coalesce(outlets.name, excluded.name), "
                 "state_affiliated = coalesce(outlets.state_affiliated, excluded.state_affiliated)",
                 (a.site_domain, a.site_name, a.site_state_affiliated))


def entity_key(entity: Entity) -> str:
    """The knowledge-base id, or a key from type and name for an actor the KB does not know."""
    return entity.id or f"~{(entity.type or '').lower()}:{normalise_text(entity.name)}"


def place_key(place: Place) -> str:
    return place.id or f"~{normalise_text(place.name)}@{place.lat:.4f},{place.lon:.4f}"


def insert_knowledge(conn: sqlite3.Connection, article_id: str, doc: Document) -> None:
    for entity in doc.entities:
        key = entity_key(entity)
        conn.execute("INSERT OR IGNORE INTO entities (id, name, type, country, kb_id) VALUES (?, ?, ?, ?, ?)",
                     (key, entity.name, entity.type, entity.country, entity.id))
        conn.executemany('INSERT INTO mentions (article_id, entity_id, text, "start", "end", kind) '
                         "VALUES (?, ?, ?, ?, ?, 'entity')",
                         [(article_id, key, m.text, m.start, m.end) for m in entity.mentions])
    for place in doc.places:
        key = place_key(place)
        conn.execute("INSERT OR IGNORE INTO places (id, name, country, admin1, kind, lat, lon) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (key, place.name, place.country, place.admin1, place.kind, place.lat, place.lon))
        conn.executemany('INSERT INTO mentions (article_id, place_id, text, "start", "end", kind) '
                         "VALUES (?, ?, ?, ?, ?, 'place')",
                         [(article_id, key, m.text, m.start, m.end) for m in place.mentions])
    conn.executemany('INSERT INTO times (article_id, seq, text, value, end_value, precision, "start", "end") '
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(article_id, i, t.text, t.value, t.end_value, t.precision, t.start, t.end)
                      for i, t in enumerate(doc.times)])


def insert_events(conn: sqlite3.Connection, article_id: str, doc: Document, now: str) -> None:
    for i, ev in enumerate(doc.events):
        # Content-derived, so the same article re-read gives the same ids and a changed one new ids.
        event_id = _row_id("ev", article_id, i, ev.type, ev.sentence, ev.start)
        conn.execute(
            "INSERT INTO events (id, article_id, seq, type, sentence, actors, targets, actor_ids, target_ids, "
            'mode, acled_type, place, place_id, date, date_precision, claimed_by, hedged, negated, fatalities, '
            'confidence, "start", "end", recorded_at) VALUES (' + ", ".join("?" * 23) + ")",
            (event_id, article_id, i, ev.type, ev.sentence, _json(ev.actors), _json(ev.targets),
             _json(ev.actor_ids), _json(ev.target_ids), ev.mode, ev.acled_type, ev.place, ev.place_id,
             ev.date, ev.date_precision, ev.claimed_by, ev.hedged, ev.negated, ev.fatalities,
             ev.confidence, ev.start, ev.end, now))
        conn.execute('INSERT INTO event_reports (event_id, article_id, sentence, "start", "end", claimed_by, '
                     "fatalities, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (event_id, article_id, ev.sentence, ev.start, ev.end, ev.claimed_by, ev.fatalities, now))


def insert_situations(conn: sqlite3.Connection, article_id: str, doc: Document, now: str) -> None:
    for i, s in enumerate(doc.situations):
        sid = _row_id("sit", article_id, i, s.subject, s.relation, s.object)
        conn.execute(
            "INSERT INTO situations (id, article_id, seq, subject, relation, object, subject_id, object_id, "
            '"start", start_precision, "end", end_precision, ongoing, claimed_by, hedged, recorded_at) '
            "VALUES (" + ", ".join("?" * 16) + ")",
            (sid, article_id, i, s.subject, s.relation, s.object, s.subject_id, s.object_id, s.start,
             s.start_precision, s.end, s.end_precision, s.ongoing, s.claimed_by, s.hedged, now))
        conn.executemany('INSERT INTO situation_reports (situation_id, article_id, sentence, "start", "end", '
                         "claimed_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(sid, article_id, e.sentence, e.start, e.end, s.claimed_by, now) for e in s.evidence])


def record_page(conn: sqlite3.Connection, key: str, article_id: str, label: str, now: str) -> None:
    conn.execute("INSERT OR IGNORE INTO pages (key, article_id, input, seen_at) VALUES (?, ?, ?, ?)",
                 (key, article_id, label, now))


def _row_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


def _json(value: object) -> str:
    # default=str: a JSONL record's unknown keys are JSON already, but a caller's extra may hold dates.
    return json.dumps(value, ensure_ascii=False, default=str)

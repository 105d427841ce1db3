"""Stories in the store: every stored article joins a story in the transaction that stores it.

    add_document ──► StoryIndex.file (same transaction)
        1. sync: replay the ``story_log`` rows committed since this Store last looked (another process
           may have written some), so the in-memory index is the committed one
        2. duplicates: ``DuplicateIndex.add_entry`` → ``articles.duplicate_of`` = the earliest copy;
           copies displaced by an earlier-published one that arrived late are re-pointed
        3. story: ``StoryClusterer.assign_features`` (a copy joins its original's story; stories the
           page lists as related, or whose pages list this title, are never joined); a new version of
           a stored article keeps its story and is re-featured (``refresh``)
        4. one ``story_log`` row: the features, the dedupe entry and the story decided
        5. the story's row and canonical events rewritten (:func:`refresh_story`)

Why a log: saving the whole state per article would cost more as the store grows; a row per article
costs the same at any size, and replaying rows (filing each article where it went, no scoring) rebuilds
the index when a Store first needs it. A transaction that fails drops the in-memory index (the Store
rebuilds it from what was committed).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from typing import Any

from ..model import Document
from ..stories import DuplicateIndex, StoryClusterer, merge_events
from ..stories.dedupe import Entry
from ..stories.features import features_from_json, features_of, features_to_json
from ..stories.related import RelatedLinks, linked_stories
from . import queries

LOG_VERSION = 1
# Canonical events of a large story are merged over its latest articles only: each new article re-merges
# its story, merging is quadratic in the story's events, and that must not grow without bound (100
# three-event articles took ~0.15 s a merge; 50 keep it near 40 ms).
MERGE_MAX_ARTICLES = 50
TOP_ACTORS = 10
_SKIP_ACTOR_TYPES = frozenset({"media"})


class StoryIndex:
    """The duplicate index, the clusterer and the related-title links of one store, kept in memory."""

    def __init__(self, *, writable: bool) -> None:
        self.clusterer = StoryClusterer(reading=not writable)
        self.dupes = DuplicateIndex() if writable else None  # readers only need the clusterer
        self.links = RelatedLinks()
        self.seq = 0

    def sync(self, conn: sqlite3.Connection) -> None:
        """Replay the log rows committed after the last one seen."""
        rows = conn.execute("SELECT * FROM story_log WHERE seq > ? ORDER BY seq", (self.seq,)).fetchall()
        for r in rows:
            f = features_from_json(json.loads(r["features"]))
            if r["op"] == "assign":
                if self.dupes is not None and r["dedupe"]:
                    self.dupes.replay(r["article_id"], Entry.from_json(json.loads(r["dedupe"]), r["signature"]))
                self.clusterer.place(f, r["story_id"])
            else:
                self.clusterer.refresh(f)
            self.links.add(r["article_id"], json.loads(r["related_titles"]))
            self.seq = r["seq"]
        if self.dupes is not None:
            self.dupes.moved()  # replayed moves were re-pointed when they happened

    def file(self, conn: sqlite3.Connection, doc: Document, article_id: str, status: str, now: str) -> str:
        """Assign the stored article (``status`` "new" or "updated") to a story; its story id."""
        assert self.dupes is not None, "a read-only index cannot file articles"
        self.sync(conn)
        a = doc.article
        f = features_of(doc)
        f.article_id = article_id  # an updated page found by URL keeps the stored id
        entry, moved = None, []
        if status == "updated" and self.clusterer.story_of(article_id) is not None:
            op, story_id = "refresh", self.clusterer.refresh(f)
        else:
            original, entry = self.dupes.add_entry(article_id, a.body, a.url, a.published)
            exclude = linked_stories(self.clusterer, self.links, a.title, a.related_titles)
            op, story_id = "assign", self.clusterer.assign_features(f, duplicate_of=original, exclude=exclude)[0]
            moved = self.dupes.moved()
            conn.execute("INSERT OR IGNORE INTO stories (id) VALUES (?)", (story_id,))
            conn.execute("UPDATE articles SET story_id = ?, duplicate_of = ? WHERE id = ?",
                         (story_id, original, article_id))
        self.links.add(article_id, a.related_titles)
        cur = conn.execute(
            "INSERT INTO story_log (article_id, op, story_id, features, dedupe, signature, related_titles, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, op, story_id, json.dumps(features_to_json(f), ensure_ascii=False),
             json.dumps(entry.to_json(), ensure_ascii=False) if entry else None,
             entry.signature if entry else None, json.dumps(a.related_titles, ensure_ascii=False), now))
        self.seq = cur.lastrowid or self.seq
        touched = {story_id} | _repoint(conn, self.dupes, moved)
        for sid in sorted(touched):
            refresh_story(conn, sid, self.clusterer, now)
        conn.execute("INSERT OR REPLACE INTO story_state (key, value, updated_at) VALUES ('log_version', ?, ?)",
                     (json.dumps(LOG_VERSION), now))
        return story_id


def _repoint(conn: sqlite3.Connection, dupes: DuplicateIndex, moved: list[str]) -> set[str]:
    """Former originals displaced by an earlier copy, and their copies, now point at the earliest copy;
    the stories whose reports changed voice."""
    touched: set[str] = set()
    for old in moved:
        root = dupes.canonical(old)
        conn.execute("UPDATE articles SET duplicate_of = ? WHERE (id = ? OR duplicate_of = ?) AND id != ?",
                     (root, old, old, root))
        touched.update(r[0] for r in conn.execute(
            "SELECT DISTINCT story_id FROM articles WHERE (id = ? OR duplicate_of = ?) AND story_id IS NOT NULL",
            (old, root)))
    return touched


def refresh_story(conn: sqlite3.Connection, story_id: str, clusterer: StoryClusterer, now: str) -> None:
    """Rewrite one story's row and canonical events from its stored articles."""
    rows = conn.execute("SELECT id, duplicate_of, published FROM articles WHERE story_id = ? "
                        "ORDER BY published IS NULL, published, seq", (story_id,)).fetchall()
    if not rows:
        return
    recent = rows[-MERGE_MAX_ARTICLES:]
    docs = [d for r in recent if (d := queries.document(conn, r["id"])) is not None]
    events = merge_events(docs, {r["id"]: r["duplicate_of"] for r in recent})
    dated = [r["published"][:10] for r in rows if r["published"]]
    story = clusterer.get(story_id)
    rep = story.representative if story else rows[0]["id"]
    title_row = conn.execute("SELECT title FROM articles WHERE id = ?", (rep,)).fetchone()
    conn.execute("UPDATE stories SET title = ?, first_seen = ?, last_seen = ?, representative = ?, n_articles = ?, "
                 "countries = ?, actors = ?, event_types = ?, updated_at = ? WHERE id = ?",
                 (title_row[0] if title_row else None, min(dated, default=None), max(dated, default=None), rep,
                  len(rows), _json(_countries(docs, events)), _json(_actors(docs)), _json(_event_types(events)),
                  now, story_id))
    _write_events(conn, story_id, docs, events, now)


def _write_events(conn: sqlite3.Connection, story_id: str, docs: list[Document], events: list[dict[str, Any]],
                  now: str) -> None:
    places = {p.id: p for d in docs for p in d.places if p.id}
    conn.execute("UPDATE events SET story_event_id = NULL WHERE story_event_id IN "
                 "(SELECT id FROM story_events WHERE story_id = ?)", (story_id,))
    conn.execute("DELETE FROM story_events WHERE story_id = ?", (story_id,))
    told: Counter[tuple[str, str, str]] = Counter()
    for seq, ev in enumerate(events):
        first = ev["reports"][0] if ev["reports"] else {}
        # one sentence can tell several acts (a protest and its dispersal): each keeps its own id
        key = (str(first.get("article")), str(first.get("sentence")), str(ev["type"]))
        told[key] += 1
        event_id = "se-" + hashlib.sha1("\x1f".join(
            [story_id, *key, str(told[key])]).encode("utf-8")).hexdigest()[:16]
        place = places.get(ev.get("place_id") or "")
        conn.execute(
            "INSERT OR REPLACE INTO story_events (id, story_id, type, mode, acled_type, actors, targets, place, "
            "place_id, country, lat, lon, date, date_precision, fatalities, n_reports, seq, data, updated_at) "
            "VALUES (" + ", ".join("?" * 19) + ")",
            (event_id, story_id, ev["type"], ev.get("mode"), ev.get("acled_type"), _json(ev.get("actors") or []),
             _json(ev.get("targets") or []), ev.get("place"), ev.get("place_id"),
             place.country if place else None, place.lat if place else None, place.lon if place else None,
             ev.get("date"), ev.get("date_precision"), ev.get("fatalities"), len(ev["reports"]), seq,
             _json(ev), now))
        conn.executemany("UPDATE events SET story_event_id = ? WHERE article_id = ? AND sentence = ? AND type = ?",
                         [(event_id, r["article"], r["sentence"], r["type"]) for r in ev["reports"]])


def _countries(docs: list[Document], events: list[dict[str, Any]]) -> list[str]:
    """ISO3 codes of the story's places, most mentioned first (events' places count double)."""
    counts: Counter[str] = Counter()
    places = {}
    for d in docs:
        for p in d.places:
            if p.country:
                counts[p.country] += len(p.mentions) or 1
            if p.id:
                places[p.id] = p
    for ev in events:
        p = places.get(ev.get("place_id") or "")
        if p is not None and p.country:
            counts[p.country] += 2
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _actors(docs: list[Document]) -> list[str]:
    """Names of the actors most of the story's articles name (agencies and outlets left out)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for d in docs:
        seen = set()
        for e in d.entities:
            if e.type in _SKIP_ACTOR_TYPES:
                continue
            key = e.id or e.name.lower()
            names.setdefault(key, e.name)
            seen.add(key)
        counts.update(seen)
    return [names[k] for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))[:TOP_ACTORS]]


def _event_types(events: list[dict[str, Any]]) -> list[str]:
    """PLOVER types and ACLED types of the canonical events, most reported first."""
    counts: Counter[str] = Counter()
    for ev in events:
        for name in (ev.get("type"), ev.get("acled_type")):
            if name:
                counts[name] += len(ev["reports"]) or 1
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)

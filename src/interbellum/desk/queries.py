"""The desk's read-only SQL: stories, articles, actors, places, events, the map and situations.

Every function takes a connection to a store opened read-only and returns JSON-ready dicts. Lists are
stored as JSON text (see :mod:`interbellum.store.migrations`), so filters on them use ``json_each``.
Canonical events (``story_events``, one row per happening with all its reports) are what the desk
shows and exports; the per-article ``events`` rows only highlight an article's own sentences.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

_JSON_COLUMNS = ("countries", "actors", "event_types", "authors", "related_titles", "extra")


def _row(r: sqlite3.Row) -> dict[str, Any]:
    out = dict(r)
    for key in _JSON_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out


# -- stories -------------------------------------------------------------------------------------
def story_extras(conn: sqlite3.Connection, story: dict[str, Any]) -> dict[str, Any]:
    """A listed story (``Store.stories`` shape) with what a story card shows: outlets and languages."""
    arts = story.get("articles", [])
    names = {r["domain"]: r["name"] for r in conn.execute(
        "SELECT domain, name FROM outlets WHERE domain IN (SELECT value FROM json_each(?))",
        (json.dumps([a["outlet"] for a in arts if a.get("outlet")]),))}
    outlets = [names.get(a["outlet"]) or a["outlet"] for a in arts if a.get("outlet") and not a.get("duplicate_of")]
    return {**story, "outlets": list(dict.fromkeys(outlets))[:6],
            "languages": sorted({a["language"] for a in arts if a.get("language")}),
            "n_events": len(story.get("events", []))}


def facets(conn: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """The most common countries, actors and event types over stories, for the front page's filters."""
    out = {}
    for key in ("countries", "actors", "event_types"):
        rows = conn.execute(f"SELECT value, count(*) AS n FROM stories s, json_each(s.{key}) "
                            "GROUP BY value ORDER BY n DESC, value LIMIT 40")
        out[key] = [(r[0], r[1]) for r in rows]
    return out


_STORY_COLS = ("s.id, s.title, s.first_seen, s.last_seen, s.representative, s.n_articles, s.countries, s.actors, "
               "s.event_types")
_ARTICLE_COLS = ("a.id, a.url, a.title, a.published, a.language, a.site_domain AS outlet, a.site_name, "
                 "a.duplicate_of, a.source, a.site_state_affiliated, a.source_state_affiliated")


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """A story as the contract prints it (articles, canonical events with reports), plus the desk's extras."""
    row = conn.execute(f"SELECT {_STORY_COLS} FROM stories s WHERE s.id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    out = _row(row)
    arts = conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.story_id = ? "
                        "ORDER BY a.published, a.seq", (story_id,))
    out["articles"] = [dict(r) for r in arts]
    evs = conn.execute("SELECT id, data, lat, lon, country FROM story_events WHERE story_id = ? "
                       "ORDER BY date IS NULL, date, seq", (story_id,))
    out["events"] = [_event(r) for r in evs]
    return out


def _event(r: sqlite3.Row) -> dict[str, Any]:
    data = json.loads(r["data"])
    data.update(id=r["id"], lat=r["lat"], lon=r["lon"], country=r["country"])
    return data


def disagreements(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the reports of one happening differ on the toll: each figure with who gave it."""
    by_figure: dict[int, list[str]] = {}
    for rep in event.get("reports", []):
        if rep.get("fatalities") is not None:
            who = rep.get("claimed_by") or rep.get("outlet") or rep.get("article")
            by_figure.setdefault(rep["fatalities"], [])
            if who not in by_figure[rep["fatalities"]]:
                by_figure[rep["fatalities"]].append(who)
    if len(by_figure) < 2:
        return []
    return [{"field": "fatalities", "value": v, "by": by} for v, by in sorted(by_figure.items())]


# -- articles ------------------------------------------------------------------------------------
def article_extras(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """What the article page adds to the stored Document: story, outlet, copies, linkable mentions."""
    row = conn.execute("SELECT a.story_id, a.duplicate_of, a.site_domain, s.title AS story_title "
                       "FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE a.id = ?",
                       (article_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    outlet = conn.execute("SELECT * FROM outlets WHERE domain = ?", (row["site_domain"],)).fetchone()
    out["outlet"] = dict(outlet) if outlet else None
    out["copies"] = [dict(r) for r in conn.execute(
        "SELECT id, title, site_domain AS outlet FROM articles WHERE duplicate_of = ?", (article_id,))]
    out["marks"] = [dict(r) for r in conn.execute(
        'SELECT "start", "end", kind, entity_id, place_id, text FROM mentions WHERE article_id = ? '
        'ORDER BY "start"', (article_id,))]
    return out


RECENT_PER_KEY = 200  # the fallback looks at this many latest articles per shared name, bounding its cost


def related_fallback(conn: sqlite3.Connection, article_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Other stories sharing linked actors or places with the article (used when the store ranks none).

    Scored by the share of the article's actors and places they name; each name contributes its latest
    RECENT_PER_KEY articles only, so a name in every article ("Mali") costs no more than a rare one.
    """
    own = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    keys = conn.execute("SELECT DISTINCT entity_id, place_id FROM mentions WHERE article_id = ?",
                        (article_id,)).fetchall()
    hits: dict[str, set[str]] = {}
    for entity_id, place_id in keys:
        column, key = ("entity_id", entity_id) if entity_id else ("place_id", place_id)
        if key is None:
            continue
        rows = conn.execute(f"SELECT a.story_id FROM (SELECT article_id FROM mentions WHERE {column} = ? "
                            "ORDER BY rowid DESC LIMIT ?) m JOIN articles a ON a.id = m.article_id",
                            (key, RECENT_PER_KEY))
        for (story_id,) in rows:
            if story_id and (own is None or story_id != own[0]):
                hits.setdefault(story_id, set()).add(f"{column}:{key}")
    n_keys = max(len(keys), 1)
    ranked = sorted(hits.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    out = []
    for sid, shared in ranked:
        s = conn.execute("SELECT s.title, s.representative, a.url FROM stories s LEFT JOIN articles a "
                         "ON a.id = s.representative WHERE s.id = ?", (sid,)).fetchone()
        if s is not None:
            out.append({"story": sid, "title": s["title"], "score": round(len(shared) / n_keys, 3),
                        "article": s["representative"], "url": s["url"]})
    return out


# -- actors and places ---------------------------------------------------------------------------
def _party_clause(alias: str = "e") -> str:
    return (f"(EXISTS (SELECT 1 FROM json_each({alias}.data, '$.actor_ids') WHERE value = :id) "
            f"OR EXISTS (SELECT 1 FROM json_each({alias}.data, '$.target_ids') WHERE value = :id))")


def _naming_stories(keys: list[str], alias: str = "e") -> str:
    """Only stories with an article naming one of the entities ``:k0``, ``:k1``... can hold events with
    them as a party (their ids come from the articles' linked names), and ``mentions`` is indexed by
    entity: this keeps the ``json_each`` checks to those stories' events rather than every event stored."""
    names = ", ".join(f":{k}" for k in keys)
    return (f"{alias}.story_id IN (SELECT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id "
            f"WHERE m.entity_id IN ({names}))")


def entity_ids(conn: sqlite3.Connection, actor: str) -> list[str]:
    """Knowledge-base ids of an actor given by id or by name (any case)."""
    return [r[0] for r in conn.execute("SELECT id FROM entities WHERE id = ? OR lower(name) = lower(?)",
                                       (actor, actor))]


def actor(conn: sqlite3.Connection, actor_id: str, limit: int = 200) -> dict[str, Any] | None:
    """An actor with its canonical events over time, its counterparts and the articles naming it."""
    row = conn.execute("SELECT * FROM entities WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    evs = conn.execute(f"SELECT e.id, e.data, e.lat, e.lon, e.country, e.story_id FROM story_events e "
                       f"WHERE {_naming_stories(['id'])} AND {_party_clause()} "
                       "ORDER BY e.date IS NULL, e.date DESC LIMIT :lim", {"id": actor_id, "lim": limit})
    out["events"] = [{**_event(r), "story_id": r["story_id"]} for r in evs]
    counter: Counter[tuple[str, str]] = Counter()
    for ev in out["events"]:
        names = ev.get("actors", []) + ev.get("targets", [])
        ids = ev.get("actor_ids", []) + ev.get("target_ids", [])
        for name, pid in zip(names, ids, strict=False):
            if pid and pid != actor_id:
                counter[(pid, name)] += 1
    out["counterparts"] = [{"id": k[0], "name": k[1], "events": n} for k, n in counter.most_common(15)]
    out["articles"] = [dict(r) for r in conn.execute(
        "SELECT a.id, a.title, a.published, a.site_domain AS outlet FROM articles a WHERE a.id IN "
        "(SELECT article_id FROM mentions WHERE entity_id = ?) ORDER BY a.published DESC LIMIT 20", (actor_id,))]
    return out


def place(conn: sqlite3.Connection, place_id: str, limit: int = 200) -> dict[str, Any] | None:
    """A place with the canonical events there (in the whole country for a country) and its articles."""
    row = conn.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    is_country = row["kind"] == "country" and row["country"]
    where, arg = ("e.country = ?", row["country"]) if is_country else ("e.place_id = ?", place_id)
    evs = conn.execute(f"SELECT e.id, e.data, e.lat, e.lon, e.country, e.story_id FROM story_events e "
                       f"WHERE {where} ORDER BY e.date IS NULL, e.date DESC LIMIT ?", (arg, limit))
    out["events"] = [{**_event(r), "story_id": r["story_id"]} for r in evs]
    out["articles"] = [dict(r) for r in conn.execute(
        "SELECT a.id, a.title, a.published, a.site_domain AS outlet FROM articles a WHERE a.id IN "
        "(SELECT article_id FROM mentions WHERE place_id = ?) ORDER BY a.published DESC LIMIT 20", (place_id,))]
    out["is_country"] = bool(is_country)
    return out


# -- events --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventFilter:
    """``/api/events``' filters (None: any). ``bbox`` is (min lon, min lat, max lon, max lat)."""

    actor: str | None = None
    country: str | None = None
    type: str | None = None
    acled: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    story: str | None = None

    def where(self, actor_ids: tuple[str, ...] | list[str] = ()) -> tuple[str, dict[str, Any]]:
        """The SQL condition and its arguments; ``actor_ids``, the ids the actor filter names (see
        :func:`entity_ids`), narrow the scan to stories naming them; an unknown name scans every event."""
        parts, args = ["1"], {}
        if self.actor and actor_ids:
            keys = [f"actor_id{i}" for i in range(len(actor_ids))]
            parts.append(_naming_stories(keys))
            args.update(zip(keys, actor_ids, strict=True))
        if self.actor:
            parts.append("(EXISTS (SELECT 1 FROM json_each(e.data, '$.actor_ids') WHERE value = :actor) "
                         "OR EXISTS (SELECT 1 FROM json_each(e.data, '$.target_ids') WHERE value = :actor) "
                         "OR EXISTS (SELECT 1 FROM json_each(e.actors) WHERE lower(value) = lower(:actor)) "
                         "OR EXISTS (SELECT 1 FROM json_each(e.targets) WHERE lower(value) = lower(:actor)))")
            args["actor"] = self.actor
        simple = {"country": "upper(e.country) = upper(:country)", "type": "upper(e.type) = upper(:type)",
                  "acled": "(e.acled_type = :acled OR e.acled_type LIKE :acled || ' / %')",
                  "date_from": "e.date >= :date_from", "story": "e.story_id = :story",
                  "date_to": "substr(e.date, 1, length(:date_to)) <= :date_to"}
        for key, clause in simple.items():
            if getattr(self, key):
                parts.append(clause)
                args[key] = getattr(self, key)
        if self.bbox:
            parts.append("e.lon BETWEEN :x0 AND :x1 AND e.lat BETWEEN :y0 AND :y1")
            args.update(zip(("x0", "y0", "x1", "y1"), self.bbox, strict=True))
        return " AND ".join(parts), args


def events(conn: sqlite3.Connection, f: EventFilter, limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Canonical events, latest first, and the total matching."""
    where, args = f.where(entity_ids(conn, f.actor) if f.actor else ())
    total = conn.execute(f"SELECT count(*) FROM story_events e WHERE {where}", args).fetchone()[0]
    rows = conn.execute(f"SELECT e.id, e.data, e.lat, e.lon, e.country, e.story_id FROM story_events e "
                        f"WHERE {where} ORDER BY e.date IS NULL, e.date DESC, e.id LIMIT :lim OFFSET :off",
                        {**args, "lim": limit, "off": offset})
    return [{**_event(r), "story_id": r["story_id"]} for r in rows], total


def map_points(conn: sqlite3.Connection, limit: int = 5000) -> list[dict[str, Any]]:
    """Events with coordinates, one point per place: its name, id, count and latest few events."""
    rows = conn.execute(
        "SELECT e.place_id, e.place, e.lat, e.lon, count(*) AS n, max(e.date) AS latest, "
        "group_concat(DISTINCT e.type) AS types FROM story_events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL "
        "GROUP BY e.place_id, e.lat, e.lon ORDER BY n DESC LIMIT ?", (limit,))
    return [{"place_id": r["place_id"], "place": r["place"], "lat": r["lat"], "lon": r["lon"], "n": r["n"],
             "latest": r["latest"], "types": (r["types"] or "").split(",")} for r in rows]


def search_entities(conn: sqlite3.Connection, text: str, limit: int = 10) -> list[dict[str, Any]]:
    """Actors and places whose name contains ``text`` (a search page's quick links)."""
    like = f"%{text.strip()}%"
    ents = conn.execute("SELECT id, name, type, 'actor' AS kind FROM entities WHERE name LIKE ? "
                        "ORDER BY length(name) LIMIT ?", (like, limit))
    places = conn.execute("SELECT id, name, kind AS type, 'place' AS kind FROM places WHERE name LIKE ? "
                          "AND id NOT LIKE '~%' ORDER BY length(name) LIMIT ?", (like, limit))
    return [dict(r) for r in ents] + [dict(r) for r in places]

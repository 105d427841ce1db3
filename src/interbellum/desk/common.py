"""What the pages and the API share: the reader of a request, filters from query strings, related stories."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request

from . import queries
from .app import Reader

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ISO3 = r"^[A-Za-z]{3}$"


def reader(request: Request) -> Reader:
    return request.app.state.reader


def bbox_of(text: str | None) -> tuple[float, float, float, float] | None:
    """``min lon,min lat,max lon,max lat`` as numbers; a 422 naming the problem otherwise."""
    if text is None or not text.strip():
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise HTTPException(422, f"bbox: {text!r} is not four numbers 'min lon,min lat,max lon,max lat'") from None
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise HTTPException(422, f"bbox: {text!r} is not a box within -180..180, -90..90 with min <= max")
    return x0, y0, x1, y1


def story_filters(country: str | None, actor: str | None, event_type: str | None, q: str | None) -> dict[str, Any]:
    """The story filters as ``Store.stories`` takes them, blanks (from an HTML form) as "any"."""
    return {"country": country.upper() if country else None, "actor": actor or None,
            "event_type": event_type or None, "q": q or None}


def event_filter(actor: str | None, country: str | None, type_: str | None, acled: str | None, date_from: str | None,
                 date_to: str | None, bbox: tuple[float, float, float, float] | None,
                 story: str | None = None) -> queries.EventFilter:
    return queries.EventFilter(actor=actor or None, country=country or None, type=type_ or None, acled=acled or None,
                               date_from=date_from, date_to=date_to, bbox=bbox, story=story or None)


def related_of(r: Reader, article_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """The store's ranked related stories when it has them, else stories sharing linked names and places.

    The ranking comes from the process's shared index (:mod:`.related`); until that is built, and for
    articles stored before stories existed, the fallback answers, so no request waits for a rebuild. A
    ranking that finds nothing stays empty: the page and the API agree with ``interbellum related``."""
    conn = r.conn()
    found = r.related.related(conn, article_id, limit)
    if found is None or (not found and not _in_a_story(conn, article_id)):
        return queries.related_fallback(conn, article_id, limit)
    return found


def _in_a_story(conn: Any, article_id: str) -> bool:
    row = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    return bool(row and row[0])


SPAN_LIMIT = 200


def spans_of(r: Reader, **filters: Any) -> list[dict[str, Any]]:
    """Situation spans from the store (``Store.situations``), earliest first, for timelines."""
    found = r.store().situations(**filters, limit=SPAN_LIMIT)
    return sorted(found, key=lambda s: (s.get("start") or s.get("first_reported") or "9999", s.get("subject", "")))

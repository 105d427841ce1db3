"""The JSON API under ``/api/``: the same records the pages show, paginated, with validated filters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from .. import export
from . import queries
from .common import (
    DATE,
    ISO3,
    bbox_of,
    event_filter,
    reader,
    related_of,
    spans_of,
    story_filters,
)

router = APIRouter(prefix="/api", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
Date = Annotated[str | None, Query(pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Country = Annotated[str | None, Query(pattern=ISO3, description="ISO 3166-1 alpha-3 code")]


def _not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")


@router.get("/stories", summary="Stories, latest first")
def stories(request: Request, country: Country = None, actor: str | None = None,
            event_type: str | None = None, q: str | None = None, limit: Limit = 20,
            offset: Offset = 0) -> dict[str, Any]:
    store, filters = reader(request).store(), story_filters(country, actor, event_type, q)
    found = store.stories(limit=limit, offset=offset, **filters)
    return {"stories": found, "total": store.story_count(**filters), "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", summary="One story: its articles and canonical events")
def story(request: Request, story_id: str) -> dict[str, Any]:
    found = reader(request).store().story(story_id)
    if found is None:
        raise _not_found("story", story_id)
    return found


@router.get("/articles", summary="Article summaries, newest first")
def articles(request: Request, outlet: str | None = None, language: str | None = None,
             story: str | None = None, since: Date = None, until: Date = None, limit: Limit = 50,
             offset: Offset = 0) -> dict[str, Any]:
    rows = reader(request).store().articles(limit=limit, offset=offset, outlet=outlet, language=language,
                                            story=story, since=since, until=until)
    return {"articles": rows, "limit": limit, "offset": offset}


@router.get("/articles/{article_id}", summary="One article as read: entities, places, times, events")
def article(request: Request, article_id: str) -> dict[str, Any]:
    doc = reader(request).store().document(article_id)
    extras = queries.article_extras(reader(request).conn(), article_id)
    if doc is None or extras is None:
        raise _not_found("article", article_id)
    out = doc.to_dict()
    out.update(story_id=extras["story_id"], duplicate_of=extras["duplicate_of"], outlet=extras["outlet"],
               copies=extras["copies"])
    return out


@router.get("/articles/{article_id}/related", summary="Other stories related to an article")
def related(request: Request, article_id: str, limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    if queries.article_extras(reader(request).conn(), article_id) is None:
        raise _not_found("article", article_id)
    return {"article": article_id, "related": related_of(reader(request), article_id, limit)}


@router.get("/events", summary="Canonical events, latest first")
def events(request: Request, actor: str | None = None, country: Country = None,
           type: Annotated[str | None, Query(description="PLOVER type, e.g. ASSAULT")] = None,
           acled: Annotated[str | None, Query(description="ACLED event type or 'type / sub-type'")] = None,
           date_from: Date = None, date_to: Date = None,
           bbox: Annotated[str | None, Query(description="min lon,min lat,max lon,max lat")] = None,
           story: str | None = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    f = event_filter(actor, country, type, acled, date_from, date_to, bbox_of(bbox), story)
    found, total = queries.events(reader(request).conn(), f, limit, offset)
    return {"events": found, "total": total, "limit": limit, "offset": offset}


@router.get("/search", summary="Full-text search over articles; actors and places by name")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=200)],
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    hits = reader(request).store().search(q, limit=limit)
    return {"q": q, "articles": hits, "entities": queries.search_entities(reader(request).conn(), q)}


@router.get("/actors/{actor_id}", summary="An actor: events over time, counterparts, situations")
def actor(request: Request, actor_id: str) -> dict[str, Any]:
    found = queries.actor(reader(request).conn(), actor_id)
    if found is None:
        raise _not_found("actor", actor_id)
    return found | {"spans": spans_of(reader(request), actor=actor_id)}


@router.get("/places/{place_id}", summary="A place: events there and, for a country, its situations")
def place(request: Request, place_id: str) -> dict[str, Any]:
    found = queries.place(reader(request).conn(), place_id)
    if found is None:
        raise _not_found("place", place_id)
    return found | {"spans": spans_of(reader(request), country=found["country"]) if found["is_country"] else []}


@router.get("/situations", summary="Situation spans: who is present where, since when, per whom")
def situations(request: Request, country: Country = None, actor: str | None = None, as_of: Date = None,
               relation: str | None = None, limit: Limit = 200) -> dict[str, Any]:
    found = reader(request).store().situations(country=country, actor=actor, as_of=as_of, relation=relation,
                                               limit=limit)
    return {"as_of": as_of, "situations": found}


@router.get("/export/{name}", summary="Download events or situations: events.csv, situations.jsonl, ...")
def download(request: Request, name: str) -> Response:
    table, _, fmt = name.partition(".")
    if table not in export.TABLES or fmt not in export.FORMATS:
        raise HTTPException(status_code=404, detail=f"no export {name!r}; try events.csv, events.jsonl, "
                                                     "events.geojson, events.parquet or situations.csv")
    data = export.export_bytes(reader(request).conn(), table, fmt)
    return Response(data, media_type=export.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{table}.{fmt}"'})

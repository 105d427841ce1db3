"""The desk's HTML pages: server-rendered, stable URLs, readable without JavaScript (the map excepted)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import mapdata, queries, render
from .common import ISO3, reader, related_of, spans_of, story_filters

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


def setup_templates(templates: Jinja2Templates) -> None:
    env = templates.env
    env.globals.update(link=render.link, disagreements=queries.disagreements, sources=render.sources)
    env.filters.update(nice_date=render.nice_date)


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def front(request: Request, country: Annotated[str | None, Query(pattern=f"{ISO3}|^$")] = None,
          actor: str | None = None, event_type: str | None = None, q: str | None = None,
          page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    r = reader(request)
    f = story_filters(country, actor, event_type, q)
    listed = r.store().stories(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **f)
    found = [queries.story_extras(r.conn(), s) for s in listed]
    total = r.store().story_count(**f)
    pages = max(1, -(-total // PAGE_SIZE))
    return _page(request, "front.html", stories=found, total=total, page=page, pages=pages, filter=f,
                 facets=queries.facets(r.conn()))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> HTMLResponse:
    found = queries.story(reader(request).conn(), story_id)
    if found is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    originals = [a for a in found["articles"] if not a["duplicate_of"]]
    copies: dict[str, list[dict]] = {}
    for a in found["articles"]:
        if a["duplicate_of"]:
            copies.setdefault(a["duplicate_of"], []).append(a)
    known = {a["id"] for a in originals}
    orphans = [a for key, group in copies.items() if key not in known for a in group]
    return _page(request, "story.html", story=found, originals=originals + orphans, copies=copies)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    r = reader(request)
    doc = r.store().document(article_id)
    extras = queries.article_extras(r.conn(), article_id)
    if doc is None or extras is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    claims = [e for e in doc.events if e.claimed_by or e.hedged or e.negated]
    return _page(request, "article.html", doc=doc, a=doc.article, extras=extras,
                 body=render.highlight(doc, extras["marks"]), claims=claims,
                 related=related_of(r, article_id, 10))


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: str) -> HTMLResponse:
    found = queries.actor(reader(request).conn(), actor_id)
    if found is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    found["spans"] = spans_of(reader(request), actor=actor_id)
    return _page(request, "actor.html", actor=found, years=_by_year(found["events"]),
                 timeline=render.timeline(found["spans"]))


@router.get("/places/{place_id}", response_class=HTMLResponse)
def place(request: Request, place_id: str) -> HTMLResponse:
    found = queries.place(reader(request).conn(), place_id)
    if found is None:
        raise HTTPException(404, f"no place with id {place_id!r}")
    found["spans"] = spans_of(reader(request), country=found["country"]) if found["is_country"] else []
    return _page(request, "place.html", place=found, years=_by_year(found["events"]),
                 present=render.present(found["spans"]), timeline=render.timeline(found["spans"]))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    points = queries.map_points(reader(request).conn())
    view = mapdata.view_box(points)
    return _page(request, "map.html", points=points, points_json=json.dumps(points, ensure_ascii=False).replace("</", "<\\/"),
                 paths=mapdata.country_paths(view["box"]), view=view)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    r = reader(request)
    hits = r.store().search(q, limit=50) if q.strip() else []
    names = queries.search_entities(r.conn(), q) if q.strip() else []
    return _page(request, "search.html", q=q, hits=hits, names=names)


def _by_year(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Events per year, for the small bar chart of an actor's or a place's activity."""
    counts: dict[str, int] = {}
    for e in events:
        year = (e.get("date") or "")[:4]
        if year.isdigit():  # undated events have no place on a time axis; the lists below still show them
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return []
    years = range(int(min(counts)), int(max(counts)) + 1)  # quiet years shown as such, not skipped
    return [(str(y), counts.get(str(y), 0)) for y in years]

"""Turning stored records into page pieces: highlighted article text, timelines, links, dates."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..model import Document

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def link(kind: str, ident: str | None) -> str | None:
    """The stable URL of a story, article, actor or place; None for an unlinked id ("~" places)."""
    if not ident or ident.startswith("~"):
        return None
    return f"/{kind}/{quote(ident, safe=':')}"


def nice_date(value: str | None) -> str:
    """``2024-07-06`` → ``6 Jul 2024``; a month or year stays as precise as it is."""
    if not value:
        return "date unknown"
    parts = value[:10].split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return parts[0]


def highlight(doc: Document, marks: list[dict[str, Any]]) -> Markup:
    """The body with actors, places and dates linked or marked, and event sentences shaded.

    Spans may nest (a name inside an event sentence) or, rarely, cross; the text is cut at every
    boundary and each piece carries the spans that cover it, so crossing spans cannot break the HTML.
    """
    body = doc.article.body
    spans: list[tuple[int, int, str, str | None, str]] = []
    for m in marks:
        kind = "actor" if m["kind"] == "entity" else "place"
        href = link("actors", m["entity_id"]) if kind == "actor" else link("places", m["place_id"])
        spans.append((m["start"], m["end"], kind, href, ""))
    for t in doc.times:
        spans.append((t.start, t.end, "time", None, t.value or ""))
    for i, e in enumerate(doc.events):
        if e.start is not None and e.end is not None:
            spans.append((e.start, e.end, "event", None, f"{e.type}#{i}"))
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(body)]
    cuts = sorted({0, len(body), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = _paragraphs(body[a:b])
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        linked = False  # a name that is both an actor and a place ("Niger") links once: links cannot nest
        for start, _end, kind, href, title in sorted(covering, key=lambda s: (s[0], -s[1]), reverse=True):
            piece = _wrap(piece, kind, None if linked else href, title, first=start == a)
            linked = linked or bool(href)
        out.append(piece)
    return Markup("".join(out))


def _paragraphs(text: str) -> str:
    return str(escape(text)).replace("\n", '<span class="pb"></span>')


def _wrap(inner: str, kind: str, href: str | None, title: str, first: bool) -> str:
    if kind == "event":
        label = title.split("#")[0]
        tag = f'<sup class="ev-tag">{escape(label)}</sup>' if first else ""
        return f'<mark class="hl-event" title="event: {escape(label)}">{tag}{inner}</mark>'
    if kind == "time":
        return f'<time class="hl-time" datetime="{escape(title)}" title="date: {escape(title)}">{inner}</time>'
    if href:
        return f'<a class="hl-{kind}" href="{escape(href)}">{inner}</a>'
    return f'<span class="hl-{kind}">{inner}</span>'


def timeline(spans: list[dict[str, Any]], today: str | None = None) -> dict[str, Any]:
    """Bars for situation spans, left/width in percent of the whole period.

    A span with no known start begins at its first report (drawn as uncertain); one with no known end
    runs to today when ongoing, else to its last report. Open bars fade out at the right.
    """
    now = today or date.today().isoformat()
    bounds = [_bounds(s, now) for s in spans]
    known = [(a, b) for a, b, _, _ in bounds if a is not None]
    if not known:
        return {"rows": [], "ticks": []}
    lo, hi = min(a for a, _ in known), max(b for _, b in known)
    total = max((hi - lo).days, 1)
    rows = []
    for s, (start, end, open_end, vague) in zip(spans, bounds, strict=True):
        if start is None:
            continue
        left = 100 * (start - lo).days / total
        width = max(100 * (end - start).days / total, 0.8)
        rows.append({"span": s, "left": round(left, 2), "width": round(min(width, 100 - left), 2),
                     "open": open_end, "vague": vague})
    ticks = [{"label": str(y), "left": round(100 * (date(y, 1, 1) - lo).days / total, 2)}
             for y in range(lo.year + 1, hi.year + 1)]
    return {"rows": rows, "ticks": ticks, "from": lo.isoformat(), "to": hi.isoformat()}


def _bounds(s: dict[str, Any], now: str) -> tuple[date | None, date, bool, bool]:
    """(start, end, open-ended, start uncertain) of one span's bar."""
    first = s.get("start") or s.get("first_reported")
    if not s.get("start") and s.get("end") and (not first or s["end"] < first):
        first = s["end"]  # known only to have ended (reported afterwards): a mark at its end
    if not first:
        return None, _day(now), False, True
    start = _day(first)
    if s.get("end"):
        end, open_end = _day(s["end"]), False
    elif s.get("ongoing"):
        end, open_end = _day(now), True
    else:
        end, open_end = _day(s.get("last_reported") or first), False
    return start, max(end, start), open_end, not s.get("start")


def _day(value: str) -> date:
    parts = (value[:10].split("-") + ["01", "01"])[:3]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return date(int(parts[0]), 1, 1)


def present(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The spans that hold now: ongoing, or neither ended nor said to be over."""
    return [s for s in spans if s.get("ongoing") or (s.get("ongoing") is None and not s.get("end"))]


def sources(span: dict[str, Any], limit: int = 4) -> list[dict[str, Any]]:
    """A span's reports, one per outlet (the first), for citation links."""
    seen: dict[str, dict[str, Any]] = {}
    for rep in span.get("reports") or []:
        seen.setdefault(rep.get("outlet") or rep.get("article") or "", rep)
    return list(seen.values())[:limit]

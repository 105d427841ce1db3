"""Events of one story that tell of the same happening become one canonical event with all its reports.

    articles in publication order ──► each event joins the best compatible canonical event, or starts one:
        1. type: the same PLOVER type, or the same ACLED event type ("Battles", "Explosions/Remote
           violence", ...) — outlets code an ambush as a clash or as violence against civilians
        2. parties: actors and targets (KB ids, else names) overlap, or one side names none
        3. place: the same place, one inside the other (country, first-level division), or one unknown
        4. date: the same day, one date within the other's month or year, or one unknown
        5. the same ``negated`` reading; never two events of one article (the events stage merged those)
    ──► the canonical event: the earliest report's fields, gaps filled from later ones, and ``reports``
        (article, outlet, sentence, claimed_by, fatalities, plus duplicate_of and hedged)

Disagreements are kept, never averaged: every report keeps its own figure and who said it. The
canonical ``fatalities`` is the MOST-REPORTED figure, one vote per source (a syndicated copy votes
with its original, so a wire story carried by ten sites is one voice); a tie goes to the latest
report's figure, since tolls are revised upward as counts come in. ``fatalities_range`` gives
[lowest, highest] when the reports differ; ``sources`` counts the independent reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Document, Event, Place
from ..reading.meta import domain_of, normalise_text

_FILLABLE = ("mode", "acled_type", "place", "place_id", "claimed_by")


@dataclass
class _Report:
    doc: Document
    event: Event
    source: str  # the original's id for a syndicated copy, else the article's own id


@dataclass
class _Group:
    reports: list[_Report] = field(default_factory=list)

    @property
    def first(self) -> Event:
        return self.reports[0].event

    def articles(self) -> set[str]:
        return {r.doc.article.id or r.doc.input for r in self.reports}


def merge_events(docs: list[Document], duplicate_of: dict[str, str | None]) -> list[dict[str, Any]]:
    """One dict per happening told by ``docs`` (one story's articles), each with its ``reports``.

    ``duplicate_of`` maps article ids to the id of the copy they duplicate (None for an original)."""
    places = {p.id: p for d in docs for p in d.places if p.id}
    groups: list[_Group] = []
    for doc in sorted(docs, key=lambda d: d.article.published or "~"):  # stable: ties keep input order
        article_id = doc.article.id or doc.input
        source = duplicate_of.get(article_id) or article_id
        for event in doc.events:
            report = _Report(doc, event, source)
            scored = [(score, i) for i, g in enumerate(groups) if article_id not in g.articles()
                      and (score := _score(g, report, places)) is not None]
            if scored:
                groups[_best(scored)].reports.append(report)
            else:
                groups.append(_Group([report]))
    return [canonical(g) for g in groups]


def compatible(a: Event, b: Event, places: dict[str, Place]) -> bool:
    """Could ``a`` and ``b`` be two reports of one happening? (rules 1–5 of the module docstring)"""
    same_type = a.type == b.type or (_family(a) is not None and _family(a) == _family(b))
    return (same_type and a.negated == b.negated and _parties_overlap(a, b)
            and _places_agree(a.place_id, b.place_id, places) and _dates_agree(a.date, b.date))


def canonical(group: _Group) -> dict[str, Any]:
    """The merged event dict: first report's fields, gaps filled, fatalities voted, all reports."""
    out = asdict(group.first)
    for r in group.reports[1:]:
        e = r.event
        for name in _FILLABLE:
            if out[name] is None and getattr(e, name) is not None:
                out[name] = getattr(e, name)
        if e.date and (out["date"] is None or len(e.date) > len(out["date"])):
            out["date"], out["date_precision"] = e.date, e.date_precision
        _union_parties(out, e)
    out["hedged"] = all(r.event.hedged for r in group.reports)  # one plain statement is enough
    confidences = [r.event.confidence for r in group.reports if r.event.confidence is not None]
    out["confidence"] = max(confidences) if confidences else None
    out["fatalities"], figures = _vote(group.reports)
    out["fatalities_range"] = [min(figures), max(figures)] if len(set(figures)) > 1 else None
    out["sources"] = len({r.source for r in group.reports})
    out["reports"] = [_report_dict(r) for r in group.reports]
    return out


def _score(group: _Group, report: _Report, places: dict[str, Place]) -> float | None:
    e = report.event
    if not all(compatible(r.event, e, places) for r in group.reports):
        return None
    first = group.first
    score = len(_parties(first) & _parties(e)) + (e.type == first.type)
    score += 2 * (e.place_id is not None and e.place_id == first.place_id)
    score += 2 * (e.date is not None and e.date == first.date)
    return float(score)


def _best(scored: list[tuple[float, int]]) -> int:
    """The highest score; on a tie, the earlier group (the happening reported first)."""
    return max(scored, key=lambda si: (si[0], -si[1]))[1]


def _family(e: Event) -> str | None:
    return e.acled_type.split(" / ")[0] if e.acled_type else None


def _parties(e: Event) -> set[str]:
    names = list(e.actors) + list(e.targets)
    ids = list(e.actor_ids) + list(e.target_ids)
    ids += [None] * (len(names) - len(ids))
    return {i or "name:" + normalise_text(n) for n, i in zip(names, ids, strict=False)}


def _parties_overlap(a: Event, b: Event) -> bool:
    pa, pb = _parties(a), _parties(b)
    return not pa or not pb or bool(pa & pb)


def _places_agree(a: str | None, b: str | None, places: dict[str, Place]) -> bool:
    if a is None or b is None or a == b:
        return True
    pa, pb = places.get(a), places.get(b)
    if pa is None or pb is None:
        return False
    return _holds(pa, pb) or _holds(pb, pa)


def _holds(outer: Place, inner: Place) -> bool:
    """"in Mali" holds "in Boni"; "in North Darfur" holds "in El Fasher"."""
    if outer.country != inner.country:
        return False
    return outer.kind == "country" or (outer.kind == "admin" and outer.admin1 is not None
                                       and outer.admin1 == inner.admin1)


def _dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short)  # "2024-03" holds "2024-03-03"; two days must be equal


def _union_parties(out: dict[str, Any], e: Event) -> None:
    for names, ids, more, more_ids in (("actors", "actor_ids", e.actors, e.actor_ids),
                                       ("targets", "target_ids", e.targets, e.target_ids)):
        have = {i or normalise_text(n) for n, i in zip(out[names], out[ids] or [None] * len(out[names]), strict=False)}
        for n, i in zip(more, list(more_ids) + [None] * (len(more) - len(more_ids)), strict=False):
            if (i or normalise_text(n)) not in have:
                out[names].append(n)
                out[ids].append(i)
                have.add(i or normalise_text(n))


def _vote(reports: list[_Report]) -> tuple[int | None, list[int]]:
    """The most-reported figure (one vote per source; a tie goes to the latest) and every figure."""
    by_source: dict[str, tuple[int, int]] = {}  # source → (report index, figure): a source's latest word
    for i, r in enumerate(reports):
        if r.event.fatalities is not None:
            by_source[r.source] = (i, r.event.fatalities)
    if not by_source:
        return None, []
    votes = Counter(fig for _, fig in by_source.values())
    latest = {fig: i for i, fig in sorted(by_source.values())}
    winner = max(votes, key=lambda fig: (votes[fig], latest[fig]))
    return winner, [r.event.fatalities for r in reports if r.event.fatalities is not None]


def _report_dict(r: _Report) -> dict[str, Any]:
    a = r.doc.article
    article_id = a.id or r.doc.input
    return {"article": article_id, "outlet": a.site_domain or domain_of(a.url), "sentence": r.event.sentence,
            "type": r.event.type,
            "claimed_by": r.event.claimed_by, "fatalities": r.event.fatalities,
            "duplicate_of": r.source if r.source != article_id else None, "hedged": r.event.hedged,
            "published": a.published}

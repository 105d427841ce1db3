"""Merging what an article's sentences tell into its situations, and the checks across them.

One situation per (relation, subject, object); an end told anywhere ends it. Then two readings across
situations: a presence in a country that ends ends the same party's presence in the country's towns, and
a place taken by one party ends another's control of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..model import Evidence, Situation, TimeExpr

log = logging.getLogger(__name__)


@dataclass
class Told:
    """One relation as one sentence tells it, before merging."""

    relation: str
    subject: tuple[str, str | None]  # name, id
    object: tuple[str, str | None]
    phase: str
    start: TimeExpr | None
    end: TimeExpr | None
    ongoing: bool | None
    evidence: Evidence
    claimed_by: str | None
    hedged: bool
    country: str | None = None
    country_level: bool = False  # the object is a whole country (a place relation)


def merge(told: list[Told]) -> list[Situation]:
    """One situation per (relation, subject, object): the first date told of each end, most precise
    wins when they agree; an end told anywhere makes it no longer ongoing unless the end is to come."""
    groups: dict[tuple[str, str, str], list[Told]] = {}
    for t in told:
        groups.setdefault((t.relation, t.subject[0], t.object[0]), []).append(t)
    out = []
    for (relation, subject, obj), items in groups.items():
        start = _pick([t.start for t in items])
        end = _pick([t.end for t in items])
        ended = [t.ongoing for t in items if t.phase == "end"]
        ongoing: bool | None = (False not in ended) if ended else (
            True if any(t.ongoing for t in items) else None)
        evidence: list[Evidence] = []
        for t in items:
            if all(e.start != t.evidence.start for e in evidence):
                evidence.append(t.evidence)
        situation = Situation(
            subject=subject, relation=relation, object=obj, subject_id=items[0].subject[1],
            object_id=items[0].object[1], start=start.value if start else None,
            start_precision=start.precision if start else "unresolved", end=end.value if end else None,
            end_precision=end.precision if end else "unresolved", ongoing=ongoing, evidence=evidence,
            claimed_by=next((t.claimed_by for t in items if t.claimed_by), None),
            hedged=all(t.hedged for t in items))
        if situation.start and situation.end and not starts_before(situation.start, situation.end):
            log.warning("situation %s %s %s ends (%s) before it starts (%s) in the text", subject, relation, obj,
                        situation.end, situation.start)
        out.append(situation)
    where = {(t.relation, t.subject[0], t.object[0]): (t.country, t.country_level) for t in told}
    return _hand_over(_left_country(out, where))


def _left_country(situations: list[Situation], where: dict[tuple[str, str, str], tuple[str | None, bool]]
                  ) -> list[Situation]:
    """A presence in a country that the article ends ends the same party's open presence in the
    country's towns it tells of ("French forces in Niamey … completed their withdrawal from Niger")."""
    for s in situations:
        country, whole = where.get((s.relation, s.subject, s.object), (None, False))
        if s.relation != "present_in" or not whole or s.ongoing is not False or not s.end or not country:
            continue
        for other in situations:
            c, w = where.get((other.relation, other.subject, other.object), (None, False))
            if other.relation == "present_in" and other.subject == s.subject and c == country and not w \
                    and not other.end and other.ongoing is not False \
                    and (not other.start or starts_before(other.start, s.end)):
                other.end, other.end_precision, other.ongoing = s.end, s.end_precision, False
    return situations


def _hand_over(situations: list[Situation]) -> list[Situation]:
    """One place has one controller at a time: when the article dates a party's taking of a place, the
    control it tells of another party, begun before (or at an unknown time) and not yet ended, ended then
    ("overrun by Boko Haram in 2014 … the army retook it in March 2015")."""
    controls = [s for s in situations if s.relation == "controls"]
    for s in controls:
        if not s.start or s.ongoing is False:
            continue
        for other in controls:
            if other is s or other.object != s.object or other.subject == s.subject or other.end:
                continue
            if other.start is None or (other.start < s.start and not s.start.startswith(other.start)):
                other.end, other.end_precision, other.ongoing = s.start, s.start_precision, False
    return situations


def _pick(times: list[TimeExpr | None]) -> TimeExpr | None:
    """The first date told; a more precise one that agrees with it (same prefix) refines it."""
    known = [t for t in times if t is not None and t.value]
    if not known:
        return None
    best = known[0]
    for t in known[1:]:
        if t.value and best.value and t.value.startswith(best.value) and len(t.value) > len(best.value):
            best = t
    return best


def starts_before(start: str, end: str) -> bool:
    """True when ``start`` is not after ``end``, compared at the coarser of the two precisions."""
    n = min(len(start), len(end))
    return start[:n] <= end[:n]

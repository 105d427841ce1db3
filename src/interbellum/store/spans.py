"""Situations over the store: each held relation once, with every report that supports it.

Each stored article's situations (table ``situations``) are merged into ``situation_spans`` by
(relation, subject, object). ``refresh`` runs inside ``Store.add_document``'s transaction and rebuilds
the spans the article touches — those it reports now and those its previous version reported — from
every stored report, so an updated article replaces its reports rather than adding to them.

How reports combine (oldest publication first):
- start / end: the most precise of the dates that agree (one is a prefix of the other); dates that
  disagree are kept as a contradiction ``{"field", "values", "by"}`` and the most reported one wins
  (the earliest reported on a tie).
- ongoing: the latest report says; a report that the relation still holds after an earlier one said
  it ended, or after its end date, is a contradiction. A known end makes it no longer ongoing.
- an end before the start is a contradiction (``field`` "end"), never dropped silently.

As of a date D (``held``): a span holds when it started on or before D — a span whose start is unknown
counts from its first report's publication, since that is the first we know of it — and did not end
before D. An end with no date ("has left") ends it at the first report that says so.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from typing import Any

from ..errors import InputError

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

_KEYS_OF_ARTICLE = """
SELECT s.relation, s.subject, s.object FROM situation_spans s, json_each(s.data, '$.reports') r
WHERE json_extract(r.value, '$.article') = ?"""


def refresh(conn: sqlite3.Connection, article_id: str, now: str) -> None:
    """Rebuild every span the article's current or previous situations belong to."""
    keys = {tuple(r) for r in conn.execute(_KEYS_OF_ARTICLE, (article_id,))}
    keys |= {tuple(r) for r in conn.execute("SELECT relation, subject, object FROM situations WHERE article_id = ?",
                                            (article_id,))}
    for relation, subject, obj in sorted(keys):
        rebuild(conn, relation, subject, obj, now)


def span_id(relation: str, subject: str, obj: str) -> str:
    return "span-" + hashlib.sha1(f"{relation}\x1f{subject}\x1f{obj}".encode()).hexdigest()[:16]


def rebuild(conn: sqlite3.Connection, relation: str, subject: str, obj: str, now: str) -> None:
    """The span of one (relation, subject, object) from all its stored reports; none left → no span."""
    sid = span_id(relation, subject, obj)
    rows = conn.execute(
        "SELECT s.*, a.published, a.site_domain FROM situations s JOIN articles a ON a.id = s.article_id "
        "WHERE s.relation = ? AND s.subject = ? AND s.object = ? ORDER BY a.published, a.seq, s.seq",
        (relation, subject, obj)).fetchall()
    conn.execute("DELETE FROM situation_spans WHERE id = ?", (sid,))
    if not rows:
        return
    data = merge_rows(conn, rows)
    data["id"] = sid
    data["country"] = _country(conn, data)
    conn.execute(
        'INSERT INTO situation_spans (id, relation, subject, subject_id, object, object_id, country, "start", '
        'start_precision, "end", end_precision, ongoing, claimed_by, hedged, n_reports, data, updated_at) '
        "VALUES (" + ", ".join("?" * 17) + ")",
        (sid, relation, subject, data["subject_id"], obj, data["object_id"], data["country"], data["start"],
         data["start_precision"], data["end"], data["end_precision"], data["ongoing"], data["claimed_by"],
         data["hedged"], len(data["reports"]), json.dumps(data, ensure_ascii=False), now))
    conn.executemany("UPDATE situations SET span_id = ? WHERE id = ?", [(sid, r["id"]) for r in rows])


def merge_rows(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> dict[str, Any]:
    """The span's fields, reports and contradictions from its situation rows (oldest report first)."""
    first = rows[0]
    reports: list[dict[str, Any]] = []
    for r in rows:
        sentences = conn.execute('SELECT sentence, "start", "end", claimed_by FROM situation_reports '
                                 'WHERE situation_id = ? ORDER BY "start"', (r["id"],)).fetchall()
        for s in sentences or [{"sentence": "", "start": None, "end": None, "claimed_by": r["claimed_by"]}]:
            reports.append({"article": r["article_id"], "outlet": r["site_domain"], "published": r["published"],
                            "sentence": s["sentence"], "start": s["start"], "end": s["end"],
                            "claimed_by": s["claimed_by"], "ongoing": _bool(r["ongoing"])})
    contradictions: list[dict[str, Any]] = []
    start, start_p = _date(rows, "start", contradictions)
    end, end_p = _date(rows, "end", contradictions)
    ongoing = _ongoing(rows, end, contradictions)
    if start and end and not _le(start, end):
        contradictions.append({"field": "end", "values": [start, end],
                               "by": _by([r for r in rows if r["start"] == start or r["end"] == end])})
    return {
        "subject": first["subject"], "subject_id": first["subject_id"], "relation": first["relation"],
        "object": first["object"], "object_id": first["object_id"],
        "start": start, "start_precision": start_p if start else "unresolved",
        "end": end, "end_precision": end_p if end else "unresolved", "ongoing": ongoing,
        "claimed_by": next((r["claimed_by"] for r in rows if r["claimed_by"]), None),
        "hedged": all(bool(r["hedged"]) for r in rows),
        "evidence": [{"sentence": p["sentence"], "start": p["start"], "end": p["end"]} for p in reports],
        "first_reported": next((r["published"] for r in rows if r["published"]), None),
        "last_reported": next((r["published"] for r in reversed(rows) if r["published"]), None),
        "reports": [{k: v for k, v in p.items() if k not in ("start", "end")} for p in reports],
        "contradictions": contradictions,
    }


def _date(rows: list[sqlite3.Row], field: str, contradictions: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    told = [(r[field], r[f"{field}_precision"], r) for r in rows if r[field]]
    if not told:
        return None, None
    counts = Counter(v for v, _, _ in told)
    # the most reported value (earliest on a tie: rows are in publication order), refined by agreeing ones
    best = max(dict.fromkeys(v for v, _, _ in told), key=lambda v: counts[v])
    agreeing = [(v, p) for v, p, _ in told if v.startswith(best) or best.startswith(v)]
    value, precision = max(agreeing, key=lambda vp: len(vp[0]))
    apart = [v for v in dict.fromkeys(v for v, _, _ in told) if not (v.startswith(value) or value.startswith(v))]
    if apart:
        values = [value, *apart]
        contradictions.append({"field": field, "values": values,
                               "by": [_by([r for v2, _, r in told if v2 == v]) for v in values]})
    return value, precision


def _ongoing(rows: list[sqlite3.Row], end: str | None, contradictions: list[dict[str, Any]]) -> bool | None:
    said = [(bool(r["ongoing"]), r) for r in rows if r["ongoing"] is not None]
    if not said:
        return False if end else None
    ended_at = next((r["published"] for v, r in said if not v), None)
    late = [r for v, r in said if v and ((ended_at and r["published"] and r["published"] > ended_at)
                                        or (end and r["published"] and not _le(r["published"], end)))]
    if late:
        contradictions.append({"field": "ongoing", "values": [False, True],
                               "by": [_by([r for v, r in said if not v]), _by(late)]})
    value = said[-1][0]
    return False if end and not late else value


def _by(rows: list[sqlite3.Row]) -> list[str]:
    """Who said it: the claimant when the article names one, else the outlet."""
    return list(dict.fromkeys(r["claimed_by"] or r["site_domain"] or r["article_id"] for r in rows))


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _le(a: str, b: str) -> bool:
    """``a`` is not after ``b``, compared at the coarser of the two precisions."""
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def _country(conn: sqlite3.Connection, data: dict[str, Any]) -> str | None:
    """ISO3 of where the relation is about: the place's country for present_in / controls, else the
    object's country, else the subject's."""
    for key in ("object_id", "subject_id"):
        kid = data[key]
        if not kid:
            continue
        row = (conn.execute("SELECT country FROM places WHERE id = ?", (kid,)).fetchone()
               or conn.execute("SELECT country FROM entities WHERE kb_id = ? OR id = ? LIMIT 1", (kid, kid)).fetchone())
        if row is not None and row[0]:
            return str(row[0])
    return None


# ---- reading ----

def held(span: dict[str, Any], as_of: str) -> bool:
    """True when the span held on ``as_of`` (YYYY[-MM[-DD]]); see the module's docstring."""
    begun = span.get("start") or span.get("first_reported")
    if begun and not _le(begun, as_of):
        return False
    if span.get("end"):
        return _le(as_of, span["end"])
    if span.get("ongoing") is False:
        ended = next((r["published"] for r in span.get("reports", []) if r.get("ongoing") is False and r.get("published")),
                     None)
        return ended is None or as_of < ended
    return True


def situations(conn: sqlite3.Connection, *, country: str | None = None, actor: str | None = None,
               as_of: str | None = None, relation: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Spans as ``interbellum situations`` prints them, filtered; by relation, then start, then subject."""
    if as_of is not None and not _DATE.match(as_of):
        raise InputError(f"as-of date {as_of!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    sql = "SELECT data FROM situation_spans s WHERE 1 = 1"
    args: list[Any] = []
    if country:
        sql += (" AND (s.country = ? OR EXISTS (SELECT 1 FROM entities e WHERE e.kb_id = s.subject_id "
                "AND e.country = ? AND s.relation NOT IN ('present_in', 'controls')))")
        args += [country.upper(), country.upper()]
    if actor:
        sql += (" AND (lower(s.subject) = lower(?) OR lower(s.object) = lower(?) OR s.subject_id = ? "
                "OR s.object_id = ?)")
        args += [actor] * 4
    if relation:
        sql += " AND s.relation = ?"
        args.append(relation)
    sql += ' ORDER BY s.relation, coalesce(s."start", \'\'), s.subject, s.object'
    out = [json.loads(r[0]) for r in conn.execute(sql, args)]
    if as_of:
        out = [s for s in out if held(s, as_of)]
    return out[:limit] if limit is not None else out

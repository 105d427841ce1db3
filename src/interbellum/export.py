"""Exports of a store's canonical events and situation spans: CSV, JSON Lines, GeoJSON, Parquet.

Event columns follow ACLED's names so that ACLED tooling reads them (``event_date``, ``time_precision``,
``event_type``, ``sub_event_type``, ``actor1``, ``actor2``, ``country``, ``admin1``, ``location``,
``latitude``, ``longitude``, ``geo_precision``, ``source``, ``notes``, ``fatalities``), then PLOVER's
(``plover_type``, ``mode``) and our own (ids, claims, report counts, the story). Codes as ACLED uses them:
``time_precision`` 1 = day, 2 = week, 3 = month or coarser; ``geo_precision`` 1 = a town or village,
2 = a first-level division, 3 = a country. Unlike ACLED, an unknown toll is left empty, not 0.

    >>> from interbellum.export import export_file
    >>> export_file("news.db", "events", "parquet", "events.parquet")
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from .errors import InputError
from .store import open_store

EVENT_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "iso3", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities", "plover_type", "mode", "actor1_id", "actor2_id", "actors", "targets", "claimed_by", "hedged",
    "negated", "fatalities_low", "fatalities_high", "n_reports", "story_id", "place_id",
]
SITUATION_COLUMNS = [
    "id", "relation", "subject", "subject_id", "object", "object_id", "country", "start", "start_precision",
    "end", "end_precision", "ongoing", "claimed_by", "hedged", "n_reports", "sources", "contradictions",
]
TABLES = {"events": EVENT_COLUMNS, "situations": SITUATION_COLUMNS}
FORMATS = ("csv", "jsonl", "geojson", "parquet")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"country": 3, "admin": 2, "admin1": 2, "region": 2, "border": 2}
_INT = {"year", "time_precision", "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "n_reports"}
_FLOAT = {"latitude", "longitude"}
_BOOL = {"hedged", "negated", "ongoing"}


def event_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One ACLED + PLOVER row per canonical event, oldest first."""
    names = {r[0]: r[1] for r in conn.execute("SELECT country, name FROM places WHERE kind = 'country'")}
    rows = conn.execute("SELECT e.id, e.story_id, e.data, e.country, e.lat, e.lon, p.name AS pname, p.admin1, "
                        "p.kind FROM story_events e LEFT JOIN places p ON p.id = e.place_id "
                        "ORDER BY e.date IS NULL, e.date, e.id")
    for r in rows:
        yield _event_row(r, json.loads(r["data"]), names)


def _event_row(r: sqlite3.Row, d: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    family, _, sub = (d.get("acled_type") or "").partition(" / ")
    actors, targets = d.get("actors") or [], d.get("targets") or []
    actor_ids, target_ids = d.get("actor_ids") or [], d.get("target_ids") or []
    reports = d.get("reports") or []
    figures = [x["fatalities"] for x in reports if x.get("fatalities") is not None]
    date = d.get("date")
    return {
        "event_id_cnty": r["id"], "event_date": date, "year": int(date[:4]) if date else None,
        "time_precision": _TIME_PRECISION.get(d.get("date_precision") or ""),
        "event_type": family or None, "sub_event_type": sub or None,
        "actor1": actors[0] if actors else None,
        "actor2": targets[0] if targets else (actors[1] if len(actors) > 1 else None),
        "country": names.get(r["country"], r["country"]), "iso3": r["country"], "admin1": r["admin1"],
        "location": r["pname"] or d.get("place"), "latitude": r["lat"], "longitude": r["lon"],
        "geo_precision": _GEO_PRECISION.get(r["kind"] or "", 1) if r["lat"] is not None else None,
        "source": "; ".join(dict.fromkeys(x.get("outlet") or x.get("article") for x in reports)) or None,
        "notes": d.get("sentence"), "fatalities": d.get("fatalities"),
        "plover_type": d.get("type"), "mode": d.get("mode"),
        "actor1_id": actor_ids[0] if actor_ids else None,
        "actor2_id": target_ids[0] if target_ids else (actor_ids[1] if len(actor_ids) > 1 else None),
        "actors": "; ".join(actors), "targets": "; ".join(targets), "claimed_by": d.get("claimed_by"),
        "hedged": bool(d.get("hedged")), "negated": bool(d.get("negated")),
        "fatalities_low": min(figures) if figures else None, "fatalities_high": max(figures) if figures else None,
        "n_reports": len(reports), "story_id": r["story_id"], "place_id": d.get("place_id"),
    }


def situation_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One row per situation span, earliest start first (none on a store without spans)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'situation_spans'").fetchone():
        return
    for r in conn.execute('SELECT * FROM situation_spans ORDER BY "start" IS NULL, "start", id'):
        d = json.loads(r["data"])
        reports = d.get("reports") or []
        present = set(r.keys())  # a Row's `in` tests values, not column names
        row = {k: r[k] for k in SITUATION_COLUMNS if k in present}
        row.update(ongoing=None if r["ongoing"] is None else bool(r["ongoing"]), hedged=bool(r["hedged"]),
                   n_reports=len(reports) or r["n_reports"],
                   sources="; ".join(dict.fromkeys(x.get("outlet") or x.get("article") or "" for x in reports)),
                   contradictions=json.dumps(d.get("contradictions") or [], ensure_ascii=False))
        yield row


def rows_of(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    if table not in TABLES:
        raise InputError(f"{table}: no such export table; choose from {', '.join(TABLES)}")
    return list(event_rows(conn) if table == "events" else situation_rows(conn))


def write(conn: sqlite3.Connection, table: str, fmt: str, out: BinaryIO) -> int:
    """Write ``table`` in ``fmt`` to the binary stream ``out``; return the number of rows."""
    if fmt not in FORMATS:
        raise InputError(f"{fmt}: no such export format; choose from {', '.join(FORMATS)}")
    rows = rows_of(conn, table)
    columns = TABLES[table]
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        w = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        text.detach()
    elif fmt == "jsonl":
        for row in rows:
            out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    elif fmt == "geojson":
        out.write(json.dumps(_geojson(rows), ensure_ascii=False).encode("utf-8"))
    else:
        _parquet(rows, columns, out)
    return len(rows)


def _geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection; rows without coordinates (situations, unplaced events) get a null geometry."""
    features = []
    for row in rows:
        lon, lat = row.get("longitude"), row.get("latitude")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        features.append({"type": "Feature", "geometry": geometry, "properties": row})
    return {"type": "FeatureCollection", "features": features}


def _parquet(rows: list[dict[str, Any]], columns: list[str], out: BinaryIO) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def kind(c: str) -> Any:
        return pa.int64() if c in _INT else pa.float64() if c in _FLOAT else pa.bool_() if c in _BOOL else pa.string()

    schema = pa.schema([(c, kind(c)) for c in columns])
    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema=schema)
    pq.write_table(table, out)


def export_bytes(conn: sqlite3.Connection, table: str, fmt: str) -> bytes:
    buf = io.BytesIO()
    write(conn, table, fmt, buf)
    return buf.getvalue()


def export_file(db: str | Path, table: str, fmt: str, output: str | Path | BinaryIO) -> int:
    """Export ``table`` ("events" or "situations") of the store ``db`` as ``fmt``; return the row count."""
    with open_store(db, readonly=True) as store:  # refuses a missing, foreign or outdated file
        conn = sqlite3.connect(f"file:{quote(str(Path(store.path).resolve()))}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if isinstance(output, str | Path):
            with open(output, "wb") as fh:
                return write(conn, table, fmt, fh)
        return write(conn, table, fmt, output)
    finally:
        conn.close()

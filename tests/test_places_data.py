"""The project's own place data (src/interbellum/data/places/) is consistent with itself.

Countries come from Natural Earth outlines (scripts/build_places.py); first-level divisions and the
gazetteer additions are written by hand, so these checks catch swapped coordinates, a wrong country
code or a typo in an admin-1 name before the gazetteer loads them.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

PLACES = Path(__file__).parents[1] / "src/interbellum/data/places"
MARGIN = 0.1  # degrees: the outlines are simplified and border towns sit on the line

COUNTRY_COLUMNS = {
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
}
ADMIN1_COLUMNS = {
    "id",
    "iso_code",
    "country",
    "name",
    "alternate_names",
    "kind",
    "capital",
    "lat",
    "lon",
    "note",
}
ADDITION_COLUMNS = {
    "id",
    "name",
    "alternate_names",
    "country",
    "admin1",
    "kind",
    "lat",
    "lon",
    "precision",
    "note",
}
ADDITION_KINDS = {"town", "village", "city", "feature", "region", "border", "camp", "base", "mine", "other"}

# The conflict countries whose first-level divisions the project writes itself.
ADMIN1_COUNTRIES = {
    "MLI",
    "BFA",
    "NER",
    "TCD",
    "NGA",
    "CMR",
    "SDN",
    "SSD",
    "SOM",
    "ETH",
    "COD",
    "LBY",
    "MOZ",
    "UKR",
    "SYR",
    "YEM",
    "IRQ",
    "LBN",
    "ISR",
    "PSE",
    "BEN",
    "TGO",
    "CAF",
    "MRT",
    "DZA",
}


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (PLACES / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def countries() -> dict[str, dict[str, str]]:
    _, rows = read("countries.tsv")
    return {r["alpha3"]: r for r in rows}


def in_bbox(country: dict[str, str], lat: float, lon: float, margin: float = MARGIN) -> bool:
    """True if the point is in the country's box; min_lon > max_lon means it crosses 180° (RFC 7946)."""
    west, south = float(country["min_lon"]), float(country["min_lat"])
    east, north = float(country["max_lon"]), float(country["max_lat"])
    if not south - margin <= lat <= north + margin:
        return False
    if west <= east:
        return west - margin <= lon <= east + margin
    return lon >= west - margin or lon <= east + margin


@pytest.mark.parametrize(
    ("name", "columns"),
    [("countries.tsv", COUNTRY_COLUMNS), ("admin1.tsv", ADMIN1_COLUMNS), ("additions.tsv", ADDITION_COLUMNS)],
)
def test_required_columns_and_clean_cells(name: str, columns: set[str]) -> None:
    header, rows = read(name)
    assert columns <= set(header), f"{name} lacks {columns - set(header)}"
    for row in rows:
        assert None not in row, f"{name}: a row has more cells than the header: {row}"
        for key, value in row.items():
            assert value is not None, f"{name}: {row} lacks {key}"
            assert value == value.strip(), f"{name}: stray whitespace in {key}={value!r}"


def test_countries(countries: dict[str, dict[str, str]]) -> None:
    _, rows = read("countries.tsv")
    assert len(rows) >= 240
    assert len(countries) == len(rows), "alpha-3 codes repeat"
    assert len({r["alpha2"] for r in rows}) == len(rows), "alpha-2 codes repeat"
    for code, r in countries.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert re.fullmatch(r"[A-Z]{2}", r["alpha2"]), r
        assert re.fullmatch(r"\d{3}|", r["numeric"]), r
        assert r["name"], r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r
        for key in ("min_lat", "max_lat"):
            assert -90 <= float(r[key]) <= 90, r
        for key in ("min_lon", "max_lon"):
            assert -180 <= float(r[key]) <= 180, r
        assert float(r["min_lat"]) <= float(r["max_lat"]), r
        assert in_bbox(r, lat, lon, margin=0), f"{code}: point outside its own box"


def test_known_country_points(countries: dict[str, dict[str, str]]) -> None:
    # capitals or well-known towns that must fall in the country's box, and a crossing box
    assert in_bbox(countries["MLI"], 12.64, -8.0)  # Bamako
    assert in_bbox(countries["UKR"], 44.95, 34.10)  # Simferopol: Crimea counted in Ukraine, as ISO does
    assert in_bbox(countries["SOM"], 9.56, 44.07)  # Hargeisa: Somaliland counted in Somalia
    assert in_bbox(countries["FJI"], -18.14, 178.44) and in_bbox(countries["FJI"], -16.8, -179.9)
    assert not in_bbox(countries["FRA"], 4.93, -52.33)  # Cayenne is GUF, not FRA
    assert in_bbox(countries["GUF"], 4.93, -52.33)


def test_admin1(countries: dict[str, dict[str, str]]) -> None:
    _, rows = read("admin1.tsv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "admin1 ids repeat"
    iso = [r["iso_code"] for r in rows if r["iso_code"]]
    assert len(iso) == len(set(iso)), "ISO 3166-2 codes repeat"
    assert {r["country"] for r in rows} >= ADMIN1_COUNTRIES
    for r in rows:
        assert r["country"] in countries, r
        assert r["id"].startswith(r["country"] + "."), r
        assert not r["iso_code"] or r["iso_code"].startswith(countries[r["country"]]["alpha2"] + "-"), r
        assert r["name"] and r["kind"] and r["capital"], r
        assert r["name"] not in r["alternate_names"].split("|"), r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert in_bbox(countries[r["country"]], lat, lon), f"{r['id']} ({lat}, {lon}) outside {r['country']}"


def test_additions(countries: dict[str, dict[str, str]]) -> None:
    _, rows = read("additions.tsv")
    _, admin1 = read("admin1.tsv")
    divisions = {(r["country"], r["name"]) for r in admin1}
    covered = {r["country"] for r in admin1}
    assert len(rows) >= 180
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "addition ids repeat"
    for r in rows:
        assert re.fullmatch(r"ib:[a-z0-9]+(-[a-z0-9]+)*", r["id"]), r["id"]
        assert r["country"] in countries, r
        assert r["kind"] in ADDITION_KINDS, r
        assert r["precision"] in {"checked", "approx"}, r
        assert r["name"] and r["note"], r
        alternates = r["alternate_names"].split("|") if r["alternate_names"] else []
        assert all(alternates) and r["name"] not in alternates, r
        if r["admin1"] and r["country"] in covered:
            assert (r["country"], r["admin1"]) in divisions, f"{r['id']}: no division {r['admin1']!r}"
        lat, lon = float(r["lat"]), float(r["lon"])
        assert in_bbox(countries[r["country"]], lat, lon), f"{r['id']} ({lat}, {lon}) outside {r['country']}"


def test_map_outlines() -> None:
    path = PLACES / "countries-50m.json"
    assert path.stat().st_size < 1_500_000
    topo = json.loads(path.read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    assert len(topo["objects"]["countries"]["geometries"]) > 200

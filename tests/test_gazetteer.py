"""The gazetteer index: what it holds, how names are folded, what the ruler gets, and its disk cache.

The packaged index is built once per machine in the cache folder (a few seconds, the first time);
the cache tests build small indexes from a stand-in source in a temporary folder instead.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from interbellum.errors import ConfigError
from interbellum.knowledge import gazetteer as gazetteer_module
from interbellum.knowledge.gazetteer import (
    KINDS,
    Gazetteer,
    PlaceRecord,
    distance_km,
    fold,
    not_places,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


# ---- folding ----

@pytest.mark.parametrize(("name", "key"), [
    ("Gao", "gao"),
    ("Tin-Zaouatène", "tin zaouatene"),
    ("N'Djamena", "ndjamena"),
    ("N’Djamena", "ndjamena"),
    ("NDJAMENA", "ndjamena"),
    ("Côte d’Ivoire", "cote divoire"),
    ("St. Louis", "st louis"),
    ("Mali–Algeria  border", "mali algeria border"),
    ("Łódź", "lodz"),
    ("Ærø", "aero"),
    ("Москва", ""),
])
def test_fold(name, key):
    assert fold(name) == key


def test_distance_km():
    assert distance_km(16.27, -0.04, 16.27, -0.04) == 0
    # Bamako to Gao: about 960 km as the crow flies
    assert 900 < distance_km(12.65, -8.0, 16.27, -0.04) < 1000


# ---- what the index holds ----

@pytest.mark.parametrize(("name", "id", "kind", "country"), [
    ("Gao", "geonames:2457163", "city", "MLI"),
    ("Gao", "admin1:MLI.GAO", "admin", "MLI"),
    ("Région de Gao", "admin1:MLI.GAO", "admin", "MLI"),
    ("Anefis", "ib:anefis", "town", "MLI"),
    ("Anéfis", "ib:anefis", "town", "MLI"),
    ("Tin Zaouatene", "ib:tinzaouaten", "town", "MLI"),
    ("Mali", "country:MLI", "country", "MLI"),
    ("DRC", "country:COD", "country", "COD"),
    ("République démocratique du Congo", "country:COD", "country", "COD"),
    ("Côte d'Ivoire", "country:CIV", "country", "CIV"),
    ("Ndjamena", "geonames:2427123", "city", "TCD"),
    ("Texas", "admin1:USA.TX", "admin", "USA"),
    ("Paris", "geonames:2988507", "city", "FRA"),
    ("Africa", "geonames:6255146", "region", None),
    ("Mali–Algeria border", "ib:border-mli-dza", "border", "MLI"),
])
def test_candidates(gaz, name, id, kind, country):
    found = {c.id: c for c in gaz.candidates(name)}
    assert id in found
    assert (found[id].kind, found[id].country) == (kind, country)


def test_candidates_put_own_names_first_and_say_so(gaz):
    assert gaz.candidates("Timbuktu")[0].exact
    assert gaz.candidates("DRC")[0].exact is False  # an alias of "Democratic Republic of the Congo"


@pytest.mark.parametrize("name", ["", "   ", "Xyzzyville Qqq", "Москва"])
def test_no_candidates(gaz, name):
    assert gaz.candidates(name) == []


def test_city_admin1_comes_from_its_division(gaz):
    assert gaz.get("geonames:2457163").admin1 == "Gao"
    assert gaz.get("geonames:4717560").admin1 == "Texas"  # Paris, Texas


def test_capitals_are_marked(gaz):
    assert gaz.get("geonames:2460596").capital  # Bamako
    assert not gaz.get("geonames:2457163").capital  # Gao


@pytest.mark.parametrize("id", ["geonames:2457163", "ib:anefis", "admin1:MLI.GAO", "country:MLI",
                                "admin1:USA.TX"])
def test_get_round_trips(gaz, id):
    assert gaz.get(id).id == id


@pytest.mark.parametrize("id", ["geonames:0", "geonames:x", "ib:nowhere", "country:ZZZ", "nonsense"])
def test_get_unknown(gaz, id):
    assert gaz.get(id) is None


@pytest.mark.parametrize(("code", "lat", "lon"), [("MLI", (10, 25), (-12.5, 4.5)),
                                                  ("UKR", (44, 53), (22, 40.5))])
def test_country_point_lies_in_the_country(gaz, code, lat, lon):
    c = gaz.country(code.lower())
    assert c.kind == "country" and c.id == f"country:{code}"
    assert lat[0] < c.lat < lat[1] and lon[0] < c.lon < lon[1]
    assert gaz.country("ZZZ") is None


def test_records_are_well_formed(gaz):
    for name in ("Gao", "Paris", "Niger", "Kidal", "Georgia", "Springfield"):
        for c in gaz.candidates(name):
            assert isinstance(c, PlaceRecord)
            assert c.kind in KINDS
            assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180
            assert c.source in {"geonames", "country", "admin1", "ib"}


def test_curated_lists_our_entries_of_a_kind(gaz):
    borders = gaz.curated("border")
    assert {"ib:border-mli-dza", "ib:labbezanga"} <= {b.id for b in borders}
    assert len(gaz.curated("country")) >= 250


# ---- names for the entity ruler ----

@pytest.fixture(scope="module")
def ruler(gaz) -> dict[str, str]:
    return dict(gaz.ruler_names())


@pytest.mark.parametrize(("name", "kind"), [
    ("Mali", "country"), ("DRC", "country"), ("Tombouctou", "admin"), ("Anefis", "town"), ("Anéfis", "town"),
    ("Tinzaouaten", "town"), ("Paris", "city"), ("Moscow", "city"), ("Kidal", "admin"), ("Diré", "town"),
])
def test_ruler_names_include(ruler, name, kind):
    assert ruler.get(name) == kind


@pytest.mark.parametrize("name", ["Of", "Best", "Police", "Street", "Union", "Media", "Bar", "Mission", "Ben",
                                  "Man", "Sale", "Nice", "Dire", "Moskau", "US", "Wa"])
def test_ruler_names_exclude(ruler, name):
    assert name not in ruler


def test_ruler_names_are_unique_and_long_enough(gaz):
    names = [n for n, _ in gaz.ruler_names()]
    assert len(names) == len(set(names))
    assert all(sum(c.isalpha() for c in n) >= 3 for n in names)
    assert not {n.casefold() for n in names} & not_places()


@pytest.mark.parametrize(("countries", "present", "absent"), [
    (None, {"Niafunké", "Ansongo"}, {"Yssingeaux"}),  # Malian towns of a few thousand, not French ones
    ({"FRA"}, {"Yssingeaux", "Blaye"}, {"Niafunké", "Ansongo"}),
])
def test_ruler_names_small_towns_of_the_chosen_countries(gaz, countries, present, absent):
    names = {n for n, _ in gaz.ruler_names(countries)}
    assert present <= names
    assert not absent & names


def test_not_places_file_is_clean():
    words = not_places()
    assert {"of", "police", "nice", "ben"} <= words
    assert all(w == w.strip() and w for w in words)


# ---- the disk cache ----

def _tiny_entries():
    yield (("country:MLI", "Mali", "MLI", None, "country", 17.3, -3.5, 19_000_000, 0), ["Republic of Mali"])
    yield (("geonames:2457163", "Gao", "MLI", "Gao", "city", 16.27, -0.04, 133_110, 0), ["Gao City"])


@pytest.fixture
def tiny(monkeypatch, tmp_path) -> Path:
    """A cache folder whose index builds from two entries, and a counter of builds."""
    monkeypatch.setenv("INTERBELLUM_CACHE", str(tmp_path))
    monkeypatch.setattr(gazetteer_module, "_entries", _tiny_entries)
    monkeypatch.setattr(gazetteer_module, "index_key", lambda: "k1")
    return tmp_path


def test_builds_once_into_the_cache_folder(tiny, monkeypatch):
    gaz = Gazetteer.open()
    assert gaz.path == tiny / "gazetteer-k1.sqlite"
    assert [c.id for c in gaz.candidates("gao city")] == ["geonames:2457163"]
    calls = []
    monkeypatch.setattr(gazetteer_module, "build", lambda path: calls.append(path))
    Gazetteer.open()
    assert calls == []  # warm: the file is there
    assert [p.name for p in tiny.iterdir()] == ["gazetteer-k1.sqlite"]  # no temporary file left


def test_a_new_key_rebuilds_and_drops_the_stale_index(tiny, monkeypatch):
    Gazetteer.open()
    monkeypatch.setattr(gazetteer_module, "index_key", lambda: "k2")
    gaz = Gazetteer.open()
    assert gaz.path.name == "gazetteer-k2.sqlite"
    assert sorted(p.name for p in tiny.iterdir()) == ["gazetteer-k2.sqlite"]
    assert gaz.country("MLI").name == "Mali"


def test_default_follows_the_cache_variable(tiny):
    assert Gazetteer.default().path.parent == tiny.resolve()
    assert Gazetteer.default() is Gazetteer.default()


def test_concurrent_builds_leave_one_good_index(tiny):
    path = tiny / "gazetteer-k1.sqlite"
    errors = []

    def build():
        try:
            gazetteer_module.build(path)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in tiny.iterdir()] == ["gazetteer-k1.sqlite"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM places").fetchone() == (2,)


def test_an_unwritable_cache_folder_is_a_config_error(tiny, monkeypatch):
    blocker = tiny / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="INTERBELLUM_CACHE"):
        Gazetteer.open(blocker / "sub")

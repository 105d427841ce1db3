"""Toponym resolution and border phrases, on short sentences written for the project."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from interbellum.knowledge.gazetteer import Gazetteer
from interbellum.knowledge.places import Toponym, border_places, resolve_places
from interbellum.model import Place

PLACES = Path(__file__).parents[1] / "src/interbellum/data/places"
MARGIN = 0.5  # degrees around a country's box: border towns and simplified outlines


def _tsv(name: str) -> list[dict[str, str]]:
    with (PLACES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ADDITIONS = _tsv("additions.tsv")
BOXES = {r["alpha3"]: tuple(float(r[k]) for k in ("min_lon", "min_lat", "max_lon", "max_lat"))
         for r in _tsv("countries.tsv")}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def toponyms(body: str, *names: str, label: str = "GPE") -> list[Toponym]:
    """Every occurrence of each name in ``body``, as NER would hand it over."""
    return [Toponym(n, m.start(), m.end(), label) for n in names for m in re.finditer(re.escape(n), body)]


def resolve(body: str, *names: str, focus: dict[str, float] | None = None, **kw) -> dict[str, Place]:
    """Surface form of the first mention → its place."""
    places = resolve_places(toponyms(body, *names), body, focus, **kw)
    return {p.mentions[0].text: p for p in places}


def inside(place: Place, code: str) -> bool:
    west, south, east, north = BOXES[code]
    if west > east:  # the box crosses the antimeridian
        return south - MARGIN <= place.lat <= north + MARGIN
    return south - MARGIN <= place.lat <= north + MARGIN and west - MARGIN <= place.lon <= east + MARGIN


# ---- every place the project added resolves to itself in a story about its country ----

@pytest.mark.parametrize("row", ADDITIONS, ids=[r["id"] for r in ADDITIONS])
def test_additions_resolve_to_themselves(gaz, row):
    country = gaz.country(row["country"]).name
    body = f"Fighting near {row['name']} in {country} killed three people on Monday."
    place = resolve(body, row["name"], country)[row["name"]]
    assert place.id == row["id"]
    assert place.country == row["country"]
    assert inside(place, row["country"])


@pytest.mark.parametrize("row", ADDITIONS, ids=[r["id"] for r in ADDITIONS])
def test_additions_resolve_with_the_callers_focus(row):
    body = f"Fighting near {row['name']} killed three people on Monday."
    assert resolve(body, row["name"], focus={row["country"]: 1.0})[row["name"]].id == row["id"]


# ---- ambiguity ----

@pytest.mark.parametrize(("body", "names", "focus", "expected"), [
    ("Gunmen attacked a convoy near Gao on Tuesday.", ["Gao"], {"MLI": 5.0, "DZA": 1.0},
     {"Gao": "geonames:2457163"}),
    ("The Malian army said Gao was calm after the attack near Kidal.", ["Gao", "Kidal"], None,
     {"Gao": "geonames:2457163", "Kidal": "geonames:2455290"}),
    ("Niger closed its airspace on Sunday.", ["Niger"], None, {"Niger": "country:NER"}),
    ("Paris hosted the summit.", ["Paris"], None, {"Paris": "geonames:2988507"}),
    ("The convoy left Paris, Texas at dawn.", ["Paris", "Texas"], None,
     {"Paris": "geonames:4717560", "Texas": "admin1:USA.TX"}),
    ("Storms hit Atlanta, Savannah and the rest of Georgia.", ["Atlanta", "Savannah", "Georgia"], None,
     {"Georgia": "admin1:USA.GA"}),
    ("Tbilisi said Georgia would not join the talks in Moscow.", ["Tbilisi", "Georgia", "Moscow"], None,
     {"Georgia": "country:GEO", "Moscow": "geonames:524901"}),
    ("Officials in Washington denied the report.", ["Washington"], None, {"Washington": "geonames:4140963"}),
    ("Clashes in the Gao region left five dead.", ["Gao"], None, {"Gao": "admin1:MLI.GAO"}),
    ("Des affrontements ont eu lieu dans la région de Mopti.", ["Mopti"], None,
     {"Mopti": "admin1:MLI.MOPTI"}),
    ("Bandits raided villages in Niger State.", ["Niger State"], None, {"Niger State": "admin1:NGA.NIGER"}),
    ("Insurgents struck Maiduguri in Borno State.", ["Maiduguri", "Borno"], None,
     {"Borno": "admin1:NGA.BORNO"}),
    ("Fishermen on Lake Chad were attacked.", ["Chad"], None, {"Chad": "ib:lake-chad"}),
    ("Soldiers returned to Léré, near the Mauritanian border of Mali.", ["Léré", "Mali"], None,
     {"Léré": "ib:lere"}),
    ("The Gaza health ministry said Israel struck Khan Younis.", ["Gaza", "Israel", "Khan Younis"], None,
     {"Gaza": "geonames:281133"}),
])
def test_ambiguous_names(body, names, focus, expected):
    found = resolve(body, *names, focus=focus)
    assert {k: found[k].id for k in expected if k in found} == expected


@pytest.mark.parametrize(("body", "name", "label"), [
    ("Boats sailed down the Niger River to Mopti.", "Niger", "LOC"),       # a river, not the country
    ("Crowds gathered outside Atlantis Stadium.", "Atlantis Stadium", "FAC"),
    ("A drone hit the Xyzzy depot.", "Xyzzy", "GPE"),
    ("Delegates from Va. arrived.", "Va.", "GPE"),                          # no two-letter guesses
])
def test_unresolvable_toponyms_are_dropped(body, name, label):
    assert name not in {p.mentions[0].text for p in resolve_places(toponyms(body, name, label=label), body)}


@pytest.mark.parametrize(("demonym", "id"), [("Malian", "country:MLI"), ("Canadian", "country:CAN"),
                                             ("burkinabè", "country:BFA")])
def test_a_demonym_passed_as_a_toponym_is_its_country(demonym, id):
    body = f"The {demonym} delegation left."
    assert resolve(body, demonym)[demonym].id == id


def test_one_place_per_location_with_every_mention():
    body = "Gao was shelled. Residents of Gao fled to Bamako, and Gao's market closed."
    found = [Toponym("Gao", 0, 3), Toponym("Gao", 30, 33), Toponym("Bamako", 42, 48),
             Toponym("Gao's", 54, 59)]
    places = resolve_places(found, body)
    gao = next(p for p in places if p.id == "geonames:2457163")
    assert [m.start for m in gao.mentions] == [0, 30, 54]
    assert (gao.name, gao.country, gao.admin1, gao.kind) == ("Gao", "MLI", "Gao", "city")
    assert [p.mentions[0].start for p in places] == sorted(p.mentions[0].start for p in places)


def test_canonical_name_not_surface_form():
    body = "Fighting resumed around Tombouctou."
    place = resolve(body, "Tombouctou")["Tombouctou"]
    assert place.name in {"Timbuktu", "Tombouctou"}
    assert place.mentions[0].text == "Tombouctou"


@pytest.mark.parametrize(("body", "name", "code"), [
    ("Shelling hit Kharkiv overnight.", "Kharkiv", "UKR"),
    ("Troops entered Kidal.", "Kidal", "MLI"),
    ("Aid reached El Fasher.", "El Fasher", "SDN"),
    ("Protests spread in Goma.", "Goma", "COD"),
    ("Officials met in Ouagadougou.", "Ouagadougou", "BFA"),
])
def test_resolved_points_lie_in_their_country(body, name, code):
    place = resolve(body, name)[name]
    assert place.country == code and inside(place, code)


def test_no_toponyms_no_places():
    assert resolve_places([], "Nothing to see here.") == []


# ---- borders ----

@pytest.mark.parametrize(("body", "id", "mention"), [
    ("Troops massed on the Malian-Algerian border.", "ib:border-mli-dza", "Malian-Algerian border"),
    ("Jihadists crossed Mali's border with Algeria.", "ib:border-mli-dza", "Mali's border with Algeria"),
    ("Des renforts ont été envoyés à la frontière algéro-malienne.", "ib:border-mli-dza",
     "frontière algéro-malienne"),
    ("Des combats ont eu lieu à la frontière entre le Mali et l'Algérie.", "ib:border-mli-dza",
     "frontière entre le Mali et l'Algérie"),
    ("La frontière nigéro-nigériane reste fermée.", "ib:border-ner-nga", "frontière nigéro-nigériane"),
    ("The Chad–Sudan border is closed.", "ib:border-tcd-sdn", "Chad–Sudan border"),
    ("Refugees fled along the Syrian-Turkish border.", "ib:border-syr-tur", "Syrian-Turkish border"),
    ("Attacks rose in the tri-border area.", "ib:border-mli-bfa-ner", "tri-border area"),
    ("Dans la zone des trois frontières, l'armée patrouille.", "ib:border-mli-bfa-ner",
     "trois frontières"),
])
def test_border_phrases(body, id, mention):
    places = border_places([], body)
    assert [(p.id, p.kind, [m.text for m in p.mentions]) for p in places] == [(id, "border", [mention])]
    assert body[places[0].mentions[0].start:places[0].mentions[0].end] == mention


def test_a_border_without_an_entry_sits_between_the_two_countries():
    (place,) = border_places([], "Herders crossed the Mali-Senegal border.")
    assert (place.id, place.name, place.kind, place.country) == ("border:MLI-SEN", "Mali–Senegal border",
                                                                  "border", "MLI")
    assert inside(place, "MLI") and inside(place, "SEN")


@pytest.mark.parametrize("body", [
    "Talks on the Mali-Chile border question.",     # not neighbours
    "The Malian-Malian border makes no sense.",     # one country twice
    "The Northern-Southern border was redrawn.",    # no countries
    "Attacks rose in the tri-border area.",         # with a context of other countries (below)
])
def test_no_border_place(body):
    context = {"BRA", "ARG", "PRY"} if "tri-border" in body else None
    assert border_places([], body, context=context) == []


def test_border_phrases_from_the_linker_merge_with_the_patterns():
    body = "Troops massed on the Malian-Algerian border. The Malian-Algerian border stayed shut."
    linker = [Toponym("Malian-Algerian border", 21, 43, "BORDER")]
    (place,) = border_places(linker, body)
    assert [m.start for m in place.mentions] == [21, 49]


def test_resolve_places_can_add_the_borders():
    body = "FAMa retook Anefis near the Malian-Algerian border."
    ids = [p.id for p in resolve_places(toponyms(body, "Anefis"), body, borders=True)]
    assert ids == ["ib:anefis", "ib:border-mli-dza"]
    assert [p.id for p in resolve_places(toponyms(body, "Anefis"), body)] == ["ib:anefis"]

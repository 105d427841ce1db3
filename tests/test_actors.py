"""The actor knowledge base: its data hold together, and the loader reads, expands and indexes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interbellum.errors import ConfigError
from interbellum.knowledge.actors import NON_ACTOR_READINGS, TYPES, KnowledgeBase

# The 193 UN member states (ISO alpha-3); observers and others (PSE, VAT, XKX, TWN) come on top.
_UN_CODES = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR
BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK DJI DMA DOM ECU
EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND
IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS
MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK
PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP
SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE
GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBERS = set(_UN_CODES.split())
NO_ARMED_FORCES = {"and", "cri", "dma", "grd", "isl", "kir", "lie", "mhl", "fsm", "plw", "mco", "nru", "pan",
                   "lca", "vct", "wsm", "slb", "tuv", "vut", "mus"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def country_entries(kb: KnowledgeBase) -> list:
    return [a for a in kb if f"{a.id}.gov" in kb]


# ---- the data hold together ----

def test_the_packaged_base_loads_once(kb):
    assert len(kb) > 500
    assert KnowledgeBase.load() is kb


def test_ids_are_unique_and_well_formed(kb):
    ids = [a.id for a in kb]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", i) for i in ids)


def test_types_are_in_the_schema(kb):
    assert {a.type for a in kb} <= TYPES


def test_country_codes_are_alpha3_of_country_entries(kb):
    codes = {a.country for a in country_entries(kb)}
    bad = [(a.id, a.country) for a in kb if a.country is not None
           and (not re.fullmatch(r"[A-Z]{3}", a.country) or a.country not in codes)]
    assert bad == []


def test_parents_exist(kb):
    assert [(a.id, a.parent) for a in kb if a.parent is not None and kb.get(a.parent) is None] == []


def test_every_un_member_is_a_state(kb):
    states = {a.country for a in kb if a.type == "state"}
    assert len(UN_MEMBERS) == 193
    assert sorted(UN_MEMBERS - states) == []
    assert len(states) >= 193
    assert {"PSE", "VAT", "XKX", "TWN"} <= states
    assert kb.get("esh").type == kb.get("somaliland").type == "other"


def test_country_entries_expand_into_government_and_military(kb):
    for state in country_entries(kb):
        gov, mil = kb.get(f"{state.id}.gov"), kb.get(f"{state.id}.mil")
        assert (gov.type, gov.parent, gov.country) == ("government", state.id, state.country)
        if state.id in NO_ARMED_FORCES:
            assert mil is None and state.note, state.id
        else:
            assert (mil.type, mil.parent, mil.country) == ("military", state.id, state.country), state.id
        assert state.capital and state.all_demonyms() or state.id == "vat", state.id


def _names_outside_ambiguous(kb: KnowledgeBase, forms, candidates) -> list[str]:
    """Every form that names several entries without an ambiguous.yaml entry covering all of them."""
    bad = []
    for form, actor in forms:
        ids = {a.id for a in candidates(form)}
        amb = kb.ambiguity(form)
        if len(ids) > 1 and (amb is None or not ids <= set(amb.entries)):
            bad.append(f"{form!r} names {sorted(ids)} ({actor.id})")
    return sorted(set(bad))


def test_every_alias_names_one_entry_unless_listed_as_ambiguous(kb):
    assert _names_outside_ambiguous(kb, kb.surface_forms(), kb.lookup) == []


def test_every_demonym_names_one_state_unless_listed_as_ambiguous(kb):
    forms = [(d, a) for a in kb for d in a.all_demonyms()]
    assert _names_outside_ambiguous(kb, forms, kb.demonym_candidates) == []


def test_metonyms_name_one_state(kb):
    assert [(m, a.id) for a in kb for m in a.metonyms if kb.by_metonym(m) is not a] == []


def test_ambiguous_entries_exist_and_have_a_rule(kb):
    assert kb.ambiguities
    for amb in kb.ambiguities:
        assert amb.rule.strip(), amb.alias
        assert all(e in kb or e in NON_ACTOR_READINGS for e in amb.entries), amb
        named = {a.id for a in kb.lookup(amb.alias) + kb.demonym_candidates(amb.alias)}
        assert named and named <= set(amb.entries), f"{amb.alias!r} names {sorted(named)}, listed {amb.entries}"


# ---- spot checks on the shipped data ----

@pytest.mark.parametrize(("surface", "ids"), [
    ("FAMa", ["mli.mil"]), ("malian army", ["mli.mil"]), ("Forces armées maliennes", ["mli.mil"]),
    ("Kremlin", ["rus.gov"]), ("Élysée", ["fra.gov"]), ("White House", ["usa.gov"]),
    ("Downing Street", ["gbr.gov"]), ("IDF", ["isr.mil"]), ("Tsahal", ["isr.mil"]), ("SAF", ["sdn.mil"]),
    ("FARDC", ["cod.mil"]), ("SNA", ["som.mil"]), ("FAN", ["ner.mil"]), ("ANT", ["tcd.mil"]),
    ("ANP", ["dza.mil"]), ("ZSU", ["ukr.mil"]), ("armée française", ["fra.mil"]), ("Tatmadaw", ["mmr.mil"]),
    ("Russian Defence Ministry", ["rus.mil"]), ("Ivory Coast", ["civ"]), ("Côte d’Ivoire", ["civ"]),
    ("DRC", ["cod"]), ("RDC", ["cod"]), ("DR Congo", ["cod"]), ("Russian Federation", ["rus"]),
    ("UK", ["gbr"]), ("Great Britain", ["gbr"]), ("US", ["usa"]), ("U.S.", ["usa"]),
    ("États-Unis", ["usa"]), ("united states of america", ["usa"]), ("Somaliland", ["somaliland"]),
    ("Congo", ["cod", "cog"]), ("us", []), ("aes", []), ("Fama fama", []), ("MALI", ["mli"]),
    ("US Forces", ["usa.mil"]), ("us forces", []), ("car troops", []), ("CAR troops", ["caf.mil"]),
])
def test_lookup(kb, surface, ids):
    assert sorted(a.id for a in kb.lookup(surface)) == ids


def test_acronyms_match_only_in_capitals(kb):
    assert kb.lookup("aes") == [] and kb.lookup("Aes") == []
    if not kb.lookup("AES"):
        pytest.skip("organizations.yaml has no AES yet")
    assert [a.id for a in kb.lookup("AES")] == ["aes"]


@pytest.mark.parametrize(("word", "state"), [
    ("Malian", "mli"), ("maliennes", "mli"), ("Burkinabè", "bfa"), ("burkinabé", "bfa"), ("Burkinabe", "bfa"),
    ("Nigerien", "ner"), ("nigérienne", "ner"), ("Nigerian", "nga"), ("nigérianes", "nga"),
    ("Sudanese", "sdn"), ("South Sudanese", "ssd"), ("Ivorian", "civ"), ("Emirati", "are"), ("Sahrawi", "esh"),
    ("Congolese", None), ("Dominican", None), ("Martian", None),
])
def test_by_demonym(kb, word, state):
    found = kb.by_demonym(word)
    assert (found.id if found else None) == state


@pytest.mark.parametrize(("city", "state"), [("Moscow", "rus"), ("Bamako", "mli"), ("Kyiv", "ukr"),
                                             ("Kiev", "ukr"), ("Washington", "usa"), ("Paris", "fra")])
def test_by_metonym(kb, city, state):
    assert kb.by_metonym(city).id == state
    assert kb.lookup(city) == [] or all(a.type != "state" for a in kb.lookup(city))


def test_surface_forms_cover_names_and_aliases(kb):
    pairs = {(form, actor.id) for form, actor in kb.surface_forms()}
    assert {("Mali", "mli"), ("Malian Armed Forces", "mli.mil"), ("FAMa", "mli.mil")} <= pairs


# ---- the loader, on small bases written for the test ----

def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


COUNTRY = """
- id: mli
  name: Mali
  type: state
  country: MLI
  iso2: ML
  capital: Bamako
  government: {name: Government of Mali, aliases: {en: [Malian junta]}}
  military: {name: Malian Armed Forces, aliases: {en: [FAMa]}}
"""


def test_a_small_base_expands_and_indexes(tmp_path):
    write(tmp_path, "countries.yaml", COUNTRY)
    write(tmp_path, "orgs.yaml", "- {id: aes, name: Alliance of Sahel States, type: organization, aliases: {en: [AES]}}\n"
                                 "- {id: rt, name: RT, type: media, country: null, domains: [rt.com], kind: broadcaster,"
                                 " state_affiliated: true, basis: Funded by the Russian state}\n")
    kb = KnowledgeBase.load(tmp_path)
    assert sorted(a.id for a in kb) == ["aes", "mli", "mli.gov", "mli.mil", "rt"]
    assert kb.lookup("AES")[0].id == "aes" and kb.lookup("aes") == [] and kb.lookup("Aes") == []
    assert kb.lookup("malian junta")[0].id == "mli.gov"
    assert kb.by_domain("www.rt.com").id == kb.by_domain("francais.rt.com").id == "rt"
    assert kb.by_domain("example.com") is None


@pytest.mark.parametrize(("files", "words"), [
    ({"a.yaml": "- {id: x, name: X, type: rebel}\n"}, ["a.yaml", "(x)", "type"]),
    ({"a.yaml": "- {id: x, name: X, type: person, rank: general}\n"}, ["a.yaml", "(x)", "rank"]),
    ({"a.yaml": "- {id: x, name: X, type: person, parent: nobody}\n"}, ["a.yaml", "(x)", "nobody"]),
    ({"a.yaml": "- {id: x, name: X, type: person, country: Mali}\n"}, ["a.yaml", "(x)", "country"]),
    ({"a.yaml": "- {id: x, name: X, type: person, country: NER}\n"}, ["a.yaml", "(x)", "NER"]),
    ({"a.yaml": "- {id: x, type: person}\n"}, ["a.yaml", "(x)", "name"]),
    ({"a.yaml": "- {id: X Y, name: X, type: person}\n"}, ["a.yaml", "X Y"]),
    ({"a.yaml": "- {id: x, name: X, type: person, aliases: [X1]}\n"}, ["a.yaml", "(x)", "aliases"]),
    ({"a.yaml": "- {id: mli, name: Dup, type: person}\n"}, ["countries.yaml", "(mli)", "a.yaml"]),
    ({"b.yaml": "- {id: ner, name: Niger, type: state, country: NER, capital: Niamey, government: null,"
                " military: null}\n"}, ["b.yaml", "(ner)", "iso2"]),
    ({"ambiguous.yaml": "- {alias: Mali, entries: [mli, atlantis], rule: never}\n"}, ["ambiguous.yaml", "atlantis"]),
    ({"ambiguous.yaml": "- {alias: Mali, entries: [mli]}\n"}, ["ambiguous.yaml", "rule"]),
    ({"a.yaml": "- id: x\n  name: [unclosed\n"}, ["a.yaml", "YAML"]),
])
def test_a_malformed_entry_is_a_config_error_naming_file_and_id(tmp_path, files, words):
    write(tmp_path, "countries.yaml", COUNTRY)
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(ConfigError) as err:
        KnowledgeBase.load(tmp_path)
    for word in words:
        assert word in str(err.value)

"""The knowledge stage: Documents get entities, places and times; bad input gives empty lists, not errors.

Texts are written for these tests (the places are real; the people and events are not).
"""

from __future__ import annotations

import pytest

from interbellum.knowledge import extract_places, stage
from interbellum.knowledge.gazetteer import distance_km
from interbellum.model import Article, Document, RawPage
from interbellum.pipeline import DEFAULT_STAGES, Pipeline, stages

STORY = (
    "Malian troops and Russia’s Africa Corps entered Kidal on Tuesday, the army said, after fighters of "
    "Jama'at Nusrat al-Islam wal-Muslimin (JNIM) withdrew towards the Malian-Algerian border.\n\n"
    "Moscow continues to support the junta, and Colonel Boubacar Sidibé-Koné, who led the column, said "
    "Gao and Anefis were calm. Sidibé-Koné added that French instructors had left Mali in August 2022."
)


def annotate(body: str, language: str = "en", published: str | None = "2024-03-14") -> Document:
    article = Article(title="t", body=body, language=language, published=published)
    return stage.annotate(Document(input="test", article=article))


@pytest.fixture(scope="module")
def story() -> Document:
    return annotate(STORY)


def by_id(doc: Document) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for e in doc.entities:
        out.setdefault(e.id, []).extend(m.text for m in e.mentions)
    return out


# ---- registration ----

def test_the_stage_is_registered_and_is_the_default():
    assert DEFAULT_STAGES[0] == "knowledge.v1"
    assert "knowledge.v1" in stages.names()
    assert Pipeline().stage_names[0] == "knowledge.v1"


def test_the_pipeline_fills_who_where_when_from_a_page():
    raw = RawPage(input="story.txt", content="Army back in Kidal\n\n" + STORY, kind="text")
    doc = Pipeline().process(raw, "2024-03-14")
    assert {"mli.mil", "jnim", "africa-corps"} <= {e.id for e in doc.entities}
    assert "Kidal" in {p.name for p in doc.places}
    assert ("August 2022", "2022-08") in {(t.text, t.value) for t in doc.times}


# ---- what a story gives ----

@pytest.mark.parametrize(("ident", "mention"), [
    ("mli.mil", "Malian troops"),
    ("africa-corps", "Russia’s Africa Corps"),
    ("jnim", "Jama'at Nusrat al-Islam wal-Muslimin"),
    ("jnim", "JNIM"),
    ("rus", "Moscow"),
    ("fra.mil", "French instructors"),
    ("mli", "Mali"),
])
def test_entities_of_a_story(story, ident, mention):
    assert mention in by_id(story)[ident]


def test_a_new_person_is_one_entity_with_the_story_country(story):
    people = [e for e in story.entities if e.type == "person" and e.id is None]
    assert [(e.name, e.country, len(e.mentions)) for e in people] == [("Boubacar Sidibé-Koné", "MLI", 2)]


def test_the_army_and_the_junta_are_the_story_country(story):
    ids = by_id(story)
    assert "army" in ids["mli.mil"]
    assert "junta" in ids["mli.gov"]


@pytest.mark.parametrize(("name", "lat", "lon", "km"), [
    ("Kidal", 18.44, 1.41, 25), ("Gao", 16.27, -0.04, 25), ("Anefis", 18.05, 0.61, 25),
    ("Mali", 17.57, -3.99, 1000), ("Algeria", 28.03, 1.66, 900),
])
def test_places_of_a_story(story, name, lat, lon, km):
    place = next(p for p in story.places if p.name == name)
    assert distance_km(place.lat, place.lon, lat, lon) <= km


def test_a_border_phrase_is_a_border_place_and_no_actor(story):
    borders = [p for p in story.places if p.kind == "border"]
    assert [m.text for p in borders for m in p.mentions] == ["Malian-Algerian border"]
    assert not any(m.text.startswith("Malian-Algerian") for e in story.entities for m in e.mentions)


def test_a_capital_that_acts_is_not_a_place(story):
    assert "Moscow" not in {p.name for p in story.places}


def test_every_offset_points_into_the_body(story):
    spans = [m for e in story.entities for m in e.mentions] + [m for p in story.places for m in p.mentions]
    spans += story.times
    for m in spans:
        assert STORY[m.start:m.end] == m.text


def test_times_are_read_against_the_publication_date(story):
    assert {(t.text, t.value) for t in story.times} >= {("on Tuesday", "2024-03-12"), ("August 2022", "2022-08")}


def test_the_army_is_the_state_named_most_not_where_the_story_is_set():
    doc = annotate("Israel said its jets struck Rafah overnight. Hamas fighters fired rockets from Gaza and "
                   "Khan Younis into Israel. The military said the strikes would go on.")
    assert "military" in by_id(doc).get("isr.mil", [])


def test_the_army_of_a_story_set_in_a_state_it_also_names_as_a_state_is_that_state_s():
    # France is named as a state twice, Burkina Faso once, but the story happens in Burkina Faso
    doc = annotate("Gunmen attacked Djibo in northern Burkina Faso on Sunday, near Arbinda and Dori. Residents "
                   "of Djibo were digging trenches at the request of the army. Burkina Faso ended its military "
                   "cooperation with France in 2023, and France withdrew its special forces from Kaya.")
    assert "army" in by_id(doc).get("bfa.mil", [])


def test_without_a_clear_story_country_the_army_stays_unnamed():
    doc = annotate("The army said France and Russia had talked. Germany, Italy and Spain were silent.")
    assert not any(m.text == "army" for e in doc.entities for m in e.mentions)


def test_french_stories_are_read_with_the_french_model():
    doc = annotate("Les soldats maliens sont entrés à Kidal mardi, a annoncé l'armée.", "fr")
    assert "soldats maliens" in by_id(doc)["mli.mil"]
    assert "Kidal" in {p.name for p in doc.places}


# ---- bad and odd input ----

@pytest.mark.parametrize(("body", "language"), [
    ("12 345 678\n90 12 34\n56 78 90", "en"),
    ("def f(x):\n    return x * 2\n", "en"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "und"),
    ("", "en"),
    ("Hakuna kitu hapa leo.", "sw"),
])
def test_nothing_recognisable_gives_empty_lists(body, language):
    doc = annotate(body, language)
    assert doc.entities == [] and doc.places == []


def test_a_language_without_a_model_gets_string_matches():
    doc = annotate("Wanajeshi wa Mali waliingia Gao na Kidal siku ya Jumanne.", "sw")
    assert "mli" in {e.id for e in doc.entities}
    assert {"Gao", "Kidal"} <= {p.name for p in doc.places}


def test_an_unknown_place_never_removes_the_others():
    doc = annotate("Gunmen attacked Zorvalakti and then Gao, officials in Mali said.")
    assert "Gao" in {p.name for p in doc.places}
    assert "mli" in {e.id for e in doc.entities}


def test_a_long_body_is_read_in_chunks_with_the_same_result(monkeypatch):
    body = "\n\n".join([STORY] * 3)
    whole = annotate(body)
    monkeypatch.setattr(stage, "CHUNK_CHARS", len(STORY) + 10)
    chunked = annotate(body)
    assert [(e.id, len(e.mentions)) for e in chunked.entities] == [(e.id, len(e.mentions)) for e in whole.entities]
    for m in (m for e in chunked.entities for m in e.mentions):
        assert body[m.start:m.end] == m.text


def test_extract_places_on_a_bare_text():
    places = extract_places("Fighting broke out in Gao on Friday, residents said.")
    assert [p.name for p in places] == ["Gao"]
    assert distance_km(places[0].lat, places[0].lon, 16.27, -0.04) <= 25

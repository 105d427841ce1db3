"""Linking: names, demonym phrases, possessives and capitals to actors of the base, new actors or places.

Every sentence here was written for these tests; none comes from a benchmark or the seed page.
"""

from __future__ import annotations

import pytest

from interbellum.knowledge.linking import link
from interbellum.knowledge.mentions import Linked
from interbellum.knowledge.nlp import pipeline_for


def read(text: str, language: str = "en") -> Linked:
    return link(pipeline_for(language)(text))


def actors(text: str, language: str = "en") -> set[tuple[str, str | None]]:
    return {(m.text, m.actor.id if m.actor else None) for m in read(text, language).actors}


def ids(text: str, language: str = "en") -> set[str | None]:
    return {ident for _, ident in actors(text, language)}


# ---- demonym phrases ----

@pytest.mark.parametrize(("text", "mention", "ident"), [
    ("Malian soldiers opened fire near the market.", "Malian soldiers", "mli.mil"),
    ("A column of Malian and allied troops left at dawn.", "Malian", "mli.mil"),
    ("Nigerien authorities closed the road on Tuesday.", "Nigerien authorities", "ner.gov"),
    ("Ukrainian officials denied the report.", "Ukrainian officials", "ukr.gov"),
    ("French instructors trained the new battalion.", "French instructors", "fra.mil"),
    ("Burkinabe leadership rejected the offer.", "Burkinabe leadership", "bfa.gov"),
    ("The Malian state will not negotiate, he said.", "Malian state", "mli"),
    ("Les soldats maliens ont repris la ville.", "soldats maliens", "mli.mil"),
    ("Les autorités nigériennes ont fermé la frontière.", "autorités nigériennes", "ner.gov"),
])
def test_a_demonym_with_a_class_noun_names_a_part_of_the_state(text, mention, ident):
    language = "fr" if text.startswith("Les") else "en"
    assert (mention, ident) in actors(text, language)


def test_coordinated_demonyms_share_their_noun():
    found = ids("Reports named Chadian and Sudanese instructors at the camp.")
    assert {"tcd.mil", "sdn.mil"} <= found


@pytest.mark.parametrize("text", [
    "They reached a Malian town after dark.",
    "The Ukrainian markings on the drones were visible.",
    "She spoke in French to the crowd.",
    "West African leaders met on Sunday.",
])
def test_a_bare_demonym_names_no_actor(text):
    assert read(text).actors == []


def test_a_two_country_border_is_a_place_not_an_actor():
    found = read("The convoy was ambushed along the Nigerien-Chadian border.")
    assert found.actors == []
    assert [(b.text, b.countries) for b in found.borders] == [("Nigerien-Chadian border", ("NER", "TCD"))]


@pytest.mark.parametrize(("text", "mention", "ident"), [
    ("Sudan's army said it had retaken the bridge.", "Sudan's army", "sdn.mil"),
    ("Chad's government recalled its ambassador.", "Chad's government", "tcd.gov"),
])
def test_a_possessive_state_works_like_a_demonym(text, mention, ident):
    assert (mention, ident) in actors(text)


@pytest.mark.parametrize(("text", "mention", "ident"), [
    ("Russia's defence ministry said the drones were downed.", "Russia's defence ministry", "rus.mil"),
    ("Ukraine's foreign ministry denied the claim on Monday.", "Ukraine's foreign ministry", "ukr.gov"),
])
def test_a_ministry_is_the_armed_forces_for_defence_else_the_government(text, mention, ident):
    assert (mention, ident) in actors(text)


def test_a_country_police_is_a_new_police_actor_of_that_country():
    found = read("Somali police said four attackers were killed.")
    assert [(m.text, m.type, m.name, m.country) for m in found.actors] == [
        ("Somali police", "police", "Somali police", "SOM")]


# ---- capitals: the state when they act, the city when things happen there ----

@pytest.mark.parametrize(("text", "mention", "ident"), [
    ("Moscow continues to support the junta.", "Moscow", "rus"),
    ("Washington said the sanctions would stay.", "Washington", "usa"),
    ("The treaty marks Moscow's commitment to the region.", "Moscow", "rus"),
    ("Paris denied any role in the coup.", "Paris", "fra"),
])
def test_a_capital_that_acts_is_its_state(text, mention, ident):
    found = read(text)
    assert (mention, ident) in {(m.text, m.actor.id if m.actor else None) for m in found.actors}
    assert mention not in {p.text for p in found.places}


@pytest.mark.parametrize(("text", "capital"), [
    ("The delegation stayed two days in Moscow.", "Moscow"),
    ("The minister flew to Bamako on Monday.", "Bamako"),
    ("Bamako's airport was closed after the attack.", "Bamako"),
])
def test_a_capital_where_things_happen_is_a_place(text, capital):
    found = read(text)
    assert capital in {p.text for p in found.places}
    assert found.actors == []


@pytest.mark.parametrize(("text", "is_place"), [
    ("Troops have been deployed in Mali since the spring.", True),
    ("The last convoy withdrew from Niger in December.", True),
    ("Mali severed ties with the neighbouring state.", False),
])
def test_a_state_is_also_a_place_where_the_sentence_puts_something_in_it(text, is_place):
    found = read(text)
    assert any(m.actor and m.actor.type == "state" for m in found.actors)
    assert bool([p for p in found.places if p.label == "STATE"]) is is_place


@pytest.mark.parametrize(("text", "state"), [
    ("U.S. Secretary of State Antony Blinken called the envoy.", "usa"),
    ("The junta accused France of meddling in its affairs.", "fra"),
    ("L'ambassadeur de France a quitté Niamey dans la nuit.", "fra"),
])
def test_a_state_that_is_a_party_or_a_title_is_not_a_place(text, state):
    found = read(text, "fr" if text.startswith("L'") else "en")
    assert state in {m.actor.id for m in found.actors if m.actor}
    assert [p for p in found.places if p.label == "STATE"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Accusing Kyiv of backing the rebels, the ministry cut ties.", {"ukr"}),
    ("Moscow and Pyongyang declined to comment on the report.", {"rus", "prk"}),
])
def test_a_capital_aimed_at_or_coordinated_as_a_subject_is_its_state(text, expected):
    assert ids(text) == expected


# ---- ambiguous aliases ----

@pytest.mark.parametrize(("text", "expected"), [
    ("Niger closed its airspace to all flights.", "ner"),
    ("Fishermen work along the banks of the Niger River near the town.", None),
    ("Troops crossed from Brazzaville into Congo on Friday.", "cog"),
    ("Fighting spread across eastern Congo as refugees fled.", "cod"),
])
def test_an_ambiguous_alias_takes_the_reading_the_text_supports(text, expected):
    states = {m.actor.id for m in read(text).actors if m.actor and m.actor.type == "state"}
    assert states == ({expected} if expected else set())


def test_an_acronym_mostly_meaning_something_else_needs_its_country_in_the_story():
    assert "eri.mil" not in ids("EDF raised its electricity prices in January.")
    assert "eri.mil" in ids("In Eritrea, the EDF mobilised reservists near the Ethiopian border.")


# ---- new people and organisations ----

def test_a_new_person_takes_the_country_of_what_describes_them():
    found = read("Senegalese army spokesman Moussa Diarrabé said the patrol was safe. "
                 "Diarrabé added that two soldiers were hurt.")
    people = [m for m in found.actors if m.type == "person" and m.actor is None]
    assert {m.key for m in people} == {"person:moussa diarrabé"}
    assert {m.country for m in people} == {"SEN"}


def test_a_surname_alone_joins_the_full_name():
    found = read("Colonel Issa Mbarkoulé-Tandja spoke to reporters. Mbarkoulé-Tandja said the road was open.")
    assert {m.key for m in found.actors} == {"person:issa mbarkoulé-tandja"}
    assert len(found.actors) == 2


@pytest.mark.parametrize("text", [
    "The rebels have roamed the Sahel for years.",
    "Gunfire continued on Tuesday in parts of the city.",
    "Tuareg-led rebels held the town for a decade.",
])
def test_one_capitalised_word_alone_is_not_a_new_actor(text):
    assert [m for m in read(text).actors if m.actor is None] == []


def test_the_words_before_a_name_give_its_country_where_the_parse_fails():
    found = read("Le bilan est de 12 morts, a annoncé mercredi le ministre libanais de la Santé, "
                 "Karim Haddouri-Nasr.", "fr")
    assert [(m.name, m.country) for m in found.actors] == [("Karim Haddouri-Nasr", "LBN")]


def test_a_place_name_glued_to_a_first_name_is_a_surname():
    found = read("Officials said a commander, Sergei Shevchenko, was among the dead near Kidal.")
    assert {p.text for p in found.places} == {"Kidal"}


def test_an_appositive_gives_the_country_too():
    found = read("Niger's prime minister, Halidou Tamboura-Kane, met the envoy.")
    person = next(m for m in found.actors if m.type == "person")
    assert (person.name, person.country) == ("Halidou Tamboura-Kane", "NER")


@pytest.mark.parametrize("text", [
    "The group announced it on its official Telegram channel.",
    "The claim appeared in a Facebook post late on Sunday.",
    "The jihadist insurgencies spread south.",
    "Ukrainian, South Korean and Western officials had said so since the autumn.",
])
def test_brands_and_adjectives_are_not_actors(text):
    assert [m for m in read(text).actors if m.actor is None] == []


@pytest.mark.parametrize(("text", "bare"), [
    ("The army said it had retaken the town.", ["army"]),
    ("Officials said the armed forces would keep going.", ["armed forces"]),
    ("La junte a annoncé la fin de l'accord.", ["junte"]),
    ("The Malian army said it had retaken the town.", []),      # a demonym says whose army
    ("Sudan's army and the rebels' army clashed.", []),           # a possessor does too
])
def test_a_definite_class_noun_nobody_owns_waits_for_the_story_country(text, bare):
    language = "fr" if text.startswith("La") else "en"
    assert [m.text for m in read(text, language).bare] == bare


# ---- bad input ----

@pytest.mark.parametrize("text", [
    "12 345 678\n90 12 34\n56 78 90",
    "def f(x):\n    return x * 2\n",
    "",
    "   \n\n  ",
])
def test_nothing_recognisable_gives_nothing(text):
    found = read(text)
    assert found.actors == [] and found.places == [] and found.borders == []


def test_an_unknown_place_stays_a_mention_beside_the_known_ones():
    found = read("Gunmen attacked Zorvalakti and then Gao, officials in Mali said.")
    assert "Gao" in {p.text for p in found.places}
    assert ("Mali", "mli") in {(m.text, m.actor.id if m.actor else None) for m in found.actors}


def test_offsets_point_into_the_text():
    text = "On Friday, Malian troops and Russia’s Africa Corps entered Kidal.\n\nMoscow said nothing."
    found = read(text)
    for m in [*found.actors, *found.places, *found.borders]:
        assert text[m.start:m.end] == m.text

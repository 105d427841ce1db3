"""Death tolls read from a sentence: approximate figures count as the figure, vague ones as none.

Sentences are written for these tests; the incidents are invented. A toll that is not a death toll
(wounded, abducted, displaced, troops sent, years) must never be read.
"""

from __future__ import annotations

import pytest

from event_stand_ins import Keywords
from interbellum.events.fatalities import fatalities_in
from interbellum.events.stage import EventStage
from interbellum.knowledge import stage as knowledge
from interbellum.model import Article, Document


def toll(text: str) -> int | None:
    found = fatalities_in(text)
    return found[0][1] if found else None


@pytest.mark.parametrize(("text", "count"), [
    ("Rights groups said soldiers executed about 300 men in the market town.", 300),
    ("Witnesses said the militia massacred some 60 herders near the river.", 60),
    ("The army said it killed 203 militants in a week of raids.", 203),
    ("Police said 14 people were killed when the bus hit a mine.", 14),
    ("Around 25 civilians died in the overnight shelling.", 25),
    ("The car bomb left nine people dead outside the ministry.", 9),
    ("Officials gave a death toll of 27 for the ambush.", 27),
    ("Twelve soldiers were killed at the checkpoint.", 12),
    ("The drone strike killed at least twenty-five fighters.", 25),
    ("Thirty-one villagers were shot dead by the raiders.", 31),
    ("Nearly 40 people lost their lives in the clashes.", 40),
    ("Gunmen shot dead 7 traders on the road to the border.", 7),
])
def test_english_tolls(text, count):
    assert toll(text) == count


@pytest.mark.parametrize(("text", "count"), [
    ("L'état-major a affirmé jeudi avoir tué 118 combattants près de la frontière.", 118),
    ("L'embuscade a fait 12 morts parmi les gendarmes.", 12),
    ("Au moins 30 civils tués dans une attaque contre un marché.", 30),
    ("Quinze soldats ont été tués lors de l'assaut contre le poste.", 15),
    ("Huit femmes ont été tuées dans l'incendie du village.", 8),
    ("Les assaillants ont exécuté 40 hommes devant la mosquée.", 40),
    ("La frappe aurait fait vingt-deux morts selon un élu local.", 22),
    ("Un mort et 5 blessés dans l'explosion d'une mine.", 1),
])
def test_french_tolls(text, count):
    assert toll(text) == count


@pytest.mark.parametrize("text", [
    "Dozens of villagers were killed in the raid.",
    "Des dizaines de civils ont été tués dans la nuit.",
    "Une quarantaine de personnes ont été tuées samedi.",
    "Twenty people were injured and 300 displaced by the fighting.",
    "Gunmen abducted 50 passengers from the bus.",
    "The government deployed 300 troops to the region.",
    "Attackers wounded 12 soldiers at the base.",
    "Deux soldats ont été blessés par un tir.",
    "Les combats ont fait 300 déplacés.",
    "Fighting since 2012 has killed thousands.",
    "Fighters killed 10 years ago were reburied on Sunday.",
])
def test_no_death_toll(text):
    assert toll(text) is None


def test_wounded_figure_is_not_read_as_the_dead():
    assert toll("The clash left 12 wounded and 3 dead.") == 3


@pytest.mark.parametrize(("body", "language", "word", "count"), [
    ("Human Rights Watch said Malian troops executed about 300 men in the town of Moura.", "en", "executed", 300),
    ("L'armée malienne a affirmé vendredi avoir tué 203 combattants à Moura.", "fr", "tué", 203),
])
def test_the_toll_reaches_the_event(body, language, word, count):
    article = Article(title="t", body=body, language=language, published="2022-04-05")
    doc = knowledge.annotate(Document(input="test", article=article))
    coded = EventStage(Keywords({word: "ASSAULT"}).predict)(doc).events
    assert [e.fatalities for e in coded] == [count]

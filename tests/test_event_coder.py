"""The event coder: a sentence, its labels and the knowledge stage's mentions become coded events.

Sentences are written for these tests (places and groups are real, the incidents are not). The
classifier is a stand-in that labels the words it is given, so that what is tested is the coding:
roles, place, date and fatalities read off the parse.
"""

from __future__ import annotations

import pytest

from event_stand_ins import Keywords, Label
from interbellum.events import coder
from interbellum.events.coder import Mentions, code_sentence
from interbellum.events.fatalities import fatalities_in
from interbellum.events.stage import EventStage, split_sentences
from interbellum.knowledge import stage as knowledge
from interbellum.model import Article, Document, Event

PUBLISHED = "2024-03-14"  # a Thursday: "on Tuesday" is 2024-03-12


def read(body: str, language: str = "en") -> Document:
    article = Article(title="t", body=body, language=language, published=PUBLISHED)
    return knowledge.annotate(Document(input="test", article=article))


def events(body: str, words: dict[str, str], language: str = "en") -> list[Event]:
    return EventStage(Keywords(words).predict)(read(body, language)).events


def one(body: str, word: str, plover: str) -> Event:
    found = [e for e in events(body, {word: plover}) if e.type == plover]
    assert len(found) == 1, found
    return found[0]


# ---- who did it to whom ----

@pytest.mark.parametrize(("body", "word", "plover", "actors", "targets"), [
    # subject and object; every party of the object ("a convoy of Malian and Wagner troops" → both)
    ("Fighters of JNIM ambushed a convoy of Malian and Wagner troops near Ménaka.", "ambushed", "ASSAULT",
     ["JNIM"], ["Malian Armed Forces", "Wagner Group"]),
    # passive with an agent: the agent acts, the subject is the target
    ("A patrol of the Malian army was ambushed by JNIM fighters near Boni.", "ambushed", "ASSAULT",
     ["JNIM"], ["Malian Armed Forces"]),
    # "against X"
    ("The Nigerian army launched an offensive against Boko Haram in the Sambisa forest.", "offensive",
     "ASSAULT", ["Nigerian Armed Forces"], ["Boko Haram"]),
    # a noun after a light verb takes the verb's subject; "from X" is what a withdrawal leaves
    ("On Friday, the Wagner Group announced its withdrawal from Mali.", "withdrawal", "RETREAT",
     ["Wagner Group"], ["Mali"]),
    # a gerund takes the subject of the clause it hangs from
    ("Andriy Yusov claimed credit for providing information to the Tuareg rebels.", "providing", "AID",
     ["Andriy Yusov"], []),
    # a participle clause too
    ("Mali went further, labelling Ukraine a terrorist state.", "labelling", "ACCUSE", ["Mali"], ["Ukraine"]),
    # a light object carries the target ("severed ties with X")
    ("Niger severed diplomatic ties with Ukraine.", "severed", "SANCTION", ["Niger"], ["Ukraine"]),
    # a relative pronoun stands for the noun its clause modifies; a passive deployment keeps its doer
    ("French troops, who were deployed in Chad in 2019, left N'Djamena.", "deployed", "MOBILIZE",
     ["French Armed Forces"], ["Chad"]),
    # "between X and Y": the first side acts on the second
    ("Clashes broke out between the Sudanese army and the Rapid Support Forces in Omdurman.", "Clashes",
     "ASSAULT", ["Sudanese Armed Forces"], ["Rapid Support Forces"]),
    # two parties that meet are each the other's counterpart
    ("Delegations from Russia and Ukraine met in Istanbul on Monday.", "met", "CONSULT", ["Russia"], ["Ukraine"]),
    # a coordinated object of a light verb takes the verb's subject and its "at X"
    ("Overnight, Russia launched 90 drones and seven missiles at Ukraine.", "missiles", "ASSAULT",
     ["Russia"], ["Ukraine"]),
    # "from X" names whom a place was taken from
    ("Sudan's army retook the town of Um Rawaba from the Rapid Support Forces on Saturday.", "retook",
     "ASSAULT", ["Sudanese Armed Forces"], ["Rapid Support Forces"]),
    # a deployment, an embassy closure: the host state (a country, or its capital) is the target
    ("France closed its embassy in Niger.", "closed", "SANCTION", ["France"], ["Niger"]),
    # "X known as Y": the name is part of the party's description
    ("The rebel coalition known as the CSP said its fighters had pulled out of Kidal.", "pulled out",
     "RETREAT", ["CSP"], []),
])
def test_roles_from_the_tree(body, word, plover, actors, targets):
    event = one(body, word, plover)
    assert event.actors == actors
    assert event.targets == targets
    assert len(event.actor_ids) == len(actors) and len(event.target_ids) == len(targets)


@pytest.mark.parametrize(("body", "word", "plover", "actors", "not_actors"), [
    # an apposition's prepositional phrase describes the party by naming another
    ("Russia's Africa Corps, a unit under the control of the Russian defence ministry, deployed troops "
     "to Burkina Faso.", "deployed", "MOBILIZE", ["Africa Corps"], ["Ministry of Defence of the Russian Federation"]),
    # so does the owner of a tie
    ("The al-Qaeda affiliate JNIM attacked an army camp near Djibo.", "attacked", "ASSAULT", ["JNIM"], ["al-Qaeda"]),
    # and a hyphenated modifier
    ("Al-Qaeda-linked fighters attacked an army camp near Djibo.", "attacked", "ASSAULT", [], ["al-Qaeda"]),
    # a pronoun stands for the subject of the clause above it
    ("Israel said its troops had killed Yahya Sinwar in Rafah.", "killed", "ASSAULT", ["Israel"], []),
])
def test_what_is_not_a_party(body, word, plover, actors, not_actors):
    event = one(body, word, plover)
    assert set(actors) <= set(event.actors)
    assert not set(not_actors) & set(event.actors)


def test_of_x_is_the_attacker_when_the_target_is_named_apart():
    doc = read("L'attaque du JNIM contre le camp de l'armée malienne a duré trois heures.", language="fr")
    event = EventStage(Keywords({"attaque": "ASSAULT"}).predict)(doc).events[0]
    assert (event.actors, event.targets) == (["JNIM"], ["Malian Armed Forces"])


def test_a_visit_has_the_host_state_as_target():
    doc = read("A Russian delegation led by Yunus-Bek Yevkurov visited Niamey on Tuesday.")
    labels = Keywords({"visited": "CONSULT"})
    event = EventStage(lambda texts, lang: [[Label(lab.plover, "visit", None, 0.9, lab.trigger) for lab in labs]
                                            for labs in labels.predict(texts, lang)])(doc).events[0]
    assert event.targets == ["Niger"]


def test_soldiers_in_a_state_are_its_armed_forces():
    event = one("Soldiers in Niger overthrew President Mohamed Bazoum on Wednesday.", "overthrew", "COERCE")
    assert (event.actor_ids, event.targets) == (["ner.mil"], ["Mohamed Bazoum"])


def test_an_act_told_in_a_relative_clause_yields_to_the_main_act():
    # two words of the type: "withdrawal" (main clause) and "left" (describes the envoy)
    event = one("Emmanuel Macron announced the withdrawal of the soldiers and the recall of the envoy, who left Niamey "
                "on Friday.", "withdrawal", "RETREAT")
    assert event.actors == ["Emmanuel Macron"]


def test_the_group_refers_back_to_the_last_armed_group():
    body = ("JNIM fighters raided a market near Boni on Monday. The group later attacked a patrol of the "
            "Malian army.")
    event = [e for e in events(body, {"attacked": "ASSAULT"}) if e.type == "ASSAULT"][0]
    assert event.actors == ["JNIM"]
    assert event.confidence < 0.9  # a guess, not read off the tree


def test_roles_the_tree_does_not_give_are_guessed_with_less_confidence():
    # no parse (a language without a model): the nearest names before and after the trigger
    doc = read("Hujuma: JNIM ilishambulia Wagner karibu na Gao.", language="sw")
    event = EventStage(Keywords({"ilishambulia": "ASSAULT"}).predict)(doc).events[0]
    assert (event.actors, event.targets) == (["JNIM"], ["Wagner Group"])
    assert event.confidence == pytest.approx(0.9 * coder.FALLBACK_CONFIDENCE)


# ---- where ----

@pytest.mark.parametrize(("body", "word", "plover", "place"), [
    # a locative first, then the most specific: the town, not the border region or the country
    ("In July 2024, near the town of Tinzaouaten along the Malian-Algerian border, JNIM fighters "
     "ambushed a convoy of Malian troops.", "ambushed", "ASSAULT", "Tinzaouaten"),
    # a state named as a party is not where it happened
    ("Mali severed diplomatic ties with Ukraine.", "severed", "SANCTION", None),
    ("Gunmen attacked a gendarmerie school in Mali's capital Bamako.", "attacked", "ASSAULT", "Bamako"),
])
def test_place(body, word, plover, place):
    assert one(body, word, plover).place == place


# ---- when ----

@pytest.mark.parametrize(("body", "word", "plover", "date", "precision"), [
    ("JNIM fighters ambushed a patrol near Boni on Tuesday.", "ambushed", "ASSAULT", "2024-03-12", "day"),
    # background sentences are events too, with their own date
    ("French troops completed their withdrawal from Mali in August 2022.", "withdrawal", "RETREAT",
     "2022-08", "month"),
    # a time in another clause belongs to that clause
    ("French troops, who had been deployed in Mali since 2013, completed their withdrawal in August 2022.",
     "withdrawal", "RETREAT", "2022-08", "month"),
    ("French troops, who had been deployed in Mali since 2013, completed their withdrawal in August 2022.",
     "deployed", "MOBILIZE", "2013", "year"),
    # an act reported without a date of its own takes the statement's
    ("Sudan's army said on Tuesday that it had withdrawn from Wad Madani.", "withdrawn", "RETREAT",
     "2024-03-12", "day"),
    # no date in the text: null, never the publication date
    ("Mali severed diplomatic ties with Ukraine.", "severed", "SANCTION", None, None),
])
def test_date(body, word, plover, date, precision):
    event = one(body, word, plover)
    assert (event.date, event.date_precision) == (date, precision)


def test_a_sentence_that_refers_back_takes_the_previous_sentences_date():
    doc = read("JNIM fighters attacked an army post near Boni on Tuesday. The attack killed 12 soldiers.\n\n"
               "Troops killed 3 militants.")
    sentences = list(split_sentences(doc))
    mentions = Mentions.of(doc)
    second = code_sentence(sentences[1], [Label("ASSAULT", trigger=(4, 10))], mentions, [sentences[0]])
    assert second[0].event.date == "2024-03-12"
    assert second[0].refers_back
    # a new paragraph does not look back, and an undated sentence that does not refer back stays undated
    third = code_sentence(sentences[2], [Label("ASSAULT", trigger=(7, 13))], mentions, [])
    assert third[0].event.date is None


# ---- how many dead ----

@pytest.mark.parametrize(("text", "count"), [
    ("Gunmen stormed the village, killing 12 people.", 12),
    ("The blast left 30 people dead.", 30),
    ("At least 20 dead after the attack on the market.", 20),
    ("More than 1,200 people were killed in the assault.", 1200),
    ("Les assaillants ont attaqué le camp, faisant au moins 12 morts.", 12),
    ("Les combats ont fait près de 3 000 morts.", 3000),
    ("Dozens of soldiers were killed.", None),
    ("The attack in 2019 wounded twelve.", None),
])
def test_fatalities_in_text(text, count):
    found = fatalities_in(text)
    assert (found[0][1] if found else None) == count


def test_fatalities_go_to_the_violent_event():
    body = "Niger severed ties with Ukraine after JNIM fighters attacked a convoy near Tillabéri, killing 9 soldiers."
    coded = events(body, {"severed": "SANCTION", "attacked": "ASSAULT"})
    by_type = {e.type: e for e in coded}
    assert by_type["ASSAULT"].fatalities == 9
    assert by_type["SANCTION"].fatalities is None


# ---- the evidence ----

def test_every_event_points_at_its_sentence_in_the_body():
    body = "Title words here.\n\nJNIM fighters attacked a convoy near Boni on Tuesday. Nothing else happened."
    doc = read(body)
    event = EventStage(Keywords({"attacked": "ASSAULT"}).predict)(doc).events[0]
    assert body[event.start:event.end] == event.sentence
    assert event.sentence.startswith("JNIM fighters attacked")


@pytest.mark.parametrize(("body", "kept", "target"), [
    # leaving a bloc is a sanction; forces leaving a country retreat (data/events/README.md)
    ("Burkina Faso announced its withdrawal from ECOWAS on Sunday.", "SANCTION", "ECOWAS"),
    ("The Wagner Group announced its withdrawal from Mali on Friday.", "RETREAT", "Mali"),
])
def test_two_readings_of_one_word_are_one_act(body, kept, target):
    both = [Label("SANCTION", confidence=0.6), Label("RETREAT", confidence=0.4)]
    at = body.index("withdrawal")
    for label in both:
        label.trigger = (at, at + len("withdrawal"))
    found = EventStage(lambda texts, lang: [both for _ in texts])(read(body)).events
    assert [(e.type, e.targets) for e in found] == [(kept, [target])]


def test_a_label_without_a_word_is_the_main_clause_act():
    body = "Mali went further, labelling Ukraine a terrorist state."
    found = EventStage(lambda texts, lang: [[Label("ACCUSE")] for _ in texts])(read(body)).events
    assert [(e.type, e.actors) for e in found] == [("ACCUSE", ["Mali"])]


def test_a_noun_that_only_anchors_the_time_gives_no_event():
    body = "After the attack on Boni, the army reinforced its positions in the region."
    assert events(body, {"attack": "ASSAULT"}) == []


def test_a_typed_act_no_word_names_does_not_take_the_main_verbs_place():
    # the protest has no word of its own (no "march", "rally"): read off the main clause, it must not
    # swallow the act that clause's verb names, nor be swallowed by it
    body = "Police fired tear gas at hundreds of teachers outside the education ministry in Kampala."
    at = body.index("fired")

    def predict(texts, lang):
        return [[Label("ASSAULT", "crowd-control", None, 0.8, (at, at + 5)),
                 Label("PROTEST", "demo", "Protests / Protest with intervention", 0.7, None)] for _ in texts]

    found = EventStage(predict)(read(body)).events
    assert sorted((e.type, e.acled_type) for e in found) == [
        ("ASSAULT", None), ("PROTEST", "Protests / Protest with intervention")]



def test_a_pronoun_stands_for_soldiers_placed_in_a_state():
    # "they" → "Soldiers in Niger" → the armed forces of Niger, as the subject itself would be read
    event = one("Soldiers in Niger said late Wednesday that they had overthrown President Mohamed Bazoum.",
                "overthrown", "COERCE")
    assert (event.actor_ids, event.targets) == (["ner.mil"], ["Mohamed Bazoum"])

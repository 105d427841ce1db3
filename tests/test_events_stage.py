"""The events stage: sentences from the knowledge stage's parses, labels from a classifier, events on
the Document, and who says so (the outlet's and the agency's state affiliation). Bad input gives empty
lists, never an error. Texts are written for these tests.
"""

from __future__ import annotations

import json

import pytest

from interbellum.events import stage as events_stage
from interbellum.events.stage import EventStage, set_affiliation, split_sentences
from interbellum.knowledge.actors import KnowledgeBase
from interbellum.model import Article, Document, RawPage
from interbellum.pipeline import DEFAULT_STAGES, Pipeline, stages
from test_event_coder import Keywords, Label, events, read

PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_the_stage_is_registered_and_runs_by_default_after_knowledge():
    assert "events.v1" in stages.names()
    assert isinstance(stages.get("events.v1")(), EventStage)
    # later stages (situations, ...) may follow; events come right after knowledge, whose parses they read
    assert DEFAULT_STAGES[:2] == ("knowledge.v1", "events.v1")


# ---- sentences ----

def test_sentences_keep_body_offsets_and_paragraphs():
    body = ("BAMAKO, Aug 5 (AFP) - Mali cut ties with Ukraine on Sunday. Kyiv regretted the decision\n\n"
            "The army said the situation was calm.")
    sentences = list(split_sentences(read(body)))
    assert [s.text for s in sentences] == [
        "Mali cut ties with Ukraine on Sunday.", "Kyiv regretted the decision", "The army said the situation was calm."]
    assert [s.paragraph for s in sentences] == [0, 0, 1]
    assert all(body[s.start:s.end] == s.text for s in sentences)
    assert all(s.span is not None and s.span.text == s.text for s in sentences)


def test_pieces_cut_without_end_punctuation_are_joined():
    body = "Le camp a été attaqué. L'état-major a confirmé l'attaque dimanche."
    pieces = [(0, 22), (23, 30), (30, 66)]  # as a parser may cut "L'état" | "-major …"
    joined = list(events_stage._joined(body, pieces, []))
    assert [body[a:b] for a, b in joined] == ["Le camp a été attaqué.", "L'état-major a confirmé l'attaque dimanche."]


def test_without_a_parse_sentences_are_cut_on_punctuation():
    doc = read("Hujuma ilitokea Gao jana. Wanajeshi 12 waliuawa.", language="sw")
    assert [s.text for s in split_sentences(doc)] == ["Hujuma ilitokea Gao jana.", "Wanajeshi 12 waliuawa."]


# ---- bad input ----

def test_an_article_with_no_events_has_an_empty_list():
    assert events("The weather in Bamako was mild this week.", {"attacked": "ASSAULT"}) == []
    empty = Document(input="e", article=Article(title="t", body="", language="en"))
    assert EventStage(Keywords({}).predict)(empty).events == []


class Typed(Keywords):
    """Keywords whose labels carry an ACLED type, as an act ACLED records would; ``worded=False`` drops
    the trigger span, as when the classifier finds no word for the act; ``confidence`` is the label's."""

    def __init__(self, words, worded=True, confidence=0.9):
        super().__init__(words)
        self.worded = worded
        self.confidence = confidence

    def predict(self, sentences, language="en"):
        return [[Label(lab.plover, acled="Explosions/Remote violence / Remote explosive/landmine/IED",
                       confidence=self.confidence, trigger=lab.trigger if self.worded else None)
                 for lab in labels]
                for labels in super().predict(sentences, language)]


def test_an_act_acled_records_stays_when_its_parties_are_only_described():
    # no party, place, date or toll the knowledge base knows: a verbal act is left out, a bombing stays,
    # unless no word of the sentence says what happened and the classifier is unsure (a type read off
    # the topic alone); a sure reading stays without a word
    body = "A bomb hidden in a rubbish bin exploded outside a bakery, wounding several people."
    assert events(body, {"exploded": "ASSAULT"}) == []
    found = EventStage(Typed({"exploded": "ASSAULT"}).predict)(read(body)).events
    assert [(e.type, e.actors, e.place, e.date) for e in found] == [("ASSAULT", [], None, None)]
    unsure = Typed({"exploded": "ASSAULT"}, worded=False, confidence=0.4)
    assert EventStage(unsure.predict)(read(body)).events == []
    sure = Typed({"exploded": "ASSAULT"}, worded=False, confidence=0.8)
    assert [e.type for e in EventStage(sure.predict)(read(body)).events] == ["ASSAULT"]


def test_a_sentence_the_classifier_fails_on_is_skipped():
    class Fragile(Keywords):
        def predict(self, sentences, language="en"):
            if any("Boom" in s for s in sentences):
                if len(sentences) > 1:
                    raise ValueError("cannot read this batch")
                raise ValueError("cannot read this sentence")
            return super().predict(sentences, language)

    doc = read("Boom. JNIM fighters attacked a convoy near Boni.")
    found = EventStage(Fragile({"attacked": "ASSAULT"}).predict)(doc).events
    assert [e.actors for e in found] == [["JNIM"]]


@pytest.mark.parametrize("trigger", [(500, 600), (-5, 2), (3, 3), None])
def test_odd_trigger_offsets_do_not_fail(trigger):
    class Odd(Keywords):
        def predict(self, sentences, language="en"):
            return [[Label("ASSAULT", trigger=trigger)] for _ in sentences]

    doc = read("JNIM fighters attacked a convoy near Boni.")
    found = EventStage(Odd({}).predict)(doc).events
    assert len(found) == 1 and found[0].type == "ASSAULT"


def test_a_sentence_that_cannot_be_coded_is_skipped(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a parse nobody foresaw")

    monkeypatch.setattr(events_stage, "code_sentence", broken)
    assert events("JNIM fighters attacked a convoy near Boni.", {"attacked": "ASSAULT"}) == []


# ---- repeats and acts told twice ----

def test_an_act_referred_back_to_is_not_a_second_event():
    body = ("JNIM fighters attacked an army post near Boni on Tuesday. The attack killed 12 soldiers.\n\n"
            "Troops later attacked a JNIM camp near Douentza.")
    found = events(body, {"attacked": "ASSAULT", "attack ": "ASSAULT"})
    assert [(e.actors, e.date, e.fatalities) for e in found] == [
        (["JNIM"], "2024-03-12", 12), ([], None, None)]


@pytest.mark.parametrize("claim", [
    "JNIM claimed the attack and said its fighters had killed 12 soldiers.",
    "JNIM claimed responsibility for the attack, saying its fighters had killed 12 soldiers.",
    "JNIM claimed responsibility, saying its fighters had killed 12 soldiers.",
])
def test_a_claim_of_an_act_told_before_gives_it_its_actor_not_a_second_event(claim):
    body = f"Gunmen attacked an army post near Boni on Tuesday. {claim}"
    found = events(body, {"attacked": "ASSAULT", "killed": "ASSAULT"})
    assert [(e.actors, e.claimed_by, e.fatalities) for e in found] == [(["JNIM"], "JNIM", 12)]


def test_a_claim_of_a_new_act_is_that_act():
    body = ("Gunmen attacked an army post near Boni on Tuesday. "
            "JNIM claimed responsibility for an ambush on a convoy near Douentza that killed 12 soldiers.")
    found = events(body, {"attacked": "ASSAULT", "ambush": "ASSAULT"})
    assert len(found) == 2 and found[1].actors == ["JNIM"]


# ---- who says so ----

@pytest.mark.parametrize(("domain", "source", "site", "agency"), [
    ("rt.com", None, True, None),
    ("francais.rt.com", "Reuters", True, False),
    ("interbellumnews.com", "BelTA News Agency", None, True),
    ("bbc.co.uk", "AFP", True, False),
    (None, "Some Local Paper", None, None),
])
def test_state_affiliation_of_outlet_and_agency(domain, source, site, agency):
    article = Article(title="t", body="", site_domain=domain, source=source)
    set_affiliation(article, KnowledgeBase.load())
    assert (article.site_state_affiliated, article.source_state_affiliated) == (site, agency)


# ---- the whole read ----

def test_a_page_read_with_events_is_valid_output():
    page = ("Convoy ambushed near Boni\n\n"
            "JNIM fighters ambushed a convoy of Malian troops near Boni on Tuesday, killing 9 soldiers, the "
            "army said.\n\nMali severed diplomatic ties with Ukraine in August.")
    pipe = Pipeline(("knowledge.v1", "events.v1"))
    pipe._stages[-1] = EventStage(Keywords({"ambushed": "ASSAULT", "severed": "SANCTION"}).predict)
    doc = pipe.process(RawPage(input="page.txt", content=page, kind="text"), "2024-03-14")
    out = json.loads(json.dumps(doc.to_dict()))
    assert [e["type"] for e in out["events"]] == ["ASSAULT", "SANCTION"]
    for e in out["events"]:
        assert e["type"] in PLOVER
        assert doc.article.body[e["start"]:e["end"]] == e["sentence"]
        assert len(e["actor_ids"]) == len(e["actors"]) and len(e["target_ids"]) == len(e["targets"])


def test_the_default_classifier_codes_a_wire_sentence():
    """With the package's own classifier (trained at first use, then cached)."""
    page = ("Ambush near Boni\n\nJNIM fighters ambushed a convoy of Malian troops near Boni on Tuesday, "
            "killing 9 soldiers.")
    doc = Pipeline(("knowledge.v1", "events.v1")).process(RawPage(input="p.txt", content=page, kind="text"),
                                                          "2024-03-14")
    assert any(e.type == "ASSAULT" and "JNIM" in e.actors for e in doc.events)
    assert all(e.type in PLOVER and 0 <= (e.confidence or 0) <= 1 for e in doc.events)


@pytest.mark.parametrize("snippet", [
    "TWO GUNMEN OPEN FIRE ON A POLICE CHECKPOINT IN THE NORTHERN TOWN OF KABO, THREE OFFICERS DEAD-WITNESSES",
    "The long-delayed march by the traders' union against the market tax was finally held in Kabo",
    "1 of 4 Riot police clash with marchers near the assembly in Kabo. The demonstrations over the fuel "
    "price have turned violent near the ministry that has been the scene of earlier protests",
])
def test_a_one_line_snippet_is_read_as_text_and_coded(snippet):
    """A news snippet on one line (in capitals, cut short, or after a caption's "1 of 4") is the text:
    there is no page around it for it to be the headline or chrome of."""
    pipe = Pipeline(("knowledge.v1", "events.v1"))
    pipe._stages[-1] = EventStage(Keywords({"FIRE": "ASSAULT", "march": "PROTEST", "clash": "PROTEST"}).predict)
    doc = pipe.process(RawPage(input="snippet.txt", content=snippet, kind="text"), "2024-03-14")
    assert doc.article.body.startswith(snippet[:30]) and doc.article.title is None
    assert doc.events


@pytest.mark.parametrize(("second", "n_events"), [
    # no party, date or toll of its own: more of the attack just told
    ("Residents reported heavy gunfire and explosions for two hours.", 1),
    # a date of its own: another act
    ("On Thursday residents reported heavy gunfire near Douentza.", 2),
])
def test_a_violent_act_told_with_nothing_of_its_own_continues_the_last_one(second: str, n_events: int) -> None:
    body = f"JNIM fighters attacked an army post near Boni on Tuesday. {second}"
    # typed acts, which stay even when they name no party (``countable``)
    found = EventStage(Typed({"attacked": "ASSAULT", "gunfire": "ASSAULT"}).predict)(read(body)).events
    assert len(found) == n_events, found
    assert found[0].actors == ["JNIM"]


@pytest.mark.parametrize(("body", "n_events"), [
    # a campaign named inside a phrase is a war's name, not one of its acts
    ("Niger has been a key partner in the fight against jihadist groups in the Sahel.", 0),
    ("Le Niger était un partenaire clé dans la lutte contre les groupes djihadistes au Sahel.", 0),
    # a fight that happened stays
    ("Three soldiers were killed in a fight with rebels near Gao on Monday.", 1),
])
def test_a_campaign_named_in_passing_is_no_event(body: str, n_events: int) -> None:
    language = "fr" if body.startswith("Le ") else "en"
    typed = Typed({"fight": "ASSAULT", "lutte": "ASSAULT"})  # typed acts stay without parties: only the rule drops
    assert len(EventStage(typed.predict)(read(body, language)).events) == n_events

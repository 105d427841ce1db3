"""Claims: who says an event happened (claimed_by), how sure the text is (hedged), whether it happened
at all (negated). Sentences are written for these tests; the classifier is a stand-in that labels the
words it is given.
"""

from __future__ import annotations

import pytest

from interbellum.model import Event
from test_event_coder import events


def coded(body: str, word: str, plover: str, language: str = "en") -> Event:
    found = [e for e in events(body, {word: plover}, language) if e.type == plover]
    assert found, f"no {plover} event"
    return found[-1]


# ---- who says so ----

@pytest.mark.parametrize(("body", "word", "plover", "claimed_by"), [
    ("JNIM fighters attacked an army post near Boni, Mali's army said.", "attacked", "ASSAULT",
     "Malian Armed Forces"),
    ("Mali's army said JNIM fighters had attacked an army post near Boni.", "attacked", "ASSAULT",
     "Malian Armed Forces"),
    ("Gunmen abducted 20 villagers in Zamfara, according to Amnesty International.", "abducted", "ASSAULT",
     "Amnesty International"),
    # a source with no name in the base keeps its words, without the article
    ("Gunmen abducted 20 villagers in Zamfara, according to local officials.", "abducted", "ASSAULT",
     "local officials"),
    # "the report" stands for whoever published it earlier in the paragraph
    ("RT published a report on Friday. According to the report, JNIM fighters attacked a convoy near Gao.",
     "attacked", "ASSAULT", "RT"),
    # "the group" for the last armed group named just before
    ("JNIM fighters stormed a camp near Boulkessi. The group said on Telegram that its fighters had seized "
     "weapons.", "seized", "COERCE", "JNIM"),
    # a report's words are its publisher's
    ("On Friday, RT published a report accusing Ukrainian and French instructors of training militants.",
     "accusing", "ACCUSE", "RT"),
    # the narrator's own statement has no claimant
    ("JNIM fighters attacked an army post near Boni.", "attacked", "ASSAULT", None),
])
def test_claimed_by(body, word, plover, claimed_by):
    assert coded(body, word, plover).claimed_by == claimed_by


def test_selon_names_the_source_in_french():
    event = coded("Des hommes armés ont enlevé 20 villageois près de Gao, selon Amnesty International.", "enlevé", "ASSAULT",
                  "fr")
    assert event.claimed_by == "Amnesty International"


@pytest.mark.parametrize("body", [
    "JNIM claimed responsibility for the attack on the Boni post.",
    "The attack on the Boni post was claimed by JNIM.",
])
def test_a_claim_of_responsibility_makes_the_claimant_the_actor(body):
    event = coded(body, "attack", "ASSAULT")
    assert (event.claimed_by, event.actors) == ("JNIM", ["JNIM"])


def test_a_claim_of_responsibility_is_folded_into_the_act_it_claims():
    body = ("Gunmen attacked a gendarmerie school in Bamako on Tuesday, killing 12 recruits. JNIM claimed "
            "responsibility for the attack.")
    found = events(body, {"attacked": "ASSAULT", "attack.": "ASSAULT"})
    assert len(found) == 1
    assert (found[0].actors, found[0].claimed_by, found[0].fatalities) == (["JNIM"], "JNIM", 12)


# ---- how sure ----

@pytest.mark.parametrize(("body", "word", "plover", "hedged"), [
    ("Gunmen reportedly abducted 20 villagers in Zamfara.", "abducted", "ASSAULT", True),
    ("Suspected jihadists attacked a village near Djibo.", "attacked", "ASSAULT", True),
    ("The army allegedly executed 30 civilians in Moura.", "executed", "ASSAULT", True),
    ("JNIM fighters may have seized weapons at the camp.", "seized", "COERCE", True),
    # a plain "said" attributes; it does not hedge
    ("JNIM fighters attacked an army post near Boni, Mali's army said.", "attacked", "ASSAULT", False),
])
def test_hedged(body, word, plover, hedged):
    assert coded(body, word, plover).hedged is hedged


def test_the_french_conditional_hedges():
    assert coded("Plusieurs soldats maliens auraient été tués dans l'attaque du camp.", "tués", "ASSAULT", "fr").hedged


# ---- did it happen ----

@pytest.mark.parametrize(("body", "word", "plover", "negated", "claimed_by"), [
    ("Mali's junta did not sign the agreement with the CSP.", "sign", "AGREE", True, None),
    ("No Russian troops were deployed to Niger.", "deployed", "MOBILIZE", True, None),
    ("Mali's army denied that its troops had clashed with the militia.", "clashed", "ASSAULT", True,
     "Malian Armed Forces"),
    ("Le gouvernement malien n'a pas signé l'accord avec le CSP.", "signé", "AGREE", True, None),
    ("Mali's junta signed the agreement with the CSP.", "signed", "AGREE", False, None),
])
def test_negated(body, word, plover, negated, claimed_by):
    event = coded(body, word, plover, "fr" if " l'accord" in body else "en")
    assert event.negated is negated
    assert event.claimed_by == claimed_by


def test_a_negation_of_another_clause_does_not_negate_the_event():
    # "would not affect" negates the effect, not the exit
    event = coded("Wagner's exit from Mali would not affect the Russian presence, the ministry said.", "exit",
                  "RETREAT")
    assert event.negated is False

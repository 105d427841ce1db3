"""The demonstration sub-type follows ACLED's order of precedence where the sentence's words settle it."""

from __future__ import annotations

import pytest

from interbellum.events.classify import EventLabel
from interbellum.events.demonstrations import EXCESSIVE, INTERVENTION, PEACEFUL, VIOLENT, settle


def label(acled: str | None, plover: str = "PROTEST") -> EventLabel:
    return EventLabel(plover, "demo", acled, 0.8, None)


@pytest.mark.parametrize(("text", "read_as", "settled"), [
    # the crowd's own violence makes a riot, whatever met it
    ("Police fired live rounds after students hurled stones at the district office in Rangpur.", EXCESSIVE, VIOLENT),
    ("Traders torched two buses before officers dispersed them with tear gas.", INTERVENTION, VIOLENT),
    ("The march on the ministry turned violent on Thursday evening.", PEACEFUL, VIOLENT),
    ("Des manifestants ont caillassé le commissariat avant d'être dispersés.", INTERVENTION, VIOLENT),
    # force that kills is more than an intervention
    ("Security forces broke up the sit-in and two marchers were shot dead.", INTERVENTION, EXCESSIVE),
    # the police's kit is no violence of the crowd
    ("Riot police dispersed the teachers' march with water cannon.", INTERVENTION, INTERVENTION),
    ("Anti-riot units blocked the bridge as nurses rallied outside parliament.", PEACEFUL, PEACEFUL),
    # a vigil for the dead stays peaceful; mob violence and other acts are left as read
    ("Hundreds held a candlelight vigil for the three workers killed in the mine.", PEACEFUL, PEACEFUL),
    ("A mob set fire to the houses of the accused family.", "Riots / Mob violence", "Riots / Mob violence"),
    ("Rebels torched the market after seizing the town.", "Battles / Non-state actor overtakes territory",
     "Battles / Non-state actor overtakes territory"),
])
def test_precedence(text: str, read_as: str, settled: str) -> None:
    lang = "fr" if text.startswith("Des ") else "en"
    out = settle(label(read_as), text, lang)
    assert out.acled == settled
    assert (out.mode == "riot") == (settled == VIOLENT and read_as != VIOLENT)


def test_a_riot_keeps_the_intervention_event_untyped() -> None:
    police = EventLabel("ASSAULT", "crowd-control", None, 0.7, None)
    assert settle(police, "Police fired tear gas at rioters who torched a bus.", "en") is police

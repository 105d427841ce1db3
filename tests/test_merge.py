"""Merging a story's events: one canonical event per happening, every report kept, syndicated copies one voice."""

from __future__ import annotations

import pytest

from interbellum.model import Article, Document, Event, Place
from interbellum.stories.merge import merge_events

PLACES = [Place("Boni", 0, 0, id="ib:boni", country="MLI", admin1="Mopti", kind="town"),
          Place("Hombori", 0, 0, id="ib:hombori", country="MLI", admin1="Mopti", kind="town"),
          Place("Mopti", 0, 0, id="admin1:MLI.MOPTI", country="MLI", admin1="Mopti", kind="admin"),
          Place("Mali", 0, 0, id="country:MLI", country="MLI", kind="country")]


def attack(place: str | None = "ib:boni", date: str | None = "2024-03-03", fatalities: int | None = 20,
           actor: str = "jnim", **kw) -> Event:
    name = next((p.name for p in PLACES if p.id == place), None)
    return Event(type="ASSAULT", sentence=f"{actor} attacked the post, killing {fatalities}.", actors=[actor.upper()],
                 actor_ids=[actor], targets=["Malian Armed Forces"], target_ids=["mli.mil"],
                 acled_type="Battles / Armed clash", place=name, place_id=place, date=date,
                 date_precision="day" if date and len(date) == 10 else None, fatalities=fatalities, **kw)


def doc(article_id: str, published: str, *events: Event, site: str | None = None) -> Document:
    article = Article(title=article_id, body="...", id=article_id, published=published,
                      site_domain=site or f"{article_id}.example")
    return Document(input=article_id, article=article, places=PLACES, events=list(events))


def test_reports_of_one_attack_merge_and_the_most_reported_toll_wins() -> None:
    docs = [doc("a", "2024-03-04", attack(fatalities=20, claimed_by="army")),
            doc("b", "2024-03-04", attack(fatalities=20)),
            doc("c", "2024-03-06", attack(fatalities=35, claimed_by="local official"))]
    [event] = merge_events(docs, {})
    assert event["fatalities"] == 20 and event["fatalities_range"] == [20, 35]
    assert event["sources"] == 3
    assert [(r["article"], r["outlet"], r["fatalities"], r["claimed_by"]) for r in event["reports"]] == [
        ("a", "a.example", 20, "army"), ("b", "b.example", 20, None), ("c", "c.example", 35, "local official")]
    assert event["claimed_by"] == "army"  # the earliest report's fields


def test_a_syndicated_copy_is_one_voice_but_its_report_is_kept() -> None:
    docs = [doc("wire", "2024-03-04", attack(fatalities=20)),
            doc("copy", "2024-03-04", attack(fatalities=20)),
            doc("other", "2024-03-05", attack(fatalities=35)),
            doc("later", "2024-03-06", attack(fatalities=35))]
    [event] = merge_events(docs, {"copy": "wire", "wire": None})
    assert event["fatalities"] == 35  # 35 twice against 20 once: the copy does not vote again
    assert event["sources"] == 3 and len(event["reports"]) == 4
    assert [r["duplicate_of"] for r in event["reports"]] == [None, "wire", None, None]


def test_a_tie_goes_to_the_latest_figure() -> None:
    docs = [doc("a", "2024-03-04", attack(fatalities=20)), doc("b", "2024-03-06", attack(fatalities=35))]
    [event] = merge_events(docs, {})
    assert event["fatalities"] == 35 and event["fatalities_range"] == [20, 35]


@pytest.mark.parametrize("second, merged", [
    (attack(place="ib:hombori"), False),                       # another town
    (attack(date="2024-03-10"), False),                        # another day
    (attack(actor="isgs"), True),                              # the target is shared
    (attack(place=None), True),                                # place unknown
    (attack(date=None), True),                                 # date unknown
    (attack(date="2024-03"), True),                            # the month holds the day
    (attack(place="admin1:MLI.MOPTI"), True),                  # the region holds the town
    (attack(place="country:MLI"), True),                       # the country holds the town
    (attack(negated=True), False),                             # denied is not reported
    (Event(type="PROTEST", sentence="Residents protested.", place="Boni", place_id="ib:boni",
           date="2024-03-03"), False),                          # another kind of act
])
def test_when_two_reports_are_one_happening(second: Event, merged: bool) -> None:
    events = merge_events([doc("a", "2024-03-04", attack()), doc("b", "2024-03-05", second)], {})
    assert (len(events) == 1) is merged


def test_gaps_are_filled_from_later_reports_and_parties_unite() -> None:
    docs = [doc("a", "2024-03-04", attack(place=None, date="2024-03", actor="jnim")),
            doc("b", "2024-03-05", attack(place="ib:boni", date="2024-03-03", actor="jnim"))]
    second = docs[1].events[0]
    second.actors.append("Katiba Macina")
    second.actor_ids.append(None)
    [event] = merge_events(docs, {})
    assert (event["place_id"], event["date"], event["date_precision"]) == ("ib:boni", "2024-03-03", "day")
    assert event["actors"] == ["JNIM", "Katiba Macina"] and event["actor_ids"] == ["jnim", None]


def test_two_events_of_one_article_stay_apart_and_hedging_needs_every_report() -> None:
    one = doc("a", "2024-03-04", attack(fatalities=20, hedged=True), attack(fatalities=3, hedged=True))
    events = merge_events([one, doc("b", "2024-03-05", attack(fatalities=20))], {})
    assert len(events) == 2
    assert [e["hedged"] for e in events] == [False, True]
    assert merge_events([], {}) == []

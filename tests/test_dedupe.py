"""Duplicates: the same page, the same text elsewhere, and a wire story syndicated with small edits."""

from __future__ import annotations

import json

import pytest

from interbellum.stories import DuplicateIndex

WIRE = (
    "Gunmen killed at least 20 Malian soldiers in an attack on an army post in Boni in the Mopti region on "
    "Sunday, two security sources said, in one of the deadliest raids on the army this year. The attackers "
    "arrived on motorbikes before dawn and set fire to vehicles and a fuel depot before withdrawing towards "
    "the hills, one of the sources said. The army said in a statement that its troops had repelled the "
    "attack and that an air strike had neutralised dozens of assailants. JNIM claimed responsibility for the "
    "raid on Monday. The group has blockaded the town for months, cutting the road between Douentza and Gao."
)
REWRITTEN = (
    "At least twenty soldiers died when militants on motorcycles stormed the Boni army post at dawn on "
    "Sunday, according to security officials. The army says it pushed the assailants back and hit them from "
    "the air. The al Qaeda-linked JNIM said on Monday that its fighters carried out the assault on the "
    "blockaded town, which lies on the road from Douentza to Gao in central Mali."
)


@pytest.mark.parametrize("second_body, second_url, expected", [
    (WIRE, "https://other.example/copy", "a"),                                  # same text, other site
    ("  " + WIRE.upper() + "\n", "https://other.example/copy", "a"),          # same text, case and spaces
    (WIRE, "https://WWW.first.example/story/?utm_source=feed#top", "a"),        # same page, other link
    ("By staff and wires\n\n" + WIRE + " Reporting by the Bamako newsroom.", None, "a"),  # syndicated
    (WIRE.rsplit(". ", 2)[0] + ".", "https://other.example/trimmed", "a"),     # last paragraph dropped
    (REWRITTEN, "https://other.example/own-words", None),                       # same event, own words
])
def test_duplicates(second_body: str, second_url: str | None, expected: str | None) -> None:
    index = DuplicateIndex()
    assert index.add("a", WIRE, "https://first.example/story", "2024-03-04") is None
    assert index.add("b", second_body, second_url, "2024-03-04") == expected


def test_every_copy_points_at_the_earliest_even_when_it_arrives_late() -> None:
    index = DuplicateIndex()
    assert index.add("later", WIRE, None, "2024-03-05") is None
    assert index.add("later2", WIRE + " Edited.", None, "2024-03-06") == "later"
    assert index.add("first", WIRE + " More.", None, "2024-03-04") is None  # published first: the original
    assert index.moved() == ["later"]  # the store re-points what pointed at it
    assert index.moved() == []
    assert {index.canonical(x) for x in ("later", "later2", "first")} == {"first"}
    assert index.add("later2", WIRE, None, "2024-03-06") == "first"  # asked again: the current original


def test_same_day_copies_keep_arrival_order_and_undated_ones_come_last() -> None:
    index = DuplicateIndex()
    assert index.add("undated", WIRE, None, None) is None
    assert index.add("dated", WIRE + " x", None, "2024-03-04") is None
    assert index.canonical("undated") == "dated"
    assert index.add("same-day", WIRE + " y", None, "2024-03-04") == "dated"


def test_short_texts_match_only_exactly() -> None:
    index = DuplicateIndex()
    index.add("a", "Gunmen attack army post in Boni.", None, "2024-03-04")
    assert index.add("b", "Gunmen attack army post in Hombori.", None, "2024-03-04") is None
    assert index.add("c", "gunmen attack army post in boni.", None, "2024-03-04") == "a"


def test_state_round_trips_through_json() -> None:
    index = DuplicateIndex()
    index.add("a", WIRE, "https://first.example/story", "2024-03-04")
    index.add("b", REWRITTEN, None, "2024-03-04")
    restored = DuplicateIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert len(restored) == 2
    assert restored.add("c", WIRE + " Edited by the desk.", None, "2024-03-05") == "a"
    assert restored.add("d", "x " + REWRITTEN, None, "2024-03-05") == "b"
    assert restored.add("e", "other text", "https://first.example/story", None) == "a"

"""find_times: dates and ranges found, resolved against the publication date, and the traps left alone.

Cases are written for the project. Unless a case says otherwise the story was published on
Monday 2025-06-09, so "Friday" is 2025-06-06 and a yearless date after 9 June is last year's.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from interbellum.knowledge.times import find_times

PUB = "2025-06-09"  # a Monday

# (text, expected [(span, value, precision[, end_value])], published)
EN = [
    # weekdays: the most recent one on or before the publication day, unless the sentence is future
    ("Gunmen attacked the base on Friday.", [("on Friday", "2025-06-06", "day")], PUB),
    ("On Monday, the army said the road was open.", [("On Monday", "2025-06-09", "day")], PUB),
    ("Militants stormed the town on Sunday night.", [("on Sunday night", "2025-06-08", "day")], PUB),
    ("Tuesday's attack killed 12 soldiers.", [("Tuesday", "2025-06-03", "day")], PUB),
    ("The talks will resume on Friday.", [("on Friday", "2025-06-13", "day")], PUB),
    ("He arrived last Monday.", [("last Monday", "2025-06-02", "day")], PUB),
    ("Elections are due next Sunday.", [("next Sunday", "2025-06-15", "day")], PUB),
    ("Friday, 22 March 2013, was calm.", [("Friday, 22 March 2013", "2013-03-22", "day")], PUB),
    # days and months without a year: the past, unless the sentence is future
    ("The attack followed a May 30th raid on the camp.", [("May 30th", "2025-05-30", "day")], PUB),
    ("The summit opened on 12 June.", [("on 12 June", "2024-06-12", "day")], PUB),
    ("The vote is scheduled for July 28.", [("July 28", "2025-07-28", "day")], PUB),
    ("Protests began in mid-March.", [("mid-March", "2025-03", "month")], PUB),
    ("Clashes in August and September killed dozens.",
     [("August", "2024-08", "month"), ("September", "2024-09", "month")], PUB),
    # absolute dates
    ("The mission was renewed in July 2024.", [("July 2024", "2024-07", "month")], PUB),
    ("The accord was signed on March 22, 2013.", [("on March 22, 2013", "2013-03-22", "day")], PUB),
    ("The report is dated 2013-03-22.", [("2013-03-22", "2013-03-22", "day")], PUB),
    ("The attacks of Sept. 11, 2001 changed the war.", [("Sept. 11, 2001", "2001-09-11", "day")], PUB),
    ("A truce was agreed in October of 1981.", [("October of 1981", "1981-10", "month")], PUB),
    ("Troops have been deployed since 2013.", [("2013", "2013", "year")], PUB),
    ("Military coups in 2020 and 2021 ended civilian rule.",
     [("2020", "2020", "year"), ("2021", "2021", "year")], PUB),
    ("France colonised the area in 1892.", [("1892", "1892", "year")], PUB),
    ("It was the 2015 peace accord.", [("2015", "2015", "year")], PUB),
    ("Turnout in the 2015 elections was low.", [("2015", "2015", "year")], PUB),
    ("In 2013 jihadists seized the north.", [("2013", "2013", "year")], PUB),
    ("The region fell in late 2023.", [("late 2023", "2023", "year")], PUB),
    ("Violence surged in the 1990s.", [("the 1990s", None, "unresolved")], PUB),
    # ranges
    ("The ceasefire of 22-27 July held.", [("22-27 July", "2024-07-22", "day", "2024-07-27")], PUB),
    ("The force operated from 2013 to 2022.", [("from 2013 to 2022", "2013", "year", "2022")], PUB),
    ("Fighting raged between March and May 2024.",
     [("between March and May 2024", "2024-03", "month", "2024-05")], PUB),
    ("The conference ran July 22-27, 2023.", [("July 22-27, 2023", "2023-07-22", "day", "2023-07-27")], PUB),
    ("Crops failed in the 2019-20 rainy season.", [("2019-20", "2019", "year", "2020")], PUB),
    # relative to the publication date, and to the last year written out
    ("Rebels seized Gao yesterday.", [("yesterday", "2025-06-08", "day")], PUB),
    ("Prices rose last month.", [("last month", "2025-05", "month")], PUB),
    ("Talks stalled last week.", [("last week", None, "unresolved")], PUB),
    ("This year the rains came late.", [("This year", "2025", "year")], PUB),
    ("The deal was signed three years ago.", [("three years ago", "2022", "year")], PUB),
    ("French forces left in August 2022. Russian instructors arrived earlier that year.",
     [("August 2022", "2022-08", "month"), ("earlier that year", "2022", "year")], PUB),
    # without a publication date relative dates stay unresolved, absolute ones resolve
    ("On Friday, the group recalled the ambush of July 2024.",
     [("On Friday", None, "unresolved"), ("July 2024", "2024-07", "month")], None),
    ("Prices rose last month.", [("last month", None, "unresolved")], None),
    ("The summit opened on 12 June.", [("on 12 June", None, "unresolved")], None),
    # a publication date with only a year still anchors "last year" but no weekday
    ("Last year and on Friday.", [("Last year", "2024", "year"), ("on Friday", None, "unresolved")], "2025"),
]

EN_TRAPS = [
    "They may attack again.",
    "A march on the capital is planned.",
    "An august body of elders met.",
    "Thousands joined the March on the capital.",
    "Theresa May met the president.",
    "The sun rose; we sat down for a second.",
    "About 2,000 troops and 1500 fighters were deployed.",
    "The army sent 2000 troops north.",
    "A crowd of 2000 people gathered.",
    "UN Security Council Resolution 2085 authorised the mission.",
    "He read it in the Sunday Times.",
    "The operation lasted three and a half years.",
    "The M23, or March 23 Movement, took Goma.",
    "At 1930 GMT the shelling stopped.",
    "Decree 2013-028 set up the agency.",
    "May God protect our soldiers.",
]

FR = [
    ("Vendredi, le groupe Wagner a annoncé son départ.", [("Vendredi", "2025-06-06", "day")], PUB),
    ("L'attaque a eu lieu le 30 mai.", [("le 30 mai", "2025-05-30", "day")], PUB),
    ("Le convoi a été attaqué en juillet 2024.", [("juillet 2024", "2024-07", "month")], PUB),
    ("Les prix ont augmenté l'an dernier.", [("l'an dernier", "2024", "year")], PUB),
    ("Mardi dernier, des hommes armés ont tué dix civils.", [("Mardi dernier", "2025-06-03", "day")], PUB),
    ("Le Mali est en guerre depuis 2013.", [("2013", "2013", "year")], PUB),
    ("Les combats ont duré du 22 au 27 juillet.",
     [("du 22 au 27 juillet", "2024-07-22", "day", "2024-07-27")], PUB),
    ("La crise a duré entre mars et mai 2024.",
     [("entre mars et mai 2024", "2024-03", "month", "2024-05")], PUB),
    ("La force a opéré de 2013 à 2022.", [("de 2013 à 2022", "2013", "year", "2022")], PUB),
    ("Le sommet doit se tenir vendredi.", [("vendredi", "2025-06-13", "day")], PUB),
    ("Il y a trois jours, l'armée a repris la ville.", [("Il y a trois jours", "2025-06-06", "day")], PUB),
    ("La réunion s'est tenue le 1er mai 2024.", [("le 1er mai 2024", "2024-05-01", "day")], PUB),
    ("Le calme est revenu fin 2023.", [("fin 2023", "2023", "year")], PUB),
    ("La semaine dernière, trois villages ont été pillés.", [("La semaine dernière", None, "unresolved")], PUB),
    ("Les exportations ont chuté le mois dernier.", [("le mois dernier", "2025-05", "month")], PUB),
    ("Le pays a connu des coups d'État en 2020 et 2021.",
     [("2020", "2020", "year"), ("2021", "2021", "year")], PUB),
    ("Le drame s'est produit vendredi 30 mai.", [("vendredi 30 mai", "2025-05-30", "day")], PUB),
    ("Aujourd’hui, la ville est calme ; hier soir, des tirs.",
     [("Aujourd’hui", "2025-06-09", "day"), ("hier soir", "2025-06-08", "day")], PUB),
    ("Ils sont arrivés en mars et en avril.", [("mars", "2025-03", "month"), ("avril", "2025-04", "month")], PUB),
    ("La ville a grandi dans les années 1990.", [("les années 1990", None, "unresolved")], PUB),
    ("Le 22 juillet dernier, un convoi a sauté sur une mine.", [("Le 22 juillet dernier", "2024-07-22", "day")], PUB),
    ("Les élections des 3 et 4 mai 2024 ont été reportées.",
     [("des 3 et 4 mai 2024", "2024-05-03", "day", "2024-05-04")], PUB),
]

FR_TRAPS = [
    "La mission a envoyé 2000 soldats.",
    "La planète Mars est rouge.",
    "Sept soldats ont été tués.",
    "Le Conseil a adopté la résolution 2085.",
    "Le carnaval du Mardi gras a été annulé.",
    "Le Mouvement du 23 mars a repris Goma.",
]


def _seen(times: list) -> list[tuple]:
    return [(t.text, t.value, t.precision) + ((t.end_value,) if t.end_value else ()) for t in times]


def _check_spans(text: str, times: list) -> None:
    for t in times:
        assert text[t.start:t.end] == t.text
    for a, b in pairwise(times):
        assert a.end <= b.start, "spans sorted and not overlapping"


@pytest.mark.parametrize(("text", "expected", "published"), EN)
def test_english(text: str, expected: list[tuple], published: str | None) -> None:
    times = find_times(text, published)
    _check_spans(text, times)
    assert _seen(times) == expected


@pytest.mark.parametrize(("text", "expected", "published"), FR)
def test_french(text: str, expected: list[tuple], published: str | None) -> None:
    times = find_times(text, published, "fr")
    _check_spans(text, times)
    assert _seen(times) == expected


@pytest.mark.parametrize("text", EN_TRAPS)
def test_english_traps(text: str) -> None:
    assert find_times(text, PUB) == []


@pytest.mark.parametrize("text", FR_TRAPS)
def test_french_traps(text: str) -> None:
    assert find_times(text, PUB, "fr") == []


@pytest.mark.parametrize(("published", "value"), [
    ("2025-06-06", "2025-06-06"),  # a Friday: "on Friday" in a story of that Friday is that day
    ("2025-06-07", "2025-06-06"),
    ("2025-06-05", "2025-05-30"),
    ("2025-06-09T08:30:00+00:00", "2025-06-06"),  # a time after the date is ignored
])
def test_weekday_against_publication_day(published: str, value: str) -> None:
    assert _seen(find_times("Gunmen attacked on Friday.", published)) == [("on Friday", value, "day")]


def test_language_variants_and_fallback() -> None:
    assert _seen(find_times("hier", PUB, "fr-FR")) == [("hier", "2025-06-08", "day")]
    # no tables for German: English ones read what they can
    assert _seen(find_times("Am 30. Juni 2024", PUB, "de")) == [("2024", "2024", "year")]


@pytest.mark.parametrize("published", ["June 9", "2025-13-01", "2025-02-30", ""])
def test_bad_published(published: str) -> None:
    with pytest.raises(ValueError):
        find_times("on Friday", published)


def test_seed_page(shared: Path) -> None:
    """Every date of the reference reading is found with its value (the optional one too)."""
    gold = json.loads((shared / "seed" / "gold.json").read_text(encoding="utf-8"))
    text = (shared / "seed" / gold["input"]).read_text(encoding="utf-8")
    times = find_times(text, gold["published"])
    _check_spans(text, times)
    for g in gold["times"]:
        assert any(g["text"] in t.text and t.value == g["value"] and t.precision == g["precision"]
                   for t in times), g
    assert len(times) == len(gold["times"]) + 1  # "On Friday" is written twice

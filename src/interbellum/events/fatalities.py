"""Death tolls: the figures a sentence gives for the dead, and which of its violent events each belongs to.

"killing 12", "executed about 300", "at least 20 dead", "twelve soldiers died", "left 30 people dead",
"avoir tué 203", "faisant 12 morts" (number words in ``data/events/numbers.tsv``). ACLED records the
lowest figure a source gives; a vague one ("dozens", "une quarantaine") is no toll, and neither is a
count of the wounded or the displaced.
"""

from __future__ import annotations

import re
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Event
    from .coder import Sentence

_VIOLENT = frozenset({"ASSAULT", "PROTEST", "COERCE"})  # types whose events count the dead


def _number_words() -> tuple[dict[str, int], dict[str, int]]:
    """(units, tens) from ``data/events/numbers.tsv``."""
    units: dict[str, int] = {}
    tens: dict[str, int] = {}
    for line in (files("interbellum") / "data" / "events" / "numbers.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, value, kind = line.split("\t")
            (tens if kind == "tens" else units)[word] = int(value)
    return units, tens


_NUMBER_WORDS, _TENS = _number_words()
_UNITS = "|".join(w for w, v in _NUMBER_WORDS.items() if v < 10)
_NOT_TOLL = r"(?!-|\s+\w+aines?\b|\s+(?:years?|months?|weeks?|days?|hours?|ans|mois|semaines|jours|heures)\b)"
# "twenty-five" whole, so that its "five" is never read alone; "une quarantaine", "10 years" are no toll.
_NUM = (r"(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+|(?:" + "|".join(_TENS) + rf")(?:-(?:et-)?(?:{_UNITS}))?|"
        + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b" + _NOT_TOLL)
_ABOUT = (r"(?:(?:at\s+least|some|about|around|nearly|almost|more\s+than|over|up\s+to|au\s+moins|"
          r"plus\s+de|près\s+de|environ|quelque)\s+)?")
# Words between a figure and its noun: never another figure, nor a toll that is not a death.
_WHO = r"(?:(?!\d|and\b|et\b|wounded|injured|bless|hurt)[\w'-]+\s+){0,3}?"
_KILL_EN = r"killing|killed|kills|kill|executed|executing|massacred|massacring|slaughtered|murdered|shot\s+dead"
_KILL_FR = r"tué|tuée|tués|tuées|tuant|tue|tuent|exécuté|exécutés|exécutant|massacré|massacrant|abattu|abattant"
# ACLED records the lowest figure a source gives: "at least 20" is 20, "more than 100" is 100.
_FATALITIES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?:{_KILL_EN}|{_KILL_FR})\s+{_ABOUT}{_NUM}",
    rf"\b{_ABOUT}{_NUM}\s+{_WHO}(?:were|was|have\s+been|had\s+been|being)\s+(?:\w+\s+)?"
    r"(?:killed|executed|massacred|shot\s+dead)\b",
    rf"\b{_ABOUT}{_NUM}\s+{_WHO}(?:died|lost\s+their\s+lives)\b",
    rf"\b(?:left|leaving|leaves)\s+{_ABOUT}{_NUM}\s+{_WHO}dead\b",
    rf"\b{_ABOUT}{_NUM}\s+{_WHO}(?:dead|deaths|fatalities)\b",
    rf"\bdeath\s+toll\s+(?:\w+\s+){{0,4}}?{_ABOUT}{_NUM}",
    rf"\b(?:faisant|fait|tuant)\s+{_ABOUT}{_NUM}\s+(?:morts|tués|victimes)\b",
    rf"\b{_ABOUT}{_NUM}\s+{_WHO}(?:morts?|tués|tuées|(?:ont|auraient)\s+été\s+(?:tués|tuées|exécutés))\b")]


def _value(word: str) -> int:
    """The integer a figure stands for: digits, "twelve", "twenty-five", "vingt-et-un"."""
    word = " ".join(word.lower().split())
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS:
        return _TENS[tens] + _NUMBER_WORDS.get(unit.removeprefix("et-"), 0)
    return int(re.sub(r"\D", "", word) or 0)


def fatalities_in(text: str) -> list[tuple[int, int]]:
    """(offset, count) of every death figure in ``text``; a vague one ("dozens") gives none."""
    found: dict[int, int] = {}
    for pattern in _FATALITIES:
        for m in pattern.finditer(text):
            word, value = m.group(1), _value(m.group(1))
            if 0 < value < 1_000_000 and not (1900 <= value <= 2100 and word.isdigit() and len(word) == 4):
                found.setdefault(m.start(1), value)
    return sorted(found.items())


def give_fatalities(sentence: Sentence, events: list[Event], positions: list[int | None]) -> None:
    """Each figure goes to the violent event whose trigger stands nearest before it, else the first."""
    violent = [(p if p is not None else sentence.start, e) for p, e in zip(positions, events, strict=True)
               if e.type in _VIOLENT and not e.negated]
    for offset, count in fatalities_in(sentence.text) if violent else []:
        before = [(p, e) for p, e in violent if p <= sentence.start + offset]
        event = max(before, key=lambda pe: pe[0])[1] if before else violent[0][1]
        if event.fatalities is None:
            event.fatalities = count

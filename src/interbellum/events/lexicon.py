"""The trigger lexicon (``data/events/triggers.tsv``): which words in a sentence may express an act.

A lexicon row is a lemma or phrase ("clash", "exchange fire", "s'emparer de") with the PLOVER type,
mode and ACLED type it signals by default. Rows are matched on crude stems, not on a parser's lemmas,
so that "clashed", "clashes" and "clashing" all find "clash" at a few microseconds a sentence:

    1. text → word tokens with their offsets (``\\w+``: "s'emparer" is "s" + "emparer");
    2. each token → a stem (``stem``): suffixes stripped, a few irregular verbs mapped, accents folded;
    3. a row matches where its content stems appear in order; between two of them the text may hold up
       to ``MAX_GAP`` other tokens ("took 17 villagers hostage" is "take hostage").

Articles, reflexive pronouns and French auxiliaries are dropped from the rows ("lob a grenade" →
lob, grenade; "se sont emparés" matches "s'emparer de" on "empar"). A hit is a cue, not a decision:
the classifier weighs it with the rest of the sentence ("strike" is an air strike or a labour strike).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

MAX_GAP = 3
_WORD = re.compile(r"\w+")
# Words a row may drop and a text may hold inside a phrase; "de"/"d" because French phrases carry them.
_SKIP = {
    "en": frozenset({"a", "an", "the", "its", "their", "his", "her", "himself", "herself", "themselves",
                     "itself", "to", "of"}),
    "fr": frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "s", "se", "sont", "est",
                     "a", "ont", "ete", "en", "au", "aux"}),
}
# Past forms a suffix rule cannot reach; mapped to the base form before stemming.
_IRREGULAR = {
    "took": "take", "taken": "take", "overran": "overrun", "fought": "fight", "shot": "shoot",
    "held": "hold", "fled": "flee", "withdrew": "withdraw", "withdrawn": "withdraw", "threw": "throw",
    "thrown": "throw", "broke": "break", "broken": "break", "struck": "strike", "stole": "steal",
    "stolen": "steal", "blew": "blow", "blown": "blow", "drove": "drive", "driven": "drive", "fell": "fall",
    "fallen": "fall", "beaten": "beat", "laid": "lay", "met": "meet", "sent": "send", "left": "leave",
    "gave": "give", "given": "give", "wrote": "write", "written": "write", "spoke": "speak",
    "spoken": "speak", "began": "begin", "begun": "begin", "rode": "ride", "sought": "seek",
    "brought": "bring", "caught": "catch", "led": "lead", "hid": "hide", "hidden": "hide",
    "froze": "freeze", "frozen": "freeze", "swore": "swear", "sworn": "swear", "rang": "ring",
    "hung": "hang", "won": "win", "lost": "lose", "came": "come", "went": "go", "gone": "go",
    "ran": "run", "bombed": "bomb", "sat": "sit", "stood": "stand", "put": "put", "set": "set",
    "cut": "cut", "hit": "hit", "burnt": "burn", "kept": "keep", "fed": "feed", "bled": "bleed",
    "arose": "arise", "shook": "shake", "slew": "slay", "slain": "slay", "undertook": "undertake",
    "retook": "retake", "retaken": "retake", "overthrew": "overthrow", "overthrown": "overthrow",
}  # fmt: skip
_VOWELS = set("aeiouy")


def fold(word: str) -> str:
    """Lowercase without accents ("Évacué" → "evacue")."""
    nfkd = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def _stem_en(w: str) -> str:
    w = _IRREGULAR.get(w, w)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and (w.endswith("ed") or (w.endswith("es") and _sibilant(w[:-2]))):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] not in "lsz":
        w = w[:-1]  # "kidnapped" → "kidnapp" → "kidnap"
    if w.endswith("iz"):
        w = w[:-2] + "is"  # American and British spellings: "mobilize", "mobilise"
    return w


def _sibilant(w: str) -> bool:
    """Whether a plural or third person takes "-es" after ``w`` ("clash-es", "box-es"; not "mine-s")."""
    return w[-1:] in ("s", "x", "z") or w.endswith(("ch", "sh"))


def _stem_fr(w: str) -> str:
    if len(w) > 3 and w[-1] in "sx":
        w = w[:-1]
    for suffix in ("aient", "erent", "ait", "ant", "ent", "ee", "er", "ez", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def stem(word: str, language: str = "en") -> str:
    """A crude stem, the same for a lemma and its inflected forms in running text."""
    w = fold(word)
    return _stem_fr(w) if language == "fr" else _stem_en(w)


def lang_of(language: str | None) -> str:
    """The lexicon language for an article language: French rows for French, English otherwise."""
    return "fr" if (language or "").lower().startswith("fr") else "en"


@dataclass(frozen=True)
class Cue:
    """One lexicon row: a lemma or phrase and the act it signals by default."""

    lemma: str
    lang: str
    plover: str
    mode: str | None
    acled: str | None


@dataclass(frozen=True)
class Hit:
    """Where a cue's words stand in a sentence (character offsets, end exclusive)."""

    cue: Cue
    start: int
    end: int


def tokens(text: str, language: str = "en") -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` as (stem, start, end)."""
    return [(stem(m.group(), language), m.start(), m.end()) for m in _WORD.finditer(text)]


class Lexicon:
    """Cues indexed by the stem of their first content word."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        self.cues = list(cues)
        self._index: dict[tuple[str, str], list[tuple[tuple[str, ...], Cue]]] = defaultdict(list)
        for cue in self.cues:
            words = [w for w in _WORD.findall(cue.lemma) if fold(w) not in _SKIP[cue.lang]]
            stems = tuple(stem(w, cue.lang) for w in words)
            if stems:
                self._index[(cue.lang, stems[0])].append((stems, cue))

    @classmethod
    def load(cls) -> Lexicon:
        """The project's lexicon, ``data/events/triggers.tsv`` (cached per process)."""
        return _load()

    def find(self, text: str, language: str | None = "en") -> list[Hit]:
        """Every cue of the language that matches in ``text``, in text order, longest match first."""
        lang = lang_of(language)
        toks = tokens(text, lang)
        skip = _SKIP[lang]
        hits = []
        for i, (s, start, _) in enumerate(toks):
            for stems, cue in self._index.get((lang, s), ()):
                end = _match_rest(toks, i, stems, skip)
                if end is not None:
                    hits.append(Hit(cue, start, end))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        return hits


def _match_rest(toks: list[tuple[str, int, int]], i: int, stems: tuple[str, ...],
                skip: frozenset[str]) -> int | None:
    """End offset of the phrase ``stems`` starting at token ``i``, or None."""
    j, end = i + 1, toks[i][2]
    for want in stems[1:]:
        gap = 0
        while j < len(toks) and toks[j][0] != want:
            if toks[j][0] not in skip:
                gap += 1
            if gap > MAX_GAP:
                return None
            j += 1
        if j >= len(toks):
            return None
        end = toks[j][2]
        j += 1
    return end


@lru_cache(maxsize=1)
def _load() -> Lexicon:
    path = files("interbellum") / "data" / "events" / "triggers.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return Lexicon(Cue(r["lemma"], r["lang"], r["plover"], r["mode"] or None, r["acled"] or None)
                   for r in rows)

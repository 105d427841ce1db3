"""Reading relations off one sentence: mentions become slots, cue patterns match over the slotted text.

A sentence "Mali, Burkina Faso and Niger severed ties with Ukraine" is first rewritten with each actor or
place mention as a numbered slot ("⟨0⟩, ⟨1⟩ and ⟨2⟩ severed ties with ⟨3⟩"); the cue patterns of
``data/situations/cues.tsv`` (words only, per language) then say which slots are the subject and which
the object, and in what phase the relation is told (begun, ended, holding). Which slot may fill which
role (a person leads, a place is where one is present) is checked here, not in the patterns.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..model import Entity, Place

RELATIONS = ("present_in", "controls", "supports", "allied_with", "fights", "opposes", "severed_ties_with",
             "designates", "member_of", "leads")
PHASES = ("start", "end", "hold", "state")
_SLOT = "⟨\\d+⟩"
_SLOTS = f"{_SLOT}(?:\\s*(?:,\\s*(?:and\\s+|et\\s+|or\\s+|ou\\s+)?|and\\s+|et\\s+|&\\s+){_SLOT})*"
# Words that open another clause or make a gap something other than the cue's complement ("seized power
# in …", "the rebels who routed …"): a gap never crosses one.
_NOT_CLAUSE = ("(?!(?<!\\w)(?:which|who|whom|whose|that|where|when|after|before|while|because|but|since|power|office|"
               "qui|que|qu['’]|dont|où|après|avant|lorsque|quand|mais|depuis|pouvoir|"
               # a reporting verb straight before a passive: the mention before it is who says, not what
               # the passive is about ("the offensive that Kinshasa says was backed by …")
               "(?:says|said|say|claims|claimed)\\s+(?:was|were|is|are|had been|has been))(?!\\w))")
# An object after a place preposition is where, not whom ("fought militants in Mali").
_LOCATIVE_BEFORE = re.compile(r"(?<!\w)(?:in|at|near|from|across|inside|au|aux|en|à|dans|près de|vers)\s+"
                              r"(?:the\s+|le\s+|la\s+|les\s+|l['’])?$", re.I)
_MACROS = {
    "{S}": f"(?P<subj>{_SLOTS})",
    "{O}": f"(?P<obj>{_SLOTS})",
    "{P}": "(?:\\s*,[^,⟨⟩]{0,40}(?:⟨\\d+⟩[^,⟨⟩]{0,80}){0,2},|\\s*[—–][^—–]{0,120}?[—–]|\\s*\\([^()]{0,80}\\))?",
    "{V}": f"(?:\\s+\\w+(?:ed|é|ée|és|ées)\\s+(?:in|at|to|au|aux|en|à|dans)\\s+⟨\\d+⟩,?|,\\s*(?:who|which|qui)\\s+|,\\s*(?:the|its|their|an?|la|le|l['’]|une?|sa|son|ses|leur)\\s+[^,⟨⟩.;:]{{0,50}}?)?(?:{_NOT_CLAUSE}[^⟨⟩.;:,]){{0,45}}?(?:,\\s+)?",
    "{_}": f"(?:{_NOT_CLAUSE}[^⟨⟩.;:]){{0,60}}?",
    "{_,}": f"(?:{_NOT_CLAUSE}[^⟨⟩.;:,]){{0,60}}?",  # the same gap within one clause (no comma)
    # … or running on into a list it opens ("retaken several towns, including Gao")
    "{_L}": f"(?:{_NOT_CLAUSE}[^⟨⟩.;:,]){{0,60}}?(?:,\\s*(?:including|notably|such as|among them|notamment|dont)\\b"
            f"(?:{_NOT_CLAUSE}[^⟨⟩.;:,]){{0,40}}?)?",
    "{D}": "(?:(?:the|le|la|les|l['’]|un|une)\\s*)?",
    # a pronoun standing for the last place the sentence named before it ("overran it", "l'a reprise")
    "{R}": "(?P<pro>\\bit\\b|\\bthem\\b|\\bl['’](?=a\\b|ont\\b|avait\\b|avaient\\b)|\\bla\\b(?=\\s+(?:reprendre|prendre|contrôler))|\\bles\\b(?=\\s+(?:reprendre|prendre)))",
    "{T}": "(?:(?:General|Gen\\.|Lieutenant[- ]General|Lt\\.? Gen\\.|Major General|Brigadier General|Captain|Capt\\.|"
           "Colonel|Col\\.|Field Marshal|Marshal|President|Prime Minister|Commander|Sheikh|Dr\\.|"
           "(?:le |la )?(?:général|capitaine|colonel|maréchal|président|présidente|commandant))\\s+)*",
}
# Who may stand in which role, by knowledge-base type; places are always objects of the two place relations.
_ACTORS = frozenset({"state", "government", "military", "armed_group", "pmc", "organization", "police"})
SUBJECT_TYPES = {
    "present_in": _ACTORS - {"government"}, "controls": _ACTORS - {"organization"},
    "supports": _ACTORS, "allied_with": _ACTORS, "fights": _ACTORS, "opposes": _ACTORS,
    "severed_ties_with": frozenset({"state", "government", "organization"}),
    "designates": frozenset({"state", "government", "organization"}),
    "member_of": _ACTORS, "leads": frozenset({"person"}),
}
OBJECT_TYPES = {
    "supports": _ACTORS | {"person"}, "allied_with": _ACTORS, "fights": _ACTORS, "opposes": _ACTORS,
    "severed_ties_with": frozenset({"state", "government", "organization"}), "designates": _ACTORS,
    "member_of": frozenset({"organization", "armed_group", "military", "government", "pmc"}),
    "leads": _ACTORS,
}
PLACE_RELATIONS = frozenset({"present_in", "controls"})
_LOCATIVE_COMPLEMENT = frozenset({"present_in", "controls", "member_of"})


@dataclass
class Slot:
    """One mention in the sentence: an actor, a place, or both ("Mali")."""

    start: int  # body offsets
    end: int
    entity: Entity | None = None
    place: Place | None = None
    demonym: bool = False  # the place is named by its people's adjective ("Russian")


@dataclass
class Cue:
    language: str
    relation: str
    phase: str
    pattern: re.Pattern[str]
    has_object: bool
    pronoun: bool = False


@dataclass
class Finding:
    """One relation told by one cue: subject and object slots (object may be missing: "X withdrew")."""

    relation: str
    phase: str
    subjects: list[Slot]
    objects: list[Slot]
    cue_start: int  # body offsets of the cue's match
    cue_end: int
    extras: dict[str, object] = field(default_factory=dict)


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The cue patterns of data/situations/cues.tsv, compiled."""
    out = []
    path = resources.files("interbellum") / "data" / "situations" / "cues.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for lang, relation, phase, pattern in rows:
            if relation not in RELATIONS or phase not in PHASES:
                raise ValueError(f"cues.tsv: unknown relation or phase {relation!r} {phase!r}")
            source = pattern
            for macro, expansion in _MACROS.items():
                source = source.replace(macro, expansion)
            out.append(Cue(lang, relation, phase, re.compile(source, re.IGNORECASE), "{O}" in pattern or "{R}" in pattern,
                           "{R}" in pattern))
    return tuple(out)


def slots_of(lo: int, hi: int, actors: list[tuple[int, int, Entity]],
             places: list[tuple[int, int, Place, bool]]) -> list[Slot]:
    """The sentence's mentions in text order, an actor and a place over the same words made one slot."""
    found: list[Slot] = []
    for a, b, entity in actors:
        if lo <= a and b <= hi:
            found.append(Slot(a, b, entity=entity))
    for a, b, place, demonym in places:
        if not (lo <= a and b <= hi):
            continue
        same = next((s for s in found if s.start < b and a < s.end), None)
        if same is None:
            found.append(Slot(a, b, place=place, demonym=demonym))
        elif same.place is None:
            same.place, same.start, same.end = place, min(same.start, a), max(same.end, b)
    found.sort(key=lambda s: s.start)
    kept: list[Slot] = []
    for s in found:  # overlapping actor mentions: keep the first, longer one
        if kept and s.start < kept[-1].end:
            if s.end - s.start > kept[-1].end - kept[-1].start:
                kept[-1] = s
            continue
        kept.append(s)
    return kept


class Template:
    """The sentence with its slots, and the way back from template positions to body offsets."""

    def __init__(self, text: str, base: int, slots: list[Slot]) -> None:
        self.slots = slots
        parts: list[str] = []
        self._map: list[tuple[int, int]] = []  # (template position, body offset) at each piece's start
        at, pos = base, 0
        for i, s in enumerate(slots):
            chunk = text[at - base:s.start - base]
            self._map.append((pos, at))
            parts.append(chunk)
            pos += len(chunk)
            token = f"⟨{i}⟩"
            self._map.append((pos, s.start))
            parts.append(token)
            pos += len(token)
            at = s.end
        self._map.append((pos, at))
        parts.append(text[at - base:])
        self.text = "".join(parts)

    def body(self, pos: int) -> int:
        """The body offset of template position ``pos`` (a slot's start maps to its mention's start)."""
        start, offset = [m for m in self._map if m[0] <= pos][-1]
        return offset + (0 if self.text.startswith("⟨", start) else pos - start)

    def group_slots(self, text: str | None) -> list[Slot]:
        return [self.slots[int(n)] for n in re.findall(r"⟨(\d+)⟩", text or "")]


def find(template: Template, language: str) -> list[Finding]:
    """Every cue match of the sentence's language (English patterns stand in for other languages)."""
    lang = language if language in ("en", "fr") else "en"
    out: list[Finding] = []
    for cue in cues():
        if cue.language != lang:
            continue
        for m in cue.pattern.finditer(template.text):
            subjects = template.group_slots(m.group("subj"))
            if cue.pronoun:
                objects = _antecedent(template, m.start("pro"), subjects)
                if not objects:
                    continue
            else:
                objects = template.group_slots(m.group("obj")) if cue.has_object else []
            # leaving or joining "from"/"in" a body is its complement, not where it happened
            if objects and not cue.pronoun and cue.relation not in _LOCATIVE_COMPLEMENT \
                    and m.start("obj") > m.start("subj") and _LOCATIVE_BEFORE.search(template.text[:m.start("obj")]):
                continue
            out.append(Finding(cue.relation, cue.phase, subjects, objects,
                               template.body(m.start()), template.body(m.end())))
    return out


def _antecedent(template: Template, at: int, subjects: list[Slot]) -> list[Slot]:
    """The place a pronoun at template position ``at`` stands for: the last one named before it in the
    sentence that is not one of the cue's subjects (the first below the country level); none when no
    place precedes."""
    before = template.group_slots(template.text[:at])
    places = [s for s in before if s.place is not None and s not in subjects]
    # what is overrun or retaken is a town or a region, the sentence's topic more than a border named
    # in passing ("Gwoza, near the border with Cameroon, … retook it")
    local = [s for s in places if s.place is not None and s.place.kind != "country"]
    return local[:1] or places[-1:]


def eligible_subject(relation: str, slot: Slot) -> bool:
    return slot.entity is not None and slot.entity.type in SUBJECT_TYPES[relation]


def eligible_object(relation: str, slot: Slot) -> bool:
    if relation in PLACE_RELATIONS:
        return slot.place is not None
    return slot.entity is not None and slot.entity.type in OBJECT_TYPES[relation]

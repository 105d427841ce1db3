"""Coding one sentence: the classifier's labels and the knowledge stage's mentions become Events.

For each label (events/classify.py: PLOVER type, mode, ACLED type, confidence, trigger offsets):

1. trigger: the words that may head the act — the classifier's, then the lexicon's words of the
   same type; without any, the root of the sentence (its main clause's act). Of these, the one whose
   clause names most of the act's parties ("Sinwar was killed … during what it called a chance
   encounter" → killed), a word in a relative clause last, the classifier's first on a tie. A noun
   that only anchors time or cause ("after the attack") gives no event; labels on the same words
   are readings of one act.
2. roles (``roles.py``): actor = the entity mentions of the trigger's subject (of its agent when
   passive); targets = those of its objects and of "against/on/with/to X", all of them ("a convoy
   of Malian and Wagner troops" → both).
3. place: a place of the sentence — after "in/near/at" first, then the most specific kind (town
   before region before country), then the nearest; a state named as a party is not a place.
4. date: a time of the sentence attached to the trigger's clause or a clause it hangs from without a
   boundary; else the time of the statement that reports it ("said on Tuesday it had withdrawn");
   else, if the sentence refers back ("the attack", "that day"), the time of the previous sentence
   of the paragraph; else null — never the publication date.
5. fatalities (``fatalities.py``): "killing 12", "at least 20 dead", "avoir tué 203", on the violent
   event whose trigger is nearest before the figure.
6. claims.py: who asserts it, hedges, negation; a claimant of responsibility is the actor when the
   sentence names none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from ..model import Entity, Event, Place, TimeExpr
from .claims import attachment, governing_chain, locative, read_claim, reporting_verb, token_at
from .fatalities import give_fatalities
from .roles import Roles, claims_back, host, refers_back, roles

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..model import Document

# Kinds of place, most specific first: an ambush "near Tinzaouaten along the Malian-Algerian border"
# happened at Tinzaouaten.
_SPECIFICITY = {"village": 0, "town": 0, "city": 0, "feature": 0, "admin": 1, "border": 2, "region": 3,
                "other": 3, "country": 4}
# Prepositions after which a noun only anchors time or cause ("after the attack", "despite the departure
# of…", "depuis le coup d'État").
_ANCHORS = frozenset({
    "after", "since", "following", "before", "despite", "amid", "during", "until", "après", "depuis", "avant",
    "malgré", "lors", "suite", "pendant"})
_CAMPAIGNS = frozenset({"fight", "war", "struggle", "campaign", "lutte", "guerre", "combat"})  # the parser gives no lemmas
_FUNCTION_LINKS = frozenset({"aux", "auxpass", "aux:pass", "aux:tense", "neg", "det", "case", "mark", "prt"})
# Roles read off the tree are trusted; roles guessed from word order lower the label's confidence.
FALLBACK_CONFIDENCE = 0.8


class Label(Protocol):
    """What the coder needs of a classifier label (``events.classify.EventLabel``)."""

    plover: str
    mode: str | None
    acled: str | None
    confidence: float
    trigger: tuple[int, int] | None


@dataclass
class Sentence:
    """A sentence of the body: text, body offsets, paragraph number and, when parsed, its spaCy span
    (``base`` is the body offset of the Doc the span belongs to)."""

    text: str
    start: int
    end: int
    paragraph: int = 0
    span: Span | None = None
    base: int = 0

    def offset(self, tok: Token) -> int:
        return self.base + tok.idx


@dataclass
class Mentions:
    """The document's actor, place and time mentions as body spans, for lookups by position."""

    actors: list[tuple[int, int, Entity]] = field(default_factory=list)
    places: list[tuple[int, int, Place, bool]] = field(default_factory=list)  # bool: named by a demonym
    times: list[TimeExpr] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Document) -> Mentions:
        from ..knowledge.actors import KnowledgeBase

        kb = KnowledgeBase.load()
        actors = sorted(((m.start, m.end, e) for e in doc.entities for m in e.mentions), key=lambda x: x[0])
        places = sorted(((m.start, m.end, p, bool(kb.demonym_candidates(m.text)) and m.text != p.name)
                         for p in doc.places for m in p.mentions), key=lambda x: x[0])
        return cls(actors, places, sorted((t for t in doc.times if t.value), key=lambda t: t.start))

    def actors_between(self, lo: int, hi: int) -> list[tuple[int, int, Entity]]:
        return [a for a in self.actors if lo <= a[0] < hi]

    def places_between(self, lo: int, hi: int) -> list[tuple[int, int, Place, bool]]:
        return [p for p in self.places if lo <= p[0] < hi]


@dataclass
class Coded:
    """An event and whether its trigger refers back to an act the article may have told already."""

    event: Event
    refers_back: bool = False
    worded: bool = True  # the classifier or the lexicon named the word that says what happened


def code_sentence(sentence: Sentence, labels: list[Label], mentions: Mentions,
                  paragraph: list[Sentence] | None = None, language: str = "en") -> list[Coded]:
    """The events ``labels`` describe in ``sentence``, in the order the sentence tells them;
    ``paragraph`` holds the sentences before it in its paragraph (for "the attack" → its date, "the
    report" → who published it). A label whose only trigger anchors the time or cause of the
    sentence ("after the attack") gives no event. Labels on the same words are readings of one act
    (none of the 260 sentences with several events in data/events has two on one trigger): the
    reading the parties fit is kept, else the likelier."""
    readings = [r for r in (_read(sentence, lab, mentions, paragraph or [], language) for lab in labels) if r]
    coded, positions = [], []
    for group in _one_act_per_word(readings):
        best = _likelier(group)
        words = max(group, key=lambda r: (_informative(r.trigger, r.found), r is best))
        found = best.found if words is best else roles(
            sentence, words.trigger, str(best.label.plover), mentions, words.at, paragraph)
        event = _code_one(sentence, best.label, words.trigger, words.at, found, mentions, paragraph or [])
        back = refers_back(words.trigger) or (event.type == "ASSAULT" and claims_back(sentence))
        coded.append(Coded(event, back, any(r.label.trigger is not None for r in group)))
        positions.append(words.at)
    order = sorted(range(len(coded)), key=lambda k: sentence.start if positions[k] is None else positions[k])
    coded, positions = [coded[k] for k in order], [positions[k] for k in order]
    give_fatalities(sentence, [c.event for c in coded], positions)
    return coded


@dataclass
class _Reading:
    """A label with the word chosen to head it, the roles read from there, and the words it covers."""

    label: Label
    trigger: Token | None
    found: Roles
    at: int | None
    words: set[int]


def _read(sentence: Sentence, label: Label, mentions: Mentions, paragraph: list[Sentence],
          language: str) -> _Reading | None:
    """The label's trigger (step 1 of the module docstring) and roles; None for an anchor only."""
    every = trigger_candidates(sentence, label, language)
    candidates = [t for t in every if not _anchoring(t)]
    if every and not candidates:
        return None
    plover = str(label.plover)
    options = [(t, roles(sentence, t, plover, mentions, sentence.offset(t), paragraph)) for t in candidates]
    trigger, found = max(options, key=lambda o: _informative(*o), default=(None, None))
    at = sentence.offset(trigger) if trigger is not None else trigger_position(sentence, label)
    if found is None:
        found = roles(sentence, None, plover, mentions, at, paragraph)
    words = {trigger.i} if trigger is not None else set()
    if label.acled and label.trigger is None and not any(p == plover for p, _, _ in _hits(sentence.text, language)):
        # no word names this typed act, so it was read off the main clause: it must not take the place
        # of the act that clause's verb names ("police fired tear gas" and the protest it dispersed)
        words = set()
    if trigger is not None and label.trigger is not None:
        lo, hi = label.trigger
        words |= {t.i for t in sentence.span if lo <= sentence.offset(t) - sentence.start < hi}
    return _Reading(label, trigger, found, at, words)


def _informative(trigger: Token | None, found: Roles) -> int:
    """How many of the act's parties a trigger's clause names; a word in a relative clause describes
    a party ("the envoy, who left Niamey") and yields to the main act."""
    return bool(found.actors) + bool(found.targets) - (trigger is not None and _in_relative(trigger))


def _one_act_per_word(readings: list[_Reading]) -> list[list[_Reading]]:
    """Readings grouped by shared words: each group is one act."""
    groups: list[list[_Reading]] = []
    for reading in readings:
        joined = [g for g in groups if any(reading.words & r.words for r in g)]
        for g in joined:
            groups.remove(g)
        groups.append([r for g in joined for r in g] + [reading])
    return groups


def _likelier(group: list[_Reading]) -> _Reading:
    """The reading to keep: a sanction when an international body is a party (a member suspended, a
    bloc left: data/events/README.md), another reading when none is; else the classifier's likeliest."""
    types = {str(r.label.plover) for r in group}
    if "SANCTION" in types and len(types) > 1:
        body = any(e.type == "organization" for r in group for e in [*r.found.actors, *r.found.targets])
        fitting = [r for r in group if (str(r.label.plover) == "SANCTION") == body]
        group = fitting or group
    return max(group, key=lambda r: float(r.label.confidence))


def _code_one(sentence: Sentence, label: Label, trigger: Token | None, at: int | None, found: Roles,
              mentions: Mentions, paragraph: list[Sentence]) -> Event:
    claim = read_claim(sentence, trigger, mentions, paragraph)
    if not found.actors and claim.responsibility and claim.claimant is not None:
        found.actors = [claim.claimant]  # "JNIM claimed the attack": the claimant says it did it
    place = best_place(sentence, mentions, at, found)
    if not found.targets:
        found.targets = host(place, str(label.plover), _str(label.mode), found)
    when = event_time(sentence, trigger, mentions, paragraph[-1] if paragraph else None)
    confidence = float(label.confidence) * (FALLBACK_CONFIDENCE if found.guessed else 1.0)
    return Event(
        type=str(label.plover), mode=_str(label.mode), acled_type=_str(label.acled), sentence=sentence.text,
        actors=[e.name for e in found.actors], actor_ids=[e.id for e in found.actors],
        targets=[e.name for e in found.targets], target_ids=[e.id for e in found.targets],
        place=place.name if place else None, place_id=place.id if place else None,
        date=when.value if when else None, date_precision=when.precision if when else None,
        claimed_by=claim.claimed_by, hedged=claim.hedged, negated=claim.negated,
        confidence=round(min(1.0, max(0.0, confidence)), 3), start=sentence.start, end=sentence.end)


def _str(value: str | None) -> str | None:
    return None if value is None else str(value)  # a classifier may hand numpy strings


# ---- trigger ----

def trigger_position(sentence: Sentence, label: Label) -> int | None:
    """The body offset of the label's trigger, or None when the label gives no offsets."""
    if label.trigger is None:
        return None
    return sentence.start + max(0, min(label.trigger[0], len(sentence.text)))


def trigger_candidates(sentence: Sentence, label: Label, language: str = "en") -> list[Token]:
    """The words that may head the label's act: the classifier's, then the lexicon's words of the same
    type, higher in the tree first; without any, the sentence's root: a label that names no word is
    read as the act of the main clause. Empty without a parse."""
    if sentence.span is None:
        return []
    spans = [label.trigger] if label.trigger is not None else []
    spans += [(start, end) for plover, start, end in _hits(sentence.text, language) if plover == label.plover]
    heads: list[Token] = []
    for tok in (_head_of(sentence, lo, hi) for lo, hi in spans):
        if tok is not None and tok not in heads:
            heads.append(tok)
    if heads:
        return [heads[0]] + sorted(heads[1:], key=lambda t: len(list(t.ancestors)))
    return [sentence.span.root]


def _in_relative(tok: Token) -> bool:
    return any(t.dep_ in ("relcl", "acl:relcl") for t in [tok, *tok.ancestors])


def _anchoring(tok: Token) -> bool:
    """A noun that only anchors the time or cause of what the sentence tells ("after the attack",
    "since the coup"): the article codes that act where it reports it (data/events/README.md). So
    does a campaign named inside a phrase ("a partner in the fight against jihadist groups", "dans la
    lutte contre le terrorisme"): a war's name, not one of its acts."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    inside = tok.dep_ in ("pobj", "pcomp", "obl", "nmod")
    words = {tok.head.lower_} if tok.dep_ in ("pobj", "pcomp") else {
        c.lower_ for c in tok.children if c.dep_ in ("case", "fixed", "mark")}
    against = any(c.lower_ in ("against", "contre") for c in tok.children) or any(
        g.lower_ in ("against", "contre") for c in tok.children for g in c.children if c.dep_ == "nmod")
    return bool(words & _ANCHORS) or (inside and tok.lower_ in _CAMPAIGNS and against)


@lru_cache(maxsize=512)
def _hits(text: str, language: str) -> tuple[tuple[str, int, int], ...]:
    """The lexicon's cues in a sentence (type, start, end); asked once per label, found once."""
    from .lexicon import Lexicon

    return tuple((h.cue.plover, h.start, h.end) for h in Lexicon.load().find(text, language))


def _head_of(sentence: Sentence, lo: int, hi: int) -> Token | None:
    """The syntactic head of the tokens that sentence offsets ``lo``–``hi`` cover."""
    assert sentence.span is not None
    covered = [t for t in sentence.span if lo < sentence.offset(t) - sentence.start + len(t)
               and sentence.offset(t) - sentence.start < hi]
    inside = {t.i for t in covered}
    heads = [t for t in covered if t.head.i not in inside or t.head.i == t.i]
    # "exchanged fire" → exchanged; "took … hostage" → took: the verb or noun that heads the phrase
    head = next((t for t in heads if t.pos_ in ("VERB", "NOUN", "PROPN")), heads[0] if heads else None)
    if head is not None and head.dep_ in _FUNCTION_LINKS:
        return head.head  # "will", "has": the verb they serve
    return head


# ---- place ----

def best_place(sentence: Sentence, mentions: Mentions, at: int | None, found: Roles) -> Place | None:
    """The event's place (step 3 of the module docstring); None when the sentence names none."""
    parties = {(s, e) for s, e, ent in mentions.actors_between(sentence.start, sentence.end)
               if ent in found.actors or ent in found.targets}
    here = at if at is not None else sentence.start
    best, best_rank = None, None
    for start, end, place, demonym in mentions.places_between(sentence.start, sentence.end):
        tok = token_at(sentence, start)
        located = tok is not None and locative(tok)
        if (start, end) in parties and not located:
            continue  # "ties with Ukraine": a party, not where it happened
        rank = (demonym, not located, _SPECIFICITY.get(place.kind or "other", 3), abs(start - here))
        if best_rank is None or rank < best_rank:
            best, best_rank = place, rank
    return best


# ---- date ----

# A sentence that refers back to an act or a day already told may take the previous sentence's date.
_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that|le|la|l'|cette|ce|cet)\s*(?:same\s+|même\s+)?(?:attack|assault|ambush|raid|strikes?|"
    r"bombing|blast|explosion|clash|clashes|fighting|incident|offensive|operation|killings?|massacre|"
    r"abduction|kidnapping|withdrawal|coup|protest|day|attaque|embuscade|frappes?|affrontements?|"
    r"opération|enlèvement|retrait|manifestation|jour|jour-là)\b", re.IGNORECASE)


def event_time(sentence: Sentence, trigger: Token | None, mentions: Mentions,
               previous: Sentence | None) -> TimeExpr | None:
    """The time expression that dates the event (step 4 of the module docstring)."""
    own = [t for t in mentions.times if sentence.start <= t.start < sentence.end]
    if own:
        if trigger is None:
            return own[0]
        when = _attached_time(sentence, trigger, own)
        speech, _ = reporting_verb(trigger)
        # an act reported without a date of its own takes the statement's ("the army said on Tuesday it
        # had withdrawn"): as when ACLED dates an event by its report
        while when is None and speech is not None:
            when = _attached_time(sentence, speech, own)
            speech, _ = reporting_verb(speech)
        return when
    if previous is None or not _BACK_REFERENCE.search(sentence.text):
        return None
    before = [t for t in mentions.times if previous.start <= t.start < previous.end]
    root = previous.span.root if previous.span is not None else None
    return (_attached_time(previous, root, before) if root is not None else None) or next(iter(before), None)


def _attached_time(sentence: Sentence, trigger: Token, times: list[TimeExpr]) -> TimeExpr | None:
    """The time whose phrase joins the trigger's chain of governing words nearest to the trigger."""
    chain = governing_chain(trigger)
    scored = []
    for t in times:
        tok = token_at(sentence, t.start)
        depth = attachment(tok, chain) if tok is not None else None
        if depth is not None:
            scored.append((depth, abs(t.start - sentence.offset(trigger)), t.start, t))
    return min(scored, key=lambda s: s[:3])[3] if scored else None

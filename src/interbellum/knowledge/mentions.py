"""Mentions, and the ones made of common words: demonym phrases, possessive states, bare class nouns.

The types every step of linking returns (``ActorMention``, ``PlaceMention``, ``Linked``), and the
rules for phrases that name an actor or a place without a name of the base in them:

- a demonym with a class noun: "Malian troops" → the state's armed forces, "Malian authorities" →
  its government, "the Malian state" → the state; through coordination ("Ukrainian and French
  instructors") and, where the parse goes astray, along the words that follow it;
- a bare demonym names nothing ("a Malian town", "Ukrainian markings");
- two demonyms joined before a border noun ("Malian-Algerian border"): a border toponym, each side's
  demonym a mention of its country;
- a possessive state works like a demonym ("Sudan's army");
- a definite class noun nobody owns ("the army said", "la junte") is a part of the state the story
  is about: the stage settles which once places are resolved.

The word lists are English and French; plurals are listed because the lemmatizer is not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .actors import Actor, KnowledgeBase, normalise
from .ner import ACTOR, PLACE

# Head nouns that make a demonym (or a possessive state) name a part of the state. Plurals listed:
# the lemmatizer is not run.
MILITARY_NOUNS = frozenset({
    "troops", "soldiers", "army", "armies", "forces", "military", "militaries", "instructors",
    "trainers", "servicemen", "units", "unit", "contingent", "contingents", "battalion", "battalions",
    "brigades", "paratroopers", "commandos", "officers", "marines", "navy", "troupes", "soldats",
    "militaires", "armée", "armées", "instructeurs", "formateurs", "unités", "bataillon", "bataillons",
    "officiers", "parachutistes"})
GOVERNMENT_NOUNS = frozenset({
    "government", "governments", "authorities", "officials", "official", "junta", "regime",
    "leadership", "administration", "ministers", "diplomats", "diplomacy", "cabinet", "presidency",
    "gouvernement", "autorités", "officiels", "responsables", "junte", "régime", "dirigeants",
    "pouvoir", "diplomatie", "diplomates", "présidence", "ministres"})
STATE_NOUNS = frozenset({"state", "nation", "republic", "état", "république"})
MINISTRY_NOUNS = frozenset({"ministry", "ministries", "ministère", "ministères"})
DEFENCE_WORDS = frozenset({"defence", "defense", "défense", "armées", "war"})
POLICE_NOUNS = frozenset({"police", "gendarmerie", "gendarmes", "policiers"})
CLASS_NOUNS = MILITARY_NOUNS | GOVERNMENT_NOUNS | STATE_NOUNS | MINISTRY_NOUNS | POLICE_NOUNS
BORDER_NOUNS = frozenset({
    "border", "borders", "frontier", "frontiers", "borderlands", "frontière", "frontières"})
DEMONYM = "DEMONYM"  # a place mention that is a country's demonym: resolved by code, not by name
_BARE = {"army": "military", "military": "military", "forces": "military", "armée": "military",
         "junta": "government", "government": "government", "authorities": "government",
         "junte": "government", "gouvernement": "government", "autorités": "government"}
_DEFINITE = frozenset({"the", "l'", "la", "le", "les"})
_OWNERS = frozenset({"poss", "nmod", "nmod:poss", "compound", "prep", "flat:name", "appos"})
_PERSON_LABELS = frozenset({"PERSON", "PER"})
_COORD = frozenset({"and", "or", ",", "et", "ou"})


@dataclass
class ActorMention:
    """A stretch of the body naming an actor: a base entry, or a new actor with its own name and type."""

    text: str
    start: int
    end: int
    actor: Actor | None = None
    type: str = "other"
    name: str = ""
    country: str | None = None

    @property
    def key(self) -> str:
        return self.actor.id if self.actor else f"{self.type}:{normalise(self.name).casefold()}"


@dataclass
class PlaceMention:
    """A toponym; ``countries`` holds a state's code, or both codes of a border ("Malian-Algerian")."""

    text: str
    start: int
    end: int
    label: str
    countries: tuple[str, ...] = ()


@dataclass
class Linked:
    """What linking found in one text: actor, place and border mentions, and bare class nouns."""

    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    borders: list[PlaceMention] = field(default_factory=list)
    # "the army", "the junta": a part (type military or government) of a state the text does not name
    # there; the stage settles whose, from the state the whole text names most
    bare: list[ActorMention] = field(default_factory=list)

    def focus(self) -> dict[str, float]:
        """Country code → share of the actor mentions affiliated with it: a prior for toponym resolution."""
        counts: dict[str, float] = {}
        for m in self.actors:
            code = m.actor.country if m.actor else m.country
            if code:
                counts[code] = counts.get(code, 0.0) + 1.0
        for p in self.places:
            for code in p.countries:
                counts[code] = counts.get(code, 0.0) + 1.0
        total = sum(counts.values()) or 1.0
        return {code: n / total for code, n in sorted(counts.items(), key=lambda kv: -kv[1])}


def possessed(ent: Span) -> Token | None:
    """The noun a state possesses ("Sudan's army" → army), if ``ent`` is a possessor."""
    root = ent.root
    return root.head if root.dep_ == "poss" and root.head.i >= ent.end else None


def part_mention(words: Span, noun: Token | None, state: Actor, kb: KnowledgeBase) -> ActorMention | None:
    """``words`` as a mention of the part of ``state`` its class ``noun`` says: armed forces ("troops",
    "defence ministry"), government ("authorities", "foreign ministry"), the state itself ("the Malian
    state"), or its police — a new actor, since the base holds no police forces by country."""
    if noun is None:
        return None
    word = noun.lower_
    part: Actor | None = None
    if word in MINISTRY_NOUNS:
        defence = any(c.lower_ in DEFENCE_WORDS for c in noun.subtree)
        part = kb.get(f"{state.id}.{'mil' if defence else 'gov'}")
    elif word in MILITARY_NOUNS:
        part = kb.get(f"{state.id}.mil")
    elif word in GOVERNMENT_NOUNS:
        part = kb.get(f"{state.id}.gov")
    elif word in STATE_NOUNS:
        part = state
    elif word in POLICE_NOUNS:
        demonym = (state.demonyms.get("en") or [state.name])[0]
        return ActorMention(words.text, words.start_char, words.end_char, type="police",
                            name=f"{demonym} {word if word != 'policiers' else 'police'}", country=state.country)
    if part is None:
        return None
    return ActorMention(words.text, words.start_char, words.end_char, part)


# ---- "the army", "the junta" ----

def link_bare(doc: Doc, out: Linked) -> None:
    """A class noun after a definite article with nothing to say whose it is ("the army said", "la
    junte a annoncé"): a part of the state the story is about, settled by the stage."""
    taken = {i for m in out.actors for i in range(m.start, m.end)}
    for tok in doc:
        kind = _BARE.get(tok.lower_)
        if kind is None or tok.ent_type_ or tok.idx in taken or tok.i == 0:
            continue
        det = doc[tok.i - 1]
        if det.lower_ == "armed" and tok.i > 1:  # "the armed forces"
            det = doc[tok.i - 2]
        if normalise(det.lower_) not in _DEFINITE or any(
                c.dep_ in _OWNERS or (c.dep_ == "amod" and c.lower_ != "armed") for c in tok.children):
            continue
        out.bare.append(ActorMention(doc[det.i + 1:tok.i + 1].text, doc[det.i + 1].idx, tok.idx + len(tok),
                                     type=kind))


# ---- demonyms ----

def link_demonyms(doc: Doc, kb: KnowledgeBase, out: Linked) -> None:
    # names of the base and places are read already; a person's name may hold a demonym ("John
    # French"), unless ner took the demonym alone for a name (it tags "Nigerien" PERSON at times)
    taken = {i for e in doc.ents if e.label_ in (ACTOR, PLACE)
             or (e.label_ in _PERSON_LABELS and not kb.demonym_candidates(e.text))
             for i in range(e.start, e.end)}
    i = 0
    while i < len(doc):
        n, state = _demonym_at(doc, i, kb, taken)
        if state is not None:
            _link_demonym(doc[i:i + n], state, kb, out)
        i += n


def _demonym_at(doc: Doc, i: int, kb: KnowledgeBase, taken: set[int] = frozenset()) -> tuple[int, Actor | None]:
    """The longest demonym (up to three words: "Papua New Guinean") starting at token ``i``."""
    for n in (3, 2, 1):
        words = doc[i:i + n]
        if i + n <= len(doc) and not any(t.is_space or t.i in taken for t in words):
            state = kb.by_demonym(words.text)
            if state is not None:
                return n, state
    return 1, None


def _link_demonym(span: Span, state: Actor, kb: KnowledgeBase, out: Linked) -> None:
    doc = span.doc
    end = span.end
    if end + 1 < len(doc) and doc[end].text == "-":  # "Malian-Algerian border"
        n, other = _demonym_at(doc, end + 1, kb)
        after = doc[end + 1 + n] if end + 1 + n < len(doc) else None
        if other is not None and after is not None and after.lower_ in BORDER_NOUNS:
            codes = tuple(c for c in (state.country, other.country) if c)
            out.borders.append(PlaceMention(doc[span.start:after.i + 1].text, span.start_char,
                                            after.idx + len(after), "BORDER", codes))
            # the phrase names the two countries as well: each side's demonym is a mention of one
            for side, country in ((span, state.country), (doc[end + 1:end + 1 + n], other.country)):
                if country:
                    out.places.append(PlaceMention(side.text, side.start_char, side.end_char, DEMONYM,
                                                   (country,)))
            return
    noun = _demonym_head(span, kb)
    if noun is None:
        return
    lo, hi = (span.start, noun.i + 1) if noun.i > span.start else (noun.i, span.end)
    words = doc[lo:hi]
    # the phrase is the mention unless it is shared ("Malian and allied troops"): then the demonym
    if any(t.dep_ == "cc" or t.lower_ in _COORD or t.ent_type_ for t in words if t.i != noun.i
           and t.i not in range(span.start, span.end)):
        words = span
    mention = part_mention(words, noun, state, kb)
    if mention is not None:
        out.actors.append(mention)


def _demonym_head(span: Span, kb: KnowledgeBase) -> Token | None:
    """The noun a demonym describes: its head in the parse, through coordination ("Ukrainian and
    French instructors"); else, where the parse goes astray, the class noun after a run of demonyms,
    adjectives and "and"/","."""
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("amod", "compound", "nmod") and _is_class_noun(tok.head):
        return tok.head
    doc = span.doc
    for t in doc[span.end:min(len(doc), span.end + 5)]:
        if _is_class_noun(t) and t.pos_ in ("NOUN", "PROPN"):  # not "military" in "military company"
            return t
        if not (t.lower_ in _COORD or t.pos_ == "ADJ" or kb.demonym_candidates(t.text)):
            break
    return None


def _is_class_noun(tok: Token) -> bool:
    return tok.lower_ in CLASS_NOUNS

"""Linking: every name the ruler and ``ner`` found, as an actor of the base, a new actor, or a place.

The cascade, for each entity span of the parsed body:
1. ACTOR (an alias of the base): the entry, or for an alias ambiguous.yaml lists, the reading the
   document supports (``_resolve``). A state's name is also a toponym of the country unless the
   state acts there ("Mali severed ties", "Mali's partners"): "in Mali", "ties with Mali" are places.
2. PLACE or GPE/LOC/FAC (LOC in French): a toponym, unless it is a capital standing for its state —
   subject of a verb ("Moscow continues to support"), possessor ("Moscow's commitment"), object of a
   verb aimed at an actor ("accusing Kyiv of"): metonymy. In "in Moscow", "to Bamako" it is a place.
3. PERSON/ORG (PER in French): the base entry with that name, else a new person or organisation.
   A name used as a label on a thing is dropped ("its Telegram channel"), and so is a one-word name
   that is not an acronym or the surname of someone named in full ("the Sahel", "Gunfire"). A new
   person takes the country of the actor or demonym describing them ("Ukrainian military
   intelligence spokesperson Andriy Yusov", "Mali's leader, General X").
4. NORP used as a noun ("the Tuaregs") and not a demonym of the base: a new actor of type other.
Names a longer name crossed in the ruler ("Khalifa Haftar" in "Khalifa Haftar's forces") are linked
as in step 1. Then the phrases of common words (``mentions.py``): demonyms with a class noun ("Malian troops"),
possessive states ("Sudan's army"), border phrases ("Malian-Algerian border") and bare class nouns
("the army"). Without a parse (a language with no model) only steps 1-2 run, on string matches.
"""

from __future__ import annotations

import unicodedata

from spacy.tokens import Doc, Span, Token

from .actors import Actor, KnowledgeBase, is_acronym, normalise
from .mentions import (
    ActorMention,
    Linked,
    PlaceMention,
    link_bare,
    link_demonyms,
    part_mention,
    possessed,
)
from .ner import ACTOR, CROSSING, PLACE

# Without a parse, a state's name is a place only after one of these prepositions.
LOCATIVE = frozenset({
    "in", "inside", "into", "within", "across", "throughout", "from", "near", "at", "around", "outside",
    "towards", "toward", "en", "au", "aux", "dans", "vers", "depuis", "à", "hors"})
_SKIP_LEFT = frozenset({
    "the", "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
    "northeastern", "northwestern", "southeastern", "southwestern", "le", "la", "l'", "du", "nord",
    "sud", "est", "ouest", "centre"})
# A capital that is the subject of these is the city, not its government ("Kyiv sits on the Dnipro").
_PLACE_VERBS = frozenset({
    "lies", "lay", "sits", "sat", "hosts", "hosted", "host", "witnessed", "saw", "sees", "experienced",
    "shook"})
# A capital that possesses these is the city ("Bamako's airport"), not the state ("Moscow's commitment").
_PLACE_PARTS = frozenset({
    "airport", "streets", "street", "outskirts", "suburbs", "suburb", "residents", "inhabitants",
    "population", "people", "mayor", "centre", "center", "districts", "district", "neighbourhoods",
    "neighborhoods", "neighbourhood", "hospitals", "hospital", "markets", "market", "port",
    "university", "skyline", "north", "south", "east", "west", "metro", "river", "region", "province",
    "governor"})
# Stems of verbs whose object is someone who can act (no lemmatizer: "accus" is accuse, accused,
# accusing, accusait): a capital there is its state.
_AT_ACTOR_VERBS = ("accus", "blam", "urg", "warn", "criticis", "criticiz", "condemn", "sanction", "press",
                   "thank", "back", "support", "recogni", "persuad", "convinc", "exhort", "appel", "soutien",
                   "soutenu", "avert", "invit")
# Titles a state's name qualifies ("l'ambassadeur de France"): the state is a party there, not a place.
_TITLES = frozenset({
    "ambassador", "ambassadeur", "ambassadrice", "embassy", "ambassade", "president", "président",
    "minister", "ministre", "envoy", "envoyé", "consul", "partner", "partenaire", "ally", "allié",
    "secretary", "secrétaire", "spokesman", "spokesperson", "porte-parole"})
_PERSON_LABELS = frozenset({"PERSON", "PER"})
_PLACE_LABELS = frozenset({PLACE, "GPE", "LOC", "FAC"})
_NEW_TYPES = {"PERSON": "person", "PER": "person", "ORG": "organization", "NORP": "other"}
_RIVER_WORDS = frozenset({"river", "fleuve", "valley", "basin", "banks", "bank", "delta", "rive", "rives"})


def link(doc: Doc, kb: KnowledgeBase | None = None) -> Linked:
    """Every entity span and demonym phrase of ``doc`` as actor and place mentions."""
    kb = kb or KnowledgeBase.load()
    parsed = doc.has_annotation("DEP")
    out = Linked()
    context = _Context(doc, kb)
    for ent in doc.ents:
        if ent.label_ == ACTOR:
            _link_actor(ent, kb, context, parsed, out)
        elif ent.label_ in _PLACE_LABELS and not kb.demonym_candidates(ent.text):
            _link_place(ent, kb, parsed, out)
        elif ent.label_ in _NEW_TYPES:
            _link_new(ent, kb, parsed, out)
    for span in doc.spans.get(CROSSING, []):
        _link_actor(span, kb, context, parsed, out)
    if parsed:
        link_demonyms(doc, kb, out)
        _settle_new(doc, kb, out)
        link_bare(doc, out)
    out.actors.sort(key=lambda m: m.start)
    return out


# ---- 1. aliases of the base ----

class _Context:
    """What the whole document says, for the rules of ambiguous aliases: its words and its countries."""

    def __init__(self, doc: Doc, kb: KnowledgeBase) -> None:
        self.text = normalise(doc.text).casefold()
        self.countries = {a.country for e in doc.ents if e.label_ == ACTOR and not kb.ambiguity(e.text)
                          for a in kb.lookup(e.text)[:1] if a.country}

    def mentions(self, actor: Actor, surface: str) -> bool:
        """The text names ``actor`` by another of its names or its capital (Brazzaville → cog)."""
        skip = normalise(surface).casefold()
        forms = {normalise(n).casefold() for n in [*actor.names(), *actor.metonyms] if len(n) > 3} - {skip}
        return any(form in self.text for form in forms)


def _resolve(ent: Span, kb: KnowledgeBase, context: _Context) -> Actor | str | None:
    """The entry ``ent`` names; "place" or "person" for a reading outside the base; None for "other".

    The rules of ambiguous.yaml, made general: river words make it a place; a person's name
    running on from it makes it a person; a reading the rest of the text supports (another name of
    it, its capital, or for a non-state its country's actors) beats the default; and an acronym
    whose default is not a state but "other" is possible names the entry only when its country is
    in the story."""
    amb = kb.ambiguity(ent.text)
    if amb is None:
        found = kb.lookup(ent.text)
        return found[0] if found else None
    if "place" in amb.entries and _river(ent):
        return "place"
    if "person" in amb.entries and _next_to_person(ent):
        return "person"
    actors = [a for a in (kb.get(e) for e in amb.entries) if a is not None]
    backed = [a for a in actors if context.mentions(a, ent.text)
              or (a.type != "state" and a.country in context.countries)]
    if len(backed) == 1:
        return backed[0]
    default = kb.get(amb.entries[0])
    if default is None:
        return amb.entries[0]
    if "other" in amb.entries and default.type != "state" and default not in backed:
        return None
    return default


def _river(ent: Span) -> bool:
    """River words next to the name ("Niger River", "fleuve Niger"), or before "the" + name ("the
    banks of the Niger"): a river, not the state."""
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start else ""
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if before in _RIVER_WORDS or after in _RIVER_WORDS:
        return True
    return before == "the" and any(t.lower_ in _RIVER_WORDS for t in doc[max(0, ent.start - 5):ent.start])


def _next_to_person(ent: Span) -> bool:
    doc = ent.doc
    return any(0 <= i < len(doc) and doc[i].ent_type_ in _PERSON_LABELS for i in (ent.start - 1, ent.end))


def _link_actor(ent: Span, kb: KnowledgeBase, context: _Context, parsed: bool, out: Linked) -> None:
    actor = _resolve(ent, kb, context)
    if actor == "place":
        out.places.append(PlaceMention(ent.text, ent.start_char, ent.end_char, PLACE))
        return
    if actor == "person":
        whole = _with_person(ent)
        out.actors.append(ActorMention(whole.text, whole.start_char, whole.end_char, type="person",
                                       name=whole.text))
        return
    if not isinstance(actor, Actor):
        return
    head = possessed(ent) if actor.type == "state" and parsed else None
    part = part_mention(ent.doc[ent.start:head.i + 1], head, actor, kb) if head is not None else None
    if part is not None:  # "Sudan's army", "Russia's defence ministry"
        out.actors.append(part)
        return
    out.actors.append(ActorMention(ent.text, ent.start_char, ent.end_char, actor))
    if actor.type in ("state", "other") and actor.country and _as_place(ent, parsed):
        out.places.append(PlaceMention(ent.text, ent.start_char, ent.end_char, "STATE", (actor.country,)))


def _with_person(ent: Span) -> Span:
    """``ent`` widened over the person's name next to it ("Chad" + "Smith")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start > 0 and doc[start - 1].ent_type_ in _PERSON_LABELS:
        start -= 1
    while end < len(doc) and doc[end].ent_type_ in _PERSON_LABELS:
        end += 1
    return doc[start:end]


def _as_place(ent: Span, parsed: bool) -> bool:
    """A state's name is also a place unless the state acts or is acted on as a party: subject,
    possessor or agent ("Mali severed ties", "Mali's partners", "by Mali"), object of a verb aimed at
    an actor ("accused France"), or the modifier of a name or title ("U.S. Secretary of State",
    "l'ambassadeur de France"); in a coordination, as its first member. Without a parse, only after a
    locative preposition ("in", "from", "au", "en")."""
    if not parsed:
        i = ent.start - 1
        while i >= 0 and ent.doc[i].lower_ in _SKIP_LEFT:
            i -= 1
        return i >= 0 and ent.doc[i].lower_ in LOCATIVE
    root = ent.root
    while root.dep_ in ("conj", "appos") and root.head.i != root.i:
        root = root.head
    dep, head = root.dep_, root.head
    if dep in ("nsubj", "csubj", "poss", "obl:agent", "compound") or (dep == "pobj" and head.dep_ == "agent"):
        return False
    if dep in ("dobj", "obj"):
        return not head.lower_.startswith(_AT_ACTOR_VERBS)
    return not (dep in ("nmod", "amod") and head.lower_ in _TITLES)


# ---- 2. places, and capitals standing for their state ----

def _link_place(ent: Span, kb: KnowledgeBase, parsed: bool, out: Linked) -> None:
    state = kb.by_metonym(ent.text)
    if state is not None and parsed and _metonymic(ent):
        out.actors.append(ActorMention(ent.text, ent.start_char, ent.end_char, state))
        return
    found = kb.lookup(ent.text) if ent.label_ != PLACE else []
    if found and found[0].type not in ("state", "other"):  # ner's GPE on a body of the base ("NATO")
        out.actors.append(ActorMention(ent.text, ent.start_char, ent.end_char, found[0]))
        return
    codes = (found[0].country,) if found and found[0].country else ()
    out.places.append(PlaceMention(ent.text, ent.start_char, ent.end_char, ent.label_, codes))


def _metonymic(ent: Span) -> bool:
    """A capital used as its state: subject of an action, agent, possessor of a non-place noun, or
    object of a verb aimed at an actor ("accusing Kyiv of", "urged Moscow to"); in a coordination,
    as its first member ("Moscow and Pyongyang declined")."""
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    if root.dep_ in ("nsubj", "csubj"):
        return root.head.lower_ not in _PLACE_VERBS
    if root.dep_ == "poss":
        return root.head.lower_ not in _PLACE_PARTS
    if root.dep_ in ("dobj", "obj"):
        return root.head.lower_.startswith(_AT_ACTOR_VERBS)
    return (root.dep_ == "pobj" and root.head.dep_ == "agent") or root.dep_ == "obl:agent"


# ---- 3. new people and organisations ----

def _link_new(ent: Span, kb: KnowledgeBase, parsed: bool, out: Linked) -> None:
    text = _strip_article(ent)
    if text is None or kb.demonym_candidates(text.text):
        return
    found = kb.lookup(text.text)
    if found:
        out.actors.append(ActorMention(text.text, text.start_char, text.end_char, found[0]))
        return
    first = text.text[:1]
    if not (first.isupper() or first.isdigit()) or not any(c.isalpha() for c in text.text):
        return  # "ministre des Affaires étrangères": a title, not a name
    if "-" in text.text and text.text.rsplit("-", 1)[1].islower():
        return  # "Tuareg-led", "Kremlin-backed": a modifier
    kind = _NEW_TYPES[ent.label_]
    root = text.root
    while parsed and root.dep_ == "conj" and root.head.i != root.i:  # "Ukrainian and Western officials"
        root = root.head
    if parsed and root.dep_ in ("amod", "compound", "nmod", "npadvmod") and (kind == "other" or len(text) == 1):
        return  # "jihadist insurgencies", "its Telegram channel": a label on a thing, not an actor
    out.actors.append(ActorMention(text.text, text.start_char, text.end_char, type=kind, name=text.text))


_DETERMINERS = frozenset({"the", "a", "an", "le", "la", "les", "l'", "un", "une", "des"})


def _strip_article(ent: Span) -> Span | None:
    start = ent.start
    while start < ent.end and normalise(ent.doc[start].lower_) in _DETERMINERS:
        start += 1
    end = ent.end
    while end > start and (ent.doc[end - 1].is_punct or ent.doc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    return ent.doc[start:end] if end > start else None


def _settle_new(doc: Doc, kb: KnowledgeBase, out: Linked) -> None:
    """New actors named by one word are kept only as the surname of a person the text names in full
    ("Deby" after "Mahamat Idriss Déby", "Hamza" after "Mahmoud Hamza") or as an acronym ("CSP"):
    one capitalised word alone is as often a region ("the Sahel"), an operation or a ner slip
    ("Gunfire") as an actor. Then new people get a country from what describes them."""
    known = {_surname(m.actor.name): m.actor for m in out.actors if m.actor and m.actor.type == "person"}
    full = {_surname(m.name): m for m in out.actors
            if m.actor is None and m.type == "person" and len(m.name.split()) > 1}
    kept = []
    for m in out.actors:
        if m.actor is None and len(m.name.split()) == 1 and m.type in ("person", "organization"):
            key = _surname(m.name)
            if key in known:
                m.actor = known[key]
            elif key in full:
                m.name, m.type = full[key].name, "person"
            elif not (m.type == "organization" and is_acronym(m.name) and len(m.name) > 1):
                continue
        kept.append(m)
    out.actors = kept
    _give_countries(doc, kb, out)


def _surname(name: str) -> str:
    last = name.split()[-1] if name.split() else ""
    return "".join(c for c in unicodedata.normalize("NFKD", last) if not unicodedata.combining(c)).casefold()


def _give_countries(doc: Doc, kb: KnowledgeBase, out: Linked) -> None:
    by_start = {m.start: m for m in out.actors}
    people = [m for m in out.actors if m.actor is None and m.type == "person"]
    for m in people:
        span = doc.char_span(m.start, m.end)
        if span is not None and m.country is None:
            m.country = _described_country(span, kb, by_start)
    for m in people:  # a surname said before the full name still shares its country
        if m.country is None:
            m.country = next((o.country for o in people if o.key == m.key and o.country), None)


def _described_country(name: Span, kb: KnowledgeBase, by_start: dict[int, ActorMention]) -> str | None:
    """The country of the first actor or demonym in the words that describe ``name``: the noun phrase
    it ends ("Malian President X") and its appositive ("Mali's leader, General X"; "X, Mali's leader";
    "l'ambassadeur de France, X")."""
    doc = name.doc
    root = name.root
    inside = {t.i for t in root.subtree}
    spans = [list(doc[root.left_edge.i:name.start])]
    if root.dep_ == "appos" or (root.dep_ == "flat:name" and root.head.dep_ == "appos"):
        head = root.head if root.dep_ == "appos" else root.head.head
        spans.append([t for t in head.subtree if t.i not in inside and t.i not in range(name.start, name.end)])
    spans += [list(c.subtree) for c in root.children if c.dep_ == "appos"]
    spans.append(_words_before(name))  # where the parse goes astray: "le ministre libanais de la Santé, X"
    for tokens in spans:
        for tok in tokens:
            mention = by_start.get(tok.idx)
            actor = mention.actor if mention else None
            if actor is not None and actor.country:
                return actor.country
            state = kb.by_demonym(tok.text)
            if state is not None and state.country:
                return state.country
    return None


def _words_before(name: Span, limit: int = 8) -> list[Token]:
    """The words just before a name, nearest first, back to a verb or another name in its sentence."""
    out = []
    for tok in reversed(name.doc[max(name.sent.start, name.start - limit):name.start]):
        if tok.pos_ in ("VERB", "AUX") or tok.ent_type_ in _PERSON_LABELS:
            break
        out.append(tok)
    return out

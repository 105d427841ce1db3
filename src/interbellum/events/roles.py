"""Who did it to whom: the actors and targets of an event, read off the dependency tree.

    actor   the entity mentions of the trigger's subject; of its "by"/"par" agent when passive (for
            types whose passive subject is the doer — "troops were deployed" — the subject still);
            for a noun, its possessor, "by X", a name before it ("the JNIM attack"), "of X" for the
            types whose "of X" is the doer ("the withdrawal of X");
    targets the mentions of its objects and of "against/on/with/to X" (through a light object:
            "severed ties with Ukraine"), all of them ("a convoy of Malian and Wagner troops" → both);
            "from X" for a withdrawal; the passive subject of the other types.

A trigger with no subject of its own (gerund, infinitive, participle, a noun after a light verb:
"Wagner announced its withdrawal") takes the subject of the clause it hangs from. A relative pronoun
stands for the noun its clause modifies, "it"/"its" for its antecedent (claims.antecedent), "the group"
or "the junta" for the last party of that kind named shortly before. Two parties that meet or clash
("X and Y met") are each the other's target. A deployment, aid, withdrawal, visit or embassy closure
with no target has the host state as target. Only a role the tree offers no phrase for at all is
guessed from word order (nearest entity before the trigger acts, after it is the target), and a guess
lowers the event's confidence.

Left out of a phrase: mentions in a clause inside it, in the prepositional phrase of an apposition
("X, a unit under the control of Y"), the owner of a tie ("the al-Qaeda affiliate JNIM"), hyphenated
modifiers ("al-Qaeda-linked groups") and toponyms after a locative ("in Mali").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Entity, Place
from .claims import (
    CLAIM,
    OBJECT_LINKS,
    PASSIVE_LINKS,
    PERSONAL,
    SUBJECT_LINKS,
    WHERE,
    antecedent,
    governor,
    locative,
    prepositional,
    subject_of,
    token_at,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .coder import Mentions, Sentence

# Acts done in a host state, whose target is that state when no other is named (``host``).
HOSTED = frozenset({"MOBILIZE", "AID", "COOPERATE", "RETREAT", "SANCTION"})
# Types whose passive subject and "of X" are the doer: "troops were deployed", "the withdrawal of X".
_INTRANSITIVE = frozenset({"MOBILIZE", "RETREAT", "PROTEST", "CONCEDE"})
# Verbs that hand their subject to the act their object names ("JNIM launched an attack", "Wagner
# announced its withdrawal"); stems, since no lemmatizer runs.
_LIGHT = ("launch", "carr", "conduct", "stage", "mount", "complet", "begin", "began", "begun", "start",
          "continu", "announc", "order", "made", "make", "hold", "held", "lead", "led", "undert", "finish",
          "resum", "step", "intensif", "perpetrat", "commit", "execut", "declar", "impos", "sign", "claim",
          "lanc", "men", "effectu", "annonc", "achev", "commis", "commet", "perpétr", "décré", "décid",
          "entam", "poursui", "organis", "revendiqu", "proclam", "initi", "ordonn")
# Nouns whose possessor is the one it happens to ("Sinwar's killing", "son arrestation").
_PATIENT_NOUNS = frozenset({
    "killing", "murder", "assassination", "arrest", "abduction", "kidnapping", "capture", "detention",
    "execution", "death", "expulsion", "release", "assassinat", "arrestation", "enlèvement", "exécution",
    "mort", "libération", "meurtre"})
_TARGET_PREPS = frozenset({"against", "on", "upon", "with", "to", "at", "toward", "towards", "contre", "sur",
                           "avec", "à", "envers", "vers"})
_OF = frozenset({"of", "de", "d'", "du", "des"})
_SIDES = frozenset({"between", "entre", "against", "contre", "with", "avec", "on", "sur"})
_LEAVING = frozenset({"RETREAT", "SANCTION"})
_TAKING = frozenset({"ASSAULT", "COERCE"})
_MUTUAL = ("clash", "fight", "fought", "exchang", "battl", "skirmish", "affront", "accroch", "combat",
           "échang")
# Gatherings whose participants are the subject of the clause they sit in ("at a summit, X decided").
_GATHERING = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Definite descriptions that refer back to the last party of their kind ("the group", "la junte").
_KINDS = {
    **dict.fromkeys(("group", "rebels", "militants", "jihadists", "insurgents", "militia", "militias",
                     "movement", "groupe", "rebelles", "jihadistes", "djihadistes", "insurgés", "milice",
                     "mouvement"), ("armed_group",)),
    **dict.fromkeys(("paramilitaries", "mercenaries", "paramilitaires", "mercenaires"),
                    ("armed_group", "pmc")),
    **dict.fromkeys(("bloc", "organisation", "organization", "alliance", "body", "community", "union",
                     "communauté"), ("organization",)),
    **dict.fromkeys(("junta", "regime", "junte", "régime"), ("government",))}
_DEFINITE = frozenset({"the", "le", "la", "les", "l'", "this", "that", "ce", "cet", "cette"})
COREFERENCE_WINDOW = 1500  # characters back to look for the party "the group" refers to
_RELATIVE = frozenset({"who", "which", "that", "whom", "qui", "que", "lequel", "laquelle", "dont"})
_CLAUSAL_INSIDE = frozenset({"relcl", "acl:relcl", "acl", "advcl", "ccomp", "parataxis"})
_NAMING = ("known", "called", "named", "dubbed", "connu", "appelé", "baptisé", "dénommé")  # "X known as Y"
# Nouns naming a party by its tie to another ("the al-Qaeda affiliate JNIM"): the other is not the party.
_OWNER_LINKS = frozenset({"compound", "poss", "nmod:poss", "prep", "nmod", "amod"})
_RELATIONAL = frozenset({
    "affiliate", "affiliates", "branch", "wing", "offshoot", "splinter", "faction", "ally", "allies",
    "partner", "partners", "rival", "rivals", "subsidiary", "proxy", "proxies", "filiale", "branche", "allié",
    "alliés", "rivaux", "partenaire", "partenaires"})


@dataclass
class Roles:
    actors: list[Entity] = field(default_factory=list)
    targets: list[Entity] = field(default_factory=list)
    guessed: bool = False  # taken from word order, not from the tree


def roles(sentence: Sentence, trigger: Token | None, plover: str, mentions: Mentions, at: int | None = None,
          paragraph: list[Sentence] | None = None) -> Roles:
    """Actors and targets of the event ``trigger`` heads.

    A trigger with no subject of its own (gerund, infinitive, participle, a noun after a light verb)
    takes the subject of the clause it hangs from; a relative pronoun stands for the noun its clause
    modifies, "it"/"its" for its antecedent. Only a role for which the tree offers no phrase at all
    is guessed from word order: the nearest entity before the trigger acts, the nearest after it is
    the target."""
    if trigger is None:
        return _guess(sentence, mentions, at, plover, Roles(), actor=True, target=True)
    actor_phrases, target_phrases = _phrases(trigger, plover)
    found = _resolve(sentence, actor_phrases, mentions, paragraph or [])
    if not found.actors and actor_phrases and trigger.pos_ in ("NOUN", "PROPN"):
        # "announced the withdrawal of the soldiers": unnamed there, the one who announced it
        found.actors = _resolve(sentence, _inherited(trigger, plover), mentions, paragraph or []).actors
    found.targets = [e for e in entities_in(sentence, target_phrases, mentions) if e not in found.actors]
    if not found.targets and len(found.actors) > 1 and _symmetric(trigger, plover):
        found.actors, found.targets = found.actors[:1], found.actors[1:]  # "X and Y met": each the other's
    if refers_back(trigger):  # "condemned the attack": the sentence's other names are not its parties
        return found
    return _guess(sentence, mentions, at, plover, found, actor=not actor_phrases, target=not target_phrases)


def _symmetric(trigger: Token, plover: str) -> bool:
    """Acts two parties do to each other: talks, agreements, cooperation, clashes."""
    return plover in ("CONSULT", "AGREE", "COOPERATE") or (
        plover == "ASSAULT" and trigger.lower_.startswith(_MUTUAL))


def _phrases(trigger: Token, plover: str) -> tuple[list[Token], list[Token]]:
    """The phrases that name the doer and the ones that name the targets of ``trigger``."""
    actors: list[Token] = []
    targets = [c for c in trigger.children if c.dep_ in OBJECT_LINKS]
    passive = any(c.dep_ in PASSIVE_LINKS for c in trigger.children)
    noun = trigger.pos_ in ("NOUN", "PROPN")
    for child in trigger.children:
        if child.dep_ in SUBJECT_LINKS:
            (actors if not passive or plover in _INTRANSITIVE else targets).append(child)
        elif child.dep_ in ("poss", "nmod:poss") or (child.dep_ == "det" and "Yes" in child.morph.get("Poss")):
            (targets if trigger.lower_ in _PATIENT_NOUNS else actors).append(child)
        elif child.dep_ == "compound" and noun:
            actors.append(child)  # "the JNIM attack"
    around = prepositional(trigger)
    if noun and trigger.dep_ in SUBJECT_LINKS:  # "clashes broke out between X and Y"
        around += [(p, n) for p, n in prepositional(trigger.head) if p in _SIDES]
    light = _light_verb(trigger) if noun else None
    if light is not None:  # "launched 472 drones and seven missiles at Ukraine"
        around += [(p, n) for p, n in prepositional(light) if p in _TARGET_PREPS]
    for prep, phrase in around:
        if prep in ("by", "par"):
            actors.append(phrase)
        elif prep in _OF and noun:
            # "the withdrawal of X": X leaves; "the capture of X": X is taken; but "l'attaque du Hamas
            # contre Israël": with a target named apart, "of X" is the one who attacks
            aimed = any(p in _TARGET_PREPS for p, _ in around) and trigger.lower_ not in _PATIENT_NOUNS
            (actors if plover in _INTRANSITIVE or aimed else targets).append(phrase)
        elif prep in ("between", "entre"):  # "clashes between the army and JNIM": the first side acts
            sides = [phrase, *(c for c in phrase.children if c.dep_ == "conj")]
            actors.append(sides[0])
            targets += sides[1:]
        elif prep in _TARGET_PREPS or (prep in ("from", "de", "du", "des") and plover in _LEAVING):
            targets.append(phrase)  # "withdrew from ECOWAS": what one leaves
        elif prep == "from" and plover in _TAKING:
            targets.append(phrase)  # "retook the town from the RSF": whom it was taken from
    for obj in [t for t in targets if t.dep_ in OBJECT_LINKS]:  # "severed ties with Ukraine"
        targets += [n for p, n in prepositional(obj) if p in _TARGET_PREPS]
    if not actors:
        actors = _inherited(trigger, plover)
    for phrase in list(actors):  # "the war between the army and the RSF began…": the first side acts
        sides = [n for p, n in prepositional(phrase) if p in ("between", "entre")]
        if sides and phrase.pos_ == "NOUN":
            both = [sides[0], *(c for c in sides[0].children if c.dep_ == "conj")]
            actors[actors.index(phrase)] = both[0]
            targets += both[1:]
    return actors, targets


def _light_verb(noun: Token) -> Token | None:
    """The light verb whose object ``noun`` is, through a coordination ("launched drones and missiles")."""
    tok = noun
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    head = tok.head
    return head if tok.dep_ in OBJECT_LINKS and head.lower_.startswith(_LIGHT) else None


def _inherited(trigger: Token, plover: str) -> list[Token]:
    """The doer of a trigger without a subject of its own, from the clause that governs it."""
    tok = trigger
    for _ in range(4):
        head = governor(tok)
        if head.i == tok.i:
            return []
        if tok.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            while head.dep_ == "conj" and head.head.i != head.i:  # "X and Western embassies called for"
                head = head.head
            return [head]  # "fighters ambushing a convoy", "a report accusing…"
        noun = tok.pos_ in ("NOUN", "PROPN")
        light = _light_verb(tok) if noun else None
        if light is not None:  # "Wagner announced its withdrawal", "launched drones and missiles"
            subjects = [c for c in light.children if c.dep_ in SUBJECT_LINKS and c.dep_ not in PASSIVE_LINKS]
            return subjects or _inherited(light, plover)
        gathering = noun and plover in _GATHERING and tok.dep_ in ("pobj", "obl", "obl:mod")
        controlled = tok.dep_ in ("xcomp", "advcl", "conj", "pcomp") and tok.pos_ in ("VERB", "AUX")
        if not (gathering or controlled) or any(c.dep_ == "mark" for c in tok.children):
            return []
        subjects = [c for c in head.children if c.dep_ in SUBJECT_LINKS and c.dep_ not in PASSIVE_LINKS]
        if subjects:
            return subjects
        tok = head
    return []


def _resolve(sentence: Sentence, phrases: list[Token], mentions: Mentions,
             paragraph: list[Sentence]) -> Roles:
    """Entities of the actor phrases. With none of its own, a relative pronoun stands for the noun its
    clause modifies; "it", "they", "its troops" for the antecedent; "a report" for the subject of the
    verb it is the object of ("RT published a report accusing…"); "the group", "the junta" for the
    last party of that kind named before (a guess: it lowers the confidence)."""
    out = Roles()
    for phrase in phrases:
        found = entities_in(sentence, [phrase], mentions, head=phrase)
        if not found and phrase.lower_ in _RELATIVE and phrase.head.dep_ in ("relcl", "acl:relcl"):
            found = entities_in(sentence, [phrase.head.head], mentions, head=phrase.head.head)
        owner = next((c for c in phrase.children if c.lower_ in PERSONAL), None)
        pronoun = phrase if phrase.lower_ in PERSONAL else owner
        if not found and pronoun is not None:
            found = antecedent(pronoun, sentence, mentions, paragraph)
        if not found and phrase.pos_ == "NOUN" and phrase.dep_ in OBJECT_LINKS:
            subject = subject_of(phrase.head)
            found = _resolve(sentence, [subject], mentions, paragraph).actors if subject is not None else []
        if not found:
            found = described(phrase, sentence, mentions) or forces_in(phrase, sentence, mentions)
            out.guessed = out.guessed or bool(found)
        out.actors += [e for e in found if e not in out.actors]
    return out


def forces_in(phrase: Token, sentence: Sentence, mentions: Mentions) -> list[Entity]:
    """"Soldiers in Niger", "troops of Chad": the armed forces of the state the phrase places them in."""
    from ..knowledge.actors import KnowledgeBase
    from ..knowledge.mentions import MILITARY_NOUNS

    if phrase.lower_ not in MILITARY_NOUNS:
        return []
    for prep, noun in prepositional(phrase):
        if prep in ("in", "of", "from", "en", "au", "du", "de"):
            for entity in entities_in(sentence, [noun], mentions, head=noun, places_too=True):
                forces = KnowledgeBase.load().get(f"{entity.id}.mil") if entity.type == "state" else None
                if forces is not None:
                    return [Entity(name=forces.name, type=forces.type, id=forces.id, country=forces.country)]
    return []


def described(phrase: Token, sentence: Sentence, mentions: Mentions) -> list[Entity]:
    """The party a definite description refers back to ("the group", "la junte"): the last one of
    that kind named in the COREFERENCE_WINDOW characters before it."""
    kinds = _KINDS.get(phrase.lower_)
    if kinds is None or not any(c.lower_ in _DEFINITE for c in phrase.children):
        return []
    before = sentence.offset(phrase)
    for start, _, entity in reversed(mentions.actors):
        if before - COREFERENCE_WINDOW <= start < before and entity.type in kinds:
            return [entity]
    return []


def entities_in(sentence: Sentence, phrases: list[Token], mentions: Mentions,
                head: Token | None = None, places_too: bool = False) -> list[Entity]:
    """The entities mentioned in ``phrases``, the one at ``head`` first. Left out: mentions in a clause
    or in a prepositional phrase of an apposition within the phrase ("X, a unit under the control of
    Y"), hyphenated modifiers ("al-Qaeda-linked") and toponyms after a locative ("in Mali")."""
    if sentence.span is None or not phrases:
        return []
    tokens: set[int] = set()
    for phrase in phrases:
        tokens |= _phrase_tokens(phrase)
    places = {(s, e) for s, e, _, _ in mentions.places_between(sentence.start, sentence.end)}
    ranked: list[tuple[int, int, Entity]] = []
    for start, end, entity in mentions.actors_between(sentence.start, sentence.end):
        tok = token_at(sentence, start)
        if tok is None or tok.i not in tokens:
            continue
        after = sentence.text[end - sentence.start:end - sentence.start + 2]
        if (len(after) == 2 and after[0] == "-" and after[1].islower()) or (
                not places_too and (start, end) in places and locative(tok, WHERE)):
            continue
        at_head = head is not None and start <= sentence.offset(head) < end
        ranked.append((0 if at_head else 1, start, entity))
    out: list[Entity] = []
    for _, _, entity in sorted(ranked, key=lambda r: r[:2]):
        if entity not in out:
            out.append(entity)
    return out


def _phrase_tokens(phrase: Token) -> set[int]:
    """The phrase's tokens without what describes the party by naming others: the clauses inside it,
    the prepositional phrases of an apposition ("X, a unit under the control of Y"), the owner of a
    tie ("the al-Qaeda affiliate JNIM", "JNIM, al-Qaeda's affiliate")."""
    out = set()
    stack = [(phrase, False)]
    while stack:
        tok, in_appos = stack.pop()
        if tok is not phrase and ((tok.dep_ in _CLAUSAL_INSIDE and not tok.lower_.startswith(_NAMING))
                                  or (in_appos and tok.dep_ in ("prep", "nmod", "acl"))
                                  or (tok.head.lower_ in _RELATIONAL and tok.dep_ in _OWNER_LINKS)):
            continue
        out.add(tok.i)
        stack += [(c, in_appos or tok.dep_ == "appos") for c in tok.children]
    return out


def _guess(sentence: Sentence, mentions: Mentions, at: int | None, plover: str, found: Roles,
           actor: bool, target: bool) -> Roles:
    """Roles the tree left open, from word order: nearest entity before / after the trigger."""
    if at is None:
        return found
    candidates = [(s, e) for s, _, e in mentions.actors_between(sentence.start, sentence.end)
                  if not _toponym(sentence, s, mentions)]
    before = [e for s, e in candidates if s < at and e not in found.targets]
    if actor and not found.actors and before:
        found.actors, found.guessed = [before[-1]], True
    after = [e for s, e in candidates if s > at and e not in found.actors]
    if target and not found.targets and plover not in _INTRANSITIVE and after:
        found.targets, found.guessed = [after[0]], True
    return found


def _toponym(sentence: Sentence, start: int, mentions: Mentions) -> bool:
    if not any(s == start for s, _, _, _ in mentions.places):
        return False
    tok = token_at(sentence, start)
    if tok is not None:
        return locative(tok, WHERE)
    words = sentence.text[:start - sentence.start].split()
    return bool(words) and words[-1].lower() in ("in", "near", "at", "dans", "à", "au", "en", "près", "de")


def host(place: Place | None, plover: str, mode: str | None, found: Roles) -> list[Entity]:
    """The state a deployment, aid, withdrawal, visit or embassy closure happens in (a country, or its
    capital), unless it is the actors' own: forces arrive in, help, leave or visit that state."""
    hosted = plover in HOSTED or (plover == "CONSULT" and mode == "visit")
    if place is None or not place.country or not hosted:
        return []
    if any(e.country == place.country for e in found.actors):
        return []
    from ..knowledge.actors import KnowledgeBase

    state = KnowledgeBase.load().get(place.country.lower())
    if state is None or not (place.kind == "country" or _same(place.name, state.capital)):
        return []
    return [Entity(name=state.name, type=state.type, id=state.id, country=state.country)]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.casefold() == b.casefold()


def refers_back(trigger: Token | None) -> bool:
    """The trigger is a definite noun with nothing of its own ("the attack", "l'attaque"): an act the
    article may have told already."""
    if trigger is None or trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    owned = any(c.dep_ in ("poss", "nmod:poss") for c in trigger.children)
    if owned or any(p in _OF for p, _ in prepositional(trigger)):
        return False  # "the withdrawal of the soldiers", "its attack": described anew, not referred to
    if trigger.doc.lang_ == "fr" and "Plur" in trigger.morph.get("Number"):
        return False  # French "les attaques" is as often generic as anaphoric
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in trigger.children)


def claims_back(sentence: Sentence) -> bool:
    """The sentence claims an act told before ("JNIM claimed the attack and said it had killed 300",
    "the group claimed responsibility (for the attack)"): a claim verb whose object is "the attack",
    or "responsibility" for nothing named or for "the attack". The violence it reports is that act,
    not a new one (a claim of responsibility is a field of the act: data/events/README.md)."""
    if sentence.span is None:
        return False
    for verb in sentence.span:
        if verb.pos_ != "VERB" or not verb.lower_.startswith(CLAIM):
            continue
        for obj in verb.children:
            if obj.dep_ not in ("dobj", "obj"):
                continue
            if refers_back(obj):
                return True
            if obj.lower_ in ("responsibility", "responsabilité"):
                acts = [t for t in obj.subtree if t.head.head == obj and t.head.dep_ in ("prep", "case")
                        or t.dep_ == "nmod" and t.head == obj]
                if not acts or any(refers_back(t) for t in acts):  # "... for the attack", not "for an attack on X"
                    return True
    return False

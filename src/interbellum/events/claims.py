"""How a sentence holds an event: who says it happened, how sure it is, whether it happened at all.

- ``claimed_by``: the speaker of a reporting verb the event hangs from ("…, the army said", "Yusov
  claimed credit for providing…", "RT published a report accusing…", "the group said on Telegram"),
  or the source of "according to X" / "selon X" / "citing X". A claim of responsibility ("JNIM
  claimed the attack", "an attack claimed by JNIM") also sets ``responsibility``: the coder makes the
  claimant the actor when the sentence names none. "The report" stands for whoever published it
  earlier in the paragraph; "it" and "they" for the subject they refer back to (``antecedent``).
- ``hedged``: allegedly, reportedly, suspected, unconfirmed, may have, the French conditional
  ("auraient tué") — when the word bears on the event's own clause or one it hangs from.
- ``negated``: a negation of the trigger's clause ("did not sign", "n'a pas signé"), "no troops were
  deployed", or a denial the event hangs from ("the army denied that…"; the denier is the claimant).

The tree walks at the top say which words of a sentence bear on a trigger (its scope); the coder
dates events with the same walks. Both spaCy schemes are read: English (ClearNLP labels, prepositions
head their noun) and French (Universal Dependencies, the noun heads its "case" preposition). Without a
parse, word lists on the sentence text stand in for the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..model import Entity
    from .coder import Mentions, Sentence

# Links after which a word heads a clause of its own: a time, hedge or negation on the far side
# belongs to that other clause ("troops, who had been deployed since 2013, completed…").
CLAUSE_LINKS = frozenset({"ccomp", "relcl", "acl:relcl", "parataxis", "csubj", "pcomp"})
# Subordinators that give an adverbial clause a time of its own ("after the army pulled out").
_SUBORDINATORS = frozenset({
    "after", "before", "since", "when", "while", "as", "because", "although", "though", "until", "once",
    "whereas", "après", "avant", "depuis", "quand", "lorsque", "alors", "puisque", "bien", "tandis"})
SUBJECT_LINKS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj", "csubjpass", "expl:subj"})
PASSIVE_LINKS = frozenset({"nsubjpass", "nsubj:pass", "auxpass", "aux:pass", "csubjpass"})
OBJECT_LINKS = frozenset({"dobj", "obj", "dative", "iobj", "oprd"})
_UD_OBLIQUE = frozenset({"obl", "obl:arg", "obl:mod", "obl:agent", "nmod"})
LOCATIVE = frozenset({
    "in", "inside", "into", "within", "near", "at", "around", "outside", "across", "throughout", "along",
    "towards", "toward", "dans", "à", "au", "aux", "en", "près", "vers", "autour"})
# Of those, the ones that say only where: a state after them is a place, not a party ("in Mali"; but
# "fired at Israel", "l'accord qui le lie à la France").
WHERE = LOCATIVE - {"at", "à", "towards", "toward", "vers"}
PERSONAL = frozenset({
    "it", "its", "they", "their", "them", "he", "his", "she", "her", "il", "elle", "ils", "elles", "son",
    "sa", "ses", "leur", "leurs", "lui"})

# Verbs whose complement a speaker asserts; stems, since no lemmatizer runs.
_SAY = ("said", "say", "says", "saying", "claim", "report", "state", "told", "tell", "add", "allege",
        "announc", "assert", "insist", "confirm", "accus", "acknowledg", "admit", "explain", "suggest",
        "dit", "déclar", "affirm", "indiqu", "annonc", "assur", "revendiqu", "précis", "reconn", "expliqu",
        "estim", "rapport")
_DENY = ("denied", "deny", "denies", "reject", "dismiss", "refut", "dément", "démenti", "nié", "nie", "rejet")
CLAIM = ("claim", "revendiqu")
_REPORTS = frozenset({"report", "statement", "video", "communique", "communiqué", "rapport", "déclaration",
                      "vidéo", "message"})
_RESPONSIBILITY = frozenset({"responsibility", "credit", "responsabilité", "paternité"})
_SOURCE_PREPS = ("according to", "citing", "quoting", "selon", "d'après", "citant")
_HEDGE_WORDS = frozenset({
    "allegedly", "reportedly", "suspected", "purportedly", "apparently", "unconfirmed", "alleged", "presumed",
    "présumé", "présumés", "présumée", "présumées", "apparemment", "vraisemblablement", "supposés",
    "prétendument"})
_HEDGE_PHRASES = re.compile(
    r"\b(?:may|might|could)\s+have\b|\bcould\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)\b|"
    r"\bsaid\s+to\s+have\b|\bbelieved\s+to\b|\bnon\s+confirmé|\bimpossibles?\s+à\s+vérifier\b", re.IGNORECASE)
_NEGATORS = frozenset({"not", "n't", "never", "pas", "jamais", "point", "guère"})
_NO_WORDS = frozenset({"no", "aucun", "aucune", "nul", "nulle"})
_NEGATION_TEXT = re.compile(r"\b(?:not|never|n't|denied|denies|pas|jamais|démenti|dément)\b", re.IGNORECASE)
_ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l'", "un", "une", "des", "du"})


# ---- scope: which words bear on a trigger ----

def token_at(sentence: Sentence, offset: int) -> Token | None:
    """The token of ``sentence``'s parse that covers body ``offset``."""
    if sentence.span is None:
        return None
    for tok in sentence.span:
        if sentence.offset(tok) <= offset < sentence.offset(tok) + max(1, len(tok)):
            return tok
    return None


def preposition(tok: Token) -> str:
    """The preposition that introduces ``tok`` ("in", "according to", "près de"), or ""."""
    if tok.dep_ in ("pobj", "pcomp") and tok.head.dep_ in ("prep", "agent"):
        word = tok.head.lower_ if tok.head.dep_ == "prep" else "by"
        above = tok.head.head
        return f"{above.lower_} {word}" if above.dep_ == "prep" and above.lower_ == "according" else word
    return " ".join(c.lower_ for c in tok.children if c.dep_ in ("case", "fixed") and c.i < tok.i)


def governor(tok: Token) -> Token:
    """The word a phrase hangs from: past the preposition in English, the head in UD."""
    head = tok.head
    return head.head if head.dep_ in ("prep", "agent") and tok.dep_ in ("pobj", "pcomp") else head


def prepositional(tok: Token) -> list[tuple[str, Token]]:
    """The (preposition, noun) phrases attached to ``tok``."""
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent"):
            out += [(preposition(g), g) for g in child.children if g.dep_ in ("pobj", "pcomp")]
        elif child.dep_ in _UD_OBLIQUE:
            out.append(("par" if child.dep_ == "obl:agent" else preposition(child), child))
    return out


_PART_OF_PLACE = frozenset({"appos", "compound", "conj", "poss"})


def locative(tok: Token, words_of_place: frozenset[str] = LOCATIVE) -> bool:
    """``tok`` names where: after "in/near/at…", also through "the town of X", "in X's capital" and
    appositions."""
    for _ in range(4):
        words = preposition(tok).split()
        if words and (words[0] in words_of_place or words[-1] in words_of_place):
            return True
        if words in (["of"], ["de"], ["d'"], ["du"], ["des"]) or tok.dep_ in _PART_OF_PLACE:
            tok = governor(tok)
        else:
            return False
    return False


def _bounded(tok: Token) -> bool:
    """Going up from ``tok`` leaves its clause for another ("said that X", "troops who X", "after X")."""
    if tok.dep_ in CLAUSE_LINKS:
        return True
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in tok.children)


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the words above it up to the first clause boundary, nearest first."""
    chain = [trigger]
    tok = trigger
    while tok.head.i != tok.i and not _bounded(tok):
        tok = tok.head
        chain.append(tok)
    return chain


def attachment(tok: Token, chain: list[Token]) -> int | None:
    """How far up ``chain`` the phrase of ``tok`` joins it (0: on the trigger), or None when it joins
    through another verb's clause first."""
    where = {t.i: n for n, t in enumerate(chain)}
    for steps in range(50):
        if tok.i in where:
            return where[tok.i]
        if tok.head.i == tok.i or (steps and _clause_head(tok)) or _bounded(tok):
            return None
        tok = tok.head
    return None


def _clause_head(tok: Token) -> bool:
    """A verb that heads a clause; "according", "following" tagged as verbs head prepositions."""
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("prep", "agent", "case", "mark")


def bears_on(tok: Token, trigger: Token) -> bool:
    """A word in the trigger's own clause or in a clause the trigger hangs from without a boundary."""
    return attachment(tok, governing_chain(trigger)) is not None


def subject_of(verb: Token) -> Token | None:
    """The active subject of ``verb`` or its agent; for a participle or infinitive without one, the
    subject of the verb it depends on; for "a report accusing…", the report."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
        if child.dep_ == "obl:agent":
            return child
    # the nearest one: a dateline the parser hung on the verb ("PORT SUDAN … - Sudan's army said") is farther
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_LINKS and c.dep_ not in PASSIVE_LINKS]
    subject = min(subjects, key=lambda c: abs(c.i - verb.i), default=None)
    if subject is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if subject is None and verb.dep_ in ("xcomp", "advcl", "conj") and verb.head.i != verb.i:
        return subject_of(verb.head)
    return subject


def antecedent(pronoun: Token, sentence: Sentence, mentions: Mentions,
               paragraph: list[Sentence]) -> list[Entity]:
    """Who "it", "they", "its" stand for: the subject of a clause above it in the sentence ("Israel
    said that its troops…"), else the subject of the previous sentence of the paragraph."""
    from .roles import described, entities_in, forces_in

    tok = pronoun
    while tok.head.i != tok.i:
        tok = tok.head
        subject = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else None
        if subject is not None and subject.i not in {t.i for t in pronoun.ancestors} | {pronoun.i}:
            # "soldiers in Niger said they had…", "the group said it…": as the subject would be read
            found = (entities_in(sentence, [subject], mentions, head=subject)
                     or forces_in(subject, sentence, mentions) or described(subject, sentence, mentions))
            if found:
                return found
    if paragraph and paragraph[-1].span is not None:
        before = paragraph[-1]
        subject = subject_of(before.span.root)
        if subject is not None:
            return entities_in(before, [subject], mentions, head=subject)
    return []


# ---- the claim ----

@dataclass
class Claim:
    claimed_by: str | None = None
    claimant: Entity | None = None  # the claimant as an entity of the document, when it is one
    responsibility: bool = False
    hedged: bool = False
    negated: bool = False


def read_claim(sentence: Sentence, trigger: Token | None, mentions: Mentions,
               paragraph: list[Sentence]) -> Claim:
    """Attribution, hedging and negation of the event whose trigger is ``trigger``."""
    if trigger is None:
        return _read_flat(sentence, mentions)
    claim = Claim()
    speaker = _speaker(trigger, claim) or _source_phrase(sentence, trigger)
    if speaker is not None:
        claim.claimant, claim.claimed_by = _who(speaker, sentence, mentions, paragraph)
    claim.hedged = _hedged(sentence, trigger)
    claim.negated = claim.negated or _negated(trigger)
    return claim


def _speaker(trigger: Token, claim: Claim) -> Token | None:
    """The subject (or agent) of the nearest reporting verb the trigger hangs from, or who published
    the report it is told in ("RT published a report accusing…")."""
    report = next((t.head for t in [trigger, *trigger.ancestors]
                   if t.dep_ == "acl" and t.head.lower_ in _REPORTS), None)
    if report is not None and report.dep_ in OBJECT_LINKS:
        return subject_of(report.head)
    verb, below = reporting_verb(trigger)
    while verb is not None and below is not None:
        claim.negated = claim.negated or verb.lower_.startswith(_DENY)
        claim.responsibility = verb.lower_.startswith(CLAIM) and _claims_act(verb, below)
        who = subject_of(verb)
        if who is not None:
            return who
        verb, below = reporting_verb(verb)
    return None


def reporting_verb(trigger: Token) -> tuple[Token | None, Token | None]:
    """The nearest verb of saying, claiming or denying above ``trigger``, and its child on the way."""
    below, tok = trigger, trigger.head
    for _ in range(12):
        if tok.i == below.i:
            break
        if tok.pos_ in ("VERB", "AUX") and (tok.lower_.startswith(_SAY) or tok.lower_.startswith(_DENY)):
            return tok, below
        below, tok = tok, tok.head
    return None, None


def _claims_act(verb: Token, below: Token) -> bool:
    """"claimed responsibility for the attack", "claimed the attack", "the attack was claimed by X"."""
    if any(c.lower_ in _RESPONSIBILITY for c in verb.children):
        return True
    return below.dep_ in ("dobj", "obj", "nsubjpass", "nsubj:pass")


def _source_phrase(sentence: Sentence, trigger: Token) -> Token | None:
    """The noun of "according to X", "citing X", "selon X", if it bears on the trigger."""
    assert sentence.span is not None
    for tok in sentence.span:
        if preposition(tok) in _SOURCE_PREPS and bears_on(tok, trigger):
            return tok
        if tok.lower_ in ("citing", "quoting", "citant") and tok.pos_ == "VERB" and bears_on(tok, trigger):
            return next((c for c in tok.children if c.dep_ in OBJECT_LINKS), None)
    return None


def _who(phrase: Token, sentence: Sentence, mentions: Mentions,
         paragraph: list[Sentence]) -> tuple[Entity | None, str | None]:
    """The entity a speaker phrase names (the one at its head first), else who "it" or "they" stands
    for, who published "the report" earlier in the paragraph, or the last group "the group" can be;
    else the phrase's own words."""
    from .roles import described, entities_in

    if not sentence.start <= sentence.offset(phrase) < sentence.end:
        return None, None  # the parse hung the speaker on a dateline or a previous line
    found = entities_in(sentence, [phrase], mentions, head=phrase)
    owner = next((c for c in phrase.children if c.lower_ in PERSONAL), None)
    pronoun = phrase if phrase.lower_ in PERSONAL else owner
    if not found and pronoun is not None:  # "it said", "its spokesman said"
        found = antecedent(pronoun, sentence, mentions, paragraph)
    if not found and phrase.pos_ == "NOUN":
        found = next(([p] for s in reversed(paragraph) if (p := _publisher(s, phrase.lower_, mentions))), [])
    if not found:
        found = described(phrase, sentence, mentions)  # "the group said on Telegram"
    if found:
        return found[0], found[0].name
    words = [t for t in phrase.subtree if sentence.start <= sentence.offset(t) < sentence.end
             and not (t.i == phrase.left_edge.i and t.lower_ in _ARTICLES)]
    return None, "".join(t.text_with_ws for t in words).strip() or phrase.text


def _publisher(sentence: Sentence, noun: str, mentions: Mentions) -> Entity | None:
    """Who, in ``sentence``, published or issued the ``noun`` ("RT published a report")."""
    from .roles import entities_in

    for tok in sentence.span if sentence.span is not None else ():
        if tok.lower_ == noun and tok.dep_ in OBJECT_LINKS:
            subject = subject_of(tok.head)
            found = entities_in(sentence, [subject], mentions, head=subject) if subject is not None else []
            if found:
                return found[0]
    return None


def _hedged(sentence: Sentence, trigger: Token) -> bool:
    assert sentence.span is not None
    for tok in sentence.span:
        conditional = "Cnd" in tok.morph.get("Mood")  # French conditional: "auraient tué"
        if (tok.lower_ in _HEDGE_WORDS or conditional) and bears_on(tok, trigger):
            return True
    return bool(_HEDGE_PHRASES.search(sentence.text))


def _negated(trigger: Token) -> bool:
    """A negation of the trigger's clause or of the light verb whose object it is, or "no troops"."""
    clause = trigger.head if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in OBJECT_LINKS else trigger
    if any(c.dep_ in ("neg", "advmod") and c.lower_ in _NEGATORS for c in clause.children):
        return True
    subject = next((c for c in clause.children if c.dep_ in SUBJECT_LINKS), None)
    return any(c.dep_ == "det" and c.lower_ in _NO_WORDS
               for c in [*trigger.children, *(subject.children if subject is not None else ())])


def _read_flat(sentence: Sentence, mentions: Mentions) -> Claim:
    """Without a parse: the same cues read off the words of the whole sentence."""
    claim = Claim()
    lowered = sentence.text.lower()
    claim.hedged = bool(set(re.findall(r"[\w'’-]+", lowered)) & _HEDGE_WORDS
                        or _HEDGE_PHRASES.search(sentence.text))
    claim.negated = bool(_NEGATION_TEXT.search(sentence.text))
    at = next((i for p in _SOURCE_PREPS if (i := lowered.find(p)) >= 0), -1)
    after = mentions.actors_between(sentence.start + at, sentence.end) if at >= 0 else []
    if after:
        claim.claimant = after[0][2]
        claim.claimed_by = claim.claimant.name
    return claim

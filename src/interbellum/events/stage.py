"""The events stage ("events.v1"): every act an article reports, coded sentence by sentence.

    Document (after knowledge.v1) ──► sentences (the knowledge stage's parses; paragraphs never merge)
             ──► classify (events/classify.py: one batch per document)
             ──► code each labelled sentence (coder.py: roles, place, date, fatalities; claims.py)
             ──► fold an act told again ("JNIM claimed the attack"), or told on with nothing of its own
                 ("residents reported heavy gunfire"), into its first telling; merge repeats;
                 leave out an event that names no party, place, date or toll
             ──► who says so: the outlet's and the credited agency's state affiliation (knowledge base)

A sentence that cannot be coded is logged and skipped; an article with no events gets ``[]``. Without
the knowledge stage's parses (a language with no model), sentences are cut on punctuation and roles
come from word order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..model import Article, Document, Event
from ..pipeline import Stage, stages
from .classify import EVENT_MIN
from .coder import Label, Mentions, Sentence, code_sentence

if TYPE_CHECKING:
    from ..knowledge.actors import KnowledgeBase

log = logging.getLogger(__name__)

Predict = Callable[[list[str], str], list[list[Label]]]
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(]?[A-ZÀ-Ý0-9])")
_ENDED = re.compile(r"[.!?…:;\"'”»)\]]\s*$")
# "JERUSALEM (AP) — ", "MOGADISHU, Aug 3 (Reuters) - ": the wire's place and name before the first sentence.
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’.\- ]{1,40}(?:,\s*[A-Z][\w'’.\- ]{1,30}?)*"
                       r"\s*\([A-Za-z][\w .&-]{0,30}\)\s*[—–-]+\s*")
# Longer sentences are run-on text (tables, lists, a dump's footer), not wire prose.
MAX_SENTENCE_CHARS = 1200


@stages.register("events.v1")
def events_stage() -> Stage:
    """The stage factory: the classifier loads (or trains) with the first document."""
    return EventStage()


class EventStage:
    """Document → Document with ``events`` and the article's state-affiliation fields filled.

    ``predict`` is a classifier's ``predict`` (sentences, language) → labels per sentence; the
    default is that of the classifier named by ``$INTERBELLUM_EVENT_CLASSIFIER``, else of
    "events.classifier.tfidf.v1" (``classify.predictor``)."""

    def __init__(self, predict: Predict | None = None) -> None:
        self._predict = predict

    def __call__(self, doc: Document) -> Document:
        from ..knowledge.actors import KnowledgeBase

        set_affiliation(doc.article, KnowledgeBase.load())
        sentences = list(split_sentences(doc))
        labels = self._labels(sentences, doc.article.language)
        doc.events = code_events(sentences, labels, Mentions.of(doc), doc.article.language)
        return doc

    def _labels(self, sentences: list[Sentence], language: str) -> list[list[Label]]:
        predict = self._predict
        if predict is None:
            from .classify import predictor

            predict = self._predict = predictor()
        texts = [s.text for s in sentences]
        try:
            return list(predict(texts, language))
        except Exception:  # one bad sentence must not cost the article its events: find it, skip it
            log.warning("event classifier failed on a batch; retrying sentence by sentence", exc_info=True)
        out: list[list[Label]] = []
        for text in texts:
            try:
                out.append(list(predict([text], language)[0]))
            except Exception:
                log.warning("event classifier failed on a sentence; skipped: %.80r", text, exc_info=True)
                out.append([])
        return out


def code_events(sentences: list[Sentence], labels: list[list[Label]], mentions: Mentions,
                language: str = "en") -> list[Event]:
    """The events of the labelled sentences, in text order; a sentence that fails is skipped. An act
    the article already told ("JNIM claimed the attack") is folded into its first telling."""
    events: list[Event] = []
    paragraph: list[Sentence] = []
    for sentence, found in zip(sentences, labels, strict=True):
        if paragraph and paragraph[-1].paragraph != sentence.paragraph:
            paragraph = []
        try:
            coded = code_sentence(sentence, found, mentions, paragraph, language) if found else []
        except Exception:  # a parse or a label we did not foresee: the rest of the article goes on
            log.warning("could not code the sentence at %d; skipped", sentence.start, exc_info=True)
            coded = []
        back = {id(c.event) for c in coded if c.refers_back}
        worded = {id(c.event) for c in coded if c.worded}
        for event in merge_repeats([c.event for c in coded]):
            told = _told_before(event, events) if id(event) in back else _same_act(event, events)
            if told is not None:
                _fold_into(told, event)
            elif countable(event, id(event) in worded):
                events.append(event)
        paragraph.append(sentence)
    return events


def countable(event: Event, worded: bool = True) -> bool:
    """An event says at least who, to whom, where, when or how many died, or it is an act ACLED records
    (it has an ACLED type) told in a word that says what happened (``worded``: a trigger the classifier
    or the lexicon knows) or read with the confidence any event needs (``EVENT_MIN``). ACLED counts a
    bombing, a protest or an arrest even when the text only describes its parties ("gunmen",
    "protesters", "police": Unidentified Armed Group, Protesters, Police Forces), so such an act stays;
    a verbal act that names none of these cannot be counted, mapped or attributed, and is left out,
    and so is a type guessed off a sentence's topic alone ("'Our mission continues,' the statement
    read"). (Dropping the ACLED-typed ones cost 0.05 weighted F1 on CASE 2021, whose snippets rarely
    name a party the knowledge base knows.)"""
    sure = (event.confidence or 0.0) >= EVENT_MIN
    return bool((event.acled_type and (worded or sure)) or event.actors or event.targets or event.place
                or event.date or event.fatalities is not None)


def _same_act(event: Event, events: list[Event]) -> Event | None:
    """The act a violent event with no party, date or toll of its own continues ("residents reported
    heavy gunfire and explosions" after "gunmen attacked the base"): the last one told of its type and
    ACLED type; None for an event that says who, whom, when or how many."""
    if event.type != "ASSAULT" or event.actors or event.targets or event.date or event.negated \
            or event.fatalities is not None:
        return None
    told = _told_before(event, events)
    return told if told is not None and event.acled_type in (None, told.acled_type) else None


def _told_before(event: Event, events: list[Event]) -> Event | None:
    """The act "the attack" refers back to: the last event of its type already coded, if any."""
    return next((e for e in reversed(events) if e.type == event.type and not e.negated), None)


def _fold_into(told: Event, event: Event) -> None:
    """What a sentence referring back adds to the act it refers to: who claims it ("JNIM claimed the
    attack": the claimant, also as actor when none was named), the toll, a date, the targets. It is
    not a second event (data/events/README.md: a claim of responsibility is a field of the act)."""
    if event.claimed_by and not told.claimed_by:
        told.claimed_by = event.claimed_by
    if event.actors and not told.actors:
        told.actors, told.actor_ids = event.actors, event.actor_ids
    if event.targets and not told.targets:
        told.targets, told.target_ids = event.targets, event.target_ids
    if told.fatalities is None:
        told.fatalities = event.fatalities
    if told.date is None and event.date is not None:
        told.date, told.date_precision = event.date, event.date_precision


def merge_repeats(events: list[Event]) -> list[Event]:
    """One event per (type, actors, targets) within a sentence: the most confident reading."""
    best: dict[tuple[Any, ...], Event] = {}
    for event in events:
        key = (event.type, tuple(event.actors), tuple(event.targets))
        if key not in best or (event.confidence or 0) > (best[key].confidence or 0):
            best[key] = event
    return [e for e in events if best[(e.type, tuple(e.actors), tuple(e.targets))] is e]


# ---- sentences ----

def split_sentences(doc: Document) -> Iterator[Sentence]:
    """The body's sentences with body offsets and paragraph numbers, from the knowledge stage's parses
    when there are any. A sentence never runs across a paragraph break; a piece the parser cut off
    without end punctuation ("L'état" | "-major a confirmé…") is joined to the next; a wire dateline
    ("BAMAKO (AFP) —") is not part of the sentence it opens."""
    body = doc.article.body
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", body)]
    parses = doc.annotations.get("parses") or [(0, None)]
    for base, parsed in parses:
        text = parsed.text if parsed is not None else body
        if parsed is not None and parsed.has_annotation("DEP"):
            cuts = [(base + s.start_char, base + s.end_char) for s in parsed.sents]
        else:
            cuts = [(base + a, base + b) for a, b in _flat_sentences(text)]
            parsed = None
        pieces = [p for a, b in cuts for p in _within_paragraphs(body, a, b, breaks)]
        for lo, hi in _joined(body, pieces, breaks):
            lo += _dateline_length(body[lo:hi])
            if lo >= hi or hi - lo > MAX_SENTENCE_CHARS:
                continue
            span = None if parsed is None else parsed.char_span(lo - base, hi - base, alignment_mode="expand")
            yield Sentence(text=body[lo:hi], start=lo, end=hi, paragraph=_paragraph(breaks, lo), span=span,
                           base=base)


def _joined(body: str, pieces: list[tuple[int, int]], breaks: list[int]) -> Iterator[tuple[int, int]]:
    """Pieces of one paragraph joined until one ends with end punctuation."""
    current: tuple[int, int] | None = None
    for lo, hi in pieces:
        if current is not None and _paragraph(breaks, current[0]) == _paragraph(breaks, lo):
            current = (current[0], hi)
        else:
            if current is not None:
                yield current
            current = (lo, hi)
        if _ENDED.search(body[current[0]:current[1]]):
            yield current
            current = None
    if current is not None:
        yield current


def _dateline_length(text: str) -> int:
    m = _DATELINE.match(text)
    return m.end() if m else 0


def _within_paragraphs(body: str, start: int, end: int, breaks: list[int]) -> Iterator[tuple[int, int]]:
    """``body[start:end]`` cut at paragraph breaks, each piece stripped of surrounding white space."""
    cuts = [start] + [b for b in breaks if start < b < end] + [end]
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        piece = body[lo:hi]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if hi - trail > lo + lead:
            yield lo + lead, hi - trail


def _paragraph(breaks: list[int], offset: int) -> int:
    return sum(1 for b in breaks if b < offset)


def _flat_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentences cut at end punctuation followed by a capital: the fallback without a parser."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


# ---- who says so ----

def set_affiliation(article: Article, kb: KnowledgeBase) -> None:
    """The outlet's (by its domain) and the credited agency's (by its name) state affiliation, from the
    knowledge base's media entries; None when the base does not know the outlet or its status."""
    site = kb.by_domain(article.site_domain) if article.site_domain else None
    if site is None and article.site_name:
        site = _media(kb, article.site_name)
    article.site_state_affiliated = site.state_affiliated if site is not None else None
    source = _media(kb, article.source) if article.source else None
    article.source_state_affiliated = source.state_affiliated if source is not None else None


def _media(kb: KnowledgeBase, name: str) -> Any:
    return next((a for a in kb.lookup(name) if a.type == "media"), None)

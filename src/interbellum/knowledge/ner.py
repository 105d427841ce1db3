"""The knowledge ruler: names from the actor base and the gazetteer, marked before spaCy's ``ner`` runs.

The small English model tags Gao, Anefis and Tinzaouaten as PERSON and splits "Jama'at Nusrat
al-Islam wal-Muslimin" in two; a ruler in front of ``ner`` fixes both, because ``ner`` keeps the
entities it finds already set and predicts only around them. Spans get the label ACTOR (an alias of
the knowledge base) or PLACE (a gazetteer name) and carry the base or gazetteer id in ``ent_id_``.

Matching, in order:
1. every name is tokenised once with the pipeline's own tokenizer and indexed by its lower-cased,
   quote-straightened tokens (a dict keyed by the first token, so a document costs a few lookups
   per token whatever the number of names);
2. the base's case rule, word by word (``actors.is_acronym``): an all-caps acronym word matches only
   as written ("AES", not "aes"; "US forces", not "us forces"); other words match whatever the case;
3. a place name must hold a word the tagger calls a noun (when there is a tagger): the gazetteer has
   towns called "Since", "West" and "Say", and sentences begin with those words; nor may a proper noun
   run on before or after it ("Sergei Shevchenko", "Pearl Beach Hotel": a person, a hotel);
4. a name that has capitals never matches text written wholly in lower case ("hexagone", "turkey"):
   lower-case text is a common word far more often than a name; gazetteer names, many of them common
   words elsewhere ("Man", "Say", "Bar"), must also keep each word's capital;
5. overlaps: the longest span wins; on equal spans an actor beats a place (the linker still turns a
   state's name into a place where the sentence says so). An actor's name that a longer one crosses
   without containing it ("Khalifa Haftar" under "Haftar's forces") is kept in ``doc.spans`` under
   ``CROSSING`` for the linker: entities cannot overlap, but both are named.

Building the index for ~50,000 names takes a few seconds, mostly tokenising; the token lists are
cached on disk beside the gazetteer index (``INTERBELLUM_CACHE``, else ``~/.cache/interbellum``), keyed by the names themselves and
the tokenizer, so a changed base or gazetteer rebuilds it and nothing stale is ever used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .actors import KnowledgeBase, is_acronym, normalise

if TYPE_CHECKING:
    from collections.abc import Sequence

log = logging.getLogger(__name__)

ACTOR, PLACE = "ACTOR", "PLACE"
RULER = "interbellum_ruler"
CROSSING = "interbellum_crossing"  # doc.spans key: actor names a longer, crossing name displaced
CACHE_VERSION = 1
# Longer names exist ("Groupe de soutien à l'islam et aux musulmans" is 9 tokens) but none past this.
MAX_TOKENS = 16
_NOUNS = frozenset({"PROPN", "NOUN"})
# Capitalised words that continue a place's name into a bigger place, not into another kind of name.
_PLACE_WORDS = frozenset({
    "region", "province", "state", "district", "city", "county", "prefecture", "department", "oblast",
    "governorate", "river", "lake", "valley", "mountains", "desert", "forest", "airport", "camp", "base",
    "région", "cercle", "fleuve", "lac", "aéroport"})


@dataclass(frozen=True)
class Form:
    """One name as the ruler matches it: its label, id, and tokens as written (quotes straightened)."""

    label: str
    id: str
    words: tuple[str, ...]
    has_upper: bool


class FormIndex:
    """Lower-cased token sequences → the names they spell; finds the names in a Doc."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self.entries: dict[tuple[str, ...], list[Form]] = {}
        self.lengths: dict[str, set[int]] = {}
        for form in forms:
            key = tuple(w.casefold() for w in form.words)
            bucket = self.entries.setdefault(key, [])
            if form not in bucket:
                bucket.append(form)
            self.lengths.setdefault(key[0], set()).add(len(key))

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, doc: Doc) -> tuple[list[Span], list[Span]]:
        """Every name in ``doc`` that passes the case rules, overlaps resolved (longest first), and
        every candidate before that resolution."""
        words = [normalise(t.text) for t in doc]
        folded = [w.casefold() for w in words]
        # with a tagger, a place name must be a noun somewhere ("Since", "West African" are not)
        nouny = [t.pos_ in _NOUNS for t in doc] if doc.has_annotation("POS") else [True] * len(doc)
        found: list[Span] = []
        for i, first in enumerate(folded):
            for n in sorted(self.lengths.get(first, ()), reverse=True):
                if i + n > len(doc):
                    continue
                forms = self.entries.get(tuple(folded[i:i + n]), ())
                if not any(nouny[i:i + n]) or _glued(doc, i, i + n):
                    forms = [f for f in forms if f.label != PLACE]
                form = self._accept(forms, words[i:i + n])
                if form is not None:
                    found.append(Span(doc, i, i + n, label=form.label, span_id=form.id))
                    break  # the longest name starting here; shorter ones inside it would lose anyway
        # filter_spans keeps the longest, then the earliest; actors were appended before places on ties
        return filter_spans(found), found

    def crossing(self, kept: list[Span], found: list[Span]) -> list[Span]:
        """Actor names that lost to a longer name they cross but are not inside ("Khalifa Haftar" in
        "Khalifa Haftar's forces", an alias of his army): still names of the text."""
        return [f for f in found if f.label_ == ACTOR and f not in kept and not any(
            k.start <= f.start and f.end <= k.end for k in kept)]

    @staticmethod
    def _accept(forms: Sequence[Form], text: Sequence[str]) -> Form | None:
        if not forms:
            return None
        text_upper = any(c.isupper() for w in text for c in w)
        all_caps = all(w.isupper() or not any(c.isalpha() for c in w) for w in text)
        for form in sorted(forms, key=lambda f: f.label != ACTOR):
            if form.has_upper and not text_upper:
                continue
            if any(is_acronym(p) and p != t for p, t in zip(form.words, text, strict=True)):
                continue
            if form.label == PLACE and not all_caps and any(
                    p[:1].isupper() and not t[:1].isupper() for p, t in zip(form.words, text, strict=True)):
                continue
            return form
        return None


def _glued(doc: Doc, start: int, end: int) -> bool:
    """The words are part of a longer proper name: a tagged proper noun runs on before or after them
    ("Sergei Shevchenko", "Pearl Beach Hotel", "Kim Jong Un"), unless it is a word that makes a place
    of them ("Kidal Region", "Niamey Airport")."""
    if not doc.has_annotation("POS"):
        return False
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    # a sentence's first word is capitalised by its position, and the tagger often calls it a name
    return any(t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _PLACE_WORDS
               and not (t.is_sent_start and doc.has_annotation("SENT_START")) for t in (before, after))


def actor_names(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(name, ACTOR, id) for every alias of the base; an ambiguous alias carries its default reading."""
    return [(name, ACTOR, actor.id) for name, actor in kb.surface_forms()]


def place_names() -> list[tuple[str, str, str]]:
    """(name, PLACE, gazetteer id) for every name the gazetteer wants the ruler to mark."""
    from .gazetteer import Gazetteer

    out = []
    for item in Gazetteer.default().ruler_names():
        name, ident = (item, "") if isinstance(item, str) else (item[0], item[1] or "")
        out.append((name, PLACE, str(ident)))
    return out


def build_index(nlp: Language, names: Sequence[tuple[str, str, str]]) -> FormIndex:
    """The index of ``names`` tokenised by ``nlp``'s tokenizer, from the disk cache when it is fresh."""
    key = _cache_key(nlp, names)
    tokens = _read_cache(key)
    if tokens is None or len(tokens) != len(names):
        texts = [normalise(name) for name, _, _ in names]
        tokens = [tuple(t.text for t in doc) for doc in nlp.tokenizer.pipe(texts, batch_size=2000)]
        _write_cache(key, tokens)
    forms = (Form(label, ident, words, any(c.isupper() for c in name))
             for (name, label, ident), words in zip(names, tokens, strict=True)
             if 0 < len(words) <= MAX_TOKENS)
    return FormIndex(forms)


class KnowledgeRuler:
    """The pipeline component: sets the names it finds as entities, leaving the rest to ``ner``."""

    def __init__(self, index: FormIndex) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        spans, found = self.index.find(doc)
        keep = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
        doc.set_ents(filter_spans([*spans, *keep]), default="unmodified")
        doc.spans[CROSSING] = self.index.crossing(spans, found)
        return doc


@Language.factory(RULER)
def _make_ruler(nlp: Language, name: str) -> KnowledgeRuler:
    return KnowledgeRuler(build_index(nlp, [*actor_names(KnowledgeBase.load()), *place_names()]))


def add_ruler(nlp: Language) -> None:
    """Put the knowledge ruler in ``nlp`` before ``ner`` (last when there is no ``ner``); idempotent."""
    if RULER in nlp.pipe_names:
        return
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(RULER, before="ner")
    else:
        nlp.add_pipe(RULER, last=True)


# ---- the disk cache of tokenised names ----

def _cache_key(nlp: Language, names: Sequence[tuple[str, str, str]]) -> str:
    import spacy

    h = hashlib.sha1(f"{CACHE_VERSION}|{spacy.__version__}|{nlp.meta.get('name')}|"
                     f"{nlp.meta.get('version')}".encode())
    for name, _, _ in names:
        h.update(name.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{nlp.lang}-{h.hexdigest()[:16]}"


def _read_cache(key: str) -> list[tuple[str, ...]] | None:
    from .gazetteer import cache_dir

    try:
        text = (cache_dir() / f"ruler-{key}.json").read_text(encoding="utf-8")
        return [tuple(words) for words in json.loads(text)]
    except (OSError, ValueError, TypeError):
        return None


def _write_cache(key: str, tokens: list[tuple[str, ...]]) -> None:
    """Write atomically, then drop this language's older files; the cache only saves time, so a
    read-only home or a full disk must not fail the read."""
    from .gazetteer import cache_dir

    folder = cache_dir()
    path = folder / f"ruler-{key}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".ruler-{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(tokens, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
        for stale in folder.glob(f"ruler-{key.split('-')[0]}-*.json"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("ruler cache not written: %s", exc)

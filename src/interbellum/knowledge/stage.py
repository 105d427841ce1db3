"""The knowledge stage ("knowledge.v1"): who, where and when in an article's body.

    Document ──► parse (nlp.pipeline_for: model + knowledge ruler) ──► link (linking.py)
             ──► places (places.resolve_places with a country focus from the linked actors; border
                 places; countries a border phrase names by demonym)
             ──► settle_home ("the army" → the armed forces of the state the text names most;
                 a new person nothing ties to a country → the country the story is about)
             ──► entities (mentions grouped by base id, or by name for new actors)
             ──► times (times.find_times, relative to the publication date)

Offsets are into ``article.body``. A language without a model still gets the ruler's string matches;
a body with nothing recognisable gets empty lists. ``extract_places`` is the same path for a bare
text, for the geoparsing benchmark and for callers without a Document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..model import Document, Entity, Place, Span, TimeExpr
from ..pipeline import Stage, stages

if TYPE_CHECKING:  # spaCy and the models load with the first document, not with this module
    from .mentions import ActorMention, Linked, PlaceMention

# spaCy refuses texts over nlp.max_length (1,000,000 characters) and the parser's memory grows with
# the text; longer bodies are read in chunks cut at paragraph breaks.
CHUNK_CHARS = 100_000
# A story is about one country when at least HOME_MIN actor and place mentions belong to it, and twice
# as many as to any other country: a clear lead, not one stray mention (chosen by reasoning, shown on
# tests/test_knowledge_stage.py sentences; not tuned on the seed or the set).
HOME_MIN, HOME_LEAD = 3, 2.0


@stages.register("knowledge.v1")
def knowledge_stage() -> Stage:
    """The stage factory: models and the ruler load on the first document, not at registration."""
    return annotate


def annotate(doc: Document) -> Document:
    """``doc`` with its entities, places and times filled from ``doc.article.body``."""
    body = doc.article.body
    language = doc.article.language
    parses: list[tuple[int, Any]] = []
    linked = read_knowledge(body, language, parses)
    doc.annotations["parses"] = parses
    doc.places = places_of(linked, body)
    settle_home(linked, doc.places)
    doc.entities = entities_of(linked)
    doc.times = times_of(body, doc.article.published, language)
    return doc


def read_knowledge(text: str, language: str | None, parses: list[tuple[int, Any]] | None = None) -> Linked:
    """Every actor and place mention of ``text`` (offsets into ``text``).

    ``parses``, when given, receives each chunk's spaCy Doc with its offset, for later stages."""
    from .actors import KnowledgeBase
    from .linking import link
    from .mentions import Linked
    from .nlp import pipeline_for

    nlp = pipeline_for(language)
    kb = KnowledgeBase.load()
    out = Linked()
    for offset, chunk in _chunks(text):
        parsed = nlp(chunk)
        if parses is not None:
            parses.append((offset, parsed))
        part = link(parsed, kb)
        out.actors += [_shift(m, offset) for m in part.actors]
        out.places += [_shift(m, offset) for m in part.places]
        out.borders += [_shift(m, offset) for m in part.borders]
        out.bare += [_shift(m, offset) for m in part.bare]
    return out


def extract_places(text: str, published: str | None = None, language: str | None = None) -> list[Place]:
    """The places ``text`` names, resolved: the knowledge stage's geoparsing on a bare text.

    ``language`` defaults to the detected one; ``published`` is accepted for symmetry with the
    other extractors (places do not depend on it today)."""
    if language is None:
        from ..reading.language import detect_language

        language = detect_language(text)
    return places_of(read_knowledge(text, language), text)


def _dominant(codes: list[str | None], least: int) -> str | None:
    """The code that has at least ``least`` of ``codes`` and HOME_LEAD times as many as any other."""
    counts: dict[str, int] = {}
    for code in codes:
        if code:
            counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.values(), reverse=True) + [0]
    top = max(counts, key=counts.__getitem__, default=None)
    if top is None or ranked[0] < least or ranked[0] < HOME_LEAD * ranked[1]:
        return None
    return top


def home_country(linked: Linked, places: list[Place]) -> str | None:
    """The country the story is about: a clear lead among the actor and place mentions that carry a
    country, and at least HOME_MIN of them."""
    codes = [m.actor.country for m in linked.actors if m.actor is not None]
    codes += [p.country for p in places for _ in p.mentions]
    return _dominant(codes, HOME_MIN)


def home_state(linked: Linked, places: list[Place]) -> str | None:
    """Whose "the army" and "the junta" are: the country the story is about (``home_country``) when
    the text also names it as a state, its government or its armed forces ("the army" of a story set
    in Burkina Faso that mentions France twice is Burkina Faso's); else the state named so most, by
    a clear lead. Groups and places alone do not make that state — a story of Israel's war in Gaza is
    set in Palestine, but "the military" there is Israel's."""
    family = [m.actor.country for m in linked.actors if m.actor is not None and m.actor.country
              and m.actor.id.split(".")[0] == m.actor.country.lower()]
    home = home_country(linked, places)
    return home if home is not None and home in family else _dominant(family, 1)


def settle_home(linked: Linked, places: list[Place]) -> None:
    """What only the story's country can settle: "the army" and "the junta" become the armed forces
    and government of the state it names most, and a new person nothing else ties to a country is
    taken to be from the country it is about."""
    from .actors import KnowledgeBase

    state = home_state(linked, places)
    if state is not None:
        kb = KnowledgeBase.load()
        for m in linked.bare:
            m.actor = kb.get(f"{state.lower()}.{'mil' if m.type == 'military' else 'gov'}")
            if m.actor is not None:
                linked.actors.append(m)
        linked.actors.sort(key=lambda m: m.start)
    home = home_country(linked, places)
    for m in linked.actors:
        if home is not None and m.actor is None and m.type == "person" and m.country is None:
            m.country = home


def entities_of(linked: Linked) -> list[Entity]:
    """Mentions grouped into entities: one per base entry, one per new actor's name, in text order."""
    groups: dict[str, list[ActorMention]] = {}
    for m in linked.actors:
        groups.setdefault(m.key, []).append(m)
    entities = []
    for mentions in groups.values():
        first = mentions[0]
        spans = _spans(mentions)
        if first.actor is not None:
            a = first.actor
            entities.append(Entity(name=a.name, type=a.type, mentions=spans, id=a.id, country=a.country))
        else:
            name = max((m.name for m in mentions), key=len)
            country = next((m.country for m in mentions if m.country), None)
            entities.append(Entity(name=name, type=first.type, mentions=spans, country=country))
    return entities


def places_of(linked: Linked, body: str) -> list[Place]:
    """The toponyms resolved against the gazetteer, biased towards the countries the actors belong to;
    then border places, and countries named by a demonym in a border phrase, merged in by id."""
    from .gazetteer import Gazetteer
    from .mentions import DEMONYM
    from .places import Toponym, border_places, resolve_places

    focus = linked.focus()
    toponyms = [Toponym(p.text, p.start, p.end, p.label) for p in linked.places if p.label != DEMONYM]
    places = resolve_places(toponyms, body, focus or None)
    # border_places also finds the phrases our linker does not read ("the border between X and Y")
    borders = [Toponym(b.text, b.start, b.end, b.label) for b in linked.borders]
    places += border_places(borders, body, context=set(focus) | {p.country for p in places if p.country})
    by_id = {p.id: p for p in places if p.id}
    gazetteer = Gazetteer.default()
    for mention in (p for p in linked.places if p.label == DEMONYM):
        record = gazetteer.country(mention.countries[0])
        if record is None:
            continue
        place = by_id.get(record.id)
        if place is None:
            place = by_id[record.id] = Place(name=record.name, lat=record.lat, lon=record.lon, id=record.id,
                                             country=record.country, kind=record.kind)
            places.append(place)
        place.mentions.append(Span(mention.text, mention.start, mention.end))
        place.mentions.sort(key=lambda m: m.start)
    return sorted(places, key=lambda p: min((m.start for m in p.mentions), default=0))


def times_of(body: str, published: str | None, language: str | None) -> list[TimeExpr]:
    from .times import find_times

    return find_times(body, published, language or "en")


def _spans(mentions: list[ActorMention]) -> list[Span]:
    seen: set[tuple[int, int]] = set()
    spans = []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            spans.append(Span(m.text, m.start, m.end))
    return spans


def _shift(m: ActorMention | PlaceMention, offset: int) -> ActorMention | PlaceMention:
    if offset:
        m.start += offset
        m.end += offset
    return m


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of at most about CHUNK_CHARS, cut after a blank line where one is near."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            end = cut + 2 if cut > start else end
        yield start, text[start:end]
        start = end

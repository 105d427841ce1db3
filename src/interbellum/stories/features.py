"""What story clustering and related-story search look at in one article.

    Document ──► Features: linked actors (KB ids, or names for actors the KB lacks), places (specific
                 places apart from countries), the article's main place (the first its title or lead
                 names) and home country, its event day (the first day-precision date after the dateline), the
                 day ranges its lead names ("between March 27 and 31"), numbers (tolls, counts), title and
                 lead terms, and an optional text embedding.

Everything here is language-neutral but the terms and the embedding: a French and an English report
of one attack share KB ids, place ids, days and numbers, not words, so those carry cross-language links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import Document, Place
from ..reading.meta import normalise_text

# An embedder turns texts into vectors (one per text); None means lexical similarity only.
Embedder = Callable[[Sequence[str]], Sequence[Sequence[float]]]

# Countries and supranational regions are the setting, not the happening: they go to `countries`.
_BROAD_PLACES = frozenset({"country", "region", "continent", "border", "sea", "ocean"})
# A division ("Mopti region") holds the towns of its name (see same_place).
_DIVISIONS = frozenset({"admin", "admin1", "admin2", "province", "state", "district"})
# Agencies and outlets are named by every story they carry: they say who reported, not what happened.
_SKIP_ENTITY_TYPES = frozenset({"media"})
# Event days are the days an article tells of; reporting lags a happening by days, not weeks.
DAYS_BEFORE, DAYS_AFTER = 14, 1
LEAD_CHARS = 400
# "BAMAKO, March 4 (Reuters) - ": the dateline's date is the day of writing, not of the happening.
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’.\- ]{1,40}(?:,\s*[A-Z][\w .]{0,30})?\s*\([\w .&-]{1,30}\)\s*[—–-]+\s*")
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,  ]\d{3})+(?![\w,.]\d)|(?<![\w.,])\d+(?![\w]|[.,]\d)")
_YEARS = range(1900, 2101)
# Function words of English and French; rarity weighting does the rest once the store has some size.
_STOPWORDS = """
a about after against all also an and are as at be been before but by can could did do does during for
from had has have he her his how if in into is it its last more most new no not of on one or other our
out over said says she since so some than that the their them then there these they this those three to
two under up was we were what when where which while who will with would you year years week day days
au aux avec ce ces cette dans de des du elle en est et il ils la le les leur lors mais ne ni nos notre
ou par pas plus pour qu que qui sa sans se selon ses son sont sur un une été être ont a après avant
aussi comme contre depuis entre deux trois fait faire dont tout tous très
"""
STOPWORDS = frozenset(_STOPWORDS.split())


@dataclass
class Features:
    """One article as the story index sees it (ids and sets, nothing that needs the text again)."""

    article_id: str
    title: str
    language: str
    day: int | None  # publication day (date ordinal)
    entities: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    main_place: str | None = None
    main_area: str | None = None  # area_of(main place): its country and first-level division
    home: str | None = None
    event_day: int | None = None
    # day ranges the lead names: a report's first date is often the day of a statement about the
    # happening ("said Tuesday"), its range the days of the happening itself
    spans: tuple[tuple[int, int], ...] = ()
    numbers: frozenset[int] = frozenset()
    terms: Counter[str] = field(default_factory=Counter)
    title_terms: frozenset[str] = frozenset()
    vector: tuple[float, ...] | None = None


def features_of(doc: Document, embed: Embedder | None = None) -> Features:
    """The clustering features of ``doc`` (which needs ``article.id``; the knowledge stage fills the rest)."""
    article = doc.article
    if not article.id:
        raise ValueError(f"{doc.input}: an article needs an id to join a story")
    title = article.title or ""
    lead = lead_of(article.body)
    day = day_of(article.published)
    f = Features(article_id=article.id, title=title, language=article.language or "und", day=day)
    _actors(doc, f)
    _places(doc, f)
    f.event_day = event_day(doc, day)
    f.spans = spans_in(doc, len(lead), day)
    f.numbers = frozenset(numbers_in(doc, len(lead)))
    f.terms = Counter(terms_of(title) * 2 + terms_of(lead))  # the title says what the story is: twice
    f.title_terms = frozenset(terms_of(title))
    if embed is not None and f.language == "en":  # MiniLM is English: other languages get no vector
        f.vector = tuple(float(x) for x in embed([f"{title}. {lead}"])[0])
    return f


def lead_of(body: str, limit: int = LEAD_CHARS) -> str:
    """The first paragraphs of ``body``, about ``limit`` characters: where a report says what happened."""
    out = ""
    for para in body.split("\n\n"):
        if para.strip():
            out = f"{out}\n\n{para.strip()}" if out else para.strip()
        if len(out) >= limit:
            break
    return out


def terms_of(text: str) -> list[str]:
    """Normalised content words of ``text`` (stopwords and one-letter words dropped)."""
    return [w for w in _WORD.findall(normalise_text(text)) if w not in STOPWORDS]


def day_of(value: str | None) -> int | None:
    """The date ordinal of a 'YYYY-MM-DD...' string, None for a missing or partial date."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def numbers_in(doc: Document, upto: int) -> set[int]:
    """Counts in the first ``upto`` characters of the body that are not part of a date or a year.

    Tolls and counts ("20 soldiers", "1,200 displaced") tell one happening from another; a day of the
    month or a year tells nothing the event days do not."""
    body = doc.article.body[:upto]
    in_times = [(t.start, t.end) for t in doc.times if t.start < upto]
    out = set()
    for m in _NUMBER.finditer(body):
        if any(s <= m.start() < e for s, e in in_times):
            continue
        n = int(re.sub(r"\D", "", m.group()))
        if n >= 2 and n not in _YEARS:  # "one" and "1" are everywhere; years are dates
            out.add(n)
    return out


def _actors(doc: Document, f: Features) -> None:
    for e in doc.entities:
        weight = max(1, len(e.mentions))
        if e.type == "state" and e.country:
            f.countries[e.country] += weight
        elif e.type not in _SKIP_ENTITY_TYPES:
            key = e.id or "name:" + " ".join(terms_of(e.name) or [normalise_text(e.name)])
            f.entities[key] += weight


def _places(doc: Document, f: Features) -> None:
    for p in doc.places:
        if p.country:
            f.countries[p.country] += max(1, len(p.mentions))
        if (p.kind or "") not in _BROAD_PLACES and p.id:
            f.places[p.id] += max(1, len(p.mentions))
    main = main_place(doc)
    if main is not None:
        f.main_place = main.id
        f.main_area = area_of(main)
    if f.countries:
        f.home = f.countries.most_common(1)[0][0]


def main_place(doc: Document) -> Place | None:
    """Where the article's happening is: the first specific place its title names, else the first one
    in its lead (after the dateline); None when neither names one.

    The most-mentioned place would be the town of an earlier attack the background recalls; a headline
    names where it happened. National capitals are left out: "Niamey ends the accord", a dateline, a
    ministry's seat name the government, not a site (an attack on a capital still shares its place)."""
    specific = [p for p in doc.places if p.id and (p.kind or "") not in _BROAD_PLACES and not is_capital(p)]
    title = normalise_text(doc.article.title or "")
    in_title = [(pos, p) for p in specific if (pos := _position(title, p)) is not None]
    if in_title:
        return min(in_title, key=lambda tp: tp[0])[1]
    m = _DATELINE.match(doc.article.body)
    start, end = (m.end() if m else 0), LEAD_CHARS
    in_lead = [(min(x.start for x in p.mentions if start <= x.start < end), p) for p in specific
               if any(start <= x.start < end for x in p.mentions)]
    return min(in_lead, key=lambda tp: tp[0])[1] if in_lead else None


def is_capital(p: Place) -> bool:
    """Whether ``p`` is its country's capital (the knowledge base's capital metonyms)."""
    from ..knowledge.actors import KnowledgeBase  # loaded once, by the knowledge stage already

    state = KnowledgeBase.load().by_metonym(p.name)
    return state is not None and state.country == p.country


def area_of(p: Place) -> str:
    """"country/admin1" of a place, with "*" marking a division itself (which holds its towns)."""
    mark = "*" if (p.kind or "") in _DIVISIONS else ""
    return f"{p.country or ''}/{normalise_text(p.admin1 or '')}{mark}"


def same_place(a: str, a_area: str | None, b: str, b_area: str | None) -> bool:
    """One place, or one a division that holds the other ("Mopti region" and "Boni")."""
    if a == b:
        return True
    if not a_area or not b_area:
        return False
    return (a_area.endswith("*") and a_area[:-1] == b_area.rstrip("*")) or (
        b_area.endswith("*") and b_area[:-1] == a_area.rstrip("*"))


def _position(title: str, p: Place) -> int | None:
    names = {normalise_text(p.name)} | {normalise_text(m.text) for m in p.mentions}
    found = [m.start() for n in names if n for m in [re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title)] if m]
    return min(found) if found else None


def event_day(doc: Document, published: int | None) -> int | None:
    """The day the article tells of: its first day-precision date after the dateline, near publication.

    A report names the day of its happening first ("killed 20 soldiers on Sunday") and the days of what
    led to it later ("a week after the coup of July 26"): the earliest date in the text would make every
    follow-up a report of the original event. Falls back to the publication day."""
    m = _DATELINE.match(doc.article.body)
    after = m.end() if m else 0
    for t in sorted(doc.times, key=lambda t: t.start):
        if t.precision != "day" or not t.value or t.start < after:
            continue
        d = day_of(t.value)
        if d is not None and (published is None or published - DAYS_BEFORE <= d <= published + DAYS_AFTER):
            return d
    return published


def spans_in(doc: Document, upto: int, published: int | None) -> tuple[tuple[int, int], ...]:
    """Day-precision ranges ("du 23 au 31 mars") in the first ``upto`` characters, as (first, last) day
    ordinals, that end at most DAYS_BEFORE days before publication (a range may start earlier)."""
    out = []
    for t in doc.times:
        if t.start >= upto or t.precision != "day" or not t.end_value:
            continue
        first, last = day_of(t.value), day_of(t.end_value)
        if first is None or last is None or last < first:
            continue
        if published is None or published - DAYS_BEFORE <= last <= published + DAYS_AFTER:
            out.append((first, last))
    return tuple(sorted(set(out)))


def features_to_json(f: Features) -> dict[str, Any]:
    """``f`` as plain JSON values (a store logs it, to rebuild the clusterer without reading articles)."""
    out: dict[str, Any] = {k: getattr(f, k) for k in (
        "article_id", "title", "language", "day", "main_place", "main_area", "home", "event_day")}
    out.update({k: dict(getattr(f, k)) for k in ("entities", "places", "countries", "terms")})
    out["numbers"], out["title_terms"] = sorted(f.numbers), sorted(f.title_terms)
    out["vector"] = list(f.vector) if f.vector is not None else None
    out["spans"] = [list(sp) for sp in f.spans]
    return out


def features_from_json(d: dict[str, Any]) -> Features:
    counters = {k: Counter(d[k]) for k in ("entities", "places", "countries", "terms")}
    plain = {k: v for k, v in d.items() if k not in counters and k not in ("numbers", "title_terms", "vector", "spans")}
    # logs written before spans existed have none: such an article matches by its event day alone
    return Features(**plain, **counters, numbers=frozenset(d["numbers"]), title_terms=frozenset(d["title_terms"]),
                    vector=tuple(d["vector"]) if d["vector"] is not None else None,
                    spans=tuple((a, b) for a, b in d.get("spans", ())))

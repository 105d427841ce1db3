"""Related stories: other stories that share actors, places and themes with an article.

    related(clusterer, doc or article id)
        ──► 1. the page's own "related" links: its ``related_titles`` fuzzy-matched against stored titles
               (title-term index, then rapidfuzz's token_sort_ratio, difflib without it) — first, as the
               outlet itself linked them
        ──► 2. stories sharing a key (actor, place, home country, rare title term) at any date, at most
               the most recent per key (bounded like clustering), scored by rarity-weighted actor and
               place overlap, title+lead similarity and a shared home country
        ──► kept when the same country AND a shared actor or place, or a strong overlap on one signal;
            ``[]`` when nothing in the store is related

The article's own story is never listed. Scores are about 0..1; a linked title scores 0.9 and over.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from ..model import Document
from ..reading.meta import normalise_text
from .cluster import PER_KEY, StoryClusterer, coverage, query_keys, term_cosine
from .features import Features, features_of, terms_of
from .index import KeyIndex, Story

# Weights of the signals (set on the stories fixture with the clustering weights; change as a set).
WEIGHTS = {"actors": 0.35, "places": 0.25, "text": 0.25, "country": 0.15}
MIN_SCORE = 0.15
STRONG = 0.3  # one signal this strong relates two stories even across countries
TITLE_MATCH = 0.85  # fuzzy ratio for "the page's related title is this stored title"
TITLE_CANDIDATES = 20

# Titles are compared with their words sorted: a link may reorder a headline, but a title that only
# shares a subset of words ("Niger junta orders French ambassador to leave" vs "... orders police to
# expel French ambassador") is another article. rapidfuzz is fast; difflib gives close answers without it.
try:
    from rapidfuzz.fuzz import token_sort_ratio as _rf_ratio

    def title_ratio(a: str, b: str) -> float:
        """Similarity of two titles in 0..1, word order aside."""
        return _rf_ratio(a, b) / 100.0
except ImportError:  # pragma: no cover - exercised where rapidfuzz is absent
    def title_ratio(a: str, b: str) -> float:
        """Similarity of two titles in 0..1, word order aside."""
        return difflib.SequenceMatcher(None, " ".join(sorted(a.split())), " ".join(sorted(b.split()))).ratio()


@dataclass
class _Source:
    """What related search compares against: one article's features, or its story's aggregates."""

    entities: Counter[str]
    places: Counter[str]
    countries: Counter[str]
    home: str | None
    terms: Counter[str]
    title_terms: frozenset[str]
    story_id: str | None


def related(clusterer: StoryClusterer, item: Document | str, limit: int = 10,
            related_titles: list[str] | None = None) -> list[tuple[str, float, str]]:
    """(story id, score, representative article id) of the stories related to ``item``, best first.

    ``item`` is a Document (its own ``related_titles`` are used) or the id of an assigned article
    (then pass the page's ``related_titles`` if known)."""
    source, titles = _source(clusterer, item, related_titles)
    scored: dict[str, float] = {}
    for story_id, ratio in linked_titles(clusterer, titles):
        scored[story_id] = max(scored.get(story_id, 0.0), 0.9 + 0.1 * ratio)
    for story in _candidates(clusterer, source):
        score = related_score(source, story, clusterer)
        if score is not None:
            scored[story.id] = max(scored.get(story.id, 0.0), score)
    scored.pop(source.story_id or "", None)
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(sid, round(score, 4), clusterer.story(sid).representative) for sid, score in ranked]


def related_score(source: _Source, story: Story, clusterer: StoryClusterer) -> float | None:
    """The relatedness of ``story`` to ``source``, or None when they are not related."""
    rarity = clusterer.rarity
    actors = coverage(source.entities, story.entities, rarity, "e:") or 0.0
    places = coverage(source.places, story.places, rarity, "p:") or 0.0
    text = term_cosine(source.terms, story.terms, rarity)
    same_country = bool(source.home and (source.home in story.homes))
    shared = any(k in story.entities for k in source.entities) or any(k in story.places for k in source.places)
    if not ((same_country and shared) or max(actors, places, text) >= STRONG):
        return None
    score = (WEIGHTS["actors"] * actors + WEIGHTS["places"] * places + WEIGHTS["text"] * text
             + WEIGHTS["country"] * same_country)
    return score if score >= MIN_SCORE else None


def linked_titles(clusterer: StoryClusterer, titles: list[str]) -> list[tuple[str, float]]:
    """(story id, ratio) for each of ``titles`` that matches a stored article title closely enough."""
    out = []
    for title in titles:
        wanted = normalise_text(title)
        terms = set(terms_of(title))
        votes: Counter[str] = Counter()
        for term in terms:
            votes.update(clusterer.titles.get(term))
        best: tuple[float, str] | None = None
        for article_id, _ in votes.most_common(TITLE_CANDIDATES):
            stored = clusterer.title_of(article_id) or ""
            ratio = title_ratio(wanted, normalise_text(stored))
            if ratio >= TITLE_MATCH and (best is None or ratio > best[0]):
                best = (ratio, article_id)
        if best is not None:
            story_id = clusterer.story_of(best[1])
            if story_id:
                out.append((story_id, best[0]))
    return out


def _source(clusterer: StoryClusterer, item: Document | str,
            related_titles: list[str] | None) -> tuple[_Source, list[str]]:
    if isinstance(item, Document):
        f = features_of(item)
        titles = list(related_titles if related_titles is not None else item.article.related_titles)
        return _from_features(f, clusterer.story_of(f.article_id)), titles
    story_id = clusterer.story_of(item)
    if story_id is None:
        raise KeyError(f"unknown article {item!r}")
    s = clusterer.story(story_id)
    home = s.homes.most_common(1)[0][0] if s.homes else None
    source = _Source(s.entities, s.places, s.countries, home, s.terms, frozenset(terms_of(s.title)), story_id)
    return source, list(related_titles or [])


def _from_features(f: Features, story_id: str | None) -> _Source:
    return _Source(f.entities, f.places, f.countries, f.home, f.terms, f.title_terms, story_id)


def _candidates(clusterer: StoryClusterer, source: _Source) -> list[Story]:
    probe = Features(article_id="", title="", language="und", day=None, entities=source.entities,
                     places=source.places, home=source.home, title_terms=source.title_terms)
    ids = {sid for key in query_keys(probe, clusterer.rarity) for sid in clusterer.untimed.get(key)}
    return [clusterer.story(sid) for sid in sorted(ids)]



class RelatedLinks:
    """Which stored pages list a title among their related stories: the reverse of ``linked_titles``.

    An outlet's "related stories" box names OTHER stories: an article it links to is not the page's
    own story, whichever of the two arrives first (``linked_stories``)."""

    def __init__(self) -> None:
        self.by_term = KeyIndex(PER_KEY * 10)  # term of a listed title → ids of the pages listing it
        self.titles: dict[str, list[str]] = {}  # page id → its normalised related titles

    def add(self, article_id: str, titles: list[str]) -> None:
        if not titles:
            return
        self.titles[article_id] = [normalise_text(t) for t in titles]
        for term in {t for title in titles for t in terms_of(title)}:
            self.by_term.add(term, article_id)

    def listing(self, title: str) -> list[str]:
        """Ids of the pages whose related titles include ``title`` (fuzzy, as ``linked_titles``)."""
        wanted = normalise_text(title)
        votes: Counter[str] = Counter()
        for term in set(terms_of(title)):
            votes.update(self.by_term.get(term))
        return [page for page, _ in votes.most_common(TITLE_CANDIDATES)
                if any(title_ratio(wanted, t) >= TITLE_MATCH for t in self.titles.get(page, ()))]


def linked_stories(clusterer: StoryClusterer, links: RelatedLinks, title: str | None,
                   related_titles: list[str]) -> frozenset[str]:
    """Stories an article must not join: those its page lists as related, and those of the pages that
    list its title as related."""
    out = {story_id for story_id, _ in linked_titles(clusterer, related_titles)}
    if title:
        out.update(s for page in links.listing(title) if (s := clusterer.story_of(page)))
    return frozenset(out)

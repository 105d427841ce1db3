"""The persistence-neutral state behind stories: story aggregates, rarity counts and bounded key lists.

Every structure here is bounded per key or per story, so that what one new article looks at does not
grow with the store: a story keeps its top terms and names, a key lists only its most recent stories.
``to_state()`` forms are plain JSON values (lists, dicts with string keys, numbers, strings).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .features import Features

# Bounds on one story's aggregates: enough to describe a story, small enough to score in microseconds.
TOP_TERMS, TOP_KEYS, TOP_DAYS = 60, 40, 12


@dataclass
class Story:
    """One story: its articles and what they say in aggregate."""

    id: str
    title: str
    representative: str
    first_day: int | None
    last_day: int | None
    articles: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    mains: Counter[str] = field(default_factory=Counter)
    areas: dict[str, str] = field(default_factory=dict)  # main place → its area (features.area_of)
    homes: Counter[str] = field(default_factory=Counter)
    days: Counter[int] = field(default_factory=Counter)  # each article's event day
    spans: list[tuple[int, int]] = field(default_factory=list)  # the articles' day ranges, latest TOP_DAYS
    numbers: Counter[int] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    vector: list[float] | None = None  # sum of the articles' vectors
    n_vectors: int = 0
    rep_day: int | None = None
    norm: float = 0.0  # rarity-weighted norm of `terms` (cluster.term_norm) when rarity counted norm_n articles
    norm_n: int = 0

    @classmethod
    def open(cls, f: Features) -> Story:
        s = cls(id="s-" + f.article_id, title=f.title, representative=f.article_id,
                first_day=f.day, last_day=f.day, rep_day=f.day)
        s.add(f, lead=True)
        return s

    def add(self, f: Features, lead: bool = False, again: bool = False) -> None:
        """Fold one article in; the earliest article (by publication day) gives the title.
        ``again``: a new version of an article the story holds (not listed twice)."""
        if not again:
            self.articles.append(f.article_id)
        if not lead and f.day is not None and (self.rep_day is None or f.day < self.rep_day):
            self.title, self.representative, self.rep_day = f.title, f.article_id, f.day
        if f.day is not None:
            self.first_day = f.day if self.first_day is None else min(self.first_day, f.day)
            self.last_day = f.day if self.last_day is None else max(self.last_day, f.day)
        for mine, theirs, top in ((self.entities, f.entities, TOP_KEYS), (self.places, f.places, TOP_KEYS),
                                  (self.countries, f.countries, TOP_KEYS), (self.terms, f.terms, TOP_TERMS)):
            mine.update(theirs)
            _trim(mine, top)
        if f.main_place:
            self.mains[f.main_place] += 1
            if f.main_area:
                self.areas[f.main_place] = f.main_area
        if f.home:
            self.homes[f.home] += 1
        if f.event_day is not None:
            self.days[f.event_day] += 1
            _trim(self.days, TOP_DAYS)
        for span in f.spans:
            if span not in self.spans:
                self.spans.append(span)
        del self.spans[:-TOP_DAYS]
        self.numbers.update(f.numbers)
        _trim(self.numbers, TOP_KEYS)
        if f.vector is not None:
            self.vector = list(f.vector) if self.vector is None else [a + b for a, b in zip(self.vector, f.vector, strict=True)]
            self.n_vectors += 1

    def summary(self) -> dict[str, Any]:
        """The contract's story fields: id, title, first_seen, last_seen, article ids, representative."""
        return {"id": self.id, "title": self.title, "first_seen": _iso(self.first_day),
                "last_seen": _iso(self.last_day), "articles": list(self.articles),
                "representative": self.representative}

    def to_state(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in (
            "id", "title", "representative", "first_day", "last_day", "articles", "vector", "n_vectors", "rep_day",
            "areas", "norm", "norm_n")}
        out["spans"] = [list(sp) for sp in self.spans]
        for k in ("entities", "places", "countries", "mains", "homes", "days", "numbers", "terms"):
            out[k] = [[key, n] for key, n in getattr(self, k).items()]
        return out

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Story:
        counters = {k: Counter({key: n for key, n in d[k]}) for k in (
            "entities", "places", "countries", "mains", "homes", "days", "numbers", "terms")}
        plain = {k: v for k, v in d.items() if k not in counters and k != "spans"}
        return cls(**plain, **counters, spans=[(a, b) for a, b in d.get("spans", ())])


class Rarity:
    """Document frequencies of keys (actor ids, place ids, terms): rare keys weigh more."""

    def __init__(self) -> None:
        self.n = 0
        self.df: Counter[str] = Counter()

    def weight(self, key: str) -> float:
        # smoothed idf: a key no article has shown yet counts as rare, one every article shows as ~0
        return math.log((self.n + 2) / (self.df.get(key, 0) + 1))

    def add(self, keys: set[str]) -> None:
        self.n += 1
        self.df.update(keys)

    def to_state(self) -> dict[str, Any]:
        return {"n": self.n, "df": dict(self.df)}

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Rarity:
        r = cls()
        r.n, r.df = d["n"], Counter(d["df"])
        return r


class KeyIndex:
    """key (and week, when timed) → the ids of the most recent stories that showed it, at most ``cap``.

    Each key keeps an insertion-ordered dict (oldest first), so that moving an id to the recent end
    and dropping the oldest cost O(1) instead of a scan of the list."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.lists: dict[str, dict[str, None]] = {}

    def add(self, key: str, story_id: str) -> None:
        ids = self.lists.get(key)
        if ids is None:
            self.lists[key] = {story_id: None}
            return
        ids.pop(story_id, None)
        ids[story_id] = None
        if len(ids) > self.cap:
            del ids[next(iter(ids))]

    def get(self, key: str) -> list[str]:
        ids = self.lists.get(key)
        return list(ids) if ids else []

    def to_state(self) -> dict[str, Any]:
        return {"cap": self.cap, "lists": {k: list(v) for k, v in self.lists.items()}}

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> KeyIndex:
        k = cls(d["cap"])
        k.lists = {key: dict.fromkeys(v) for key, v in d["lists"].items()}
        return k


def article_keys(f: Features) -> set[str]:
    """The keys whose rarity is counted: actors, places and terms, prefixed by kind."""
    return ({"e:" + k for k in f.entities} | {"p:" + k for k in f.places}
            | {"c:" + k for k in f.countries} | {"t:" + k for k in f.terms})


def _trim(c: Counter[Any], top: int) -> None:
    if len(c) > top * 2:  # trim in batches: most_common is O(n log n)
        keep = dict(c.most_common(top))
        c.clear()
        c.update(keep)


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None

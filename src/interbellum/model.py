"""The one small data model every stage shares.

Stages take these objects and return them enriched; none reaches into another stage's insides.
`Document.to_dict()` is the shape of ``interbellum extract`` output (contracts/extract.schema.json):
field names here match the schema's so that serialising is a plain ``asdict``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Precision = Literal["day", "month", "year", "unresolved"]
PageKind = Literal["html", "text"]


@dataclass
class Span:
    """A stretch of ``Article.body``: character offsets are Python ``str`` indices."""

    text: str
    start: int
    end: int


@dataclass
class RawPage:
    """What a source hands to reading: one decoded page or record, not yet understood.

    ``input`` is the label the user sees in output and error lines (``PATH``, ``PATH#N``, a URL, ``-``).
    ``meta`` carries what the container already knew (a JSONL record's title, language, source,
    unknown keys; an HTTP response's final URL) and wins over what reading guesses.
    """

    input: str
    content: str
    kind: PageKind
    url: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """One clean article with its metadata."""

    title: str | None = None
    body: str = ""
    language: str = "und"
    id: str | None = None
    url: str | None = None
    subtitle: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    site_domain: str | None = None
    published: str | None = None
    published_precision: Literal["day", "month", "year"] | None = None
    updated: str | None = None
    reading_time_min: int | None = None
    related_titles: list[str] = field(default_factory=list)
    site_state_affiliated: bool | None = None
    source_state_affiliated: bool | None = None
    # Not part of the extract contract; kept for the store (JSONL unknown keys, reader notes).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extra")
        return d


@dataclass
class Entity:
    name: str
    type: str
    mentions: list[Span] = field(default_factory=list)
    id: str | None = None
    country: str | None = None


@dataclass
class Place:
    name: str
    lat: float
    lon: float
    mentions: list[Span] = field(default_factory=list)
    id: str | None = None
    country: str | None = None
    admin1: str | None = None
    kind: str | None = None


@dataclass
class TimeExpr:
    text: str
    value: str | None
    precision: Precision
    start: int
    end: int
    end_value: str | None = None


@dataclass
class Event:
    type: str
    sentence: str
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    mode: str | None = None
    acled_type: str | None = None
    place: str | None = None
    date: str | None = None
    date_precision: Precision | None = None
    claimed_by: str | None = None
    hedged: bool = False
    negated: bool = False
    fatalities: int | None = None
    confidence: float | None = None
    start: int | None = None
    end: int | None = None
    actor_ids: list[str | None] = field(default_factory=list)
    target_ids: list[str | None] = field(default_factory=list)
    place_id: str | None = None


@dataclass
class Evidence:
    sentence: str
    start: int | None = None
    end: int | None = None


@dataclass
class Situation:
    subject: str
    relation: str
    object: str
    start: str | None = None
    end: str | None = None
    ongoing: bool | None = None
    evidence: list[Evidence] = field(default_factory=list)
    subject_id: str | None = None
    object_id: str | None = None
    start_precision: Precision | None = None
    end_precision: Precision | None = None
    claimed_by: str | None = None
    hedged: bool = False


@dataclass
class Document:
    """One article as read and understood: the object ``interbellum extract`` prints."""

    input: str
    article: Article
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    situations: list[Situation] = field(default_factory=list)
    # Working state one stage leaves for the next (e.g. the knowledge stage's spaCy parses under
    # "parses", as (offset, Doc) pairs), so that no stage parses the text twice; never serialised.
    annotations: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        annotations, self.annotations = self.annotations, {}
        try:
            d = asdict(self)  # asdict would deep-copy the parses: keep them out of it
        finally:
            self.annotations = annotations
        d.pop("annotations")
        d["article"] = self.article.to_dict()
        return d


@dataclass
class Failure:
    """An input (or one record of it) that could not be read, and the one-line reason why."""

    input: str
    reason: str

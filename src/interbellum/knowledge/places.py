"""Toponym resolution: which place each place name of an article names, read with the article's context.

    >>> places = resolve_places([Toponym("Gao", 25, 28, "GPE")], "Fighting was reported in Gao.",
    ...                         focus={"MLI": 1.0})
    >>> places[0].id, places[0].country
    ('geonames:2457163', 'MLI')

The cascade, for each distinct name (one sense per article: every "Gao" is the same Gao):

1. Candidates: the gazetteer entries the name folds to — tried with the neighbouring word when that
   word makes a division ("Gao region", "la région de Mopti") or a natural feature ("Lake Chad"),
   then without a leading "the" or trailing "'s". A feature word with no feature entry drops the name
   ("the Niger River" is not the country). A demonym ("Canadian") is its country, by the actor base.
   No candidate: dropped (the caller keeps the mention unlinked).
2. First pass: score each candidate without co-mentions. Each name then votes for countries (and
   divisions) with the softmax of its candidates' scores: "Atlanta" votes for the US whichever
   Atlanta it is, "Gao" mostly for Mali, an even split says little.
3. Second pass: score again with the other names' votes, and with the place named right after a
   comma ("Gao, Mali", "Springfield, Illinois").
4. Border phrases ("the Malian-Algerian border", "Mali's border with Algeria", "la frontière
   algéro-malienne", "the tri-border area") become the ``border`` entry of our additions for that pair
   or triple of countries, else a border place at the middle of where the two countries' boxes meet.

A score adds: the caller's country focus, the share of co-mentioned places in the same country (and
division), log population, the kind (countries before divisions before towns), national capitals, our
additions in a conflict story, and an own-name match before an alternate name. The weights below were set by reasoning over the
sentences in tests/test_places.py, not on a benchmark; change them together and re-run that file and
benchmarks/geoparse_bench.py.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from ..model import Place, Span
from .actors import KnowledgeBase
from .gazetteer import CONFLICT_COUNTRIES, Gazetteer, PlaceRecord, fold

W_FOCUS = 2.0       # times the caller's focus weight for the country, relative to its largest
W_CONTEXT = 2.0     # times the share of the other names' votes that go to the same country
W_CONTEXT_ADMIN = 1.0  # ... and in the same first-level division ("Parkland" with "Florida")
W_POPULATION = 1.0  # times log10(population) / 7: a city of ten million scores 1
W_EXACT = 0.5       # the name is the entry's own, not one of its alternate names
W_ADDITION = 1.0    # our curated conflict places, when the story is about a conflict country
W_CAPITAL = 1.0     # national capitals are named far more often than their namesakes ("Washington")
W_CUE = 3.0         # "region"/"province" next to the name, and "X, <country or division>"
KIND_BONUS = {"country": 2.5, "admin": 0.8, "region": 0.3, "border": 0.3, "feature": 0.3}
# Entries without a population: a division is as big as a large city, our additions are small places.
DEFAULT_POPULATION = {"admin": 1_000_000, "region": 100_000}
VOTE_TEMPERATURE = 0.5  # softmax temperature of the votes: a lead of 1 point is a 7:1 vote

_ADMIN = r"regions?|provinces?|states?|oblasts?|governorates?|wilayas?|prefectures?|departments?|districts?"
_ADMIN_FR = r"régions?|préfectures?|départements?|gouvernorats?|cercles?|wilayas?|provinces?|oblasts?"
_ADMIN_AFTER = re.compile(rf"\s+(?:{_ADMIN})\b", re.I)
_ADMIN_BEFORE = re.compile(rf"\b(?:(?:{_ADMIN})\s+of(?:\s+the)?"
                           rf"|(?:{_ADMIN_FR})\s+(?:de\s+la|de|du|des|d['’]|de\s+l['’]))\s*$", re.I)
_FEATURE = r"rivers?|lakes?|mountains?|valley|basin|delta|desert|sea|gulf|forest|plateau|hills"
_FEATURE_AFTER = re.compile(rf"\s+(?:{_FEATURE})\b", re.I)
_FEATURE_BEFORE = re.compile(r"\b(?:river|lake|mount|fleuve|lac|rivière|mont|massif|golfe)\s+"
                             r"(?:du\s+|de\s+la\s+|de\s+l['’]|de\s+)?$", re.I)
_SUFFIX = re.compile(rf"\s+(?:{_ADMIN})$", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")
FEATURE_KINDS = frozenset({"feature", "region", "border", "other"})


@dataclass
class Toponym:
    """A place name found by NER: ``start``/``end`` index ``body``; ``label`` is GPE, LOC, FAC or PLACE."""

    text: str
    start: int
    end: int
    label: str = "GPE"


@dataclass
class _Name:
    """Every mention of one name, its candidates and the choice made for it."""

    mentions: list[Toponym]
    candidates: list[PlaceRecord]
    admin_cue: bool = False
    parents: list[tuple[int, int]] = field(default_factory=list)  # spans of "X, <this>" neighbours
    choice: PlaceRecord | None = None
    votes: Counter[str] = field(default_factory=Counter)  # country → share of this name's belief
    admin_votes: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass
class _Context:
    focus: dict[str, float]
    countries: Counter[str] = field(default_factory=Counter)
    admins: Counter[tuple[str, str]] = field(default_factory=Counter)
    total: int = 0
    parents: dict[tuple[int, int], PlaceRecord] = field(default_factory=dict)

    @property
    def conflict(self) -> bool:
        return any(c in CONFLICT_COUNTRIES for c in (*self.focus, *self.countries))


def resolve_places(toponyms: list[Toponym], body: str, focus: dict[str, float] | None = None,
                   gazetteer: Gazetteer | None = None, borders: bool = False) -> list[Place]:
    """One Place per distinct location the toponyms name (and, with ``borders``, the border phrases
    of ``body``: leave it off when calling ``border_places`` yourself).

    ``focus`` weighs countries the caller already knows the story is about ({"MLI": 5.0, "DZA": 1.0}:
    linked actors, demonyms). Toponyms with no convincing candidate are left out."""
    gaz = gazetteer or Gazetteer.default()
    top = max((w for w in (focus or {}).values() if w > 0), default=0.0)
    ctx = _Context({c.upper(): w / top for c, w in (focus or {}).items() if w > 0} if top else {})
    names = _group(toponyms, body, gaz)
    by_span = {(t.start, t.end): n for n in names for t in n.mentions}
    for name in names:  # first pass: no co-mentions yet
        _choose(name, ctx)
    for name in names:
        ctx.countries.update(name.votes)
        ctx.admins.update(name.admin_votes)
    ctx.total = len(names)
    ctx.parents = {span: n.choice for span, n in by_span.items() if n.choice is not None}
    for name in names:
        _choose(name, ctx)
    places: dict[str, Place] = {}
    for name in names:
        if name.choice is not None:
            _add(places, name.choice, [Span(t.text, t.start, t.end) for t in name.mentions])
    if borders:
        known = set(ctx.focus) | {p.country for p in places.values() if p.country}
        for place in border_places([], body, gaz, context=known):
            _add(places, place, place.mentions)
    return sorted(places.values(), key=lambda p: min((m.start for m in p.mentions), default=0))


def _add(places: dict[str, Place], source: PlaceRecord | Place, mentions: list[Span]) -> None:
    key = source.id or source.name
    if key not in places:
        places[key] = Place(name=source.name, lat=source.lat, lon=source.lon, mentions=[], id=source.id,
                            country=source.country, admin1=source.admin1, kind=source.kind)
    seen = {(m.start, m.end) for m in places[key].mentions}
    places[key].mentions.extend(m for m in mentions if (m.start, m.end) not in seen)
    places[key].mentions.sort(key=lambda m: m.start)


def _group(toponyms: list[Toponym], body: str, gaz: Gazetteer) -> list[_Name]:
    """Toponyms by (folded name, admin cue), each with its candidates; names without any are dropped."""
    groups: dict[tuple[str, bool], _Name] = {}
    spans = {t.start: t for t in toponyms}
    kb = KnowledgeBase.load()
    for t in sorted(toponyms, key=lambda t: t.start):
        # A demonym handed over as a toponym ("Canadian") names its country, not a town of that name.
        state = kb.by_demonym(t.text.strip())
        country = gaz.country(state.country) if state is not None and state.country else None
        candidates, admin_cue = ([country], False) if country else _candidates(t, body, gaz)
        if not candidates:
            continue
        name = groups.setdefault((fold(t.text), admin_cue), _Name([], candidates, admin_cue))
        name.mentions.append(t)
        after = re.match(r",\s*", body[t.end:t.end + 3])
        if after and t.end + after.end() in spans:  # "Gao, Mali": the next name contains this one
            nxt = spans[t.end + after.end()]
            name.parents.append((nxt.start, nxt.end))
    return list(groups.values())


def _candidates(t: Toponym, body: str, gaz: Gazetteer) -> tuple[list[PlaceRecord], bool]:
    """The entries a toponym may name, and whether a division word stands next to it."""
    before, after = body[max(0, t.start - 30):t.start], body[t.end:t.end + 20]
    text = t.text.strip(" \t\n\"'“”«»()")
    text = re.sub(r"^(?:the|The|THE)\s+", "", _POSSESSIVE.sub("", text))
    admin_after, admin_before = _ADMIN_AFTER.match(after), _ADMIN_BEFORE.search(before)
    feature_after, feature_before = _FEATURE_AFTER.match(after), _FEATURE_BEFORE.search(before)
    admin_cue = bool(admin_after or admin_before or _SUFFIX.search(text))
    variants = []
    for cue_after, cue_before in ((admin_after, admin_before), (feature_after, feature_before)):
        if cue_after:
            variants.append(text + cue_after.group(0))
        if cue_before:
            variants.append(cue_before.group(0) + text)
    variants += [text, _SUFFIX.sub("", text)]
    for variant in dict.fromkeys(variants):
        found = gaz.candidates(variant)
        # GeoNames holds populated places only, and its one- and two-letter alternate names are noise
        # ("Va." is not Wa, Ghana): a facility or a very short name needs an entry of our own data.
        if t.label == "FAC" or len(fold(variant).replace(" ", "")) < 3:
            found = [c for c in found if c.source != "geonames"]
        if (feature_after or feature_before) and variant == text:
            found = [c for c in found if c.kind in FEATURE_KINDS]  # "Niger River" is no country
        if found:
            return found, admin_cue
    return [], admin_cue


def _choose(name: _Name, ctx: _Context) -> None:
    """Pick the best-scoring candidate (None when it is not convincing) and spread the name's votes."""
    scored = sorted(((_score(c, name, ctx), c) for c in name.candidates), key=lambda sc: -sc[0])
    best = scored[0][1]
    name.choice = best if _convincing(best, name, ctx) else None
    weights = [math.exp((s - scored[0][0]) / VOTE_TEMPERATURE) for s, _ in scored]
    total = sum(weights)
    name.votes, name.admin_votes = Counter(), Counter()
    for w, (_, c) in zip(weights, scored, strict=True):
        if c.country:
            name.votes[c.country] += w / total
            if c.admin1:
                name.admin_votes[c.country, c.admin1] += w / total


def _convincing(c: PlaceRecord, name: _Name, ctx: _Context) -> bool:
    """An alternate name of a hamlet far from the story is more likely an NER error than a place."""
    country = c.country or ""
    return (c.exact or c.source != "geonames" or (c.population or 0) >= 1_000
            or country in ctx.focus or ctx.countries[country] - name.votes[country] > 0.5)


def _score(c: PlaceRecord, name: _Name, ctx: _Context) -> float:
    country = c.country or ""
    score = W_FOCUS * ctx.focus.get(country, 0.0)
    others = ctx.total - 1  # a name's own votes are no evidence for itself
    if others > 0:
        score += W_CONTEXT * (ctx.countries[country] - name.votes[country]) / others
        if c.admin1:
            key = (country, c.admin1)
            score += W_CONTEXT_ADMIN * (ctx.admins[key] - name.admin_votes[key]) / others
    population = c.population or DEFAULT_POPULATION.get(c.kind, 3_000)
    score += W_POPULATION * math.log10(max(population, 1)) / 7
    score += W_EXACT * c.exact
    if c.source == "ib" and ctx.conflict:
        score += W_ADDITION
    score += W_CAPITAL * c.capital
    score += _kind_score(c, name)
    for span in name.parents:
        parent = ctx.parents.get(span)
        if parent is not None and parent.country == c.country:
            same_admin = parent.kind != "admin" or parent.name == c.admin1
            score += W_CUE if same_admin else W_CUE / 2
    return score


def _kind_score(c: PlaceRecord, name: _Name) -> float:
    if c.kind in ("admin", "region"):
        if name.admin_cue:
            return W_CUE
        # A division named after its capital ("Gao", "Mopti"): the bare name is the town.
        if any(o.kind in ("city", "town", "village") and o.country == c.country and o.admin1 == c.name
               and o.exact for o in name.candidates):
            return -KIND_BONUS["admin"]
    return KIND_BONUS.get(c.kind, 0.0)


# ---- border phrases ----

_SIDE = r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,2}"
_BORDER_EN = re.compile(
    rf"(?P<a>{_SIDE})\s*[-–—/]\s*(?P<b>{_SIDE})(?:\s*[-–—/]\s*(?P<c>{_SIDE}))?"
    r"\s+(?:border|frontier|boundary)\b"
    rf"|\bborder\s+between\s+(?:the\s+)?(?P<a2>{_SIDE})\s+and\s+(?:the\s+)?(?P<b2>{_SIDE})"
    rf"|(?P<a3>{_SIDE})['’]s\s+(?:[a-z]+\s+){{0,2}}border\s+with\s+(?:the\s+)?(?P<b3>{_SIDE})")
_ART = r"(?:le\s+|la\s+|les\s+|l['’]\s*)?"
_BORDER_FR = re.compile(
    r"\bfrontières?\s+(?P<a>[a-zà-ÿ]+o)-(?P<b>[a-zà-ÿ]+)"
    rf"|\bfrontières?\s+(?:entre\s+)?{_ART}(?P<a2>{_SIDE})\s*(?:[-–]|\s+et\s+){_ART}(?P<b2>{_SIDE})")
_ARTICLE = re.compile(r"(?:(?:the|The|THE|la|La|le|Le)\s+|[lL]['’]\s*)?")
_TRI = re.compile(r"\b(?:tri-?border|three[- ]borders|trois[- ]frontières)(?:\s+(?:area|region|zone))?",
                  re.I)
_BORDER_ID = re.compile(r"ib:border-((?:[a-z]{3}-)+[a-z]{3})$")


def border_places(phrases: list[Toponym], body: str, gazetteer: Gazetteer | None = None,
                  kb: KnowledgeBase | None = None, context: set[str] | None = None) -> list[Place]:
    """Border places: those the caller's ``phrases`` name (border phrases its linker found, offsets into
    ``body``) and those the patterns here find in ``body``; one Place per border, every phrase a mention.

    ``context``: countries the story is known to be about; a bare "tri-border area" is only taken for
    an entry whose countries meet it (all entries qualify when it is None)."""
    gaz, kb = gazetteer or Gazetteer.default(), kb or KnowledgeBase.load()
    entries = _border_entries(gaz)
    found: dict[str, Place] = {}
    spans = [(t.start, t.end) for t in phrases]
    spans += [(m.start(), m.end()) for pattern in (_BORDER_EN, _BORDER_FR) for m in pattern.finditer(body)]
    taken: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda se: (se[0], -se[1])):
        start += len(_ARTICLE.match(body, start, end).group(0))  # "The Chad–Sudan border"
        m = next((m for p in (_BORDER_EN, _BORDER_FR) if (m := p.search(body, start, end))), None)
        if m is None or any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        sides = [v for v in m.groupdict().values() if v]
        codes = [code for code in (_side_country(s, gaz, kb) for s in sides) if code]
        if len(codes) == len(sides) and len(set(codes)) == len(codes) >= 2:
            place = _border_place(codes, entries, gaz)
            if place is not None:
                _add(found, place, [Span(body[start:end], start, end)])
    for m in _TRI.finditer(body):
        if any(p.start < m.end() and m.start() < p.end for place in found.values() for p in place.mentions):
            continue
        for record in gaz.candidates(m.group(0)):
            if record.kind == "border" and (context is None or _border_codes(record) & context):
                _add(found, record, [Span(m.group(0), m.start(), m.end())])
                break
    return sorted(found.values(), key=lambda p: p.mentions[0].start)


def _side_country(text: str, gaz: Gazetteer, kb: KnowledgeBase) -> str | None:
    """The country one side of a border phrase names: a demonym, a country name, a French prefix."""
    words = text.split()
    for i in range(len(words)):  # "The Mali" at a sentence start: try shorter tails
        tail = " ".join(words[i:])
        state = kb.by_demonym(tail)
        if state is not None and state.country:
            return state.country
        countries = {c.country for c in gaz.candidates(tail) if c.kind == "country"}
        if len(countries) == 1:
            return countries.pop()
    if len(words) == 1 and text.islower() and text.endswith("o"):
        return _combining_form(text, gaz, kb)
    return None


def _combining_form(word: str, gaz: Gazetteer, kb: KnowledgeBase) -> str | None:
    """French compound prefixes: "algéro-" → DZA, "burkinabo-" → BFA, "nigéro-" → NER (not Nigeria:
    of the countries whose name or demonym starts so, the one with the shortest name)."""
    stem = fold(word)[:-1]
    if len(stem) < 3:
        return None
    codes = {a.country for a in kb if a.type == "state" and a.country
             and any(fold(d).startswith(stem) for d in a.all_demonyms())}
    names = {c.country: fold(c.name) for c in _countries(gaz)}
    codes |= {code for code, name in names.items() if name.startswith(stem)}
    if not codes:
        return None
    return min(codes, key=lambda code: (len(names.get(code, "~" * 99)), code))


def _border_place(codes: list[str], entries: dict[frozenset[str], PlaceRecord],
                  gaz: Gazetteer) -> Place | None:
    record = entries.get(frozenset(codes))
    if record is not None:
        return _add_one(record)
    if len(codes) != 2:
        return None
    a, b = gaz.country(codes[0]), gaz.country(codes[1])
    point = _meeting_point(codes[0], codes[1])
    if a is None or b is None or point is None:
        return None  # not neighbours: the phrase was misread
    return Place(name=f"{a.name}–{b.name} border", lat=point[0], lon=point[1],
                 id=f"border:{'-'.join(codes)}", country=codes[0], kind="border")


def _add_one(record: PlaceRecord) -> Place:
    return Place(name=record.name, lat=record.lat, lon=record.lon, id=record.id, country=record.country,
                 admin1=record.admin1, kind=record.kind)


def _border_codes(record: PlaceRecord) -> set[str]:
    m = _BORDER_ID.match(record.id)
    return {code.upper() for code in m.group(1).split("-")} if m else {record.country or ""}


def _border_entries(gaz: Gazetteer) -> dict[frozenset[str], PlaceRecord]:
    """Our border entries by the set of countries their id names (ib:border-mli-dza → {MLI, DZA})."""
    return {frozenset(_border_codes(r)): r for r in _curated(gaz, "border") if _BORDER_ID.match(r.id)}


def _countries(gaz: Gazetteer) -> list[PlaceRecord]:
    return _curated(gaz, "country")


@lru_cache(maxsize=16)
def _curated(gaz: Gazetteer, kind: str) -> list[PlaceRecord]:
    return gaz.curated(kind)


@lru_cache(maxsize=1)
def _boxes() -> dict[str, tuple[float, float, float, float]]:
    """Country bounding boxes (min_lon, min_lat, max_lon, max_lat) from countries.tsv."""
    with (files("interbellum") / "data" / "places" / "countries.tsv").open(encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {r["alpha3"]: (float(r["min_lon"]), float(r["min_lat"]), float(r["max_lon"]),
                              float(r["max_lat"])) for r in rows}


def _meeting_point(a: str, b: str) -> tuple[float, float] | None:
    """The middle of where two countries' boxes overlap: near their common border for neighbours.
    Boxes that cross the antimeridian (Russia, the US, Fiji...) are not handled: None."""
    boxes = _boxes()
    if a not in boxes or b not in boxes or any(boxes[c][0] > boxes[c][2] for c in (a, b)):
        return None
    (w1, s1, e1, n1), (w2, s2, e2, n2) = boxes[a], boxes[b]
    west, south, east, north = max(w1, w2), max(s1, s2), min(e1, e2), min(n1, n2)
    if west > east or south > north:
        return None
    return round((south + north) / 2, 4), round((west + east) / 2, 4)

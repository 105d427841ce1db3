"""The actor knowledge base: the states, forces, groups, bodies, outlets and people a mention can name.

Entries live in ``data/actors/*.yaml`` (format: that folder's README.md). Loading validates every
entry, expands each country into three actors — the state (``mli``), its government (``mli.gov``)
and its armed forces (``mli.mil``) — and builds the indexes the linker asks:

    >>> kb = KnowledgeBase.load()
    >>> [a.id for a in kb.lookup("FAMa")]
    ['mli.mil']
    >>> kb.by_demonym("Burkinabè").id
    'bfa'

Matching rule: an all-caps acronym of at most five letters ("AES", "U.S.") matches only in capitals,
so that the pronoun "us" or a lower-case word never names an actor; everything else matches whatever
its case. The rule applies word by word: "US forces" matches "US Forces" but not "us forces", while a
headline's "MALI" still finds "Mali". Curly apostrophes and quotes count as straight ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

TYPES = frozenset({"state", "government", "military", "police", "armed_group", "pmc", "organization",
                   "media", "company", "person", "other"})
AMBIGUOUS_FILE = "ambiguous.yaml"
# Readings of an ambiguous alias that are not actors of the base: the linker hands "place" to the
# gazetteer (the river Niger, the US state of Georgia), leaves "person" alone (a man called Chad) and
# "other" unlinked (EDF the French utility, not the Eritrean Defence Forces).
NON_ACTOR_READINGS = frozenset({"place", "person", "other"})

# libyaml's loader parses the whole base several times faster; fall back where it is not built.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_ISO3 = re.compile(r"[A-Z]{3}")
_ISO2 = re.compile(r"[A-Z]{2}")
_LANG = re.compile(r"[a-z]{2,5}")
# News text mixes typographic and typewriter forms of the same name ("Côte d’Ivoire").
_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                        "\u2010": "-", "\u2011": "-"})

# What each field of an entry may hold; a country entry adds "government" and "military".
_STR, _INT, _BOOL, _STRS, _LANGS = "a string", "a year", "true or false", "a list of strings", "a language map"
_FIELDS = {"id": _STR, "name": _STR, "type": _STR, "country": _STR, "parent": _STR, "aliases": _LANGS,
           "demonyms": _LANGS, "metonyms": _STRS, "note": _STR, "state_affiliated": _BOOL, "basis": _STR,
           "domains": _STRS, "kind": _STR, "role": _STR, "since": _INT, "iso2": _STR, "capital": _STR}
_PARTS = {"government": ("gov", "government"), "military": ("mil", "military")}


@dataclass(frozen=True, eq=False)
class Actor:
    """One entry of the base; ``aliases`` and ``demonyms`` map a language ("en", "fr", "other") to forms."""

    id: str
    name: str
    type: str
    country: str | None = None
    parent: str | None = None
    aliases: dict[str, list[str]] = field(default_factory=dict)
    demonyms: dict[str, list[str]] = field(default_factory=dict)
    metonyms: list[str] = field(default_factory=list)
    note: str | None = None
    state_affiliated: bool | None = None
    basis: str | None = None
    domains: list[str] = field(default_factory=list)
    kind: str | None = None
    role: str | None = None
    since: int | str | None = None
    iso2: str | None = None
    capital: str | None = None

    def names(self) -> list[str]:
        """The canonical name and every alias, in file order, without repeats."""
        forms = [self.name, *(a for forms in self.aliases.values() for a in forms)]
        return list(dict.fromkeys(forms))

    def all_demonyms(self) -> list[str]:
        return list(dict.fromkeys(d for forms in self.demonyms.values() for d in forms))


@dataclass(frozen=True)
class Ambiguity:
    """An alias that deliberately names several entries, and the rule that picks one."""

    alias: str
    entries: tuple[str, ...]
    rule: str


def normalise(text: str) -> str:
    """The form names are compared in: NFC, straight quotes, single spaces."""
    if not text.isascii():  # ASCII, the common case, skips NFC: it is most of the cost of indexing
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.translate(_PUNCT).split())


def is_acronym(text: str) -> bool:
    """All-caps with 1–5 letters ("AES", "U.S.", "M23"): such words match only as written.

    Public so that an entity ruler built from ``surface_forms`` can apply the same rule per token."""
    return text.isupper() and sum(c.isalpha() for c in text) <= 5


def _key(norm: str) -> str:
    """The index key of a normalised alias: acronym words kept as written, other words case-folded."""
    return " ".join(w if is_acronym(w) else w.casefold() for w in norm.split(" "))


def _keys(surface: str) -> list[str]:
    """The keys a surface form may match: word by word, and wholly folded (an all-caps "MALI")."""
    norm = normalise(surface)
    return list(dict.fromkeys((_key(norm), norm.casefold())))


def _fold(text: str) -> str:
    return normalise(text).casefold()


# ---- validation and expansion of one file's entries ----

def _is_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _valid(kind: str, value: Any) -> bool:
    if value is None:
        return True
    if kind == _STR:
        return _is_str(value)
    if kind == _INT:
        return isinstance(value, int | str | date) and not isinstance(value, bool)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _STRS:
        return isinstance(value, list) and all(_is_str(v) for v in value)
    return isinstance(value, dict) and all(
        isinstance(k, str) and _LANG.fullmatch(k) and isinstance(v, list) and _valid(_STRS, v)
        for k, v in value.items())


def _check_fields(raw: dict[str, Any], where: str) -> None:
    unknown = sorted(set(raw) - set(_FIELDS) - set(_PARTS))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key, kind in _FIELDS.items():
        if not _valid(kind, raw.get(key)):
            raise ConfigError(f"{where}: {key} must be {kind}, not {raw.get(key)!r}")
    for key in ("name", "type"):
        if raw.get(key) is None:
            raise ConfigError(f"{where}: {key} is missing")
    if raw["type"] not in TYPES:
        raise ConfigError(f"{where}: type {raw['type']!r} is not one of {', '.join(sorted(TYPES))}")
    if raw.get("country") is not None and not _ISO3.fullmatch(raw["country"]):
        raise ConfigError(f"{where}: country must be an ISO alpha-3 code such as MLI, not {raw['country']!r}")


def _check_country(raw: dict[str, Any], where: str) -> None:
    """A country entry: its codes agree with its id and it says what its two parts are."""
    missing = [k for k in ("country", "capital", *_PARTS) if k not in raw]
    if missing:
        raise ConfigError(f"{where}: a country entry needs {', '.join(missing)}")
    if raw["type"] == "state" and (raw["country"] != raw["id"].upper() or raw.get("iso2") is None):
        raise ConfigError(f"{where}: a state's country must be its id in capitals and it needs an iso2")
    if raw.get("iso2") is not None and not _ISO2.fullmatch(raw["iso2"]):
        raise ConfigError(f"{where}: iso2 must be two capital letters, not {raw['iso2']!r}")
    for part in _PARTS:
        sub = raw[part]
        if sub is None:  # a state without armed forces (Costa Rica) says so with null
            continue
        if (not isinstance(sub, dict) or set(sub) - {"name", "aliases", "note"} or not _is_str(sub.get("name"))
                or not _valid(_LANGS, sub.get("aliases")) or not _valid(_STR, sub.get("note"))):
            raise ConfigError(f"{where}: {part} must be a mapping of name, aliases and optional note")


def _actor(raw: dict[str, Any]) -> Actor:
    values = {k: v for k, v in raw.items() if k in _FIELDS and v is not None}
    if isinstance(values.get("since"), date):
        values["since"] = values["since"].isoformat()
    return Actor(**values)


def _parse_entry(raw: Any, where: str) -> list[Actor]:
    """One YAML entry as its actor(s): a country entry gives the state, its government and military."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: an entry must be a mapping, not {type(raw).__name__}")
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        raise ConfigError(f"{where}: id must be lowercase [a-z0-9._-], not {ident!r}")
    where = f"{where} ({ident})"
    _check_fields(raw, where)
    if not any(part in raw for part in _PARTS):
        return [_actor(raw)]
    _check_country(raw, where)
    state = _actor(raw)
    parts = [Actor(id=f"{ident}.{suffix}", name=raw[part]["name"], type=kind, country=state.country,
                   parent=ident, aliases=raw[part].get("aliases") or {}, note=raw[part].get("note"))
             for part, (suffix, kind) in _PARTS.items() if raw[part] is not None]
    return [state, *parts]


def _parse_ambiguity(raw: Any, where: str) -> list[Ambiguity]:
    """One entry of ambiguous.yaml; ``alias`` may be a list of forms that share entries and rule."""
    if (not isinstance(raw, dict) or set(raw) != {"alias", "entries", "rule"} or not _is_str(raw["rule"])
            or not (_is_str(raw["alias"]) or (_valid(_STRS, raw["alias"]) and raw["alias"]))
            or not _valid(_STRS, raw["entries"]) or len(raw["entries"]) < 2):
        raise ConfigError(f"{where}: needs exactly alias (a form or a list), entries (two or more) and rule")
    forms = [raw["alias"]] if isinstance(raw["alias"], str) else raw["alias"]
    return [Ambiguity(form, tuple(raw["entries"]), raw["rule"]) for form in forms]


def _read_list(source: Traversable | Path) -> list[Any]:
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source.name}: not valid YAML ({exc})") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{source.name}: must be a YAML list of entries")
    return data


# ---- the base ----

class KnowledgeBase:
    """Every actor by id, with indexes from surface forms, demonyms, capital metonyms and web domains."""

    def __init__(self, actors: Iterable[Actor], ambiguities: Iterable[Ambiguity] = ()) -> None:
        self._actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise ConfigError(f"actor id {actor.id!r} is used twice")
            self._actors[actor.id] = actor
        self.ambiguities: list[Ambiguity] = list(ambiguities)
        self._ambiguous = {_key(normalise(a.alias)): a for a in self.ambiguities}
        self._names: dict[str, list[Actor]] = {}
        self._demonyms: dict[str, list[Actor]] = {}
        self._metonyms: dict[str, list[Actor]] = {}
        self._domains: dict[str, Actor] = {}
        for actor in self._actors.values():
            self._index(actor)

    def _index(self, actor: Actor) -> None:
        for name in actor.names():
            _add(self._names, _key(normalise(name)), actor)
        for word in actor.all_demonyms():
            _add(self._demonyms, _fold(word), actor)
        for word in actor.metonyms:
            _add(self._metonyms, _fold(word), actor)
        for domain in actor.domains:
            self._domains.setdefault(domain.lower().removeprefix("www."), actor)

    @classmethod
    def load(cls, path: str | Path | None = None) -> KnowledgeBase:
        """The base in ``path`` (a folder of YAML files); without one, the packaged base, loaded once."""
        if path is None:
            return _packaged()
        return cls.from_folder(Path(path))

    @classmethod
    def from_folder(cls, folder: Traversable | Path) -> KnowledgeBase:
        """Read, validate and expand every ``*.yaml`` in ``folder``; raise ConfigError on the first fault."""
        actors: list[Actor] = []
        origin: dict[str, str] = {}
        raw_ambiguities: list[Any] = []
        for source in sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name):
            entries = _read_list(source)
            if source.name == AMBIGUOUS_FILE:
                raw_ambiguities = entries
                continue
            for n, raw in enumerate(entries, 1):
                for actor in _parse_entry(raw, f"{source.name} entry {n}"):
                    if actor.id in origin:
                        raise ConfigError(f"{source.name} ({actor.id}): id already used in {origin[actor.id]}")
                    origin[actor.id] = source.name
                    actors.append(actor)
        ambiguities = [amb for n, raw in enumerate(raw_ambiguities, 1)
                       for amb in _parse_ambiguity(raw, f"{AMBIGUOUS_FILE} entry {n}")]
        _check_links(actors, origin, ambiguities)
        return cls(actors, ambiguities)

    def get(self, id: str) -> Actor | None:
        return self._actors.get(id)

    def lookup(self, surface: str) -> list[Actor]:
        """Every actor whose name or alias ``surface`` is (several only for an ambiguous alias)."""
        return list(dict.fromkeys(a for key in _keys(surface) for a in self._names.get(key, [])))

    def ambiguity(self, surface: str) -> Ambiguity | None:
        """The resolution rule for ``surface`` if ambiguous.yaml lists it."""
        return next((self._ambiguous[k] for k in _keys(surface) if k in self._ambiguous), None)

    def demonym_candidates(self, word: str) -> list[Actor]:
        """Every state (or de facto entity) whose demonym ``word`` is, whatever its case."""
        return list(self._demonyms.get(_fold(word), []))

    def by_demonym(self, word: str) -> Actor | None:
        """The state ``word`` ("Malian", "burkinabè") is the demonym of; None if none or ambiguous."""
        found = self._demonyms.get(_fold(word), [])
        return found[0] if len(found) == 1 else None

    def by_metonym(self, word: str) -> Actor | None:
        """The state a capital stands for ("Moscow" → Russia); whether it does here is the linker's call."""
        found = self._metonyms.get(_fold(word), [])
        return found[0] if len(found) == 1 else None

    def by_domain(self, domain: str) -> Actor | None:
        """The outlet behind a web domain; subdomains fall back to their parent ("fr.rt.com" → rt.com)."""
        host = domain.lower().strip().removeprefix("www.")
        while host:
            if host in self._domains:
                return self._domains[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        return None

    def surface_forms(self) -> Iterator[tuple[str, Actor]]:
        """(name or alias, actor) pairs, e.g. for an entity ruler; demonyms and metonyms are left out
        because they name a nationality or a place at least as often as an actor."""
        for actor in self._actors.values():
            for name in actor.names():
                yield name, actor

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, id: object) -> bool:
        return id in self._actors


def _add(index: dict[Any, list[Actor]], key: Any, actor: Actor) -> None:
    bucket = index.setdefault(key, [])
    if actor not in bucket:
        bucket.append(actor)


def _check_links(actors: list[Actor], origin: dict[str, str], ambiguities: list[Ambiguity]) -> None:
    """Every parent, country code and ambiguity entry points at something that exists."""
    codes = {a.country for a in actors if f"{a.id}.gov" in origin or f"{a.id}.mil" in origin}
    for actor in actors:
        where = f"{origin[actor.id]} ({actor.id})"
        if actor.parent is not None and actor.parent not in origin:
            raise ConfigError(f"{where}: parent {actor.parent!r} is not an id in the base")
        if actor.country is not None and actor.country not in codes:
            raise ConfigError(f"{where}: country {actor.country!r} is not the code of a country entry")
    for amb in ambiguities:
        unknown = [e for e in amb.entries if e not in origin and e not in NON_ACTOR_READINGS]
        if unknown:
            raise ConfigError(f"{AMBIGUOUS_FILE} ({amb.alias}): unknown entries {', '.join(unknown)}")


@lru_cache(maxsize=1)
def _packaged() -> KnowledgeBase:
    return KnowledgeBase.from_folder(files("interbellum") / "data" / "actors")

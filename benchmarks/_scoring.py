"""The reference scorer's matching rules (../shared/seed/score.py, gold.json "about"), as functions.

Used on any gold file shaped like the seed's gold.json — the seed itself and our annotated set
(tests/fixtures/annotated/*.gold.json) — so that figures on both are computed the same way:

- an entity matches a gold entry when one of its names (canonical name or a mention's text) is in the
  gold's accept list, its type is one of the gold's types, and its country agrees when the gold's is
  not null; a place when a name matches and it lies within the gold's tolerance; a time when its
  value is the gold's and one text contains the other (ours longer than three characters when it is
  the contained one);
- recall counts the non-optional gold entries found; precision the predictions that match any gold
  entry, optional ones included (optional entries are neither rewarded nor punished);
- events and situations follow the same "about" rules (kept here for the later stages).

Names are compared after NFKC, straightened quotes, case folding and whitespace collapsing.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Item = dict[str, Any]


def norm(s: str | None) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", s).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(s.casefold().split())


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    r = math.radians
    d = (math.sin(r(b_lat - a_lat) / 2) ** 2
         + math.cos(r(a_lat)) * math.cos(r(b_lat)) * math.sin(r(b_lon - a_lon) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(d))


def names_of(item: Item) -> set[str]:
    return {norm(item.get("name"))} | {norm(m.get("text")) for m in item.get("mentions", [])}


@dataclass
class Tally:
    """Found/core for recall, matched/predicted for precision, and what went wrong, for the report."""

    found: int = 0
    core: int = 0
    matched: int = 0
    predicted: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.core if self.core else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0  # as score.py

    def __iadd__(self, other: Tally) -> Tally:
        self.found += other.found
        self.core += other.core
        self.matched += other.matched
        self.predicted += other.predicted
        self.missed += other.missed
        self.spurious += other.spurious
        return self


def _tally(golds: list[Item], preds: list[Item], hit, label_gold, label_pred) -> Tally:
    t = Tally(core=sum(not g.get("optional") for g in golds), predicted=len(preds))
    used: set[int] = set()
    for g in golds:
        hits = [i for i, p in enumerate(preds) if hit(g, p)]
        used.update(hits)
        if not g.get("optional"):
            if hits:
                t.found += 1
            else:
                t.missed.append(label_gold(g))
    t.matched = len(used)
    t.spurious = [label_pred(p) for i, p in enumerate(preds) if i not in used]
    return t


def entity_hit(g: Item, e: Item) -> bool:
    accept = {norm(x) for x in g["accept"]}
    return bool(names_of(e) & accept) and e.get("type") in g["type"] and (
        g["country"] is None or e.get("country") == g["country"])


def place_hit(g: Item, p: Item) -> bool:
    accept = {norm(x) for x in g.get("accept", [g["name"]])} | {norm(g["name"])}
    return bool(names_of(p) & accept) and km(p["lat"], p["lon"], g["lat"], g["lon"]) <= g["tolerance_km"]


def time_hit(g: Item, t: Item) -> bool:
    if t.get("value") != g["value"]:
        return False
    return norm(g["text"]) in norm(t["text"]) or (norm(t["text"]) in norm(g["text"]) and len(t["text"]) > 3)


def score_entities(gold: Item, out: Item) -> Tally:
    return _tally(gold["entities"], out.get("entities", []), entity_hit, lambda g: g["name"],
                  lambda e: f"{e.get('name')} ({e.get('type')}, {e.get('country')})")


def score_places(gold: Item, out: Item) -> Tally:
    return _tally(gold["places"], out.get("places", []), place_hit, lambda g: g["name"],
                  lambda p: f"{p.get('name')} ({p.get('lat')}, {p.get('lon')})")


def score_times(gold: Item, out: Item) -> Tally:
    """Recall only, as the reference scorer: times carry no precision figure there."""
    core = [g for g in gold["times"] if not g.get("optional")]
    t = _tally(core, out.get("times", []), time_hit, lambda g: f"{g['text']} -> {g['value']}",
               lambda p: f"{p.get('text')} -> {p.get('value')}")
    return t


def knowledge(golds_outs: Iterable[tuple[Item, Item]]) -> dict[str, Any]:
    """Entity, place and time figures pooled over (gold, output) pairs, with the reference figure:
    the weakest recall, or 0 when entity or place precision is under 0.9."""
    ents, places, times = Tally(), Tally(), Tally()
    for gold, out in golds_outs:
        ents += score_entities(gold, out)
        places += score_places(gold, out)
        times += score_times(gold, out)
    figure = min(ents.recall, places.recall, times.recall)
    return {
        "entities": {"recall": ents.recall, "precision": ents.precision, "missed": ents.missed,
                     "spurious": ents.spurious},
        "places": {"recall": places.recall, "precision": places.precision, "missed": places.missed,
                   "spurious": places.spurious},
        "times": {"recall": times.recall, "missed": times.missed},
        "figure": figure if min(ents.precision, places.precision) >= 0.9 else 0.0,
    }


# ---- events and situations (the later stages), same rules as score.py ----

def aliases(gold: Item, with_places: bool = False) -> dict[str, str]:
    """Normalised accepted name → gold canonical name (entities; places too for situations)."""
    alias = {norm(x): g["name"] for g in gold["entities"] for x in [*g["accept"], g["name"]]}
    if with_places:
        for g in gold["places"]:
            for x in [*g.get("accept", []), g["name"]]:
                alias.setdefault(norm(x), g["name"])
    return alias


def event_hit(g: Item, e: Item, alias: dict[str, str]) -> bool:
    def canon(names: Iterable[str]) -> set[str]:
        return {alias.get(norm(n), norm(n)) for n in names}

    if e.get("type") not in g["type"]:
        return False
    if g["actors"] and not canon(e.get("actors", [])) & set(g["actors"]):
        return False
    if g["targets"] and not g.get("targets_optional") and not canon(e.get("targets", [])) & set(g["targets"]):
        return False
    return not g.get("date") or str(e.get("date") or "").startswith(g["date"])


def situation_hit(g: Item, t: Item, alias: dict[str, str]) -> bool:
    def canon(n: str) -> str:
        return alias.get(norm(n), norm(n))

    if t.get("relation") not in g["relation"]:
        return False
    if canon(t.get("subject", "")) not in g["subject"] or canon(t.get("object", "")) not in g["object"]:
        return False
    for k in ("start", "end"):
        if g.get(k) and not str(t.get(k) or "").startswith(g[k]):
            return False
    return g.get("ongoing") is None or t.get("ongoing") == g["ongoing"]


def score_events(gold: Item, out: Item) -> Tally:
    alias = aliases(gold)
    return _tally(gold["events"], out.get("events", []), lambda g, e: event_hit(g, e, alias),
                  lambda g: f"{g['id']}: {g['what']}", lambda e: f"{e.get('type')} {e.get('actors')}")


def score_situations(gold: Item, out: Item) -> Tally:
    alias = aliases(gold, with_places=True)
    return _tally(gold["situations"], out.get("situations", []), lambda g, t: situation_hit(g, t, alias),
                  lambda g: f"{g['id']}: {g['what']}",
                  lambda t: f"{t.get('subject')} {t.get('relation')} {t.get('object')}")


def bench_args(description: str, rounds: int) -> Any:
    """The command line the seed-and-set benches share: --rounds and --verbose."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=rounds, help="timed passes over the texts")
    parser.add_argument("--verbose", action="store_true", help="list what was missed and what was spurious")
    return parser.parse_args()


def part_printer(what: str) -> Callable[[str, dict[str, Any], bool], None]:
    """A printer of one part's recall/precision line for ``what`` (events, situations), with what was
    missed and what was spurious when verbose."""
    def print_part(name: str, r: dict[str, Any], verbose: bool) -> None:
        print(f"{name:<10} {what} recall {r['found']}/{r['core']} = {r['recall']:.3f}, precision "
              f"{r['matched']}/{r['predicted']} = {r['precision']:.3f}")
        if verbose:
            for label in ("missed", "spurious"):
                if r.get(label):
                    print(f"    {label} ({len(r[label])}):\n      " + "\n      ".join(r[label]))

    return print_part


def print_seed_and_set(r: dict[str, Any], print_part: Any, verbose: bool) -> None:
    """The seed's figures (with the reference scorer's lines when verbose), then the annotated set's."""
    if r["seed"]:
        if verbose:
            print("\n".join(r["seed"]["lines"]))
        print_part("seed", r["seed"], False)
    a = r["annotated"]
    if a:
        for key in ["all", *sorted(k for k in a if k not in ("all", "articles"))]:
            print_part(f"set:{key}", a[key], verbose and key == "all")
        print(f"(annotated set: {a['articles']} articles)")

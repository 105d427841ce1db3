"""Who did what to whom: the events stage on the seed page and on our annotated set, and its cost.

    python benchmarks/events_seed_bench.py [--rounds N] [--verbose] [--classifier NAME]

The classifier is the one ``--classifier`` or ``$INTERBELLUM_EVENT_CLASSIFIER`` names, else the default.

(a) seed: ``../shared/seed/score.py events``, the reference scorer, run on ``interbellum extract``
    (the ``interbellum`` beside this interpreter comes first on PATH): recall over the non-optional
    gold events, precision over every event we print (an event counts when it matches any gold event,
    optional ones included).
(b) annotated: the same figures, computed the same way (``_scoring.score_events``), pooled over
    ``tests/fixtures/annotated/*.gold.json``, each text read in-process with its gold's ``published``;
    also per language.
(c) speed: the whole read with events (``Pipeline(("knowledge.v1", "events.v1"))``) against the same
    read without them (``Pipeline(("knowledge.v1",))``) over the same texts (the annotated set and the
    seed), as a ratio with / without. Models and the classifier load in an untimed warm-up pass; the
    two sides alternate text by text (which goes first alternates too) so that load on a shared
    machine falls on both.

``run()`` returns the figures for the quality gate. The seed and the set measure; the coder's rules
are never tuned on one of their items without a test sentence of our own that shows the rule.
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _scoring
from interbellum.model import RawPage
from interbellum.pipeline import Pipeline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT.parent / "shared" / "seed"
SEED_PAGE = SEED / "000_f6f6e2b19beb842d.txt"
ANNOTATED = ROOT / "tests" / "fixtures" / "annotated"
ROUNDS = 3
WITH_EVENTS = ("knowledge.v1", "events.v1")
WITHOUT_EVENTS = ("knowledge.v1",)
_SUMMARY = r"seed {kind}: recall (\d+)/(\d+) = [\d.]+, precision (\d+)/(\d+) = [\d.]+"


def seed(kind: str = "events") -> dict[str, Any]:
    """The reference scorer's figures on the seed page for ``kind`` (events or situations), its printed
    lines kept for the report."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    p = subprocess.run([sys.executable, str(SEED / "score.py"), kind], capture_output=True, text=True,
                       timeout=1800, env=env, cwd=ROOT)
    m = re.search(_SUMMARY.format(kind=kind), p.stdout)
    if m is None:
        raise RuntimeError(f"score.py {kind} failed: {p.stdout[-500:]} {p.stderr[-500:]}")
    found, core, matched, predicted = map(int, m.groups())
    recall, precision = found / core, (matched / predicted if predicted else 0.0)
    return {"recall": recall, "precision": precision, "found": found, "core": core, "matched": matched,
            "predicted": predicted, "figure": recall if precision >= 0.8 else 0.0,
            "lines": p.stdout.splitlines()[:-1]}


def annotated_items() -> list[tuple[Path, dict[str, Any]]]:
    return [(txt, json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8")))
            for txt in sorted(ANNOTATED.glob("*.txt")) if txt.with_suffix(".gold.json").exists()]


def _tally_dict(t: _scoring.Tally) -> dict[str, Any]:
    return {"recall": t.recall, "precision": t.precision, "found": t.found, "core": t.core,
            "matched": t.matched, "predicted": t.predicted, "missed": t.missed, "spurious": t.spurious}


def annotated(pipe: Pipeline, score: Callable[[dict[str, Any], dict[str, Any]], _scoring.Tally] | None = None
              ) -> dict[str, Any]:
    """Pooled figures over the annotated set, overall and per language: ``score(gold, output)`` per
    article (default: events)."""
    score = score or _scoring.score_events
    tallies: dict[str, _scoring.Tally] = {"all": _scoring.Tally()}
    items = annotated_items()
    for txt, gold in items:
        raw = RawPage(input=str(txt), content=txt.read_text(encoding="utf-8"), kind="text")
        out = pipe.process(raw, gold.get("published")).to_dict()
        tally = score(gold, out)
        for key in ("all", gold["article"]["language"]):
            tallies.setdefault(key, _scoring.Tally())
            tallies[key] += _scoring.Tally(tally.found, tally.core, tally.matched, tally.predicted,
                                           [f"{txt.name[:3]} {m}" for m in tally.missed],
                                           [f"{txt.name[:3]} {s}" for s in tally.spurious])
    if not items:
        return {}
    result = {key: _tally_dict(t) for key, t in tallies.items()}
    result["articles"] = len(items)
    return result


def speed(rounds: int = ROUNDS) -> dict[str, Any]:
    """Seconds per pass over the texts with and without the events stage, and their ratio."""
    items = [(txt, gold.get("published")) for txt, gold in annotated_items()]
    if SEED_PAGE.exists():
        items.append((SEED_PAGE, "2025-06-09"))
    texts = [RawPage(input=str(path), content=path.read_text(encoding="utf-8"), kind="text") for path, _ in items]
    published = [pub for _, pub in items]
    sides = (Pipeline(WITHOUT_EVENTS), Pipeline(WITH_EVENTS))
    for raw, pub in zip(texts, published, strict=True):  # warm-up: models, ruler, classifier load here
        for pipe in sides:
            pipe.process(raw, pub)
    seconds: list[list[float]] = [[], []]
    for r in range(rounds):
        gc.collect()
        spent = [0.0, 0.0]
        for i, (raw, pub) in enumerate(zip(texts, published, strict=True)):
            for side in ((0, 1) if (i + r) % 2 == 0 else (1, 0)):
                t0 = time.perf_counter()
                sides[side].process(raw, pub)
                spent[side] += time.perf_counter() - t0
        seconds[0].append(spent[0])
        seconds[1].append(spent[1])
    without, with_ = statistics.mean(seconds[0]), statistics.mean(seconds[1])
    return {"texts": len(texts), "characters": sum(len(t.content) for t in texts), "without_seconds": without,
            "with_seconds": with_, "ratio": with_ / without,
            "round_ratios": [w / o for w, o in zip(seconds[1], seconds[0], strict=True)]}


def run(rounds: int = ROUNDS) -> dict[str, Any]:
    """{"seed": ..., "annotated": ..., "speed": ...}; seed is None when ../shared is absent."""
    return {"seed": seed() if SEED.is_dir() else None, "annotated": annotated(Pipeline(WITH_EVENTS)),
            "speed": speed(rounds)}


_print_part = _scoring.part_printer("events")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed passes over the texts")
    parser.add_argument("--verbose", action="store_true", help="list what was missed and what was spurious")
    parser.add_argument("--classifier", metavar="NAME",
                        help="a registered event classifier (default: $INTERBELLUM_EVENT_CLASSIFIER, else "
                             "the package default); the seed's scorer runs with it too")
    args = parser.parse_args()
    if args.classifier:
        from interbellum.events.classify import CLASSIFIER_ENV

        os.environ[CLASSIFIER_ENV] = args.classifier  # read by the stage here and by score.py's extract
    r = run(args.rounds)
    _scoring.print_seed_and_set(r, _print_part, args.verbose)
    s = r["speed"]
    print(f"speed: {s['texts']} texts, {s['characters']} characters; without events {s['without_seconds']:.2f} s, "
          f"with events {s['with_seconds']:.2f} s; ratio {s['ratio']:.2f} "
          f"(per round: {', '.join(f'{x:.2f}' for x in s['round_ratios'])})")


if __name__ == "__main__":
    main()

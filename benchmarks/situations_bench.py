"""Situations (who is where, with or against whom, since when) on the seed page and our annotated set.

    python benchmarks/situations_bench.py [--verbose]

(a) seed: ``../shared/seed/score.py situations``, the reference scorer, run on ``interbellum extract``
    (the ``interbellum`` beside this interpreter comes first on PATH): recall over the non-optional gold
    situations, precision over every situation we print (one that matches an optional gold item counts).
(b) annotated: the same figures, computed the same way (``_scoring.score_situations``), pooled over
    ``tests/fixtures/annotated/*.gold.json``, each text read in-process with its gold's ``published``;
    also per language. A name we print that is not among the gold's accepted names but is, in the
    knowledge base, the same entry as one gold entity's name or accepted name (the KB's canonical
    "Armed Forces of the Russian Federation" for the gold's "Russian Armed Forces", "Déby" for "Deby")
    counts as that entity: the seed's rule accepts equivalent names, and the KB's alias table says which
    are. A different entry (a state's government for the state) is never merged here.

``run()`` returns the figures for the quality gate. The seed and the set measure; the cue lexicon
(data/situations/cues.tsv) is words, never a sentence of theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import _scoring
import events_seed_bench
from events_seed_bench import SEED
from interbellum.knowledge.actors import KnowledgeBase
from interbellum.pipeline import DEFAULT_STAGES, Pipeline

ROOT = Path(__file__).resolve().parent.parent


def seed() -> dict[str, Any]:
    """The reference scorer's situation figures on the seed page."""
    return events_seed_bench.seed("situations")


def annotated(pipe: Pipeline) -> dict[str, Any]:
    """Pooled situation figures over the annotated set, overall and per language."""
    kb = KnowledgeBase.load()
    return events_seed_bench.annotated(
        pipe, lambda gold, out: _scoring.score_situations(gold, _as_gold_names(gold, out, kb)))


def _as_gold_names(gold: dict[str, Any], out: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """``out`` with each situation's subject or object renamed to the gold entity that is the same KB entry,
    when the printed name is not already one the gold accepts and exactly one gold entity shares the entry."""
    alias = _scoring.aliases(gold, with_places=True)
    by_id: dict[str, set[str]] = {}
    for g in gold["entities"]:
        for name in [g["name"], *g["accept"]]:
            for actor in kb.lookup(name):
                by_id.setdefault(actor.id, set()).add(g["name"])

    def rename(name: str) -> str:
        if _scoring.norm(name) in alias:
            return name
        golds = {g for actor in kb.lookup(name) for g in by_id.get(actor.id, ())}
        return golds.pop() if len(golds) == 1 else name

    situations = [dict(t, subject=rename(t.get("subject") or ""), object=rename(t.get("object") or ""))
                  for t in out.get("situations", [])]
    return dict(out, situations=situations)


def run() -> dict[str, Any]:
    """{"seed": ..., "annotated": ...}; seed is None when ../shared is absent."""
    return {"seed": seed() if SEED.is_dir() else None, "annotated": annotated(Pipeline(DEFAULT_STAGES))}


_print_part = _scoring.part_printer("situations")


def main() -> None:
    args = _scoring.bench_args(__doc__.split("\n")[0], 1)
    _scoring.print_seed_and_set(run(), _print_part, args.verbose)


if __name__ == "__main__":
    main()

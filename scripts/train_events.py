"""Cross-validate the sentence event classifier on the package's own training sentences.

    python scripts/train_events.py --cv [--folds 5]     # held-out figures on our own sentences
    python scripts/train_events.py --fit                # fit and cache the model now (first use does it too)
    python scripts/train_events.py --explain "Police fired tear gas at marchers in Conakry."

The classifier is trained at first use from ``src/interbellum/data/events/examples*.jsonl``; nothing
fitted is shipped. Its thresholds and regularisation (``events/classify.py``, ``events/training.py``)
are chosen with ``--cv`` here, on our sentences only: the benchmarks under ``../shared/bench`` measure,
they never choose a setting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections import Counter
from typing import Any

from interbellum.events import classify, training
from interbellum.events.lexicon import Lexicon


def _fold_of(examples: list[training.Example], folds: int, seed: int = 13) -> list[int]:
    """Folds stratified on each sentence's first label (its ACLED type, else PLOVER type, else none)."""
    groups: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        key = next((ev["acled"] or ev["plover"] for ev in ex.events), "none")
        groups.setdefault(key, []).append(i)
    rng = random.Random(seed)
    fold = [0] * len(examples)
    for idx in groups.values():
        rng.shuffle(idx)
        for k, i in enumerate(idx):
            fold[i] = k % folds
    return fold


def cv(folds: int = 5, grid: dict[str, list[float]] | None = None) -> list[dict[str, Any]]:
    """Held-out figures pooled over the folds, for each setting of the decoding thresholds in ``grid``
    (names of ``classify`` module constants; one fit per fold serves every setting)."""
    lexicon = Lexicon.load()
    examples = training.load_examples()
    fold = _fold_of(examples, folds)
    tested: list[tuple[training.Example, classify.EventClassifier]] = []
    for f in range(folds):
        train = [ex for ex, k in zip(examples, fold, strict=True) if k != f]
        clf = classify.EventClassifier(training.fit(train, lexicon), lexicon)
        tested += [(ex, clf) for ex, k in zip(examples, fold, strict=True) if k == f]
    grid = grid or {}
    settings = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    out = []
    for setting in settings or [{}]:
        for name, value in setting.items():
            if name == "SCALE":  # the heads' softmax scale: set on each fold's fitted heads
                for _, clf in tested:
                    clf.fitted.event.scale = clf.fitted.plover.scale = clf.fitted.acled.scale = value
            else:
                setattr(classify, name, value)
        out.append({**setting, **_score(tested)})
    return out


def _score(tested: list[tuple[training.Example, classify.EventClassifier]]) -> dict[str, Any]:
    from sklearn.metrics import f1_score

    gold_a, pred_a, gold_p, pred_p, ev_gold, ev_pred = [], [], [], [], [], []
    for ex, clf in tested:
        labels = clf.predict([ex.text], ex.lang)[0]
        ev_gold.append(bool(ex.events))
        ev_pred.append(bool(labels))
        acled = [ev["acled"] for ev in ex.events if ev["acled"]] or ["none"]
        typed = [lab for lab in labels if lab.acled]
        top = max(typed, key=lambda lab: lab.confidence).acled if typed else "none"
        gold_a.append(top if top in acled else acled[0])
        pred_a.append(top)
        if ex.events:
            gold_p.append({ev["plover"] for ev in ex.events})
            pred_p.append(labels[0].plover if labels else "none")
    types = sorted(set(gold_a) - {"none"})
    typed_pairs = [(g, p) for g, p in zip(gold_a, pred_a, strict=True) if g != "none"]
    untyped = [p for g, p in zip(gold_a, pred_a, strict=True) if g == "none"]
    return {
        "acled_weighted_f1": round(f1_score(gold_a, pred_a, labels=types, average="weighted",
                                            zero_division=0), 4),
        "acled_accuracy_typed": round(sum(g == p for g, p in typed_pairs) / len(typed_pairs), 4),
        "acled_none_kept": round(untyped.count("none") / max(1, len(untyped)), 4),
        "plover_top_in_gold": round(sum(p in g for g, p in zip(gold_p, pred_p, strict=True))
                                    / len(gold_p), 4),
        "event_recall": round(sum(g and p for g, p in zip(ev_gold, ev_pred, strict=True)) / sum(ev_gold), 4),
        "no_event_recall": round(sum(not g and not p for g, p in zip(ev_gold, ev_pred, strict=True))
                                 / max(1, sum(not g for g in ev_gold)), 4),
        "acled_confusions": Counter(f"{g} -> {p}" for g, p in typed_pairs if g != p).most_common(8),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--grid", type=json.loads, default=None,
                    help='decoding constants to sweep, e.g. \'{"ACLED_MIN": [0.15, 0.2]}\'')
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--explain", nargs="+", metavar="SENTENCE")
    ap.add_argument("--language", default="en")
    args = ap.parse_args()
    if args.cv:
        start = time.perf_counter()
        for row in cv(args.folds, args.grid):
            print(json.dumps(row))
        print(f"{time.perf_counter() - start:.0f} s")
    if args.fit:
        start = time.perf_counter()
        clf = classify.EventClassifier.default()
        print(f"model {clf.fitted.key} ready in {time.perf_counter() - start:.1f} s")
    explain = args.explain or []
    heads = classify.head_probabilities(explain, args.language) if explain else []
    for sentence, probs in zip(explain, heads, strict=True):
        print(sentence)
        print("  heads:", json.dumps(probs, default=str))
        for label in classify.EventClassifier.default().predict([sentence], args.language)[0]:
            print("  ", label)


if __name__ == "__main__":
    main()

"""Event types: the ACLED type of CASE 2021 snippets and the PLOVER type of the PLOVER GSR sentences.

    python benchmarks/events_bench.py [--direct] [--classifier events.classifier.minilm.v1]

(a) CASE 2021 task 2, dev half (``../shared/bench/events/case2021-task2-dev.tsv``): the 420 snippets
    whose code maps to one of the 25 ACLED types (``contracts/case2021-codes.tsv``). A snippet's label
    is the ACLED type of its most confident event that has one, "none" when no event has one (ACLED
    records only ACLED-typed acts, so an accusation beside an attack does not hide the attack).
    Figures: accuracy, and weighted F1 over the 25 types present in gold (``f1_score(average=
    "weighted", labels=...)``, so a "none" is a miss). Best published weighted F1: 0.839.
(b) PLOVER GSR (``plover-gsr-cameo.json``, PLOVER 0.5b1): old types mapped as the PLOVER manual's
    conversion table does (DEMAND → REQUEST, DISAPPROVE and INVESTIGATE → ACCUSE, FIGHT → ASSAULT),
    the DOCUMENT record skipped. A sentence's label is its most confident event's PLOVER type.

The figures are those of ``interbellum extract``: each text goes through ``Pipeline.process`` as a
JSONL record ``{"text": ...}`` would, once an events stage ("events.v1") is registered; until then the
classifier is called directly on the text's sentences. ``run()`` says which path it took.
The benchmarks measure: nothing here is trained or tuned on their items.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
CASE = SHARED / "bench" / "events" / "case2021-task2-dev.tsv"
CODES = SHARED / "contracts" / "case2021-codes.tsv"
GSR = SHARED / "bench" / "events" / "plover-gsr-cameo.json"
GSR_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
NONE = "none"
# Sentence ends for the direct path: the events stage, when it exists, splits with its own parser.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(]?[A-Z0-9])")

FAILURES: list[int] = []  # texts the pipeline could not read (scored as no event)
# (plover type, acled type or None, confidence) for each event of one text
Events = list[tuple[str, "str | None", float]]


def case_items() -> list[tuple[str, str]]:
    """(snippet, ACLED type) for the snippets whose code is one of the 25 ACLED types."""
    with CODES.open(encoding="utf-8", newline="") as fh:
        codes = {r["case_code"]: r["acled_type"] for r in csv.DictReader(fh, delimiter="\t")}
    with CASE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["EventSnippet"], codes[r["SubType"]]) for r in rows if codes.get(r["SubType"])]


def gsr_items() -> list[tuple[str, str]]:
    """(sentence, PLOVER type) for the GSR records, old types mapped, DOCUMENT skipped."""
    records = json.loads(GSR.read_text(encoding="utf-8"))
    return [(r["text"], GSR_MAP.get(r["event"], r["event"])) for r in records if r["event"] != "DOCUMENT"]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extractor() -> tuple[str, Callable[[list[str]], list[Events]]]:
    """The pipeline with its events stage when there is one, else the classifier on each sentence."""
    with contextlib.suppress(ImportError):
        import interbellum.events.stage  # noqa: F401  (registers "events.v1" when it exists)
    from interbellum.pipeline import DEFAULT_STAGES, Pipeline, stages

    if "events.v1" in stages.names():
        from interbellum.errors import InterbellumError
        from interbellum.model import RawPage

        names = DEFAULT_STAGES if "events.v1" in DEFAULT_STAGES else (*DEFAULT_STAGES, "events.v1")
        pipe = Pipeline(names)

        def via_pipeline(texts: list[str]) -> list[Events]:
            out: list[Events] = []
            for i, text in enumerate(texts):
                try:  # as `interbellum extract` would read the record {"text": text, "language": "en"}
                    doc = pipe.process(RawPage(f"bench#{i}", text, "text", meta={"language": "en"}))
                except Exception as exc:  # extract prints no events for a failed input, and goes on
                    internal = not isinstance(exc, InterbellumError)
                    kind = f"internal error {type(exc).__name__}: " if internal else ""
                    print(f"bench#{i}: {kind}{exc}", file=sys.stderr)
                    FAILURES.append(i)
                    out.append([])
                    continue
                out.append([(e.type, e.acled_type, e.confidence or 0.0) for e in doc.events])
            return out

        return "pipeline (Pipeline.process with events.v1)", via_pipeline
    return direct_extractor()


def direct_extractor() -> tuple[str, Callable[[list[str]], list[Events]]]:
    """The classifier on each sentence of each text (a regex split), all sentences in one batch: the one
    ``$INTERBELLUM_EVENT_CLASSIFIER`` names, else the default (``--classifier`` sets it)."""
    from interbellum.events.classify import predictor

    predict = predictor()

    def direct(texts: list[str]) -> list[Events]:
        split = [sentences(t) or [t] for t in texts]
        flat = predict([s for ss in split for s in ss])
        out, k = [], 0
        for ss in split:
            out.append([(e.plover, e.acled, e.confidence)
                        for labels in flat[k : k + len(ss)] for e in labels])
            k += len(ss)
        return out

    return "direct (EventClassifier.predict on regex-split sentences)", direct


def top_acled(events: Events) -> str:
    typed = [e for e in events if e[1]]
    return max(typed, key=lambda e: e[2])[1] if typed else NONE


def top_plover(events: Events) -> str:
    return max(events, key=lambda e: e[2])[0] if events else NONE


def per_type(gold: list[str], pred: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each gold label."""
    out = {}
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(label), gold.count(label)
        prec, rec = tp / n_pred if n_pred else 0.0, tp / n_gold
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[label] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
    return out


def run(extract: tuple[str, Callable[[list[str]], list[Events]]] | None = None) -> dict[str, Any]:
    """Both figures, with per-type breakdowns and the confusions of the CASE half."""
    from sklearn.metrics import accuracy_score, f1_score

    start = time.perf_counter()
    FAILURES.clear()
    path, fn = extract or extractor()
    case = case_items()
    case_pred = [top_acled(ev) for ev in fn([t for t, _ in case])]
    case_gold = [g for _, g in case]
    gsr = gsr_items()
    gsr_pred = [top_plover(ev) for ev in fn([t for t, _ in gsr])]
    gsr_gold = [g for _, g in gsr]
    labels = sorted(set(case_gold))
    return {
        "case_acled_weighted_f1": f1_score(case_gold, case_pred, labels=labels, average="weighted",
                                           zero_division=0),
        "case_acled_accuracy": accuracy_score(case_gold, case_pred),
        "plover_gsr_accuracy": accuracy_score(gsr_gold, gsr_pred),
        "seconds": time.perf_counter() - start,
        "path": path,
        "failures": len(FAILURES),
        "case_n": len(case),
        "gsr_n": len(gsr),
        "case_per_type": per_type(case_gold, case_pred),
        "gsr_per_type": per_type(gsr_gold, gsr_pred),
        "case_confusions": Counter(f"{g} -> {p}" for g, p in zip(case_gold, case_pred, strict=True)
                                   if g != p).most_common(15),
    }


def _table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}\n{'type':<62} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}")
    for label, r in rows.items():
        print(f"{label:<62} {r['precision']:5.2f} {r['recall']:5.2f} {r['f1']:5.2f} {r['support']:4d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--direct", action="store_true",
                    help="call the classifier even if an events stage exists")
    ap.add_argument("--classifier", metavar="NAME",
                    help="a registered event classifier (default: events.classifier.tfidf.v1)")
    args = ap.parse_args()
    if args.classifier:
        from interbellum.events.classify import CLASSIFIER_ENV

        os.environ[CLASSIFIER_ENV] = args.classifier
    r = run(direct_extractor() if args.direct else None)
    _table(f"CASE 2021 dev, ACLED type ({r['case_n']} snippets)", r["case_per_type"])
    _table(f"PLOVER GSR, PLOVER type ({r['gsr_n']} sentences)", r["gsr_per_type"])
    print("\nmost frequent CASE confusions (gold -> predicted):")
    for pair, n in r["case_confusions"]:
        print(f"  {n:3d}  {pair}")
    print(f"\npath: {r['path']}" + (f" ({r['failures']} texts failed to read)" if r["failures"] else ""))
    print(f"CASE ACLED weighted F1 {r['case_acled_weighted_f1']:.3f}  "
          f"accuracy {r['case_acled_accuracy']:.3f}")
    print(f"PLOVER GSR accuracy {r['plover_gsr_accuracy']:.3f}  ({r['seconds']:.1f} s)")


if __name__ == "__main__":
    main()

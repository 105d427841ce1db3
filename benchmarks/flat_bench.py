"""Body extraction from text dumps, scored on the 181 flattened ScrapingHub pages.

    python benchmarks/flat_bench.py [--out predictions.json]

Runs ``read_dump`` on every ``../shared/bench/extraction/scrapinghub-flat/*.txt`` and scores the bodies
with the benchmark's own ``evaluate()`` (shingle F1, per page then averaged), beside a baseline that
keeps every line of 12 or more words (F1 ~0.781 by the benchmark's README). ``run()`` is what the
quality gate calls.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from _scrapinghub import N_BOOTSTRAP, evaluator
from interbellum.reading.dump import read_dump

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "extraction"
FLAT = BENCH / "scrapinghub-flat"
TRUTH = BENCH / "scrapinghub" / "ground-truth.json"
BASELINE_MIN_WORDS = 12




def baseline_body(text: str) -> str:
    """Every line of BASELINE_MIN_WORDS or more words: the yardstick the README quotes."""
    return "\n\n".join(ln for ln in text.splitlines() if len(ln.split()) >= BASELINE_MIN_WORDS)


def predict(keys: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], float]:
    """Our bodies, the baseline's bodies, and the seconds read_dump took over all pages."""
    ours, base, seconds = {}, {}, 0.0
    for key in keys:
        text = (FLAT / f"{key}.txt").read_text(encoding="utf-8")
        t0 = time.perf_counter()
        body = read_dump(text).body
        seconds += time.perf_counter() - t0
        ours[key] = {"articleBody": body}
        base[key] = {"articleBody": baseline_body(text)}
    return ours, base, seconds


def run(out: Path | None = None) -> dict[str, Any]:
    """Score read_dump's bodies: f1, precision, recall, baseline_f1 and seconds (read_dump time)."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    evaluate = evaluator().evaluate
    ours, base, seconds = predict(list(truth))
    if out is not None:
        out.write_text(json.dumps(ours, ensure_ascii=False, indent=1), encoding="utf-8")
    metrics = evaluate(truth, ours, N_BOOTSTRAP)
    baseline = evaluate(truth, base, N_BOOTSTRAP)
    return {
        "f1": metrics["f1"],
        "precision": metrics["precision"],
        "recall": metrics["recall"],
        "baseline_f1": baseline["f1"],
        "seconds": seconds,
        "pages": len(truth),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the predictions here as JSON")
    args = parser.parse_args()
    r = run(args.out)
    print(f"pages       {r['pages']}")
    print(
        f"read_dump   F1 {r['f1']:.3f}  P {r['precision']:.3f}  R {r['recall']:.3f}  ({r['seconds']:.2f} s)"
    )
    print(f"baseline    F1 {r['baseline_f1']:.3f}  (every line of {BASELINE_MIN_WORDS}+ words)")


if __name__ == "__main__":
    main()

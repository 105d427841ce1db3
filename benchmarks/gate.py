"""The quality gate: every accuracy figure against its pinned floor in ``floors.json``.

    python benchmarks/gate.py            # all figures
    python benchmarks/gate.py --only seed_article

Floors only move up, on purpose, in their own commit with the measurement that justifies them.
Some floors are relative: the ScrapingHub body F1 must not fall under bare trafilatura's own score
measured in the same run. Outside CI the gate skips (exit 0) with a message when ``../shared`` is
absent, so the package's own tests run anywhere; under CI=true a missing ``../shared`` fails it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
FLOORS = HERE / "floors.json"
RESULTS = HERE / "results"

sys.path.insert(0, str(HERE))


def seed_article() -> dict[str, float]:
    """The reference page's 12 article checks, with the reference scorer."""
    out = _score_seed("article")
    right, total = out.rsplit("seed article: ", 1)[1].split(" fields")[0].split("/")
    return {"seed_article": int(right) / int(total)}


def scrapinghub() -> dict[str, float]:
    import scrapinghub_bench

    r = scrapinghub_bench.run()
    return {"scrapinghub_f1": r["ours"]["f1"], "scrapinghub_f1_minus_bare": r["ours"]["f1"] - r["bare"]["f1"],
            "scrapinghub_speed_ratio": r["speed_ratio"]}


def scrapinghub_flat() -> dict[str, float]:
    import flat_bench

    r = flat_bench.run()
    return {"flat_f1": r["f1"]}


def knowledge() -> dict[str, float]:
    """Seed (reference scorer) and annotated-set entity/place/time figures, and speed vs bare spaCy."""
    import knowledge_bench

    r = knowledge_bench.run()
    seed, ann = r["seed"], r["annotated"]["all"]
    return {"seed_knowledge": seed["figure"],
            "seed_entity_precision": seed["entities"]["precision"],
            "seed_place_precision": seed["places"]["precision"],
            "set_entity_recall": ann["entities"]["recall"], "set_entity_precision": ann["entities"]["precision"],
            "set_place_recall": ann["places"]["recall"], "set_place_precision": ann["places"]["precision"],
            "set_time_recall": ann["times"]["recall"],
            "knowledge_speed_ratio": r["speed"]["ratio"]}


def times() -> dict[str, float]:
    import time_bench

    r = time_bench.run()
    return {"te3_date_recall_calendar": r["recall_calendar"], "te3_date_value_accuracy": r["value_accuracy"],
            "te3_date_precision": r["precision"]}


def geoparsing() -> dict[str, float]:
    import geoparse_bench

    r = geoparse_bench.run()
    return {f"geo_{name.lower().replace('-', '')}_acc161_e2e": f["acc161_e2e"]
            for name, f in r["corpora"].items()}


def events() -> dict[str, float]:
    """Seed and annotated-set events (the reference rules), and speed with events vs without."""
    import events_seed_bench

    r = events_seed_bench.run()
    seed, ann = r["seed"], r["annotated"]["all"]
    return {"seed_events_recall": seed["recall"], "seed_events_precision": seed["precision"],
            "set_events_recall": ann["recall"], "set_events_precision": ann["precision"],
            "events_speed_ratio": r["speed"]["ratio"]}


def event_types() -> dict[str, float]:
    """CASE 2021 (dev half) ACLED types and PLOVER GSR types, computed from extract's pipeline."""
    import events_bench

    r = events_bench.run()
    return {"case_acled_weighted_f1": r["case_acled_weighted_f1"], "case_acled_accuracy": r["case_acled_accuracy"],
            "plover_gsr_accuracy": r["plover_gsr_accuracy"]}


def stories() -> dict[str, float]:
    """Story assignment through the real ingest path on the demo corpus: B-cubed against its manifest's
    story keys, and the syndicated copies given the right ``duplicate_of``."""
    import stories_bench

    r = stories_bench.ingest_figures()
    return {"stories_bcubed_f1": r["f1"], "stories_bcubed_precision": r["precision"],
            "stories_bcubed_recall": r["recall"], "stories_copies_right": r["copies_right"] / r["copies"]}


def situations() -> dict[str, float]:
    """Seed and annotated-set situations (the reference rules: relation, subject, object, dates, ongoing)."""
    import situations_bench

    r = situations_bench.run()
    seed, ann = r["seed"], r["annotated"]["all"]
    out = {"set_situations_recall": ann["recall"], "set_situations_precision": ann["precision"]}
    if seed is not None:
        out |= {"seed_situations_recall": seed["recall"], "seed_situations_precision": seed["precision"]}
    return out


FIGURES: dict[str, Callable[[], dict[str, float]]] = {
    "seed_article": seed_article,
    "scrapinghub": scrapinghub,
    "scrapinghub_flat": scrapinghub_flat,
    "knowledge": knowledge,
    "times": times,
    "geoparsing": geoparsing,
    "events": events,
    "event_types": event_types,
    "stories": stories,
    "situations": situations,
}


def _score_seed(what: str) -> str:
    # score.py runs `interbellum` from PATH: make it the one installed beside this interpreter (.venv).
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    p = subprocess.run([sys.executable, str(SHARED / "seed" / "score.py"), what],
                       capture_output=True, text=True, timeout=1800, env=env)
    print(p.stdout, end="")
    if p.returncode not in (0, 1) or "seed " not in p.stdout:
        raise RuntimeError(f"score.py {what} failed: {p.stderr[-500:]}")
    return p.stdout


def check(figures: dict[str, float], floors: dict[str, dict[str, float]]) -> list[str]:
    """The figures that break their bounds, as readable lines."""
    broken = []
    for name, value in figures.items():
        bound = floors.get(name, {})
        if "min" in bound and value < bound["min"] - 1e-9:
            broken.append(f"{name} = {value:.4f} is under its floor {bound['min']}")
        if "max" in bound and value > bound["max"] + 1e-9:
            broken.append(f"{name} = {value:.4f} is over its ceiling {bound['max']}")
    return broken


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(FIGURES), help="run only these figures")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            print(f"gate: {SHARED} is missing: CI must have ../shared to measure", file=sys.stderr)
            return 1
        print(f"gate: skipped: {SHARED} is absent (benchmarks and seed live there)")
        return 0
    floors = json.loads(FLOORS.read_text())
    figures: dict[str, float] = {}
    for name in args.only or sorted(FIGURES):
        t0 = time.perf_counter()
        figures.update(FIGURES[name]())
        print(f"gate: {name} measured in {time.perf_counter() - t0:.1f} s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print("\n".join(f"  {k:<32} {v:8.4f}   bounds {floors.get(k, {})}" for k, v in sorted(figures.items())))
    broken = check(figures, floors)
    for line in broken:
        print(f"gate: FAIL: {line}", file=sys.stderr)
    print("gate: " + ("failed" if broken else "passed"))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

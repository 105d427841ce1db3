"""Who, where and when: the knowledge stage on the seed page and on our annotated set, and its speed.

    python benchmarks/knowledge_bench.py [--rounds N] [--verbose]

(a) seed: ``../shared/seed/score.py knowledge``, the reference scorer, run on ``interbellum extract``
    (the ``interbellum`` beside this interpreter comes first on PATH).
(b) annotated: the same recall and precision, computed the same way (``_scoring.py``), pooled over
    ``tests/fixtures/annotated/*.gold.json``, each text read in-process with its gold's ``published``;
    also per language.
(c) speed: the whole read (reading + knowledge, ``Pipeline.process``) against bare spaCy NER —
    ``spacy.load(model)(text)`` with the same model, every component on — over the same texts (the
    annotated set and the seed), as a ratio ours / bare. Models load and the ruler builds in an
    untimed warm-up pass; the two sides alternate text by text (which goes first alternates too) so
    that load on a shared machine falls on both.

``run()`` returns the figures for the quality gate. The seed and the set measure; rules are never
tuned on one of their items without a test sentence of our own that shows the rule.
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
from pathlib import Path
from typing import Any

import _scoring
from interbellum.knowledge.nlp import MODELS
from interbellum.model import Document, RawPage
from interbellum.pipeline import Pipeline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT.parent / "shared" / "seed"
ANNOTATED = ROOT / "tests" / "fixtures" / "annotated"
ROUNDS = 3
_SUMMARY = re.compile(r"entities R=([\d.]+) P=([\d.]+); places R=([\d.]+) P=([\d.]+); times R=([\d.]+)")


def seed() -> dict[str, Any]:
    """The reference scorer's figures on the seed page (its printed lines kept for the report)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    p = subprocess.run([sys.executable, str(SEED / "score.py"), "knowledge"], capture_output=True, text=True,
                       timeout=1800, env=env)
    m = _SUMMARY.search(p.stdout)
    if m is None:
        raise RuntimeError(f"score.py knowledge failed: {p.stdout[-500:]} {p.stderr[-500:]}")
    e_r, e_p, p_r, p_p, t_r = map(float, m.groups())
    figure = min(e_r, p_r, t_r) if min(e_p, p_p) >= 0.9 else 0.0
    return {"entities": {"recall": e_r, "precision": e_p}, "places": {"recall": p_r, "precision": p_p},
            "times": {"recall": t_r}, "figure": figure, "lines": p.stdout.splitlines()[:-1]}


def annotated_items() -> list[tuple[Path, dict[str, Any]]]:
    return [(txt, json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8")))
            for txt in sorted(ANNOTATED.glob("*.txt")) if txt.with_suffix(".gold.json").exists()]


def read_file(pipe: Pipeline, path: Path, published: str | None) -> Document:
    raw = RawPage(input=str(path), content=path.read_text(encoding="utf-8"), kind="text")
    return pipe.process(raw, published)


def annotated(pipe: Pipeline) -> dict[str, Any]:
    """Pooled figures over the annotated set, overall and per language."""
    pairs: dict[str, list[tuple[dict, dict]]] = {"all": []}
    for txt, gold in annotated_items():
        out = read_file(pipe, txt, gold.get("published")).to_dict()
        for key in ("all", gold["article"]["language"]):
            pairs.setdefault(key, []).append((gold, out))
    if not pairs["all"]:
        return {}
    result = {key: _scoring.knowledge(items) for key, items in pairs.items()}
    result["articles"] = len(pairs["all"])
    return result


def speed(pipe: Pipeline, rounds: int = ROUNDS) -> dict[str, Any]:
    """Seconds per pass over the texts, ours (whole read) and bare spaCy NER, and their ratio."""
    import spacy

    items = [(txt, gold.get("published"), gold["article"]["language"]) for txt, gold in annotated_items()]
    items.append((SEED / "000_f6f6e2b19beb842d.txt", "2025-06-09", "en"))
    texts = [(path, path.read_text(encoding="utf-8"), pub, lang) for path, pub, lang in items if path.exists()]
    bare_models = {lang: spacy.load(MODELS[lang]) for lang in {t[3] for t in texts} if lang in MODELS}

    def ours(item: tuple) -> None:
        pipe.process(RawPage(input=str(item[0]), content=item[1], kind="text"), item[2])

    def bare(item: tuple) -> None:
        if item[3] in bare_models:
            bare_models[item[3]](item[1])

    for item in texts:  # warm-up: models, ruler, gazetteer and date tables load here, untimed
        ours(item), bare(item)
    sides = (bare, ours)
    seconds: list[list[float]] = [[], []]
    for r in range(rounds):
        gc.collect()
        spent = [0.0, 0.0]
        for i, item in enumerate(texts):
            for side in ((0, 1) if (i + r) % 2 == 0 else (1, 0)):
                t0 = time.perf_counter()
                sides[side](item)
                spent[side] += time.perf_counter() - t0
        seconds[0].append(spent[0])
        seconds[1].append(spent[1])
    bare_s, ours_s = statistics.mean(seconds[0]), statistics.mean(seconds[1])
    return {"texts": len(texts), "characters": sum(len(t[1]) for t in texts), "bare_seconds": bare_s,
            "ours_seconds": ours_s, "ratio": ours_s / bare_s,
            "round_ratios": [o / b for o, b in zip(seconds[1], seconds[0], strict=True)]}


def run(rounds: int = ROUNDS) -> dict[str, Any]:
    """{"seed": ..., "annotated": ..., "speed": ...}; seed is skipped (None) when ../shared is absent."""
    pipe = Pipeline(("knowledge.v1",))  # reading + knowledge: what the ratio is about
    return {"seed": seed() if SEED.is_dir() else None, "annotated": annotated(pipe),
            "speed": speed(pipe, rounds)}


def _print_part(name: str, r: dict[str, Any], verbose: bool) -> None:
    e, p, t = r["entities"], r["places"], r["times"]
    print(f"{name:<10} entities R={e['recall']:.3f} P={e['precision']:.3f}; places R={p['recall']:.3f} "
          f"P={p['precision']:.3f}; times R={t['recall']:.3f}; figure {r['figure']:.3f}")
    if verbose:
        for kind in ("entities", "places", "times"):
            for label in ("missed", "spurious"):
                items = r[kind].get(label) or []
                if items:
                    print(f"    {kind} {label} ({len(items)}): " + "; ".join(items))


def main() -> None:
    args = _scoring.bench_args(__doc__.split("\n")[0], ROUNDS)
    r = run(args.rounds)
    _scoring.print_seed_and_set(r, _print_part, args.verbose)
    s = r["speed"]
    print(f"speed: {s['texts']} texts, {s['characters']} characters; bare spaCy {s['bare_seconds']:.2f} s, "
          f"whole read {s['ours_seconds']:.2f} s; ratio {s['ratio']:.2f} "
          f"(per round: {', '.join(f'{x:.2f}' for x in s['round_ratios'])})")


if __name__ == "__main__":
    main()

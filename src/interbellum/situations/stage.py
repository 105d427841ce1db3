"""The situations stage ("situations.v1"): after the events stage, the relations the article tells.

It reads the knowledge stage's mentions and parses and the events stage's sentences and claims
(situations/extract.py); an article with no situation gets ``[]``. A sentence that cannot be read is
logged and the rest of the article goes on.
"""

from __future__ import annotations

import logging

from ..model import Document
from ..pipeline import Stage, stages

log = logging.getLogger(__name__)


@stages.register("situations.v1")
def situations_stage() -> Stage:
    return SituationStage()


class SituationStage:
    """Document → Document with ``situations`` filled."""

    def __call__(self, doc: Document) -> Document:
        from ..knowledge.actors import KnowledgeBase
        from .extract import extract

        try:
            doc.situations = extract(doc, KnowledgeBase.load())
        except Exception:  # situations are a reading of what is already extracted: never cost the article
            log.warning("%s: situations could not be read; none given", doc.input, exc_info=True)
            doc.situations = []
        return doc

"""Knowledge: who, where and when — the project's actor base, gazetteer and their linkers.

    >>> from interbellum.knowledge import extract_places
    >>> [p.name for p in extract_places("Fighting broke out in Gao on Friday.")]
    ['Gao']
"""

from .stage import extract_places

__all__ = ["extract_places"]

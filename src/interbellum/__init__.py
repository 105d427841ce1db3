"""Interbellum: conflict news into a sourced, browsable record.

    >>> import interbellum
    >>> docs = interbellum.read("page.html", published="2025-06-09")
    >>> docs[0].article.title
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    FetchError,
    InputError,
    InterbellumError,
    NoArticleError,
    RecordError,
    StoreError,
    TooLargeError,
)
from .model import Article, Document, Entity, Event, Failure, Place, RawPage, Situation, Span, TimeExpr
from .pipeline import DEFAULT_MAX_SIZE, Pipeline
from .store import open_store

__version__ = "0.1.0"


def read(source: str | Path, *, published: str | None = None, url: str | None = None,
         max_size: int = DEFAULT_MAX_SIZE, pipeline: Pipeline | None = None) -> list[Document]:
    """Read one input (a path, a URL or "-") into its Documents — one per article.

    Raises the InputError or FetchError that explains the first article that could not be read;
    use ``read_many`` to keep going past bad inputs.
    """
    docs = []
    for item in read_many([str(source)], published=published, url=url, max_size=max_size, pipeline=pipeline):
        if isinstance(item, Failure):
            raise InputError(f"{item.input}: {item.reason}")
        docs.append(item)
    return docs


def read_many(sources: Iterable[str | Path], *, published: str | None = None, url: str | None = None,
              max_size: int = DEFAULT_MAX_SIZE, pipeline: Pipeline | None = None,
              stdin: BinaryIO | None = None, strict: bool = False) -> Iterator[Document | Failure]:
    """Every article of every input, in order; what cannot be read comes out as a ``Failure``."""
    pipe = pipeline or Pipeline()
    yield from pipe.run([str(s) for s in sources], published=published, url=url, max_size=max_size,
                        stdin=stdin, strict=strict)


__all__ = [
    "Article",
    "BinaryInputError",
    "ConfigError",
    "DecodeError",
    "Document",
    "EmptyInputError",
    "Entity",
    "Event",
    "Failure",
    "FetchError",
    "InputError",
    "InterbellumError",
    "NoArticleError",
    "Pipeline",
    "Place",
    "RawPage",
    "RecordError",
    "Situation",
    "Span",
    "StoreError",
    "TimeExpr",
    "TooLargeError",
    "__version__",
    "open_store",
    "read",
    "read_many",
]

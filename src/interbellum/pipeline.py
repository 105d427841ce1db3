"""The pipeline: sources → reading → (later stages) → Document.

A stage is a callable ``Document -> Document`` registered under a versioned name; the pipeline is
the ordered list of names, so a run can say exactly which steps produced its output.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from .errors import InterbellumError
from .model import Document, Failure, RawPage
from .reading import read_page
from .registry import Registry
from .sources import open_inputs

log = logging.getLogger(__name__)
stages = Registry("stage")
Stage = Callable[[Document], Document]

DEFAULT_MAX_SIZE = 50_000_000
DEFAULT_STAGES: tuple[str, ...] = ("knowledge.v1", "events.v1", "situations.v1")


class Pipeline:
    """Reads inputs into Documents through a fixed list of named stages."""

    def __init__(self, stage_names: Iterable[str] = DEFAULT_STAGES) -> None:
        # Stage modules register themselves on import; imported here, not at the top, because they
        # import this module (and spaCy) and a bare `import interbellum` must stay light.
        from .events import stage as _events  # noqa: F401
        from .knowledge import stage  # noqa: F401
        from .situations import stage as _situations  # noqa: F401

        self.stage_names = tuple(stage_names)
        self._stages: list[Stage] = [stages.get(name)() for name in self.stage_names]

    def process(self, raw: RawPage, default_published: str | None = None) -> Document:
        """One page through reading and every stage; raises InterbellumError subclasses."""
        doc = Document(input=raw.input, article=read_page(raw, default_published))
        for stage in self._stages:
            doc = stage(doc)
        return doc

    def run(self, specs: Iterable[str], *, published: str | None = None, url: str | None = None,
            max_size: int = DEFAULT_MAX_SIZE, stdin: BinaryIO | None = None,
            strict: bool = False) -> Iterator[Document | Failure]:
        """Every article of every input in order; a bad input or record yields a Failure, not an error.

        An unexpected exception (a bug, not bad input) also becomes a Failure so that a batch goes on,
        unless ``strict``, when it propagates with its traceback.
        """
        for item in open_inputs(specs, max_size=max_size, url=url, published=published, stdin=stdin):
            if isinstance(item, Failure):
                yield item
                continue
            try:
                yield self.process(item, published)
            except InterbellumError as exc:
                yield Failure(item.input, str(exc))
            except Exception as exc:
                if strict:
                    raise
                log.debug("unexpected error on %s", item.input, exc_info=True)
                yield Failure(item.input, f"internal error ({type(exc).__name__}: {exc}); "
                                          "run with --debug for the traceback")

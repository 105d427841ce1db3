"""Helpers both source test modules use: read specs through open_inputs and unwrap the results."""

from __future__ import annotations

import zlib
from pathlib import Path

from interbellum.model import Failure, RawPage
from interbellum.sources import open_inputs

INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"
CAFE_CP1252 = "Le café est “chaud” — très fort, dit-il à Anéfis.".encode("cp1252")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def gzip_stream(chunk: bytes, count: int) -> bytes:
    """``count`` copies of ``chunk``, gzipped piece by piece so that the whole never sits in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join(comp.compress(chunk) for _ in range(count)) + comp.flush()


def read(*specs: str, **kw) -> list[RawPage | Failure]:
    return list(open_inputs(list(specs), **kw))


def one(spec: str, **kw) -> RawPage | Failure:
    items = read(spec, **kw)
    assert len(items) == 1, items
    return items[0]


def failure(spec: str, **kw) -> str:
    item = one(spec, **kw)
    assert isinstance(item, Failure), item
    assert item.input == spec and "\n" not in item.reason
    return item.reason

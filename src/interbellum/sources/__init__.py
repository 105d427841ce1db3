"""Where articles come from: files, stdin, gzip, JSON Lines records and URLs, as :class:`RawPage` s.

:func:`open_inputs` is the one entry point. For each input, in order:

1. get the bytes — a URL is fetched (:mod:`.web`), ``-`` is stdin, anything else a local path
   (:mod:`.files`); every read is capped at ``max_size``, gzip is undone by its magic, not its name;
2. refuse what is not text — empty, binary (by magic numbers and control bytes);
3. decode (BOM, UTF-8, declared charset, windows-1252, charset-normalizer: :func:`.detect.decode`);
4. split: JSON Lines (by extension, Content-Type, or a first line that is a record) yields one page
   per record labelled ``INPUT#N``; anything else is one page, ``html`` or ``text`` by its content.

A problem with an input becomes a :class:`Failure` with a one-line reason and the next input goes on;
a broken record is a Failure for that record only. Nothing here raises for bad input.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError, InterbellumError
from ..model import Failure, RawPage
from . import files, web
from .web import DEFAULT_TIMEOUT, fetch

__all__ = ["fetch", "open_inputs"]

DEFAULT_MAX_SIZE = 50_000_000
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def open_inputs(
    specs: Iterable[str],
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    url: str | None = None,
    published: str | None = None,
    client: httpx.Client | None = None,
    stdin: BinaryIO | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[RawPage | Failure]:
    """Yield a :class:`RawPage` per article read from ``specs``, or a :class:`Failure` per bad input.

    ``specs``: local paths, ``http(s)://`` URLs, or ``-`` for the bytes of ``stdin`` (default
    ``sys.stdin.buffer``). ``url`` is the address of the single file input (``--url``); URLs use their
    final address after redirects, records their own ``url``. ``published`` is the default date
    (``--published``): it is ``RawPage.published`` unless a record has its own, and is always kept as
    ``meta["default_published"]``. ``timeout`` (seconds) bounds each URL download as a whole.

    Raises ``TypeError``/``ValueError`` only for misuse: ``specs`` given as one string, a
    non-positive ``max_size``, or ``url`` with more than one input.
    """
    if isinstance(specs, str | bytes):
        raise TypeError("specs must be an iterable of strings, not a single string")
    if max_size <= 0:
        raise ValueError(f"max_size must be positive, not {max_size}")
    specs = list(specs)
    if url is not None and len(specs) != 1:
        raise ValueError(f"url (--url) names a single input; got {len(specs)} inputs")
    shared: httpx.Client | None = None  # one connection pool for all the URLs of this call
    try:
        for spec in specs:
            if client is None and shared is None and _is_http(spec):
                shared = web.make_client(timeout)
            try:
                yield from _open_one(
                    spec,
                    max_size=max_size,
                    url=url,
                    published=published,
                    client=client or shared,
                    stdin=stdin,
                    timeout=timeout,
                )
            except InterbellumError as exc:
                yield Failure(spec, str(exc))
    finally:
        if shared is not None:
            shared.close()


def _is_http(spec: str) -> bool:
    scheme = _SCHEME.match(spec)
    return scheme is not None and scheme.group(1).lower() in ("http", "https")


def _open_one(
    spec: str,
    *,
    max_size: int,
    url: str | None,
    published: str | None,
    client: httpx.Client | None,
    stdin: BinaryIO | None,
    timeout: float,
) -> Iterator[RawPage | Failure]:
    scheme = _SCHEME.match(spec)
    content_type: str | None = None
    meta: dict[str, str] = {}
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = files.unpack(files.read_capped(stream, max_size), max_size)
        name = None
    elif _is_http(spec):
        data, url, content_type = web.fetch(spec, max_size=max_size, client=client, timeout=timeout)
        data = files.unpack(data, max_size)
        name = urlsplit(url).path
        if content_type:
            meta["content_type"] = content_type
    elif scheme:
        raise FetchError(f"unsupported URL scheme {scheme.group(1)!r} (http and https only)")
    else:
        data = files.read_file(spec, max_size)
        name = spec
    text, _codec = files.to_text(data, content_type=content_type)
    yield from files.pages_from_text(
        spec, text, name=name, content_type=content_type, url=url, published=published, meta=meta
    )

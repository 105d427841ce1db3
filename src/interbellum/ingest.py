"""Ingest: inputs → pages → the pipeline → the store, one committed transaction per article.

    >>> from interbellum import open_store
    >>> from interbellum.ingest import ingest, IngestSummary
    >>> with open_store("news.db") as store:
    ...     summary = IngestSummary.of(ingest(["crawl.warc.gz", "feeds/"], store))
    >>> summary.line()
    'read 120, new 118, updated 0, duplicate 1, failed 1'

Inputs, each judged by content before name:

1. a folder is walked (sorted, hidden entries skipped) for ``INGEST_SUFFIXES`` files;
2. a WARC file (``WARC/`` at the start, gzipped or not): its HTML responses (:mod:`.sources.warc`);
3. an RSS/Atom feed, local or a URL (``<rss``, ``<feed``, ``<rdf:RDF``): each entry's page is fetched
   (:mod:`.sources.feeds`); an entry whose URL is stored already is not fetched again unless ``refetch``;
4. anything else — HTML, text dumps, ``.jsonl`` records, URLs — goes through
   :func:`interbellum.sources.open_inputs`, exactly as ``interbellum extract`` reads it.

Restarts are cheap and safe: each article is committed before the next is read, and every page read
is remembered by a key over its content (``page_key``), so a rerun after Ctrl-C or kill -9 skips what
was stored — before any NLP runs — and stores the rest. Nothing is lost, nothing doubled.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx

from .errors import InterbellumError
from .model import Failure, RawPage
from .pipeline import DEFAULT_MAX_SIZE, Pipeline
from .sources import detect, files, open_inputs, web
from .sources.feeds import feed_pages, looks_like_feed
from .sources.warc import is_warc, warc_pages
from .store import Store

log = logging.getLogger(__name__)

INGEST_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".txt", ".jsonl", ".warc", ".warc.gz",
                   ".xml", ".rss", ".atom")
_SNIFF = 8192
Status = Literal["new", "updated", "duplicate", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What became of one page: its label, status, the stored article's id, or why it failed."""

    input: str
    status: Status
    article_id: str | None = None
    reason: str | None = None


@dataclass
class IngestSummary:
    """Counts of a run; ``failures`` in the order they happened."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def read(self) -> int:
        return self.new + self.updated + self.duplicate + self.failed

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "failed":
            self.failures.append(Failure(outcome.input, outcome.reason or "failed"))
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def line(self) -> str:
        return (f"read {self.read}, new {self.new}, updated {self.updated}, duplicate {self.duplicate}, "
                f"failed {self.failed}")

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> IngestSummary:
        summary = cls()
        for outcome in outcomes:
            summary.add(outcome)
        return summary


def expand_inputs(specs: Iterable[str]) -> list[str]:
    """Folders replaced by the ingestible files under them (sorted); other inputs kept as given.

    A folder with no such file stays in the list, to fail with its reason when read.
    """
    out: list[str] = []
    for spec in specs:
        if spec != "-" and os.path.isdir(spec):
            found = sorted(str(p) for p in _walk(Path(spec)))
            out.extend(found or [spec])
        else:
            out.append(spec)
    return out


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(INGEST_SUFFIXES):
                yield Path(root) / name


def page_key(raw: RawPage) -> str:
    """A fingerprint of everything reading sees: the same page read again is skipped by it."""
    parts = [raw.kind, raw.url or "", raw.published or "", json.dumps(raw.meta, sort_keys=True, default=str),
             raw.content]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def ingest(specs: Iterable[str], store: Store, *, pipeline: Pipeline | None = None,
           published: str | None = None, max_size: int = DEFAULT_MAX_SIZE, client: httpx.Client | None = None,
           refetch: bool = False, strict: bool = False,
           on_input: Callable[[str], None] | None = None) -> Iterator[Outcome]:
    """Read every input into ``store``; yield one :class:`Outcome` per page, after it is committed.

    ``on_input(spec)`` is called as each (expanded) input starts, for progress bars. Bad input never
    raises; a :class:`~interbellum.errors.StoreError` (disk full, locked) does, since nothing after it
    could be stored either. An unexpected exception is a failed page unless ``strict``.
    """
    pipe = pipeline if pipeline is not None else Pipeline()
    own = client is None
    http = client or web.make_client()
    try:
        for spec in expand_inputs(specs):
            if on_input is not None:
                on_input(spec)
            for item in _pages(spec, store, max_size=max_size, published=published, client=http,
                               refetch=refetch):
                yield _store_one(item, store, pipe, published, strict)
    finally:
        if own:
            http.close()


def _store_one(item: RawPage | Failure | str, store: Store, pipe: Pipeline, published: str | None,
               strict: bool) -> Outcome:
    if isinstance(item, Failure):
        return Outcome(item.input, "failed", reason=item.reason)
    if isinstance(item, str):  # a feed entry already stored, not fetched again
        return Outcome(item, "duplicate")
    key = page_key(item)
    if store.has_page(key):
        return Outcome(item.input, "duplicate")
    try:
        doc = pipe.process(item, published)
    except InterbellumError as exc:
        return Outcome(item.input, "failed", reason=str(exc))
    except Exception as exc:
        if strict:
            raise
        log.debug("unexpected error on %s", item.input, exc_info=True)
        return Outcome(item.input, "failed", reason=f"internal error ({type(exc).__name__}: {exc}); "
                                                    "run with --debug for the traceback")
    result = store.add_document(doc, stages=pipe.stage_names, page_key=key)
    return Outcome(item.input, result.status, result.article_id)


def _pages(spec: str, store: Store, *, max_size: int, published: str | None, client: httpx.Client,
           refetch: bool) -> Iterator[RawPage | Failure | str]:
    """The pages of one input (see the module docstring for the order of the checks)."""
    skip = None if refetch else store.has_url
    if spec != "-" and os.path.isdir(spec):
        yield Failure(spec, "no files to ingest in this folder (.html, .txt, .jsonl, .warc, feeds)")
        return
    if _is_url(spec):
        yield from _url_pages(spec, max_size=max_size, published=published, client=client, skip=skip)
        return
    try:
        head = _head(spec)
    except OSError:
        head = b""  # open_inputs below reports it ("no such file", "permission denied", ...)
    try:
        if head and is_warc(head):
            with open(spec, "rb") as f:
                yield from warc_pages(spec, f, max_size=max_size, published=published)
            return
        if head and looks_like_feed(_ungzip_head(head)):
            data = files.read_file(spec, max_size)
            yield from feed_pages(spec, data, max_size=max_size, client=client, published=published, skip=skip)
            return
    except InterbellumError as exc:
        yield Failure(spec, str(exc))
        return
    except OSError as exc:
        yield Failure(spec, f"cannot read ({exc.strerror or exc})")
        return
    yield from open_inputs([spec], max_size=max_size, published=published, client=client)


def _url_pages(spec: str, *, max_size: int, published: str | None, client: httpx.Client,
               skip: Callable[[str], bool] | None) -> Iterator[RawPage | Failure | str]:
    # Fetched once here and judged by content: a feed's or a WARC's URL rarely says what it is.
    try:
        data, final_url, content_type = web.fetch(spec, max_size=max_size, client=client)
        data = files.unpack(data, max_size)
        if is_warc(data[:_SNIFF]):
            yield from warc_pages(spec, io.BytesIO(data), max_size=max_size, published=published)
            return
        if looks_like_feed(data):
            yield from feed_pages(spec, data, max_size=max_size, client=client, published=published, skip=skip)
            return
        text, _codec = files.to_text(data, content_type=content_type)
    except InterbellumError as exc:
        yield Failure(spec, str(exc))
        return
    meta = {"content_type": content_type} if content_type else {}
    yield from files.pages_from_text(spec, text, name=urlsplit(final_url).path, content_type=content_type,
                                     url=final_url, published=published, meta=meta)


def _is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def _head(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read(_SNIFF)


def _ungzip_head(head: bytes) -> bytes:
    """The start of a gzipped file's content (a feed may be saved as .xml.gz), or ``head`` itself."""
    if not detect.is_gzip(head):
        return head
    try:
        return zlib.decompressobj(31).decompress(head, _SNIFF)
    except zlib.error:
        return b""

"""WARC files (warcio): every HTML response record becomes a :class:`RawPage`.

Kept: ``response`` records with a 2xx HTTP status and an HTML content type; request, metadata,
warcinfo records, redirects and media are passed over silently — they are not articles. Each page is
labelled ``PATH#N`` (the N-th record of the file), has the record's target URI as its address and the
WARC-Date's day as its default publication date (a date the page prints still wins).

A crawl is read record by record, never whole: the file has no size cap, each record's body has
``max_size``. warcio stops at the first corrupt record; we do not, because one flipped bit must not
lose a crawl: the corrupt stretch is one :class:`Failure`, and reading resumes at the next record
start found after it (the next gzip member for ``.warc.gz``, the next ``WARC/1.`` line otherwise).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from ..errors import InterbellumError
from ..model import Failure, RawPage
from . import detect, files

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 20
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = b"\nWARC/1."


def is_warc(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file, gzipped or not) starts a WARC record."""
    if detect.is_gzip(head):
        try:
            head = zlib.decompressobj(31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def warc_pages(label: str, stream: BinaryIO, *, max_size: int,
               published: str | None = None) -> Iterator[RawPage | Failure]:
    """The HTML pages of the WARC in ``stream`` (seekable), and a Failure per corrupt stretch or bad page."""
    for item in _records(label, stream):
        if isinstance(item, Failure):
            yield item
            continue
        where, record = item
        try:
            page = _page(where, record, max_size=max_size, published=published)
        except InterbellumError as exc:
            yield Failure(where, str(exc))
            continue
        except Exception as exc:  # warcio and zlib raise plain errors on a corrupt payload
            yield Failure(where, f"corrupt WARC record payload ({_one_line(exc)})")
            continue
        if page is not None:
            yield from page


def _page(where: str, record: Any, *, max_size: int,
          published: str | None) -> Iterator[RawPage | Failure] | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    content_type = http.get_header("Content-Type") or ""
    if not (http.get_statuscode() or "").startswith("2"):
        return None
    if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
        return None
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    warc_date = headers.get_header("WARC-Date") or ""
    data = record.content_stream().read(max_size + 1)
    if len(data) > max_size:
        raise files.too_large(None, max_size)
    text, _codec = files.to_text(data, content_type=content_type)
    meta = {"warc_date": warc_date, "warc_record_id": headers.get_header("WARC-Record-ID"),
            "content_type": content_type}
    day = warc_date[:10] if len(warc_date) >= 10 else None
    return files.pages_from_text(where, text, name=urlsplit(url or "").path, content_type=content_type,
                                 url=url, published=day or published, meta=meta)


def _records(label: str, stream: BinaryIO) -> Iterator[tuple[str, Any] | Failure]:
    """``(PATH#N, record)`` for every record warcio can parse, resynchronising after corrupt ones."""
    gzipped = detect.is_gzip(stream.read(2))
    start: int | None = 0
    n = 0
    reported = False  # one Failure per corrupt stretch, not one per false record start inside it
    while start is not None:
        stream.seek(start)
        records = ArchiveIterator(stream)
        try:
            for record in records:
                n += 1
                reported = False
                yield f"{label}#{n}", record
            return
        except Exception as exc:  # ArchiveLoadFailed, and plain errors on garbage warcio did not expect
            bad = records.offset
            if not reported:
                n += 1
                reported = True
                yield Failure(f"{label}#{n}", f"corrupt WARC record at byte {bad} ({_one_line(exc)}); skipped")
            start = _next_start(stream, max(bad, start) + 1, gzipped)


def _next_start(stream: BinaryIO, pos: int, gzipped: bool) -> int | None:
    """Offset of the next plausible record start at or after ``pos``, or None at the end of the file."""
    marker, shift = (_GZIP_MEMBER, 0) if gzipped else (_WARC_LINE, 1)
    stream.seek(pos)
    offset, tail = pos, b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        hit = window.find(marker)
        if hit >= 0:
            return offset - len(tail) + hit + shift
        tail = window[-(len(marker) - 1):]
        offset += len(chunk)
    return None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return text or type(exc).__name__

"""RSS and Atom feeds (feedparser): each entry's page is fetched and becomes a :class:`RawPage`.

A feed is known by its root element (``<rss``, ``<feed``, ``<rdf:RDF``), not its name: feeds are
served as ``.xml``, ``.php`` or no extension at all. Entries are labelled ``FEED#N`` (the N-th entry,
as JSON Lines records are), and carry the entry's date as the page's default publication date (the
page's own date still wins) and the feed's address in ``meta["feed"]``.

feedparser is lenient: a truncated feed still gives the entries before the break, which go on; a feed
that gives no entry and is malformed is one :class:`Failure`. An entry without a usable link, or whose
page cannot be fetched, is a Failure for that entry only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx

from ..errors import InterbellumError
from ..model import Failure, RawPage
from . import files, web

# The root element after an optional XML declaration, stylesheet instructions, comments and doctype.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*|<\?xml-stylesheet[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.S | re.I,
)


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` (the first kilobytes are enough) starts like an RSS, RDF or Atom document."""
    return _FEED_ROOT.match(data[:8192]) is not None


def feed_pages(
    label: str,
    data: bytes,
    *,
    max_size: int,
    client: httpx.Client | None = None,
    published: str | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[RawPage | Failure | str]:
    """The pages of the feed ``data``, fetched in entry order.

    ``skip(url)`` returning True means "already stored": the entry's label is yielded as a plain
    ``str`` instead of fetching its page, so a feed polled again costs one request, not one per entry.
    """
    parsed = feedparser.parse(data)  # bytes, never a str: feedparser would take a str for a URL or path
    if not parsed.entries:
        if parsed.bozo:
            yield Failure(label, f"not a readable feed ({_reason(parsed)})")
        return
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{label}#{n}"
        link = (entry.get("link") or "").strip()
        if not link:
            yield Failure(where, "feed entry has no link")
        elif urlsplit(link).scheme.lower() not in ("http", "https"):
            yield Failure(where, f"feed entry link is not an http(s) URL ({link[:80]})")
        elif skip is not None and skip(link):
            yield where
        else:
            yield from _entry_page(where, link, entry, label=label, max_size=max_size, client=client,
                                   published=published)


def _entry_page(where: str, link: str, entry: Any, *, label: str, max_size: int, client: httpx.Client | None,
                published: str | None) -> Iterator[RawPage | Failure]:
    try:
        data, final_url, content_type = web.fetch(link, max_size=max_size, client=client)
        text, _codec = files.to_text(files.unpack(data, max_size), content_type=content_type)
    except InterbellumError as exc:
        yield Failure(where, f"{exc} ({link})")
        return
    meta = {"feed": label}
    if content_type:
        meta["content_type"] = content_type
    if entry.get("title"):
        meta["feed_title"] = entry["title"]
    yield from files.pages_from_text(where, text, name=urlsplit(final_url).path, content_type=content_type,
                                     url=final_url, published=entry_date(entry) or published, meta=meta)


def entry_date(entry: Any) -> str | None:
    """The entry's publication (else update) date as ``YYYY-MM-DD``; feedparser gives it in UTC."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", stamp) if stamp else None


def _reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = " ".join(str(exc).split()) if exc else ""
    return text or "malformed XML"

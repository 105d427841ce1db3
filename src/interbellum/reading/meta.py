"""Metadata every article gets, whatever reader produced it.

The finishing order matters and is written down here:
1. what the container said (a JSONL record's title, language, source, published) wins over guesses;
2. the page's own date wins over the caller's default (``--published``);
3. site domain from the URL when the page did not print one; site name from the domain as a last resort;
4. credited agency from credit lines / datelines in the body's lead when the reader found none;
5. reading time: the page's own figure when it shows one, else words / 230 rounded up;
6. language from the body (title as fallback);
7. a stable id: hash of the canonical URL, else of the normalised body.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import Article, RawPage
from .agencies import find_agency, is_dateline
from .language import detect_language

# A common figure for adult silent reading of non-fiction (Brysbaert 2019 gives 238 wpm); the brief
# fixes 230 so figures agree across tools.
WORDS_PER_MINUTE = 230

# Query parameters that only track the reader; dropping them makes two links to one page one id.
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$|ocid$|cmpid$|at_medium$|at_campaign$)")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PRECISION = {4: "year", 7: "month", 10: "day"}
# Where to look for the credit and the dateline: the first paragraphs only.
_LEAD_PARAGRAPHS = 3
_DEK_MIN_WORDS, _DEK_MAX_WORDS = 5, 60


def finish(article: Article, raw: RawPage, default_published: str | None = None) -> Article:
    """Fill the metadata ``article`` lacks, from ``raw`` and from the article's own text."""
    meta = raw.meta
    for key in ("title", "source"):
        if meta.get(key):
            setattr(article, key, str(meta[key]))
    # The page's own canonical URL identifies it best; an address the caller gave is what they see.
    canonical = article.url
    article.url = raw.url or meta.get("url") or article.url
    _finish_dates(article, raw.published, default_published)
    _finish_site(article)
    _start_at_dateline(article)
    if not article.source:
        article.source = next(filter(None, map(find_agency, article.paragraphs[:_LEAD_PARAGRAPHS])), None)
    if article.reading_time_min is None:
        article.reading_time_min = reading_time(article.body)
    article.language = _language(article, meta.get("language"))
    article.id = article_id(canonical or article.url, article.body)
    article.extra.update({k: v for k, v in meta.items() if k not in ("title", "source", "language")
                          and not k.startswith("default_")})
    return article


def reading_time(body: str) -> int | None:
    """Minutes to read ``body`` at 230 words per minute, at least 1; None for an empty body."""
    words = len(body.split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else None


def canonical_url(url: str) -> str:
    """The URL with case, www., default port, fragment and tracking parameters normalised away."""
    parts = urlsplit(url.strip())
    # news sites serve the same page on www. and the bare domain; one id for both
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower() or "http", host, path, query, ""))


def domain_of(url: str | None) -> str | None:
    """The registrable-looking host of ``url`` without a leading ``www.``; None when there is none."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.") or None


def article_id(url: str | None, body: str) -> str:
    """A stable id: the same page read twice (or from two links to it) gets the same id."""
    key = "url:" + canonical_url(url) if url else "body:" + normalise_text(body)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def normalise_text(text: str) -> str:
    """Case-, accent-form- and whitespace-insensitive form of a text, for hashing."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def _finish_dates(article: Article, record_published: str | None, default: str | None) -> None:
    for candidate in (article.published, record_published, default):
        if candidate and _DATE.match(candidate):
            article.published = candidate
            article.published_precision = _PRECISION[len(candidate)]
            return
    article.published, article.published_precision = None, None


def _finish_site(article: Article) -> None:
    url_domain = domain_of(article.url)
    if url_domain and not article.site_domain:
        article.site_domain = url_domain
    if not article.site_name and article.site_domain:
        article.site_name = article.site_domain


def _start_at_dateline(article: Article) -> None:
    """A wire story's text begins at its dateline: short paragraphs above one are the page's header
    (a dek the reader took for text), so they leave the body, the first becoming the subtitle."""
    paragraphs = article.paragraphs
    at = next((i for i, p in enumerate(paragraphs[:_LEAD_PARAGRAPHS]) if is_dateline(p)), 0)
    header = paragraphs[:at]
    if not header or any(len(p.split()) > _DEK_MAX_WORDS for p in header):
        return
    if not article.subtitle and len(header[0].split()) >= _DEK_MIN_WORDS:
        article.subtitle = header[0]
    article.body = "\n\n".join(paragraphs[at:])


def _language(article: Article, given: object) -> str:
    if isinstance(given, str) and given.strip():
        return given.strip().lower().split("-")[0]
    lang = detect_language(article.body)
    if lang == "und" and article.title:
        lang = detect_language(article.title)
    return lang

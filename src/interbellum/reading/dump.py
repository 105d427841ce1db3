"""Reading a text dump of a web page (one block per line) into an ``Article``.

A dump keeps the whole page: menus, the headline (often twice: in the ``<title>`` with the site's
name, then as the page's heading), a dek, credit, byline and date lines, the article, lists of other
stories, and the footer. The reading goes in stages, each using what the one before found:

1. Title: the first line, less a " - Site" suffix, as printed again further down; its last
   printing before the article anchors the search for the body.
2. Body: the best run of prose lines (``dump_body``), less any header line it swallowed.
3. Header: the lines just before the body give the dek, the agency credit, authors, dates and
   the reading time ("N min read", printed only).
4. Footer and lists: the site's domain and name from the footer; other stories' titles from the
   lists around the article.

Text is copied, never rewritten: the body is the page's own lines joined by blank lines, so later
stages can point into it by character offsets.
"""

from __future__ import annotations

import re

from ..errors import EmptyInputError, NoArticleError
from ..model import Article
from .agencies import find_agency, is_agency
from .dump_body import BAD, GOOD, Line, body_indices, describe, normalise
from .dump_fields import authors_in, date_in, reading_time_in, site_in

# Separators between a headline and the site's name in a <title>: "Headline - WSJ", "Titre | Le Site".
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:·•»]\s+|\s+::\s+")
_SUFFIX_MAX_WORDS = 6
# The header (dek, credit, byline, dates) sits within this many lines above the body.
_HEADER_LINES = 15
_DEK_MIN_WORDS = 5
_DEK_MAX_WORDS = 60
_TITLE_MIN_WORDS = 3
_TITLE_MAX_WORDS = 30
_SNIPPET_MIN_WORDS = 6
# A line in a list of other stories: a headline's length, with no full stop at its end.
_RELATED_MIN_WORDS = 4
_RELATED_MAX_WORDS = 25
_RELATED_NEIGHBOURHOOD = 2
_CAPTION = re.compile(
    r"^(?:photo|image|video|credit|crédit|source|caption|légende)\b|\b(?:getty|afp photo|ap photo)\b"
    r"|^\d+\s+(?:of|sur|/)\s+\d+\s",
    re.I,
)
# A credit line after the article ("SOURCE: APS", "— AFP") is short.
_CREDIT_MAX_WORDS = 8
_BYLINE = re.compile(r"^(?:by|par|written by|words by|reporting by|de)\b", re.I)
# "Lire aussi : <title>" set between paragraphs links another story: not text, but a related title.
_TEASER = re.compile(
    r"^(?:à\s+)?(?:lire aussi|lire également|voir aussi|read also|read more|see also|also read|related)"
    r"\s*[:：\-–]\s*(?P<title>.+)$",
    re.I,
)


def read_dump(text: str) -> Article:
    """Read a page flattened to text (one block per line) into an Article.

    Fills title, subtitle, source, authors, site_name, site_domain, reading_time_min, published,
    updated, body and related_titles; id, language and url are left to the caller.
    Raises EmptyInputError for a dump with no text and NoArticleError when no line reads as prose.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise EmptyInputError("the text dump is empty")
    described = describe(lines)
    title, suffix, title_at = _title(lines)
    keep, boxed = body_indices(described, _anchor(title_at))
    if not keep:
        # too short for a run of prose (a news snippet, a one-paragraph record): its sentences
        # are the text, when there are any
        keep = [i for i, line in enumerate(described) if line.words >= _SNIPPET_MIN_WORDS
                and line.kind != BAD and (line.sentence_end or not line.headline)]
        if not keep and len(lines) == 1 and described[0].words >= _SNIPPET_MIN_WORDS:
            # one line of words and nothing around it: a snippet, even in capitals or cut short;
            # with no page around it, it cannot be that page's headline or chrome
            keep = [0]
        if not keep:
            raise NoArticleError("no article text found in the dump")
        if title is not None and normalise(title) in {normalise(lines[i]) for i in keep}:
            title, title_at = None, []  # a snippet's first sentence is text, not a headline
    if not any(0 < i <= keep[0] for i in title_at):
        # the first line is not printed again above the article: it may be the site's name or a
        # breadcrumb rather than the headline, so the headline just above the body is the better witness
        title = _title_above(described, keep[0]) or title
        title_at = [i for i, line in enumerate(described) if line.text == title] if title else []
    header_from = _header_start(title_at, keep[0])
    header = list(range(header_from, keep[0]))
    dek = _dek(described, header, title)
    skip = {normalise(t) for t in (title, dek) if t}
    found = keep
    keep = [i for i in keep if normalise(lines[i]) not in skip and not _is_header_line(lines[i])]
    if not keep and all(described[i].kind != BAD for i in found):
        # the only text was taken for the headline: a one-sentence snippet is text, not a headline
        title, dek, keep = None, None, found
    teasers = [m.group("title") for i in range(keep[0], keep[-1] + 1) if (m := _TEASER.match(lines[i]))] if keep else []
    keep = [i for i in keep if not _TEASER.match(lines[i])]
    if not keep:
        raise NoArticleError("no article text found in the dump")
    article = Article(title=title, subtitle=dek, body="\n\n".join(lines[i] for i in keep))
    header_lines = [lines[i] for i in header]
    article.source = _source(header_lines, lines, keep)
    article.authors = authors_in(header_lines)
    article.published, article.updated = _dates(header_lines)
    if article.published:
        article.published_precision = "day"  # only full printed dates are read
    article.reading_time_min = reading_time_in(header_lines)
    article.site_name, article.site_domain = site_in(lines[keep[-1] + 1 :], suffix)
    taken = set(range(header_from, keep[-1] + 1)) - set(boxed)
    related = _related(described, title, taken, article.site_name)
    seen = {normalise(t) for t in related}
    article.related_titles = related + [t for t in teasers if normalise(t) not in seen]
    return article


def _title(lines: list[str]) -> tuple[str | None, str | None, list[int]]:
    """The headline, the site-name suffix cut from the first line, and where the headline is printed.

    Candidates are the first line and its parts around title separators; the one printed again
    lowest on the page (nearest the article) wins, as that is the page's own heading.
    """
    first = lines[0]
    cuts = list(_TITLE_SEPARATORS.finditer(first))
    starts = [0] + [m.end() for m in cuts]
    ends = [m.start() for m in cuts] + [len(first)]
    parts = [first[a:b] for a, b in zip(starts, ends, strict=True)]
    suffix = parts[-1] if cuts and len(parts[-1].split()) <= _SUFFIX_MAX_WORDS else None
    # the whole line, then each cut before a separator (longest first), then the parts themselves
    candidates = [first] + [first[: m.start()] for m in reversed(cuts)]
    candidates += [p for p in parts if p != suffix]
    # a site name printed again in the footer is not a headline printed again above the article
    candidates = [c for c in candidates if len(c.split()) >= _TITLE_MIN_WORDS]
    norms = [normalise(ln) for ln in lines]
    best: tuple[int, str] | None = None
    for cand in candidates:
        where = [i for i in range(1, len(lines)) if norms[i] == normalise(cand)]
        if where and (best is None or where[0] > best[0]):
            best = (where[0], cand)
    if best is not None:
        title = lines[best[0]]
    elif first.endswith(".") and not first.endswith(".."):
        return None, None, []  # a sentence: plain text whose first line is already the article
    elif _TITLE_MIN_WORDS <= len(first.split()) <= _TITLE_MAX_WORDS or len(parts) > 1:
        head = first[: cuts[-1].start()] if suffix else first
        title = head if len(head.split()) >= _TITLE_MIN_WORDS else first
    else:
        return None, None, []
    title_norm = normalise(title)
    return title, suffix, [i for i in range(len(lines)) if norms[i] == title_norm]


def _title_above(described: list[Line], body_start: int) -> str | None:
    """For a page whose first line is not its title: the headline just above the body.

    Going up from the body past byline, date and credit lines, the first headline-sized line is
    the title, or the dek when another headline-sized line sits right above it (a dek is seldom
    much shorter than its title).
    """
    found: list[Line] = []
    for i in range(body_start - 1, max(-1, body_start - _HEADER_LINES), -1):
        line = described[i]
        # share buttons, bylines, dates and captions sit between the headline and the article
        if (line.kind == BAD or _is_header_line(line.text) or _CAPTION.search(line.text)
                or line.words < _TITLE_MIN_WORDS):
            continue
        if (
            line.end_marker
            or line.text.endswith(".")
            or not _TITLE_MIN_WORDS < line.words <= _TITLE_MAX_WORDS
        ):
            break
        found.append(line)
        if len(found) == 2:
            break
    if not found:
        return None
    if len(found) == 2 and found[1].words <= found[0].words + 3:
        return found[1].text
    return found[0].text


def _anchor(title_at: list[int]) -> int | None:
    """The first printing of the headline below the page's first line: the article's heading."""
    later = [i for i in title_at if i > 0]
    return later[0] if later else None


def _header_start(title_at: list[int], body_start: int) -> int:
    """First line of the header zone: the earliest printing of the headline close above the body."""
    near = [i for i in title_at if body_start - _HEADER_LINES <= i < body_start]
    return near[0] if near else max(0, body_start - _HEADER_LINES)


def _is_header_line(text: str) -> bool:
    """Credit, byline, date and reading-time lines that a body run may swallow at its edges."""
    words = len(text.split())
    if words > 12:
        return False
    return bool(
        is_agency(text)
        or _BYLINE.match(text)
        or reading_time_in([text]) is not None
        or (date_in(text) is not None and words <= 8)
    )


def _dek(described: list[Line], header: list[int], title: str | None) -> str | None:
    """The standfirst: the first sentence-like line of the header after the heading (or else before)."""
    title_norm = normalise(title) if title else None
    last_title = max((i for i in header if normalise(described[i].text) == title_norm), default=None)
    after = [i for i in header if last_title is None or i > last_title]
    before = [i for i in header if last_title is not None and i < last_title]
    for i in after + before:
        line = described[i]
        text = line.text
        if normalise(text) == title_norm or line.kind == BAD or line.end_marker:
            continue
        if not _DEK_MIN_WORDS <= line.words <= _DEK_MAX_WORDS or line.headline and line.words < 8:
            continue
        if _is_header_line(text) or _CAPTION.search(text) or date_in(text) is not None:
            continue
        return text
    return None


def _source(header: list[str], lines: list[str], keep: list[int]) -> str | None:
    """The credited agency: a header line, the body's dateline, its closing credit, or a SOURCE line.

    Photo credits ("Photo: Jane Doe/AFP") name the agency of a picture, not of the text: skipped.
    """
    last = keep[-1]
    after = [t for t in lines[last + 1 : last + 4] if len(t.split()) <= _CREDIT_MAX_WORDS]
    for text in [*header, lines[keep[0]], lines[last], *after]:
        if _CAPTION.match(text) and not text.lower().startswith("source"):
            continue
        found = find_agency(text)
        if found:
            return found
    return None


def _dates(header: list[str]) -> tuple[str | None, str | None]:
    """(published, updated) from labelled date lines; a bare date line counts as publication."""
    published = updated = bare = None
    for text in header:
        found = date_in(text)
        if found is None:
            continue
        low = text.lower()
        if re.match(r"(?:last\s+)?(?:updated|modified|mis à jour|modifié|actualisé)", low):
            updated = updated or found
        elif re.match(r"(?:first\s+)?(?:published|posted|publié|mis en ligne)", low):
            published = published or found
        else:
            bare = bare or found
    # a page that prints only when it was updated (AP: "Updated 2:12 PM GMT, April 5, 2022") was
    # published on or before that day: the nearest date the page gives
    return published or bare or updated, updated


def _related(described: list[Line], title: str | None, taken: set[int], site: str | None) -> list[str]:
    """Titles of other stories: headline-sized lines in lists outside the article and its header."""
    own = normalise(title) if title else None
    skip = {own, normalise(site) if site else None}

    def listed(i: int) -> bool:
        line = described[i]
        # the first line is the page's <title>: its own headline with the site's name
        if (
            i == 0
            or line.kind in (BAD, GOOD)
            or line.end_marker
            or line.sentence_end
            and not line.text.endswith(("?", "!"))
        ):
            return False
        return _RELATED_MIN_WORDS <= line.words <= _RELATED_MAX_WORDS and date_in(line.text) is None

    out: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(described):
        norm = normalise(line.text)
        if i in taken or norm in skip or norm in seen or not listed(i) or _CAPTION.search(line.text):
            continue
        around = range(
            max(0, i - _RELATED_NEIGHBOURHOOD), min(len(described), i + _RELATED_NEIGHBOURHOOD + 1)
        )
        if any(j != i and (listed(j) or normalise(described[j].text) == own) for j in around):
            seen.add(norm)
            out.append(line.text)
    return out


__all__ = ["read_dump"]

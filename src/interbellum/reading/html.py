"""Reads one HTML page into an ``Article``: trafilatura for the text and metadata, htmldate for the date.

The cascade, every step working on the one tree parsed in step 1:

1. parse with trafilatura's loader (encoding declarations, broken markup, non-HTML rejected);
2. main text: ``trafilatura.bare_extraction`` with comments excluded, in fast mode, then with
   its full cascade if fast mode found no prose; still none raises ``NoArticleError``; a first
   line that only repeats the headline is dropped;
3. metadata: trafilatura's own metadata steps (OpenGraph, ``<meta>``, JSON-LD, headline, canonical
   URL, site name) minus the ones we have no use for, and a cheaper byline search;
4. dates: htmldate for the publication day (trafilatura's call, without the search of the body
   text), explicit modification markers for the update day;
5. what trafilatura leaves to us: the site name cut from the title (or read from it), the
   description kept as subtitle only when it is not the opening of the body, related titles.

Language, id, reading time and the credited agency are left to the meta step.

Speed (the gate: within 1.2x of bare ``trafilatura.extract``): a class/id test costs a pass over
every element, an EXSLT regex test even calls Python per element. So one pass collects the page's
class and id values (``_markers``), and the searches for bylines, deks and related blocks run with
only the tests whose stem occurs there, or not at all.
"""

from __future__ import annotations

import re
from contextlib import suppress
from copy import copy
from datetime import date
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml import etree
from lxml.html import Element as html_element
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    Document,
    examine_meta,
    examine_title_element,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import load_html

from ..errors import EmptyInputError, NoArticleError
from ..model import Article

Table = tuple[tuple[str, str], ...]  # (stem that must occur in an attribute, XPath test)

# Stems rather than words, so that one test covers "related" and "RelatedStories".
_RELATED_BLOCKS: Table = tuple(
    (w, f"contains(@class, '{w}') or contains(@id, '{w}')")
    for w in ("elated", "ore-stor", "ore_stor", "oreStor", "ecirc", "lso-read", "ead-also", "ire-aussi",
              "a-lire", "ecommended")
)
# Bylines, most specific first: the regex-free core of trafilatura's AUTHOR_XPATHS.
_BYLINE_TIERS: tuple[Table, ...] = (
    (("uthor", "@rel='author' or @id='author' or @class='author' or contains(@itemprop, 'author')"
               " or contains(@class, 'uthor-name') or contains(@class, 'uthorName')"),),
    (("yline", "contains(@class, 'yline') or contains(@id, 'yline') or contains(@data-component, 'Byline')"),
     ("uthor", "contains(@class, 'uthor') or contains(@id, 'uthor')"),
     ("writer", "contains(@class, 'writer')")),
)
# what trafilatura's AUTHOR_DISCARD_XPATHS prunes first, tested on the few candidates only:
# a comment's author or a comment form's "Name" field is no byline
_NOT_IN_COMMENTS = ("[not(ancestor-or-self::form or ancestor-or-self::label"
                    " or ancestor::*[starts-with(@id, 'comment') or starts-with(@class, 'comment')"
                    " or starts-with(@class, 'Comment')"
                    " or contains(@class, 'commentlist') or contains(@class, 'comment-list')])]")
_DEK_CLASSES: Table = tuple(
    (w, f"contains(@class, '{w}')") for w in ("standfirst", "dek", "subtitle", "subhead", "chapo", "lede")
)
_STEMS = frozenset(stem for table in (_RELATED_BLOCKS, _DEK_CLASSES, *_BYLINE_TIERS) for stem, _ in table)
# class and id only: adding rel and itemprop cost ~50% more and found 1 more byline in 181 pages
_MARKER_VALUES = etree.XPath("//@class|//@id", smart_strings=False)
# Related blocks found by their visible heading rather than their markup.
_RELATED_HEADING = re.compile(
    r"^(related|more (stories|on|from|news)|read (more|also|next)|also read|see also|"
    r"(à )?lire aussi|sur le même (sujet|thème)|dans la même rubrique|à voir aussi)\b", re.IGNORECASE)
# //h2|//h3 is one fast walk each in libxml2; //*[self::h2 or ...] is a slower, generic one
_HEADINGS = etree.XPath("//h2|//h3|//h4|//h5")
_MAX_RELATED = 30
_MAX_SITE_WORDS = 6
_MODIFIED_META = etree.XPath(  # from the root: ".//head" would walk the whole tree
    "/html/head/meta[@property='article:modified_time' or @property='og:updated_time'"
    " or @itemprop='dateModified' or @name='dateModified' or @name='last-modified']/@content"
)
_MODIFIED_ITEMPROP = etree.XPath(".//*[@itemprop='dateModified']/@*[name()='datetime' or name()='content']")
_JSON_LD = etree.XPath(".//script[@type='application/ld+json']/text()")
_JSON_MODIFIED = re.compile(r'"dateModified"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
# Bylines read from markup drag in the dateline beside them ("Jane Doe Nov", "Jane Doe; Monday").
# Not May, Mai, Mar or Mars: they are also surnames.
_DATE_WORD = re.compile(
    r"\s*\b(jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|(mon|tues|wednes|thurs|fri|satur|sun)day|published|updated|"
    r"janvier|février|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"(lun|mar|mercre|jeu|vendre|same)di|dimanche|publié)\.?$", re.IGNORECASE)
# the end of a sentence, in scripts with and without spaces (table cells end in " |")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(\s|$)|[。！？।؟۔]")
_MIN_SENTENCE = 40  # characters: a link text or a form label is shorter
_MIN_PROSE = 100  # characters of sentences on the page: about one sentence of news prose
_ELLIPSIS = re.compile(r"\s*(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
_WORD = re.compile(r"\w+")
_TITLE_SEP = re.compile(r"\s+[|\-–—:·•]\s+")


def read_html(html: str, url: str | None = None) -> Article:
    """Read one HTML page: its main text and what the page says about itself.

    ``url`` is where the page came from; a canonical link in the page wins over it.
    Raises ``EmptyInputError`` for a blank page and ``NoArticleError`` when the page has no
    article text (a home page, a login wall).
    """
    if not html or html.isspace():
        raise EmptyInputError("empty page")
    tree = load_html(html)
    if tree is None:
        raise NoArticleError("not an HTML page")
    paragraphs = _paragraphs(tree, url)
    markers = _markers(tree)
    meta = _metadata(tree, markers, url)
    title = _clean_title(meta.title, meta.sitename, _domain(meta.url))
    # trafilatura keeps an <h1> that sits inside the article container; the headline is the title
    if title and len(paragraphs) > 1 and _words(paragraphs[0]) == _words(title):
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    published = _published(tree, meta.url)
    return Article(
        title=title,
        body=body,
        url=meta.url,
        subtitle=_subtitle(meta.description or _dek(tree, markers), title, body),
        authors=_authors(meta.author),
        site_name=meta.sitename,
        site_domain=_domain(meta.url),
        published=published,
        published_precision="day" if published else None,
        updated=_updated(html, tree, published),
        related_titles=_related_titles(tree, markers, title, meta.url),
    )


def _paragraphs(tree: HtmlElement, url: str | None) -> list[str]:
    """The article's paragraphs, whitespace collapsed.

    trafilatura in fast mode first: its full cascade also runs readability and justext on every
    page, keeping their text where its own rules look weak. On the ScrapingHub pages that costs a
    third of its time and changes 5 pages of 181, 3 for the worse (F1 0.963 full, 0.965 fast, both
    without comments); so only the pages fast mode finds no prose in get the full cascade.
    """
    paragraphs = _extract(tree, url, fast=True)
    if _prose(paragraphs) < _MIN_PROSE:
        paragraphs = _extract(tree, url, fast=False)
        # On a page without an article trafilatura's last resort returns the link texts and form
        # labels (a home page's headlines, "Sign in", "Password"): an article has sentences.
        if _prose(paragraphs) < _MIN_PROSE:
            raise NoArticleError("no article text found in the page")
    return paragraphs


def _extract(tree: HtmlElement, url: str | None, fast: bool) -> list[str]:
    # bare_extraction copies a tree it is given: ``tree`` stays whole for the steps after it.
    # Comments off: not the article (bare trafilatura keeps them, and loses precision for it).
    doc = bare_extraction(tree, url=url, include_comments=False, fast=fast)
    lines = (" ".join(line.split()) for line in (doc.text or "").splitlines()) if doc else ()
    return [line for line in lines if line]


def _prose(paragraphs: list[str]) -> int:
    """Characters in paragraphs that read as sentences, not as link texts or labels."""
    return sum(len(p) for p in paragraphs if len(p) >= _MIN_SENTENCE and _SENTENCE_END.search(p))


def _metadata(tree: HtmlElement, markers: set[str], url: str | None) -> Document:
    """trafilatura's ``extract_metadata`` without the steps we have no use for.

    Left out: categories, tags and the licence scan (each walks the whole tree; we use none of
    them), the htmldate call (made once, in ``_published``), and ``extract_author``'s search of
    the markup, replaced by ``_byline``: on the ScrapingHub pages it cost 11% of bare
    trafilatura's time (a deep copy, then regex tests on every element); of the 75 pages with no
    author in their metadata, ``_byline`` reads the same byline on 71, a credit more on 2.
    """
    # these read only the head but find it with ".//head", a walk of the whole page each (up to 6)
    head = html_element("html")
    if (found := tree.find("head")) is not None:
        head.append(copy(found))
    meta = examine_meta(head)
    # as trafilatura does: a one-word <meta name=author> is a handle or a desk, not a byline
    if meta.author and " " not in meta.author:
        meta.author = None
    # trafilatura guards this call the same way: JSON-LD in the wild breaks its parser
    with suppress(Exception):
        meta = extract_meta_json(tree, meta)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or _byline(tree, markers)
    meta.url = _page_url(head, meta.url, url)
    meta.sitename = meta.sitename or extract_sitename(head) or _site_from_title(head, meta.title)
    meta.clean_and_trim()
    meta.sitename = _clean_site_name(meta.sitename)
    return meta


def _site_from_title(head: HtmlElement, title: str | None) -> str | None:
    """The site in "Headline | Site" or "Site - Headline" (trafilatura takes it only when it looks
    like a domain, "example.com"; most sites write their name there)."""
    full, first, second = examine_title_element(head)
    if not (title and first and second):
        return None
    headline = _words(title)
    if headline in (_words(first), _words(full)):
        site = second
    elif headline == _words(second):
        site = first
    else:
        return None
    return site if len(_words(site)) <= _MAX_SITE_WORDS else None


def _markers(tree: HtmlElement) -> set[str]:
    """The stems that occur in the page's class and id values."""
    # one substring test per stem on the joined values beats one regex with 19 alternatives ~5x
    values = " ".join(_MARKER_VALUES(tree))
    return {stem for stem in _STEMS if stem in values}


def _present(table: Table, markers: set[str]) -> str:
    """The tests of ``table`` whose stem is among ``markers``, or'ed into one predicate."""
    return " or ".join(test for stem, test in table if stem in markers)


def _byline(tree: HtmlElement, markers: set[str]) -> str | None:
    """The author named in the page's markup, by trafilatura's rules for reading a byline."""
    queries = [etree.XPath(f"//*[{test}]{_NOT_IN_COMMENTS}") for tier in _BYLINE_TIERS
               if (test := _present(tier, markers))]
    found = extract_metainfo(tree, queries, len_limit=120) if queries else None
    return normalize_authors(None, found) if found else None


def _authors(found: str | None) -> list[str]:
    """trafilatura's "A; B" as a list, without the date words a byline block carries."""
    names: list[str] = []
    for part in (found or "").split("; "):
        name = part
        while (cut := _DATE_WORD.sub("", name)) != name:
            name = cut
        if name and name not in names:
            names.append(name)
    return names


def _page_url(head: HtmlElement, found: str | None, given: str | None) -> str | None:
    """The canonical URL (og:url, JSON-LD, <link rel=canonical>), else the one the page came from."""
    found = found or extract_url(head)
    if not found and given:
        # trafilatura resolves a relative canonical link only against an og: or twitter: URL and
        # drops it otherwise; we also know where the page came from
        link = head.find(".//link[@rel='canonical']")
        found = link.get("href") if link is not None else None
    if not found:
        return given
    if given and not urlsplit(found).netloc:
        return urljoin(given, found)
    return found if urlsplit(found).scheme in ("http", "https") else given


def _clean_site_name(name: str | None) -> str | None:
    """A site name, not a Facebook page URL (article:publisher) or a Twitter handle."""
    # trafilatura also capitalises bare handles ("lemonde" -> "Lemonde"): not here, a wrong
    # capital is worse than none when outlets are matched by name
    return None if not name or name.startswith(("http:", "https:", "//")) else name.lstrip("@") or None


def _clean_title(title: str | None, site_name: str | None, domain: str | None) -> str | None:
    """The headline without the " | Site" (or "Site - ") that og:title and <title> often carry."""
    seps = list(_TITLE_SEP.finditer(title or ""))
    if not (title and seps):
        return title or None
    known = set(_words(f"{site_name or ''} {domain or ''}"))
    # "Inexhibit" is cut for the site "Inexhibit magazine": all its words name the site
    if known >= set(suffix := _words(title[seps[-1].end():])) and suffix:
        title = title[: seps[-1].start()]
    elif known >= set(prefix := _words(title[: seps[0].start()])) and prefix:
        title = title[seps[0].end():]
    return title.strip() or None


def _published(tree: HtmlElement, url: str | None) -> str | None:
    """The publication day, as htmldate finds it in the URL, the markup and the datelines.

    trafilatura's own date is this call (so it is made once, here), with htmldate's extensive
    search, which also reads the dates in the body text and the raw page: on a news page, those of
    the events reported, or a copyright year made 1 January. A wrong day would anchor every "on
    Friday" in the article; none lets the caller's default stand. 2 of 181 ScrapingHub pages differ.
    """
    return find_date(tree, original_date=True, extensive_search=False, url=url,
                     max_date=date.today().isoformat())


def _updated(html: str, tree: HtmlElement, published: str | None) -> str | None:
    """The last-modified day, only when the page marks it explicitly.

    Not htmldate's ``original_date=False``: it answers "the latest date on the page", on a page
    with no modification marker any date in the text, and costs a second scan.
    """
    values = _MODIFIED_META(tree)
    # microdata and JSON-LD cost a pass each: only when the page names the property at all
    if not values and "dateModified" in html:
        values = _MODIFIED_ITEMPROP(tree) or [
            day for script in _JSON_LD(tree) for day in _JSON_MODIFIED.findall(str(script))
        ]
    days = [m[1] for v in values if (m := _ISO_DAY.match(str(v))) and _valid_day(m[1])]
    day = max(days, default=None)
    return day if day and (published is None or day >= published) else None


def _valid_day(value: str) -> bool:
    with suppress(ValueError):
        return date.fromisoformat(value) <= date.today()
    return False


def _dek(tree: HtmlElement, markers: set[str]) -> str | None:
    """A visible standfirst, for pages without a meta description."""
    test = _present(_DEK_CLASSES, markers)
    if not test:
        return None
    for el in tree.xpath(f"//*[self::p or self::h2 or self::div][{test}][not(.//p)]"):
        text = " ".join(el.text_content().split())
        if len(_WORD.findall(text)) >= 5:
            return text
    return None


def _subtitle(description: str | None, title: str | None, body: str) -> str | None:
    """The description, unless it only repeats the title or the opening of the body."""
    if not description:
        return None
    desc = _words(_ELLIPSIS.sub("", description))
    if not desc or (title and desc == _words(title)):
        return None
    opening = _words(body[: len(description) * 2])
    if opening[: len(desc)] == desc:
        return None
    return description


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _domain(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""
    return host or None


def _related_titles(tree: HtmlElement, markers: set[str], title: str | None, url: str | None) -> list[str]:
    """Titles of the other stories a page links to in its "related" / "more stories" blocks."""
    own = {tuple(_words(title))} if title else set()
    own_path = urlsplit(url).path.rstrip("/") if url else None
    seen: set[tuple[str, ...]] = set()
    titles: list[str] = []
    for link in _related_links(tree, markers):
        text = " ".join(link.text_content().split())
        key = tuple(_words(text))
        # a story title has a few words; "Africa", "Next >" and share buttons do not
        if len(key) < 4 or len(text) > 300 or key in own or key in seen:
            continue
        if own_path and urlsplit(link.get("href", "")).path.rstrip("/") == own_path:
            continue
        seen.add(key)
        titles.append(text)
        if len(titles) >= _MAX_RELATED:
            break
    return titles


def _related_links(tree: HtmlElement, markers: set[str]) -> list[HtmlElement]:
    """Links inside blocks marked as related stories, by class/id, then by heading."""
    links: list[HtmlElement] = []
    if test := _present(_RELATED_BLOCKS, markers):
        links.extend(tree.xpath(f"//*[{test}]//a[@href]"))
    for heading in _HEADINGS(tree):
        if _RELATED_HEADING.match(" ".join(heading.text_content().split())):
            # the list right after the heading; its parent only when the links sit beside it,
            # since a parent can also be the whole article, in-text links and all
            block = heading.getnext()
            if block is None or block.find(".//a[@href]") is None:
                block = heading.getparent()
            if block is not None:
                links.extend(block.iterfind(".//a[@href]"))
    return links

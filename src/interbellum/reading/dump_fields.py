"""Small printed fields of a page, read from single lines: dates, bylines, reading time, site.

Each function takes lines of text and answers one field, or None (an empty list for authors) when
the page does not print it. English and French forms are understood; nothing is guessed from
what is not printed (a reading time is only the page's own "N min read").
"""

from __future__ import annotations

import re

from .agencies import is_agency

# Month names and abbreviations, English and French, in calendar order.
_MONTH_NAMES = [
    "jan janv january janvier",
    "feb febr february févr fevr février fevrier",
    "mar march mars",
    "apr april avr avril",
    "may mai",
    "jun june juin",
    "jul july juil juillet",
    "aug august août aout",
    "sep sept september septembre",
    "oct october octobre",
    "nov november novembre",
    "dec december déc décembre decembre",
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_MONTH = r"(?P<month>[a-zéû]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_FORMS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # June 6, 2025
    re.compile(rf"\b{_DAY}\.?\s+{_MONTH}\s+{_YEAR}\b", re.I),  # 6 June 2025, 6 juin 2025
    re.compile(rf"\b{_YEAR}-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),  # 2025-06-06
]
_READING_TIME = re.compile(
    r"(?:^|\b)(?P<n>\d{1,3})\s*(?:-\s*)?(?:min(?:ute)?s?|mn)\.?\s+(?:read|de lecture|lecture)\b"
    r"|(?:reading time|read time|temps de lecture|durée de lecture|lecture|read)\s*:?\s*(?P<m>\d{1,3})\s*(?:min|mn)",
    re.I,
)
_READING_TIME_MAX_WORDS = 8
_BYLINE = re.compile(r"^(?:written by|words by|reporting by|by|par)\s*:?\s*(?P<rest>.*)$", re.I)
_BY_INSIDE = re.compile(r"\b(?:by|par)\s+(?P<rest>[A-ZÀ-Ý][^|]*)$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\|)\s*")
_NAME_CUT = re.compile(r"\s+(?:[-–—|]|on|le|updated|published|posted|mis à jour|publié)\s+.*$", re.I)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]*|de|da|del|der|van|von|la|le|du|al|el|bin|ben|ibn|dos|d')$")
_NAME_MAX_WORDS = 5
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?(?P<d>(?:[a-z0-9-]+\.)+[a-z]{2,12})/?$", re.I)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:(?:19|20)\d\d)?)?\s*)?(?P<name>[^|•·]+)",
    re.I,
)
_RIGHTS = re.compile(r"[.,]?\s*(?:all rights reserved|tous droits réservés|droits réservés).*$", re.I)
_SITE_MAX_WORDS = 6


def date_in(text: str) -> str | None:
    """The first calendar date printed in ``text`` as YYYY-MM-DD, or None."""
    for form in _DATE_FORMS:
        for m in form.finditer(text):
            groups = m.groupdict()
            month = (
                int(groups["mnum"])
                if groups.get("mnum")
                else _MONTHS.get(groups["month"].lower().rstrip("."))
            )
            if not month or not 1 <= month <= 12:
                continue
            day = int(groups["day"])
            if 1 <= day <= 31:
                return f"{int(groups['year']):04d}-{month:02d}-{day:02d}"
    return None


def reading_time_in(lines: list[str]) -> int | None:
    """Minutes of a printed reading time ("2 min read", "5 min de lecture"), or None."""
    for text in lines:
        if len(text.split()) > _READING_TIME_MAX_WORDS:
            continue
        m = _READING_TIME.search(text)
        if m:
            return int(m.group("n") or m.group("m"))
    return None


def _names(rest: str) -> list[str]:
    rest = _NAME_CUT.sub("", rest.strip())
    names = []
    for part in _NAME_SPLIT.split(rest):
        part = part.strip(" .:")
        words = part.split()
        if not words or len(words) > _NAME_MAX_WORDS or is_agency(part):
            continue
        if words[0][0].isupper() and all(_NAME_WORD.match(w) for w in words):
            names.append(part)
    return names


def authors_in(lines: list[str]) -> list[str]:
    """Authors named by the byline among ``lines``: "By Jane Doe and John Roe", "Par Marie Dupont"."""
    for i, text in enumerate(lines):
        m = _BYLINE.match(text)
        if m:
            rest = m.group("rest") or (lines[i + 1] if i + 1 < len(lines) else "")
            names = _names(rest)
            if names:
                return names
        m = _BY_INSIDE.search(text)
        if m and len(text.split()) <= 15:
            names = _names(m.group("rest"))
            if names:
                return names
    return []


_TRAILING_YEAR = re.compile(r"\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*$")


def _site_name(text: str) -> str:
    """A site's name from a footer line: "© Le Site 2023. All rights reserved" → "Le Site"."""
    m = _COPYRIGHT.search(text)
    name = m.group("name") if m else text
    return _TRAILING_YEAR.sub("", _RIGHTS.sub("", name)).strip(" .,-–")


def site_in(footer: list[str], title_suffix: str | None) -> tuple[str | None, str | None]:
    """(site_name, site_domain) from the lines after the article, else the title's suffix.

    A bare domain line gives the domain, and the short line just above it the name (a footer prints
    the site's name over its address); a copyright line gives the name, and the domain if it is one.
    """
    name = domain = None
    for i, text in enumerate(footer):
        m = _DOMAIN.match(text)
        if m and domain is None:
            domain = m.group("d").lower()
            above = footer[i - 1] if i else ""
            if name is None and 0 < len(above.split()) <= _SITE_MAX_WORDS and not _DOMAIN.match(above):
                name = _site_name(above)
    if name is None and title_suffix and any(t.strip() == title_suffix for t in footer):
        name = title_suffix
    for text in footer:
        m = _COPYRIGHT.search(text)
        if m is None:
            continue
        found = _site_name(m.group("name"))
        # "Copyright 2025 The Associated Press" under an article credits the wire, not the site
        if not found or len(found.split()) > _SITE_MAX_WORDS or is_agency(found):
            continue
        name = name or found
        dm = _DOMAIN.match(found.split(",")[0].strip())
        if dm and domain is None:
            domain = dm.group("d").lower()
        break
    return name or title_suffix, domain

"""Which news agency a page credits, from the way credits are printed.

A credit comes in a handful of shapes, tried in this order on the start of a text (and on its last
line for the trailing forms):

1. a wire dateline: ``BAMAKO, June 6 (Reuters) -``, ``(AP) —``, ``PARIS (AFP) -``;
2. a source line: ``SOURCE: AFP``, ``Source : Reuters``;
3. a byline naming the agency: ``By Jane Doe | Reuters``, ``By AFP``, ``Par Marie Dupont, AFP``;
4. a line that is only an agency: ``Reuters``, ``BelTA News Agency``, ``Agence Ivoirienne de Presse``;
5. a closing credit: ``... said. (Reuters)``, ``— AFP``, ``(with AFP)``, ``(avec AFP)``.

An agency is either one of the well-known ones listed in ``data/agencies.tsv`` or a name shaped like
one (``<Name> News Agency``, ``Agence <Name>``). The string is returned as printed; ``canonical_agency``
maps it to the table's name. Everything here is pure: no state beyond the cached table.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Short all-caps aliases (AP, AA, MAP, UNI) are ordinary words or initials in other cases, so they
# only count when printed exactly; longer names are matched regardless of case.
_EXACT_CASE_MAX_LEN = 4
# A credit is a name, not a sentence: longer "names" are prose that happens to fit a pattern.
_MAX_CREDIT_WORDS = 7
# Datelines sit at the very start of a lead; looking further finds parentheses in the prose.
_LEAD_CHARS = 400

_DATELINE = re.compile(r"^[^\n()]{0,90}?\((?P<a>[^()\n]{2,50})\)\s*[-–—:]", re.UNICODE)
_SOURCE_LINE = re.compile(r"^\s*(?:sources?|crédit|credit)\s*:\s*(?P<a>[^\n]{2,80}?)\s*\.?\s*$", re.I | re.M)
_BYLINE = re.compile(r"^\s*(?:by|par|de)\s+(?P<rest>[^\n]{2,120})$", re.I)
_CLOSING = re.compile(
    r"(?:\((?:with|avec|and|et)\s+(?P<w>[^()\n]{2,40})\)|\((?P<p>[^()\n]{2,40})\)|[-–—]\s*(?P<d>[^\n.]{2,40}))\s*\.?\s*$"
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||,|/|\s[-–—]\s|\bfor\b|\bwith\b|\bavec\b|\bpour\b)\s*")
_SHAPED = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+){1,5}(?:News\s+|Press\s+|Telegraph\s+|Information\s+)?Agency$"
    r"|^Agen(?:ce|cia|zia)\s+(?:[\w'’.-]+\s+){0,5}[\w'’.-]+$",
    re.UNICODE,
)
# "<Name> Agency" also names government bodies; these words mark the ones that are not wires.
_NOT_WIRE = re.compile(
    r"\b(?:Intelligence|Security|Protection|Energy|Atomic|Space|Environment\w*|Health|Revenue|Development"
    r"|Refugee|Defen[cs]e|Emergency|Drug|Food|Medicines?|Employment|Nuclear|Travel|Advertising|Insurance)\b"
)


@cache
def known_agencies() -> dict[str, str]:
    """Every known agency name and alias (lower-cased key) -> the canonical name."""
    table: dict[str, str] = {}
    text = resources.files("interbellum").joinpath("data/agencies.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, aliases = line.partition("\t")
        for alias in [name, *aliases.split("|")]:
            if alias.strip():
                table.setdefault(alias.strip().lower(), name.strip())
    return table


@cache
def _exact_case_aliases() -> frozenset[str]:
    text = resources.files("interbellum").joinpath("data/agencies.tsv").read_text(encoding="utf-8")
    names = re.split(r"[\t|\n]", text)
    return frozenset(
        n.strip() for n in names if n.strip().isupper() and len(n.strip()) <= _EXACT_CASE_MAX_LEN
    )


def canonical_agency(name: str) -> str | None:
    """The table's name for a printed agency credit, or None when it is not a known agency."""
    return known_agencies().get(name.strip().lower())


def is_agency(name: str) -> bool:
    """True when ``name`` (a whole credit, nothing else) names a news agency."""
    name = name.strip().strip(".:;")
    if not name or len(name.split()) > _MAX_CREDIT_WORDS:
        return False
    key = name.lower()
    if key in known_agencies():
        short = len(name) <= _EXACT_CASE_MAX_LEN
        return not short or name in _exact_case_aliases() or not name.isascii()
    return bool(_SHAPED.match(name)) and not _NOT_WIRE.search(name)


def _first_agency(candidates: list[str]) -> str | None:
    for cand in candidates:
        cand = cand.strip().strip(".:;")
        if is_agency(cand):
            return cand
    return None


def _from_byline(line: str) -> str | None:
    m = _BYLINE.match(line)
    if not m:
        return None
    return _first_agency(_SEGMENT_SPLIT.split(m.group("rest")))


def _from_closing(text: str) -> str | None:
    tail = text.rstrip()[-200:]
    m = _CLOSING.search(tail)
    if not m:
        return None
    found = m.group("w") or m.group("p") or m.group("d") or ""
    return _first_agency(re.split(r"\s*[/,]\s*|\s+(?:and|et)\s+", found))


def is_dateline(paragraph: str) -> bool:
    """Whether ``paragraph`` opens with a wire dateline: "BAMAKO, June 6 (Reuters) -", "(AP) —"."""
    m = _DATELINE.match(paragraph.strip()[:_LEAD_CHARS])
    return bool(m and _first_agency(re.split(r"\s*[/,]\s*", m.group("a"))))


def find_agency(text: str) -> str | None:
    """The news agency ``text`` (one line, or the start of an article) credits, as printed, or None."""
    text = text.strip()
    if not text:
        return None
    lead = text[:_LEAD_CHARS]
    first_line = lead.split("\n", 1)[0].strip()
    m = _DATELINE.match(lead)
    if m:
        found = _first_agency(re.split(r"\s*[/,]\s*", m.group("a")))
        if found:
            return found
    for m in _SOURCE_LINE.finditer(lead):
        found = _first_agency(re.split(r"\s*[/,]\s*|\s+(?:and|et)\s+", m.group("a")))
        if found:
            return found
    found = _from_byline(first_line)
    if found:
        return found
    if is_agency(first_line):
        return first_line.strip(".:;")
    return _from_closing(text)

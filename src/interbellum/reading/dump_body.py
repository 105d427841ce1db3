"""Finding an article's body among the lines of a flattened web page.

A text dump keeps everything a page shows, one block per line: menus, headline lists, captions,
share bars, the article, comments, the footer. The body is told apart in four steps:

1. Each line gets features that do not depend on the language much: its length in words, how
   dense it is in function words, whether it ends like a sentence, whether it is shaped like a
   headline (Title Case, no final stop), repeated elsewhere on the page, or site furniture.
2. Lines are classed, jusText-style: ``good`` (prose), ``near`` (short prose), ``short`` (a label,
   heading or menu item) and ``bad`` (furniture).
3. The body is the one contiguous run of lines with the highest score (prose counts for it,
   everything else against it, in proportion to its length). A line that opens what follows an
   article ("Related stories", "More from ...") costs a paragraph, unless paragraphs resume
   right after its short list (a box set inside the article). A comment thread is cut off when
   the article before it is worth a paragraph or two. Short gaps cost little, so subheadings,
   captions and ad slots between paragraphs do not split the body.
4. Inside that run, prose lines are kept and so are subheadings (a short line announcing prose);
   furniture, repeated lines, captions and the lists of inside boxes are dropped.

The weights were set as a whole by measuring on the flattened ScrapingHub pages (benchmarks/
flat_bench.py); move them together and measure, not one at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"

# Prose: a line this long with enough function words is a paragraph.
_GOOD_WORDS = 10
# ... or this long, with or without a final stop (quotes, lists of clauses).
_LONG_WORDS = 25
_NEAR_WORDS = 5
# Below this share of function words a long line is a list of names or keywords, not prose.
_MIN_STOP_RATIO = 0.12
# Score of a prose line caps here so that one giant block (a comment dump) does not outweigh the rest.
_SCORE_CAP = 80
_SHORT_COST = 1.5
_LONE_FACTOR = 0.4
# Score of a run (about two short paragraphs) that is taken for the body even when comments outscore it.
_BEFORE_COMMENTS_MIN = 40.0
_MAX_COMMENT_MARKERS = 5
_MARKER_COST = 50.0
# A "Read also" box inside an article lists a few titles, then the article goes on.
_INLINE_BOX_LINES = 4
# The run after the headline is the body unless the best run elsewhere is this many times stronger.
_ANCHOR_SHARE = 0.5
_BAD_COST = 4.0
# Furniture words only condemn short lines: a paragraph may well say "subscribe" or "cookie".
_CHROME_MAX_WORDS = 12
_HEADING_MAX_WORDS = 15
# "More from Frontline Weekly", "Related: Sahel": a marker with a name after it is still a marker.
_MARKER_PREFIX_MAX_WORDS = 6

_SENTENCE_END = re.compile(r"[.!?…:;。！？]['\"’”»)\]]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)
_TRAILING = re.compile(r"[\s.:;!?…»>›|()\[\]-]+$")
# Comment threads: "jdoe says:", "Marie on May 3, 2019 at 4:47 pm said:", "12 Comments", "Comments (4)".
_COMMENT_HEADER = re.compile(r"^.{1,80}\s(?:says|said|wrote|replied|a dit|a écrit)\s*:?$", re.I)
_COMMENT_COUNT = re.compile(
    r"^\W*(?:\d[\d,.]*\s+)?(?:comments?|responses?|replies|thoughts on|commentaires?|réactions?)\b", re.I
)
# Plural only: "declined to comment" is news; "Loading comments", "View 15 comments" are a thread.
_COMMENT_WORD = re.compile(r"\b(?:comments|commentaires)\b", re.I)
_COMMENT_MARKER_MAX_WORDS = 8
# A line that is only a time stamp: article headers and comment threads are full of them.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|mars|avr|mai|juin|juil|août|sept|déc)\w*\.?"
_TIMESTAMP = re.compile(
    rf"^(?:\w+,?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago)"
    rf"(?:,?\s*(?:at|à|-|@)?\s*\d{{1,2}}[:h.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?\.?$",
    re.I,
)
# Site furniture whatever its length: copyright notices and cookie-consent banners.
_ALWAYS_CHROME = re.compile(
    r"©|\ball rights reserved\b|\btous droits réservés\b"
    r"|\bcookies?\b.*\b(?:consent|accept|agree|browsing|privacy|settings)\b"
    r"|\b(?:consent|accept|agree|browsing|privacy|settings)\b.*\bcookies?\b"
    # gallery captions and credits: "3 of 12 A shopper looks at ...", "Photo: Jane Doe/AP"
    r"|^\d+\s+(?:of|sur|/)\s+\d+\s|^(?:photo|image|video|vidéo|credit|crédit)s?\s*:"
    r"|\((?:photo|image|credit|crédit|crédit photo)s?\s*:[^)]*\)\s*$",
    re.I,
)
# A teaser cut short ("Officials say the road will...") stands for a story elsewhere.
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")


@dataclass(frozen=True)
class Words:
    stopwords: frozenset[str]
    chrome: tuple[str, ...]
    end: frozenset[str]
    end_prefixes: tuple[str, ...]


@cache
def word_lists() -> Words:
    """The word lists of ``data/dump_boilerplate.txt``, by section."""
    text = resources.files("interbellum").joinpath("data/dump_boilerplate.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line.lower())
    return Words(
        stopwords=frozenset(sections.get("stopwords", [])),
        chrome=tuple(sections.get("chrome", [])),
        end=frozenset(sections.get("end", [])),
        end_prefixes=tuple(sections.get("end prefix", [])),
    )


@dataclass(frozen=True)
class Line:
    text: str
    words: int
    stop_ratio: float
    sentence_end: bool
    headline: bool
    chrome: bool
    end_marker: bool
    comments: bool
    repeated: bool
    kind: str


def _headline_shape(tokens: list[str]) -> bool:
    """Title Case Like This: most content words capitalised (menus, headline lists, section names)."""
    content = [t for t in tokens if len(t) > 3 and t[0].isalpha()]
    if len(content) < 2:
        return bool(content) and content[0][0].isupper() and len(tokens) <= 3
    return sum(t[0].isupper() for t in content) / len(content) >= 0.7


def normalise(text: str) -> str:
    """A line's identity for repetition and marker checks: lower case, no trailing punctuation."""
    return _TRAILING.sub("", text.strip().lower())


def _classify(
    words: int,
    stop_ratio: float,
    sentence_end: bool,
    headline: bool,
    chrome: bool,
    cjk: bool,
    truncated: bool,
) -> str:
    if chrome:
        return BAD
    if truncated and words < _LONG_WORDS:
        return SHORT
    dense = stop_ratio >= _MIN_STOP_RATIO or cjk
    if words >= _GOOD_WORDS and dense and (sentence_end or words >= _LONG_WORDS) and not headline:
        return GOOD
    if words >= _LONG_WORDS and sentence_end:
        return GOOD
    if words >= _NEAR_WORDS and sentence_end and (dense or not headline):
        return NEAR
    return SHORT


def describe(lines: list[str]) -> list[Line]:
    """Features and class of every line of a page (blank lines removed beforehand)."""
    lists = word_lists()
    counts = Counter(normalise(t) for t in lines)
    out = []
    for text in lines:
        tokens = _WORD.findall(text)
        cjk = len(_CJK.findall(text))
        words = len(tokens) + cjk // 2
        stops = sum(t.lower() in lists.stopwords for t in tokens)
        stop_ratio = stops / len(tokens) if tokens else 0.0
        sentence_end = bool(_SENTENCE_END.search(text))
        headline = not sentence_end and _headline_shape(tokens)
        low = text.lower()
        chrome = (words <= _CHROME_MAX_WORDS and any(p in low for p in lists.chrome)) or bool(
            _ALWAYS_CHROME.search(text) or _COMMENT_HEADER.match(text) or _TIMESTAMP.match(text)
        )
        norm = normalise(text)
        comments = words <= _COMMENT_MARKER_MAX_WORDS and bool(
            _COMMENT_COUNT.match(text) or _COMMENT_WORD.search(text)
        )
        end_marker = (
            comments
            or norm in lists.end
            or (
                words <= _MARKER_PREFIX_MAX_WORDS
                and any(norm.startswith(m + " ") for m in lists.end_prefixes)
            )
        )
        repeated = counts[norm] > 1 and words >= 3
        kind = _classify(
            words, stop_ratio, sentence_end, headline, chrome, cjk > 10, bool(_TRUNCATED.search(text))
        )
        out.append(
            Line(
                text, words, stop_ratio, sentence_end, headline, chrome, end_marker, comments, repeated, kind
            )
        )
    return out


def _prose(line: Line | None) -> bool:
    return line is not None and line.kind in (GOOD, NEAR) and not line.repeated


def _score(line: Line, prev: Line | None = None, nxt: Line | None = None) -> float:
    if line.kind == GOOD:
        value = float(min(line.words, _SCORE_CAP))
        # Paragraphs come in runs; a lone one between labels is a teaser in a list of stories.
        if not (_prose(prev) or _prose(nxt)):
            value *= _LONE_FACTOR
    elif line.kind == NEAR:
        value = line.words * 0.5
    elif line.kind == SHORT:
        value = -_SHORT_COST
    else:
        value = -_BAD_COST
    # A paragraph printed twice is a caption or teaser shown in two places, not the article.
    if line.repeated and value > 0:
        value = -_SHORT_COST
    return value


def best_run(described: list[Line], after: int | None = None) -> tuple[int, int]:
    """[start, end) of the body's run of lines; an empty span if there is no prose at all.

    ``after`` is the line of the page's own headline when it is known: the article follows it,
    so the best run after it wins unless it is much weaker than the best run anywhere (then
    the "headline" was a teaser of this story in a list above the article).
    """
    score, span = _run_before_comments(described, 0)
    if after is not None and after + 1 < len(described):
        anchored, anchored_span = _run_before_comments(described, after + 1)
        if anchored >= _BEFORE_COMMENTS_MIN and anchored >= _ANCHOR_SHARE * score:
            return anchored_span
    return span


def _run_before_comments(described: list[Line], lo: int) -> tuple[float, tuple[int, int]]:
    """Best run from ``lo`` on, stopping at a comment thread when the article before it is real.

    Comment threads follow the article they discuss, and a lively one outscores a short article;
    so when a run worth a paragraph or two ends before a comments marker, it is the body.
    """
    markers = [i for i in range(lo, len(described)) if described[i].comments]
    # A comment count may also sit above the article ("New, 15 comments"): try the markers in order.
    for m in markers[:_MAX_COMMENT_MARKERS]:
        score, span = _best_run(described, lo, m)
        if score >= _BEFORE_COMMENTS_MIN:
            return score, span
    return _best_run(described, lo, len(described))


def _inline_box(described: list[Line], i: int) -> bool:
    """A marker whose short list is followed by paragraphs again: a box set inside the article."""
    after = described[i + 1 : i + 1 + _INLINE_BOX_LINES + 1]
    return any(
        line.kind == GOOD and not line.repeated and _prose_pair(described, j)
        for j, line in enumerate(after, start=i + 1)
    )


def _prose_pair(described: list[Line], j: int) -> bool:
    """Line j is prose and so is the line after it: paragraphs resume, not a single teaser."""
    return j + 1 < len(described) and described[j + 1].kind in (GOOD, NEAR)


def _best_run(described: list[Line], lo: int, hi: int) -> tuple[float, tuple[int, int]]:
    """Highest-scoring run of lines in [lo, hi) (Kadane), with its score.

    An end marker costs a paragraph: the body crosses a "Related" box set inside it, but not into
    a list of teasers after it.
    """
    best, best_span = 0.0, (lo, lo)
    total, start = 0.0, lo
    for i in range(lo, hi):
        line = described[i]
        if line.end_marker:
            total -= _SHORT_COST if _inline_box(described, i) else _MARKER_COST
        prev = described[i - 1] if i else None
        nxt = described[i + 1] if i + 1 < len(described) else None
        total += _score(line, prev, nxt)
        if total <= 0:
            total, start = 0.0, i + 1
        elif total > best:
            best, best_span = total, (start, i + 1)
    return best, best_span


def _is_heading(described: list[Line], i: int) -> bool:
    """A short line introducing prose: kept as a subheading inside the body."""
    line = described[i]
    if line.kind != SHORT or line.repeated or line.words > _HEADING_MAX_WORDS or line.words == 0:
        return False
    nxt = described[i + 1] if i + 1 < len(described) else None
    return nxt is not None and nxt.kind == GOOD and not nxt.repeated


class Body(NamedTuple):
    """Where the body is: the kept lines, and the lines of boxes ("Read also: ...") set inside it."""

    lines: list[int]
    boxed: list[int]


def body_indices(described: list[Line], after: int | None = None) -> Body:
    """The lines that make up the article body, in page order, and the boxes inside it."""
    start, end = best_run(described, after)
    keep: list[int] = []
    boxed: list[int] = []
    in_box = False
    for i in range(start, end):
        line = described[i]
        if line.end_marker:
            in_box = True
        elif line.kind in (GOOD, NEAR) and not line.repeated:
            in_box = False
            keep.append(i)
        elif in_box:
            boxed.append(i)
        elif _is_heading(described, i) and keep:
            keep.append(i)
    return Body(keep, boxed)

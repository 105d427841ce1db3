"""Dates in article text: every date or date range, as written and resolved to a calendar value.

    >>> [(t.text, t.value) for t in find_times("On Friday, troops left. In July 2024 ...", "2025-06-09")]
    [('On Friday', '2025-06-06'), ('July 2024', '2024-07')]

1. Candidates: patterns built from the word tables in ``data/times/<language>.yaml`` (README there).
   A bare month counts only beside a date preposition, in a range or in a list ("in March", "between
   March and May"), so the modal "May" and "a march" are never dates. A four-digit number is a year
   from 1900 to 2099 unless it is an identifier ("Resolution 2085") or a count ("2000 troops"); from
   1000 to 1899 only after a date preposition ("in 1884") or a month.
2. Overlaps: the longest candidate wins, then the earliest.
3. Joins: a weekday before its date takes the date ("Friday, March 22"); two dates with a range word
   between them become one range ("from 2013 to 2022"), the first borrowing the second's year; "on"
   ("le" in French) joins a day's span, as in the reference reading ("On Friday").
4. Resolution by our own calendar arithmetic: the patterns have already read day, month and year, so
   dateparser would only add its cost (about 1 ms a span) and its own idea of which Friday is meant.

Which occurrence of a weekday or a yearless date: news is written after the fact, so the most recent
one on or before the publication day — "Friday" in a story of Monday 2025-06-09 is 2025-06-06, in a
story of Friday 2013-03-22 that same day. When a ``future`` word ("will", "doit") stands before the
date in its sentence (after it, when the date opens the sentence), the next one on or after that day.
"last"/"dernier": strictly before; "next"/"prochain": strictly after. Without ``published``, relative
dates get value None and precision "unresolved"; weeks ("last week") always do.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from ..errors import ConfigError
from ..model import Precision, TimeExpr

__all__ = ["find_times"]

_YEAR = r"(?<!\d[.,])(?P<{}>(?:1\d|20)\d\d)(?![\w%]|[.,]\d)"
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ])")
_NO_MATCH = "(?!)"
Pub = tuple[int, int | None, int | None]
Resolved = tuple[str | None, Precision]
_PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")
_UNRESOLVED: Resolved = (None, "unresolved")


@dataclass
class _Atom:
    """One date as found: what the text says, before the calendar is consulted."""

    start: int
    end: int
    kind: str  # abs (day, month and/or year written), weekday, rel, ana (anaphora), unres
    y: int | None = None
    m: int | None = None
    d: int | None = None
    wd: int | None = None
    unit: str | None = None
    offset: int | None = None  # rel/ana: units from the anchor; abs/weekday: -1 last, +1 next
    weak: bool = False  # a bare month that still needs a range or a list to count
    end_atom: _Atom | None = None
    explicit_year: bool = False


def _key(s: str) -> str:
    return " ".join(s.lower().replace("’", "'").split())


def _alt(words: Iterable[str], case: str = "i") -> str:
    """Alternation of phrases, longest first; spaces match any spacing, ' matches ’ too. Case "i"
    ignores case; "proper" takes the words as written or in capitals; "any" also in lower case."""
    forms: set[str] = set()
    for w in words:
        forms |= {w} if case == "i" else {w, w.upper()}
        if case == "any":
            forms |= {w.lower(), w[:1].upper() + w[1:]}
    if not forms:
        return _NO_MATCH
    body = "|".join(re.escape(f).replace(r"\ ", r"\s+").replace("'", "['’]")
                    for f in sorted(forms, key=len, reverse=True))
    return f"(?i:{body})" if case == "i" else f"(?:{body})"


class _Lang:
    """One language's tables and the patterns built from them."""

    def __init__(self, t: dict[str, Any]) -> None:
        self.t = t
        keyed = {k: {_key(w): v for w, v in t[k].items()}
                 for k in ("relative", "anaphora", "numbers", "units", "weekdays")}
        self.relative, self.anaphora, self.numbers, self.units, self.weekday_no = keyed.values()
        self.month_no = {_key(k): v for k, v in {**t["months"], **t["month_abbrevs"]}.items()}
        self.mods = {_key(w): v for k in ("weekday_before", "weekday_after", "month_before",
                                          "month_after") for w, v in t[k].items()}
        self.count_after = {w.lower() for w in t["count_after"]}
        self.not_plural = {w.lower() for w in t["not_plural"]}
        self.singular_endings = tuple(t["singular_endings"])
        for name in ("id_before", "count_before", "year_preps", "determiners", "month_preps",
                     "day_preps", "range_open", "weekday_stop_before", "date_stop_before"):
            # Each matches text that ends with one of the words.
            setattr(self, name, re.compile(rf"(?<!\w){_alt(t[name])}\s*$"))
        self.weekday_stop_after, self.date_stop_after = (
            re.compile(rf"\s+{_alt(t[k], 'proper')}(?!\w)") for k in ("weekday_stop_after", "date_stop_after"))
        self.join = re.compile(rf"\s*{_alt(t['range_join'])}\s*")
        self.join_needs_open = {_key(w) for w in t["range_join_needs_open"]}
        self.list_join = re.compile(rf"\s*{_alt(t['list_join'])}\s*")
        self.future = re.compile(rf"(?<!\w){_alt(t['future'])}(?!\w)")
        self.patterns = self._patterns()

    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        t, case = self.t, self.t["case"]
        full, abbr = _alt(t["months"], case), _alt(t["month_abbrevs"], case)
        month = f"(?P<m>{full}|{abbr}\\.?)"
        day = rf"(?<!\d[.,:/])(?P<d>{t['day']})(?!\d)"
        day2 = day.replace("<d>", "<d2>")
        of = rf"(?:{t['day_of']}\s+)?" if t["day_of"] else ""
        year = _YEAR.format("y")
        yr = rf"(?:,?\s+{year})?"
        opener = rf"(?:(?P<open>{_alt(t['range_open'])})\s*)?"
        join = rf"\s*(?P<join>{_alt(t['range_join'])})\s*"
        spaced = [w for w in t["modifiers"] if not w.endswith("-")]
        mod = rf"(?P<mod>{_alt(spaced)}\s+|{_alt(w for w in t['modifiers'] if w.endswith('-'))})?"
        wb, wa = _alt(t["weekday_before"]), _alt(t["weekday_after"])
        mb, ma = _alt(t["month_before"]), _alt(t["month_after"])
        number = rf"(?:\d+|{_alt(t['numbers'])})"
        forms = {
            "iso": rf"{year}-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)",
            "num": rf"(?P<a>\d\d?)/(?P<b>\d\d?)/{year}",
            "ddm": rf"{opener}{day}{join}{day2}\s+{of}{month}{yr}",
            "mdd": rf"{opener}{month}\s+{day}{join}{day2}{yr}",
            "dmy": rf"{day}\s+{of}{month}{yr}(?:\s+(?P<ra>{ma}))?",  # "le 22 juillet dernier"
            "mdy": rf"{month}\s+{day}{yr}",
            "my": rf"{mod}{month},?\s+{of}{year}",
            "season": rf"{mod}{_alt(t['seasons'])}\s+{of}{year}",
            "month": rf"(?:(?P<rb>{mb})\s+)?{mod}(?P<m>{full})(?:\s+(?P<ra>{ma}))?",
            "year": rf"{mod}{year}",
            "yy": rf"{year}[-–](?P<y2>\d\d)(?!\d)",
            "decade": t.get("decade", _NO_MATCH),
            "weekday": rf"(?:(?P<wb>{wb})\s+)?(?P<wd>{_alt(t['weekdays'], case)})"
                       rf"(?:\s+{_alt(t['parts_of_day'])})?(?:\s+(?P<wa>{wa}))?",
            "rel": f"(?P<rel>{_alt(t['relative'])})",
            "ana": f"(?P<ana>{_alt(t['anaphora'])})",
            "ago": "(?i:" + t["ago"].replace("{number}", number).replace("{unit}", _alt(t["units"])) + ")",
        }
        return [(k, re.compile(rf"(?<!\w){v}(?!\w)")) for k, v in forms.items()]


@lru_cache(maxsize=8)
def _lang(language: str) -> _Lang:
    folder = files("interbellum") / "data" / "times"
    path = folder / f"{language.split('-')[0].split('_')[0].lower()}.yaml"
    path = path if path.is_file() else folder / "en.yaml"
    tables = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, v in tables.items():
        # YAML reads a bare on, no or yes as a boolean: a word table must hold strings only.
        if isinstance(v, list | dict) and not all(isinstance(w, str) for w in v):
            raise ConfigError(f"data/times/{path.name}: {key} holds a non-string (quote 'on', 'no', 'yes')")
    return _Lang(tables)


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    if m is not None and not 1 <= m <= 12:
        return False
    # Without a year, allow 29 February (a leap year is possible).
    return d is None or (m is not None and 1 <= d <= calendar.monthrange(y or 2024, m)[1])


def _year_ok(text: str, s: int, e: int, L: _Lang, y: int, alone: bool) -> bool:
    """Whether the number text[s:e] (a year alone, or after a month) is a year, not an id or count."""
    before, after = text[max(0, s - 30):s], text[e:e + 30]
    if L.id_before.search(before) or L.count_before.search(before):
        return False
    # "law 2013-028" is a number; "2009-2010" is a range of years.
    if re.match(r"[-/]\d", after) and not re.match(r"[-–—]\s*(?:1\d|20)\d\d(?!\d)", after):
        return False
    nxt = re.match(r"\s+([\w’'-]+)", after)
    word = nxt.group(1) if nxt else ""
    prep = bool(L.year_preps.search(before))
    count = word.lower() in L.count_after
    plural = alone and word[:1].islower() and len(word) >= 4 and word[-1] == "s" \
        and word not in L.not_plural and not word.endswith(L.singular_endings)
    if y < 1900 and alone:
        return prep and not (count or plural)
    return prep if count else prep or not plural or bool(L.determiners.search(before))


def _atom(kind: str, m: re.Match[str], text: str, L: _Lang) -> _Atom | None:
    """Read one pattern match into an atom, or None when it is not a date after all."""
    g, (s, e) = m.groupdict(), m.span()
    if kind == "weekday":
        if L.weekday_stop_before.search(text[max(0, s - 20):s]) or L.weekday_stop_after.match(text, e):
            return None
        off = L.mods.get(_key(g["wb"] or g["wa"] or ""))
        return _Atom(s, e, "weekday", wd=L.weekday_no[_key(g["wd"])], offset=off)
    if kind in ("rel", "ana"):
        unit, off = (L.relative if kind == "rel" else L.anaphora)[_key(g[kind])]
        return _Atom(s, e, kind, unit=unit, offset=off)
    if kind == "ago":
        n = g["n"]
        count = int(n) if n.isdigit() else L.numbers[_key(n)]
        return _Atom(s, e, "rel", unit=L.units[_key(g["unit"])], offset=-count)
    if kind == "decade":
        return _Atom(s, e, "unres")
    y = int(g["y"]) if g.get("y") else None
    if kind == "num":
        a, b = int(g["a"]), int(g["b"])
        # A part over 12 can only be the day; otherwise the language's habit decides.
        mdy = b > 12 or (a <= 12 and L.t["numeric_order"] == "mdy")
        mon, d = (a, b) if mdy else (b, a)
    else:
        mon = int(g["m"]) if kind == "iso" else L.month_no.get(_key(g.get("m") or "").rstrip("."))
        d = int(re.sub(r"\D", "", g["d"])) if g.get("d") else None
    if not _valid(y, mon, d):
        return None
    if y is not None and kind in ("year", "my", "season") and not g.get("mod") \
            and not _year_ok(text, m.start("y") if kind == "year" else s, m.end("y"), L, y, kind == "year"):
        return None
    if d is not None and y is None and (L.date_stop_after.match(text, e)  # "March 23 Movement"
                                        or L.date_stop_before.search(text[max(0, s - 25):s])):
        return None
    atom = _Atom(s, e, "abs", y=y, m=mon, d=d, explicit_year=y is not None)
    if kind == "yy":  # "1957-58", "2020-21"
        y2 = y // 100 * 100 + int(g["y2"])  # type: ignore[operator]
        atom.end_atom = _Atom(s, e, "abs", y=y2, explicit_year=True)
        return atom if y2 > y else None  # type: ignore[operator]
    if kind in ("ddm", "mdd"):
        d2 = int(re.sub(r"\D", "", g["d2"]))
        if d2 <= (d or 0) or not _valid(y, mon, d2) or (_key(g["join"]) in L.join_needs_open
                                                        and not g["open"]):
            return None
        atom.end_atom = _Atom(s, e, "abs", y=y, m=mon, d=d2, explicit_year=y is not None)
    atom.offset = L.mods.get(_key(g.get("rb") or g.get("ra") or ""))
    if kind == "month":
        atom.weak = not (g["rb"] or g["ra"] or g["mod"] or L.month_preps.search(text[max(0, s - 30):s]))
    return atom


def _candidates(text: str, L: _Lang) -> list[_Atom]:
    return [a for kind, pattern in L.patterns for m in pattern.finditer(text)
            if (a := _atom(kind, m, text, L)) is not None]


def _select(atoms: list[_Atom]) -> list[_Atom]:
    """Non-overlapping atoms: the longest first, then the earliest; returned in text order."""
    taken: list[_Atom] = []  # kept in text order
    for a in sorted(atoms, key=lambda a: (a.start - a.end, a.start)):
        i = bisect.bisect(taken, a.start, key=lambda b: b.start)
        if (not i or taken[i - 1].end <= a.start) and (i == len(taken) or a.end <= taken[i].start):
            taken.insert(i, a)
    return taken


def _order(a: _Atom) -> tuple[int, int, int]:
    return (a.y or 0, a.m or 0, a.d or 0)


def _range(text: str, p: _Atom, a: _Atom, L: _Lang) -> bool:
    """Make p the range p–a when the text between them joins them ("2013 to 2022")."""
    if p.kind != "abs" or a.kind != "abs" or p.end_atom or a.end_atom or a.start == p.end:
        return False
    join = L.join.fullmatch(text, p.end, a.start)
    opener = L.range_open.search(text, max(0, p.start - 20), p.start)
    if not join or not opener and (_key(join.group()) in L.join_needs_open or p.weak and a.weak):
        return False
    y = p.y if p.y is not None or a.y is None else a.y - (1 if p.m and a.m and p.m > a.m else 0)
    if y is not None and (y, p.m or 0, p.d or 0) >= _order(a):
        return False
    p.y, p.start, p.end, p.end_atom, p.weak = y, opener.start() if opener else p.start, a.end, a, False
    return True


def _listed(text: str, p: _Atom | None, a: _Atom, L: _Lang) -> None:
    """A bare month listed with a date counts too ("in August and September", "April and May 2024")."""
    if p and p.kind == a.kind == "abs" and p.weak != a.weak and L.list_join.fullmatch(text, p.end, a.start):
        weak, strong = (p, a) if p.weak else (a, p)
        weak.weak = False
        # The year carries over only forward in the calendar: "April and May 2024", "May 2024 and June".
        if weak.y is None and strong.y is not None and strong.m and weak.m \
                and (weak.m < strong.m if p is weak else weak.m > strong.m):
            weak.y = strong.y


def _join(text: str, atoms: list[_Atom], L: _Lang) -> list[_Atom]:
    """Weekdays with their dates, ranges, lists, and the day preposition ("On Friday")."""
    out: list[_Atom] = []
    for a in atoms:
        p = out[-1] if out else None
        if p and p.kind == "weekday" and p.offset is None and a.kind == "abs" and a.d \
                and re.fullmatch(r",?\s*", text[p.end:a.start]):
            a.start, out[-1] = p.start, a
        elif not (p and _range(text, p, a, L)):
            _listed(text, p, a, L)
            out.append(a)
    for a in out:
        if a.kind == "weekday" and a.offset is None or a.kind == "abs" and a.d:
            prep = L.day_preps.search(text, max(0, a.start - 10), a.start)
            a.start = prep.start() if prep else a.start
    return [a for a in out if not a.weak]


def _future(text: str, start: int, end: int, L: _Lang) -> bool:
    """Whether the date's sentence speaks of the future (see the module docstring)."""
    words = re.split(r"[.!?\n]\s", text[max(0, start - 150):start])[-1].split()[-8:]
    if len(words) <= 1:  # the date opens its sentence: its verb comes after it
        words = re.split(r"[.!?\n]", text[end:end + 150])[0].split()[:8]
    return bool(L.future.search(" ".join(words)))


def _parse_published(published: str | None) -> Pub | None:
    if published is None:
        return None
    m = _PUBLISHED.match(published.strip())
    y, mon, d = (int(x) if x else None for x in m.groups()) if m else (None, None, None)
    if y is None or not _valid(y, mon, d):
        raise ValueError(f"published must be a YYYY[-MM[-DD]] date, not {published!r}")
    return y, mon, d


def _pick_year(a: _Atom, pub: Pub, forward: bool) -> int:
    """The year that puts a yearless date on the chosen side of the publication date."""
    py, pm, pd = pub
    if pm is None:
        return py
    key, now = ((a.m, a.d), (pm, pd)) if a.d and pd else ((a.m, 0), (pm, 0))
    if (key > now if forward else key < now) or (key == now and a.offset not in (-1, 1)):
        return py
    return py + 1 if forward else py - 1


def _fmt(y: int, m: int | None = None, d: int | None = None) -> Resolved:
    parts = [f"{y:04d}"] + [f"{x:02d}" for x in ((m, d) if m else ()) if x is not None]
    return "-".join(parts), _PRECISIONS[len(parts) - 1]


def _relative(a: _Atom, pub: Pub | None, forward: bool) -> Resolved:
    """Weekdays and "yesterday"/"last month"/"two years ago" against the publication date."""
    if pub is None or a.unit == "week":
        return _UNRESOLVED
    py, pm, pd = pub
    if a.kind == "weekday" or a.unit == "day":
        if pm is None or pd is None:
            return _UNRESOLVED
        today = date(py, pm, pd)
        if a.kind == "rel":
            return _fmt(*(today + timedelta(days=a.offset or 0)).timetuple()[:3])
        step = a.offset if a.offset in (-1, 1) else (1 if forward else -1)
        gap = ((a.wd or 0) - today.weekday()) * step % 7 or (7 if a.offset in (-1, 1) else 0)
        return _fmt(*(today + timedelta(days=gap * step)).timetuple()[:3])
    if a.unit == "month":
        if pm is None:
            return _UNRESOLVED
        months = py * 12 + pm - 1 + (a.offset or 0)
        return _fmt(months // 12, months % 12 + 1)
    return _fmt(py + (a.offset or 0))


def _resolve(a: _Atom, pub: Pub | None, forward: bool, last_year: int | None) -> tuple[str | None, Precision, str | None]:
    if a.kind == "unres" or a.kind == "abs" and a.y is None and pub is None:
        return None, "unresolved", None
    if a.kind == "ana":
        return (*(_fmt(last_year + (a.offset or 0)) if last_year else _UNRESOLVED), None)
    if a.kind != "abs":
        return (*_relative(a, pub, forward), None)
    if a.y is None and pub is not None:
        step = a.offset if a.offset in (-1, 1) else (1 if forward else -1)
        a.y = _pick_year(a, pub, step > 0)
    value, precision = _fmt(a.y, a.m, a.d)
    end_value = None
    if (b := a.end_atom) is not None:
        if b.y is None:  # "22-27 July": the end shares the start's year
            b.y = a.y + (1 if _order(b)[1:] < _order(a)[1:] else 0)
        end_value = _fmt(b.y, b.m, b.d)[0]
    return value, precision, end_value


def find_times(text: str, published: str | None, language: str = "en") -> list[TimeExpr]:
    """Every date and date range in ``text``, sorted by start, spans never overlapping.

    ``published`` (YYYY[-MM[-DD]], a time after the date is ignored) anchors relative dates;
    ``language`` picks the word tables (English when there are none for it). Raises ValueError
    when ``published`` is no date.
    """
    L, pub = _lang(language or "en"), _parse_published(published)
    out: list[TimeExpr] = []
    last_year: int | None = None
    for a in _join(text, _select(_candidates(text, L)), L):
        value, precision, end_value = _resolve(a, pub, _future(text, a.start, a.end, L), last_year)
        if a.kind == "abs" and a.explicit_year:
            last_year = (a.end_atom or a).y
        out.append(TimeExpr(text=text[a.start:a.end], value=value, precision=precision,
                            start=a.start, end=a.end, end_value=end_value))
    return out

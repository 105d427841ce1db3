"""Date finding on the TempEval-3 platinum test set: 20 news documents with TIMEX3 annotations.

    python benchmarks/time_bench.py [--baseline]

For each ``../shared/bench/time/te3-platinum/*.tml`` the document creation time (DCT) is
``published`` and ``find_times`` reads the TEXT element with its tags taken out. What is counted:

- recall: of the gold TIMEX3 of type DATE in TEXT (the DCT itself is not one), the share that one
  of our spans overlaps by at least one character. Every DATE counts, "now" (PRESENT_REF) and
  "the 20th century" included, since we are asked for every date.
- value accuracy: of the gold DATEs whose value is a calendar date — YYYY, YYYY-MM or YYYY-MM-DD,
  with a time of day after it (2013-03-22TNI) cut off — the share where an overlapping span of ours
  has that value exactly, as its value or as its end_value (one span of ours "2009-2010" stands for
  the two gold years 2009 and 2010). PRESENT_REF, PAST_REF, durations (P1Y), weeks (2013-W11),
  seasons (2012-SU), quarters and values with X are left out of this denominator.
  ``value_accuracy_prefix`` also counts a value of ours that agrees at our precision (ours 2013-03
  against gold 2013-03-22).
- precision: the share of our spans that overlap a gold TIMEX3 of any type (DATE, TIME, DURATION,
  SET).
- recall_calendar: recall over the value-comparable gold DATEs only (no "now", "the past").
- speed: find_times over all documents, repeated, after one warm-up call that loads the tables.

``--baseline`` runs dateparser's ``search_dates`` over each whole text (the bare library, with
RELATIVE_BASE = DCT and PREFER_DATES_FROM = past; values at day precision) for comparison.
Benchmarks measure: nothing here is tuned on these documents.
"""

from __future__ import annotations

import argparse
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interbellum.knowledge.times import find_times

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "time" / "te3-platinum"
SPEED_ROUNDS = 20
_CALENDAR = re.compile(r"(\d{4}(?:-\d\d(?:-\d\d)?)?)(?:T.*)?")

Span = tuple[int, int, str | None, str | None]  # start, end, value, end_value


@dataclass
class Doc:
    name: str
    dct: str
    text: str
    gold: list[tuple[int, int, str, str]]  # start, end, type, value


def load(path: Path) -> Doc:
    """The plain TEXT of a .tml file and its TIMEX3 spans as offsets into it."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    body = root.find("TEXT")
    if dct is None or body is None:
        raise ValueError(f"{path.name}: no DCT or TEXT")
    parts, gold, pos = [body.text or ""], [], len(body.text or "")
    for child in body:
        inner = "".join(child.itertext())
        if child.tag == "TIMEX3":
            gold.append((pos, pos + len(inner), child.get("type", ""), child.get("value", "")))
        parts += [inner, child.tail or ""]
        pos += len(inner) + len(child.tail or "")
    return Doc(path.stem, dct.get("value", "")[:10], "".join(parts), gold)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(docs: list[Doc], spans: list[list[Span]]) -> dict[str, float | int]:
    dates = recalled = comparable = comparable_recalled = exact = prefix = ours = ours_hit = 0
    for doc, found in zip(docs, spans, strict=True):
        for gs, ge, kind, value in doc.gold:
            if kind != "DATE":
                continue
            dates += 1
            over = [s for s in found if _overlaps((gs, ge), s[:2])]
            recalled += bool(over)
            m = _CALENDAR.fullmatch(value)
            if not m:
                continue
            comparable += 1
            comparable_recalled += bool(over)
            values = [v for s in over for v in s[2:] if v]
            exact += m.group(1) in values
            prefix += any(m.group(1).startswith(v) for v in values)
        ours += len(found)
        ours_hit += sum(any(_overlaps(s[:2], g[:2]) for g in doc.gold) for s in found)
    return {"gold_dates": dates, "recall": recalled / dates, "value_comparable": comparable,
            "recall_calendar": comparable_recalled / comparable,
            "value_accuracy": exact / comparable, "value_accuracy_prefix": prefix / comparable,
            "ours": ours, "precision": ours_hit / ours if ours else 0.0}


def ours(doc: Doc) -> list[Span]:
    return [(t.start, t.end, t.value, t.end_value) for t in find_times(doc.text, doc.dct, "en")]


def dateparser_baseline(doc: Doc) -> list[Span]:
    """search_dates over the whole text; its substrings located in order."""
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": _as_datetime(doc.dct), "PREFER_DATES_FROM": "past"}
    found, pos = [], 0
    for sub, when in search_dates(doc.text, languages=["en"], settings=settings) or []:
        start = doc.text.find(sub, pos)
        if start < 0:
            continue
        pos = start + len(sub)
        found.append((start, pos, when.strftime("%Y-%m-%d"), None))
    return found


def _as_datetime(dct: str) -> Any:
    from datetime import datetime

    return datetime.strptime(dct, "%Y-%m-%d")


def _timed(reader: Callable[[Doc], list[Span]], docs: list[Doc], rounds: int) -> tuple[list[list[Span]], float]:
    reader(docs[0])  # warm-up: tables, patterns, imports
    t0 = time.perf_counter()
    for _ in range(rounds):
        spans = [reader(d) for d in docs]
    return spans, (time.perf_counter() - t0) / rounds


def run(baseline: bool = False) -> dict[str, Any]:
    """Figures for find_times (and dateparser's search_dates when baseline is set)."""
    docs = [load(p) for p in sorted(BENCH.glob("*.tml"))]
    chars = sum(len(d.text) for d in docs)
    spans, seconds = _timed(ours, docs, SPEED_ROUNDS)
    result: dict[str, Any] = {**score(docs, spans), "docs": len(docs), "chars": chars,
                              "seconds": seconds, "chars_per_second": chars / seconds}
    if baseline:
        base, base_seconds = _timed(dateparser_baseline, docs, 1)
        result["baseline"] = {**score(docs, base), "seconds": base_seconds}
    return result


def _line(name: str, r: dict[str, Any]) -> str:
    return (f"{name:<12} recall {r['recall']:.3f} (calendar {r['recall_calendar']:.3f})  value {r['value_accuracy']:.3f} "
            f"(at our precision {r['value_accuracy_prefix']:.3f})  precision {r['precision']:.3f}  "
            f"spans {r['ours']}  {r['seconds'] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", action="store_true", help="also run dateparser's search_dates")
    args = parser.parse_args()
    r = run(args.baseline)
    print(f"documents {r['docs']}, {r['chars']} characters; gold DATE {r['gold_dates']}, "
          f"with a calendar value {r['value_comparable']}")
    print(_line("find_times", r) + f"  ({r['chars_per_second'] / 1e6:.2f} M chars/s)")
    if "baseline" in r:
        print(_line("search_dates", r["baseline"]))


if __name__ == "__main__":
    main()

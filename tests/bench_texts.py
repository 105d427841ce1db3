"""The files of ../shared/bench as plain text, for the guards that our own texts share no wording
with the benchmarks (annotated set, demo corpus)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

TAG = re.compile(r"<[^>]+>")


def untag(markup: str) -> str:
    """Markup without scripts, styles and tags, entities decoded."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return html.unescape(TAG.sub(" ", markup))


def bench_texts(bench: Path) -> Iterator[tuple[Path, str]]:
    """The benchmark files one at a time: flat dumps as they are, markup without its tags."""
    for path in sorted((bench / "extraction" / "scrapinghub-flat").glob("*.txt")):
        yield path, path.read_text(encoding="utf-8", errors="replace")
    for pattern in ("*.tsv", "*.json"):
        for path in sorted((bench / "events").glob(pattern)):
            yield path, path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((bench / "geoparsing").glob("*.xml")) + sorted((bench / "time" / "te3-platinum").glob("*")):
        if path.is_file():
            yield path, untag(path.read_text(encoding="utf-8", errors="replace"))

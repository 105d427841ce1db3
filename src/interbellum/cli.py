"""The ``interbellum`` command: parse, call the library, format, and turn our errors into clean messages.

Exit status: 0 when every input was read, 1 when any failed, 2 for bad usage (click's own).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import click

from . import __version__, read_many
from .errors import InterbellumError
from .model import Document, Failure
from .pipeline import DEFAULT_MAX_SIZE

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}
# Under this many inputs a progress bar is more noise than help.
_PROGRESS_MIN_INPUTS = 5


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not _DATE.match(str(value)):
            self.fail(f"{value!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD", param, ctx)
        return str(value)


class _Size(click.ParamType):
    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m:
            self.fail(f"{value!r} is not a size such as 50MB, 500k or 1048576", param, ctx)
        unit = (m.group(2) or "").lower().removesuffix("b")
        return int(float(m.group(1)) * _UNITS[unit])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="interbellum")
def cli() -> None:
    """Interbellum: conflict news into a sourced, browsable record."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--published", type=_Date(), help="Publication date for inputs that carry none of their own.")
@click.option("--url", help="Address of a single file input (for its site and id).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="jsonl: one object per line; json: one value (an array when several articles).")
@click.option("--max-size", type=_Size(), default=DEFAULT_MAX_SIZE, show_default="50MB",
              help="Largest input read, e.g. 50MB or 500k; larger inputs fail with a reason.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
def extract(inputs: tuple[str, ...], published: str | None, url: str | None, fmt: str, max_size: int,
            debug: bool) -> None:
    """Read articles and print what was read, as JSON.

    INPUT is an HTML file (also .html.gz), a text dump of a page, a .jsonl file of records, a URL, or
    - for standard input. A failed input prints one line on stderr and the others go on.
    """
    _setup_logging(debug)
    if url and len(inputs) > 1:
        raise click.UsageError("--url names the address of a single input; give one INPUT with it")
    items = read_many(inputs, published=published, url=url, max_size=max_size,
                      stdin=sys.stdin.buffer, strict=debug)
    docs, failed = _emit(_with_progress(items, len(inputs)), fmt)
    if fmt == "json" and docs:
        value = docs[0] if len(docs) == 1 else docs
        click.echo(json.dumps(value, ensure_ascii=False, indent=2))
    sys.exit(1 if failed else 0)


def _emit(items: Iterator[Document | Failure], fmt: str) -> tuple[list[dict[str, Any]], int]:
    """Print each result as it comes (jsonl) or collect it (json); report failures on stderr."""
    docs: list[dict[str, Any]] = []
    failed = 0
    for item in items:
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"interbellum: {item.input}: {item.reason}", err=True)
        elif fmt == "jsonl":
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        else:
            docs.append(item.to_dict())
    return docs, failed


def _with_progress(items: Iterator[Document | Failure], n_inputs: int) -> Iterator[Document | Failure]:
    if n_inputs < _PROGRESS_MIN_INPUTS or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(length=n_inputs, label="reading", file=sys.stderr) as bar:
        seen: set[str] = set()
        for item in items:
            base = item.input.split("#", 1)[0]
            if base not in seen:
                seen.add(base)
                bar.update(1)
            yield item


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="interbellum: %(levelname)s: %(message)s", stream=sys.stderr)
    if not debug:
        # trafilatura and htmldate log every discarded page at warning level; our one-line reasons say it.
        for noisy in ("trafilatura", "htmldate", "charset_normalizer"):
            logging.getLogger(noisy).setLevel(logging.ERROR)


def main() -> None:
    """Entry point: no traceback reaches the user for our own errors unless --debug."""
    try:
        cli(standalone_mode=True)
    except InterbellumError as exc:
        click.echo(f"interbellum: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

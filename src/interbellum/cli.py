"""The ``interbellum`` command: parse, call the library, format, and turn our errors into clean messages.

Exit status: 0 when every input was read, 1 when any failed, 2 for bad usage (click's own).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__, open_store, read_many
from .errors import InterbellumError, StoreError
from .model import Document, Failure
from .pipeline import DEFAULT_MAX_SIZE

if TYPE_CHECKING:
    from .store import Store

T = TypeVar("T")
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


def _read_store(db: str, query: Callable[[Store], T]) -> T:
    """``query`` over the store ``db`` opened read-only; our errors become one clean line."""
    try:
        with open_store(db, readonly=True) as store:
            return query(store)
    except InterbellumError as exc:
        raise click.ClickException(str(exc)) from None


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


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--db", required=True, type=click.Path(dir_okay=False),
              help="The store: a SQLite file, created when missing.")
@click.option("--published", type=_Date(), help="Publication date for inputs that carry none of their own.")
@click.option("--max-size", type=_Size(), default=DEFAULT_MAX_SIZE, show_default="50MB",
              help="Largest page or record read (a WARC file itself has no cap).")
@click.option("--refetch", is_flag=True,
              help="Fetch feed entries whose URL is stored already (to catch updated articles).")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
def ingest_command(inputs: tuple[str, ...], db: str, published: str | None, max_size: int, refetch: bool,
                   debug: bool) -> None:
    """Read articles into the store DB, once each.

    INPUT is an HTML file (also .html.gz), a text dump, a .jsonl file of records, a folder (walked for
    those and for .warc/.warc.gz and .xml/.rss/.atom feeds), a WARC file, an RSS/Atom feed, or a URL.
    Each article is committed as it is read, so an interrupted run can simply be run again: what is
    stored is skipped. Ends with: read N, new N, updated N, duplicate N, failed N.
    """
    from .ingest import IngestSummary, expand_inputs, ingest

    _setup_logging(debug)
    specs = expand_inputs(inputs)
    summary = IngestSummary()
    bar = _ingest_bar(len(specs))
    try:
        with open_store(db) as store:
            for outcome in ingest(specs, store, published=published, max_size=max_size, refetch=refetch,
                                  strict=debug, on_input=bar.step if bar else None):
                summary.add(outcome)
                if outcome.status == "failed" and not bar:
                    click.echo(f"interbellum: {outcome.input}: {outcome.reason}", err=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        # Everything stored so far is committed; a rerun carries on from here.
        click.echo(f"interbellum: interrupted: {summary.line()}", err=True)
        sys.exit(130)
    finally:
        if bar:
            bar.finish()
    if bar:
        for failure in summary.failures:
            click.echo(f"interbellum: {failure.input}: {failure.reason}", err=True)
    click.echo(summary.line())
    sys.exit(1 if summary.failed else 0)


@cli.command("stories")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The store (see ingest).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help='text: one line per story; json: {"stories": [...]} with articles and merged events.')
@click.option("--limit", type=click.IntRange(min=1), help="At most this many stories (newest first).")
@click.option("--country", help="Only stories with places in this country (ISO3, e.g. MLI).")
@click.option("--actor", help="Only stories naming this actor (name or knowledge-base id).")
def stories_command(db: str, fmt: str, limit: int | None, country: str | None, actor: str | None) -> None:
    """List the stories of the store DB, newest first.

    A story is one happening or development, told by one or more articles (syndicated copies
    included); each lists its articles and its events merged across reports.
    """
    def query(store: Store) -> list[dict[str, Any]]:
        total = store.story_count(country=country, actor=actor)
        return store.stories(limit=limit or max(total, 1), country=country, actor=actor)

    found = _read_store(db, query)
    if fmt == "json":
        click.echo(json.dumps({"stories": found}, ensure_ascii=False, indent=2))
        return
    for s in found:
        click.echo(f"{s['id']}  {s['last_seen'] or '?':10}  {s['n_articles']:3} article(s)  {s['title'] or ''}")


@cli.command("related")
@click.argument("article_id")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The store (see ingest).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help='text: one line per story; json: {"article": ID, "related": [...]}.')
def related_command(article_id: str, db: str, limit: int, fmt: str) -> None:
    """Stories related to ARTICLE_ID's story, best first (the article's own story never).

    Related: sharing actors, places and themes, or linked from the article's page ("related
    stories" titles matched to stored ones). Nothing related prints nothing (json: "related": []).
    """
    found = _read_store(db, lambda store: store.related(article_id, limit=limit))
    if fmt == "json":
        click.echo(json.dumps({"article": article_id, "related": found}, ensure_ascii=False, indent=2))
        return
    for r in found:
        click.echo(f"{r['score']:.2f}  {r['story']}  {r['title'] or ''}")


@cli.command("situations")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The store (see ingest).")
@click.option("--country", help="Only situations about this country (ISO3, e.g. MLI).")
@click.option("--actor", help="Only situations with this actor as subject or object (name or knowledge-base id).")
@click.option("--relation", type=click.Choice(["present_in", "controls", "supports", "allied_with", "fights",
                                               "opposes", "severed_ties_with", "designates", "member_of", "leads"]),
              help="Only this relation.")
@click.option("--as-of", "as_of", type=_Date(), help="Only what held on this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help='text: one line per situation; json: {"as_of": DATE, "situations": [...]} with reports.')
def situations_command(db: str, country: str | None, actor: str | None, relation: str | None, as_of: str | None,
                       limit: int | None, fmt: str) -> None:
    """Who is present where, controls what, supports or fights whom — since when, and who says so.

    Each line is one relation merged over every stored report of it; "!" marks one whose reports
    contradict each other (json: "contradictions"). With --as-of, only what had begun by that date
    (or was first reported by then, when its start is unknown) and had not ended before it.
    """
    found = _read_store(db, lambda store: store.situations(country=country, actor=actor, as_of=as_of,
                                                            relation=relation, limit=limit))
    if fmt == "json":
        click.echo(json.dumps({"as_of": as_of, "situations": found}, ensure_ascii=False, indent=2))
        return
    for s in found:
        since = s["start"] or "?"
        until = s["end"] or ("now" if s["ongoing"] else "?")
        mark = "!" if s.get("contradictions") else " "
        click.echo(f"{mark} {s['subject']} {s['relation']} {s['object']}  {since} .. {until}  "
                   f"[{s.get('country') or '-'}]  {len(s['reports'])} report(s)")


class _Bar:
    """click's progress bar over the inputs, advanced as each one starts (pages of a WARC are not known)."""

    def __init__(self, length: int) -> None:
        self._bar = click.progressbar(length=length, label="ingesting", file=sys.stderr)
        self._bar.__enter__()
        self._started = False

    def step(self, _spec: str) -> None:
        if self._started:
            self._bar.update(1)
        self._started = True

    def finish(self) -> None:
        self._bar.update(1)
        self._bar.__exit__(None, None, None)


def _ingest_bar(n_inputs: int) -> _Bar | None:
    if n_inputs < _PROGRESS_MIN_INPUTS or not sys.stderr.isatty():
        return None
    return _Bar(n_inputs)


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


# -- the desk: serve, demo, export (issue 6) ---------------------------------------------------------
@cli.command("serve")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True), help="The store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve_command(db: str, host: str, port: int) -> None:
    """Serve the desk (web pages and the JSON API under /api/) over the store DB, read-only."""
    _serve(db, host, port)


@cli.command("demo")
@click.option("--db", default="interbellum-demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where to build the demo store.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Only build the demo store.")
def demo_command(db: str, host: str, port: int, no_serve: bool) -> None:
    """Build a store from the bundled demo corpus (written for the project), then serve the desk on it."""
    from .desk.demo import build_demo, demo_inputs

    _setup_logging(False)
    click.echo(f"building the demo store {db} (the first run loads the models: about a minute)", err=True)
    with click.progressbar(length=len(demo_inputs()), label="ingesting", file=sys.stderr) as bar:
        try:
            summary = build_demo(db, on_input=lambda _spec: bar.update(1))
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(summary.line())
    if not no_serve:
        _serve(db, host, port)


@cli.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True), help="The store to export.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "geojson", "parquet"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--table", type=click.Choice(["events", "situations"]), default="events", show_default=True,
              help="events: canonical events, ACLED + PLOVER columns; situations: situation spans.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="Output file (- for standard output).")
def export_command(db: str, fmt: str, table: str, output: str) -> None:
    """Export a store's events (ACLED-compatible columns plus PLOVER) or situations."""
    from .export import export_file

    try:
        n = export_file(db, table, fmt, sys.stdout.buffer if output == "-" else output)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if output != "-":
        click.echo(f"{n} {table} written to {output}", err=True)


def _serve(db: str, host: str, port: int) -> None:
    import uvicorn

    from .desk import create_app

    try:
        app = create_app(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"the desk is at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point: no traceback reaches the user for our own errors unless --debug."""
    try:
        cli(standalone_mode=True)
    except InterbellumError as exc:
        click.echo(f"interbellum: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Ingest: folders, JSON Lines, feeds over a loopback server, WARC files (good and corrupt), the command.

Reading only (``Pipeline(())``) here, so that these run in a second; the full pipeline, and the
kill -9 restart, are in test_ingest_restart.py.
"""

from __future__ import annotations

import gzip
import io
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import interbellum.ingest as ingest_mod
from interbellum import Pipeline, open_store
from interbellum.cli import cli
from interbellum.ingest import IngestSummary, expand_inputs, ingest
from interbellum.model import RawPage

HERE = Path(__file__).resolve().parent / "fixtures" / "ingest"
PAGES = sorted((HERE / "pages").glob("*.html"))
READING = Pipeline(())


class _Handler(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        _Handler.hits[self.path] += 1
        path = HERE / self.path.lstrip("/")
        if not path.is_file() or ".." in self.path:
            self._send(404, b"gone", "text/plain")
        elif path.suffix == ".xml":
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            self._send(200, path.read_text().replace("{base}", base).encode(), "application/rss+xml")
        else:
            self._send(200, path.read_bytes(), "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "news.db") as s:
        yield s


def run(specs: list[str], store, **kw) -> IngestSummary:
    return IngestSummary.of(ingest(specs, store, pipeline=READING, **kw))


def feed_file(tmp_path: Path, name: str, base: str) -> str:
    path = tmp_path / name
    path.write_text((HERE / name).read_text().replace("{base}", base))
    return str(path)


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for page in PAGES:
        shutil.copy(page, folder / "sub" / page.name)
    shutil.copy(HERE / "records.jsonl", folder / "records.jsonl")
    (folder / "notes.md").write_text("not an input")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.html").write_text("<p>hidden</p>")
    return folder


def test_expand_inputs_walks_folders_for_ingestible_files(tmp_path: Path):
    folder = corpus(tmp_path)
    (tmp_path / "empty").mkdir()
    found = expand_inputs([str(folder), "https://example.org/feed", str(tmp_path / "empty")])
    assert found == [str(folder / "records.jsonl"), *(str(folder / "sub" / p.name) for p in PAGES),
                     "https://example.org/feed", str(tmp_path / "empty")]


def test_a_folder_goes_in_once_and_a_rerun_changes_nothing(tmp_path: Path, store):
    folder = corpus(tmp_path)
    first = run([str(folder), str(tmp_path / "empty")], store)
    assert first.line() == "read 7, new 5, updated 0, duplicate 0, failed 2"
    assert [(f.input.rsplit("/", 1)[-1], f.reason) for f in first.failures] == [
        ("records.jsonl#2", "record has neither html nor text"), ("empty", "no such file")]
    counts = {t: store.count(t) for t in ("articles", "article_versions", "pages", "outlets")}
    second = run([str(folder)], store)
    assert second.line() == "read 6, new 0, updated 0, duplicate 5, failed 1"
    assert counts == {t: store.count(t) for t in counts} and counts["articles"] == 5


def test_a_rerun_skips_stored_pages_before_reading_them(tmp_path: Path, store, monkeypatch):
    folder = corpus(tmp_path)
    run([str(folder)], store)

    def no_reading(*args: object) -> None:
        raise AssertionError("a stored page was read again")

    monkeypatch.setattr(READING, "process", no_reading)
    assert run([str(folder)], store).duplicate == 5


def test_a_changed_page_is_a_new_version(tmp_path: Path, store):
    page = tmp_path / "menaka.html"
    # A local file is known by its canonical URL; without one its id is its text, and a new text is new.
    html = PAGES[1].read_text().replace("<head>", '<head><link rel="canonical" href="https://sahel-ledger.example/m">')
    page.write_text(html)
    assert [o.status for o in ingest([str(page)], store, pipeline=READING)] == ["new"]
    page.write_text(html.replace("at least seven soldiers", "at least eleven soldiers"))
    (outcome,) = ingest([str(page)], store, pipeline=READING)
    assert outcome.status == "updated"
    assert "eleven" in store.article(outcome.article_id).body
    assert [v["version"] for v in store.versions(outcome.article_id)] == [1, 2]


def test_rss_and_atom_feeds_fetch_each_entry_once(tmp_path: Path, store, server: str):
    _Handler.hits.clear()
    rss, atom = feed_file(tmp_path, "rss.xml", server), feed_file(tmp_path, "atom.xml", server)
    outcomes = list(ingest([rss, atom], store, pipeline=READING))
    assert [(o.input.rsplit("/", 1)[-1], o.status) for o in outcomes] == [
        ("rss.xml#1", "new"), ("rss.xml#2", "new"), ("rss.xml#3", "failed"),
        ("atom.xml#1", "new"), ("atom.xml#2", "duplicate"), ("atom.xml#3", "failed")]
    assert outcomes[2].reason == f"HTTP 404 Not Found ({server}/pages/gone.html)"
    # feedparser falls back on the entry's id, here a URN: not something we can fetch.
    assert outcomes[5].reason == "feed entry link is not an http(s) URL (urn:interbellum:test:no-link)"
    assert _Handler.hits["/pages/menaka-ambush.html"] == 1  # the Atom entry was stored already: not fetched
    kidal = store.article(outcomes[3].article_id)
    assert kidal.url == f"{server}/pages/kidal-drone.html"
    assert kidal.published == "2024-06-02"  # the page has no date: the entry's date
    assert kidal.extra["feed"] == atom and kidal.extra["feed_title"] == "Drone strike reported in Kidal region"


def test_a_feed_by_url_and_a_rerun_costs_one_request(store, server: str):
    _Handler.hits.clear()
    assert run([f"{server}/rss.xml"], store).line() == "read 3, new 2, updated 0, duplicate 0, failed 1"
    assert run([f"{server}/rss.xml"], store).line() == "read 3, new 0, updated 0, duplicate 2, failed 1"
    assert _Handler.hits["/pages/niamey-talks.html"] == 1
    assert run([f"{server}/rss.xml"], store, refetch=True).duplicate == 2
    assert _Handler.hits["/pages/niamey-talks.html"] == 2


def test_a_broken_feed_is_one_failure_and_the_rest_goes_in(tmp_path: Path, store):
    summary = run([str(HERE / "broken.xml"), str(PAGES[0])], store)
    assert summary.new == 1 and summary.failed == 1
    assert summary.failures[0].reason.startswith("not a readable feed (")


def _warc(path: Path, *, gz: bool) -> list[bytes]:
    """A small crawl: warcinfo, a request, three article pages, an image and a 404; records as bytes."""
    records: list[bytes] = []

    def add(writer_fn) -> None:
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=gz)
        writer.write_record(writer_fn(writer))
        records.append(buf.getvalue())

    def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8"):
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        return lambda w: w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                              warc_headers_dict={"WARC-Date": "2024-06-04T12:00:00Z"})

    add(lambda w: w.create_warcinfo_record("crawl.warc", {"software": "interbellum tests"}))
    add(lambda w: w.create_warc_record("https://sahel-ledger.example/a", "request",
                                       payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
    for page in PAGES:
        add(response(f"https://sahel-ledger.example/{page.stem}", page.read_bytes()))
    add(response("https://sahel-ledger.example/logo.png", b"\x89PNG\r\n\x1a\n....", ctype="image/png"))
    add(response("https://sahel-ledger.example/missing", b"<html>not found</html>", status="404 Not Found"))
    path.write_bytes(b"".join(records))
    return records


@pytest.mark.parametrize("gz", [True, False])
def test_a_warc_gives_its_html_responses(tmp_path: Path, store, gz: bool):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, gz=gz)
    outcomes = list(ingest([str(path)], store, pipeline=READING))
    assert [(o.input.rsplit("/", 1)[-1], o.status) for o in outcomes] == [
        ("crawl.warc.gz#3" if gz else "crawl.warc#3", "new"), (f"{path.name}#4", "new"), (f"{path.name}#5", "new")]
    kidal = store.article(outcomes[0].article_id)
    assert kidal.url == "https://sahel-ledger.example/kidal-drone"
    assert kidal.published == "2024-06-04"  # no date on the page: the WARC-Date's day
    assert kidal.extra["warc_date"] == "2024-06-04T12:00:00Z"
    menaka = store.article(outcomes[1].article_id)
    assert menaka.published == "2024-03-11"  # the page's own date wins over the crawl's
    assert run([str(path)], store).duplicate == 3


@pytest.mark.parametrize("gz", [True, False])
def test_a_corrupt_warc_record_is_reported_and_the_rest_goes_in(tmp_path: Path, store, gz: bool):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    records = _warc(path, gz=gz)
    bad = bytearray(records[3])
    if gz:
        bad[12:60] = b"\x00" * 48  # bit rot inside the gzip member
    else:
        bad[:8] = b"GARBAGE!"  # the record's first line is no longer WARC/1.x
    path.write_bytes(b"".join([*records[:3], bytes(bad), *records[4:]]))
    summary = run([str(path)], store)
    assert (summary.new, summary.failed) == (2, 1)
    assert summary.failures[0].input.endswith("#4")
    assert "corrupt WARC record" in summary.failures[0].reason
    assert {a["url"].rsplit("/", 1)[-1] for a in store.articles()} == {"kidal-drone", "niamey-talks"}


def test_a_truncated_gzip_page_in_a_folder_is_one_failure(tmp_path: Path, store):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cut.html.gz").write_bytes(gzip.compress(PAGES[0].read_bytes())[:-20])
    shutil.copy(PAGES[1], tmp_path / "in" / "ok.html")
    summary = run([str(tmp_path / "in")], store)
    assert (summary.new, summary.failed) == (1, 1)


def test_page_key_sees_content_url_date_and_metadata():
    page = RawPage("a.html", "<p>x</p>", "html", url="https://a.example/1", published="2024-01-01")
    same = RawPage("elsewhere/a.html", "<p>x</p>", "html", url="https://a.example/1", published="2024-01-01")
    assert ingest_mod.page_key(page) == ingest_mod.page_key(same)
    for changed in (RawPage("a.html", "<p>y</p>", "html", url=page.url, published=page.published),
                    RawPage("a.html", "<p>x</p>", "html", url="https://a.example/2", published=page.published),
                    RawPage("a.html", "<p>x</p>", "html", url=page.url, published="2024-01-02"),
                    RawPage("a.html", "<p>x</p>", "html", url=page.url, published=page.published,
                            meta={"title": "T"})):
        assert ingest_mod.page_key(changed) != ingest_mod.page_key(page)


@pytest.fixture
def reading_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "Pipeline", lambda: READING)


def test_the_command_prints_failures_and_a_summary(tmp_path: Path, reading_only: None):
    folder = corpus(tmp_path)
    db = str(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1, result.output
    assert result.stdout == "read 6, new 5, updated 0, duplicate 0, failed 1\n"
    assert result.stderr == f"interbellum: {folder / 'records.jsonl'}#2: record has neither html nor text\n"
    again = CliRunner().invoke(cli, ["ingest", str(folder / "sub"), "--db", db])
    assert (again.exit_code, again.stdout) == (0, "read 3, new 0, updated 0, duplicate 3, failed 0\n")


def test_the_command_refuses_a_database_that_is_not_ours(tmp_path: Path, reading_only: None):
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE customers (id INTEGER)").connection.commit()
    result = CliRunner().invoke(cli, ["ingest", str(PAGES[0]), "--db", str(other)])
    assert result.exit_code == 1 and "not an Interbellum store" in result.stderr


def test_the_command_needs_a_db(tmp_path: Path):
    result = CliRunner().invoke(cli, ["ingest", str(PAGES[0])])
    assert result.exit_code == 2 and "--db" in result.stderr


def test_a_folder_with_nothing_to_ingest_says_so(tmp_path: Path, store):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("no")
    summary = run([str(tmp_path / "empty")], store)
    assert summary.failures[0].reason.startswith("no files to ingest in this folder")

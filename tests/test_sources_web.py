"""The input layer over HTTP: a real server on the loopback interface, canned answers by path."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from interbellum.errors import BinaryInputError, FetchError, TooLargeError
from interbellum.model import RawPage
from interbellum.sources import fetch
from interbellum.sources.web import USER_AGENT
from sources_util import CAFE_CP1252, INPUTS, PNG, failure, gzip_stream, one, read

# --- URLs, against a real HTTP server on the loopback interface ---------------------------------------

ARTICLE = (INPUTS / "article.html").read_bytes()


ENCODED_BOMB = gzip_stream(b"<p>" + b"z" * 999_997, 100)  # ~100 kB that inflate to 100 MB


class _Handler(BaseHTTPRequestHandler):
    """Canned answers by path; each one is a situation the fetcher must handle."""

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(
        self, status: int, body: bytes, ctype: str | None = "text/html; charset=utf-8", **hdrs: str
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", hdrs.pop("length", str(len(body))))
        for k, v in hdrs.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - a routing table reads best flat
        path = self.path
        try:
            if path == "/article.html":
                self._send(200, ARTICLE)
            elif path == "/cp1252":
                self._send(
                    200,
                    b"<html><body><p>" + CAFE_CP1252 + b"</p></body></html>",
                    "text/html; charset=windows-1252",
                )
            elif path == "/plain-cp1252":
                self._send(200, b"Dispatch.\n\n" + CAFE_CP1252, "text/plain")
            elif path == "/redirect":
                self._send(302, b"", Location="/article.html")
            elif path.startswith("/hop/"):
                n = int(path.rsplit("/", 1)[1])
                self._send(302, b"", Location=f"/hop/{n - 1}" if n > 1 else "/article.html")
            elif path == "/loop":
                self._send(302, b"", Location="/loop")
            elif path == "/missing":
                self._send(404, b"<h1>Not here</h1>")
            elif path == "/error":
                self._send(500, b"<h1>Oops</h1>")
            elif path == "/slow":
                time.sleep(2)
                self._send(200, ARTICLE)
            elif path == "/drip":
                self._drip()
            elif path == "/big":
                self._stream(b"<p>" + b"x" * 65533, 40)
            elif path == "/big-declared":
                self._send(200, b"", length="60000000")
            elif path == "/image.png":
                self._send(200, PNG, "image/png")
            elif path == "/records":
                self._send(200, (INPUTS / "records-named.txt").read_bytes(), "application/x-ndjson")
            elif path == "/page.html.gz":
                self._send(200, gzip.compress(ARTICLE), "application/gzip")
            elif path == "/encoded":
                self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
            elif path == "/deflate":
                self._send(200, zlib.compress(ARTICLE), Content_Encoding="deflate")
            elif path == "/raw-deflate":
                comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
                self._send(200, comp.compress(ARTICLE) + comp.flush(), Content_Encoding="deflate")
            elif path == "/brotli":
                self._send(200, b"not really brotli", Content_Encoding="br")
            elif path == "/encoded-bomb":
                self._send(200, ENCODED_BOMB, Content_Encoding="gzip")
            elif path == "/ua":
                self._send(200, self.headers.get("User-Agent", "").encode(), "text/plain")
            elif path == "/empty":
                self._send(200, b"")
            else:
                self._send(404, b"")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (timeouts, size caps)

    def _stream(self, chunk: bytes, count: int, pause: float = 0.0) -> None:
        """A body without Content-Length: its size is known only by reading it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(count):
            self.wfile.write(chunk)
            self.wfile.flush()
            time.sleep(pause)

    def _drip(self) -> None:
        # One byte every 0.1 s: no single read waits long, only a whole-download deadline stops it.
        self._stream(b"x", 40, pause=0.1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # don't wait for /slow handlers after the test is done


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def test_url_page(server: str) -> None:
    page = one(f"{server}/article.html", published="2024-03-15")
    assert isinstance(page, RawPage)
    assert (page.input, page.kind, page.url) == (f"{server}/article.html", "html", f"{server}/article.html")
    assert "Anéfis" in page.content and page.published == "2024-03-15"
    assert page.meta["content_type"] == "text/html; charset=utf-8"


def test_url_redirects_give_the_final_url(server: str) -> None:
    for path in ("/redirect", "/hop/5"):
        page = one(server + path)
        assert isinstance(page, RawPage) and page.input == server + path
        assert page.url == f"{server}/article.html"
    assert failure(f"{server}/hop/6") == "too many redirects (more than 5)"
    assert failure(f"{server}/loop") == "too many redirects (more than 5)"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/error", "HTTP 500 Internal Server Error"),
        ("/image.png", "not a page (content type image/png)"),
        ("/empty", "empty input"),
        ("/brotli", "unsupported Content-Encoding 'br'"),
        ("/big-declared", "larger than --max-size (60.0 MB > 50.0 MB)"),
    ],
)
def test_url_failures(server: str, path: str, reason: str) -> None:
    assert failure(server + path) == reason


def test_url_timeout(server: str) -> None:
    started = time.monotonic()
    assert failure(f"{server}/slow", timeout=0.5) == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.5


def test_url_slow_drip_hits_the_whole_download_deadline(server: str) -> None:
    started = time.monotonic()
    assert failure(f"{server}/drip", timeout=0.5) == "timed out after 0.5 s"
    assert time.monotonic() - started < 2


def test_url_stream_over_max_size(server: str) -> None:
    assert failure(f"{server}/big", max_size=1_000_000) == "larger than --max-size (> 1.0 MB)"


def test_url_content_encoding_bomb_is_capped(server: str) -> None:
    tracemalloc.start()
    try:
        reason = failure(f"{server}/encoded-bomb", max_size=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "larger than --max-size (> 1.0 MB)"
    assert peak < 10_000_000


def test_url_charsets(server: str) -> None:
    for path in ("/cp1252", "/plain-cp1252"):
        page = one(server + path)
        assert isinstance(page, RawPage) and "café est “chaud” — très" in page.content
    assert one(f"{server}/plain-cp1252").kind == "text"


def test_url_gzip_records_and_user_agent(server: str) -> None:
    for path in ("/page.html.gz", "/encoded", "/deflate", "/raw-deflate"):
        page = one(server + path)
        assert isinstance(page, RawPage) and page.kind == "html" and "Anéfis" in page.content
    records = read(f"{server}/records")
    assert [(i.input, i.url) for i in records] == [
        (f"{server}/records#1", "https://example.org/news/anefis"),
        (f"{server}/records#2", "https://example.org/news/gao"),
    ]
    ua = one(f"{server}/ua")
    assert isinstance(ua, RawPage) and ua.content == USER_AGENT
    assert (
        USER_AGENT.startswith("interbellum/")
        and "(+https://github.com/interbellum/interbellum)" in USER_AGENT
    )


def test_url_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert failure(f"http://127.0.0.1:{port}/").startswith("could not connect (")


def test_fetch_returns_body_final_url_and_type(server: str) -> None:
    body, final, ctype = fetch(f"{server}/redirect", max_size=1_000_000)
    assert body == ARTICLE and final == f"{server}/article.html" and ctype == "text/html; charset=utf-8"
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing", max_size=1000)
    with pytest.raises(TooLargeError):
        fetch(f"{server}/article.html", max_size=100)
    with pytest.raises(BinaryInputError):
        fetch(f"{server}/image.png", max_size=1000)


def test_a_client_with_a_mock_transport() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content="<p>café</p><p>b</p><p>c</p>".encode("cp1252"))

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        page = one("https://news.example/a", client=client)
    assert isinstance(page, RawPage) and page.content.startswith("<p>café") and page.kind == "html"
    assert seen[0].headers["user-agent"] == USER_AGENT

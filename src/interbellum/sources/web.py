"""Fetching pages over HTTP(S) with httpx: polite, bounded in time and size, errors in one line.

Bounds, because a pipeline over thousands of URLs must not hang or swell on one of them:

- time: httpx's timeouts are per operation (connect, each read), so a server dripping one byte
  every few seconds never trips them; we also keep a whole-download deadline of ``timeout`` seconds;
- size: a declared Content-Length over ``max_size`` is refused before the body is read, and the body
  is counted while it streams (after Content-Encoding is undone) and abandoned once it passes the cap;
- redirects: at most 5 with our own client.

Tests pass their own ``client`` (a transport, or a loopback server) so that no test needs the network.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version

import httpx

from ..errors import BinaryInputError, FetchError
from .files import too_large

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0


def _version() -> str:
    try:
        return version("interbellum")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.1.0"


USER_AGENT = f"interbellum/{_version()} (+https://github.com/interbellum/interbellum)"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,application/x-ndjson;q=0.7,*/*;q=0.5",
    "Accept-Language": "en,fr;q=0.9,*;q=0.5",
}
# Types no reader of ours can use: refused from the headers, before any of the body is downloaded.
_REFUSED_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
_REFUSED_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/x-zip-compressed",
        "application/x-rar-compressed",
        "application/x-7z-compressed",
        "application/x-tar",
        "application/msword",
        "application/wasm",
        "application/x-executable",
        "application/x-msdownload",
    }
)


def make_client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """The client :func:`fetch` uses when none is given: redirects followed, our headers, timeouts."""
    return httpx.Client(
        headers=HEADERS,
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    )


def fetch(
    url: str, *, max_size: int, client: httpx.Client | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[bytes, str, str | None]:
    """GET ``url``; return ``(body, final URL after redirects, Content-Type header or None)``.

    The body has its Content-Encoding undone but is otherwise raw bytes (decoding is the caller's,
    with :func:`interbellum.sources.detect.decode` and the Content-Type charset).
    Raises :class:`FetchError` (timeouts, connection problems, HTTP 4xx/5xx), :class:`TooLargeError`,
    or :class:`BinaryInputError` for media types such as ``image/png``.
    """
    own = client is None
    http = make_client(timeout) if client is None else client
    try:
        return _get(http, url, max_size=max_size, timeout=timeout)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects (more than {http.max_redirects})") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"invalid URL ({_one_line(exc)})") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect ({_one_line(exc)})") from None
    except httpx.DecodingError:
        raise FetchError("corrupt compressed response (Content-Encoding)") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"fetch failed ({type(exc).__name__}: {_one_line(exc)})") from None
    finally:
        if own:
            http.close()


def _get(http: httpx.Client, url: str, *, max_size: int, timeout: float) -> tuple[bytes, str, str | None]:
    deadline = time.monotonic() + timeout
    # We undo Content-Encoding ourselves (see _Inflater), so we offer only what zlib can cap.
    headers = {"Accept-Encoding": "gzip, deflate"}
    if http.headers.get("user-agent", "").startswith("python-httpx/"):
        headers = {**HEADERS, **headers}  # a caller's client without a User-Agent of its own still names us
    with http.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as resp:
        if not resp.is_success:
            raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
        content_type = resp.headers.get("content-type")
        _check_type(content_type)
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_size:
            raise too_large(int(declared), max_size)
        return _read_body(resp, max_size, deadline, timeout), str(resp.url), content_type


def _read_body(resp: httpx.Response, max_size: int, deadline: float, timeout: float) -> bytes:
    if resp.is_stream_consumed:
        # Transports that hand over bodies already read and decoded (httpx.MockTransport).
        chunks: Iterable[bytes] = [resp.content]
        inflater = _Inflater("", max_size)
    else:
        # iter_raw() without a chunk size hands over bytes as they arrive, so the deadline is checked
        # at every packet (iter_bytes(chunk_size=...) would wait to fill its buffer first).
        chunks = resp.iter_raw()
        inflater = _Inflater(resp.headers.get("content-encoding", ""), max_size)
    parts: list[bytes] = []
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s")
        parts.append(inflater.feed(chunk))
    return b"".join(parts)


class _Inflater:
    """Undo a gzip/deflate Content-Encoding with a cap on the *output*, chunk by chunk.

    httpx's own decoders inflate each network chunk whole: one 64 kB chunk of a compression bomb
    becomes ~64 MB before anyone can count it. zlib's ``max_length`` stops at the cap instead.
    """

    def __init__(self, encoding: str, max_size: int) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        # wbits 47 = zlib or gzip header, auto-detected; raw deflate is retried in feed().
        self._zlib = zlib.decompressobj(47) if encoding not in ("", "identity") else None
        self._first = True
        self._left = self._max = max_size

    def feed(self, chunk: bytes) -> bytes:
        if self._zlib is None:
            out = chunk
        else:
            try:
                out = self._zlib.decompress(chunk, self._left + 1)
            except zlib.error:
                if not self._first:
                    raise FetchError("corrupt compressed response (Content-Encoding)") from None
                # Some servers send "deflate" as a raw stream without the zlib header.
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(chunk)
        self._first = False
        if len(out) > self._left:
            raise too_large(None, self._max)
        self._left -= len(out)
        return out


def _check_type(content_type: str | None) -> None:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime.startswith(_REFUSED_PREFIXES) or mime in _REFUSED_TYPES:
        raise BinaryInputError(f"not a page (content type {mime})")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__

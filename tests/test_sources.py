"""The input layer: every kind of input and every bad input, files, stdin and a loopback HTTP server."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from interbellum.model import Failure, RawPage
from interbellum.sources import open_inputs
from interbellum.sources.detect import decode, looks_like_html
from sources_util import CAFE_CP1252, INPUTS, PNG, failure, gzip_stream, one, read

# --- local files: what each kind of input becomes ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "contains"),
    [
        ("article.html", "html", "Anéfis"),
        ("fragment", "html", "<p>A supply convoy"),  # HTML without extension or doctype
        ("page-saved-as.txt", "html", "<!DOCTYPE html>"),  # content beats the extension
        ("dump.txt", "text", "Convoy attacked on the Gao road"),
    ],
)
def test_single_page_inputs(name: str, kind: str, contains: str) -> None:
    spec = str(INPUTS / name)
    page = one(spec, url="https://example.org/a", published="2024-03-15")
    assert isinstance(page, RawPage)
    assert (page.input, page.kind, page.url, page.published) == (
        spec,
        kind,
        "https://example.org/a",
        "2024-03-15",
    )
    assert contains in page.content
    assert page.meta == {"default_published": "2024-03-15"}


def test_jsonl_records_and_broken_records_go_on() -> None:
    spec = str(INPUTS / "records.jsonl")
    items = read(spec, published="2020-01-01")
    assert [i.input for i in items] == [f"{spec}#{n}" for n in range(1, 9)]
    first, second = items[0], items[1]
    assert isinstance(first, RawPage) and first.kind == "html" and "Anéfis" in first.content
    assert first.url == "https://example.org/news/anefis" and first.published == "2024-03-12"
    assert first.meta == {
        "title": "Route d'Anéfis",
        "language": "fr",
        "source": "AFP",
        "desk": "Sahel",
        "default_published": "2020-01-01",
    }
    # A raw U+2028 inside a JSON string is not a line end (splitlines() would cut the record).
    assert isinstance(second, RawPage) and second.kind == "text" and "\u2028Two trucks" in second.content
    assert second.published == "2020-01-01" and second.meta["tags"] == ["gao", "convoy"]
    assert "note" in second.meta and "title" not in second.meta
    reasons = {i.input.rsplit("#", 1)[1]: i.reason for i in items if isinstance(i, Failure)}
    assert reasons["3"].startswith("bad JSON (")
    assert reasons["4"] == "record is a JSON array, not an object"
    assert reasons["5"] == "record has neither html nor text"
    assert reasons["6"] == "field 'published' must be a string, not number"
    assert reasons["7"] == "record's html and text are both empty"
    last = items[7]
    assert isinstance(last, RawPage) and last.kind == "text" and last.content.startswith("Only text")


def test_jsonl_detected_from_content_without_extension() -> None:
    spec = str(INPUTS / "records-named.txt")
    items = read(spec)
    assert [(i.input, i.kind) for i in items] == [(f"{spec}#1", "html"), (f"{spec}#2", "text")]


def test_single_pretty_printed_json_record() -> None:
    page = one(str(INPUTS / "record.json"), published="2000-01-01")
    assert isinstance(page, RawPage)
    assert (page.kind, page.url, page.published) == ("text", "https://example.org/one", "2024-03-14")


def test_gzip_by_magic_with_and_without_gz_name(tmp_path: Path) -> None:
    html = (INPUTS / "article.html").read_bytes()
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(html))
    (tmp_path / "noname").write_bytes(gzip.compress(html))
    (tmp_path / "plain.html.gz").write_bytes(html)  # already unpacked by a browser: still fine
    records = (INPUTS / "records-named.txt").read_bytes()
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress(records))
    for name in ("a.html.gz", "noname", "plain.html.gz"):
        page = one(str(tmp_path / name))
        assert isinstance(page, RawPage) and page.kind == "html" and "Anéfis" in page.content
    assert [i.kind for i in read(str(tmp_path / "r.jsonl.gz"))] == ["html", "text"]


def test_multi_member_gzip(tmp_path: Path) -> None:
    (tmp_path / "m.txt.gz").write_bytes(gzip.compress(b"First part. ") + gzip.compress(b"Second part."))
    page = one(str(tmp_path / "m.txt.gz"))
    assert isinstance(page, RawPage) and page.content == "First part. Second part."


def test_stdin_bytes() -> None:
    page = one("-", stdin=io.BytesIO((INPUTS / "article.html").read_bytes()), url="https://x.org/p")
    assert isinstance(page, RawPage) and (page.input, page.kind, page.url) == ("-", "html", "https://x.org/p")
    items = read("-", stdin=io.BytesIO((INPUTS / "records-named.txt").read_bytes()))
    assert [i.input for i in items] == ["-#1", "-#2"]
    gz = one("-", stdin=io.BytesIO(gzip.compress(b"Plain words from a pipe.")))
    assert isinstance(gz, RawPage) and gz.content == "Plain words from a pipe."


def test_inputs_keep_order_and_failures_do_not_stop_the_rest(tmp_path: Path) -> None:
    items = read(str(INPUTS / "dump.txt"), str(tmp_path / "missing.html"), str(INPUTS / "fragment"))
    assert [type(i).__name__ for i in items] == ["RawPage", "Failure", "RawPage"]


# --- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("café".encode("cp1252"), "café"),
        (CAFE_CP1252, CAFE_CP1252.decode("cp1252")),
        ("Ça va très bien à Gao".encode("latin-1"), "Ça va très bien à Gao"),
        ("café".encode(), "café"),
        ("\ufeffcafé".encode(), "café"),
        ("café à Gao".encode("utf-16"), "café à Gao"),
        ("Zażółć gęślą jaźń, żołnierze w Polsce.".encode("cp1250"), "Zażółć gęślą jaźń, żołnierze w Polsce."),
        ("Война в Украине продолжается, сообщают источники.".encode("cp1251"), None),
    ],
)
def test_decode(data: bytes, expected: str | None) -> None:
    text, _ = decode(data)
    assert text == (expected or data.decode("cp1251"))


def test_cp1252_file_decodes(tmp_path: Path) -> None:
    (tmp_path / "cafe.txt").write_bytes(b"Dispatch from Gao.\n\n" + CAFE_CP1252)
    page = one(str(tmp_path / "cafe.txt"))
    assert isinstance(page, RawPage) and "café" in page.content and "“chaud” — très" in page.content


def test_meta_charset_is_honoured(tmp_path: Path) -> None:
    # ISO-8859-15 differs from 1252 at 0xA4 (€ vs ¤): only the declaration can tell them apart.
    body = '<html><head><meta charset="iso-8859-15"></head><body><p>Prix : 5 €, café</p></body></html>'
    (tmp_path / "p.html").write_bytes(body.encode("iso-8859-15"))
    page = one(str(tmp_path / "p.html"))
    assert isinstance(page, RawPage) and "5 €, café" in page.content


def test_utf8_wins_over_a_stale_meta_charset(tmp_path: Path) -> None:
    body = '<html><head><meta charset="windows-1252"></head><body><p>café</p></body></html>'
    (tmp_path / "p.html").write_bytes(body.encode())
    page = one(str(tmp_path / "p.html"))
    assert isinstance(page, RawPage) and "café" in page.content


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!doctype html><title>x</title>", True),
        ("<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", True),
        ("<!-- saved page -->\n<html><body>x</body></html>", True),
        ("<p>one</p><p>two</p>", True),
        ("A dump quoting markup: the page used <p>, <br> and <a> tags. " + "Words. " * 2000, False),
        ("Plain words.\n\nMore plain words.", False),
    ],
)
def test_looks_like_html(text: str, is_html: bool) -> None:
    assert looks_like_html(text) is is_html


# --- bad local inputs --------------------------------------------------------------------------------


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.html", PNG, "binary file (looks like PNG image)"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (looks like PDF document)"),
        ("pages.jsonl", _zip_bytes(), "binary file (looks like ZIP archive)"),
        ("blob", b"abc\x00def" * 10, "binary file (contains NUL bytes)"),
        ("noise.txt", bytes(range(1, 9)) * 50 + b"some text", "binary file (mostly non-text bytes)"),
        ("png.gz", gzip.compress(PNG), "binary file (looks like PNG image)"),
        ("empty.gz", gzip.compress(b""), "empty input"),
        ("blank.gz", gzip.compress(b" \n\t\n"), "empty input"),
        ("bom-only.txt", b"\xef\xbb\xbf\n", "empty input"),
        ("cut.html.gz", gzip.compress(b"<p>x</p>" * 1000)[:-20], "truncated or corrupt gzip"),
        ("bad.gz", b"\x1f\x8b\x08\x00garbage-not-deflate" * 3, "truncated or corrupt gzip"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert failure(str(tmp_path / name)) == reason


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_fixtures(name: str) -> None:
    assert failure(str(INPUTS / name)) == "empty input"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert failure(str(tmp_path / "nope.html")) == "no such file"
    assert failure(str(tmp_path / "nope" / "deeper.html")) == "no such file"
    assert failure(str(tmp_path)) == "is a directory"


def test_unsupported_scheme() -> None:
    assert failure("ftp://example.org/a.html") == "unsupported URL scheme 'ftp' (http and https only)"


def test_too_large_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with open(big, "wb") as f:
        f.truncate(60_000_000)  # sparse: 60 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        reason = failure(str(big))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "larger than --max-size (60.0 MB > 50.0 MB)"
    assert peak < 1_000_000


def test_stdin_over_max_size() -> None:
    assert failure("-", stdin=io.BytesIO(b"x" * 5000), max_size=1000) == "larger than --max-size (> 1.0 kB)"


def test_gzip_bomb_is_capped_without_blowing_memory(tmp_path: Path) -> None:
    (tmp_path / "bomb.html.gz").write_bytes(gzip_stream(b"a" * 1_000_000, 200))  # 200 MB inflated
    assert (tmp_path / "bomb.html.gz").stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        reason = failure(str(tmp_path / "bomb.html.gz"), max_size=2_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "larger than --max-size when decompressed (> 2.0 MB)"
    assert peak < 10_000_000


def test_gzip_bomb_on_stdin() -> None:
    data = gzip.compress(b"b" * 3_000_000)
    assert failure("-", stdin=io.BytesIO(data), max_size=1_000_000).startswith("larger than --max-size")


def test_programmer_errors_raise() -> None:
    with pytest.raises(TypeError):
        list(open_inputs("article.html"))
    with pytest.raises(ValueError):
        list(open_inputs(["a", "b"], url="https://example.org/"))
    with pytest.raises(ValueError):
        list(open_inputs(["a"], max_size=0))

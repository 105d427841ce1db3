"""Local inputs: files, stdin, gzip, and turning bytes into pages (one, or one per JSON Lines record).

Everything that reads bytes is capped at ``max_size``: a file's size is checked before it is opened,
streams and gzip members are read in chunks and abandoned as soon as they pass the cap, so neither a
60 MB dump nor a gzip bomb ever sits in memory whole.

Input problems raise :class:`~interbellum.errors.InputError` subclasses with one-line messages; a broken
record of a JSON Lines file is yielded as a :class:`~interbellum.model.Failure` so the others go on.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import BinaryInputError, DecodeError, EmptyInputError, InputError, RecordError, TooLargeError
from ..model import Failure, PageKind, RawPage
from . import detect

CHUNK = 1 << 16
_JSONL_EXT = (".jsonl", ".ndjson", ".jsonlines")
_HTML_EXT = (".html", ".htm", ".xhtml", ".shtml")
_JSONL_TYPES = (
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/jsonlines",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Record fields with a meaning of their own; any other key is carried along in meta untouched.
_STR_FIELDS = ("url", "html", "text", "title", "published", "language", "source")
_META_FIELDS = ("title", "language", "source")


def too_large(size: int | None, max_size: int, *, when: str = "") -> TooLargeError:
    shown = f"{detect.format_size(size)} > " if size is not None else "> "
    return TooLargeError(f"larger than --max-size{when} ({shown}{detect.format_size(max_size)})")


def read_file(path: str, max_size: int) -> bytes:
    """The bytes of a local file, gunzipped when they are gzip; size checked before reading."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory")
    if stat.S_ISREG(st.st_mode) and st.st_size > max_size:
        raise too_large(st.st_size, max_size)
    try:
        with open(path, "rb") as f:
            if f.read(2) == detect.GZIP_MAGIC:
                f.seek(0)
                return gunzip(f, max_size)
            f.seek(0)
            return read_capped(f, max_size)
    except OSError as exc:
        raise _os_error(exc) from None


def _os_error(exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return InputError("no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError("is a directory")
    if isinstance(exc, PermissionError):
        return InputError("permission denied")
    return InputError(f"cannot read ({exc.strerror or exc})")


def read_capped(stream: BinaryIO, max_size: int) -> bytes:
    """Read a stream to its end, or raise as soon as it passes ``max_size`` (pipes have no size)."""
    parts: list[bytes] = []
    total = 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > max_size:
            raise too_large(None, max_size)
        parts.append(chunk)
    return b"".join(parts)


def gunzip(source: bytes | BinaryIO, max_size: int) -> bytes:
    """Decompress gzip (all members) in chunks, stopping as soon as the output passes ``max_size``."""
    fileobj = _BytesReader(source) if isinstance(source, bytes) else source
    parts: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=fileobj, mode="rb") as gz:
            while chunk := gz.read(CHUNK):
                total += len(chunk)
                if total > max_size:
                    raise too_large(None, max_size, when=" when decompressed")
                parts.append(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise DecodeError("truncated or corrupt gzip") from None
    return b"".join(parts)


def unpack(data: bytes, max_size: int) -> bytes:
    """``data`` gunzipped when it starts with the gzip magic (a ``.html.gz`` served or piped as is)."""
    return gunzip(data, max_size) if detect.is_gzip(data) else data


class _BytesReader:
    """A minimal read-only file over bytes, without io.BytesIO's copy of the whole buffer."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n < 0 else min(self._pos + n, len(self._view))
        out = bytes(self._view[self._pos : end])
        self._pos = end
        return out


def to_text(data: bytes, *, content_type: str | None = None) -> tuple[str, str]:
    """Check ``data`` is non-empty text and decode it; return ``(text, codec)``."""
    if not data.strip():
        raise EmptyInputError("empty input")
    why = detect.binary_kind(data)
    if why:
        raise BinaryInputError(f"binary file ({why})")
    text, codec = detect.decode(data, detect.charset_from_content_type(content_type))
    if not text.strip(" \t\r\n\f\v\ufeff\u00a0"):
        raise EmptyInputError("empty input")
    return text, codec


def pages_from_text(
    label: str,
    text: str,
    *,
    name: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    published: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Iterator[RawPage | Failure]:
    """One page for an HTML page or text dump; one per record (``LABEL#N``) for JSON Lines.

    ``name`` (a path or URL path) and ``content_type`` are hints only; the content decides first.
    ``url`` and ``published`` are the input-wide defaults; a record's own values replace them.
    """
    base = dict(meta or {})
    if published is not None:
        base["default_published"] = published
    lower = (name or "").lower().removesuffix(".gz")
    mime = (content_type or "").split(";")[0].strip().lower()
    if lower.endswith(_JSONL_EXT) or mime in _JSONL_TYPES or detect.first_record(text) is not None:
        yield from _records(label, text, published=published, meta=base)
        return
    single = _single_json_record(text)
    if single is not None:
        yield _record_page(label, single, published=published, meta=base)
        return
    is_html = detect.looks_like_html(text) or lower.endswith(_HTML_EXT) or mime in _HTML_TYPES
    kind: PageKind = "html" if is_html else "text"
    yield RawPage(label, text, kind, url=url, published=published, meta=base)


def _records(
    label: str, text: str, *, published: str | None, meta: dict[str, Any]
) -> Iterator[RawPage | Failure]:
    n = 0
    # split("\n"), not splitlines(): JSON strings may hold raw U+2028 and friends, which
    # splitlines() would treat as line ends and so cut a record in two.
    for line in text.split("\n"):
        if not line.strip():
            continue
        n += 1
        where = f"{label}#{n}"
        try:
            yield _record_page(where, _parse_record(line), published=published, meta=meta)
        except RecordError as exc:
            yield Failure(where, str(exc))


def _parse_record(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        col = getattr(exc, "colno", None)
        raise RecordError(f"bad JSON ({msg}" + (f" at column {col})" if col else ")")) from None
    return _check_record(obj)


def _check_record(obj: object) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise RecordError(f"record is a JSON {_json_type(obj)}, not an object")
    for key in _STR_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"field {key!r} must be a string, not {_json_type(value)}")
    if "html" not in obj and "text" not in obj:
        raise RecordError("record has neither html nor text")
    return obj


def _record_page(label: str, rec: dict[str, Any], *, published: str | None, meta: dict[str, Any]) -> RawPage:
    html, text = rec.get("html"), rec.get("text")
    if html and html.strip():
        kind: PageKind = "html"
        content = html
    elif text and text.strip():
        kind, content = "text", text
    else:
        raise RecordError("record's html and text are both empty")
    # Known fields set to null mean "unknown"; unknown keys are the user's data and kept as given.
    extra = {k: v for k, v in rec.items() if k not in _STR_FIELDS or (k in _META_FIELDS and v is not None)}
    return RawPage(
        label,
        content,
        kind,
        url=rec.get("url"),
        published=rec.get("published") or published,
        meta={**meta, **extra},
    )


def _single_json_record(text: str) -> dict[str, Any] | None:
    """A whole input that is one pretty-printed record (``curl api | interbellum extract -``)."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return None
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if isinstance(obj, dict) and ("html" in obj or "text" in obj):
        return _check_record(obj)  # a RecordError here fails the whole input, which is that record
    return None


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)

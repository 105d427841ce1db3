"""What an input is, judged from its bytes rather than its name, and how its text is encoded.

Names lie (a page saved as ``.txt``, records piped on stdin, a ``.html.gz`` that a browser already
unpacked), so every decision here looks at content first and uses the name only as a tie-breaker.

Decoding cascade (:func:`decode`), first that works wins:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8 — bytes that are valid UTF-8 and not ASCII are almost never anything else, which
   also rescues the common page re-saved as UTF-8 whose ``<meta charset>`` still says windows-1252;
3. the declared charset: HTTP ``Content-Type`` first, then ``<meta charset>`` (HTML5 precedence);
4. windows-1252, when its reading looks like Western European text (see :func:`_looks_western`);
5. charset-normalizer's best guess;
6. windows-1252 with replacement characters, so that a page is never lost to one stray byte.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata

from charset_normalizer import from_bytes

# Magic numbers of the files people feed us by mistake: checked before any decoding.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
]
_BOMS: list[tuple[bytes, str]] = [
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# C0 controls that never occur in text; tab, newlines, form feed and ESC (ANSI colours) do.
_CONTROL = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])
_SNIFF = 65536
# WHATWG Encoding Standard: these labels mean windows-1252 on the web, whatever ISO says.
_WEB_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_RE = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Punctuation a Western text in windows-1252 legitimately has outside ASCII.
_WESTERN_PUNCT = frozenset("\u00a0“”‘’„‚–—…€«»°§©®·•¡¿×÷£¥¢‰™†‡½¼¾ªº")
_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(p|div|br|a|span|h[1-6]|article|section|li|ul|ol|table|tr|td|meta|title|script|style|img)\b[^>]*>",
    re.I,
)
GZIP_MAGIC = b"\x1f\x8b"
MB = 1_000_000


def format_size(n: int) -> str:
    """Sizes in the units --max-size is written in (decimal MB), readable for small caps too."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1000:
        return f"{n / 1000:.1f} kB"
    return f"{n} bytes"


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not text (``"looks like PNG image"``), or None when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"looks like {name}"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"looks like {data[8:12].decode().strip()} file"
    if data[4:8] == b"ftyp":
        return "looks like MP4/QuickTime media"
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text is full of NUL bytes by design
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if sample and controls / len(sample) > 0.05:
        return "mostly non-text bytes"
    return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type, as a Python codec name, if Python knows it."""
    if not content_type:
        return None
    m = _CHARSET_RE.search(content_type.encode("latin-1", "replace"))
    return _codec(m.group(1).decode("ascii")) if m else None


def charset_from_meta(data: bytes) -> str | None:
    """The ``<meta charset>`` (or http-equiv Content-Type) of an HTML page, within its first 4 kB."""
    m = _META_RE.search(data[:4096])
    return _codec(m.group(1).decode("ascii")) if m else None


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, codec name)``. Never fails (see the module docstring)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in (declared, charset_from_meta(data)):
        if codec and codec != "utf_8":
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    try:
        text = data.decode("cp1252")
        if _looks_western(text):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    guess = _best_guess(data)
    if guess:
        return data.decode(guess), guess
    return data.decode("cp1252", errors="replace"), "cp1252"


def _looks_western(text: str) -> bool:
    """True when ``text`` read as windows-1252 has the shape of a Western European language.

    charset-normalizer alone picks cp1250 for short French text ("très" → "trčs"), so we ask the
    narrower question first: in real French, Spanish or German, accented letters are a minority of
    letters and the other non-ASCII characters are punctuation. Cyrillic or Polish read as 1252 fail
    one of the two tests (all letters accented; ``³ ¹`` symbols inside words).
    """
    letters = accented = odd = 0
    for ch in text[:100_000]:  # a sample is enough, and a 50 MB dump would take seconds
        if ch.isalpha():
            letters += 1
            accented += ord(ch) > 127
        elif ord(ch) > 127 and ch not in _WESTERN_PUNCT and not unicodedata.category(ch).startswith("Z"):
            odd += 1
    if odd * 50 > max(accented, 1):
        return False
    return letters == 0 or accented / letters <= 0.3


def _best_guess(data: bytes) -> str | None:
    no_nul = b"\x00" not in data[:_SNIFF]
    for match in from_bytes(data):
        # Text without NUL bytes is not UTF-16/32, whatever the statistics say on a short sample.
        if no_nul and match.encoding.startswith(("utf_16", "utf_32")):
            continue
        try:
            data.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return match.encoding
    return None


def looks_like_html(text: str) -> bool:
    """An HTML page or fragment: a document start, or enough tags for the length of the text."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    sample = text[:20000]
    tags = len(_HTML_TAG.findall(sample))
    # A text dump may quote a tag or two; a fragment of paragraphs has one every few hundred chars.
    return tags >= 3 and tags * 2000 >= len(sample)


def first_record(text: str) -> dict[str, object] | None:
    """The first non-blank line parsed as a JSON Lines record (an object with html or text), or None."""
    for line in text.split("\n"):
        if line.strip():
            if not line.lstrip().startswith("{"):
                return None
            try:
                obj = json.loads(line)
            except ValueError:
                return None
            if isinstance(obj, dict) and ("html" in obj or "text" in obj):
                return obj
            return None
    return None

"""Integrity of the bundled demo corpus (src/interbellum/data/demo): manifest, pages, records, feed.

The corpus is what `interbellum demo` builds its store from and the story-clustering dev set, so these tests
check the set itself, not the readers: every article is listed once, its date, URL and title agree across
the manifest and the page or record, the stories have the shape the clustering set needs (several outlets
per story, syndicated copies, look-alikes kept apart), and no text borrows wording from the benchmarks or
from the project's annotated set.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from bench_texts import bench_texts, untag

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "interbellum" / "data" / "demo"
ARTICLES = DEMO / "articles"
ANNOTATED = Path(__file__).resolve().parent / "fixtures" / "annotated"

COLUMNS = ["file", "story", "outlet", "language", "form", "published", "url", "syndicated_of", "title"]
FORMS = {"html", "dump", "jsonl"}
STORY_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4})")
RECORD_REF = re.compile(r"records\.jsonl#(\d+)")
DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
EARLIEST, LATEST = date(2021, 12, 1), date(2025, 12, 31)


@cache
def manifest() -> tuple[dict[str, str], ...]:
    with (DEMO / "manifest.tsv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == COLUMNS
        return tuple(reader)


@cache
def records() -> tuple[dict, ...]:
    lines = (DEMO / "records.jsonl").read_text(encoding="utf-8").split("\n")
    return tuple(json.loads(line) for line in lines if line.strip())


def record_of(row: dict[str, str]) -> dict:
    return records()[int(RECORD_REF.fullmatch(row["file"]).group(1)) - 1]


def rows(form: str | None = None) -> list[dict[str, str]]:
    return [r for r in manifest() if form is None or r["form"] == form]


def ids(rs):
    return [r["file"] for r in rs]


# ---------------------------------------------------------------- manifest and size


def test_manifest_lists_every_file_and_record():
    listed = [r["file"] for r in manifest()]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {f"articles/{p.name}" for p in ARTICLES.iterdir() if p.is_file()}
    assert {f for f in listed if f.startswith("articles/")} == on_disk
    refs = sorted(int(m.group(1)) for f in listed if (m := RECORD_REF.fullmatch(f)))
    assert refs == list(range(1, len(records()) + 1)), "records.jsonl#N must cover every record once, from 1"
    assert all(f.startswith("articles/") or RECORD_REF.fullmatch(f) for f in listed)


def test_size_languages_forms():
    langs = Counter(r["language"] for r in manifest())
    assert len(manifest()) >= 60, f"only {len(manifest())} articles"
    assert set(langs) <= {"en", "fr"}
    assert langs["fr"] >= 15, f"only {langs['fr']} French articles"
    forms = Counter(r["form"] for r in manifest())
    assert set(forms) <= FORMS
    assert all(forms[f] >= 5 for f in FORMS), forms


def test_rows_are_well_formed():
    urls = [r["url"] for r in manifest()]
    assert len(urls) == len(set(urls)), "two articles share a URL"
    for r in manifest():
        assert all(r[c].strip() for c in COLUMNS if c != "syndicated_of"), r["file"]
        assert DOMAIN.fullmatch(r["outlet"]), r["file"]
        host = urlsplit(r["url"]).hostname or ""
        assert urlsplit(r["url"]).scheme == "https" and host.removeprefix("www.") == r["outlet"], r["file"]
        suffix = {"html": ".html", "dump": ".txt"}.get(r["form"])
        assert r["file"].endswith(suffix) if suffix else RECORD_REF.fullmatch(r["file"]), r["file"]
        published = date.fromisoformat(r["published"])
        assert EARLIEST <= published <= LATEST, r["file"]


# ---------------------------------------------------------------- stories


def test_stories():
    by_story = defaultdict(list)
    for r in manifest():
        by_story[r["story"]].append(r)
    assert len(by_story) >= 15, f"only {len(by_story)} stories"
    multi = [k for k, v in by_story.items() if len(v) >= 2]
    assert len(multi) >= 10, f"only {len(multi)} stories with two or more articles"
    for key, members in by_story.items():
        m = STORY_KEY.fullmatch(key)
        assert m, f"story key {key!r} is not 'slug-YYYY'"
        years = {r["published"][:4] for r in members}
        assert m.group(1) in years, f"{key}: no article from {m.group(1)}"
        if len(members) >= 2:  # a story told by one outlet alone would not test clustering
            assert len({r["outlet"] for r in members}) >= 2, f"{key}: a single outlet"
    # keys differing only by their year would be the same story spelled twice
    stems = Counter(k.rsplit("-", 1)[0] for k in by_story)
    assert not [s for s, n in stems.items() if n > 1], stems


def test_syndicated_copies():
    by_file = {r["file"]: r for r in manifest()}
    copies = [r for r in manifest() if r["syndicated_of"]]
    assert len(copies) >= 3, f"only {len(copies)} syndicated copies"
    for r in copies:
        orig = by_file.get(r["syndicated_of"])
        assert orig is not None, f"{r['file']}: original {r['syndicated_of']} not in the manifest"
        assert not orig["syndicated_of"], f"{r['file']}: copy of a copy"
        assert orig["story"] == r["story"] and orig["language"] == r["language"], r["file"]
        assert orig["outlet"] != r["outlet"], r["file"]
        ours, theirs = set(grams(plain_text(r))), set(grams(plain_text(orig)))
        shared = len(ours & theirs) / max(1, len(ours))
        assert shared >= 0.6, f"{r['file']}: only {shared:.0%} of its 8-grams are in the original"


# ---------------------------------------------------------------- pages, records, feed


@pytest.mark.parametrize("row", rows("html"), ids=ids(rows("html")))
def test_html_page(row):
    raw = (DEMO / row["file"]).read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(raw)
    title = doc.findtext(".//title")
    assert title and row["title"] in title
    h1 = [" ".join(h.text_content().split()) for h in doc.iter("h1")]
    assert row["title"] in h1
    dates = [m.get("content") for m in doc.xpath('//meta[@property="article:published_time"]')]
    dates += [t.get("datetime") for t in doc.iter("time") if t.get("datetime")]
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        dates.append(json.loads(script.text)["datePublished"])
    assert dates and all(d[:10] == row["published"] for d in dates), (dates, row["published"])
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    assert canonical == [row["url"]]
    assert doc.get("lang") == row["language"]
    assert 150 <= words(body_text(row)) <= 500


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}


def written_dates(iso: str, language: str) -> set[str]:
    """The ways a dump's date line may write the day: '5 April 2022', 'April 5, 2022', '1er juin 2025'."""
    d = date.fromisoformat(iso)
    month = MONTHS[language][d.month - 1]
    if language == "fr":
        return {f"{d.day} {month} {d.year}"} | ({f"1er {month} {d.year}"} if d.day == 1 else set())
    return {f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}"}


@pytest.mark.parametrize("row", rows("dump"), ids=ids(rows("dump")))
def test_dump(row):
    text = (DEMO / row["file"]).read_text(encoding="utf-8")
    assert row["title"] in text.splitlines()
    head = "\n".join(text.splitlines()[:16])  # the date line sits above the body
    assert any(form in head for form in written_dates(row["published"], row["language"])), row["published"]
    assert "<" not in text, "markup in a text dump"
    assert 150 <= words(body_text(row)) <= 500


@pytest.mark.parametrize("row", rows("jsonl"), ids=ids(rows("jsonl")))
def test_record(row):
    rec = record_of(row)
    assert (rec.get("text") or rec.get("html") or "").strip(), "record has neither text nor html"
    for key in ("url", "title", "published", "language"):
        assert rec[key] == row[key], key
    assert rec.get("source") in (None, "Reuters", "AFP", "The Associated Press")
    assert all(isinstance(v, str) for k, v in rec.items() if k in ("text", "html", "title", "url")), rec["url"]
    assert 150 <= words(body_text(row)) <= 500


def test_feed_items_point_at_corpus_articles():
    root = ET.parse(DEMO / "feed.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) >= 5
    by_url = {r["url"]: r for r in manifest()}
    for item in items:
        fields = {k: (item.findtext(k) or "").strip() for k in ("title", "link", "pubDate", "description")}
        assert all(fields.values()), fields
        row = by_url.get(fields["link"])
        assert row is not None, f"feed link {fields['link']} is not an article of the corpus"
        assert fields["title"] == row["title"]
        assert parsedate_to_datetime(fields["pubDate"]).date().isoformat() == row["published"]


# ---------------------------------------------------------------- wording: benchmarks and annotated set

WORD = re.compile(r"\w+")
BENCH_NGRAM = 8
# The annotated set tells some of the same events: names of institutions ("la Communauté économique des
# États de l'Afrique de l'Ouest") make 8-word overlaps unavoidable, a shared sentence would not be.
ANNOTATED_NGRAM = 12




def plain_text(row: dict[str, str]) -> str:
    """The whole text of an article as a reader would see it: page text, dump, or record text."""
    if row["form"] == "jsonl":
        rec = record_of(row)
        return rec["title"] + "\n" + (rec.get("text") or untag(rec.get("html") or ""))
    raw = (DEMO / row["file"]).read_text(encoding="utf-8")
    return untag(raw) if row["form"] == "html" else raw


def body_text(row: dict[str, str]) -> str:
    """A rough body: the prose paragraphs (15 words or more) of the page, dump or record."""
    if row["form"] == "html":
        doc = lxml.html.document_fromstring((DEMO / row["file"]).read_text(encoding="utf-8"))
        paras = [p.text_content() for p in doc.iter("p")]
    elif row["form"] == "dump":
        paras = (DEMO / row["file"]).read_text(encoding="utf-8").splitlines()
    else:
        rec = record_of(row)
        paras = (rec.get("text") or untag(rec.get("html", "").replace("</p>", "</p>\n"))).split("\n")
    return "\n".join(p for p in paras if len(p.split()) >= 15)


def words(text: str) -> int:
    return len(text.split())


def grams(text: str, n: int = BENCH_NGRAM):
    w = WORD.findall(text.casefold())
    for i in range(len(w) - n + 1):
        yield hash(tuple(w[i:i + n]))


def demo_texts():
    for row in manifest():
        yield row["file"], plain_text(row)
    feed = ET.parse(DEMO / "feed.xml").getroot()
    for n, item in enumerate(feed.findall("./channel/item"), start=1):
        yield f"feed.xml#{n}", f"{item.findtext('title')}\n{item.findtext('description')}"


def ours(n: int) -> dict[int, str]:
    table: dict[int, str] = {}
    for name, text in demo_texts():
        for h in grams(text, n):
            table.setdefault(h, name)
    return table


def overlaps(table: dict[int, str], texts, n: int, root: Path) -> list[str]:
    hits = set()
    for path, text in texts:
        w = WORD.findall(text.casefold())
        for i in range(len(w) - n + 1):
            h = hash(tuple(w[i:i + n]))
            if h in table:
                hits.add(f"{table[h]}: {' '.join(w[i:i + n])!r} also in {path.relative_to(root)}")
    return sorted(hits)




def test_no_eight_word_sequence_from_the_benchmarks(shared):
    bench = shared / "bench"
    if not bench.is_dir():
        pytest.skip(f"{bench} is absent")
    scanned = []

    def counted(texts):
        for item in texts:
            scanned.append(item[0])
            yield item

    hits = overlaps(ours(BENCH_NGRAM), counted(bench_texts(bench)), BENCH_NGRAM, shared)
    assert len(scanned) > 100, f"only {len(scanned)} benchmark files found"
    assert not hits, "\n".join(hits)


def test_no_sentence_shared_with_the_annotated_set():
    texts = [(p, p.read_text(encoding="utf-8")) for p in sorted(ANNOTATED.glob("*.txt"))]
    assert texts, f"no annotated texts under {ANNOTATED}"
    hits = overlaps(ours(ANNOTATED_NGRAM), texts, ANNOTATED_NGRAM, ANNOTATED)
    assert not hits, "\n".join(hits)

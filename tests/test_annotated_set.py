"""Integrity of the project's own annotated set (tests/fixtures/annotated): texts, gold files, manifest.

These tests check the set itself, not the extractor: every text has a well-formed gold file whose anchors,
times, names and coordinates are consistent with the text, and no article borrows wording from the benchmarks.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import pytest

from bench_texts import bench_texts

ANNOTATED = Path(__file__).resolve().parent / "fixtures" / "annotated"
TEXTS = sorted(ANNOTATED.glob("*.txt"))
GOLDS = sorted(ANNOTATED.glob("*.gold.json"))

PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
ENTITY_TYPES = {"state", "government", "military", "police", "armed_group", "pmc", "organization", "media",
                "company", "person", "other"}
PLACE_KINDS = {"country", "admin", "city", "town", "village", "region", "border", "feature", "other"}
RELATIONS = {"present_in", "controls", "supports", "allied_with", "fights", "opposes", "severed_ties_with",
             "designates", "member_of", "leads"}
DATE_RE = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}
ISO3 = re.compile(r"[A-Z]{3}")

GOLD_KEYS = {"about", "input", "published", "article", "entities", "places", "times", "events", "situations"}
ARTICLE_KEYS = {"title", "subtitle", "source", "site_name", "site_domain", "reading_time_min", "language",
                "body_starts_with", "body_ends_with", "body_paragraphs", "body_must_not_contain", "related_titles"}
ENTITY_KEYS = {"name", "accept", "type", "country"}
PLACE_KEYS = {"name", "country", "lat", "lon", "kind", "tolerance_km"}
TIME_KEYS = {"text", "value", "precision"}
EVENT_KEYS = {"id", "what", "type", "actors", "targets", "place", "date"}
SITUATION_KEYS = {"id", "what", "subject", "relation", "object", "start", "end", "ongoing"}
MANIFEST_COLUMNS = ["file", "language", "conflict", "form", "outlet_style", "published", "summary"]


@cache
def load(txt: Path) -> tuple[str, dict]:
    gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
    return txt.read_text(encoding="utf-8"), gold


def body_of(text: str, gold: dict) -> str:
    art = gold["article"]
    start = text.index(art["body_starts_with"])
    end = text.index(art["body_ends_with"], start) + len(art["body_ends_with"])
    return text[start:end]


def ids(paths):
    return [p.name for p in paths]


def test_set_size_and_languages():
    langs = [load(t)[1]["article"]["language"] for t in TEXTS]
    assert len(TEXTS) >= 30, f"only {len(TEXTS)} annotated articles"
    assert langs.count("fr") >= 8, f"only {langs.count('fr')} French articles"
    assert set(langs) <= {"en", "fr"}


def test_every_text_has_gold_and_back():
    assert {t.name.removesuffix(".txt") for t in TEXTS} == {g.name.removesuffix(".gold.json") for g in GOLDS}
    for t in TEXTS:
        assert re.fullmatch(r"\d{3}_[a-z0-9_]+\.txt", t.name), t.name


def test_manifest_lists_every_article():
    with (ANNOTATED / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows and list(rows[0]) == MANIFEST_COLUMNS
    assert sorted(r["file"] for r in rows) == ids(TEXTS)
    for r in rows:
        _, gold = load(ANNOTATED / r["file"])
        assert r["language"] == gold["article"]["language"], r["file"]
        assert r["published"] == gold["published"], r["file"]
        assert r["form"] in {"dump", "plain"}, r["file"]
        assert all(r[c].strip() for c in MANIFEST_COLUMNS), r["file"]


@pytest.mark.parametrize("txt", TEXTS, ids=ids(TEXTS))
def test_gold_shape(txt):
    _, gold = load(txt)
    assert set(gold) >= GOLD_KEYS
    assert gold["input"] == txt.name
    assert re.fullmatch(DATE_RE["day"], gold["published"])
    assert set(gold["article"]) >= ARTICLE_KEYS
    for e in gold["entities"]:
        assert set(e) >= ENTITY_KEYS, e
    for p in gold["places"]:
        assert set(p) >= PLACE_KEYS, p
    for t in gold["times"]:
        assert set(t) >= TIME_KEYS, t
    for e in gold["events"]:
        assert set(e) >= EVENT_KEYS, e
    for s in gold["situations"]:
        assert set(s) >= SITUATION_KEYS, s
    for key in ("entities", "places", "times", "events", "situations"):
        assert any(not x.get("optional") for x in gold[key]), f"{key}: nothing required"
    for key in ("events", "situations"):
        got = [x["id"] for x in gold[key]]
        assert len(got) == len(set(got)), f"duplicate {key} ids"


@pytest.mark.parametrize("txt", TEXTS, ids=ids(TEXTS))
def test_article_anchors(txt):
    text, gold = load(txt)
    art = gold["article"]
    assert art["language"] in {"en", "fr"}
    assert art["body_starts_with"] in text
    assert art["body_ends_with"] in text
    assert text.index(art["body_starts_with"]) < text.index(art["body_ends_with"])
    body = body_of(text, gold)
    assert 150 <= len(body.split()) <= 450, f"{len(body.split())} words"
    assert art["body_paragraphs"] == sum(1 for line in body.split("\n") if line.strip())
    assert art["title"] in text
    for key in ("subtitle", "source", "site_name", "site_domain"):
        assert art[key] is None or art[key] in text, key
    for junk in art["body_must_not_contain"]:
        assert junk not in body, junk
    for title in art["related_titles"]:
        assert title in text and title not in body, title


@pytest.mark.parametrize("txt", TEXTS, ids=ids(TEXTS))
def test_times_occur_and_resolve(txt):
    text, gold = load(txt)
    for t in gold["times"]:
        assert t["text"] in text, t["text"]
        assert re.fullmatch(DATE_RE[t["precision"]], t["value"]), t
        if t.get("end_value"):
            assert t["end_value"] >= t["value"], t


@pytest.mark.parametrize("txt", TEXTS, ids=ids(TEXTS))
def test_entities_and_places(txt):
    text, gold = load(txt)
    low = text.casefold()
    names = [e["name"] for e in gold["entities"]]
    assert len(names) == len(set(names))
    for e in gold["entities"]:
        assert e["name"] in e["accept"], e["name"]
        assert set(e["type"]) <= ENTITY_TYPES, e["name"]
        assert e["country"] is None or ISO3.fullmatch(e["country"]), e["name"]
        assert any(a.casefold() in low for a in e["accept"]), f"entity {e['name']} never mentioned"
    for p in gold["places"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["name"]
        assert p["kind"] in PLACE_KINDS, p["name"]
        assert p["tolerance_km"] > 0, p["name"]
        assert p["country"] is None or ISO3.fullmatch(p["country"]), p["name"]
        accept = p.get("accept", [p["name"]])
        assert any(a.casefold() in low for a in accept), f"place {p['name']} never mentioned"


@cache
def acled_types() -> frozenset[str]:
    path = ANNOTATED.parents[3] / "shared" / "contracts" / "acled-types.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


@pytest.mark.parametrize("txt", TEXTS, ids=ids(TEXTS))
def test_events_name_gold_entities(txt):
    _, gold = load(txt)
    entities = {e["name"] for e in gold["entities"]}
    places = {p["name"] for p in gold["places"]}
    acled = acled_types()
    for ev in gold["events"]:
        assert ev["type"] and set(ev["type"]) <= PLOVER, ev["id"]
        for who in ev["actors"] + ev["targets"] + ev.get("claimed_by", []):
            assert who in entities, f"{ev['id']}: {who!r} is not a gold entity"
        assert set(ev["place"]) <= places, ev["id"]
        assert ev["date"] is None or ev["date"] <= gold["published"], ev["id"]
        assert ev["date"] is None or re.fullmatch(r"\d{4}(-\d{2}){0,2}", ev["date"]), ev["id"]
        if acled and ev.get("acled"):
            assert set(ev["acled"]) <= acled, ev["id"]
        assert all(isinstance(n, int) and n >= 0 for n in ev.get("fatalities", [])), ev["id"]
    for s in gold["situations"]:
        assert s["relation"] and set(s["relation"]) <= RELATIONS, s["id"]
        assert set(s["subject"]) <= entities, s["id"]
        assert set(s["object"]) <= entities | places, s["id"]
        assert s["ongoing"] in (True, False, None), s["id"]


# ---------------------------------------------------------------- no wording borrowed from the benchmarks

NGRAM = 8
WORD = re.compile(r"\w+")


def ngrams(text: str):
    words = WORD.findall(text.casefold())
    for i in range(len(words) - NGRAM + 1):
        yield hash(tuple(words[i:i + NGRAM])), words[i:i + NGRAM]




def test_no_eight_word_sequence_from_the_benchmarks(shared):
    bench = shared / "bench"
    if not bench.is_dir():
        pytest.skip(f"{bench} is absent")
    ours: dict[int, tuple[str, str]] = {}
    for txt in TEXTS:
        for h, words in ngrams(txt.read_text(encoding="utf-8")):
            ours.setdefault(h, (txt.name, " ".join(words)))
    hits = []
    scanned = 0
    for path, text in bench_texts(bench):
        scanned += 1
        for h, _ in ngrams(text):
            if h in ours:
                hits.append(f"{ours[h][0]}: {ours[h][1]!r} also in {path.relative_to(shared)}")
    assert scanned > 100, f"only {scanned} benchmark files found"
    assert not hits, "\n".join(sorted(set(hits)))

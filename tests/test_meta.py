"""Metadata every article gets: reading time, ids, dates, site, language."""

from __future__ import annotations

import pytest

from interbellum.model import Article, RawPage
from interbellum.reading.meta import article_id, canonical_url, domain_of, finish, reading_time


@pytest.mark.parametrize(("words", "minutes"), [(0, None), (1, 1), (230, 1), (231, 2), (690, 3)])
def test_reading_time_at_230_wpm(words, minutes):
    assert reading_time(" ".join(["word"] * words)) == minutes


@pytest.mark.parametrize(("a", "b"), [
    ("https://www.example.org/a?utm_source=x&id=3#top", "http://example.org/a/?id=3"
     .replace("http:", "https:")),
    ("HTTPS://Example.org:443/a", "https://example.org/a"),
    ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2"),
])
def test_canonical_url_equivalences(a, b):
    assert canonical_url(a) == canonical_url(b)


def test_ids_are_stable_and_distinct():
    assert article_id("https://example.org/a", "x") == article_id("https://example.org/a", "y")
    assert article_id(None, "Some  Body\n") == article_id(None, "some body")
    assert article_id(None, "one text") != article_id(None, "another text")
    assert len(article_id(None, "x")) == 16


@pytest.mark.parametrize(("url", "domain"), [("https://www.belta.by/x", "belta.by"), ("example.com", "example.com"),
                                             (None, None), ("", None)])
def test_domain_of(url, domain):
    assert domain_of(url) == domain


BODY = "The army said on Tuesday that it had retaken the town after two days of fighting with rebels. " * 5


@pytest.mark.parametrize(("page", "record", "default", "expected"), [
    ("2024-05-01", "2024-06-01", "2024-07-01", ("2024-05-01", "day")),
    (None, "2024-06", "2024-07-01", ("2024-06", "month")),
    (None, None, "2024", ("2024", "year")),
    (None, None, None, (None, None)),
])
def test_date_precedence(page, record, default, expected):
    art = finish(Article(body=BODY, published=page), RawPage("x", BODY, "text", published=record), default)
    assert (art.published, art.published_precision) == expected


def test_record_meta_wins_and_unknown_keys_are_kept():
    raw = RawPage("r.jsonl#1", BODY, "text", url="https://www.ledger.example/x",
                  meta={"title": "Given title", "language": "fr", "source": "AFP", "desk": "sahel"})
    art = finish(Article(title="Guessed", body=BODY), raw)
    assert (art.title, art.language, art.source) == ("Given title", "fr", "AFP")
    assert art.site_domain == "ledger.example"
    assert art.extra["desk"] == "sahel"


@pytest.mark.parametrize(("body", "lang"), [
    (BODY, "en"),
    ("L'armée malienne a annoncé mardi avoir repris le contrôle de la ville après deux jours de combats. " * 3,
     "fr"),
    ("   ", "und"),
])
def test_language(body, lang):
    assert finish(Article(body=body), RawPage("x", body, "text")).language == lang


@pytest.mark.parametrize(("body", "subtitle", "source", "first"), [
    ("Leaders formalise their alliance months after leaving the bloc.\n\n"
     "NIAMEY, July 6 (AFP) - The leaders signed a treaty on Saturday.\n\nThey spoke of a common bank.",
     "Leaders formalise their alliance months after leaving the bloc.", "AFP", "NIAMEY, July 6 (AFP) -"),
    # no dateline: the body stays whole, the credit is looked for paragraph by paragraph
    ("The army said it retook the town.\n\nSOURCE: APS", None, "APS", "The army said"),
    # a long first paragraph above a dateline-like line is text, not a dek
    (" ".join(["word"] * 70) + "\n\nGAO (Reuters) - More fighting.", None, "Reuters", "word word"),
])
def test_dateline_starts_the_story(body, subtitle, source, first):
    art = finish(Article(body=body), RawPage("x", body, "html"))
    assert (art.subtitle, art.source) == (subtitle, source)
    assert art.body.startswith(first)

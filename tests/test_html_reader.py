"""The HTML reader on pages written for the project, one per site shape.

Each ``fixtures/html/NAME.html`` has a ``NAME.json`` beside it: the ``url`` to read it with, then
either ``raises`` (the error's class name) or the expected ``fields`` of the Article, the number of
``paragraphs``, how the body starts and ends, and texts that must not be in the body (comments,
related links, bylines, navigation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from interbellum import errors
from interbellum.model import Article
from interbellum.reading.html import read_html

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))


def _case(name: str) -> tuple[str, dict[str, Any]]:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return html, json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))


def _read(name: str) -> tuple[Article, dict[str, Any]]:
    html, expected = _case(name)
    return read_html(html, url=expected["url"]), expected


ARTICLES = [n for n in NAMES if "raises" not in _case(n)[1]]
NOT_ARTICLES = [n for n in NAMES if "raises" in _case(n)[1]]


def test_every_fixture_has_its_expectations():
    assert NAMES, f"no fixtures in {PAGES}"
    assert len(ARTICLES) >= 5 and len(NOT_ARTICLES) >= 2


@pytest.mark.parametrize("name", ARTICLES)
def test_fields(name):
    article, expected = _read(name)
    for field, value in expected["fields"].items():
        assert getattr(article, field) == value, field


@pytest.mark.parametrize("name", ARTICLES)
def test_body(name):
    article, expected = _read(name)
    assert article.body.startswith(expected["body_starts"])
    assert article.body.endswith(expected["body_ends"])
    assert len(article.paragraphs) == expected["paragraphs"]
    for text in expected["not_in_body"]:
        assert text not in article.body


@pytest.mark.parametrize("name", ARTICLES)
def test_paragraphs_are_one_blank_line_apart(name):
    body = _read(name)[0].body
    assert body == body.strip()
    assert "\n\n\n" not in body
    assert body.split("\n\n") == [p for p in body.split("\n\n") if p and "\n" not in p and p == p.strip()]


@pytest.mark.parametrize("name", ARTICLES)
def test_leaves_the_meta_steps_fields_alone(name):
    a = _read(name)[0]
    assert (a.language, a.id, a.reading_time_min, a.source) == ("und", None, None, None)


@pytest.mark.parametrize("name", NOT_ARTICLES)
def test_pages_without_an_article(name):
    html, expected = _case(name)
    error = getattr(errors, expected["raises"])
    with pytest.raises(error, match="no article text found in the page"):
        read_html(html, url=expected["url"])


@pytest.mark.parametrize("html", ["", "   \n"])
def test_empty_page(html):
    with pytest.raises(errors.EmptyInputError):
        read_html(html)


def test_given_url_is_used_without_a_canonical_link():
    html, _ = _case("microdata_wire")
    article = read_html(html, url="https://www.hornmonitor.example/a/b")
    assert article.url == "https://www.hornmonitor.example/a/b"
    assert article.site_domain == "hornmonitor.example"


def test_canonical_link_wins_over_the_given_url():
    html, _ = _case("jsonld")
    article = read_html(html, url="https://mirror.example/copy")
    assert article.url == "https://crossroadswire.example/africa/drone-strike-bandiagoro-fuel-depot"
    assert article.site_domain == "crossroadswire.example"


def test_relative_canonical_resolves_against_the_given_url():
    html, _ = _case("og_meta")
    story = "https://www.sahel-ledger.example/news/2024/03/12/ferry-convoy-semma"
    html = html.replace(f'<meta property="og:url" content="{story}">', "").replace(f'href="{story}"', 'href="/news/s"')
    article = read_html(html, url="https://www.sahel-ledger.example/x")
    assert article.url == "https://www.sahel-ledger.example/news/s"


def test_update_earlier_than_publication_is_ignored():
    html, _ = _case("og_meta")
    html = html.replace('content="2024-03-13T17:40:00Z"', 'content="2024-03-01T17:40:00Z"')
    assert read_html(html).updated is None


def test_description_repeating_the_first_sentence_is_no_subtitle():
    article = _read("jsonld")[0]
    assert article.subtitle is None
    assert article.paragraphs[0].startswith("A drone struck a fuel depot")


def test_dates_in_the_text_are_not_the_publication_date():
    html, expected = _case("nodate_blog")
    html = html.replace("local leaders said on Friday", "local leaders said on 3 March 2024")
    html = html.replace("Proudly independent.", "Proudly independent. &copy; 2021")
    assert read_html(html, url=expected["url"]).published is None

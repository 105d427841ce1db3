"""The text-dump reader: fixtures written for the project, the seed page, and the agency finder.

Each ``fixtures/dumps/NAME.txt`` has a ``NAME.json`` beside it with the fields the reader must give.
Body checks are by shape (paragraph count, first and last words, lines that must stay out) plus
one rule for all: every paragraph is a line of the page, copied as printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interbellum.errors import EmptyInputError, NoArticleError
from interbellum.reading.agencies import canonical_agency, find_agency
from interbellum.reading.dump import read_dump

DUMPS = Path(__file__).parent / "fixtures" / "dumps"
FIELDS = [
    "title",
    "subtitle",
    "source",
    "authors",
    "site_name",
    "site_domain",
    "reading_time_min",
    "published",
    "updated",
    "related_titles",
]
FIXTURES = sorted(p.stem for p in DUMPS.glob("*.txt"))


def check_body(article_body: str, page: str, expected: dict) -> None:
    paragraphs = article_body.split("\n\n")
    page_lines = {line.strip() for line in page.splitlines()}
    assert all(p in page_lines for p in paragraphs), "a body paragraph is not a line of the page"
    if "body_paragraphs" in expected:
        assert len(paragraphs) == expected["body_paragraphs"], paragraphs
    assert article_body.startswith(expected["body_starts_with"])
    assert article_body.endswith(expected["body_ends_with"])
    for text in expected.get("body_must_not_contain", []):
        assert text not in article_body, text


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 12
    assert all((DUMPS / f"{name}.json").exists() for name in FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_fields(name: str) -> None:
    page = (DUMPS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((DUMPS / f"{name}.json").read_text(encoding="utf-8"))
    article = read_dump(page)
    got = {field: getattr(article, field) for field in FIELDS if field in expected}
    assert got == {field: expected[field] for field in FIELDS if field in expected}
    check_body(article.body, page, expected)


def test_seed_page(shared: Path) -> None:
    """The reference page of ../shared/seed (the ``shared`` fixture skips when it is absent)."""
    seed = shared / "seed"
    gold = json.loads((seed / "gold.json").read_text(encoding="utf-8"))["article"]
    page_path = next(seed.glob("000_*.txt"))
    page = page_path.read_text(encoding="utf-8")
    article = read_dump(page)
    for field in [
        "title",
        "subtitle",
        "source",
        "site_name",
        "site_domain",
        "reading_time_min",
        "related_titles",
    ]:
        assert getattr(article, field) == gold[field], field
    check_body(
        article.body,
        page,
        {
            "body_paragraphs": gold["body_paragraphs"],
            "body_starts_with": gold["body_starts_with"],
            "body_ends_with": gold["body_ends_with"],
            "body_must_not_contain": gold["body_must_not_contain"],
        },
    )


def test_plain_text_is_all_body() -> None:
    text = "First paragraph of a plain note, written as prose.\n\nA second one, also prose, ends here."
    article = read_dump(text)
    assert article.paragraphs == [
        "First paragraph of a plain note, written as prose.",
        "A second one, also prose, ends here.",
    ]


def test_body_paragraphs_are_separated_by_one_blank_line() -> None:
    page = (DUMPS / "reuters_dateline.txt").read_text(encoding="utf-8")
    body = read_dump(page).body
    assert "\n\n\n" not in body and body == body.strip()


@pytest.mark.parametrize("text", ["", "   \n\n  \t"])
def test_empty_dump(text: str) -> None:
    with pytest.raises(EmptyInputError):
        read_dump(text)


def test_menu_only_page_has_no_article() -> None:
    with pytest.raises(NoArticleError):
        read_dump("Home\nWorld\nSports\nContact us\nPrivacy Policy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BAMAKO, June 6 (Reuters) - Gunmen attacked a convoy.", "Reuters"),
        ("NIAMEY (AFP) - The junta said on Monday it had closed the border.", "AFP"),
        ("(AP) — Officials confirmed the figures late on Sunday.", "AP"),
        ("SOURCE: APS", "APS"),
        ("Source : Xinhua.", "Xinhua"),
        ("By Jane Doe | Reuters", "Reuters"),
        ("Par Marie Dupont, AFP", "AFP"),
        ("BelTA News Agency", "BelTA News Agency"),
        ("Agence Ivoirienne de Presse", "Agence Ivoirienne de Presse"),
        ("The talks ended without a deal, the ministry said. (Reuters)", "Reuters"),
        ("By Jane Doe", None),
        ("Central Intelligence Agency", None),
        ("The map (see above) - shows the front line.", None),
        ("Ap", None),
        ("", None),
    ],
)
def test_find_agency(text: str, expected: str | None) -> None:
    assert find_agency(text) == expected


def test_canonical_agency() -> None:
    assert canonical_agency("AFP") == "Agence France-Presse"
    assert canonical_agency("belta news agency") == "BelTA"
    assert canonical_agency("Daily Ledger") is None

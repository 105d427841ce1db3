"""The dump reader on the annotated set's pages: other sites' shapes than its own fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interbellum.reading.dump import read_dump

ANNOTATED = Path(__file__).resolve().parent / "fixtures" / "annotated"
PAGES = sorted(ANNOTATED.glob("*.txt"))
FIELDS = ("title", "subtitle", "source", "site_name", "site_domain", "reading_time_min")


@pytest.mark.parametrize("page", PAGES, ids=[p.stem[:24] for p in PAGES])
def test_article_fields(page: Path) -> None:
    gold = json.loads(page.with_suffix(".gold.json").read_text())["article"]
    art = read_dump(page.read_text())
    assert {k: getattr(art, k) for k in FIELDS} == {k: gold[k] for k in FIELDS}
    assert art.body.startswith(gold["body_starts_with"])
    assert art.body.endswith(gold["body_ends_with"])
    assert len(art.paragraphs) == gold["body_paragraphs"]
    assert sorted(art.related_titles) == sorted(gold["related_titles"])
    for junk in gold["body_must_not_contain"]:
        assert junk not in art.body

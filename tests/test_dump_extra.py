"""Dump-reader rules added after the fixture set: teaser lines inside the body, updated-only dates."""

from __future__ import annotations

import pytest

from interbellum.reading.dump import read_dump

PARA = "Les forces armées ont annoncé mardi avoir repris le contrôle de la localité après des combats intenses."
PAGE = """Le Journal du Fleuve
Mali : l'armée reprend une localité du nord
Les combats ont duré deux jours selon les autorités
{date}
{p1}
{teaser}
{p2}
Mentions légales
lejournaldufleuve.example"""


@pytest.mark.parametrize("teaser", ["Lire aussi : Niger : la junte suspend un accord",
                                    "À lire aussi - Niger : la junte suspend un accord",
                                    "Read also: Niger : la junte suspend un accord"])
def test_teaser_line_leaves_the_body_for_related_titles(teaser):
    page = PAGE.format(date="Publié le 5 mars 2024", p1=PARA, teaser=teaser, p2=PARA.replace("mardi", "jeudi"))
    art = read_dump(page)
    assert len(art.paragraphs) == 2 and "suspend" not in art.body
    assert art.related_titles == ["Niger : la junte suspend un accord"]


@pytest.mark.parametrize(("line", "published", "updated"), [
    ("Updated 2:12 PM GMT, April 5, 2022", "2022-04-05", "2022-04-05"),
    ("Publié le 5 mars 2024", "2024-03-05", None),
])
def test_updated_only_page_takes_that_day(line, published, updated):
    art = read_dump(PAGE.format(date=line, p1=PARA, teaser="", p2=PARA.replace("mardi", "jeudi")))
    assert (art.published, art.updated) == (published, updated)


@pytest.mark.parametrize("text", [
    "Gunmen killed four villagers near the market on Sunday, residents said.",
    "Police fired tear gas at protesters in the capital.\nThe crowd dispersed after an hour.",
])
def test_a_short_snippet_is_its_own_body(text):
    art = read_dump(text)
    assert art.body == text.replace("\n", "\n\n")


@pytest.mark.parametrize("text", ["Home\nNews\nSport", "12 34 56\n78 90"])
def test_no_sentences_no_article(text):
    from interbellum.errors import NoArticleError

    with pytest.raises(NoArticleError):
        read_dump(text)


def test_a_snippet_cut_before_its_full_stop_is_still_text():
    text = "Two police officers were wounded when a crowd attacked the station in the district town on Friday"
    assert read_dump(text).body == text


def test_a_single_unpunctuated_sentence_is_text_not_a_headline():
    text = ("Protesters blocked the main road into the provincial capital for a second day demanding the "
            "release of detained activists and compensation for burned homes")
    art = read_dump(text)
    assert (art.title, art.body) == (None, text)

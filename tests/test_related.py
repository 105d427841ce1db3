"""Related stories: shared actors and places in one country relate; unrelated coverage gives []; the page's
own related links come first."""

from __future__ import annotations

import pytest

from interbellum.model import Article, Document, Entity, Place, Span, TimeExpr
from interbellum.stories import StoryClusterer
from interbellum.stories.related import related, title_ratio

PLACES = {"Boni": ("ib:boni", "MLI", "town"), "Hombori": ("ib:hombori", "MLI", "town"),
          "Kidal": ("geonames:2455290", "MLI", "town"), "Mali": ("country:MLI", "MLI", "country"),
          "Beledweyne": ("geonames:64460", "SOM", "town"), "Somalia": ("country:SOM", "SOM", "country"),
          "Lima": ("geonames:3936456", "PER", "city"), "Peru": ("country:PER", "PER", "country")}


def make_doc(article_id: str, title: str, body: str, published: str, actors: tuple[str, ...] = (),
             related_titles: tuple[str, ...] = ()) -> Document:
    places = [Place(name, 0.0, 0.0, [Span(name, body.index(name), body.index(name) + len(name))],
                    id=pid, country=iso3, kind=kind)
              for name, (pid, iso3, kind) in PLACES.items() if name in body]
    article = Article(title=title, body=body, id=article_id, published=published, language="en",
                      related_titles=list(related_titles))
    return Document(input=article_id, article=article, places=places,
                    entities=[Entity(a, "armed_group", [Span(a, 0, 1)], id=a) for a in actors],
                    times=[TimeExpr("on Sunday", published, "day", 0, 0)])


BONI = make_doc("boni", "Gunmen kill 20 soldiers at army post in Boni",
                "Gunmen killed 20 soldiers at the army post in Boni in Mali. JNIM claimed it.", "2024-03-04",
                ("jnim", "mli.mil"))
HOMBORI = make_doc("hombori", "Militants kill 18 soldiers at army camp in Hombori",
                   "Militants killed 18 soldiers at the army camp in Hombori in Mali. JNIM claimed it.",
                   "2024-03-11", ("jnim", "mli.mil"))
KIDAL = make_doc("kidal", "Army enters Kidal after rebels withdraw",
                 "The army of Mali entered Kidal after CSP rebels withdrew from the town.", "2024-05-20",
                 ("mli.mil", "csp"))
BELEDWEYNE = make_doc("beledweyne", "Car bomb kills six at checkpoint in Beledweyne",
                      "A car bomb killed six people at a checkpoint in Beledweyne, Somalia. Al-Shabaab claimed it.",
                      "2024-03-18", ("al-shabaab",))
LIMA = make_doc("lima", "Congress approves pension reform after long debate",
                "Lawmakers in Lima, Peru, approved the pension reform after a long debate in congress.",
                "2024-03-20", ("congress-peru",))


@pytest.fixture
def clusterer() -> StoryClusterer:
    c = StoryClusterer()
    for d in (BONI, HOMBORI, KIDAL, BELEDWEYNE, LIMA):
        c.assign(d)
    assert len(c) == 5
    return c


def ids(result: list[tuple[str, float, str]]) -> list[str]:
    return [story for story, _, _ in result]


def test_same_country_and_shared_actors_relate_best_first(clusterer: StoryClusterer) -> None:
    found = related(clusterer, BONI)
    assert ids(found)[:2] == ["s-hombori", "s-kidal"]  # same armed group and army first, then the army
    assert "s-boni" not in ids(found) and "s-beledweyne" not in ids(found)
    story, score, representative = found[0]
    assert 0 < score <= 1 and representative == "hombori"


@pytest.mark.parametrize("item, expected", [("beledweyne", []), ("lima", [])])
def test_unrelated_coverage_gives_nothing(clusterer: StoryClusterer, item: str, expected: list) -> None:
    assert related(clusterer, item) == expected


def test_by_article_id_and_limit(clusterer: StoryClusterer) -> None:
    assert ids(related(clusterer, "hombori", limit=1)) == ["s-boni"]
    with pytest.raises(KeyError):
        related(clusterer, "no-such-article")


def test_the_pages_related_titles_come_first(clusterer: StoryClusterer) -> None:
    page = make_doc("new", "Markets rally in Lima", "Shares rose in Lima, Peru, on Monday.", "2024-03-21",
                    related_titles=("Car bomb kills 6 at checkpoint in Beledweyne",  # a link across the world
                                    "Something nobody wrote"))
    found = related(clusterer, page)
    assert ids(found)[0] == "s-beledweyne" and found[0][1] >= 0.9
    assert "s-lima" in ids(found)  # the same capital and congress still relate, after the link


@pytest.mark.parametrize("a, b, close", [
    ("Car bomb kills six at checkpoint in Beledweyne", "car bomb kills six at checkpoint in beledweyne", True),
    ("Car bomb kills six at checkpoint in Beledweyne", "At checkpoint in Beledweyne, car bomb kills six", True),
    ("Niger junta orders French ambassador to leave", "Niger junta orders police to expel French ambassador", False),
    ("Mali attack", "Gunmen kill 20 soldiers in attack on Mali army post", False),
])
def test_title_ratio(a: str, b: str, close: bool) -> None:
    assert (title_ratio(a.casefold(), b.casefold()) >= 0.85) is close

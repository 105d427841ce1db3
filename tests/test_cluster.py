"""Story clustering: look-alikes stay apart, one happening in two languages comes together, and the index
stays bounded. Documents are built by hand (what the knowledge stage would have linked); one test reads
the stories fixture through the real pipeline."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from interbellum.model import Article, Document, Entity, Place, Span, TimeExpr
from interbellum.stories import DuplicateIndex, StoryClusterer
from interbellum.stories.cluster import PER_KEY, WINDOW_DAYS
from interbellum.stories.features import features_of

TOWNS = {"Boni": ("ib:boni", "MLI", "Mopti"), "Hombori": ("ib:hombori", "MLI", "Mopti"),
         "Mopti": ("admin1:MLI.MOPTI", "MLI", "Mopti"), "Libreville": ("geonames:2399697", "GAB", "Estuaire"),
         "Niamey": ("geonames:2440485", "NER", "Niamey"), "Gao": ("geonames:2457163", "MLI", "Gao")}
COUNTRIES = {"Mali": "MLI", "Niger": "NER", "Gabon": "GAB"}


def make_doc(article_id: str, title: str, body: str, published: str, *, language: str = "en",
             actors: tuple[str, ...] = (), day: str | None = None) -> Document:
    """A Document as the knowledge stage leaves it: actors are KB ids, places found by name in the body."""
    places = []
    for name, (pid, country, admin1) in TOWNS.items():
        if name in body:
            kind = "admin" if pid.startswith("admin1:") else "town"
            places.append(Place(name, 0.0, 0.0, [Span(name, body.index(name), body.index(name) + len(name))],
                                id=pid, country=country, admin1=admin1, kind=kind))
    for name, iso3 in COUNTRIES.items():
        if name in body:
            places.append(Place(name, 0.0, 0.0, [Span(name, body.index(name), body.index(name) + len(name))],
                                id=f"country:{iso3}", country=iso3, kind="country"))
    entities = [Entity(a, "armed_group", [Span(a, 0, 1)], id=a) for a in actors]
    said = next((w for w in ("on Sunday", "on Saturday", "dimanche") if w in body), "")
    at = body.find(said) if said else 0
    times = [TimeExpr(said, day, "day", at, at + len(said))] if day else []
    article = Article(title=title, body=body, language=language, id=article_id, published=published)
    return Document(input=article_id, article=article, entities=entities, places=places, times=times)


BONI_EN = make_doc("boni-en", "Gunmen kill 20 soldiers in attack on army post in Boni",
                   "Gunmen killed 20 Malian soldiers in an attack on the army post in Boni in Mali on Sunday, "
                   "the army said. JNIM claimed the raid on the post near Gao.",
                   "2024-03-04", actors=("jnim", "mli.mil"), day="2024-03-03")
BONI_FR = make_doc("boni-fr", "Mali : vingt militaires tués à Boni",
                   "Vingt militaires maliens ont été tués dimanche dans l'attaque du poste de Boni, au Mali. "
                   "Le JNIM a revendiqué l'attaque.",
                   "2024-03-04", language="fr", actors=("jnim", "mli.mil"), day="2024-03-03")
BONI_TOLL = make_doc("boni-toll", "Toll from Boni raid rises to 35",
                     "The number of soldiers killed in the attack on the army post in Boni in Mali has risen "
                     "to 35, officials said. JNIM claimed the raid.",
                     "2024-03-06", actors=("jnim", "mli.mil"), day="2024-03-05")
HOMBORI = make_doc("hombori-en", "Gunmen kill 18 soldiers in attack on army camp in Hombori",
                   "Gunmen killed 18 Malian soldiers in an attack on the army camp in Hombori in Mali on "
                   "Saturday, a week after the raid on the post in Boni. JNIM claimed the raid near Gao.",
                   "2024-03-11", actors=("jnim", "mli.mil"), day="2024-03-09")
NIGER_COUP = make_doc("niger-coup", "Soldiers say they have seized power and dissolved the government",
                      "Soldiers said on national television that they had seized power in Niger, closed the "
                      "borders and dissolved the government in Niamey.", "2023-07-27",
                      actors=("presidential-guard",), day="2023-07-26")
GABON_COUP = make_doc("gabon-coup", "Soldiers say they have seized power and dissolved the government",
                      "Soldiers said on national television that they had seized power in Gabon, closed the "
                      "borders and dissolved the government in Libreville.", "2023-07-29",
                      actors=("presidential-guard",), day="2023-07-29")


def run(docs: list[Document], clusterer: StoryClusterer | None = None) -> dict[str, str]:
    clusterer = StoryClusterer() if clusterer is None else clusterer  # an empty one is falsy (len 0)
    return {d.article.id: clusterer.assign(d)[0] for d in docs}


@pytest.mark.parametrize("first, second, same", [
    (BONI_EN, BONI_FR, True),        # one raid, two languages: ids, place and day carry the link
    (BONI_EN, BONI_TOLL, True),      # the toll revised two days later stays in the raid's story
    (BONI_EN, HOMBORI, False),       # another town a week later, however alike the words
    (NIGER_COUP, GABON_COUP, False),  # a coup in Gabon is not the coup in Niger
])
def test_pairs(first: Document, second: Document, same: bool) -> None:
    stories = run([first, second])
    assert (stories[first.article.id] == stories[second.article.id]) is same


def test_story_ids_titles_and_dates() -> None:
    clusterer = StoryClusterer()
    run([BONI_FR, BONI_EN, BONI_TOLL, HOMBORI], clusterer)
    by_id = {s["id"]: s for s in clusterer.stories()}
    boni = by_id["s-boni-fr"]
    assert boni["articles"] == ["boni-fr", "boni-en", "boni-toll"]
    assert (boni["first_seen"], boni["last_seen"]) == ("2024-03-04", "2024-03-06")
    assert boni["title"] == BONI_FR.article.title  # the earliest article's (first on a tie)
    assert by_id["s-hombori-en"]["articles"] == ["hombori-en"]


def test_a_new_story_scores_one_and_a_join_reports_its_score() -> None:
    clusterer = StoryClusterer()
    assert clusterer.assign(BONI_EN) == ("s-boni-en", 1.0)
    story, score = clusterer.assign(BONI_FR)
    assert story == "s-boni-en" and clusterer.threshold <= score < 1.0


def test_syndicated_copy_joins_its_original_and_repeats_are_idempotent() -> None:
    clusterer = StoryClusterer()
    clusterer.assign(BONI_EN)
    copy = make_doc("copy", "Unrelated headline", "Nothing in common here at all.", "2024-05-01")
    assert clusterer.assign(copy, duplicate_of="boni-en") == ("s-boni-en", 1.0)
    assert clusterer.assign(BONI_EN) == ("s-boni-en", 1.0)
    assert len(clusterer) == 1


def test_outside_the_window_opens_a_new_story() -> None:
    later = make_doc("boni-later", BONI_EN.article.title or "", BONI_EN.article.body, "2024-04-20",
                     actors=("jnim", "mli.mil"), day="2024-04-19")
    stories = run([BONI_EN, later])
    assert stories["boni-en"] != stories["boni-later"]
    gap = (features_of(later).event_day or 0) - (features_of(BONI_EN).event_day or 0)
    assert gap > WINDOW_DAYS  # the two event days lie further apart than the window


def test_state_round_trips_through_json() -> None:
    clusterer = StoryClusterer()
    run([BONI_EN, HOMBORI, NIGER_COUP], clusterer)
    restored = StoryClusterer.from_state(json.loads(json.dumps(clusterer.to_state())))
    assert restored.stories() == clusterer.stories()
    for c in (clusterer, restored):
        assert c.assign(BONI_FR)[0] == "s-boni-en"
        assert c.assign(GABON_COUP)[0] == "s-gabon-coup"
    assert restored.to_state() == clusterer.to_state()


def test_candidates_stay_bounded_however_many_stories_share_a_key() -> None:
    clusterer = StoryClusterer()
    for i in range(PER_KEY * 5):  # many distinct stories, all in Mali with JNIM, in the same days
        f = features_of(make_doc(f"a{i}", f"headline number {i} word{i}", f"Body {i} about Mali.", "2024-03-04",
                                 actors=("jnim",), day="2024-03-03"))
        f.title_terms = frozenset({f"word{i}"})
        f.terms = Counter({f"word{i}": 2})
        clusterer.assign_features(f)
    probe = features_of(BONI_EN)
    weeks = (2 * WINDOW_DAYS) // 7 + 2
    keys = len(probe.entities) + len(probe.places) + 4 + 1
    assert len(clusterer.candidates(probe)) <= PER_KEY * weeks * keys
    assert len(clusterer.untimed.get("e:jnim")) <= clusterer.untimed.cap


def test_features_main_place_skips_capitals_and_prefers_the_title() -> None:
    f = features_of(HOMBORI)
    assert f.main_place == "ib:hombori" and f.home == "MLI"
    assert features_of(NIGER_COUP).main_place is None  # Niamey is the capital: the government, not a site
    assert f.event_day is not None and f.numbers == frozenset({18})


def _bcubed_f1(pred: list[str], gold: list[str]) -> float:
    pairs = Counter(zip(pred, gold, strict=True))
    p = sum(pairs[(a, b)] / pred.count(a) for a, b in zip(pred, gold, strict=True)) / len(pred)
    r = sum(pairs[(a, b)] / gold.count(b) for a, b in zip(pred, gold, strict=True)) / len(pred)
    return 2 * p * r / (p + r)


def test_stories_fixture_through_the_pipeline(fixtures) -> None:
    """The 22-article fixture (English and French, look-alikes) read for real, clustered in date order."""
    import interbellum

    folder = fixtures / "stories"
    with (folder / "manifest.tsv").open(encoding="utf-8") as f:
        gold = {row["record"]: row["story"] for row in csv.DictReader(f, delimiter="\t")}
    docs = list(interbellum.read_many([folder / "records.jsonl"], strict=True))
    docs.sort(key=lambda d: d.article.published or "")
    dupes, clusterer = DuplicateIndex(), StoryClusterer()
    pred = []
    for d in docs:
        a = d.article
        pred.append(clusterer.assign(d, duplicate_of=dupes.add(a.id, a.body, a.url, a.published))[0])
    assert _bcubed_f1(pred, [gold[d.input.rsplit("#", 1)[1]] for d in docs]) >= 0.9


@pytest.fixture(scope="module")
def site_days() -> dict[str, Document]:
    """The site-and-days fixture read for real: an army claim in French and a rights group's account in
    English of one operation at one village, each dated by its own statement days apart but naming
    overlapping day ranges; and a raid on the same village two weeks later."""
    import interbellum

    docs = interbellum.read_many([Path(__file__).parent / "fixtures" / "stories" / "site_days.jsonl"], strict=True)
    return {d.input.rsplit("#", 1)[1]: d for d in docs}


@pytest.mark.parametrize("first, second, same", [
    ("1", "2", True),   # one village, overlapping ranges, two languages: one story
    ("1", "3", False),  # the same village on other days: another happening
    ("2", "3", False),
])
def test_one_site_on_overlapping_days(site_days: dict[str, Document], first: str, second: str, same: bool) -> None:
    stories = run([site_days[first], site_days[second]])
    assert (len(set(stories.values())) == 1) is same


def test_site_days_features_and_their_json(site_days: dict[str, Document]) -> None:
    from interbellum.stories.features import features_from_json, features_to_json

    army, rights = features_of(site_days["1"]), features_of(site_days["2"])
    assert army.main_place == rights.main_place == "ib:dinangourou"
    assert army.spans and rights.spans and army.event_day != rights.event_day
    assert features_from_json(json.loads(json.dumps(features_to_json(rights)))) == rights
    old_log = features_to_json(rights)
    del old_log["spans"]  # logs written before spans existed still load
    assert features_from_json(old_log).spans == ()

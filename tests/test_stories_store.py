"""Stories in the store: every article joins a story in its own transaction, copies point at the earliest
copy, the index survives closing the store, and the read API the desk uses (filters, one story, related).

Documents are built by hand, as the knowledge and events stages would leave them, so these run in a
second; the full pipeline is in test_cli_stories.py and test_ingest_restart.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from interbellum import open_store
from interbellum.errors import StoreError
from interbellum.model import Article, Document, Entity, Event, Place, Span, TimeExpr

PLACES = {"Boni": ("ib:boni", "MLI", "town"), "Hombori": ("ib:hombori", "MLI", "town"),
          "Mali": ("country:MLI", "MLI", "country"), "Lima": ("geonames:3936456", "PER", "city"),
          "Peru": ("country:PER", "PER", "country")}
FILLER = ("The attackers came on motorcycles before dawn and burned two trucks before they withdrew towards "
          "the border, a local official said, adding that reinforcements had been sent from the regional "
          "capital and that the road had been closed to traffic for the rest of the day.")


def make_doc(key: str, title: str, lead: str, published: str, *, site: str, actors: tuple[str, ...] = (),
             fatalities: int | None = None, body: str | None = None, url: str | None = None,
             day: str | None = None) -> Document:
    text = body if body is not None else f"{lead}\n\n{FILLER}"
    places = [Place(name, 1.0, 2.0, [Span(name, text.index(name), text.index(name) + len(name))], id=pid,
                    country=iso3, kind=kind) for name, (pid, iso3, kind) in PLACES.items() if name in text]
    town = next((p for p in places if p.kind == "town"), None)
    events = [Event("ASSAULT", lead, actors=[a.upper() for a in actors[:1]], actor_ids=list(actors[:1]),
                    acled_type="Battles / Armed clash", place=town.name if town else None,
                    place_id=town.id if town else None, date=day or published, date_precision="day",
                    fatalities=fatalities)] if fatalities is not None else []
    article = Article(title=title, body=text, language="en", id=key, published=published,
                      url=url or f"https://{site}/{key}", site_domain=site)
    return Document(input=key, article=article, places=places, events=events,
                    entities=[Entity(a.upper(), "armed_group", [Span(a, 0, 1)], id=a) for a in actors],
                    times=[TimeExpr("on Sunday", published, "day", 0, 0)])


BONI = make_doc("boni1", "Gunmen kill 20 soldiers at army post in Boni",
                "Gunmen killed 20 soldiers at the army post in Boni in Mali on Sunday. JNIM claimed the raid.",
                "2024-03-04", site="wire.example", actors=("jnim", "mli.mil"), fatalities=20)
BONI_COPY = make_doc("boni1-copy", "Gunmen kill 20 soldiers in Boni", BONI.article.body, "2024-03-04",
                     site="courier.example", actors=("jnim", "mli.mil"), fatalities=20,
                     body="By Courier staff\n\n" + BONI.article.body)
BONI_TOLL = make_doc("boni2", "Toll from Boni raid rises to 35",
                     "The toll of the raid on the army post in Boni in Mali has risen to 35, officials said. JNIM "
                     "claimed it.", "2024-03-05", site="ledger.example", actors=("jnim", "mli.mil"), fatalities=35,
                     day="2024-03-04")
LIMA = make_doc("lima", "Peru's Congress passes budget in Lima",
                "Peru's Congress passed a supplementary budget in Lima after an all-night session on Sunday.",
                "2024-03-06", site="andes.example", body="Peru's Congress passed a supplementary budget in Lima "
                "after an all-night session on Sunday. Lawmakers voted 78 to 31 for the bill.")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


def add_all(db: Path, *docs: Document) -> list[str]:
    with open_store(db) as store:
        return [store.add_document(d).status for d in docs]


def assignments(db: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, story_id, duplicate_of FROM articles ORDER BY id").fetchall()


def test_every_article_joins_a_story_and_a_copy_joins_its_original(db: Path) -> None:
    assert add_all(db, BONI, BONI_COPY, BONI_TOLL, LIMA) == ["new"] * 4
    assert assignments(db) == [("boni1", "s-boni1", None), ("boni1-copy", "s-boni1", "boni1"),
                               ("boni2", "s-boni1", None), ("lima", "s-lima", None)]
    with open_store(db, readonly=True) as store:
        story = store.story("s-boni1")
        assert store.story("s-nothing") is None
    assert (story["title"], story["first_seen"], story["last_seen"], story["n_articles"]) == (
        BONI.article.title, "2024-03-04", "2024-03-05", 3)
    assert [a["duplicate_of"] for a in story["articles"]] == [None, "boni1", None]
    assert set(story["articles"][0]) == {"id", "url", "title", "published", "language", "outlet", "duplicate_of"}
    assert story["countries"] == ["MLI"] and story["actors"] == ["JNIM", "MLI.MIL"]
    assert story["event_types"] == ["ASSAULT", "Battles / Armed clash"]
    [event] = story["events"]  # three reports of one raid, the copy voting with its original
    assert [r["article"] for r in event["reports"]] == ["boni1", "boni1-copy", "boni2"]
    assert (event["fatalities"], event["fatalities_range"], event["sources"]) == (35, [20, 35], 2)
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT country, lat, lon, n_reports, fatalities FROM story_events").fetchone()
        linked = conn.execute("SELECT count(*) FROM events WHERE story_event_id IS NOT NULL").fetchone()[0]
    assert row == ("MLI", 1.0, 2.0, 3, 35) and linked == 3


def test_the_same_document_again_changes_nothing(db: Path) -> None:
    add_all(db, BONI, LIMA)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*), max(seq) FROM story_log").fetchone()
    assert add_all(db, BONI, LIMA) == ["duplicate", "duplicate"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), max(seq) FROM story_log").fetchone() == before == (2, 2)


@pytest.mark.parametrize("split", [1, 2, 3])
def test_reopening_the_store_continues_the_same_stories(tmp_path: Path, split: int) -> None:
    docs = [BONI, BONI_COPY, BONI_TOLL, LIMA]
    add_all(tmp_path / "clean.db", *docs)
    add_all(tmp_path / "split.db", *docs[:split])
    add_all(tmp_path / "split.db", *docs[split:])
    assert assignments(tmp_path / "split.db") == assignments(tmp_path / "clean.db")


def test_an_earlier_copy_arriving_late_becomes_the_original(db: Path) -> None:
    early = make_doc("boni0", "Gunmen kill 20 soldiers at Boni post", BONI.article.body, "2024-03-03",
                     site="first.example", actors=("jnim", "mli.mil"), fatalities=20,
                     body=BONI.article.body + "\n\nReporting by the first desk.")
    add_all(db, BONI, BONI_COPY, early)
    assert assignments(db) == [("boni0", "s-boni1", None), ("boni1", "s-boni1", "boni0"),
                               ("boni1-copy", "s-boni1", "boni0")]


def test_a_new_version_keeps_its_story_and_is_refeatured(db: Path) -> None:
    add_all(db, BONI, BONI_TOLL)
    revised = make_doc("boni1", "Gunmen kill 22 soldiers at army post in Boni",
                       "Gunmen killed 22 soldiers at the army post in Boni in Mali on Sunday, the army said.",
                       "2024-03-04", site="wire.example", actors=("jnim", "mli.mil"), fatalities=22)
    assert add_all(db, revised) == ["updated"]
    with open_store(db) as store:
        story = store.story("s-boni1")
        assert story["title"] == revised.article.title and story["n_articles"] == 2
        assert store.add_document(LIMA).status == "new"  # the index rebuilt from the log, refresh included
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT op FROM story_log ORDER BY seq")] == [
            "assign", "assign", "refresh", "assign"]


def test_saving_costs_one_row_per_article_not_the_whole_state(db: Path) -> None:
    add_all(db, BONI, BONI_COPY, BONI_TOLL, LIMA)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM story_log").fetchone()[0] == 4
        assert conn.execute("SELECT max(length(value)) FROM story_state").fetchone()[0] < 100


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["s-lima", "s-boni1"]),
    ({"country": "mli"}, ["s-boni1"]),
    ({"country": "PER"}, ["s-lima"]),
    ({"actor": "JNIM"}, ["s-boni1"]),
    ({"actor": "jnim"}, ["s-boni1"]),
    ({"event_type": "ASSAULT"}, ["s-boni1"]),
    ({"event_type": "Battles"}, ["s-boni1"]),
    ({"event_type": "PROTEST"}, []),
    ({"q": "budget"}, ["s-lima"]),
    ({"q": "Boni toll"}, ["s-boni1"]),
])
def test_story_filters_and_counts(db: Path, filters: dict[str, str], expected: list[str]) -> None:
    add_all(db, BONI, BONI_TOLL, LIMA)
    with open_store(db, readonly=True) as store:
        assert [s["id"] for s in store.stories(**filters)] == expected
        assert store.story_count(**filters) == len(expected)
    with open_store(db, readonly=True) as store:
        assert [s["id"] for s in store.stories(limit=1, offset=1)] == ["s-boni1"]


def test_related_stories_never_the_own_story_and_empty_when_unrelated(db: Path) -> None:
    hombori = make_doc("hombori", "Militants kill 18 soldiers at army camp in Hombori",
                       "Militants killed 18 soldiers at the army camp in Hombori in Mali on Sunday. JNIM claimed it.",
                       "2024-03-12", site="wire.example", actors=("jnim", "mli.mil"), fatalities=18)
    add_all(db, BONI, BONI_TOLL, LIMA, hombori)
    with open_store(db, readonly=True) as store:
        [hit] = store.related("boni2")
        assert hit["story"] == "s-hombori" and hit["article"] == "hombori" and 0 < hit["score"] <= 1
        assert hit["url"] == "https://wire.example/hombori" and hit["title"] == hombori.article.title
        assert store.related("lima") == []
        with pytest.raises(StoreError, match="no article 'nope'"):
            store.related("nope")


def test_a_reader_sees_what_a_writer_adds_after_it_opened(db: Path) -> None:
    add_all(db, BONI, LIMA)
    with open_store(db, readonly=True) as reader:
        assert reader.related("boni1") == []
        add_all(db, make_doc("hombori", "Militants kill 18 soldiers in Hombori",
                             "Militants killed 18 soldiers in Hombori in Mali on Sunday. JNIM claimed it.",
                             "2024-03-12", site="wire.example", actors=("jnim", "mli.mil"), fatalities=18))
        assert [r["story"] for r in reader.related("boni1")] == ["s-hombori"]


def test_a_page_linking_a_story_as_related_does_not_join_it(db: Path) -> None:
    """An outlet's related-stories box names other stories: the page stays apart from what it links."""
    follow = make_doc("boni-follow", "Army sends reinforcements to Boni after raid",
                      "The army sent reinforcements to the post in Boni in Mali on Sunday after the raid. JNIM "
                      "claimed the raid.", "2024-03-04", site="ledger.example", actors=("jnim", "mli.mil"))
    add_all(db, BONI, follow)
    assert assignments(db)[1][1] == "s-boni1"  # without the link, one story
    linked = make_doc("boni-follow2", "Reinforcements reach Boni after the raid",
                      "Reinforcements reached the post in Boni in Mali on Sunday after the raid, JNIM having "
                      "claimed it.", "2024-03-04", site="sahel.example", actors=("jnim", "mli.mil"))
    linked.article.related_titles = [BONI.article.title]
    add_all(db, linked)
    with open_store(db, readonly=True) as store:
        assert store.story("s-boni-follow2") is not None
        assert [r["story"] for r in store.related("boni-follow2")][0] == "s-boni1"


def test_two_acts_of_one_sentence_stay_two_story_events(db: Path) -> None:
    # "Police fired tear gas at marchers and arrested twelve": one sentence, two acts, two rows and links
    doc = make_doc("lima2", "Police disperse march in Lima", "Police fired tear gas at marchers in Lima and "
                   "arrested twelve of them on Sunday.", "2024-03-07", site="andes.example", actors=("pnp",),
                   fatalities=0)
    sentence = doc.events[0].sentence
    doc.events = [Event("ASSAULT", sentence, actors=["PNP"], actor_ids=["pnp"], date="2024-03-07"),
                  Event("COERCE", sentence, actors=["PNP"], actor_ids=["pnp"], acled_type="Strategic developments / "
                        "Arrests", date="2024-03-07")]
    add_all(db, doc)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT type FROM story_events ORDER BY type").fetchall()
        links = conn.execute("SELECT type, story_event_id FROM events ORDER BY type").fetchall()
    assert rows == [("ASSAULT",), ("COERCE",)]
    assert links[0][1] != links[1][1] and None not in (links[0][1], links[1][1])

"""The SQLite store: schema and migrations, refusing files that are not ours, versions, search, round trips."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from interbellum import StoreError, open_store
from interbellum.model import Article, Document, Entity, Event, Evidence, Place, Situation, Span, TimeExpr
from interbellum.reading.meta import article_id
from interbellum.store import migrations, write
from interbellum.store.sqlite import APPLICATION_ID

BODY = ("Gunmen attacked a military post near Ménaka on Sunday, killing seven soldiers, the army said.\n\n"
        "The Islamic State Sahel Province claimed the attack on Monday.")


def make_doc(url: str | None = "https://sahel-ledger.example/2024/03/11/menaka", body: str = BODY,
             title: str = "Soldiers killed near Ménaka") -> Document:
    article = Article(title=title, body=body, language="en", url=url, site_domain="sahel-ledger.example",
                      site_name="Sahel Ledger", published="2024-03-11", published_precision="day",
                      authors=["A. Writer"], related_titles=["Earlier: convoy hit"], extra={"feed": "rss.xml"})
    article.id = article_id(url, body)
    return Document(
        input="menaka.html", article=article,
        entities=[Entity("Islamic State Sahel Province", "armed_group", [_span(body, "Islamic State Sahel Province")],
                         id="isgs", country=None),
                  Entity("Amadou Diallo", "person", [], id=None, country="MLI")],
        places=[Place("Ménaka", 15.9, 2.4, [_span(body, "Ménaka")], id="gn:2453348", country="MLI",
                      admin1="Ménaka", kind="town")],
        times=[TimeExpr("on Sunday", "2024-03-10", "day", 57, 66)],
        events=[Event("attack", body.split("\n\n")[0], actors=["Gunmen"], targets=["military post"],
                      acled_type="Violence against civilians / Attack", place="Ménaka", date="2024-03-10",
                      date_precision="day", fatalities=7, confidence=0.9, start=0, end=90, actor_ids=[None],
                      target_ids=["mli-army"], place_id="gn:2453348")],
        situations=[Situation("ISSP", "fights", "FAMa", start="2024-03-10", ongoing=True,
                              evidence=[Evidence("Gunmen attacked a military post", 0, 31)], claimed_by="army")],
    )


def _span(body: str, text: str) -> Span:
    start = max(body.find(text), 0)
    return Span(text, start, start + len(text))


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "news.db") as s:
        yield s


def test_a_new_store_is_wal_ours_and_at_the_latest_schema(tmp_path: Path):
    path = tmp_path / "news.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["application"] == "interbellum"
    assert meta["schema_version"] == str(migrations.latest_version())
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY version")]
    assert names == [m.name for m in migrations.MIGRATIONS]
    tables = migrations.table_names(conn)
    for table in ("outlets", "articles", "article_versions", "mentions", "entities", "places", "events",
                  "event_reports", "situations", "situation_reports", "stories", "articles_fts"):
        assert table in tables


def test_reopening_applies_nothing_twice(tmp_path: Path):
    path = tmp_path / "news.db"
    open_store(path).close()
    with open_store(path) as s:
        assert s.schema_version == migrations.latest_version()
        assert s.count("_migrations") == migrations.latest_version()


def test_a_new_migration_is_applied_on_open_and_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "news.db"
    with open_store(path) as s:
        s.add_document(make_doc())

    def m999_test_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE articles ADD COLUMN test_note TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS])
    migrations.migration(m999_test_column)
    with open_store(path) as s:
        assert s.schema_version == len(migrations.MIGRATIONS)
        assert s.count("articles") == 1
    monkeypatch.undo()
    # The same file seen by this version again: written by a newer Interbellum, refused.
    with pytest.raises(StoreError, match="newer Interbellum"):
        open_store(path)


def test_a_newer_schema_version_is_refused_without_writing(tmp_path: Path):
    path = tmp_path / "news.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer Interbellum"):
        open_store(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("setup", [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
])
def test_a_sqlite_file_that_is_not_ours_is_refused_untouched(tmp_path: Path, setup: str):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(setup)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an Interbellum store"):
        open_store(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_our_store_with_tables_we_did_not_make_is_refused(tmp_path: Path):
    path = tmp_path / "news.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="did not make.*notes"):
        open_store(path)


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(path)
    assert path.read_bytes() == before


def test_missing_files_and_directories(tmp_path: Path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_add_new_duplicate_updated_and_an_old_copy_again(store):
    doc = make_doc()
    assert store.add_document(doc).status == "new"
    assert store.add_document(make_doc()).status == "duplicate"
    # Spacing and case differences are not a new version.
    assert store.add_document(make_doc(body=BODY.replace(" ", "  ").upper())).status == "duplicate"
    changed = make_doc(body=BODY + "\n\nThe toll rose to nine on Tuesday.")
    result = store.add_document(changed)
    assert (result.status, result.article_id, result.version) == ("updated", doc.article.id, 2)
    assert store.article(doc.article.id).body.endswith("nine on Tuesday.")
    assert [v["version"] for v in store.versions(doc.article.id)] == [1, 2]
    # Reading the first copy again (an older crawl) must not flip the article back.
    assert store.add_document(make_doc()).status == "duplicate"
    assert store.article(doc.article.id).body.endswith("nine on Tuesday.")
    assert store.count("articles") == 1 and store.count("article_versions") == 2


def test_an_update_replaces_the_derived_rows(store):
    store.add_document(make_doc())
    assert store.count("mentions") == 2 and store.count("events") == 1
    changed = make_doc(body=BODY + "\n\nMore.")
    changed.events = []
    store.add_document(changed)
    assert store.count("mentions") == 2  # replaced, not doubled
    assert store.count("events") == 0 and store.count("event_reports") == 0
    assert store.count("situations") == 1 and store.count("situation_reports") == 1


def test_an_article_found_by_canonical_url_when_its_id_moved(store):
    first = store.add_document(make_doc(url="https://www.sahel-ledger.example/a?utm_source=x"))
    moved = make_doc(url="https://sahel-ledger.example/a", body=BODY + "\n\nUpdated.")
    moved.article.id = "a-different-id"
    result = store.add_document(moved)
    assert result.status == "updated" and result.article_id == first.article_id


def test_a_document_comes_back_as_it_went_in(store):
    doc = make_doc()
    store.add_document(doc, stages=["knowledge.v1"])
    back = store.document(doc.article.id)
    expected = doc.to_dict()
    # An entity with no mention in the text leaves no row behind: nothing points at it.
    expected["entities"] = [e for e in expected["entities"] if e["mentions"]]
    assert back.to_dict() == expected
    assert back.article.extra == {"feed": "rss.xml"}
    assert store.document("nope") is None and store.article("nope") is None


def test_event_time_and_record_time_are_apart(store):
    store.add_document(make_doc())
    conn = store._connection()
    date, recorded = conn.execute("SELECT date, recorded_at FROM events").fetchone()
    assert date == "2024-03-10" and recorded.endswith("Z") and recorded[:4] >= "2025"
    report = conn.execute("SELECT e.id = r.event_id, r.fatalities FROM events e JOIN event_reports r").fetchone()
    assert tuple(report) == (1, 7)


def test_outlets_entities_and_places(store):
    store.add_document(make_doc())
    conn = store._connection()
    assert tuple(conn.execute("SELECT domain, name FROM outlets").fetchone()) == ("sahel-ledger.example",
                                                                                  "Sahel Ledger")
    assert tuple(conn.execute("SELECT id, kb_id FROM entities").fetchone()) == ("isgs", "isgs")
    assert tuple(conn.execute("SELECT id, lat FROM places").fetchone()) == ("gn:2453348", 15.9)
    assert write.entity_key(Entity("Amadou  Diallo", "person")) == "~person:amadou diallo"


def test_search_words_phrases_accents_and_stray_syntax(store):
    store.add_document(make_doc())
    store.add_document(make_doc(url="https://other.example/b", title="Talks in Niamey",
                                body="Officials met in Niamey on Monday to discuss the border."))
    assert [h["title"] for h in store.search("menaka soldiers")] == ["Soldiers killed near Ménaka"]
    assert "[military post]" in store.search('"military post"')[0]["snippet"]
    assert store.search('"post military"') == []
    for odd in ('"', "AND", "-army", "NEAR(", "*", ""):
        store.search(odd)  # never an FTS5 syntax error
    assert len(store.search("niamey OR menaka")) == 0  # OR is a word here, not an operator


def test_search_follows_updates(store):
    store.add_document(make_doc())
    store.add_document(make_doc(body="Entirely rewritten: a ceasefire was agreed in Gao."))
    assert store.search("ceasefire") and not store.search("soldiers killing")


def test_articles_listing_and_filters(store):
    store.add_document(make_doc())
    store.add_document(make_doc(url="https://other.example/b", body="Talks in Niamey on Monday."))
    rows = store.articles()
    assert {r["outlet"] for r in rows} == {"sahel-ledger.example"}
    assert set(rows[0]) >= {"id", "url", "title", "published", "language", "outlet", "duplicate_of", "version"}
    assert len(store.articles(since="2024-03-12")) == 0 and len(store.articles(until="2024-03")) == 0
    assert len(store.articles(limit=1)) == 1
    with pytest.raises(StoreError, match="unknown article filter"):
        store.articles(colour="red")


def test_count_refuses_unknown_tables(store):
    assert store.count("articles") == 0
    with pytest.raises(StoreError, match="no table"):
        store.count("articles; DROP TABLE articles")


def test_a_failed_write_leaves_nothing_behind(store, monkeypatch: pytest.MonkeyPatch):
    def boom(*args: object) -> None:
        raise sqlite3.IntegrityError("simulated failure")

    monkeypatch.setattr(write, "insert_events", boom)
    with pytest.raises(StoreError, match="nothing was changed"):
        store.add_document(make_doc())
    monkeypatch.undo()
    for table in ("articles", "article_versions", "mentions", "outlets", "articles_fts"):
        assert store.count(table) == 0, table
    assert store.add_document(make_doc()).status == "new"


def test_readonly_reads_while_a_writer_writes(tmp_path: Path):
    path = tmp_path / "news.db"
    with open_store(path) as writer:
        writer.add_document(make_doc())
        with open_store(path, readonly=True) as reader:
            assert reader.count("articles") == 1
            writer.add_document(make_doc(url="https://other.example/b", body="Talks in Niamey."))
            assert reader.count("articles") == 2
            with pytest.raises(StoreError, match="read-only"):
                reader.add_document(make_doc(url="https://x.example/c", body="c"))


def test_a_closed_store_says_so(tmp_path: Path):
    s = open_store(tmp_path / "news.db")
    s.close()
    s.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        s.count("articles")


def test_a_document_without_an_id_is_refused(store):
    doc = make_doc()
    doc.article.id = None
    with pytest.raises(StoreError, match="no id"):
        store.add_document(doc)


def test_processes_opening_one_new_file_at_once_migrate_it_once(tmp_path: Path):
    import threading

    path, errors = tmp_path / "news.db", []

    def opener() -> None:
        try:
            with open_store(path) as s:
                s.add_document(make_doc())
        except Exception as exc:  # collected: an assert in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(path) as s:
        assert s.count("_migrations") == migrations.latest_version() and s.count("articles") == 1

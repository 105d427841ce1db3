"""The desk's shared related-story index: built once in the background, fallback until then, kept in step."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest
from starlette.testclient import TestClient

from desk_store import DEMO, desk_store
from interbellum import open_store
from interbellum.desk import create_app, queries
from interbellum.desk.app import Reader
from interbellum.desk.common import related_of
from interbellum.desk.related import SharedRelated

ECOWAS_ARTICLE = "31a37d0b5628f555"
NEW_ARTICLE = DEMO / "articles" / "027_nbo_ecowas-exit-announced-2024.html"


def _ro(path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="module")
def articles() -> list[str]:
    with _ro(desk_store()) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]


def test_shared_index_ranks_as_the_store_does(articles):
    shared = SharedRelated(desk_store())
    shared.start()
    assert shared.ready.wait(30) and shared.error is None and shared.build_s is not None
    conn = _ro(desk_store())
    with open_store(desk_store(), readonly=True) as store:
        for article_id in articles:
            assert shared.related(conn, article_id, 5) == store.related(article_id, limit=5)
    assert any(shared.related(conn, a, 5) for a in articles), "the fixture store has related stories"


def test_requests_before_ready_get_the_fallback(monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(SharedRelated, "_build", lambda self: gate.wait(10))  # a build that has not finished
    r = Reader(desk_store())
    assert r.related.related(r.conn(), ECOWAS_ARTICLE) is None
    found = related_of(r, ECOWAS_ARTICLE, 10)
    assert found and found == queries.related_fallback(r.conn(), ECOWAS_ARTICLE, 10)
    gate.set()


def test_a_ranking_that_finds_nothing_stays_empty(monkeypatch):
    # `interbellum related` says [] when nothing is related; the page and the API must say the same,
    # not fall back to stories that merely share a country.
    monkeypatch.setattr(SharedRelated, "related", lambda self, conn, article_id, limit=10: [])
    r = Reader(desk_store())
    assert queries.related_fallback(r.conn(), ECOWAS_ARTICLE, 10), "the fallback would have found some"
    assert related_of(r, ECOWAS_ARTICLE, 10) == []


def test_app_startup_builds_the_index_once():
    with TestClient(create_app(desk_store())) as client:
        shared = client.app.state.reader.related
        assert shared.ready.wait(30)
        first = shared._index
        assert client.get(f"/articles/{ECOWAS_ARTICLE}").status_code == 200
        assert client.get(f"/api/articles/{ECOWAS_ARTICLE}/related").json()["related"]
        assert shared._index is first  # shared by requests, not rebuilt per thread


def test_index_follows_new_log_rows(tmp_path):
    from interbellum.ingest import ingest

    db = tmp_path / "desk.db"
    shutil.copy(desk_store(), db)
    shared = SharedRelated(db)
    shared.start()
    assert shared.ready.wait(30)
    before = shared.log_seq
    with open_store(db) as store:
        outcomes = list(ingest([str(NEW_ARTICLE)], store))
    assert [o.status for o in outcomes] == ["new"], outcomes
    conn = _ro(db)
    new_id = conn.execute("SELECT article_id FROM story_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    found = shared.related(conn, new_id, 5)
    assert shared.log_seq > before and found is not None
    with open_store(db, readonly=True) as store:
        assert found == store.related(new_id, limit=5)

"""The desk's JSON API, in-process (starlette's TestClient over the ASGI app) on the small desk store."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from starlette.testclient import TestClient

from desk_store import desk_store
from interbellum.desk import create_app, queries

CONTRACT_STORY = {"id", "title", "first_seen", "last_seen", "articles", "events"}
CONTRACT_ARTICLE = {"id", "url", "title", "published", "language", "outlet", "duplicate_of"}
CONTRACT_REPORT = {"article", "outlet", "sentence", "claimed_by", "fatalities"}
BARKHANE = "s-0e9203f17936e20a"  # three articles: an English original, its syndicated copy, a French dump
ECOWAS_ARTICLE = "31a37d0b5628f555"
COUP = "s-d98f948dc4dc2457"  # Niger's coup, July 2023 (a story's id is its first article's, prefixed)


@pytest.fixture(scope="module")
def db():
    return desk_store()


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def test_stories_answer_the_contract_shape_paginated(client):
    body = client.get("/api/stories", params={"limit": 2}).json()
    assert set(body) == {"stories", "total", "limit", "offset"}
    stored = sqlite3.connect(client.app.state.reader.path).execute("SELECT count(*) FROM stories").fetchone()[0]
    assert body["total"] == stored >= 4 and body["limit"] == 2 and len(body["stories"]) == 2
    for story in body["stories"]:
        assert set(story) >= CONTRACT_STORY
        assert all(set(a) >= CONTRACT_ARTICLE for a in story["articles"])
        for event in story["events"]:
            assert event["reports"] and all(set(r) >= CONTRACT_REPORT for r in event["reports"])
    last = [s["last_seen"] for s in body["stories"]]
    assert last == sorted(last, reverse=True)
    page2 = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()["stories"]
    assert not {s["id"] for s in page2} & {s["id"] for s in body["stories"]}


@pytest.mark.parametrize(("params", "expected", "check"), [
    ({"country": "NER"}, {COUP}, lambda s: "NER" in s["countries"]),
    ({"country": "ner"}, {COUP}, lambda s: "NER" in s["countries"]),
    ({"event_type": "RETREAT"}, {BARKHANE}, lambda s: "RETREAT" in s["event_types"]),
    ({"q": "Barkhane"}, {BARKHANE}, lambda s: True),
])
def test_story_filters(client, params, expected, check):
    body = client.get("/api/stories", params=params).json()
    found = {s["id"] for s in body["stories"]}
    everything = client.get("/api/stories").json()["total"]
    assert expected <= found and body["total"] == len(found) < everything
    assert all(check(s) for s in body["stories"])


def test_one_story_folds_nothing_away(client):
    story = client.get(f"/api/stories/{BARKHANE}").json()
    assert story["id"] == BARKHANE and len(story["articles"]) == 3
    copies = [a for a in story["articles"] if a["duplicate_of"]]
    assert len(copies) == 1 and copies[0]["duplicate_of"] == "0e9203f17936e20a"
    assert {a["language"] for a in story["articles"]} == {"en", "fr"}


def test_article_and_related(client):
    art = client.get(f"/api/articles/{ECOWAS_ARTICLE}").json()
    assert art["article"]["title"].startswith("West African bloc gives Niger junta")
    assert art["entities"] and art["events"]
    story = client.get(f"/api/stories/{art['story_id']}").json()
    assert ECOWAS_ARTICLE in {a["id"] for a in story["articles"]}
    rel = client.get(f"/api/articles/{ECOWAS_ARTICLE}/related").json()
    assert rel["article"] == ECOWAS_ARTICLE and rel["related"]
    assert {"story", "title", "score", "article", "url"} <= set(rel["related"][0])
    assert all(r["story"] != art["story_id"] for r in rel["related"])
    listed = client.get("/api/articles", params={"language": "fr", "limit": 50}).json()["articles"]
    assert listed and all(a["language"] == "fr" for a in listed)


@pytest.mark.parametrize(("params", "check"), [
    ({"country": "NER"}, lambda e: e["country"] == "NER"),
    ({"type": "RETREAT"}, lambda e: e["type"] == "RETREAT"),
    ({"date_from": "2023-07-27", "date_to": "2023-07-31"}, lambda e: "2023-07-27" <= e["date"][:10] <= "2023-07-31"),
    ({"bbox": "-6,10,16,24"}, lambda e: -6 <= e["lon"] <= 16 and 10 <= e["lat"] <= 24),
    ({"actor": "ner.mil"}, lambda e: "ner.mil" in e["actor_ids"] + e["target_ids"]),
])
def test_event_filters(client, params, check):
    body = client.get("/api/events", params={**params, "limit": 500}).json()
    assert body["events"], params
    assert body["total"] == len(body["events"])
    assert all(check(e) for e in body["events"])


def test_event_pagination(client):
    everything = client.get("/api/events", params={"limit": 500}).json()
    page = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == everything["total"] > 10
    assert [e["id"] for e in page["events"]] == [e["id"] for e in everything["events"][5:10]]


def test_search_actor_place_and_situations(client):
    hits = client.get("/api/search", params={"q": "Bazoum"}).json()
    assert hits["articles"] and any(e["id"] for e in hits["entities"])
    actor = client.get("/api/actors/mli.mil").json()
    assert actor["name"] and actor["events"] and actor["counterparts"]
    place = client.get("/api/places/country:NER").json()
    assert place["is_country"] and place["events"] and all(e["country"] == "NER" for e in place["events"])
    sits = client.get("/api/situations", params={"country": "MLI"}).json()
    assert sits["as_of"] is None and sits["situations"]
    assert all({"subject", "relation", "object", "reports", "contradictions"} <= set(x) for x in sits["situations"])
    barkhane = client.get("/api/situations", params={"actor": "Operation Barkhane"}).json()["situations"]
    assert barkhane and all(x["end"] == "2022-08-15" for x in barkhane)
    later = client.get("/api/situations", params={"actor": "Operation Barkhane", "as_of": "2023-01-01"}).json()
    assert later["as_of"] == "2023-01-01" and later["situations"] == []


@pytest.mark.parametrize("path", [
    "/api/stories/s-nope", "/api/articles/nope", "/api/articles/nope/related", "/api/actors/nope",
    "/api/places/nope", "/api/export/events.xlsx", "/api/nothing-here",
])
def test_unknown_ids_answer_404_in_the_one_error_shape(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"error": {"status": 404, "title": "Not Found", "detail": r.json()["error"]["detail"]}}
    assert r.json()["error"]["detail"]


@pytest.mark.parametrize(("path", "params", "word"), [
    ("/api/stories", {"limit": 0}, "limit"),
    ("/api/stories", {"limit": "ten"}, "limit"),
    ("/api/stories", {"country": "Mali"}, "country"),
    ("/api/events", {"bbox": "1,2"}, "bbox"),
    ("/api/events", {"bbox": "10,0,5,5"}, "bbox"),
    ("/api/events", {"date_from": "July 2023"}, "date_from"),
    ("/api/events", {"offset": -1}, "offset"),
    ("/api/search", {}, "q"),
])
def test_bad_query_parameters_answer_422(client, path, params, word):
    r = client.get(path, params=params)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["status"] == 422 and err["title"] == "Unprocessable Entity" and word in err["detail"]


def test_a_crash_answers_500_in_the_same_shape(db, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(queries, "events", boom)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        r = c.get("/api/events")
    assert r.status_code == 500
    assert r.json()["error"]["status"] == 500 and r.json()["error"]["title"] == "Internal Server Error"
    assert "disk on fire" not in r.text  # no internals leak to the client


def test_openapi_is_served_and_no_cdn_docs(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/events", "/api/articles/{article_id}/related"} <= set(spec["paths"])
    assert client.get("/api/docs").status_code == 404
    assert client.get("/docs").status_code == 404


def test_the_desk_never_writes(db, client):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for path in ("/", f"/stories/{BARKHANE}", f"/articles/{ECOWAS_ARTICLE}", "/map", "/api/stories",
                 "/api/export/events.parquet"):
        assert client.get(path).status_code == 200
    conn = client.app.state.reader.conn()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM stories")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_missing_or_foreign_file_is_refused(tmp_path):
    from interbellum import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError):
        create_app(other)

"""The desk's indexed actor filters give what a scan of every canonical event gives, on the desk's test store."""

from __future__ import annotations

import sqlite3

import pytest

from desk_store import desk_store
from interbellum.desk import queries


@pytest.fixture(scope="module")
def conn():
    c = sqlite3.connect(f"file:{desk_store()}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def _parties(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, name) of every entity some canonical event names as actor or target."""
    rows = conn.execute("SELECT DISTINCT j.value FROM story_events e, json_each(e.data, '$.actor_ids') j UNION "
                        "SELECT DISTINCT j.value FROM story_events e, json_each(e.data, '$.target_ids') j")
    ids = sorted(r[0] for r in rows if r[0])
    names = dict(conn.execute(f"SELECT id, name FROM entities WHERE id IN ({', '.join('?' * len(ids))})", ids))
    return [(i, names.get(i, i)) for i in ids]


def _scan_ids(conn: sqlite3.Connection, where: str, args: dict) -> list[str]:
    return [r[0] for r in conn.execute(f"SELECT e.id FROM story_events e WHERE {where} ORDER BY e.id", args)]


def test_actor_page_finds_every_event_a_scan_finds(conn):
    parties = _parties(conn)
    assert len(parties) >= 5, "the fixture store's events name several linked actors"
    for actor_id, _ in parties:
        found = sorted(e["id"] for e in queries.actor(conn, actor_id)["events"])
        assert found and found == _scan_ids(conn, queries._party_clause(), {"id": actor_id}), actor_id


@pytest.mark.parametrize("by", ["id", "name", "upper name"])
def test_event_actor_filter_finds_what_a_scan_finds(conn, by):
    for actor_id, name in _parties(conn):
        key = {"id": actor_id, "name": name, "upper name": name.upper()}[by]
        f = queries.EventFilter(actor=key)
        found, total = queries.events(conn, f, limit=1000)
        assert queries.entity_ids(conn, key), key
        assert sorted(e["id"] for e in found) == _scan_ids(conn, *f.where(())) and total == len(found), key


def test_a_name_the_knowledge_base_lacks_scans_every_event(conn, monkeypatch):
    actor_id, name = _parties(conn)[0]
    linked, _ = queries.events(conn, queries.EventFilter(actor=name), limit=1000)
    monkeypatch.setattr(queries, "entity_ids", lambda c, a: [])  # as for a name no entity carries
    scanned, total = queries.events(conn, queries.EventFilter(actor=name), limit=1000)
    assert scanned == linked and total == len(scanned) > 0
    assert queries.events(conn, queries.EventFilter(actor="no such actor"), limit=10) == ([], 0)

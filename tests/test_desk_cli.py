"""The desk's commands: serve, demo and the demo corpus they read (the build itself is the browser test's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from desk_store import desk_store
from interbellum.cli import cli
from interbellum.desk import create_app, queries
from interbellum.desk.demo import demo_inputs


def test_the_demo_reads_every_page_and_record_but_not_the_feed():
    inputs = [Path(p) for p in demo_inputs()]
    pages = sorted((Path(demo_inputs()[0]).parent).glob("*.*"))
    assert len(pages) >= 62 and sorted(p for p in inputs if p.parent.name == "articles") == pages
    assert inputs[-1].name == "records.jsonl"
    assert not any(p.suffix == ".xml" for p in inputs)


@pytest.mark.parametrize("args", [["serve"], ["serve", "--db", "missing.db"], ["export", "--db", "missing.db"],
                                  ["serve", "--db", "x.db", "--port", "0"]])
def test_bad_usage_exits_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.db").write_bytes(b"")
    assert CliRunner().invoke(cli, args).exit_code == 2


def test_serve_refuses_a_file_that_is_not_a_store(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello, not sqlite")
    result = CliRunner().invoke(cli, ["serve", "--db", str(bad)])
    assert result.exit_code == 1 and "not" in result.output


@pytest.mark.parametrize("command", ["serve", "demo", "export"])
def test_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--db" in result.output


def test_related_fallback_ranks_other_stories_by_shared_names():
    conn = create_app(desk_store()).state.reader.conn()
    own = conn.execute("SELECT story_id FROM articles WHERE id = '31a37d0b5628f555'").fetchone()[0]
    found = queries.related_fallback(conn, "31a37d0b5628f555", limit=5)
    assert found and all(r["story"] != own for r in found)
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
    if own != "s-d98f948dc4dc2457":  # the coup that the ultimatum answers, when it is a story of its own
        assert found[0]["story"] == "s-d98f948dc4dc2457"


def test_demo_builds_once_and_then_changes_nothing(tmp_path, monkeypatch):
    import interbellum.desk.demo as demo

    two = [p for p in demo_inputs() if Path(p).name.startswith(("014_", "015_"))]
    monkeypatch.setattr(demo, "demo_inputs", lambda: two)
    db = tmp_path / "demo.db"
    first = CliRunner().invoke(cli, ["demo", "--db", str(db), "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "read 2, new 2" in first.output
    again = CliRunner().invoke(cli, ["demo", "--db", str(db), "--no-serve"])
    assert again.exit_code == 0 and "new 0, updated 0, duplicate 2" in again.output
    with TestClient(create_app(db)) as client:
        assert client.get("/api/stories").json()["total"] >= 1

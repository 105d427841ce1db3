"""``interbellum stories`` and ``interbellum related``: the contract's shapes, clean errors, the README kept
true, and the must-show: the seed page's three related headlines, written as our own articles, come back
as its related stories (full pipeline; needs ../shared)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from interbellum import Pipeline, open_store
from interbellum.cli import cli
from interbellum.ingest import IngestSummary, ingest

ROOT = Path(__file__).resolve().parents[1]
SEED_RELATED = Path(__file__).resolve().parent / "fixtures" / "stories" / "seed_related"
STORIES = Path(__file__).resolve().parent / "fixtures" / "stories" / "records.jsonl"
SEED_PUBLISHED = "2025-06-09"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def reading_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stories fixture read without NLP (Pipeline(())): stories from titles, dates and text alone."""
    db = tmp_path_factory.mktemp("cli") / "stories.db"
    with open_store(db) as store:
        summary = IngestSummary.of(ingest([str(STORIES)], store, pipeline=Pipeline(())))
    assert summary.new == 22
    return db


def test_stories_json_has_the_contract_shape(reading_db: Path) -> None:
    code, out, _ = run("stories", "--db", str(reading_db), "--format", "json")
    assert code == 0
    stories = json.loads(out)["stories"]
    assert sum(len(s["articles"]) for s in stories) == 22  # every article in exactly one story
    assert len({a["id"] for s in stories for a in s["articles"]}) == 22
    for s in stories:
        assert {"id", "title", "first_seen", "last_seen", "articles", "events"} <= set(s)
        assert s["first_seen"] <= s["last_seen"]
    seen = [s["last_seen"] for s in stories]
    assert seen == sorted(seen, reverse=True)
    copies = {a["id"]: a["duplicate_of"] for s in stories for a in s["articles"] if a["duplicate_of"]}
    assert len(copies) == 2  # a2 of a1, d3 of d1 (tests/fixtures/stories/README.md)


def test_stories_text_lists_one_line_per_story(reading_db: Path) -> None:
    code, out, _ = run("stories", "--db", str(reading_db), "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3 and out.startswith("s-")


def test_related_json_and_unknown_article(reading_db: Path) -> None:
    with open_store(reading_db, readonly=True) as store:
        article_id = store.articles(limit=1)[0]["id"]
    code, out, _ = run("related", article_id, "--db", str(reading_db), "--format", "json", "--limit", "2")
    assert code == 0
    value = json.loads(out)
    assert value["article"] == article_id and len(value["related"]) <= 2
    for item in value["related"]:
        assert set(item) == {"story", "title", "score", "article", "url"}
    code, out, err = run("related", "no-such-article", "--db", str(reading_db))
    assert code == 1 and out == "" and "no article 'no-such-article'" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["stories"], ["related", "x"]])
def test_a_missing_or_foreign_db_is_a_clean_error(tmp_path: Path, command: list[str]) -> None:
    code, _, err = run(*command, "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "no store at" in err and "Traceback" not in err
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("not a database at all, just some text " * 20)
    code, _, err = run(*command, "--db", str(foreign))
    assert code == 1 and "not a SQLite database" in err


@pytest.mark.parametrize("command", ["stories", "related"])
def test_readme_documents_the_commands_as_they_are(command: str) -> None:
    """Every option the README's usage line for the command names exists in --help, and vice versa."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    usage = re.search(rf"^interbellum {command} [^\n]*$", readme, re.MULTILINE)
    assert usage, f"README has no usage line for `interbellum {command}`"
    _, help_text, _ = run(command, "--help")
    documented = set(re.findall(r"--[a-z-]+", usage.group()))
    offered = set(re.findall(r"--[a-z-]+", help_text)) - {"--help"}
    assert documented == offered


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, dict[str, str]]:
    """The seed page and our articles on its three related stories and on two unrelated subjects."""
    from conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    ids: dict[str, str] = {}
    with open_store(db) as store:
        pipe = pipeline
        for spec in (SEED_RELATED / "related.jsonl", SEED_RELATED / "unrelated.jsonl"):
            for o in ingest([str(spec)], store, pipeline=pipe, strict=True):
                ids[f"{spec.stem}#{o.input.rsplit('#', 1)[1]}"] = o.article_id
        [seed] = list(ingest([str(next((SHARED / "seed").glob("000_*.txt")))], store, pipeline=pipe,
                             published=SEED_PUBLISHED, strict=True))
        ids["seed"] = seed.article_id
    assert all(ids.values()) and len(ids) == 6
    return db, ids


def test_the_seed_pages_related_stories_are_found(shared: Path, seed_db: tuple[Path, dict[str, str]]) -> None:
    db, ids = seed_db
    code, out, _ = run("related", ids["seed"], "--db", str(db), "--format", "json")
    assert code == 0
    found = {item["article"] for item in json.loads(out)["related"]}
    assert {ids["related#1"], ids["related#2"], ids["related#3"]} <= found
    assert not {ids["unrelated#1"], ids["unrelated#2"]} & found
    # and from the other side: the Wagner article finds the seed's story by what they share
    code, out, _ = run("related", ids["related#1"], "--db", str(db), "--format", "json")
    assert ids["seed"] in {item["article"] for item in json.loads(out)["related"]}


def test_a_store_of_unrelated_articles_gives_no_related_stories(tmp_path_factory: pytest.TempPathFactory,
                                                                pipeline: Pipeline) -> None:
    db = tmp_path_factory.mktemp("unrelated") / "unrelated.db"
    with open_store(db) as store:
        outcomes = list(ingest([str(SEED_RELATED / "unrelated.jsonl")], store, pipeline=pipeline, strict=True))
    for o in outcomes:
        code, out, _ = run("related", o.article_id, "--db", str(db), "--format", "json")
        assert code == 0 and json.loads(out) == {"article": o.article_id, "related": []}

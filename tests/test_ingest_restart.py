"""Ingest through the full default pipeline, killed with SIGKILL midway and run again.

One committed transaction per article means the rerun stores exactly what a clean run stores: the same
articles, events and mentions, nothing twice. Two ``interbellum ingest`` processes (~5 s of model
loading each) and one clean run (and a second, all duplicate) in this process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interbellum import open_store
from interbellum.ingest import IngestSummary, ingest

N_ARTICLES = 40
TABLES = ("articles", "article_versions", "pages", "outlets", "entities", "places", "mentions", "times",
          "events", "event_reports", "situations", "situation_reports", "stories", "story_events", "story_log")
TOWNS = [("Menaka", "Mali"), ("Gao", "Mali"), ("Djibo", "Burkina Faso"), ("Tillaberi", "Niger"),
         ("Kidal", "Mali"), ("Dori", "Burkina Faso"), ("Diffa", "Niger"), ("Mopti", "Mali")]


def write_articles(folder: Path) -> Path:
    """Short wire-style text dumps, each different, long enough that ingesting all of them takes seconds."""
    folder.mkdir()
    for i in range(N_ARTICLES):
        town, country = TOWNS[i % len(TOWNS)]
        other, _ = TOWNS[(i + 3) % len(TOWNS)]
        paragraphs = [
            f"Attack near {town} kills {3 + i} soldiers",
            f"{town.upper()}, March {1 + i % 28} - Gunmen attacked an army post near {town} in {country} on "
            f"Sunday, killing {3 + i} soldiers and wounding several others, the army said on Monday.",
            "The attackers arrived on motorcycles and set fire to two vehicles before withdrawing, a local "
            f"official said. Reinforcements were sent from {other}, in what the army called operation {i}.",
            "No group claimed the attack, but fighters linked to al-Qaeda and the Islamic State are active in "
            f"the area around {town}, where the army and its Russian allies have fought them since 2022.",
            f"Residents of {town} said the road to {other} had been cut for a week and that prices of rice and "
            "fuel had doubled. Aid agencies said thousands of people had fled towards the regional capital.",
            f"The government of {country} declared three days of national mourning on Tuesday.",
        ]
        (folder / f"article-{i:02d}.txt").write_text("\n\n".join(paragraphs) + "\n")
    return folder


def counts(db: Path) -> dict[str, int]:
    with open_store(db, readonly=True) as store:
        return {table: store.count(table) for table in TABLES}


def story_rows(db: Path) -> tuple[list[tuple], list[tuple]]:
    """Each article's story and original, and each story's row and merged events, as stored."""
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT id, story_id, duplicate_of FROM articles ORDER BY id").fetchall(),
                conn.execute("SELECT s.id, s.title, s.first_seen, s.last_seen, s.n_articles, s.countries, "
                             "s.actors, s.event_types, group_concat(e.data, '|') FROM stories s "
                             "LEFT JOIN story_events e ON e.story_id = s.id GROUP BY s.id ORDER BY s.id").fetchall())


def stored_articles(db: Path) -> int:
    """Articles committed so far, read while the ingest process writes (WAL lets us)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet, or the schema is still being written


def ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "interbellum.cli", "ingest", str(folder), "--db", str(db)]


def test_kill_9_midway_then_rerun_equals_one_clean_run(tmp_path: Path):
    folder = write_articles(tmp_path / "articles")
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(ingest_command(folder, killed), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while stored_articles(killed) < 10 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {proc.communicate()[1].decode()[-500:]}")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    at_kill = stored_articles(killed)
    assert 10 <= at_kill < N_ARTICLES
    print(f"killed with {at_kill} of {N_ARTICLES} articles stored")

    rerun = subprocess.run(ingest_command(folder, killed), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.strip() == (f"read {N_ARTICLES}, new {N_ARTICLES - at_kill}, updated 0, "
                                    f"duplicate {at_kill}, failed 0")

    clean = tmp_path / "clean.db"
    with open_store(clean) as store:
        summary = IngestSummary.of(ingest([str(folder)], store))
        started = time.monotonic()
        again = IngestSummary.of(ingest([str(folder)], store))
        # Stored pages are skipped before any NLP: a second pass over the folder is near instant.
        assert again.duplicate == N_ARTICLES and time.monotonic() - started < 5
    assert (summary.new, summary.failed) == (N_ARTICLES, 0)
    assert counts(killed) == counts(clean)
    assert story_rows(killed) == story_rows(clean)  # the same stories, not only as many
    assert 1 < counts(clean)["stories"] < N_ARTICLES
    assert counts(clean)["articles"] == N_ARTICLES and counts(clean)["mentions"] > N_ARTICLES
    with sqlite3.connect(killed) as conn:
        assert conn.execute("SELECT count(DISTINCT text_hash), max(version) FROM articles").fetchone() == (
            N_ARTICLES, 1)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')") is not None


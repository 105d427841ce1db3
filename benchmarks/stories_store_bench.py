"""Stories in the store at scale: rebuilding the index from the log, related stories, and storing one article.

    python benchmarks/stories_store_bench.py [--sizes 10000,100000]

For each size N, a store gets N synthetic log rows (stories_bench's synthetic articles, assigned by the
clusterer and logged as ingest logs them; no article text), then:
- ``rebuild_s``: seconds for a read-only Store's first ``StoryIndex`` (replaying the whole log), what a
  desk process pays once, and a writer pays when it opens the store;
- ``related_ms``: mean milliseconds of ``related()`` for 200 stored articles on the built index;
- ``add_ms``: mean milliseconds of ``Store.add_document`` for 100 small hand-built documents, three days
  apart (the whole transaction: rows, duplicates, story, story row and merged events), the index built.
Only measures; nothing here tunes anything.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def build_log(db: Path, size: int, seed: int = 7, per_day: int = 100) -> list[str]:
    """A store whose log holds ``size`` synthetic articles; their ids."""
    from interbellum import open_store
    from interbellum.stories import StoryClusterer
    from interbellum.stories.features import features_to_json
    from stories_bench import _synthetic

    open_store(db).close()
    rng, clusterer, rows = random.Random(seed), StoryClusterer(), []
    days = max(1, size // per_day)
    for i in range(size):
        f = _synthetic(rng, f"old{i}", 738_000 + i * days // size)
        story_id, _ = clusterer.assign_features(f)
        rows.append((f.article_id, "assign", story_id, json.dumps(features_to_json(f)), "[]", "2025-01-01T00:00:00Z"))
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # log rows of articles whose text was never stored
        conn.executemany("INSERT INTO story_log (article_id, op, story_id, features, related_titles, recorded_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.commit()
    finally:
        conn.close()
    return [r[0] for r in rows]


def new_docs(n: int, start_day: int) -> list[Any]:
    from datetime import date

    from interbellum.model import Article, Document, Entity, Event, Place, Span

    rng = random.Random(11)
    out = []
    for i in range(n):
        town = f"Town{rng.randrange(500)}"
        body = (f"Gunmen attacked an army post in {town} on Sunday, killing {rng.randrange(2, 60)} soldiers, officials "
                f"said. Group{rng.randrange(50)} claimed the raid, the {i}th this season, and residents fled.")
        place = Place(town, 1.0, 2.0, [Span(town, body.index(town), body.index(town) + len(town))],
                      id=f"geonames:{town}", country="MLI", kind="town")
        published = date.fromordinal(start_day - 3 * i).isoformat()  # apart, as most new articles are
        event = Event("ASSAULT", body.split(".")[0], actors=["Gunmen"], place=town, place_id=place.id,
                      date=published, date_precision="day", fatalities=rng.randrange(2, 60))
        article = Article(title=f"Attack on army post in {town}", body=body, language="en", id=f"new{i}",
                          published=published, url=f"https://wire.example/new{i}", site_domain="wire.example")
        out.append(Document(input=f"new{i}", article=article, places=[place], events=[event],
                            entities=[Entity("Malian Armed Forces", "military", [Span("army", 0, 1)], id="mli.mil")]))
    return out


def measure(size: int) -> dict[str, Any]:
    from interbellum import open_store
    from interbellum.stories.related import related

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "big.db"
        ids = build_log(db, size)
        with open_store(db, readonly=True) as reader:
            t = time.perf_counter()
            index = reader._stories(reader._connection())
            rebuild = time.perf_counter() - t
            probe = random.Random(3).sample(ids, 200)
            t = time.perf_counter()
            found = sum(len(related(index.clusterer, a)) for a in probe)
            related_ms = (time.perf_counter() - t) * 1000 / len(probe)
        with open_store(db) as writer:
            writer.count("articles")
            writer._stories(writer._connection())  # built once, as an ingest does when it opens the store
            docs = new_docs(101, 738_000 + max(1, size // 100))
            writer.add_document(docs.pop())  # loads what every first article loads (the knowledge base)
            t = time.perf_counter()
            for doc in docs:
                writer.add_document(doc)
            add_ms = (time.perf_counter() - t) * 1000 / len(docs)
        return {"rebuild_s": round(rebuild, 2), "related_ms": round(related_ms, 3),
                "related_found": round(found / len(probe), 2), "add_ms": round(add_ms, 2),
                "db_mb": round(db.stat().st_size / 1e6, 1) if db.exists() else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    out: dict[str, Any] = {str(n): measure(n) for n in sizes}
    first, last = out[str(sizes[0])], out[str(sizes[-1])]
    out["add_ratio"] = round(last["add_ms"] / first["add_ms"], 3)
    out["related_ratio"] = round(last["related_ms"] / first["related_ms"], 3)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

"""Latency of the desk's story and article pages: p50/p95 over a bounded number of requests, in-process.

Two stores: the demo store (built by `interbellum demo --no-serve` into a temporary folder unless --demo
names one), and a store of N synthetic articles (default 100,000) written straight into SQLite — a
realistic shape (3 articles a story, 6 mentions and 2 events an article, 2 canonical events a story,
FTS index, and a ``story_log`` row per article with stories_bench's synthetic features, one feature set a
story, so the article page's related stories are ``Store.related``'s ranking, not the desk's fallback)
with made-up words, never read by the pipeline. Requests go through the ASGI app with starlette's
TestClient (no network). Timing starts once the desk's shared related-story index is ready (its
time-to-ready is reported), each page kind fetched once before timing (warm caches, as a server is).
Besides the story and article pages: the actor page and ``/api/events?actor=`` (their actor filter).

    python benchmarks/desk_latency.py [--demo interbellum-demo.db] [--articles 100000] [--requests 200]
                                      [--synthetic /tmp/synthetic-100k.db]

Not part of the gate: it only measures and prints a JSON summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from interbellum import open_store
from interbellum.desk import create_app
from interbellum.stories.features import features_to_json

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_bench import _synthetic  # noqa: E402 - the benchmarks folder is not a package

WORDS = ["army", "convoy", "attack", "town", "militants", "government", "junta", "troops", "border", "mine", "gold",
         "drone", "camp", "strike", "region", "village", "ministry", "spokesman", "talks", "forces", "withdrawal",
         "base", "civilians"]
N_ENTITIES, N_PLACES = 400, 300
PER_STORY = 3


def synthetic_store(path: Path, n_articles: int, seed: int = 7) -> Path:
    """Write ``n_articles`` articles with stories, mentions, events and canonical events into a new store."""
    rng = random.Random(seed)
    open_store(path).close()  # the schema, by the migrations
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO entities VALUES (?, ?, 'armed_group', 'MLI', ?)",
                     [(f"ent{i}", f"Actor {i}", f"ent{i}") for i in range(N_ENTITIES)])
    conn.executemany("INSERT INTO places VALUES (?, ?, 'MLI', NULL, 'town', ?, ?)",
                     [(f"geo:{i}", f"Place {i}", rng.uniform(10, 25), rng.uniform(-12, 4)) for i in range(N_PLACES)])
    conn.execute("INSERT INTO outlets VALUES ('synthetic.example', 'Synthetic', NULL, NULL, 0)")
    step = PER_STORY * 1700  # whole stories a batch: a story's articles share its features
    for start in range(0, n_articles, step):
        _batch(conn, rng, start, min(start + step, n_articles))
    conn.execute("COMMIT")
    conn.close()
    return path


def _batch(conn, rng: random.Random, lo: int, hi: int) -> None:  # noqa: ANN001 - sqlite3.Connection
    arts, ments, evs, stories, sevs, logs = [], [], [], [], [], []
    features = None
    for i in range(lo, hi):
        sid, day = f"s{i // PER_STORY}", f"20{20 + i * 5 // max(hi, 1) % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        body = " ".join(rng.choice(WORDS) for _ in range(140)) + "."
        ents = [rng.randrange(N_ENTITIES) for _ in range(4)]
        places = [rng.randrange(N_PLACES) for _ in range(2)]
        arts.append((f"a{i}", f"https://synthetic.example/{i}", f"Title {i} " + " ".join(rng.sample(WORDS, 6)),
                     day, body, f"h{i}", sid))
        ments += [(f"a{i}", f"ent{e}", None, f"Actor {e}", k * 20, k * 20 + 8, "entity") for k, e in enumerate(ents)]
        ments += [(f"a{i}", None, f"geo:{p}", f"Place {p}", 100 + k * 20, 108 + k * 20, "place")
                  for k, p in enumerate(places)]
        evs += [(f"e{i}.{k}", f"a{i}", k, "ASSAULT", body[:120], json.dumps([f"Actor {ents[k]}"]),
                 json.dumps([f"ent{ents[k]}"]), f"geo:{places[0]}", day, 0, 120) for k in range(2)]
        if i % PER_STORY == 0:  # the story's articles share one feature set, as copies and rewrites nearly do
            features = _synthetic(rng, f"a{i}", date.fromisoformat(day).toordinal())
        f = dataclasses.replace(features, article_id=f"a{i}")
        logs.append((i + 1, f"a{i}", sid, json.dumps(features_to_json(f))))
        if i % PER_STORY == 0:
            stories.append((sid, arts[-1][2], day, day, f"a{i}", PER_STORY, '["MLI"]',
                            json.dumps([f"Actor {e}" for e in ents]), '["ASSAULT"]'))
            for k in range(2):
                data = {"type": "ASSAULT", "sentence": body[:120], "actors": [f"Actor {ents[k]}"], "targets": [],
                        "actor_ids": [f"ent{ents[k]}"], "target_ids": [], "place": f"Place {places[0]}",
                        "place_id": f"geo:{places[0]}", "date": day, "date_precision": "day", "fatalities": k,
                        "reports": [{"article": f"a{i}", "outlet": "synthetic.example", "sentence": body[:120],
                                     "claimed_by": None, "fatalities": k}]}
                sevs.append((f"se{i}.{k}", sid, "ASSAULT", f"Place {places[0]}", f"geo:{places[0]}", "MLI", day,
                             k, json.dumps(data), json.dumps(data["actors"])))
    conn.executemany("INSERT INTO stories (id, title, first_seen, last_seen, representative, n_articles, countries, "
                     "actors, event_types) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", stories)
    conn.executemany("INSERT INTO articles (id, url, canonical_url, title, published, language, body, text_hash, "
                     "site_domain, fetched_at, story_id) VALUES (?1, ?2, ?2, ?3, ?4, 'en', ?5, ?6, 'synthetic.example', "
                     "'2025-01-01T00:00:00Z', ?7)", arts)
    conn.executemany('INSERT INTO mentions (article_id, entity_id, place_id, text, "start", "end", kind) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", ments)
    conn.executemany('INSERT INTO events (id, article_id, seq, type, sentence, actors, actor_ids, place_id, date, '
                     '"start", "end", recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'2025-01-01\')', evs)
    conn.executemany("INSERT INTO story_events (id, story_id, type, place, place_id, country, date, fatalities, data, "
                     "actors, n_reports, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '2025-01-01')", sevs)
    conn.executemany("INSERT INTO story_log (seq, article_id, op, story_id, features, recorded_at) "
                     "VALUES (?, ?, 'assign', ?, ?, '2025-01-01T00:00:00Z')", logs)


def measure(db: Path, n_requests: int, seed: int = 11) -> dict[str, Any]:
    """p50/p95/max in ms of the story, article and actor pages and ``/api/events?actor=``, over
    ``n_requests`` random ids each, once the related-story index is ready; its time-to-ready in s."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stories = [r[0] for r in conn.execute("SELECT id FROM stories")]
    articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
    actors = [r[0] for r in conn.execute("SELECT DISTINCT entity_id FROM mentions WHERE entity_id IS NOT NULL")]
    conn.close()
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    with TestClient(create_app(db)) as client:
        shared = client.app.state.reader.related
        first = client.get("/articles/" + articles[-1])  # served while the index builds: the fallback, no wait
        out["first_article_while_building_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        assert first.status_code == 200 and shared.ready.wait(600), shared.error
        out["related_index_ready_s"] = round(time.perf_counter() - t0, 2)
        out["related_ranked_share"] = round(sum(bool(client.get(f"/api/articles/{a}/related").json()["related"])
                                                for a in rng.sample(articles, 50)) / 50, 2)
        for name, prefix, ids in (("story", "/stories/", stories), ("article", "/articles/", articles),
                                  ("actor", "/actors/", actors), ("events_by_actor", "/api/events?actor=", actors)):
            client.get(prefix + ids[0])  # warm-up: templates, the thread's connection
            times = []
            for ident in rng.choices(ids, k=n_requests):
                t0 = time.perf_counter()
                r = client.get(prefix + ident)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (prefix + ident, r.status_code)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1),
                         "requests": n_requests}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", type=Path, help="a demo store (built into a temporary folder when omitted)")
    ap.add_argument("--articles", type=int, default=100_000, help="synthetic store size (0: skip it)")
    ap.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    ap.add_argument("--synthetic", type=Path, help="keep the synthetic store at this path, and reuse it if present")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo = args.demo
        if demo is None:
            from interbellum.desk.demo import build_demo

            demo = Path(tmp) / "demo.db"
            build_demo(demo)
        report = {"demo": {"store": str(demo), **measure(demo, args.requests)}}
        if args.articles:
            t0, big = time.perf_counter(), args.synthetic or Path(tmp) / "synthetic.db"
            if not big.exists():
                synthetic_store(big, args.articles)
            built = time.perf_counter() - t0
            report["synthetic"] = {"store": str(big), "articles": args.articles, "build_s": round(built, 1),
                                   **measure(big, args.requests)}
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()

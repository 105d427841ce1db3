"""One related-story index per desk process, built in the background when the app starts.

A read-only Store builds its own story index at first use by replaying the whole ``story_log`` (12.6 s
at 100k articles), and the desk has a Store per worker thread, so each thread's first article page would
pay it. Here the index is built once, in a thread of its own, and shared by all requests under a lock:

    startup ──► build thread: StoryIndex.sync over the whole log ──► ready
    request ──► not ready: None (the caller falls back to stories sharing actors and places)
            └─► ready: sync the log rows committed since (an ingest may be writing), then rank

Only reads: the index is the clusterer's read-only form, fed from the log, never written back.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..store.stories import StoryIndex
from ..store.story_queries import related as ranked_related

log = logging.getLogger(__name__)
# A request waits at most this long for the lock (held by a catch-up after a large ingest) before it
# falls back, so a page never stalls behind a long replay.
LOCK_WAIT_S = 0.5


class SharedRelated:
    """The process's related-story index over one store file: started once, ready once built."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.ready = threading.Event()
        self.error: str | None = None
        self.build_s: float | None = None
        self._index: StoryIndex | None = None
        self._lock = threading.Lock()
        self._started = False
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Build the index in a daemon thread (once; later calls do nothing)."""
        with self._start_lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._build, name="desk-related-index", daemon=True).start()

    def _build(self) -> None:
        t0 = time.perf_counter()
        try:
            conn = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro", uri=True, timeout=30)
            conn.row_factory = sqlite3.Row
            try:
                index = StoryIndex(writable=False)
                index.sync(conn)
            finally:
                conn.close()
        except (sqlite3.Error, ValueError, KeyError) as exc:  # a damaged log: the fallback serves, forever
            self.error = f"{self.path}: the related-story index could not be built ({exc})"
            log.warning(self.error)
            return
        with self._lock:
            self._index = index
        # The index is millions of long-lived objects; left to the collector, every full collection
        # walks them all (a 1.6 s pause in a request at 100k articles). Frozen, they are skipped.
        gc.collect()
        gc.freeze()
        self.build_s = time.perf_counter() - t0
        self.ready.set()
        log.info("related-story index of %s ready in %.1f s (%d log rows)", self.path, self.build_s, index.seq)

    def related(self, conn: sqlite3.Connection, article_id: str, limit: int = 10) -> list[dict[str, Any]] | None:
        """Ranked related stories of a stored article, or None while the index is not ready (or busy)."""
        self.start()
        if not self.ready.is_set() or not self._lock.acquire(timeout=LOCK_WAIT_S):
            return None
        try:
            index = self._index
            assert index is not None
            index.sync(conn)  # one indexed query when nothing is new
            return ranked_related(conn, index, article_id, limit)
        finally:
            self._lock.release()

    @property
    def log_seq(self) -> int:
        """The last log row the index has replayed (0 before it is built)."""
        return self._index.seq if self._index is not None else 0

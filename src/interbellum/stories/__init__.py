"""Stories: duplicates, incremental clustering, related stories and merged events.

    >>> from interbellum.stories import DuplicateIndex, StoryClusterer
    >>> dupes, stories = DuplicateIndex(), StoryClusterer()
    >>> for doc in docs:                                   # in publication order
    ...     original = dupes.add(doc.article.id, doc.article.body, doc.article.url, doc.article.published)
    ...     story_id, score = stories.assign(doc, duplicate_of=original)
    >>> related(stories, doc)                               # [(story id, score, representative id), ...]
    >>> merge_events(story_docs, {doc.article.id: original, ...})   # one dict per happening, with reports

Modules: :mod:`.dedupe` (hash + MinHash LSH), :mod:`.features` (what an article shows the index),
:mod:`.index` (bounded, persistence-neutral state), :mod:`.cluster` (assignment), :mod:`.related`
(ranked related stories), :mod:`.merge` (one canonical event per happening, with all its reports),
:mod:`.embed` (optional MiniLM embeddings; off by default).

State: ``DuplicateIndex.to_state()`` and ``StoryClusterer.to_state()`` are JSON-ready dicts (both
objects also pickle); ``from_state`` rebuilds them. The store keeps a log instead, one row per article,
so that saving costs the same at any size: ``DuplicateIndex.add_entry`` / ``replay(entry)`` and
``StoryClusterer.place(features, story_id)`` (file where ``assign`` decided, without scoring) rebuild
both in the order they were built (:mod:`interbellum.store.stories`).
"""

from __future__ import annotations

from .cluster import StoryClusterer
from .dedupe import DuplicateIndex
from .merge import merge_events
from .related import related

__all__ = ["DuplicateIndex", "StoryClusterer", "merge_events", "related"]

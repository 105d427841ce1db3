"""Duplicates: the same page twice, and one wire story syndicated across outlets.

    add(article) ──► 1. canonical URL seen before            → that article
                 ──► 2. normalised body hash seen before      → that article
                 ──► 3. MinHash LSH on word 5-shingles of the body, estimated Jaccard ≥ THRESHOLD, or the
                        shorter text ≥ CONTAINMENT inside the longer (a copy with paragraphs cut)
                                                             → the earliest of the copies it matches
                 ──► None: an original

Every copy of one text points at the EARLIEST copy (by publication date, then by arrival), so that
the copies count as one source downstream. When a copy published earlier than the group's original
arrives late, it becomes the original: ``add`` returns None for it and ``canonical(old)`` then names it,
so a store can re-point the others (``moved()`` lists them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..reading.meta import canonical_url, normalise_text

SHINGLE_WORDS = 5
NUM_PERM = 128
# Wire copies differ by a credit line, a headline or a trimmed last paragraph: their 5-shingle Jaccard
# stays well above 0.8, while two outlets writing the same event in their own words share few shingles.
THRESHOLD = 0.8
# A copy with a paragraph or two cut holds nearly all its shingles in the original while their Jaccard
# falls to ~0.6: such a pair is a copy when CONTAINMENT of the shorter text reaches 0.9 and it keeps at
# least MIN_SHARE of the longer one (a one-line quote inside a long article is not a copy).
CONTAINMENT, MIN_SHARE = 0.9, 0.5
# LSH bands × rows: a pair at Jaccard 0.8 becomes a candidate with probability ~1.0, one at 0.6 (a
# trimmed copy) with 0.88, one at 0.3 with 0.05; candidates are then confirmed on the full signature.
# datasketch's own choice for a 0.8 threshold (9 × 13) misses a fifth of the pairs at 0.87.
LSH_BANDS = (25, 5)
# Under this many shingles a text is a teaser or a caption: near-duplicate matching would be noise.
MIN_SHINGLES = 12
_WORD = re.compile(r"\w+")
_SEED = 1
_SCHEME = "affine32"  # datasketch 2's default; named so that stored signatures stay readable


@dataclass(frozen=True)
class Entry:
    """One ``add`` as a store logs it: the keys it filed, its signature (uint32 bytes) and its matches."""

    published: str | None
    url_key: str | None
    digest: str
    size: int
    matches: list[str]
    signature: bytes | None

    def to_json(self) -> dict[str, Any]:
        """The JSON part (the signature goes to a BLOB column)."""
        return {"published": self.published, "url": self.url_key, "hash": self.digest, "size": self.size,
                "matches": self.matches}

    @classmethod
    def from_json(cls, d: dict[str, Any], signature: bytes | None) -> Entry:
        return cls(d["published"], d["url"], d["hash"], int(d["size"]), list(d["matches"]), signature)


class DuplicateIndex:
    """Exact and near duplicates among the articles added so far."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold, self.num_perm = threshold, num_perm
        self._lsh = MinHashLSH(num_perm=num_perm, params=LSH_BANDS)
        self._template = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)  # permutations made once, shared
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._sizes: dict[str, int] = {}  # shingle counts, for containment
        self._order: dict[str, tuple[str, int]] = {}  # id → (published or "~", arrival) : sort key
        self._parent: dict[str, str] = {}  # id → id of an earlier-known copy (a union-find forest)
        self._moved: list[str] = []

    def add(self, article_id: str, body: str, url: str | None = None, published: str | None = None) -> str | None:
        """Record an article; the id of the earliest copy it duplicates, or None for an original."""
        return self.add_entry(article_id, body, url, published)[0]

    def add_entry(self, article_id: str, body: str, url: str | None = None,
                  published: str | None = None) -> tuple[str | None, Entry | None]:
        """``add``, and what ``replay`` needs to redo it without the text (None for an id known already).

        A store keeps one entry per article instead of the whole state, so saving costs the same at
        any size, and rebuilds the index by replaying the entries in the order they were made."""
        if article_id in self._order:
            root = self.canonical(article_id)
            return (None if root == article_id else root), None
        # an undated copy sorts after every dated one: the dated copy is likelier the first
        self._order[article_id] = (published or "~", len(self._order))
        matches, url_key, digest = self._exact(article_id, body, url)
        signature, size = self._signature(body)
        if signature is not None:
            if not matches:
                matches = [m for m in self._lsh.query(signature) if self._similar(signature, size, m)]
            self._lsh.insert(article_id, signature)
            self._signatures[article_id], self._sizes[article_id] = signature.hashvalues, size
        for other in matches:
            self._union(article_id, other)
        entry = Entry(published, url_key, digest, size, list(matches),
                      signature.hashvalues.astype("<u4").tobytes() if signature is not None else None)
        root = self.canonical(article_id)
        return (None if root == article_id else root), entry

    def replay(self, article_id: str, entry: Entry) -> None:
        """Redo an ``add_entry`` from its entry: the same state as the first time, given the same order."""
        if article_id in self._order:
            return
        self._order[article_id] = (entry.published or "~", len(self._order))
        if entry.url_key:
            self._by_url.setdefault(entry.url_key, article_id)
        self._by_hash.setdefault(entry.digest, article_id)
        if entry.signature is not None:
            values = np.frombuffer(entry.signature, dtype="<u4").astype(self._template.hashvalues.dtype)
            self._lsh.insert(article_id, MinHash(num_perm=self.num_perm, seed=_SEED, hashvalues=values,
                                                 scheme=_SCHEME))
            self._signatures[article_id], self._sizes[article_id] = values, entry.size
        for other in entry.matches:
            self._union(article_id, other)

    def canonical(self, article_id: str) -> str:
        """The earliest known copy of ``article_id`` (itself for an original or an unknown id)."""
        node = article_id
        while self._parent.get(node, node) != node:
            node = self._parent[node]
        return node

    def moved(self) -> list[str]:
        """Ids of former originals that a later-arriving, earlier-published copy displaced; then clears."""
        out, self._moved = self._moved, []
        return out

    def __len__(self) -> int:
        return len(self._order)

    def _exact(self, article_id: str, body: str, url: str | None) -> tuple[list[str], str | None, str]:
        found = []
        key = canonical_url(url) if url else None
        if key:
            if key in self._by_url:
                found.append(self._by_url[key])
            else:
                self._by_url[key] = article_id
        digest = hashlib.sha1(normalise_text(body).encode("utf-8")).hexdigest()
        if digest in self._by_hash:
            found.append(self._by_hash[digest])
        else:
            self._by_hash[digest] = article_id
        return found, key, digest

    def _signature(self, body: str) -> tuple[MinHash | None, int]:
        words = _WORD.findall(normalise_text(body))
        shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
        if len(shingles) < MIN_SHINGLES:
            return None, len(shingles)
        m = self._template.copy()
        m.clear()
        m.update_batch([s.encode("utf-8") for s in shingles])
        return m, len(shingles)

    def _similar(self, signature: MinHash, size: int, other: str) -> bool:
        """LSH finds likely pairs; the estimate over all permutations confirms them."""
        jaccard = float(np.mean(signature.hashvalues == self._signatures[other]))
        if jaccard >= self.threshold:
            return True
        small, large = sorted((size, self._sizes[other]))
        shared = jaccard * (small + large) / (1 + jaccard)  # |A ∩ B| from J, |A| and |B|
        return small >= MIN_SHARE * large and shared >= CONTAINMENT * small

    def _union(self, a: str, b: str) -> None:
        ra, rb = self.canonical(a), self.canonical(b)
        if ra == rb:
            return
        first, second = sorted((ra, rb), key=self._order.__getitem__)
        self._parent[second] = first
        if second != a:  # an original was displaced by the copy just added
            self._moved.append(second)

    def to_state(self) -> dict[str, Any]:
        """A JSON-ready dict (signatures as hex strings); ``from_state`` rebuilds the LSH from it."""
        return {"version": 1, "threshold": self.threshold, "num_perm": self.num_perm,
                "by_url": self._by_url, "by_hash": self._by_hash, "parent": self._parent,
                "order": {k: list(v) for k, v in self._order.items()}, "sizes": self._sizes,
                "signatures": {k: v.astype("<u8").tobytes().hex() for k, v in self._signatures.items()}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DuplicateIndex:
        d = cls(threshold=state["threshold"], num_perm=state["num_perm"])
        d._by_url, d._by_hash, d._parent = dict(state["by_url"]), dict(state["by_hash"]), dict(state["parent"])
        d._order = {k: (v[0], int(v[1])) for k, v in state["order"].items()}
        d._sizes = {k: int(v) for k, v in state["sizes"].items()}
        for article_id, hexed in state["signatures"].items():
            values = np.frombuffer(bytes.fromhex(hexed), dtype="<u8").astype(np.uint64)
            d._lsh.insert(article_id, MinHash(num_perm=d.num_perm, seed=_SEED, hashvalues=values, scheme=_SCHEME))
            d._signatures[article_id] = values
        return d

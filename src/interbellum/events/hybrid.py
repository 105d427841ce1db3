"""TF-IDF for whether and what, MiniLM for which ACLED type: the "events.classifier.hybrid.v1" classifier.

The event/no-event head and the PLOVER head are those of the TF-IDF classifier (the same cached
model, so the seed page reads as it does with "events.classifier.tfidf.v1"). Only the ACLED head
differs: it reads the TF-IDF row with the sentence's MiniLM embedding appended (``embed.py``), and
only the sentences the event head kept are encoded, in one batch per document. Encoding is what
makes "events.classifier.minilm.v1" slow, and most sentences of an article carry no event.

Why only that head: on CASE 2021 the MiniLM features help most where the wording of an act is new
(an ambush told as "opened fire on a convoy", a shelling as "rockets rained on"), which is the ACLED
head's job; the event head with embeddings took no-event sentences for events on the seed page.

The fitted ACLED head is cached beside the TF-IDF model as ``events-hybrid-<key>.joblib`` (key: the
training data, ``training``/``lexicon``/``embed``/this module's code). The training sentences'
embeddings are cached too (``events-emb-<hash>.npy``, hashing the texts and the encoder settings),
so a code change refits in seconds instead of re-encoding ~4,600 sentences (~60 s on two cores).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from . import embed
from .classify import EventClassifier
from .lexicon import Lexicon, lang_of
from .training import (
    C_ACLED,
    Fitted,
    Head,
    cache_dir,
    fit_head,
    head_rows,
    load_examples,
    training_key,
    write_model,
)

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


@dataclass
class AcledHead:
    """The ACLED head over [TF-IDF row | embedding], and the TF-IDF model's key it was fitted beside
    (its features are that model's featurizer's columns)."""

    head: Head
    base_key: str
    key: str


class HybridClassifier(EventClassifier):
    """``EventClassifier`` whose ACLED head also reads sentence embeddings of event sentences."""

    _hybrid: HybridClassifier | None = None

    def __init__(self, fitted: Fitted, lexicon: Lexicon, acled: AcledHead) -> None:
        super().__init__(fitted, lexicon)
        self.acled = acled
        self._acled_classes = list(acled.head.classes_)

    @classmethod
    def load(cls) -> HybridClassifier:
        """The hybrid classifier, loaded (or fitted) once per process."""
        with _LOCK:
            if cls._hybrid is None:
                embed.encoder()  # a missing extra fails here, before anything is fitted
                lexicon = Lexicon.load()
                fitted = EventClassifier.default().fitted
                cls._hybrid = cls(fitted, lexicon, load_or_fit_acled(fitted, lexicon))
            return cls._hybrid

    def _acled_proba(self, X: Any, texts: list[str]) -> Any:
        return self.acled.head.predict_proba(with_embeddings(X, embed.encode(texts)))


def with_embeddings(X: Any, vectors: Any) -> Any:
    """The TF-IDF rows with ``embed.WEIGHT`` × the embeddings appended."""
    from scipy.sparse import csr_matrix, hstack

    return hstack([X, csr_matrix(embed.WEIGHT * vectors)]).tocsr()


def load_or_fit_acled(fitted: Fitted, lexicon: Lexicon) -> AcledHead:
    """The cached hybrid ACLED head for the current training data, fitted and written first when
    missing or when it was fitted beside another TF-IDF model."""
    import joblib

    key = training_key((embed.__file__, __file__))
    path = cache_dir() / f"events-hybrid-{key}.joblib"
    if path.is_file():
        try:
            head = joblib.load(path)
            if isinstance(head, AcledHead) and head.key == key and head.base_key == fitted.key:
                return head
        except Exception:  # a truncated or foreign file: refit and overwrite it
            log.warning("unreadable event model cache %s; refitting", path, exc_info=True)
    head = fit_acled(fitted, lexicon, key)
    try:
        write_model(path, head)  # type: ignore[arg-type]  (any picklable model)
    except ConfigError as exc:  # a read-only home: the model still works, it is refitted next time
        log.warning("%s", exc)
    return head


def fit_acled(fitted: Fitted, lexicon: Lexicon, key: str = "") -> AcledHead:
    """Fit the ACLED head on the TF-IDF rows (the fitted featurizer's) and embeddings of the training
    sentences that carry an event, with the C of the TF-IDF classifier's ACLED head. Only those: the
    head only ever sees sentences the event head kept, so "none" is learnt from acts with no ACLED
    type (an accusation, a visit), not from background sentences (5-fold CV on the training
    sentences, ACLED weighted F1 on event sentences: 0.923 trained on all, 0.926 on these)."""
    examples = load_examples()
    texts = [ex.text for ex in examples]
    X = fitted.featurizer.transform(texts, [lang_of(ex.lang) for ex in examples], lexicon)
    X = with_embeddings(X, training_embeddings(texts))
    events = [i for i, ex in enumerate(examples) if ex.events]
    _, _, a_idx, a_lab = head_rows([examples[i] for i in events])
    a_idx = [events[k] for k in a_idx]
    return AcledHead(fit_head(X[a_idx], a_lab, C_ACLED), fitted.key, key)


def training_embeddings(texts: list[str]) -> Any:
    """The embeddings of the training sentences, read from the cache when the same texts were
    encoded with the same settings before."""
    import numpy as np

    h = hashlib.sha256(f"{embed.MODEL_PACKAGE} {embed.MAX_TOKENS}".encode())
    for text in texts:
        h.update(text.encode() + b"\0")
    path = cache_dir() / f"events-emb-{h.hexdigest()[:16]}.npy"
    if path.is_file():
        try:
            vectors = np.load(path)
            if vectors.shape[0] == len(texts):
                return vectors
        except (OSError, ValueError):
            log.warning("unreadable embedding cache %s; encoding again", path)
    vectors = embed.encode(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("events-emb-*.npy"):  # embeddings of older training data (~5 MB)
            old.unlink(missing_ok=True)
        np.save(path, vectors)
    except OSError as exc:
        log.warning("cannot cache the training embeddings in %s: %s", path.parent, exc)
    return vectors

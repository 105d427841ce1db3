"""The sentence event classifier: which acts a sentence reports, as PLOVER and ACLED types.

    >>> from interbellum.events.classify import EventClassifier
    >>> EventClassifier.default().predict(["Gunmen abducted 14 passengers near Gao."])
    [[EventLabel(plover='ASSAULT', mode='abduct', acled='Violence against civilians / Abduction/...', ...)]]

How a sentence becomes labels (``_decode``):

    1. features: word and character TF-IDF + the trigger lexicon's cues (``training.Featurizer``);
    2. the event head says whether the sentence reports an act at all (under ``EVENT_MIN``: ``[]``);
    3. the PLOVER head ranks the 16 types: the best one, and any other reaching ``SECOND_MIN`` (an
       accusation and the act alleged, a protest and its repression, are two events);
    4. the ACLED head ranks the 25 types and "none": the best one unless it is "none", and any other
       reaching ``ACLED_MIN``. An ACLED type no PLOVER type of step 3 can carry brings its own event
       (the PLOVER type that most often carries it in the training sentences);
    5. each PLOVER type, most probable first, takes the ACLED type that best fits it — the head's
       probability times how often the pair occurs in training — one ACLED type per incident;
    6. the trigger is the first hit of that PLOVER type (preferring one of that ACLED type) of the
       lexicon, else of the training sentences' own triggers; the mode is the hit's, else the most
       frequent mode of the (PLOVER, ACLED) pair in training;
    7. a place taken by force is "Government regains territory" or "Non-state actor overtakes
       territory" by the kind of party that takes it (``_territory_side``): the verbs are shared;
    8. a demonstration's sub-type follows ACLED's order of precedence where words settle it: the crowd's
       own violence makes a riot, lethal force more than an intervention (``demonstrations.py``).

Registered classifiers: "events.classifier.tfidf.v1" (this, the default),
"events.classifier.minilm.v1" (the same with MiniLM sentence embeddings, ``embed.py``) and
"events.classifier.hybrid.v1" (this one's event and PLOVER heads; an ACLED head that also reads
MiniLM embeddings, of event sentences only, ``hybrid.py``); the events stage uses the one
``$INTERBELLUM_EVENT_CLASSIFIER`` names (``predictor``).

The model is trained at first use from the package's sentences and cached (``training``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ..registry import Registry
from . import demonstrations
from .lexicon import Hit, Lexicon, lang_of, stem, tokens
from .training import NONE, PARTIES, WINDOW, Fitted, load_or_fit

classifiers = Registry("event classifier")

# Thresholds on the heads' probabilities; chosen by cross-validation on the training sentences
# (scripts/train_events.py --cv --grid ...), as a set: moving one shifts what the others should be.
# EVENT_MIN trades recall for precision: at 0.5, 99% of event sentences and 70% of no-event sentences
# come out right; at 0.7, 97% and 82%; the ACLED figures barely move.
EVENT_MIN = 0.6
# A second PLOVER type: over the sentences' types, F1 is 0.840 at 0.25 and 0.3, 0.836 at 0.2; at 0.25 a
# second act of a sentence is found 64% of the time (61% at 0.3).
SECOND_MIN = 0.25
# An ACLED type is considered when it is the head's best guess or reaches ACLED_MIN, even under "none":
# "none" gathers every verbal act and no-event sentence, so it is broad and wins by a little too often.
ACLED_MIN = 0.4
# How much the training sentences' (PLOVER, ACLED) pair frequencies weigh against the ACLED head.
PRIOR_POWER = 0.5
_LOCK = threading.Lock()
DEFAULT_CLASSIFIER = "events.classifier.tfidf.v1"
CLASSIFIER_ENV = "INTERBELLUM_EVENT_CLASSIFIER"
_TERRITORY = ("Battles / Government regains territory", "Battles / Non-state actor overtakes territory")
_AGENT_WORDS = frozenset({stem(w, lang) for w in ("by", "to", "par", "aux") for lang in ("en", "fr")})
# "was seized by", "fell to", "tombée aux mains de": the taker comes after the verb
_PASSIVE = frozenset({stem(w, lang) for w in ("was", "were", "been", "being", "fall", "fell", "été", "tomber",
                                               "tombé", "tombée") for lang in ("en", "fr")})


@dataclass
class EventLabel:
    """One act a sentence reports: its PLOVER type and mode, its ACLED type, and its trigger word.

    ``confidence`` is P(event) × P(ACLED type) for an event with an ACLED type, P(event) × P(PLOVER
    type) otherwise (the heads' scaled scores, not calibrated probabilities). ``trigger`` is a (start,
    end) character span in the sentence, or None when no known trigger word was found."""

    plover: str
    mode: str | None
    acled: str | None
    confidence: float
    trigger: tuple[int, int] | None


class EventClassifier:
    """Sentences → the events each reports (an empty list for none)."""

    _defaults: dict[str, EventClassifier] = {}

    def __init__(self, fitted: Fitted, lexicon: Lexicon) -> None:
        self.fitted = fitted
        self.lexicon = lexicon
        self._plover_classes = list(fitted.plover.classes_)
        self._acled_classes = list(fitted.acled.classes_)
        self._totals = {t: sum(c.get(t, 0) for c in fitted.pairs.values()) for t in self._plover_classes}
        self._learned = Lexicon(fitted.triggers)

    @classmethod
    def default(cls, variant: str = "") -> EventClassifier:
        """The classifier trained on the package's sentences: loaded (or fitted) once per process.
        ``variant`` "minilm" is the one with sentence embeddings (``events/embed.py``)."""
        with _LOCK:
            if variant not in cls._defaults:
                lexicon = Lexicon.load()
                if variant:
                    from . import embed

                    fitted = load_or_fit(lexicon, variant, embed.featurizer(variant), embed.code_files())
                else:
                    fitted = load_or_fit(lexicon)
                cls._defaults[variant] = cls(fitted, lexicon)
            return cls._defaults[variant]

    def predict(self, sentences: list[str], language: str = "en") -> list[list[EventLabel]]:
        """The events of each sentence, most confident first; ``[]`` for a sentence with none."""
        if not sentences:
            return []
        lang = lang_of(language)
        X = self.fitted.featurizer.transform(sentences, [lang] * len(sentences), self.lexicon)
        p_event = self.fitted.event.predict_proba(X)[:, 1]
        keep = [i for i, p in enumerate(p_event) if p >= EVENT_MIN]
        out: list[list[EventLabel]] = [[] for _ in sentences]
        if not keep:
            return out
        p_plover = self.fitted.plover.predict_proba(X[keep])
        p_acled = self._acled_proba(X[keep], [sentences[i] for i in keep])
        for k, i in enumerate(keep):
            text = sentences[i]
            plover = dict(zip(self._plover_classes, p_plover[k], strict=True))
            acled = dict(zip(self._acled_classes, p_acled[k], strict=True))
            hits = self.lexicon.find(text, lang) + self._learned.find(text, lang)
            labels = self._decode(float(p_event[i]), plover, acled, hits)
            out[i] = [demonstrations.settle(_territory_side(lab, text, lang, hits), text, lang) for lab in labels]
        return out

    def _acled_proba(self, X: Any, texts: list[str]) -> Any:
        """The ACLED head's probabilities for the rows of the sentences found to carry an event
        (``hybrid.HybridClassifier`` reads them from sentence embeddings as well)."""
        return self.fitted.acled.predict_proba(X)

    def _decode(self, p_event: float, plover: dict[str, float], acled: dict[str, float],
                hits: list[Hit]) -> list[EventLabel]:
        types = _chosen(plover)
        kinds = [a for a in _chosen(acled, ACLED_MIN) if a != NONE]
        for a in kinds:  # step 4: an ACLED type with no PLOVER type to carry it brings one
            carriers = self.fitted.pairs.get(a, {})
            if carriers and not any(t in carriers for t in types):
                types.append(max(carriers, key=lambda t: plover.get(t, 0.0)))
        labels, used = [], set()
        for t in sorted(types, key=lambda t: -plover[t]):
            a = self._fit_acled(t, acled, kinds, used)
            if a != NONE:
                used.add(a)
            kind = None if a == NONE else a
            trigger, mode = self._trigger_and_mode(t, kind, hits)
            conf = p_event * (acled[a] if kind else plover[t])
            labels.append(EventLabel(t, mode, kind, round(float(conf), 4), trigger))
        labels.sort(key=lambda lab: -lab.confidence)
        return labels

    def _fit_acled(self, plover: str, acled: dict[str, float], kinds: list[str], used: set[str]) -> str:
        """The ACLED type (or NONE) among ``kinds`` that best fits a PLOVER type: the head's
        probability times how often the pair occurs in training, tempered by PRIOR_POWER."""
        total = self._totals.get(plover, 0) or 1
        scores = {a: acled[a] * (n / total) ** PRIOR_POWER for a in kinds if a not in used
                  and (n := self.fitted.pairs.get(a, {}).get(plover, 0))}
        return max(scores, key=scores.__getitem__) if scores else NONE

    def _trigger_and_mode(self, plover: str, acled: str | None,
                          hits: list[Hit]) -> tuple[tuple[int, int] | None, str | None]:
        same = [h for h in hits if h.cue.plover == plover]
        exact = [h for h in same if h.cue.acled == acled]
        hit = (exact or same or [None])[0]
        modes = self.fitted.modes
        mode = modes.get(f"{plover}|{acled or NONE}", modes.get(plover))
        if hit is None:
            return None, mode
        if hit.cue.mode and (exact or acled is None):
            mode = hit.cue.mode
        return (hit.start, hit.end), mode


def _territory_side(label: EventLabel, text: str, lang: str, hits: list[Hit]) -> EventLabel:
    """A place taken by force is "Government regains territory" when the taker is a state force and
    "Non-state actor overtakes territory" when it is an armed group: the same verbs ("recaptured",
    "took control of", "a repris") serve both, so the taker decides (data/events/README.md). The taker
    is the party word nearest before the cue, or the first after "by"/"to"/"par" when the verb is
    passive ("was seized by the rebels", "fell to the rebels"); with no party word, the classifier's
    reading stands."""
    if label.acled not in _TERRITORY:
        return label
    cue = next((h for h in hits if h.cue.acled in _TERRITORY), None)
    if cue is None:
        return label
    toks = tokens(text, lang)
    before = [w for w, _, end in toks if end <= cue.start][-2 * WINDOW:]  # "X entered the town on Saturday, retaking"
    after = [w for w, start, _ in toks if start >= cue.end][:WINDOW]
    passive = bool(set(before[-2:]) & _PASSIVE) or stem(cue.cue.lemma.split()[0], lang) in _PASSIVE
    agent = next((after[k + 1:] for k, w in enumerate(after[:4]) if w in _AGENT_WORDS), None)
    words = agent if passive and agent else list(reversed(before))
    kind = next((PARTIES[w] for w in words if PARTIES.get(w) in ("state", "armed")), None)
    wanted = {"state": _TERRITORY[0], "armed": _TERRITORY[1]}.get(kind or "")
    if wanted is None or wanted == label.acled:
        return label
    return EventLabel(label.plover, label.mode, wanted, label.confidence, label.trigger)


def _chosen(probs: dict[str, float], second: float | None = None) -> list[str]:
    """The most probable label, and any other reaching ``second`` (default SECOND_MIN)."""
    floor = SECOND_MIN if second is None else second
    ranked = sorted(probs, key=lambda k: -probs[k])
    return [ranked[0]] + [k for k in ranked[1:] if probs[k] >= floor]


@classifiers.register("events.classifier.tfidf.v1")
def tfidf_v1() -> EventClassifier:
    """TF-IDF + lexicon cues, linear-SVM heads, trained on the package's sentences (the default)."""
    return EventClassifier.default()


@classifiers.register("events.classifier.minilm.v1")
def minilm_v1() -> EventClassifier:
    """The same, with MiniLM sentence embeddings beside the TF-IDF features: better on CASE 2021, but it
    needs the ``embeddings`` extra (torch) and makes extract ~9x slower (``events/embed.py``)."""
    return EventClassifier.default("minilm")


@classifiers.register("events.classifier.hybrid.v1")
def hybrid_v1() -> EventClassifier:
    """TF-IDF event and PLOVER heads; an ACLED head that also reads MiniLM embeddings, run only on the
    sentences found to carry an event (``events/hybrid.py``)."""
    from .hybrid import HybridClassifier

    return HybridClassifier.load()


def predictor(name: str | None = None) -> Any:
    """``predict`` of the classifier registered as ``name``, else as ``$INTERBELLUM_EVENT_CLASSIFIER``,
    else the default TF-IDF one; an unknown name is a ConfigError naming the known ones."""
    import os

    return classifiers.get(name or os.environ.get(CLASSIFIER_ENV) or DEFAULT_CLASSIFIER)().predict


def head_probabilities(sentences: list[str], language: str = "en", top: int = 3) -> list[dict[str, Any]]:
    """Each head's ``top`` classes and probabilities for each sentence (scripts/train_events.py --explain)."""
    clf = EventClassifier.default()
    X = clf.fitted.featurizer.transform(sentences, [lang_of(language)] * len(sentences), clf.lexicon)
    heads = {"event": clf.fitted.event, "plover": clf.fitted.plover, "acled": clf.fitted.acled}
    probs = {name: head.predict_proba(X) for name, head in heads.items()}
    return [{name: sorted(((c, round(float(p), 3)) for c, p in zip(heads[name].classes_, probs[name][i],
                                                                  strict=True)), key=lambda cp: -cp[1])[:top]
             for name in heads} for i in range(len(sentences))]

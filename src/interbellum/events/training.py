"""Training the sentence event classifier from the package's own sentences, at first use.

The model is trained from the ``TRAINING_FILES`` under ``data/events/`` (``examples*.jsonl``: 4,599
sentences written for the project, data/events/README.md) and nothing else: the package needs no file outside itself, and training takes a few
seconds on two cores, so nothing fitted is shipped. (The 4,500 synthetic PLOVER stories under
``../shared/train`` were tried as extra rows for the PLOVER head, their lead sentences labelled with the
story's type: PLOVER GSR accuracy fell from 0.55 to 0.51, so they are not used.) The fitted model is
cached on disk (``$INTERBELLUM_CACHE``, else ``~/.cache/interbellum``) as ``events-<key>.joblib`` (a
variant such as the MiniLM one of ``embed.py`` as ``events-<variant>-<key>.joblib``), the
key hashing the training files, the lexicon, this module's and the lexicon module's code,
``MODEL_VERSION`` and the scikit-learn version: any edit retrains; an older file is deleted.

Features: TF-IDF of word 1–2-grams and of character 3–5-grams (within words: inflections, French and
English share stems) over the text with its capitalised names masked (``mask_names``), the lexicon's
cues as indicator features ("cue:ASSAULT", "cue:Battles / Armed clash", "cue:ASSAULT/aerial"), and the
kinds of party named either side of each cue ("ctx:L:state": soldiers before "recaptured"). Heads, all
linear SVMs with balanced class weights on the same features (in 5-fold cross-validation they beat
logistic regression by 3–5 points and fit four times faster), their decision values turned into
probabilities by a fixed-scale softmax (``Head``):

    event   event / no event (every sentence);
    plover  the PLOVER type (sentences with events; a sentence with two types is two rows);
    acled   the ACLED type or "none" (every sentence; one row per distinct type).

Label statistics (which ACLED types go with which PLOVER type, the usual mode of each pair) come from
the same sentences and let ``classify`` put the heads' answers together into events.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .lexicon import Cue, Lexicon, lang_of, stem, tokens

log = logging.getLogger(__name__)

# Bump when the model changes in a way the cache key cannot see (it hashes the data and this code).
MODEL_VERSION = 5
NONE = "none"
TRAINING_FILES = ("examples.jsonl", "examples_more.jsonl", "examples_acled.jsonl", "examples_wire_protest.jsonl",
                  "examples_wire_strategic.jsonl", "examples_wire_violence.jsonl", "examples_wire_verbal.jsonl",
                  "examples_wire_changes.jsonl", "examples_wire_battles.jsonl")
_DATA = files("interbellum") / "data" / "events"
# Lexicon indicators weigh less than a TF-IDF row's strongest n-grams: the cue says what a word can
# mean, the n-grams around it say which meaning holds. CUE_WEIGHT and the SVMs' C were chosen together
# by 5-fold cross-validation on the training sentences (scripts/train_events.py --cv: ACLED weighted F1
# 0.836 at 0.5, 0.858 at 0.3, 0.866 at 0.2), never on a benchmark.
CUE_WEIGHT = 0.2
C_EVENT, C_PLOVER, C_ACLED = 0.5, 0.5, 0.5
# Words naming a kind of participant, English and French, looked for within WINDOW tokens of a cue.
WINDOW = 8
MAX_TRIGGER_WORDS = 4
_PARTY_WORDS = {
    "state": "army armies soldier troop military police policeman policemen officer government gendarme "
             "gendarmerie navy marine commando loyalist pro-government security armée soldat militaire "
             "policier fama fds junta jawan personnel constable saf fardc endf idf tatmadaw crpf bsf",
    "armed": "rebel militant insurgent jihadist fighter gunman gunmen militia militiaman militiamen "
             "terrorist bandit extremist separatist guerrilla maoist naxal taliban shabaab isis "
             "gang cartel pirate tribesmen assailant attacker rebelle djihadiste terroriste combattant "
             "assaillant cadre miscreant dissident rsf m23 houthi fano iswap sdf hts adf codeco jnim",
    "civilian": "civilian villager resident farmer student worshipper passenger women woman child "
                "children trader journalist teacher people family families pilgrim shopkeeper worker "
                "herder displaced refugee doctor priest elder civil villageois habitant femme enfant "
                "eleve commercant passager fidele population",
    "crowd": "protester demonstrator marcher rioter crowd mob manifestant foule",
}
PARTIES = {stem(w, lang): party for party, words in _PARTY_WORDS.items() for w in words.split()
           for lang in ("en", "fr")}
# Decision values of the SVMs lie around [-1.5, 1.5]; times SCALE they behave like log-odds.
SCALE = 4.0


@dataclass
class Example:
    text: str
    lang: str
    events: list[dict[str, Any]]


def load_examples() -> list[Example]:
    """Every training sentence shipped with the package."""
    out = []
    for name in TRAINING_FILES:
        path = _DATA / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as fh:
            out += [Example(d["text"], d["lang"], d["events"]) for d in map(json.loads, fh) if d]
    return out


def training_key(extra: tuple[str, ...] = ()) -> str:
    """What the model is fitted from: any change names a new cache file. The featurizer's code is part
    of it (this module and the lexicon's, and any file in ``extra``), since a pickled featurizer runs
    the code of the day."""
    import sklearn

    from . import lexicon

    h = hashlib.sha256(f"events v{MODEL_VERSION} sklearn {sklearn.__version__}".encode())
    for name in (*TRAINING_FILES, "triggers.tsv"):
        path = _DATA / name
        h.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    for module in (__file__, lexicon.__file__, *extra):
        h.update(Path(module).read_bytes())
    return h.hexdigest()[:16]


def cue_features(texts: list[str], langs: list[str], lexicon: Lexicon) -> list[dict[str, float]]:
    """The lexicon's cues found in each text, and who stands either side of them, as indicators.

    "Who" is the kind of participant a word names (``PARTIES``): the army retaking a town and rebels
    seizing one, an ambush on a patrol and one on a bus, differ in these words and their order."""
    out = []
    for text, lang in zip(texts, langs, strict=True):
        feats: dict[str, float] = {}
        toks = tokens(text, lang)
        for hit in lexicon.find(text, lang):
            c = hit.cue
            for name in (c.plover, f"{c.plover}/{c.mode}", c.acled, f"lemma:{c.lemma}"):
                if name and not name.endswith("/None"):
                    feats[f"cue:{name}"] = CUE_WEIGHT
            for side, party in _parties_beside(toks, hit.start, hit.end):
                feats[f"ctx:{side}:{party}"] = CUE_WEIGHT
                feats[f"ctx:{c.acled or c.plover}:{side}:{party}"] = CUE_WEIGHT
        out.append(feats)
    return out


def _parties_beside(toks: list[tuple[str, int, int]], start: int, end: int) -> set[tuple[str, str]]:
    """(side, party) for the party words within WINDOW tokens left ("L") and right ("R") of a hit."""
    left = [t[0] for t in toks if t[2] <= start][-WINDOW:]
    right = [t[0] for t in toks if t[1] >= end][:WINDOW]
    return {(side, PARTIES[w]) for side, words in (("L", left), ("R", right)) for w in words if w in PARTIES}


_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’-]*")


def mask_names(text: str) -> str:
    """Capitalised words inside a sentence (places, people, groups) as "Xname": the n-grams learn the
    wording of acts, not the names of the places our sentences happen to mention (5-fold CV ACLED
    weighted F1 0.850 → 0.858). The cues and party words still read the unmasked text."""
    return _NAME.sub("Xname", text)


class Featurizer:
    """Word and character TF-IDF plus lexicon cues, fitted once on the training sentences."""

    def __init__(self) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode",
                                     lowercase=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                     strip_accents="unicode", lowercase=True, min_df=2)
        self.cues = DictVectorizer()

    def fit_transform(self, texts: list[str], langs: list[str], lexicon: Lexicon) -> Any:
        from scipy.sparse import hstack

        masked = [mask_names(t) for t in texts]
        return hstack([self.words.fit_transform(masked), self.chars.fit_transform(masked),
                       self.cues.fit_transform(cue_features(texts, langs, lexicon))]).tocsr()

    def transform(self, texts: list[str], langs: list[str], lexicon: Lexicon) -> Any:
        from scipy.sparse import hstack

        masked = [mask_names(t) for t in texts]
        return hstack([self.words.transform(masked), self.chars.transform(masked),
                       self.cues.transform(cue_features(texts, langs, lexicon))]).tocsr()


class Head:
    """A fitted linear SVM whose decision values read as probabilities (softmax, or a sigmoid for two
    classes). Not calibrated: a ranking with a usable scale, which the thresholds in classify assume."""

    def __init__(self, svm: Any, scale: float = SCALE) -> None:
        self.svm = svm
        self.scale = scale
        self.classes_ = [str(c) for c in svm.classes_]

    def predict_proba(self, X: Any) -> Any:
        import numpy as np

        d = self.svm.decision_function(X) * self.scale
        if d.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-d))
            return np.column_stack([1.0 - p, p])
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)


def fit_head(X: Any, y: list[Any], C: float) -> Head:
    from sklearn.svm import LinearSVC

    # a fixed seed for liblinear's coordinate descent: the same model, and figures, on every machine
    return Head(LinearSVC(C=C, class_weight="balanced", random_state=0).fit(X, y))


@dataclass
class Fitted:
    """A fitted classifier's parts: what the cache file holds."""

    featurizer: Featurizer
    event: Head
    plover: Head
    acled: Head
    # acled type (or NONE) → PLOVER type → count of training events
    pairs: dict[str, dict[str, int]] = field(default_factory=dict)
    # "PLOVER|acled" and "PLOVER" → the most frequent mode (None when most often unstated)
    modes: dict[str, str | None] = field(default_factory=dict)
    # the training sentences' own triggers, as cues: they find trigger spans the lexicon misses
    triggers: list[Cue] = field(default_factory=list)
    key: str = ""


def head_rows(examples: list[Example]) -> tuple[list[int], list[str], list[int], list[str]]:
    """Row indices and labels for the plover and acled heads (one row per distinct label)."""
    p_idx, p_lab, a_idx, a_lab = [], [], [], []
    for i, ex in enumerate(examples):
        for t in dict.fromkeys(ev["plover"] for ev in ex.events):
            p_idx.append(i)
            p_lab.append(t)
        acled = list(dict.fromkeys(ev["acled"] for ev in ex.events if ev["acled"])) or [NONE]
        a_idx += [i] * len(acled)
        a_lab += acled
    return p_idx, p_lab, a_idx, a_lab


def label_stats(examples: list[Example]) -> tuple[dict[str, dict[str, int]], dict[str, str | None]]:
    """Which PLOVER types carry which ACLED type, and the usual mode of each (type, ACLED type)."""
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    modes: dict[str, Counter[str | None]] = defaultdict(Counter)
    for ex in examples:
        for ev in ex.events:
            pairs[ev["acled"] or NONE][ev["plover"]] += 1
            modes[f"{ev['plover']}|{ev['acled'] or NONE}"][ev["mode"]] += 1
            modes[ev["plover"]][ev["mode"]] += 1
    return ({a: dict(c) for a, c in pairs.items()},
            {k: c.most_common(1)[0][0] for k, c in modes.items()})


def example_triggers(examples: list[Example]) -> list[Cue]:
    """Each distinct short trigger of the training events (up to MAX_TRIGGER_WORDS words) as a cue."""
    seen: dict[tuple[str, str, str, str | None], Cue] = {}
    for ex in examples:
        for ev in ex.events:
            if len(ev["trigger"].split()) <= MAX_TRIGGER_WORDS:
                key = (ev["trigger"].lower(), lang_of(ex.lang), ev["plover"], ev["acled"])
                seen.setdefault(key, Cue(ev["trigger"], key[1], ev["plover"], ev["mode"], ev["acled"]))
    return list(seen.values())


def fit(examples: list[Example], lexicon: Lexicon, key: str = "", featurizer: Featurizer | None = None) -> Fitted:
    """Fit the featurizer (a new ``Featurizer`` unless one is given) and the three heads on ``examples``."""
    texts = [ex.text for ex in examples]
    langs = [lang_of(ex.lang) for ex in examples]
    feat = featurizer or Featurizer()
    X = feat.fit_transform(texts, langs, lexicon)
    has_event = [int(bool(ex.events)) for ex in examples]
    p_idx, p_lab, a_idx, a_lab = head_rows(examples)
    event = fit_head(X, has_event, C_EVENT)
    plover = fit_head(X[p_idx], p_lab, C_PLOVER)
    acled = fit_head(X[a_idx], a_lab, C_ACLED)
    pairs, modes = label_stats(examples)
    return Fitted(feat, event, plover, acled, pairs, modes, example_triggers(examples), key)


def cache_dir() -> Path:
    return Path(os.environ.get("INTERBELLUM_CACHE") or Path.home() / ".cache" / "interbellum")


def load_or_fit(lexicon: Lexicon, variant: str = "", featurizer: type[Featurizer] | None = None,
                code: tuple[str, ...] = ()) -> Fitted:
    """The cached model for the current training data, fitted and written first when missing.
    ``variant`` names another kind of model ("minilm": ``events/embed.py``), fitted with its own
    ``featurizer`` class and cached beside the default one; ``code`` are its modules' files."""
    import joblib

    key = training_key(code)
    path = cache_dir() / f"events-{variant + '-' if variant else ''}{key}.joblib"
    if path.is_file():
        try:
            fitted = joblib.load(path)
            if isinstance(fitted, Fitted) and fitted.key == key:
                return fitted
        except Exception:  # a truncated or foreign file: refit and overwrite it
            log.warning("unreadable event model cache %s; refitting", path, exc_info=True)
    fitted = fit(load_examples(), lexicon, key, featurizer() if featurizer else None)
    try:
        write_model(path, fitted)
    except ConfigError as exc:  # a read-only home: the model still works, it is refitted next time
        log.warning("%s", exc)
    return fitted


def write_model(path: Path, fitted: Fitted) -> None:
    """Write atomically (temporary file, then rename), so a concurrent reader never sees half a file."""
    import joblib

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".events-", suffix=".tmp")
    except OSError as exc:
        raise ConfigError(f"cannot write the event model in {path.parent}: {exc}; "
                          "set INTERBELLUM_CACHE to a writable folder") from exc
    os.close(fd)
    try:
        joblib.dump(fitted, tmp, compress=3)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    prefix = path.name[: -len(".joblib") - 16]  # "events-" or "events-minilm-": a variant keeps the others
    for old in path.parent.glob(f"{prefix}*.joblib"):  # models of older training data (~8 MB each)
        if old != path and re.fullmatch(r"[0-9a-f]{16}", old.name[len(prefix): -len(".joblib")]):
            old.unlink(missing_ok=True)

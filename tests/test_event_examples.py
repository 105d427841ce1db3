"""The event coder's own training and rule data (src/interbellum/data/events/) is sound.

The sentences were written for the project; nothing in them may come from the benchmarks, which
measure the coder. The last test is the guard: no training sentence shares a word 8-gram with any
benchmark text under ../shared/bench. Every other training file (``training.TRAINING_FILES``: more
sentences for the classifier, written later, same format) goes through the same checks of shape,
labels, spans, duplicates and the guard; the coverage minimums and README counts are those of
``examples.jsonl``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from interbellum.events.training import TRAINING_FILES

EVENTS = Path(__file__).parents[1] / "src/interbellum/data/events"
EXAMPLES = EVENTS / "examples.jsonl"
TRIGGERS = EVENTS / "triggers.tsv"
ACLED_TYPES = EVENTS / "acled_types.txt"

# PLOVER's 16 event types and the modes its structured codebook defines for each (AGREE, SUPPORT,
# CONCEDE, COOPERATE and AID have none). test_plover_modes_match_codebook keeps this honest.
PLOVER_MODES: dict[str, set[str]] = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "ban", "arrest", "relations", "rights", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize", "restrict", "ban", "censor", "curfew", "arrest", "deport", "withhold",
        "misinformation", "cyber",
    },
    "ASSAULT": {
        "abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy", "primitive",
        "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
        "crowd-control", "cleansing", "massacre", "unconventional",
    },
}  # fmt: skip

EVENT_KEYS = {"plover", "mode", "acled", "trigger", "actor", "target", "negated", "hedged", "claimed_by"}
MIN_PER_ACLED = 40
MIN_PER_PLOVER = 50
MIN_SENTENCES = 1600
MIN_NO_EVENT = 200
MIN_MULTI_EVENT = 100
MIN_TRIGGERS = 300

# What the guard reads under ../shared/bench: every text the benchmarks score us on.
BENCH_GLOBS = [
    "extraction/scrapinghub-flat/*.txt",
    "events/case2021-task2-dev.tsv",
    "events/plover-gsr-cameo.json",
    "geoparsing/*.xml",
    "time/te3-platinum/*",
]
NGRAM = 8
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")


def _acled_lines(path: Path) -> list[str]:
    return [
        ln.strip()
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]


ACLED = set(_acled_lines(ACLED_TYPES))


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    return _read(EXAMPLES)


@pytest.fixture(scope="module", params=[EVENTS / name for name in TRAINING_FILES], ids=lambda p: p.name)
def any_examples(request: pytest.FixtureRequest) -> list[dict]:
    """Each training file in turn, for the checks every file must pass."""
    return _read(request.param)


@pytest.fixture(scope="module")
def triggers() -> list[dict]:
    with TRIGGERS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _events(examples: list[dict]):
    for ex in examples:
        for ev in ex["events"]:
            yield ex, ev


def test_acled_types_shipped() -> None:
    assert len(ACLED) == 25
    assert all(" / " in t for t in ACLED)


def test_acled_types_match_contract(shared: Path) -> None:
    assert _acled_lines(ACLED_TYPES) == _acled_lines(shared / "contracts/acled-types.txt")


def test_plover_modes_match_codebook(shared: Path) -> None:
    codebook: dict[str, set[str]] = {}
    with (shared / "train/plover-synthetic/plover-codebook.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            codebook.setdefault(row["event"], set()).update({row["mode"]} - {""})
    assert codebook == PLOVER_MODES
    schema = json.loads((shared / "contracts/extract.schema.json").read_text(encoding="utf-8"))
    enum = schema["properties"]["events"]["items"]["properties"]["type"]["enum"]
    assert set(enum) == set(PLOVER_MODES)


def test_example_shape(any_examples: list[dict]) -> None:
    for ex in any_examples:
        assert set(ex) == {"text", "lang", "events"}, ex
        assert isinstance(ex["text"], str) and ex["text"] == ex["text"].strip() and ex["text"], ex
        assert ex["lang"] in {"en", "fr"}, ex
        assert isinstance(ex["events"], list), ex
        for ev in ex["events"]:
            assert set(ev) == EVENT_KEYS, (ex["text"], ev)
            assert isinstance(ev["negated"], bool) and isinstance(ev["hedged"], bool), ev
            for key in ("mode", "acled", "actor", "target", "claimed_by"):
                assert ev[key] is None or (isinstance(ev[key], str) and ev[key]), (ex["text"], key)


def test_labels_valid(any_examples: list[dict]) -> None:
    for ex, ev in _events(any_examples):
        assert ev["plover"] in PLOVER_MODES, (ex["text"], ev["plover"])
        assert ev["mode"] is None or ev["mode"] in PLOVER_MODES[ev["plover"]], (ex["text"], ev["mode"])
        assert ev["acled"] is None or ev["acled"] in ACLED, (ex["text"], ev["acled"])


def test_spans_are_in_the_text(any_examples: list[dict]) -> None:
    for ex, ev in _events(any_examples):
        assert ev["trigger"] and ev["trigger"] in ex["text"], (ex["text"], ev["trigger"])
        for key in ("actor", "target", "claimed_by"):
            assert ev[key] is None or ev[key] in ex["text"], (ex["text"], key, ev[key])


def test_no_duplicate_texts(examples: list[dict]) -> None:
    """No sentence twice, within a file or across the training files."""
    every = [ex for name in TRAINING_FILES for ex in _read(EVENTS / name)]
    norm = Counter(" ".join(_WORD.findall(ex["text"].lower())) for ex in every)
    assert [t for t, n in norm.items() if n > 1] == []


def test_coverage(examples: list[dict]) -> None:
    plover = Counter(ev["plover"] for _, ev in _events(examples))
    acled = Counter(ev["acled"] for _, ev in _events(examples) if ev["acled"])
    langs = Counter(ex["lang"] for ex in examples)
    assert len(examples) >= MIN_SENTENCES
    assert {t: plover[t] for t in PLOVER_MODES if plover[t] < MIN_PER_PLOVER} == {}
    assert {t: acled[t] for t in sorted(ACLED) if acled[t] < MIN_PER_ACLED} == {}
    assert sum(not ex["events"] for ex in examples) >= MIN_NO_EVENT
    assert sum(len(ex["events"]) > 1 for ex in examples) >= MIN_MULTI_EVENT
    assert 0.15 <= langs["fr"] / len(examples) <= 0.30, langs
    flags = Counter()
    for _, ev in _events(examples):
        flags.update(k for k in ("negated", "hedged") if ev[k])
        flags.update(["claimed"] if ev["claimed_by"] else [])
    assert min(flags["negated"], flags["hedged"], flags["claimed"]) >= 40, flags


def test_readme_counts_are_current(examples: list[dict]) -> None:
    """The count tables in README.md are what the data holds (rows '| TYPE | n | n_fr |...')."""
    readme = (EVENTS / "README.md").read_text(encoding="utf-8")
    counts = Counter(ev["plover"] for _, ev in _events(examples))
    counts.update(ev["acled"] for _, ev in _events(examples) if ev["acled"])
    rows = dict(re.findall(r"^\| ([A-Z][^|]*?) \| (\d+) \|", readme, flags=re.M))
    for label in [*PLOVER_MODES, *sorted(ACLED)]:
        assert int(rows.get(label, -1)) == counts[label], f"README.md count for {label!r} is stale"


def test_triggers(triggers: list[dict]) -> None:
    assert len(triggers) >= MIN_TRIGGERS
    assert set(triggers[0]) == {"lemma", "lang", "plover", "mode", "acled", "note"}
    seen = set()
    for row in triggers:
        assert row["lemma"] and row["lemma"] == row["lemma"].strip(), row
        assert row["lang"] in {"en", "fr"}, row
        assert row["plover"] in PLOVER_MODES, row
        assert row["mode"] == "" or row["mode"] in PLOVER_MODES[row["plover"]], row
        assert row["acled"] == "" or row["acled"] in ACLED, row
        key = (row["lemma"].lower(), row["lang"], row["plover"], row["mode"])
        assert key not in seen, row
        seen.add(key)
    assert {r["plover"] for r in triggers} == set(PLOVER_MODES)
    assert {r["acled"] for r in triggers} - {""} == ACLED
    assert {r["lang"] for r in triggers} == {"en", "fr"}


def test_no_overlap_with_benchmarks(shared: Path, any_examples: list[dict]) -> None:
    """THE GUARD: no training text shares a lowercased, punctuation-stripped word 8-gram with a bench text.

    Our 8-grams go into a set; the bench files are streamed past it (tags stripped from XML/TML).
    """
    ours: dict[str, str] = {}
    for ex in any_examples:
        words = _WORD.findall(ex["text"].lower())
        for i in range(len(words) - NGRAM + 1):
            ours.setdefault(" ".join(words[i : i + NGRAM]), ex["text"])
    bench = shared / "bench"
    hits: dict[str, str] = {}
    for pattern in BENCH_GLOBS:
        files = sorted(p for p in bench.glob(pattern) if p.is_file())
        assert files, f"no bench files match {pattern}"
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix in {".xml", ".tml"}:
                text = _TAG.sub(" ", text)
            words = _WORD.findall(text.lower())
            for i in range(len(words) - NGRAM + 1):
                gram = " ".join(words[i : i + NGRAM])
                if gram in ours:
                    hits.setdefault(ours[gram], f"{path.relative_to(bench)}: {gram!r}")
    assert hits == {}, "training sentences overlap the benchmarks:\n" + "\n".join(
        f"{text}  <-  {where}" for text, where in hits.items()
    )

"""Situations read from short texts of our own (tests/fixtures/situations/sentences.json): relation, roles,
dates, ongoing — and what must not be read (a negated withdrawal, a place taken for a party)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interbellum.model import RawPage
from interbellum.pipeline import DEFAULT_STAGES, Pipeline
from interbellum.situations.merge import starts_before
from interbellum.situations.rules import RELATIONS, cues

CASES = json.loads((Path(__file__).parent / "fixtures" / "situations" / "sentences.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def _read(pipe: Pipeline, case: dict) -> list[tuple]:
    raw = RawPage(input=case["id"], content=case["text"], kind="text", meta={"language": case["language"]})
    doc = pipe.process(raw, case["published"])
    return [(s.subject, s.relation, s.object, s.start, s.end, s.ongoing) for s in doc.situations]


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_situations_of_a_sentence(pipe: Pipeline, case: dict) -> None:
    got = _read(pipe, case)
    for expected in case["expect"]:
        assert tuple(expected) in got, (expected, got)
    for subject, relation, obj in case["absent"]:
        assert not [g for g in got if g[:3] == (subject, relation, obj)], got


def test_situations_stage_runs_by_default() -> None:
    assert DEFAULT_STAGES[-1] == "situations.v1"


def test_every_relation_has_cues_in_both_languages() -> None:
    for lang in ("en", "fr"):
        assert {c.relation for c in cues() if c.language == lang} == set(RELATIONS)


def test_evidence_offsets_point_into_the_body(pipe: Pipeline) -> None:
    text = "Mali and Niger severed diplomatic ties with Ukraine in August 2024, their governments said."
    doc = pipe.process(RawPage(input="t", content=text, kind="text"), "2024-09-01")
    assert doc.situations
    for s in doc.situations:
        for e in s.evidence:
            assert doc.article.body[e.start:e.end] == e.sentence
        assert s.start == "2024-08" and s.start_precision == "month"
        assert s.end is None and s.end_precision == "unresolved"


def test_unknown_dates_stay_open(pipe: Pipeline) -> None:
    text = "Russian instructors are based in Burkina Faso, the government said."
    doc = pipe.process(RawPage(input="t", content=text, kind="text"), "2024-09-01")
    found = [s for s in doc.situations if s.relation == "present_in"]
    assert found and all(s.start is None and s.start_precision == "unresolved" for s in found)


@pytest.mark.parametrize(("start", "end", "ok"), [("2013", "2022-08", True), ("2022-08", "2022", True),
                                                  ("2022-09", "2022-08", False), ("2023", "2022-12-31", False)])
def test_starts_before_compares_at_the_coarser_precision(start: str, end: str, ok: bool) -> None:
    assert starts_before(start, end) is ok

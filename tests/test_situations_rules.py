"""The general rules of the situation reading, one short text of our own each
(tests/fixtures/situations/rules.json): a pronoun standing for the place just named and one controller
handing a town to the next, "withdrawal of X from <body>" ending a membership, a capital standing for its
state, a deployment still to come read as nothing, a "since" date dating the cue before it, a person
taking power leading the state the knowledge base places them in, and the new English and French cues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interbellum.model import RawPage
from interbellum.pipeline import Pipeline

CASES = json.loads((Path(__file__).parent / "fixtures" / "situations" / "rules.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_situation_rule(pipe: Pipeline, case: dict) -> None:
    raw = RawPage(input=case["id"], content=case["text"], kind="text", meta={"language": case["language"]})
    doc = pipe.process(raw, case["published"])
    got = [(s.subject, s.relation, s.object, s.start, s.end, s.ongoing) for s in doc.situations]
    for expected in case["expect"]:
        assert tuple(expected) in got, (expected, got)
    for subject, relation, obj in case["absent"]:
        assert not [g for g in got if g[:3] == (subject, relation, obj)], got

"""Situation spans over the store: merging reports, contradictions, updated articles, as-of queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from interbellum import open_store
from interbellum.model import Article, Document, Evidence, Place, Situation, Span

MALI = Place("Mali", 17.0, -4.0, [Span("Mali", 0, 4)], id="country:MLI", country="MLI", kind="country")


def doc(key: str, published: str, *situations: Situation, site: str = "wire.example", body: str = "") -> Document:
    text = body or f"Mali. Report {key} of {published}."
    article = Article(title=key, body=text, language="en", id=key, published=published, url=f"https://{site}/{key}",
                      site_domain=site)
    return Document(input=key, article=article, places=[MALI], situations=list(situations))


def sit(subject: str, start: str | None = None, end: str | None = None, ongoing: bool | None = None,
        relation: str = "present_in", obj: str = "Mali", claimed_by: str | None = None) -> Situation:
    def precision(v: str | None) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(v)] if v else "unresolved"

    return Situation(subject=subject, relation=relation, object=obj, start=start, end=end, ongoing=ongoing,
                     evidence=[Evidence(f"{subject} {relation} {obj}.", 0, 10)], subject_id=subject.lower(),
                     object_id="country:MLI" if obj == "Mali" else obj.lower(), start_precision=precision(start),
                     end_precision=precision(end), claimed_by=claimed_by)


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "s.db") as s:
        yield s


def test_reports_of_one_relation_make_one_span_that_a_later_report_ends(store) -> None:
    store.add_document(doc("a1", "2022-01-07", sit("Wagner Group", start="2021-12", ongoing=True)))
    store.add_document(doc("a2", "2023-06-01", sit("Wagner Group", ongoing=True), site="other.example"))
    store.add_document(doc("a3", "2025-06-07", sit("Wagner Group", end="2025-06-06", ongoing=False)))
    [span] = store.situations()
    assert (span["subject"], span["relation"], span["object"]) == ("Wagner Group", "present_in", "Mali")
    assert (span["start"], span["end"], span["ongoing"]) == ("2021-12", "2025-06-06", False)
    assert span["country"] == "MLI"
    assert [r["article"] for r in span["reports"]] == ["a1", "a2", "a3"]
    assert {r["outlet"] for r in span["reports"]} == {"wire.example", "other.example"}
    assert set(span["reports"][0]) >= {"article", "outlet", "sentence", "claimed_by"}
    assert span["contradictions"] == []
    assert store.count("situation_spans") == 1


@pytest.mark.parametrize(("as_of", "held"), [("2021-06-01", False), ("2021-12", True), ("2023-06-01", True),
                                             ("2025-06-06", True), ("2025-07-01", False)])
def test_as_of_holds_between_start_and_end(store, as_of: str, held: bool) -> None:
    store.add_document(doc("a1", "2022-01-07", sit("Wagner Group", start="2021-12", ongoing=True)))
    store.add_document(doc("a3", "2025-06-07", sit("Wagner Group", end="2025-06-06", ongoing=False)))
    assert bool(store.situations(as_of=as_of)) is held


@pytest.mark.parametrize(("as_of", "held"), [("2019-01-01", False), ("2020-03-01", True), ("2026-01-01", True)])
def test_an_unknown_start_counts_from_the_first_report(store, as_of: str, held: bool) -> None:
    store.add_document(doc("m1", "2020-02-10", sit("MINUSMA", ongoing=True)))
    assert bool(store.situations(as_of=as_of)) is held


def test_an_end_without_a_date_ends_at_the_report_that_tells_it(store) -> None:
    store.add_document(doc("m1", "2020-02-10", sit("MINUSMA", ongoing=True)))
    store.add_document(doc("m2", "2024-01-05", sit("MINUSMA", ongoing=False)))
    assert store.situations(as_of="2023-06-01") and not store.situations(as_of="2024-02-01")


def test_conflicting_starts_are_kept_with_who_said_what(store) -> None:
    store.add_document(doc("f1", "2022-08-15", sit("France", start="2013", end="2022-08", ongoing=False)))
    store.add_document(doc("f2", "2022-08-16", sit("France", start="2014", claimed_by="Mali"), site="b.example"))
    store.add_document(doc("f3", "2022-08-17", sit("France", start="2013-01"), site="c.example"))
    [span] = store.situations()
    assert span["start"] == "2013-01"  # the most reported value, refined by the agreeing one
    [c] = [c for c in span["contradictions"] if c["field"] == "start"]
    assert c["values"] == ["2013-01", "2014"]
    assert c["by"][1] == ["Mali"]


def test_an_end_before_the_start_is_a_contradiction_not_dropped(store) -> None:
    store.add_document(doc("x1", "2024-01-01", sit("Chad", start="2023-05", end="2022-01", ongoing=False)))
    [span] = store.situations()
    assert span["end"] == "2022-01" and span["start"] == "2023-05"
    assert [c["field"] for c in span["contradictions"]] == ["end"]


def test_still_holding_after_an_end_is_a_contradiction(store) -> None:
    store.add_document(doc("y1", "2022-08-15", sit("France", end="2022-08", ongoing=False)))
    store.add_document(doc("y2", "2023-03-01", sit("France", ongoing=True), site="late.example"))
    [span] = store.situations()
    assert any(c["field"] == "ongoing" for c in span["contradictions"])


def test_an_updated_article_replaces_its_reports(store) -> None:
    store.add_document(doc("u1", "2024-01-01", sit("Russia", ongoing=True), body="Mali. First version."))
    assert store.count("situation_spans") == 1
    store.add_document(doc("u1", "2024-01-01", sit("Russia", relation="supports", obj="Niger", ongoing=True),
                           body="Mali. Second version, corrected."))
    spans = store.situations()
    assert [(s["relation"], s["object"]) for s in spans] == [("supports", "Niger")]
    assert [r["article"] for r in spans[0]["reports"]] == ["u1"]


def test_filters_by_country_actor_and_relation(store) -> None:
    store.add_document(doc("g1", "2024-01-01", sit("Russia", ongoing=True), sit("Wagner Group", ongoing=True),
                           sit("Russia", relation="supports", obj="Mali", ongoing=True)))
    assert {s["subject"] for s in store.situations(country="mli")} == {"Russia", "Wagner Group"}
    assert {s["relation"] for s in store.situations(actor="russia")} == {"present_in", "supports"}
    assert len(store.situations(relation="supports")) == 1
    assert len(store.situations(limit=1)) == 1
    assert store.situations(country="FRA") == []


def test_a_bad_as_of_date_is_refused(store) -> None:
    from interbellum.errors import InputError

    with pytest.raises(InputError, match="June 2025"):
        store.situations(as_of="June 2025")

"""The public API is deliberate: what `interbellum` exports is pinned here."""

from __future__ import annotations

import interbellum


def test_exported_members():
    assert interbellum.__all__ == sorted(interbellum.__all__)
    for name in interbellum.__all__:
        assert hasattr(interbellum, name), name
    assert {"read", "read_many", "Document", "Article", "Failure", "InterbellumError"} <= set(interbellum.__all__)


def test_errors_form_one_tree():
    for name in interbellum.__all__:
        obj = getattr(interbellum, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, interbellum.InterbellumError), name


def test_read_returns_the_model_the_cli_prints(fixtures):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "examples" / "aes-confederation.html"
    docs = interbellum.read(sample)
    assert len(docs) == 1 and isinstance(docs[0], interbellum.Document)
    assert docs[0].to_dict()["article"]["title"] == docs[0].article.title


def test_read_raises_for_a_bad_input(tmp_path):
    import pytest

    empty = tmp_path / "e.txt"
    empty.write_text("")
    with pytest.raises(interbellum.InputError):
        interbellum.read(empty)

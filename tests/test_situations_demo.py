""""Who was present in Mali on D?" over a small store built from demo articles (the as-of answer the
issue asks for), and the `interbellum situations` command on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interbellum import open_store
from interbellum.cli import cli
from interbellum.ingest import ingest

DEMO = Path(__file__).resolve().parents[1] / "src" / "interbellum" / "data" / "demo" / "articles"
# French troops leave (2022), the UN mission's end is voted (2023), Wagner leaves and Russia stays (2025),
# Russia's Africa Corps named in Mali (and in Burkina Faso and Niger) a month later.
FILES = ("006_sw_barkhane-leaves-mali-2022.html", "013_lv_minusma-mandate-ends-2023.txt",
         "019_lv_aes-charter-2023.txt", "056_hp_wagner-exit-mali-2025.txt", "057_lv_wagner-exit-mali-2025.txt",
         "078_hp_jnim-western-mali-2025.txt")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(path) as store:
        outcomes = list(ingest([str(DEMO / f) for f in FILES], store))
    assert [o.status for o in outcomes] == ["new"] * len(FILES)
    return path


def present_in_mali(db: Path, as_of: str) -> set[str]:
    with open_store(db, readonly=True) as store:
        return {s["subject"] for s in store.situations(country="MLI", relation="present_in", as_of=as_of)
                if s["object"] == "Mali"}


@pytest.mark.parametrize(("as_of", "present", "absent"), [
    ("2020-06-01", {"France", "MINUSMA"}, {"Wagner Group", "Africa Corps"}),
    ("2023-06-01", {"Wagner Group", "MINUSMA"}, {"France", "Africa Corps"}),
    ("2025-07-01", {"Russia", "Africa Corps"}, {"Wagner Group", "France", "MINUSMA"}),
])
def test_who_was_present_in_mali(db: Path, as_of: str, present: set[str], absent: set[str]) -> None:
    found = present_in_mali(db, as_of)
    assert present <= found, found
    assert not absent & found, found


def test_situations_command_json(db: Path) -> None:
    result = CliRunner().invoke(cli, ["situations", "--db", str(db), "--country", "MLI", "--as-of", "2023-06-01",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["as_of"] == "2023-06-01"
    wagner = next(s for s in out["situations"] if s["subject"] == "Wagner Group" and s["relation"] == "present_in")
    assert wagner["end"].startswith("2025-06") and wagner["ongoing"] is False
    assert {"article", "outlet", "sentence", "claimed_by"} <= set(wagner["reports"][0])
    assert isinstance(wagner["contradictions"], list)


def test_situations_command_text_and_bad_date(db: Path) -> None:
    result = CliRunner().invoke(cli, ["situations", "--db", str(db), "--actor", "Wagner Group"])
    assert result.exit_code == 0, result.output
    assert "Wagner Group present_in Mali" in result.output
    bad = CliRunner().invoke(cli, ["situations", "--db", str(db), "--as-of", "June 2025"])
    assert bad.exit_code == 2 and "YYYY" in bad.output
    missing = CliRunner().invoke(cli, ["situations", "--db", str(db.parent / "none.db")])
    assert missing.exit_code == 1 and "no store" in missing.output

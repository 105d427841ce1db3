"""The `interbellum extract` contract (shared/contracts/README.md): shapes, failures, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interbellum import __version__
from interbellum.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "aes-confederation.html"


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", [[], ["extract"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_extract_sample_json_is_one_object():
    result = run("extract", str(SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["input"] == str(SAMPLE)
    assert doc["article"]["title"] == "Sahel juntas sign confederation treaty in Niamey"
    assert doc["article"]["published"] == "2024-07-06"
    assert doc["article"]["language"] == "en"
    for key in ("entities", "places", "times", "events", "situations"):
        assert isinstance(doc[key], list)


def test_extract_jsonl_one_line_per_article(tmp_path):
    records = tmp_path / "two.jsonl"
    body = "The council met in the capital on Tuesday to discuss the security situation in the north. " * 3
    records.write_text(
        json.dumps({"text": body, "title": "Council meets", "published": "2024-03-05"}) + "\n\n"
        + json.dumps({"text": body.replace("Tuesday", "Friday"), "source": "AFP"}) + "\n"
    )
    result = run("extract", str(records), "--published", "2024-01-01")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["input"] for d in lines] == [f"{records}#1", f"{records}#2"]
    assert lines[0]["article"]["published"] == "2024-03-05"  # the record's own date wins
    assert lines[1]["article"]["published"] == "2024-01-01"  # else the default
    assert lines[1]["article"]["source"] == "AFP"


def test_json_format_gives_array_for_several(tmp_path):
    result = run("extract", str(SAMPLE), str(SAMPLE), "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)


def test_failed_input_one_line_others_go_on(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run("extract", str(empty), str(SAMPLE))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    err = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith(f"interbellum: {empty}: ")
    assert "Traceback" not in result.stderr


def test_stdin(tmp_path):
    result = run("extract", "-", stdin=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["input"] == "-"


@pytest.mark.parametrize("args", [["extract"], ["extract", str(SAMPLE), "--published", "June 9"],
                                  ["extract", str(SAMPLE), "--format", "xml"],
                                  ["extract", str(SAMPLE), "--max-size", "lots"]])
def test_bad_usage_exits_2(args):
    assert run(*args).exit_code == 2


def test_max_size_reason(tmp_path):
    result = run("extract", str(SAMPLE), "--max-size", "1k")
    assert result.exit_code == 1
    assert "max-size" in result.stderr


def test_url_option_sets_site_and_id(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Talks resume in Doha\n\n" + "Negotiators returned to the table on Monday after a pause. " * 8)
    result = run("extract", str(page), "--url", "https://www.example.org/a?utm_source=x", "--format", "json")
    art = json.loads(result.stdout)["article"]
    again = json.loads(run("extract", str(page), "--url", "https://example.org/a/", "--format", "json").stdout)
    assert art["url"] == "https://www.example.org/a?utm_source=x"
    assert art["site_domain"] == "example.org"
    assert art["id"] == again["article"]["id"]  # tracking parameters, www. and a trailing slash ignored

"""The README stays true: its set-up commands are what CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from interbellum.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _fenced_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command():
    test_commands = [line for line in _fenced_lines() if "pytest" in line]
    assert len(test_commands) == 1
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_commands[0] in ci.splitlines()


def test_readme_main_job_uses_a_shipped_sample():
    main_job = next(line for line in _fenced_lines() if "&&" in line and "pytest" not in line)
    for path in re.findall(r"examples/\S+", main_job):
        assert (ROOT / path).is_file(), path


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"interbellum {name}" in README, name

"""Shared fixtures: paths to the project's fixtures and to ../shared (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """../shared, which holds the seed and the benchmarks; CI must have it, elsewhere tests skip."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing under CI")
        pytest.skip(f"{SHARED} is absent")
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES

"""Fixtures of the study tests (helpers in study_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_helpers import SMALL_GRID, write_study


@pytest.fixture
def small_grid(tmp_path: Path) -> Path:
    """Path of the 2 x 2 rod-withdrawal study file."""
    return write_study(tmp_path, SMALL_GRID, "small-grid.toml")

"""Helpers of the programme-model tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def unit_of(data: dict[str, Any], uid: str) -> dict[str, Any]:
    """The raw table of a unit."""
    return next(u for u in data["units"] if u["id"] == uid)


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text)
    return path

"""Shared fixtures."""

from __future__ import annotations

import pytest

from nppsim.designs import load_design


@pytest.fixture(scope="session")
def v446():
    """The Bushehr 1 design."""
    return load_design("vver1000-v446")

"""Shared fixtures of the programme-model tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nppsim.designs import read_toml
from nppsim.programme import load_programme, simulate
from nppsim.programme.load import programme_path


@pytest.fixture(scope="session")
def iran_data() -> dict[str, Any]:
    """The raw data of the built-in Iran programme file."""
    return read_toml(programme_path("iran"))


@pytest.fixture
def raw(iran_data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the Iran programme data that a test may change."""
    return copy.deepcopy(iran_data)


@pytest.fixture(scope="session")
def iran_case():
    return load_programme("iran")


@pytest.fixture(scope="session")
def iran_run(iran_case):
    """A 2000-sample run to 2060, seed 1."""
    return simulate(iran_case, samples=2000, until=2060, seed=1)

"""Built-in scenario runs shared by the test modules of this folder: each scenario runs once per
test session (the plant scenarios take from 10 s to minutes each)."""

from __future__ import annotations

from nppsim import results
from nppsim.scenarios import load_scenario

_cache: dict[str, results.RunResult] = {}


def run(name: str) -> results.RunResult:
    """The result of ``nppsim.results.run`` for a built-in scenario, computed once."""
    if name not in _cache:
        _cache[name] = results.run(load_scenario(name))
    return _cache[name]

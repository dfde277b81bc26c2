"""One source for every equation (issue 13): the compiled kernels and the same functions run as
plain Python (``NUMBA_DISABLE_JIT=1``) give the same run, for every built-in scenario.

All scenarios run in two fresh processes (``backend_run.py``: compiled, then Python) over their
first seconds: building the model and its steady state, the right-hand side, the Jacobian (column
groups, the closure's chain rule, analytic columns), the event functions and the integrator all
run in both. The recorded columns, the integrator's counters, the event log and the final state
must agree to 1e-12 (the same operations in the same order: in practice bit for bit).
Python is about a thousand times slower, hence the short window; ``turbine-trip`` also runs through
its trip (60 s), so that events, restarts and the reactor trip's handlers are compared too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nppsim.scenarios import builtin_names

HERE = Path(__file__).resolve().parent

#: window [s] and sample step [s] per scenario (default: the first 2 s, every second)
WINDOWS = {"turbine-trip": (64.0, 4.0)}


def _run(python: bool) -> dict:
    """Every built-in scenario over its window, in one process of the given backend."""
    env = dict(os.environ)
    if python:
        env["NUMBA_DISABLE_JIT"] = "1"
    else:
        env.pop("NUMBA_DISABLE_JIT", None)
    specs = [f"{n}:{WINDOWS.get(n, (2.0, 1.0))[0]}:{WINDOWS.get(n, (2.0, 1.0))[1]}" for n in NAMES]
    out = subprocess.run(
        [sys.executable, str(HERE / "backend_run.py"), *specs],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=3600,
    )
    return json.loads(out.stdout)


NAMES = builtin_names()


@pytest.fixture(scope="module")
def runs() -> dict:
    """Both backends, each in one fresh process over every scenario (one import, one table
    build: the per-process start-up of plain Python dominated when each scenario had its own)."""
    return {"jit": _run(python=False), "py": _run(python=True)}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_python_backend_matches_compiled(name, runs):
    jit = runs["jit"][name]
    py = runs["py"][name]
    assert jit["jit"] and not py["jit"]
    assert py["columns"] == jit["columns"]
    assert py["events"] == jit["events"]
    assert py["stats"] == jit["stats"]
    np.testing.assert_allclose(py["values"], jit["values"], rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(py["state"], jit["state"], rtol=1e-12, atol=0.0)

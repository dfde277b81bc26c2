"""The Python API refuses misuse with clear exceptions, and the notebook examples of README and
docs/api.md run (issue 14, item 4)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

import nppsim
from nppsim.engine.simulation import SimulationError
from nppsim.errors import NppsimError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def core():
    model = nppsim.Model(nppsim.load_design("vver1000-v446"), "core")
    y0, d0 = model.steady_state(1.0)
    return model, y0, d0


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -5.0, "soon", None])
def test_advance_refuses_bad_times(core, bad):
    model, y0, d0 = core
    sim = nppsim.Simulation(model, y0, d0)
    sim.advance(10.0)
    n = len(sim.results())
    with pytest.raises(SimulationError):
        sim.advance(bad)
    assert sim.t == 10.0 and len(sim.results()) == n  # nothing lost, nothing truncated


def test_advance_backwards_keeps_the_history(core):
    model, y0, d0 = core
    sim = nppsim.Simulation(model, y0, d0)
    sim.advance(20.0)
    df = sim.results()
    with pytest.raises(SimulationError, match="backwards"):
        sim.advance(5.0)
    assert sim.results().equals(df)


def test_submit_refuses_bad_times_and_non_actions(core):
    model, y0, d0 = core
    sim = nppsim.Simulation(model, y0, d0)
    sim.advance(5.0)
    for at in (math.nan, 1.0):
        with pytest.raises(SimulationError):
            sim.submit(nppsim.actions.Scram(), at=at)
    with pytest.raises(SimulationError, match="not an action"):
        sim.submit("scram")


def test_construction_refuses_wrong_states(core):
    model, y0, d0 = core
    with pytest.raises(SimulationError):
        nppsim.Simulation(model, y0[:-1], d0)
    bad = y0.copy()
    bad[0] = np.nan
    with pytest.raises(SimulationError):
        nppsim.Simulation(model, bad, d0)
    with pytest.raises(SimulationError):
        nppsim.Simulation(model, y0, d0, t0=math.nan)


def test_read_unknown_name_is_clear(core):
    model, y0, d0 = core
    sim = nppsim.Simulation(model, y0, d0)
    with pytest.raises(SimulationError, match="no quantity named"):
        sim.read(["power_thermal_mw"])
    assert sim.read("power_thermal_w")["power_thermal_w"] > 1e9


def test_snapshot_of_another_model_is_refused_at_restore(core):
    model, y0, d0 = core
    sim = nppsim.Simulation(model, y0, d0)
    sim.advance(3.0)
    changed = nppsim.load_design("vver1000-v446").with_overrides({"reactivity.boron_worth": -1e-4})
    other_model = nppsim.Model(changed, "core")
    other = nppsim.Simulation(other_model, *other_model.steady_state(1.0))
    with pytest.raises(SimulationError, match="another model"):
        other.restore(sim.snapshot())
    with pytest.raises(SimulationError, match="not an nppsim snapshot"):
        other.restore(b"not a snapshot")
    assert other.t == 0.0
    other.advance(1.0)  # still usable


def test_misuse_errors_are_nppsim_errors():
    """The command line turns them into one line, like input errors."""
    assert issubclass(SimulationError, NppsimError) and issubclass(SimulationError, ValueError)


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("doc", ["docs/api.md", "README.md"])
def test_the_documented_notebook_use_runs(doc, tmp_path, monkeypatch):
    """Every Python example of the page runs as written (in a fresh folder)."""
    blocks = _python_blocks(ROOT / doc)
    assert blocks, f"{doc} has no Python example"
    monkeypatch.chdir(tmp_path)
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__doc_example__"}
    for code in blocks:
        exec(compile(code, doc, "exec"), namespace)  # the documented examples, as written
    import matplotlib.pyplot as plt

    plt.close("all")
    if doc == "docs/api.md":
        assert (tmp_path / "turbine-trip.png").stat().st_size > 10_000

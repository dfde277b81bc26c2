"""nppsim: an open simulator of a civil nuclear power programme.

Two levels: the plant (one unit's dynamics, milliseconds to days) and the programme (the fleet over
decades). Physics lives in :mod:`nppsim.physics` as pure functions in SI units.

Quick use::

    import nppsim
    res = nppsim.run(nppsim.RunSpec(scenario="turbine-trip"))   # a whole run, nothing on disk
    res.timeseries["pressure_primary_pa"].max()

    model = nppsim.Model(nppsim.load_design("vver1000-v446"), "plant")
    y0, d0 = model.steady_state(1.0)
    sim = nppsim.Simulation(model, y0, d0)          # the caller owns the clock
    sim.advance(60.0)
    sim.submit(nppsim.actions.TurbineTrip())        # applied at t = 60 s exactly
    sim.advance(600.0)
    df = sim.results()                              # pandas DataFrame, SI columns

Names are imported lazily, so ``import nppsim`` (and ``nppsim --help``) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"

_LAZY = {
    "load_design": ("nppsim.designs", "load_design"),
    "Scenario": ("nppsim.scenarios", "Scenario"),
    "load_scenario": ("nppsim.scenarios", "load_scenario"),
    "Model": ("nppsim.plant.model", "Model"),
    "Simulation": ("nppsim.engine.simulation", "Simulation"),
    "RunSpec": ("nppsim.engine.run", "RunSpec"),
    "RunResult": ("nppsim.engine.run", "RunResult"),
    "run": ("nppsim.engine.run", "run"),
    "build": ("nppsim.results", "build"),
    "actions": ("nppsim.actions", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'nppsim' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    mod = importlib.import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value

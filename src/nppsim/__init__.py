"""nppsim: an open simulator of a civil nuclear power programme.

Two levels: the plant (one unit's dynamics, milliseconds to days) and the programme (the fleet over
decades). Physics lives in :mod:`nppsim.physics` as pure functions in SI units.

Quick use::

    import nppsim
    sc = nppsim.load_scenario("scram")
    model, sim = nppsim.build(sc)      # model at its steady state, simulation of the events
    sim.advance(3600.0)                # the caller owns the clock
    df = sim.results()                 # pandas DataFrame, SI columns
"""

from __future__ import annotations

__version__ = "0.1.0"

from nppsim.designs import load_design
from nppsim.results import build, run
from nppsim.scenarios import Scenario, load_scenario
from nppsim.simulation import Event, Simulation

__all__ = [
    "Event",
    "Scenario",
    "Simulation",
    "__version__",
    "build",
    "load_design",
    "load_scenario",
    "run",
]

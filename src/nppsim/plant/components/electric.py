"""The unit's electrical supply: off-site power, the generator's grid connection and the diesel
generators that back the safety loads.

**Off-site power** (``offsite``) feeds the station's own needs; the reactor coolant pumps, the
condenser (BRU-K) and the pressurizer heaters lose their supply with it.

**Diesel generators.** When off-site power is lost, the diesels start (if available) and are
ready to take load after their start delay; the safety loads then return in the design's load
sequence, each group a given time after the diesels are ready (``[electrical]`` of the design:
which group returns when). A group is supplied while off-site power is available or once its
step of the sequence is reached; a failure of the diesels (the station blackout) drops every
group that hangs on them. The supply of each group is a signal other components read:

========================  ===================================================================
signal (column)           loads
========================  ===================================================================
``supply_eccs``           emergency boron, high- and low-pressure injection pumps
``supply_efw``            emergency feedwater pumps (for the feedwater's emergency feed)
``supply_makeup``         make-up (charging) pumps and let-down
``supply_heaters``        pressurizer heaters
========================  ===================================================================

(groups absent from the load sequence are supplied by off-site power only). The times are
scheduled discrete events, so the integrator stops exactly on them and the supply signals are
steps of the discrete state: the right-hand side stays a function of (t, y, d) only.

References: IAEA Safety Standards SSG-34, *Design of Electrical Power Systems for Nuclear Power
Plants* (2016), §6 (emergency power supply: start on loss of off-site power, sequential loading).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 14

#: the load groups, in the order of the ``supply`` signal block
GROUPS = ("eccs", "efw", "makeup", "heaters")


class F(IntEnum):
    """The record of the electrical supply in ``ip``."""

    D_OFFSITE = 0
    D_GRID = 1
    D_DIESELS = 2
    D_READY = 3
    D_STEP = 4
    D_ENERGIZED = 5
    N_GROUPS = 6
    W_OFFSITE = 7
    W_GRID = 8
    W_SUPPLY = 9
    W_DIESELS_RUNNING = 10


@njit
def signals(t, y, p, ip, d, w, r):
    """Off-site power, the grid connection, and the supply of each load group."""
    off = d[ip[r + F.D_OFFSITE]]
    w[ip[r + F.W_OFFSITE]] = off
    w[ip[r + F.W_GRID]] = d[ip[r + F.D_GRID]]
    ng = ip[r + F.N_GROUPS]
    run = 0.0
    for k in range(ng):
        e = d[ip[r + F.D_ENERGIZED] + k]
        w[ip[r + F.W_SUPPLY] + k] = 1.0 if (off > 0.5 or e > 0.5) else 0.0
        if e > 0.5:
            run = 1.0
    w[ip[r + F.W_DIESELS_RUNNING]] = run


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class Electric(Component):
    """Off-site power, the generator's grid connection and the diesel generators.

    Parameters
    ----------
    name : str
        Instance name (``"electric"``).
    diesels : bool
        Whether the unit has diesel generators that start on a loss of off-site power.
    start_delay : float
        Diesel start to ready for load [s].
    sequence : dict of str to float
        Load group -> delay after the diesels are ready [s] (groups of :data:`GROUPS`; those
        not given are not on the diesels).
    """

    kind = "electric"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        diesels: bool = False,
        start_delay: float = 15.0,
        sequence: dict[str, float] | None = None,
    ) -> None:
        super().__init__(name)
        self.diesels = diesels
        self.start_delay = start_delay
        self.sequence = dict(sequence or {})
        for g in self.sequence:
            if g not in GROUPS:
                raise ValueError(f"electrical load sequence: unknown group {g!r} (of {GROUPS})")

    def declare(self, b: Declarer) -> None:
        ng = len(GROUPS)
        b.discrete("offsite", 1.0, description="off-site power available (1) or lost (0)")
        b.discrete("grid", 1.0, description="generator connected to the grid (1) or not (0)")
        b.discrete(
            "diesels", 1.0 if self.diesels else 0.0, description="diesels available (1) or not"
        )
        b.discrete("ready", math.inf, "s", scheduled=True, description="time the diesels take load")
        b.discrete(
            "step",
            np.full(ng, math.inf),
            "s",
            scheduled=True,
            description="time each load group returns on the diesels",
        )
        b.discrete("energized", np.zeros(ng), description="load group supplied by the diesels")
        b.count("groups", ng)
        b.signal("offsite", "1", columns="offsite_power", depends=())
        b.signal("grid", "1", columns="grid_connected", depends=())
        b.signal("supply", "1", ng, columns=[f"supply_{g}" for g in GROUPS], depends=())
        b.signal("diesels_running", "1", columns="diesels_running", depends=())

    # -- between steps -------------------------------------------------------------------------
    def lose_offsite(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """Off-site power is lost at ``t``: the diesels start if they are available."""
        d[net.d_index(f"{self.name}.offsite")] = 0.0
        if d[net.d_index(f"{self.name}.diesels")] > 0.5:
            d[net.d_index(f"{self.name}.ready")] = t + self.start_delay
            return [
                {
                    "time_s": t,
                    "kind": "electrical",
                    "name": "diesels_start",
                    "detail": f"ready for load in {self.start_delay:g} s",
                }
            ]
        return []

    def fail_diesels(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """The diesel generators fail (fail to start, or trip): the loads on them are lost."""
        d[net.d_index(f"{self.name}.diesels")] = 0.0
        d[net.d_index(f"{self.name}.ready")] = math.inf
        d[net.discrete[f"{self.name}.step"].slice] = math.inf
        d[net.discrete[f"{self.name}.energized"].slice] = 0.0
        return []

    def on_ready(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The diesels are at speed and voltage: schedule the load sequence."""
        st = net.discrete[f"{self.name}.step"].start
        for g, delay in self.sequence.items():
            d[st + GROUPS.index(g)] = t + delay
        return y, d, [{"time_s": t, "kind": "electrical", "name": "diesels_ready"}]

    def on_step(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A load group returns on the diesels; components that own its loads are told."""
        d[net.discrete[f"{self.name}.energized"].start + k] = 1.0
        group = GROUPS[k]
        entries = [{"time_s": t, "kind": "electrical", "name": f"diesel_load_{group}"}]
        for c in net.components:
            handler = getattr(c, "on_supply_restored", None)
            if handler is not None:
                y, d, more = handler(net, t, y, d, group)
                entries += more
        return y, d, entries

"""The unit's electrical supply: off-site power (the grid connection for the station's own
needs). Components that lose their supply with it (pumps, feed pumps, heaters, make-up, the
condenser) read its ``offsite`` signal."""

from __future__ import annotations

from enum import IntEnum

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 14


class F(IntEnum):
    """The record of the electrical supply in ``ip``."""

    D_OFFSITE = 0
    D_GRID = 1
    W_OFFSITE = 2
    W_GRID = 3


@njit
def signals(t, y, p, ip, d, w, r):
    """Whether off-site power is available and the generator is on the grid."""
    w[ip[r + F.W_OFFSITE]] = d[ip[r + F.D_OFFSITE]]
    w[ip[r + F.W_GRID]] = d[ip[r + F.D_GRID]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class Electric(Component):
    """Off-site power and the generator's grid connection."""

    kind = "electric"
    code = CODE
    Field = F

    def declare(self, b: Declarer) -> None:
        b.discrete("offsite", 1.0, description="off-site power available (1) or lost (0)")
        b.discrete("grid", 1.0, description="generator connected to the grid (1) or not (0)")
        b.signal("offsite", "1", columns="offsite_power", depends=())
        b.signal("grid", "1", columns="grid_connected", depends=())

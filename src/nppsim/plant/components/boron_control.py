"""Boron control: the make-up system's boration and dilution as a rate of boron change.

Automatic (with the power controller in automatic too), boron keeps the regulating banks near a
reference position, so that xenon and slow reactivity changes are taken by boron and not by the
rods:

.. math:: \\dot C_B = \\dot C_{\\max} \\tanh(e / e_b)\\, \\frac{e^2}{e^2 + e_d^2}
    \\tanh\\big(\\max(\\text{room}, 0) / 1\\ \\text{ppm}\\big)

with e the bank-position error (reference minus the regulating banks' summed position), e_b its
band, e_d a smooth dead band, and "room" the distance to the design's boron limit in the direction
of change. Manual: a constant rate towards a target (a scenario's or operator's boration or
dilution), stopped there. With a ``target_band`` (the whole plant, where boron is carried by the
coolant and changed by the make-up's feed and bleed: :mod:`.boron_transport`), the manual rate
approaches the target smoothly, rate x tanh((target - C)/band), and no boron is ever set: the
concentration only follows its rate (no step changes).

Modes (discrete ``mode``): 0 automatic, 1 manual.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 4
AUTO, MANUAL = 0.0, 1.0


class F(IntEnum):
    """The record of a boron controller in ``ip``."""

    P_RATE_MAX = 0
    P_BANK_REF = 1
    P_BANK_BAND = 2
    P_DEAD_BAND = 3
    P_BORON_MIN = 4
    P_BORON_MAX = 5
    D_MODE = 6
    D_RATE = 7
    D_TARGET = 8
    D_ARRIVAL = 9
    IN_BORON = 10
    IN_BANK_SUM = 11
    IN_RODS_AUTO = 12
    W_RATE = 13
    P_TARGET_BAND = 14


@njit
def signals(t, y, p, ip, d, w, r):
    """The rate of boron change [ppm/s]."""
    if d[ip[r + F.D_MODE]] == AUTO and w[ip[r + F.IN_RODS_AUTO]] > 0.5:
        e = p[ip[r + F.P_BANK_REF]] - w[ip[r + F.IN_BANK_SUM]]
        u = math.tanh(e / p[ip[r + F.P_BANK_BAND]])
        ed = p[ip[r + F.P_DEAD_BAND]]
        if ed > 0.0:
            u *= e * e / (e * e + ed * ed)
        rate = p[ip[r + F.P_RATE_MAX]] * u
        cb = w[ip[r + F.IN_BORON]]
        room = (cb - p[ip[r + F.P_BORON_MIN]]) if rate < 0.0 else (p[ip[r + F.P_BORON_MAX]] - cb)
        w[ip[r + F.W_RATE]] = rate * math.tanh(max(room, 0.0) / 1.0)
    else:
        band = p[ip[r + F.P_TARGET_BAND]]
        if band > 0.0:
            e = d[ip[r + F.D_TARGET]] - w[ip[r + F.IN_BORON]]
            w[ip[r + F.W_RATE]] = abs(d[ip[r + F.D_RATE]]) * math.tanh(e / band)
        else:
            w[ip[r + F.W_RATE]] = d[ip[r + F.D_RATE]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class BoronControl(Component):
    """Boron control (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name.
    rate_max, bank_ref, bank_band, dead_band, boron_min, boron_max : float
        [ppm/s], [1], [1], [1], [ppm], [ppm].
    core : str
        Name of the core component whose boron it changes.
    mode : str
        Initial mode, "auto" or "manual".
    """

    kind = "boron_control"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        rate_max: float,
        bank_ref: float,
        bank_band: float,
        dead_band: float,
        boron_min: float,
        boron_max: float,
        core: str = "core",
        rods: str = "rods",
        mode: str = "manual",
        target_band: float = 0.0,
    ) -> None:
        super().__init__(name)
        self.values = (rate_max, bank_ref, bank_band, dead_band, boron_min, boron_max)
        self.target_band = target_band
        self.core, self.rods = core, rods
        self.mode0 = AUTO if mode == "auto" else MANUAL

    def declare(self, b: Declarer) -> None:
        names = ("rate_max", "bank_ref", "bank_band", "dead_band", "boron_min", "boron_max")
        units = ("ppm/s", "1", "1", "1", "ppm", "ppm")
        for nm, v, u in zip(names, self.values, units, strict=True):
            b.param(nm, v, u)
        b.param("target_band", self.target_band, "ppm", "smooth approach to a manual target")
        b.discrete("mode", self.mode0, description="0 auto, 1 manual")
        b.discrete("rate", 0.0, "ppm/s", description="manual rate of change")
        b.discrete("target", 0.0, "ppm", description="manual target")
        b.discrete(
            "arrival",
            math.inf,
            "s",
            scheduled=True,
            description="time the manual change reaches its target",
        )
        b.port("boron", f"{self.core}.boron")
        b.port("bank_sum", f"{self.core}.bank_regulating_sum")
        b.port("rods_auto", f"{self.rods}.auto")
        b.signal("rate", "ppm/s", columns="boron_rate_ppm_s")

    def manual_change(
        self, net: Any, y: np.ndarray, d: np.ndarray, t: float, target: float, rate: float
    ) -> None:
        """Start a manual boration or dilution to ``target`` [ppm] at ``rate`` [ppm/s]."""
        cb = float(y[net.states[f"{self.core}.boron"].start])
        d[net.d_index(f"{self.name}.mode")] = MANUAL
        d[net.d_index(f"{self.name}.target")] = target
        if self.target_band > 0.0:
            d[net.d_index(f"{self.name}.rate")] = rate  # approached smoothly, never set
            d[net.d_index(f"{self.name}.arrival")] = math.inf
        elif target != cb:
            d[net.d_index(f"{self.name}.rate")] = math.copysign(rate, target - cb)
            d[net.d_index(f"{self.name}.arrival")] = t + abs(target - cb) / rate
        else:
            d[net.d_index(f"{self.name}.rate")] = 0.0
            d[net.d_index(f"{self.name}.arrival")] = math.inf

    def stop(self, net: Any, d: np.ndarray) -> None:
        """Stop any manual change where it is (its arrival is cancelled)."""
        d[net.d_index(f"{self.name}.rate")] = 0.0
        d[net.d_index(f"{self.name}.arrival")] = math.inf

    def on_arrival(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A manual change reached its target: stop there."""
        if d[net.d_index(f"{self.name}.rate")] != 0.0:
            y[net.states[f"{self.core}.boron"].start] = d[net.d_index(f"{self.name}.target")]
        d[net.d_index(f"{self.name}.rate")] = 0.0
        return y, d, []

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """A reactor trip stops any manual boron change (the make-up is no longer regulated)."""
        self.stop(net, d)
        return []

"""Boundary conditions for the core alone: prescribed pressure, inlet temperature and flow.

The core studied alone (an exercise, a point-kinetics check) is the core component plus this one,
which gives its ports ``pressure`` [Pa], ``h_in`` [J/kg] and ``flow`` [1] from ramps in the
discrete state (each ramp: value until t0, linear to the target at t1). A scenario changes them
with the ``pressure``, ``inlet_temperature`` and ``flow`` actions.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer
from nppsim.plant.components.core import ramp_value

CODE = 2


class F(IntEnum):
    """The record of a boundary instance in ``ip``."""

    D_PRESSURE = 0
    D_INLET_TEMPERATURE = 1
    D_FLOW = 2
    D_KINK = 3
    W_PRESSURE = 4
    W_H_IN = 5
    W_FLOW = 6
    W_TEMP_IN = 7


@njit
def signals(t, y, p, ip, d, w, r):
    """Pressure, inlet enthalpy and flow at ``t`` from their ramps."""
    press = ramp_value(d, ip[r + F.D_PRESSURE], t)
    t_in = ramp_value(d, ip[r + F.D_INLET_TEMPERATURE], t)
    w[ip[r + F.W_PRESSURE]] = press
    w[ip[r + F.W_TEMP_IN]] = t_in
    w[ip[r + F.W_H_IN]] = props.h_of_pt(p, ip, press, t_in)
    w[ip[r + F.W_FLOW]] = ramp_value(d, ip[r + F.D_FLOW], t)


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class Boundary(Component):
    """Prescribed core boundary conditions (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"boundary"``).
    pressure, inlet_temperature, flow : float
        Initial values [Pa], [K], [1].
    """

    kind = "boundary"
    code = CODE
    Field = F

    def __init__(self, name: str, pressure: float, inlet_temperature: float, flow: float) -> None:
        super().__init__(name)
        self.initial = (pressure, inlet_temperature, flow)

    def declare(self, b: Declarer) -> None:
        p0, t0, f0 = self.initial
        b.discrete("pressure", [0.0, p0, 0.0, p0], "Pa", description="pressure ramp")
        b.discrete("inlet_temperature", [0.0, t0, 0.0, t0], "K", description="inlet T ramp")
        b.discrete("flow", [0.0, f0, 0.0, f0], "1", description="flow ramp (fraction)")
        b.discrete(
            "kink", np.full(3, math.inf), "s", scheduled=True, description="ends of the three ramps"
        )
        b.signal("pressure", "Pa", columns="pressure_primary_pa", depends=())
        b.signal("h_in", "J/kg", depends=())
        b.signal("flow", "1", depends=())
        b.signal("temp_in", "K", depends=())

    def ramp(
        self, net: Any, d: np.ndarray, which: str, t: float, target: float, duration: float
    ) -> None:
        """Start a ramp of ``which`` (pressure, inlet_temperature or flow) from its value at
        ``t`` to ``target`` over ``duration`` [s] (a step if 0)."""
        e = net.discrete[f"{self.name}.{which}"]
        k = e.start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + max(duration, 0.0), target)
        idx = ("pressure", "inlet_temperature", "flow").index(which)
        d[net.discrete[f"{self.name}.kink"].start + idx] = (
            t + duration if duration > 0 else (math.inf)
        )

    def on_kink(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A boundary ramp ended (a kink: the integrator restarts)."""
        return y, d, []

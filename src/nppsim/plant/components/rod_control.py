"""The reactor power controller: drives the regulating banks to hold a power setpoint.

The demand is a rate (the banks' speed as a fraction of their drive speed, -1 to 1), not a PI
element: the regulating banks integrate it themselves.

.. math:: u = \\tanh(e / e_b) \\; \\frac{e^2}{e^2 + e_d^2}

with e the power error (setpoint minus relative power; in the plant's pressure mode, the header
pressure error times a gain), e_b the band of full speed and e_d the half-width of a smooth dead
band (VVER-1000 power controllers do not move the rods for errors inside about +-1 %; the smooth
form keeps the right-hand side differentiable).

Modes (discrete ``mode``): 0 automatic, 1 manual (no demand), 2 tripped.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer
from nppsim.plant.components.core import ramp_value

CODE = 3
AUTO, MANUAL, TRIPPED = 0.0, 1.0, 2.0
POWER_MODE, PRESSURE_MODE = 0.0, 1.0


class F(IntEnum):
    """The record of a rod controller in ``ip``."""

    P_BAND = 0
    P_DEAD_BAND = 1
    P_PRESSURE_GAIN = 2
    D_MODE = 3
    D_SETPOINT = 4
    D_SETPOINT_END = 5
    D_ERROR_MODE = 6
    D_PRESSURE_SETPOINT = 7
    IN_POWER = 8
    IN_PRESSURE = 9
    W_DEMAND = 10
    W_SETPOINT = 11
    W_AUTO = 12


@njit
def signals(t, y, p, ip, d, w, r):
    """The speed demand of the regulating banks."""
    mode = d[ip[r + F.D_MODE]]
    sp = ramp_value(d, ip[r + F.D_SETPOINT], t)
    w[ip[r + F.W_SETPOINT]] = sp
    w[ip[r + F.W_AUTO]] = 1.0 if mode == AUTO else 0.0
    if mode != AUTO:
        w[ip[r + F.W_DEMAND]] = 0.0
        return
    if d[ip[r + F.D_ERROR_MODE]] == PRESSURE_MODE:
        # the reactor follows the turbine: a header pressure above its setpoint means too much
        # reactor power
        e = (
            -(w[ip[r + F.IN_PRESSURE]] - d[ip[r + F.D_PRESSURE_SETPOINT]])
            * p[ip[r + F.P_PRESSURE_GAIN]]
        )
    else:
        e = sp - w[ip[r + F.IN_POWER]]
    ed = p[ip[r + F.P_DEAD_BAND]]
    u = math.tanh(e / p[ip[r + F.P_BAND]])
    if ed > 0.0:
        u *= e * e / (e * e + ed * ed)
    w[ip[r + F.W_DEMAND]] = u


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


class RodControl(Component):
    """The power controller (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name.
    band : float
        Power error for full speed [1].
    dead_band : float
        Half-width of the smooth dead band [1] (0: none).
    pressure_gain : float
        Power error per header pressure error in pressure mode [1/Pa] (0: no pressure mode).
    pressure_signal : str or None
        Signal of the header pressure (plant), or None.
    """

    kind = "rod_control"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        band: float,
        dead_band: float = 0.0,
        pressure_gain: float = 0.0,
        power_signal: str = "core.power_relative",
        pressure_signal: str | None = None,
    ) -> None:
        super().__init__(name)
        self.band, self.dead_band, self.pressure_gain = band, dead_band, pressure_gain
        self.power_signal = power_signal
        self.pressure_signal = pressure_signal or power_signal

    def declare(self, b: Declarer) -> None:
        b.param("band", self.band, "1", "power error for full bank speed")
        b.param("dead_band", self.dead_band, "1", "half-width of the smooth dead band")
        b.param("pressure_gain", self.pressure_gain, "1/Pa", "power error per pressure error")
        b.discrete("mode", AUTO, description="0 auto, 1 manual, 2 tripped")
        b.discrete("setpoint", [0.0, 1.0, 0.0, 1.0], "1", description="power setpoint ramp")
        b.discrete(
            "setpoint_end",
            math.inf,
            "s",
            scheduled=True,
            description="end of the setpoint ramp (a kink)",
        )
        b.discrete("error_mode", POWER_MODE, description="0 power error, 1 pressure error")
        b.discrete("pressure_setpoint", 0.0, "Pa", description="header pressure setpoint")
        b.port("power", self.power_signal)
        b.port("pressure", self.pressure_signal)
        b.signal(
            "demand",
            "1",
            columns="rod_demand",
            description="regulating banks' speed demand, -1 to 1",
        )
        b.signal("setpoint", "1", columns="power_setpoint", depends=())
        b.signal("auto", "1", depends=())

    def set_ramp(self, net: Any, d: np.ndarray, t: float, target: float, duration: float) -> None:
        """Ramp the power setpoint from its value at ``t`` to ``target`` over ``duration``."""
        k = net.discrete[f"{self.name}.setpoint"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + max(duration, 0.0), target)
        d[net.discrete[f"{self.name}.setpoint_end"].start] = (
            t + duration if duration > 0 else math.inf
        )

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """A reactor trip: the controller is out of service, its setpoint zero."""
        d[net.d_index(f"{self.name}.mode")] = TRIPPED
        d[net.d_index(f"{self.name}.error_mode")] = POWER_MODE
        k = net.discrete[f"{self.name}.setpoint"].start
        d[k : k + 4] = (t, 0.0, t, 0.0)
        d[net.d_index(f"{self.name}.setpoint_end")] = math.inf
        return []

    def on_protective_fpr(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """A fast power reduction: the setpoint ramps to the row's target at its rate; rod
        control goes automatic on power. Nothing happens if the reactor has tripped or the power
        is already below the target."""
        n = float(y[net.s_index("core.n")])
        if d[net.d_index(f"{self.name}.mode")] == TRIPPED or n <= row.target:
            return y, d, []
        k = net.discrete[f"{self.name}.setpoint"].start
        cur = float(ramp_value(d, k, t))
        dur = max(cur - row.target, 0.0) / row.rate
        d[k : k + 4] = (t, min(cur, n), t + dur, row.target)
        d[net.d_index(f"{self.name}.setpoint_end")] = t + dur if dur > 0 else math.inf
        d[net.d_index(f"{self.name}.mode")] = AUTO
        d[net.d_index(f"{self.name}.error_mode")] = POWER_MODE
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "fast_power_reduction",
                    "name": row.name,
                    "detail": f"{row.detail}: power to {100 * row.target:.0f} %",
                }
            ],
        )

    def on_setpoint_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The setpoint ramp ended (a kink: the integrator restarts)."""
        return y, d, []

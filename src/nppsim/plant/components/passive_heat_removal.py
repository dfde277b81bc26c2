"""Passive heat removal from a steam generator (PHRS): one train, steam condensed by outdoor air.

A train takes steam from its steam generator, condenses it in a heat exchanger cooled by the
natural draught of outdoor air, and returns the condensate to the steam generator by gravity: a
closed natural-circulation loop, so the steam generator loses heat and no water. The heat
removed is a state (the gates open and the draught builds over a time constant):

.. math::

    \\tau \\frac{dQ}{dt} = a\\, g(p)\\, Q_d \\left(\\frac{\\max(T_{sat}(p) - T_{air}, 0)}
        {T_{sat}(p_d) - T_{air}}\\right)^n - Q

with a the actuation (0 until the station-blackout signal, then 1), g(p) the opening of the
regulated air gates (0 below ``regulation_low``, 1 above ``regulation_high``, linear between: a
passive regulator that limits the cooldown), Q_d the capacity at the design steam pressure p_d, and
n the exponent of the air cooler's heat transfer (Q ~ dT^(4/3) for natural draught,
Churchill-Chu, *Int. J. Heat Mass Transfer* 18 (1975) 1323).

For a horizontal steam generator (a vessel with its own mass and energy) the train takes Q
from the steam generator's energy balance directly: its derivatives phase runs after the steam
generators' and subtracts Q from the rate of the steam generator's energy (the structure of the
Jacobian says so through a closure declaration). A once-through steam generator reads the train's
heat through a port and routes the condensate itself
(:mod:`nppsim.plant.components.once_through_sg`).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 40

# by position in the P_DATA block
(
    H_CAPACITY,
    H_T_SAT_DESIGN,
    H_T_AIR,
    H_EXPONENT,
    H_TAU,
    H_P_LOW,
    H_P_HIGH,
) = range(7)
N_DATA = 7


class F(IntEnum):
    """The record of a PHRS train in ``ip``."""

    Y_HEAT = 0
    P_DATA = 1
    N_TARGET = 2
    I_TARGET = 3
    D_ACTUATED = 4
    D_AVAILABLE = 5
    IN_TEMP_SAT = 6
    IN_PRESSURE = 7
    W_HEAT = 8
    W_GATE = 9
    W_DEMAND = 10


@njit
def gate_opening(press, p_low, p_high):
    """Opening of the regulated air gates at steam pressure ``press`` [1] (0 to 1, linear)."""
    x = (press - p_low) / (p_high - p_low)
    return min(max(x, 0.0), 1.0)


@njit
def heat_capacity(t_sat, t_sat_design, t_air, q_design, exponent):
    """Heat the train removes with its gates fully open at saturation temperature ``t_sat`` [W].

    Q = Q_d ((T_sat - T_air) / (T_sat,d - T_air))^n, zero when T_sat <= T_air.
    """
    dt = t_sat - t_air
    if dt <= 0.0:
        return 0.0
    return q_design * math.pow(dt / (t_sat_design - t_air), exponent)


@njit
def signals(t, y, p, ip, d, w, r):
    """The heat removed (state), the gates' opening and the demanded heat."""
    q = ip[r + F.P_DATA]
    press = w[ip[r + F.IN_PRESSURE]]
    g = gate_opening(press, p[q + H_P_LOW], p[q + H_P_HIGH])
    on = d[ip[r + F.D_ACTUATED]] * d[ip[r + F.D_AVAILABLE]]
    cap = heat_capacity(
        w[ip[r + F.IN_TEMP_SAT]],
        p[q + H_T_SAT_DESIGN],
        p[q + H_T_AIR],
        p[q + H_CAPACITY],
        p[q + H_EXPONENT],
    )
    w[ip[r + F.W_GATE]] = g * on
    w[ip[r + F.W_DEMAND]] = on * g * cap
    w[ip[r + F.W_HEAT]] = y[ip[r + F.Y_HEAT]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The heat's lag; a horizontal steam generator loses the heat from its energy balance."""
    q = ip[r + F.P_DATA]
    heat = y[ip[r + F.Y_HEAT]]
    dydt[ip[r + F.Y_HEAT]] = (w[ip[r + F.W_DEMAND]] - heat) / p[q + H_TAU]
    tg = ip[r + F.I_TARGET]
    for k in range(ip[r + F.N_TARGET]):
        dydt[ip[tg + k]] -= heat


class PassiveHeatRemoval(Component):
    """One PHRS train (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"phrs1"``).
    data : ndarray
        The P_DATA block (``H_*``), SI.
    temp_sat, pressure : str
        Signals of the steam generator's saturation temperature [K] and pressure [Pa].
    target : str or None
        The steam generator's energy state (horizontal SG) the heat is taken from, or None when the
        steam generator reads the heat itself (once-through SG).
    index : int
        1-based train number (recorded columns ``power_phrs1_w``...).
    """

    kind = "passive_heat_removal"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        *,
        temp_sat: str,
        pressure: str,
        target: str | None,
        index: int,
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.temp_sat, self.pressure, self.target = temp_sat, pressure, target
        self.index = index

    def declare(self, b: Declarer) -> None:
        b.state("heat", 1, "W", 1e2, description="heat removed by the train (lagged)")
        b.param("data", self.data, description="capacity, T_sat,d, T_air, n, tau, gate band")
        targets = [self.target] if self.target else []
        b.count("target", len(targets))
        b.state_refs("target", targets, before_closure=False)
        b.discrete("actuated", 0.0, description="actuated by the station-blackout signal (1)")
        b.discrete("available", 1.0, description="train available (1) or failed (0)")
        b.port("temp_sat", self.temp_sat)
        b.port("pressure", self.pressure)
        b.signal("heat", "W", columns=f"power_phrs{self.index}_w", depends=("heat",))
        b.signal("gate", "1", columns=f"phrs{self.index}_gate_frac", depends=("port:pressure",))
        b.signal("demand", "W", depends=("port:pressure", "port:temp_sat"))
        b.depends("heat", ("heat", "port:pressure", "port:temp_sat"))
        if self.target:
            # the derivatives phase writes into the steam generator's energy rate
            b.closure([self.target], ("heat",))

    def on_protective_actuate_passive_heat_removal(
        self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any
    ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
        """The station-blackout signal opens the air gates (once; the train then stays on)."""
        k = net.d_index(f"{self.name}.actuated")
        if d[k] > 0.5:
            return y, d, []
        d[k] = 1.0
        if self.index != 1:
            return y, d, []
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "mode",
                    "name": "passive_heat_removal",
                    "detail": "air gates of the passive heat removal trains opening",
                }
            ],
        )

"""A reactor coolant pump: the rotor's speed, its head and torque, and the motor.

.. math:: J \\frac{d\\omega}{dt} = T_m(\\omega, u) - T_h(\\omega, \\dot m, \\rho) - T_f(\\omega)

with the homologous head and torque curves, Kloss's induction-motor torque at supply voltage u
(0: tripped, 1: running) and a friction torque linear in speed (:mod:`nppsim.physics.pump`). An
anti-reverse device stops the rotor from turning backwards. The shaft power T_h omega goes into
the water of the cold leg. A *canned* pump (``[pumps] type = "canned"``, integral reactors) has
its motor and bearings inside the pressure boundary, cooled by the primary water: its friction
and windage losses T_f omega go into the water too.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics import pump as pmp
from nppsim.plant.component import Component, Declarer

CODE = 9


class F(IntEnum):
    """The record of a pump in ``ip``."""

    Y_SPEED = 0
    P_RATED = 1
    D_VOLTAGE = 2
    IN_FLOW = 3
    IN_RHO = 4
    W_DP = 5
    W_TORQUE = 6
    W_HEAT = 7
    W_SPEED = 8
    W_RUNNING = 9
    W_STOPPED = 10


# rated values, by position in the P_RATED block
(
    R_SPEED,
    R_FLOW,
    R_DP,
    R_RHO,
    R_TORQUE,
    R_H0,
    R_KF,
    R_KR,
    R_T0,
    R_TL,
    R_SYNC,
    R_TMAX,
    R_SB,
    R_FRICTION,
    R_INERTIA,
    R_ANTI_REVERSE,
    R_CANNED,
) = range(17)


@njit
def _state(t, y, p, ip, d, w, r):
    pr = ip[r + F.P_RATED]
    omega = y[ip[r + F.Y_SPEED]]
    m = w[ip[r + F.IN_FLOW]]
    rho = w[ip[r + F.IN_RHO]]
    alpha = omega / p[pr + R_SPEED]
    v = m / (rho * p[pr + R_FLOW])
    scale = rho / p[pr + R_RHO]
    dp = pmp.homologous_head_k(alpha, v, p[pr + R_H0], p[pr + R_KF], p[pr + R_KR])
    dp *= p[pr + R_DP] * scale
    th = pmp.homologous_torque_k(alpha, v, p[pr + R_T0], p[pr + R_TL]) * p[pr + R_TORQUE] * scale
    return omega, dp, th


@njit
def signals(t, y, p, ip, d, w, r):
    """Pressure rise, hydraulic torque and shaft power into the water."""
    omega, dp, th = _state(t, y, p, ip, d, w, r)
    w[ip[r + F.W_DP]] = dp
    w[ip[r + F.W_TORQUE]] = th
    heat = th * omega
    pr = ip[r + F.P_RATED]
    if p[pr + R_CANNED] > 0.5:  # canned motor: friction and windage losses heat the water
        heat += p[pr + R_FRICTION] * p[pr + R_TORQUE] * omega * omega / p[pr + R_SPEED]
    w[ip[r + F.W_HEAT]] = heat
    w[ip[r + F.W_SPEED]] = omega
    running = 1.0 if d[ip[r + F.D_VOLTAGE]] > 0.5 else 0.0
    w[ip[r + F.W_RUNNING]] = running
    w[ip[r + F.W_STOPPED]] = 1.0 - running


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Rotor acceleration (anti-reverse: no negative acceleration at or below rest)."""
    pr = ip[r + F.P_RATED]
    omega, _, th = _state(t, y, p, ip, d, w, r)
    tm = pmp.motor_torque_k(
        omega, p[pr + R_SYNC], p[pr + R_TMAX], p[pr + R_SB], d[ip[r + F.D_VOLTAGE]]
    )
    tf = p[pr + R_FRICTION] * p[pr + R_TORQUE] * omega / p[pr + R_SPEED]
    acc = (tm - th - tf) / p[pr + R_INERTIA]
    if p[pr + R_ANTI_REVERSE] > 0.5 and omega <= 0.0 and acc < 0.0:
        acc = 0.0
    dydt[ip[r + F.Y_SPEED]] = acc


class Pump(Component):
    """A reactor coolant pump with an induction motor (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"pump1"``).
    pumps : Pumps
        The design's ``[pumps]`` section.
    flow, rho : str
        Signals of the loop flow and of the pumped water's density.
    """

    kind = "pump"
    code = CODE
    Field = F

    def __init__(self, name: str, pumps: Any, flow: str, rho: str, column: str) -> None:
        super().__init__(name)
        self.flow, self.rho, self.column = flow, rho, column
        rating = pumps.pump_rating()
        curves = pumps.pump_curves()
        self.rating, self.curves = rating, curves
        self.rated_torque = pmp.rated_torque(
            rating.flow, rating.pressure_rise, rating.efficiency, rating.speed
        )
        rs = pumps.rated_slip
        self.breakdown_slip = pmp.kloss_breakdown_slip(rs, pumps.motor_breakdown_ratio.si)
        self.sync = pumps.synchronous_speed.si
        self.tmax = pumps.motor_breakdown_torque
        self.values = np.array(
            [
                rating.speed,
                rating.flow,
                rating.pressure_rise,
                rating.density,
                self.rated_torque,
                curves.head_shutoff,
                curves.head_locked_forward,
                curves.head_locked_reverse,
                curves.torque_shutoff,
                curves.torque_locked,
                self.sync,
                self.tmax,
                self.breakdown_slip,
                pumps.friction_fraction.si,
                pumps.inertia.si,
                1.0 if pumps.anti_reverse else 0.0,
                1.0 if getattr(pumps, "type", "induction") == "canned" else 0.0,
            ]
        )

    def declare(self, b: Declarer) -> None:
        b.state("speed", 1, "rad/s", 1e-3, description="rotor speed")
        b.param("rated", self.values, description="rated point, curves, motor, inertia")
        b.discrete("voltage", 1.0, "1", description="motor supply voltage over rated (0 tripped)")
        b.port("flow", self.flow)
        b.port("rho", self.rho)
        b.signal("dp", "Pa", depends=("speed", "port:flow", "port:rho"))
        b.signal("torque", "N m", depends=("speed", "port:flow", "port:rho"))
        b.signal("heat", "W", depends=("speed", "port:flow", "port:rho"))
        b.signal("speed", "rad/s", columns=f"speed_{self.column}_rad_s", depends=("speed",))
        b.signal("running", "1", depends=())
        b.signal("stopped", "1", depends=())
        b.depends("speed", ("speed", "port:flow", "port:rho"))

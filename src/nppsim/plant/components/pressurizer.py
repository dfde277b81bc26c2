"""The pressurizer (equilibrium model) and the surge that couples it to the whole primary circuit.

States: the mass M and internal energy U of the vessel's contents and the heaters' power. The
pressure, level and phase enthalpies follow from (M, U, V) at saturation
(:func:`nppsim.physics.vessel.vessel_state`); water-solid and steam-filled vessels are handled
there too. Heaters are proportional on the pressure error (with a first-order lag), spray opens
proportionally above the pressure setpoint and is driven by the head of the first pump, relief
and safety valves open proportionally above their set pressures (:mod:`nppsim.physics.pressurizer`).

**The surge closure** (the kernel's third phase): the loops, plenums and core compute their
enthalpy rates dh0_j as if their water were rigid; the mass by which node j expands,
dM_j = V_j (d rho/d h)_j dh_j/dt, goes to the pressurizer through the surge line, so every node
also exchanges that mass at the surge enthalpy h_s (hot-leg water on insurge, saturated liquid on
outsurge, blended smoothly over a fraction of a kg/s):

.. math::

    dM_j = \\frac{V_j\\rho'_j\\, dh0_j}{1 - V_j\\rho'_j (h_s - h_j)/M_j}, \\quad
    \\frac{dh_j}{dt} = dh0_j + \\frac{(h_s - h_j)}{M_j} dM_j, \\quad
    \\dot m_{surge} = -\\sum_j dM_j + \\dot m_{make-up} - \\dot m_{let-down} - \\dot m_{spray}

so mass and energy of primary plus pressurizer stay consistent (see ``docs/models/plant.md``).
Make-up and spray enter and leave at the cold leg of the first loop, at its enthalpy.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics import pressurizer as pzr
from nppsim.physics.turbine import proportional_lift
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 11
SURGE_BLEND = 0.5  # [kg/s] width of the smooth insurge/outsurge switch (numerical, not physics)


class F(IntEnum):
    """The record of the pressurizer in ``ip``."""

    Y_MASS = 0
    Y_ENERGY = 1
    Y_HEATER = 2
    P_DATA = 3
    N_NODES = 4
    I_NODE_H = 5
    I_NODE_RHO = 6
    I_NODE_DRHO = 7
    P_NODE_VOLUME = 8
    P_NODE_MASS = 9
    N_MAKEUP_NODE = 10
    D_PRESSURE_SETPOINT = 11
    D_LETDOWN = 12
    IN_SPRAY_DP = 13
    IN_SURGE_H = 14
    IN_SPRAY_H = 15
    IN_MAKEUP = 16
    IN_MAKEUP_H = 17
    IN_OFFSITE = 18
    W_PRESSURE = 19
    W_TEMP_SAT = 20
    W_LEVEL = 21
    W_H_F = 22
    W_H_G = 23
    W_LIQUID_VOLUME = 24
    W_SPRAY = 25
    W_RELIEF = 26
    W_HEATER_DEMAND = 27
    W_SURGE = 28
    W_SURGE_H = 29
    W_MAKEUP = 30
    W_LETDOWN = 31
    W_HEATERS = 32
    W_ENERGY_OUT = 33
    W_ENERGY_MAKEUP = 34
    W_MASS_IN = 35
    W_STATUS = 36


# by position in the P_DATA block
(
    D_VOLUME,
    D_DIAMETER,
    D_HEATER_POWER,
    D_HEATER_TAU,
    D_HEAT_LOSS,
    D_SPRAY_MAX,
    D_SPRAY_DP,
    D_RELIEF_OPEN,
    D_RELIEF_CAP,
    D_SAFETY_OPEN,
    D_SAFETY_FULL,
    D_SAFETY_CAP,
    D_HEATER_BAND,
    D_SPRAY_START,
    D_SPRAY_FULL,
    D_P_GUESS,
) = range(16)
N_DATA = 16


@njit
def _vessel(y, p, ip, r):
    q = ip[r + F.P_DATA]
    return props.vessel(
        p, ip, y[ip[r + F.Y_MASS]], y[ip[r + F.Y_ENERGY]], p[q + D_VOLUME], p[q + D_P_GUESS]
    )


@njit
def early(t, y, p, ip, d, w, r):
    """Vessel state from its mass and energy: pressure, level, phase enthalpies, relief."""
    q = ip[r + F.P_DATA]
    v = _vessel(y, p, ip, r)
    press = v[0]
    w[ip[r + F.W_PRESSURE]] = press
    w[ip[r + F.W_TEMP_SAT]] = v[1]
    w[ip[r + F.W_H_F]] = v[7]
    w[ip[r + F.W_H_G]] = v[8]
    w[ip[r + F.W_LIQUID_VOLUME]] = v[4]
    w[ip[r + F.W_STATUS]] = v[13]
    w[ip[r + F.W_LEVEL]] = pzr.level_vertical_cylinder(v[4], p[q + D_DIAMETER])
    relief = pzr.relief_valve_flow(
        press,
        p[q + D_RELIEF_OPEN],
        p[q + D_SAFETY_OPEN],
        p[q + D_RELIEF_CAP],
        p[q + D_SAFETY_OPEN],
    ) + pzr.relief_valve_flow(
        press,
        p[q + D_SAFETY_OPEN],
        p[q + D_SAFETY_FULL],
        p[q + D_SAFETY_CAP],
        p[q + D_SAFETY_FULL],
    )
    w[ip[r + F.W_RELIEF]] = relief
    w[ip[r + F.W_ENERGY_OUT]] = p[q + D_HEAT_LOSS] + relief * v[8]


@njit
def signals(t, y, p, ip, d, w, r):
    """Heaters, spray, make-up and let-down (after the pumps and the level controller)."""
    q = ip[r + F.P_DATA]
    press = w[ip[r + F.W_PRESSURE]]
    offsite = w[ip[r + F.IN_OFFSITE]] > 0.5
    p_set = d[ip[r + F.D_PRESSURE_SETPOINT]]
    if offsite:
        dem = p[q + D_HEAT_LOSS] + p[q + D_HEATER_POWER] * (p_set - press) / p[q + D_HEATER_BAND]
        dem = min(max(dem, 0.0), p[q + D_HEATER_POWER])
        letdown = d[ip[r + F.D_LETDOWN]]
        makeup = w[ip[r + F.IN_MAKEUP]]
        dp_spray = max(w[ip[r + F.IN_SPRAY_DP]], 0.0)
    else:
        dem = 0.0
        letdown = 0.0
        makeup = 0.0
        dp_spray = 0.0
    w[ip[r + F.W_HEATER_DEMAND]] = dem
    w[ip[r + F.W_MAKEUP]] = makeup
    w[ip[r + F.W_LETDOWN]] = letdown
    opening = proportional_lift(press, p_set + p[q + D_SPRAY_START], p_set + p[q + D_SPRAY_FULL])
    w[ip[r + F.W_SPRAY]] = pzr.spray_flow(opening, dp_spray, p[q + D_SPRAY_MAX], p[q + D_SPRAY_DP])
    w[ip[r + F.W_HEATERS]] = y[ip[r + F.Y_HEATER]]
    w[ip[r + F.W_ENERGY_MAKEUP]] = (makeup - letdown) * w[ip[r + F.IN_MAKEUP_H]]
    w[ip[r + F.W_MASS_IN]] = makeup - letdown - w[ip[r + F.W_RELIEF]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The heaters' lag (the vessel's mass and energy are set in the closure)."""
    q = ip[r + F.P_DATA]
    tau = max(p[q + D_HEATER_TAU], 1e-3)
    dydt[ip[r + F.Y_HEATER]] = (w[ip[r + F.W_HEATER_DEMAND]] - y[ip[r + F.Y_HEATER]]) / tau


@njit
def closure(t, y, p, ip, d, w, dydt, r):
    """The surge: correct every primary node's enthalpy rate and set the vessel's rates."""
    nn = ip[r + F.N_NODES]
    ih = ip[r + F.I_NODE_H]
    irho = ip[r + F.I_NODE_RHO]
    idr = ip[r + F.I_NODE_DRHO]
    pv = ip[r + F.P_NODE_VOLUME]
    pm = ip[r + F.P_NODE_MASS]
    spray = w[ip[r + F.W_SPRAY]]
    ext = w[ip[r + F.W_MAKEUP]] - w[ip[r + F.W_LETDOWN]] - spray
    surge0 = ext
    for j in range(nn):
        surge0 -= p[pv + j] * w[ip[idr + j]] * dydt[ip[ih + j]]
    wgt = 0.5 * (1.0 + math.tanh(surge0 / SURGE_BLEND))
    h_f = w[ip[r + F.W_H_F]]
    h_s = wgt * w[ip[r + F.IN_SURGE_H]] + (1.0 - wgt) * h_f
    k_mk = ip[r + F.N_MAKEUP_NODE]
    surge = ext
    for j in range(nn):
        i = ip[ih + j]
        h = y[i]
        mass = p[pm + j] if p[pm + j] > 0.0 else w[ip[irho + j]] * p[pv + j]
        dh0 = dydt[i]
        if j == k_mk:
            # make-up and spray enter or leave here at this node's enthalpy, not at h_s
            dh0 += ext * (h - h_s) / mass
        c = (h_s - h) / mass
        vr = p[pv + j] * w[ip[idr + j]]
        dm = vr * dh0 / (1.0 - vr * c)
        dydt[i] = dh0 + c * dm
        surge -= dm
    w[ip[r + F.W_SURGE]] = surge
    w[ip[r + F.W_SURGE_H]] = h_s
    q = ip[r + F.P_DATA]
    dm_z, du_z = pzr.pressurizer_derivatives(
        surge,
        h_s,
        spray,
        w[ip[r + F.IN_SPRAY_H]],
        y[ip[r + F.Y_HEATER]],
        w[ip[r + F.W_RELIEF]],
        w[ip[r + F.W_H_G]],
        p[q + D_HEAT_LOSS],
    )
    dydt[ip[r + F.Y_MASS]] = dm_z
    dydt[ip[r + F.Y_ENERGY]] = du_z


class Pressurizer(Component):
    """The pressurizer (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"pressurizer"``).
    data : ndarray
        The P_DATA block (see ``D_*``), SI.
    pressure_setpoint, letdown : float
        Initial pressure setpoint [Pa] and let-down flow [kg/s].
    nodes : list of (h state, rho signal, drho signal, volume, fixed mass)
        Every primary node (fixed mass 0: the node's mass is rho V).
    makeup_node : int
        Index, in ``nodes``, of the node where make-up and spray enter and leave.
    links : dict
        Signals of the ports: spray_dp, surge_h, spray_h, makeup, makeup_h, offsite.
    """

    kind = "pressurizer"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        *,
        pressure_setpoint: float,
        letdown: float,
        nodes: list[tuple[str, str, str, float, float]],
        makeup_node: int,
        links: dict[str, str],
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.p_set0, self.letdown0 = pressure_setpoint, letdown
        self.nodes = nodes
        self.makeup_node = makeup_node
        self.links = links

    def declare(self, b: Declarer) -> None:
        b.state("mass", 1, "kg", 1e-2, description="water and steam in the vessel")
        b.state("energy", 1, "J", 1e2, description="internal energy of the contents")
        b.state("heater", 1, "W", 1e2, description="heater power (lagged)")
        b.param("data", self.data, description="vessel, heaters, spray, valves, level programme")
        b.count("nodes", len(self.nodes))
        b.state_refs("node_h", [n[0] for n in self.nodes])
        b.signal_refs("node_rho", [n[1] for n in self.nodes])
        b.signal_refs("node_drho", [n[2] for n in self.nodes])
        b.param("node_volume", [n[3] for n in self.nodes], "m3")
        b.param("node_mass", [n[4] for n in self.nodes], "kg")
        b.count("makeup_node", self.makeup_node)
        b.discrete("pressure_setpoint", self.p_set0, "Pa", description="pressure setpoint")
        b.discrete("letdown", self.letdown0, "kg/s", description="let-down flow")
        for k in ("spray_dp", "surge_h", "spray_h", "makeup", "makeup_h", "offsite"):
            b.port(k, self.links[k])
        vessel = ("mass", "energy")
        b.signal("pressure", "Pa", columns="pressure_primary_pa", depends=vessel)
        b.signal("temp_sat", "K", columns="temp_saturation_pzr_k", depends=vessel)
        b.signal("level", "m", columns="level_pressurizer_m", depends=vessel)
        b.signal("h_f", "J/kg", depends=vessel)
        b.signal("h_g", "J/kg", depends=vessel)
        b.signal("liquid_volume", "m3", depends=vessel)
        b.signal("spray", "kg/s", columns="flow_spray_kg_s", depends=(*vessel, "port:spray_dp"))
        b.signal("relief", "kg/s", columns="flow_pzr_relief_kg_s", depends=vessel)
        b.signal("heater_demand", "W", depends=vessel)
        b.signal("surge", "kg/s", columns="flow_surge_kg_s")
        b.signal("surge_h", "J/kg")
        b.signal("makeup", "kg/s", columns="flow_makeup_kg_s", depends=("port:makeup",))
        b.signal("letdown", "kg/s", columns="flow_letdown_kg_s", depends=())
        b.signal("heaters", "W", columns="power_heaters_w", depends=("heater",))
        b.signal("energy_out", "W", depends=vessel)
        b.signal("energy_makeup", "W", depends=("port:makeup", "port:makeup_h"))
        b.signal("mass_in", "kg/s", depends=(*vessel, "port:makeup"))
        b.signal("status", "1", depends=())
        b.depends("heater", ("heater", *vessel))
        # the closure: the vessel's rates read every primary node's rate, and every node's rate
        # reads the surge enthalpy, hence every node's rate
        b.closure([n[0] for n in self.nodes], ("mass", "energy"), outputs=("surge", "surge_h"))

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        return []

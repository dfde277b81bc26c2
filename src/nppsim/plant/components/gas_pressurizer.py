"""A gas pressurizer: nitrogen over water in vessels connected to the primary circuit.

The primary pressure is the gas's (the water vapour's partial pressure is neglected: the vessels
are kept well below the primary temperature):

.. math:: p = \\frac{n R\\, T_g}{V_g}, \\qquad V_g = V - \\frac{M_l}{\\rho_l(h_l)}

States: the water mass M_l and enthalpy h_l in the vessels and the gas temperature T_g. The gas
is compressed by an insurge and expands on an outsurge; its temperature follows the
compression (adiabatic for fast changes) and relaxes to the vessels' temperature T_w over the
time constant tau (isothermal for slow ones):

.. math:: \\frac{dT_g}{dt} = -(\\gamma - 1)\\, T_g\\, \\frac{\\dot V_g}{V_g}
    + \\frac{T_w - T_g}{\\tau}, \\qquad \\dot V_g = -\\frac{\\dot m_{surge}}{\\rho_l}

(first law for an ideal gas, dU = -p dV + dQ with c_v = R/(gamma - 1)). The amount of gas nR is
set by the design's nominal state: the design pressure with the nominal water volume at T_w.

**The surge** is the thermal expansion of every primary node, computed in the kernel's closure
phase exactly as for the steam pressurizer (:mod:`.pressurizer`): the rigid-water node rates are
corrected for the mass each node sends to (or takes from) the pressurizer, at the surge enthalpy
(the connection node's water on insurge, the vessels' water on outsurge). Make-up and let-down
enter and leave at the make-up node. No heaters and no spray: the pressure is held by the gas
inventory and the water level (the make-up controller keeps the level).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 43
SURGE_BLEND = 0.5  # [kg/s] width of the smooth insurge/outsurge switch (numerical)
MIN_GAS_FRACTION = 0.02  # [1] the gas volume is kept above this fraction (water-solid limit)

# by position in the P_DATA block
G_VOLUME, G_DIAMETER, G_NR, G_GAMMA, G_TAU, G_T_WALL, G_P_REF = range(7)
N_DATA = 7


class F(IntEnum):
    """The record of the gas pressurizer in ``ip``."""

    Y_MASS = 0
    Y_H = 1
    Y_GAS_TEMP = 2
    P_DATA = 3
    N_NODES = 4
    I_NODE_H = 5
    I_NODE_RHO = 6
    I_NODE_DRHO = 7
    P_NODE_VOLUME = 8
    P_NODE_MASS = 9
    N_MAKEUP_NODE = 10
    D_LETDOWN = 11
    IN_SURGE_H = 12
    IN_MAKEUP = 13
    IN_MAKEUP_H = 14
    IN_OFFSITE = 15
    W_PRESSURE = 16
    W_TEMP_SAT = 17
    W_LEVEL = 18
    W_LIQUID_VOLUME = 19
    W_GAS_VOLUME = 20
    W_GAS_TEMP = 21
    W_RHO_L = 22
    W_SURGE = 23
    W_SURGE_H = 24
    W_MAKEUP = 25
    W_LETDOWN = 26
    W_ENERGY_MAKEUP = 27
    W_MASS_IN = 28
    W_STATUS = 29


@njit
def gas_pressure(nr, t_gas, volume, liquid_volume):
    """Gas pressure [Pa] and gas volume [m3] (kept above MIN_GAS_FRACTION of the vessel)."""
    v_g = max(volume - liquid_volume, MIN_GAS_FRACTION * volume)
    return nr * t_gas / v_g, v_g


@njit
def early(t, y, p, ip, d, w, r):
    """Pressure, level and saturation temperature from the water and gas states."""
    q = ip[r + F.P_DATA]
    mass = y[ip[r + F.Y_MASS]]
    _, rho_l, _, st = props.node(p, ip, p[q + G_P_REF], y[ip[r + F.Y_H]])
    v_l = mass / rho_l
    t_g = y[ip[r + F.Y_GAS_TEMP]]
    press, v_g = gas_pressure(p[q + G_NR], t_g, p[q + G_VOLUME], v_l)
    w[ip[r + F.W_PRESSURE]] = press
    w[ip[r + F.W_RHO_L]] = rho_l
    w[ip[r + F.W_LIQUID_VOLUME]] = v_l
    w[ip[r + F.W_GAS_VOLUME]] = v_g
    w[ip[r + F.W_GAS_TEMP]] = t_g
    w[ip[r + F.W_LEVEL]] = v_l / (math.pi * p[q + G_DIAMETER] ** 2 / 4.0)
    s = props.sat(p, ip, press)
    w[ip[r + F.W_TEMP_SAT]] = s[0]
    solid = 1.0 if v_g <= MIN_GAS_FRACTION * p[q + G_VOLUME] * 1.0000001 else 0.0
    w[ip[r + F.W_STATUS]] = st if st != 0 else solid


@njit
def signals(t, y, p, ip, d, w, r):
    """Make-up and let-down (lost with off-site power)."""
    if w[ip[r + F.IN_OFFSITE]] > 0.5:
        makeup = w[ip[r + F.IN_MAKEUP]]
        letdown = d[ip[r + F.D_LETDOWN]]
    else:
        makeup = 0.0
        letdown = 0.0
    w[ip[r + F.W_MAKEUP]] = makeup
    w[ip[r + F.W_LETDOWN]] = letdown
    w[ip[r + F.W_ENERGY_MAKEUP]] = (makeup - letdown) * w[ip[r + F.IN_MAKEUP_H]]
    w[ip[r + F.W_MASS_IN]] = makeup - letdown


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Nothing here: the closure sets the rates (they need the surge)."""


@njit
def closure(t, y, p, ip, d, w, dydt, r):
    """The surge: correct every primary node's rate; the vessels' water and gas."""
    nn = ip[r + F.N_NODES]
    ih = ip[r + F.I_NODE_H]
    irho = ip[r + F.I_NODE_RHO]
    idr = ip[r + F.I_NODE_DRHO]
    pv = ip[r + F.P_NODE_VOLUME]
    pm = ip[r + F.P_NODE_MASS]
    ext = w[ip[r + F.W_MAKEUP]] - w[ip[r + F.W_LETDOWN]]
    surge0 = ext
    for j in range(nn):
        surge0 -= p[pv + j] * w[ip[idr + j]] * dydt[ip[ih + j]]
    wgt = 0.5 * (1.0 + math.tanh(surge0 / SURGE_BLEND))
    h_l = y[ip[r + F.Y_H]]
    h_s = wgt * w[ip[r + F.IN_SURGE_H]] + (1.0 - wgt) * h_l
    k_mk = ip[r + F.N_MAKEUP_NODE]
    surge = ext
    for j in range(nn):
        i = ip[ih + j]
        h = y[i]
        mass = p[pm + j] if p[pm + j] > 0.0 else w[ip[irho + j]] * p[pv + j]
        dh0 = dydt[i]
        if j == k_mk:
            dh0 += ext * (h - h_s) / mass
        c = (h_s - h) / mass
        vr = p[pv + j] * w[ip[idr + j]]
        dm = vr * dh0 / (1.0 - vr * c)
        dydt[i] = dh0 + c * dm
        surge -= dm
    w[ip[r + F.W_SURGE]] = surge
    w[ip[r + F.W_SURGE_H]] = h_s
    q = ip[r + F.P_DATA]
    mass_l = max(y[ip[r + F.Y_MASS]], 1e-6)
    dydt[ip[r + F.Y_MASS]] = surge
    dydt[ip[r + F.Y_H]] = surge * (h_s - h_l) / mass_l  # ~0 on outsurge (h_s ~ h_l)
    t_g = y[ip[r + F.Y_GAS_TEMP]]
    dv_g = -surge / w[ip[r + F.W_RHO_L]]
    v_g = w[ip[r + F.W_GAS_VOLUME]]
    dydt[ip[r + F.Y_GAS_TEMP]] = (
        -(p[q + G_GAMMA] - 1.0) * t_g * dv_g / v_g + (p[q + G_T_WALL] - t_g) / p[q + G_TAU]
    )


class GasPressurizer(Component):
    """The gas pressurizer (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"pressurizer"``: the plant's other components read its pressure).
    data : ndarray
        The P_DATA block (``G_*``), SI.
    letdown : float
        Let-down flow [kg/s].
    nodes : list of (h state, rho signal, drho signal, volume, fixed mass)
        Every primary node (fixed mass 0: the node's mass is rho V).
    makeup_node : int
        Index, in ``nodes``, of the node where make-up enters and let-down leaves.
    links : dict
        Signals of the ports: surge_h, makeup, makeup_h, offsite.
    """

    kind = "gas_pressurizer"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        *,
        letdown: float,
        nodes: list[tuple[str, str, str, float, float]],
        makeup_node: int,
        links: dict[str, str],
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.letdown0 = letdown
        self.nodes = nodes
        self.makeup_node = makeup_node
        self.links = links

    def declare(self, b: Declarer) -> None:
        b.state("mass", 1, "kg", 1e-2, description="water in the pressurizer vessels")
        b.state("h", 1, "J/kg", 1e-1, description="enthalpy of that water")
        b.state("gas_temp", 1, "K", 1e-6, description="temperature of the nitrogen")
        b.param("data", self.data, description="volume, diameter, nR, gamma, tau, T_wall")
        b.count("nodes", len(self.nodes))
        b.state_refs("node_h", [n[0] for n in self.nodes], before_closure=False)
        b.signal_refs("node_rho", [n[1] for n in self.nodes], before_closure=False)
        b.signal_refs("node_drho", [n[2] for n in self.nodes], before_closure=False)
        b.param("node_volume", [n[3] for n in self.nodes], "m3")
        b.param("node_mass", [n[4] for n in self.nodes], "kg")
        b.count("makeup_node", self.makeup_node)
        b.discrete("letdown", self.letdown0, "kg/s", description="let-down flow")
        for k in ("surge_h", "makeup", "makeup_h", "offsite"):
            b.port(k, self.links[k])
        vessel = ("mass", "h", "gas_temp")
        b.signal("pressure", "Pa", columns="pressure_primary_pa", depends=vessel)
        b.signal("temp_sat", "K", columns="temp_saturation_pzr_k", depends=vessel)
        b.signal("level", "m", columns="level_pressurizer_m", depends=vessel)
        b.signal("liquid_volume", "m3", depends=vessel)
        b.signal("gas_volume", "m3", columns="volume_gas_pzr_m3", depends=vessel)
        b.signal("gas_temp", "K", columns="temp_gas_pzr_k", depends=("gas_temp",))
        b.signal("rho_l", "kg/m3", depends=("h",))
        b.signal("surge", "kg/s", columns="flow_surge_kg_s")
        b.signal("surge_h", "J/kg")
        b.signal("makeup", "kg/s", columns="flow_makeup_kg_s", depends=("port:makeup",))
        b.signal("letdown", "kg/s", columns="flow_letdown_kg_s", depends=())
        b.signal("energy_makeup", "W", depends=("port:makeup", "port:makeup_h"))
        b.signal("mass_in", "kg/s", depends=("port:makeup",))
        b.signal("status", "1", depends=vessel)
        b.closure(
            [n[0] for n in self.nodes], ("mass", "h", "gas_temp"), outputs=("surge", "surge_h")
        )

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        return []

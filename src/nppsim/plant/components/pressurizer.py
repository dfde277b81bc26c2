"""The pressurizer, and the surge that couples it to the whole primary circuit.

**Two models** (the design's ``[pressurizer] model``):

* ``"two_region"`` (default): a liquid and a vapour region out of equilibrium, each with its own
  mass and enthalpy, the pressure a state whose rate follows from the regions filling the
  vessel, and the steam-space wall's temperature
  (:mod:`nppsim.physics.pressurizer_nonequilibrium`: flashing, rain-out, interface and wall
  condensation, spray condensation). States ``mass_liquid``, ``enthalpy_liquid``,
  ``mass_vapour``, ``enthalpy_vapour``, ``pressure``, ``temp_wall``.
* ``"equilibrium"``: the contents saturated at one pressure, from their total mass and internal
  energy (:func:`nppsim.physics.vessel.vessel_state`); states ``mass``, ``energy``. Kept for
  comparison: an insurge compresses no steam here, it condenses at once.

Both have the heaters' power (a first-order lag) and the boron concentration of the liquid.

**Heaters**: a proportional group (full power ``heater_band`` below the pressure setpoint) and
back-up groups switched on below ``backup_on`` and off above ``backup_off`` (offsets below the
setpoint); all are cut out when the level falls below ``heater_cutout_level`` (uncovered
heaters), back in above ``heater_cutout_reset``, and need their supply (``supply_heaters``).
**Spray** from the cold leg, driven by the head of its pump, opens proportionally above the
setpoint. **Relief and safety valves** (pilot-operated, to the relief tank) open fully at their
set pressure and reseat at their reset pressure: their state is discrete, switched by located
events (so the hysteresis is exact). **Level** is the collapsed level above the level gauge's
zero, the inner bottom of the vessel (heads included: :func:`nppsim.physics.pressurizer.
level_vessel`).

**The surge closure** (the kernel's third phase): the loops, plenums and core compute their
enthalpy rates dh0_j as if their water were rigid; node j then changes mass by
dM_j = V_j (rho_h dh_j + rho_p dp) (it expands with its enthalpy and is compressed by the
pressure), and that mass goes to the pressurizer through the surge line, leaving every node at the
surge enthalpy h_s (hot-leg water on insurge, the pressurizer's liquid on outsurge, blended
smoothly over a fraction of a kg/s) and its concentration C_s. With the enthalpy form of a
fixed-volume node, dh_j = dh0'_j + (V_j/M_j) dp + c_j dM_j, c_j = (h_s - h_j)/M_j, so

.. math::

    dM_j = \\alpha_j + \\beta_j \\dot p, \\quad
    \\alpha_j = \\frac{V_j\\rho_{h,j}\\,dh0'_j}{1 - V_j \\rho_{h,j} c_j}, \\quad
    \\beta_j = \\frac{V_j(\\rho_{h,j} V_j/M_j + \\rho_{p,j})}{1 - V_j \\rho_{h,j} c_j},
    \\qquad W = E - \\sum_j dM_j = S - B\\,\\dot p

(W the surge into the pressurizer, E the external flows: make-up less let-down less spray plus
injections, S = E - sum alpha_j, B = sum beta_j: the circuit's isentropic compressibility). The
pressurizer's pressure rate is linear in its surge, dp = (A_0 + A_1 W)/B_z (two-region: from the
volume constraint; equilibrium: dp = p_M dM + p_U dU), so

.. math:: \\dot p = \\frac{A_0 + A_1 S}{B_z + A_1 B}

in closed form (computed twice, the second time with the blend weight of the first surge). dh0'_j
holds the node's external flows: an injection or make-up at its own enthalpy mixes in, and every
external flow passes on to the surge line (m_ext (h_j - h_s)/M_j), so the mass, energy and boron of
primary plus pressurizer stay consistent (see ``docs/models/plant.md``). Boron follows the same
terms with C for h (:mod:`nppsim.plant.components.boron_transport`).
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics import pressurizer as pzr
from nppsim.physics import pressurizer_nonequilibrium as ne
from nppsim.physics.turbine import choked_steam_flow, proportional_lift
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer
from nppsim.plant.header import IP_WATER

CODE = 11
SURGE_BLEND = 0.5  # [kg/s] width of the smooth insurge/outsurge switch (numerical, not physics)
EQUILIBRIUM, TWO_REGION = 0, 1
MODELS = {"equilibrium": EQUILIBRIUM, "two_region": TWO_REGION}


class F(IntEnum):
    """The record of the pressurizer in ``ip``."""

    Y_CONTENTS = 0
    Y_HEATER = 1
    Y_BORON = 2
    N_MODEL = 3
    P_DATA = 4
    P_REGION = 5
    N_NODES = 6
    I_NODE_H = 7
    I_NODE_BORON = 8
    P_NODE_VOLUME = 9
    P_NODE_MASS = 10
    P_NODE_BORON_MASS = 11
    N_MAKEUP_NODE = 12
    N_SPRAY_NODE = 13
    N_SURGE_NODE = 14
    N_INJ = 15
    I_INJ_NODE = 16
    I_INJ_FLOW = 17
    I_INJ_H = 18
    I_INJ_BORON = 19
    D_PRESSURE_SETPOINT = 20
    D_LETDOWN = 21
    D_BACKUP = 22
    D_BLOCKED = 23
    D_RELIEF = 24
    D_SAFETY = 25
    IN_SPRAY_DP = 26
    IN_SURGE_H = 27
    IN_SPRAY_H = 28
    IN_MAKEUP = 29
    IN_MAKEUP_H = 30
    IN_FEED = 31
    IN_FEED_BORON = 32
    IN_SUPPLY_HEATERS = 33
    IN_SUPPLY_MAKEUP = 34
    W_PRESSURE = 35
    W_TEMP_SAT = 36
    W_LEVEL = 37
    W_H_F = 38
    W_H_G = 39
    W_LIQUID_VOLUME = 40
    W_SPRAY = 41
    W_RELIEF = 42
    W_HEATER_DEMAND = 43
    W_SURGE = 44
    W_SURGE_H = 45
    W_MAKEUP = 46
    W_LETDOWN = 47
    W_HEATERS = 48
    W_ENERGY_OUT = 49
    W_ENERGY_MAKEUP = 50
    W_MASS_IN = 51
    W_STATUS = 52
    W_TEMP_LIQUID = 53
    W_TEMP_VAPOUR = 54
    W_TEMP_WALL = 55
    W_DPDT = 56
    W_BORON = 57
    W_MAKEUP_BORON = 58
    W_BORON_IN = 59
    W_MASS_TOTAL = 60
    W_ENERGY_STORED = 61
    W_BORON_STORED = 62
    W_LIQUID_MASS = 63
    W_PROPS = 64
    W_EQ = 65
    W_RATES = 66
    W_TRANSFER = 67
    G_VALVES = 68
    I_NODE_RHO = 69
    I_NODE_DRHO = 70
    I_NODE_DRHO_DP = 71


# general data, by position in the P_DATA block
(
    D_VOLUME,
    D_DIAMETER,
    D_HEAD_DEPTH,
    D_HEATER_PROP,
    D_HEATER_BACKUP,
    D_HEATER_TAU,
    D_HEAT_LOSS,
    D_SPRAY_MAX,
    D_SPRAY_DP,
    D_RELIEF_OPEN,
    D_RELIEF_CLOSE,
    D_RELIEF_CAP,
    D_SAFETY_OPEN,
    D_SAFETY_CLOSE,
    D_SAFETY_CAP,
    D_HEATER_BAND,
    D_SPRAY_START,
    D_SPRAY_FULL,
    D_P_GUESS,
    D_BACKUP_ON,
    D_BACKUP_OFF,
    D_CUTOUT_LEVEL,
    D_CUTOUT_RESET,
) = range(23)
N_DATA = 23

# the located events, by position in the G_VALVES block
EV_RELIEF, EV_SAFETY, EV_BACKUP, EV_CUTOUT = range(4)
EVENTS = ("relief", "safety", "backup_heaters", "heater_cutout")
N_TRANSFER = 5  # flashing, rain-out, interface, wall and spray condensation
N_NODE_ROWS = 7  # rows of the closure's node array: 4 node properties, 3 of work space

CONTENT_LABELS = {
    EQUILIBRIUM: ("mass", "energy"),
    TWO_REGION: (
        "mass_liquid",
        "enthalpy_liquid",
        "mass_vapour",
        "enthalpy_vapour",
        "pressure",
        "temp_wall",
    ),
}
CONTENT_UNITS = {
    EQUILIBRIUM: ("kg", "J"),
    TWO_REGION: ("kg", "J", "kg", "J", "Pa", "K"),
}
CONTENT_ATOL = {
    EQUILIBRIUM: (1e-2, 1e2),
    TWO_REGION: (1e-2, 1e2, 1e-2, 1e2, 1.0, 1e-4),
}


# -- compiled ---------------------------------------------------------------------------------
@njit
def _valve_flows(press, p, q, d, ip, r):
    """Steam through the open relief and safety valves [kg/s] (choked: proportional to p)."""
    m = 0.0
    if d[ip[r + F.D_RELIEF]] > 0.5:
        m += choked_steam_flow(1.0, press, p[q + D_RELIEF_CAP], p[q + D_RELIEF_OPEN])
    if d[ip[r + F.D_SAFETY]] > 0.5:
        m += choked_steam_flow(1.0, press, p[q + D_SAFETY_CAP], p[q + D_SAFETY_OPEN])
    return m


@njit
def early(t, y, p, ip, d, w, r):
    """Pressure, level, phase properties, valve flows and inventories from the states."""
    q = ip[r + F.P_DATA]
    yc = ip[r + F.Y_CONTENTS]
    vol = p[q + D_VOLUME]
    wp = ip[r + F.W_PROPS]
    if ip[r + F.N_MODEL] == TWO_REGION:
        m_l = y[yc]
        m_g = y[yc + 2]
        press = y[yc + 4]
        ne.two_region_properties(
            p, ip[IP_WATER], press, m_l, y[yc + 1], m_g, y[yc + 3], w[wp : wp + ne.N_PROPS]
        )
        v_l = w[wp + ne.PR_V_L]
        w[ip[r + F.W_TEMP_SAT]] = w[wp + ne.PR_T_SAT]
        w[ip[r + F.W_H_F]] = w[wp + ne.PR_H_L]
        w[ip[r + F.W_H_G]] = w[wp + ne.PR_H_G]
        w[ip[r + F.W_TEMP_LIQUID]] = w[wp + ne.PR_T_L]
        w[ip[r + F.W_TEMP_VAPOUR]] = w[wp + ne.PR_T_G]
        w[ip[r + F.W_TEMP_WALL]] = y[yc + 5]
        w[ip[r + F.W_STATUS]] = w[wp + ne.PR_STATUS]
        w[ip[r + F.W_LIQUID_MASS]] = m_l
        h_relief = w[wp + ne.PR_H_G]
        stored = y[yc + 1] + y[yc + 3] - press * vol
        stored += p[ip[r + F.P_REGION] + ne.PRM_WALL_CAPACITY] * y[yc + 5]
        mass = m_l + m_g
        w[ip[r + F.W_EQ]] = 0.0
        w[ip[r + F.W_EQ] + 1] = 0.0
    else:
        v = props.vessel(p, ip, y[yc], y[yc + 1], vol, p[q + D_P_GUESS])
        press = v[0]
        v_l = v[4]
        w[ip[r + F.W_TEMP_SAT]] = v[1]
        w[ip[r + F.W_H_F]] = v[7]
        w[ip[r + F.W_H_G]] = v[8]
        w[ip[r + F.W_TEMP_LIQUID]] = v[1]
        w[ip[r + F.W_TEMP_VAPOUR]] = v[1]
        w[ip[r + F.W_TEMP_WALL]] = v[1]
        w[ip[r + F.W_STATUS]] = v[13]
        w[ip[r + F.W_LIQUID_MASS]] = v[5]
        we = ip[r + F.W_EQ]
        w[we] = v[11]
        w[we + 1] = v[12]
        h_relief = v[8]
        stored = y[yc + 1]
        mass = y[yc]
        for k in range(ne.N_PROPS):
            w[wp + k] = 0.0
    w[ip[r + F.W_PRESSURE]] = press
    w[ip[r + F.W_LIQUID_VOLUME]] = v_l
    w[ip[r + F.W_LEVEL]] = pzr.level_vessel(v_l, p[q + D_DIAMETER], p[q + D_HEAD_DEPTH], vol)
    relief = _valve_flows(press, p, q, d, ip, r)
    w[ip[r + F.W_RELIEF]] = relief
    w[ip[r + F.W_ENERGY_OUT]] = p[q + D_HEAT_LOSS] + relief * h_relief
    w[ip[r + F.W_MASS_TOTAL]] = mass
    w[ip[r + F.W_ENERGY_STORED]] = stored
    c = y[ip[r + F.Y_BORON]]
    w[ip[r + F.W_BORON]] = c
    w[ip[r + F.W_BORON_STORED]] = c * w[ip[r + F.W_LIQUID_MASS]]


@njit
def signals(t, y, p, ip, d, w, r):
    """Heaters, spray, make-up and let-down (after the pumps, the level controller and the
    boron transport's feed and bleed)."""
    q = ip[r + F.P_DATA]
    press = w[ip[r + F.W_PRESSURE]]
    p_set = d[ip[r + F.D_PRESSURE_SETPOINT]]
    dem = 0.0
    if w[ip[r + F.IN_SUPPLY_HEATERS]] > 0.5 and d[ip[r + F.D_BLOCKED]] < 0.5:
        prop = p[q + D_HEAT_LOSS] + p[q + D_HEATER_PROP] * (p_set - press) / p[q + D_HEATER_BAND]
        dem = min(max(prop, 0.0), p[q + D_HEATER_PROP])
        if d[ip[r + F.D_BACKUP]] > 0.5:
            dem += p[q + D_HEATER_BACKUP]
    if w[ip[r + F.IN_SUPPLY_MAKEUP]] > 0.5:
        feed = w[ip[r + F.IN_FEED]]
        letdown = d[ip[r + F.D_LETDOWN]] + feed
        makeup = w[ip[r + F.IN_MAKEUP]] + feed
    else:
        feed = 0.0
        letdown = 0.0
        makeup = 0.0
    w[ip[r + F.W_HEATER_DEMAND]] = dem
    w[ip[r + F.W_MAKEUP]] = makeup
    w[ip[r + F.W_LETDOWN]] = letdown
    # make-up: the level controller's flow (purified let-down, at the let-down's concentration)
    # and the feed at its own concentration; here the feed's share
    w[ip[r + F.W_MAKEUP_BORON]] = feed * w[ip[r + F.IN_FEED_BORON]]
    c_node = y[ip[ip[r + F.I_NODE_BORON] + ip[r + F.N_MAKEUP_NODE]]]
    w[ip[r + F.W_BORON_IN]] = (makeup - feed - letdown) * c_node + w[ip[r + F.W_MAKEUP_BORON]]
    opening = proportional_lift(press, p_set + p[q + D_SPRAY_START], p_set + p[q + D_SPRAY_FULL])
    dp_spray = max(w[ip[r + F.IN_SPRAY_DP]], 0.0)
    w[ip[r + F.W_SPRAY]] = pzr.spray_flow(opening, dp_spray, p[q + D_SPRAY_MAX], p[q + D_SPRAY_DP])
    w[ip[r + F.W_HEATERS]] = y[ip[r + F.Y_HEATER]]
    w[ip[r + F.W_ENERGY_MAKEUP]] = (makeup - letdown) * w[ip[r + F.IN_MAKEUP_H]]
    w[ip[r + F.W_MASS_IN]] = makeup - letdown - w[ip[r + F.W_RELIEF]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The heaters' lag (the vessel's rates are set in the closure)."""
    q = ip[r + F.P_DATA]
    tau = max(p[q + D_HEATER_TAU], 1e-3)
    dydt[ip[r + F.Y_HEATER]] = (w[ip[r + F.W_HEATER_DEMAND]] - y[ip[r + F.Y_HEATER]]) / tau


@njit
def _pressure_terms(y, p, ip, d, w, r, h_s):
    """(A0, A1, Bz) of the pressurizer's pressure rate dp = (A0 + A1 W)/Bz for a surge W at
    h_s, and (for the two-region model) the region rates without the surge in W_RATES."""
    q = ip[r + F.P_DATA]
    yc = ip[r + F.Y_CONTENTS]
    spray = w[ip[r + F.W_SPRAY]]
    h_sp = w[ip[r + F.IN_SPRAY_H]]
    heater = y[ip[r + F.Y_HEATER]]
    relief = w[ip[r + F.W_RELIEF]]
    if ip[r + F.N_MODEL] == TWO_REGION:
        wp = ip[r + F.W_PROPS]
        wr = ip[r + F.W_RATES]
        prm = p[ip[r + F.P_REGION] : ip[r + F.P_REGION] + ne.N_PARAMS]
        props_ = w[wp : wp + ne.N_PROPS]
        rates = w[wr : wr + ne.N_RATES]
        m_l = y[yc]
        m_g = y[yc + 2]
        ne.two_region_rates(props_, m_l, m_g, y[yc + 5], spray, h_sp, heater, relief, prm, rates)
        vol = p[q + D_VOLUME]
        v_l = props_[ne.PR_V_L]
        a_l, b_l = ne.volume_rate_terms(
            m_l,
            props_[ne.PR_H_L],
            props_[ne.PR_RHO_L],
            props_[ne.PR_DRHO_DH_L],
            props_[ne.PR_DRHO_DP_L],
            rates[ne.RT_DM_L],
            rates[ne.RT_DH_L],
            v_l,
        )
        a_g, b_g = ne.volume_rate_terms(
            m_g,
            props_[ne.PR_H_G],
            props_[ne.PR_RHO_G],
            props_[ne.PR_DRHO_DH_G],
            props_[ne.PR_DRHO_DP_G],
            rates[ne.RT_DM_G],
            rates[ne.RT_DH_G],
            vol - v_l,
        )
        rho_l = props_[ne.PR_RHO_L]
        a0 = a_l + a_g + (v_l + props_[ne.PR_V_G] - vol) / prm[ne.PRM_TAU_VOLUME]
        a1 = 1.0 / rho_l - props_[ne.PR_DRHO_DH_L] / (rho_l * rho_l) * (h_s - props_[ne.PR_H_L])
        return a0, a1, b_l + b_g
    we = ip[r + F.W_EQ]
    p_m = w[we]
    p_u = w[we + 1]
    h_g = w[ip[r + F.W_H_G]]
    dm = spray - relief
    du = spray * h_sp - relief * h_g + heater - p[q + D_HEAT_LOSS]
    return p_m * dm + p_u * du, p_m + p_u * h_s, 1.0


@njit
def node_props(t, y, p, ip, d, w, r, nodes):
    """Every primary node's properties for the closure at the pressurizer's pressure, into
    rows 0 to 3 of ``nodes`` (at least 4 rows, n_nodes columns): mass [kg], V drho/dh
    [kg/(J/kg)], compressibility V (drho/dh V/m + drho/dp) [kg/Pa], and rho V where the node's
    water carries a shared boron state [kg]."""
    nn = ip[r + F.N_NODES]
    ih = ip[r + F.I_NODE_H]
    press = w[ip[r + F.W_PRESSURE]]
    cell = props.pressure_cell(p, ip, press)  # one pressure: its half of the look-up once
    for j in range(nn):
        _node_props_one(p, ip, r, press, cell, y[ip[ih + j]], j, nodes)


@njit
def _node_props_one(p, ip, r, press, cell, h, j, nodes):
    rho, drh, drp = props.node_compressibility_in_cell(p, ip, press, h, cell)
    _node_entries(p, ip, r, j, rho, drh, drp, nodes)


@njit
def _node_entries(p, ip, r, j, rho, drh, drp, nodes):
    """Node ``j``'s entries of :func:`node_props` from its density rho [kg/m3] and slopes
    (d rho/d h)_p and (d rho/d p)_h."""
    pv = ip[r + F.P_NODE_VOLUME]
    pm = ip[r + F.P_NODE_MASS]
    pb = ip[r + F.P_NODE_BORON_MASS]
    mass = p[pm + j] if p[pm + j] > 0.0 else rho * p[pv + j]
    nodes[0, j] = mass
    nodes[1, j] = p[pv + j] * drh
    nodes[2, j] = p[pv + j] * (drh * p[pv + j] / mass + drp)
    nodes[3, j] = rho * p[pv + j] if p[pb + j] > 0.0 else 0.0


@njit
def node_of_state(ip, r, i):
    """The primary node whose enthalpy is state ``i``, or -1."""
    ih = ip[r + F.I_NODE_H]
    for j in range(ip[r + F.N_NODES]):
        if ip[ih + j] == i:
            return j
    return -1


@njit
def node_props_moved(t, y, p, ip, d, w, r, nodes, j):
    """:func:`node_props` of node ``j`` alone (the others' entries of ``nodes`` kept: the
    Jacobian's closure column that moves one node's enthalpy, the pressure unchanged)."""
    press = w[ip[r + F.W_PRESSURE]]
    cell = props.pressure_cell(p, ip, press)
    _node_props_one(p, ip, r, press, cell, y[ip[ip[r + F.I_NODE_H] + j]], j, nodes)


@njit
def node_props_from_signals(t, y, p, ip, d, w, r, nodes):
    """:func:`node_props` from the density and its slopes that the nodes' components computed
    in their signals (loops, plenums, core channel: one look-up each at the same pressure,
    ``pressurizer.pressure``, and the same enthalpy), so the closure repeats none of them:
    the same numbers."""
    ir = ip[r + F.I_NODE_RHO]
    idh = ip[r + F.I_NODE_DRHO]
    idp = ip[r + F.I_NODE_DRHO_DP]
    for j in range(ip[r + F.N_NODES]):
        _node_entries(p, ip, r, j, w[ip[ir + j]], w[ip[idh + j]], w[ip[idp + j]], nodes)


@njit(nrt=True)
def closure(t, y, p, ip, d, w, dydt, r):
    """The surge: correct every primary node's enthalpy and boron rates, set the vessel's."""
    nodes = np.empty((N_NODE_ROWS, ip[r + F.N_NODES]))
    node_props_from_signals(t, y, p, ip, d, w, r, nodes)
    closure_on(t, y, p, ip, d, w, dydt, r, nodes)


@njit
def closure_on(t, y, p, ip, d, w, dydt, r, nodes):
    """:func:`closure` on the node properties ``nodes`` of :func:`node_props` at ``(y, w)``
    (rows 0 to 3; rows 4 to 6 of the ``(N_NODE_ROWS, n_nodes)`` array are work space, so
    that the closure allocates nothing: it runs in every right-hand side and in every closure
    column of the Jacobian)."""
    nn = ip[r + F.N_NODES]
    ih = ip[r + F.I_NODE_H]
    ib = ip[r + F.I_NODE_BORON]
    pv = ip[r + F.P_NODE_VOLUME]
    pb = ip[r + F.P_NODE_BORON_MASS]
    yc = ip[r + F.Y_CONTENTS]
    two = ip[r + F.N_MODEL] == TWO_REGION
    # node properties and external flows (make-up, let-down, spray, injections)
    mass = nodes[0]
    vrh = nodes[1]
    comp = nodes[2]
    ext = nodes[4]
    mix_h = nodes[5]
    mix_b = nodes[6]
    for j in range(nn):
        ext[j] = 0.0
        mix_h[j] = 0.0
        mix_b[j] = 0.0
    # the water of the nodes that share one boron state (the core's channel nodes): the boron
    # that state carries is its concentration times that water, rho V summed (as the balance
    # counts it), not the channel's fixed mass of its energy equation
    shared_water = 0.0
    for j in range(nn):
        if p[pb + j] > 0.0:
            shared_water += nodes[3, j]
    spray = w[ip[r + F.W_SPRAY]]
    makeup = w[ip[r + F.W_MAKEUP]]
    letdown = w[ip[r + F.W_LETDOWN]]
    k_mk = ip[r + F.N_MAKEUP_NODE]
    c_mk_node = y[ip[ib + k_mk]]
    # the level controller's make-up is purified let-down at the let-down's concentration
    feed_boron_flux = w[ip[r + F.W_MAKEUP_BORON]]
    boron_makeup = (makeup - w[ip[r + F.IN_FEED]]) * c_mk_node + feed_boron_flux
    ext[k_mk] += makeup - letdown
    mix_b[k_mk] += boron_makeup - makeup * c_mk_node
    ext[ip[r + F.N_SPRAY_NODE]] -= spray
    for k in range(ip[r + F.N_INJ]):
        j = ip[ip[r + F.I_INJ_NODE] + k]
        m = w[ip[ip[r + F.I_INJ_FLOW] + k]]
        if m != 0.0:
            ext[j] += m
            mix_h[j] += m * (w[ip[ip[r + F.I_INJ_H] + k]] - y[ip[ih + j]])
            mix_b[j] += m * (w[ip[ip[r + F.I_INJ_BORON] + k]] - y[ip[ib + j]])
    ext_total = 0.0
    surge = 0.0
    for j in range(nn):
        ext_total += ext[j]
        surge -= vrh[j] * dydt[ip[ih + j]]
    surge += ext_total
    # the surge's enthalpy and boron out of the pressurizer
    h_out = w[ip[r + F.W_H_F]]
    c_pz = y[ip[r + F.Y_BORON]]
    c_hot = y[ip[ib + ip[r + F.N_SURGE_NODE]]]
    h_s = h_out
    c_s = c_pz
    pdot = 0.0
    wgt = 0.5
    for _pass in range(2):
        wgt = 0.5 * (1.0 + math.tanh(surge / SURGE_BLEND))
        h_s = wgt * w[ip[r + F.IN_SURGE_H]] + (1.0 - wgt) * h_out
        s_alpha = ext_total
        b_sum = 0.0
        for j in range(nn):
            i = ip[ih + j]
            h = y[i]
            dh0 = dydt[i] + (mix_h[j] + ext[j] * (h - h_s)) / mass[j]
            den = 1.0 - vrh[j] * (h_s - h) / mass[j]
            s_alpha -= vrh[j] * dh0 / den
            b_sum += comp[j] / den
        a0, a1, bz = _pressure_terms(y, p, ip, d, w, r, h_s)
        pdot = (a0 + a1 * s_alpha) / (bz + a1 * b_sum)
        surge = s_alpha - b_sum * pdot
    c_s = wgt * c_hot + (1.0 - wgt) * c_pz
    # the nodes' final rates
    for j in range(nn):
        i = ip[ih + j]
        h = y[i]
        dh0 = dydt[i] + (mix_h[j] + ext[j] * (h - h_s)) / mass[j]
        c = (h_s - h) / mass[j]
        den = 1.0 - vrh[j] * c
        dm = (vrh[j] * dh0 + comp[j] * pdot) / den
        dydt[i] = dh0 + p[pv + j] / mass[j] * pdot + c * dm
        ibj = ip[ib + j]
        mb = shared_water if p[pb + j] > 0.0 else mass[j]
        cb = y[ibj]
        dydt[ibj] += ((c_s - cb) * dm + mix_b[j] + ext[j] * (cb - c_s)) / mb
    w[ip[r + F.W_SURGE]] = surge
    w[ip[r + F.W_SURGE_H]] = h_s
    w[ip[r + F.W_DPDT]] = pdot
    c_sp = y[ip[ib + ip[r + F.N_SPRAY_NODE]]]
    q = ip[r + F.P_DATA]
    m_liq = max(w[ip[r + F.W_LIQUID_MASS]], 1.0)
    if two:
        wr = ip[r + F.W_RATES]
        wp = ip[r + F.W_PROPS]
        vol = p[q + D_VOLUME]
        v_l = w[wp + ne.PR_V_L]
        dm_l = w[wr + ne.RT_DM_L] + surge
        dydt[yc] = dm_l
        dydt[yc + 1] = w[wr + ne.RT_DH_L] + surge * h_s + v_l * pdot
        dydt[yc + 2] = w[wr + ne.RT_DM_G]
        dydt[yc + 3] = w[wr + ne.RT_DH_G] + (vol - v_l) * pdot
        dydt[yc + 4] = pdot
        dydt[yc + 5] = w[wr + ne.RT_DT_W]
        wt = ip[r + F.W_TRANSFER]
        for k in range(N_TRANSFER):
            w[wt + k] = w[wr + ne.RT_FLASH + k]
        dydt[ip[r + F.Y_BORON]] = (surge * c_s + spray * c_sp - c_pz * dm_l) / m_liq
    else:
        relief = w[ip[r + F.W_RELIEF]]
        dm_z, du_z = pzr.pressurizer_derivatives(
            surge,
            h_s,
            spray,
            w[ip[r + F.IN_SPRAY_H]],
            y[ip[r + F.Y_HEATER]],
            relief,
            w[ip[r + F.W_H_G]],
            p[q + D_HEAT_LOSS],
        )
        dydt[yc] = dm_z
        dydt[yc + 1] = du_z
        dydt[ip[r + F.Y_BORON]] = (surge * (c_s - c_pz) + spray * (c_sp - c_pz)) / m_liq
        wt = ip[r + F.W_TRANSFER]
        for k in range(N_TRANSFER):
            w[wt + k] = 0.0


@njit
def roots(t, y, p, ip, d, w, g, r):
    """Relief and safety valves (set and reset pressures), back-up heaters (on and off
    pressures) and the heaters' low-level cut-out (cut-out and reset levels)."""
    q = ip[r + F.P_DATA]
    press = w[ip[r + F.W_PRESSURE]]
    gv = ip[r + F.G_VALVES]
    if d[ip[r + F.D_RELIEF]] > 0.5:
        g[gv + EV_RELIEF] = 1.0 - press / p[q + D_RELIEF_CLOSE]
    else:
        g[gv + EV_RELIEF] = press / p[q + D_RELIEF_OPEN] - 1.0
    if d[ip[r + F.D_SAFETY]] > 0.5:
        g[gv + EV_SAFETY] = 1.0 - press / p[q + D_SAFETY_CLOSE]
    else:
        g[gv + EV_SAFETY] = press / p[q + D_SAFETY_OPEN] - 1.0
    p_set = d[ip[r + F.D_PRESSURE_SETPOINT]]
    if d[ip[r + F.D_BACKUP]] > 0.5:
        g[gv + EV_BACKUP] = (press - (p_set - p[q + D_BACKUP_OFF])) / p_set
    else:
        g[gv + EV_BACKUP] = ((p_set - p[q + D_BACKUP_ON]) - press) / p_set
    level = w[ip[r + F.W_LEVEL]]
    if d[ip[r + F.D_BLOCKED]] > 0.5:
        g[gv + EV_CUTOUT] = level - p[q + D_CUTOUT_RESET]
    else:
        g[gv + EV_CUTOUT] = p[q + D_CUTOUT_LEVEL] - level


class Pressurizer(Component):
    """The pressurizer (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"pressurizer"``).
    model : str
        ``"two_region"`` or ``"equilibrium"``.
    data : ndarray
        The P_DATA block (see ``D_*``), SI.
    region : ndarray
        The two-region model's parameters (:mod:`nppsim.physics.pressurizer_nonequilibrium`,
        ``PRM_*``).
    pressure_setpoint, letdown : float
        Initial pressure setpoint [Pa] and let-down flow [kg/s].
    nodes : list of (h state, boron state, volume [m3], fixed mass [kg], boron mass [kg], rho,
            drho/dh, drho/dp signals)
        Every primary node (fixed mass 0: the node's mass is rho V; boron mass 0: the node's
        own water carries its concentration; > 0: the node shares one concentration with the
        other such nodes, the core's, whose boron is carried by their water rho V summed); the
        signals are the node's density [kg/m3], (d rho/d h)_p and (d rho/d p)_h that its own
        component computes at ``pressurizer.pressure`` (the closure reads them instead of
        looking them up again).
    makeup_node, spray_node, surge_node : int
        Indices in ``nodes`` where make-up and let-down, the spray line and the surge line
        connect.
    injections : list of (node index, flow signal, enthalpy signal, boron signal)
        External injections (emergency core cooling).
    links : dict
        Signals of the ports: spray_dp, surge_h, spray_h, makeup, makeup_h, feed, feed_boron,
        supply_heaters, supply_makeup.
    """

    kind = "pressurizer"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        *,
        model: str = "two_region",
        region: np.ndarray | None = None,
        pressure_setpoint: float,
        letdown: float,
        nodes: list[tuple[str, str, float, float, float, str, str, str]],
        makeup_node: int,
        spray_node: int,
        surge_node: int,
        injections: list[tuple[int, str, str, str]] | None = None,
        links: dict[str, str],
    ) -> None:
        super().__init__(name)
        if model not in MODELS:
            raise ValueError(f"pressurizer model {model!r}: one of {sorted(MODELS)}")
        self.model = MODELS[model]
        self.data = np.asarray(data, dtype=float)
        self.region = (
            np.asarray(region, dtype=float) if region is not None else np.ones(ne.N_PARAMS)
        )
        self.p_set0, self.letdown0 = pressure_setpoint, letdown
        self.nodes = nodes
        self.makeup_node, self.spray_node, self.surge_node = makeup_node, spray_node, surge_node
        self.injections = list(injections or [])
        self.links = links

    @property
    def content_labels(self) -> tuple[str, ...]:
        return CONTENT_LABELS[self.model]

    def declare(self, b: Declarer) -> None:
        labels = CONTENT_LABELS[self.model]
        n_c = len(labels)
        units = CONTENT_UNITS[self.model]
        b.state(
            "contents",
            n_c,
            "mixed",
            np.asarray(CONTENT_ATOL[self.model], dtype=float),  # type: ignore[arg-type]
            labels=[f"contents[{x}]" for x in labels],
            description="the vessel's contents: "
            + ", ".join(f"{x} [{u}]" for x, u in zip(labels, units, strict=True)),
        )
        b.state("heater", 1, "W", 1e2, description="heater power (lagged)")
        b.state("boron", 1, "ppm", 1e-6, description="boron concentration of the liquid")
        b.count("model", self.model)
        b.param("data", self.data, description="vessel, heaters, spray, valves")
        b.param("region", self.region, description="two-region model (PRM_* of the physics)")
        b.count("nodes", len(self.nodes))
        b.state_refs("node_h", [n[0] for n in self.nodes], before_closure=False)
        b.state_refs("node_boron", [n[1] for n in self.nodes])
        b.param("node_volume", [n[2] for n in self.nodes], "m3")
        b.param("node_mass", [n[3] for n in self.nodes], "kg")
        b.param("node_boron_mass", [n[4] for n in self.nodes], "kg")
        b.signal_refs("node_rho", [n[5] for n in self.nodes], before_closure=False)
        b.signal_refs("node_drho", [n[6] for n in self.nodes], before_closure=False)
        b.signal_refs("node_drho_dp", [n[7] for n in self.nodes], before_closure=False)
        b.count("makeup_node", self.makeup_node)
        b.count("spray_node", self.spray_node)
        b.count("surge_node", self.surge_node)
        ninj = len(self.injections)
        b.count("inj", ninj)
        b.int_param("inj_node", [x[0] for x in self.injections] or [0])
        b.signal_refs("inj_flow", [x[1] for x in self.injections])
        b.signal_refs("inj_h", [x[2] for x in self.injections])
        b.signal_refs("inj_boron", [x[3] for x in self.injections])
        b.discrete("pressure_setpoint", self.p_set0, "Pa", description="pressure setpoint")
        b.discrete("letdown", self.letdown0, "kg/s", description="let-down flow")
        b.discrete("backup", 0.0, description="back-up heater groups on (1)")
        b.discrete("blocked", 0.0, description="heaters cut out on low level (1)")
        b.discrete("relief", 0.0, description="relief valve open (1)")
        b.discrete("safety", 0.0, description="safety valves open (1)")
        ports = (
            "spray_dp",
            "surge_h",
            "spray_h",
            "makeup",
            "makeup_h",
            "feed",
            "feed_boron",
            "supply_heaters",
            "supply_makeup",
        )
        for k in ports:
            b.port(k, self.links[k])
        vessel = ("contents",)
        b.signal("pressure", "Pa", columns="pressure_primary_pa", depends=vessel)
        b.signal("temp_sat", "K", columns="temp_saturation_pzr_k", depends=vessel)
        b.signal("level", "m", columns="level_pressurizer_m", depends=vessel)
        b.signal("h_f", "J/kg", depends=vessel, description="liquid enthalpy (equilibrium: h_f)")
        b.signal("h_g", "J/kg", depends=vessel, description="vapour enthalpy (equilibrium: h_g)")
        b.signal("liquid_volume", "m3", depends=vessel)
        b.signal("spray", "kg/s", columns="flow_spray_kg_s", depends=(*vessel, "port:spray_dp"))
        b.signal("relief", "kg/s", columns="flow_pzr_relief_kg_s", depends=vessel)
        b.signal("heater_demand", "W", depends=vessel)
        b.signal("surge", "kg/s", columns="flow_surge_kg_s")
        b.signal("surge_h", "J/kg")
        b.signal("makeup", "kg/s", columns="flow_makeup_kg_s", depends=("port:makeup", "port:feed"))
        b.signal("letdown", "kg/s", columns="flow_letdown_kg_s", depends=("port:feed",))
        b.signal("heaters", "W", columns="power_heaters_w", depends=("heater",))
        b.signal("energy_out", "W", depends=vessel)
        b.signal("energy_makeup", "W", depends=("port:makeup", "port:makeup_h", "port:feed"))
        b.signal("mass_in", "kg/s", depends=(*vessel, "port:makeup", "port:feed"))
        b.signal("status", "1", depends=())
        b.signal("temp_liquid", "K", columns="temp_pzr_liquid_k", depends=vessel)
        b.signal("temp_vapour", "K", columns="temp_pzr_vapour_k", depends=vessel)
        b.signal("temp_wall", "K", columns="temp_pzr_wall_k", depends=vessel)
        b.signal("dpdt", "Pa/s", description="pressure rate")
        b.signal("boron", "ppm", columns="boron_pzr_ppm", depends=("boron",))
        b.signal("makeup_boron", "ppm kg/s", depends=("port:feed", "port:feed_boron"))
        b.signal(
            "boron_in",
            "ppm kg/s",
            depends=("port:makeup", "port:feed", "port:feed_boron"),
            description="boron crossing the boundary",
        )
        b.signal("mass_total", "kg", columns="mass_pzr_kg", depends=vessel)
        b.signal("energy_stored", "J", depends=vessel)
        b.signal("boron_stored", "ppm kg", depends=(*vessel, "boron"))
        b.signal("liquid_mass", "kg", depends=vessel)
        b.signal("props", "mixed", ne.N_PROPS, depends=vessel)
        b.signal("eq", "mixed", 2, depends=vessel)
        b.signal("rates", "mixed", ne.N_RATES)
        b.signal(
            "transfer",
            "kg/s",
            N_TRANSFER,
            columns=[
                "flow_pzr_flashing_kg_s",
                "flow_pzr_rainout_kg_s",
                "flow_pzr_interface_kg_s",
                "flow_pzr_wall_condensation_kg_s",
                "flow_pzr_spray_condensation_kg_s",
            ],
            description="two-region transfers: flashing, rain-out, interface evaporation, wall "
            "and spray condensation",
        )
        b.roots(
            "valves",
            list(EVENTS),
            "pressurizer valves and heater switching",
            reads=("pressure", "level"),
        )
        b.depends("heater", ("heater", *vessel))
        inputs = (*vessel, "heater", *(f"port:{k}" for k in ports))
        refs = ("refs:inj_flow", "refs:inj_h", "refs:inj_boron")
        b.depends("contents", (*inputs, *refs))
        b.depends("boron", ("boron", *inputs, *refs))
        # the closure: the vessel's rates read every primary node's rate, and every node's rate
        # reads the surge enthalpy and the pressure rate, hence every node's rate; the boron rates
        # (passive: nothing else reads them) read all of that too, plus the concentrations of
        # the surge and spray lines and of the pressurizer
        boron_rows = sorted({n[1] for n in self.nodes})
        b.closure(
            [n[0] for n in self.nodes],
            ("contents",),
            passive=[*boron_rows, f"{self.name}.boron"],
            passive_on=[
                self.nodes[self.surge_node][1],
                self.nodes[self.spray_node][1],
                self.nodes[self.makeup_node][1],
                f"{self.name}.boron",
                "port:feed",
                "port:feed_boron",
                "port:makeup",
            ],
            outputs=("surge", "surge_h", "dpdt", "rates", "transfer"),
        )

    # -- located events --------------------------------------------------------------------------
    def on_valves(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A valve reached its set or reset pressure, a heater group its switching pressure, or
        the level the heaters' cut-out: switch it."""
        name = EVENTS[k]
        key = {"relief": "relief", "safety": "safety", "backup_heaters": "backup"}.get(
            name, "blocked"
        )
        i = net.d_index(f"{self.name}.{key}")
        d[i] = 0.0 if d[i] > 0.5 else 1.0
        if k in (EV_RELIEF, EV_SAFETY):
            what = "relief valve" if k == EV_RELIEF else "safety valves"
            press = float(net.signal_vector(t, y, d)[net.w_index(f"{self.name}.pressure")])
            state = "opened" if d[i] > 0.5 else "closed"
            return (
                y,
                d,
                [
                    {
                        "time_s": t,
                        "kind": "valve",
                        "name": f"pzr_{name}_{state}",
                        "detail": f"pressurizer {what} {state} at {press / 1e6:.2f} MPa",
                    }
                ],
            )
        if k == EV_CUTOUT:
            state = "cut out" if d[i] > 0.5 else "back in"
            return (
                y,
                d,
                [{"time_s": t, "kind": "heaters", "name": "pzr_heaters_level", "detail": state}],
            )
        return y, d, []

    def on_supply_restored(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, group: str):
        """The make-up pumps are back on the diesels: level control resumes."""
        if group != "makeup":
            return y, d, []
        ctl = net.by_name.get("makeup")
        if ctl is not None:
            ctl.set_mode(net, t, y, d, 0.0, transfer="integral")
        return y, d, []

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        return []

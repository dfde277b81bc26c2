"""A steam generator's secondary side: the boiling water and steam, heat from the primary, valves.

States: the mass M and internal energy U of the secondary contents; pressure, temperature and
collapsed level follow at saturation (:func:`nppsim.physics.vessel.vessel_state`; the level of a
horizontal shell from the liquid volume, tabulated from :func:`nppsim.physics.steam_generator.
liquid_volume_at_level`). The steam volume in the boiling pool (``void``) lags its equilibrium
with the heat input and pressure by the bubbles' residence time: the two-phase mixture level
swells and shrinks with it (:func:`~nppsim.physics.steam_generator.void_equilibrium`). The level
the plant measures is the narrow-range differential-pressure reading
(:func:`~nppsim.physics.steam_generator.narrow_range_level`) through the transmitter's damping
(state ``level_m``); the level controllers and the low-level trip use it. Heat flows from each
primary tube node at its temperature to the boiling water, with the overall conductance falling
with the primary flow and with the part of the tube bundle above the mixture level
(:func:`~nppsim.physics.steam_generator.operating_ua`). Steam leaves through the
steam line to the header (an orifice, unless the main steam isolation valve is shut), the
atmospheric dump valve BRU-A and the safety valves (proportional lift, choked flow), and a break
if there is one (Napier's rule):

.. math:: \\frac{dM}{dt} = \\dot m_{feed} - \\dot m_{steam}, \\qquad
    \\frac{dU}{dt} = Q + \\dot m_{feed} h_{feed} - \\dot m_{steam} h_g
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics import critical_flow, steam_generator, turbine
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 12
P_ATMOSPHERE = 101325.0  # standard atmosphere [Pa], back pressure of a steam-line break


class F(IntEnum):
    """The record of a steam generator in ``ip``."""

    Y_MASS = 0
    Y_ENERGY = 1
    P_DATA = 2
    P_LEVEL_V = 3
    P_LEVEL_Z = 4
    N_LEVEL = 5
    N_NODES = 6
    D_BREAK_AREA = 7
    D_MSIV = 8
    IN_TEMP_NODES = 9
    IN_FLOW = 10
    IN_HEADER = 11
    IN_FEED = 12
    IN_FEED_H = 13
    W_PRESSURE = 14
    W_TEMP_SAT = 15
    W_LEVEL = 16
    W_H_G = 17
    W_Q_NODES = 18
    W_Q = 19
    W_LINE = 20
    W_BRU_A = 21
    W_SAFETY = 22
    W_BREAK = 23
    W_STEAM = 24
    W_ENERGY_OUT = 25
    W_STATUS = 26
    W_RHO_G = 27
    Y_VOID = 28
    Y_LEVEL_M = 29
    W_H_FG = 30
    W_LEVEL_MIX = 31
    W_LEVEL_INDICATED = 32
    W_LEVEL_MEASURED = 33
    W_VOID = 34
    W_V_F = 35


# by position in the P_DATA block
(
    S_VOLUME,
    S_BUNDLE_BOTTOM,
    S_BUNDLE_TOP,
    S_UA,
    S_DESIGN_FLOW,
    S_PRIMARY_SHARE,
    S_STEAM_RATED,
    S_DP_LINE,
    S_RHO_G_RATED,
    S_BRU_A_OPEN,
    S_BRU_A_BAND,
    S_BRU_A_CAP,
    S_BRU_A_P_RATED,
    S_SAFETY_OPEN,
    S_SAFETY_FULL,
    S_SAFETY_CAP,
    S_P_GUESS,
    S_RESIDENCE,
    S_TAP_LOW,
    S_TAP_HIGH,
    S_LT_TAU,
    S_V_BELOW_BUNDLE,
) = range(22)
N_DATA = 22


@njit
def early(t, y, p, ip, d, w, r):
    """Pressure, saturation temperature, steam enthalpy and level from the mass and energy."""
    q = ip[r + F.P_DATA]
    v = props.vessel(
        p, ip, y[ip[r + F.Y_MASS]], y[ip[r + F.Y_ENERGY]], p[q + S_VOLUME], p[q + S_P_GUESS]
    )
    w[ip[r + F.W_PRESSURE]] = v[0]
    w[ip[r + F.W_TEMP_SAT]] = v[1]
    w[ip[r + F.W_H_G]] = v[8]
    w[ip[r + F.W_RHO_G]] = v[10]
    w[ip[r + F.W_STATUS]] = v[13]
    w[ip[r + F.W_H_FG]] = v[8] - v[7]
    w[ip[r + F.W_V_F]] = v[4]
    lv, lz, nl = ip[r + F.P_LEVEL_V], ip[r + F.P_LEVEL_Z], ip[r + F.N_LEVEL]
    w[ip[r + F.W_LEVEL]] = props.interp(p, lv, lz, nl, v[4])
    # swell: the pool's bubbles lift the mixture level; the narrow-range transmitter reads the
    # water between its taps
    void = max(y[ip[r + F.Y_VOID]], 0.0)
    z_mix = props.interp(p, lv, lz, nl, v[4] + void)
    w[ip[r + F.W_LEVEL_MIX]] = z_mix
    w[ip[r + F.W_VOID]] = void
    alpha = steam_generator.pool_void_fraction(void, v[4], p[q + S_V_BELOW_BUNDLE])
    w[ip[r + F.W_LEVEL_INDICATED]] = steam_generator.narrow_range_level(
        z_mix, alpha, p[q + S_TAP_LOW], p[q + S_TAP_HIGH]
    )
    w[ip[r + F.W_LEVEL_MEASURED]] = y[ip[r + F.Y_LEVEL_M]]


@njit
def signals(t, y, p, ip, d, w, r):
    """Heat from the primary and the steam flows."""
    q = ip[r + F.P_DATA]
    press = w[ip[r + F.W_PRESSURE]]
    t_sat = w[ip[r + F.W_TEMP_SAT]]
    h_g = w[ip[r + F.W_H_G]]
    rho_g = w[ip[r + F.W_RHO_G]]
    # tubes in the two-phase mixture boil: the coverage follows the mixture level
    level = w[ip[r + F.W_LEVEL_MIX]]
    cov = steam_generator.bundle_coverage(level, p[q + S_BUNDLE_BOTTOM], p[q + S_BUNDLE_TOP])
    ua = steam_generator.operating_ua(
        p[q + S_UA], w[ip[r + F.IN_FLOW]], p[q + S_DESIGN_FLOW], cov, p[q + S_PRIMARY_SHARE]
    )
    nn = ip[r + F.N_NODES]
    tn = ip[r + F.IN_TEMP_NODES]
    wq = ip[r + F.W_Q_NODES]
    total = 0.0
    for j in range(nn):
        qj = ua / nn * (w[tn + j] - t_sat)
        w[wq + j] = qj
        total += qj
    w[ip[r + F.W_Q]] = total
    p_h = w[ip[r + F.IN_HEADER]]
    line = (
        turbine.steam_line_flow(
            press, p_h, rho_g, p[q + S_STEAM_RATED], p[q + S_DP_LINE], p[q + S_RHO_G_RATED]
        )
        * d[ip[r + F.D_MSIV]]
    )
    bru_a = turbine.choked_steam_flow(
        turbine.proportional_lift(
            press, p[q + S_BRU_A_OPEN], p[q + S_BRU_A_OPEN] + p[q + S_BRU_A_BAND]
        ),
        press,
        p[q + S_BRU_A_CAP],
        p[q + S_BRU_A_P_RATED],
    )
    safety = turbine.choked_steam_flow(
        turbine.proportional_lift(press, p[q + S_SAFETY_OPEN], p[q + S_SAFETY_FULL]),
        press,
        p[q + S_SAFETY_CAP],
        p[q + S_SAFETY_FULL],
    )
    # choked flow to the atmosphere; the driving pressure is taken over atmospheric so that a
    # blown-down SG settles at 0.1 MPa (Napier's rule overstates the flow near the end)
    brk = critical_flow.napier_flow(d[ip[r + F.D_BREAK_AREA]], press - P_ATMOSPHERE, 1.0)
    w[ip[r + F.W_LINE]] = line
    w[ip[r + F.W_BRU_A]] = bru_a
    w[ip[r + F.W_SAFETY]] = safety
    w[ip[r + F.W_BREAK]] = brk
    steam = line + bru_a + safety + brk
    w[ip[r + F.W_STEAM]] = steam
    w[ip[r + F.W_ENERGY_OUT]] = steam * h_g


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Mass and energy balance of the secondary contents."""
    dm, du = steam_generator.secondary_derivatives(
        w[ip[r + F.W_Q]],
        w[ip[r + F.IN_FEED]],
        w[ip[r + F.IN_FEED_H]],
        w[ip[r + F.W_STEAM]],
        w[ip[r + F.W_H_G]],
    )
    dydt[ip[r + F.Y_MASS]] = dm
    dydt[ip[r + F.Y_ENERGY]] = du
    q = ip[r + F.P_DATA]
    t_res = p[q + S_RESIDENCE]
    # a shallow pool holds at most as much steam as water above the bundle's bottom
    v_f = w[ip[r + F.W_V_F]]
    v_eq = steam_generator.void_equilibrium(
        w[ip[r + F.W_Q]],
        w[ip[r + F.W_H_FG]],
        w[ip[r + F.W_RHO_G]],
        t_res,
        max(v_f - p[q + S_V_BELOW_BUNDLE], 0.0),
    )
    dydt[ip[r + F.Y_VOID]] = (v_eq - y[ip[r + F.Y_VOID]]) / t_res
    dydt[ip[r + F.Y_LEVEL_M]] = (w[ip[r + F.W_LEVEL_INDICATED]] - y[ip[r + F.Y_LEVEL_M]]) / p[
        q + S_LT_TAU
    ]


class SteamGenerator(Component):
    """A steam generator's secondary side (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"sg1"``).
    index : int
        1-based number (recorded columns ``level_sg1_m``...).
    data : ndarray
        The P_DATA block (``S_*``), SI.
    level_volume, level_height : ndarray
        Liquid volume [m3] and level [m] table (increasing).
    n_nodes : int
        Primary tube nodes.
    links : dict
        Signals of the ports: temp_nodes (the first tube node's temperature), flow, header,
        feed, feed_h.
    """

    kind = "steam_generator"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        index: int,
        data: np.ndarray,
        level_volume: np.ndarray,
        level_height: np.ndarray,
        n_nodes: int,
        links: dict[str, str],
    ) -> None:
        super().__init__(name)
        self.index = index
        self.data = np.asarray(data, dtype=float)
        self.level_volume = np.asarray(level_volume, dtype=float)
        self.level_height = np.asarray(level_height, dtype=float)
        self.n_nodes = n_nodes
        self.links = links

    def on_protective_isolate_steam_lines(self, net, t, y, d, row):
        """Main steam isolation: this steam generator's MSIV shuts."""
        d[net.d_index(f"{self.name}.msiv")] = 0.0
        return y, d, []

    def declare(self, b: Declarer) -> None:
        i = self.index
        b.state("mass", 1, "kg", 1e-2, description="secondary water and steam")
        b.state("energy", 1, "J", 1e2, description="internal energy of the secondary contents")
        b.state("void", 1, "m3", 1e-5, description="steam volume in the boiling pool (swell)")
        b.state("level_m", 1, "m", 1e-6, description="narrow-range level transmitter output")
        b.param("data", self.data, description="volume, bundle, UA, steam line, valves")
        b.param("level_v", self.level_volume, "m3")
        b.param("level_z", self.level_height, "m")
        b.count("level", len(self.level_volume))
        b.count("nodes", self.n_nodes)
        b.discrete("break_area", 0.0, "m2", description="area of a steam-line break")
        b.discrete("msiv", 1.0, "1", description="main steam isolation valve open (1) or shut")
        for k in ("temp_nodes", "flow", "header", "feed", "feed_h"):
            b.port(k, self.links[k])
        vessel = ("mass", "energy")
        b.signal("pressure", "Pa", columns=f"pressure_sg{i}_pa", depends=vessel)
        b.signal("temp_sat", "K", depends=vessel)
        b.signal(
            "level",
            "m",
            columns=f"level_sg{i}_m",
            depends=vessel,
            description="collapsed level (the water alone)",
        )
        mix = (*vessel, "void")
        b.signal(
            "level_mix",
            "m",
            columns=f"level_sg{i}_mixture_m",
            depends=mix,
            description="two-phase mixture (swollen) level",
        )
        b.signal(
            "level_indicated",
            "m",
            depends=mix,
            description="narrow-range reading before the transmitter's damping",
        )
        b.signal(
            "level_measured",
            "m",
            columns=f"level_sg{i}_measured_m",
            depends=("level_m",),
            description="narrow-range level as the plant measures it (controllers, trips)",
        )
        b.signal("void", "m3", columns=f"void_sg{i}_m3", depends=("void",))
        b.signal("h_g", "J/kg", depends=vessel)
        b.signal("h_fg", "J/kg", depends=vessel)
        b.signal("v_f", "m3", depends=vessel, description="water volume")
        b.signal("rho_g", "kg/m3", depends=vessel)
        heat = (*mix, "port:temp_nodes", "port:flow")
        b.signal("q_nodes", "W", self.n_nodes, depends=heat)
        b.signal("q", "W", columns=f"power_sg{i}_w", depends=heat)
        b.signal(
            "line", "kg/s", columns=f"flow_steam_line{i}_kg_s", depends=(*vessel, "port:header")
        )
        b.signal("bru_a", "kg/s", columns=f"flow_bru_a{i}_kg_s", depends=vessel)
        b.signal("safety", "kg/s", columns=f"flow_sg_safety{i}_kg_s", depends=vessel)
        b.signal("break", "kg/s", columns=f"flow_break{i}_kg_s", depends=vessel)
        b.signal("steam", "kg/s", columns=f"flow_steam{i}_kg_s", depends=(*vessel, "port:header"))
        b.signal("energy_out", "W", depends=(*vessel, "port:header"))
        b.signal("status", "1", depends=())
        b.depends("mass", (*vessel, "port:header", "port:feed"))
        b.depends(
            "energy",
            (*mix, "port:header", "port:feed", "port:feed_h", "port:temp_nodes", "port:flow"),
        )
        b.depends("void", (*mix, "port:temp_nodes", "port:flow"))
        b.depends("level_m", (*mix, "level_m"))

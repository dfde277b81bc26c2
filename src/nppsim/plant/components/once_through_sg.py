"""A once-through steam generator (integral PWR): feedwater boils and superheats in the tubes.

**Normal operation.** The secondary side is a chain of N well-mixed nodes along the tubes, from the
feedwater inlet to the steam outlet, counter-current to the primary nodes of its flow path
(:mod:`.loop`): secondary node k exchanges heat with primary node N-1-k,

.. math::

    M_k \\frac{dh_k}{dt} = \\dot m_{f}\\,(h_{k-1} - h_k) + Q_k, \\qquad
    Q_k = \\frac{UA}{N}\\, f(x_k)\\, (T_{p,N-1-k} - T_{s,k})

with h_{-1} the feed enthalpy, M_k = rho(p, h_k) V_k, T_s the secondary temperature at (p, h)
(saturation in the two-phase nodes, above it in the superheated ones) and f(x) the heat-transfer
regime: ``liquid_ua_factor`` in the economiser (x < 0), 1 while boiling, ``vapour_ua_factor`` in
the superheater (x > 1), blended over 0.05 of quality. UA falls with the primary flow as in the
horizontal steam generator (:func:`nppsim.physics.steam_generator.operating_ua`). The mass stored
in the tubes is small (a few seconds of steam) and its change is neglected in the flow: the
steam produced equals the feed. It fills the outlet plenum and steam lines (volume V_o), whose
pressure is a state:

.. math:: V_o \\frac{d\\rho_g}{dp} \\frac{dp}{dt} = \\dot m_f - \\dot m_{line} - \\dot m_{BRU-A}
    - \\dot m_{safety}

with the line to the turbine header an orifice (:func:`nppsim.physics.turbine.steam_line_flow`),
BRU-A and the safety valves proportional with choked flow, as for the horizontal steam generator.
Without an average-temperature programme the feed controller aims at the steam temperature

.. math:: T_{set} = \\min\\big(T_{design},\\ \\max(T_{p,in} - \\Delta T_{approach},\\
    T_{sat} + \\Delta T_{min})\\big)

(signal ``temp_steam_setpoint``): the design temperature at full power, the primary inlet less the
design approach at part load and after a trip, never less than a minimum superheat, so that the
tubes are not flooded with feedwater.

**Average-temperature programme** (``[control.steam_generators].average_temperature_slope``).
While the rod controller is in automatic, the feed is trimmed instead on the flow path's average
temperature (the mean of the water entering and leaving the steam generator's flow path),

.. math:: e = \\min\\big(\\bar T - \\bar T_{set}(N),\\ T_{out} - T_{sat} - \\Delta T_{min}\\big),
    \\qquad \\bar T_{set}(N) = \\bar T_{100} - s\\,(1 - N)

with \\bar T_{100} the full-power average temperature of the design point (steam at its design
temperature), s the programme's slope and N the relative neutron power: the primary keeps its
temperature as the power falls (the moderator's reactivity stays), the steam's superheat grows
instead, and the minimum superheat still keeps the tubes from flooding. The steam pressure is
held by the turbine or the rods, as in the once-through plants' constant-average-temperature
programme (Babcock & Wilcox integrated control; marine PWRs). After a trip (rods no longer in
automatic) the steam-temperature programme above takes over (the cooldown to the steam
generators' minimum superheat).

**Passive heat removal (thermosiphon).** When the station-blackout signal actuates the passive
heat removal (:mod:`.passive_heat_removal`), the steam generator is isolated (its steam line and
feed closed) and becomes, with the train's condenser, a closed boiling loop: the water of the
tubes plus the water standing in the train (``[passive_safety.heat_removal].loop_water``) in the
volume of tubes, outlet and train. From then on the secondary is a vessel of mass M and energy U
(:func:`nppsim.physics.vessel.vessel_state`) that boils on the tubes at its saturation temperature
and loses the train's heat:

.. math:: \\frac{dM}{dt} = \\dot m_f - \\dot m_{relief}, \\qquad
    \\frac{dU}{dt} = \\sum_k UA_k (T_{p,k} - T_{sat}) - Q_{PHRS} + \\dot m_f h_f
    - \\dot m_{relief} h_g
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics import steam_generator, turbine
from nppsim.physics.thermal_mixing import mixing_volume_derivative
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 42
REGIME_BLEND = 0.05  # [1] quality width over which the heat-transfer regime changes (smooth)

# by position in the P_DATA block
(
    O_UA,
    O_DESIGN_FLOW,
    O_PRIMARY_SHARE,
    O_LIQUID_FACTOR,
    O_VAPOUR_FACTOR,
    O_STEAM_RATED,
    O_DP_LINE,
    O_RHO_G_RATED,
    O_BRU_A_OPEN,
    O_BRU_A_BAND,
    O_BRU_A_CAP,
    O_BRU_A_P_RATED,
    O_SAFETY_OPEN,
    O_SAFETY_FULL,
    O_SAFETY_CAP,
    O_V_OUT,
    O_V_LOOP,
    O_LOOP_WATER,
    O_P_GUESS,
    O_T_DESIGN,
    O_APPROACH,
    O_SUPERHEAT_MIN,
    O_TAVG_ON,
    O_TAVG_FULL,
    O_TAVG_SLOPE,
) = range(25)
N_DATA = 25


class F(IntEnum):
    """The record of a once-through steam generator in ``ip``."""

    Y_H = 0
    Y_PRESSURE = 1
    Y_LOOP_MASS = 2
    Y_LOOP_ENERGY = 3
    P_DATA = 4
    P_NODE_VOLUME = 5
    N_NODES = 6
    D_MSIV = 7
    D_THERMOSIPHON = 8
    IN_TEMP_NODES = 9
    IN_FLOW = 10
    IN_HEADER = 11
    IN_FEED = 12
    IN_FEED_H = 13
    IN_PHRS = 14
    W_PRESSURE = 15
    W_TEMP_SAT = 16
    W_H_G = 17
    W_RHO_G = 18
    W_NODE_TEMP = 19
    W_NODE_RHO = 20
    W_Q_NODES = 21
    W_Q = 22
    W_LINE = 23
    W_BRU_A = 24
    W_SAFETY = 25
    W_STEAM = 26
    W_ENERGY_OUT = 27
    W_TEMP_STEAM = 28
    W_SUPERHEAT = 29
    W_STATUS = 30
    W_TEMP_STEAM_SETPOINT = 31
    W_TEMP_STEAM_DEVIATION = 32
    IN_TEMP_IN = 33
    IN_TEMP_OUT = 34
    IN_AUTO = 35
    IN_POWER = 36
    W_TEMP_AVERAGE = 37
    W_TEMP_AVERAGE_SETPOINT = 38


@njit
def regime_factor(h, h_f, h_g, liquid, vapour):
    """Heat-transfer regime factor at enthalpy ``h`` [1]: ``liquid`` below saturated liquid, 1
    while boiling, ``vapour`` above saturated vapour (tanh blends of width REGIME_BLEND)."""
    x = (h - h_f) / (h_g - h_f)
    s_boil = 0.5 * (1.0 + math.tanh(x / REGIME_BLEND))
    s_dry = 0.5 * (1.0 + math.tanh((x - 1.0) / REGIME_BLEND))
    return liquid + (1.0 - liquid) * s_boil - (1.0 - vapour) * s_dry


@njit
def early(t, y, p, ip, d, w, r):
    """Pressure and saturation properties: the outlet plenum's, or the thermosiphon vessel's."""
    q = ip[r + F.P_DATA]
    if d[ip[r + F.D_THERMOSIPHON]] > 0.5:
        v = props.vessel(
            p,
            ip,
            y[ip[r + F.Y_LOOP_MASS]],
            y[ip[r + F.Y_LOOP_ENERGY]],
            p[q + O_V_LOOP],
            p[q + O_P_GUESS],
        )
        w[ip[r + F.W_PRESSURE]] = v[0]
        w[ip[r + F.W_TEMP_SAT]] = v[1]
        w[ip[r + F.W_H_G]] = v[8]
        w[ip[r + F.W_RHO_G]] = v[10]
        w[ip[r + F.W_STATUS]] = v[13]
        return
    press = y[ip[r + F.Y_PRESSURE]]
    s = props.sat(p, ip, press)
    w[ip[r + F.W_PRESSURE]] = press
    w[ip[r + F.W_TEMP_SAT]] = s[0]
    w[ip[r + F.W_H_G]] = s[4]
    w[ip[r + F.W_RHO_G]] = s[2]
    w[ip[r + F.W_STATUS]] = s[14]


@njit
def signals(t, y, p, ip, d, w, r):
    """Node temperatures, heat from the primary, steam flows."""
    q = ip[r + F.P_DATA]
    nn = ip[r + F.N_NODES]
    press = w[ip[r + F.W_PRESSURE]]
    t_sat = w[ip[r + F.W_TEMP_SAT]]
    h_g = w[ip[r + F.W_H_G]]
    rho_g = w[ip[r + F.W_RHO_G]]
    siphon = d[ip[r + F.D_THERMOSIPHON]] > 0.5
    s = props.sat(p, ip, press)
    h_f = s[3]
    ua = steam_generator.operating_ua(
        p[q + O_UA], w[ip[r + F.IN_FLOW]], p[q + O_DESIGN_FLOW], 1.0, p[q + O_PRIMARY_SHARE]
    )
    yh = ip[r + F.Y_H]
    wt = ip[r + F.W_NODE_TEMP]
    wr = ip[r + F.W_NODE_RHO]
    wq = ip[r + F.W_Q_NODES]
    tp = ip[r + F.IN_TEMP_NODES]
    total = 0.0
    worst = w[ip[r + F.W_STATUS]]
    for k in range(nn):
        if siphon:
            t_k = t_sat
            rho_k = s[1]
            f = 1.0
        else:
            t_k, rho_k, _, st = props.node(p, ip, press, y[yh + k])
            if st != 0 and worst == 0:
                worst = st
            f = regime_factor(y[yh + k], h_f, h_g, p[q + O_LIQUID_FACTOR], p[q + O_VAPOUR_FACTOR])
        w[wt + k] = t_k
        w[wr + k] = rho_k
        j = nn - 1 - k  # the primary node facing this secondary node (counter-current)
        qk = ua / nn * f * (w[tp + j] - t_k)
        w[wq + j] = qk
        total += qk
    w[ip[r + F.W_STATUS]] = worst
    w[ip[r + F.W_Q]] = total
    open_line = d[ip[r + F.D_MSIV]] * (0.0 if siphon else 1.0)
    line = (
        turbine.steam_line_flow(
            press,
            w[ip[r + F.IN_HEADER]],
            rho_g,
            p[q + O_STEAM_RATED],
            p[q + O_DP_LINE],
            p[q + O_RHO_G_RATED],
        )
        * open_line
    )
    bru_a = turbine.choked_steam_flow(
        turbine.proportional_lift(
            press, p[q + O_BRU_A_OPEN], p[q + O_BRU_A_OPEN] + p[q + O_BRU_A_BAND]
        ),
        press,
        p[q + O_BRU_A_CAP],
        p[q + O_BRU_A_P_RATED],
    )
    safety = turbine.choked_steam_flow(
        turbine.proportional_lift(press, p[q + O_SAFETY_OPEN], p[q + O_SAFETY_FULL]),
        press,
        p[q + O_SAFETY_CAP],
        p[q + O_SAFETY_FULL],
    )
    w[ip[r + F.W_LINE]] = line
    w[ip[r + F.W_BRU_A]] = bru_a
    w[ip[r + F.W_SAFETY]] = safety
    steam = line + bru_a + safety
    w[ip[r + F.W_STEAM]] = steam
    if siphon:
        h_out = h_g
        t_out = t_sat
    else:
        h_out = y[yh + nn - 1]
        t_out = w[wt + nn - 1]
    w[ip[r + F.W_ENERGY_OUT]] = steam * h_out
    w[ip[r + F.W_TEMP_STEAM]] = t_out
    w[ip[r + F.W_SUPERHEAT]] = t_out - t_sat
    # the steam temperature the feed control aims at: the design value, or the hot water less
    # the design approach at part load, but never less than a minimum superheat (no flooding)
    sp = min(
        p[q + O_T_DESIGN],
        max(w[ip[r + F.IN_TEMP_IN]] - p[q + O_APPROACH], t_sat + p[q + O_SUPERHEAT_MIN]),
    )
    w[ip[r + F.W_TEMP_STEAM_SETPOINT]] = sp
    dev = t_out - sp
    # the primary average-temperature programme (while the reactor is under automatic control):
    # the feed is trimmed on the flow path's average temperature, never below the minimum
    # superheat
    t_avg = 0.5 * (w[ip[r + F.IN_TEMP_IN]] + w[ip[r + F.IN_TEMP_OUT]])
    n = min(max(w[ip[r + F.IN_POWER]], 0.0), 1.0)
    t_avg_set = p[q + O_TAVG_FULL] - p[q + O_TAVG_SLOPE] * (1.0 - n)
    w[ip[r + F.W_TEMP_AVERAGE]] = t_avg
    w[ip[r + F.W_TEMP_AVERAGE_SETPOINT]] = t_avg_set
    if p[q + O_TAVG_ON] > 0.5 and w[ip[r + F.IN_AUTO]] > 0.5:
        dev = min(t_avg - t_avg_set, t_out - (t_sat + p[q + O_SUPERHEAT_MIN]))
    w[ip[r + F.W_TEMP_STEAM_DEVIATION]] = dev


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The tube nodes and the outlet pressure, or the thermosiphon vessel."""
    q = ip[r + F.P_DATA]
    nn = ip[r + F.N_NODES]
    yh = ip[r + F.Y_H]
    feed = max(w[ip[r + F.IN_FEED]], 0.0)
    h_feed = w[ip[r + F.IN_FEED_H]]
    relief = w[ip[r + F.W_BRU_A]] + w[ip[r + F.W_SAFETY]]
    if d[ip[r + F.D_THERMOSIPHON]] > 0.5:
        for k in range(nn):
            dydt[yh + k] = 0.0
        dydt[ip[r + F.Y_PRESSURE]] = 0.0
        phrs = w[ip[r + F.IN_PHRS]] if ip[r + F.IN_PHRS] >= 0 else 0.0
        dydt[ip[r + F.Y_LOOP_MASS]] = feed - relief
        dydt[ip[r + F.Y_LOOP_ENERGY]] = (
            w[ip[r + F.W_Q]] - phrs + feed * h_feed - relief * w[ip[r + F.W_H_G]]
        )
        return
    wq = ip[r + F.W_Q_NODES]
    wr = ip[r + F.W_NODE_RHO]
    vol = ip[r + F.P_NODE_VOLUME]
    for k in range(nn):
        h_before = h_feed if k == 0 else y[yh + k - 1]
        h_after = y[yh + k + 1] if k < nn - 1 else y[yh + k]
        mass = w[wr + k] * p[vol + k]
        dydt[yh + k] = mixing_volume_derivative(
            feed, h_before, h_after, y[yh + k], mass, w[wq + nn - 1 - k]
        )
    press = w[ip[r + F.W_PRESSURE]]
    s = props.sat(p, ip, press)
    cap = p[q + O_V_OUT] * max(s[9], 1e-9)
    dydt[ip[r + F.Y_PRESSURE]] = (feed - w[ip[r + F.W_STEAM]]) / cap
    dydt[ip[r + F.Y_LOOP_MASS]] = 0.0
    dydt[ip[r + F.Y_LOOP_ENERGY]] = 0.0


class OnceThroughSteamGenerator(Component):
    """A once-through steam generator (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"sg1"``).
    index : int
        1-based number (recorded columns ``temp_steam_sg1_k``...).
    data : ndarray
        The P_DATA block (``O_*``), SI.
    node_volumes : ndarray
        Secondary volume of each node [m3].
    links : dict
        Signals of the ports: temp_nodes (the first primary tube node's temperature, flow
        order), temp_in (the primary water entering), flow, header, feed, feed_h, and optionally
        phrs (the train's heat).
    """

    kind = "once_through_sg"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        index: int,
        data: np.ndarray,
        node_volumes: np.ndarray,
        links: dict[str, str | None],
    ) -> None:
        super().__init__(name)
        self.index = index
        self.data = np.asarray(data, dtype=float)
        self.node_volumes = np.asarray(node_volumes, dtype=float)
        self.links = links

    @property
    def n_nodes(self) -> int:
        return len(self.node_volumes)

    def declare(self, b: Declarer) -> None:
        i, nn = self.index, self.n_nodes
        b.state(
            "h",
            nn,
            "J/kg",
            1e-1,
            labels=[f"h[{k}]" for k in range(nn)],
            description="secondary enthalpy of the tube nodes, feed end first",
        )
        b.state("pressure", 1, "Pa", 1.0, description="steam outlet plenum pressure")
        b.state("loop_mass", 1, "kg", 1e-2, description="thermosiphon loop water and steam")
        b.state("loop_energy", 1, "J", 1e2, description="thermosiphon loop internal energy")
        b.param("data", self.data, description="UA, regimes, steam line, valves, volumes")
        b.param("node_volume", self.node_volumes, "m3")
        b.count("nodes", nn)
        b.discrete("msiv", 1.0, "1", description="main steam isolation valve open (1) or shut")
        b.discrete("thermosiphon", 0.0, "1", description="isolated, cooled by the PHRS (1)")
        for k in ("temp_nodes", "temp_in", "flow", "header", "feed", "feed_h"):
            b.port(k, self.links[k])
        for k in ("temp_out", "auto", "power"):
            b.port(k, self.links.get(k), optional=True)
        b.port("phrs", self.links.get("phrs"), optional=True)
        b.signal("pressure", "Pa", columns=f"pressure_sg{i}_pa")
        b.signal("temp_sat", "K")
        b.signal("h_g", "J/kg")
        b.signal("rho_g", "kg/m3")
        b.signal("node_temp", "K", nn)
        b.signal("node_rho", "kg/m3", nn)
        b.signal("q_nodes", "W", nn)
        b.signal("q", "W", columns=f"power_sg{i}_w")
        b.signal("line", "kg/s", columns=f"flow_steam_line{i}_kg_s")
        b.signal("bru_a", "kg/s", columns=f"flow_bru_a{i}_kg_s")
        b.signal("safety", "kg/s", columns=f"flow_sg_safety{i}_kg_s")
        b.signal("steam", "kg/s", columns=f"flow_steam{i}_kg_s")
        b.signal("energy_out", "W")
        b.signal("temp_steam", "K", columns=f"temp_steam_sg{i}_k")
        b.signal("superheat", "K", columns=f"superheat_sg{i}_k")
        b.signal("status", "1")
        b.signal("temp_steam_setpoint", "K", columns=f"temp_steam_setpoint_sg{i}_k")
        b.signal(
            "temp_steam_deviation",
            "K",
            description="the feed controller's error: steam temperature less its setpoint, or "
            "(average-temperature programme, rods in automatic) the average temperature less its "
            "programme, at most the superheat's excess over its minimum",
        )
        b.signal("temp_average", "K", description="the flow path's average temperature")
        b.signal(
            "temp_average_setpoint",
            "K",
            columns=f"temp_average_setpoint_sg{i}_k" if self.data[O_TAVG_ON] > 0.5 else None,
            description="the average-temperature programme",
        )

    def on_protective_isolate_steam_lines(self, net: Any, t: float, y, d, row):
        """Main steam isolation: this steam generator's MSIV shuts."""
        d[net.d_index(f"{self.name}.msiv")] = 0.0
        return y, d, []

    def on_protective_actuate_passive_heat_removal(self, net: Any, t: float, y, d, row):
        """The station-blackout signal isolates the steam generator and joins it to its PHRS
        train: the tubes' water and steam plus the train's standing water become one vessel."""
        from nppsim.plant import props as pr

        k = net.d_index(f"{self.name}.thermosiphon")
        if d[k] > 0.5 or self.data[O_V_LOOP] <= 0.0:
            return y, d, []
        press = float(y[net.s_index(f"{self.name}.pressure")])
        hs = y[net.states[f"{self.name}.h"].slice]
        mass, energy = 0.0, 0.0
        for h, v in zip(hs, self.node_volumes, strict=True):
            _, rho, _, _ = pr.node(net.p, net.ip, press, float(h))
            mass += rho * v
            energy += rho * v * (float(h) - press / rho)
        s = pr.sat(net.p, net.ip, press)
        water = float(self.data[O_LOOP_WATER])
        mass += water
        energy += water * float(s[5])
        y[net.s_index(f"{self.name}.loop_mass")] = mass
        y[net.s_index(f"{self.name}.loop_energy")] = energy
        d[k] = 1.0
        d[net.d_index(f"{self.name}.msiv")] = 0.0
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "isolation",
                    "name": f"{self.name}_thermosiphon",
                    "detail": f"SG{self.index} isolated, cooled by its passive heat removal train",
                }
            ],
        )

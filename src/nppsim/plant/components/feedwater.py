"""Feedwater: the main feed pumps and regulating valves, and the emergency feedwater.

Main feed: the level controllers (:mod:`.controller`, one per steam generator, with the steam flow
as feed-forward: three-element control) set the feed demand; the feed flow follows it through the
valve actuator's first-order lag, limited by what the running feed pumps and the fully open
valve can pass (:func:`nppsim.physics.turbine.feedwater_flow`). The water comes from the
high-pressure heaters at the turbine's feedwater enthalpy (:mod:`.turbine`).

Emergency feedwater (issue 8): motor-driven pumps on the safety-related supply (port ``supply``:
today ``electric.offsite``; once the diesel-backed bus exists it is connected there, see
``docs/models/plant.md``) feed cold water from the demineralised-water tanks. They start
``start_delay`` after a start signal (a row of the protection table: loss of the main feed pumps,
low steam-generator level) and, once running, each steam generator's emergency valve holds its
measured level in a band (proportional control: full flow ``band/2`` below the setpoint, none
``band/2`` above it). An isolated steam generator gets nothing.

.. math:: \\tau \\frac{d\\dot m_{feed,i}}{dt} = \\dot m_{demand,i} - \\dot m_{feed,i}, \\qquad
    \\dot m_{ef,demand,i} = \\dot m_{ef,max}\\,\\mathrm{clip}\\Big(\\frac12 +
    \\frac{L_{set} - L_i}{b}, 0, 1\\Big)
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics import turbine as tb
from nppsim.plant.component import Component, Declarer

CODE = 15
EPS_FLOW = 1e-3  # [kg/s] keeps the mixed enthalpy of a steam generator fed nothing defined


class F(IntEnum):
    """The record of the feedwater system in ``ip``."""

    Y_FLOW = 0
    N_SG = 1
    P_DATA = 2
    I_SG_PRESSURE = 3
    I_DEMAND = 4
    D_PUMPS = 5
    D_ISOLATED = 6
    IN_HEADER = 7
    IN_OFFSITE = 8
    W_CAPACITY = 9
    W_H = 10
    W_TOTAL = 11
    W_ENERGY_IN = 12
    W_FLOW = 13
    W_PUMPS = 14
    W_LOST = 15
    Y_EF = 16
    I_LEVEL = 17
    D_EF_RUNNING = 18
    D_EF_START = 19
    IN_H_MAIN = 20
    W_H_SG = 21
    W_EF_TOTAL = 22
    W_MAIN_TOTAL = 23
    W_EF_DEMAND = 24
    W_EF_RUNNING = 25


(
    FW_TAU,
    FW_PUMP_CAP,
    FW_STEAM_RATED,
    FW_MARGIN,
    FW_VALVE_CAP,
    FW_VALVE_DP,
    FW_EMERGENCY,
    FW_H_EMERGENCY,
    FW_INSTALLED,
    FW_EF_SETPOINT,
    FW_EF_BAND,
) = range(11)
N_DATA = 11


@njit
def signals(t, y, p, ip, d, w, r):
    """What each steam generator can be fed, the emergency demand, the enthalpies and flows."""
    q = ip[r + F.P_DATA]
    n = ip[r + F.N_SG]
    pumps = d[ip[r + F.D_PUMPS]]
    wc = ip[r + F.W_CAPACITY]
    p_feed = w[ip[r + F.IN_HEADER]] + p[q + FW_MARGIN]
    cap_pumps = pumps * p[q + FW_PUMP_CAP] * p[q + FW_STEAM_RATED]
    ef_on = d[ip[r + F.D_EF_RUNNING]] * w[ip[r + F.IN_OFFSITE]]
    wd = ip[r + F.W_EF_DEMAND]
    for i in range(n):
        if pumps > 0.0:
            cap_valve = tb.feedwater_flow(
                1.0,
                p_feed,
                w[ip[ip[r + F.I_SG_PRESSURE] + i]],
                p[q + FW_VALVE_CAP],
                p[q + FW_VALVE_DP],
            )
            w[wc + i] = min(cap_valve, cap_pumps)
        else:
            w[wc + i] = 0.0
        level = w[ip[ip[r + F.I_LEVEL] + i]]
        frac = min(max(0.5 + (p[q + FW_EF_SETPOINT] - level) / p[q + FW_EF_BAND], 0.0), 1.0)
        w[wd + i] = ef_on * frac * p[q + FW_EMERGENCY]
        if d[ip[r + F.D_ISOLATED] + i] > 0.5:
            w[wc + i] = 0.0
            w[wd + i] = 0.0
    h_main = w[ip[r + F.IN_H_MAIN]]
    h_ef = p[q + FW_H_EMERGENCY]
    w[ip[r + F.W_H]] = h_main
    main = 0.0
    emergency = 0.0
    energy = 0.0
    yf = ip[r + F.Y_FLOW]
    ye = ip[r + F.Y_EF]
    wh = ip[r + F.W_H_SG]
    for i in range(n):
        m = y[yf + i]
        e = y[ye + i]
        main += m
        emergency += e
        energy += m * h_main + e * h_ef
        w[ip[r + F.W_FLOW] + i] = m + e
        w[wh + i] = (m * h_main + e * h_ef + EPS_FLOW * h_main) / (m + e + EPS_FLOW)
    w[ip[r + F.W_MAIN_TOTAL]] = main
    w[ip[r + F.W_EF_TOTAL]] = emergency
    w[ip[r + F.W_TOTAL]] = main + emergency
    w[ip[r + F.W_ENERGY_IN]] = energy
    w[ip[r + F.W_PUMPS]] = pumps
    w[ip[r + F.W_LOST]] = p[q + FW_INSTALLED] - pumps
    w[ip[r + F.W_EF_RUNNING]] = ef_on


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The valves' lag towards the (limited) demands."""
    q = ip[r + F.P_DATA]
    yf = ip[r + F.Y_FLOW]
    ye = ip[r + F.Y_EF]
    tau = max(p[q + FW_TAU], 1e-3)
    for i in range(ip[r + F.N_SG]):
        dydt[yf + i] = (w[ip[ip[r + F.I_DEMAND] + i]] - y[yf + i]) / tau
        dydt[ye + i] = (w[ip[r + F.W_EF_DEMAND] + i] - y[ye + i]) / tau


class Feedwater(Component):
    """The feedwater system (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"feedwater"``).
    data : ndarray
        The P_DATA block (``FW_*``), SI.
    pumps : int
        Main feed pumps running at the start.
    sg_pressure, demand, level : list of str
        Per steam generator: its pressure signal, its level controller's output and its measured
        level.
    header, offsite, h_main : str
        Signals of the steam header pressure, of the emergency pumps' supply (off-site power
        until the diesel-backed bus exists) and of the main feedwater enthalpy.
    ef_start_delay : float
        Time from a start signal to emergency flow [s].
    """

    kind = "feedwater"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        pumps: int,
        *,
        sg_pressure: list[str],
        demand: list[str],
        level: list[str],
        header: str,
        offsite: str,
        h_main: str,
        ef_start_delay: float,
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.pumps = pumps
        self.sg_pressure, self.demand, self.level = sg_pressure, demand, level
        self.header, self.offsite, self.h_main = header, offsite, h_main
        self.ef_start_delay = ef_start_delay

    def on_protective_isolate_steam_lines(self, net, t, y, d, row):
        """Steam-line break signal: the feed to the steam generator with the lowest pressure
        (the faulted one) is isolated."""
        w = net.signal_vector(t, y, d)
        p_sg = [float(w[net.signal_lookup(x)]) for x in self.sg_pressure]
        k = int(np.argmin(p_sg))
        d[net.discrete[f"{self.name}.isolated"].start + k] = 1.0
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "isolation",
                    "name": "msiv_closed",
                    "detail": f"main steam isolation; feedwater to SG{k + 1} isolated",
                }
            ],
        )

    def on_protective_start_emergency_feed(self, net, t, y, d, row):
        """A start signal: the emergency feed pumps start after their delay (once)."""
        if d[net.d_index(f"{self.name}.ef_running")] > 0.5:
            return y, d, []
        k = net.d_index(f"{self.name}.ef_start")
        if math.isfinite(d[k]):
            return y, d, []
        d[k] = t + self.ef_start_delay
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "signal",
                    "name": "emergency_feed_start",
                    "detail": f"{row.name}: emergency feed pumps start in "
                    f"{self.ef_start_delay:g} s",
                }
            ],
        )

    def on_ef_start(self, net, t, y, d, k):
        """The emergency feed pumps are up to speed: their valves hold the levels."""
        d[net.d_index(f"{self.name}.ef_running")] = 1.0
        # the log says what the pumps do: started without their supply they give no flow
        powered = net.signal_vector(t, y, d)[net.w_index(f"{self.name}.ef_running")] > 0.5
        detail = (
            "emergency feed pumps running; valves hold the SG levels"
            if powered
            else "emergency feed pumps started but without supply: no flow until it returns"
        )
        return (y, d, [{"time_s": t, "kind": "mode", "name": "emergency_feed", "detail": detail}])

    def declare(self, b: Declarer) -> None:
        n = len(self.sg_pressure)
        b.state("flow", n, "kg/s", 1e-4, description="main feed flow to each steam generator")
        b.state("ef", n, "kg/s", 1e-4, description="emergency feed flow to each steam generator")
        b.count("sg", n)
        b.param("data", self.data, description="valve lag, pumps, valves, emergency feed")
        b.signal_refs("sg_pressure", self.sg_pressure)
        b.signal_refs("demand", self.demand)
        b.signal_refs("level", self.level)
        b.discrete("pumps", float(self.pumps), description="main feed pumps running")
        b.discrete("isolated", np.zeros(n), description="feed isolated per steam generator")
        b.discrete("ef_running", 0.0, description="emergency feed pumps running (1)")
        b.discrete(
            "ef_start",
            math.inf,
            "s",
            scheduled=True,
            description="time the emergency feed pumps come up to speed",
        )
        b.port("header", self.header)
        b.port("offsite", self.offsite)
        b.port("h_main", self.h_main)
        b.signal("capacity", "kg/s", n, depends=("port:header", "refs:sg_pressure"))
        b.signal("ef_demand", "kg/s", n, depends=("refs:level", "port:offsite"))
        b.signal("h", "J/kg", depends=("port:h_main",))
        b.signal("h_sg", "J/kg", n, depends=("flow", "ef", "port:h_main"))
        b.signal("total", "kg/s", columns="flow_feed_kg_s", depends=("flow", "ef"))
        b.signal("main_total", "kg/s", columns="flow_feed_main_kg_s", depends=("flow",))
        b.signal("ef_total", "kg/s", columns="flow_emergency_feed_kg_s", depends=("ef",))
        b.signal("energy_in", "W", depends=("flow", "ef", "port:h_main"))
        b.signal("flow", "kg/s", n, depends=("flow", "ef"))
        b.signal("pumps", "1", columns="feed_pumps_running", depends=())
        b.signal("lost", "1", columns="feed_pumps_lost", depends=())
        b.signal("ef_running", "1", columns="emergency_feed_running", depends=("port:offsite",))
        b.depends("flow", ("flow", "refs:demand"))
        b.depends("ef", ("ef", "refs:level", "port:offsite"))

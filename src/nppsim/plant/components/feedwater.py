"""Feedwater: the feed pumps, each steam generator's regulating valve and the emergency feed.

The level controllers (:mod:`.controller`, one per steam generator, with the steam flow as
feed-forward: three-element control) set the feed demand; the feed flow follows it through the
valve actuator's first-order lag, limited by what the running feed pumps and the fully open
valve can pass (:func:`nppsim.physics.turbine.feedwater_flow`). With no main feed pump running,
the emergency feed pumps (on off-site power) give a fixed flow of cold water. An isolated steam
generator gets nothing.

.. math:: \\tau \\frac{d\\dot m_{feed,i}}{dt} = \\dot m_{demand,i} - \\dot m_{feed,i}
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics import turbine as tb
from nppsim.plant.component import Component, Declarer

CODE = 15


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


(
    FW_TAU,
    FW_PUMP_CAP,
    FW_STEAM_RATED,
    FW_MARGIN,
    FW_VALVE_CAP,
    FW_VALVE_DP,
    FW_EMERGENCY,
    FW_H_NOMINAL,
    FW_H_EMERGENCY,
    FW_INSTALLED,
) = range(10)
N_DATA = 10


@njit
def signals(t, y, p, ip, d, w, r):
    """What each steam generator can be fed, the feed enthalpy and the flows."""
    q = ip[r + F.P_DATA]
    n = ip[r + F.N_SG]
    pumps = d[ip[r + F.D_PUMPS]]
    wc = ip[r + F.W_CAPACITY]
    if pumps > 0.0:
        p_feed = w[ip[r + F.IN_HEADER]] + p[q + FW_MARGIN]
        cap_pumps = pumps * p[q + FW_PUMP_CAP] * p[q + FW_STEAM_RATED]
        for i in range(n):
            cap_valve = tb.feedwater_flow(
                1.0,
                p_feed,
                w[ip[ip[r + F.I_SG_PRESSURE] + i]],
                p[q + FW_VALVE_CAP],
                p[q + FW_VALVE_DP],
            )
            w[wc + i] = min(cap_valve, cap_pumps)
        h = p[q + FW_H_NOMINAL]
    else:
        for i in range(n):
            w[wc + i] = p[q + FW_EMERGENCY] if w[ip[r + F.IN_OFFSITE]] > 0.5 else 0.0
        h = p[q + FW_H_EMERGENCY]
    for i in range(n):
        if d[ip[r + F.D_ISOLATED] + i] > 0.5:
            w[wc + i] = 0.0
    w[ip[r + F.W_H]] = h
    total = 0.0
    yf = ip[r + F.Y_FLOW]
    for i in range(n):
        total += y[yf + i]
        w[ip[r + F.W_FLOW] + i] = y[yf + i]
    w[ip[r + F.W_TOTAL]] = total
    w[ip[r + F.W_ENERGY_IN]] = total * h
    w[ip[r + F.W_PUMPS]] = pumps
    w[ip[r + F.W_LOST]] = p[q + FW_INSTALLED] - pumps


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The valves' lag towards the (limited) demand."""
    q = ip[r + F.P_DATA]
    yf = ip[r + F.Y_FLOW]
    tau = max(p[q + FW_TAU], 1e-3)
    for i in range(ip[r + F.N_SG]):
        dydt[yf + i] = (w[ip[ip[r + F.I_DEMAND] + i]] - y[yf + i]) / tau


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
    sg_pressure, demand : list of str
        Per steam generator: its pressure signal and its level controller's output.
    header, offsite : str
        Signals of the steam header pressure and of off-site power.
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
        header: str,
        offsite: str,
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.pumps = pumps
        self.sg_pressure, self.demand = sg_pressure, demand
        self.header, self.offsite = header, offsite

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

    def declare(self, b: Declarer) -> None:
        n = len(self.sg_pressure)
        b.state("flow", n, "kg/s", 1e-4, description="feed flow to each steam generator")
        b.count("sg", n)
        b.param("data", self.data, description="valve lag, pumps, valves, emergency feed")
        b.signal_refs("sg_pressure", self.sg_pressure)
        b.signal_refs("demand", self.demand)
        b.discrete("pumps", float(self.pumps), description="main feed pumps running")
        b.discrete("isolated", np.zeros(n), description="feed isolated per steam generator")
        b.port("header", self.header)
        b.port("offsite", self.offsite)
        b.signal("capacity", "kg/s", n, depends=("port:header", "refs:sg_pressure"))
        b.signal("h", "J/kg", depends=())
        b.signal("total", "kg/s", columns="flow_feed_kg_s", depends=("flow",))
        b.signal("energy_in", "W", depends=("flow",))
        b.signal("flow", "kg/s", n, depends=("flow",))
        b.signal("pumps", "1", columns="feed_pumps_running", depends=())
        b.signal("lost", "1", columns="feed_pumps_lost", depends=())
        b.depends("flow", ("flow", "refs:demand"))

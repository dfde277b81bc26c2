"""The steam header, the turbine and generator, and the steam dump to the condenser (BRU-K).

States: the header pressure and the power of the low-pressure cylinders (the reheater's lag).
The header is a volume of saturated steam fed by the steam lines and emptied by the turbine's
control valves and BRU-K:

.. math::

    V \\frac{d\\rho_g}{dp} \\frac{dp_h}{dt}
        = \\sum \\dot m_{line} - \\dot m_{turbine} - \\dot m_{BRU-K}

The turbine passes steam in proportion to its valve opening (from the turbine controller) and the
header pressure (choked, Stodola's law for the first stage); its power is the flow times the
isentropic drop to the condenser times an efficiency fitted to the design's rating; the LP part
follows the HP part with the reheater's time constant (:mod:`nppsim.physics.turbine`). A tripped
turbine has its stop valves shut; BRU-K needs the condenser (off-site power).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics import turbine as tb
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 13


class F(IntEnum):
    """The record of the turbine in ``ip``."""

    Y_HEADER = 0
    Y_LP = 1
    P_DATA = 2
    N_LINES = 3
    I_LINES = 4
    D_TRIPPED = 5
    IN_VALVE = 6
    IN_CONDENSER = 7
    W_HEADER = 8
    W_FLOW = 9
    W_BRU_K = 10
    W_STEAM_POWER = 11
    W_ELECTRIC = 12
    W_VALVE = 13
    W_LOAD_ESTIMATE = 14
    W_TRIPPED = 15


(
    T_VOLUME,
    T_RATED_FLOW,
    T_INLET_P,
    T_ETA,
    T_GEN_EFF,
    T_LP_FRACTION,
    T_REHEAT_TAU,
    T_BRU_K_P,
    T_BRU_K_BAND,
    T_BRU_K_CAP,
    T_P_RATED,
) = range(11)
N_DATA = 11


@njit
def _flows(y, p, ip, d, w, r):
    q = ip[r + F.P_DATA]
    p_h = y[ip[r + F.Y_HEADER]]
    valve = 0.0 if d[ip[r + F.D_TRIPPED]] > 0.5 else w[ip[r + F.IN_VALVE]]
    m_t = tb.turbine_steam_flow(valve, p_h, p[q + T_RATED_FLOW], p[q + T_INLET_P])
    bru_k = 0.0
    if w[ip[r + F.IN_CONDENSER]] > 0.5:
        bru_k = tb.choked_steam_flow(
            tb.proportional_lift(p_h, p[q + T_BRU_K_P], p[q + T_BRU_K_P] + p[q + T_BRU_K_BAND]),
            p_h,
            p[q + T_BRU_K_CAP],
            p[q + T_BRU_K_P],
        )
    dh_s, _ = props.isentropic(p, ip, p_h)
    p_steam = tb.turbine_mechanical_power(m_t, dh_s, p[q + T_ETA])
    return p_h, valve, m_t, bru_k, p_steam


@njit
def early(t, y, p, ip, d, w, r):
    """The header pressure and the power estimate (functions of the states only)."""
    q = ip[r + F.P_DATA]
    w[ip[r + F.W_HEADER]] = y[ip[r + F.Y_HEADER]]
    w[ip[r + F.W_TRIPPED]] = d[ip[r + F.D_TRIPPED]]
    # the power controller measures the electric power estimated from the LP power (a state):
    # P_mech ~ P_LP / lp_fraction
    w[ip[r + F.W_LOAD_ESTIMATE]] = (
        y[ip[r + F.Y_LP]] / p[q + T_LP_FRACTION] * p[q + T_GEN_EFF] / p[q + T_P_RATED]
    )


@njit
def signals(t, y, p, ip, d, w, r):
    """Turbine and dump flows, steam and electric power."""
    q = ip[r + F.P_DATA]
    _, valve, m_t, bru_k, p_steam = _flows(y, p, ip, d, w, r)
    y_lp = y[ip[r + F.Y_LP]]
    p_mech = (1.0 - p[q + T_LP_FRACTION]) * p_steam + y_lp
    w[ip[r + F.W_FLOW]] = m_t
    w[ip[r + F.W_BRU_K]] = bru_k
    w[ip[r + F.W_STEAM_POWER]] = p_steam
    w[ip[r + F.W_ELECTRIC]] = tb.electric_power(p_mech, p[q + T_GEN_EFF])
    w[ip[r + F.W_VALVE]] = valve


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Header pressure and LP power."""
    q = ip[r + F.P_DATA]
    p_h, _, m_t, bru_k, p_steam = _flows(y, p, ip, d, w, r)
    inflow = 0.0
    lines = ip[r + F.I_LINES]
    for k in range(ip[r + F.N_LINES]):
        inflow += w[ip[lines + k]]
    s = props.sat(p, ip, p_h)
    dydt[ip[r + F.Y_HEADER]] = tb.header_pressure_rate(inflow, m_t + bru_k, p[q + T_VOLUME], s[9])
    dydt[ip[r + F.Y_LP]] = tb.reheat_power_derivative(
        y[ip[r + F.Y_LP]], p_steam, p[q + T_LP_FRACTION], p[q + T_REHEAT_TAU]
    )


class Turbine(Component):
    """Steam header, turbine, generator and BRU-K (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"turbine"``).
    data : ndarray
        The P_DATA block (``T_*``), SI.
    lines : list of str
        The steam-line flow signals that feed the header.
    valve, condenser : str
        Signals of the control valves' opening (turbine controller) and of the condenser's
        availability.
    """

    kind = "turbine"
    code = CODE
    Field = F

    def __init__(
        self, name: str, data: np.ndarray, lines: list[str], valve: str, condenser: str
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.lines, self.valve, self.condenser = lines, valve, condenser

    def trip(self, net, t, y, d, detail: str) -> list[dict]:
        """Shut the stop valves (the controller goes off, its output held at zero)."""
        if d[net.d_index(f"{self.name}.tripped")] > 0.5:
            return []
        d[net.d_index(f"{self.name}.tripped")] = 1.0
        ctl = net.by_name.get("turbine_control")
        if ctl is not None:
            d[net.d_index("turbine_control.mode")] = 2.0
            d[net.d_index("turbine_control.held")] = 0.0
        return [{"time_s": t, "kind": "mode", "name": "turbine_tripped", "detail": detail}]

    def on_reactor_trip(self, net, t, y, d) -> list[dict]:
        """A reactor trip trips the turbine."""
        return self.trip(net, t, y, d, "turbine stop valves closed after the reactor trip")

    def declare(self, b: Declarer) -> None:
        b.state("header", 1, "Pa", 1.0, description="main steam header pressure")
        b.state("lp", 1, "W", 1e2, description="power of the LP cylinders (reheater lag)")
        b.param("data", self.data, description="header, turbine, generator, BRU-K")
        b.count("lines", len(self.lines))
        b.signal_refs("lines", self.lines)
        b.discrete("tripped", 0.0, description="stop valves shut (1)")
        b.port("valve", self.valve)
        b.port("condenser", self.condenser)
        flows = ("header", "port:valve", "port:condenser")
        b.signal("header", "Pa", columns="pressure_header_pa", depends=("header",))
        b.signal("flow", "kg/s", columns="flow_turbine_kg_s", depends=flows)
        b.signal("bru_k", "kg/s", columns="flow_bru_k_kg_s", depends=flows)
        b.signal("steam_power", "W", depends=flows)
        b.signal("electric", "W", columns="power_electric_w", depends=(*flows, "lp"))
        b.signal("valve", "1", columns="turbine_valve_frac", depends=("port:valve",))
        b.signal("load_estimate", "1", depends=("lp",))
        b.signal("tripped", "1", columns="turbine_tripped", depends=())
        b.depends("header", ("header", "port:valve", "port:condenser", "refs:lines"))
        b.depends("lp", ("lp", "header", "port:valve", "port:condenser"))

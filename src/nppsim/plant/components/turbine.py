"""The steam header, the turbine-generator with its valves and shaft, the feedwater heaters, BRU-K.

States:

* ``header``: the main steam header pressure. The header is a volume of saturated steam fed by
  the steam lines and emptied by the turbine's valves and BRU-K:

  .. math:: V \\frac{d\\rho_g}{dp} \\frac{dp_h}{dt}
            = \\sum \\dot m_{line} - \\dot m_{turbine} - \\dot m_{BRU-K}

* ``sv``, ``cv``, ``iv``: positions of the stop valves, the control valves and the intercept
  valves (ahead of the LP cylinders), each a servo with its rate limits
  (:func:`~nppsim.physics.turbine.valve_servo_rate`). Stop and intercept valves shut at their
  closing rates when the turbine trips; the control valves follow the governor's demand, the
  turbine controller's output (the load reference) plus the speed droop; the intercept valves
  also close on overspeed.
* ``hp``: the HP cylinder's power, lagging the steady power of the valve flow by the steam chest's
  time constant; ``rh``: the steam in the crossover and moisture separator-reheater, as the LP
  power it can develop; the LP power is the intercept valves' opening times it (IEEE reheat
  turbine model, :func:`~nppsim.physics.turbine.crossover_rate`).
* ``speed``: the shaft speed over synchronous. On the grid (generator breaker closed, grid
  connected) the shaft turns at synchronous speed and the generator delivers the turbine's power
  less the windage and friction; on house load after a load rejection it carries the house load
  and the swing equation moves the speed; with the breaker open it carries nothing
  (:func:`~nppsim.physics.turbine.rotor_acceleration`).
* ``feed_h``: the feedwater enthalpy after the high-pressure heaters, lagging the value the
  extraction steam of the present turbine flow gives
  (:func:`~nppsim.physics.turbine.feedwater_heater_target`).

The turbine passes steam in proportion to its valve openings and the header pressure (Stodola's
law, choked); the steady power of that flow is the flow times the isentropic drop to the
condenser times an efficiency fitted to the design's rating. BRU-K needs the condenser (off-site
power). The generator breaker opens on reverse power (a row of the protection table) and the
turbine trips on overspeed (another row); both are protective actions this component offers.
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
    Y_CV = 1
    Y_SV = 2
    Y_IV = 3
    Y_HP = 4
    Y_RH = 5
    Y_SPEED = 6
    Y_FEED_H = 7
    P_DATA = 8
    N_LINES = 9
    I_LINES = 10
    D_TRIPPED = 11
    D_BREAKER = 12
    IN_VALVE = 13
    IN_CONDENSER = 14
    IN_GRID = 15
    W_HEADER = 16
    W_FLOW = 17
    W_BRU_K = 18
    W_STEAM_POWER = 19
    W_ELECTRIC = 20
    W_VALVE = 21
    W_LOAD_ESTIMATE = 22
    W_TRIPPED = 23
    W_SPEED = 24
    W_STOP_VALVE = 25
    W_INTERCEPT = 26
    W_MECHANICAL = 27
    W_REVERSE = 28
    W_BREAKER = 29
    W_FEED_H = 30
    W_FEED_TEMP = 31
    W_DEMAND = 32
    W_LOAD_MEASURE = 33


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
    T_CHEST_TAU,
    T_SERVO,
    T_CV_OPEN,
    T_CV_CLOSE,
    T_SV_CLOSE,
    T_IV_OPEN,
    T_IV_CLOSE,
    T_CV_MAX,
    T_INERTIA,
    T_FRICTION,
    T_DROOP,
    T_IV_START,
    T_IV_FULL,
    T_HOUSE,
    T_H_DEAERATOR,
    T_H_FEED_RATED,
    T_HEATER_TAU,
    T_FEED_MARGIN,
    T_P_LIMIT,
    T_P_LIMIT_BAND,
) = range(31)
N_DATA = 31
SYNC_TIME = 0.5  # [s] a generator on the (stiff) grid is held at synchronous speed this fast


@njit
def _valve_flow(y, p, ip, r):
    """Steam flow through stop and control valves in series, and its steady shaft power."""
    q = ip[r + F.P_DATA]
    p_h = y[ip[r + F.Y_HEADER]]
    opening = max(y[ip[r + F.Y_SV]], 0.0) * max(y[ip[r + F.Y_CV]], 0.0)
    m_t = tb.turbine_steam_flow(opening, p_h, p[q + T_RATED_FLOW], p[q + T_INLET_P])
    dh_s, _ = props.isentropic(p, ip, p_h)
    return m_t, tb.turbine_mechanical_power(m_t, dh_s, p[q + T_ETA])


@njit
def _bru_k(y, p, ip, w, r):
    q = ip[r + F.P_DATA]
    if w[ip[r + F.IN_CONDENSER]] <= 0.5:
        return 0.0
    p_h = y[ip[r + F.Y_HEADER]]
    return tb.choked_steam_flow(
        tb.proportional_lift(p_h, p[q + T_BRU_K_P], p[q + T_BRU_K_P] + p[q + T_BRU_K_BAND]),
        p_h,
        p[q + T_BRU_K_CAP],
        p[q + T_BRU_K_P],
    )


@njit
def _shaft(y, p, ip, d, w, r):
    """Shaft power (net of generator losses and windage), electric load, and the mode:
    2 on the grid, 1 on house load (breaker closed, grid lost), 0 breaker open."""
    q = ip[r + F.P_DATA]
    speed = y[ip[r + F.Y_SPEED]]
    p_mech = y[ip[r + F.Y_HP]] + max(y[ip[r + F.Y_IV]], 0.0) * y[ip[r + F.Y_RH]]
    p_shaft = tb.electric_power(p_mech, p[q + T_GEN_EFF]) - tb.windage_friction_loss(
        speed, p[q + T_FRICTION]
    )
    if d[ip[r + F.D_BREAKER]] > 0.5:
        if w[ip[r + F.IN_GRID]] > 0.5:
            return p_mech, p_shaft, p_shaft, 2
        return p_mech, p_shaft, p[q + T_HOUSE], 1
    return p_mech, p_shaft, 0.0, 0


@njit
def _demands(y, p, ip, d, w, r):
    """Demands of the control, stop and intercept valves."""
    q = ip[r + F.P_DATA]
    if d[ip[r + F.D_TRIPPED]] > 0.5:
        return 0.0, 0.0, 0.0
    speed = y[ip[r + F.Y_SPEED]]
    u = tb.governor_demand(w[ip[r + F.IN_VALVE]], speed, p[q + T_DROOP])
    u = min(max(u, 0.0), p[q + T_CV_MAX])
    iv = tb.intercept_valve_demand(speed, p[q + T_IV_START], p[q + T_IV_FULL])
    return u, 1.0, iv


@njit
def early(t, y, p, ip, d, w, r):
    """Header pressure, trip state, speed and the load estimate (functions of the states)."""
    q = ip[r + F.P_DATA]
    w[ip[r + F.W_HEADER]] = y[ip[r + F.Y_HEADER]]
    w[ip[r + F.W_TRIPPED]] = d[ip[r + F.D_TRIPPED]]
    w[ip[r + F.W_BREAKER]] = d[ip[r + F.D_BREAKER]]
    speed = y[ip[r + F.Y_SPEED]]
    w[ip[r + F.W_SPEED]] = speed
    p_mech = y[ip[r + F.Y_HP]] + max(y[ip[r + F.Y_IV]], 0.0) * y[ip[r + F.Y_RH]]
    # the power controller measures the electric power the shaft would deliver on the grid
    w[ip[r + F.W_LOAD_ESTIMATE]] = (
        tb.electric_power(p_mech, p[q + T_GEN_EFF])
        - tb.windage_friction_loss(speed, p[q + T_FRICTION])
    ) / p[q + T_P_RATED]
    # the pressure limiter of the turbine controller: below its pressure the load it measures is
    # raised, so that in power mode the turbine unloads instead of drawing the steam pressure
    # down (the reactor cannot follow a load it cannot give)
    w[ip[r + F.W_LOAD_MEASURE]] = (
        w[ip[r + F.W_LOAD_ESTIMATE]]
        + max(p[q + T_P_LIMIT] - y[ip[r + F.Y_HEADER]], 0.0) / p[q + T_P_LIMIT_BAND]
    )
    h = y[ip[r + F.Y_FEED_H]]
    w[ip[r + F.W_FEED_H]] = h
    w[ip[r + F.W_FEED_TEMP]] = props.node(p, ip, y[ip[r + F.Y_HEADER]] + p[q + T_FEED_MARGIN], h)[0]


@njit
def signals(t, y, p, ip, d, w, r):
    """Turbine and dump flows, valve positions, shaft and electric power."""
    m_t, p_steam = _valve_flow(y, p, ip, r)
    p_mech, _, p_e, _ = _shaft(y, p, ip, d, w, r)
    u, _, _ = _demands(y, p, ip, d, w, r)
    w[ip[r + F.W_FLOW]] = m_t
    w[ip[r + F.W_BRU_K]] = _bru_k(y, p, ip, w, r)
    w[ip[r + F.W_STEAM_POWER]] = p_steam
    w[ip[r + F.W_MECHANICAL]] = p_mech
    w[ip[r + F.W_ELECTRIC]] = p_e
    w[ip[r + F.W_REVERSE]] = -p_e
    w[ip[r + F.W_VALVE]] = y[ip[r + F.Y_CV]]
    w[ip[r + F.W_STOP_VALVE]] = y[ip[r + F.Y_SV]]
    w[ip[r + F.W_INTERCEPT]] = y[ip[r + F.Y_IV]]
    w[ip[r + F.W_DEMAND]] = u


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Header pressure, valves, HP and crossover power, speed, feedwater enthalpy."""
    q = ip[r + F.P_DATA]
    p_h = y[ip[r + F.Y_HEADER]]
    m_t, p_steam = _valve_flow(y, p, ip, r)
    inflow = 0.0
    lines = ip[r + F.I_LINES]
    for k in range(ip[r + F.N_LINES]):
        inflow += w[ip[lines + k]]
    s = props.sat(p, ip, p_h)
    dydt[ip[r + F.Y_HEADER]] = tb.header_pressure_rate(
        inflow, m_t + _bru_k(y, p, ip, w, r), p[q + T_VOLUME], s[9]
    )
    u_cv, u_sv, u_iv = _demands(y, p, ip, d, w, r)
    servo = p[q + T_SERVO]
    yc, ys, yi = ip[r + F.Y_CV], ip[r + F.Y_SV], ip[r + F.Y_IV]
    dydt[yc] = tb.valve_servo_rate(y[yc], u_cv, servo, p[q + T_CV_OPEN], p[q + T_CV_CLOSE])
    # stop valves reopen only by hand (not modelled): their opening rate is nil
    dydt[ys] = tb.valve_servo_rate(y[ys], u_sv, servo, 1e-9, p[q + T_SV_CLOSE])
    dydt[yi] = tb.valve_servo_rate(y[yi], u_iv, servo, p[q + T_IV_OPEN], p[q + T_IV_CLOSE])
    f_lp = p[q + T_LP_FRACTION]
    y_hp = y[ip[r + F.Y_HP]]
    dydt[ip[r + F.Y_HP]] = tb.lag_rate(y_hp, (1.0 - f_lp) * p_steam, p[q + T_CHEST_TAU])
    dydt[ip[r + F.Y_RH]] = tb.crossover_rate(
        y[ip[r + F.Y_RH]], f_lp / (1.0 - f_lp) * y_hp, max(y[yi], 0.0), p[q + T_REHEAT_TAU]
    )
    speed = y[ip[r + F.Y_SPEED]]
    _, p_shaft, p_e, mode = _shaft(y, p, ip, d, w, r)
    if mode == 2:
        dydt[ip[r + F.Y_SPEED]] = (1.0 - speed) / SYNC_TIME
    else:
        dydt[ip[r + F.Y_SPEED]] = tb.rotor_acceleration(
            speed, p_shaft, p_e, p[q + T_INERTIA], p[q + T_P_RATED]
        )
    target = tb.feedwater_heater_target(
        m_t / p[q + T_RATED_FLOW], p[q + T_H_DEAERATOR], p[q + T_H_FEED_RATED]
    )
    dydt[ip[r + F.Y_FEED_H]] = tb.lag_rate(y[ip[r + F.Y_FEED_H]], target, p[q + T_HEATER_TAU])


class Turbine(Component):
    """Steam header, turbine-generator, feedwater heaters and BRU-K (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"turbine"``).
    data : ndarray
        The P_DATA block (``T_*``), SI.
    lines : list of str
        The steam-line flow signals that feed the header.
    valve, condenser, grid : str
        Signals of the load reference (the turbine controller's output), of the condenser's
        availability and of the grid connection.
    """

    kind = "turbine"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        lines: list[str],
        valve: str,
        condenser: str,
        grid: str = "electric.grid",
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.lines, self.valve, self.condenser, self.grid = lines, valve, condenser, grid

    def trip(self, net, t, y, d, detail: str) -> list[dict]:
        """Shut the stop and intercept valves (the controller goes off, its output held at
        zero)."""
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

    def on_protective_turbine_trip(self, net, t, y, d, row):
        """A protection row trips the turbine (overspeed)."""
        return y, d, self.trip(net, t, y, d, f"turbine tripped by {row.name}")

    def on_protective_open_generator_breaker(self, net, t, y, d, row):
        """The generator breaker opens (reverse power after a turbine trip)."""
        k = net.d_index(f"{self.name}.breaker")
        if d[k] < 0.5:
            return y, d, []
        d[k] = 0.0
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "mode",
                    "name": "generator_breaker_open",
                    "detail": f"generator breaker opened by {row.name}",
                }
            ],
        )

    def declare(self, b: Declarer) -> None:
        b.state("header", 1, "Pa", 1.0, description="main steam header pressure")
        b.state("cv", 1, "1", 1e-7, description="control-valve position (relative opening)")
        b.state("sv", 1, "1", 1e-7, description="stop-valve position")
        b.state("iv", 1, "1", 1e-7, description="intercept-valve position (ahead of the LP)")
        b.state("hp", 1, "W", 1e2, description="HP cylinder power (steam-chest lag)")
        b.state("rh", 1, "W", 1e2, description="crossover and reheater steam, as LP power")
        b.state("speed", 1, "1", 1e-9, description="shaft speed over synchronous speed")
        b.state("feed_h", 1, "J/kg", 1e-2, description="feedwater enthalpy after the heaters")
        b.param("data", self.data, description="header, valves, shaft, generator, BRU-K, heaters")
        b.count("lines", len(self.lines))
        b.signal_refs("lines", self.lines)
        b.discrete("tripped", 0.0, description="stop valves shut (1)")
        b.discrete("breaker", 1.0, description="generator breaker closed (1) or open (0)")
        b.port("valve", self.valve)
        b.port("condenser", self.condenser)
        b.port("grid", self.grid)
        flows = ("header", "cv", "sv")
        shaft = ("hp", "rh", "iv", "speed", "port:grid")
        b.signal("header", "Pa", columns="pressure_header_pa", depends=("header",))
        b.signal("flow", "kg/s", columns="flow_turbine_kg_s", depends=flows)
        b.signal("bru_k", "kg/s", columns="flow_bru_k_kg_s", depends=("header", "port:condenser"))
        b.signal("steam_power", "W", depends=flows)
        b.signal("mechanical", "W", columns="power_turbine_w", depends=("hp", "rh", "iv"))
        b.signal("electric", "W", columns="power_electric_w", depends=shaft)
        b.signal("reverse", "W", description="power drawn from the grid (motoring)", depends=shaft)
        b.signal("valve", "1", columns="turbine_valve_frac", depends=("cv",))
        b.signal("stop_valve", "1", columns="turbine_stop_valve_frac", depends=("sv",))
        b.signal("intercept", "1", columns="turbine_intercept_valve_frac", depends=("iv",))
        b.signal("demand", "1", description="control-valve demand (governor)")
        b.signal("load_estimate", "1", depends=("hp", "rh", "iv", "speed"))
        b.signal(
            "load_measure",
            "1",
            depends=("hp", "rh", "iv", "speed", "header"),
            description="load the turbine controller measures: the estimate, raised below the "
            "pressure limiter's pressure",
        )
        b.signal("tripped", "1", columns="turbine_tripped", depends=())
        b.signal("breaker", "1", columns="generator_breaker", depends=())
        b.signal("speed", "1", columns="turbine_speed", depends=("speed",))
        b.signal("feed_h", "J/kg", depends=("feed_h",))
        b.signal("feed_temp", "K", columns="temp_feedwater_k", depends=("feed_h", "header"))
        b.depends("header", ("header", "cv", "sv", "port:condenser", "refs:lines"))
        b.depends("cv", ("cv", "speed", "port:valve"))
        b.depends("sv", ("sv",))
        b.depends("iv", ("iv", "speed"))
        b.depends("hp", ("hp", "header", "cv", "sv"))
        b.depends("rh", ("rh", "hp", "iv"))
        b.depends("speed", ("speed", "hp", "rh", "iv", "port:grid"))
        b.depends("feed_h", ("feed_h", "header", "cv", "sv"))

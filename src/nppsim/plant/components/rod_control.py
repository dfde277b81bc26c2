"""The reactor power controller (ARM) with the power limiter (ROM) and the preventive protections
that act through the regulating groups (PZ-1, PZ-2) and the fast unit unloading (URB).

The demand is a rate (the regulating groups' speed as a fraction of their drive speed, -1 to 1),
not a PI element: the groups integrate it themselves, in their sequence (group 10 first, then 9,
by the design's ``rods.regulating_banks``).

.. math:: u = \\tanh(e / e_b) \\; \\frac{e^2}{e^2 + e_d^2}

with e the power error, e_b the band of full speed and e_d the half-width of a smooth dead band
(VVER-1000 power controllers do not move the rods for errors inside about +-1 %; the smooth form
keeps the right-hand side differentiable).

The power error e = N_ref - N has two forms (discrete ``error_mode``):

* *power mode* (the turbine keeps the steam pressure): N_ref is the power setpoint (a ramp);
* *pressure mode* (the turbine follows its load setpoint; the ARM's "T" mode): the reactor keeps
  the main steam header pressure. N_ref is the turbine's load reference (feed-forward: the reactor
  moves with the turbine, not after the pressure has drifted) corrected by a PI term on the
  header pressure error,

  .. math:: N_{ref} = L + K\\,(p_{set} - p_h) + I, \\qquad
            \\frac{dI}{dt} = \\frac{K\\,(p_{set} - p_h)}{T_I}

  (state ``pressure_integral``, held within +-``integral_limit``), so the residual difference
  between the electric load and the thermal power it needs (the cycle efficiency changes with
  load) is taken up slowly and the header pressure returns to its setpoint.

The power limiter (ROM) caps N_ref at the *allowed power*: the least of the tables of
``[control.power_limitation]`` for the reactor coolant pumps and the main feed pumps running and,
after a dropped cluster, its own limit. In both modes e <= N_allowed - N, so the rods insert
whenever the power exceeds what the running equipment allows.

Preventive protection (rows of the trip table with ``hold = true``, see
:mod:`.protection`): while a PZ-1 row is active the regulating groups are driven in at full
speed in their sequence (u = -1, in any mode but tripped); while a PZ-2 row is active they may not
be withdrawn (u <= 0). URB (a latched row) drops the design's preselected group by gravity
(:meth:`nppsim.plant.components.core.Core.drop_bank`).

Modes (discrete ``mode``): 0 automatic, 1 manual (no demand), 2 tripped.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer
from nppsim.plant.components.core import ramp_value

CODE = 3
AUTO, MANUAL, TRIPPED = 0.0, 1.0, 2.0
POWER_MODE, PRESSURE_MODE = 0.0, 1.0
NO_LIMIT = 10.0  # [1] allowed power where the design has no power limiter


class F(IntEnum):
    """The record of a rod controller in ``ip``."""

    P_BAND = 0
    P_DEAD_BAND = 1
    P_PRESSURE_GAIN = 2
    D_MODE = 3
    D_SETPOINT = 4
    D_SETPOINT_END = 5
    D_ERROR_MODE = 6
    D_PRESSURE_SETPOINT = 7
    IN_POWER = 8
    IN_PRESSURE = 9
    W_DEMAND = 10
    W_SETPOINT = 11
    W_AUTO = 12
    Y_PRESSURE_INTEGRAL = 13
    P_LIMITS = 14
    N_PUMPS = 15
    N_FEED = 16
    I_PUMPS = 17
    IN_FEED_PUMPS = 18
    D_LOAD = 19
    D_LOAD_END = 20
    D_PZ1 = 21
    D_PZ2 = 22
    D_CLUSTERS = 23
    W_ALLOWED = 24
    W_OVER = 25
    W_REFERENCE = 26
    W_PRESSURE_TERM = 27


# by position in the P_LIMITS block (after these: the pump table, then the feed-pump table)
L_TI, L_I_MAX, L_CLUSTER, L_HAS_ROM, L_FF_A, L_FF_B = range(6)
N_LIMITS_HEAD = 6


@njit
def heat_feed_forward(load: float, a: float, b: float) -> float:
    r"""The thermal power a turbine load needs: :math:`N_{ff} = L\,(a - b L)` (a - b = 1)."""
    return load * (a - b * load)


@njit
def _allowed(p, ip, d, w, r):
    """The power limiter's allowed power [1]."""
    q = ip[r + F.P_LIMITS]
    if p[q + L_HAS_ROM] < 0.5:
        return NO_LIMIT
    n_p = ip[r + F.N_PUMPS]
    running = 0.0
    refs = ip[r + F.I_PUMPS]
    for k in range(n_p):
        running += w[ip[refs + k]]
    k_p = min(max(int(running + 0.5), 0), n_p)
    allowed = p[q + N_LIMITS_HEAD + k_p]
    n_f = ip[r + F.N_FEED]
    k_f = min(max(int(w[ip[r + F.IN_FEED_PUMPS]] + 0.5), 0), n_f)
    allowed = min(allowed, p[q + N_LIMITS_HEAD + n_p + 1 + k_f])
    if d[ip[r + F.D_CLUSTERS]] > 0.5:
        allowed = min(allowed, p[q + L_CLUSTER])
    return allowed


@njit
def _evaluate(t, y, p, ip, d, w, r):
    """Demand, setpoint, allowed power, the reference and the pressure term, dI/dt."""
    mode = d[ip[r + F.D_MODE]]
    sp = ramp_value(d, ip[r + F.D_SETPOINT], t)
    allowed = _allowed(p, ip, d, w, r)
    n = w[ip[r + F.IN_POWER]]
    q = ip[r + F.P_LIMITS]
    ref = sp
    term = 0.0
    di = 0.0
    if d[ip[r + F.D_ERROR_MODE]] == PRESSURE_MODE:
        # the reactor follows the turbine's load reference; the header pressure error corrects
        load = ramp_value(d, ip[r + F.D_LOAD], t)
        term = (d[ip[r + F.D_PRESSURE_SETPOINT]] - w[ip[r + F.IN_PRESSURE]]) * p[
            ip[r + F.P_PRESSURE_GAIN]
        ]
        integ = y[ip[r + F.Y_PRESSURE_INTEGRAL]]
        ref = heat_feed_forward(load, p[q + L_FF_A], p[q + L_FF_B]) + term + integ
        lim = p[q + L_I_MAX]
        if mode == AUTO and lim > 0.0:
            # (a design without the integral term, limit 0, keeps it at zero: no rate at all,
            # rather than one switching at its bound)
            di = term / p[q + L_TI]
            # anti-windup: at its bounds, and while the limiter caps the reference
            if (integ >= lim and di > 0.0) or (integ <= -lim and di < 0.0):
                di = 0.0
            if ref >= allowed and di > 0.0:
                di = 0.0
    ref = min(ref, allowed)
    u = 0.0
    if mode == AUTO:
        e = ref - n
        ed = p[ip[r + F.P_DEAD_BAND]]
        u = math.tanh(e / p[ip[r + F.P_BAND]])
        if ed > 0.0:
            u *= e * e / (e * e + ed * ed)
    if mode != TRIPPED:
        if d[ip[r + F.D_PZ1]] > 0.5:
            u = -1.0
        elif d[ip[r + F.D_PZ2]] > 0.5:
            u = min(u, 0.0)
    return u, sp, allowed, n, ref, term, di


@njit
def early(t, y, p, ip, d, w, r):
    """The setpoint and the automatic flag (functions of t and the discrete state only).

    Written in the early phase because components before the controller in the evaluation order
    read them (the boron controller reads ``auto``): the controller itself comes late, after the
    turbine and the feed pumps whose signals it reads.
    """
    w[ip[r + F.W_SETPOINT]] = ramp_value(d, ip[r + F.D_SETPOINT], t)
    w[ip[r + F.W_AUTO]] = 1.0 if d[ip[r + F.D_MODE]] == AUTO else 0.0


@njit
def signals(t, y, p, ip, d, w, r):
    """The speed demand of the regulating banks, the allowed power and the reference."""
    u, _, allowed, n, ref, term, _ = _evaluate(t, y, p, ip, d, w, r)
    w[ip[r + F.W_DEMAND]] = u
    w[ip[r + F.W_ALLOWED]] = allowed
    w[ip[r + F.W_OVER]] = n - allowed
    w[ip[r + F.W_REFERENCE]] = ref
    w[ip[r + F.W_PRESSURE_TERM]] = term


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The pressure integral of the pressure mode."""
    _, _, _, _, _, _, di = _evaluate(t, y, p, ip, d, w, r)
    dydt[ip[r + F.Y_PRESSURE_INTEGRAL]] = di


class RodControl(Component):
    """The power controller with the power limiter and preventive protections (see the module
    docstring).

    Parameters
    ----------
    name : str
        Instance name.
    band : float
        Power error for full speed [1].
    dead_band : float
        Half-width of the smooth dead band [1] (0: none).
    pressure_gain : float
        K: power reference per header pressure error in pressure mode [1/Pa] (0: no pressure
        mode).
    power_signal, pressure_signal : str
        Signals of the relative neutron power and of the header pressure (plant).
    pressure_integral_time : float
        T_I of the pressure mode's integral term [s].
    integral_limit : float
        Bound of the integral term [1].
    limiter : dict, optional
        The power limiter (plant only): ``pumps`` (allowed power by the number of reactor coolant
        pumps running, 0..n), ``feed_pumps`` (by the number of main feed pumps running, 0..m),
        ``cluster`` (allowed power after a dropped cluster), ``pump_signals`` (each pump's
        ``running`` signal), ``feed_signal`` (main feed pumps running).
    urb_bank : str, optional
        The group URB drops.
    """

    kind = "rod_control"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        band: float,
        dead_band: float = 0.0,
        pressure_gain: float = 0.0,
        power_signal: str = "core.power_relative",
        pressure_signal: str | None = None,
        *,
        pressure_integral_time: float = 1e9,
        integral_limit: float = 0.0,
        limiter: dict[str, Any] | None = None,
        urb_bank: str | None = None,
        heat_rate: tuple[float, float] = (1.0, 0.0),
    ) -> None:
        super().__init__(name)
        self.band, self.dead_band, self.pressure_gain = band, dead_band, pressure_gain
        self.power_signal = power_signal
        self.pressure_signal = pressure_signal or power_signal
        self.limiter = limiter
        self.urb_bank = urb_bank
        lim = limiter or {}
        pumps = list(lim.get("pumps", [NO_LIMIT]))
        feed = list(lim.get("feed_pumps", [NO_LIMIT]))
        self.pump_signals = list(lim.get("pump_signals", []))
        self.feed_signal = lim.get("feed_signal")
        if limiter is not None and len(pumps) != len(self.pump_signals) + 1:
            raise ValueError("power limiter: one allowed power per number of pumps running, 0..n")
        self.n_pumps, self.n_feed = len(pumps) - 1, len(feed) - 1
        self.limits = np.array(
            [
                pressure_integral_time,
                integral_limit,
                lim.get("cluster", NO_LIMIT),
                1.0 if limiter is not None else 0.0,
                heat_rate[0],
                heat_rate[1],
                *pumps,
                *feed,
            ]
        )

    def declare(self, b: Declarer) -> None:
        b.state(
            "pressure_integral",
            1,
            "1",
            1e-8,
            description="integral term of the pressure mode's power reference",
        )
        b.param("band", self.band, "1", "power error for full bank speed")
        b.param("dead_band", self.dead_band, "1", "half-width of the smooth dead band")
        b.param("pressure_gain", self.pressure_gain, "1/Pa", "power reference per pressure error")
        b.param("limits", self.limits, description="pressure integral, power limiter tables")
        b.count("pumps", self.n_pumps)
        b.count("feed", self.n_feed)
        b.signal_refs("pumps", self.pump_signals)
        b.discrete("mode", AUTO, description="0 auto, 1 manual, 2 tripped")
        b.discrete("setpoint", [0.0, 1.0, 0.0, 1.0], "1", description="power setpoint ramp")
        b.discrete(
            "setpoint_end",
            math.inf,
            "s",
            scheduled=True,
            description="end of the setpoint ramp (a kink)",
        )
        b.discrete("error_mode", POWER_MODE, description="0 power error, 1 pressure error")
        b.discrete("pressure_setpoint", 0.0, "Pa", description="header pressure setpoint")
        b.discrete("load", [0.0, 1.0, 0.0, 1.0], "1", description="turbine load reference ramp")
        b.discrete(
            "load_end", math.inf, "s", scheduled=True, description="end of the load ramp (a kink)"
        )
        b.discrete("pz1", 0.0, description="PZ-1 active: regulating groups driven in")
        b.discrete("pz2", 0.0, description="PZ-2 active: withdrawal blocked")
        b.discrete("clusters", 0.0, description="dropped clusters signalled (power limiter)")
        b.port("power", self.power_signal)
        b.port("pressure", self.pressure_signal)
        b.port("feed_pumps", self.feed_signal, optional=True)
        b.signal(
            "demand",
            "1",
            columns="rod_demand",
            description="regulating banks' speed demand, -1 to 1",
        )
        b.signal("setpoint", "1", columns="power_setpoint", depends=())
        b.signal("auto", "1", depends=())
        lim_dep = ("refs:pumps", "port:feed_pumps")
        b.signal(
            "allowed",
            "1",
            columns="power_allowed" if self.limiter is not None else None,
            depends=lim_dep,
            description="allowed power of the power limiter (ROM)",
        )
        b.signal(
            "over",
            "1",
            depends=("port:power", *lim_dep),
            description="neutron power less the allowed power",
        )
        b.signal(
            "reference",
            "1",
            columns="power_reference" if self.limiter is not None else None,
            depends=("pressure_integral", "port:pressure", *lim_dep),
            description="power reference after the limiter (and in pressure mode)",
        )
        b.signal("pressure_term", "1", depends=("port:pressure",))
        b.depends("pressure_integral", ("port:pressure",))

    # -- between steps -------------------------------------------------------------------------
    def set_ramp(self, net: Any, d: np.ndarray, t: float, target: float, duration: float) -> None:
        """Ramp the power setpoint from its value at ``t`` to ``target`` over ``duration``."""
        k = net.discrete[f"{self.name}.setpoint"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + max(duration, 0.0), target)
        d[net.discrete[f"{self.name}.setpoint_end"].start] = (
            t + duration if duration > 0 else math.inf
        )

    def set_load_ramp(
        self, net: Any, d: np.ndarray, t: float, target: float, duration: float
    ) -> None:
        """Ramp the turbine load reference the pressure mode feeds forward (the same ramp as
        the turbine controller's)."""
        k = net.discrete[f"{self.name}.load"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + max(duration, 0.0), target)
        d[net.discrete[f"{self.name}.load_end"].start] = t + duration if duration > 0 else math.inf

    def enter_pressure_mode(
        self, net: Any, t: float, y: np.ndarray, d: np.ndarray, load: float
    ) -> None:
        """Switch to pressure mode bumplessly: the load reference starts at ``load`` and the
        integral term is set so that the reference equals the present power."""
        k = net.discrete[f"{self.name}.load"].start
        d[k : k + 4] = (t, load, t, load)
        d[net.discrete[f"{self.name}.load_end"].start] = math.inf
        d[net.d_index(f"{self.name}.error_mode")] = PRESSURE_MODE
        w = net.signal_vector(t, y, d)
        power = float(y[net.s_index("core.n")])
        term = float(w[net.w_index(f"{self.name}.pressure_term")])
        lim = float(self.limits[L_I_MAX])
        ff = heat_feed_forward(load, float(self.limits[L_FF_A]), float(self.limits[L_FF_B]))
        y[net.s_index(f"{self.name}.pressure_integral")] = min(max(power - ff - term, -lim), lim)

    def on_reactor_trip(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[dict]:
        """A reactor trip: the controller is out of service, its setpoint zero."""
        d[net.d_index(f"{self.name}.mode")] = TRIPPED
        d[net.d_index(f"{self.name}.error_mode")] = POWER_MODE
        k = net.discrete[f"{self.name}.setpoint"].start
        d[k : k + 4] = (t, 0.0, t, 0.0)
        d[net.d_index(f"{self.name}.setpoint_end")] = math.inf
        d[net.d_index(f"{self.name}.pz1")] = 0.0
        d[net.d_index(f"{self.name}.pz2")] = 0.0
        return []

    def _power_mode_to(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, target: float, rate):
        """Automatic, power mode, setpoint ramping from the present power to ``target``."""
        n = float(y[net.s_index("core.n")])
        k = net.discrete[f"{self.name}.setpoint"].start
        cur = min(float(ramp_value(d, k, t)), n)
        dur = max(cur - target, 0.0) / rate if rate > 0 else 0.0
        d[k : k + 4] = (t, cur, t + dur, target)
        d[net.d_index(f"{self.name}.setpoint_end")] = t + dur if dur > 0 else math.inf
        d[net.d_index(f"{self.name}.mode")] = AUTO
        d[net.d_index(f"{self.name}.error_mode")] = POWER_MODE

    def on_protective_fpr(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """A fast power reduction: the setpoint ramps to the row's target at its rate; rod
        control goes automatic on power. Nothing happens if the reactor has tripped or the power
        is already below the target."""
        n = float(y[net.s_index("core.n")])
        if d[net.d_index(f"{self.name}.mode")] == TRIPPED or n <= row.target:
            return y, d, []
        self._power_mode_to(net, t, y, d, row.target, row.rate)
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "fast_power_reduction",
                    "name": row.name,
                    "detail": f"{row.detail}: power to {100 * row.target:.0f} %",
                }
            ],
        )

    def _allowed_now(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> float:
        return float(net.signal_vector(t, y, d)[net.w_index(f"{self.name}.allowed")])

    def on_protective_rom(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """The power limiter: the power exceeds the allowed power. In automatic the controller
        goes to power mode with its setpoint at the allowed power (the cap acts at once); in
        manual it only announces it (PZ-1 and PZ-2 still act)."""
        mode = d[net.d_index(f"{self.name}.mode")]
        if mode == TRIPPED:
            return y, d, []
        allowed = self._allowed_now(net, t, y, d)
        if mode == MANUAL:
            return (
                y,
                d,
                [
                    {
                        "time_s": t,
                        "kind": "power_limiter",
                        "name": row.name,
                        "detail": f"ROM: power above the allowed {100 * allowed:.0f} % "
                        "(rod control in manual)",
                    }
                ],
            )
        self._power_mode_to(net, t, y, d, allowed, 0.0)
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "power_limiter",
                    "name": row.name,
                    "detail": f"ROM: power limited to {100 * allowed:.0f} % "
                    "by the equipment running",
                }
            ],
        )

    def _preventive(self, net: Any, t, y, d, row: Any, which: str, on: bool, text: str):
        """Set the PZ flag ``which`` from the active rows; log a row firing, and the end when
        no row of that kind is active any more."""
        prot = net.by_name.get("protection")
        active = on or (prot is not None and prot.active(net, d, which))
        k = net.d_index(f"{self.name}.{which}")
        was = d[k] > 0.5
        d[k] = 1.0 if active else 0.0
        if d[net.d_index(f"{self.name}.mode")] == TRIPPED or (not on and (was == active)):
            return y, d, []
        name = row.name if on else f"{which}_end"
        return y, d, [{"time_s": t, "kind": "preventive", "name": name, "detail": text}]

    def on_protective_pz1(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """PZ-1: the regulating groups are driven in, in sequence, while the row is active."""
        return self._preventive(
            net, t, y, d, row, "pz1", True, f"PZ-1 ({row.detail}): regulating groups driven in"
        )

    def on_protective_pz1_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """A PZ-1 condition cleared (the groups stop when no PZ-1 row is active)."""
        return self._preventive(net, t, y, d, row, "pz1", False, f"PZ-1 cleared ({row.name})")

    def on_protective_pz2(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """PZ-2: withdrawal of the regulating groups is blocked while the row is active."""
        return self._preventive(
            net, t, y, d, row, "pz2", True, f"PZ-2 ({row.detail}): withdrawal blocked"
        )

    def on_protective_pz2_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """A PZ-2 condition cleared."""
        return self._preventive(net, t, y, d, row, "pz2", False, f"PZ-2 cleared ({row.name})")

    def on_protective_urb(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any):
        """URB: the preselected group falls into the core by gravity (once)."""
        if self.urb_bank is None or d[net.d_index(f"{self.name}.mode")] == TRIPPED:
            return y, d, []
        core = net.by_name["core"]
        k = core.bank_names.index(self.urb_bank)
        if not core.drop_bank(net, t, y, d, k):
            return y, d, []
        return (
            y,
            d,
            [
                {
                    "time_s": t,
                    "kind": "urb",
                    "name": row.name,
                    "detail": f"URB: group {self.urb_bank} dropped ({row.detail})",
                }
            ],
        )

    def cluster_dropped(self, net: Any, d: np.ndarray) -> None:
        """A dropped cluster is signalled (rod position indication): the limiter's cluster
        limit applies."""
        d[net.d_index(f"{self.name}.clusters")] += 1.0

    def on_setpoint_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The setpoint ramp ended (a kink: the integrator restarts)."""
        return y, d, []

    def on_load_end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The load reference ramp ended (a kink: the integrator restarts)."""
        return y, d, []

r"""Reactor protection as data: a table of trips and alarms evaluated by one component.

Each row of the design's trip table (and of its power-reduction table) names a signal (a recorded
column or a component signal), a comparison (``above`` or ``below``) with a setpoint, an optional
enabling condition (another signal above or below a threshold: low-pressure trips only at power,
for example), a delay and its actions.
Each row is an event function of the integrator,

.. math:: g = \\pm\\left(\\frac{x}{x_{set}} - 1\\right)  \\quad (\\text{+ above, - below}),
    \\qquad g \\leftarrow \\min(g, g_{enable})

so the crossing time is located to the integrator's tolerance. A row fires once (it latches); its
action runs after its delay. A *hold* row (the preventive protections PZ-1 and PZ-2, the power
limiter) acts while its condition lasts instead: once fired, its event function becomes

.. math:: g = \mp\left(\frac{x}{x_{set}} - 1\right) - m

(m the row's reset margin, relative to the setpoint), and when that crosses zero the condition has
cleared: the row re-arms and each component's ``on_protective_<action>_end`` handler runs.
Actions: ``scram`` (reactor trip: the first-out is logged, every component with an
``on_reactor_trip`` handler acts, and the rods are released after the design's
scram delay), ``alarm`` (logged only), and any protective action a component offers as an
``on_protective_<action>`` method: ``fpr``, a fast power reduction to the row's target (the
power controller's), the isolation of the steam lines (the steam generators' and the
feedwater's). Rows with ``scram`` or ``fpr`` are disabled once the reactor has tripped.

Nothing in control can block a trip: control components only receive ``on_reactor_trip``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 5
#: actions that act on the reactor's power: their rows are disabled once the reactor has tripped
REACTOR_ACTIONS = ("scram", "fpr", "urb", "rom", "pz1", "pz2")


@dataclass(frozen=True)
class TripRow:
    """One row of the trip table (SI values).

    Attributes
    ----------
    name : str
        Trip name as logged (``"high_flux"``).
    signal : str
        Signal compared (column name or ``component.signal``).
    sense : str
        ``"above"`` or ``"below"``.
    setpoint : float
        Setpoint in the signal's unit (SI).
    actions : tuple of str
        ``"scram"``, ``"alarm"``, ``"fpr"`` (a fast power reduction to ``target`` at ``rate``) or
        a component's protective action, in order.
    delay : float
        Delay between the crossing and the action [s].
    enable_signal, enable_sense, enable_threshold : str, str, float
        Optional enabling condition (empty signal: always enabled).
    detail : str
        Format of the log detail, with ``{value}`` (signal value in the display unit) and
        ``{setpoint}``; ``scale`` converts SI to the display unit.
    scale : float
        Display scale (``1e-6`` for MPa, ``100`` for %).
    """

    name: str
    signal: str
    sense: str
    setpoint: float
    actions: tuple[str, ...] = ("scram",)
    delay: float = 0.0
    enable_signal: str = ""
    enable_sense: str = "above"
    enable_threshold: float = 0.0
    detail: str = ""
    scale: float = 1.0
    target: float = 0.0
    rate: float = 0.0
    hold: bool = False
    reset: float = 0.0
    enable2_signal: str = ""
    enable2_sense: str = "above"
    enable2_threshold: float = 0.0


class F(IntEnum):
    """The record of the protection in ``ip``."""

    N_ROWS = 0
    I_SIGNALS = 1
    I_ENABLE = 2
    P_SETPOINT = 3
    P_SENSE = 4
    P_ENABLE_THRESHOLD = 5
    P_ENABLE_SENSE = 6
    P_HAS_ENABLE = 7
    P_IS_SCRAM = 8
    D_LATCHED = 9
    D_TRIPPED = 10
    D_PENDING = 11
    D_RELEASE = 12
    G_ROWS = 13
    P_HOLD = 14
    P_RESET = 15
    I_ENABLE2 = 16
    P_ENABLE2 = 17


@njit
def signals(t, y, p, ip, d, w, r):
    """No signals of its own."""


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


@njit
def roots(t, y, p, ip, d, w, g, r):
    """One event function per row (latched rows, and scram rows once tripped, stay negative)."""
    nrow = ip[r + F.N_ROWS]
    tripped = d[ip[r + F.D_TRIPPED]] > 0.5
    for k in range(nrow):
        gk = -1.0
        latched = d[ip[r + F.D_LATCHED] + k] > 0.5
        scram_row = p[ip[r + F.P_IS_SCRAM] + k] > 0.5
        hold = p[ip[r + F.P_HOLD] + k] > 0.5
        if hold and latched and not (tripped and scram_row):
            # an active hold row: its event is the condition clearing by the reset margin
            x = w[ip[ip[r + F.I_SIGNALS] + k]]
            sp = p[ip[r + F.P_SETPOINT] + k]
            sense = p[ip[r + F.P_SENSE] + k]
            rel = sense * (x / sp - 1.0) if sp != 0.0 else sense * x
            gk = -rel - p[ip[r + F.P_RESET] + k]
        elif not latched and not (tripped and scram_row):
            x = w[ip[ip[r + F.I_SIGNALS] + k]]
            sp = p[ip[r + F.P_SETPOINT] + k]
            sense = p[ip[r + F.P_SENSE] + k]
            if sp != 0.0:
                gk = sense * (x / sp - 1.0)
            else:
                gk = sense * x
            if p[ip[r + F.P_HAS_ENABLE] + k] > 0.5:
                xe = w[ip[ip[r + F.I_ENABLE] + k]]
                gate = p[ip[r + F.P_ENABLE_SENSE] + k] * (xe - p[ip[r + F.P_ENABLE_THRESHOLD] + k])
                gk = min(gk, gate)
            e2 = ip[r + F.P_ENABLE2] + 3 * k  # (has, sense, threshold) of a second condition
            if p[e2] > 0.5:
                xe = w[ip[ip[r + F.I_ENABLE2] + k]]
                gk = min(gk, p[e2 + 1] * (xe - p[e2 + 2]))
        g[ip[r + F.G_ROWS] + k] = gk


class Protection(Component):
    """The reactor protection system (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"protection"``).
    rows : list of TripRow
        The trip and alarm table.
    scram_delay : float
        Time from a trip to the release of the rods [s].
    core : str
        Name of the core component.
    """

    kind = "protection"
    code = CODE
    Field = F

    def __init__(
        self, name: str, rows: list[TripRow], scram_delay: float, core: str = "core"
    ) -> None:
        super().__init__(name)
        self.rows = list(rows)
        self.scram_delay = scram_delay
        self.core = core

    def declare(self, b: Declarer) -> None:
        rows = self.rows
        nr = len(rows)
        b.count("rows", nr)
        b.signal_refs("signals", [r.signal for r in rows])
        b.signal_refs("enable", [r.enable_signal or r.signal for r in rows])
        b.param("setpoint", [r.setpoint for r in rows])
        b.param("sense", [1.0 if r.sense == "above" else -1.0 for r in rows])
        b.param("enable_threshold", [r.enable_threshold for r in rows])
        b.param("enable_sense", [1.0 if r.enable_sense == "above" else -1.0 for r in rows])
        b.param("has_enable", [1.0 if r.enable_signal else 0.0 for r in rows])
        b.param(
            "is_scram",
            [1.0 if set(r.actions) & set(REACTOR_ACTIONS) else 0.0 for r in rows],
        )
        b.signal_refs("enable2", [r.enable2_signal or r.signal for r in rows])
        b.param(
            "enable2",
            [
                v
                for r in rows
                for v in (
                    1.0 if r.enable2_signal else 0.0,
                    1.0 if r.enable2_sense == "above" else -1.0,
                    r.enable2_threshold,
                )
            ],
            description="second enabling condition of each row: (has, sense, threshold)",
        )
        b.param("hold", [1.0 if r.hold else 0.0 for r in rows])
        b.param("reset", [r.reset for r in rows], "1", "reset margin of hold rows")
        # read by the event functions and the handlers only (rhs=False: a row that only latches,
        # an alarm, does not restart the integrator)
        b.discrete(
            "latched",
            np.zeros(nr),
            description="rows that have fired (hold rows: active)",
            rhs=False,
        )
        b.discrete("tripped", 0.0, description="reactor tripped (latched)", rhs=False)
        b.discrete(
            "pending",
            np.full(nr, math.inf),
            "s",
            scheduled=True,
            description="time of a fired row's delayed action",
            rhs=False,
        )
        b.discrete(
            "release",
            math.inf,
            "s",
            scheduled=True,
            description="time the rods are released after a trip (scram delay)",
            rhs=False,
        )
        b.roots("rows", [r.name for r in rows])

    # -- between steps -------------------------------------------------------------------------
    def is_tripped(self, net: Any, d: np.ndarray) -> bool:
        return bool(d[net.d_index(f"{self.name}.tripped")] > 0.5)

    def _detail(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: TripRow) -> str:
        if not row.detail:
            return ""
        kind, i = net.lookup(row.signal)
        value = float(net.signal_vector(t, y, d)[i]) if kind == "signal" else math.nan
        return row.detail.format(value=value * row.scale, setpoint=row.setpoint * row.scale)

    def on_rows(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """Row ``k`` crossed its setpoint: latch it; act now or after its delay. An active hold
        row whose condition has cleared re-arms and ends its actions."""
        row = self.rows[k]
        i_latch = net.discrete[f"{self.name}.latched"].start + k
        if row.hold and d[i_latch] > 0.5:
            d[i_latch] = 0.0
            d[net.discrete[f"{self.name}.pending"].start + k] = math.inf
            return self._end(net, t, y, d, row)
        d[i_latch] = 1.0
        if row.delay > 0.0:
            d[net.discrete[f"{self.name}.pending"].start + k] = t + row.delay
            return (
                y,
                d,
                [
                    {
                        "time_s": t,
                        "kind": "signal",
                        "name": row.name,
                        "detail": self._detail(net, t, y, d, row),
                    }
                ],
            )
        return self._act(net, t, y, d, row)

    def on_pending(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A fired row's delay has passed: act."""
        return self._act(net, t, y, d, self.rows[k])

    def _act(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: TripRow):
        detail = self._detail(net, t, y, d, row)
        entries: list[dict[str, Any]] = []
        for action in row.actions:
            if action == "scram":
                y, d, more = self.reactor_trip(net, t, y, d, row.name, detail)
            elif action == "alarm":
                more = [{"time_s": t, "kind": "alarm", "name": row.name, "detail": detail}]
            else:
                more = []
                for c in net.components:
                    handler = getattr(c, f"on_protective_{action}", None)
                    if handler is not None:
                        y, d, extra = handler(net, t, y, d, row)
                        more += extra
            entries += more
        return y, d, entries

    def _end(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: TripRow):
        """A hold row's condition has cleared: each action's ``_end`` handler runs."""
        entries: list[dict[str, Any]] = []
        for action in row.actions:
            for c in net.components:
                handler = getattr(c, f"on_protective_{action}_end", None)
                if handler is not None:
                    y, d, extra = handler(net, t, y, d, row)
                    entries += extra
        return y, d, entries

    def active(self, net: Any, d: np.ndarray, action: str) -> bool:
        """Whether a hold row with ``action`` is active."""
        k0 = net.discrete[f"{self.name}.latched"].start
        return any(
            r.hold and action in r.actions and d[k0 + k] > 0.5 for k, r in enumerate(self.rows)
        )

    def check_actions(self, net: Any) -> None:
        """Refuse a table row whose action no component offers."""
        for row in self.rows:
            for action in row.actions:
                if action in ("scram", "alarm"):
                    continue
                if not any(hasattr(c, f"on_protective_{action}") for c in net.components):
                    raise ValueError(
                        f"trip table row {row.name!r}: no component offers the action {action!r}"
                    )

    def reactor_trip(
        self, net: Any, t: float, y: np.ndarray, d: np.ndarray, name: str, detail: str
    ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
        """Trip the reactor at ``t`` (first-out ``name``); a second trip only logs nothing."""
        if self.is_tripped(net, d):
            return y, d, []
        d[net.d_index(f"{self.name}.tripped")] = 1.0
        entries: list[dict[str, Any]] = [
            {"time_s": t, "kind": "trip", "name": name, "detail": detail}
        ]
        d[net.d_index(f"{self.name}.release")] = t + self.scram_delay
        for c in net.components:
            handler = getattr(c, "on_reactor_trip", None)
            if handler is not None:
                entries += handler(net, t, y, d)
        return y, d, entries

    def on_release(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """The scram delay has passed: the rods fall."""
        net.by_name[self.core].scram(net, t, y, d)
        return y, d, [{"time_s": t, "kind": "rods", "name": "scram_rods_released"}]

"""The model's validity range, watched: event functions that stop a run where the model ends.

The plant model is single-phase in the primary circuit (loops, plenums, the core's coolant
channel), its water properties come from tables with a range (:mod:`nppsim.physics.water_table`,
:mod:`nppsim.physics.saturation`), and some components model a range of pressures only. A run
that leaves that range would go on computing numbers that mean nothing (a boiling core whose
power collapses with no trip). This component turns each limit into an event function of the
integrator, so the crossing is located in time to the integrator's tolerance; when one fires the
engine stops the run there (status ``stopped``), with a message naming the quantity, the place
and the time (:class:`nppsim.errors.ValidityError`).

Rows (one event function each, latched once fired):

* ``subcooling``: the hottest of a group of coolant nodes (enthalpy states) reaches the enthalpy
  of saturated liquid at the pressure, the line where the water table's status turns from
  liquid to two-phase,

  .. math:: g = \\frac{\\max_j h_j}{h_f(p)} - 1;

* ``temp_sat``: a prescribed temperature (the core's inlet boundary condition) reaches the
  saturation temperature, :math:`g = T / T_{sat}(p) - 1`;
* ``below`` / ``above``: a pressure leaves the range a table or a component models,
  :math:`g = 1 - x/x_{min}` or :math:`g = x/x_{max} - 1`;
* ``status``: a vessel's state could not be found in the tables (status below zero).

Vessels that are two-phase by design (pressurizer, steam generators' secondary sides) are not
watched for saturation; their pressures are watched against the tables' range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 30

SUBCOOLING, TEMP_SAT, BELOW, ABOVE, STATUS = 0, 1, 2, 3, 4
_KINDS = {"subcooling": SUBCOOLING, "temp_sat": TEMP_SAT, "below": BELOW, "above": ABOVE}
_KINDS["status"] = STATUS


@dataclass(frozen=True)
class ValidityRow:
    """One watched limit.

    Attributes
    ----------
    name : str
        Row name as logged (``"saturation_loop1"``).
    kind : str
        ``subcooling``, ``temp_sat``, ``below``, ``above`` or ``status`` (see the module).
    place : str
        Where, in words (``"loop 1"``, ``"core channel"``).
    quantity : str
        What, in words (``"coolant temperature"``, ``"primary pressure"``).
    signal : str
        The watched signal (``temp_sat``, ``below``, ``above``, ``status``), or the pressure
        signal of a ``subcooling`` row.
    pressure : str
        Pressure signal of a ``temp_sat`` row.
    states : tuple of str
        Enthalpy state labels of a ``subcooling`` row.
    limit : float
        The limit of a ``below`` or ``above`` row (SI).
    why : str
        What ends there, for the message (``"the water tables end at 0.1 MPa"``).
    """

    name: str
    kind: str
    place: str
    quantity: str
    signal: str
    pressure: str = ""
    states: tuple[str, ...] = ()
    limit: float = 0.0
    why: str = ""


class F(IntEnum):
    """The record of the validity watch in ``ip``."""

    N_ROWS = 0
    I_KIND = 1
    I_SIGNAL = 2
    I_PRESSURE = 3
    I_START = 4
    I_COUNT = 5
    I_STATES = 6
    P_LIMIT = 7
    D_LATCHED = 8
    G_ROWS = 9


@njit
def _margin(y, p, ip, w, r, k):
    """The event function of row ``k`` (positive: outside the validity range)."""
    kind = ip[ip[r + F.I_KIND] + k]
    x = w[ip[ip[r + F.I_SIGNAL] + k]]
    if kind == SUBCOOLING:
        h_f = props.sat(p, ip, x)[3]
        a = ip[ip[r + F.I_START] + k]
        n = ip[ip[r + F.I_COUNT] + k]
        hi = -1e300
        for j in range(n):
            hi = max(hi, y[ip[ip[r + F.I_STATES] + a + j]])
        return hi / h_f - 1.0
    if kind == TEMP_SAT:
        t_sat = props.sat(p, ip, w[ip[ip[r + F.I_PRESSURE] + k]])[0]
        return x / t_sat - 1.0
    if kind == BELOW:
        return 1.0 - x / p[ip[r + F.P_LIMIT] + k]
    if kind == ABOVE:
        return x / p[ip[r + F.P_LIMIT] + k] - 1.0
    return -x - 0.5  # STATUS: 0, 1, 2 fine; -1 (outside the tables), -2 (near critical) not


@njit
def signals(t, y, p, ip, d, w, r):
    """No signals: the margins are computed only where events are checked (:func:`roots`),
    so the right-hand side does not pay for them."""


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """No states."""


@njit
def roots(t, y, p, ip, d, w, g, r):
    """One event function per row; a latched row stays negative."""
    lat = ip[r + F.D_LATCHED]
    g0 = ip[r + F.G_ROWS]
    for k in range(ip[r + F.N_ROWS]):
        gk = _margin(y, p, ip, w, r, k)
        if d[lat + k] > 0.5 or not gk == gk:  # latched, or NaN (another row names the cause)
            gk = -1.0
        g[g0 + k] = gk


class Validity(Component):
    """The validity watch (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"validity"``).
    rows : list of ValidityRow
        The watched limits.
    """

    kind = "validity"
    code = CODE
    Field = F

    def __init__(self, name: str, rows: list[ValidityRow]) -> None:
        super().__init__(name)
        self.rows = list(rows)

    def declare(self, b: Declarer) -> None:
        rows = self.rows
        nr = len(rows)
        b.count("rows", nr)
        b.int_param("kind", [_KINDS[x.kind] for x in rows])
        b.signal_refs("signal", [x.signal for x in rows])
        b.signal_refs("pressure", [x.pressure or x.signal for x in rows])
        starts: list[int] = []
        counts: list[int] = []
        states: list[str] = []
        for x in rows:
            starts.append(len(states))
            counts.append(len(x.states))
            states.extend(x.states)
        b.int_param("start", starts)
        b.int_param("count", counts)
        b.state_refs("states", states, before_closure=False)
        b.param("limit", [x.limit if x.limit else 1.0 for x in rows])
        b.discrete("latched", np.zeros(nr), description="rows that have fired")
        b.roots("rows", [x.name for x in rows])

    # -- between steps -------------------------------------------------------------------------
    def on_rows(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """Row ``k`` left the validity range: latch it; log an entry that stops the run."""
        d[net.discrete[f"{self.name}.latched"].start + k] = 1.0
        return y, d, [self.entry(net, t, y, d, k)]

    def violated(self, net: Any, t: float, y: np.ndarray, d: np.ndarray) -> list[int]:
        """Rows outside the range at ``(t, y)``, latched ones excepted (at a steady state: a
        state a run cannot start from). Strictly outside: a limit itself is inside the range."""
        g = net.roots(t, y, d)[self.rec("G_ROWS") : self.rec("G_ROWS") + len(self.rows)]
        return [k for k in range(len(self.rows)) if g[k] > 0.0]

    def entry(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int) -> dict[str, Any]:
        """The log entry of row ``k`` at ``(t, y)``: kind ``validity``, ``stop`` set."""
        row = self.rows[k]
        return {
            "time_s": t,
            "kind": "validity",
            "name": row.name,
            "detail": self.describe(net, t, y, d, k),
            "stop": True,
        }

    def describe(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int) -> str:
        """What left the range, where, by how much (one sentence, no time)."""
        row = self.rows[k]
        w = net.signal_vector(t, y, d)
        x = float(w[net.signal_lookup(row.signal)])
        if row.kind == "subcooling":
            idx = [net.states.index(s) for s in row.states]
            j = int(np.argmax(y[idx]))
            t_sat = float(props.sat(net.p, net.ip, x)[0])
            temp = _node_temperature(net, w, row.states[j])
            return (
                f"coolant reached saturation in the {row.place}{_node_words(row.states[j])}: "
                f"{_degc(temp)} at {x / 1e6:.2f} MPa (saturation {_degc(t_sat)}); the model is "
                "single-phase there"
            )
        if row.kind == "temp_sat":
            press = float(w[net.signal_lookup(row.pressure)])
            t_sat = float(props.sat(net.p, net.ip, press)[0])
            return (
                f"the {row.quantity} at the {row.place} reached saturation: {_degc(x)} against "
                f"{_degc(t_sat)} at {press / 1e6:.2f} MPa; the model is single-phase there"
            )
        if row.kind == "below":
            return (
                f"the {row.quantity} of the {row.place} fell below {row.limit / 1e6:g} MPa "
                f"({x / 1e6:.3f} MPa): {row.why}"
            )
        if row.kind == "above":
            return (
                f"the {row.quantity} of the {row.place} rose above {row.limit / 1e6:g} MPa "
                f"({x / 1e6:.3f} MPa): {row.why}"
            )
        return f"the {row.quantity} of the {row.place} left the property tables: {row.why}"


def _degc(kelvin: float) -> str:
    return f"{kelvin - 273.15:.1f} °C" if math.isfinite(kelvin) else "undefined"


def _node_words(label: str) -> str:
    """``"loop1.h[sg2]"`` -> ``" (steam-generator tubes, node 3)"``."""
    inner = label.partition("[")[2].rstrip("]")
    if not inner:
        return ""
    if inner == "hot":
        return " (hot leg)"
    if inner == "cold":
        return " (cold leg and pump)"
    if inner.startswith("sg"):
        return f" (steam-generator tubes, node {int(inner[2:]) + 1})"
    if inner.isdigit():
        return f" (node {int(inner) + 1} from the inlet)"
    return f" ({inner})"


def _node_temperature(net: Any, w: np.ndarray, label: str) -> float:
    """Temperature of an enthalpy node, from its component's ``node_temp`` or ``temp``."""
    comp = label.partition(".")[0]
    if f"{comp}.node_temp" in net.signals:
        pos = net.states.index(label) - net.states[f"{comp}.h"].start
        return float(w[net.signals[f"{comp}.node_temp"].start + pos])
    if f"{comp}.temp" in net.signals:
        return float(w[net.signals.index(f"{comp}.temp")])
    return math.nan


def _core_nodes(n: int) -> tuple[str, ...]:
    return tuple(f"core.h[{j}]" for j in range(n))


def _loop_nodes(i: int, n_sg: int) -> tuple[str, ...]:
    return (f"loop{i}.h[hot]", *[f"loop{i}.h[sg{j}]" for j in range(n_sg)], f"loop{i}.h[cold]")


def core_rows(n_core: int) -> list[ValidityRow]:
    """The watch of the core studied alone (boundary conditions prescribed), ``n_core`` axial
    coolant nodes."""
    return [
        ValidityRow(
            "saturation_core",
            "subcooling",
            "core channel",
            "coolant",
            "boundary.pressure",
            states=_core_nodes(n_core),
        ),
        ValidityRow(
            "saturation_core_inlet",
            "temp_sat",
            "core inlet (boundary condition)",
            "coolant temperature",
            "boundary.temp_in",
            pressure="boundary.pressure",
        ),
        *_pressure_rows("boundary.pressure", "primary circuit", "primary pressure"),
    ]


def plant_rows(n_loops: int, n_sg: int, n_core: int) -> list[ValidityRow]:
    """The watch of the whole plant: ``n_loops`` loops of ``n_sg`` steam-generator tube nodes,
    ``n_core`` axial coolant nodes in the core."""
    rows = [
        ValidityRow(
            "saturation_core",
            "subcooling",
            "core channel",
            "coolant",
            "pressurizer.pressure",
            states=_core_nodes(n_core),
        ),
        ValidityRow(
            "saturation_upper_plenum",
            "subcooling",
            "upper plenum",
            "coolant",
            "pressurizer.pressure",
            states=("upper_plenum.h",),
        ),
        ValidityRow(
            "saturation_lower_plenum",
            "subcooling",
            "lower plenum and downcomer",
            "coolant",
            "pressurizer.pressure",
            states=("lower_plenum.h",),
        ),
    ]
    for i in range(1, n_loops + 1):
        rows.append(
            ValidityRow(
                f"saturation_loop{i}",
                "subcooling",
                f"loop {i}",
                "coolant",
                "pressurizer.pressure",
                states=_loop_nodes(i, n_sg),
            )
        )
    rows += _pressure_rows("pressurizer.pressure", "primary circuit", "primary pressure")
    rows.append(
        ValidityRow(
            "tables_pressurizer",
            "status",
            "pressurizer",
            "state",
            "pressurizer.status",
            why="no water or steam state of its mass and energy lies within the tables",
        )
    )
    for i in range(1, n_loops + 1):
        rows += _pressure_rows(
            f"sg{i}.pressure", f"steam generator {i}", "steam pressure", name=f"sg{i}"
        )
    rows.append(
        ValidityRow(
            "tables_steam_header",
            "below",
            "steam header",
            "pressure",
            "turbine.header",
            limit=_ISENTROPIC_P_MIN,
            why="the turbine's isentropic-expansion table starts there",
        )
    )
    return rows


#: the ranges of the kernel's property tables (nppsim.physics.water_table, .saturation): the
#: (p, h) table from 0.1 MPa; the saturation line tabulated (and followed by the (p, h) table) up
#: to 21 MPa; the turbine's isentropic drop from 0.05 MPa
_PH_P_MIN = 0.1e6
_SAT_P_MAX = 21.0e6
_ISENTROPIC_P_MIN = 0.05e6


def _pressure_rows(signal: str, place: str, quantity: str, name: str = "") -> list[ValidityRow]:
    tag = name or "primary"
    return [
        ValidityRow(
            f"tables_{tag}_low",
            "below",
            place,
            quantity,
            signal,
            limit=_PH_P_MIN,
            why="the water-property tables start at 0.1 MPa",
        ),
        ValidityRow(
            f"tables_{tag}_high",
            "above",
            place,
            quantity,
            signal,
            limit=_SAT_P_MAX,
            why="the property tables follow the saturation line up to 21 MPa (near the "
            "critical point the model has no two-phase states)",
        ),
    ]

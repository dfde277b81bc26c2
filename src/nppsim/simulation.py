"""The simulation: one clock, one stiff integrator, a recorder, snapshots.

A :class:`Simulation` owns SciPy's adaptive BDF integrator and steps it over a model's right-hand
side. It restarts the integrator only with cause: at a scheduled scenario event, at a known break in
an input (a bank reaching its target), or when a state event (a trip) fires. Every accepted step
is recorded, so fast transients are recorded densely and quiet periods sparsely.

The caller owns the loop (as with Cantera's ``ReactorNet.advance``)::

    sim = Simulation(model, y0, events=scenario_events)
    while sim.t < t_end:
        sim.advance(min(sim.t + 60.0, t_end))
    df = sim.results()

A model is any object with the methods used here (see :class:`Model`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.integrate import BDF
from scipy.optimize import brentq

from nppsim.errors import SolverError
from nppsim.plant.state import StateLayout


@dataclass(frozen=True)
class Event:
    """A scheduled scenario event: at ``time`` [s], something of ``kind`` happens."""

    time: float
    kind: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)


class Model(Protocol):
    """What a simulation needs from a model."""

    layout: StateLayout
    output_names: list[str]
    state_event_names: list[str]

    def rhs(self, t: float, y: np.ndarray) -> np.ndarray:
        """dy/dt at time ``t`` [s] (SI per second)."""

    def outputs(self, t: float, y: np.ndarray) -> Sequence[float]:
        """Recorded quantities, in the order of ``output_names``."""

    def state_events(self, t: float, y: np.ndarray) -> np.ndarray:
        """Event functions; event ``i`` fires when function ``i`` crosses zero upwards."""

    def fire(self, name: str, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """Act on a state event (a trip): the new state and the log entries."""

    def apply(self, event: Event, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """Act on a scheduled scenario event: the new state and the log entries."""

    def next_break(self) -> float:
        """Time [s] of the model's next known discontinuity (a bank reaching its target)."""

    def on_break(self, t: float, y: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """Act on the break due at ``t``: the new state and the log entries."""

    def get_discrete(self) -> Any:
        """The discrete state (modes, latches, commands), for snapshots."""

    def set_discrete(self, discrete: Any) -> None:
        """Restore a discrete state taken by :meth:`get_discrete`."""


@dataclass
class Snapshot:
    """Everything needed to resume a simulation at time ``t``."""

    t: float
    y: np.ndarray
    discrete: Any
    pending: list[Event]
    log: list[dict]
    n_rows: int


class Simulation:
    """Integrate a model through scheduled and state events, recording every accepted step.

    Parameters
    ----------
    model : Model
        The plant or core model (derivatives, outputs, events).
    y0 : ndarray
        Initial state, ordered as ``model.layout``.
    t0 : float
        Initial time [s].
    events : sequence of Event
        Scheduled events; applied in time order when the clock reaches them.
    rtol : float
        Relative tolerance of the integrator [1]. Absolute tolerances come from the layout.
    """

    def __init__(
        self,
        model: Model,
        y0: np.ndarray,
        t0: float = 0.0,
        events: Sequence[Event] = (),
        rtol: float = 1e-6,
    ) -> None:
        self.model = model
        self.rtol = rtol
        self.atol = model.layout.atol_array()
        self.t = float(t0)
        self.y = np.array(y0, dtype=float)
        self.pending: list[Event] = sorted(events, key=lambda e: e.time)
        self.log: list[dict] = []
        self.n_steps = 0
        self.n_restarts = 0
        self._rows: list[Sequence[float]] = []
        self._solver: BDF | None = None
        self._solver_t = self.t
        self._solver_y = self.y.copy()
        self._dense: Any = None  # dense output of the last step, covering (t_prev, _solver_t]
        self._dense_t0 = self.t
        self._g_prev = self._state_events(self.t, self.y)
        self._record(self.t, self.y)

    # -- integrator management -------------------------------------------------------------
    def _state_events(self, t: float, y: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.state_events(t, y), dtype=float)

    def _next_stop(self) -> float:
        t_event = self.pending[0].time if self.pending else math.inf
        return min(t_event, self.model.next_break())

    def _start(self) -> None:
        t_bound = self._next_stop()
        if not t_bound > self._solver_t:
            t_bound = math.inf
        self._solver = BDF(
            self.model.rhs,
            self._solver_t,
            self._solver_y,
            t_bound,
            rtol=self.rtol,
            atol=self.atol,
            jac_sparsity=getattr(self.model, "jac_sparsity", lambda: None)(),
            jac=getattr(self.model, "jac", None),
        )
        self.n_restarts += 1

    def _restart_at(self, t: float, y: np.ndarray) -> None:
        self._solver = None
        self._solver_t = t
        self._solver_y = np.array(y, dtype=float)
        self._g_prev = self._state_events(t, self._solver_y)

    def _apply_due_events(self) -> bool:
        """Apply scheduled events and model breaks due at the solver time.

        Returns whether anything was applied (the integrator then restarts).
        """
        applied = False
        y = self._solver_y
        tol = 1e-9 * max(1.0, abs(self._solver_t))
        while True:
            if self.pending and self.pending[0].time <= self._solver_t + tol:
                ev = self.pending.pop(0)
                y, entries = self.model.apply(ev, self._solver_t, y)
            elif self.model.next_break() <= self._solver_t + tol:
                y, entries = self.model.on_break(self._solver_t, y)
            else:
                break
            self._log(entries)
            applied = True
        if applied:
            self._restart_at(self._solver_t, y)
            self._record(self._solver_t, self._solver_y)
        return applied

    def _log(self, entries: list[dict]) -> None:
        for e in entries:
            self.log.append(
                {
                    "time_s": float(e["time_s"]),
                    "kind": e["kind"],
                    "name": e["name"],
                    **{k: v for k, v in e.items() if k not in ("time_s", "kind", "name")},
                }
            )

    def _step(self) -> None:
        """One accepted integrator step, with events located and applied."""
        if self._apply_due_events():
            return
        if self._solver is None:
            self._start()
        solver = self._solver
        t_prev = solver.t
        try:
            message = solver.step()
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as e:
            # a NaN or inf reaching the linear algebra: the model left its valid range
            self._solver = None
            raise SolverError(f"integrator failed at t = {t_prev:.6g} s: {e}") from None
        if solver.status == "failed":
            raise SolverError(f"integrator failed at t = {t_prev:.6g} s: {message}")
        t_new, y_new = solver.t, solver.y
        if not np.all(np.isfinite(y_new)):
            self._solver = None
            raise SolverError(f"integrator produced a non-finite state at t = {t_new:.6g} s")
        self.n_steps += 1
        dense = solver.dense_output()
        g_new = self._state_events(t_new, y_new)
        crossed = np.flatnonzero((self._g_prev < 0.0) & (g_new >= 0.0))
        if crossed.size:
            # locate the earliest crossing on the step's interpolant
            times = []
            for i in crossed:

                def g(tt: float, i: int = i) -> float:
                    return float(self._state_events(tt, dense(tt))[i])

                times.append(brentq(g, t_prev, t_new, xtol=1e-9 * max(1.0, abs(t_new))))
            k = int(np.argmin(times))
            t_e = float(times[k])
            y_e = dense(t_e)
            self._dense, self._dense_t0 = dense, t_prev
            self._solver_t, self._solver_y = t_e, y_e
            self._record(t_e, y_e)
            name = self.model.state_event_names[int(crossed[k])]
            y_after, entries = self.model.fire(name, t_e, y_e)
            self._log(entries)
            self._restart_at(t_e, y_after)
            self._record(t_e, self._solver_y)
            return
        self._g_prev = g_new
        self._dense, self._dense_t0 = dense, t_prev
        self._solver_t, self._solver_y = t_new, y_new.copy()
        self._record(t_new, y_new)
        if solver.status == "finished":
            self._solver = None  # reached a stop (event or input break); restart after it

    def _state_at(self, t: float) -> np.ndarray:
        if t >= self._solver_t or self._dense is None or t < self._dense_t0:
            return self._solver_y.copy()
        return np.asarray(self._dense(t))

    # -- public API ------------------------------------------------------------------------
    def advance(self, t_target: float, progress: Callable[[float], None] | None = None) -> None:
        """Integrate until time ``t_target`` [s]; ``progress(t)`` is called after each step.

        On an integrator failure :class:`~nppsim.errors.SolverError` is raised; everything recorded
        up to the failure stays available from :meth:`results`.
        """
        while self._solver_t < t_target:
            try:
                self._step()
            except SolverError:
                # keep everything integrated so far: the clock stops at the last good step
                self.t, self.y = self._solver_t, self._solver_y.copy()
                raise
            if progress is not None:
                progress(min(self._solver_t, t_target))
        self.t = float(t_target)
        self.y = self._state_at(self.t)

    def snapshot(self) -> Snapshot:
        """Capture the simulation at its current time (cheap; restartable with :meth:`restore`)."""
        n_rows = sum(1 for r in self._rows if r[0] <= self.t)
        return Snapshot(
            t=self.t,
            y=self.y.copy(),
            discrete=copy.deepcopy(self.model.get_discrete()),
            pending=list(self.pending),
            log=[dict(e) for e in self.log if e["time_s"] <= self.t],
            n_rows=n_rows,
        )

    def restore(self, snap: Snapshot) -> None:
        """Return to a snapshot; the integrator restarts from the snapshot's state."""
        self.model.set_discrete(copy.deepcopy(snap.discrete))
        self.pending = list(snap.pending)
        self.log = [dict(e) for e in snap.log]
        self._rows = [r for r in self._rows if r[0] <= snap.t][: snap.n_rows]
        self.t = snap.t
        self.y = snap.y.copy()
        self._dense = None
        self._restart_at(snap.t, snap.y)
        if not self._rows or self._rows[-1][0] < snap.t:
            self._record(snap.t, snap.y)

    def state(self) -> dict[str, float]:
        """The current state by name (SI)."""
        return dict(zip(self.model.layout.names, map(float, self.y), strict=True))

    def _record(self, t: float, y: np.ndarray) -> None:
        self._rows.append((t, *self.model.outputs(t, y)))

    def results(self) -> pd.DataFrame:
        """Recorded outputs as a DataFrame: ``time_s`` and one column per output (SI, unit in name).

        Rows are every accepted integrator step up to the current time, plus event instants (an
        event instant appears twice: just before and just after the event).
        """
        rows = [r for r in self._rows if r[0] <= self.t + 1e-12]
        later_events = any(e["time_s"] > self.t for e in self.log)
        if rows and rows[-1][0] < self.t and not later_events:
            # the integrator stepped past the caller's time: add the interpolated state there
            rows.append((self.t, *self.model.outputs(self.t, self.y)))
        return pd.DataFrame(rows, columns=["time_s", *self.model.output_names])

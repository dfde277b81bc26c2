"""SciPy's BDF as an integrator backend of the engine (the reference for the compiled one).

The engine (:mod:`nppsim.engine.simulation`) talks to an integrator through a small interface:
``restart(t, y, d)``, ``advance(t_target, t_stop, max_steps) -> Outcome``, ``dense(t)`` over the
last step, ``get_state()``/``set_state()``. This module implements it over
:class:`scipy.integrate.BDF` with the network's compiled right-hand side, Jacobian and event
functions; the step loop runs in Python, so it is slower than the compiled backend, and is kept to
check it and for comparison (``benchmarks/plant.py`` prints both).

Event location: after each accepted step the event functions are evaluated; an event fires when
one crosses zero upwards within the step; the earliest crossing is located on the step's
interpolant (Brent, 1e-9 relative in t) and the integrator is cut there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.integrate import BDF
from scipy.optimize import brentq

# outcome codes of advance()
TARGET, STOP, EVENT, FULL, FAILED = 0, 1, 2, 3, 4


@dataclass
class Outcome:
    """What an ``advance`` call ended with.

    Attributes
    ----------
    status : int
        TARGET (time >= t_target), STOP (landed on t_stop), EVENT (an event function crossed
        zero: the integrator is at the event), FULL (max_steps taken), FAILED.
    ts, ys : ndarray
        Accepted steps (times [s], states), in order; with EVENT the last is the event point.
    event : int
        Index of the event function that fired (EVENT), else -1.
    message : str
        Failure message (FAILED).
    """

    status: int
    ts: np.ndarray
    ys: np.ndarray
    event: int = -1
    message: str = ""
    stats: dict[str, int] = field(default_factory=dict)


class ScipyIntegrator:
    """SciPy BDF over a network's compiled functions (see the module docstring).

    Parameters
    ----------
    net : Network
        The model (``net.rhs``, ``net.jac``, ``net.roots`` take the discrete state).
    rtol : float
        Relative tolerance [1].
    atol : ndarray
        Absolute tolerance of each state.
    """

    def __init__(self, net: Any, rtol: float, atol: np.ndarray) -> None:
        self.net = net
        self.rtol = rtol
        self.atol = np.asarray(atol, dtype=float)
        self.d = net.d0.copy()
        self.t = 0.0
        self.y = np.zeros(net.states.size)
        self._solver: BDF | None = None
        self._dense: Any = None
        self._t_prev = 0.0
        self._g = np.zeros(net.n_roots)
        self.n_steps = 0
        self.n_restarts = 0

    # -- interface ----------------------------------------------------------------------------
    def restart(self, t: float, y: np.ndarray, d: np.ndarray) -> None:
        """Start again at ``(t, y)`` with discrete state ``d`` (after a discontinuity)."""
        self.t = float(t)
        self.y = np.array(y, dtype=float)
        self.d = np.array(d, dtype=float)
        self._solver = None
        self._dense = None
        self._t_prev = self.t
        self._g = self.net.roots(self.t, self.y, self.d)

    def _fun(self, t: float, y: np.ndarray) -> np.ndarray:
        return self.net.rhs(t, y, self.d)

    def _jac(self, t: float, y: np.ndarray) -> np.ndarray:
        return self.net.jac(t, y, self.d)

    def _start(self, t_bound: float) -> None:
        self._solver = BDF(
            self._fun, self.t, self.y, t_bound, rtol=self.rtol, atol=self.atol, jac=self._jac
        )
        self._bound = t_bound
        self.n_restarts += 1

    def advance(self, t_target: float, t_stop: float, max_steps: int) -> Outcome:
        """Take accepted steps until t >= t_target, t == t_stop, an event or ``max_steps``."""
        ts: list[float] = []
        ys: list[np.ndarray] = []
        status = FULL
        event = -1
        for _ in range(max_steps):
            if self.t >= t_target:
                status = TARGET
                break
            if self.t >= t_stop:
                status = STOP
                break
            if self._solver is None or self._bound != t_stop:
                bound = t_stop if math.isfinite(t_stop) else math.inf
                if self._solver is not None:
                    # a new stop: restart the BDF from its current point (SciPy fixes t_bound)
                    self._solver = None
                self._start(bound)
            solver = self._solver
            assert solver is not None
            t0 = solver.t
            try:
                msg = solver.step()
            except (ValueError, ArithmeticError, np.linalg.LinAlgError) as e:
                self._solver = None
                return Outcome(FAILED, np.array(ts), _stack(ys, self.y), message=str(e))
            if solver.status == "failed":
                self._solver = None
                return Outcome(FAILED, np.array(ts), _stack(ys, self.y), message=str(msg))
            t1, y1 = float(solver.t), np.array(solver.y)
            if not np.all(np.isfinite(y1)):
                self._solver = None
                return Outcome(FAILED, np.array(ts), _stack(ys, self.y), message="non-finite state")
            self.n_steps += 1
            dense = solver.dense_output()
            g1 = self.net.roots(t1, y1, self.d)
            crossed = np.flatnonzero((self._g < 0.0) & (g1 >= 0.0))
            if crossed.size:
                times = []
                for i in crossed:

                    def gi(tt: float, i: int = int(i), dense: Any = dense) -> float:
                        return float(self.net.roots(tt, dense(tt), self.d)[i])

                    times.append(brentq(gi, t0, t1, xtol=1e-9 * max(1.0, abs(t1))))
                k = int(np.argmin(times))
                te = float(times[k])
                ye = np.asarray(dense(te))
                self._dense, self._t_prev = dense, t0
                self.t, self.y = te, ye
                self._solver = None
                ts.append(te)
                ys.append(ye.copy())
                status = EVENT
                event = int(crossed[k])
                break
            self._g = g1
            self._dense, self._t_prev = dense, t0
            self.t, self.y = t1, y1
            ts.append(t1)
            ys.append(y1.copy())
            if solver.status == "finished":
                self._solver = None
                if self.t >= t_stop:
                    status = STOP
                    break
        return Outcome(status, np.array(ts), _stack(ys, self.y), event=event)

    def dense(self, t: float) -> np.ndarray:
        """State at ``t`` within the last accepted step (its interpolant)."""
        if self._dense is None or t >= self.t:
            return self.y.copy()
        return np.asarray(self._dense(max(t, self._t_prev)))

    def get_state(self) -> dict[str, np.ndarray]:
        """The state to restart from (SciPy's BDF internals are not kept: a restored run
        restarts here, so it is not bit for bit the original's continuation)."""
        return {"t": np.array(self.t), "y": self.y.copy(), "d": self.d.copy()}

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore a state taken by :meth:`get_state` (a restart there)."""
        self.restart(float(state["t"]), state["y"], state["d"])

    def stats(self) -> dict[str, int]:
        return {"steps": self.n_steps, "restarts": self.n_restarts}


def _stack(ys: list[np.ndarray], like: np.ndarray) -> np.ndarray:
    return np.array(ys) if ys else np.empty((0, like.size))

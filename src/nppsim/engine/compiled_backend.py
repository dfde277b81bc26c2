"""nppsim's compiled BDF (:mod:`nppsim.engine.bdf`) as the engine's integrator backend.

The engine talks to an integrator through the small interface of
:mod:`nppsim.engine.scipy_backend` (``restart``, ``advance``, ``dense``, ``get_state``,
``set_state``); this adapter runs the network's compiled ``rhs``, ``jac`` and ``roots`` in the
compiled step loop, so Python is entered only at stops, events and every few hundred steps. Its
whole state is plain arrays: a simulation restored from a snapshot continues bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nppsim.engine import bdf
from nppsim.engine.scipy_backend import EVENT, FAILED, FULL, STOP, TARGET, Outcome

_STATUS = {
    int(bdf.Status.TARGET): TARGET,
    int(bdf.Status.STOP): STOP,
    int(bdf.Status.EVENT): EVENT,
    int(bdf.Status.MAX_STEPS): FULL,
}


#: Newton tolerance of the plant's integrations (:class:`nppsim.engine.bdf.BDF`'s ``newton_tol``,
#: whose default is 0.1): the iteration error allowed per step, as a fraction of the error test
#: scaled by the order. Chosen by measurement (docs/performance.md): 0.2 saves a tenth of the
#: right-hand sides and Jacobians of turbine-trip and load-follow, and every built-in scenario
#: stays as close to its tight-tolerance reference as with 0.1; 0.3 did not (load-follow).
NEWTON_TOL = 0.2


class CompiledIntegrator:
    """The compiled BDF over a network (see the module docstring).

    Parameters
    ----------
    net : Network
        The model's network (its compiled kernel, ``p``, ``ip``).
    rtol : float
        Relative tolerance [1].
    atol : ndarray
        Absolute tolerance of each state.
    capacity : int
        Most steps per ``advance`` call (the record buffer).
    """

    def __init__(self, net: Any, rtol: float, atol: np.ndarray, capacity: int = 500) -> None:
        self.net = net
        self.rtol = float(rtol)
        self.atol = np.asarray(atol, dtype=float)
        self.capacity = capacity
        self._bdf: bdf.BDF | None = None
        self._d = net.d0.copy()

    def _make(self, t: float, y: np.ndarray, d: np.ndarray) -> bdf.BDF:
        from nppsim.plant import kernel

        return bdf.BDF(
            kernel.rhs,
            kernel.jac,
            kernel.roots,
            self.net.n_roots,
            self.net.p,
            self.net.ip,
            d,
            t,
            y,
            rtol=self.rtol,
            atol=self.atol,
            newton_tol=NEWTON_TOL,
            record_capacity=self.capacity,
        )

    # -- the interface -----------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self._bdf.t if self._bdf is not None else 0.0

    @property
    def y(self) -> np.ndarray:
        assert self._bdf is not None
        return self._bdf.y.copy()

    @property
    def d(self) -> np.ndarray:
        return self._bdf.d if self._bdf is not None else self._d

    def restart(self, t: float, y: np.ndarray, d: np.ndarray) -> None:
        """Start again at ``(t, y)`` with discrete state ``d`` (after a discontinuity).

        The Jacobian is evaluated again: a discontinuity may change it entirely (a pump that
        starts), and an old one can let Newton's convergence test pass on a wrong iterate
        (measured: keeping it put rcp-start's pump 4 off its reference by 27 rad/s).
        """
        y = np.ascontiguousarray(y, dtype=float)
        d = np.ascontiguousarray(d, dtype=float)
        if self._bdf is None:
            self._bdf = self._make(float(t), y, d)
            return
        self._bdf.d[:] = d
        self._bdf.restart(float(t), y)

    def update_discrete(self, d: np.ndarray) -> None:
        """Change discrete entries the right-hand side does not read: no restart, the event
        functions are evaluated again at the current point."""
        assert self._bdf is not None
        self._bdf.set_discrete(np.ascontiguousarray(d, dtype=float), restart=False)

    def advance(self, t_target: float, t_stop: float, max_steps: int) -> Outcome:
        """Accepted steps until t >= t_target, t == t_stop, an event or ``max_steps``."""
        assert self._bdf is not None
        res = self._bdf.advance(
            float(t_target), float(t_stop), min(max_steps, self.capacity), check=False
        )
        ts, ys = res.t.copy(), res.y.copy()
        code = int(res.status)
        if code < 0:
            return Outcome(
                FAILED,
                ts,
                ys,
                message=f"{res.status.name} (h = {self._bdf.h:.3e} s, order {self._bdf.order})",
            )
        return Outcome(_STATUS[code], ts, ys, event=res.event)

    def dense(self, t: float) -> np.ndarray:
        """State at ``t`` within the last accepted step."""
        assert self._bdf is not None
        if t >= self._bdf.t:
            return self._bdf.y.copy()
        return self._bdf.dense(max(float(t), self._bdf.t_prev))

    def get_state(self) -> dict[str, np.ndarray]:
        """The integrator's whole state (without ``p`` and ``ip``, which the model gives)."""
        assert self._bdf is not None
        state = self._bdf.get_state()
        del state["p"], state["ip"]
        return state

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore :meth:`get_state`: the run continues bit for bit."""
        full = {**state, "p": self.net.p, "ip": self.net.ip}
        from nppsim.plant import kernel

        self._bdf = bdf.BDF(
            kernel.rhs,
            kernel.jac,
            kernel.roots,
            self.net.n_roots,
            _state=full,
            record_capacity=self.capacity,
        )

    def stats(self) -> dict[str, int]:
        return dict(self._bdf.stats) if self._bdf is not None else {}

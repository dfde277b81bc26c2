"""The steerable engine: one clock, one integrator, actions, a recorder, observers, snapshots.

A :class:`Simulation` owns the integrator (the compiled BDF, or SciPy's for comparison) and steps
it over a network's kernel. The caller owns the loop (as with Cantera's ``ReactorNet.advance``)::

    sim = Simulation(model, y0, d0, actions=scenario_actions)
    while sim.t < t_end:
        sim.advance(min(sim.t + 60.0, t_end))
        print(sim.read(["power_thermal_w"]))
    df = sim.results()

Semantics (see ``docs/architecture.md``):

* :meth:`advance` moves the clock exactly to ``t``: :meth:`read` and :meth:`state` give the values
  there (interpolated on the integrator's last step, which may end beyond ``t``; stopping does not
  disturb the integrator, so a run advanced in pieces gives the same bits as one advanced at
  once).
* :meth:`submit` applies an action at the current time (or schedules it at a later one): the
  integrator is restarted at exactly that time with the state there, and the action acts on it.
* The integrator restarts only with cause: a scheduled action, a scheduled break of the model (a
  ramp's end, a bank reaching its target), an event function crossing zero (a trip).
* Every accepted step is recorded; observers are called as the clock passes recorded steps.
* :meth:`snapshot` returns the whole simulation as bytes (:meth:`save`/:meth:`load` for files);
  a simulation restored from it continues bit for bit as the original.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from nppsim.engine import scipy_backend as sb
from nppsim.errors import Interrupted, NppsimError, SolverError, ValidityError

SNAPSHOT_FORMAT = 1
MAX_STEPS_PER_CALL = 500


class Action(Protocol):
    """Anything that can act on the plant between steps (a scenario event, an operator command)."""

    def apply(
        self, model: Any, t: float, y: np.ndarray, d: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
        """Act at time ``t`` [s]: the new state, discrete state and log entries."""
        ...


@dataclass
class _Pending:
    time: float
    seq: int
    action: Any


class SimulationError(NppsimError, ValueError):
    """Misuse of the engine (non-finite or backward times, a snapshot of another model)."""


#: an observer receives the newly visible recorded steps: times [s] and their rows of signals
Observer = Callable[[np.ndarray, pd.DataFrame], None]
#: a raw observer receives the same steps as an array of the recorded columns (no ``time_s``)
RowObserver = Callable[[np.ndarray, np.ndarray], None]


class Simulation:
    """A steerable simulation of a model (see the module docstring).

    Parameters
    ----------
    model : Model
        The assembled plant or core (:class:`nppsim.plant.model.Model`): its network, and the
        context actions need.
    y0, d0 : ndarray
        Initial state and discrete state (from the model's steady state).
    t0 : float
        Initial time [s].
    actions : iterable of (time, action)
        Scheduled actions (a scenario's events), applied when the clock reaches them.
    rtol : float
        Relative tolerance of the integrator [1]; absolute tolerances come from the states.
    atol_scale : float
        Factor on every state's absolute tolerance [1] (for convergence checks).
    backend : {"compiled", "scipy"}
        The integrator: nppsim's compiled BDF or SciPy's BDF (for comparison).
    """

    def __init__(
        self,
        model: Any,
        y0: np.ndarray,
        d0: np.ndarray,
        *,
        t0: float = 0.0,
        actions: Iterable[tuple[float, Any]] = (),
        rtol: float = 1e-6,
        atol_scale: float = 1.0,
        backend: str = "compiled",
    ) -> None:
        self.model = model
        self.net = model.net
        self.rtol = float(rtol)
        self.atol_scale = float(atol_scale)
        self.backend = backend
        self.integ = _make_integrator(self.net, self.rtol, backend, self.atol_scale)
        t0 = _check_time(t0, "t0")
        y0 = np.array(y0, dtype=float)
        d0 = np.array(d0, dtype=float)
        if y0.shape != (self.net.states.size,) or not np.all(np.isfinite(y0)):
            raise SimulationError(
                f"y0 must be {self.net.states.size} finite numbers (the model's states), got "
                f"shape {y0.shape}" + ("" if y0.size != self.net.states.size else " with NaN/inf")
            )
        if d0.shape != (self.net.discrete.size,) or np.any(np.isnan(d0)):
            raise SimulationError(
                f"d0 must be {self.net.discrete.size} numbers (the model's discrete state), got "
                f"shape {d0.shape}"
            )
        self.t = t0
        self._y_clock = y0.copy()
        self._d_clock = d0.copy()
        self._seq = 0
        self.pending: list[_Pending] = []
        for time, action in actions:
            self._schedule(_check_time(time, "action time"), _check_action(action))
        self.log: list[dict[str, Any]] = []
        self._segments: list[np.ndarray] = [d0.copy()]
        self._chunks: list[tuple[int, np.ndarray, np.ndarray]] = []  # (segment, ts, ys)
        self._held_event: int | None = None
        self._observers: list[Observer] = []
        self._raw_observers: list[RowObserver] = []
        cols = self.net.columns()
        self._col_idx = np.array([i for _, i, _ in cols], dtype=int)
        self._col_names = [c for c, _, _ in cols]
        self._visible_upto = -math.inf
        self.n_restarts = 0
        #: why the run stopped (the model left its validity range), or None
        self.stopped: str | None = None
        self.integ.restart(t0, y0, d0)
        self._record(np.array([t0]), y0[None, :])
        self._visible_upto = t0

    # -- properties ----------------------------------------------------------------------------
    @property
    def d(self) -> np.ndarray:
        """The discrete state in effect at the clock (a copy)."""
        return self._d_clock.copy()

    @property
    def y(self) -> np.ndarray:
        """The state at the clock (a copy)."""
        return self._y_clock.copy()

    @property
    def fingerprint(self) -> str:
        """Identity of the model (parameters and structure): snapshots carry it."""
        h = hashlib.sha256()
        h.update(self.net.p.tobytes())
        h.update(self.net.ip.tobytes())
        return h.hexdigest()[:16]

    # -- scheduling ----------------------------------------------------------------------------
    def _schedule(self, time: float, action: Any) -> None:
        self._seq += 1
        item = _Pending(time, self._seq, action)
        keys = [(p.time, p.seq) for p in self.pending]
        self.pending.insert(bisect.bisect(keys, (time, self._seq)), item)

    def _next_stop(self) -> float:
        t_act = self.pending[0].time if self.pending else math.inf
        return min(t_act, self.net.next_break(self.integ.t, self.integ.d))

    def _apply_due(self) -> bool:
        """Apply the actions and model breaks due at the integrator's time; restart if any."""
        t = self.integ.t
        tol = 1e-9 * max(1.0, abs(t))
        y = self.integ.y.copy()
        d = self.integ.d.copy()
        applied = False
        entries: list[dict[str, Any]] = []
        while True:
            if self.pending and self.pending[0].time <= t + tol:
                item = self.pending.pop(0)
                y, d, more = item.action.apply(self.model, t, y, d)
            else:
                res = self.net.on_break(t, y, d)
                if res is None:
                    break
                y, d, more = res
            entries += more
            applied = True
        if applied:
            self._discontinuity(t, y, d, entries)
        return applied

    def _discontinuity(
        self, t: float, y: np.ndarray, d: np.ndarray, entries: list[dict[str, Any]]
    ) -> None:
        """Restart at ``t`` with a new state and discrete state; record both sides.

        An event function that is already at or above zero after the change (a trip whose
        condition the change has made true: two pumps lost, the turbine tripped at power) fires
        at once, in the order of the event functions.
        """
        entries = list(entries)
        if not np.all(np.isfinite(y)) or np.any(np.isnan(d)):
            raise SolverError(f"a non-finite state after the change at t = {t:.6g} s")
        for _ in range(100):
            g = self.net.roots(t, y, d)
            due = np.flatnonzero(g >= 0.0)
            if not due.size:
                break
            y, d, more = self.net.fire(int(due[0]), t, y, d)
            entries += more
        self._log(entries)
        self._segments.append(d.copy())
        self._record(np.array([t]), y[None, :])
        if self._same_rhs(t, y, d):
            # only latches of event functions changed (an alarm): the right-hand side is the
            # same, the integrator goes on with its history; the event functions are evaluated
            # again with the new discrete state
            self.integ.update_discrete(d)
            return
        self.integ.restart(t, y, d)
        self.n_restarts += 1
        stop = next((e for e in entries if e.get("stop")), None)
        if stop is not None:
            # the model left its validity range: nothing beyond t means anything
            self.stopped = f"{stop.get('detail') or stop['name']} (at t = {t:.6g} s)"
            raise ValidityError(self.stopped, t, stop["name"])

    def _same_rhs(self, t: float, y: np.ndarray, d: np.ndarray) -> bool:
        """Whether a change at ``t`` leaves the integrator's right-hand side as it was: the
        integrator is at ``t`` with the same state, and only discrete entries the rhs never
        reads changed (:attr:`Network.d_events_only`)."""
        integ = self.integ
        mask = getattr(self.net, "d_events_only", None)
        if mask is None or not hasattr(integ, "update_discrete") or integ.t != t:
            return False
        if not np.array_equal(integ.y, y):
            return False
        changed = integ.d != d
        return bool(np.all(mask[changed]))

    def _log(self, entries: list[dict[str, Any]]) -> None:
        for e in entries:
            self.log.append(
                {
                    "time_s": float(e["time_s"]),
                    "kind": e["kind"],
                    "name": e["name"],
                    **{k: v for k, v in e.items() if k not in ("time_s", "kind", "name")},
                }
            )

    def _record(self, ts: np.ndarray, ys: np.ndarray) -> None:
        if len(ts):
            self._chunks.append((len(self._segments) - 1, np.array(ts), np.array(ys)))

    # -- the loop ------------------------------------------------------------------------------
    def advance(self, t: float, progress: Callable[[float], None] | None = None) -> None:
        """Move the clock to ``t`` [s] (see the module docstring).

        On an integrator failure :class:`~nppsim.errors.SolverError` is raised; everything
        recorded up to the failure stays available and the clock stops at the last good step.
        """
        t = _check_time(t, "t")
        if t < self.t:
            raise SimulationError(
                f"cannot advance backwards: the clock is at {self.t:g} s, asked {t:g} s"
            )
        if self.stopped is not None:
            raise ValidityError(self.stopped, self.t)
        try:
            self._advance(t, progress)
        except (SolverError, ValidityError, Interrupted, KeyboardInterrupt):
            # keep everything computed: the clock stops at the integrator's last good point (a
            # failure, the model leaving its validity range, an interruption)
            integ = self.integ
            t_ok = min(integ.t, t)
            self._set_clock(t_ok, integ.dense(t_ok), integ.d.copy())
            self._notify()
            raise

    def _advance(self, t: float, progress: Callable[[float], None] | None) -> None:
        integ = self.integ
        while True:
            if self._held_event is not None and integ.t <= t:
                k = self._held_event
                self._held_event = None
                te = integ.t
                y1, d1, entries = self.net.fire(k, te, integ.y, integ.d)
                self._discontinuity(te, y1, d1, entries)
                continue
            if integ.t >= t:
                break
            if self._apply_due():
                continue
            out = integ.advance(t, self._next_stop(), MAX_STEPS_PER_CALL)
            self._record(out.ts, out.ys)
            if out.status == sb.FAILED:
                raise SolverError(f"integrator failed at t = {integ.t:.6g} s: {out.message}")
            if out.status == sb.EVENT:
                self._held_event = out.event
            if progress is not None:
                progress(min(integ.t, t))
        self._set_clock(t, integ.dense(t), integ.d.copy())
        self._notify()

    def _set_clock(self, t: float, y: np.ndarray, d: np.ndarray) -> None:
        self.t = float(t)
        self._y_clock = np.array(y, dtype=float)
        self._d_clock = d

    # -- steering ------------------------------------------------------------------------------
    def submit(self, action: Any, at: float | None = None) -> None:
        """Apply ``action`` now (``at`` None or the current time) or schedule it at ``at`` [s].

        Applied now, the integrator restarts at exactly the current time from the state there
        (anything it had computed beyond is dropped) and the action acts on that state.
        """
        _check_action(action)
        if self.stopped is not None:
            raise ValidityError(self.stopped, self.t)
        if at is not None:
            at = _check_time(at, "at")
            if at < self.t:
                raise SimulationError(f"cannot act in the past: clock {self.t:g} s, at {at:g} s")
        self._rollback()
        if at is None or at <= self.t:
            # record the state just before the action (the trends show the step at its time)
            last = self._chunks[-1][1][-1] if self._chunks else -math.inf
            if last < self.t:
                self._record(np.array([self.t]), self._y_clock[None, :])
            y, d, entries = action.apply(self.model, self.t, self._y_clock.copy(), self.d)
            self._discontinuity(self.t, y, d, entries)
            self._set_clock(self.t, y, d.copy())
        else:
            self._schedule(at, action)

    def _rollback(self) -> None:
        """Drop what the integrator computed beyond the clock; restart it at the clock."""
        if self.integ.t == self.t and self._held_event is None:
            return
        self._held_event = None
        # chunks are in time order: only the trailing ones can reach beyond the clock
        k = len(self._chunks)
        while k > 0 and self._chunks[k - 1][1][-1] > self.t:
            k -= 1
        kept = self._chunks[:k]
        for seg, ts, ys in self._chunks[k:]:
            m = ts <= self.t
            if m.any():
                kept.append((seg, ts[m], ys[m]))
        self._chunks = kept
        n_seg = (self._chunks[-1][0] + 1) if self._chunks else 1
        self._segments = self._segments[:n_seg]
        self.log = [e for e in self.log if e["time_s"] <= self.t]
        self.integ.restart(self.t, self._y_clock, self._d_clock)

    # -- reading -------------------------------------------------------------------------------
    def read(self, names: Sequence[str]) -> dict[str, float]:
        """Current values (at the clock) of states, signals, columns or discrete entries."""
        if isinstance(names, str):
            names = [names]
        w = self.net.signal_vector(self.t, self._y_clock, self._d_clock)
        out = {}
        for name in names:
            try:
                kind, i = self.net.lookup(name)
            except KeyError:
                raise SimulationError(
                    f"no quantity named {name!r}: give a recorded column (see "
                    "model.net.columns()), a state, signal or discrete label"
                ) from None
            src = {"state": self._y_clock, "signal": w, "discrete": self._d_clock}[kind]
            out[name] = float(src[i])
        return out

    def state(self) -> dict[str, float]:
        """The current state by name (SI)."""
        return dict(zip(self.net.states.labels(), map(float, self._y_clock), strict=True))

    def add_observer(self, fn: Observer | RowObserver, raw: bool = False) -> None:
        """Call ``fn(times, rows)`` with every recorded step as the clock passes it.

        ``rows`` is a DataFrame (``time_s`` and the recorded columns, as :meth:`results`), or
        with ``raw=True`` a plain array of the recorded columns only (rows: times; columns in
        the order of ``model.net.columns()``), which costs far less to build for a caller that
        is called often with a few rows (the control room's live runs).
        """
        (self._raw_observers if raw else self._observers).append(fn)

    def _visible_parts(self, after: float, upto: float) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """The recorded (segment, times, states) in ``(after, upto]``, in order.

        Chunks are recorded in time order, so only the trailing chunks that end after
        ``after`` are looked at (not the whole history, which grows with the run).
        """
        k = len(self._chunks)
        while k > 0 and self._chunks[k - 1][1][-1] > after:
            k -= 1
        parts = []
        for seg, ts, ys in self._chunks[k:]:
            m = (ts > after) & (ts <= upto)
            if m.any():
                parts.append((seg, ts[m], ys[m]))
        return parts

    def _notify(self) -> None:
        if not (self._observers or self._raw_observers):
            self._visible_upto = max(self._visible_upto, self.t)
            return
        if self.t > self._visible_upto and any(
            ts[-1] > self._visible_upto for _, ts, _ in self._chunks[-3:]
        ):
            parts = self._visible_parts(self._visible_upto, self.t)
            if parts:
                ts, rows = _rows_array(self.net, self._segments, parts, self._col_idx)
                for fn in self._raw_observers:
                    fn(ts, rows)
                if self._observers:
                    df = _frame(ts, rows, self._col_names)
                    for fn in self._observers:
                        fn(ts, df)
        self._visible_upto = max(self._visible_upto, self.t)

    def results(self) -> pd.DataFrame:
        """Recorded outputs: ``time_s`` and one column per recorded signal (SI, unit in the
        name). Rows are every accepted step up to the clock, event instants twice (just before
        and just after), and the clock itself if it lies between steps."""
        parts = []
        for seg, ts, ys in self._chunks:
            m = ts <= self.t + 1e-12
            if m.any():
                parts.append((seg, ts[m], ys[m]))
        last = max((ts[-1] for _, ts, _ in parts), default=-math.inf)
        if last < self.t:
            parts.append((len(self._segments) - 1, np.array([self.t]), self._y_clock[None, :]))
            segs = [*self._segments[:-1], self._d_clock]
        else:
            segs = self._segments
        _, df = _rows_frame(self.net, segs, parts)
        return df

    def states_frame(self) -> pd.DataFrame:
        """Recorded states (up to the clock) by name, with ``time_s``."""
        parts = [(ts[ts <= self.t], ys[ts <= self.t]) for _, ts, ys in self._chunks]
        ts = np.concatenate([p[0] for p in parts])
        ys = np.concatenate([p[1] for p in parts])
        df = pd.DataFrame(ys, columns=self.net.states.labels())
        df.insert(0, "time_s", ts)
        return df

    # -- snapshots -----------------------------------------------------------------------------
    def snapshot(self) -> bytes:
        """The whole simulation as bytes (restore with :meth:`restore`).

        The format is a NumPy ``.npz`` archive of plain arrays and one JSON document (no pickle:
        loading a snapshot cannot run code). Pending actions are stored as their data
        (:meth:`nppsim.actions.Action.to_dict`).
        """
        import io
        import json

        meta = {
            "format": SNAPSHOT_FORMAT,
            "fingerprint": self.fingerprint,
            "backend": self.backend,
            "rtol": self.rtol,
            "atol_scale": self.atol_scale,
            "t": self.t,
            "seq": self._seq,
            "pending": [(p.time, p.seq, p.action.to_dict()) for p in self.pending],
            "log": self.log,
            "held": self._held_event,
            "visible": self._visible_upto if math.isfinite(self._visible_upto) else None,
            "restarts": self.n_restarts,
            "stopped": self.stopped,
            "chunk_segments": [g for g, _, _ in self._chunks],
            "chunk_sizes": [len(ts) for _, ts, _ in self._chunks],
        }
        arrays: dict[str, np.ndarray] = {
            "y": self._y_clock,
            "d": self._d_clock,
            "segments": np.array(self._segments),
            "ts": np.concatenate([ts for _, ts, _ in self._chunks]),
            "ys": np.concatenate([ys for _, _, ys in self._chunks]),
        }
        for k, v in self.integ.get_state().items():
            arrays[f"integ.{k}"] = np.asarray(v)
        arrays["meta"] = np.frombuffer(json.dumps(meta, default=_json_default).encode(), np.uint8)
        buf = io.BytesIO()
        named: dict[str, Any] = arrays  # every entry a named array (NumPy's stub types **kwds)
        np.savez(buf, **named)
        return buf.getvalue()

    def restore(self, blob: bytes) -> None:
        """Return to a snapshot of this model (taken from this or another simulation of it).

        Restored, the simulation continues bit for bit as the one that was snapshotted (with the
        compiled integrator; SciPy's restarts from the snapshot's state).
        """
        import io
        import json

        from nppsim.actions import parse_action

        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            meta = json.loads(bytes(arrays.pop("meta")).decode())
        except Exception as e:
            raise SimulationError(f"not an nppsim snapshot: {e}") from None
        if not isinstance(meta, dict) or meta.get("format") != SNAPSHOT_FORMAT:
            raise SimulationError("not an nppsim snapshot (or of another format version)")
        if meta["fingerprint"] != self.fingerprint:
            raise SimulationError(
                "the snapshot is of another model (design, overrides or structure differ)"
            )
        if (meta["backend"], meta["rtol"], meta["atol_scale"]) != (
            self.backend,
            self.rtol,
            self.atol_scale,
        ):
            self.backend, self.rtol = meta["backend"], float(meta["rtol"])
            self.atol_scale = float(meta["atol_scale"])
            self.integ = _make_integrator(self.net, self.rtol, self.backend, self.atol_scale)
        self.t = float(meta["t"])
        self._y_clock, self._d_clock = arrays["y"].copy(), arrays["d"].copy()
        self._seq = int(meta["seq"])
        self.pending = [
            _Pending(float(t), int(q), parse_action(a, si=True)) for t, q, a in meta["pending"]
        ]
        self.log = [dict(e) for e in meta["log"]]
        self._segments = [row.copy() for row in arrays["segments"]]
        self._chunks = []
        pos = 0
        for g, n in zip(meta["chunk_segments"], meta["chunk_sizes"], strict=True):
            self._chunks.append(
                (int(g), arrays["ts"][pos : pos + n].copy(), arrays["ys"][pos : pos + n].copy())
            )
            pos += n
        self._held_event = meta["held"]
        self._visible_upto = -math.inf if meta["visible"] is None else float(meta["visible"])
        self.n_restarts = int(meta["restarts"])
        self.stopped = meta.get("stopped")
        self.integ.set_state(
            {k[len("integ.") :]: v for k, v in arrays.items() if k.startswith("integ.")}
        )

    def save(self, path: str | Path) -> None:
        """Write :meth:`snapshot` to a file (atomically: a temporary name, then renamed)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(self.snapshot())
        tmp.replace(path)

    def load(self, path: str | Path) -> None:
        """Restore a snapshot file written by :meth:`save`."""
        self.restore(Path(path).read_bytes())


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not serialisable: {type(o).__name__}")


def _check_time(t: Any, what: str) -> float:
    try:
        v = float(t)
    except (TypeError, ValueError):
        raise SimulationError(f"{what} must be a number of seconds, got {t!r}") from None
    if not math.isfinite(v):
        raise SimulationError(f"{what} must be finite, got {v!r}")
    return v


def _check_action(action: Any) -> Any:
    if not callable(getattr(action, "apply", None)):
        raise SimulationError(
            f"not an action: {action!r} (use the classes of nppsim.actions, e.g. "
            "nppsim.actions.TurbineTrip())"
        )
    return action


def _make_integrator(net: Any, rtol: float, backend: str, atol_scale: float = 1.0) -> Any:
    if backend == "compiled":
        from nppsim.engine.compiled_backend import CompiledIntegrator

        return CompiledIntegrator(net, rtol, net.atol * atol_scale, MAX_STEPS_PER_CALL)
    if backend == "scipy":
        return sb.ScipyIntegrator(net, rtol, net.atol * atol_scale)
    raise SimulationError(f"unknown integrator backend {backend!r} (allowed: compiled, scipy)")


def _rows_frame(
    net: Any, segments: list[np.ndarray], parts: list[tuple[int, np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Recorded columns of the given (segment, times, states) parts, in order."""
    cols = net.columns()
    idx = np.array([i for _, i, _ in cols], dtype=int)
    ts, rows = _rows_array(net, segments, parts, idx)
    return ts, _frame(ts, rows, [c for c, _, _ in cols])


def _rows_array(
    net: Any,
    segments: list[np.ndarray],
    parts: list[tuple[int, np.ndarray, np.ndarray]],
    idx: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Times and recorded columns (signal indices ``idx``) of the given parts, in order."""
    if not parts:
        return np.empty(0), np.empty((0, len(idx)))
    ts_all = []
    rows = []
    for seg, ts, ys in parts:
        w = net.signal_rows(ts, ys, segments[seg])
        ts_all.append(ts)
        rows.append(w[:, idx])
    return np.concatenate(ts_all), np.concatenate(rows)


def _frame(ts: np.ndarray, rows: np.ndarray, names: list[str]) -> pd.DataFrame:
    """``time_s`` and the recorded columns as a DataFrame (one float block: cheap to build)."""
    return pd.DataFrame(np.column_stack((ts, rows)), columns=["time_s", *names])

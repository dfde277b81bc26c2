"""Live runs: each a simulation advanced in its own worker thread, paced on the wall clock.

A :class:`LiveRun` owns one :class:`~nppsim.engine.simulation.Simulation`; only its worker thread
touches it. The worker loop, every ``tick`` of wall time (0.2 s by default):

1. waits for a command or the next tick;
2. advances the clock by ``pace`` times the wall time elapsed (as fast as possible with
   ``pace = "max"``, slice after slice), in slices short enough (about a quarter of a second of
   wall time, from the measured throughput, and at most an hour of simulated time) that
   commands never wait long;
3. applies the commands that came in: the clock is first brought to the simulation time that
   corresponds to the instant the command was received, then the action is submitted there
   (:meth:`Simulation.submit` at the current clock);
4. publishes an update (:class:`Tick`): the clock, the current value of every recorded column,
   the rows recorded since the last update, new event-log entries and the commands applied.
   Updates go out every ``tick`` (whatever the pace) and at once after a command, so a
   command's update never waits for the next tick.

Everything else that needs the simulation (snapshots, rewind, downloads) is sent to the worker
as a call and waited for with a future. A solver failure stops the run with status ``failed``
and its message; what was computed stays (downloads, snapshots, rewind).

:class:`RunManager` keeps the live runs, the snapshot store and the limits; it builds runs from
a power level, a scenario or a snapshot, ends idle runs, and saves every run's final state when it
shuts down (a stopped server loses nothing that was saved).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import queue
import secrets
import threading
import time
import tomllib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from nppsim import __version__
from nppsim.actions import REGISTRY, Action, describe, parse_action
from nppsim.designs import Design, format_validation_error, list_designs, load_design
from nppsim.errors import InputError, NppsimError, SolverError
from nppsim.server.protocol import CreateRun, InitialSpec, RunInfo, SnapshotInfo
from nppsim.server.store import SnapshotStore, StoreError
from nppsim.server.topology import topology
from nppsim.units import to_si

#: wall time of one slice of advance the pacing aims at [s]
SLICE_WALL = 0.25

#: the most simulated time one slice covers [s]: a run at "max" pace on a steady plant takes
#: long steps cheaply, and its slices, growing fourfold each time, would otherwise carry the
#: clock within a second to times whose resolution is coarser than the integrator's steps
MAX_SLICE_SPAN = 3600.0

#: models are built and brought to their steady state one at a time: building two at once in
#: two threads gives wrong water properties today (the engine's property objects are shared)
_BUILD_LOCK = threading.Lock()


class RunError(NppsimError):
    """A request about a live run that cannot be done (the message says why).

    ``code`` is one of the protocol's error codes (``invalid``, ``not_found``, ``conflict``,
    ``failed``, ``too_large``, ``forbidden``); ``field``, ``value`` and ``allowed`` are set for a
    bad input.
    """

    def __init__(
        self,
        message: str,
        code: str = "invalid",
        field: str | None = None,
        value: Any = None,
        allowed: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.value = value
        self.allowed = allowed

    @classmethod
    def from_input(cls, e: InputError, prefix: str = "") -> RunError:
        return cls(str(e), "invalid", prefix + e.field, e.value, e.allowed)


@dataclass
class Tick:
    """What the worker publishes after a slice or a command (SI values)."""

    seq: int
    t: float
    status: str
    message: str
    pace: float | str
    speed: float
    values: np.ndarray
    ts: np.ndarray
    rows: np.ndarray
    events: list[dict[str, Any]]
    applied: list[dict[str, Any]]
    reset: bool = False
    log: list[dict[str, Any]] | None = None
    #: encodings of this update's values shared by its viewers (filled on the event loop)
    cache: dict[Any, str] = field(default_factory=dict)


class Recorder:
    """The rows a live run recorded (every column), growable, read under a lock."""

    def __init__(self, n_columns: int) -> None:
        self.lock = threading.Lock()
        self._t = np.empty(256)
        self._x = np.empty((256, n_columns))
        self.n = 0

    def append(self, ts: np.ndarray, rows: np.ndarray) -> None:
        k = len(ts)
        if k == 0:
            return
        with self.lock:
            need = self.n + k
            if need > len(self._t):
                cap = max(need, 2 * len(self._t))
                t2 = np.empty(cap)
                x2 = np.empty((cap, self._x.shape[1]))
                t2[: self.n] = self._t[: self.n]
                x2[: self.n] = self._x[: self.n]
                self._t, self._x = t2, x2
            self._t[self.n : need] = ts
            self._x[self.n : need] = rows
            self.n = need

    def replace(self, ts: np.ndarray, rows: np.ndarray) -> None:
        with self.lock:
            self.n = 0
        self.append(ts, rows)

    def series(self, cols: list[int], max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """Times and the given columns, decimated to about ``max_points`` rows."""
        with self.lock:
            ts = self._t[: self.n].copy()
            xs = self._x[: self.n][:, cols].copy()
        idx = decimate_index(xs, max_points)
        return ts[idx], xs[idx]


def decimate_index(xs: np.ndarray, max_points: int) -> np.ndarray:
    """Rows to keep so a trend of ``xs`` (rows x columns) keeps its shape in ``max_points``.

    The rows are cut into buckets; each bucket keeps the rows of the minimum and maximum of
    every column (so a spike or a trip's fall is never lost), and the first and last rows stay.
    """
    n = len(xs)
    if n <= max_points:
        return np.arange(n)
    ncol = max(1, xs.shape[1])
    nb = max(1, max_points // (2 * ncol))
    edges = np.linspace(0, n, nb + 1).astype(int)
    keep = [np.array([0, n - 1])]
    finite = np.where(np.isfinite(xs), xs, 0.0) if xs.size else xs
    for a, b in itertools.pairwise(edges):
        if b <= a:
            continue
        block = finite[a:b]
        if block.shape[1]:
            keep.append(a + np.argmin(block, axis=0))
            keep.append(a + np.argmax(block, axis=0))
        else:
            keep.append(np.array([a]))
    return np.unique(np.concatenate(keep))


def _design_kinds(design: Design) -> list[str]:
    """The models a design can run in this version (the plant when it is available)."""
    if not design.has_dynamics:
        return []
    kinds = ["core"]
    if all(getattr(design, s, None) is not None for s in ("primary", "pumps", "turbine")):
        if plant_available(design):
            kinds.append("plant")
    return kinds


_PLANT_OK: dict[str, bool] = {}


def plant_available(design: Design) -> bool:
    """Whether the plant model can be built for ``design`` (cached per design)."""
    if design.name not in _PLANT_OK:
        try:
            from nppsim.plant.model import Model

            Model(design, "plant")
            _PLANT_OK[design.name] = True
        except Exception:
            _PLANT_OK[design.name] = False
    return _PLANT_OK[design.name]


def build_model(design: Design, kind: str) -> Any:
    """A model of ``design`` (errors as :class:`RunError` naming the field)."""
    from nppsim.plant.model import Model

    if not design.has_dynamics:
        raise RunError(
            f"design {design.name} has ratings only (no core data): choose one with dynamics",
            field="design",
            value=design.name,
            allowed="a design with dynamics",
        )
    try:
        return Model(design, kind)
    except InputError as e:
        raise RunError.from_input(e) from None
    except (ValueError, NotImplementedError) as e:
        raise RunError(
            f"the {kind} model cannot be built for {design.name} in this version: {e}",
            field="model",
            value=kind,
            allowed="core" if kind == "plant" else "core or plant",
        ) from None


def _quantity_text(v: Any, si_unit: str, units: Sequence[str] = ()) -> Any:
    """A number in SI as text with a unit the field accepts (other values unchanged)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return v
    if not units or si_unit in units:
        return f"{float(v)!r} {si_unit}"
    u = units[0]
    zero = to_si(0.0, u)
    return f"{(float(v) - zero) / (to_si(1.0, u) - zero)!r} {u}"


def parse_command(model: Any, data: Any) -> Action:
    """Validate an action for ``model`` (numbers are taken in the field's SI unit).

    Raises :class:`RunError` naming the field, the value and what is allowed.
    """
    if not isinstance(data, dict):
        raise RunError("an action is an object with a 'kind'", field="action", value=data)
    kind = data.get("kind")
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    data = dict(data)
    if cls is not None:
        for fname, info in cls.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            if fname in data and extra.get("si_unit") and extra.get("units"):
                data[fname] = _quantity_text(data[fname], extra["si_unit"], extra["units"])
    try:
        action = parse_action(data)
        action.check(model)
    except InputError as e:
        raise RunError.from_input(e, "action.") from None
    return action


class LiveRun:
    """One live simulation and its worker thread (see the module docstring).

    Parameters
    ----------
    run_id, label : str
        Its id and a label for people.
    model, sim : Model, Simulation
        The model and the simulation (owned from now on by the worker thread).
    design : Design
        The design it runs.
    source : str
        What it started from (shown in the run list).
    scenario_end : float or None
        End of the scenario [s]: the run pauses there (it may go on after).
    pace : float or "max"
        Initial pace.
    tick : float
        Wall time between updates [s].
    max_rows : int
        Most rows recorded before the run pauses with a message (memory bound).
    """

    def __init__(
        self,
        run_id: str,
        label: str,
        model: Any,
        sim: Any,
        design: Design,
        source: str,
        scenario_end: float | None = None,
        pace: float | str = 0.0,
        tick: float = 0.2,
        max_rows: int = 2_000_000,
    ) -> None:
        self.id = run_id
        self.label = label or run_id
        self.model = model
        self.sim = sim
        self.design = design
        self.kind = model.kind
        self.source = source
        self.scenario_end = scenario_end
        self.pace: float | str = pace
        self.tick = tick
        self.max_rows = max_rows
        self.created = time.time()
        #: how the model's steady state was made (kept in snapshots to rebuild the same model)
        self.origin: dict[str, Any] = {"design": design.name, "model": model.kind}
        cols = model.net.columns()
        self.column_names = [c for c, _, _ in cols]
        self.column_units = [u for _, _, u in cols]
        self._w_idx = np.array([i for _, i, _ in cols], dtype=int)
        self.col_index = {c: k for k, c in enumerate(self.column_names)}
        self.topology = topology(design, self.kind, self.column_names)
        #: the columns the mimic diagram shows (the "view" choice of values, with the trends)
        self.view_columns = _named_columns(self.topology, set(self.column_names))
        self.actions = describe(model)
        self.annunciator = annunciator_tiles(model)
        self.recorder = Recorder(len(self.column_names))
        self.status = "paused"
        self.message = ""
        self.speed = 0.0
        self.viewers = 0
        self.idle_since = time.monotonic()
        self._listeners: list[Callable[[Tick], None]] = []
        self._queue: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()
        self._pending_t: list[np.ndarray] = []
        self._pending_x: list[np.ndarray] = []
        self._applied: list[dict[str, Any]] = []
        self._log_n = 0
        self._seq = 0
        self._stop = False
        self._end_reached = False
        self._throughput = 1.0  # simulated s per wall s of advance, measured
        self._last_wall = time.monotonic()
        self._last_values = np.full(len(self.column_names), np.nan)
        self._lock = threading.Lock()
        ts, df = _results(sim)
        self.recorder.replace(ts, df)
        self._log_n = len(sim.log)
        sim.add_observer(self._observe, raw=True)
        self._update_values()
        self._thread = threading.Thread(target=self._loop, name=f"live-run-{run_id}", daemon=True)
        self._thread.start()

    # -- interface (any thread) ------------------------------------------------------------------
    def add_listener(self, fn: Callable[[Tick], None]) -> None:
        """Call ``fn(tick)`` (on the worker thread) with every update."""
        self._listeners.append(fn)

    def call(self, fn: Callable[[], Any]) -> Future[Any]:
        """Run ``fn()`` on the worker thread (between slices); its result as a future."""
        fut: Future[Any] = Future()
        if self._stop or not self._thread.is_alive():
            fut.set_exception(RunError(f"live run {self.id} has ended", "not_found"))
            return fut
        self._queue.put((fn, fut))
        return fut

    def submit(self, action: Action, tag: str | None = None) -> Future[dict[str, Any]]:
        """Apply ``action`` at the simulation time the worker receives it; the future gives
        ``{"kind", "t", "entries"}``."""

        def do() -> dict[str, Any]:
            if self.status == "failed":
                raise RunError(
                    f"the run failed at t = {self.sim.t:g} s ({self.message}): rewind to a "
                    "snapshot to go on",
                    "failed",
                )
            if self.status == "ended":
                raise RunError("the run has ended", "not_found")
            n0 = len(self.sim.log)
            self.sim.submit(action)
            entries = [_clean(e) for e in self.sim.log[n0:]]
            out = {"id": tag, "kind": action.kind, "t": self.sim.t, "entries": entries}
            self._applied.append(out)
            return out

        return self.call(do)

    def set_pace(self, pace: float | str) -> Future[None]:
        def do() -> None:
            if self.status == "failed":
                raise RunError(
                    f"the run failed ({self.message}): rewind to a snapshot first", "failed"
                )
            self.pace = pace
            self.status = "running" if pace == "max" or float(pace) > 0 else "paused"
            if self.status == "running" and self.message.startswith("end of the scenario"):
                self.message = ""
            self._last_wall = time.monotonic()

        return self.call(do)

    def info(self) -> RunInfo:
        return RunInfo(
            id=self.id,
            label=self.label,
            design=self.design.name,
            model=self.kind,
            source=self.source,
            t=self.sim.t,
            status=self.status,
            message=self.message,
            pace=self.pace,
            speed=round(self.speed, 3),
            viewers=self.viewers,
            created=self.created,
            scenario_end=self.scenario_end,
        )

    def values(self) -> dict[str, float | None]:
        with self._lock:
            v = self._last_values.copy()
        return {c: _num(x) for c, x in zip(self.column_names, v, strict=True)}

    def log(self) -> list[dict[str, Any]]:
        return self.call(lambda: [_clean(e) for e in self.sim.log]).result()

    def history(self, columns: list[str], max_points: int) -> dict[str, list[float | None]]:
        """Recorded rows of ``columns`` (with ``time_s``), decimated to ``max_points``."""
        idx = [self.col_index[c] for c in columns if c in self.col_index]
        ts, xs = self.recorder.series(idx, max_points)
        out = {"time_s": _list(ts)}
        for k, j in enumerate(idx):
            out[self.column_names[j]] = _list(xs[:, k])
        return out

    def join_state(self, columns: list[str], max_points: int) -> dict[str, Any]:
        """Publish what is pending, then the state a new viewer starts from (on the worker):
        ``{"seq", "log", "history", "values", "info"}``; updates after ``seq`` follow it."""

        def do() -> dict[str, Any]:
            self._publish()
            return {
                "seq": self._seq,
                "log": [_clean(e) for e in self.sim.log],
                "history": self.history(columns, max_points),
                "values": self.values(),
                "info": self.info(),
            }

        return self.call(do).result()

    def stop(self, timeout: float = 10.0) -> None:
        """End the worker (after the call in progress)."""
        if self._stop:
            return

        def do() -> None:
            self._stop = True

        fut = self.call(do)
        with contextlib.suppress(Exception):
            fut.result(timeout)
        self._stop = True
        self._thread.join(timeout)
        self.status = "ended"

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # -- worker ------------------------------------------------------------------------------
    def _observe(self, ts: np.ndarray, rows: np.ndarray) -> None:
        self._pending_t.append(np.asarray(ts, dtype=float))
        self._pending_x.append(rows)
        self.recorder.append(ts, rows)

    def _update_values(self) -> None:
        sim = self.sim
        w = self.model.net.signal_vector(sim.t, sim.y, sim.d)
        with self._lock:
            self._last_values = np.asarray(w, dtype=float)[self._w_idx]

    def _loop(self) -> None:
        next_pub = time.monotonic()
        last_pub_paused = 0.0
        while not self._stop:
            timeout = max(0.0, next_pub - time.monotonic())
            if self.status == "running" and self.pace == "max":
                timeout = 0.0
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is not None:
                self._advance()
                self._run(item)
                while True:
                    try:
                        self._run(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if self._stop:
                    break
                self._publish()
                continue
            self._advance()
            now = time.monotonic()
            if now < next_pub:
                continue  # "max" pace: slices follow one another, updates go out every tick
            if self.status == "running" or now - last_pub_paused > 2.0 or self._pending_t:
                self._publish()
                if self.status != "running":
                    last_pub_paused = now
            next_pub = now + self.tick
        self.status = "ended"

    def _run(self, item: tuple[Callable[[], Any], Future[Any]]) -> None:
        fn, fut = item
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(fn())
        except BaseException as e:  # the caller gets it; the run goes on
            fut.set_exception(e)

    def _advance(self) -> None:
        """Move the clock by pace x elapsed wall time, in a slice of bounded wall time."""
        now = time.monotonic()
        elapsed = min(now - self._last_wall, 1.0)
        self._last_wall = now
        if self.status != "running":
            return
        sim = self.sim
        span = min(self._throughput * SLICE_WALL, MAX_SLICE_SPAN)
        if self.pace != "max":
            span = min(span, float(self.pace) * elapsed)
        target = sim.t + span
        if self.scenario_end is not None and not self._end_reached:
            if target >= self.scenario_end:
                target = self.scenario_end
        if target <= sim.t:
            return
        t0, w0 = sim.t, time.perf_counter()
        try:
            sim.advance(target)
        except SolverError as e:
            self.status = "failed"
            self.message = str(e)
            self.pace = 0.0
        except Exception as e:  # an engine defect: keep what was computed, say why
            self.status = "failed"
            self.message = f"{type(e).__name__}: {e}"
            self.pace = 0.0
        wall = max(time.perf_counter() - w0, 1e-6)
        done = sim.t - t0
        if done > 0:
            rate = done / wall
            # throughput: how much simulated time a slice can cover; grows at most 4x a slice
            self._throughput = min(max(rate, 1e-3), 4.0 * self._throughput)
            inst = done / max(elapsed, wall)
            self.speed = inst if self.speed == 0 else 0.7 * self.speed + 0.3 * inst
        if (
            self.scenario_end is not None
            and not self._end_reached
            and sim.t >= self.scenario_end - 1e-9
        ):
            self._end_reached = True
            self.pace = 0.0
            self.status = "paused"
            self.message = f"end of the scenario at {self.scenario_end:g} s: choose a pace to go on"
        if self.recorder.n > self.max_rows and self.status == "running":
            self.pace = 0.0
            self.status = "paused"
            self.message = (
                f"the record is full ({self.max_rows} rows): download it, then rewind or "
                "start a new run from a snapshot"
            )

    def _publish(self, reset: bool = False) -> None:
        self._update_values()
        if self._pending_t:
            ts = np.concatenate(self._pending_t)
            rows = np.concatenate(self._pending_x)
        else:
            ts = np.empty(0)
            rows = np.empty((0, len(self.column_names)))
        self._pending_t, self._pending_x = [], []
        log = self.sim.log
        if len(log) < self._log_n:
            self._log_n = 0
        events = [_clean(e) for e in log[self._log_n :]]
        self._log_n = len(log)
        if self.status != "running":
            self.speed = 0.0
        self._seq += 1
        tick = Tick(
            seq=self._seq,
            t=self.sim.t,
            status=self.status,
            message=self.message,
            pace=self.pace,
            speed=self.speed,
            values=self._last_values.copy(),
            ts=ts,
            rows=rows,
            events=events,
            applied=self._applied,
            reset=reset,
            log=[_clean(e) for e in log] if reset else None,
        )
        self._applied = []
        for fn in self._listeners:
            try:
                fn(tick)
            except Exception:  # a listener must not stop the run
                pass

    # -- worker-side operations (through call) -----------------------------------------------------
    def snapshot_bytes(self) -> tuple[bytes, float]:
        """The engine snapshot and its time (run on the worker)."""
        return self.call(lambda: (self.sim.snapshot(), self.sim.t)).result()

    def restore(self, payload: bytes) -> Future[None]:
        """Return to an engine snapshot (the run pauses); viewers get a reset."""

        def do() -> None:
            try:
                self.sim.restore(payload)
            except Exception as e:
                raise RunError(f"cannot rewind to this snapshot: {e}", "conflict") from None
            ts, rows = _results(self.sim)
            self.recorder.replace(ts, rows)
            self._pending_t, self._pending_x = [], []
            self._log_n = len(self.sim.log)
            self.status = "paused"
            self.pace = 0.0
            self.message = f"rewound to t = {self.sim.t:g} s"
            self._end_reached = self.scenario_end is not None and self.sim.t >= self.scenario_end
            self._publish(reset=True)

        return self.call(do)

    def export(self) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
        """The record (every recorded column, SI) and the event log (run on the worker)."""
        return self.call(lambda: (self.sim.results(), [_clean(e) for e in self.sim.log])).result()


def _results(sim: Any) -> tuple[np.ndarray, np.ndarray]:
    df = sim.results()
    x = df.to_numpy(dtype=float)
    return x[:, 0], x[:, 1:]


def _named_columns(x: Any, columns: set[str]) -> set[str]:
    """The recorded columns named anywhere in ``x`` (nested dicts and lists of a topology)."""
    if isinstance(x, str):
        return {x} if x in columns else set()
    items = x.values() if isinstance(x, dict) else x if isinstance(x, list | tuple) else ()
    out: set[str] = set()
    for v in items:
        out |= _named_columns(v, columns)
    return out


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _list(a: np.ndarray) -> list[float | None]:
    a = np.asarray(a, dtype=float)
    if np.all(np.isfinite(a)):
        return a.tolist()
    return [v if math.isfinite(v) else None for v in a.tolist()]


def _clean(e: dict[str, Any]) -> dict[str, Any]:
    """A log entry with JSON-safe values."""
    out = {}
    for k, v in e.items():
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and not math.isfinite(v):
            v = None
        elif not isinstance(v, str | int | float | bool | type(None)):
            v = str(v)
        out[k] = v
    return out


def annunciator_tiles(model: Any) -> list[dict[str, Any]]:
    """Annunciator tiles: the manual trip and every row of the design's trip table."""
    tiles = [{"name": "manual", "label": "Manual trip", "kind": "trip"}]
    rows = getattr(model.protection, "rows", []) or []
    for r in rows:
        action = getattr(r, "action", "scram")
        kind = "trip" if action == "scram" else ("alarm" if action == "alarm" else action)
        name = getattr(r, "name", str(r))
        tiles.append({"name": name, "label": name.replace("_", " ").capitalize(), "kind": kind})
    return tiles


@dataclass
class Limits:
    """Limits the server enforces (see ``nppsim serve --help``)."""

    max_runs: int = 64
    max_viewers: int = 64
    idle_timeout: float = 1800.0
    tick: float = 0.2
    max_rows: int = 2_000_000
    message_bytes: int = 64 * 1024
    upload_bytes: int = 256 * 2**20
    messages_per_s: float = 20.0
    message_burst: float = 40.0
    store_bytes: int = 4 << 30
    extra: dict[str, float] = field(default_factory=dict)

    def public(self) -> dict[str, float]:
        return {
            "max_runs": self.max_runs,
            "max_viewers": self.max_viewers,
            "idle_timeout_s": self.idle_timeout,
            "tick_s": self.tick,
            "max_rows": self.max_rows,
            "message_bytes": self.message_bytes,
            "upload_bytes": self.upload_bytes,
            "messages_per_s": self.messages_per_s,
            "message_burst": self.message_burst,
        }


class RunManager:
    """The live runs of a server, its snapshot store and its limits.

    Parameters
    ----------
    data_dir : Path
        Where saved snapshots live (kept across restarts).
    limits : Limits
        The limits to enforce.
    allow_unsigned : bool
        Load uploaded snapshots signed by another server (trusted single-user use).
    """

    def __init__(
        self, data_dir: Path, limits: Limits | None = None, allow_unsigned: bool = False
    ) -> None:
        self.limits = limits or Limits()
        self.store = SnapshotStore(
            Path(data_dir) / "snapshots", self.limits.store_bytes, allow_unsigned
        )
        self.runs: dict[str, LiveRun] = {}
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self.on_created: list[Callable[[LiveRun], None]] = []
        self.on_ended: list[Callable[[LiveRun, str, SnapshotInfo | None], None]] = []

    # -- catalogue ---------------------------------------------------------------------------
    @staticmethod
    def designs() -> list[dict[str, Any]]:
        out = []
        for name in list_designs():
            d = load_design(name)
            out.append(
                {
                    "name": name,
                    "title": d.design.title,
                    "models": _design_kinds(d),
                    "banks": [b.name for b in d.rods.banks] if d.rods else [],
                    "cycle": d.cycle.names if d.cycle is not None else [],
                }
            )
        return out

    @staticmethod
    def scenarios() -> list[dict[str, Any]]:
        from nppsim.scenarios import list_scenarios

        return [
            {
                "name": s.name,
                "title": s.scenario.title,
                "design": s.scenario.design,
                "model": s.scenario.model,
                "duration_s": s.duration,
            }
            for s in list_scenarios()
        ]

    def server_info(self) -> dict[str, Any]:
        from nppsim.server.protocol import PACES

        return {
            "version": __version__,
            "designs": self.designs(),
            "scenarios": self.scenarios(),
            "paces": list(PACES),
            "limits": self.limits.public(),
        }

    # -- runs --------------------------------------------------------------------------------
    def get(self, run_id: str) -> LiveRun:
        run = self.runs.get(run_id)
        if run is None:
            raise RunError(f"no live run {run_id!r}", "not_found")
        return run

    def list(self) -> list[RunInfo]:
        return [r.info() for r in list(self.runs.values())]

    def create(self, spec: CreateRun) -> LiveRun:
        """Build and start a live run (blocking: building a model takes a second or two)."""
        with self._lock:
            if len(self.runs) >= self.limits.max_runs:
                raise RunError(
                    f"the server runs {len(self.runs)} live runs, its limit: stop one first",
                    "conflict",
                    field="runs",
                    value=len(self.runs),
                    allowed=f"at most {self.limits.max_runs}",
                )
        chosen = [x for x in (spec.scenario, spec.scenario_toml, spec.snapshot) if x]
        if len(chosen) > 1:
            raise RunError(
                "start from one of: a power level, a scenario, an uploaded scenario, a snapshot",
                field="scenario",
            )
        scenario_end = None
        origin: dict[str, Any]
        if spec.snapshot:
            model, sim, design, source, origin, scenario_end = self._from_snapshot(spec.snapshot)
        else:
            origin = spec.model_dump(include={"design", "model", "initial", "scenario"})
            origin["scenario_toml"] = spec.scenario_toml
            model, sim, design, source, scenario_end = self._from_origin(origin)
        run_id = f"run{next(self._counter)}-{secrets.token_hex(3)}"
        label = spec.label or f"{design.name} {model.kind}, {source}"
        run = LiveRun(
            run_id,
            label,
            model,
            sim,
            design,
            source,
            scenario_end=scenario_end,
            tick=self.limits.tick,
            max_rows=self.limits.max_rows,
        )
        run.origin = origin
        with self._lock:
            self.runs[run_id] = run
        for fn in self.on_created:
            fn(run)
        if spec.pace == "max" or float(spec.pace) > 0:
            run.set_pace(spec.pace).result()
        return run

    def _design(self, name: str) -> Design:
        try:
            return load_design(name)
        except InputError as e:
            raise RunError(str(e), field="design", value=name, allowed=e.allowed) from None

    def _from_origin(self, origin: dict[str, Any]) -> tuple[Any, Any, Design, str, float | None]:
        """Model and simulation from how a run starts (a power level or a scenario).

        The model's steady state is part of the model (it sets the typical magnitudes of the
        Jacobian's increments, which the engine's snapshots are fingerprinted with), so a run
        from a snapshot is rebuilt from the same origin before the snapshot is restored.
        """
        with _BUILD_LOCK:
            return self._build_from_origin(origin)

    def _build_from_origin(
        self, origin: dict[str, Any]
    ) -> tuple[Any, Any, Design, str, float | None]:
        try:
            spec = CreateRun.model_validate({k: v for k, v in origin.items() if v is not None})
        except ValidationError as e:
            fld, value, msg = format_validation_error(e)
            raise RunError(f"the snapshot's origin is damaged: {fld} = {value!r}: {msg}") from None
        if spec.scenario or spec.scenario_toml:
            return self._from_scenario(spec)
        return (*self._from_power(spec), None)

    def _from_power(self, spec: CreateRun) -> tuple[Any, Any, Design, str]:
        from nppsim.engine.simulation import Simulation
        from nppsim.scenarios import Initial

        design = self._design(spec.design)
        raw = (spec.initial or InitialSpec()).model_dump()
        raw["power"] = _quantity_text(raw["power"], "1")
        if raw.get("boron") is None:
            raw.pop("boron", None)
        else:
            raw["boron"] = _quantity_text(raw["boron"], "ppm")
        try:
            ini = Initial.model_validate(raw)
        except ValidationError as e:
            fld, value, msg = format_validation_error(e)
            raise RunError(
                f"initial.{fld} = {value!r}: {msg}",
                field=f"initial.{fld}",
                value=value,
                allowed=msg,
            ) from None
        try:
            # the core at the chosen point of its fuel cycle, as a scenario's [initial].cycle
            design = design.at_cycle(ini.cycle, None, "initial.cycle")
        except InputError as e:
            raise RunError.from_input(e) from None
        model = build_model(design, spec.model)
        kw: dict[str, Any] = ini.steady_state_options()
        if spec.model == "plant":
            kw["pumps_off"] = tuple(ini.pumps_off)
        elif ini.pumps_off:
            raise RunError(
                f"initial.pumps_off = {ini.pumps_off}: pumps exist in the plant model only",
                field="initial.pumps_off",
                value=ini.pumps_off,
                allowed='[] with model "core"',
            )
        try:
            y0, d0 = model.steady_state(ini.power, ini.critical, **kw)
        except InputError as e:
            raise RunError.from_input(e) from None
        sim = Simulation(model, y0, d0)
        return model, sim, design, f"{100 * ini.power:g} % power"

    def _from_scenario(self, spec: CreateRun) -> tuple[Any, Any, Design, str, float]:
        from nppsim.engine.run import RunSpec, build
        from nppsim.scenarios import load_scenario, parse_scenario

        try:
            if spec.scenario:
                sc = load_scenario(spec.scenario)
            else:
                try:
                    data = tomllib.loads(spec.scenario_toml or "")
                except tomllib.TOMLDecodeError as e:
                    raise RunError(
                        f"uploaded scenario: malformed TOML: {e}",
                        field="scenario_toml",
                        value="<toml>",
                        allowed=str(e),
                    ) from None
                sc = parse_scenario(data, "uploaded scenario")
        except InputError as e:
            raise RunError.from_input(e) from None
        design = self._design(sc.scenario.design)
        build_model(design, sc.scenario.model)  # a clear error if the model is not available
        try:
            model, sim = build(RunSpec(scenario=sc))
        except InputError as e:
            raise RunError.from_input(e) from None
        return model, sim, design, f"scenario {sc.name}", float(sc.duration)

    def _from_snapshot(
        self, sid: str
    ) -> tuple[Any, Any, Design, str, dict[str, Any], float | None]:
        from nppsim.engine.simulation import SimulationError

        try:
            meta, payload = self.store.load(sid)
        except StoreError as e:
            raise RunError(str(e), e.code, field="snapshot", value=sid) from None
        origin = meta.get("origin") or {"design": meta["design"], "model": meta["model"]}
        model, sim, design, _, scenario_end = self._from_origin(origin)
        try:
            sim.restore(payload)
        except SimulationError as e:
            raise RunError(
                f"snapshot {sid} cannot be loaded: {e}", "conflict", field="snapshot", value=sid
            ) from None
        label = meta.get("label") or sid
        source = f"snapshot {label} (t = {float(meta['t']):g} s)"
        return model, sim, design, source, origin, scenario_end

    def save_snapshot(self, run: LiveRun, label: str = "") -> SnapshotInfo:
        """Save the run's current state in the store (blocking)."""
        payload, t = run.snapshot_bytes()
        meta = {
            "design": run.design.name,
            "model": run.kind,
            "t": t,
            "label": label or f"{run.label} at {t:g} s",
            "run": run.id,
            "version": __version__,
            "origin": run.origin,
        }
        try:
            return self.store.save(payload, meta)
        except StoreError as e:
            raise RunError(str(e), e.code) from None

    def rewind(self, run: LiveRun, sid: str) -> None:
        """Return ``run`` to a stored snapshot (blocking)."""
        try:
            meta, payload = self.store.load(sid)
        except StoreError as e:
            raise RunError(str(e), e.code, field="snapshot", value=sid) from None
        if meta["design"] != run.design.name or meta["model"] != run.kind:
            raise RunError(
                f"snapshot {sid} is of {meta['design']} ({meta['model']}), this run is of "
                f"{run.design.name} ({run.kind}): start a new run from it instead",
                "conflict",
                field="snapshot",
                value=sid,
            )
        run.restore(payload).result()

    def end(self, run_id: str, reason: str = "stopped", save: bool = True) -> SnapshotInfo | None:
        """End a run; its final state is saved first (if it advanced). Blocking."""
        run = self.get(run_id)
        snap = None
        if save and run.alive and run.sim.t > 0:
            with contextlib.suppress(RunError, StoreError):
                snap = self.save_snapshot(run, f"{run.label}: final state ({reason})")
        run.stop()
        with self._lock:
            self.runs.pop(run_id, None)
        run.message = reason
        for fn in list(self.on_ended):
            with contextlib.suppress(Exception):
                fn(run, reason, snap)
        return snap

    def idle_runs(self, now: float | None = None) -> list[str]:
        """Runs nobody has watched for longer than the idle limit."""
        now = time.monotonic() if now is None else now
        return [
            r.id
            for r in list(self.runs.values())
            if r.viewers == 0 and now - r.idle_since > self.limits.idle_timeout
        ]

    def shutdown(self) -> None:
        """End every run, saving its final state (a stopped server loses nothing saved)."""
        for run_id in list(self.runs):
            with contextlib.suppress(Exception):
                self.end(run_id, "server shut down")

"""The network: components assembled into one model with flat arrays and a compiled kernel.

A :class:`Network` is built from components (in evaluation order) and connections between their
ports and signals; :meth:`Network.build` then lays out

* the state vector ``y`` (names, units, absolute tolerances: :attr:`Network.states`),
* the real parameters ``p`` (SI, from the design object: :attr:`Network.params`),
* the discrete state ``d`` (modes, latches, ramps, scheduled times: :attr:`Network.discrete`),
* the signals ``w`` (algebraic quantities; the recorded columns are among them:
  :attr:`Network.signals`),
* the integer array ``ip``: a header, the schedule, each component's record and the structure of
  the Jacobian (see :mod:`nppsim.plant.kernel`).

The network owns no time and no integrator (the engine does, :mod:`nppsim.engine`); it evaluates
the kernel and handles what happens between steps: an event function crossing zero
(:meth:`fire`), a scheduled time reached (:meth:`on_break`). Handlers take and return the state and
the discrete state; they never keep anything of their own, so a network can be shared by several
simulations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from nppsim.physics import saturation, water_table
from nppsim.physics.tables import concatenate_tables
from nppsim.plant import kernel
from nppsim.plant.component import Component, Declarer
from nppsim.plant.registry import Registry

C = TypeVar("C", bound=Component)


class NetworkError(ValueError):
    """A network that cannot be assembled (a port left open, a field not declared...)."""


class Network:
    """Components wired into one model (see the module docstring).

    Parameters
    ----------
    components : sequence of Component
        In evaluation order: a component may read, through its ports, the signals of the
        components before it (and, in the derivative phase, of every component).
    connections : mapping of str to str, optional
        ``{"core.pressure": "boundary.pressure"}``: port (``component.port``) to signal
        (``component.signal``). Ports may also be connected in their declaration.
    """

    def __init__(
        self,
        components: Sequence[Component],
        connections: dict[str, str] | None = None,
        *,
        condenser_pressure: float | None = None,
    ) -> None:
        names = [c.name for c in components]
        if len(set(names)) != len(names):
            raise NetworkError(f"component names must be unique: {names}")
        self.components = list(components)
        self.by_name = {c.name: c for c in components}
        self.states = Registry("state")
        self.params = Registry("parameter")
        self.signals = Registry("signal")
        self.discrete = Registry("discrete entry")
        self.n_roots = 0
        self._connections = dict(connections or {})
        self.condenser_pressure = condenser_pressure
        self.root_names: list[str] = []
        self.root_owner: list[tuple[Component, str, int]] = []
        self.break_entries: list[tuple[int, Component, str]] = []
        self._build()

    # -- assembly --------------------------------------------------------------------------
    def _build(self) -> None:
        owners: dict[int, tuple[Component, str, int, str]] = {}
        for c in self.components:
            b = Declarer(self, c)
            c.declare(b)
            c.declared = b.out
            for f in c.Field.__members__:
                if f not in b.out.record:
                    raise NetworkError(f"{c!r}: record field {f} was not declared")
            for label, _desc, k, j, handler in b.out.roots:
                owners[k] = (c, handler, j, f"{c.name}.{label}")
        for k in range(self.n_roots):
            c, handler, j, label = owners[k]
            self.root_owner.append((c, handler, j))
            self.root_names.append(label)
        # connect ports to signals
        for c in self.components:
            for port, target in list(c.declared.ports.items()):
                key = f"{c.name}.{port}"
                target = self._connections.get(key, target)
                if target is None:
                    if port in c.declared.optional_ports:
                        c.declared.record[f"IN_{port.upper()}"] = -1
                        continue
                    raise NetworkError(f"port {key} is not connected")
                try:
                    idx = self.signal_lookup(target)
                except KeyError:
                    raise NetworkError(
                        f"port {key} connected to unknown signal {target!r}"
                    ) from None
                c.declared.record[f"IN_{port.upper()}"] = idx
                c.declared.ports[port] = target
        # parameters, then the typical state magnitudes (finite-difference increments), then the
        # water-property tables ((p, h), saturation line, the turbine's isentropic drop)
        tables = [water_table.ph_table(), saturation.saturation_table()]
        if self.condenser_pressure is not None:
            tables.append(saturation.isentropic_drop_table(self.condenser_pressure))
        self._p_typ = self.params.size
        start = self._p_typ + self.states.size
        packed, offsets = concatenate_tables(*tables, start=start)
        self._table_offsets = offsets + [-1] * (3 - len(offsets))
        self._p_water = start
        self.p = np.empty(start + packed.size)
        for c in self.components:
            for name, arr in c.declared.params:
                self.p[self.params[name].slice] = arr
        # finite-difference increments of the Jacobian: 1e-7 max(|y|, 1e3 atol) (a fixed floor
        # per state, so that the parameters never depend on the state a run starts from)
        self.p[self._p_typ : start] = 1e3 * self.states.atol()
        self.p[start:] = packed
        # discrete state
        self.d0 = np.zeros(self.discrete.size)
        for c in self.components:
            for name, arr in c.declared.discrete_init:
                self.d0[self.discrete[name].slice] = arr
            for bname in c.declared.breaks:
                e = self.discrete[f"{c.name}.{bname}"]
                for k in range(e.size):
                    self.break_entries.append((e.start + k, c, bname))
        self.atol = self.states.atol()
        self._names: dict[str, tuple[str, int]] = {}
        self._layout_ip()

    def _layout_ip(self) -> None:
        ip: list[int] = [0] * kernel.HEADER_SIZE
        ip[kernel.IP_NY] = self.states.size
        ip[kernel.IP_NP] = self.p.size
        ip[kernel.IP_NW] = self.signals.size
        ip[kernel.IP_ND] = self.discrete.size
        ip[kernel.IP_NG] = self.n_roots
        ip[kernel.IP_P_JAC_TYP] = self._p_typ
        ip[kernel.IP_WATER], ip[kernel.IP_SAT], ip[kernel.IP_ISEN] = self._table_offsets
        # integer parameter blocks, and signal references resolved to signal indices
        for c in self.components:
            for name, arr in c.declared.int_params:
                c.declared.record["I_" + name.split(".", 1)[1].upper()] = len(ip)
                ip.extend(int(v) for v in arr)
            for name, refs in c.declared.signal_refs:
                c.declared.record["I_" + name.split(".", 1)[1].upper()] = len(ip)
                for ref in refs:
                    try:
                        ip.append(self.signal_lookup(ref))
                    except KeyError:
                        raise NetworkError(f"{name}: no signal {ref!r}") from None
            for name, refs in c.declared.state_refs:
                c.declared.record["I_" + name.split(".", 1)[1].upper()] = len(ip)
                for ref in refs:
                    ip.append(self.states.index(ref))
        # records
        for c in self.components:
            c.record_offset = len(ip)
            rec = [0] * len(c.Field)
            for f, member in c.Field.__members__.items():
                rec[int(member)] = c.declared.record[f]
            ip.extend(rec)
        # schedule
        ip[kernel.IP_NSCHED] = len(self.components)
        ip[kernel.IP_SCHED] = len(ip)
        for c in self.components:
            if c.code not in kernel.KINDS:
                raise NetworkError(f"{c!r}: kind code {c.code} unknown to the kernel")
            ip.extend([c.code, c.record_offset])
        # Jacobian structure
        pattern, analytic = self._sparsity()
        groups = _color_columns(pattern, analytic)
        ip[kernel.IP_NCOLOR] = len(groups)
        ip[kernel.IP_COLOR_PTR] = len(ip)
        ptr = [0]
        for gr in groups:
            ptr.append(ptr[-1] + len(gr))
        ip.extend(ptr)
        ip[kernel.IP_COLOR_COLS] = len(ip)
        for gr in groups:
            ip.extend(gr)
        ip[kernel.IP_ROW_PTR] = len(ip)
        rptr = [0]
        for rows in pattern:
            rptr.append(rptr[-1] + len(rows))
        ip.extend(rptr)
        ip[kernel.IP_ROWS] = len(ip)
        for rows in pattern:
            ip.extend(sorted(rows))
        self.ip = np.asarray(ip, dtype=np.int64)
        self.pattern = pattern
        self.analytic = analytic
        self.n_colors = len(groups)

    def _block_columns(self, c: Component, names: Iterable[str], seen: set) -> set[int]:
        """State columns that the named blocks or ports of component ``c`` stand for."""
        cols: set[int] = set()
        for nm in names:
            if nm.startswith("port:"):
                target = c.declared.ports[nm[5:]]
                if target is None:
                    continue
                if target not in self.signals:
                    # a recorded column name or an element label: find its block
                    idx = self.signal_lookup(target)
                    target = next(
                        e.name
                        for e in self.signals.entries.values()
                        if e.start <= idx < e.start + e.size
                    )
                owner = self.by_name[target.split(".", 1)[0]]
                cols |= self._signal_columns(owner, target.split(".", 1)[1], seen)
            elif nm.startswith("refs:"):
                refs = dict(c.declared.signal_refs)[f"{c.name}.{nm[5:]}"]
                for ref in refs:
                    idx = self.signal_lookup(ref)
                    block = next(
                        e.name
                        for e in self.signals.entries.values()
                        if e.start <= idx < e.start + e.size
                    )
                    owner = self.by_name[block.split(".", 1)[0]]
                    cols |= self._signal_columns(owner, block.split(".", 1)[1], seen)
            elif nm.startswith("state:"):
                cols |= self._state_set([nm[6:]])
            else:
                cols.update(
                    range(
                        self.states[f"{c.name}.{nm}"].start,
                        self.states[f"{c.name}.{nm}"].start + self.states[f"{c.name}.{nm}"].size,
                    )
                )
        return cols

    def _own_state_blocks(self, c: Component) -> list[str]:
        pre = c.name + "."
        return [n[len(pre) :] for n in self.states.entries if n.startswith(pre)]

    def _signal_columns(self, c: Component, signal: str, seen: set) -> set[int]:
        key = (c.name, signal)
        if key in seen:
            return set()
        seen = seen | {key}
        dep = c.declared.signal_depends.get(signal)
        if dep is None:
            dep = tuple(self._own_state_blocks(c)) + tuple(f"port:{x}" for x in c.declared.ports)
        return self._block_columns(c, dep, seen)

    def _sparsity(self) -> tuple[list[set[int]], set[int]]:
        """For every state column, the rows its change can reach (from declared dependencies)."""
        ny = self.states.size
        col_rows: list[set[int]] = [set() for _ in range(ny)]
        analytic: set[int] = set()
        for c in self.components:
            own = self._own_state_blocks(c)
            declared = {rows: (on, diag) for rows, on, diag in c.declared.depends}
            default_on = tuple(own) + tuple(f"port:{x}" for x in c.declared.ports)
            for blk in own:
                e = self.states[f"{c.name}.{blk}"]
                on, diag = declared.get(blk, (default_on, False))
                if diag:
                    for k in range(e.size):
                        col_rows[e.start + k].add(e.start + k)
                    on = tuple(x for x in on if x != blk)
                cols = self._block_columns(c, on, set())
                for j in cols:
                    col_rows[j].update(range(e.start, e.start + e.size))
        for c in self.components:
            for blk, per in c.declared.element_depends:
                e = self.states[f"{c.name}.{blk}"]
                for i, labels in enumerate(per):
                    for j in self._state_set(labels):
                        col_rows[j].add(e.start + i)
        # closures: rows coupled through a closure phase depend on the union of their columns
        for c in self.components:
            if c.declared.closure is None:
                continue
            nodes, own_blocks = c.declared.closure
            rows = {self.states.index(x) for x in nodes}
            for blk in own_blocks:
                e = self.states[f"{c.name}.{blk}"]
                rows.update(range(e.start, e.start + e.size))
            cols = {j for j in range(ny) if col_rows[j] & rows}
            for j in cols:
                col_rows[j] |= rows
            passive, passive_on = c.declared.closure_passive
            if passive:
                prows = self._state_set(passive)
                for j in cols:
                    col_rows[j] |= prows
                ports = [x for x in passive_on if x.startswith("port:")]
                on_cols = self._state_set([x for x in passive_on if not x.startswith("port:")])
                on_cols |= self._block_columns(c, ports, set())
                for j in on_cols:
                    col_rows[j] |= prows
        for c in self.components:
            for blk in c.declared.analytic_columns:
                e = self.states[f"{c.name}.{blk}"]
                analytic.update(range(e.start, e.start + e.size))
        return col_rows, analytic

    def _state_set(self, names: Iterable[str]) -> set[int]:
        """State indices of block names (every element) or element labels."""
        out: set[int] = set()
        for nm in names:
            if nm in self.states:
                e = self.states[nm]
                out.update(range(e.start, e.start + e.size))
            else:
                out.add(self.states.index(nm))
        return out

    # -- kernel calls (Python side) --------------------------------------------------------
    def rhs(self, t: float, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """dy/dt at ``(t, y)`` with discrete state ``d``."""
        out = np.empty(self.states.size)
        kernel.rhs(float(t), np.ascontiguousarray(y, dtype=float), self.p, self.ip, d, out)
        return out

    def jac(self, t: float, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """df/dy at ``(t, y)`` (n x n)."""
        n = self.states.size
        out = np.empty((n, n))
        kernel.jac(float(t), np.ascontiguousarray(y, dtype=float), self.p, self.ip, d, out)
        return out

    def roots(self, t: float, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Every event function at ``(t, y)``."""
        out = np.empty(self.n_roots)
        kernel.roots(float(t), np.ascontiguousarray(y, dtype=float), self.p, self.ip, d, out)
        return out

    def signal_vector(self, t: float, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """The signal vector ``w`` at ``(t, y)``."""
        return kernel.signals_at(float(t), np.ascontiguousarray(y, dtype=float), self.p, self.ip, d)

    def signal_rows(self, ts: np.ndarray, ys: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Signals of many states recorded under one discrete state (rows: times)."""
        out = np.empty((len(ts), self.signals.size))
        if len(ts):
            kernel.signals_rows(
                np.ascontiguousarray(ts, dtype=float),
                np.ascontiguousarray(ys, dtype=float),
                self.p,
                self.ip,
                d,
                out,
            )
        return out

    # -- names -----------------------------------------------------------------------------
    def component(self, name: str, kind: type[C]) -> C:
        """The component named ``name``, checked to be a ``kind`` (typed access)."""
        c = self.by_name[name]
        if not isinstance(c, kind):
            raise NetworkError(f"{name} is a {type(c).__name__}, not a {kind.__name__}")
        return c

    def columns(self) -> list[tuple[str, int, str]]:
        """Recorded output columns: (name, signal index, unit)."""
        return self.signals.columns()

    def lookup(self, name: str) -> tuple[str, int]:
        """Where a quantity lives: ``("state", i)``, ``("signal", i)`` or ``("discrete", i)``.

        Accepts recorded column names (``"pressure_primary_pa"``), state labels
        (``"core.temp_fuel[0]"``), signal and discrete labels.
        """
        hit = self._names.get(name)
        if hit is not None:
            return hit
        for col, i, _ in self.columns():
            if col == name:
                self._names[name] = ("signal", i)
                return "signal", i
        for kind, reg in (
            ("state", self.states),
            ("signal", self.signals),
            ("discrete", self.discrete),
        ):
            try:
                hit = (kind, reg.index(name))
            except KeyError:
                continue
            self._names[name] = hit
            return hit
        raise KeyError(f"no state, signal, column or discrete entry named {name!r}")

    def signal_lookup(self, name: str) -> int:
        """Index in ``w`` of a signal by recorded column name or signal label."""
        for col, i, _ in self.columns():
            if col == name:
                return i
        return self.signals.index(name)

    def d_index(self, name: str) -> int:
        """Index in ``d`` of a discrete entry (``"core.time_shutdown"``)."""
        return self.discrete.index(name)

    def s_index(self, name: str) -> int:
        """Index in ``y`` of a state (``"core.boron"``)."""
        return self.states.index(name)

    def w_index(self, name: str) -> int:
        """Index in ``w`` of a signal (``"core.power_relative"``)."""
        return self.signals.index(name)

    # -- between steps ---------------------------------------------------------------------
    def next_break(self, t: float, d: np.ndarray) -> float:
        """Time [s] of the next scheduled action after ``t`` (``inf``: none)."""
        best = math.inf
        for i, _, _ in self.break_entries:
            if d[i] > t and d[i] < best:
                best = float(d[i])
        return best

    def due_break(self, t: float, d: np.ndarray, tol: float) -> tuple[int, Component, str] | None:
        """The scheduled action due at ``t`` (within ``tol``), earliest first, or None."""
        due = [(d[i], k) for k, (i, _, _) in enumerate(self.break_entries) if d[i] <= t + tol]
        if not due:
            return None
        _, k = min(due)
        return self.break_entries[k]

    def on_break(
        self, t: float, y: np.ndarray, d: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]] | None:
        """Handle the earliest scheduled action due at ``t``; None if nothing is due."""
        due = self.due_break(t, d, 1e-9 * max(1.0, abs(t)))
        if due is None:
            return None
        i, comp, name = due
        d = d.copy()
        k = i - self.discrete[f"{comp.name}.{name}"].start
        d[i] = math.inf  # consumed; the handler may schedule it again
        handler = getattr(comp, f"on_{name}")
        return handler(self, t, y.copy(), d, k)

    def fire(
        self, k: int, t: float, y: np.ndarray, d: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
        """Handle event function ``k`` having crossed zero at ``t``."""
        comp, name, j = self.root_owner[k]
        handler = getattr(comp, f"on_{name}")
        if j < 0:
            return handler(self, t, y.copy(), d.copy())
        return handler(self, t, y.copy(), d.copy(), j)

    def describe(self) -> dict[str, Any]:
        """Sizes and names, for docs and debugging."""
        return {
            "states": self.states.size,
            "parameters": self.params.size,
            "signals": self.signals.size,
            "discrete": self.discrete.size,
            "events": list(self.root_names),
            "jacobian_groups": self.n_colors,
            "components": [f"{c.name} ({c.kind})" for c in self.components],
        }


def _color_columns(col_rows: list[set[int]], skip: set[int]) -> list[list[int]]:
    """Greedy Curtis-Powell-Reid grouping: columns in one group change disjoint rows.

    Columns are taken in decreasing number of rows (largest first), each put into the first group
    whose rows it does not touch.
    """
    order = sorted(
        (j for j in range(len(col_rows)) if j not in skip), key=lambda j: (-len(col_rows[j]), j)
    )
    groups: list[list[int]] = []
    used: list[set[int]] = []
    for j in order:
        rows = col_rows[j]
        for gi, u in enumerate(used):
            if not (u & rows):
                groups[gi].append(j)
                u |= rows
                break
        else:
            groups.append([j])
            used.append(set(rows))
    for g in groups:
        g.sort()
    return groups

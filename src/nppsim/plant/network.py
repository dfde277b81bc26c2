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
        self._check_outputs()
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
        # discrete entries no kernel of the right-hand side reads (latches of event functions)
        self.d_events_only = np.zeros(self.discrete.size, dtype=bool)
        for c in self.components:
            for name in c.declared.events_only:
                e = self.discrete[f"{c.name}.{name}"]
                self.d_events_only[e.start : e.start + e.size] = True
        self._names: dict[str, tuple[str, int]] = {}
        self._layout_ip()

    def _roots_read_closure_outputs(self) -> bool:
        """Whether a component with event functions may read a signal a closure writes."""
        late: set[int] = set()
        for c in self.components:
            if c.declared.closure is None:
                continue
            for name in c.declared.closure[2]:
                e = self.signals[f"{c.name}.{name}"]
                late.update(range(e.start, e.start + e.size))
        for c in self.components:
            if not c.declared.roots:
                continue
            if c.declared.closure is not None and c.declared.closure[2]:
                reads = c.declared.roots_reads
                if reads is None or reads & set(c.declared.closure[2]):
                    return True  # its event functions may read its own closure's outputs
            refs = [t for t in c.declared.ports.values() if t is not None]
            for _, names in c.declared.signal_refs:
                refs.extend(names)
            if any(self.signal_lookup(ref) in late for ref in refs):
                return True
        return False

    def _output_entries(self) -> dict[int, str]:
        """Signal entries declared output-only (computed for records, not in the rhs)."""
        out: dict[int, str] = {}
        for c in self.components:
            for name in c.declared.outputs:
                e = self.signals[f"{c.name}.{name}"]
                for k in range(e.start, e.start + e.size):
                    out[k] = e.name
        return out

    def _check_outputs(self) -> None:
        """No port or signal reference may read an output-only signal: the right-hand side
        does not compute them."""
        outputs = self._output_entries()
        for c in self.components:
            reads = [(f"port {c.name}.{k}", t) for k, t in c.declared.ports.items() if t]
            for name, refs in c.declared.signal_refs:
                reads += [(f"signal reference {name}", t) for t in refs]
            for what, target in reads:
                idx = self.signal_lookup(target)
                if idx in outputs:
                    raise NetworkError(
                        f"{what} reads {outputs[idx]!r}, an output-only signal (computed for "
                        "records, not while integrating): declare it without output=True"
                    )

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
        # event functions read signals only: the kernel skips the rates for them unless a
        # component with event functions reads a signal that a closure writes
        ip[kernel.IP_ROOTS_FULL] = int(self._roots_read_closure_outputs())
        # Jacobian structure
        js = self._jacobian_structure()
        groups = js["groups"]
        ip[kernel.IP_NCOLOR] = len(groups)
        ip[kernel.IP_COLOR_PTR], ip[kernel.IP_COLOR_COLS] = _pack(ip, groups)
        # schedule-entry lists (kernel.open_entries): every entry (the right-hand side), then
        # the entries each column group runs
        ip[kernel.IP_JAC_SUBSET] = 1
        lists = [list(range(len(self.components))), *js["subsets"]]
        ip[kernel.IP_LIST_PTR], ip[kernel.IP_LISTS] = _pack(ip, lists)
        ip[kernel.IP_ROW_PTR], ip[kernel.IP_ROWS] = _pack(ip, [sorted(r) for r in js["fill"]])
        # the closure's chain rule: [n_chain, n_closure_rows, offsets of: chain columns, column
        # -> chain index, input pointers, input signals, node-row pointers, node rows, closure
        # rows]
        chain, cin, cf = js["chain"], js["chain_in"], js["chain_f"]
        crows = js["closure_rows"]
        base = len(ip)
        ip[kernel.IP_CHAIN] = base
        ip.extend([len(chain), len(crows)] + [0] * 7)
        ip[base + kernel.CH_COLS] = len(ip)
        ip.extend(chain)
        ip[base + kernel.CH_INDEX] = len(ip)
        index = [-1] * self.states.size
        for q, j in enumerate(chain):
            index[j] = q
        ip.extend(index)
        for key_ptr, key_list, lists in (
            (kernel.CH_IN_PTR, kernel.CH_IN, cin),
            (kernel.CH_F_PTR, kernel.CH_F, cf),
        ):
            ip[base + key_ptr] = len(ip)
            acc = [0]
            for lst in lists:
                acc.append(acc[-1] + len(lst))
            ip.extend(acc)
            ip[base + key_list] = len(ip)
            for lst in lists:
                ip.extend(lst)
        ip[base + kernel.CH_ROWS] = len(ip)
        ip.extend(crows)
        self.ip = np.asarray(ip, dtype=np.int64)
        self.pattern = js["fill"]
        self.analytic = js["analytic"]
        self.sinks = js["sinks"]
        self.n_colors = len(groups)
        self.group_entries = js["subsets"]
        self.n_chain = len(chain)

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
            elif nm.endswith("]") and "[" in nm:
                # one element of a block: "h[0]", "h[-1]" (the last)
                blk, _, k = nm[:-1].partition("[")
                e = self.states[f"{c.name}.{blk}"]
                i = int(k)
                if not -e.size <= i < e.size:
                    raise NetworkError(f"{c.name}: {nm!r} is outside the block of {e.size}")
                cols.add(e.start + (i % e.size))
            else:
                e = self.states[f"{c.name}.{nm}"]
                cols.update(range(e.start, e.start + e.size))
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
        """For every state column, the rows its change can reach before the closure phase (from
        the declared dependencies), and the analytic columns."""
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
        # closures declared for the structure only (no closure phase: the component's
        # derivatives write into another's rate): their rows depend on the union of their columns
        for c in self.components:
            if c.declared.closure is None or c.code in kernel.CLOSURE_CODES:
                continue
            nodes, own_blocks, _ = c.declared.closure
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

    def _signal_index_columns(self, idx: int) -> set[int]:
        """State columns the signal entry ``idx`` depends on (declared, transitively)."""
        block = next(
            e.name for e in self.signals.entries.values() if e.start <= idx < e.start + e.size
        )
        owner = self.by_name[block.split(".", 1)[0]]
        return self._signal_columns(owner, block.split(".", 1)[1], set())

    def _closure_inputs(self, c: Component) -> dict[int, set[int]]:
        """The signal entries a closure may read (its own signals other than those it writes,
        its ports, its signal references) and the state columns each depends on."""
        assert c.declared.closure is not None
        outs = set(c.declared.closure[2])
        inputs: dict[int, set[int]] = {}
        pre = c.name + "."
        for name, e in self.signals.entries.items():
            if not name.startswith(pre) or name[len(pre) :] in outs:
                continue
            cols = self._signal_columns(c, name[len(pre) :], set())
            for k in range(e.start, e.start + e.size):
                inputs[k] = cols
        refs = [t for t in c.declared.ports.values() if t is not None]
        for _, names in c.declared.signal_refs:
            refs.extend(names)
        for ref in refs:
            idx = self.signal_lookup(ref)
            inputs[idx] = self._signal_index_columns(idx)
        return inputs

    def _closure_read_states(self, c: Component) -> set[int]:
        """States a closure may read directly: its own and those it references."""
        assert c.declared.closure is not None
        cols: set[int] = set()
        for blk in self._own_state_blocks(c):
            e = self.states[f"{c.name}.{blk}"]
            cols.update(range(e.start, e.start + e.size))
        for _, names in c.declared.state_refs:
            cols.update(self.states.index(x) for x in names)
        cols.update(self.states.index(x) for x in c.declared.closure[0])
        return cols

    def _jacobian_structure(self) -> dict[str, Any]:
        """Column groups, rows to fill and the closure's chain rule (see :mod:`.kernel`).

        * Rows of the rates before the closure: declared dependencies. Rows a closure sets
          (its own blocks) are left to the chain rule.
        * *Sinks*: a state block that no rate reads (the balance's energy integrals) keeps only
          the entries of its own block: its other entries would make every column it reads a
          group of its own, and they cannot slow the Newton iteration of the other states (they
          do not enter it); the sink itself converges one iteration behind at most.
        * Closure inputs (signals, states, node rates) are pseudo-rows of the grouping, so that
          each group's signal changes tell, column by column, how the closure's inputs move.
        """
        ny = self.states.size
        col_rows, analytic = self._sparsity()
        closures = [
            c
            for c in self.components
            if c.declared.closure is not None and c.code in kernel.CLOSURE_CODES
        ]
        node_rows: set[int] = set()
        own_rows: set[int] = set()
        read_states: set[int] = set()
        inputs: dict[int, set[int]] = {}
        for c in closures:
            assert c.declared.closure is not None
            nodes, own, _ = c.declared.closure
            node_rows |= {self.states.index(x) for x in nodes}
            mine: set[int] = set()
            for blk in own:
                e = self.states[f"{c.name}.{blk}"]
                mine.update(range(e.start, e.start + e.size))
            # passive rows: the component's own are set by the closure (like its own blocks),
            # the others corrected (like the nodes: the closure reads their rates before it)
            passive, passive_on = c.declared.closure_passive
            for blk in self._own_state_blocks(c):
                e = self.states[f"{c.name}.{blk}"]
                for i in self._state_set(passive):
                    if e.start <= i < e.start + e.size:
                        mine.add(i)
            node_rows |= self._state_set(passive) - mine
            own_rows |= mine
            read_states |= self._closure_read_states(c)
            ports = [x for x in passive_on if x.startswith("port:")]
            read_states |= self._state_set([x for x in passive_on if not x.startswith("port:")])
            read_states |= self._block_columns(c, ports, set())
            for k, cols in self._closure_inputs(c).items():
                inputs.setdefault(k, set()).update(cols)
        closure_cols = set(read_states)
        for cols in inputs.values():
            closure_cols |= cols
        block_of = np.empty(ny, dtype=np.int64)
        sinks: set[int] = set()
        for bi, e in enumerate(self.states.entries.values()):
            block_of[e.start : e.start + e.size] = bi
        for e in self.states.entries.values():
            rows = set(range(e.start, e.start + e.size))
            if rows & (closure_cols | node_rows | own_rows):
                continue
            if all(col_rows[j] <= rows for j in rows):
                sinks |= rows
        fill: list[set[int]] = []
        for j in range(ny):
            fill.append(
                {
                    i
                    for i in col_rows[j]
                    if i not in own_rows and (i not in sinks or block_of[i] == block_of[j])
                }
            )
        color_rows = [set(r) for r in fill]
        in_list = sorted(inputs)
        for q, k in enumerate(in_list):
            for j in inputs[k]:
                color_rows[j].add(ny + q)
        groups = _color_columns(color_rows, analytic)
        subsets = self._group_entries(groups, col_rows)
        chain = [
            j for j in range(ny) if j not in analytic and (fill[j] & node_rows or j in closure_cols)
        ]
        chain_in = [[k for k in in_list if j in inputs[k]] for j in chain]
        chain_f = [sorted(fill[j] & node_rows) for j in chain]
        return {
            "groups": groups,
            "subsets": subsets,
            "fill": fill,
            "analytic": analytic,
            "sinks": sinks,
            "chain": chain,
            "chain_in": chain_in,
            "chain_f": chain_f,
            "closure_rows": sorted(node_rows | own_rows),
        }

    def schedule_io(self) -> list[dict[str, set[int]]]:
        """What each scheduled component reads and writes in the phases before the closure
        (early, signals, derivatives), from its declarations; one dict per schedule entry:

        * ``"y"``: the states it may read: its own and its state references, but those declared
          ``before_closure=False`` (read only by its closure, outputs or event functions);
        * ``"w"``: other components' signals it may read: its ports and signal references,
          but those declared ``before_closure=False``;
        * ``"w_out"``: the signals it writes: its own (output-only ones included);
        * ``"f_out"``: the rates it writes: its own states' and, for a closure declared for the
          Jacobian's structure only, the node rows its derivatives add to.

        A kernel reaches another component's arrays only through indices the network wrote into
        its record (ports, signal and state references; a port or a signal reference stands for
        the whole block of the signal it names), so these sets are complete;
        ``tests/plant/test_jacobian.py`` checks them by running each entry alone on arrays that
        hold NaN wherever the entry may neither read nor write.
        """
        block: dict[int, range] = {}
        for e in self.signals.entries.values():
            for k in range(e.start, e.start + e.size):
                block[k] = range(e.start, e.start + e.size)
        out: list[dict[str, set[int]]] = []
        for c in self.components:
            own_y: set[int] = set()
            for blk in self._own_state_blocks(c):
                e = self.states[f"{c.name}.{blk}"]
                own_y.update(range(e.start, e.start + e.size))
            reads_y = set(own_y)
            for ref, names in c.declared.state_refs:
                if ref not in c.declared.late_state_refs:
                    reads_y.update(self.states.index(x) for x in names)
            own_w: set[int] = set()
            pre = c.name + "."
            for name, e in self.signals.entries.items():
                if name.startswith(pre):
                    own_w.update(range(e.start, e.start + e.size))
            # a port or a reference stands for the whole block of the signal it names (a
            # loop reads the steam generator's heat of every tube node through one port)
            reads_w: set[int] = set()
            idx = [c.declared.record[f"IN_{port.upper()}"] for port in c.declared.ports]
            for ref, names in c.declared.signal_refs:
                if ref not in c.declared.late_signal_refs:
                    idx.extend(self.signal_lookup(x) for x in names)
            for k in idx:
                if k >= 0:
                    reads_w.update(block[k])
            f_out = set(own_y)
            if c.declared.closure is not None and c.code not in kernel.CLOSURE_CODES:
                f_out.update(self.states.index(x) for x in c.declared.closure[0])
            out.append({"y": reads_y, "w": reads_w - own_w, "w_out": own_w, "f_out": f_out})
        return out

    def _group_entries(self, groups: list[list[int]], col_rows: list[set[int]]) -> list[list[int]]:
        """For each column group, the schedule entries (in schedule order) whose early, signals
        or derivatives outputs can change when the group's columns move:

        * the owner of every signal declared to depend (transitively) on one of the columns, and
          every component reading such a signal or one of the columns (:meth:`schedule_io`);
        * every component writing a rate the columns reach (``col_rows``, before the closure);
        * with any writer of a rate, all of its writers (a rate a component adds to must be
          rebuilt from the first writer on: ``dydt[i] += ...``).

        Every other component reads nothing the columns move, so its signals and rates keep
        their values at y. (Beyond its direct inputs, a component is trusted to move only what
        its declared dependencies say, as the Jacobian's rows already do.) Output-only signals
        are not computed before the closure and move nothing.
        """
        io = self.schedule_io()
        writers: dict[int, list[int]] = {}
        for s, sio in enumerate(io):
            for i in sio["f_out"]:
                writers.setdefault(i, []).append(s)
        owner: dict[int, int] = {}
        for s, sio in enumerate(io):
            for k in sio["w_out"]:
                owner[k] = s
        outputs = self._output_entries()
        # each signal block's columns, once
        sig_cols: list[tuple[range, set[int]]] = []
        for name, e in self.signals.entries.items():
            if e.start in outputs:
                continue
            cname, blk = name.split(".", 1)
            sc = self._signal_columns(self.by_name[cname], blk, set())
            sig_cols.append((range(e.start, e.start + e.size), sc))
        subsets: list[list[int]] = []
        for group in groups:
            cols = set(group)
            moved: set[int] = set()
            for entries, sc in sig_cols:
                if sc & cols:
                    moved.update(entries)
            run = {s for s, e in enumerate(io) if e["y"] & cols or e["w"] & moved}
            run.update(owner[k] for k in moved)
            for j in group:
                for i in col_rows[j]:
                    run.update(writers[i])
            todo = list(run)
            while todo:
                s = todo.pop()
                for i in io[s]["f_out"]:
                    for s2 in writers[i]:
                        if s2 not in run:
                            run.add(s2)
                            todo.append(s2)
            subsets.append(sorted(run))
        return subsets

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


def _pack(ip: list[int], lists: Sequence[Sequence[int]]) -> tuple[int, int]:
    """Append ragged integer lists to ``ip``: their pointers (``len(lists) + 1``), then their
    entries one list after the other; returns the offsets of both."""
    at_ptr = len(ip)
    ptr = [0]
    for x in lists:
        ptr.append(ptr[-1] + len(x))
    ip.extend(ptr)
    at_data = len(ip)
    for x in lists:
        ip.extend(x)
    return at_ptr, at_data

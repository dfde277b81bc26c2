"""Components: what each part of the plant declares, and the record that wires it to the kernel.

A component is a class with two faces:

* **Python** (this module's :class:`Component`): it *declares* its states (named, with units and
  tolerances), parameters (SI, from the design object), signals (algebraic quantities, some of them
  recorded), discrete entries (modes, latches, ramps, scheduled times), input ports, event (root)
  functions and structural dependencies; it computes its parameters and a steady-state guess; and it
  handles its events (a trip firing, a bank arriving) between integrator steps.
* **Compiled**: module-level Numba functions ``signals``, ``derivatives`` and ``roots`` that read
  and write the network's flat arrays through the component's *record*: a block of ``ip`` whose
  fields (an :class:`enum.IntEnum` per component kind, the ``Field`` class attribute) hold the
  absolute offsets of everything the component declared.

Field names carry a prefix that says what they point at: ``Y_`` a state block, ``P_`` a parameter
block, ``W_`` a signal block, ``D_`` a discrete block, ``G_`` an event function, ``I_`` a block of
integer parameters (in ``ip``), ``N_`` a count (the value itself), ``IN_`` an input port (the
index of the signal it is connected to). The builder fills every field by name and refuses a
declaration without a field or a field without a declaration.

See ``docs/architecture.md`` (how to add a component) for a worked example.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from nppsim.plant.network import Network

#: Handler of an event or a scheduled time: (network, t, y, d) -> (y, d, log entries).
Handler = Callable[["Network", float, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, list]]


@dataclass
class Declared:
    """Everything one component instance declared (filled by :class:`Declarer`)."""

    record: dict[str, int] = field(default_factory=dict)  # field name -> value
    ports: dict[str, str | None] = field(default_factory=dict)  # port -> connected signal name
    params: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (entry, values)
    int_params: list[tuple[str, np.ndarray]] = field(default_factory=list)
    discrete_init: list[tuple[str, np.ndarray]] = field(default_factory=list)
    # (label, description, event index, row in its block or -1, handler name)
    roots: list[tuple[str, str, int, int, str]] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)  # discrete entries holding scheduled times
    depends: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)
    signal_depends: dict[str, tuple[str, ...]] = field(default_factory=dict)
    analytic_columns: list[str] = field(default_factory=list)
    signal_refs: list[tuple[str, list[str]]] = field(default_factory=list)
    state_refs: list[tuple[str, list[str]]] = field(default_factory=list)
    late_state_refs: set[str] = field(default_factory=set)  # not read before the closure
    late_signal_refs: set[str] = field(default_factory=set)  # not read before the closure
    optional_ports: set[str] = field(default_factory=set)
    # (node state labels, own blocks, own signals the closure writes)
    closure: tuple[list[str], tuple[str, ...], tuple[str, ...]] | None = None
    closure_passive: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    element_depends: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    outputs: set[str] = field(default_factory=set)  # output-only signals (computed for records)
    events_only: list[str] = field(default_factory=list)  # discrete entries the rhs never reads
    # own signals its event functions read (None: any)
    roots_reads: set[str] | None = field(default_factory=set)


class Declarer:
    """The declaration interface a component receives in :meth:`Component.declare`.

    Names given here are local to the component; the network prefixes them with the component's
    instance name (``"core.temp_fuel"``).
    """

    def __init__(self, net: Network, comp: Component) -> None:
        self._net = net
        self._comp = comp
        self.out = Declared()

    def _full(self, name: str) -> str:
        return f"{self._comp.name}.{name}"

    def _field(self, prefix: str, name: str, value: int) -> None:
        key = f"{prefix}{name.upper()}"
        fields = self._comp.Field.__members__
        if key not in fields:
            raise TypeError(
                f"{type(self._comp).__name__} declares {name!r} but its Field has no {key}"
            )
        if key in self.out.record:
            raise TypeError(f"{type(self._comp).__name__}: {key} declared twice")
        self.out.record[key] = value

    def state(
        self,
        name: str,
        size: int,
        unit: str,
        atol: float,
        *,
        labels: Sequence[str] | None = None,
        description: str = "",
    ) -> None:
        """A block of ``size`` states [unit] with absolute tolerance ``atol`` [unit]."""
        full = self._full(name)
        lab = [full] if size == 1 and labels is None else [f"{full}[{i}]" for i in range(size)]
        if labels is not None:
            lab = [self._full(x) for x in labels]
        e = self._net.states.add(full, size, unit, atol=atol, labels=lab, description=description)
        self._field("Y_", name, e.start)

    def param(self, name: str, values: Any, unit: str = "", description: str = "") -> None:
        """A block of real parameters [unit] (a float or a 1-D array), SI."""
        arr = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{self._full(name)}: non-finite parameter {arr}")
        e = self._net.params.add(self._full(name), arr.size, unit, description=description)
        self.out.params.append((e.name, arr))
        self._field("P_", name, e.start)

    def int_param(self, name: str, values: Any, description: str = "") -> None:
        """A block of integer parameters (indices, codes), stored in ``ip``."""
        arr = np.atleast_1d(np.asarray(values, dtype=np.int64)).ravel()
        self.out.int_params.append((self._full(name), arr))
        self._field("I_", name, -1)  # offset assigned when ``ip`` is laid out

    def signal_refs(
        self,
        name: str,
        signals: Sequence[str],
        description: str = "",
        *,
        before_closure: bool = True,
    ) -> None:
        """A block of integer parameters holding the indices of named signals of any component
        (recorded column names or ``component.signal`` labels), resolved by the network once
        every component has declared its signals (a table-driven component's inputs).
        ``before_closure=False``: as for :meth:`state_refs` (only the closure or the event
        functions read them)."""
        self.out.signal_refs.append((self._full(name), list(signals)))
        if not before_closure:
            self.out.late_signal_refs.add(self._full(name))
        self._field("I_", name, -1)

    def state_refs(
        self,
        name: str,
        states: Sequence[str],
        description: str = "",
        *,
        before_closure: bool = True,
    ) -> None:
        """A block of integer parameters holding the indices of named states of any component
        (``component.block[i]`` labels), resolved by the network (the pressurizer's list of
        primary nodes, for example).

        ``before_closure=False`` says that the early, signals and derivatives kernels never read
        these states (only the closure, the outputs or the event functions do, or the
        derivatives add to their rates): a Jacobian column group moving one of them then need
        not run the component (:meth:`Network.schedule_io`; checked by
        ``tests/plant/test_jacobian.py``).
        """
        self.out.state_refs.append((self._full(name), list(states)))
        if not before_closure:
            self.out.late_state_refs.add(self._full(name))
        self._field("I_", name, -1)

    def signal(
        self,
        name: str,
        unit: str,
        size: int = 1,
        *,
        columns: Sequence[str] | str | None = None,
        description: str = "",
        depends: Sequence[str] | None = None,
        output: bool = False,
    ) -> None:
        """An algebraic quantity [unit] computed by the component's kernels.

        ``columns`` names the recorded output column(s) (None: computed, readable by name, not
        recorded). ``depends`` lists the state blocks, single elements of blocks (``"h[0]"``,
        ``"h[-1]"`` the last) and ports (``"port:name"``) the signal depends on, for the
        Jacobian's structure (default: all the component's states and ports).
        ``output=True`` marks a quantity that no derivative needs (bookkeeping, a recorded
        figure): the component computes it in its ``outputs`` kernel, which runs only when
        signals are read or recorded, never in the integrator's right-hand side; no port may
        read it.
        """
        cols = [columns] if isinstance(columns, str) else (list(columns) if columns else None)
        e = self._net.signals.add(
            self._full(name), size, unit, columns=cols, description=description
        )
        self._field("W_", name, e.start)
        if depends is not None:
            self.out.signal_depends[name] = tuple(depends)
        if output:
            self.out.outputs.add(name)

    def discrete(
        self,
        name: str,
        init: Any,
        unit: str = "",
        *,
        description: str = "",
        scheduled: bool = False,
        rhs: bool = True,
    ) -> None:
        """A discrete entry (mode, latch, ramp, setpoint; float codes) with its initial value.

        ``scheduled=True`` marks an entry holding the time [s] of a scheduled action (``inf``:
        none); the engine stops there and calls the component's ``on_<name>`` handler.
        ``rhs=False`` marks an entry that no ``signals``, ``derivatives`` or ``closure`` kernel
        reads (a latch only the event functions and the handlers read): an event that changes
        only such entries leaves the right-hand side as it was, and the integrator goes on
        without a restart.
        """
        arr = np.atleast_1d(np.asarray(init, dtype=float)).ravel()
        e = self._net.discrete.add(self._full(name), arr.size, unit, description=description)
        self.out.discrete_init.append((e.name, arr))
        self._field("D_", name, e.start)
        if scheduled:
            self.out.breaks.append(name)
        if not rhs:
            self.out.events_only.append(name)

    def count(self, name: str, value: int) -> None:
        """An integer stored in the record itself (a number of groups, nodes, banks)."""
        self._field("N_", name, int(value))

    def port(self, name: str, connect: str | None = None, *, optional: bool = False) -> None:
        """An input port: the index of another component's signal, connected by the network.
        An optional port left unconnected holds -1 (the kernel reads it as zero)."""
        self.out.ports[name] = connect
        if optional:
            self.out.optional_ports.add(name)
        self._field("IN_", name, -1)

    def root(self, name: str, description: str = "") -> None:
        """An event function ``g``: the event fires when ``g`` crosses zero upwards; the
        component's ``on_<name>`` method handles it."""
        k = self._net.n_roots
        self._net.n_roots += 1
        self.out.roots.append((name, description, k, -1, name))
        self._field("G_", name, k)

    def roots(
        self,
        name: str,
        names: Sequence[str],
        description: str = "",
        *,
        reads: Sequence[str] | None = None,
    ) -> None:
        """A block of event functions (one per name, e.g. the rows of a table); the
        component's ``on_<name>`` method handles them, with the row index.

        ``reads`` names the component's own signals the event functions read (besides its ports
        and signal references); None: any of them. A component whose closure writes signals
        (``closure(outputs=...)``) and whose event functions read none of them lets the kernel
        evaluate the event functions without the rates (see :func:`nppsim.plant.kernel.roots`).
        """
        if reads is None:
            self.out.roots_reads = None
        elif self.out.roots_reads is not None:
            self.out.roots_reads |= set(reads)
        k = self._net.n_roots
        self._net.n_roots += len(names)
        for j, nm in enumerate(names):
            self.out.roots.append((f"{name}[{nm}]", description, k + j, j, name))
        self._field("G_", name, k)

    def depends(self, rows: str, on: Sequence[str], *, diagonal: bool = False) -> None:
        """Structural dependency: the derivatives of state block ``rows`` read ``on`` (state
        blocks of this component, or ``"port:name"``). ``diagonal=True`` for a block that reads
        only its own element of an equally sized block."""
        self.out.depends.append((rows, tuple(on), diagonal))

    def element_depends(self, rows: str, per_element: Sequence[Sequence[str]]) -> None:
        """Structural dependency element by element: element i of state block ``rows`` reads the
        states ``per_element[i]`` (state labels or block names), in addition to what
        :meth:`depends` declares for the whole block (a sparse block: a transport chain)."""
        self.out.element_depends.append((rows, [list(x) for x in per_element]))

    def closure(
        self,
        node_states: Sequence[str],
        own: Sequence[str],
        outputs: Sequence[str] = (),
        *,
        passive: Sequence[str] = (),
        passive_on: Sequence[str] = (),
    ) -> None:
        """The component's closure phase reads and corrects the rates of ``node_states``
        (labels of other components' states) and sets the rates of its own blocks ``own``; it
        writes its signals ``outputs`` (which nothing before the closure may read).

        ``passive`` rows (state labels or block names) are corrected (or, for the component's
        own blocks, set) by the closure too but read by nothing in it (concentrations carried by
        the surge): they depend on whatever the closure depends on and on the ``passive_on``
        columns (state labels, block names or ``"port:name"``), without coupling back.

        For the Jacobian the kernel differentiates the closure by the chain rule: the columns of
        the rates before the closure (finite differences over column groups), then the closure
        itself, once per column that reaches its inputs (the node rates, the component's states
        and signals, its ports and signal references): a closure that couples every node through
        one scalar (the surge) then costs one cheap call per column, not a column group each.
        """
        self.out.closure = (list(node_states), tuple(own), tuple(outputs))
        self.out.closure_passive = (list(passive), list(passive_on))

    def analytic_columns(self, block: str) -> None:
        """Columns of state block ``block`` are filled by the component's analytic Jacobian
        kernel instead of finite differences."""
        self.out.analytic_columns.append(block)


class Component:
    """Base class of every plant component (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name, unique in the network (``"core"``, ``"pump1"``).
    """

    kind: ClassVar[str] = ""
    #: the kind's code in the compiled dispatch (:mod:`nppsim.plant.kernel`)
    code: ClassVar[int] = -1
    #: the record layout of the kind (an IntEnum whose members are the record's fields)
    Field: ClassVar[type[IntEnum]]

    def __init__(self, name: str) -> None:
        self.name = name
        self._declared: Declared | None = None
        self.record_offset = -1

    @property
    def declared(self) -> Declared:
        """What the component declared (set by the network that assembles it)."""
        if self._declared is None:
            raise RuntimeError(f"{self!r} has not been assembled into a network")
        return self._declared

    @declared.setter
    def declared(self, value: Declared) -> None:
        self._declared = value

    # -- to implement ----------------------------------------------------------------------
    def declare(self, b: Declarer) -> None:
        """Declare states, parameters, signals, discrete entries, ports and events."""
        raise NotImplementedError

    # -- helpers for subclasses ------------------------------------------------------------
    def rec(self, key: str) -> int:
        """Value of a record field (an absolute offset, a count or a connected signal index)."""
        return self.declared.record[key]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

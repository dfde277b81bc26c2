"""Named flat vectors: states, parameters, discrete entries, signals.

The compiled kernel works on flat ``float64`` arrays; every entry of each of them has a name here
(as Cantera's ``component_name``), a unit and, for states, an absolute tolerance. Components
declare their entries (see :mod:`nppsim.plant.component`); the network assigns offsets. Nothing is
matched by position across two lists: a recorded column, a tolerance or a setpoint is always found
by its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Entry:
    """One named block of a flat vector.

    Attributes
    ----------
    name : str
        Block name, ``"<component>.<name>"`` (``"core.temp_fuel"``).
    start, size : int
        Offset and length in the vector.
    unit : str
        Unit of every element (SI).
    labels : list of str
        Name of each element (``"core.temp_fuel[0]"``, or the block name when ``size == 1``).
    atol : float
        Absolute integration tolerance of each element (states only).
    description : str
        What the entry is.
    columns : list of str or None
        Recorded output column of each element (signals only; None: not recorded).
    """

    name: str
    start: int
    size: int
    unit: str
    labels: list[str]
    atol: float = 0.0
    description: str = ""
    columns: list[str] | None = None

    @property
    def slice(self) -> slice:
        return slice(self.start, self.start + self.size)


@dataclass
class Registry:
    """An ordered set of named blocks of one flat vector."""

    kind: str
    entries: dict[str, Entry] = field(default_factory=dict)
    size: int = 0

    def add(
        self,
        name: str,
        size: int,
        unit: str,
        *,
        atol: float = 0.0,
        labels: list[str] | None = None,
        description: str = "",
        columns: list[str] | None = None,
    ) -> Entry:
        """Append a block of ``size`` elements called ``name``; return its entry."""
        if name in self.entries:
            raise ValueError(f"{self.kind} {name!r} declared twice")
        if size < 0:
            raise ValueError(f"{self.kind} {name!r}: negative size")
        if labels is None:
            labels = [name] if size == 1 else [f"{name}[{i}]" for i in range(size)]
        if len(labels) != size or (columns is not None and len(columns) != size):
            raise ValueError(f"{self.kind} {name!r}: labels or columns do not match its size")
        e = Entry(name, self.size, size, unit, labels, atol, description, columns)
        self.entries[name] = e
        self.size += size
        return e

    def __getitem__(self, name: str) -> Entry:
        try:
            return self.entries[name]
        except KeyError:
            raise KeyError(f"no {self.kind} named {name!r}") from None

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def labels(self) -> list[str]:
        """Name of every element, in order."""
        out: list[str] = []
        for e in self.entries.values():
            out.extend(e.labels)
        return out

    def units(self) -> list[str]:
        """Unit of every element, in order."""
        out: list[str] = []
        for e in self.entries.values():
            out.extend([e.unit] * e.size)
        return out

    def atol(self) -> np.ndarray:
        """Absolute tolerance of every element, in order."""
        out = np.empty(self.size)
        for e in self.entries.values():
            out[e.slice] = e.atol
        return out

    def index(self, label: str) -> int:
        """Index of one element by its label (``"core.n"``, ``"core.temp_fuel[2]"``)."""
        name, _, rest = label.partition("[")
        e = self[name]
        if not rest:
            if e.size != 1:
                raise KeyError(f"{self.kind} {name!r} has {e.size} elements: give an index")
            return e.start
        if label in e.labels:
            return e.start + e.labels.index(label)
        try:
            i = int(rest.rstrip("]"))
        except ValueError:
            raise KeyError(f"no {self.kind} labelled {label!r}") from None
        if not 0 <= i < e.size:
            raise KeyError(f"{self.kind} {name!r} has {e.size} elements: index {i} out of range")
        return e.start + i

    def columns(self) -> list[tuple[str, int, str]]:
        """Recorded columns: (column name, element index, unit), in order."""
        out = []
        for e in self.entries.values():
            if e.columns is not None:
                for k, c in enumerate(e.columns):
                    out.append((c, e.start + k, e.unit))
        return out

"""Named state vectors.

Every entry of a plant's state vector has a name, a unit and an absolute tolerance, so that results,
tolerances and step limits are addressed by name (as Cantera's ``component_name``), never by index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class StateLayout:
    """An ordered set of named state blocks.

    Blocks are added with :meth:`add`; each block is a contiguous slice of the state vector.
    """

    names: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    atol: list[float] = field(default_factory=list)
    blocks: dict[str, slice] = field(default_factory=dict)

    def add(self, block: str, size: int, unit: str, atol: float, labels: list[str] | None = None):
        """Append a block of ``size`` states named ``block`` (``block[i]`` when size > 1)."""
        start = len(self.names)
        if labels is None:
            labels = [block] if size == 1 else [f"{block}[{i}]" for i in range(size)]
        self.names.extend(labels)
        self.units.extend([unit] * size)
        self.atol.extend([atol] * size)
        self.blocks[block] = slice(start, start + size)
        return self.blocks[block]

    @property
    def size(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        """Index of a single named state."""
        return self.names.index(name)

    def atol_array(self) -> np.ndarray:
        return np.asarray(self.atol, dtype=float)

    def describe(self) -> list[tuple[str, str]]:
        """(name, unit) of every state, in order."""
        return list(zip(self.names, self.units, strict=True))

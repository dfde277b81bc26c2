"""A model: a design assembled into a network, with its steady states and what actions need.

:class:`Model` is what the engine simulates and what actions act on. It is built from a design
object only (never re-reading files), so a design changed in memory
(``design.with_overrides(...)``) is exactly what runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.plant import assemble
from nppsim.plant.components.core import Core, ramp_value
from nppsim.plant.components.protection import Protection
from nppsim.plant.components.rod_control import AUTO, MANUAL, TRIPPED, RodControl
from nppsim.plant.network import Network

_ROD_MODES = {AUTO: "auto", MANUAL: "manual", TRIPPED: "tripped"}


class DesignView:
    """What input checks need to know of a design as a model, without building it.

    Parameters
    ----------
    design : Design
        The design object.
    kind : {"core", "plant"}
        The model it is checked for.
    """

    def __init__(self, design: Design, kind: str = "core") -> None:
        self.design = design
        self.kind = kind

    @property
    def bank_names(self) -> list[str]:
        """Names of the control-rod banks."""
        return [b.name for b in self.design.rods.banks]

    def count(self, what: str) -> int:
        """How many pumps, steam generators or feed pumps the design has."""
        if what in ("pump", "sg"):
            return int(self.design.primary.loops) if self.design.primary else 0
        if what == "feed_pump":
            return 2
        raise KeyError(what)

    def check_index(self, what: str, k: int, field: str, file: str | None) -> None:
        """Refuse a pump, steam generator or feed-pump number the design does not have."""
        n = self.count(what)
        names = {"pump": "pumps", "sg": "steam generators", "feed_pump": "feed pumps"}[what]
        if not 1 <= k <= n:
            raise InputError(file, field, k, f"{self.design.name} has {n} {names}: 1 to {n}")

    def setpoint_range(self, controller: str) -> tuple[float, float, str]:
        """Range the design allows for an operator setpoint (SI) and its unit."""
        from nppsim.plant.plant import PlantModel

        return PlantModel.setpoint_range_of(self.design, controller)

    def refine_description(self, desc: dict[str, Any]) -> None:
        """Put the design's own ranges and choices into an action's description."""
        for f in desc["fields"]:
            if desc["kind"] == "bank" and f["name"] == "bank":
                f["choices"] = list(self.bank_names)
            if f["name"] in ("pump", "sg") or (
                desc["kind"] == "feedwater_pump_trip" and f["name"] == "count"
            ):
                what = "feed_pump" if f["name"] == "count" else f["name"]
                f["min_si"], f["max_si"] = 1, self.count(what)
                f["range"] = f"1 to {self.count(what)}"


class Model(DesignView):
    """A design as a simulated system.

    Parameters
    ----------
    design : Design
        The design object (read once; overrides applied in memory).
    kind : {"core", "plant"}
        The core alone with prescribed boundary conditions, or the whole plant.
    """

    def __init__(self, design: Design, kind: str = "core") -> None:
        super().__init__(design, kind)
        if kind == "core":
            self.net: Network = assemble.core_network(design)
        else:
            raise ValueError(f"unknown model kind {kind!r}")
        by = self.net.by_name
        self.core: Core = by["core"]  # type: ignore[assignment]
        self.protection: Protection = by["protection"]  # type: ignore[assignment]
        self.rods: RodControl = by["rods"]  # type: ignore[assignment]
        self.boron: Any = by["boron"]
        self.boundary: Any = by.get("boundary")

    # -- steady state ------------------------------------------------------------------------
    def steady_state(
        self, power: float, critical: str = "boron", **kw: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        """State and discrete state at rest at relative power ``power`` (see
        :func:`nppsim.plant.assemble.core_steady_state`)."""
        return assemble.core_steady_state(self.net, power, critical, **kw)

    # -- helpers for actions -----------------------------------------------------------------
    def rods_mode(self, d: np.ndarray) -> str:
        """Rod control mode: "auto", "manual" or "tripped"."""
        return _ROD_MODES[float(d[self.net.d_index(f"{self.rods.name}.mode")])]

    def set_rods_mode(self, d: np.ndarray, mode: str) -> None:
        code = {"auto": AUTO, "manual": MANUAL, "tripped": TRIPPED}[mode]
        d[self.net.d_index(f"{self.rods.name}.mode")] = code

    def power_setpoint(self, d: np.ndarray, t: float) -> float:
        """The power setpoint at ``t`` [1]."""
        return float(ramp_value(d, self.net.discrete[f"{self.rods.name}.setpoint"].start, t))

    def on_power_setpoint(self, d: np.ndarray) -> None:
        """A power setpoint was given: the rods follow power (not the steam pressure)."""
        d[self.net.d_index(f"{self.rods.name}.error_mode")] = 0.0

    def ramp_external(self, d: np.ndarray, t: float, delta: float, duration: float) -> None:
        """Add ``delta`` to the external reactivity, at once or over ``duration`` [s]."""
        net, c = self.net, self.core.name
        k = net.discrete[f"{c}.rho_external"].start
        v = float(ramp_value(d, k, t))
        d[k : k + 4] = (t, v, t + duration, v + delta)
        d[net.d_index(f"{c}.rho_external_end")] = t + duration if duration > 0 else np.inf

    def set_turbine_mode(self, t: float, y: np.ndarray, d: np.ndarray, mode: str) -> Any:
        raise NotImplementedError("the core model has no turbine")

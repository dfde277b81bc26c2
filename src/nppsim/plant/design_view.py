"""What input checks need to know of a design as a model, without building it.

Kept apart from :mod:`nppsim.plant.model` so that checking a scenario file (and listing the
built-in scenarios) does not import the compiled kernel.
"""

from __future__ import annotations

from typing import Any

from nppsim.designs import Design
from nppsim.errors import InputError


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
        from nppsim.plant.dynamics import core_design

        return [b.name for b in core_design(self.design).rods.banks]

    def count(self, what: str) -> int:
        """How many pumps, steam generators or feed pumps the design has."""
        if what in ("pump", "sg"):
            return int(self.design.primary.loops) if self.design.primary else 0
        if what == "feed_pump":
            return int(self.design.turbine.feed_pumps) if self.design.turbine else 0
        raise KeyError(what)

    def check_index(self, what: str, k: int, field: str, file: str | None) -> None:
        """Refuse a pump, steam generator or feed-pump number the design does not have."""
        n = self.count(what)
        names = {"pump": "pumps", "sg": "steam generators", "feed_pump": "feed pumps"}[what]
        if not 1 <= k <= n:
            raise InputError(file, field, k, f"{self.design.name} has {n} {names}: 1 to {n}")

    def setpoint_range(self, controller: str) -> tuple[float, float, str]:
        """Range the design allows for an operator setpoint (SI) and its unit.

        Primary pressure between the low- and high-pressure trips; steam (header) pressure
        between the low-steam-pressure trip and the BRU-K opening; SG level between the low-level
        trip and the top of the shell less 0.5 m; pressurizer level between the low-level trip
        and the top of the vessel less 1 m.
        """
        from nppsim.designs.plant_sections import plant_sections

        ps = plant_sections(self.design)
        pr, sd = ps.protection, ps.control.steam_dump
        if getattr(ps.primary, "layout", "loop") == "integral":
            refused = {
                "primary_pressure": "its gas pressurizer has no pressure controller",
                "sg_level": "its once-through steam generators have no level",
            }
            if controller in refused:
                raise InputError(
                    self.design.path or None,
                    "controller",
                    controller,
                    f"not on {self.design.name}: {refused[controller]}",
                )
        if controller == "primary_pressure":
            return pr.low_primary_pressure.si, pr.high_primary_pressure.si, "Pa"
        if controller == "steam_pressure":
            return pr.low_steam_pressure.si, sd.bru_k_pressure.si, "Pa"
        if controller == "sg_level":
            return pr.low_sg_level.si, ps.steam_generators.vessel_inner_diameter.si - 0.5, "m"
        if controller == "pressurizer_level":
            return pr.low_pressurizer_level.si, ps.pressurizer.height - 1.0, "m"
        raise InputError(
            None,
            "controller",
            controller,
            "primary_pressure, steam_pressure, sg_level, pressurizer_level",
        )

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

"""Design-file sections of an integral PWR (steam generators and pumps inside the reactor vessel).

A design with ``[primary] layout = "integral"`` (RITM-200N) has, in place of the loop plant's
horizontal steam generators and steam pressurizer:

``[steam_generators] type = "once_through"``
    once-through steam generators (:class:`OnceThroughSteamGenerators`): feedwater enters the
    tubes, boils and leaves superheated; no drum, no level. Heat transfer per node scales with
    the secondary regime (economiser, boiling, superheating).
``[pressurizer] type = "gas"``
    a gas pressurizer (:class:`GasPressurizer`): nitrogen in vessels connected to the primary
    circuit sets the pressure by its compression; no heaters, no spray.
``[pumps] type = "canned"``
    canned-motor pumps (the motor's and bearings' losses go into the primary water).

and its own control sub-tables ``[control.pressurizer]`` (level by make-up,
:class:`GasPressurizerControl`) and ``[control.steam_generators]`` (feed flow by the steam
temperature, :class:`OnceThroughFeedControl`) and its own protection table
(:class:`IntegralProtection`). :func:`integral_sections` validates them together, as
:func:`nppsim.designs.plant_sections.plant_sections` does for a loop plant.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from nppsim.designs import Q, _Section, format_validation_error
from nppsim.designs.plant_sections import (
    PowerReductionSpec,
    Primary,
    Pumps,
    SteamDumpControl,
    TripSpec,
    Turbine,
    TurbineControl,
)
from nppsim.errors import InputError

__all__ = [
    "GasPressurizer",
    "GasPressurizerControl",
    "IntegralProtection",
    "IntegralSections",
    "OnceThroughFeedControl",
    "OnceThroughSteamGenerators",
    "integral_sections",
]


class OnceThroughSteamGenerators(_Section):
    """Once-through steam generators: design point, geometry, heat-transfer regimes."""

    type: Literal["once_through"]
    count: int = Field(ge=1, le=16)
    thermal_power: Q(1e5, 2e9, "W")
    steam_flow: Q(0.1, 2000.0, "kg/s")
    steam_pressure: Q(0.5e6, 15e6, "Pa")
    steam_temperature: Q(373.15, 700.0, "K")
    feedwater_temperature: Q(273.15, 600.0, "K")
    primary_inlet_temperature: Q(400.0, 640.0, "K")
    primary_outlet_temperature: Q(400.0, 640.0, "K")
    heat_transfer_area: Q(1.0, 5e4, "m2")
    tube_count: Q(1.0, 5e4, "1")
    tube_outer_diameter: Q(5e-3, 50e-3, "m")
    tube_wall_thickness: Q(0.3e-3, 5e-3, "m")
    primary_volume: Q(0.01, 100.0, "m3")
    secondary_volume: Q(0.01, 100.0, "m3")
    nodes: int = Field(10, ge=3, le=40)
    liquid_ua_factor: Q(0.05, 2.0, "1")
    vapour_ua_factor: Q(0.02, 2.0, "1")
    primary_resistance_share: Q(0.0, 1.0, "1")
    steam_line_pressure_drop: Q(0.0, 2e6, "Pa")
    outlet_volume: Q(0.01, 500.0, "m3")

    @model_validator(mode="after")
    def _consistent(self) -> OnceThroughSteamGenerators:
        if not self.primary_inlet_temperature.si > self.primary_outlet_temperature.si:
            raise ValueError("steam_generators: primary inlet must be hotter than outlet")
        if not self.primary_inlet_temperature.si > self.steam_temperature.si:
            raise ValueError("steam_generators: steam_temperature must be below the primary inlet")
        if not self.feedwater_temperature.si < self.primary_outlet_temperature.si:
            raise ValueError("steam_generators: feedwater must be colder than the primary outlet")
        return self

    @property
    def tube_inner_diameter(self) -> float:
        """Tube inner diameter [m]."""
        return self.tube_outer_diameter.si - 2.0 * self.tube_wall_thickness.si

    @property
    def tube_length(self) -> float:
        """Mean tube length from area, count and outer diameter [m]."""
        return self.heat_transfer_area.si / (
            self.tube_count.si * math.pi * self.tube_outer_diameter.si
        )


class GasPressurizer(_Section):
    """Gas (nitrogen) pressurizer vessels connected to the primary circuit."""

    type: Literal["gas"]
    total_volume: Q(0.1, 100.0, "m3")
    inner_diameter: Q(0.1, 6.0, "m")
    nominal_water_volume: Q(0.01, 100.0, "m3")
    gas_temperature: Q(273.15, 620.0, "K")
    heat_capacity_ratio: Q(1.0, 1.7, "1")
    gas_time_constant: Q(1.0, 1e5, "s")

    @model_validator(mode="after")
    def _consistent(self) -> GasPressurizer:
        if (
            not 0.05 * self.total_volume.si
            < self.nominal_water_volume.si
            < (0.95 * self.total_volume.si)
        ):
            raise ValueError(
                "pressurizer.nominal_water_volume must lie between 5 % and 95 % of total_volume"
            )
        return self

    @property
    def height(self) -> float:
        """Height of the equivalent cylinder (level coordinate range) [m]."""
        return self.total_volume.si / (math.pi * self.inner_diameter.si**2 / 4.0)


class GasPressurizerControl(_Section):
    """Level of the gas pressurizer by make-up against let-down (the pressure follows the gas)."""

    level_setpoint_zero_power: Q(0.0, 20.0, "m")
    level_setpoint_full_power: Q(0.0, 20.0, "m")
    level_band: Q(0.01, 10.0, "m")
    level_integral_time: Q(1.0, 1e5, "s")
    makeup_max_flow: Q(0.0, 200.0, "kg/s")
    letdown_flow: Q(0.0, 200.0, "kg/s")


class OnceThroughFeedControl(_Section):
    """Feed flow of each once-through steam generator: its share of the core's power over the
    design enthalpy rise (feed-forward), corrected by a PI on the steam outlet temperature (the
    steam temperature aimed at falls with the primary at part load, but keeps a minimum
    superheat) or, with ``average_temperature_slope``, on the primary average temperature while
    the reactor is under automatic control (:mod:`nppsim.plant.components.once_through_sg`)."""

    temperature_band: Q(0.1, 200.0, "K")
    integral_time: Q(1.0, 1e4, "s")
    minimum_superheat: Q(0.0, 100.0, "K")
    heat_feedforward: Q(0.0, 1.5, "1")
    valve_time_constant: Q(0.0, 100.0, "s")
    # optional: the primary average-temperature programme. When given, while the rods are in
    # automatic the feed is trimmed on the flow path's average temperature (its full-power
    # value less this slope times the power shortfall), not on the steam temperature
    average_temperature_slope: Q(0.0, 100.0, "K") | None = None


class IntegralProtection(_Section):
    """Reactor trip setpoints and tables of an integral plant (its own table: no SG levels)."""

    high_flux: Q(0.5, 1.5, "1")
    short_period: Q(1.0, 100.0, "s")
    high_primary_pressure: Q(5e6, 22e6, "Pa")
    low_primary_pressure: Q(1e6, 20e6, "Pa")
    low_pressurizer_level: Q(0.0, 20.0, "m")
    high_outlet_temperature: Q(400.0, 640.0, "K")
    pumps_lost_for_trip: int = Field(ge=1, le=8)
    high_steam_pressure: Q(0.5e6, 15e6, "Pa")
    low_steam_pressure: Q(0.1e6, 15e6, "Pa")
    low_subcooling_margin: Q(0.0, 100.0, "K")
    low_pressure_trip_power: Q(0.0, 1.0, "1")
    trips: list[TripSpec] = Field(min_length=1)
    power_reductions: list[PowerReductionSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> IntegralProtection:
        if self.low_primary_pressure.si >= self.high_primary_pressure.si:
            raise ValueError("protection.low_primary_pressure must be below high_primary_pressure")
        if self.low_steam_pressure.si >= self.high_steam_pressure.si:
            raise ValueError("protection.low_steam_pressure must be below high_steam_pressure")
        return self


class IntegralControl(_Section):
    """Plant sub-tables of ``[control]`` for an integral plant."""

    pressurizer: GasPressurizerControl
    steam_generators: OnceThroughFeedControl
    turbine: TurbineControl
    steam_dump: SteamDumpControl


class IntegralSections(_Section):
    """All plant sections of an integral design, with the checks that span sections."""

    primary: Primary
    pumps: Pumps
    pressurizer: GasPressurizer
    steam_generators: OnceThroughSteamGenerators
    turbine: Turbine
    protection: IntegralProtection
    control: IntegralControl
    path: str = ""

    @model_validator(mode="after")
    def _across(self) -> IntegralSections:
        n = self.primary.loops
        if self.pumps.count != n or self.steam_generators.count != n:
            raise ValueError(
                f"primary.loops = {n}, pumps.count = {self.pumps.count} and "
                f"steam_generators.count = {self.steam_generators.count} must be equal "
                "(the integral layout has one flow path per steam generator and pump)"
            )
        for name in ("surge_line_loop", "makeup_loop"):
            if not 1 <= getattr(self.primary, name) <= n:
                raise ValueError(f"primary.{name} must be a path number 1 to {n}")
        h = self.pressurizer.height
        for name in ("level_setpoint_zero_power", "level_setpoint_full_power"):
            if not 0.0 < getattr(self.control.pressurizer, name).si < h:
                raise ValueError(f"control.pressurizer.{name} must lie within 0..{h:.2f} m")
        if not 0.0 < self.protection.low_pressurizer_level.si < h:
            raise ValueError(f"protection.low_pressurizer_level must lie within 0..{h:.2f} m")
        sd = self.control.steam_dump
        if (
            not sd.bru_k_pressure.si
            < sd.bru_a_pressure.si
            < self.turbine.sg_safety_open_pressure.si
        ):
            raise ValueError(
                "control.steam_dump: BRU-K must open before BRU-A, BRU-A before the safety valves"
            )
        return self


def integral_sections(design: Any) -> IntegralSections:
    """The plant sections of an integral design object (overrides included), checked together.

    Raises :class:`InputError` naming the design file when a section is missing or
    inconsistent.
    """
    ctl = design.control
    missing = [
        s
        for s in ("primary", "pumps", "pressurizer", "steam_generators", "turbine", "protection")
        if getattr(design, s, None) is None
    ]
    if ctl is None or any(
        getattr(ctl, s, None) is None
        for s in ("pressurizer", "steam_generators", "turbine", "steam_dump")
    ):
        missing.append("control.*")
    if missing:
        raise InputError(
            design.path or None,
            "design",
            design.name,
            "this integral design lacks plant sections: " + ", ".join(missing),
        )
    try:
        return IntegralSections.model_validate(
            {
                "primary": design.primary,
                "pumps": design.pumps,
                "pressurizer": design.pressurizer,
                "steam_generators": design.steam_generators,
                "turbine": design.turbine,
                "protection": design.protection,
                "control": {
                    "pressurizer": ctl.pressurizer,
                    "steam_generators": ctl.steam_generators,
                    "turbine": ctl.turbine,
                    "steam_dump": ctl.steam_dump,
                },
                "path": design.path,
            }
        )
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(design.path or None, field, value, msg) from None

"""Design-file sections of the plant beyond the core: loops, pumps, pressurizer, steam side, I&C.

Sections (each a TOML table of quantities, every value with unit, source and confidence):

``[primary]``, ``[pumps]``, ``[pressurizer]``, ``[steam_generators]``, ``[turbine]``,
``[emergency_feedwater]``, ``[protection]`` and ``[control]`` (with sub-tables
``[control.pressurizer]``, ``[control.steam_generators]``, ``[control.turbine]``,
``[control.steam_dump]``, ``[control.arm]``, ``[control.power_limitation]``).

:class:`PlantProtection` is a superset of :class:`nppsim.designs.Protection` (same names and
ranges for ``high_flux`` and ``short_period``), so that a design file can carry one ``[protection]``
table. :class:`PlantControl` holds only sub-tables, so that it can sit beside the core controller's
keys in one ``[control]`` table.

Controller gains are written as proportional *bands* (the error, in the measured quantity's unit,
that moves the actuator over its full range) and integral times [s]: physical units the unit table
knows, and what plant documents state.

The Bushehr 1 data are in the plant sections of ``vver1000-v446.toml``; :func:`load_plant_sections`
validates such a file. The helpers ``pump_rating``, ``pump_curves`` and
``steam_generator_geometry`` build the parameter objects of :mod:`nppsim.physics`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationError, model_validator

from nppsim.designs import (
    CoreControl,
    Q,
    Quantity,
    _Section,
    check_bounds,
    format_validation_error,
    read_toml,
)
from nppsim.errors import InputError

if TYPE_CHECKING:  # imported where used: reading a design must not load Numba or CoolProp
    from nppsim.physics.pump import PumpCurves, PumpRating
    from nppsim.physics.steam_generator import SteamGeneratorGeometry

__all__ = [
    "ArmControl",
    "BoronSystem",
    "Electrical",
    "EmergencyCooling",
    "EmergencyFeedwater",
    "PlantControl",
    "PlantProtection",
    "PlantSections",
    "PowerLimitation",
    "Pressurizer",
    "Primary",
    "Pumps",
    "SteamGenerators",
    "Turbine",
    "load_plant_sections",
]


class Primary(_Section):
    """Reactor coolant system outside the core: loops, volumes, resistances, elevations."""

    loops: int = Field(ge=1, le=8)
    loop_flow: Q(10.0, 2e4, "kg/s")
    vessel_pressure_drop: Q(1e4, 2e6, "Pa")
    downcomer_volume: Q(1.0, 200.0, "m3")
    lower_plenum_volume: Q(1.0, 200.0, "m3")
    upper_plenum_volume: Q(1.0, 200.0, "m3")
    hot_leg_length: Q(1.0, 100.0, "m")
    hot_leg_inner_diameter: Q(0.1, 2.0, "m")
    cold_leg_length: Q(1.0, 100.0, "m")
    cold_leg_inner_diameter: Q(0.1, 2.0, "m")
    pump_volume: Q(0.0, 50.0, "m3")
    sg_collector_volume: Q(0.0, 50.0, "m3")
    vessel_path_length: Q(1.0, 50.0, "m")
    vessel_flow_area: Q(0.1, 50.0, "m2")
    sg_thermal_centre_height: Q(-10.0, 40.0, "m")
    # topology: where the pressurizer's surge line, the spray line and the make-up and let-down
    # lines connect (loop numbers, 1-based)
    surge_line_loop: int = Field(ge=1, le=8)
    # "loop": loops of piping outside the vessel; "integral": steam generators and pumps inside
    # the vessel, one flow path per steam generator (nppsim.designs.integral_sections)
    layout: Literal["loop", "integral"] = "loop"
    spray_loop: int = Field(ge=1, le=8)
    makeup_loop: int = Field(ge=1, le=8)


class Pumps(_Section):
    """Reactor coolant pumps (one per loop) and their induction motors."""

    count: int = Field(ge=1, le=8)
    rated_flow: Q(0.1, 20.0, "m3/s")
    rated_pressure_rise: Q(1e4, 5e6, "Pa")
    rated_density: Q(100.0, 1100.0, "kg/m3")
    rated_speed: Q(10.0, 400.0, "rad/s")
    synchronous_speed: Q(10.0, 400.0, "rad/s")
    efficiency: Q(0.3, 0.95, "1")
    inertia: Q(0.1, 1e5, "kg m2")  # canned pumps have no flywheel
    head_shutoff: Q(1.0, 2.0, "1")
    head_locked_forward: Q(0.0, 3.0, "1")
    head_locked_reverse: Q(0.0, 10.0, "1")
    torque_shutoff: Q(0.1, 1.5, "1")
    torque_locked: Q(-2.0, 0.0, "1")
    friction_fraction: Q(0.0, 0.2, "1")
    motor_rated_power: Q(1e5, 5e7, "W")
    motor_breakdown_ratio: Q(1.1, 4.0, "1")
    anti_reverse: bool = True
    # "canned": a canned-motor pump, whose friction and motor losses heat the primary water
    type: Literal["induction", "canned"] = "induction"

    @model_validator(mode="after")
    def _speeds(self) -> Pumps:
        if not self.rated_speed.si < self.synchronous_speed.si:
            raise ValueError("pumps.rated_speed must be below synchronous_speed (induction motor)")
        return self

    def pump_rating(self) -> PumpRating:
        """Rated point as a :class:`nppsim.physics.pump.PumpRating` (SI)."""
        from nppsim.physics.pump import PumpRating

        return PumpRating(
            flow=self.rated_flow.si,
            pressure_rise=self.rated_pressure_rise.si,
            speed=self.rated_speed.si,
            efficiency=self.efficiency.si,
            density=self.rated_density.si,
        )

    def pump_curves(self) -> PumpCurves:
        """Homologous curve coefficients as a :class:`nppsim.physics.pump.PumpCurves`."""
        from nppsim.physics.pump import PumpCurves

        return PumpCurves(
            head_shutoff=self.head_shutoff.si,
            head_locked_forward=self.head_locked_forward.si,
            head_locked_reverse=self.head_locked_reverse.si,
            torque_shutoff=self.torque_shutoff.si,
            torque_locked=self.torque_locked.si,
        )

    @property
    def rated_slip(self) -> float:
        """Motor slip at the rated speed [1]."""
        return 1.0 - self.rated_speed.si / self.synchronous_speed.si

    @property
    def motor_breakdown_torque(self) -> float:
        """Maximum motor torque: breakdown ratio times motor rated torque at rated speed [N m]."""
        return self.motor_breakdown_ratio.si * self.motor_rated_power.si / self.rated_speed.si


class Pressurizer(_Section):
    """Pressurizer vessel, heaters, spray and relief/safety valves, and the two-region model.

    ``model`` chooses the pressurizer model: ``"two_region"`` (liquid and vapour out of
    equilibrium, :mod:`nppsim.physics.pressurizer_nonequilibrium`; default) or ``"equilibrium"``
    (saturated contents, :mod:`nppsim.physics.pressurizer`). The vessel is a cylinder of
    ``inner_diameter`` with two semi-ellipsoidal heads of ``head_depth`` (0: flat ends); levels
    are measured from its inner bottom, the zero of the level gauge.
    """

    type: Literal["steam"] = "steam"
    model: Literal["two_region", "equilibrium"] = "two_region"
    total_volume: Q(1.0, 200.0, "m3")
    inner_diameter: Q(0.5, 6.0, "m")
    head_depth: Q(0.0, 3.0, "m")
    nominal_water_volume: Q(0.5, 200.0, "m3")
    heater_power: Q(0.0, 1e7, "W")
    heater_proportional_power: Q(0.0, 1e7, "W")
    heater_time_constant: Q(0.0, 600.0, "s")
    heat_loss: Q(0.0, 1e6, "W")
    heat_loss_wall_share: Q(0.0, 1.0, "1")
    spray_max_flow: Q(0.0, 500.0, "kg/s")
    spray_dp_rated: Q(1e4, 2e6, "Pa")
    spray_efficiency: Q(0.0, 1.0, "1")
    relief_open_pressure: Q(10e6, 22e6, "Pa")
    relief_close_pressure: Q(10e6, 22e6, "Pa")
    relief_capacity: Q(0.0, 500.0, "kg/s")
    safety_open_pressure: Q(10e6, 22e6, "Pa")
    safety_close_pressure: Q(10e6, 22e6, "Pa")
    safety_capacity: Q(0.0, 1000.0, "kg/s")
    bubble_rise_time: Q(0.1, 600.0, "s")
    rain_out_time: Q(0.1, 600.0, "s")
    interface_htc_liquid: Q(0.0, 1e6, "W/m2/K")
    interface_htc_vapour: Q(0.0, 1e6, "W/m2/K")
    wall_area: Q(0.1, 1000.0, "m2")
    wall_heat_capacity: Q(1e3, 1e10, "J/K")
    wall_condensation_htc: Q(0.0, 1e6, "W/m2/K")
    wall_convection_htc: Q(0.0, 1e6, "W/m2/K")

    @model_validator(mode="after")
    def _consistent(self) -> Pressurizer:
        if self.nominal_water_volume.si >= self.total_volume.si:
            raise ValueError("pressurizer.nominal_water_volume must be below total_volume")
        if self.relief_close_pressure.si >= self.relief_open_pressure.si:
            raise ValueError("pressurizer.relief_close_pressure must be below relief_open_pressure")
        if not self.relief_open_pressure.si <= self.safety_open_pressure.si:
            raise ValueError(
                "pressurizer.safety_open_pressure must not be below the relief valve's"
            )
        if self.safety_close_pressure.si >= self.safety_open_pressure.si:
            raise ValueError("pressurizer.safety_close_pressure must be below safety_open_pressure")
        if self.heater_proportional_power.si > self.heater_power.si:
            raise ValueError("pressurizer.heater_proportional_power must not exceed heater_power")
        if 2.0 * self.head_depth.si > self.inner_diameter.si:
            raise ValueError("pressurizer.head_depth must not exceed half the inner diameter")
        area = math.pi * self.inner_diameter.si**2 / 4.0
        if 4.0 / 3.0 * area * self.head_depth.si >= self.total_volume.si:
            raise ValueError("pressurizer: the heads alone exceed total_volume")
        return self

    @property
    def height(self) -> float:
        """Inner height of the vessel, heads included (the level gauge's range) [m]."""
        area = math.pi * self.inner_diameter.si**2 / 4.0
        a = self.head_depth.si
        return (self.total_volume.si - 4.0 / 3.0 * area * a) / area + 2.0 * a


class SteamGenerators(_Section):
    """Horizontal steam generators: design point, geometry and heat transfer."""

    type: Literal["horizontal"] = "horizontal"
    count: int = Field(ge=1, le=8)
    thermal_power: Q(1e6, 2e9, "W")
    steam_flow: Q(1.0, 2000.0, "kg/s")
    steam_pressure: Q(1e6, 12e6, "Pa")
    feedwater_temperature: Q(273.15, 600.0, "K")
    primary_inlet_temperature: Q(400.0, 640.0, "K")
    primary_outlet_temperature: Q(400.0, 640.0, "K")
    vessel_length: Q(2.0, 40.0, "m")
    vessel_inner_diameter: Q(1.0, 10.0, "m")
    heat_transfer_area: Q(100.0, 5e4, "m2")
    tube_count: Q(100.0, 5e4, "1")
    tube_outer_diameter: Q(5e-3, 50e-3, "m")
    tube_wall_thickness: Q(0.3e-3, 5e-3, "m")
    tube_bundle_bottom: Q(0.0, 10.0, "m")
    tube_bundle_top: Q(0.0, 10.0, "m")
    collector_displaced_volume: Q(0.0, 50.0, "m3")
    nominal_level: Q(0.0, 10.0, "m")
    primary_resistance_share: Q(0.0, 1.0, "1")
    primary_nodes: int = Field(4, ge=1, le=20)
    steam_line_pressure_drop: Q(0.0, 2e6, "Pa")
    # swell and shrink, and the narrow-range level transmitter (issue 8)
    void_residence_time: Q(0.05, 20.0, "s")
    level_tap_low: Q(0.0, 10.0, "m")
    level_tap_high: Q(0.0, 10.0, "m")
    level_transmitter_time_constant: Q(0.01, 60.0, "s")

    @model_validator(mode="after")
    def _consistent(self) -> SteamGenerators:
        d = self.vessel_inner_diameter.si
        if not 0.0 <= self.tube_bundle_bottom.si < self.tube_bundle_top.si < d:
            raise ValueError("steam_generators: need 0 <= tube_bundle_bottom < tube_bundle_top < D")
        if not self.tube_bundle_bottom.si < self.level_tap_low.si < self.nominal_level.si:
            raise ValueError(
                "steam_generators.level_tap_low must lie between the bundle bottom and the "
                "nominal level"
            )
        if not self.nominal_level.si < self.level_tap_high.si < d:
            raise ValueError("steam_generators.level_tap_high must lie above the nominal level")
        if not self.tube_bundle_top.si < self.nominal_level.si < d:
            raise ValueError(
                "steam_generators.nominal_level must lie above the tube bundle, below D"
            )
        if not self.primary_inlet_temperature.si > self.primary_outlet_temperature.si:
            raise ValueError("steam_generators: primary inlet must be hotter than outlet")
        return self

    @property
    def tube_mean_length(self) -> float:
        """Mean tube length from area, count and outer diameter: A / (N pi d_o) [m]."""
        return self.heat_transfer_area.si / (
            self.tube_count.si * math.pi * self.tube_outer_diameter.si
        )

    @property
    def tube_inner_diameter(self) -> float:
        """Tube inner diameter [m]."""
        return self.tube_outer_diameter.si - 2.0 * self.tube_wall_thickness.si

    @property
    def tube_flow_area(self) -> float:
        """Primary flow area of all tubes [m2]."""
        return self.tube_count.si * math.pi * self.tube_inner_diameter**2 / 4.0

    @property
    def tube_primary_volume(self) -> float:
        """Primary water volume inside the tubes [m3]."""
        return self.tube_flow_area * self.tube_mean_length

    def steam_generator_geometry(self) -> SteamGeneratorGeometry:
        """Secondary-side geometry for :mod:`nppsim.physics.steam_generator`."""
        from nppsim.physics.steam_generator import SteamGeneratorGeometry

        bundle = (
            self.tube_count.si
            * math.pi
            * self.tube_outer_diameter.si**2
            / 4.0
            * self.tube_mean_length
        )
        return SteamGeneratorGeometry(
            diameter=self.vessel_inner_diameter.si,
            length=self.vessel_length.si,
            bundle_volume=bundle,
            bundle_bottom=self.tube_bundle_bottom.si,
            bundle_top=self.tube_bundle_top.si,
            collector_volume=self.collector_displaced_volume.si,
        )


class Turbine(_Section):
    """Steam header, turbine-generator, steam dumps, steam-generator safety valves, feedwater."""

    rated_steam_flow: Q(1.0, 5000.0, "kg/s")
    inlet_pressure: Q(1e6, 20e6, "Pa")
    condenser_pressure: Q(1e3, 3e4, "Pa")
    generator_efficiency: Q(0.9, 1.0, "1")
    max_valve_opening: Q(1.0, 1.5, "1")
    lp_power_fraction: Q(0.0, 1.0, "1")
    reheater_time_constant: Q(0.1, 60.0, "s")
    header_volume: Q(1.0, 1000.0, "m3")
    bru_k_capacity: Q(0.0, 5000.0, "kg/s")
    bru_a_capacity: Q(0.0, 1000.0, "kg/s")
    bru_a_rated_pressure: Q(1e6, 12e6, "Pa")
    sg_safety_open_pressure: Q(1e6, 12e6, "Pa")
    sg_safety_full_pressure: Q(1e6, 12e6, "Pa")
    sg_safety_capacity: Q(0.0, 2000.0, "kg/s")
    feed_pressure_margin: Q(0.0, 5e6, "Pa")
    feed_valve_capacity: Q(1.0, 2000.0, "kg/s")
    feed_valve_dp_rated: Q(1e4, 5e6, "Pa")
    feed_pumps: int = Field(ge=1, le=6)
    feed_pump_capacity: Q(0.05, 2.0, "1")
    house_load: Q(0.0, 0.3, "1")
    # the integral plant's emergency feed (full flow, no level control: its once-through steam
    # generators have no level); the loop plants give [emergency_feedwater] instead
    emergency_feed_flow: Q(0.0, 500.0, "kg/s") | None = None
    emergency_feed_temperature: Q(273.15, 500.0, "K") | None = None
    # the turbine-generator's valves and shaft, and the feedwater heaters (issue 8)
    stop_valve_closing_time: Q(0.01, 10.0, "s")
    control_valve_closing_time: Q(0.01, 10.0, "s")
    intercept_valve_closing_time: Q(0.01, 10.0, "s")
    intercept_valve_opening_time: Q(0.1, 600.0, "s")
    valve_servo_time_constant: Q(0.005, 5.0, "s")
    steam_chest_time_constant: Q(0.01, 5.0, "s")
    inertia_constant: Q(0.5, 20.0, "s")
    windage_friction_loss: Q(0.0, 0.05, "1")
    intercept_valve_speed_start: Q(1.0, 1.3, "1")
    intercept_valve_speed_full: Q(1.0, 1.3, "1")
    deaerator_temperature: Q(273.15, 500.0, "K")
    heater_time_constant: Q(1.0, 3600.0, "s")

    @model_validator(mode="after")
    def _consistent(self) -> Turbine:
        if self.sg_safety_full_pressure.si <= self.sg_safety_open_pressure.si:
            raise ValueError("turbine.sg_safety_full_pressure must exceed sg_safety_open_pressure")
        if self.intercept_valve_speed_full.si <= self.intercept_valve_speed_start.si:
            raise ValueError(
                "turbine.intercept_valve_speed_full must exceed intercept_valve_speed_start"
            )
        return self


class EmergencyFeedwater(_Section):
    """Emergency feedwater: motor-driven pumps from the demineralised-water tanks, each steam
    generator's valve holding its measured level in a band (issue 8)."""

    flow: Q(0.0, 200.0, "kg/s")
    temperature: Q(273.15, 400.0, "K")
    start_delay: Q(0.0, 600.0, "s")
    start_level: Q(0.0, 10.0, "m")
    level_setpoint: Q(0.0, 10.0, "m")
    level_band: Q(0.01, 5.0, "m")


class Condition(_Section):
    """A signal compared with a threshold (an enabling condition of a trip-table row)."""

    signal: str
    compare: Literal["above", "below"]
    threshold: str | Quantity | float


class TripSpec(_Section):
    """One row of the trip table (see :mod:`nppsim.plant.components.protection`).

    ``setpoint`` names a quantity of ``[protection]`` (one value, one place) or gives one inline;
    ``actions`` are ``scram``, ``alarm`` or protective actions of components
    (``isolate_steam_lines``); ``detail`` formats the log line with ``{value}`` and
    ``{setpoint}`` in ``display_unit``.
    """

    name: str
    signal: str
    compare: Literal["above", "below"]
    setpoint: str | Quantity | float
    enable: Condition | list[Condition] | None = None
    delay: Quantity | None = None
    actions: list[str] = Field(default=["scram"], min_length=1)
    detail: str = ""
    display_unit: str = "1"
    # a hold row acts while its condition lasts (PZ-1, PZ-2, the power limiter) and ends when
    # the signal is back by ``reset`` (relative to the setpoint)
    hold: bool = False
    reset: float = Field(0.0, ge=0.0, le=10.0)

    @model_validator(mode="after")
    def _two_conditions(self) -> TripSpec:
        if isinstance(self.enable, list) and not 1 <= len(self.enable) <= 2:
            raise ValueError("enable: one or two conditions")
        return self

    @property
    def conditions(self) -> list[Condition]:
        """The enabling conditions (none, one or two)."""
        if self.enable is None:
            return []
        return list(self.enable) if isinstance(self.enable, list) else [self.enable]


class PowerReductionSpec(_Section):
    """One row of the power-reduction table: when the signal crosses its setpoint (and the
    enabling condition holds), the power setpoint ramps to ``target`` at ``rate``."""

    name: str
    signal: str
    compare: Literal["above", "below"]
    setpoint: str | Quantity | float
    enable: Condition | list[Condition] | None = None
    target: Quantity
    rate: Quantity
    detail: str = ""

    @property
    def conditions(self) -> list[Condition]:
        """The enabling conditions (none, one or two)."""
        if self.enable is None:
            return []
        return list(self.enable) if isinstance(self.enable, list) else [self.enable]


class PlantProtection(_Section):
    """Reactor trip (AZ) setpoints; superset of :class:`nppsim.designs.Protection`."""

    high_flux: Q(0.5, 1.5, "1")
    short_period: Q(1.0, 100.0, "s")
    high_primary_pressure: Q(10e6, 22e6, "Pa")
    low_primary_pressure: Q(5e6, 20e6, "Pa")
    low_pressurizer_level: Q(0.0, 20.0, "m")
    pumps_lost_for_trip: int = Field(ge=1, le=8)
    low_sg_level: Q(0.0, 10.0, "m")
    high_steam_pressure: Q(1e6, 12e6, "Pa")
    low_steam_pressure: Q(1e6, 12e6, "Pa")
    low_subcooling_margin: Q(0.0, 100.0, "K")
    eccs_low_primary_pressure: Q(1e6, 20e6, "Pa") | None = None
    turbine_trip_power_threshold: Q(0.0, 1.2, "1")
    low_pressure_trip_power: Q(0.0, 1.0, "1")
    # turbine-generator protection, URB and the preventive protections PZ-1 and PZ-2 (issue 8)
    turbine_overspeed: Q(1.0, 1.3, "1")
    generator_reverse_power: Q(0.0, 100e6, "W")
    urb_power_threshold: Q(0.0, 1.2, "1")
    pz1_power_margin: Q(0.0, 0.5, "1")
    pz2_power_margin: Q(0.0, 0.5, "1")
    pz1_primary_pressure: Q(10e6, 22e6, "Pa")
    trips: list[TripSpec] = Field(min_length=1)
    power_reductions: list[PowerReductionSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> PlantProtection:
        if self.low_primary_pressure.si >= self.high_primary_pressure.si:
            raise ValueError("protection.low_primary_pressure must be below high_primary_pressure")
        if self.low_steam_pressure.si >= self.high_steam_pressure.si:
            raise ValueError("protection.low_steam_pressure must be below high_steam_pressure")
        return self


class PressurizerControl(_Section):
    """Pressurizer pressure (heaters, spray) and level (make-up and letdown) control."""

    pressure_setpoint: Q(10e6, 20e6, "Pa")
    heater_band: Q(1e3, 2e6, "Pa")
    spray_start_offset: Q(0.0, 2e6, "Pa")
    spray_full_offset: Q(1e3, 3e6, "Pa")
    level_setpoint_zero_power: Q(0.0, 20.0, "m")
    level_setpoint_full_power: Q(0.0, 20.0, "m")
    level_band: Q(0.01, 10.0, "m")
    level_integral_time: Q(1.0, 1e5, "s")
    makeup_max_flow: Q(0.0, 200.0, "kg/s")
    letdown_flow: Q(0.0, 200.0, "kg/s")
    backup_heaters_on: Q(0.0, 2e6, "Pa")
    backup_heaters_off: Q(0.0, 2e6, "Pa")
    heater_cutout_level: Q(0.0, 20.0, "m")
    heater_cutout_reset: Q(0.0, 20.0, "m")

    @model_validator(mode="after")
    def _spray(self) -> PressurizerControl:
        if self.spray_full_offset.si <= self.spray_start_offset.si:
            raise ValueError("control.pressurizer.spray_full_offset must exceed spray_start_offset")
        if self.backup_heaters_off.si >= self.backup_heaters_on.si:
            raise ValueError(
                "control.pressurizer.backup_heaters_off must be a smaller offset than "
                "backup_heaters_on (they switch off nearer the setpoint)"
            )
        if self.heater_cutout_reset.si <= self.heater_cutout_level.si:
            raise ValueError(
                "control.pressurizer.heater_cutout_reset must exceed the cut-out level"
            )
        return self


class BoronSystem(_Section):
    """The make-up system's boron control: feed and bleed of clean water or concentrate."""

    concentrate: Q(0.0, 5e4, "ppm")
    clean_water: Q(0.0, 100.0, "ppm")
    feed_max_flow: Q(0.0, 200.0, "kg/s")
    target_band: Q(0.01, 100.0, "ppm")


class LoadStep(_Section):
    """One step of the diesels' load sequence: a load group and its delay after the diesels are
    ready."""

    group: Literal["eccs", "efw", "makeup", "heaters"]
    delay: Q(0.0, 600.0, "s")


class Electrical(_Section):
    """Emergency power: diesel generators that start on a loss of off-site power and take the
    safety loads in sequence."""

    diesel_generators: int = Field(ge=0, le=8)
    diesel_start_time: Q(1.0, 300.0, "s")
    load_sequence: list[LoadStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Electrical:
        groups = [s.group for s in self.load_sequence]
        if len(set(groups)) != len(groups):
            raise ValueError("electrical.load_sequence: a load group appears twice")
        return self


class InjectionGroup(_Section):
    """One emergency injection system: its pumps (all trains together), their curve, water and
    boron, where it injects.

    ``kind = "centrifugal"``: ``pressure_max`` is the shut-off pressure rise and
    ``pressure_rated`` the rise at ``rated_flow``; ``"displacement"`` (plunger pumps): the
    rated flow holds up to ``pressure_max`` and falls to zero over ``pressure_rated`` above it.
    ``target``: ``"cold_legs"`` (shared equally by the loops) or ``"vessel"`` (shared equally by
    the upper plenum and the downcomer and lower plenum).
    """

    name: str
    kind: Literal["centrifugal", "displacement"]
    pumps: int = Field(ge=0, le=12)
    rated_flow: Q(0.0, 1.0, "m3/s")
    pressure_max: Q(0.0, 25e6, "Pa")
    pressure_rated: Q(0.0, 25e6, "Pa")
    suction_pressure: Q(0.0, 2e6, "Pa")
    temperature: Q(273.15, 400.0, "K")
    boron: Q(0.0, 5e4, "ppm")
    tank_volume: Q(0.0, 1e5, "m3")
    start_delay: Q(0.0, 600.0, "s")
    target: Literal["cold_legs", "vessel"]

    @model_validator(mode="after")
    def _curve(self) -> InjectionGroup:
        if self.kind == "centrifugal" and self.pressure_rated.si >= self.pressure_max.si:
            raise ValueError(
                f"emergency_cooling.groups[{self.name}]: the rated pressure rise must be below the "
                "shut-off pressure"
            )
        return self


class EmergencyCooling(_Section):
    """Emergency core cooling of the primary: hydro-accumulators and injection pump groups."""

    accumulators: int = Field(ge=0, le=8)
    accumulator_targets: list[Literal["upper_plenum", "lower_plenum"]]
    accumulator_volume: Q(1.0, 500.0, "m3")
    accumulator_water_volume: Q(0.0, 500.0, "m3")
    accumulator_pressure: Q(1e5, 15e6, "Pa")
    accumulator_polytropic_exponent: Q(1.0, 1.67, "1")
    accumulator_static_head: Q(0.0, 1e6, "Pa")
    accumulator_line_flow: Q(0.0, 1e4, "kg/s")
    accumulator_line_dp: Q(1e3, 2e7, "Pa")
    accumulator_residual_volume: Q(0.0, 500.0, "m3")
    accumulator_temperature: Q(273.15, 400.0, "K")
    accumulator_boron: Q(0.0, 5e4, "ppm")
    groups: list[InjectionGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _tanks(self) -> EmergencyCooling:
        if len(self.accumulator_targets) != self.accumulators:
            raise ValueError("emergency_cooling.accumulator_targets: one target per accumulator")
        if not (
            self.accumulator_residual_volume.si
            < self.accumulator_water_volume.si
            < self.accumulator_volume.si
        ):
            raise ValueError(
                "emergency_cooling: residual < water volume < accumulator volume is required"
            )
        names = [g.name for g in self.groups]
        if len(set(names)) != len(names):
            raise ValueError("emergency_cooling.groups: names must be unique")
        return self


class SteamGeneratorControl(_Section):
    """Feedwater control of steam-generator level (three-element: level, steam and feed flow)."""

    level_setpoint: Q(0.0, 10.0, "m")
    level_band: Q(0.01, 5.0, "m")
    level_integral_time: Q(1.0, 1e4, "s")
    steam_flow_feedforward: Q(0.0, 1.5, "1")
    valve_time_constant: Q(0.0, 100.0, "s")


class TurbineControl(_Section):
    """Turbine controller: keeps main steam header pressure (or electric power)."""

    mode: Literal["pressure", "power"] = "pressure"
    header_pressure_setpoint: Q(1e6, 12e6, "Pa")
    pressure_band: Q(1e3, 5e6, "Pa")
    pressure_integral_time: Q(0.1, 1e4, "s")
    power_band: Q(1e-3, 1.0, "1")
    power_integral_time: Q(0.1, 1e4, "s")
    valve_rate_limit: Q(1e-4, 1.0, "1/s")
    speed_droop: Q(0.01, 0.2, "1")
    max_load_rate: Q(1e-5, 1.0, "1/s")
    pressure_limiter_offset: Q(0.0, 5e6, "Pa")
    pressure_limiter_band: Q(1e3, 1e8, "Pa")


class ArmControl(_Section):
    """The reactor power controller's pressure mode (the reactor keeps the steam pressure while
    the turbine follows its load): the integral term of its power reference (issue 8)."""

    pressure_integral_time: Q(1.0, 1e5, "s")
    pressure_integral_limit: Q(0.0, 0.5, "1")


class PowerLimitation(_Section):
    """The power limiter (ROM) and the fast unit unloading (URB) of a VVER-1000 (issue 8).

    ``allowed_by_pumps[k]`` is the allowed power with k reactor coolant pumps running (k = 0..n),
    ``allowed_by_feed_pumps[k]`` with k main feed pumps running; ``urb_group`` names the bank
    URB drops."""

    urb_group: str
    allowed_by_pumps: Q(0.0, 1.2, "1")
    allowed_by_feed_pumps: Q(0.0, 1.2, "1")
    allowed_dropped_cluster: Q(0.0, 1.2, "1")


class SteamDumpControl(_Section):
    """Steam dump valves: BRU-K to the condenser, BRU-A to the atmosphere (proportional)."""

    bru_k_pressure: Q(1e6, 12e6, "Pa")
    bru_k_band: Q(1e3, 5e6, "Pa")
    bru_a_pressure: Q(1e6, 12e6, "Pa")
    bru_a_band: Q(1e3, 5e6, "Pa")


class PlantControl(_Section):
    """Plant sub-tables of ``[control]`` (the core's power control is in ``CoreControl``)."""

    pressurizer: PressurizerControl
    steam_generators: SteamGeneratorControl
    turbine: TurbineControl
    steam_dump: SteamDumpControl
    arm: ArmControl
    power_limitation: PowerLimitation
    boron: BoronSystem | None = None


class PlantSections(_Section):
    """All plant sections of a design file, with the checks that span sections."""

    primary: Primary
    pumps: Pumps
    pressurizer: Pressurizer
    steam_generators: SteamGenerators
    turbine: Turbine
    emergency_feedwater: EmergencyFeedwater
    protection: PlantProtection
    control: PlantControl
    electrical: Electrical | None = None
    emergency_cooling: EmergencyCooling | None = None
    path: str = ""

    @model_validator(mode="after")
    def _across(self) -> PlantSections:
        n = self.primary.loops
        for name in ("surge_line_loop", "spray_loop", "makeup_loop"):
            if not 1 <= getattr(self.primary, name) <= n:
                raise ValueError(f"primary.{name} must be a loop number 1 to {n}")
        if self.pumps.count != n or self.steam_generators.count != n:
            raise ValueError(
                f"primary.loops = {n}, pumps.count = {self.pumps.count} and "
                f"steam_generators.count = {self.steam_generators.count} must be equal"
            )
        h = self.pressurizer.height
        for name in ("level_setpoint_zero_power", "level_setpoint_full_power"):
            if not 0.0 < getattr(self.control.pressurizer, name).si < h:
                raise ValueError(f"control.pressurizer.{name} must lie within 0..{h:.2f} m")
        if not 0.0 < self.protection.low_pressurizer_level.si < h:
            raise ValueError(f"protection.low_pressurizer_level must lie within 0..{h:.2f} m")
        p_set = self.control.pressurizer.pressure_setpoint.si
        if (
            not self.protection.low_primary_pressure.si
            < p_set
            < (self.protection.high_primary_pressure.si)
        ):
            raise ValueError("control.pressurizer.pressure_setpoint must lie between the trips")
        if not self.protection.high_primary_pressure.si <= self.pressurizer.relief_open_pressure.si:
            raise ValueError("pressurizer.relief_open_pressure must not be below the trip setpoint")
        pc = self.control.pressurizer
        if not pc.heater_cutout_reset.si < h:
            raise ValueError(
                f"control.pressurizer.heater_cutout_reset must lie within 0..{h:.2f} m"
            )
        sg = self.steam_generators
        if not sg.level_tap_low.si < self.protection.low_sg_level.si < sg.level_tap_high.si:
            raise ValueError(
                "protection.low_sg_level (a measured level) must lie within the narrow range, "
                "steam_generators.level_tap_low to level_tap_high"
            )
        ef = self.emergency_feedwater
        for name in ("start_level", "level_setpoint"):
            if not sg.level_tap_low.si < getattr(ef, name).si < sg.level_tap_high.si:
                raise ValueError(
                    f"emergency_feedwater.{name} (a measured level) must lie within the narrow "
                    "range, steam_generators.level_tap_low to level_tap_high"
                )
        pl = self.control.power_limitation
        if len(pl.allowed_by_pumps.si_list) != self.primary.loops + 1:
            raise ValueError(
                "control.power_limitation.allowed_by_pumps: one value for each number of pumps "
                f"running, 0 to {self.primary.loops}"
            )
        if len(pl.allowed_by_feed_pumps.si_list) != self.turbine.feed_pumps + 1:
            raise ValueError(
                "control.power_limitation.allowed_by_feed_pumps: one value for each number of "
                f"feed pumps running, 0 to {self.turbine.feed_pumps}"
            )
        if (
            not self.control.steam_dump.bru_k_pressure.si
            < self.control.steam_dump.bru_a_pressure.si
        ):
            raise ValueError("control.steam_dump: BRU-K must open before BRU-A")
        if not self.control.steam_dump.bru_a_pressure.si < self.turbine.sg_safety_open_pressure.si:
            raise ValueError("BRU-A must open below the steam-generator safety valves")
        return self


def plant_sections(design: Any) -> PlantSections:
    """The plant sections of a design object (in memory: overrides included), with the checks
    across sections. Raises :class:`InputError` naming the design file if a section is missing
    or inconsistent."""
    if getattr(getattr(design, "primary", None), "layout", "loop") == "integral":
        from nppsim.designs.integral_sections import integral_sections

        return integral_sections(design)  # type: ignore[return-value]
    missing = [
        s
        for s in (
            "primary",
            "pumps",
            "pressurizer",
            "steam_generators",
            "turbine",
            "emergency_feedwater",
        )
        if getattr(design, s, None) is None
    ]
    ctl = design.control
    if ctl is None or any(
        getattr(ctl, s, None) is None
        for s in (
            "pressurizer",
            "steam_generators",
            "turbine",
            "steam_dump",
            "arm",
            "power_limitation",
        )
    ):
        missing.append("control.*")
    if missing or not isinstance(design.protection, PlantProtection):
        raise InputError(
            design.path or None,
            "design",
            design.name,
            "this design has no plant sections ([primary], [pumps], ... "
            + ", ".join(missing or ["protection"])
            + ")",
        )
    try:
        return PlantSections.model_validate(
            {
                "primary": design.primary,
                "pumps": design.pumps,
                "pressurizer": design.pressurizer,
                "steam_generators": design.steam_generators,
                "turbine": design.turbine,
                "emergency_feedwater": design.emergency_feedwater,
                "protection": design.protection,
                "control": {
                    "pressurizer": ctl.pressurizer,
                    "steam_generators": ctl.steam_generators,
                    "turbine": ctl.turbine,
                    "steam_dump": ctl.steam_dump,
                    "arm": ctl.arm,
                    "power_limitation": ctl.power_limitation,
                    "boron": getattr(ctl, "boron", None),
                },
                "electrical": getattr(design, "electrical", None),
                "emergency_cooling": getattr(design, "emergency_cooling", None),
                "path": design.path,
            }
        )
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(design.path or None, field, value, msg) from None


def load_plant_sections(path: Path | str) -> PlantSections:
    """Read and validate the plant sections of a design file.

    Sections not listed in :class:`PlantSections` (``[design]``, ``[core]``, ...) are ignored, so
    this reads a whole design file as well as a ``*.plant.toml`` fragment; keys of the core's
    ``[protection]`` and ``[control]`` tables are read by :func:`nppsim.designs.load_design`.

    Parameters
    ----------
    path : Path or str
        TOML file.

    Returns
    -------
    PlantSections
        The validated sections, values convertible to SI with ``.si``.
    """
    from nppsim.designs import resolve_inheritance

    data, _ = resolve_inheritance(read_toml(Path(path)), path)
    names = set(PlantSections.model_fields) - {"path"}
    picked = {k: v for k, v in data.items() if k in names}
    if "control" in picked:
        # The core controller's keys (CoreControl) share the [control] table; leave them to it.
        picked["control"] = {
            k: v
            for k, v in picked["control"].items()
            if k not in CoreControl.model_fields or k in PlantControl.model_fields
        }
    try:
        sections = PlantSections.model_validate({**picked, "path": str(path)})
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(path, field, value, msg) from None
    check_bounds(sections, "", path)
    return sections

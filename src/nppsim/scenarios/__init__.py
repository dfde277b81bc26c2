"""Scenario files: what to simulate, from which state, with which events.

A scenario is a TOML file (the built-in ones live in this folder)::

    [scenario]
    name = "scram"
    title = "Reactor trip from full power"
    design = "vver1000-v446"
    duration = "72 h"

    [initial]
    power = "100 %"
    critical = "boron"          # or "bank": what the steady-state search adjusts

    [[events]]
    time = "60 s"
    kind = "scram"

Every quantity is a string with its unit (``"72 h"``, ``"289 degC"``, ``"50 pcm"``). Event kinds and
their fields are the models below (:data:`EVENT_KINDS`). Errors name the file, the field, the value
and what is allowed (:class:`nppsim.errors.InputError`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from nppsim.designs import Design, format_validation_error, load_design, read_toml
from nppsim.errors import InputError
from nppsim.simulation import Event
from nppsim.units import TIME_UNITS, parse_quantity

MAX_DURATION = 30 * 86400.0  # [s] a month of simulated time is the longest scenario accepted


def _q(
    units: tuple[str, ...], lo: float = float("-inf"), hi: float = float("inf"), shown: str = ""
) -> Any:
    """A string quantity with a unit, parsed to SI and range-checked."""

    def parse(v: Any) -> float:
        x = parse_quantity(v, units)
        if not lo <= x <= hi:
            raise ValueError(f"outside the allowed range {shown}")
        return x

    return Annotated[float, BeforeValidator(parse)]


Time = _q(TIME_UNITS, 0.0, MAX_DURATION, "0 to 30 d")
Duration = _q(TIME_UNITS, 1e-3, MAX_DURATION, "1 ms to 30 d")
Fraction = _q(("%", "1"), 0.0, 1.0, "0 to 100 %")
FlowFraction = _q(("%", "1"), 0.0, 1.2, "0 to 120 %")
PowerFraction = _q(("%", "1"), 0.01, 1.0, "1 % to 100 %")
Reactivity = _q(("pcm", "1"), -0.2, 0.2, "-20 000 to 20 000 pcm")
ReactivityRate = _q(("pcm/s", "1/s"), -1e-2, 1e-2, "-1000 to 1000 pcm/s")
Boron = _q(("ppm",), 0.0, 5000.0, "0 to 5000 ppm")
BoronRate = _q(("ppm/s", "ppm/min", "ppm/h"), 1e-6, 10.0, "0 to 10 ppm/s")
Temperature = _q(("degC", "K"), 273.15, 620.0, "0 to 347 degC")
Pressure = _q(("MPa", "bar", "Pa", "kPa"), 0.1e6, 22e6, "0.1 to 22 MPa")
PowerRate = _q(("%/min", "%/s"), 1e-6, 0.2, "0 to 20 %/s")
BankSpeed = _q(("%/s", "1/s"), 1e-5, 1.0, "0 to 100 %/s")
Area = _q(("m2", "cm2"), 1e-6, 1.0, "0.01 cm2 to 1 m2")
LoadFraction = _q(("%", "1"), 0.0, 1.1, "0 to 110 %")
ClusterWorth = _q(("pcm", "1"), 1e-5, 5e-3, "1 to 500 pcm")


class _Ev(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    time: Time
    name: str = ""


class Scram(_Ev):
    """Manual reactor trip: all banks fall after the design's scram delay."""

    kind: Literal["scram"]


class BankMove(_Ev):
    """Move one bank to a withdrawn fraction at its design speed (or ``speed``)."""

    kind: Literal["bank"]
    bank: str
    target: Fraction
    speed: BankSpeed | None = None


class ReactivityStep(_Ev):
    """Add a step of external reactivity."""

    kind: Literal["reactivity_step"]
    rho: Reactivity


class ReactivityRamp(_Ev):
    """Add external reactivity at a constant rate for a duration."""

    kind: Literal["reactivity_ramp"]
    rate: ReactivityRate
    duration: Duration


class BoronChange(_Ev):
    """Change boron to a target at a rate (boration or dilution); boron control goes manual."""

    kind: Literal["boron"]
    target: Boron
    rate: BoronRate


class InletTemperature(_Ev):
    """Change the coolant inlet temperature, as a step or a ramp over ``duration``."""

    kind: Literal["inlet_temperature"]
    target: Temperature
    duration: Time = 0.0


class Flow(_Ev):
    """Change the coolant flow (fraction of nominal), as a step or a ramp over ``duration``."""

    kind: Literal["flow"]
    target: FlowFraction
    duration: Time = 0.0


class PressureChange(_Ev):
    """Change the primary pressure, as a step or a ramp over ``duration``."""

    kind: Literal["pressure"]
    target: Pressure
    duration: Time = 0.0


class PowerSetpoint(_Ev):
    """Ramp the power controller's setpoint to a target at a rate; rod control goes automatic."""

    kind: Literal["power_setpoint"]
    target: PowerFraction
    rate: PowerRate


class Control(_Ev):
    """Switch rod control and/or boron control between automatic and manual; for the plant model
    also the turbine controller between constant steam pressure and electric power."""

    kind: Literal["control"]
    rods: Literal["auto", "manual"] | None = None
    boron: Literal["auto", "manual"] | None = None
    turbine: Literal["pressure", "power"] | None = None


class PumpTrip(_Ev):
    """Trip one reactor coolant pump (plant model): its motor loses supply and it coasts down."""

    kind: Literal["pump_trip"]
    pump: int = Field(ge=1, le=8)


class PumpStart(_Ev):
    """Start one reactor coolant pump (plant model): its motor is switched on."""

    kind: Literal["pump_start"]
    pump: int = Field(ge=1, le=8)


class TurbineTrip(_Ev):
    """Turbine trip (plant model): stop valves close; reactor trip above the design threshold."""

    kind: Literal["turbine_trip"]


class LoadRejection(_Ev):
    """Loss of the grid connection to house load (plant model): turbine to house load."""

    kind: Literal["load_rejection"]


class FeedwaterPumpTrip(_Ev):
    """Trip main feed pumps (plant model); two run at power, each carries about 60 %."""

    kind: Literal["feedwater_pump_trip"]
    count: int = Field(1, ge=1, le=2)


class LossOfOffsitePower(_Ev):
    """Loss of off-site power (plant model): pumps, feed pumps, condenser, heaters lost."""

    kind: Literal["loss_of_offsite_power"]


class SteamLineBreak(_Ev):
    """A break of the steam line of one steam generator (plant model), choked steam flow."""

    kind: Literal["steam_line_break"]
    sg: int = Field(ge=1, le=8)
    area: Area


class RodDrop(_Ev):
    """One control cluster falls into the core (plant model): a fast insertion of its worth."""

    kind: Literal["rod_drop"]
    worth: ClusterWorth | None = None


class SetpointChange(_Ev):
    """Change a plant controller's setpoint (plant model), checked against the design's range:
    ``primary_pressure`` and ``steam_pressure`` in MPa (or Pa, bar), ``sg_level`` and
    ``pressurizer_level`` in m."""

    kind: Literal["setpoint"]
    controller: Literal["primary_pressure", "steam_pressure", "sg_level", "pressurizer_level"]
    value: str

    @model_validator(mode="after")
    def _unit(self) -> SetpointChange:
        units = ("m", "cm") if self.controller.endswith("level") else ("MPa", "bar", "Pa", "kPa")
        parse_quantity(self.value, units)
        return self

    def si(self) -> float:
        units = ("m", "cm") if self.controller.endswith("level") else ("MPa", "bar", "Pa", "kPa")
        return parse_quantity(self.value, units)


class TurbineLoad(_Ev):
    """Ramp the turbine's electric load setpoint (plant model; turbine goes to power mode)."""

    kind: Literal["turbine_load"]
    target: LoadFraction
    rate: PowerRate


_CORE_KINDS = (
    Scram,
    BankMove,
    ReactivityStep,
    ReactivityRamp,
    BoronChange,
    InletTemperature,
    Flow,
    PressureChange,
    PowerSetpoint,
    Control,
)
_PLANT_KINDS = (
    PumpTrip,
    PumpStart,
    TurbineTrip,
    LoadRejection,
    FeedwaterPumpTrip,
    LossOfOffsitePower,
    SteamLineBreak,
    RodDrop,
    TurbineLoad,
    SetpointChange,
)

EventSpec = Annotated[
    Scram
    | BankMove
    | ReactivityStep
    | ReactivityRamp
    | BoronChange
    | InletTemperature
    | Flow
    | PressureChange
    | PowerSetpoint
    | Control
    | PumpTrip
    | PumpStart
    | TurbineTrip
    | LoadRejection
    | FeedwaterPumpTrip
    | LossOfOffsitePower
    | SteamLineBreak
    | RodDrop
    | TurbineLoad
    | SetpointChange,
    Field(discriminator="kind"),
]

EVENT_KINDS = {
    m.model_fields["kind"].annotation.__args__[0]: m  # type: ignore[union-attr]
    for m in (*_CORE_KINDS, *_PLANT_KINDS)
}
PLANT_ONLY_KINDS = {
    m.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    for m in _PLANT_KINDS
}
CORE_ONLY_KINDS = {"inlet_temperature", "flow", "pressure"}


class ScenarioInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    design: str
    duration: Duration
    model: Literal["core", "plant"] = "core"


class Initial(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    power: PowerFraction
    critical: Literal["boron", "bank"] = "boron"
    rod_control: Literal["auto", "manual"] = "auto"
    boron_control: Literal["auto", "manual"] = "manual"
    boron: Boron | None = None
    pumps_off: list[int] = []  # plant model: reactor coolant pumps idle at the start (1-based)


class Scenario(BaseModel):
    """A validated scenario (times in s, all quantities SI)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scenario: ScenarioInfo
    initial: Initial
    events: list[EventSpec] = []
    path: str = ""
    raw: dict[str, Any] = {}

    @model_validator(mode="after")
    def _events_in_time(self) -> Scenario:
        for i, ev in enumerate(self.events):
            if ev.time >= self.scenario.duration:
                raise ValueError(
                    f"events[{i}].time {ev.time:g} s is not before the end of the scenario "
                    f"({self.scenario.duration:g} s)"
                )
        return self

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def duration(self) -> float:
        return self.scenario.duration

    def design_obj(self) -> Design:
        return load_design(self.scenario.design)

    def to_events(self) -> list[Event]:
        """The events as simulation events (SI parameters)."""
        out = []
        for i, ev in enumerate(self.events):
            params = ev.model_dump(exclude={"time", "name", "kind"}, exclude_none=True)
            if isinstance(ev, SetpointChange):
                params["value"] = ev.si()
            out.append(Event(ev.time, ev.kind, ev.name or f"{ev.kind}#{i}", params))
        return out


def parse_scenario(data: dict[str, Any], file: Path | str | None = None) -> Scenario:
    """Validate a scenario dict; check it against its design (banks, design name)."""
    try:
        sc = Scenario.model_validate({**data, "path": str(file or ""), "raw": data})
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(file, field, value, msg) from None
    try:
        design = load_design(sc.scenario.design)
    except InputError as e:
        raise InputError(file, "scenario.design", sc.scenario.design, e.allowed) from None
    if not design.has_dynamics:
        raise InputError(
            file,
            "scenario.design",
            sc.scenario.design,
            "this design has ratings only (no core data); choose one with dynamics",
        )
    banks = [b.name for b in design.rods.banks]
    model = sc.scenario.model
    loops = _plant_loops(design, file) if model == "plant" else 0
    for i, ev in enumerate(sc.events):
        if isinstance(ev, BankMove) and ev.bank not in banks:
            raise InputError(
                file, f"events[{i}].bank", ev.bank, f"banks of {design.name}: {', '.join(banks)}"
            )
        if model == "core" and (
            ev.kind in PLANT_ONLY_KINDS or (isinstance(ev, Control) and ev.turbine is not None)
        ):
            raise InputError(
                file, f"events[{i}].kind", ev.kind, 'a plant event: set scenario.model = "plant"'
            )
        if model == "plant" and ev.kind in CORE_ONLY_KINDS:
            allowed = ", ".join(sorted(set(EVENT_KINDS) - CORE_ONLY_KINDS))
            raise InputError(
                file,
                f"events[{i}].kind",
                ev.kind,
                f"a core boundary condition, computed by the plant model (allowed: {allowed})",
            )
        if isinstance(ev, SetpointChange) and model == "plant":
            lo, hi, unit = _setpoint_range(design, ev.controller)
            if not lo <= ev.si() <= hi:
                scale = 1e6 if unit == "Pa" else 1.0
                shown = "MPa" if unit == "Pa" else unit
                raise InputError(
                    file,
                    f"events[{i}].value",
                    ev.value,
                    f"{ev.controller} allowed {lo / scale:g} to {hi / scale:g} {shown} "
                    "(design trips and valve setpoints)",
                )
        for fld in ("pump", "sg"):
            k = getattr(ev, fld, None)
            if k is not None and not 1 <= k <= loops:
                what = "pumps" if fld == "pump" else "steam generators"
                raise InputError(
                    file, f"events[{i}].{fld}", k, f"{design.name} has {loops} {what}: 1 to {loops}"
                )
    for k in sc.initial.pumps_off:
        if model != "plant" or not 1 <= k <= loops:
            raise InputError(
                file, "initial.pumps_off", k, f"pump numbers 1 to {loops} (plant model only)"
            )
    return sc


def _setpoint_range(design: Design, controller: str) -> tuple[float, float, str]:
    from nppsim.plant.plant import PlantModel

    return PlantModel.setpoint_range_of(design, controller)


def _plant_loops(design: Design, file: Path | str | None) -> int:
    from nppsim.plant.plant import _plant_sections

    try:
        return _plant_sections(design).primary.loops
    except InputError as e:
        raise InputError(
            file, "scenario.model", "plant", f"design {design.name} has no plant data: {e.allowed}"
        ) from None


def _builtin_dir() -> Path:
    return Path(str(resources.files("nppsim.scenarios")))


def list_scenarios() -> list[Scenario]:
    """The built-in scenarios, sorted by name."""
    return [load_scenario(p) for p in sorted(_builtin_dir().glob("*.toml"))]


def builtin_names() -> list[str]:
    return sorted(p.stem for p in _builtin_dir().glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a scenario file by path."""
    text = str(name_or_path)
    path = Path(text)
    if text in builtin_names():
        path = _builtin_dir() / f"{text}.toml"
    elif not (path.suffix == ".toml" and path.exists()):
        known = ", ".join(builtin_names())
        raise InputError(
            None, "scenario", text, f"not a scenario file nor a built-in scenario ({known})"
        )
    return parse_scenario(read_toml(path), path)


__all__: list[str] = [
    "EVENT_KINDS",
    "Scenario",
    "builtin_names",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
]

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
    """Switch rod control and/or boron control between automatic and manual."""

    kind: Literal["control"]
    rods: Literal["auto", "manual"] | None = None
    boron: Literal["auto", "manual"] | None = None


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
    | Control,
    Field(discriminator="kind"),
]

EVENT_KINDS = {
    m.model_fields["kind"].annotation.__args__[0]: m  # type: ignore[union-attr]
    for m in (
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
}


class ScenarioInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    design: str
    duration: Duration
    model: Literal["core"] = "core"


class Initial(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    power: PowerFraction
    critical: Literal["boron", "bank"] = "boron"
    rod_control: Literal["auto", "manual"] = "auto"
    boron_control: Literal["auto", "manual"] = "manual"
    boron: Boron | None = None


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
    for i, ev in enumerate(sc.events):
        if isinstance(ev, BankMove) and ev.bank not in banks:
            raise InputError(
                file, f"events[{i}].bank", ev.bank, f"banks of {design.name}: {', '.join(banks)}"
            )
    return sc


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

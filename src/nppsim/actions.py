"""The registry of actions: every scenario event and operator command, one class each.

An action is a pydantic model: its fields carry units (given as text with a unit, ``"50 %"``,
``"15.7 MPa"``, converted to SI) and ranges; the checks that depend on the design (bank names,
pump numbers, setpoint ranges) are in :meth:`Action.check`, which names the field, the value and
what the design allows. :meth:`Action.apply` acts on the plant between integrator steps and
returns the new state, the new discrete state and the log entries.

Scenario files list actions with a ``time`` (:class:`nppsim.scenarios.Scenario`); the control
room submits them live; ``nppsim actions`` lists them with their fields, units and ranges for a
design (:func:`describe`). A new action class registered here appears in all three.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from nppsim.errors import InputError
from nppsim.units import TIME_UNITS, parse_quantity

if TYPE_CHECKING:
    from nppsim.plant.design_view import DesignView as Model

MAX_TIME = 30 * 86400.0  # [s] a month of simulated time is the longest scenario accepted

Entries = list[dict[str, Any]]
Result = tuple[np.ndarray, np.ndarray, Entries]


def quantity(
    units: tuple[str, ...],
    lo: float = -math.inf,
    hi: float = math.inf,
    shown: str = "",
    *,
    si: str = "",
    display: str = "",
) -> Any:
    """A field given as text with a unit (one of ``units``), parsed to SI and range-checked.

    ``si`` is the SI unit, ``display`` the unit shown to people; ``shown`` the range as text.
    """

    def parse(v: Any, info: ValidationInfo) -> float:
        si_numbers = bool(info.context and info.context.get("si"))
        if si_numbers and isinstance(v, int | float) and not isinstance(v, bool):
            x = float(v)  # a number in SI (snapshots, programs): no unit needed
            if not math.isfinite(x):
                raise ValueError("must be finite")
        else:
            x = parse_quantity(v, units)
        if not lo <= x <= hi:
            raise ValueError(f"outside the allowed range {shown}")
        return x

    meta = {
        "units": list(units),
        "si_unit": si or units[0],
        "display_unit": display or units[0],
        "min_si": lo,
        "max_si": hi,
        "range": shown,
    }
    return Annotated[float, BeforeValidator(parse), Field(json_schema_extra=meta)]


Time = quantity(TIME_UNITS, 0.0, MAX_TIME, "0 to 30 d", si="s", display="s")
Duration = quantity(TIME_UNITS, 1e-3, MAX_TIME, "1 ms to 30 d", si="s", display="s")
Fraction = quantity(("%", "1"), 0.0, 1.0, "0 to 100 %", si="1", display="%")
FlowFraction = quantity(("%", "1"), 0.0, 1.2, "0 to 120 %", si="1", display="%")
PowerFraction = quantity(("%", "1"), 0.01, 1.0, "1 % to 100 %", si="1", display="%")
Reactivity = quantity(("pcm", "1"), -0.2, 0.2, "-20 000 to 20 000 pcm", si="1", display="pcm")
ReactivityRate = quantity(
    ("pcm/s", "1/s"), -1e-2, 1e-2, "-1000 to 1000 pcm/s", si="1/s", display="pcm/s"
)
Boron = quantity(("ppm",), 0.0, 5000.0, "0 to 5000 ppm", si="ppm")
BoronRate = quantity(
    ("ppm/s", "ppm/min", "ppm/h"), 1e-6, 10.0, "0 to 10 ppm/s", si="ppm/s", display="ppm/min"
)
Temperature = quantity(("degC", "K"), 273.15, 620.0, "0 to 347 degC", si="K", display="degC")
Pressure = quantity(
    ("MPa", "bar", "Pa", "kPa"), 0.1e6, 22e6, "0.1 to 22 MPa", si="Pa", display="MPa"
)
PowerRate = quantity(("%/min", "%/s"), 1e-6, 0.2, "0 to 20 %/s", si="1/s", display="%/min")
BankSpeed = quantity(("%/s", "1/s"), 1e-5, 1.0, "0 to 100 %/s", si="1/s", display="%/s")


class Action(BaseModel):
    """Base of every action (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    #: the models it applies to
    applies_to: ClassVar[tuple[str, ...]] = ("core", "plant")
    #: short label for menus; the docstring's first line is the description
    label: ClassVar[str] = ""
    #: operator command (True) or instructor malfunction (False)
    operator: ClassVar[bool] = True

    kind: str = ""  # each subclass narrows it to its Literal
    #: what the action needs of a design (nppsim.designs.features): a steam-line break needs a
    #: horizontal steam generator, a boron change soluble boron
    requires: ClassVar[dict[str, Any]] = {}

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        """Checks that depend on the design (names the field as ``where``.field)."""
        if model.kind not in self.applies_to:
            allowed = " or ".join(self.applies_to)
            raise InputError(
                file,
                f"{where}kind",
                self.kind,
                f'a {allowed} event: set scenario.model = "{self.applies_to[0]}"',
            )
        if self.requires:
            from nppsim.designs.features import features, unmet

            miss = unmet(self.requires, features(model.design))
            if miss:
                raise InputError(
                    file,
                    f"{where}kind",
                    self.kind,
                    f"not on {model.design.name}: the action " + "; ".join(miss),
                )

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        """Act at time ``t`` [s] on state ``y`` and discrete state ``d`` (copies)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """The action as plain data (quantities as SI numbers): ``parse_action(d, si=True)``
        gives it back."""
        return self.model_dump(mode="json", exclude_none=True)

    def entry(self, t: float, detail: str = "") -> dict[str, Any]:
        e = {"time_s": t, "kind": self.kind, "name": self.name or self.kind}
        if detail:
            e["detail"] = detail
        return e


# -- core actions ---------------------------------------------------------------------------------
class Scram(Action):
    """Manual reactor trip: all banks fall after the design's scram delay."""

    kind: Literal["scram"] = "scram"
    label: ClassVar[str] = "Manual reactor trip"

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        y, d, entries = model.protection.reactor_trip(
            model.net, t, y, d, "manual", "manual reactor trip"
        )
        return y, d, entries


class BankMove(Action):
    """Move one bank to a withdrawn fraction at its design speed (or ``speed``); a regulating bank
    moved by hand puts rod control in manual."""

    kind: Literal["bank"] = "bank"
    label: ClassVar[str] = "Move a rod bank"
    bank: str
    target: Fraction
    speed: BankSpeed | None = None

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        names = model.bank_names
        if self.bank not in names:
            raise InputError(
                file,
                f"{where}bank",
                self.bank,
                f"banks of {model.design.name}: " + ", ".join(names),
            )

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        net, core = model.net, model.core
        if model.protection.is_tripped(net, d):
            return y, d, [self.entry(t, "ignored: reactor tripped")]
        b = core.bank_names.index(self.bank)
        detail = ""
        if b in core.regulating and model.rods_mode(d) == "auto":
            model.set_rods_mode(d, "manual")
            detail = "rod control switched to manual"
        speed = self.speed or float(core.bank_speed[b])
        z = float(y[net.states[f"{core.name}.bank"].start + b])
        d[net.discrete[f"{core.name}.bank_target"].start + b] = self.target
        vel = net.discrete[f"{core.name}.bank_velocity"].start + b
        arr = net.discrete[f"{core.name}.bank_arrival"].start + b
        if self.target != z:
            d[vel] = math.copysign(speed, self.target - z)
            d[arr] = t + abs(self.target - z) / speed
        return y, d, [self.entry(t, detail)]


class ReactivityStep(Action):
    """Add a step of external reactivity."""

    kind: Literal["reactivity_step"] = "reactivity_step"
    label: ClassVar[str] = "Reactivity step"
    operator: ClassVar[bool] = False
    rho: Reactivity

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        model.ramp_external(d, t, self.rho, 0.0)
        return y, d, [self.entry(t)]


class ReactivityRamp(Action):
    """Add external reactivity at a constant rate for a duration."""

    kind: Literal["reactivity_ramp"] = "reactivity_ramp"
    label: ClassVar[str] = "Reactivity ramp"
    operator: ClassVar[bool] = False
    rate: ReactivityRate
    duration: Duration

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        model.ramp_external(d, t, self.rate * self.duration, self.duration)
        return y, d, [self.entry(t)]


class BoronChange(Action):
    """Change boron to a target at a rate (boration or dilution); boron control goes manual."""

    kind: Literal["boron"] = "boron"
    label: ClassVar[str] = "Borate or dilute"
    requires: ClassVar[dict[str, Any]] = {"soluble_boron": True}
    target: Boron
    rate: BoronRate

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        model.boron.manual_change(model.net, y, d, t, self.target, self.rate)
        return y, d, [self.entry(t)]


class _BoundaryRamp(Action):
    applies_to: ClassVar[tuple[str, ...]] = ("core",)
    operator: ClassVar[bool] = False
    _which: ClassVar[str] = ""
    target: float
    duration: Time = 0.0

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        model.boundary.ramp(model.net, d, self._which, t, self.target, self.duration)
        return y, d, [self.entry(t)]


class InletTemperature(_BoundaryRamp):
    """Change the coolant inlet temperature, as a step or a ramp over ``duration`` (core model)."""

    kind: Literal["inlet_temperature"] = "inlet_temperature"
    label: ClassVar[str] = "Inlet temperature"
    _which: ClassVar[str] = "inlet_temperature"
    target: Temperature


class Flow(_BoundaryRamp):
    """Change the coolant flow (fraction of nominal), as a step or a ramp over ``duration``
    (core model)."""

    kind: Literal["flow"] = "flow"
    label: ClassVar[str] = "Core flow"
    _which: ClassVar[str] = "flow"
    target: FlowFraction


class PressureChange(_BoundaryRamp):
    """Change the primary pressure, as a step or a ramp over ``duration`` (core model)."""

    kind: Literal["pressure"] = "pressure"
    label: ClassVar[str] = "Primary pressure"
    _which: ClassVar[str] = "pressure"
    target: Pressure


class PowerSetpoint(Action):
    """Ramp the power controller's setpoint to a target at a rate; rod control goes automatic."""

    kind: Literal["power_setpoint"] = "power_setpoint"
    label: ClassVar[str] = "Reactor power setpoint"
    target: PowerFraction
    rate: PowerRate

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        if model.protection.is_tripped(model.net, d):
            return y, d, [self.entry(t, "ignored: reactor tripped")]
        cur = model.power_setpoint(d, t)
        model.rods.set_ramp(model.net, d, t, self.target, abs(self.target - cur) / self.rate)
        model.set_rods_mode(d, "auto")
        model.on_power_setpoint(d)
        return y, d, [self.entry(t)]


class Control(Action):
    """Switch rod control and/or boron control between automatic and manual; for the plant model
    also the turbine controller between constant steam pressure and electric power."""

    kind: Literal["control"] = "control"
    label: ClassVar[str] = "Control modes"
    rods: Literal["auto", "manual"] | None = None
    boron: Literal["auto", "manual"] | None = None
    turbine: Literal["pressure", "power"] | None = None

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        if self.turbine is not None and model.kind != "plant":
            raise InputError(file, f"{where}turbine", self.turbine, "the plant model only")

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        entries = [self.entry(t)]
        if self.turbine is not None:
            y, d, more = model.set_turbine_mode(t, y, d, self.turbine)
            entries = more
        tripped = model.protection.is_tripped(model.net, d)
        if self.rods is not None and not tripped:
            model.set_rods_mode(d, self.rods)
            if self.rods == "auto":
                n = float(y[model.net.s_index(f"{model.core.name}.n")])
                model.rods.set_ramp(model.net, d, t, n, 0.0)
                core = model.core
                for b in core.regulating:
                    d[model.net.discrete[f"{core.name}.bank_velocity"].start + b] = 0.0
        if self.boron is not None:
            model.boron.stop(model.net, d)
            d[model.net.d_index(f"{model.boron.name}.mode")] = 0.0 if self.boron == "auto" else 1.0
        return y, d, entries


# -- plant actions --------------------------------------------------------------------------------
Area = quantity(("m2", "cm2"), 1e-6, 1.0, "0.01 cm2 to 1 m2", si="m2", display="cm2")
LoadFraction = quantity(("%", "1"), 0.0, 1.1, "0 to 110 %", si="1", display="%")
ClusterWorth = quantity(("pcm", "1"), 1e-5, 5e-3, "1 to 500 pcm", si="1", display="pcm")


class _PlantAction(Action):
    applies_to: ClassVar[tuple[str, ...]] = ("plant",)


class PumpTrip(_PlantAction):
    """Trip one reactor coolant pump: its motor loses supply and it coasts down."""

    kind: Literal["pump_trip"] = "pump_trip"
    label: ClassVar[str] = "Trip a coolant pump"
    operator: ClassVar[bool] = False
    pump: int = Field(ge=1, le=8)

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        model.check_index("pump", self.pump, f"{where}pump", file)

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.pump_power(t, y, d, self.pump, False, self.entry(t))


class PumpStart(_PlantAction):
    """Start one reactor coolant pump: its motor is switched on."""

    kind: Literal["pump_start"] = "pump_start"
    label: ClassVar[str] = "Start a coolant pump"
    pump: int = Field(ge=1, le=8)

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        model.check_index("pump", self.pump, f"{where}pump", file)

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.pump_power(t, y, d, self.pump, True, self.entry(t))


class TurbineTrip(_PlantAction):
    """Turbine trip: stop valves close; the reactor trips above the design threshold."""

    kind: Literal["turbine_trip"] = "turbine_trip"
    label: ClassVar[str] = "Trip the turbine"

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.turbine_trip(t, y, d, self.entry(t))


class LoadRejection(_PlantAction):
    """Loss of the grid connection: the turbine runs on to house load."""

    kind: Literal["load_rejection"] = "load_rejection"
    label: ClassVar[str] = "Load rejection"
    operator: ClassVar[bool] = False

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.load_rejection(t, y, d, self.entry(t))


class FeedwaterPumpTrip(_PlantAction):
    """Trip main feed pumps (two run at power)."""

    kind: Literal["feedwater_pump_trip"] = "feedwater_pump_trip"
    label: ClassVar[str] = "Trip feed pumps"
    operator: ClassVar[bool] = False
    count: int = Field(1, ge=1, le=4)

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        model.check_index("feed_pump", self.count, f"{where}count", file)

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.feed_pump_trip(t, y, d, self.count, self.entry(t))


class LossOfOffsitePower(_PlantAction):
    """Loss of off-site power: pumps, feed pumps, condenser and heaters lose supply."""

    kind: Literal["loss_of_offsite_power"] = "loss_of_offsite_power"
    label: ClassVar[str] = "Loss of off-site power"
    operator: ClassVar[bool] = False

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.loss_of_offsite_power(t, y, d, self.entry(t))


class SteamLineBreak(_PlantAction):
    """A break of the steam line of one steam generator (choked steam flow to the atmosphere)."""

    kind: Literal["steam_line_break"] = "steam_line_break"
    label: ClassVar[str] = "Steam-line break"
    requires: ClassVar[dict[str, Any]] = {"steam_generator": "horizontal"}
    operator: ClassVar[bool] = False
    sg: int = Field(ge=1, le=8)
    area: Area

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        model.check_index("sg", self.sg, f"{where}sg", file)

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.steam_line_break(t, y, d, self.sg, self.area, self.entry(t))


class RodDrop(_PlantAction):
    """One control cluster falls into the core: a fast insertion of its worth."""

    kind: Literal["rod_drop"] = "rod_drop"
    label: ClassVar[str] = "Dropped cluster"
    operator: ClassVar[bool] = False
    worth: ClusterWorth | None = None

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.rod_drop(t, y, d, self.worth, self.entry(t))


class TurbineLoad(_PlantAction):
    """Ramp the turbine's electric load setpoint at a rate up to the design's fastest, or step it
    (no rate); the turbine goes to power mode and the rods keep the steam pressure."""

    kind: Literal["turbine_load"] = "turbine_load"
    label: ClassVar[str] = "Turbine load"
    target: LoadFraction
    rate: PowerRate | None = None

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        tc = getattr(getattr(model.design, "control", None), "turbine", None)
        if self.rate is not None and tc is not None and self.rate > tc.max_load_rate.si * 1.000001:
            top = tc.max_load_rate.si * 6000.0
            raise InputError(
                file,
                f"{where}rate",
                f"{self.rate * 6000.0:g} %/min",
                f"the design allows ramps up to {top:g} %/min; leave out the rate for a step",
            )

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.turbine_load(t, y, d, self.target, self.rate, self.entry(t))


class SetpointChange(_PlantAction):
    """Change a plant controller's setpoint, checked against the design's range:
    ``primary_pressure`` and ``steam_pressure`` in MPa (or Pa, bar), ``sg_level`` and
    ``pressurizer_level`` in m."""

    kind: Literal["setpoint"] = "setpoint"
    label: ClassVar[str] = "Controller setpoint"
    controller: Literal["primary_pressure", "steam_pressure", "sg_level", "pressurizer_level"]
    value: str

    @staticmethod
    def _units(controller: str) -> tuple[str, ...]:
        return ("m", "cm") if controller.endswith("level") else ("MPa", "bar", "Pa", "kPa")

    @field_validator("value")
    @classmethod
    def _has_unit(cls, v: str, info: ValidationInfo) -> str:
        parse_quantity(v, cls._units(info.data.get("controller", "")))
        return v

    def si(self) -> float:
        """The value in SI."""
        return parse_quantity(self.value, self._units(self.controller))

    def check(self, model: Model, where: str = "", file: str | None = None) -> None:
        super().check(model, where, file)
        lo, hi, unit = model.setpoint_range(self.controller)
        if not lo <= self.si() <= hi:
            scale = 1e6 if unit == "Pa" else 1.0
            shown = "MPa" if unit == "Pa" else unit
            raise InputError(
                file,
                f"{where}value",
                self.value,
                f"{self.controller} allowed {lo / scale:g} to {hi / scale:g} {shown} "
                "(design trips and valve setpoints)",
            )

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.set_setpoint(t, y, d, self.controller, self.si(), self.entry(t))


# -- primary-side plant actions (issue 8): emergency power, make-up boron, emergency cooling -----
BoronConcentration = quantity(("ppm",), 0.0, 5e4, "0 to 50 000 ppm", si="ppm")
MakeupFlow = quantity(("t/h", "kg/s"), 0.0, 200.0, "0 to 720 t/h", si="kg/s", display="t/h")


class DieselFailure(_PlantAction):
    """The diesel generators fail to start (or trip): after a loss of off-site power, a station
    blackout."""

    kind: Literal["diesel_failure"] = "diesel_failure"
    label: ClassVar[str] = "Diesel generators fail"
    operator: ClassVar[bool] = False

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.diesel_failure(t, y, d, self.entry(t))


class FeedAndBleed(_PlantAction):
    """Add make-up at a boron concentration (clean water: 0 ppm, a dilution; concentrate: a
    boration) at a flow, with as much let down; ``flow = 0`` stops it. Independent of the boron
    controller, so it goes on through a reactor trip."""

    kind: Literal["feed_and_bleed"] = "feed_and_bleed"
    label: ClassVar[str] = "Feed and bleed (make-up at a concentration)"
    requires: ClassVar[dict[str, Any]] = {"soluble_boron": True}
    flow: MakeupFlow
    boron: BoronConcentration = 0.0

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.feed_and_bleed(t, y, d, self.flow, self.boron, self.entry(t))


class EccsStart(_PlantAction):
    """Start the emergency core cooling pumps by hand (the ECCS signal)."""

    kind: Literal["eccs_start"] = "eccs_start"
    label: ClassVar[str] = "Start emergency core cooling"
    requires: ClassVar[dict[str, Any]] = {"emergency_cooling": True}

    def apply(self, model: Model, t: float, y: np.ndarray, d: np.ndarray) -> Result:
        return model.eccs_start(t, y, d, self.entry(t))


#: every action class by kind
REGISTRY: dict[str, type[Action]] = {}


def register(cls: type[Action]) -> type[Action]:
    """Add an action class to the registry (by its ``kind``)."""
    kind = cls.model_fields["kind"].default
    if kind in REGISTRY and REGISTRY[kind] is not cls:
        raise ValueError(f"action kind {kind!r} registered twice")
    REGISTRY[kind] = cls
    return cls


for _cls in (
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
    DieselFailure,
    FeedAndBleed,
    EccsStart,
):
    register(_cls)


def parse_action(
    data: dict[str, Any], where: str = "", file: str | None = None, *, si: bool = False
) -> Action:
    """Validate one action from a dict with its ``kind`` (errors name file and field).

    Quantities are text with a unit (``"50 %"``); with ``si=True`` plain numbers in SI are
    accepted too (what :meth:`Action.to_dict` writes).
    """
    from nppsim.designs import format_validation_error

    kind = data.get("kind")
    if kind not in REGISTRY:
        raise InputError(file, f"{where}kind", kind, "one of " + ", ".join(sorted(REGISTRY)))
    try:
        return REGISTRY[kind].model_validate(data, context={"si": si})
    except ValidationError as e:
        fld, value, msg = format_validation_error(e)
        raise InputError(file, f"{where}{fld}", value, msg) from None


def describe(model: Model | None = None) -> list[dict[str, Any]]:
    """Every action with its fields, units and allowed ranges (for a model, if given: only the
    actions that apply to its kind and whose requirements its design meets)."""
    from nppsim.designs.features import features, unmet

    feats = features(model.design) if model is not None else {}
    out = []
    for kind, cls in sorted(REGISTRY.items()):
        if model is not None and model.kind not in cls.applies_to:
            continue
        if model is not None and cls.requires and unmet(cls.requires, feats):
            continue
        fields = []
        for fname, info in cls.model_fields.items():
            if fname in ("kind", "name"):
                continue
            extra = _quantity_meta(info)
            choices = _choices(info.annotation)
            fields.append(
                {
                    "name": fname,
                    "required": info.is_required(),
                    "default": None if info.is_required() else info.default,
                    "units": extra.get("units"),
                    "si_unit": extra.get("si_unit"),
                    "display_unit": extra.get("display_unit"),
                    "min_si": extra.get("min_si"),
                    "max_si": extra.get("max_si"),
                    "range": extra.get("range", ""),
                    "choices": choices,
                }
            )
        desc = {
            "kind": kind,
            "label": cls.label or kind,
            "description": " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split()),
            "applies_to": list(cls.applies_to),
            "operator": cls.operator,
            "fields": fields,
        }
        if model is not None:
            model.refine_description(desc)
        out.append(desc)
    return out


def _quantity_meta(info: Any) -> dict[str, Any]:
    """A field's quantity metadata (units, range), also for an optional quantity
    (``PowerRate | None``), whose metadata sits inside the union."""
    from typing import get_args

    if isinstance(info.json_schema_extra, dict):
        return info.json_schema_extra
    for a in get_args(info.annotation):
        for m in getattr(a, "__metadata__", ()):
            extra = getattr(m, "json_schema_extra", None)
            if isinstance(extra, dict):
                return extra
    return {}


def _choices(annotation: Any) -> list[Any] | None:
    from typing import get_args, get_origin

    args = get_args(annotation)
    for a in (annotation, *args):
        if get_origin(a) is Literal:
            return list(get_args(a))
    return None


Handler = Callable[..., Result]

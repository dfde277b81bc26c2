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
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from nppsim.actions import (
    MAX_TIME,
    REGISTRY,
    Action,
    Boron,
    Duration,
    Pressure,
    Temperature,
    parse_action,
    quantity,
)
from nppsim.designs import Design, format_validation_error, load_design, read_toml
from nppsim.errors import InputError
from nppsim.plant.design_view import DesignView
from nppsim.units import TIME_UNITS, parse_quantity

MAX_DURATION = MAX_TIME  # [s] a month of simulated time is the longest scenario accepted

#: every action kind a scenario event may have (the action registry)
EVENT_KINDS = REGISTRY


class ScheduledAction(BaseModel):
    """A scenario event: an action (:mod:`nppsim.actions`) at a time [s]."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    time: float
    action: Action

    @property
    def kind(self) -> str:
        return self.action.kind

    @property
    def name(self) -> str:
        return self.action.name


def _parse_event(raw: Any, i: int) -> ScheduledAction:
    if not isinstance(raw, dict):
        raise ValueError(f"events[{i}] must be a table")
    data = dict(raw)
    if "time" not in data:
        raise _FieldError(f"events[{i}].time", "<missing>", "Field required")
    try:
        time = parse_quantity(data.pop("time"), TIME_UNITS)
    except ValueError as e:
        raise _FieldError(f"events[{i}].time", raw.get("time"), str(e)) from None
    if not 0.0 <= time <= MAX_DURATION:
        raise _FieldError(
            f"events[{i}].time", raw.get("time"), "outside the allowed range 0 to 30 d"
        )
    if not data.get("name") and isinstance(data.get("kind"), str):
        data["name"] = f"{data['kind']}#{i}"  # the event's name in the log: its kind and index
    try:
        action = parse_action(data, where=f"events[{i}].")
    except InputError as e:
        raise _FieldError(e.field, e.value, e.allowed) from None
    return ScheduledAction(time=time, action=action)


class _FieldError(ValueError):
    def __init__(self, field: str, value: Any, msg: str) -> None:
        super().__init__(msg)
        self.field, self.value, self.msg = field, value, msg


class ScenarioInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    design: str
    duration: Duration
    model: Literal["core", "plant"] = "core"
    # what the scenario needs of a design (nppsim.designs.features): a string or boolean must
    # equal the design's feature, a number is a minimum (``pumps = 2``)
    requires: dict[str, str | bool | int] = {}


#: initial power: 0 % (zero power, critical or at the source level of a ``subcriticality``)
#: to 100 %
InitialPower = quantity(("%", "1"), 0.0, 1.0, "0 to 100 %", si="1", display="%")
Subcriticality = quantity(("pcm", "1"), 1e-5, 0.2, "1 to 20 000 pcm", si="1", display="pcm")


class Initial(BaseModel):
    """The steady state a scenario starts from (see
    :func:`nppsim.plant.assemble.core_steady_state` and ``plant_steady_state``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    power: InitialPower
    critical: Literal["boron", "bank"] = "boron"
    rod_control: Literal["auto", "manual"] = "auto"
    boron_control: Literal["auto", "manual"] = "manual"
    boron: Boron | None = None
    pumps_off: list[int] = []  # plant model: reactor coolant pumps idle at the start (1-based)
    # the core's state in its fuel cycle (a name of the design's [cycle]: "BOC", "MOC", "EOC");
    # None: the design's [reactivity] and [kinetics] as written
    cycle: str | None = None
    # below critical by this much, at the source level (with power = "0 %")
    subcriticality: Subcriticality | None = None
    # core model: the coolant's pressure and inlet temperature (default: the design's nominal),
    # from cold shutdown up
    pressure: Pressure | None = None
    inlet_temperature: Temperature | None = None

    def steady_state_options(self) -> dict[str, Any]:
        """The keywords of ``Model.steady_state`` this table sets (beyond power, critical)."""
        kw: dict[str, Any] = {
            "boron": self.boron,
            "rod_control": self.rod_control,
            "boron_control": self.boron_control,
        }
        for name in ("subcriticality", "pressure", "inlet_temperature"):
            if getattr(self, name) is not None:
                kw[name] = getattr(self, name)
        return kw


class Scenario(BaseModel):
    """A validated scenario (times in s, all quantities SI)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scenario: ScenarioInfo
    initial: Initial
    events: list[ScheduledAction] = []
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

    def actions(self) -> list[tuple[float, Action]]:
        """The events as (time [s], action) pairs, for the engine."""
        return [(ev.time, ev.action) for ev in self.events]


def parse_scenario(data: dict[str, Any], file: Path | str | None = None) -> Scenario:
    """Validate a scenario dict; check its events against its design (banks, pumps, ranges)."""
    if not isinstance(data, dict):
        raise InputError(file, "<file>", "?", "a scenario is a TOML table")
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        raise InputError(file, "events", "{...}", "events is a list of [[events]] tables")
    try:
        events = [_parse_event(ev, i) for i, ev in enumerate(raw_events)]
    except _FieldError as e:
        raise InputError(file, e.field, e.value, e.msg) from None
    try:
        sc = Scenario.model_validate(
            {**data, "events": events, "path": str(file or ""), "raw": data}
        )
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(file, field, value, msg) from None
    try:
        design = load_design(sc.scenario.design)
    except InputError as e:
        if e.file is not None and e.field not in ("<file>", "design"):
            raise  # an error inside the design file: it names that file and field
        raise InputError(file, "scenario.design", sc.scenario.design, e.allowed) from None
    if not design.has_dynamics:
        raise InputError(
            file,
            "scenario.design",
            sc.scenario.design,
            "this design has ratings only (no core data); choose one with dynamics",
        )
    model = sc.scenario.model
    _check_requirements(sc, design, file)  # before the cycle: a scenario that does not apply
    if sc.initial.cycle is not None:  # says so, whatever cycle states the design has
        design = design.at_cycle(sc.initial.cycle, str(file) if file else None, "initial.cycle")
    if model == "plant":
        _plant_loops(design, file)
    view = DesignView(design, model)
    for i, ev in enumerate(sc.events):
        ev.action.check(view, f"events[{i}].", str(file) if file else None)
    loops = view.count("pump") if model == "plant" else 0
    for k in sc.initial.pumps_off:
        if model != "plant" or not 1 <= k <= loops:
            raise InputError(
                file, "initial.pumps_off", k, f"pump numbers 1 to {loops} (plant model only)"
            )
    ini = sc.initial
    if ini.subcriticality is not None and ini.power != 0.0:
        raise InputError(
            file,
            "initial.subcriticality",
            f"{ini.subcriticality * 1e5:g} pcm",
            "a subcritical core sits at its source level: give it with power = '0 %'",
        )
    if model == "plant":
        for name in ("pressure", "inlet_temperature"):
            if getattr(ini, name) is not None:
                raise InputError(
                    file,
                    f"initial.{name}",
                    sc.raw.get("initial", {}).get(name),
                    "the plant model starts from hot states at its setpoints; cold shutdown and "
                    "heat-up need the residual heat removal system (not modelled): use the core "
                    'model (model = "core")',
                )
    return sc


def requirements(sc: Scenario) -> dict[str, Any]:
    """What a scenario needs of a design: its ``[scenario.requires]``, its model, and what its
    events' actions need (``Action.requires``)."""
    req: dict[str, Any] = {}
    if sc.scenario.model == "plant":
        req["model"] = "plant"
    for ev in sc.events:
        req.update(getattr(type(ev.action), "requires", {}))
    req.update(sc.scenario.requires)
    return req


def _check_requirements(sc: Scenario, design: Design, file: Path | str | None) -> None:
    from nppsim.designs.features import FEATURES, check_keys, features, unmet

    bad = check_keys(sc.scenario.requires)
    if bad is not None:
        raise InputError(
            file,
            f"scenario.requires.{bad}",
            sc.scenario.requires[bad],
            "known requirements: " + ", ".join(f"{k} ({v})" for k, v in FEATURES.items()),
        )
    feats = features(design)
    if sc.scenario.model == "plant" and feats.get("model") != "plant":
        return  # _plant_loops says why, naming what is missing
    miss = unmet(requirements(sc), feats)
    if miss:
        raise InputError(
            file,
            "scenario.design",
            design.name,
            f"scenario {sc.name} does not apply to {design.name}: it " + "; it ".join(miss),
        )


def applies_to(sc: Scenario, design: Design | str) -> list[str]:
    """Why a scenario does not apply to a design (an empty list: it applies)."""
    from nppsim.designs.features import features, unmet

    d = design if isinstance(design, Design) else load_design(design)
    feats = features(d)
    if sc.scenario.model == "plant" and feats.get("model") != "plant":
        return [f"needs a design with plant data ({d.name} has {feats.get('model')} data only)"]
    if sc.scenario.model == "core" and feats.get("model") == "ratings":
        return [f"needs a design with core data ({d.name} has ratings only)"]
    miss = unmet(requirements(sc), feats)
    if miss:
        return miss
    try:
        for_design(sc, d)
    except InputError as e:
        return [f"{e.field} = {e.value!r}: {e.allowed}"]
    return []


def for_design(sc: Scenario, design: Design | str) -> Scenario:
    """The same scenario on another design (``nppsim run SCENARIO --design NAME``): validated
    again against that design (its requirements, its events' fields); an
    :class:`~nppsim.errors.InputError` says clearly why it does not apply."""
    name = design.path if isinstance(design, Design) and design.path else design
    if isinstance(name, Design):
        name = name.name
    data = dict(sc.raw)
    data["scenario"] = {**data.get("scenario", {}), "design": str(name)}
    return parse_scenario(data, sc.path or None)


def _plant_loops(design: Design, file: Path | str | None) -> int:
    from nppsim.designs.plant_sections import plant_sections

    try:
        return plant_sections(design).primary.loops
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
    from nppsim.checks import input_file

    text = str(name_or_path)
    path = input_file(text, "scenario", ".toml", builtin_names())
    if path is None:
        path = _builtin_dir() / f"{text}.toml"
    return parse_scenario(read_toml(path), path)


__all__: list[str] = [
    "EVENT_KINDS",
    "Scenario",
    "applies_to",
    "builtin_names",
    "for_design",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "requirements",
]

"""Sites: several units of one plant run together on one clock.

A site file (``bushehr.toml``, ``hormoz.toml`` in this folder, or any TOML file) names the site and
its units, each with its design::

    [site]
    name = "hormoz"
    title = "Iran Hormoz nuclear power plant (Sirik, Hormozgan)"

    [[units]]
    name = "hormoz-1"
    design = "vver-toi"
    status = "planned"

A *site scenario* (``scenarios/*.toml`` in this folder) gives the initial power, the duration and
site-wide events, each at a time:

* ``loss_of_offsite_power``: every unit named in ``units`` (default: all) loses off-site power;
* ``unit_trip``: one unit trips (``unit``: a name or a 1-based number; ``how``: ``"reactor"``, a
  manual reactor trip, or ``"turbine"``);
* ``grid_demand``: the grid asks the site for ``demand`` (a percentage of the site's rated gross
  output, or MW) at ``rate``; the demand is shared by the units then on line in proportion to
  their ratings (each at most at its rating) and given to them as turbine load setpoints: a
  schedule is a list of such events;
* ``unit_action``: any action of the registry (``action = { kind = "pump_trip", pump = 1 }``)
  on the units named.

Any built-in unit scenario can also be run on a whole site: its events then happen on every unit
(:func:`site_scenario_from_unit`). :func:`nppsim.sites.run.run_site` runs the units in lockstep,
one :class:`~nppsim.engine.simulation.Simulation` per unit advanced to the same times, and
:func:`nppsim.sites.run.write_site` writes ``site.parquet`` (long form: ``time_s``, ``unit`` and
the usual SI columns, with ``unit = "site"`` for the site totals), ``site.json``, ``site.png`` and
each unit's ``timeseries.parquet``, ``run.json`` and ``overview.png``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nppsim.designs import format_validation_error, read_toml
from nppsim.errors import InputError
from nppsim.units import TIME_UNITS, parse_quantity

__all__ = [
    "Site",
    "SiteScenario",
    "list_site_scenarios",
    "list_sites",
    "load_site",
    "load_site_scenario",
    "site_scenario_from_unit",
]

_NAME = r"^[a-z0-9][a-z0-9._-]*$"


class SiteInfo(BaseModel):
    """``[site]``: name, title, where, and the keys of the sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=_NAME)
    title: str
    description: str = ""
    location: str = ""
    sources: dict[str, str] = {}


class SiteUnit(BaseModel):
    """One unit of a site: its name, design and status."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=_NAME)
    design: str
    status: Literal["operating", "under construction", "planned"] = "operating"
    source: str = ""
    note: str = ""


class Site(BaseModel):
    """A validated site file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    site: SiteInfo
    units: list[SiteUnit] = Field(min_length=1, max_length=16)
    path: str = ""

    @model_validator(mode="after")
    def _unique(self) -> Site:
        names = [u.name for u in self.units]
        if len(set(names)) != len(names):
            raise ValueError(f"unit names must be unique: {names}")
        return self

    @property
    def name(self) -> str:
        return self.site.name

    def unit(self, ref: str | int, file: str | None = None, field: str = "unit") -> SiteUnit:
        """A unit by name or 1-based number."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            if 1 <= ref <= len(self.units):
                return self.units[ref - 1]
        else:
            for u in self.units:
                if u.name == ref:
                    return u
        names = ", ".join(u.name for u in self.units)
        raise InputError(
            file, field, ref, f"{self.name} has units {names} (or 1 to {len(self.units)})"
        )


# -- site scenarios -------------------------------------------------------------------------------
class SiteEvent(BaseModel):
    """One site-wide event (see the module docstring); times and quantities in SI."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    time: float
    kind: Literal["loss_of_offsite_power", "unit_trip", "grid_demand", "unit_action"]
    units: list[str | int] | Literal["all"] = "all"
    unit: str | int | None = None
    how: Literal["reactor", "turbine"] = "reactor"
    demand: float | None = None  # [1] of the site's rated gross output, or [W] with demand_unit
    demand_watts: bool = False
    rate: float | None = None  # [1/s]
    action: dict[str, Any] | None = None


class ScenarioHead(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=_NAME)
    title: str
    description: str = ""
    duration: str


class SiteScenario(BaseModel):
    """A validated site scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    name: str
    title: str
    description: str = ""
    duration: float
    initial: dict[str, Any]
    events: list[SiteEvent]
    path: str = ""
    raw: dict[str, Any] = {}


def _time(v: Any, file: Any, field: str) -> float:
    try:
        t = parse_quantity(v, TIME_UNITS)
    except ValueError as e:
        raise InputError(file, field, v, str(e)) from None
    if not 0.0 <= t <= 30 * 86400.0:
        raise InputError(file, field, v, "allowed 0 to 30 d")
    return t


def parse_site_scenario(data: dict[str, Any], file: Path | str | None = None) -> SiteScenario:
    """Validate a site scenario dict (events' fields with units; errors name file and field)."""
    if not isinstance(data, dict) or "scenario" not in data:
        raise InputError(file, "scenario", "<missing>", "a site scenario has a [scenario] table")
    try:
        head = ScenarioHead.model_validate(data["scenario"])
    except ValidationError as e:
        f, v, msg = format_validation_error(e)
        raise InputError(file, f"scenario.{f}", v, msg) from None
    duration = _time(head.duration, file, "scenario.duration")
    if duration <= 0.0:
        raise InputError(file, "scenario.duration", head.duration, "must be positive")
    initial = data.get("initial", {"power": "100 %"})
    if not isinstance(initial, dict):
        raise InputError(file, "initial", initial, "a table ([initial] power = ...)")
    events: list[SiteEvent] = []
    for i, raw in enumerate(data.get("events", [])):
        where = f"events[{i}]"
        if not isinstance(raw, dict):
            raise InputError(file, where, raw, "an [[events]] table")
        ev = dict(raw)
        if "time" not in ev:
            raise InputError(file, f"{where}.time", "<missing>", "Field required")
        ev["time"] = _time(ev["time"], file, f"{where}.time")
        if ev["time"] >= duration:
            raise InputError(
                file, f"{where}.time", raw["time"], "must be before the end of the scenario"
            )
        if "demand" in ev:
            text = str(ev["demand"]).strip()
            try:
                if text.endswith("MW"):
                    ev["demand"] = parse_quantity(text, ("MW", "W", "GW"))
                    ev["demand_watts"] = True
                else:
                    ev["demand"] = parse_quantity(text, ("%", "1"))
                    if not 0.0 <= ev["demand"] <= 1.1:
                        raise ValueError("allowed 0 to 110 % of the site's rated output")
            except ValueError as e:
                raise InputError(file, f"{where}.demand", raw["demand"], str(e)) from None
        if "rate" in ev:
            try:
                ev["rate"] = parse_quantity(ev["rate"], ("%/min", "%/s"))
            except ValueError as e:
                raise InputError(file, f"{where}.rate", raw["rate"], str(e)) from None
        try:
            sev = SiteEvent.model_validate(ev)
        except ValidationError as e:
            f, v, msg = format_validation_error(e)
            raise InputError(file, f"{where}.{f}", v, msg) from None
        if sev.kind == "unit_trip" and sev.unit is None:
            raise InputError(file, f"{where}.unit", "<missing>", "unit_trip names its unit")
        if sev.kind == "grid_demand" and (sev.demand is None or sev.rate is None):
            raise InputError(file, f"{where}", raw, "grid_demand needs demand and rate")
        if sev.kind == "unit_action":
            if sev.action is None:
                raise InputError(file, f"{where}.action", "<missing>", "unit_action needs action")
            from nppsim.actions import parse_action

            parse_action({**sev.action}, where=f"{where}.action.", file=str(file) if file else None)
        events.append(sev)
    return SiteScenario(
        name=head.name,
        title=head.title,
        description=head.description,
        duration=duration,
        initial=initial,
        events=events,
        path=str(file or ""),
        raw=data,
    )


def site_scenario_from_unit(name_or_path: str) -> SiteScenario:
    """A unit scenario (built-in name or file) as a site scenario: its events on every unit."""
    from nppsim.scenarios import load_scenario

    sc = load_scenario(name_or_path)
    raw = sc.raw
    events = []
    for ev in raw.get("events", []):
        action = {k: v for k, v in ev.items() if k != "time"}
        events.append({"time": ev["time"], "kind": "unit_action", "action": action})
    data = {
        "scenario": {
            "name": sc.name,
            "title": sc.scenario.title,
            "description": sc.scenario.description,
            "duration": raw["scenario"]["duration"],
        },
        "initial": raw.get("initial", {"power": "100 %"}),
        "events": events,
    }
    return parse_site_scenario(data, sc.path or None)


# -- files ----------------------------------------------------------------------------------------
def _sites_dir() -> Path:
    return Path(str(resources.files("nppsim.sites")))


def list_sites() -> list[str]:
    """Names of the sites that ship with nppsim."""
    return sorted(p.stem for p in _sites_dir().glob("*.toml"))


def list_site_scenarios() -> list[str]:
    """Names of the built-in site scenarios."""
    return sorted(p.stem for p in (_sites_dir() / "scenarios").glob("*.toml"))


def parse_site(data: dict[str, Any], file: Path | str | None = None) -> Site:
    """Validate a site dict; every unit's design must exist and have plant data."""
    from nppsim.designs import load_design
    from nppsim.designs.features import features

    try:
        site = Site.model_validate({**data, "path": str(file or "")})
    except ValidationError as e:
        f, v, msg = format_validation_error(e)
        raise InputError(file, f, v, msg) from None
    for i, u in enumerate(site.units):
        try:
            design = load_design(u.design)
        except InputError as e:
            raise InputError(file, f"units[{i}].design", u.design, e.allowed) from None
        if features(design).get("model") != "plant":
            raise InputError(
                file,
                f"units[{i}].design",
                u.design,
                "a site runs units with plant data (this design has ratings or core data only)",
            )
    return site


def load_site(name_or_path: str | Path) -> Site:
    """A site by built-in name (``"hormoz"``) or from a TOML file."""
    text = str(name_or_path)
    if text in list_sites():
        path = _sites_dir() / f"{text}.toml"
    else:
        path = Path(text)
        if not (path.suffix == ".toml" and path.exists()):
            raise InputError(
                None,
                "site",
                text,
                f"not a site file nor a built-in site ({', '.join(list_sites())})",
            )
    return parse_site(read_toml(path), path)


def load_site_scenario(name_or_path: str | Path) -> SiteScenario:
    """A site scenario by built-in name or file; otherwise a unit scenario on every unit."""
    text = str(name_or_path)
    if text in list_site_scenarios():
        path = _sites_dir() / "scenarios" / f"{text}.toml"
        return parse_site_scenario(read_toml(path), path)
    path = Path(text)
    if path.suffix == ".toml" and path.exists():
        data = read_toml(path)
        head = data.get("scenario")
        if isinstance(head, dict) and "design" not in head:
            return parse_site_scenario(data, path)  # a site scenario names no design
    from nppsim.scenarios import builtin_names

    if text in builtin_names() or (path.suffix == ".toml" and path.exists()):
        return site_scenario_from_unit(text)
    raise InputError(
        None,
        "scenario",
        text,
        "not a site scenario ("
        + ", ".join(list_site_scenarios())
        + ") nor a unit scenario ("
        + ", ".join(builtin_names())
        + ")",
    )

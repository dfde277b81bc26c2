"""Reactor design files: schema, loading and listing.

A design is a TOML file in this folder (``vver1000-v446.toml``) or anywhere on disk. Every number
is a *quantity*: an inline table with ``value``, ``unit``, ``source`` and ``confidence``::

    power_thermal = { value = 3000, unit = "MW", source = "PR §1.2", confidence = "S" }

Confidence tags follow ``shared/data/plants-research.md``: ``S`` read in the named source, ``S2`` a
weak or secondary source, ``D`` derived by calculation (the note gives the method), ``M``
engineering knowledge not read in a source, ``E`` an estimate made for nppsim. ``M``, ``E`` and
``D`` need a ``note`` that says why and how. Values are converted to SI once, on loading
(:mod:`nppsim.units`).

Both levels read the same file: the programme model needs only ``[design]`` and ``[rating]``; the
plant model also needs ``[core]``, ``[kinetics]``, ``[reactivity]``, ``[rods]``, ``[poisons]`` and
``[decay_heat]``.

**Inheritance.** A design may take another's values by reference (one value, one place)::

    [design]
    name = "vver1000-v528"
    inherits = "vver1000-v446"      # a built-in name, or a path relative to this file

Every table of the parent is merged into the child's, field by field: a quantity the child gives
replaces the parent's whole (value, unit, source, confidence, note); a sub-table is merged again
field by field; an array of named tables (``[[rods.banks]]``, ``[[protection.trips]]``) is merged
item by item by ``name`` (an item the child names is merged over the parent's item of that name,
new names are appended); any other array given by the child (a list quantity, a list of
strings) replaces the parent's. Of ``[design]`` only ``sources`` is inherited (merged);
the name, title, type, description and reference units are the child's own. A parent may itself
inherit (chains are followed; a cycle is an error naming the files). :attr:`Design.inherited` maps
each inherited value's dotted path to the design that defines it, so ``nppsim designs show`` can
say where every value comes from. See :func:`resolve_inheritance`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from nppsim.errors import InputError
from nppsim.units import is_known, to_si

Confidence = Literal["S", "S2", "D", "M", "E"]


@dataclass(frozen=True)
class Bounds:
    """Allowed range of a quantity, in SI, checked after conversion.

    Parameters
    ----------
    lo, hi : float
        Inclusive limits in SI.
    unit : str
        Unit used to *show* the limits in an error message.
    """

    lo: float
    hi: float
    unit: str = ""

    def describe(self) -> str:
        return f"allowed range {self.lo:g} to {self.hi:g} {self.unit} (SI)".rstrip()


class Sourced(BaseModel):
    """Anything read from a data file with its source and confidence (designs, programmes).

    ``M``, ``E`` and ``D`` values must say in ``note`` how they were estimated or derived, and why.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=2)
    confidence: Confidence
    note: str | None = None

    @model_validator(mode="after")
    def _estimate_says_why(self) -> Sourced:
        if self.confidence in ("M", "E", "D") and not self.note:
            raise ValueError(
                f"confidence {self.confidence!r} needs a 'note' saying how the value was "
                "estimated or derived, and why"
            )
        return self


class Quantity(Sourced):
    """One design number with its unit, source and confidence."""

    value: float | list[float]
    unit: str

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if not is_known(unit):
            raise ValueError(f"unknown unit {unit!r}")
        return unit

    @property
    def si(self) -> float:
        """The value in SI units (scalar quantities)."""
        if isinstance(self.value, list):
            raise TypeError("quantity is a list; use .si_list")
        return to_si(float(self.value), self.unit)

    @property
    def si_list(self) -> list[float]:
        """The values in SI units (list quantities; a scalar gives a one-element list)."""
        values = self.value if isinstance(self.value, list) else [self.value]
        return [to_si(float(v), self.unit) for v in values]


def Q(lo: float = float("-inf"), hi: float = float("inf"), unit: str = "") -> Any:
    """A :class:`Quantity` field type with an allowed SI range."""
    return Annotated[Quantity, Bounds(lo, hi, unit)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DesignInfo(_Section):
    """Name, title and type of a design, and the keys of its sources (``[design]``)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    reactor_type: str
    description: str = ""
    reference_units: list[str] = []
    sources: dict[str, str] = {}
    #: the parent design (a built-in name or a path), whose values this one takes by reference
    inherits: str | None = None


class Rating(_Section):
    """Ratings that the programme model and the plant model share."""

    power_thermal: Q(1e6, 1e10, "W")
    power_electric_gross: Q(1e5, 3e9, "W")
    power_electric_net: Q(1e5, 3e9, "W")
    design_life: Q(5 * 3.156e7, 100 * 3.156e7, "s")
    refuelling_interval: Q(0.5 * 3.156e7, 15 * 3.156e7, "s")
    refuelling_outage: Q(0.0, 365 * 86400.0, "s")
    fuel_loading: Q(1.0, 5e5, "kg")
    enrichment_reload: Q(0.005, 0.2, "1")
    discharge_burnup: Q(1e11, 2e13, "J/kg")

    @model_validator(mode="after")
    def _net_below_gross(self) -> Rating:
        if self.power_electric_net.si > self.power_electric_gross.si:
            raise ValueError("power_electric_net must not exceed power_electric_gross")
        if self.power_electric_gross.si >= self.power_thermal.si:
            raise ValueError("power_electric_gross must be below power_thermal")
        return self


class Core(_Section):
    """Core geometry and fuel-rod data for the lumped core model."""

    fuel_assemblies: Q(1, 1000, "1")
    rods_per_assembly: Q(1, 1000, "1")
    active_height: Q(0.5, 6.0, "m")
    rod_outer_diameter: Q(3e-3, 20e-3, "m")
    clad_thickness: Q(0.2e-3, 2e-3, "m")
    pellet_outer_diameter: Q(3e-3, 20e-3, "m")
    pellet_hole_diameter: Q(0.0, 5e-3, "m")
    rod_pitch: Q(4e-3, 30e-3, "m")
    assembly_pitch: Q(0.05, 0.5, "m")
    fuel_density: Q(5e3, 11e3, "kg/m3")
    gap_conductance: Q(500.0, 1e5, "W/m2/K")
    axial_peaking_extrapolation: Q(0.0, 2.0, "m")
    bypass_fraction: Q(0.0, 0.2, "1")
    axial_nodes: int = Field(4, ge=2, le=20)
    radial_peaking: Q(1.0, 3.0, "1")


class Coolant(_Section):
    """Nominal boundary conditions of the core model."""

    pressure: Q(0.1e6, 22e6, "Pa")
    inlet_temperature: Q(273.15, 620.0, "K")
    outlet_temperature: Q(273.15, 640.0, "K")
    mass_flow: Q(1.0, 1e5, "kg/s")


class Kinetics(_Section):
    """Delayed-neutron data (beta_i [1], lambda_i [1/s]), generation time [s], source [1/s]."""

    beta: Q(0.0, 0.02, "1")
    decay_constants: Q(1e-3, 100.0, "1/s")
    generation_time: Q(1e-8, 1e-2, "s")
    neutron_source: Q(0.0, 1e-3, "1/s")

    @model_validator(mode="after")
    def _groups_match(self) -> Kinetics:
        nb, nl = len(self.beta.si_list), len(self.decay_constants.si_list)
        if nb != nl or not 1 <= nb <= 8:
            raise ValueError(
                f"beta has {nb} groups and decay_constants {nl}: need the same, 1 to 8"
            )
        return self


class Reactivity(_Section):
    """Feedback coefficients [1/K, 1/(kg/m3), 1/ppm] and the boron of the full-power state."""

    doppler_coefficient: Q(-1e-3, 0.0, "1/K")
    moderator_temperature_coefficient: Q(-2e-3, 5e-4, "1/K")
    moderator_density_coefficient: Q(-1e-3, 1e-3, "1/(kg/m3)")
    boron_worth: Q(-1e-3, 0.0, "1/ppm")
    critical_boron_full_power: Q(0.0, 3000.0, "ppm")
    boron_min: Q(0.0, 3000.0, "ppm")
    boron_max: Q(0.0, 5000.0, "ppm")


class RodBank(_Section):
    """One control-rod bank: worth [1], full-power position [1], drive speed [1/s]."""

    name: str
    worth: Q(0.0, 0.2, "1")
    position_full_power: Q(0.0, 1.0, "1")
    speed: Q(1e-4, 0.2, "1/s")
    scram: bool = True


class Rods(_Section):
    """Control-rod banks, which of them regulate power, and the scram drop."""

    banks: list[RodBank] = Field(min_length=1)
    regulating_banks: list[str] = Field(min_length=1)
    # optional: compensating groups that step in automatically when the regulating group nears
    # an end of its travel (the integral plant, which has no soluble boron): they insert while
    # the regulating sequence is below ``regulator_low`` and withdraw while it is above
    # ``regulator_high``, at ``compensating_speed`` (nppsim.plant.components.core)
    compensating_banks: list[str] = Field(default_factory=list)
    regulator_low: Q(0.0, 8.0, "1") | None = None
    regulator_high: Q(0.0, 8.0, "1") | None = None
    compensating_speed: Q(1e-6, 0.2, "1/s") | None = None

    @model_validator(mode="after")
    def _banks_known(self) -> Rods:
        names = [b.name for b in self.banks]
        for r in self.regulating_banks:
            if r not in names:
                raise ValueError(f"regulating_banks names {r!r}; the banks are {names}")
        for r in self.compensating_banks:
            if r not in names:
                raise ValueError(f"compensating_banks names {r!r}; the banks are {names}")
            if r in self.regulating_banks:
                raise ValueError(f"bank {r!r} is both regulating and compensating")
        if self.compensating_banks:
            lo, hi, v = self.regulator_low, self.regulator_high, self.compensating_speed
            if lo is None or hi is None or v is None:
                raise ValueError(
                    "compensating_banks need regulator_low, regulator_high and compensating_speed"
                )
            if not lo.si < hi.si <= len(self.regulating_banks):
                raise ValueError(
                    "regulator_low must be below regulator_high, at most the number of "
                    "regulating banks"
                )
        return self

    scram_drop_time: Q(0.5, 10.0, "s")
    scram_delay: Q(0.0, 2.0, "s")
    cluster_worth: Q(1e-5, 5e-3, "1") | None = None


class CoreControl(_Section):
    """Automatic control of the core: power by the regulating banks, bank position by boron."""

    power_error_band: Q(1e-4, 0.2, "1")
    boron_rate_max: Q(1e-4, 1.0, "ppm/s")
    bank_position_reference: Q(0.0, 8.0, "1")
    bank_position_band: Q(0.005, 2.0, "1")
    # optional: the plant's smooth dead bands and the rods' pressure mode (a core-only design has
    # none and its controllers run without them)
    power_dead_band: Q(0.0, 0.1, "1") | None = None
    boron_dead_band: Q(0.0, 1.0, "1") | None = None
    rod_pressure_gain: Q(0.0, 1e-5, "1/Pa") | None = None
    # plant control sub-tables ([control.pressurizer] ...), optional: a core-only design has none;
    # defined in nppsim.designs.plant_sections (resolved at the end of this module)
    # (an integral plant's gas pressurizer and once-through steam generators have their own,
    # nppsim.designs.integral_sections)
    pressurizer: PressurizerControl | GasPressurizerControl | None = None
    steam_generators: SteamGeneratorControl | OnceThroughFeedControl | None = None
    turbine: TurbineControl | None = None
    steam_dump: SteamDumpControl | None = None
    arm: ArmControl | None = None
    power_limitation: PowerLimitation | None = None
    boron: BoronSystem | None = None  # the make-up system's boron control (plant)


class Protection(_Section):
    """Reactor trip setpoints."""

    high_flux: Q(0.5, 1.5, "1")
    short_period: Q(1.0, 100.0, "s")


class CycleState(_Section):
    """The core at one point of its fuel cycle (issue 8): what changes with burnup for the
    kinetics, the feedback and the boron."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    burnup: Q(0.0, 2000.0 * 86400.0, "s")
    critical_boron_full_power: Q(0.0, 3000.0, "ppm")
    doppler_coefficient: Q(-1e-3, 0.0, "1/K")
    moderator_density_coefficient: Q(-1e-3, 1e-3, "1/(kg/m3)")
    boron_worth: Q(-1e-3, 0.0, "1/ppm")
    beta: Q(0.0, 0.02, "1")


class Cycle(_Section):
    """Core states through the cycle. ``reference`` names the state that the ``[reactivity]``
    and ``[kinetics]`` sections themselves describe (at ``reference_burnup``); ``states`` are the
    others. A scenario chooses one with ``[initial] cycle``."""

    reference: str
    reference_burnup: Q(0.0, 2000.0 * 86400.0, "s")
    states: list[CycleState] = Field(min_length=1)

    @model_validator(mode="after")
    def _names(self) -> Cycle:
        names = [s.name for s in self.states]
        if len(set(names)) != len(names) or self.reference in names:
            raise ValueError("cycle: state names must be unique and differ from the reference")
        return self

    @property
    def names(self) -> list[str]:
        """Every state's name, the reference first."""
        return [self.reference, *(s.name for s in self.states)]


class Poisons(_Section):
    """Flux, yields, decay constants and cross-sections of the Xe-135 and Sm-149 chains."""

    thermal_flux_full_power: Q(1e15, 1e19, "1/m2/s")
    neutrons_per_fission: Q(2.0, 3.2, "1")
    energy_per_fission: Q(1.5e-11, 4e-11, "J")
    iodine_yield: Q(0.0, 0.2, "1")
    xenon_yield: Q(0.0, 0.2, "1")
    iodine_decay_constant: Q(1e-7, 1e-3, "1/s")
    xenon_decay_constant: Q(1e-7, 1e-3, "1/s")
    xenon_cross_section: Q(1e-24, 1e-20, "m2")
    promethium_yield: Q(0.0, 0.1, "1")
    promethium_decay_constant: Q(1e-8, 1e-3, "1/s")
    samarium_cross_section: Q(1e-26, 1e-22, "m2")


class DecayHeat(_Section):
    """ANS-5.1-2004 inputs: fission fractions, energy per fission, capture ratio, operating time."""

    fission_fractions: dict[str, float]
    energy_per_fission: Q(150.0 * 1.602e-13, 250.0 * 1.602e-13, "J")
    capture_ratio: Q(0.0, 1.5, "1")
    operating_time: Q(0.0, 10 * 3.156e7, "s")
    source: str
    confidence: Confidence

    @field_validator("fission_fractions")
    @classmethod
    def _fractions(cls, v: dict[str, float]) -> dict[str, float]:
        allowed = {"U235", "U238", "Pu239", "Pu241"}
        if not set(v) <= allowed:
            raise ValueError(f"nuclides must be among {sorted(allowed)}")
        if abs(sum(v.values()) - 1.0) > 1e-6 or min(v.values()) < 0:
            raise ValueError("fission fractions must be non-negative and sum to 1")
        return v


#: sections a design needs for the core model (and so for the plant model)
CORE_SECTIONS = (
    "core",
    "coolant",
    "kinetics",
    "reactivity",
    "rods",
    "control",
    "protection",
    "poisons",
    "decay_heat",
)


class Design(_Section):
    """A whole design file. Sections beyond ``design`` and ``rating`` are optional."""

    model_config = ConfigDict(extra="allow", frozen=True)

    design: DesignInfo
    rating: Rating
    core: Core | None = None
    coolant: Coolant | None = None
    kinetics: Kinetics | None = None
    reactivity: Reactivity | None = None
    rods: Rods | None = None
    control: CoreControl | None = None
    # a design with plant data carries the plant's protection table (PlantProtection, which has the
    # core's high_flux and short_period too); a core-only design the core's Protection
    protection: Protection | PlantProtection | IntegralProtection | None = None
    # plant sections (validated as a whole, with the checks across sections, by
    # nppsim.designs.plant_sections.load_plant_sections)
    primary: Primary | None = None
    pumps: Pumps | None = None
    pressurizer: PressurizerKind | None = None
    steam_generators: SteamGeneratorKind | None = None
    turbine: Turbine | None = None
    emergency_feedwater: EmergencyFeedwater | None = None
    # emergency power and emergency core cooling (plant, primary side)
    electrical: Electrical | None = None
    emergency_cooling: EmergencyCooling | None = None
    poisons: Poisons | None = None
    decay_heat: DecayHeat | None = None
    cycle: Cycle | None = None
    # passive safety systems (nppsim.designs.passive_sections), where the design has them
    passive_safety: PassiveSafety | None = None
    path: str = ""
    #: dotted paths of the values taken from a parent design, with the design defining each
    inherited: dict[str, str] = {}

    @property
    def name(self) -> str:
        return self.design.name

    @property
    def has_dynamics(self) -> bool:
        """Whether the file has every section the core model needs."""
        return all(getattr(self, s) is not None for s in CORE_SECTIONS)

    def with_overrides(self, overrides: dict[str, Any], file: str | None = None) -> Design:
        """A new design with values replaced in memory (the design file is not touched).

        Parameters
        ----------
        overrides : mapping of str to value
            Dotted paths to values: ``{"pumps.inertia": 5000.0, "rods.banks[G10].worth": 0.007,
            "core.axial_nodes": 6}``. Quantities take SI numbers (converted to the file's unit
            and range-checked like the file); list items are addressed by index or by ``name``.
            The overridden quantity's source says so.
        file : str, optional
            Where the overrides came from, for error messages.

        Returns
        -------
        Design
            The new, validated design.
        """
        data = self.model_dump(exclude={"path", "inherited"}, exclude_none=True)
        for path, value in overrides.items():
            _set_path(data, path, value, file)
        out = parse_design(data, file or self.path or None)
        kept = {k: v for k, v in self.inherited.items() if k not in overrides}
        return out.model_copy(update={"path": self.path, "inherited": kept})

    def at_cycle(self, name: str | None, file: str | None = None, field: str = "cycle") -> Design:
        """This design with its core at the cycle state ``name`` (``[cycle]``): the state's
        critical boron, feedback coefficients and delayed-neutron fractions replace those of
        ``[reactivity]`` and ``[kinetics]``. None or the reference state: the design itself.

        Raises :class:`InputError` naming ``file`` and ``field`` for an unknown state.
        """
        if name is None:
            return self
        if self.cycle is None:
            raise InputError(file, field, name, f"design {self.name} has no [cycle] states")
        if name == self.cycle.reference:
            return self
        states = {s.name: s for s in self.cycle.states}
        if name not in states:
            raise InputError(file, field, name, "one of " + ", ".join(self.cycle.names))
        st = states[name]
        data = self.model_dump(exclude={"path"}, exclude_none=True)
        for key in (
            "critical_boron_full_power",
            "doppler_coefficient",
            "moderator_density_coefficient",
            "boron_worth",
        ):
            data["reactivity"][key] = getattr(st, key).model_dump(exclude_none=True)
        data["kinetics"]["beta"] = st.beta.model_dump(exclude_none=True)
        out = parse_design(data, file or self.path or None)
        return out.model_copy(update={"path": self.path})

    def sections(self) -> list[tuple[str, BaseModel]]:
        """The data sections present in the file, in schema order (``[design]`` excluded)."""
        return [
            (name, getattr(self, name))
            for name in type(self).model_fields
            if name != "design" and isinstance(getattr(self, name), BaseModel)
        ]


def _split_path(path: str) -> list[str]:
    parts: list[str] = []
    for piece in path.split("."):
        while "[" in piece:
            head, _, rest = piece.partition("[")
            if head:
                parts.append(head)
            key, _, piece = rest.partition("]")
            parts.append(f"[{key}]")
        if piece:
            parts.append(piece)
    return parts


def _set_path(data: dict[str, Any], path: str, value: Any, file: str | None) -> None:
    """Set ``value`` (SI) at dotted ``path`` of a dumped design (see Design.with_overrides)."""
    from nppsim.units import to_si

    node: Any = data
    parts = _split_path(path)
    if not parts:
        raise InputError(file, path, value, "an empty override path")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part.startswith("["):
            key = part[1:-1]
            if not isinstance(node, list):
                raise InputError(file, path, value, f"{'.'.join(parts[:i])} is not a list")
            if key.lstrip("-").isdigit():
                idx = int(key)
            else:
                names = [x.get("name") for x in node if isinstance(x, dict)]
                if key not in names:
                    raise InputError(file, path, value, f"no item named {key!r}: {names}")
                idx = names.index(key)
            if not -len(node) <= idx < len(node):
                raise InputError(file, path, value, f"index out of range (0 to {len(node) - 1})")
            if last:
                raise InputError(file, path, value, "give a field of the list item")
            node = node[idx]
            continue
        if not isinstance(node, dict) or part not in node:
            known = ", ".join(sorted(node)) if isinstance(node, dict) else "-"
            raise InputError(file, path, value, f"no field {part!r} here (fields: {known})")
        if last:
            old = node[part]
            if isinstance(old, dict) and "unit" in old and "value" in old:
                try:
                    v = float(value)
                except (TypeError, ValueError):
                    raise InputError(file, path, value, "a number in SI units") from None
                factor = to_si(1.0, old["unit"]) - to_si(0.0, old["unit"])
                offset = to_si(0.0, old["unit"])
                if isinstance(old["value"], list):
                    raise InputError(file, path, value, "a list quantity: override its items")
                new = dict(old)
                new["value"] = (v - offset) / factor
                new["source"] = f"override in memory (was {old['value']} {old['unit']})"
                new["confidence"] = "E"
                new["note"] = "value set by a study or a user override, not from the file"
                node[part] = new
            else:
                node[part] = value
        else:
            node = node[part]


def _bounds_of(annotation: Any) -> Bounds | None:
    if get_origin(annotation) is Annotated:
        for meta in get_args(annotation)[1:]:
            if isinstance(meta, Bounds):
                return meta
        return None
    for arg in get_args(annotation):  # an optional quantity: Annotated[...] | None
        b = _bounds_of(arg)
        if b is not None:
            return b
    return None


def check_bounds(model: BaseModel, path: str, file: Path | str | None) -> None:
    """Check every quantity against its declared range; raise :class:`InputError` on the first.

    Descends into sub-models, lists and dicts of models (designs, plant sections, programmes).
    """
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        dotted = f"{path}.{name}" if path else name
        bounds = next((m for m in info.metadata if isinstance(m, Bounds)), None)
        if bounds is None:
            bounds = _bounds_of(info.annotation)
        if isinstance(value, Quantity) and bounds is not None:
            values = value.value if isinstance(value.value, list) else [value.value]
            for v_si, v in zip(value.si_list, values, strict=True):
                if not bounds.lo <= v_si <= bounds.hi:
                    raise InputError(file, dotted, f"{v} {value.unit}", bounds.describe())
        elif isinstance(value, BaseModel):
            check_bounds(value, dotted, file)
        elif isinstance(value, list | dict):
            items = enumerate(value) if isinstance(value, list) else value.items()
            for key, item in items:
                if isinstance(item, BaseModel):
                    sub = f"{dotted}[{key}]" if isinstance(value, list) else f"{dotted}.{key}"
                    check_bounds(item, sub, file)


def format_validation_error(err: ValidationError) -> tuple[str, Any, str]:
    """First error of a pydantic ValidationError as (dotted field, value, message)."""
    first = err.errors()[0]
    loc = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in first["loc"])
    loc = loc.replace(".[", "[")
    value = first.get("input", "<missing>") if first["type"] != "missing" else "<missing>"
    if isinstance(value, dict):
        value = "{...}"
    msg = first["msg"].removeprefix("Value error, ")
    return loc or "<file>", value, msg


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing, unreadable or non-UTF-8 file, a folder and a syntax error
    are each an :class:`InputError` naming the file."""
    from nppsim.checks import read_text

    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(path, "<toml>", "malformed TOML", str(e)) from None


def parse_design(
    data: dict[str, Any],
    file: Path | str | None = None,
    inherited: dict[str, str] | None = None,
) -> Design:
    """Validate a design from a dict (as read from TOML, inheritance already resolved).

    ``inherited`` (from :func:`resolve_inheritance`) maps the dotted paths of values taken from
    a parent to the design defining them; an error in such a value says so.
    """
    inherited = inherited or {}
    try:
        design = Design.model_validate(
            {**data, "path": str(file or ""), "inherited": dict(inherited)}
        )
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        field = _TAGS.sub("", field)  # the tagged unions' tags are not fields of the file
        raise InputError(file, field, value, msg + _origin_note(field, inherited)) from None
    try:
        check_bounds(design, "", file)
    except InputError as e:
        raise InputError(
            e.file, e.field, e.value, e.allowed + _origin_note(e.field, inherited)
        ) from None
    return design


_TAGS = re.compile(
    r"(?<=^pressurizer)\.(steam|gas)|(?<=^steam_generators)\.(horizontal|once_through)"
)


def _origin_note(field: str, inherited: dict[str, str]) -> str:
    """`` (inherited from X)`` if ``field`` (or a value below it) came from a parent design."""
    hits = {v for k, v in inherited.items() if k == field or k.startswith(field + ".")}
    hits |= {v for k, v in inherited.items() if field.startswith(k + ".")}
    return f" (value inherited from {', '.join(sorted(hits))})" if hits else ""


#: keys of ``[design]`` that a derived design never inherits (it must give its own)
_OWN_INFO_KEYS = ("name", "title", "reactor_type", "description", "reference_units", "inherits")


def _is_quantity(v: Any) -> bool:
    return isinstance(v, dict) and "value" in v


def _merge(
    parent: dict[str, Any],
    child: dict[str, Any],
    prefix: str,
    origin: dict[str, str],
    parent_name: str,
    parent_origin: dict[str, str],
) -> dict[str, Any]:
    """Child over parent, field by field (see the module docstring); records origins."""
    out: dict[str, Any] = {}
    for key in list(parent) + [k for k in child if k not in parent]:
        path = f"{prefix}.{key}" if prefix else key
        if key in child:
            c = child[key]
            p = parent.get(key)
            if (
                isinstance(c, dict)
                and isinstance(p, dict)
                and not _is_quantity(c)
                and not _is_quantity(p)
            ):
                out[key] = _merge(p, c, path, origin, parent_name, parent_origin)
            elif _named_items(c) and _named_items(p):
                out[key] = _merge_named(p, c, path, origin, parent_name, parent_origin)
            else:
                out[key] = c
            continue
        out[key] = parent[key]
        _record_origin(parent[key], path, origin, parent_name, parent_origin)
    return out


def _named_items(v: Any) -> bool:
    return (
        isinstance(v, list)
        and bool(v)
        and all(isinstance(x, dict) and isinstance(x.get("name"), str) for x in v)
    )


def _merge_named(
    parent: list[dict[str, Any]],
    child: list[dict[str, Any]],
    prefix: str,
    origin: dict[str, str],
    parent_name: str,
    parent_origin: dict[str, str],
) -> list[dict[str, Any]]:
    """Arrays of named tables (``[[rods.banks]]``, ``[[protection.trips]]``): merged item by item
    by ``name`` (the child's item merged over the parent's of the same name, new names appended
    in the child's order); the parent's order is kept."""
    by_name = {x["name"]: x for x in child}
    out = []
    for item in parent:
        path = f"{prefix}[{item['name']}]"
        if item["name"] in by_name:
            out.append(
                _merge(item, by_name.pop(item["name"]), path, origin, parent_name, parent_origin)
            )
        else:
            out.append(item)
            _record_origin(item, path, origin, parent_name, parent_origin)
    out.extend(x for x in child if x["name"] in by_name)
    return out


def _record_origin(
    value: Any, path: str, origin: dict[str, str], parent_name: str, parent_origin: dict[str, str]
) -> None:
    if isinstance(value, dict) and not _is_quantity(value):
        for k, v in value.items():
            _record_origin(v, f"{path}.{k}", origin, parent_name, parent_origin)
        return
    if _named_items(value):
        for item in value:
            _record_origin(item, f"{path}[{item['name']}]", origin, parent_name, parent_origin)
        return
    origin[path] = parent_origin.get(path, parent_name)


def _parent_path(ref: Any, file: Path | str | None) -> Path:
    if not isinstance(ref, str) or not ref.strip():
        raise InputError(file, "design.inherits", ref, "a design name or a design file path")
    if ref in list_designs():
        return _builtin_dir() / f"{ref}.toml"
    path = Path(ref)
    if not path.is_absolute() and file is not None:
        path = Path(file).parent / path
    if path.suffix == ".toml" and path.exists():
        return path
    raise InputError(
        file,
        "design.inherits",
        ref,
        f"unknown parent design; built-in designs: {', '.join(list_designs())}, or a .toml path",
    )


def resolve_inheritance(
    data: dict[str, Any], file: Path | str | None = None, _chain: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, str]]:
    """A design's data with its parent's values merged in, and where each inherited value is from.

    Parameters
    ----------
    data : dict
        The design as read from TOML.
    file : path, optional
        Its file (for error messages and relative parent paths).

    Returns
    -------
    (dict, dict)
        The merged data, and the dotted paths of the inherited values mapped to the name of the
        design that defines each.

    Raises
    ------
    InputError
        An unknown parent, a cycle, or a derived design without its own name and title (naming
        the child file).
    """
    info = data.get("design")
    if not isinstance(info, dict) or info.get("inherits") is None:
        return data, {}
    ref = info["inherits"]
    parent_file = _parent_path(ref, file)
    key = str(Path(parent_file).resolve())
    chain = (*_chain, str(Path(file).resolve()) if file is not None else "<memory>")
    if key in chain:
        names = " -> ".join(Path(c).stem for c in (*chain, key))
        raise InputError(file, "design.inherits", ref, f"inheritance cycle: {names}")
    for own in ("name", "title"):
        if own not in info:
            raise InputError(
                file, f"design.{own}", "<missing>", "a derived design gives its own name and title"
            )
    parent_raw = read_toml(parent_file)
    parent, parent_origin = resolve_inheritance(parent_raw, parent_file, chain)
    parent_name = str(parent.get("design", {}).get("name", Path(parent_file).stem))
    p_info = dict(parent.get("design", {}))
    p_info = {k: v for k, v in p_info.items() if k not in _OWN_INFO_KEYS}
    parent = {**parent, "design": p_info}
    origin: dict[str, str] = {}
    merged = _merge(parent, data, "", origin, parent_name, parent_origin)
    origin = {k: v for k, v in origin.items() if not k.startswith("design.")}
    return merged, origin


def _builtin_dir() -> Path:
    return Path(str(resources.files("nppsim.designs")))


def list_designs() -> list[str]:
    """Names of the designs that ship with nppsim."""
    # a design is NAME.toml; files with a further suffix (NAME.part.toml) are not designs
    return sorted(p.stem for p in _builtin_dir().glob("*.toml") if "." not in p.stem)


def _load_file(path: Path) -> Design:
    data, inherited = resolve_inheritance(read_toml(path), path)
    return parse_design(data, path, inherited)


@cache
def _load_builtin(name: str) -> Design:
    return _load_file(_builtin_dir() / f"{name}.toml")


def load_design(name_or_path: str | Path) -> Design:
    """Load a design by built-in name (``"vver1000-v446"``) or from a TOML file path."""
    from nppsim.checks import input_file

    text = str(name_or_path)
    if text in list_designs():
        return _load_builtin(text)
    path = input_file(text, "design", ".toml", list_designs())
    assert path is not None  # a built-in name returned above
    return _load_file(path)


# The plant sections are defined in their own module, which builds on the types above; resolve the
# forward references of CoreControl and Design to them now.
from nppsim.designs.integral_sections import (  # noqa: E402
    GasPressurizer,
    GasPressurizerControl,
    IntegralProtection,
    OnceThroughFeedControl,
    OnceThroughSteamGenerators,
)
from nppsim.designs.passive_sections import PassiveSafety  # noqa: E402
from nppsim.designs.plant_sections import (  # noqa: E402
    ArmControl,
    BoronSystem,
    Electrical,
    EmergencyCooling,
    EmergencyFeedwater,
    PlantProtection,
    PowerLimitation,
    Pressurizer,
    PressurizerControl,
    Primary,
    Pumps,
    SteamDumpControl,
    SteamGeneratorControl,
    SteamGenerators,
    Turbine,
    TurbineControl,
)


def _kind(default: str) -> Any:
    def tag(v: Any) -> str:
        return str(v.get("type", default) if isinstance(v, dict) else getattr(v, "type", default))

    return tag


#: a steam generator section: horizontal (the default) or once-through, told apart by ``type``
SteamGeneratorKind = Annotated[
    Annotated[SteamGenerators, Tag("horizontal")]
    | Annotated[OnceThroughSteamGenerators, Tag("once_through")],
    Discriminator(_kind("horizontal")),
]
#: a pressurizer section: steam (the default) or gas, told apart by ``type``
PressurizerKind = Annotated[
    Annotated[Pressurizer, Tag("steam")] | Annotated[GasPressurizer, Tag("gas")],
    Discriminator(_kind("steam")),
]

CoreControl.model_rebuild()
Design.model_rebuild()

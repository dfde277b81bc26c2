"""Programme files: schema, cross-checks and loading.

A programme file (``nppsim/programmes/iran.toml``) lists the units of a national programme with
their designs, statuses and known dates, and defines every distribution and factor the Monte Carlo
model (:mod:`nppsim.programme.model`) draws from. As in the design files, every number is a quantity
with ``value``, ``unit``, ``source`` and ``confidence`` (:class:`nppsim.designs.Quantity`); dates
are TOML dates or ``"YYYY-MM-DD"`` strings.

Every error names the file, the unit (``units[bushehr-2]``, not a list index) and the field, so the
CLI can print it on one line.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from nppsim.designs import (
    Q,
    Quantity,
    Sourced,
    check_bounds,
    format_validation_error,
    list_designs,
    load_design,
)
from nppsim.errors import InputError
from nppsim.units import TIME_UNITS

Status = Literal["operating", "under construction", "contracted", "planned"]
STATUSES: tuple[str, ...] = ("operating", "under construction", "contracted", "planned")
FRACTION_UNITS = ("1", "-", "%")


def _parse_date(v: Any) -> date:
    """Accept a TOML date or an ISO ``YYYY-MM-DD`` string, nothing else."""
    if isinstance(v, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(v, date):
        return v
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError("expected a date in ISO format YYYY-MM-DD (a TOML date or a string)")


IsoDate = Annotated[date, BeforeValidator(_parse_date)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Sourced(Sourced):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DatedFact(_Sourced):
    """A known date with its source."""

    date: IsoDate


class StartSpec(_Sourced):
    """Construction start: a known date, a triangular range of dates, or a delay after something.

    Forms::

        { date = 2019-09-27, source, confidence }
        { kind = "triangular", low = 2019-11-10, mode = 2021-03-27, high = 2025-02-21, ... }
        { after = 2025-09-26, delay = "contract-to-first-concrete", ... }
        { after = "unit:hormoz-1", delay = "unit-start-lag", ... }
    """

    date: IsoDate | None = None
    kind: Literal["triangular"] | None = None
    low: IsoDate | None = None
    mode: IsoDate | None = None
    high: IsoDate | None = None
    after: str | None = None
    delay: str | None = None

    @field_validator("after", mode="before")
    @classmethod
    def _after(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and v.startswith("unit:")):
            return v
        return _parse_date(v).isoformat()

    @model_validator(mode="after")
    def _one_form(self) -> StartSpec:
        forms = [self.date is not None, self.kind is not None, self.after is not None]
        if sum(forms) != 1:
            raise ValueError(
                "give exactly one of: date; kind = 'triangular' with low, mode, "
                "high; or after with delay"
            )
        if self.kind is not None:
            if None in (self.low, self.mode, self.high):
                raise ValueError("a triangular start needs low, mode and high dates")
            if not self.low <= self.mode <= self.high:  # type: ignore[operator]
                raise ValueError("a triangular start needs low <= mode <= high")
        if self.after is not None and not self.delay:
            raise ValueError("a start 'after' something needs 'delay' (a distribution name)")
        return self

    @property
    def after_unit(self) -> str | None:
        """Id of the unit this start follows, if any."""
        if self.after is not None and self.after.startswith("unit:"):
            return self.after.removeprefix("unit:")
        return None

    @property
    def after_date(self) -> date | None:
        """Date this start follows, if any."""
        if self.after is not None and not self.after.startswith("unit:"):
            return date.fromisoformat(self.after)
        return None


class FitRef(_M):
    """Where a lognormal's parameters come from (checked by the tests).

    ``group``: a group of ``construction_durations.csv`` (:data:`refclass.GROUPS`), fitted with
    censoring. ``sample``: ``"start_lags"`` or ``"grid_to_commercial"`` (with ``group``).
    ``completed``/``censored``: durations listed here [yr].
    """

    group: str | None = None
    restart: bool = True
    sample: Literal["start_lags", "grid_to_commercial"] | None = None
    max_lag: float = 3.0
    refresh: bool = True
    completed: list[float] | None = None
    censored: list[float] = []
    predictive: bool = True


class Distribution(_M):
    """A named distribution of a duration [time unit] or of a fraction [1].

    Kinds and their fields: ``lognormal`` (``median``, ``sigma`` of ln x), ``triangular`` (``low``,
    ``mode``, ``high``), ``uniform`` (``low``, ``high``), ``fixed`` (``value``), ``empirical``
    (``values``: each equally likely) and ``record`` (``unit``, ``years``: availabilities derived
    from that unit's recorded load factors, see :mod:`nppsim.programme.model`).
    """

    kind: Literal["lognormal", "triangular", "uniform", "fixed", "empirical", "record"]
    description: str = ""
    median: Quantity | None = None
    sigma: Quantity | None = None
    low: Quantity | None = None
    mode: Quantity | None = None
    high: Quantity | None = None
    value: Quantity | None = None
    values: Quantity | None = None
    unit: str | None = None
    years: list[int] | None = None
    fit: FitRef | None = None

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Distribution:
        need = {
            "lognormal": ("median", "sigma"),
            "triangular": ("low", "mode", "high"),
            "uniform": ("low", "high"),
            "fixed": ("value",),
            "empirical": ("values",),
            "record": ("unit", "years"),
        }[self.kind]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} distribution needs {', '.join(missing)}")
        if self.kind == "lognormal":
            if self.median.si <= 0 or not 0 < self.sigma.si <= 5:  # type: ignore[union-attr]
                raise ValueError("a lognormal needs median > 0 and 0 < sigma <= 5")
        if self.kind == "triangular":
            lo, mo, hi = self.low.si, self.mode.si, self.high.si  # type: ignore[union-attr]
            if not lo <= mo <= hi or lo == hi:
                raise ValueError("a triangular distribution needs low <= mode <= high, low < high")
        if self.kind == "uniform" and not self.low.si < self.high.si:  # type: ignore[union-attr]
            raise ValueError("a uniform distribution needs low < high")
        return self

    def quantities(self) -> dict[str, Quantity]:
        """The distribution's quantities by field name."""
        return {
            f: getattr(self, f)
            for f in ("median", "low", "mode", "high", "value", "values")
            if getattr(self, f) is not None
        }


class UnitClass(_M):
    """Schedule and performance assumptions shared by units of one kind."""

    description: str = ""
    construction_duration: str
    grid_to_commercial: str
    planned_duration: Q(0.5 * 3.15576e7, 30 * 3.15576e7, "s")
    commissioning_load_factor: Q(0.0, 1.0, "1")
    ramp_up: Q(0.0, 1.0, "1")
    availability: str
    life_extension: str


class Project(_M):
    """Units built under one contract: they share the go/no-go and a schedule factor."""

    name: str
    description: str = ""
    p_proceed: Q(0.0, 1.0, "1")


class LoadFactorRecord(_M):
    """Recorded annual load factors by calendar year (energy / (net rating x hours))."""

    years: list[int] = Field(min_length=1)
    load_factor: Q(0.0, 1.0, "1")

    @model_validator(mode="after")
    def _matching(self) -> LoadFactorRecord:
        if len(self.years) != len(self.load_factor.si_list):
            raise ValueError("years and load_factor must have the same length")
        if any(b <= a for a, b in zip(self.years, self.years[1:], strict=False)):
            raise ValueError("years must increase")
        return self


class IranianYearRecord(_M):
    """Recorded generation by Iranian (solar hijri) year, e.g. 1402 = 21 Mar 2023 - 19 Mar 2024."""

    years: list[int] = Field(min_length=1)
    generation: Q(0.0, 1e17, "J")

    @model_validator(mode="after")
    def _matching(self) -> IranianYearRecord:
        if len(self.years) != len(self.generation.si_list):
            raise ValueError("years and generation must have the same length")
        if any(not 1300 <= y <= 1500 for y in self.years):
            raise ValueError("Iranian years are between 1300 and 1500 (1402 = 2023/24)")
        return self


class Unit(_M):
    """One reactor unit of the programme."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: str
    design: str
    klass: str = Field(alias="class")
    project: str
    site: str = ""
    status: Status
    status_source: str = Field(min_length=2)
    status_note: str | None = None
    construction_start: StartSpec
    first_fuel_load: DatedFact | None = None
    grid_connection: DatedFact | None = None
    commercial_operation: DatedFact | None = None
    planned_commercial_operation: DatedFact | None = None
    official_commercial_operation: DatedFact | None = None
    record: LoadFactorRecord | None = None
    record_iranian_year: IranianYearRecord | None = None


class Statement(_M):
    """A statement of the seed text (with its ``paragraph``) or a later official statement."""

    id: str
    paragraph: int | None = Field(None, ge=1)
    date: IsoDate | None = None
    speaker: str = ""
    text: str
    source: str
    supports: list[str] = []


class DemandRecord(_M):
    year: int
    generation: Q(1e16, 1e19, "J")


class GrowthPeriod(_M):
    first_year: int
    last_year: int
    rate: Q(-0.1, 0.2, "1")


class Demand(_M):
    """Iran's electricity generation: recorded years and the projection assumed."""

    description: str = ""
    record: list[DemandRecord] = Field(min_length=1)
    back_growth: Q(-0.1, 0.2, "1")
    growth: list[GrowthPeriod] = Field(min_length=1)


FUELS: tuple[str, ...] = ("gas", "gas_oil", "fuel_oil")
"""Fuels of the thermal fleet: natural gas, gas oil (diesel) and residual fuel oil (mazut)."""


class FuelProperties(_M):
    """Heating value, density and CO2 factor of one fuel (IPCC 2006 Guidelines, Vol. 2).

    Gas is measured by volume: ``lhv`` in J/m3 and no density. Liquids are measured by volume
    too (litres in the Iranian statistics): ``lhv`` in J/kg and ``density`` in kg/m3.
    """

    lhv: Quantity
    density: Q(500.0, 1200.0, "kg/m3") | None = None
    emission_factor: Q(1e-9, 2e-7, "kg/J")

    @model_validator(mode="after")
    def _units(self) -> FuelProperties:
        if self.lhv.unit not in ("MJ/m3", "kJ/kg"):
            raise ValueError("lhv needs unit MJ/m3 (gas) or kJ/kg (liquids)")
        if (self.lhv.unit == "kJ/kg") != (self.density is not None):
            raise ValueError("a liquid fuel (lhv in kJ/kg) needs a density; gas (MJ/m3) none")
        if not 1e6 <= self.lhv.si <= 1e8:
            raise ValueError("lhv out of range: 1-100 MJ/m3 or 1,000-100,000 kJ/kg")
        return self

    def heat_per_volume(self) -> float:
        """Lower heating value per m3 of fuel [J/m3]."""
        return self.lhv.si * (self.density.si if self.density is not None else 1.0)


class FuelUseRecord(_M):
    """Fuel burnt by the thermal power plants in one year, as reported (volumes)."""

    year: int = Field(ge=1990, le=2100)
    gas: Q(0.0, 1e12, "m3")
    gas_oil: Q(0.0, 1e11, "m3")
    fuel_oil: Q(0.0, 1e11, "m3")


class EfficiencyRecord(_M):
    """Average efficiency of the thermal fleet in a year, as reported."""

    year: int = Field(ge=1990, le=2100)
    efficiency: Q(0.1, 0.7, "1")


class MarginalPlant(_M):
    """A marginal plant whose output nuclear generation displaces instead of the fleet average."""

    description: str = ""
    efficiency: Q(0.1, 0.7, "1")
    fuel: Literal["gas", "gas_oil", "fuel_oil"] = "gas"


class Displaced(_M):
    """What a nuclear MWh displaces: the thermal fleet by year, or a marginal plant.

    ``mode`` ``fleet`` uses the efficiency and fuel mix of the year (linear between records,
    constant before the first and after the last); ``marginal`` the marginal plant.
    ``unmet_share`` of nuclear output serves demand that would otherwise go unserved and
    displaces nothing.
    """

    description: str = ""
    mode: Literal["fleet", "marginal"] = "fleet"
    unmet_share: Q(0.0, 1.0, "1")
    efficiency: list[EfficiencyRecord] = Field(min_length=1)
    fuel_use: list[FuelUseRecord] = Field(min_length=1)
    marginal: MarginalPlant
    fuels: dict[Literal["gas", "gas_oil", "fuel_oil"], FuelProperties]

    @model_validator(mode="after")
    def _complete(self) -> Displaced:
        missing = [f for f in FUELS if f not in self.fuels]
        if missing:
            raise ValueError(f"fuels needs {', '.join(missing)}")
        for name, recs in (("efficiency", self.efficiency), ("fuel_use", self.fuel_use)):
            ys = [r.year for r in recs]
            if any(b <= a for a, b in itertools.pairwise(ys)):
                raise ValueError(f"{name} records must be in increasing years")
        return self


class FuelCycle(_M):
    """Front and back end of the fuel cycle (natural uranium, conversion, enrichment)."""

    description: str = ""
    first_core_lead: Q(0.0, 5 * 3.15576e7, "s")
    feed_assay: Q(0.001, 0.01, "1")
    tails_assay: Q(0.0005, 0.006, "1")
    conversion_loss: Q(0.0, 0.05, "1")
    first_core_enrichment: dict[str, Q(0.002, 0.2, "1")] = {}

    @model_validator(mode="after")
    def _assays(self) -> FuelCycle:
        if not self.tails_assay.si < self.feed_assay.si:
            raise ValueError("tails_assay must be below feed_assay")
        return self


class Shocks(_M):
    """Programme-wide common factor: sanctions, war, financing and the vendor hit every project.

    ``schedule_weight`` w_s is the share of the variance of the normal score of every
    construction duration (and start delay) that all projects share; ``go_ahead_weight`` w_g the
    same for the latent score of every project's go/no-go decision. 0 makes projects independent.
    """

    description: str = ""
    schedule_weight: Q(0.0, 1.0, "1")
    go_ahead_weight: Q(0.0, 1.0, "1")


class Suspension(_Sourced):
    """A dated stop of all construction at a site, in projects or units, or in the programme.

    Every unit under construction in ``scope`` when the stop begins finishes later by its sampled
    duration D; a unit that would start during the stop starts when it ends. ``scope`` entries:
    ``"programme"``, ``"site:<site>"``, a project id or a unit id. ``known_until``: the stop is
    known to have lasted at least until this date (D is drawn conditioned on it).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    description: str = ""
    scope: list[str] = Field(min_length=1)
    start: IsoDate
    duration: str
    probability: float = Field(1.0, ge=0.0, le=1.0)
    known_until: IsoDate | None = None

    @model_validator(mode="after")
    def _order(self) -> Suspension:
        if self.known_until is not None and self.known_until < self.start:
            raise ValueError("known_until must not be before start (end before start)")
        return self


class Schedule(_M):
    correlation: Q(0.0, 1.0, "1")


MONEY_UNITS: dict[str, float] = {
    "$": 1.0,
    "$/kWe": 1e-3,  # per W
    "$/kW/yr": 1e-3 / 3.15576e7,  # per W s
    "$/MWh": 1.0 / 3.6e9,  # per J
    "$/kgU": 1.0,  # per kg
    "$/kgHM": 1.0,
    "$/SWU": 1.0,  # per kg SWU
    "$/lb U3O8": 1.0 / (0.45359237 * 0.848002),  # per kg U: 1 lb U3O8 holds 0.3846 kg U
}
"""Money units at the edge and their factor to dollars per SI unit (W, W s, J, kg, kg-SWU)."""


class Money(_Sourced):
    """An amount of money, in US dollars, with its unit from :data:`MONEY_UNITS`."""

    value: float | list[float]
    unit: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, unit: str) -> str:
        if unit not in MONEY_UNITS:
            raise ValueError(f"unknown money unit {unit!r}; one of {', '.join(MONEY_UNITS)}")
        return unit

    @field_validator("value")
    @classmethod
    def _positive(cls, v: float | list[float]) -> float | list[float]:
        values = v if isinstance(v, list) else [v]
        if any(not 0.0 <= x <= 1e12 for x in values):
            raise ValueError("a price or cost must be between 0 and 1e12")
        return v

    @property
    def si(self) -> float:
        """Dollars per SI unit."""
        assert not isinstance(self.value, list)
        return float(self.value) * MONEY_UNITS[self.unit]


class CostDistribution(_M):
    """Overnight cost of a class: ``triangular`` (low, mode, high) or ``fixed`` (value).

    One draw per project and sample: the units of one contract share their cost level.
    """

    description: str = ""
    kind: Literal["triangular", "fixed"]
    low: Money | None = None
    mode: Money | None = None
    high: Money | None = None
    value: Money | None = None

    @model_validator(mode="after")
    def _fields(self) -> CostDistribution:
        need = ("low", "mode", "high") if self.kind == "triangular" else ("value",)
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} cost needs {', '.join(missing)}")
        items = [getattr(self, f) for f in need]
        if any(m.unit != "$/kWe" for m in items):
            raise ValueError("overnight costs are in $/kWe (per kW of net capacity)")
        if self.kind == "triangular":
            lo, mo, hi = (m.si for m in items)
            if not lo <= mo <= hi or lo == hi:
                raise ValueError("a triangular cost needs low <= mode <= high, low < high")
        return self


class FuelPrices(_M):
    """Prices of fuel-cycle services and of spent-fuel management."""

    uranium: Money
    conversion: Money
    enrichment: Money
    fabrication: Money
    fabrication_haleu: Money
    spent_fuel: Money

    @model_validator(mode="after")
    def _units(self) -> FuelPrices:
        allowed = {
            "uranium": ("$/lb U3O8", "$/kgU"),
            "conversion": ("$/kgU",),
            "enrichment": ("$/SWU",),
            "fabrication": ("$/kgHM",),
            "fabrication_haleu": ("$/kgHM",),
            "spent_fuel": ("$/kgHM",),
        }
        for name, units in allowed.items():
            if getattr(self, name).unit not in units:
                raise ValueError(f"{name} needs unit {' or '.join(units)}")
        return self


class Cost(_M):
    """Capital cost, finance and operating cost (US dollars of the stated price year)."""

    description: str = ""
    currency: str = "US$"
    discount_rate: Q(0.0, 0.3, "1")
    interest_rate: Q(0.0, 0.3, "1")
    economic_life: Q(5 * 3.15576e7, 80 * 3.15576e7, "s")
    spending_shape: Q(0.5, 10.0, "1")
    delay_escalation: Q(0.0, 0.5, "1")
    overnight: dict[str, CostDistribution]
    fixed_om: dict[str, Money]
    prices: FuelPrices

    @model_validator(mode="after")
    def _units(self) -> Cost:
        if len(self.spending_shape.si_list) != 2:
            raise ValueError("spending_shape needs two values [a, b] of a beta distribution")
        for k, m in self.fixed_om.items():
            if m.unit != "$/kW/yr":
                raise ValueError(f"fixed_om.{k} needs unit $/kW/yr")
        return self


class TargetStatement(_M):
    """One step in the history of the official target (``date`` omitted when undated)."""

    date: IsoDate | None = None
    text: str
    source: str = Field(min_length=2)


class PipelineItem(_M):
    """Capacity announced beyond the units modelled (not simulated; for the yardstick)."""

    name: str
    capacity: Q(0.0, 1e11, "W")
    status: str = ""


class Target(_M):
    """The official capacity target, its history and the announced pipeline."""

    name: str
    description: str = ""
    capacity: Q(1e6, 1e12, "W")
    by: DatedFact
    history: list[TargetStatement] = []
    pipeline: list[PipelineItem] = []


class SensitivityInput(_M):
    """An estimated input and the low and high values a tornado tries (a ``[set]`` path)."""

    path: str
    label: str
    low: float | str
    high: float | str
    note: str = ""


class ProgrammeInfo(_M):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    country: str
    description: str = ""
    status_date: IsoDate
    status_note: str = ""
    report_from: int = Field(ge=1950, le=2100)
    sources: dict[str, str] = {}


class Programme(_M):
    """A whole programme file."""

    programme: ProgrammeInfo
    statements: list[Statement] = []
    demand: Demand
    displaced: Displaced
    fuel_cycle: FuelCycle
    schedule: Schedule
    shocks: Shocks
    suspensions: list[Suspension] = []
    cost: Cost
    target: Target
    sensitivity: list[SensitivityInput] = []
    distributions: dict[str, Distribution]
    classes: dict[str, UnitClass]
    projects: dict[str, Project]
    units: list[Unit] = Field(min_length=1)
    path: str = ""

    def unit(self, uid: str) -> Unit:
        """The unit with id ``uid``."""
        for u in self.units:
            if u.id == uid:
                return u
        raise KeyError(uid)


# --------------------------------------------------------------------------------------------
# loading and cross-checks


def _unit_label(data: dict[str, Any], index: int) -> str:
    units = data.get("units")
    if isinstance(units, list) and 0 <= index < len(units) and isinstance(units[index], dict):
        uid = units[index].get("id")
        if isinstance(uid, str):
            return f"units[{uid}]"
    return f"units[{index}]"


def _name_units(field: str, data: dict[str, Any]) -> str:
    """Rewrite ``units[3].x`` as ``units[bushehr-2].x``."""
    if field.startswith("units["):
        idx = field[len("units[") :].split("]", 1)[0]
        if idx.isdigit():
            return _unit_label(data, int(idx)) + field.split("]", 1)[1]
    return field


def parse_programme(data: dict[str, Any], file: Path | str | None = None) -> Programme:
    """Validate a programme from a dict (as read from TOML) and check every cross-reference.

    Raises
    ------
    InputError
        On the first problem, naming the file, the unit and the field.
    """
    try:
        prog = Programme.model_validate({**data, "path": str(file or "")})
    except ValidationError as e:
        field, value, msg = format_validation_error(e)
        raise InputError(file, _name_units(field, data), value, msg) from None
    try:
        check_bounds(prog, "", file)
    except InputError as e:
        raise InputError(file, _name_units(e.field, data), e.value, _bounds_message(e)) from None
    _cross_check(prog, file)
    return prog


def _bounds_message(e: InputError) -> str:
    if any(k in e.field for k in ("load_factor", "availability", "ramp_up", "p_proceed")):
        return "a fraction (capacity factor or probability) must be between 0 and 1 (0-100 %)"
    return e.allowed


def _check_dist(prog: Programme, file: Any, where: str, name: str, dim: str) -> None:
    dists = prog.distributions
    if name not in dists:
        raise InputError(
            file, where, name, f"no such distribution; defined: {', '.join(sorted(dists))}"
        )
    d = dists[name]
    allowed = TIME_UNITS if dim == "time" else FRACTION_UNITS
    for fname, q in d.quantities().items():
        if q.unit not in allowed:
            raise InputError(
                file,
                f"distributions.{name}.{fname}.unit",
                q.unit,
                f"{where} needs a {dim}: unit one of {', '.join(allowed)}",
            )
        if dim == "fraction":
            for v in q.si_list:
                if not 0.0 <= v <= 1.0:
                    raise InputError(
                        file,
                        f"distributions.{name}.{fname}",
                        f"{q.value} {q.unit}",
                        "a capacity factor or availability must be between 0 and 1",
                    )
        elif min(q.si_list) < 0:
            raise InputError(
                file,
                f"distributions.{name}.{fname}",
                f"{q.value} {q.unit}",
                "a duration must not be negative",
            )
    if d.sigma is not None and d.sigma.unit not in FRACTION_UNITS:
        raise InputError(
            file,
            f"distributions.{name}.sigma.unit",
            d.sigma.unit,
            "sigma of ln x is dimensionless: unit '1'",
        )
    if d.kind == "record" and dim != "fraction":
        raise InputError(file, where, name, "a record distribution gives availabilities only")


def _cross_check(prog: Programme, file: Any) -> None:
    """Check references between sections, unit by unit; raise InputError on the first problem."""
    status_date = prog.programme.status_date
    ids: list[str] = []
    for u in prog.units:
        w = f"units[{u.id}]"
        if u.id in ids:
            raise InputError(file, f"{w}.id", u.id, "unit ids must be unique")
        ids.append(u.id)
        try:
            design = load_design(u.design)
        except InputError:
            raise InputError(
                file,
                f"{w}.design",
                u.design,
                f"unknown design; built-in designs: {', '.join(list_designs())}",
            ) from None
        del design
        if u.klass not in prog.classes:
            raise InputError(
                file,
                f"{w}.class",
                u.klass,
                f"no such class; defined: {', '.join(sorted(prog.classes))}",
            )
        if u.project not in prog.projects:
            raise InputError(
                file,
                f"{w}.project",
                u.project,
                f"no such project; defined: {', '.join(sorted(prog.projects))}",
            )
        _check_unit_dates(u, w, status_date, ids, prog, file)
        if u.record is not None:
            if u.status != "operating":
                raise InputError(file, f"{w}.record", "{...}", "only operating units have records")
            first = u.grid_connection.date.year if u.grid_connection else 0
            for y in u.record.years:
                if y < first or y > status_date.year:
                    raise InputError(
                        file,
                        f"{w}.record.years",
                        y,
                        f"recorded years run from grid connection ({first}) to the "
                        f"status date ({status_date.year})",
                    )
    for cname, c in prog.classes.items():
        w = f"classes.{cname}"
        _check_dist(prog, file, f"{w}.construction_duration", c.construction_duration, "time")
        _check_dist(prog, file, f"{w}.grid_to_commercial", c.grid_to_commercial, "time")
        _check_dist(prog, file, f"{w}.availability", c.availability, "fraction")
        _check_dist(prog, file, f"{w}.life_extension", c.life_extension, "time")
    for dname, d in prog.distributions.items():
        if d.kind == "record":
            if d.unit not in ids:
                raise InputError(file, f"distributions.{dname}.unit", d.unit, "no such unit")
            rec = prog.unit(d.unit).record
            missing = [y for y in d.years or [] if rec is None or y not in rec.years]
            if missing:
                raise InputError(
                    file,
                    f"distributions.{dname}.years",
                    missing,
                    f"not in the record of unit {d.unit}",
                )
    for s in prog.statements:
        for ref in s.supports:
            if ref.split(".")[0] not in ids and ref.split(".")[0] not in prog.projects:
                raise InputError(
                    file,
                    f"statements[{s.id}].supports",
                    ref,
                    "must name a unit or a project (optionally .field)",
                )
    _check_shocks_and_costs(prog, file, ids)
    years = sorted(r.year for r in prog.demand.record)
    for p in prog.demand.growth:
        if p.last_year < p.first_year:
            raise InputError(
                file,
                "demand.growth.last_year",
                p.last_year,
                "end before start: last_year must not be before first_year",
            )
    periods = sorted((p.first_year, p.last_year) for p in prog.demand.growth)
    expect = years[-1] + 1
    for a, b in periods:
        if a != expect:
            raise InputError(
                file,
                "demand.growth.first_year",
                a,
                f"growth periods must follow the last record year without gaps (expected {expect})",
            )
        expect = b + 1


def _check_unit_dates(
    u: Unit, w: str, status_date: date, earlier: list[str], prog: Programme, file: Any
) -> None:
    cs = u.construction_start
    klass = prog.classes.get(u.klass)
    if u.status == "operating":
        if cs.date is None:
            raise InputError(
                file,
                f"{w}.construction_start",
                "{...}",
                "an operating unit needs a known construction_start date",
            )
        for f in ("grid_connection", "commercial_operation"):
            if getattr(u, f) is None:
                raise InputError(file, f"{w}.{f}", "<missing>", "an operating unit needs this date")
        order = [
            ("construction_start", cs.date),
            ("grid_connection", u.grid_connection.date),
            ("commercial_operation", u.commercial_operation.date),
        ]
        for (fa, da), (fb, db) in itertools.pairwise(order):
            if db < da:
                raise InputError(
                    file,
                    f"{w}.{fb}.date",
                    db.isoformat(),
                    f"end before start: must not be before {fa} ({da.isoformat()})",
                )
        if u.commercial_operation.date > status_date:
            raise InputError(
                file,
                f"{w}.commercial_operation.date",
                u.commercial_operation.date.isoformat(),
                f"an operating unit started before the status date ({status_date.isoformat()})",
            )
    else:
        for f in ("grid_connection", "commercial_operation"):
            if getattr(u, f) is not None:
                raise InputError(
                    file,
                    f"{w}.{f}",
                    "{...}",
                    f"a unit with status {u.status!r} has no {f} yet; use "
                    "planned_commercial_operation for a schedule",
                )
        if klass is None:
            return
        if u.status == "under construction":
            latest = cs.date or cs.high
            if latest is None:
                raise InputError(
                    file,
                    f"{w}.construction_start",
                    "{...}",
                    "a unit under construction needs a start date or date range",
                )
            if latest > status_date:
                raise InputError(
                    file,
                    f"{w}.construction_start",
                    latest.isoformat(),
                    f"a unit under construction started before the status date "
                    f"({status_date.isoformat()})",
                )
        if cs.after is not None:
            _check_dist(prog, file, f"{w}.construction_start.delay", cs.delay or "", "time")
            ref = cs.after_unit
            if ref is not None and ref not in earlier[:-1]:
                raise InputError(
                    file,
                    f"{w}.construction_start.after",
                    cs.after,
                    "must name a unit listed earlier in the file",
                )
        plan = u.planned_commercial_operation
        start = cs.date or cs.low
        if plan is not None and start is not None and plan.date < start:
            raise InputError(
                file,
                f"{w}.planned_commercial_operation.date",
                plan.date.isoformat(),
                f"end before start: must not be before construction_start ({start.isoformat()})",
            )
    if u.first_fuel_load is not None and cs.date is not None and u.first_fuel_load.date < cs.date:
        raise InputError(
            file,
            f"{w}.first_fuel_load.date",
            u.first_fuel_load.date.isoformat(),
            "end before start: must not be before construction_start",
        )


def _check_shocks_and_costs(prog: Programme, file: Any, ids: list[str]) -> None:
    """Suspensions, costs and fuel-cycle data refer to things that exist."""
    seen: set[str] = set()
    sites = {u.site for u in prog.units if u.site}
    for s in prog.suspensions:
        w = f"suspensions[{s.id}]"
        if s.id in seen:
            raise InputError(file, f"{w}.id", s.id, "suspension ids must be unique")
        seen.add(s.id)
        _check_dist(prog, file, f"{w}.duration", s.duration, "time")
        for i, sc in enumerate(s.scope):
            ok = (
                sc == "programme"
                or (sc.startswith("site:") and sc.removeprefix("site:") in sites)
                or sc in ids
                or sc in prog.projects
            )
            if not ok:
                raise InputError(
                    file,
                    f"{w}.scope[{i}]",
                    sc,
                    "'programme', 'site:<site>' (sites: "
                    + ", ".join(sorted(sites))
                    + "), a project id or a unit id",
                )
    classes = sorted({u.klass for u in prog.units})
    for name, table in (("overnight", prog.cost.overnight), ("fixed_om", prog.cost.fixed_om)):
        for k in classes:
            if k not in table:
                raise InputError(
                    file,
                    f"cost.{name}",
                    f"<no {k}>",
                    f"needs every unit class: {', '.join(classes)}",
                )
        for k in table:
            if k not in prog.classes:
                raise InputError(
                    file, f"cost.{name}.{k}", k, f"no such class; defined: {', '.join(classes)}"
                )
    designs = {u.design for u in prog.units}
    for d in prog.fuel_cycle.first_core_enrichment:
        if d not in designs:
            raise InputError(
                file,
                f"fuel_cycle.first_core_enrichment.{d}",
                d,
                f"no unit has this design; designs: {', '.join(sorted(designs))}",
            )

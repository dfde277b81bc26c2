"""Study files: what to vary, how to sample it, what to measure.

A study is a TOML file (the built-in ones live in ``nppsim/studies/builtin/``)::

    [study]
    name = "rod-withdrawal-power"
    title = "Rod withdrawal: peak power against the feedback coefficients and the bank speed"
    scenario = "rod-withdrawal"        # built-in name, or a path relative to this file
    design = "vver1000-v446"           # optional: the scenario's design by default

    [sampler]
    method = "latin-hypercube"         # grid, monte-carlo, latin-hypercube, sobol-sequence,
    samples = 64                       # sobol (SALib indices) or morris (SALib indices)
    seed = 20250611

    [[parameters]]
    name = "doppler"
    design = "reactivity.doppler_coefficient"     # or scenario = "events[withdraw G10].time"
    unit = "pcm/K"
    distribution = "uniform"
    low = -3.5
    high = -2.0

    [[metrics]]
    name = "peak_power"
    quantity = "power_thermal_w"
    reduce = "max"                     # max, min, mean, at, final, integral, event_time
    unit = "MW"

Parameter values are numbers in the parameter's ``unit``; metric times are text with a unit
(``at = "120 s"``). Every error names the file, the field, the value and what is allowed
(:class:`nppsim.errors.InputError`). :func:`load_study` reads and checks a file;
:class:`Study` is the checked study with its scenario, design and distributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nppsim.designs import Design, format_validation_error, load_design, read_toml
from nppsim.engine.run import SolverOptions
from nppsim.errors import InputError
from nppsim.scenarios import Scenario, load_scenario
from nppsim.studies import _units
from nppsim.studies.distributions import Distribution, FieldError, make_distribution
from nppsim.units import TIME_UNITS, parse_quantity

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
#: columns every run's row has; parameter and metric names must differ from them
RESERVED = (
    "run_id",
    "run_key",
    "status",
    "tripped",
    "trip_signal",
    "message",
    "wall_s",
    "events",
)
METHODS = ("grid", "monte-carlo", "latin-hypercube", "sobol-sequence", "sobol", "morris")
REDUCTIONS = ("max", "min", "mean", "at", "final", "integral", "event_time")
MAX_RUNS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class StudyInfo(_Strict):
    """``[study]``: name, title, description, the base scenario and design."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    scenario: str = Field(description="built-in scenario name or TOML path (relative to the file)")
    design: str | None = Field(
        None, description="design name or TOML path; the scenario's if absent"
    )


class Sampler(_Strict):
    """``[sampler]``: how the parameter space is sampled.

    ``samples`` is the number of runs for ``monte-carlo``, ``latin-hypercube`` and
    ``sobol-sequence`` (a power of two); for ``sobol`` it is SALib's base number N (a power of two;
    N (d + 2) runs, N (2d + 2) with ``second_order``); for ``morris`` the number of trajectories
    (r (d + 1) runs, ``levels`` grid levels); for ``grid`` it is optional and, if given, must equal
    the product of the parameters' level counts.
    """

    method: Literal["grid", "monte-carlo", "latin-hypercube", "sobol-sequence", "sobol", "morris"]
    samples: int | None = Field(None, ge=1, le=MAX_RUNS)
    seed: int | None = Field(None, ge=0, lt=2**63)
    second_order: bool = False
    levels: int = Field(4, ge=2, le=20)


class Parameter(_Strict):
    """One ``[[parameters]]`` entry: a design or scenario value and its distribution.

    Exactly one of ``design`` (a dotted design path, ``"pumps.inertia"``,
    ``"rods.banks[G10].speed"``) or ``scenario`` (a dotted path into the scenario file,
    ``"initial.power"``, ``"events[0].time"``, events also by name) is given. Values (``low``,
    ``high``, ``mean``, ``std``, ``median``, ``mode``, ``values``) are in ``unit``; ``sigma`` of a
    lognormal is the standard deviation of ln x (dimensionless). ``values`` without a
    distribution is a list of equally likely values (the levels of a grid).
    """

    name: str = Field(pattern=NAME_PATTERN, max_length=60)
    description: str = ""
    design: str | None = None
    scenario: str | None = None
    unit: str = "1"
    distribution: Literal["uniform", "normal", "lognormal", "triangular", "discrete"] | None = None
    values: list[float] | None = None
    weights: list[float] | None = None
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    std: float | None = None
    median: float | None = None
    sigma: float | None = None
    mode: float | None = None
    levels: int | None = Field(None, ge=2, le=100)


class Metric(_Strict):
    """One ``[[metrics]]`` entry: a named reduction of a recorded quantity, with its unit.

    ``reduce``: ``max``, ``min``, ``mean`` (time average) or ``integral`` over the run or the
    window ``from`` .. ``to``; ``at`` (the value at time ``at``; just after an event at that
    instant); ``final`` (the value at the end of the run); ``event_time`` (time of the first event
    of kind ``event``, and name ``event_name`` if given; NaN if none happened).
    """

    name: str = Field(pattern=NAME_PATTERN, max_length=60)
    description: str = ""
    quantity: str | None = None
    reduce: Literal["max", "min", "mean", "at", "final", "integral", "event_time"]
    unit: str
    at: str | None = None
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    event: str | None = None
    event_name: str | None = None


class Output(_Strict):
    """``[output]``: what is written besides each run's row."""

    timeseries: bool = Field(False, description="write each run's full time series")


class StudyFile(_Strict):
    """A study file as read (validated types; meanings checked by :func:`parse_study`)."""

    study: StudyInfo
    solver: SolverOptions = Field(default_factory=SolverOptions)
    sampler: Sampler
    parameters: list[Parameter] = Field(min_length=1, max_length=50)
    metrics: list[Metric] = Field(min_length=1, max_length=100)
    output: Output = Field(default_factory=Output)


@dataclass(frozen=True)
class MetricDef:
    """A metric ready to compute on a worker: times in s, the SI-to-unit conversion.

    ``value = (si * time_factor - offset) / factor`` where ``time_factor`` is 1 except for
    integrals given per a time unit (``"MPa h"``: the integral in Pa s divided by 3600 s/h).
    """

    name: str
    quantity: str | None
    reduce: str
    unit: str
    factor: float
    offset: float
    at_s: float | None = None
    from_s: float | None = None
    to_s: float | None = None
    event: str | None = None
    event_name: str | None = None


@dataclass(frozen=True)
class ParameterDef:
    """A checked parameter: where it goes, its unit and its distribution."""

    name: str
    target: Literal["design", "scenario"]
    path: str
    unit: str
    dist: Distribution
    description: str = ""
    field_unit: str = ""  # the design file's unit of the field (design parameters)


@dataclass
class Study:
    """A checked study: the file's content with its scenario, design and distributions."""

    spec: StudyFile
    path: str
    text: str
    scenario: Scenario
    design: Design
    parameters: list[ParameterDef]
    metrics: list[MetricDef]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.study.name

    @property
    def names(self) -> list[str]:
        """Parameter names, in file order."""
        return [p.name for p in self.parameters]


# -- loading ------------------------------------------------------------------------------------
def builtin_dir() -> Path:
    """Folder of the built-in study files."""
    return Path(str(resources.files("nppsim.studies") / "builtin"))


def builtin_names() -> list[str]:
    """Names of the built-in studies."""
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def list_studies() -> list[Study]:
    """The built-in studies, checked, sorted by name."""
    return [load_study(n) for n in builtin_names()]


def load_study(name_or_path: str | Path) -> Study:
    """Read and check a study file (a path) or a built-in study (a name)."""
    text = str(name_or_path)
    path = Path(text)
    if text in builtin_names():
        path = builtin_dir() / f"{text}.toml"
    elif not (path.suffix == ".toml" and path.exists()):
        raise InputError(
            None,
            "study",
            text,
            f"not a study file nor a built-in study ({', '.join(builtin_names())})",
        )
    data = read_toml(path)
    return parse_study(data, path, path.read_text(encoding="utf-8"))


def parse_study(data: dict[str, Any], file: Path | str | None = None, text: str = "") -> Study:
    """Validate a study dict (as read from TOML) and check its meaning.

    Parameters
    ----------
    data : dict
        The study file's content.
    file : path, optional
        The file, for error messages and for paths relative to it.
    text : str
        The file's text, kept in the study's output folder.
    """
    try:
        spec = StudyFile.model_validate(data)
    except ValidationError as e:
        fld, value, msg = format_validation_error(e)
        raise InputError(file, fld.replace("from_", "from"), value, msg) from None
    base = Path(file).parent if file else Path.cwd()
    scenario = _resolve_scenario(spec.study.scenario, base, file)
    design = _resolve_design(spec.study.design or scenario.scenario.design, base, file)
    _check_names(spec, file)
    params = [_check_parameter(p, i, design, scenario, file) for i, p in enumerate(spec.parameters)]
    metrics = [_check_metric(m, i, scenario, file) for i, m in enumerate(spec.metrics)]
    study = Study(spec, str(file or ""), text, scenario, design, params, metrics)
    _check_sampler(study, file)
    return study


def _resolve_scenario(ref: str, base: Path, file: Path | str | None) -> Scenario:
    from nppsim.scenarios import builtin_names as scenario_names

    target: str | Path = ref
    if ref not in scenario_names() and not Path(ref).is_absolute():
        target = base / ref
    try:
        return load_scenario(target)
    except InputError as e:
        if e.field == "scenario":  # not found: say it about this file's field
            raise InputError(
                file, "study.scenario", ref, f"no such scenario file nor built-in ({e.allowed})"
            ) from None
        raise
    except Exception as e:  # plant scenarios need the plant model to check their events
        raise InputError(file, "study.scenario", ref, f"cannot load it: {e}") from None


def _resolve_design(ref: str, base: Path, file: Path | str | None) -> Design:
    from nppsim.designs import list_designs

    target: str | Path = ref
    if ref not in list_designs() and not Path(ref).is_absolute():
        target = base / ref
    try:
        design = load_design(target)
    except InputError as e:
        if e.field == "design":
            raise InputError(file, "study.design", ref, e.allowed) from None
        raise
    if not design.has_dynamics:
        raise InputError(
            file, "study.design", ref, "this design has ratings only (no core data to simulate)"
        )
    return design


def _check_names(spec: StudyFile, file: Path | str | None) -> None:
    seen: dict[str, str] = {}
    groups: tuple[tuple[str, list[Any]], ...] = (
        ("parameters", list(spec.parameters)),
        ("metrics", list(spec.metrics)),
    )
    for kind, items in groups:
        for i, item in enumerate(items):
            where = f"{kind}[{i}].name"
            if item.name in RESERVED:
                raise InputError(
                    file, where, item.name, f"reserved for the dataset: {', '.join(RESERVED)}"
                )
            if item.name in seen:
                raise InputError(
                    file, where, item.name, f"already used by {seen[item.name]}: names are unique"
                )
            seen[item.name] = where


def _check_parameter(
    p: Parameter, i: int, design: Design, scenario: Scenario, file: Path | str | None
) -> ParameterDef:
    from nppsim.studies import params as paths

    where = f"parameters[{i}]"
    if (p.design is None) == (p.scenario is None):
        raise InputError(
            file,
            f"{where}.design",
            p.design or p.scenario or "<missing>",
            "give exactly one of design = 'dotted.design.path' or scenario = 'dotted.path'",
        )
    if not _units.known(p.unit):
        raise InputError(file, f"{where}.unit", p.unit, "unknown unit (see nppsim.units)")
    try:
        dist = make_distribution(p)
    except FieldError as e:
        raise InputError(file, f"{where}.{e.field}", e.value, e.msg) from None
    if p.design is not None:
        try:
            info = paths.design_field(design, p.design)
        except FieldError as e:
            raise InputError(file, f"{where}.design", p.design, e.msg) from None
        if not _units.compatible(p.unit, info.unit):
            raise InputError(
                file,
                f"{where}.unit",
                p.unit,
                f"{p.design} is in {info.unit!r}; give a unit of the same kind",
            )
        lo, hi = dist.support
        for end, v in (("lowest", lo), ("highest", hi)):
            if not math.isfinite(v):
                continue
            v_si = _units.si_from(v, p.unit)
            if info.bounds is not None and not info.bounds[0] <= v_si <= info.bounds[1]:
                raise InputError(
                    file,
                    where,
                    f"{v:g} {p.unit}",
                    f"the {end} value of {p.name} is outside the range of {p.design}: "
                    f"{info.bounds[0]:g} to {info.bounds[1]:g} {info.bounds[2]} (SI)",
                )
        return ParameterDef(p.name, "design", p.design, p.unit, dist, p.description, info.unit)
    assert p.scenario is not None
    try:
        paths.check_scenario_path(scenario, p.scenario, p.unit)
    except FieldError as e:
        raise InputError(file, f"{where}.scenario", p.scenario, e.msg) from None
    pd_ = ParameterDef(p.name, "scenario", p.scenario, p.unit, dist, p.description)
    lo, hi = dist.support
    for v in {lo, hi, *dist.grid_levels(p.levels or 2)}:
        if math.isfinite(v):
            try:
                paths.apply_scenario(scenario, [(pd_, float(v))])
            except InputError as e:
                raise InputError(
                    file, where, f"{v:g} {p.unit}", f"the scenario refuses it: {e}"
                ) from None
    return pd_


def _time(text: str | None, field_name: str, file: Path | str | None) -> float | None:
    if text is None:
        return None
    try:
        return parse_quantity(text, TIME_UNITS)
    except ValueError as e:
        raise InputError(file, field_name, text, str(e)) from None


def _check_metric(m: Metric, i: int, scenario: Scenario, file: Path | str | None) -> MetricDef:
    where = f"metrics[{i}]"
    duration = scenario.duration
    at = _time(m.at, f"{where}.at", file)
    t0 = _time(m.from_, f"{where}.from", file)
    t1 = _time(m.to, f"{where}.to", file)
    for name, t in (("at", at), ("from", t0), ("to", t1)):
        if t is not None and not 0.0 <= t <= duration:
            raise InputError(
                file,
                f"{where}.{name}",
                getattr(m, "from_" if name == "from" else name),
                f"within the scenario: 0 to {duration:g} s",
            )
    if t1 is not None and not (t0 or 0.0) < t1:
        raise InputError(file, f"{where}.to", m.to, f"after from ({m.from_ or '0 s'})")
    windowed = m.reduce in ("max", "min", "mean", "integral")
    rules = {
        "at": m.reduce == "at",
        "from": windowed,
        "to": windowed,
        "event": m.reduce == "event_time",
        "event_name": m.reduce == "event_time",
    }
    given = {"at": m.at, "from": m.from_, "to": m.to, "event": m.event, "event_name": m.event_name}
    for key, allowed in rules.items():
        if given[key] is not None and not allowed:
            raise InputError(
                file, f"{where}.{key}", given[key], f"not used by reduce = {m.reduce!r}"
            )
    if m.reduce == "at" and at is None:
        raise InputError(file, f"{where}.at", "<missing>", "reduce = 'at' needs at = '<time>'")
    if m.reduce == "event_time":
        if m.event is None:
            raise InputError(
                file,
                f"{where}.event",
                "<missing>",
                "the event kind, e.g. 'trip' (reactor trip) or 'alarm'",
            )
        if m.quantity is not None:
            raise InputError(file, f"{where}.quantity", m.quantity, "not used by event_time")
        if m.unit not in _units.units_of("time"):
            raise InputError(
                file, f"{where}.unit", m.unit, f"a time unit: {', '.join(_units.units_of('time'))}"
            )
        f, o = _units.factor_offset(m.unit)
        return MetricDef(
            m.name, None, m.reduce, m.unit, f, o, event=m.event, event_name=m.event_name
        )
    if m.quantity is None:
        raise InputError(
            file, f"{where}.quantity", "<missing>", "the recorded quantity, e.g. power_thermal_w"
        )
    kind = _units.quantity_kind(m.quantity)
    factor, offset = _metric_unit(m, kind, f"{where}.unit", file)
    return MetricDef(
        m.name, m.quantity, m.reduce, m.unit, factor, offset, at_s=at, from_s=t0, to_s=t1
    )


def _metric_unit(
    m: Metric, kind: str | None, where: str, file: Path | str | None
) -> tuple[float, float]:
    """(factor, offset) turning the SI reduction into ``m.unit``; refuses a unit of another kind."""
    if m.unit == "SI":
        return 1.0, 0.0
    if kind is None:
        raise InputError(
            file, where, m.unit, f"the unit of {m.quantity!r} is not known from its name: use 'SI'"
        )
    if m.reduce != "integral":
        allowed = _units.units_of(kind)
        if m.unit not in allowed:
            raise InputError(
                file, where, m.unit, f"{m.quantity} is a {kind}: {', '.join(allowed)} or SI"
            )
        return _units.factor_offset(m.unit)
    # an integral over time: an energy for a power, or '<unit> <time unit>'
    if kind == "power" and m.unit in _units.units_of("energy"):
        return _units.factor_offset(m.unit)[0], 0.0
    head, _, tail = m.unit.rpartition(" ")
    units = [u for u in _units.units_of(kind) if u != "degC"]
    if head in units and tail in _units.units_of("time"):
        return _units.factor_offset(head)[0] * _units.factor_offset(tail)[0], 0.0
    energy = f"{', '.join(_units.units_of('energy'))}, " if kind == "power" else ""
    raise InputError(
        file,
        where,
        m.unit,
        f"the integral of a {kind} over time: {energy}'<{'|'.join(units)}> <s|min|h>' or SI",
    )


def _check_sampler(study: Study, file: Path | str | None) -> None:
    s = study.spec.sampler
    d = len(study.parameters)
    if s.method == "grid":
        n = 1
        for i, p in enumerate(study.parameters):
            raw = study.spec.parameters[i]
            if p.dist.kind != "discrete" and raw.levels is None:
                raise InputError(
                    file,
                    f"parameters[{i}].levels",
                    "<missing>",
                    "a grid needs values = [...] or levels = <n> for a continuous distribution",
                )
            n *= len(p.dist.grid_levels(raw.levels))
        if s.samples is not None and s.samples != n:
            raise InputError(
                file, "sampler.samples", s.samples, f"the grid has {n} points (levels multiplied)"
            )
        if n > MAX_RUNS:
            raise InputError(file, "sampler", n, f"at most {MAX_RUNS} runs")
        return
    if s.seed is None:
        raise InputError(file, "sampler.seed", "<missing>", f"{s.method} needs a seed (an integer)")
    if s.samples is None:
        raise InputError(file, "sampler.samples", "<missing>", f"{s.method} needs samples = <n>")
    if s.method in ("sobol-sequence", "sobol") and s.samples & (s.samples - 1):
        raise InputError(
            file, "sampler.samples", s.samples, "a power of two (Sobol' sequences balance at 2^m)"
        )
    if s.method == "sobol" and s.samples < 2:
        raise InputError(file, "sampler.samples", s.samples, "at least 2")
    for i, raw in enumerate(study.spec.parameters):
        if raw.levels is not None and s.method != "grid":
            raise InputError(file, f"parameters[{i}].levels", raw.levels, "used by a grid only")
    runs = n_runs(s.method, s.samples, d, s.second_order)
    if runs > MAX_RUNS:
        raise InputError(file, "sampler.samples", s.samples, f"{runs} runs: at most {MAX_RUNS}")
    if s.second_order and s.method != "sobol":
        raise InputError(file, "sampler.second_order", True, "used by method = 'sobol' only")


def n_runs(method: str, samples: int, d: int, second_order: bool = False) -> int:
    """Number of runs a sampler makes (grid: ``samples`` is the grid size)."""
    if method == "sobol":
        return samples * (2 * d + 2 if second_order else d + 2)
    if method == "morris":
        return samples * (d + 1)
    return samples

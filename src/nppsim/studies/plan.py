"""A study's plan: every run's parameter values, its inputs and the key that names its result.

A run's key is the SHA-256 of what its result depends on: the base scenario, design and solver
(:func:`nppsim.engine.run.inputs_hash`), the run's number, its parameter values (SI, exact), the
metrics and whether its time series is kept. A finished run is found again by its key, so a study
rerun in the same folder skips it; a changed study file changes the keys of the runs it changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from nppsim.designs import Design
from nppsim.engine.run import SolverOptions, inputs_hash
from nppsim.errors import InputError, NppsimError
from nppsim.scenarios import Scenario
from nppsim.studies import _units
from nppsim.studies.params import apply_scenario, design_field
from nppsim.studies.samplers import sample
from nppsim.studies.schema import MetricDef, Study


class StudyError(NppsimError):
    """A study cannot run (the engine lacks a model kind, no worker answered, ...)."""


@dataclass(frozen=True)
class Job:
    """What every run of a study shares (sent to each worker once)."""

    scenario: Scenario
    design: Design
    solver: SolverOptions
    metrics: tuple[MetricDef, ...]
    parameters: tuple[str, ...]
    timeseries: bool


@dataclass(frozen=True)
class RunTask:
    """One run: its number, key, parameter values (their units), design overrides (SI) and, if
    the study has scenario parameters, its own scenario."""

    run_id: int
    run_key: str
    values: tuple[float, ...]
    overrides: dict[str, float]
    scenario: Scenario | None = None


@dataclass
class Plan:
    """Every run of a study, in run-number order."""

    study: Study
    job: Job
    values: np.ndarray
    tasks: list[RunTask]
    base_hash: str

    @property
    def keys(self) -> list[str]:
        return [t.run_key for t in self.tasks]

    @property
    def plan_hash(self) -> str:
        """SHA-256 of every run's key: one plan, one hash."""
        return hashlib.sha256("\n".join(self.keys).encode()).hexdigest()


def run_key(base_hash: str, run_id: int, si_values: dict[str, float], job: Job) -> str:
    """The key of one run (see the module docstring)."""
    blob = json.dumps(
        {
            "inputs": base_hash,
            "run_id": run_id,
            "values": {k: repr(float(v)) for k, v in si_values.items()},
            "metrics": [asdict(m) for m in job.metrics],
            "timeseries": job.timeseries,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def make_plan(study: Study) -> Plan:
    """The plan of a study: sample its points, check every value, key every run.

    Every design value is checked against the range of its design field and every scenario
    value by parsing the scenario, before any run starts; an error names the study file, the
    parameter, the run and the value.
    """
    file = study.path or None
    values = sample(study)
    job = Job(
        scenario=study.scenario,
        design=study.design,
        solver=study.spec.solver,
        metrics=tuple(study.metrics),
        parameters=tuple(study.names),
        timeseries=study.spec.output.timeseries,
    )
    base_hash = inputs_hash(study.scenario, study.design, study.spec.solver)
    si = np.empty_like(values)
    for j, p in enumerate(study.parameters):
        si[:, j] = [_units.si_from(float(v), p.unit) for v in values[:, j]]
        if p.target != "design":
            continue
        bounds = design_field(study.design, p.path).bounds
        if bounds is None:
            continue
        bad = np.flatnonzero((si[:, j] < bounds[0]) | (si[:, j] > bounds[1]))
        if len(bad):
            k = int(bad[0])
            raise InputError(
                file,
                f"parameters[{j}]",
                f"{values[k, j]:g} {p.unit}",
                f"run {k} draws {p.name} outside the range of {p.path}: {bounds[0]:g} to "
                f"{bounds[1]:g} {bounds[2]} (SI); truncate the distribution (low, high)",
            )
    scen_params = [(j, p) for j, p in enumerate(study.parameters) if p.target == "scenario"]
    tasks = []
    for i in range(len(values)):
        overrides = {
            p.path: float(si[i, j]) for j, p in enumerate(study.parameters) if p.target == "design"
        }
        scenario = None
        if scen_params:
            try:
                scenario = apply_scenario(
                    study.scenario, [(p, float(values[i, j])) for j, p in scen_params]
                )
            except InputError as e:
                raise InputError(
                    file, "parameters", f"run {i}", f"the scenario refuses its values: {e}"
                ) from None
        key = run_key(base_hash, i, {p.name: si[i, j] for j, p in enumerate(study.parameters)}, job)
        tasks.append(RunTask(i, key, tuple(float(v) for v in values[i]), overrides, scenario))
    return Plan(study, job, values, tasks, base_hash)


def engine_can_run(scenario: Scenario | str) -> tuple[bool, str]:
    """Whether :func:`nppsim.engine.run.run` can run this scenario's model kind, and why not.

    It builds the model at its steady state (no time step). Only the engine saying it has no
    such model kind counts as "cannot"; any other error is raised (a defect to see, not to skip).
    """
    from nppsim.engine.run import RunSpec, build

    try:
        build(RunSpec(scenario=scenario))
    except (ValueError, NotImplementedError) as e:
        if "model kind" in str(e) or isinstance(e, NotImplementedError):
            return False, f"nppsim.engine.run cannot run this scenario yet: {e}"
        raise
    return True, ""


def recorded_quantities(study: Study) -> list[str]:
    """Names of the quantities a run of the study records (builds the base model once)."""
    from nppsim.engine.run import RunSpec, build

    try:
        _, sim = build(RunSpec(scenario=study.scenario, design=study.design))
    except (ValueError, NotImplementedError) as e:
        if "model kind" in str(e) or isinstance(e, NotImplementedError):
            raise StudyError(
                f"{study.path or study.name}: the engine cannot run the "
                f"{study.scenario.scenario.model!r} model of scenario {study.scenario.name!r} "
                f"yet ({e})"
            ) from None
        raise
    return [c for c in sim.results().columns if c != "time_s"]


def check_quantities(study: Study, recorded: list[str]) -> None:
    """Every metric's quantity is one the model records (else an InputError naming it)."""
    for i, m in enumerate(study.metrics):
        if m.quantity is not None and m.quantity not in recorded:
            raise InputError(
                study.path or None,
                f"metrics[{i}].quantity",
                m.quantity,
                f"not recorded by the {study.scenario.scenario.model} model; recorded: "
                + ", ".join(recorded),
            )


def describe_plan(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (kept in the output folder as plan.json)."""
    st = plan.study
    s = st.spec.sampler
    return {
        "format": 1,
        "study": st.name,
        "title": st.spec.study.title,
        "scenario": st.scenario.name,
        "design": st.design.name,
        "model": st.scenario.scenario.model,
        "solver": st.spec.solver.model_dump(),
        "sampler": s.model_dump(),
        "runs": len(plan.tasks),
        "parameters": [
            {
                "name": p.name,
                "unit": p.unit,
                "target": p.target,
                "path": p.path,
                "distribution": p.dist.describe(),
                "description": p.description,
            }
            for p in st.parameters
        ],
        "metrics": [{k: v for k, v in asdict(m).items() if v is not None} for m in st.metrics],
        "timeseries": plan.job.timeseries,
        "inputs_hash": plan.base_hash,
        "plan_hash": plan.plan_hash,
    }

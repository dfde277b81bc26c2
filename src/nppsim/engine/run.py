"""A pure run: design, scenario, overrides and solver options in; results out; no disk.

:func:`run` is what the CLI, the tests and the studies call. It reads nothing from disk once the
scenario and design objects exist and writes nothing (writing files is
:func:`nppsim.results.write`), so a study can map it over worker processes::

    from nppsim.engine.run import RunSpec, run
    res = run(RunSpec(scenario="turbine-trip", overrides={"pumps.inertia": 5000.0}))
    res.timeseries["pressure_primary_pa"].max()
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from nppsim.designs import Design, load_design
from nppsim.errors import Interrupted, SolverError, ValidityError
from nppsim.scenarios import Scenario, load_scenario


class SolverOptions(BaseModel):
    """Integrator settings of a run."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rtol: float = Field(1e-6, gt=1e-12, lt=1e-2, description="relative tolerance [1]")
    atol_scale: float = Field(
        1.0, gt=1e-6, le=1e3, description="factor on every state's absolute tolerance [1]"
    )
    backend: str = Field("compiled", pattern="^(compiled|scipy)$")


class RunSpec(BaseModel):
    """Everything a run depends on.

    Attributes
    ----------
    scenario : str or Scenario
        Built-in name, TOML path, or a scenario object.
    design : str, Design or None
        The design to run (default: the scenario's), by name, path or object.
    overrides : dict
        Design values changed in memory (dotted paths, SI; :meth:`Design.with_overrides`).
    solver : SolverOptions
        Integrator settings.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    scenario: str | Scenario
    design: str | Design | None = None
    overrides: dict[str, Any] = {}
    solver: SolverOptions = SolverOptions()

    def resolve(self) -> tuple[Scenario, Design]:
        """The scenario and design objects this spec runs (overrides applied)."""
        sc = self.scenario if isinstance(self.scenario, Scenario) else load_scenario(self.scenario)
        des = self.design
        if des is None:
            design = load_design(sc.scenario.design)
        elif isinstance(des, Design):
            design = des
        else:
            design = load_design(des)
        # the core at the scenario's point of the fuel cycle, then the user's overrides
        design = design.at_cycle(sc.initial.cycle, sc.path or None, "initial.cycle")
        if self.overrides:
            design = design.with_overrides(dict(self.overrides))
        return sc, design


@dataclass
class RunResult:
    """What a finished (or stopped) run produced."""

    scenario: Scenario
    design: Design
    timeseries: pd.DataFrame
    events: list[dict[str, Any]]
    status: str  # "completed", "failed", "stopped" or "interrupted"
    message: str = ""
    wall_s: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)


def inputs_hash(scenario: Scenario, design: Design, solver: SolverOptions | None = None) -> str:
    """SHA-256 of what a run depends on: scenario as read, design (overrides applied), solver,
    and the hash of nppsim's sources (:func:`nppsim._jit.source_hash`)."""
    from nppsim._jit import source_hash

    blob = json.dumps(
        {
            "scenario": scenario.raw,
            "design": design.model_dump(mode="json", exclude={"path"}),
            "solver": (solver or SolverOptions()).model_dump(),
            # the model's code: a study rerun after the model changed recomputes its runs
            "code": source_hash(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def build(spec: RunSpec) -> tuple[Any, Any]:
    """The model at its steady state and a simulation of the scenario (not yet advanced)."""
    from nppsim.engine.simulation import Simulation
    from nppsim.plant.design_view import DesignView
    from nppsim.validity import build_model, check_design, steady_state

    sc, design = spec.resolve()
    ini = sc.initial
    # the scenario was checked against its own design; the run's design (another file, or
    # overrides) may have fewer pumps, other banks or other ranges: check its events again
    view = DesignView(design, sc.scenario.model)
    for i, ev in enumerate(sc.events):
        ev.action.check(view, f"events[{i}].", sc.path or None)
    # designs whose values cannot make a steady state in the model's range: one-line errors
    check_design(design, sc.scenario.model, ini.power)
    model = build_model(design, sc.scenario.model)
    kw: dict[str, Any] = {**ini.steady_state_options(), "file": sc.path or None}
    if sc.scenario.model == "plant":
        kw["pumps_off"] = tuple(ini.pumps_off)
    y0, d0 = steady_state(model, ini.power, ini.critical, **kw)
    sim = Simulation(
        model,
        y0,
        d0,
        actions=sc.actions(),
        rtol=spec.solver.rtol,
        atol_scale=spec.solver.atol_scale,
        backend=spec.solver.backend,
    )
    return model, sim


def run(
    spec: RunSpec | str,
    progress: Callable[[float], None] | None = None,
) -> RunResult:
    """Run a scenario to its end (see the module docstring).

    A solver failure ends the run early with status ``failed``, the model leaving its validity
    range with status ``stopped`` (:class:`~nppsim.errors.ValidityError`), an interruption
    (:class:`~nppsim.errors.Interrupted` raised by ``progress``, or Ctrl-C) with status
    ``interrupted``; what was computed is kept in each case.
    """
    if isinstance(spec, str):
        spec = RunSpec(scenario=spec)
    sc, design = spec.resolve()
    spec = spec.model_copy(update={"scenario": sc, "design": design, "overrides": {}})
    _, sim = build(spec)
    t0 = time.perf_counter()
    status, message = "completed", ""
    try:
        sim.advance(sc.duration, progress)
    except SolverError as e:
        status, message = "failed", str(e)
    except ValidityError as e:
        status, message = "stopped", str(e)
    except (Interrupted, KeyboardInterrupt):
        status, message = "interrupted", f"interrupted at t = {sim.t:.6g} s"
    wall = time.perf_counter() - t0
    events = list(sim.log)
    if status == "failed":
        events.append({"time_s": sim.t, "kind": "solver_failure", "name": message})
    return RunResult(
        scenario=sc,
        design=design,
        timeseries=sim.results(),
        events=events,
        status=status,
        message=message,
        wall_s=wall,
        stats={
            **sim.integ.stats(),
            "restarts": sim.n_restarts,
            "real_time_factor": sim.t / wall if wall > 0 else float("inf"),
        },
    )

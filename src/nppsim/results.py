"""Writing and reading run results: Parquet time series, JSON metadata, overview plots."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from nppsim import __version__
from nppsim.errors import SolverError
from nppsim.plant.core import CoreModel
from nppsim.scenarios import Scenario
from nppsim.simulation import Simulation


@dataclass
class RunResult:
    """What a finished (or failed) run produced."""

    scenario: Scenario
    timeseries: pd.DataFrame
    events: list[dict]
    status: str  # "completed" or "failed"
    message: str = ""
    wall_s: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


def build(scenario: Scenario) -> tuple[CoreModel, Simulation]:
    """Build the model at its computed steady state and a simulation of the scenario."""
    design = scenario.design_obj()
    ini = scenario.initial
    model: CoreModel
    extra: dict = {}
    if scenario.scenario.model == "plant":
        from nppsim.plant.plant import PlantModel

        model = PlantModel(design)
        extra["pumps_off"] = tuple(ini.pumps_off)
    else:
        model = CoreModel(design)
    y0 = model.steady_state(
        ini.power,
        ini.critical,
        boron=ini.boron,
        rod_control=ini.rod_control,
        boron_control=ini.boron_control,
        file=scenario.path or None,
        **extra,
    )
    sim = Simulation(model, y0, events=scenario.to_events())
    return model, sim


def run(scenario: Scenario, progress: Callable[[float], None] | None = None) -> RunResult:
    """Run a scenario to its end; a solver failure ends the run early but keeps its results."""
    import time

    _, sim = build(scenario)
    t0 = time.perf_counter()
    status, message = "completed", ""
    try:
        sim.advance(scenario.duration, progress)
    except SolverError as e:
        status, message = "failed", str(e)
    wall = time.perf_counter() - t0
    events = list(sim.log)
    if status == "failed":
        events.append({"time_s": sim.t, "kind": "solver_failure", "name": message})
    return RunResult(
        scenario=scenario,
        timeseries=sim.results(),
        events=events,
        status=status,
        message=message,
        wall_s=wall,
        stats={
            "steps": sim.n_steps,
            "restarts": sim.n_restarts,
            "real_time_factor": sim.t / wall if wall > 0 else float("inf"),
        },
    )


def _git_commit() -> str | None:
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def inputs_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario and design as read (canonical JSON)."""
    design = scenario.design_obj()
    blob = json.dumps(
        {"scenario": scenario.raw, "design": design.model_dump(mode="json")},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def write(result: RunResult, out: Path) -> dict[str, Path]:
    """Write ``timeseries.parquet``, ``run.json`` and ``overview.png`` into ``out``."""
    from nppsim.plotting import overview

    out.mkdir(parents=True, exist_ok=True)
    sc = result.scenario
    paths = {
        "timeseries": out / "timeseries.parquet",
        "run": out / "run.json",
        "overview": out / "overview.png",
    }
    result.timeseries.to_parquet(paths["timeseries"], index=False)
    meta = {
        "nppsim_version": __version__,
        "git_commit": _git_commit(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "scenario_file": sc.path,
        "inputs_sha256": inputs_hash(sc),
        "scenario": sc.raw,
        "design": sc.scenario.design,
        "status": result.status,
        "message": result.message,
        "wall_time_s": result.wall_s,
        "simulated_time_s": float(result.timeseries["time_s"].iloc[-1]),
        "stats": result.stats,
        "events": result.events,
        "columns": list(result.timeseries.columns),
    }
    paths["run"].write_text(json.dumps(meta, indent=2, default=str))
    overview(result.timeseries, result.events, sc.scenario.title, paths["overview"])
    return paths


def real_time_factor(scenario: str | Scenario, repeats: int = 3) -> float:
    """Best real-time factor of a scenario over ``repeats`` runs [simulated s per wall s].

    Building the steady state is excluded: the figure is the integration's speed. Used by the
    scripts in ``benchmarks/``.
    """
    import time

    from nppsim.scenarios import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    best = 0.0
    for _ in range(repeats):
        _, sim = build(sc)
        t0 = time.perf_counter()
        sim.advance(sc.duration)
        best = max(best, sc.duration / (time.perf_counter() - t0))
    return best

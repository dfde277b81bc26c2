"""Writing and reading run results: Parquet time series, JSON metadata, overview plots."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nppsim import __version__
from nppsim.engine.run import RunResult, RunSpec
from nppsim.engine.run import build as _build
from nppsim.engine.run import inputs_hash as _inputs_hash
from nppsim.engine.run import run as _run
from nppsim.scenarios import Scenario

__all__ = ["RunResult", "build", "inputs_hash", "real_time_factor", "run", "write"]


def build(scenario: Scenario) -> tuple[Any, Any]:
    """The model at its computed steady state and a simulation of the scenario."""
    return _build(RunSpec(scenario=scenario))


def run(scenario: Scenario, progress: Callable[[float], None] | None = None) -> RunResult:
    """Run a scenario to its end (:func:`nppsim.engine.run.run`); a solver failure ends the run
    early but keeps its results."""
    return _run(RunSpec(scenario=scenario), progress)


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


def inputs_hash(scenario: Scenario, design: Any = None) -> str:
    """SHA-256 of the scenario and design as read (canonical JSON)."""
    return _inputs_hash(scenario, design if design is not None else scenario.design_obj())


def write(result: RunResult, out: Path) -> dict[str, Path]:
    """Write ``timeseries.parquet``, ``overview.png`` and ``run.json`` into ``out``.

    The files are written under temporary names beside ``out`` and renamed into it, ``run.json``
    last (an earlier run's ``run.json`` is removed first): a process killed while writing
    leaves complete files, and a folder with a ``run.json`` holds one complete run. A plot that
    cannot be drawn does not lose the data (the error is noted in ``run.json``).
    """
    import shutil

    from nppsim.checks import replace_into, staging_dir
    from nppsim.plotting import overview

    out = Path(out)
    sc = result.scenario
    names = {"timeseries": "timeseries.parquet", "run": "run.json", "overview": "overview.png"}
    stage = staging_dir(out)
    try:
        result.timeseries.to_parquet(stage / names["timeseries"], index=False)
        plot_error = None
        try:
            overview(result.timeseries, result.events, sc.scenario.title, stage / names["overview"])
        except Exception as e:  # a plot is not worth the data
            plot_error = f"{type(e).__name__}: {e}"
        meta = {
            "nppsim_version": __version__,
            "git_commit": _git_commit(),
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "scenario_file": sc.path,
            "inputs_sha256": inputs_hash(sc, result.design),
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
        if plot_error is not None:
            meta["plot_error"] = plot_error
        (stage / names["run"]).write_text(json.dumps(meta, indent=2, default=str))
        (out / names["run"]).unlink(missing_ok=True)
        replace_into(stage, out, last=(names["run"],))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    paths = {k: out / v for k, v in names.items()}
    if plot_error is not None:
        del paths["overview"]
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

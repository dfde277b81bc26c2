"""Benchmark of the plant simulation: speed and accuracy of every built-in plant scenario.

For each scenario it prints

* ``real-time factor <scenario>: <number>``: simulated seconds per wall second of the engine at its
  defaults (compiled BDF, rtol 1e-6), best of ``--repeats`` runs; building the model and its
  steady state is excluded;
* ``yardstick units <scenario>: <number>``: that wall time divided by the wall time of
  ``../shared/benchmarks/yardstick.py`` measured in the same run, just before the scenario
  (machines here differ fourfold in speed; the ratio much less);
* ``scipy BDF <scenario>: ...``: the same model under SciPy's BDF (``SolverOptions(backend=
  "scipy")``), side by side with the compiled figures (``--no-scipy`` skips it: minutes);
* ``deviation <scenario> (<backend>): ...``: the largest deviation of key quantities from a
  tight-tolerance run (compiled, rtol 1e-9, atol_scale 0.01) over the whole run, on the tight
  run's recorded times, and the largest shift of an event's time. A shifted event (a trip located
  a few ms apart) shows up as a deviation of the size of its jump over the shift.

Everything runs on one core (single-threaded BLAS). Run: ``python benchmarks/plant.py`` (``make
benchmark``); ``--scenarios turbine-trip load-follow`` for some of them.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import time
from collections.abc import Sequence
from pathlib import Path

# one core: keep BLAS single-threaded so the figures are per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from nppsim.engine.run import RunSpec, SolverOptions, build, run
from nppsim.scenarios import list_scenarios

REPO = Path(__file__).resolve().parents[1]
YARDSTICK = REPO.parent / "shared" / "benchmarks" / "yardstick.py"

#: tight reference: the compiled BDF with tolerances far below the defaults
TIGHT = SolverOptions(rtol=1e-9, atol_scale=0.01)

#: key quantities of the plant: column, label, scale to the printed unit, unit
PLANT_KEYS = (
    ("power_thermal_w", "power", 100.0 / 3000e6, "% of nominal"),
    ("pressure_primary_pa", "p_primary", 1e-3, "kPa"),
    ("temp_coolant_inlet_k", "T_in", 1.0, "K"),
    ("temp_coolant_outlet_k", "T_out", 1.0, "K"),
    ("pressure_steam_pa", "p_steam", 1e-3, "kPa"),
    ("level_sg_min_m", "SG level", 1e3, "mm"),
    ("level_pressurizer_m", "PZR level", 1e3, "mm"),
)


def yardstick_seconds() -> float:
    """Wall time of the shared yardstick problem on this machine, now [s]."""
    spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
    if spec is None or spec.loader is None:
        raise SystemExit(f"yardstick not found: {YARDSTICK}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return float(mod.yardstick_seconds())


def advance_wall(spec: RunSpec, repeats: int) -> float:
    """Best wall time [s] of advancing the scenario to its end (model building excluded)."""
    best = math.inf
    for _ in range(repeats):
        _, sim = build(spec)
        duration = spec.resolve()[0].duration
        t0 = time.perf_counter()
        sim.advance(duration)
        best = min(best, time.perf_counter() - t0)
    return best


def deviation(test, ref, keys) -> tuple[dict[str, float], float]:
    """Largest |test - ref| of each key column (on the reference's recorded times, the test run
    interpolated linearly), and the largest shift of a logged event's time [s]."""
    a, b = test.timeseries, ref.timeseries
    t_ref = b["time_s"].to_numpy()
    t_test = a["time_s"].to_numpy()
    out = {}
    for col, label, scale, _ in keys:
        if col not in a.columns:
            continue
        # recorded event instants appear twice: interpolate on strictly increasing times
        keep = np.concatenate((np.diff(t_test) > 0.0, [True]))
        x = np.interp(t_ref, t_test[keep], a[col].to_numpy()[keep])
        out[label] = float(np.max(np.abs(x - b[col].to_numpy()))) * scale
    ev_a = sorted((e["kind"], e["name"], e["time_s"]) for e in test.events)
    ev_b = sorted((e["kind"], e["name"], e["time_s"]) for e in ref.events)
    if [e[:2] for e in ev_a] != [e[:2] for e in ev_b]:
        return out, math.inf  # not the same events: no shift to speak of
    shift = max((abs(x[2] - y[2]) for x, y in zip(ev_a, ev_b, strict=True)), default=0.0)
    return out, shift


def _fmt_dev(dev: dict[str, float], shift: float, keys) -> str:
    units = {label: unit for _, label, _, unit in keys}
    parts = [f"{k} {v:.2g} {units[k]}" for k, v in dev.items()]
    ev = "events differ" if math.isinf(shift) else f"event times within {shift:.2g} s"
    return ", ".join(parts) + f"; {ev}"


def bench(
    names: Sequence[str], keys, repeats: int = 2, scipy: bool = True, accuracy: bool = True
) -> None:
    """Print the figures of the module docstring for the named scenarios."""
    for name in names:
        spec = RunSpec(scenario=name)
        duration = spec.resolve()[0].duration
        # the yardstick next to each scenario: on a shared machine the load drifts within a run
        y_s = yardstick_seconds()
        print(f"yardstick wall ({name}): {y_s:.3f} s", flush=True)
        wall = advance_wall(spec, repeats)
        print(f"real-time factor {name}: {duration / wall:.0f}", flush=True)
        print(f"yardstick units {name}: {wall / y_s:.3g}", flush=True)
        runs = {}
        if accuracy or scipy:
            runs["compiled"] = run(spec)
        if scipy:
            s_spec = RunSpec(scenario=name, solver=SolverOptions(backend="scipy"))
            s_wall = advance_wall(s_spec, 1)
            print(
                f"scipy BDF {name}: real-time factor {duration / s_wall:.3g}, yardstick units "
                f"{s_wall / y_s:.3g} (compiled: {duration / wall:.0f} and {wall / y_s:.3g}; "
                f"compiled {s_wall / wall:.0f} times faster)",
                flush=True,
            )
            runs["scipy"] = run(s_spec)
        if accuracy:
            ref = run(RunSpec(scenario=name, solver=TIGHT))
            for backend, res in runs.items():
                if res.status != "completed" or ref.status != "completed":
                    print(f"deviation {name} ({backend}): run {res.status}, tight {ref.status}")
                    continue
                dev, shift = deviation(res, ref, keys)
                print(f"deviation {name} ({backend}): {_fmt_dev(dev, shift, keys)}", flush=True)


def main(model: str = "plant", keys=PLANT_KEYS) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="*", help="scenario names (default: all built-in)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per scenario (best)")
    parser.add_argument("--no-scipy", action="store_true", help="skip the SciPy BDF runs")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the tight-run check")
    args = parser.parse_args()
    names = args.scenarios or [s.name for s in list_scenarios() if s.scenario.model == model]
    bench(names, keys, args.repeats, not args.no_scipy, not args.no_accuracy)


if __name__ == "__main__":
    main()

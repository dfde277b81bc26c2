"""Benchmark of the plant simulation: real-time factor of three built-in plant scenarios.

Prints one line per scenario, ``real-time factor <scenario>: <number>`` (simulated seconds per
wall second on one core, best of ``repeats``; building the steady state is excluded).
Run: ``python benchmarks/plant.py``.
"""

from __future__ import annotations

import os
import time

# one core: keep BLAS single-threaded so the figure is per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from nppsim import results
from nppsim.scenarios import load_scenario

SCENARIOS = ("steady-state", "load-follow", "turbine-trip")


def real_time_factor(name: str, repeats: int = 2) -> float:
    """Best real-time factor of scenario ``name`` over ``repeats`` runs."""
    sc = load_scenario(name)
    best = 0.0
    for _ in range(repeats):
        _, sim = results.build(sc)
        t0 = time.perf_counter()
        sim.advance(sc.duration)
        wall = time.perf_counter() - t0
        best = max(best, sc.duration / wall)
    return best


def main() -> None:
    for name in SCENARIOS:
        print(f"real-time factor {name}: {real_time_factor(name):.0f}", flush=True)


if __name__ == "__main__":
    main()

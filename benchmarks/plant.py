"""Benchmark of the plant simulation: real-time factor of three built-in plant scenarios.

Prints one line per scenario, ``real-time factor <scenario>: <number>`` (simulated seconds per
wall second on one core, best of ``repeats``; building the steady state is excluded).
Run: ``python benchmarks/plant.py``.
"""

from __future__ import annotations

import os

# one core: keep BLAS single-threaded so the figure is per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from nppsim.results import real_time_factor

SCENARIOS = ("steady-state", "load-follow", "turbine-trip")


def main() -> None:
    for name in SCENARIOS:
        print(f"real-time factor {name}: {real_time_factor(name, repeats=2):.0f}", flush=True)


if __name__ == "__main__":
    main()

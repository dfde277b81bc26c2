"""Benchmark of the core simulation and the validation cases.

Prints the real-time factor (simulated seconds per wall second, one core) of the built-in
``xenon-transient`` scenario (and the other core scenarios), then the wall time of each shipped
validation case. Run: ``python benchmarks/core.py`` (``make benchmark``).
"""

from __future__ import annotations

import os

# one core: keep BLAS single-threaded so the figure is per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from nppsim.results import real_time_factor


def main() -> None:
    for name in ("xenon-transient", "scram", "rod-withdrawal"):
        print(f"real-time factor {name}: {real_time_factor(name, repeats=3):.0f}")
    from nppsim.validation.runner import run_cases, shipped_cases

    for outcome in run_cases(shipped_cases()):
        print(f"{outcome.name}: {outcome.wall_s * 1e3:.2f} ms")


if __name__ == "__main__":
    main()

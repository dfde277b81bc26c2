"""Benchmark of the programme model: 10,000 samples of the Iran programme to 2060 on one core.

Times loading the programme file, the Monte Carlo run (schedules with shocks and suspensions,
energy, fuel cycle, costs) and its yearly statistics (no plots, no files), best of five, and prints
the wall time, samples per second and the same time in yardstick units: wall time divided by the
wall time of ``../shared/benchmarks/yardstick.py`` measured in the same run on the same core. The
target is 10,000 samples in under 2 s. Run: ``.venv/bin/python benchmarks/programme.py``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import importlib.util  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from nppsim.programme import load_programme, simulate, summary_frame  # noqa: E402

SAMPLES = 10_000
UNTIL = 2060
YARDSTICK = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "yardstick.py"


def yardstick_seconds() -> float | None:
    """Wall time of the shared yardstick problem [s], or None if the file is not there."""
    if not YARDSTICK.exists():
        return None
    spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["yardstick"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return float(mod.yardstick_seconds())


def run_once() -> float:
    """Wall time [s] of one load, simulation and summary."""
    t0 = time.perf_counter()
    case = load_programme("iran")
    res = simulate(case, samples=SAMPLES, until=UNTIL, seed=1)
    summary_frame(res)
    return time.perf_counter() - t0


def main() -> None:
    run_once()  # warm-up: imports, design and table caches
    best = min(run_once() for _ in range(5))
    print(f"programme: {SAMPLES} samples to {UNTIL} in {best:.3f} s (best of 5, one core)")
    print(f"programme samples per second: {SAMPLES / best:.0f}")
    ys = yardstick_seconds()
    if ys is None:
        print(f"yardstick: not found at {YARDSTICK}")
    else:
        print(f"yardstick wall: {ys:.3f} s")
        print(f"programme in yardstick units: {best / ys:.2f}")


if __name__ == "__main__":
    main()

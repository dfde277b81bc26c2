"""Benchmark of the programme model: 10,000 samples of the Iran programme to 2060 on one core.

Times loading the programme file and the Monte Carlo run with its yearly quantiles (no plots, no
files), best of five, and prints ``programme samples per second: <number>``. The target is 10,000
samples in under 2 s. Run: ``.venv/bin/python benchmarks/programme.py``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import time  # noqa: E402

from nppsim.programme import load_programme, simulate, summary_frame  # noqa: E402

SAMPLES = 10_000
UNTIL = 2060


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


if __name__ == "__main__":
    main()

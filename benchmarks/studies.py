"""Benchmark of studies: a 64-run study on a local Dask cluster of 1 and of 2 workers.

Prints the wall times (seconds and yardstick units: a wall time divided by that of
``../shared/benchmarks/yardstick.py`` measured in the same run) and
``study speed-up, 2 workers over 1: <x>``: the ratio of the times from the first run sent to the
last outcome written, the workers started and warmed (imports, compiled kernels, one steady
state), which is what a longer study pays per run. The end-to-end ratio, cluster start included,
is printed too. The two datasets are checked to be the same (wall times aside).

The study is the built-in ``turbine-trip-pressure`` (64 runs of the plant's turbine trip).

Run: ``python benchmarks/studies.py`` (on 2 cores; ``--repeats N`` takes the best of N).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent / "shared" / "benchmarks"))

from yardstick import yardstick_seconds  # noqa: E402

from nppsim.studies import load_study, read_runs, run_study  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1, help="best of N for each worker count")
    args = ap.parse_args()
    study = load_study("turbine-trip-pressure")
    print("study: built-in turbine-trip-pressure (64 plant runs)", flush=True)
    print(
        f"cores: {len(os.sched_getaffinity(0))}, load average at start: {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    ys = yardstick_seconds()
    print(f"yardstick wall: {ys:.3f}", flush=True)
    best: dict[int, tuple[float, float, float]] = {}
    cpu_per_run: dict[int, float] = {}
    frames = {}
    with tempfile.TemporaryDirectory() as tmp:
        # 1 and 2 workers alternate, so that a change of the machine's other load between
        # repeats touches both figures alike
        for k in range(args.repeats):
            for n in (1, 2):
                out = Path(tmp) / f"w{n}-{k}"
                t0 = time.perf_counter()
                report = run_study(study, out, workers=n)
                wall = time.perf_counter() - t0
                if report.ran != 64 or report.failed:
                    raise SystemExit(f"benchmark study did not run cleanly: {report}")
                cpu_per_run[n] = min(cpu_per_run.get(n, float("inf")), report.worker_cpu_s / 64)
                prev = best.get(n, (float("inf"), float("inf"), 0.0))
                cpu_share = report.worker_cpu_s / (n * report.compute_s)
                best[n] = (
                    min(prev[0], wall),
                    min(prev[1], report.compute_s),
                    cpu_share if report.compute_s < prev[1] else prev[2],
                )
                frames[n] = read_runs(out).drop(columns=["wall_s"])
    for n in (1, 2):
        wall, compute, share = best[n]
        print(
            f"study wall, {n} worker{'s' if n > 1 else ''}: {wall:.1f} s "
            f"({wall / ys:.1f} yardstick units); runs with workers ready: {compute:.1f} s "
            f"({compute / ys:.1f} yardstick units); each worker got {100 * share:.0f} % of a core",
            flush=True,
        )
    print(
        f"worker CPU time per run: 1 worker {cpu_per_run[1]:.3f} s, 2 workers "
        f"{cpu_per_run[2]:.3f} s (alike if running two at once adds no work per run)"
    )
    same = frames[1].equals(frames[2])
    print(f"datasets of 1 and 2 workers identical (wall times aside): {'yes' if same else 'NO'}")
    print(f"study speed-up, 2 workers over 1: {best[1][1] / best[2][1]:.2f}")
    print(
        f"study speed-up end to end (cluster start included), 2 workers over 1: "
        f"{best[1][0] / best[2][0]:.2f}"
    )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

"""Benchmark of the command line's start-up: ``nppsim --help`` (and the listing commands) in a
fresh process.

Prints, for each command, ``startup <command>: <seconds> s, <units> yardstick units``: the best
wall time of ``repeats`` fresh processes, and that time divided by the wall time of
``../shared/benchmarks/yardstick.py`` measured in the same run (machines here differ fourfold in
speed; the ratio much less). The bar of issue 14: ``nppsim --help`` at most 2 yardstick units.
Run: ``python benchmarks/startup.py``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (["--help"], ["scenarios"], ["designs"])


def yardstick_seconds() -> float:
    """``yardstick_seconds()`` of ``../shared/benchmarks/yardstick.py`` (beside the repository)."""
    path = ROOT.parent / "shared" / "benchmarks" / "yardstick.py"
    spec = importlib.util.spec_from_file_location("yardstick", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"yardstick not found at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return float(mod.yardstick_seconds())


def nppsim_command() -> list[str]:
    """The installed ``nppsim`` script beside this interpreter, or ``python -m nppsim.cli``."""
    script = Path(sys.executable).with_name("nppsim")
    if script.exists():
        return [str(script)]
    found = shutil.which("nppsim")
    return [found] if found else [sys.executable, "-m", "nppsim.cli"]


def startup_seconds(args: list[str], repeats: int = 5) -> float:
    """Best wall time [s] of ``nppsim ARGS`` in a fresh process over ``repeats`` runs."""
    cmd = [*nppsim_command(), *args]
    env = {**os.environ, "COLUMNS": "100"}
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    yard = yardstick_seconds()
    print(f"yardstick wall: {yard:.3f} s", flush=True)
    for args in COMMANDS:
        s = startup_seconds(args)
        name = " ".join(args)
        print(f"startup nppsim {name}: {s:.3f} s, {s / yard:.2f} yardstick units", flush=True)


if __name__ == "__main__":
    main()

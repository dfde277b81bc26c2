"""Helpers of the study tests: small study files on the core model (fast to run) and an
external Dask cluster started by its own commands."""

from __future__ import annotations

import textwrap
from pathlib import Path

#: a 2 x 2 grid on the rod withdrawal (core model, about 0.1 s a run)
SMALL_GRID = """
[study]
name = "small-grid"
title = "Rod withdrawal, a 2 x 2 grid"
scenario = "rod-withdrawal"

[sampler]
method = "grid"

[[parameters]]
name = "doppler"
design = "reactivity.doppler_coefficient"
unit = "pcm/K"
values = [-3.0, -2.2]

[[parameters]]
name = "g10_speed"
design = "rods.banks[G10].speed"
unit = "%/s"
values = [0.5, 0.65]

[[metrics]]
name = "peak_power"
quantity = "power_thermal_w"
reduce = "max"
unit = "MW"

[[metrics]]
name = "final_power"
quantity = "power_relative"
reduce = "final"
unit = "%"

[[metrics]]
name = "energy"
quantity = "power_thermal_w"
reduce = "integral"
from = "30 s"
unit = "MWh"

[[metrics]]
name = "trip_time"
reduce = "event_time"
event = "trip"
unit = "s"
"""


def write_study(folder: Path, text: str, name: str = "study.toml") -> Path:
    """Write a study file (dedented) into ``folder``; return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


#: a Latin hypercube of 12 runs on the rod withdrawal (Dask tests)
SMALL_LHS = (
    SMALL_GRID.replace('method = "grid"', 'method = "latin-hypercube"\nsamples = 12\nseed = 11')
    .replace("values = [-3.0, -2.2]", 'distribution = "uniform"\nlow = -3.4\nhigh = -2.1')
    .replace(
        "values = [0.5, 0.65]", 'distribution = "triangular"\nlow = 0.45\nmode = 0.57\nhigh = 0.7'
    )
)


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ExternalCluster:
    """A Dask scheduler and workers started by their own commands (``dask scheduler``,
    ``dask worker``) as separate processes on the loopback interface, as on other machines.

    Only the processes it started are stopped, by their ids.
    """

    def __init__(self, workers: int, folder: Path) -> None:
        import shutil
        import subprocess
        import sys

        dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.procs: list[subprocess.Popen] = []
        self.logs = []
        log = open(folder / "scheduler.log", "w")
        self.logs.append(log)
        self.procs.append(
            subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        for k in range(workers):
            log = open(folder / f"worker-{k}.log", "w")
            self.logs.append(log)
            self.procs.append(
                subprocess.Popen(
                    [
                        dask,
                        "worker",
                        self.address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"test-worker-{k}",
                        "--local-directory",
                        str(folder / f"worker-{k}"),
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        self.wait_for(workers)

    def wait_for(self, n: int, timeout: float = 240.0) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as c:
            c.wait_for_workers(n, timeout=timeout)

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=30)
            except Exception:
                p.kill()
                p.wait(timeout=10)
        for log in self.logs:
            log.close()

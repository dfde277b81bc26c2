"""Run a built-in scenario over a window and print its key figures as JSON (for
``test_backends.py``, which runs this file twice: compiled, and with ``NUMBA_DISABLE_JIT=1``).

Usage: ``python backend_run.py <scenario>:<t_end [s]>:<sample step [s]> ...``. Prints one JSON
object, scenario name to its figures (the scenarios run one after the other in this process, as
results must not depend on what ran before): the sample times, every recorded column at those
times (read through the engine's dense output), the event log, the integrator's counters and
whether the kernels were compiled.
"""

from __future__ import annotations

import json
import sys

import numba
import numpy as np

from nppsim.engine.run import RunSpec, build


def one(name: str, t_end: float, dt: float) -> dict:
    model, sim = build(RunSpec(scenario=name))
    columns = [c for c, _, _ in model.net.columns()]
    times = np.arange(dt, t_end + 0.5 * dt, dt)
    values = []
    for t in times:
        sim.advance(float(t))
        r = sim.read(columns)
        values.append([r[c] for c in columns])
    return {
        "jit": not numba.config.DISABLE_JIT,
        "t": times.tolist(),
        "columns": columns,
        "values": np.asarray(values).T.tolist(),
        "events": [[e["time_s"], e["kind"], e["name"]] for e in sim.log],
        "stats": {k: int(v) for k, v in sim.integ.stats().items()},
        "state": sim.y.tolist(),
    }


def main() -> None:
    out = {}
    for spec in sys.argv[1:]:
        name, t_end, dt = spec.split(":")
        out[name] = one(name, float(t_end), float(dt))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

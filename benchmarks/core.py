"""Benchmark of the core simulation and the validation cases.

For each built-in core scenario (``xenon-transient``, ``scram``, ``rod-withdrawal``...) it prints
the same figures as ``benchmarks/plant.py``: ``real-time factor <scenario>: <number>``,
``yardstick units <scenario>: <number>``, the SciPy BDF side by side, and the largest deviation
of key quantities from a tight-tolerance run (rtol 1e-9, atol_scale 0.01). Then the wall time of
each shipped validation case, for the stand-alone solver and for the production path (the core
component and the engine). Run: ``python benchmarks/core.py`` (``make benchmark``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

# one core: keep BLAS single-threaded so the figures are per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_spec = importlib.util.spec_from_file_location("_plant_bench", Path(__file__).with_name("plant.py"))
assert _spec is not None and _spec.loader is not None
_plant = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_plant)

#: key quantities of the core: column, label, scale to the printed unit, unit
CORE_KEYS = (
    ("power_thermal_w", "power", 100.0 / 3000e6, "% of nominal"),
    ("temp_fuel_avg_k", "T_fuel", 1.0, "K"),
    ("temp_coolant_outlet_k", "T_out", 1.0, "K"),
    ("reactivity_xenon", "rho_Xe", 1e5, "pcm"),
    ("boron_ppm", "boron", 1.0, "ppm"),
)


def main() -> None:
    _plant.main(model="core", keys=CORE_KEYS)
    from nppsim.validation.report import production_cell
    from nppsim.validation.runner import run_cases, shipped_cases

    for o in run_cases(shipped_cases()):
        pr = o.production
        extra = (
            f"; production path {pr.wall_s * 1e3:.0f} ms, {production_cell(pr)}"
            if pr is not None and pr.status != "n/a"
            else ""
        )
        print(f"{o.name}: {o.wall_s * 1e3:.2f} ms{extra}")


if __name__ == "__main__":
    main()

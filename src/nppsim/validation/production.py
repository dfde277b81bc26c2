"""Validation cases through the production path: the simulator's own core component and engine.

The stand-alone solvers of :mod:`nppsim.validation.runner` (matrix exponential and stiff
integration of the bare point-kinetics equations, the analytic xenon solution) meet the cases'
tight tolerances. This module runs the same cases through what users run: a core model
(``Model(design, "core")``: the core component with its boundary, controllers and protection)
stepped by :class:`~nppsim.engine.simulation.Simulation` at its default settings (compiled BDF,
``rtol = 1e-6``, the states' own absolute tolerances), driven by the registry's actions
(:class:`~nppsim.actions.ReactivityStep`, :class:`~nppsim.actions.ReactivityRamp`,
:class:`~nppsim.actions.Scram`). The case's data enter as design values changed in memory,
starting from the V-446 design file.

**Point kinetics** (steps and ramps). The core component is made to be the case's point-kinetics
model: the case's delayed-neutron data and generation time; no feedback (Doppler and moderator
coefficients 0; Xe-135 and Sm-149 cross-sections at the schema's lower bounds, 1e4 and 100 barn,
so that poison feedback stays below 1e-8 in reactivity over a case); no source; rods in manual,
boron constant; the protection's trip rows bypassed (a physics test: the high-flux and period
trips would end the excursion). The case's n(t) is a ratio to n(0), so the core starts from a
steady state at a low initial power n0 chosen so that the excursion stays physical (n at most
full power): n0 = min(1, 1 / max n), but not below :data:`N_MIN`, the lowest level at which
the engine's default tolerances control n (its absolute tolerance over ``rtol``). Expected
values that would take n beyond full power from there are not compared (the note says which).
Sinusoidal reactivity and the adiabatic feedback rho - B int n dt are not representable by the
core component: such cases are reported ``n/a`` with the reason.

**Xenon after shutdown.** The core runs at full power with the case's flux, yields, decay
constants and cross-section; a :class:`~nppsim.actions.Scram` at t = 0 inserts the rods with the
schema's fastest scram (no delay, 0.5 s drop), the closest the core comes to the case's
"flux = 0 at t = 0": the neutron tail after the trip (prompt drop, then the delayed neutrons'
80 s decay, about 1 full-power second in all) still burns a little xenon, a physical difference
that is part of the error reported. The peak time and height come from a parabola through the
largest three values on a 30 s grid of the clock, the return to equilibrium from linear
interpolation on that grid.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from nppsim.errors import InputError
from nppsim.validation.base import ProductionOutcome, Row, get_number, get_numbers, rel_error

__all__ = [
    "N_MIN",
    "PRODUCTION_DESIGN",
    "PRODUCTION_RTOL",
    "production_point_kinetics",
    "production_xenon",
]

#: the design file the production path starts from (its core geometry and thermal data)
PRODUCTION_DESIGN = "vver1000-v446"

#: relative tolerance the production path meets on the cases of each kind (engine defaults:
#: compiled BDF, rtol 1e-6); measured worst errors are in docs/validation.md
PRODUCTION_RTOL = {"point_kinetics": 1e-3, "xenon_shutdown": 1e-3}

#: [1] the lowest initial power resolved by the engine's defaults: the absolute tolerance of the
#: neutron level and the precursors (1e-14, core component) over the relative tolerance (1e-6)
N_MIN = 1e-8

_XENON_GRID = 30.0  # [s] the clock's grid for the xenon curve
_SOURCE = "validation case"


def _q(value: Any, unit: str, source: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": source, "confidence": "S"}


def _design(changes: dict[tuple[str, str], dict[str, Any]]) -> Any:
    """The production design with whole quantities replaced in memory (lists included, which
    ``Design.with_overrides`` takes item by item only)."""
    from nppsim.designs import load_design, parse_design

    base = load_design(PRODUCTION_DESIGN)
    data = base.model_dump(exclude={"path"}, exclude_none=True)
    for (section, name), q in changes.items():
        data[section][name] = q
    return parse_design(data, f"{PRODUCTION_DESIGN} (validation overrides)")


def _rows_outcome(
    kind: str, rows: list[Row], note: str, wall: float, atol: float = 0.0
) -> ProductionOutcome:
    rtol = PRODUCTION_RTOL[kind]
    worst = max((r[3] for r in rows), default=None)
    ok = bool(rows) and all(
        math.isfinite(r[2]) and abs(r[2] - r[1]) <= atol + rtol * abs(r[1]) for r in rows
    )
    return ProductionOutcome("pass" if ok else "FAIL", rtol, worst, rows, note=note, wall_s=wall)


def production_point_kinetics(data: dict[str, Any], path: Path) -> ProductionOutcome:
    """A ``point_kinetics`` case through the core component and the engine (module docstring)."""
    from nppsim import actions as A
    from nppsim.engine.simulation import Simulation
    from nppsim.plant.model import Model

    kind = "point_kinetics"
    rtol = PRODUCTION_RTOL[kind]
    shape = data["reactivity"]["shape"]
    if shape not in ("step", "ramp"):
        return ProductionOutcome(
            "n/a",
            rtol,
            note=f"{shape} reactivity: the core component takes external reactivity as steps "
            "and ramps only",
        )
    if "feedback" in data:
        return ProductionOutcome(
            "n/a",
            rtol,
            note="adiabatic feedback rho - B int n dt: the core component's feedback is Doppler "
            "and moderator (fuel and coolant temperatures), not this model",
        )
    if "expect" not in data:
        return ProductionOutcome("n/a", rtol, note="no n(t) expected: nothing to compare")
    beta = get_numbers(data, "kinetics.beta", path, positive=True)
    lam = get_numbers(data, "kinetics.decay_constants_per_s", path, positive=True)
    gen = get_number(data, "kinetics.generation_time_s", path, positive=True)
    times = get_numbers(data, "expect.times_s", path)
    n_exp = get_numbers(data, "expect.n", path)
    n0 = max(N_MIN, min(1.0, 1.0 / max(max(n_exp), 1e-300)))
    kept = [(t, e) for t, e in zip(times, n_exp, strict=True) if N_MIN <= n0 * e <= 1.0 + 1e-9]
    dropped = len(times) - len(kept)
    if not kept:
        return ProductionOutcome(
            "n/a",
            rtol,
            note=f"every expected n lies beyond full power (or below {N_MIN:g} of it) from the "
            f"lowest resolved initial power {N_MIN:g}",
        )
    start = time.perf_counter()
    try:
        design = _design(
            {
                ("kinetics", "beta"): _q(beta, "1", _SOURCE),
                ("kinetics", "decay_constants"): _q(lam, "1/s", _SOURCE),
                ("kinetics", "generation_time"): _q(gen, "s", _SOURCE),
                ("kinetics", "neutron_source"): _q(0.0, "1/s", _SOURCE),
                ("reactivity", "doppler_coefficient"): _q(0.0, "pcm/K", _SOURCE),
                ("reactivity", "moderator_temperature_coefficient"): _q(0.0, "pcm/K", _SOURCE),
                ("reactivity", "moderator_density_coefficient"): _q(0.0, "1/(g/cm3)", _SOURCE),
                ("poisons", "xenon_cross_section"): _q(1e4, "barn", _SOURCE),
                ("poisons", "samarium_cross_section"): _q(100.0, "barn", _SOURCE),
            }
        )
        t_last = kept[-1][0]
        if shape == "step":
            rho = get_number(data, "reactivity.rho", path)
            action: Any = A.ReactivityStep.model_validate({"rho": rho}, context={"si": True})
        else:
            rate = get_number(data, "reactivity.rate_per_s", path)
            action = A.ReactivityRamp.model_validate(
                {"rate": rate, "duration": max(2.0 * t_last, 1e-3)}, context={"si": True}
            )
    except InputError as e:
        return ProductionOutcome("n/a", rtol, note=f"not representable: {e.field}: {e.allowed}")
    model = Model(design, "core")
    y0, d0 = model.steady_state(n0, "boron", rod_control="manual", boron_control="manual")
    d0[model.net.discrete["protection.latched"].slice] = 1.0  # trips bypassed
    sim = Simulation(model, y0, d0, actions=[(0.0, action)])
    rows: list[Row] = []
    for t, e in kept:
        sim.advance(t)
        n = sim.read(["core.n"])["core.n"] / n0
        rows.append((f"n(t={t:g} s)", e, n, rel_error(e, n)))
    wall = time.perf_counter() - start
    note = f"n0 = {n0:.3g} of full power"
    if dropped:
        note += (
            f"; {dropped} of {len(times)} expected values beyond full power from n0: not compared"
        )
    return _rows_outcome(kind, rows, note, wall)


def production_xenon(data: dict[str, Any], path: Path) -> ProductionOutcome:
    """An ``xenon_shutdown`` case through the core component and the engine (module docstring)."""
    from nppsim import actions as A
    from nppsim.engine.simulation import Simulation
    from nppsim.plant.model import Model

    kind = "xenon_shutdown"
    rtol = PRODUCTION_RTOL[kind]
    c = "constants."
    try:
        design = _design(
            {
                ("poisons", "thermal_flux_full_power"): _q(
                    get_number(data, "thermal_flux_per_cm2_s", path, positive=True),
                    "1/cm2/s",
                    _SOURCE,
                ),
                ("poisons", "iodine_yield"): _q(
                    get_number(data, c + "iodine_yield", path), "1", _SOURCE
                ),
                ("poisons", "xenon_yield"): _q(
                    get_number(data, c + "xenon_yield", path), "1", _SOURCE
                ),
                ("poisons", "iodine_decay_constant"): _q(
                    get_number(data, c + "iodine_decay_constant_per_s", path), "1/s", _SOURCE
                ),
                ("poisons", "xenon_decay_constant"): _q(
                    get_number(data, c + "xenon_decay_constant_per_s", path), "1/s", _SOURCE
                ),
                ("poisons", "xenon_cross_section"): _q(
                    get_number(data, c + "xenon_absorption_cross_section_barn", path),
                    "barn",
                    _SOURCE,
                ),
                ("rods", "scram_delay"): _q(0.0, "s", _SOURCE),
                ("rods", "scram_drop_time"): _q(0.5, "s", _SOURCE),
            }
        )
    except InputError as e:
        return ProductionOutcome("n/a", rtol, note=f"not representable: {e.field}: {e.allowed}")
    expected = {
        "peak_time_s": get_number(data, "expect.peak_time_s", path, nonnegative=True),
        "peak_over_equilibrium": get_number(data, "expect.peak_over_equilibrium", path),
        "back_to_equilibrium_s": get_number(data, "expect.back_to_equilibrium_s", path),
    }
    start = time.perf_counter()
    model = Model(design, "core")
    y0, d0 = model.steady_state(1.0, "boron", rod_control="manual", boron_control="manual")
    sim = Simulation(model, y0, d0, actions=[(0.0, A.Scram())])
    col = "xenon_number_density_per_m3"
    x_eq = sim.read([col])[col]
    t_end = 1.3 * max(expected["back_to_equilibrium_s"], expected["peak_time_s"], 48 * 3600.0)
    h = _XENON_GRID
    ts = np.arange(0.0, t_end + h, h)
    xs = np.empty(ts.size)
    for i, t in enumerate(ts):
        sim.advance(float(t))
        xs[i] = sim.read([col])[col] / x_eq
    wall = time.perf_counter() - start
    i = int(np.argmax(xs))
    if i == 0:  # no peak: xenon only decays (flux below the threshold)
        t_peak, x_peak, t_back = 0.0, float(xs[0]), 0.0
    else:
        a, b, c0 = np.polyfit(ts[i - 1 : i + 2] - ts[i], xs[i - 1 : i + 2], 2)
        t_peak = float(ts[i] - b / (2.0 * a))
        x_peak = float(c0 - b * b / (4.0 * a))
        below = np.flatnonzero(xs[i:] < 1.0)
        if below.size:
            j = i + int(below[0])
            t_back = float(ts[j - 1] + (1.0 - xs[j - 1]) * h / (xs[j] - xs[j - 1]))
        else:
            t_back = math.inf
    rows: list[Row] = [
        (
            "peak time [s]",
            expected["peak_time_s"],
            t_peak,
            rel_error(expected["peak_time_s"], t_peak),
        ),
        (
            "peak / equilibrium",
            expected["peak_over_equilibrium"],
            x_peak,
            rel_error(expected["peak_over_equilibrium"], x_peak),
        ),
        (
            "back to equilibrium [s]",
            expected["back_to_equilibrium_s"],
            t_back,
            rel_error(expected["back_to_equilibrium_s"], t_back),
        ),
    ]
    note = "full power, scram at t = 0 (no delay, 0.5 s drop); xenon on a 30 s grid"
    return _rows_outcome(kind, rows, note, wall, atol=float(data.get("atol", 0.0)))

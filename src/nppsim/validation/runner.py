"""Run validation case files: find them, run each by its ``kind``, check every expected value.

A case that cannot be run (malformed JSON, unknown kind, missing or bad field, a solver failure,
a missing physics module) is reported as failed with a reason naming the file and the field; the
other cases still run. The kinds:

* ``point_kinetics``: :func:`nppsim.physics.point_kinetics.solve` and
  :func:`~nppsim.physics.point_kinetics.find_first_peak` at their default settings;
* ``xenon_shutdown``: the analytic I-135/Xe-135 solution of :mod:`nppsim.physics.poisons`;
* ``decay_heat``: :func:`nppsim.physics.decay_heat.decay_heat_fraction` (imported when a case of
  this kind runs).

The point-kinetics and xenon cases also run through the production path, the core component and
the engine at their default settings (:mod:`nppsim.validation.production`), each held to the
tolerance the engine meets (:data:`~nppsim.validation.production.PRODUCTION_RTOL`); a case passes
when both do (a case the core component cannot represent says so and is judged on the stand-alone
solver alone).

The file formats are described in ``cases/README.md`` (shipped with the package).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from nppsim.errors import InputError, NppsimError
from nppsim.units import to_si
from nppsim.validation.base import (
    MISSING,
    CaseOutcome,
    ProductionOutcome,
    Row,
    check_rows,
    get_field,
    get_number,
    get_numbers,
    rel_error,
)

__all__ = [
    "KINDS",
    "discover",
    "run_case",
    "run_cases",
    "shipped_case_dir",
    "shipped_cases",
]

_PLOT_POINTS = 300


def shipped_case_dir() -> Path:
    """Folder of the case files shipped with nppsim (package data)."""
    return Path(__file__).resolve().parent / "cases"


def discover(dirs: Iterable[Path | str]) -> list[Path]:
    """Every ``*.json`` file under the given folders (recursively), sorted, without duplicates.

    A path that is a file is taken as it is; a path that does not exist is ignored (the caller
    decides whether that is an error).
    """
    found: dict[Path, None] = {}
    for d in dirs:
        p = Path(d)
        if p.is_file():
            found.setdefault(p.resolve(), None)
        elif p.is_dir():
            for f in sorted(p.rglob("*.json")):
                if f.is_file():
                    found.setdefault(f.resolve(), None)
    return list(found)


def shipped_cases() -> list[Path]:
    """The shipped case files."""
    return discover([shipped_case_dir()])


def _outcome(data: dict[str, Any], path: Path, rows: list[Row], wall_s: float) -> CaseOutcome:
    rtol = get_number(data, "rtol", path, positive=True)
    atol = get_number(data, "atol", path, nonnegative=True) if "atol" in data else 0.0
    passed, worst, reason = check_rows(rows, rtol, atol)
    return CaseOutcome(
        name=str(data["name"]),
        kind=str(data["kind"]),
        source=str(data["source"]),
        rtol=rtol,
        passed=passed,
        worst_rel_error=worst,
        reason=reason,
        wall_s=wall_s,
        rows=rows,
        file=str(path),
        atol=atol,
    )


def _row(label: str, expected: float, computed: float) -> Row:
    return (label, float(expected), float(computed), rel_error(float(expected), float(computed)))


# --------------------------------------------------------------------------------------------------
# point_kinetics
# --------------------------------------------------------------------------------------------------


def _reactivity(data: dict[str, Any], path: Path) -> Any:
    from nppsim.physics import point_kinetics as pk

    shape = get_field(data, "reactivity.shape", path)
    if shape == "step":
        return pk.Step(get_number(data, "reactivity.rho", path))
    if shape == "ramp":
        return pk.Ramp(get_number(data, "reactivity.rate_per_s", path))
    if shape == "sine":
        return pk.Sine(
            get_number(data, "reactivity.amplitude", path),
            get_number(data, "reactivity.half_period_s", path, positive=True),
        )
    raise InputError(path, "reactivity.shape", shape, "one of step, ramp, sine")


def run_point_kinetics(data: dict[str, Any], path: Path) -> CaseOutcome:
    """Kind ``point_kinetics``: n(t) at the expected times and/or the first peak of n."""
    from nppsim.physics import point_kinetics as pk

    beta = get_numbers(data, "kinetics.beta", path, positive=True)
    lam = get_numbers(data, "kinetics.decay_constants_per_s", path, positive=True)
    if len(lam) != len(beta):
        raise InputError(
            path, "kinetics.decay_constants_per_s", lam, f"{len(beta)} values, one per group"
        )
    gen = get_number(data, "kinetics.generation_time_s", path, positive=True)
    rho = _reactivity(data, path)
    feedback = 0.0
    if "feedback" in data:
        feedback = get_number(data, "feedback.adiabatic_coefficient", path, nonnegative=True)
    if "expect" not in data and "expect_peak" not in data:
        raise InputError(path, "expect", MISSING, "expect (times_s, n) or expect_peak (t_s, n)")
    times: list[float] = []
    n_expected: list[float] = []
    if "expect" in data:
        times = get_numbers(data, "expect.times_s", path)
        n_expected = get_numbers(data, "expect.n", path)
        if len(times) != len(n_expected):
            raise InputError(path, "expect.n", n_expected, f"{len(times)} values, one per time")
        if min(times) < 0.0:
            raise InputError(path, "expect.times_s", times, "times >= 0")
    peak_expected: tuple[float, float] | None = None
    if "expect_peak" in data:
        peak_expected = (
            get_number(data, "expect_peak.t_s", path, positive=True),
            get_number(data, "expect_peak.n", path, positive=True),
        )
    args = (beta, lam, gen, rho)
    start = time.perf_counter()
    n_computed = pk.solve(*args, times, feedback).n if times else np.array([])
    peak = pk.find_first_peak(*args, feedback) if peak_expected is not None else None
    wall = time.perf_counter() - start

    rows = [
        _row(f"n(t={t:g} s)", e, c) for t, e, c in zip(times, n_expected, n_computed, strict=True)
    ]
    if peak_expected is not None:
        t_pk, n_pk = peak if peak is not None else (math.nan, math.nan)
        rows.append(_row("t_peak [s]", peak_expected[0], t_pk))
        rows.append(_row("n_peak", peak_expected[1], n_pk))
    outcome = _outcome(data, path, rows, wall)
    if peak_expected is not None and peak is None:
        outcome.reason = "no maximum of n found; " + outcome.reason

    # curve for the report (not timed; a failure here only loses the plot)
    try:
        outcome.plot = _point_kinetics_plot(
            outcome.name, args, feedback, times, n_expected, peak_expected
        )
    except Exception:
        outcome.plot = None
    return outcome


def _point_kinetics_plot(
    name: str,
    args: tuple[Any, ...],
    feedback: float,
    times: list[float],
    n_expected: list[float],
    peak_expected: tuple[float, float] | None,
) -> dict[str, Any]:
    from nppsim.physics import point_kinetics as pk

    ends = [1.1 * t for t in times]
    if peak_expected is not None:
        ends.append(2.0 * peak_expected[0])
    t_end = max(ends)
    grid = np.linspace(0.0, t_end, _PLOT_POINTS)
    curve = pk.solve(*args, grid, feedback, rtol=1e-8).n
    curves: list[dict[str, Any]] = [
        {"label": "nppsim", "x": grid.tolist(), "y": curve.tolist(), "style": "line"}
    ]
    if times:
        curves.append({"label": "expected", "x": times, "y": n_expected, "style": "points"})
    if peak_expected is not None:
        curves.append(
            {
                "label": "expected peak",
                "x": [peak_expected[0]],
                "y": [peak_expected[1]],
                "style": "points",
            }
        )
    finite = curve[np.isfinite(curve) & (curve > 0)]
    return {
        "title": name,
        "xlabel": "time [s]",
        "ylabel": "n / n(0)",
        "logx": False,
        "logy": bool(finite.size and finite.max() / finite.min() > 100.0),
        "curves": curves,
    }


# --------------------------------------------------------------------------------------------------
# xenon_shutdown
# --------------------------------------------------------------------------------------------------


def run_xenon_shutdown(data: dict[str, Any], path: Path) -> CaseOutcome:
    """Kind ``xenon_shutdown``: xenon peak time and height, and return to equilibrium."""
    from nppsim.physics import poisons

    flux = to_si(get_number(data, "thermal_flux_per_cm2_s", path, positive=True), "1/cm2/s")
    constants = poisons.XenonConstants(
        iodine_yield=get_number(data, "constants.iodine_yield", path, nonnegative=True),
        xenon_yield=get_number(data, "constants.xenon_yield", path, nonnegative=True),
        iodine_decay_constant=get_number(
            data, "constants.iodine_decay_constant_per_s", path, positive=True
        ),
        xenon_decay_constant=get_number(
            data, "constants.xenon_decay_constant_per_s", path, positive=True
        ),
        xenon_cross_section=to_si(
            get_number(data, "constants.xenon_absorption_cross_section_barn", path, positive=True),
            "barn",
        ),
    )
    # below a threshold flux xenon has no peak after a trip: times 0, ratio 1
    expected = {
        "peak_time_s": get_number(data, "expect.peak_time_s", path, nonnegative=True),
        "peak_over_equilibrium": get_number(
            data, "expect.peak_over_equilibrium", path, positive=True
        ),
        "back_to_equilibrium_s": get_number(
            data, "expect.back_to_equilibrium_s", path, nonnegative=True
        ),
    }
    sigma_f = 1.0  # [1/m]: the ratios and times do not depend on it (per unit Sigma_f)
    start = time.perf_counter()
    iodine0, xenon0 = poisons.xenon_equilibrium(flux, sigma_f, constants)
    t_peak, x_peak = poisons.xenon_peak_after_shutdown(float(iodine0), float(xenon0), constants)
    t_back = poisons.xenon_back_to_initial_time(float(iodine0), float(xenon0), constants)
    wall = time.perf_counter() - start
    rows = [
        _row("peak time [s]", expected["peak_time_s"], t_peak),
        _row("peak / equilibrium", expected["peak_over_equilibrium"], x_peak / float(xenon0)),
        _row("back to equilibrium [s]", expected["back_to_equilibrium_s"], t_back),
    ]
    outcome = _outcome(data, path, rows, wall)
    t_end = 1.2 * max(expected["back_to_equilibrium_s"], t_back)
    grid = np.linspace(0.0, t_end, _PLOT_POINTS)
    x = poisons.xenon_after_shutdown(grid, float(iodine0), float(xenon0), constants)[1]
    hours = 3600.0
    outcome.plot = {
        "title": outcome.name,
        "xlabel": "time after trip [h]",
        "ylabel": "Xe-135 / equilibrium",
        "logx": False,
        "logy": False,
        "curves": [
            {
                "label": "nppsim",
                "x": (grid / hours).tolist(),
                "y": (x / float(xenon0)).tolist(),
                "style": "line",
            },
            {
                "label": "expected peak",
                "x": [expected["peak_time_s"] / hours],
                "y": [expected["peak_over_equilibrium"]],
                "style": "points",
            },
            {
                "label": "expected return to equilibrium",
                "x": [expected["back_to_equilibrium_s"] / hours],
                "y": [1.0],
                "style": "points",
            },
        ],
    }
    return outcome


# --------------------------------------------------------------------------------------------------
# decay_heat
# --------------------------------------------------------------------------------------------------


def run_decay_heat(data: dict[str, Any], path: Path) -> CaseOutcome:
    """Kind ``decay_heat``: decay power over operating power at the expected times."""
    operating = get_number(data, "operating_time_s", path, positive=True)
    fractions_raw = get_field(data, "fission_fractions", path)
    if not isinstance(fractions_raw, dict) or not fractions_raw:
        raise InputError(path, "fission_fractions", fractions_raw, "an object nuclide: fraction")
    fractions = {
        str(k): get_number(data, f"fission_fractions.{k}", path, nonnegative=True)
        for k in fractions_raw
    }
    q_mev = get_number(data, "q_mev", path, positive=True)
    capture_r = get_number(data, "capture_r", path, nonnegative=True)
    times = get_numbers(data, "expect.times_s", path, positive=True)
    expected = get_numbers(data, "expect.fraction", path, positive=True)
    if len(times) != len(expected):
        raise InputError(path, "expect.fraction", expected, f"{len(times)} values, one per time")
    try:
        from nppsim.physics.decay_heat import decay_heat_fraction
    except ImportError as e:
        raise NppsimError(f"{path}: nppsim.physics.decay_heat is not available ({e})") from e

    def compute(t: np.ndarray) -> np.ndarray:
        return np.asarray(
            decay_heat_fraction(t, operating, fractions, q_mev=q_mev, capture_r=capture_r),
            dtype=float,
        )

    start = time.perf_counter()
    computed = compute(np.asarray(times))
    wall = time.perf_counter() - start
    rows = [
        _row(f"P/P0 (t={t:g} s)", e, c) for t, e, c in zip(times, expected, computed, strict=True)
    ]
    outcome = _outcome(data, path, rows, wall)
    grid = np.geomspace(min(times) / 2.0, max(times) * 2.0, _PLOT_POINTS)
    try:
        curve = compute(grid).tolist()
    except Exception:  # the plot only: the checked values are above
        return outcome
    outcome.plot = {
        "title": outcome.name,
        "xlabel": "time after shutdown [s]",
        "ylabel": "decay power / operating power",
        "logx": True,
        "logy": True,
        "curves": [
            {"label": "nppsim", "x": grid.tolist(), "y": curve, "style": "line"},
            {"label": "expected", "x": times, "y": expected, "style": "points"},
        ],
    }
    return outcome


KINDS: dict[str, Callable[[dict[str, Any], Path], CaseOutcome]] = {
    "decay_heat": run_decay_heat,
    "point_kinetics": run_point_kinetics,
    "xenon_shutdown": run_xenon_shutdown,
}
"""Case kind -> function running a case of that kind from its parsed JSON and its path."""


# --------------------------------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------------------------------


def _failed(
    path: Path, reason: str, data: dict[str, Any] | None = None, wall: float = 0.0
) -> CaseOutcome:
    data = data if isinstance(data, dict) else {}
    rtol = data.get("rtol")
    valid_rtol = isinstance(rtol, int | float) and not isinstance(rtol, bool)
    return CaseOutcome(
        name=str(data.get("name", path.stem)),
        kind=str(data.get("kind", "?")),
        source=str(data.get("source", "")),
        rtol=float(rtol) if valid_rtol else None,
        passed=False,
        worst_rel_error=None,
        reason=reason,
        wall_s=wall,
        rows=[],
        file=str(path),
    )


def _production(kind: str, data: dict[str, Any], path: Path) -> ProductionOutcome | None:
    """The case through the production path (None for kinds without one); never raises."""
    from nppsim.validation import production as prod

    runner = {
        "point_kinetics": prod.production_point_kinetics,
        "xenon_shutdown": prod.production_xenon,
    }.get(kind)
    if runner is None:
        return None
    start = time.perf_counter()
    try:
        return runner(data, path)
    except Exception as e:  # a solver failure or a bug: the case fails with the reason
        msg = str(e) if isinstance(e, NppsimError) else f"{type(e).__name__}: {e}"
        return ProductionOutcome(
            "FAIL",
            prod.PRODUCTION_RTOL[kind],
            note=f"production path failed: {msg}",
            wall_s=time.perf_counter() - start,
        )


def run_case(path: Path | str, production: bool = True) -> CaseOutcome:
    """Run one case file; never raises for a problem of the case (it becomes a failed outcome).

    With ``production`` (the default) point-kinetics and xenon cases also run through the
    production path (:mod:`nppsim.validation.production`); a failure there fails the case.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        return _failed(path, f"{path}: cannot read: {e.strerror or e}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return _failed(path, f"{path}: malformed JSON: {e}")
    if not isinstance(data, dict):
        return _failed(
            path, f"{path}: top level must be a JSON object, found {type(data).__name__}"
        )
    try:
        for key in ("name", "kind", "source"):
            value = get_field(data, key, path)
            if not isinstance(value, str) or not value:
                raise InputError(path, key, value, "a non-empty string")
        get_number(data, "rtol", path, positive=True)
        kind = data["kind"]
        if kind not in KINDS:
            raise InputError(path, "kind", kind, f"one of {', '.join(sorted(KINDS))}")
    except InputError as e:
        return _failed(path, str(e), data)
    start = time.perf_counter()
    try:
        outcome = KINDS[kind](data, path)
    except NppsimError as e:  # InputError, SolverError, missing module
        return _failed(path, str(e), data, time.perf_counter() - start)
    except Exception as e:  # a bug or a numerical failure: report it, go on with the others
        return _failed(path, f"{path}: {type(e).__name__}: {e}", data, time.perf_counter() - start)
    if production:
        outcome.production = _production(kind, data, path)
        pr = outcome.production
        if pr is not None and pr.status == "FAIL":
            outcome.passed = False
            why = pr.note if not pr.rows else _production_reason(pr)
            outcome.reason = "; ".join(x for x in (outcome.reason, f"production path: {why}") if x)
    return outcome


def _production_reason(pr: ProductionOutcome) -> str:
    _, _, reason = check_rows(pr.rows, pr.rtol)
    return reason or pr.note


def run_cases(
    paths: Iterable[Path | str],
    report_dir: Path | str | None = None,
    production: bool = True,
) -> list[CaseOutcome]:
    """Run every case file in ``paths``, in order; write a report into ``report_dir`` if given."""
    outcomes = [run_case(p, production) for p in paths]
    if report_dir is not None:
        from nppsim.validation.report import write_report

        write_report(outcomes, Path(report_dir))
    return outcomes

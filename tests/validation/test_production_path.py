"""Validation cases through the production path: the core component and the engine at their
default settings (issue 7, deliverable 6)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nppsim.validation.cli import validate
from nppsim.validation.production import N_MIN, PRODUCTION_RTOL
from nppsim.validation.runner import run_case, shipped_case_dir


def _one_group_case(tmp_path: Path, rho: float, times: list[float]) -> Path:
    """A one-group step case with its exact solution (two exponentials), computed here.

    dn/dt = (rho - beta)/L n + lam C, dC/dt = beta/L n - lam C, critical before the step:
    n = A1 e^(s1 t) + A2 e^(s2 t), s the roots of s^2 + (lam + (beta - rho)/L) s - rho lam/L = 0,
    A1 + A2 = 1, A1 s1 + A2 s2 = rho/L (the prompt jump starts from n'(0+) = rho/L).
    """
    beta, lam, gen = 0.0065, 0.08, 1e-4
    b = lam + (beta - rho) / gen
    c = -rho * lam / gen
    disc = math.sqrt(b * b - 4 * c)
    s1, s2 = (-b + disc) / 2, (-b - disc) / 2
    a1 = (rho / gen - s2) / (s1 - s2)
    a2 = 1 - a1
    n = [a1 * math.exp(s1 * t) + a2 * math.exp(s2 * t) for t in times]
    case = {
        "name": f"one_group_step_{rho:g}",
        "kind": "point_kinetics",
        "source": "closed-form one-group solution (this test)",
        "kinetics": {"beta": [beta], "decay_constants_per_s": [lam], "generation_time_s": gen},
        "reactivity": {"shape": "step", "rho": rho},
        "expect": {"times_s": times, "n": n},
        "rtol": 1e-8,
    }
    path = tmp_path / f"{case['name']}.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rho", "times"),
    [(0.003, [0.5, 5.0, 30.0, 100.0]), (-0.01, [0.01, 1.0, 10.0, 60.0]), (0.0055, [0.1, 1.0, 5.0])],
)
def test_one_group_steps_through_the_core_component(tmp_path, rho, times):
    """An independent reference (closed form) with one delayed group: the core component takes
    any number of groups, and the production path meets its tolerance."""
    out = run_case(_one_group_case(tmp_path, rho, times))
    assert out.passed, out.reason
    pr = out.production
    assert pr is not None and pr.status == "pass"
    assert pr.worst_rel_error < PRODUCTION_RTOL["point_kinetics"]
    n_max = max(r[1] for r in pr.rows)
    n0 = max(N_MIN, min(1.0, 1.0 / max(n_max, 1.0)))
    assert f"n0 = {n0:.3g}" in pr.note
    # every expected value within full power from n0 is compared, at its own time
    assert [r[0] for r in pr.rows] == [f"n(t={t:g} s)" for t in times][: len(pr.rows)]


def test_excursions_beyond_full_power_are_cut_and_said(tmp_path):
    """+0.0055 with one group grows by decades: from the lowest resolved level, the values that
    would exceed full power are not compared, and the note says how many."""
    times = [1.0, 10.0, 50.0, 100.0, 200.0]
    out = run_case(_one_group_case(tmp_path, 0.0055, times))
    pr = out.production
    expected = [r[1] for r in out.rows]
    kept = [e for e in expected if N_MIN * e <= 1.0]
    assert len(pr.rows) == len(kept) < len(expected)
    assert f"{len(expected) - len(kept)} of {len(expected)} expected values" in pr.note
    assert pr.status == "pass"


def test_a_wrong_expected_value_fails_the_production_path(tmp_path):
    path = _one_group_case(tmp_path, 0.003, [5.0, 30.0])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["expect"]["n"][0] *= 1.01  # both solvers must now miss it
    data["rtol"] = 0.02  # ... the exact solver's tolerance lets it through; the production's not
    path.write_text(json.dumps(data), encoding="utf-8")
    out = run_case(path)
    assert out.production.status == "FAIL"
    assert not out.passed
    assert "production path" in out.reason and "t=5 s" in out.reason


def test_xenon_case_at_another_flux(tmp_path):
    """A flux between the shipped ones, its expected values from the analytic solution (the
    stand-alone path); the production path runs the core and meets its tolerance."""
    from nppsim.physics import poisons
    from nppsim.units import to_si

    src = json.loads((shipped_case_dir() / "xenon" / "xenon_shutdown_flux_3e+13.json").read_text())
    flux = 5e13
    k = src["constants"]
    xc = poisons.XenonConstants(
        iodine_yield=k["iodine_yield"],
        xenon_yield=k["xenon_yield"],
        iodine_decay_constant=k["iodine_decay_constant_per_s"],
        xenon_decay_constant=k["xenon_decay_constant_per_s"],
        xenon_cross_section=to_si(k["xenon_absorption_cross_section_barn"], "barn"),
    )
    i0, x0 = (float(v) for v in poisons.xenon_equilibrium(to_si(flux, "1/cm2/s"), 1.0, xc))
    t_pk, x_pk = poisons.xenon_peak_after_shutdown(i0, x0, xc)
    t_back = poisons.xenon_back_to_initial_time(i0, x0, xc)
    case = {
        **src,
        "name": "xenon_5e13",
        "thermal_flux_per_cm2_s": flux,
        "expect": {
            "peak_time_s": t_pk,
            "peak_over_equilibrium": x_pk / x0,
            "back_to_equilibrium_s": t_back,
        },
    }
    path = tmp_path / "xe.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = run_case(path)
    assert out.passed, out.reason
    pr = out.production
    assert pr.status == "pass" and len(pr.rows) == 3
    # the neutron tail after the trip burns a little xenon: a small, physical difference
    assert 0.0 < pr.worst_rel_error < PRODUCTION_RTOL["xenon_shutdown"]


def test_unrepresentable_cases_say_why():
    pk = shipped_case_dir() / "point_kinetics"
    sine = run_case(pk / "ganapol2013_sine_T50.json")
    assert sine.production.status == "n/a" and "sine" in sine.production.note
    adiabatic = run_case(pk / "ganapol2013_step_1dollar_adiabatic.json")
    assert adiabatic.production.status == "n/a" and "adiabatic" in adiabatic.production.note
    assert sine.passed and adiabatic.passed  # judged on the stand-alone solver alone


def test_production_path_can_be_left_out():
    path = shipped_case_dir() / "xenon" / "xenon_shutdown_flux_3e+13.json"
    assert run_case(path, production=False).production is None


def test_cli_reports_both_errors_and_the_engine_tolerance(tmp_path):
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    app.command("validate")(validate)
    case = _one_group_case(tmp_path, 0.003, [5.0, 30.0])
    result = CliRunner().invoke(app, ["validate", "--cases", str(case)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "exact solver error" in out and "production path error" in out
    assert "meet a relative tolerance of" in out and "point_kinetics 0.001" in out
    assert "n/a" in out  # the sine and adiabatic cases
    assert "(tol 1e-03)" in out
    assert out.rstrip("\n").splitlines()[-1].endswith("passed, 0 failed")

"""Tests of nppsim.physics.poisons: equilibria, analytic shutdown solutions, peak, worth."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

from nppsim.physics import poisons as po
from nppsim.units import to_si
from nppsim.validation.runner import shipped_case_dir

XENON_CASES = sorted((shipped_case_dir() / "xenon").glob("*.json"))
SIGMA_F = 10.0  # [1/m]: arbitrary; the checks below are relative or scale with it


def _xenon_constants(case: dict) -> po.XenonConstants:
    k = case["constants"]
    return po.XenonConstants(
        iodine_yield=k["iodine_yield"],
        xenon_yield=k["xenon_yield"],
        iodine_decay_constant=k["iodine_decay_constant_per_s"],
        xenon_decay_constant=k["xenon_decay_constant_per_s"],
        xenon_cross_section=to_si(k["xenon_absorption_cross_section_barn"], "barn"),
    )


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def xe() -> po.XenonConstants:
    """Xenon constants of the shipped case files (all share them)."""
    return _xenon_constants(_load(XENON_CASES[0]))


@pytest.fixture(scope="module")
def sm() -> po.SamariumConstants:
    """Samarium chain with the documented defaults and a U-235-like Pm-149 yield."""
    return po.SamariumConstants(promethium_yield=0.0113)


def _flux(case: dict) -> float:
    return to_si(case["thermal_flux_per_cm2_s"], "1/cm2/s")


def test_xenon_cases_found():
    assert len(XENON_CASES) >= 3


@pytest.mark.parametrize("flux", [1e16, 3e17, 1e18, np.array([1e17, 5e17])])
def test_equilibria_are_fixed_points(xe, sm, flux):
    i_eq, x_eq = po.xenon_equilibrium(flux, SIGMA_F, xe)
    di, dx = po.xenon_derivatives(i_eq, x_eq, flux, SIGMA_F, xe)
    production = (xe.iodine_yield + xe.xenon_yield) * SIGMA_F * np.asarray(flux)
    np.testing.assert_allclose(di / production, 0.0, atol=1e-14)
    np.testing.assert_allclose(dx / production, 0.0, atol=1e-14)
    pm_eq, sm_eq = po.samarium_equilibrium(flux, SIGMA_F, sm)
    dpm, dsm = po.samarium_derivatives(pm_eq, sm_eq, flux, SIGMA_F, sm)
    production = sm.promethium_yield * SIGMA_F * np.asarray(flux)
    np.testing.assert_allclose(dpm / production, 0.0, atol=1e-14)
    np.testing.assert_allclose(dsm / production, 0.0, atol=1e-14)


def test_transient_run_reaches_equilibrium(xe, sm):
    """Two methods agreeing: integrating the derivatives from zero ends at the equilibrium."""
    flux = 3e17

    def rhs(t, y):
        di, dx = po.xenon_derivatives(y[0], y[1], flux, SIGMA_F, xe)
        dpm, dsm = po.samarium_derivatives(y[2], y[3], flux, SIGMA_F, sm)
        return [di, dx, dpm, dsm]

    sol = solve_ivp(rhs, (0.0, 200 * 86400.0), [0.0] * 4, method="LSODA", rtol=1e-10, atol=1.0)
    expected = [
        *po.xenon_equilibrium(flux, SIGMA_F, xe),
        *po.samarium_equilibrium(flux, SIGMA_F, sm),
    ]
    np.testing.assert_allclose(sol.y[:, -1], expected, rtol=1e-6)


@pytest.mark.parametrize("path", XENON_CASES, ids=lambda p: p.stem)
def test_shipped_xenon_case(path):
    case = _load(path)
    xe = _xenon_constants(case)
    i0, x0 = po.xenon_equilibrium(_flux(case), SIGMA_F, xe)
    t_peak, x_peak = po.xenon_peak_after_shutdown(float(i0), float(x0), xe)
    t_back = po.xenon_back_to_initial_time(float(i0), float(x0), xe)
    rtol = case["rtol"]
    expect = case["expect"]
    assert t_peak == pytest.approx(expect["peak_time_s"], rel=rtol)
    assert x_peak / x0 == pytest.approx(expect["peak_over_equilibrium"], rel=rtol)
    assert t_back == pytest.approx(expect["back_to_equilibrium_s"], rel=rtol)


@pytest.mark.parametrize("flux_cm", [1e12, 1e13, 5e13, 2e14])
def test_xenon_shutdown_matches_numerical_integration(xe, flux_cm):
    flux = to_si(flux_cm, "1/cm2/s")
    i0, x0 = (float(v) for v in po.xenon_equilibrium(flux, SIGMA_F, xe))
    t = np.linspace(0.0, 72 * 3600.0, 40)

    def rhs(_t, y):
        return list(po.xenon_derivatives(y[0], y[1], 0.0, SIGMA_F, xe))

    sol = solve_ivp(rhs, (0.0, t[-1]), [i0, x0], t_eval=t, method="DOP853", rtol=1e-12, atol=1e-6)
    i_an, x_an = po.xenon_after_shutdown(t, i0, x0, xe)
    np.testing.assert_allclose(i_an, sol.y[0], rtol=1e-9)
    np.testing.assert_allclose(x_an, sol.y[1], rtol=1e-9)


@pytest.mark.parametrize("flux_cm", [1e13, 5e13, 2e14])
def test_xenon_peak_and_return(xe, flux_cm):
    flux = to_si(flux_cm, "1/cm2/s")
    i0, x0 = (float(v) for v in po.xenon_equilibrium(flux, SIGMA_F, xe))
    t_peak, x_peak = po.xenon_peak_after_shutdown(i0, x0, xe)

    def neg_x(t):
        return -float(po.xenon_after_shutdown(t, i0, x0, xe)[1])

    found = minimize_scalar(neg_x, bounds=(0.0, 3e5), method="bounded", options={"xatol": 1e-3})
    assert t_peak == pytest.approx(found.x, rel=1e-6)
    assert x_peak == pytest.approx(-found.fun, rel=1e-12)
    assert x_peak > x0
    t_back = po.xenon_back_to_initial_time(i0, x0, xe)
    assert t_back > t_peak
    assert float(po.xenon_after_shutdown(t_back, i0, x0, xe)[1]) == pytest.approx(x0, rel=1e-12)


def test_no_peak_when_xenon_falls_from_the_start(xe):
    # little iodine: lambda_I I0 < lambda_X X0
    x0 = 1e20
    i0 = 0.5 * xe.xenon_decay_constant * x0 / xe.iodine_decay_constant
    assert po.xenon_peak_after_shutdown(i0, x0, xe) == (0.0, x0)
    assert po.xenon_back_to_initial_time(i0, x0, xe) == 0.0


def test_equal_decay_constants_limit(xe):
    """lambda_X = lambda_I uses the limit of the formulas; it must join the general case."""
    lam = xe.iodine_decay_constant
    same = po.XenonConstants(xe.iodine_yield, xe.xenon_yield, lam, lam, xe.xenon_cross_section)
    near = po.XenonConstants(
        xe.iodine_yield, xe.xenon_yield, lam, lam * (1 + 1e-7), xe.xenon_cross_section
    )
    i0, x0 = 3e21, 1e21
    t = np.array([1e3, 3e4, 1e5])
    np.testing.assert_allclose(
        po.xenon_after_shutdown(t, i0, x0, same)[1],
        po.xenon_after_shutdown(t, i0, x0, near)[1],
        rtol=1e-6,
    )
    t_same, x_same = po.xenon_peak_after_shutdown(i0, x0, same)
    t_near, x_near = po.xenon_peak_after_shutdown(i0, x0, near)
    assert t_same == pytest.approx(t_near, rel=1e-6)
    assert x_same == pytest.approx(x_near, rel=1e-6)


def test_samarium_rises_to_the_shutdown_limit(sm):
    flux = to_si(3e13, "1/cm2/s")
    pm0, sm0 = (float(v) for v in po.samarium_equilibrium(flux, SIGMA_F, sm))
    t = np.array([0.0, 53.08 * 3600.0, 100 * 86400.0])
    pm, s = po.samarium_after_shutdown(t, pm0, sm0, sm)
    limit = sm0 * (1.0 + sm.samarium_cross_section * flux / sm.promethium_decay_constant)
    assert s[0] == sm0 and pm[0] == pm0
    assert pm[1] == pytest.approx(pm0 / 2.0, rel=1e-3)  # one half-life
    assert s[2] == pytest.approx(limit, rel=1e-9)
    assert np.all(np.diff(s) > 0.0)

    def rhs(_t, y):
        return list(po.samarium_derivatives(y[0], y[1], 0.0, SIGMA_F, sm))

    sol = solve_ivp(rhs, (0.0, t[-1]), [pm0, sm0], t_eval=t, method="DOP853", rtol=1e-12, atol=1)
    np.testing.assert_allclose(s, sol.y[1], rtol=1e-9)
    np.testing.assert_allclose(pm, sol.y[0], rtol=1e-8, atol=1e-12 * pm0)


def test_samarium_defaults_are_the_documented_values():
    k = po.SamariumConstants(promethium_yield=0.01)
    assert math.log(2.0) / k.promethium_decay_constant / 3600.0 == pytest.approx(53.08, rel=1e-12)
    assert to_si(40_140.0, "barn") == pytest.approx(k.samarium_cross_section, rel=1e-12)


def test_xenon_worth_at_3e13(xe):
    """Equilibrium worth with the shipped constants and nu = 2.43: about -2 % (about -2160 pcm)."""
    nu = 2.43
    flux = to_si(3e13, "1/cm2/s")
    _, x_eq = po.xenon_equilibrium(flux, SIGMA_F, xe)
    rho = float(po.xenon_reactivity(x_eq, SIGMA_F, nu, xe))
    # independent closed form: rho = -(gamma_I + gamma_X) sigma phi / ((lambda_X + sigma phi) nu)
    sigma_phi = xe.xenon_cross_section * flux
    closed = (
        -(xe.iodine_yield + xe.xenon_yield)
        * sigma_phi
        / ((xe.xenon_decay_constant + sigma_phi) * nu)
    )
    assert rho == pytest.approx(closed, rel=1e-12)
    assert -0.03 < rho < -0.015  # the VVER-1000 HFP range of plants-research.md, widened
    # the worth does not depend on Sigma_f (it cancels)
    _, x_eq2 = po.xenon_equilibrium(flux, 3 * SIGMA_F, xe)
    assert float(po.xenon_reactivity(x_eq2, 3 * SIGMA_F, nu, xe)) == pytest.approx(rho, rel=1e-12)
    # more flux, more xenon worth, bounded by the saturation value -(gamma_I + gamma_X) / nu
    _, x_hi = po.xenon_equilibrium(10 * flux, SIGMA_F, xe)
    rho_hi = float(po.xenon_reactivity(x_hi, SIGMA_F, nu, xe))
    assert -(xe.iodine_yield + xe.xenon_yield) / nu < rho_hi < rho


def test_samarium_worth(sm):
    nu = 2.43
    _, s_eq = po.samarium_equilibrium(to_si(3e13, "1/cm2/s"), SIGMA_F, sm)
    rho = float(po.samarium_reactivity(s_eq, SIGMA_F, nu, sm))
    # at equilibrium sigma_S S = gamma_P Sigma_f, so rho = -gamma_P / nu
    assert rho == pytest.approx(-sm.promethium_yield / nu, rel=1e-12)
    assert rho < 0.0


def test_constants_are_checked():
    with pytest.raises(ValueError):
        po.XenonConstants(0.06, 0.002, -1.0, 2e-5, 2.6e-22)
    with pytest.raises(ValueError):
        po.SamariumConstants(promethium_yield=-0.01)

"""Tests of nppsim.physics.point_kinetics.

Four ways: the shipped reference cases (Ganapol 2013, Kinard & Allen 2004) at their tolerance; extra
randomized cases against an independent tight reference computed here (SciPy Radau on the textbook,
unnormalized equations); two methods of the module agreeing (exact inhour solution vs collocation);
and properties of the equations (equilibrium, Jacobian, inhour roots).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from nppsim.errors import SolverError
from nppsim.physics import point_kinetics as pk
from nppsim.validation.runner import shipped_case_dir

CASE_FILES = sorted((shipped_case_dir() / "point_kinetics").glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _reactivity(spec: dict) -> pk.Step | pk.Ramp | pk.Sine:
    shape = spec["shape"]
    if shape == "step":
        return pk.Step(spec["rho"])
    if shape == "ramp":
        return pk.Ramp(spec["rate_per_s"])
    return pk.Sine(spec["amplitude"], spec["half_period_s"])


def reference(
    beta: np.ndarray,
    lam: np.ndarray,
    gen: float,
    rho,
    feedback: float,
    times: np.ndarray | None = None,
    t_peak_max: float | None = None,
    rtol: float = 1e-12,
):
    """Independent reference: SciPy Radau on the textbook equations with absolute precursors.

    dn/dt = (rho - B E - beta) n / Lambda + sum lambda_i C_i,
    dC_i/dt = beta_i n / Lambda - lambda_i C_i, dE/dt = n, C_i(0) = beta_i / (lambda_i Lambda).
    With ``t_peak_max``, returns the first maximum of n, located as the event dn/dt = 0
    (decreasing); else n at ``times``.
    """
    beta = np.asarray(beta, dtype=float)
    lam = np.asarray(lam, dtype=float)
    g = beta.size
    beta_tot = beta.sum()

    def rhs(t, y):
        n, c, e = y[0], y[1 : g + 1], y[g + 1]
        r = float(rho(np.array(t))) - feedback * e
        return np.concatenate(
            (((r - beta_tot) / gen * n + lam @ c,), beta / gen * n - lam * c, (n,))
        )

    def jac(t, y):
        jm = np.zeros((g + 2, g + 2))
        jm[0, 0] = (float(rho(np.array(t))) - feedback * y[g + 1] - beta_tot) / gen
        jm[0, 1 : g + 1] = lam
        jm[0, g + 1] = -feedback * y[0] / gen
        jm[1 : g + 1, 0] = beta / gen
        jm[np.arange(1, g + 1), np.arange(1, g + 1)] = -lam
        jm[g + 1, 0] = 1.0
        return jm

    y0 = np.concatenate(((1.0,), beta / (lam * gen), (0.0,)))
    opts = dict(method="Radau", jac=jac, rtol=rtol, atol=1e-30, first_step=gen * 1e-3)
    if t_peak_max is None:
        order = np.argsort(times)
        sol = solve_ivp(rhs, (0.0, float(np.max(times))), y0, t_eval=times[order], **opts)
        assert sol.success
        out = np.empty(times.size)
        out[order] = sol.y[0]
        return out

    def peak(t, y):
        return rhs(t, y)[0]

    peak.terminal = True
    peak.direction = -1
    sol = solve_ivp(rhs, (0.0, t_peak_max), y0, events=peak, **opts)
    assert sol.success
    if sol.t_events[0].size == 0:
        return None
    return float(sol.t_events[0][0]), float(sol.y_events[0][0][0])


def random_kinetics(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """1 to 8 groups, beta 0.3 % to 0.9 %, lambda 0.01 to 5 /s, Lambda 1e-8 to 1e-3 s."""
    g = int(rng.integers(1, 9))
    lam = np.sort(10.0 ** rng.uniform(-2.0, math.log10(5.0), g))
    beta = rng.uniform(0.2, 1.0, g)
    beta *= rng.uniform(0.003, 0.009) / beta.sum()
    gen = 10.0 ** rng.uniform(-8.0, -3.0)
    return beta, lam, gen


# --------------------------------------------------------------------------------------------------
# the equations
# --------------------------------------------------------------------------------------------------


def test_derivatives_zero_at_critical_equilibrium():
    beta = np.array([2e-4, 1.4e-3, 1.3e-3, 2.6e-3, 7e-4, 2e-4])
    lam = np.array([0.0124, 0.0305, 0.111, 0.301, 1.13, 3.0])
    dn, dc = pk.derivatives_normalized(1.0, np.ones(6), 0.0, beta, lam, 2e-5)
    assert abs(dn) < 1e-12
    assert np.all(np.abs(dc) == 0.0)


def test_derivatives_match_textbook_form_and_source():
    rng = np.random.default_rng(1)
    beta, lam, gen = random_kinetics(rng)
    n, rho, source = 1.7, 0.002, 3.0
    c = rng.uniform(0.5, 2.0, beta.size)
    dn, dc = pk.derivatives_normalized(n, c, rho, beta, lam, gen, source)
    big_c = beta * c / (lam * gen)  # absolute precursors
    dn_textbook = (rho - beta.sum()) / gen * n + lam @ big_c + source
    dbig_c = beta / gen * n - lam * big_c
    assert dn == pytest.approx(dn_textbook, rel=1e-12)
    np.testing.assert_allclose(dc, dbig_c * lam * gen / beta, rtol=1e-12)


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(2)
    beta, lam, gen = random_kinetics(rng)
    gen = 1e-4
    rho = 0.001
    y = np.concatenate(((1.3,), rng.uniform(0.5, 2.0, beta.size)))
    jac = pk.jacobian_normalized(rho, beta, lam, gen)

    def f(v):
        dn, dc = pk.derivatives_normalized(v[0], v[1:], rho, beta, lam, gen)
        return np.concatenate(((dn,), dc))

    fd = np.empty_like(jac)
    for k in range(y.size):
        e = np.zeros_like(y)
        e[k] = 1e-6
        fd[:, k] = (f(y + e) - f(y - e)) / 2e-6
    np.testing.assert_allclose(jac, fd, rtol=1e-6, atol=1e-6 * np.abs(jac).max())


@given(
    seed=st.integers(0, 2**32 - 1),
    dollars=st.floats(-5.0, 2.0).filter(lambda x: abs(x) > 1e-3),
)
@settings(max_examples=25, deadline=None, derandomize=True)
def test_inhour_roots(seed, dollars):
    rng = np.random.default_rng(seed)
    beta, lam, gen = random_kinetics(rng)
    rho = dollars * beta.sum()
    s, a = pk.inhour_roots(rho, beta, lam, gen)
    assert s.size == beta.size + 1
    assert np.all(np.diff(s) < 0.0)
    # F(s) = rho at every root, one root between consecutive poles -lambda_i
    f = s * gen + np.sum(beta[None, :] * s[:, None] / (s[:, None] + lam[None, :]), axis=1)
    scale = gen * np.abs(s) + np.sum(beta[None, :] * np.abs(s[:, None] / (s[:, None] + lam)), 1)
    assert np.all(np.abs(f - rho) <= 1e-12 * scale + 1e-15)
    poles = -np.sort(lam)
    for k in range(beta.size - 1):
        assert poles[k + 1] < s[k + 1] < poles[k]
    assert s[0] > poles[0] and s[-1] < poles[-1]
    assert math.isclose(a.sum(), 1.0, rel_tol=1e-10)  # n(0) = 1
    assert (s[0] > 0.0) == (rho > 0.0)


# --------------------------------------------------------------------------------------------------
# shipped reference cases
# --------------------------------------------------------------------------------------------------


def test_shipped_cases_found():
    assert len(CASE_FILES) >= 10


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_shipped_case(path):
    case = _load(path)
    kin = case["kinetics"]
    args = (
        kin["beta"],
        kin["decay_constants_per_s"],
        kin["generation_time_s"],
        _reactivity(case["reactivity"]),
    )
    feedback = case.get("feedback", {}).get("adiabatic_coefficient", 0.0)
    rtol = case["rtol"]
    checked = 0
    if "expect" in case:
        expected = np.array(case["expect"]["n"])
        sol = pk.solve(*args, case["expect"]["times_s"], feedback)
        np.testing.assert_allclose(sol.n, expected, rtol=rtol, atol=0.0)
        checked += expected.size
    if "expect_peak" in case:
        peak = pk.find_first_peak(*args, feedback)
        assert peak is not None
        assert peak[0] == pytest.approx(case["expect_peak"]["t_s"], rel=rtol, abs=0.0)
        assert peak[1] == pytest.approx(case["expect_peak"]["n"], rel=rtol, abs=0.0)
        checked += 2
    assert checked > 0


# --------------------------------------------------------------------------------------------------
# generality: extra cases against the independent reference
# --------------------------------------------------------------------------------------------------

KINDS = ["step", "step_feedback", "ramp", "ramp_feedback", "sine", "sine_feedback"]


def random_case(seed: int, kind: str):
    rng = np.random.default_rng(seed)
    beta, lam, gen = random_kinetics(rng)
    b = beta.sum()
    feedback = 0.0
    if kind == "step":
        rho = pk.Step(b * rng.uniform(-3.0, 0.9))
    elif kind == "step_feedback":
        rho = pk.Step(b * rng.uniform(0.1, 2.5))
    elif kind == "ramp":
        rho = pk.Ramp(b * rng.uniform(-0.5, 0.08))
    elif kind == "ramp_feedback":
        rho = pk.Ramp(b * rng.uniform(-0.3, 0.5))
    else:
        rho = pk.Sine(b * rng.uniform(-0.95, 0.95), rng.uniform(2.0, 60.0))
    if kind.endswith("feedback"):
        feedback = 10.0 ** rng.uniform(-7.0, -4.5)
    times = np.sort(rng.uniform(0.0, 12.0, 4))
    return beta, lam, gen, rho, feedback, times


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [11, 12])
def test_random_case_against_reference(seed, kind):
    beta, lam, gen, rho, feedback, times = random_case(seed, kind)
    sol = pk.solve(beta, lam, gen, rho, times, feedback)
    ref = reference(beta, lam, gen, rho, feedback, times=times, rtol=1e-11)
    # a tenth of the production requirement (1e-6); the reference itself is good to ~1e-9
    np.testing.assert_allclose(sol.n, ref, rtol=1e-7, atol=0.0)


@pytest.mark.parametrize("kind", ["step_feedback", "ramp_feedback", "sine", "sine_feedback"])
def test_random_peak_against_reference(kind):
    rng = np.random.default_rng(KINDS.index(kind) + 100)
    beta, lam, gen = random_kinetics(rng)
    b = beta.sum()
    feedback = 10.0 ** rng.uniform(-7.0, -4.5) if kind.endswith("feedback") else 0.0
    if kind == "step_feedback":
        rho = pk.Step(b * rng.uniform(0.2, 2.5))
    elif kind == "ramp_feedback":
        rho = pk.Ramp(b * rng.uniform(0.02, 0.4))
    else:
        rho = pk.Sine(b * rng.uniform(0.2, 0.9), rng.uniform(2.0, 60.0))
    peak = pk.find_first_peak(beta, lam, gen, rho, feedback)
    ref = reference(beta, lam, gen, rho, feedback, t_peak_max=2000.0, rtol=1e-12)
    assert peak is not None and ref is not None
    assert peak[0] == pytest.approx(ref[0], rel=1e-7)
    assert peak[1] == pytest.approx(ref[1], rel=1e-7)


@given(seed=st.integers(0, 2**32 - 1), dollars=st.floats(-4.0, 1.2))
@settings(max_examples=15, deadline=None, derandomize=True)
def test_exact_step_agrees_with_collocation(seed, dollars):
    """Two methods of the module: inhour roots (exact) and Radau collocation."""
    rng = np.random.default_rng(seed)
    beta, lam, gen = random_kinetics(rng)
    times = np.array([0.0, 0.01, 0.3, 2.0, 7.0])
    rho = pk.Step(dollars * beta.sum())
    exact = pk.solve(beta, lam, gen, rho, times)
    colloc = pk.solve(beta, lam, gen, rho, times, method="radau")
    assert exact.method == "exact" and colloc.method == "radau"
    np.testing.assert_allclose(colloc.n, exact.n, rtol=1e-8)
    np.testing.assert_allclose(colloc.c, exact.c, rtol=1e-8)
    np.testing.assert_allclose(colloc.integral_n, exact.integral_n, rtol=1e-8)


# --------------------------------------------------------------------------------------------------
# behaviour at the edges
# --------------------------------------------------------------------------------------------------


def test_unsorted_times_and_time_zero():
    beta, lam = [0.0065], [0.08]
    times = [5.0, 0.0, 1.0, 5.0]
    for rho in (pk.Step(0.003), pk.Ramp(1e-4)):
        sol = pk.solve(beta, lam, 1e-4, rho, times)
        assert sol.n[1] == 1.0 and sol.integral_n[1] == 0.0
        assert sol.n[0] == sol.n[3]
        assert 1.0 < sol.n[2] < sol.n[0]
        assert sol.c.shape == (1, 4)


def test_overflow_gives_inf_without_warning():
    # +2 $ for 1000 s: n passes 1e308; the arithmetic must not warn (warnings are errors here)
    beta, lam = [0.0065], [0.08]
    sol = pk.solve(beta, lam, 1e-4, pk.Step(0.013), [1.0, 1000.0])
    assert np.isfinite(sol.n[0]) and sol.n[1] == np.inf
    sol = pk.solve(beta, lam, 1e-4, pk.Ramp(0.01), [0.1, 50.0])
    assert np.isfinite(sol.n[0]) and sol.n[1] == np.inf


def test_no_peak_for_steps_without_feedback():
    beta, lam = [0.0065], [0.08]
    assert pk.find_first_peak(beta, lam, 1e-4, pk.Step(0.003), t_max=100.0) is None
    assert pk.find_first_peak(beta, lam, 1e-4, pk.Step(-0.003), t_max=100.0) is None


def test_callable_reactivity_equals_dataclass():
    beta = [0.00021, 0.00141, 0.00127, 0.00255, 0.00074, 0.00027]
    lam = [0.0124, 0.0305, 0.111, 0.301, 1.13, 3.0]
    sine = pk.Sine(0.003, 20.0)
    times = [5.0, 15.0, 25.0]
    a = pk.solve(beta, lam, 5e-5, sine, times)
    b = pk.solve(beta, lam, 5e-5, lambda t: 0.003 * np.sin(np.pi * t / 20.0), times)
    np.testing.assert_allclose(a.n, b.n, rtol=1e-14)


def test_bad_inputs():
    with pytest.raises(ValueError):
        pk.solve([0.0065, 0.001], [0.08], 1e-4, pk.Step(0.001), [1.0])
    with pytest.raises(ValueError):
        pk.solve([0.0065], [0.08], 0.0, pk.Step(0.001), [1.0])
    with pytest.raises(ValueError):
        pk.solve([0.0065], [0.08], 1e-4, pk.Step(0.001), [-1.0])
    with pytest.raises(ValueError):
        pk.solve([0.0065], [0.08], 1e-4, pk.Ramp(0.001), [1.0], method="exact")
    with pytest.raises(TypeError):
        pk.solve([0.0065], [0.08], 1e-4, 0.001, [1.0])
    with pytest.raises(ValueError):
        pk.solve([0.0065], [0.08], 1e-4, pk.Ramp(0.001), [1.0], rtol=1e-16)
    with pytest.raises(SolverError):
        pk.solve([0.0065], [0.08], 1e-4, pk.Sine(0.003, 0.5), [100.0], max_steps=20)

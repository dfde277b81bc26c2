"""Tests of nppsim.physics.decay_heat: ANS-5.1-2004 closed form and its rate-equation form."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from nppsim.physics.decay_heat import (
    NUCLIDES,
    capture_factor,
    capture_factor_switch_time,
    decay_heat_fraction,
    decay_heat_model,
)

CASE_PATH = ("cases", "decay_heat", "ans51_2004_lwr_mix.json")


@pytest.fixture(scope="module")
def case() -> dict:
    """The shipped validation case (ANS-5.1-2004, 3 years, LWR mix)."""
    path = resources.files("nppsim.validation").joinpath(*CASE_PATH)
    return json.loads(path.read_text(encoding="utf-8"))


def _fraction(case: dict, t: np.ndarray) -> np.ndarray:
    return decay_heat_fraction(
        t, case["operating_time_s"], case["fission_fractions"], case["q_mev"], case["capture_r"]
    )


def test_case_file_rows(case: dict) -> None:
    """Every row of the shipped case within rtol (plus the table's rounding, atol)."""
    times = np.array(case["expect"]["times_s"])
    expected = np.array(case["expect"]["fraction"])
    computed = _fraction(case, times)
    allowed = case["atol"] + case["rtol"] * np.abs(expected)
    errors = np.abs(computed - expected)
    report = ", ".join(
        f"t={t:g} s: {c:.5f} vs {e:.5f}" for t, c, e in zip(times, computed, expected, strict=True)
    )
    assert np.all(errors <= allowed), report


def test_rate_equations_after_shutdown_match_closed_form(case: dict) -> None:
    """Build-up at constant power, then decay, both integrated: agrees with the closed form."""
    model = decay_heat_model(case["fission_fractions"], case["q_mev"], case["capture_r"])
    big_t = case["operating_time_s"]
    lam = model.decay_constants

    def rhs(_t: float, h: np.ndarray, p: float) -> np.ndarray:
        return model.derivatives(h, p)

    def jac(_t: float, _h: np.ndarray, _p: float) -> np.ndarray:
        return np.diag(-lam)

    tol = {"method": "Radau", "rtol": 1e-10, "jac": jac}
    build = solve_ivp(rhs, (0.0, big_t), np.zeros(model.n_states), args=(1.0,), atol=1e-16, **tol)
    assert build.success
    h_shutdown = build.y[:, -1]
    np.testing.assert_allclose(h_shutdown, model.equilibrium(1.0, big_t), rtol=1e-7, atol=1e-15)

    times = np.array(case["expect"]["times_s"])
    decay = solve_ivp(
        rhs, (0.0, times[-1]), h_shutdown, args=(0.0,), t_eval=times, atol=1e-18, **tol
    )
    assert decay.success
    p_ode = model.power(decay.y, times, big_t)
    np.testing.assert_allclose(p_ode, _fraction(case, times), rtol=1e-6)


def test_model_power_reproduces_closed_form_exactly(case: dict) -> None:
    """The analytic decay of the equilibrium states equals the closed form (same algebra)."""
    model = decay_heat_model(case["fission_fractions"], case["q_mev"], case["capture_r"])
    big_t = case["operating_time_s"]
    t = np.geomspace(1e-2, 1e8, 60)
    h = model.equilibrium(1.0, big_t)[:, None] * np.exp(-np.outer(model.decay_constants, t))
    np.testing.assert_allclose(model.power(h, t, big_t), _fraction(case, t), rtol=1e-12)


def test_equilibrium_is_fixed_point_for_infinite_operation(case: dict) -> None:
    model = decay_heat_model(case["fission_fractions"], case["q_mev"], case["capture_r"])
    for p in (1.0, 3.0e9):
        h = model.equilibrium(p, np.inf)
        np.testing.assert_allclose(model.derivatives(h, p), 0.0, atol=1e-12 * p)


def test_derivatives_vectorized_columns(case: dict) -> None:
    """Columns of a (94, m) state give the same derivatives as one state at a time."""
    model = decay_heat_model(case["fission_fractions"])
    rng = np.random.default_rng(1)
    h = rng.random((model.n_states, 3))
    p = np.array([0.0, 0.5, 1.0])
    stacked = model.derivatives(h, p)
    for j in range(3):
        np.testing.assert_array_equal(stacked[:, j], model.derivatives(h[:, j], p[j]))


def test_monotone_decrease_after_shutdown(case: dict) -> None:
    """Decreasing on each side of 1e4 s; the one step there is the documented G switch."""
    switch = capture_factor_switch_time()
    before = np.geomspace(1e-3, switch, 400)
    after = np.geomspace(switch * (1 + 1e-9), 1e9, 400)
    for t in (before, after):
        assert np.all(np.diff(_fraction(case, t)) < 0.0)
    step = _fraction(case, np.array([switch * (1 + 1e-9)]))[0] / _fraction(case, switch) - 1.0
    g_ratio = capture_factor(switch * (1 + 1e-9), case["operating_time_s"]) / capture_factor(
        switch, case["operating_time_s"]
    )
    # the actinide part carries no G, so the step is a little smaller than the jump of G
    assert 0.0 < step < g_ratio - 1.0 < 0.07


_fraction_values = st.floats(min_value=0.0, max_value=0.125, allow_nan=False)  # sums <= 1
_mixes = st.fixed_dictionaries({n: _fraction_values for n in NUCLIDES})


@settings(max_examples=40, deadline=None)
@given(f1=_mixes, f2=_mixes, scale=st.floats(min_value=0.0, max_value=1.0))
def test_linear_in_fission_fractions(f1: dict, f2: dict, scale: float) -> None:
    """The fission-product part is linear in the fractions; the actinide part does not depend
    on them (it is what the all-zero mix gives)."""
    t = np.geomspace(1.0, 1e7, 12)
    big_t = 1.0e8

    def d(mix: dict) -> np.ndarray:
        return decay_heat_fraction(t, big_t, mix)

    base = d({})
    summed = {n: f1[n] + f2[n] for n in NUCLIDES}
    # atol: the differences from ``base`` lose ~eps * |base| (base ~ 0.06) to round-off, which
    # matters only when the fractions are as small as 1e-31 (hypothesis finds them)
    np.testing.assert_allclose(
        d(summed) - base, (d(f1) - base) + (d(f2) - base), rtol=1e-9, atol=1e-15
    )
    scaled = {n: scale * f1[n] for n in NUCLIDES}
    np.testing.assert_allclose(d(scaled) - base, scale * (d(f1) - base), rtol=1e-9, atol=1e-15)


def test_capture_factor_switch_and_tail() -> None:
    """Formula up to 1e4 s, table beyond, 1 after the table's end."""
    big_t = 1.0e8
    assert capture_factor(0.0, big_t) == pytest.approx(1.0 + 3.24e-6 * big_t**0.4)
    assert capture_factor(1e11, big_t) == 1.0
    # T is capped at 4 years inside the formula
    assert capture_factor(10.0, 1e12) == capture_factor(10.0, 1.2614e8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fission_fractions": {"U233": 1.0}}, "unknown nuclide"),
        ({"fission_fractions": {"U235": 0.8, "Pu239": 0.4}}, "sum"),
        ({"fission_fractions": {"U235": -0.1}}, ">= 0"),
        ({"t_operating_s": 0.0}, "t_operating_s"),
        ({"q_mev": -200.0}, "q_mev"),
        ({"capture_r": -1.0}, "capture_r"),
        ({"t_s": -1.0}, "t_s"),
    ],
)
def test_bad_inputs_raise(kwargs: dict, message: str) -> None:
    args = {"t_s": 10.0, "t_operating_s": 1e7, "fission_fractions": {"U235": 1.0}} | kwargs
    with pytest.raises(ValueError, match=message):
        decay_heat_fraction(**args)

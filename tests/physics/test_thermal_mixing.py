"""Tests of nppsim.physics.thermal_mixing: tanks-in-series transport, plenums, surge flow."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nppsim.physics import thermal_mixing as tm


def _erlang_step(t: np.ndarray, tau_node: float, n: int) -> np.ndarray:
    """Step response of n equal mixed tanks: 1 - exp(-x) sum_{k<n} x^k / k!, x = t / tau_node."""
    x = t / tau_node
    return 1.0 - np.exp(-x) * sum(x**k / math.factorial(k) for k in range(n))


@pytest.mark.parametrize("flow", [4400.0, -4400.0])
def test_chain_step_response_is_erlang(flow: float) -> None:
    n, mass = 5, 3000.0
    h0, h1 = 1.28e6, 1.30e6

    def rhs(t: float, h: np.ndarray) -> np.ndarray:
        return tm.chain_enthalpy_derivatives(flow, h1, h1, h, mass)

    t = np.linspace(0.0, 20.0, 41)
    sol = solve_ivp(
        rhs, (0.0, 20.0), np.full(n, h0), t_eval=t, method="LSODA", rtol=1e-10, atol=1e-6
    )
    outlet = sol.y[-1] if flow > 0 else sol.y[0]  # reverse flow leaves at the inlet end
    expected = h0 + (h1 - h0) * _erlang_step(t, mass / abs(flow), n)
    np.testing.assert_allclose(outlet, expected, rtol=0, atol=1e-6 * (h1 - h0) + 1e-3)


def test_chain_conserves_energy_with_heat() -> None:
    h = np.array([1.45e6, 1.40e6, 1.35e6, 1.30e6])
    masses = np.array([3000.0, 3500.0, 3500.0, 3000.0])
    q = np.array([-2e8, -1.5e8, -1e8, -0.5e8])
    m, h_in = 4300.0, 1.46e6
    dh = tm.chain_enthalpy_derivatives(m, h_in, 0.0, h, masses, q)
    # d/dt sum(M h) = m (h_in - h_out) + sum Q
    assert float(np.dot(masses, dh)) == pytest.approx(m * (h_in - h[-1]) + q.sum(), rel=1e-12)


def test_single_volume_upwinds_on_reversal() -> None:
    assert tm.mixing_volume_derivative(10.0, 2.0, 5.0, 3.0, 1.0) == pytest.approx(-10.0)
    assert tm.mixing_volume_derivative(-10.0, 2.0, 5.0, 3.0, 1.0) == pytest.approx(20.0)


def test_plenum_ignores_outflows_and_mixes_inflows() -> None:
    flows = np.array([4000.0, 4000.0, 4000.0, -1500.0])
    hs = np.array([1.28e6, 1.29e6, 1.30e6, 9.9e9])  # the outflow's enthalpy must not matter
    h_mix = tm.mixed_enthalpy(flows, hs, 0.0)
    assert h_mix == pytest.approx(1.29e6)
    # A plenum at the mixed enthalpy stays there.
    assert tm.plenum_derivative(flows, hs, h_mix, 20000.0) == pytest.approx(0.0, abs=1e-9)
    assert tm.mixed_enthalpy(np.zeros(2), hs[:2], 7.0) == 7.0


def test_mixing_matrix() -> None:
    h = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(tm.mixing_matrix_outlet(np.eye(4), h), h)
    np.testing.assert_allclose(tm.mixing_matrix_outlet(np.full((4, 4), 0.25), h), 2.5)
    with pytest.raises(ValueError):
        tm.mixing_matrix_outlet(np.full((4, 4), 0.3), h)


def test_heating_the_loops_surges_into_the_pressurizer() -> None:
    p = 15.7e6
    h = np.array([1.28e6, 1.36e6, 1.45e6])
    slope = np.array([tm.density_enthalpy_slope(p, x) for x in h])
    assert np.all(slope < 0.0)
    vols = np.array([100.0, 50.0, 100.0])
    dh_dt = np.full(3, 100.0)  # all nodes heating
    surge = tm.expansion_surge_flow(vols, slope, dh_dt)
    assert surge > 0.0
    assert surge == pytest.approx(-float(np.sum(vols * slope * dh_dt)))


def test_transport_time_and_spread() -> None:
    assert tm.transport_time(4400.0, -2200.0) == pytest.approx(2.0)
    assert tm.transport_time(1.0, 0.0) == math.inf
    assert tm.chain_spread(4.0, 4) == pytest.approx(2.0)

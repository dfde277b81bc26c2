"""Tests of nppsim.physics.pump: homologous curves, coastdown, motor, parallel loops."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from nppsim.physics import pump

RATING = pump.PumpRating(
    flow=20000 / 3600,
    pressure_rise=0.662e6,
    speed=990 * math.pi / 30,
    efficiency=0.78,
    density=748.0,
)
CURVES = pump.PumpCurves(
    head_shutoff=1.30,
    head_locked_forward=0.45,
    head_locked_reverse=1.5,
    torque_shutoff=0.55,
    torque_locked=-0.3,
)
INERTIA = 4000.0  # [kg m2]


def test_curves_pass_through_rated_point_and_obey_affinity() -> None:
    alpha = np.linspace(0.0, 1.2, 13)
    # Flow following speed: the affinity laws h = beta = alpha^2.
    np.testing.assert_allclose(pump.homologous_head(alpha, alpha, CURVES), alpha**2, rtol=1e-14)
    np.testing.assert_allclose(pump.homologous_torque(alpha, alpha, CURVES), alpha**2, rtol=1e-14)
    assert float(pump.homologous_head(0.0 + 1.0, 0.0, CURVES)) == pytest.approx(1.30)


def test_stopped_rotor_is_a_resistance_both_ways() -> None:
    v = np.array([-1.0, -0.3, 0.3, 1.0])
    h = pump.homologous_head(0.0, v, CURVES)
    assert np.all(h * v < 0.0)  # the head always opposes the flow
    assert float(pump.homologous_head(0.0, -1.0, CURVES)) == pytest.approx(1.5)
    assert float(pump.homologous_head(0.0, 1.0, CURVES)) == pytest.approx(-0.45)


def test_head_is_continuously_differentiable_at_zero_flow() -> None:
    eps = 1e-7
    for alpha in (0.0, 0.5, 1.0):
        left = pump.homologous_head(alpha, 0.0, CURVES) - pump.homologous_head(alpha, -eps, CURVES)
        right = pump.homologous_head(alpha, eps, CURVES) - pump.homologous_head(alpha, 0.0, CURVES)
        assert float(left / eps) == pytest.approx(float(right / eps), abs=1e-6)


def test_pressure_rise_scales_with_density() -> None:
    hot = pump.pump_pressure_rise(RATING.speed, 4000.0, 748.0, RATING, CURVES)
    cold = pump.pump_pressure_rise(RATING.speed, 4000.0 * 1000.0 / 748.0, 1000.0, RATING, CURVES)
    assert float(cold / hot) == pytest.approx(1000.0 / 748.0, rel=1e-12)


def test_time_constant_and_inverse() -> None:
    p0 = RATING.shaft_power
    tau = pump.coastdown_time_constant(INERTIA, RATING.speed, p0)
    assert pump.inertia_for_time_constant(tau, RATING.speed, p0) == pytest.approx(INERTIA)
    assert tau == pytest.approx(INERTIA * RATING.speed**2 / p0)


def test_rotor_ode_with_flow_following_speed_matches_analytic_coastdown() -> None:
    """J dw/dt = -T_h(w, v = alpha), no friction: the validation README's Q/Q0 = 1/(1 + t/tau)."""
    rho = RATING.density

    def rhs(t: float, y: np.ndarray) -> list[float]:
        w = y[0]
        m = rho * RATING.flow * w / RATING.speed  # flow follows speed
        th = pump.hydraulic_torque(w, m, rho, RATING, CURVES)
        return [float(pump.rotor_acceleration(0.0, th, 0.0, INERTIA))]

    t = np.linspace(0.0, 120.0, 25)
    sol = solve_ivp(
        rhs, (0.0, 120.0), [RATING.speed], t_eval=t, method="LSODA", rtol=1e-11, atol=1e-12
    )
    tau = pump.coastdown_time_constant(INERTIA, RATING.speed, RATING.shaft_power)
    np.testing.assert_allclose(
        sol.y[0] / RATING.speed, pump.coastdown_flow_ratio(t, tau), rtol=1e-8
    )


def _coupled_coastdown(inertance: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Rotor and loop momentum together, loop resistance matched to the rated point."""
    rho = RATING.density
    m0 = rho * RATING.flow
    k = RATING.pressure_rise / m0**2  # h(1, 1) = 1 balances K m0^2

    def rhs(t: float, y: np.ndarray) -> list[float]:
        w, m = y
        th = pump.hydraulic_torque(w, m, rho, RATING, CURVES)
        dp = pump.pump_pressure_rise(w, m, rho, RATING, CURVES)
        return [
            float(pump.rotor_acceleration(0.0, th, 0.0, INERTIA, w)),
            float(pump.loop_flow_derivative(m, dp, k, inertance)),
        ]

    t = np.linspace(0.0, 60.0, 61)
    sol = solve_ivp(
        rhs, (0.0, 60.0), [RATING.speed, m0], t_eval=t, method="LSODA", rtol=1e-10, atol=1e-8
    )
    tau = pump.coastdown_time_constant(INERTIA, RATING.speed, RATING.shaft_power)
    return sol.y[1] / m0, pump.coastdown_flow_ratio(t, tau), tau


def test_coupled_pump_and_loop_follow_analytic_coastdown() -> None:
    """With the loop's fluid inertia the flow lags the speed slightly: the lag vanishes with L/A.

    The loop's momentum time constant I m0 / (2 dp_R) is about 0.4 s against tau = 9 s, so the
    flow stays within a few per cent of the analytic curve.
    """
    flow, exact, tau = _coupled_coastdown(inertance=95.0 + 4.0 * 4.4)  # loop + 4 x vessel share
    assert np.max(np.abs(flow - exact)) < 0.03
    assert flow[round(tau)] == pytest.approx(0.5, abs=0.03)  # flow-halving time ~ tau
    flow_small, exact_small, _ = _coupled_coastdown(inertance=1.0)
    # The deviation is first order in the inertance: it vanishes in the quasi-static limit.
    ratio = np.max(np.abs(flow_small - exact_small)) / np.max(np.abs(flow - exact))
    assert ratio == pytest.approx(1.0 / (95.0 + 4.0 * 4.4), rel=0.2)
    assert np.all(flow >= exact - 1e-9)  # fluid inertia keeps the flow up


def test_kloss_motor_torque() -> None:
    sync = 1000 * math.pi / 30
    s_rated = 1.0 - RATING.speed / sync
    k = 2.2
    s_b = pump.kloss_breakdown_slip(s_rated, k)
    t_max = 1.0e5
    assert float(pump.motor_torque(RATING.speed, sync, t_max, s_b)) == pytest.approx(t_max / k)
    assert float(pump.motor_torque(sync * (1 - s_b), sync, t_max, s_b)) == pytest.approx(t_max)
    assert float(pump.motor_torque(sync, sync, t_max, s_b)) == 0.0
    assert float(pump.motor_torque(RATING.speed, sync, t_max, s_b, voltage=0.0)) == 0.0
    assert float(pump.motor_torque(RATING.speed, sync, t_max, s_b, voltage=0.5)) == pytest.approx(
        0.25 * t_max / k
    )


def test_pump_start_runs_up_to_motor_operating_speed() -> None:
    sync = 1000 * math.pi / 30
    rho = RATING.density
    s_b = pump.kloss_breakdown_slip(1.0 - RATING.speed / sync, 2.2)
    t_max = 2.2 * RATING.torque
    m0 = rho * RATING.flow
    k = RATING.pressure_rise / m0**2

    def rhs(t: float, y: np.ndarray) -> list[float]:
        w, m = y
        tm = pump.motor_torque(w, sync, t_max, s_b)
        th = pump.hydraulic_torque(w, m, rho, RATING, CURVES)
        dp = pump.pump_pressure_rise(w, m, rho, RATING, CURVES)
        return [
            float(pump.rotor_acceleration(tm, th, 0.0, INERTIA, w)),
            float(pump.loop_flow_derivative(m, dp, k, 100.0)),
        ]

    sol = solve_ivp(rhs, (0.0, 200.0), [0.0, 0.0], method="LSODA", rtol=1e-9, atol=1e-8)
    # Motor torque equals the load at the rated point: the pump ends at rated speed and flow.
    assert sol.y[0, -1] == pytest.approx(RATING.speed, rel=1e-4)
    assert sol.y[1, -1] == pytest.approx(m0, rel=1e-4)


def _design_loops() -> tuple[float, float, float]:
    m0 = 4400.0
    dp = float(pump.pump_pressure_rise(RATING.speed, m0, RATING.density, RATING, CURVES))
    k_loop, k_vessel = pump.loop_resistances_from_design(m0, 4, dp, 0.40e6)
    return m0, k_loop, k_vessel


def test_parallel_loops_at_design_are_steady_and_consistent() -> None:
    m0, k_loop, k_vessel = _design_loops()
    m = np.full(4, m0)
    dp = pump.pump_pressure_rise(np.full(4, RATING.speed), m, RATING.density, RATING, CURVES)
    dm, x = pump.parallel_loops_flow_derivatives(
        m, dp, np.full(4, k_loop), np.full(4, 95.0), np.zeros(4), k_vessel, 4.4
    )
    np.testing.assert_allclose(dm, 0.0, atol=1e-9)
    assert x == pytest.approx(0.40e6, rel=1e-12)  # lower minus upper plenum = vessel drop


def test_parallel_loops_satisfy_vessel_momentum() -> None:
    """The eliminated plenum pressure must satisfy the vessel path's own momentum equation."""
    _, k_loop, k_vessel = _design_loops()
    m = np.array([4500.0, 4300.0, 3000.0, -500.0])
    dp = np.array([6e5, 6.2e5, 3e5, 0.0])
    b = np.array([10.0, -20.0, 5.0, 0.0])
    inert = np.array([95.0, 90.0, 100.0, 95.0])
    dm, x = pump.parallel_loops_flow_derivatives(
        m, dp, np.full(4, k_loop), inert, b, k_vessel, 4.4, 30.0
    )
    m_v = m.sum()
    assert 4.4 * dm.sum() == pytest.approx(x - k_vessel * m_v * abs(m_v) + 30.0, rel=1e-12)
    np.testing.assert_allclose(inert * dm, dp - k_loop * m * np.abs(m) + b - x, rtol=1e-12)


def test_one_pump_stopped_reverses_its_loop() -> None:
    """Kalinin-3 / V1000CT-1 course: the idle loop runs backwards through the stopped pump."""
    _, k_loop, k_vessel = _design_loops()
    w = np.array([RATING.speed] * 3 + [0.0])

    def f(m: np.ndarray) -> np.ndarray:
        dp = pump.pump_pressure_rise(w, m, RATING.density, RATING, CURVES)
        return pump.parallel_loops_flow_derivatives(
            m, dp, np.full(4, k_loop), np.full(4, 95.0), np.zeros(4), k_vessel, 4.4
        )[0]

    m = fsolve(f, [4400.0, 4400.0, 4400.0, 0.0], xtol=1e-12)
    np.testing.assert_allclose(f(m), 0.0, atol=1e-6)
    assert m[3] < -0.2 * 4400.0  # reverse flow in the idle loop
    assert np.all(m[:3] > 4400.0)  # the running pumps move right on their curves
    assert 0.6 < m.sum() / (4 * 4400.0) < 0.9  # reduced vessel flow


def test_anti_reverse_holds_a_stopped_rotor() -> None:
    assert float(pump.rotor_acceleration(0.0, 100.0, 0.0, INERTIA, omega=0.0)) == 0.0
    assert (
        float(pump.rotor_acceleration(0.0, 100.0, 0.0, INERTIA, omega=0.0, anti_reverse=False))
        < 0.0
    )
    assert float(pump.rotor_acceleration(0.0, 100.0, 0.0, INERTIA, omega=10.0)) < 0.0


def test_friction_torque_is_linear() -> None:
    t = pump.friction_torque(np.array([0.0, RATING.speed]), RATING.speed, RATING.torque, 0.01)
    np.testing.assert_allclose(t, [0.0, 0.01 * RATING.torque])

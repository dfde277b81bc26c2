"""Tests of nppsim.physics.turbine: design-point electric output, valves, header, feedwater."""

from __future__ import annotations

import math

import CoolProp.CoolProp as CP
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nppsim.physics import turbine as tb

# Design point (plants-research.md §1.2, §1.4; vver1000-v446.toml plant sections).
STEAM = 5880e3 / 3600  # [kg/s]
P_INLET = 5.88e6  # [Pa] (60 kgf/cm2 before the turbine)
P_COND = 5e3  # [Pa]
ETA_GEN = 0.985
P_ELECTRIC = 1000e6  # [W]
P_THERMAL = 3000e6  # [W]


def _sat_vapour_h(p: float) -> float:
    w = CP.AbstractState("IF97", "Water")
    w.update(CP.PQ_INPUTS, p, 1.0)
    return w.hmass()


def test_isentropic_drop_against_iapws95() -> None:
    """IF97 (the module) against the IAPWS-95 formulation (CoolProp HEOS), an independent EOS."""
    h_in = _sat_vapour_h(P_INLET)
    ref = CP.AbstractState("HEOS", "Water")
    ref.update(CP.PQ_INPUTS, P_INLET, 1.0)
    s_in, h_ref_in = ref.smass(), ref.hmass()
    ref.update(CP.PSmass_INPUTS, P_COND, s_in)
    assert tb.isentropic_enthalpy_drop(P_INLET, h_in, P_COND) == pytest.approx(
        h_ref_in - ref.hmass(), rel=1e-3
    )


def test_design_point_gives_1000_mwe_with_a_sensible_efficiency() -> None:
    h_in = _sat_vapour_h(P_INLET)
    eta = tb.design_turbine_efficiency(P_ELECTRIC, ETA_GEN, STEAM, P_INLET, h_in, P_COND)
    # Effective efficiency on the throttle flow: internal efficiency ~0.8 times the share of work
    # lost to bled steam and moisture removal; 0.55-0.70 is the range of saturated-steam cycles.
    assert 0.55 < eta < 0.70
    dh = tb.isentropic_enthalpy_drop(P_INLET, h_in, P_COND)
    p_e = tb.electric_power(tb.turbine_mechanical_power(STEAM, dh, eta), ETA_GEN)
    assert p_e == pytest.approx(P_ELECTRIC, rel=1e-12)
    # The same turbine fed at SG-outlet pressure (6.27 MPa, no steam-line loss) gives slightly
    # more: within a few per cent of 1000 MW.
    h_sg = _sat_vapour_h(6.27e6)
    p_sg = tb.electric_power(
        tb.turbine_mechanical_power(STEAM, tb.isentropic_enthalpy_drop(6.27e6, h_sg, P_COND), eta),
        ETA_GEN,
    )
    assert p_sg == pytest.approx(P_ELECTRIC, rel=0.03)
    # Cycle check: the steam carries the reactor's heat from 220 degC feedwater (gross 33.3 %).
    h_fw = tb.feedwater_enthalpy(220.0 + 273.15, 7.0e6)
    h_steam = _sat_vapour_h(6.27e6)
    assert STEAM * (h_steam - h_fw) == pytest.approx(P_THERMAL, rel=2e-3)


def test_choked_flows_are_linear_in_pressure_and_opening() -> None:
    assert tb.turbine_steam_flow(1.0, P_INLET, STEAM, P_INLET) == pytest.approx(STEAM)
    assert tb.turbine_steam_flow(0.5, 0.9 * P_INLET, STEAM, P_INLET) == pytest.approx(0.45 * STEAM)
    assert tb.choked_steam_flow(-0.1, P_INLET, 100.0, P_INLET) == 0.0


def test_proportional_lift() -> None:
    assert tb.proportional_lift(8.0e6, 8.24e6, 8.53e6) == 0.0
    assert tb.proportional_lift(8.385e6, 8.24e6, 8.53e6) == pytest.approx(0.5)
    assert tb.proportional_lift(9.0e6, 8.24e6, 8.53e6) == 1.0


def test_orifice_flow_is_square_root_law_and_regular_at_zero() -> None:
    assert tb.orifice_flow(0.39e6, 408.0, 0.39e6) == pytest.approx(408.0, rel=1e-6)
    assert tb.orifice_flow(0.39e6 / 4, 408.0, 0.39e6) == pytest.approx(204.0, rel=1e-5)
    assert tb.orifice_flow(-0.39e6, 408.0, 0.39e6) == pytest.approx(-408.0, rel=1e-6)
    assert tb.orifice_flow(0.0, 408.0, 0.39e6) == 0.0
    # Finite slope at zero (the solver's Jacobian stays bounded).
    slope = tb.orifice_flow(1.0, 408.0, 0.39e6) / 1.0
    assert math.isfinite(slope) and slope == pytest.approx(
        408.0 / math.sqrt(0.39e6 * 390.0), rel=1e-3
    )
    assert tb.orifice_flow(0.39e6, 408.0, 0.39e6, density_ratio=4.0) == pytest.approx(
        816.0, rel=1e-6
    )


def test_header_mass_conservation() -> None:
    """Integrating dp/dt with a constant surplus reproduces V (rho_g(p) - rho_g(p0)) = surplus t."""
    volume, surplus, p0 = 80.0, 50.0, P_INLET
    sol = solve_ivp(
        lambda t, y: [tb.header_pressure_derivative(surplus, 0.0, y[0], volume)],
        (0.0, 10.0),
        [p0],
        method="LSODA",
        rtol=1e-10,
        atol=1e-3,
    )
    w = CP.AbstractState("IF97", "Water")
    w.update(CP.PQ_INPUTS, p0, 1.0)
    rho0 = w.rhomass()
    w.update(CP.PQ_INPUTS, sol.y[0, -1], 1.0)
    assert volume * (w.rhomass() - rho0) == pytest.approx(surplus * 10.0, rel=1e-6)


def test_reheat_lag_step_response() -> None:
    f, tau, p_s = 0.65, 8.0, 1000e6
    t = np.linspace(0.0, 40.0, 9)
    sol = solve_ivp(
        lambda s, y: [tb.reheat_power_derivative(y[0], p_s, f, tau)],
        (0.0, 40.0),
        [0.0],
        t_eval=t,
        rtol=1e-10,
        atol=1.0,
    )
    np.testing.assert_allclose(sol.y[0], f * p_s * (1.0 - np.exp(-t / tau)), rtol=1e-6, atol=10.0)


def test_feedwater_flow() -> None:
    rated = 1911e3 / 3600
    assert tb.feedwater_flow(1.0, 7.0e6, 6.4e6, rated, 0.6e6) == pytest.approx(rated, rel=1e-5)
    assert tb.feedwater_flow(0.5, 7.0e6, 6.85e6, rated, 0.6e6) == pytest.approx(
        0.5 * rated * 0.5, rel=1e-4
    )
    assert tb.feedwater_flow(1.0, 6.0e6, 6.4e6, rated, 0.6e6) == 0.0  # check valve
    assert tb.feedwater_enthalpy(220.0 + 273.15, 7.0e6) == pytest.approx(944.96e3, rel=1e-4)


def test_steam_line_flow_at_design() -> None:
    assert tb.steam_line_flow(6.27e6, 5.88e6, 32.3, 408.3, 0.39e6, 32.3) == pytest.approx(
        408.3, rel=1e-6
    )
    assert tb.steam_line_flow(5.88e6, 6.27e6, 32.3, 408.3, 0.39e6, 32.3) < 0.0


# -- the turbine-generator's valves, shaft and heaters (issue 8) ----------------------------------
def test_valve_servo_closes_at_its_rate_then_settles_as_a_lag() -> None:
    """Far from its demand the servo travels at its rate limit (full stroke in 1/v s); near it,
    it is a first-order lag of time constant T_s."""
    t_s, v_close = 0.1, 1.0 / 0.3
    # a full-stroke error: v tanh(1/(v T_s)), within 1 % of the rate limit v
    full = tb.valve_servo_rate(1.0, 0.0, t_s, 0.01, v_close)
    assert full == pytest.approx(-v_close * math.tanh(1.0 / (v_close * t_s)), rel=1e-12)
    assert full == pytest.approx(-v_close, rel=0.01)
    assert tb.valve_servo_rate(0.0, 1.0, t_s, 0.01, v_close) == pytest.approx(0.01, rel=1e-6)
    e = 1e-5
    small = tb.valve_servo_rate(0.5, 0.5 + e, t_s, 0.01, v_close)
    assert small == pytest.approx(e / t_s, rel=1e-4)  # tanh(x) = x (1 - x^2/3), x = 0.01
    # closing from full open: the stroke takes about 1/v plus a few servo time constants
    sol = solve_ivp(
        lambda t, y: [tb.valve_servo_rate(y[0], 0.0, t_s, 0.01, v_close)],
        (0.0, 1.0),
        [1.0],
        dense_output=True,
        rtol=1e-9,
        atol=1e-12,
    )
    # analytic: dy/dt = -v tanh(y/a), a = v T_s, integrates to sinh(y/a) = sinh(1/a) e^(-t/T_s)
    a = v_close * t_s
    for t in (0.05, 0.15, 0.3, 0.5):
        exact = a * math.asinh(math.sinh(1.0 / a) * math.exp(-t / t_s))
        assert sol.sol(t)[0] == pytest.approx(exact, abs=1e-6)
    assert sol.sol(0.15)[0] == pytest.approx(0.5, abs=0.02)  # near-linear at the rate limit
    assert sol.sol(0.3 + 5 * t_s)[0] < 0.01


def test_crossover_reproduces_the_ieee_reheat_lag_and_traps_steam_behind_shut_valves() -> None:
    """With the intercept valves open the LP power lags f P_s with T_RH (IEEE 1973); with them
    shut the LP power is nil and the crossover keeps its steam."""
    tau, f, p_s = 8.0, 0.65, 1.0e9

    def lp(t, y, iv):
        return [tb.crossover_rate(y[0], f * p_s, iv, tau)]

    sol = solve_ivp(lp, (0.0, 20.0), [0.0], args=(1.0,), rtol=1e-10, atol=1.0)
    assert sol.y[0, -1] == pytest.approx(f * p_s * (1 - math.exp(-20.0 / tau)), rel=1e-6)
    assert tb.crossover_rate(f * p_s, f * p_s, 1.0, tau) == 0.0
    assert tb.crossover_rate(f * p_s, 0.0, 0.0, tau) == 0.0  # shut: nothing leaves


def test_rotor_speeds_up_as_the_swing_equation_says() -> None:
    """A 10 % power surplus on an H = 4.5 s shaft at synchronous speed: d(omega)/dt = 0.1/9 per s;
    and the kinetic energy H P_R omega^2 grows by the surplus energy (energy conservation)."""
    h, p_r = 4.5, 1.0e9
    assert tb.rotor_acceleration(1.0, 0.6e9, 0.5e9, h, p_r) == pytest.approx(0.1 / 9.0)
    sol = solve_ivp(
        lambda t, y: [tb.rotor_acceleration(y[0], 0.3e9, 0.0, h, p_r)],
        (0.0, 10.0),
        [1.0],
        rtol=1e-10,
        atol=1e-12,
    )
    w = sol.y[0, -1]
    assert h * p_r * (w * w - 1.0) == pytest.approx(0.3e9 * 10.0, rel=1e-6)


def test_governor_droop_and_intercept_valves() -> None:
    """4.5 % droop: 1 % overspeed closes the valves by 22 %; the intercept valves shut between
    their two speeds."""
    assert tb.governor_demand(1.0, 1.01, 0.045) == pytest.approx(1.0 - 0.01 / 0.045)
    assert tb.governor_demand(0.5, 1.0, 0.045) == 0.5
    assert tb.intercept_valve_demand(1.0, 1.02, 1.04) == 1.0
    assert tb.intercept_valve_demand(1.03, 1.02, 1.04) == pytest.approx(0.5)
    assert tb.intercept_valve_demand(1.05, 1.02, 1.04) == 0.0
    assert tb.windage_friction_loss(0.5, 3e6) == pytest.approx(0.75e6)


def test_feedwater_heater_target_between_deaerator_and_rated() -> None:
    """No extraction steam: the deaerator's enthalpy; rated flow: the rated feedwater; clipped
    above 110 %."""
    h_da, h_r = 700e3, 944e3
    assert tb.feedwater_heater_target(0.0, h_da, h_r) == h_da
    assert tb.feedwater_heater_target(1.0, h_da, h_r) == h_r
    assert tb.feedwater_heater_target(0.5, h_da, h_r) == pytest.approx(0.5 * (h_da + h_r))
    assert tb.feedwater_heater_target(2.0, h_da, h_r) == pytest.approx(h_da + 1.1 * (h_r - h_da))
    assert tb.lag_rate(1.0, 3.0, 2.0) == 1.0

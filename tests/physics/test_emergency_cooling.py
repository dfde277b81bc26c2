"""Emergency core cooling physics: pump curves through their design points, the accumulator's
polytropic gas law and check valve, an accumulator emptying into a depressurised primary against
the closed-form discharge, and feed-and-bleed boron changes against their exponential."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nppsim.physics import boron
from nppsim.physics import emergency_cooling as ec


def test_centrifugal_pump_meets_its_curve():
    """Rated flow at the rated pressure rise, nothing above shut-off, and the parabola between:
    Q(dp) = Q_R sqrt((dp0 - dp)/(dp0 - dp_R))."""
    dp0, dpr, qr = 12e6, 9e6, 40.0
    assert ec.centrifugal_pump_flow(dpr, dp0, dpr, qr) == pytest.approx(qr, rel=1e-4)
    assert ec.centrifugal_pump_flow(dp0 + 0.5e6, dp0, dpr, qr) < 1e-6 * qr
    assert ec.centrifugal_pump_flow(0.0, dp0, dpr, qr) == pytest.approx(qr * math.sqrt(4.0))
    backs = np.linspace(0.0, 13e6, 200)
    flows = [ec.centrifugal_pump_flow(b, dp0, dpr, qr) for b in backs]
    assert np.all(np.diff(flows) <= 0.0)


def test_displacement_pump_holds_its_flow_to_its_relief():
    assert ec.displacement_pump_flow(17e6, 18.5e6, 1e6, 1.75) == pytest.approx(1.75)
    assert ec.displacement_pump_flow(19.0e6, 18.5e6, 1e6, 1.75) == pytest.approx(0.875)
    assert ec.displacement_pump_flow(20.0e6, 18.5e6, 1e6, 1.75) == 0.0


def test_accumulator_check_valve_stays_shut_above_the_gas_pressure():
    p_gas = ec.accumulator_gas_pressure(50.0, 60.0, 10.0, 5.9e6, 1.3)
    assert p_gas == pytest.approx(5.9e6)
    assert ec.accumulator_flow(p_gas, 0.1e6, 15.7e6, 600.0, 3e6) < 1e-12
    assert ec.accumulator_flow(p_gas, 0.1e6, 6.2e6, 600.0, 3e6) < 0.01
    assert ec.accumulator_flow(p_gas, 0.1e6, 3.0e6, 600.0, 3e6) == pytest.approx(600.0, rel=1e-6)


def test_accumulator_discharge_against_the_closed_form():
    """A tank discharging into a primary held at p_1: the gas expands polytropically, so the
    water left when the check valve closes again is where p_gas(V_w) + rho g dz = p_1 plus its
    cracking pressure (20 kPa), and
    integrating m = m_R sqrt(dp/dp_R) in time gives that volume (here 1.2 MPa: the tank stops
    short of its residual volume, as a real one does against a few MPa)."""
    tank, gas0, p0, n, head, m_r, dp_r, rho = 60.0, 10.0, 5.9e6, 1.3, 0.1e6, 600.0, 3e6, 988.0
    p1 = 1.2e6

    def rhs(_t, y):
        pg = ec.accumulator_gas_pressure(y[0], tank, gas0, p0, n)
        return [-ec.accumulator_flow(pg, head, p1, m_r, dp_r) / rho]

    sol = solve_ivp(rhs, (0.0, 600.0), [tank - gas0], method="LSODA", rtol=1e-10, atol=1e-10)
    # closed form: p0 (gas0 / (tank - V))^n + head = p1 + cracking
    v_end = tank - gas0 * (p0 / (p1 + 20e3 - head)) ** (1.0 / n)
    # the valve closes over a few widths (2 kPa) below its cracking pressure: with the gas's
    # 40 kPa/m3 that is 0.2 m3 of the 26 m3 discharged
    assert sol.y[0, -1] == pytest.approx(v_end, abs=0.25)
    assert sol.y[0, -1] <= v_end
    # most of it within a minute: a large flow while the pressure difference is large
    half = sol.t[np.argmax(sol.y[0] < 0.5 * (tank - gas0 + v_end))]
    assert half < 60.0


def test_feed_and_bleed_flow_and_its_exponential():
    """q = M dC/dt / (C_s - C); integrating M dC/dt = q (C_s - C) gives the exponential."""
    m, c0, q = 2.5e5, 700.0, 60e3 / 3600.0
    assert boron.feed_and_bleed_flow(-0.01, 700.0, 0.0, m, 1e9) == pytest.approx(m * 0.01 / 700.0)
    assert boron.feed_and_bleed_flow(0.01, 700.0, 7000.0, m, 1e9) == pytest.approx(m * 0.01 / 6300)
    assert boron.feed_and_bleed_flow(-0.1, 700.0, 0.0, m, 5.0) == 5.0  # the pumps' capacity
    assert boron.feed_and_bleed_flow(0.01, 700.0, 0.0, m, 5.0) == 0.0  # clean water cannot borate
    sol = solve_ivp(lambda _t, c: [q * (0.0 - c[0]) / m], (0.0, 3600.0), [c0], rtol=1e-11)
    assert sol.y[0, -1] == pytest.approx(
        boron.feed_and_bleed_solution(3600.0, c0, 0.0, q, m), rel=1e-8
    )

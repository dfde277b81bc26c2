"""Tests of nppsim.physics.natural_circulation against the closed-form (P dZ)^(1/3) law."""

from __future__ import annotations

import CoolProp.CoolProp as CP
import numpy as np
import pytest

from nppsim.physics import natural_circulation as nc

P_PRIMARY = 15.7e6  # [Pa]
K_LOOP = 3.1e-3  # whole-circuit loss coefficient with idle pumps [Pa s2/kg2], VVER-1000 order
HEIGHT = 6.5  # [m]


def _props(t_celsius: float) -> tuple[float, float, float, float]:
    """h, rho, cp, beta of water at the primary pressure (IF97, independent of the module)."""
    w = CP.AbstractState("IF97", "Water")
    w.update(CP.PT_INPUTS, P_PRIMARY, t_celsius + 273.15)
    h, rho, cp = w.hmass(), w.rhomass(), w.cpmass()
    w.update(CP.PT_INPUTS, P_PRIMARY, t_celsius + 273.15 + 0.5)
    rho_hi = w.rhomass()
    w.update(CP.PT_INPUTS, P_PRIMARY, t_celsius + 273.15 - 0.5)
    beta = -(rho_hi - w.rhomass()) / rho
    return h, rho, cp, beta


def test_buoyancy_of_uniform_closed_loop_is_zero() -> None:
    rise = np.array([3.0, 4.0, -2.0, -5.0])
    assert nc.buoyancy_head(np.full(4, 700.0), rise) == pytest.approx(0.0, abs=1e-9)


def test_buoyancy_of_rectangular_loop_equals_thermal_centre_form() -> None:
    # Hot riser of height H, cold downcomer of height H, horizontal legs.
    rho_h, rho_c = 690.0, 740.0
    head = nc.buoyancy_head([rho_h, 700.0, rho_c, 700.0], [HEIGHT, 0.0, -HEIGHT, 0.0])
    assert head == pytest.approx(nc.thermal_centre_buoyancy(rho_c, rho_h, HEIGHT), rel=1e-14)
    assert head > 0.0  # drives flow up the hot side


def test_closed_form_balances_buoyancy_and_friction() -> None:
    _, rho, cp, beta = _props(290.0)
    power = 60e6
    m = float(nc.natural_circulation_flow_boussinesq(power, HEIGHT, K_LOOP, rho, beta, cp))
    buoyancy = nc.GRAVITY * rho * beta * (power / (m * cp)) * HEIGHT
    assert K_LOOP * m * m == pytest.approx(buoyancy, rel=1e-12)


def test_closed_form_cube_root_scaling() -> None:
    _, rho, cp, beta = _props(290.0)
    base = nc.natural_circulation_flow_boussinesq(30e6, HEIGHT, K_LOOP, rho, beta, cp)
    assert float(
        nc.natural_circulation_flow_boussinesq(240e6, HEIGHT, K_LOOP, rho, beta, cp) / base
    ) == pytest.approx(2.0, rel=1e-12)
    assert float(
        nc.natural_circulation_flow_boussinesq(30e6, 8 * HEIGHT, K_LOOP, rho, beta, cp) / base
    ) == pytest.approx(2.0, rel=1e-12)


def test_real_water_solution_agrees_with_closed_form_at_low_power() -> None:
    """At decay-heat powers the loop temperature rise is small and Boussinesq holds."""
    h_c, rho, cp, beta = _props(290.0)
    for power in (15e6, 30e6, 60e6):
        m = nc.natural_circulation_flow(power, P_PRIMARY, h_c, HEIGHT, K_LOOP)
        m_b = float(nc.natural_circulation_flow_boussinesq(power, HEIGHT, K_LOOP, rho, beta, cp))
        assert m == pytest.approx(m_b, rel=0.03)


def test_real_water_flow_exponent_is_one_third() -> None:
    h_c = _props(290.0)[0]
    powers = np.array([10e6, 20e6, 40e6, 80e6])
    flows = np.array(
        [nc.natural_circulation_flow(p, P_PRIMARY, h_c, HEIGHT, K_LOOP) for p in powers]
    )
    slope = np.polyfit(np.log(powers), np.log(flows), 1)[0]
    assert slope == pytest.approx(1.0 / 3.0, abs=0.01)


def test_decay_heat_natural_circulation_is_a_few_per_cent_of_forced_flow() -> None:
    """VVER-1000 at 2 % power (60 MW): PWR loops carry a few per cent of rated flow."""
    h_c = _props(290.0)[0]
    m = nc.natural_circulation_flow(60e6, P_PRIMARY, h_c, HEIGHT, K_LOOP)
    assert 0.02 < m / 17600.0 < 0.08


def test_boiling_hot_leg_is_refused() -> None:
    h_c = _props(340.0)[0]
    with pytest.raises(ValueError, match="boil"):
        nc.natural_circulation_flow(300e6, P_PRIMARY, h_c, HEIGHT, 1.0)

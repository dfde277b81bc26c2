"""Tests of nppsim.physics.pressurizer: equilibrium solve, conservation, pressure responses."""

from __future__ import annotations

import CoolProp.CoolProp as CP
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nppsim.physics import pressurizer as pz

VOLUME = 79.0  # [m3]
WATER = 55.0  # [m3]
P0 = 15.7e6  # [Pa]


def _enthalpy(p: float, t_celsius: float) -> float:
    w = CP.AbstractState("IF97", "Water")
    w.update(CP.PT_INPUTS, p, t_celsius + 273.15)
    return w.hmass()


H_HOT = _enthalpy(P0, 320.0)
H_COLD = _enthalpy(P0, 289.0)


@pytest.mark.parametrize("pressure", [1e5, 1e6, 7e6, 15.7e6, 21e6])
@pytest.mark.parametrize("water", [1.0, 40.0, 78.0])
def test_state_round_trip(pressure: float, water: float) -> None:
    mass, energy = pz.mass_energy_from_level(pressure, water, VOLUME)
    for guess in (pressure, 0.5 * pressure, min(2.0 * pressure, 21.5e6)):
        s = pz.state_from_mass_energy(mass, energy, VOLUME, guess)
        assert s.phase == "two-phase"
        assert s.pressure == pytest.approx(pressure, rel=1e-9)
        assert s.liquid_volume == pytest.approx(water, rel=1e-7)
        assert s.liquid_mass + s.vapour_mass == pytest.approx(mass, rel=1e-12)
        assert s.void == pytest.approx(1.0 - water / VOLUME, rel=1e-7)


def test_solid_pressurizer_is_compressed_liquid() -> None:
    mass, energy = pz.mass_energy_from_level(P0, WATER, VOLUME)
    s = pz.state_from_mass_energy(1.3 * mass, 1.3 * energy, VOLUME, P0)
    assert s.phase == "liquid"
    assert s.liquid_volume == VOLUME and s.liquid_mass == pytest.approx(1.3 * mass)
    ref = CP.AbstractState("HEOS", "Water")
    ref.update(CP.DmassUmass_INPUTS, 1.3 * mass / VOLUME, energy / mass)
    assert s.pressure == pytest.approx(ref.p(), rel=1e-9)
    assert s.pressure > P0


def test_level_of_nominal_water_volume() -> None:
    assert pz.level_vertical_cylinder(WATER, 3.0) == pytest.approx(55.0 / (np.pi * 2.25))


def _run(flows: dict[str, float], t_end: float, relief: tuple[float, float, float] | None = None):
    """Integrate the pressurizer with constant boundary flows; carry cumulative in/out flows."""
    m0, u0 = pz.mass_energy_from_level(P0, WATER, VOLUME)
    guess = [P0]

    def rhs(t: float, y: np.ndarray) -> list[float]:
        s = pz.state_from_mass_energy(y[0], y[1], VOLUME, guess[0])
        guess[0] = s.pressure
        surge = flows.get("surge", 0.0)
        h_su = pz.surge_enthalpy(surge, H_HOT, s.h_liquid)
        m_r = 0.0
        if relief is not None:
            m_r = pz.relief_valve_flow(s.pressure, relief[0], relief[1], relief[2], relief[0])
        dm, du = pz.pressurizer_derivatives(
            surge,
            h_su,
            flows.get("spray", 0.0),
            H_COLD,
            flows.get("heaters", 0.0),
            m_r,
            s.h_vapour,
            flows.get("loss", 0.0),
        )
        # Quadratures of what crossed the boundary, computed independently of the derivatives.
        m_in = surge + flows.get("spray", 0.0) - m_r
        e_in = (
            surge * h_su
            + flows.get("spray", 0.0) * H_COLD
            - m_r * s.h_vapour
            + flows.get("heaters", 0.0)
            - flows.get("loss", 0.0)
        )
        return [dm, du, m_in, e_in]

    sol = solve_ivp(
        rhs,
        (0.0, t_end),
        [m0, u0, 0.0, 0.0],
        method="BDF",
        rtol=1e-10,
        atol=[1e-6, 1e-1, 1e-6, 1e-1],
        dense_output=True,
    )
    assert sol.success
    return sol, m0, u0


def _pressure(sol, t: float) -> float:
    m, u = sol.sol(t)[:2]
    return pz.state_from_mass_energy(m, u, VOLUME, P0).pressure


def test_no_flows_stays_steady() -> None:
    sol, m0, u0 = _run({}, 3600.0)
    assert sol.y[0, -1] == m0 and sol.y[1, -1] == u0
    assert _pressure(sol, 3600.0) == pytest.approx(P0, rel=1e-12)


@pytest.mark.parametrize(
    "flows",
    [{"surge": 20.0}, {"surge": -20.0}, {"spray": 10.0}, {"heaters": 2.52e6, "loss": 6e4}],
)
def test_mass_and_energy_conservation(flows: dict[str, float]) -> None:
    sol, m0, u0 = _run(flows, 200.0)
    assert sol.y[0, -1] - m0 == pytest.approx(sol.y[2, -1], rel=1e-9, abs=1e-6)
    assert sol.y[1, -1] - u0 == pytest.approx(sol.y[3, -1], rel=1e-9, abs=1.0)


def test_insurge_of_hot_leg_water_raises_pressure() -> None:
    sol, _, _ = _run({"surge": 20.0}, 100.0)  # 2 t from a 320 degC hot leg
    p = _pressure(sol, 100.0)
    assert p > P0
    # Equilibrium model: a modest rise (about 15 kPa per tonne at 320 degC; docs give the figure).
    assert 10e3 < (p - P0) / 2.0 < 30e3


def test_outsurge_lowers_pressure() -> None:
    sol, _, _ = _run({"surge": -20.0}, 100.0)
    assert _pressure(sol, 100.0) < P0 - 0.2e6


def test_spray_lowers_pressure() -> None:
    sol, _, _ = _run({"spray": 10.0}, 100.0)
    assert _pressure(sol, 100.0) < P0 - 0.1e6


def test_heaters_raise_pressure_at_the_equilibrium_rate() -> None:
    """Two methods: the transient, and dp/dt = Q / (dU/dp at fixed M, V) from saturation data."""
    q = 2.52e6
    sol, m0, _ = _run({"heaters": q}, 10.0)
    rate_transient = (_pressure(sol, 10.0) - P0) / 10.0

    def energy(p: float) -> float:
        s = pz.saturation_properties(p)
        vf, vg = 1.0 / s.rho_liquid, 1.0 / s.rho_vapour
        return m0 * s.u_liquid + (VOLUME - m0 * vf) * (s.u_vapour - s.u_liquid) / (vg - vf)

    du_dp = (energy(P0 + 1e3) - energy(P0 - 1e3)) / 2e3
    assert rate_transient > 0.0
    assert rate_transient == pytest.approx(q / du_dp, rel=1e-3)


def test_relief_valve_caps_pressure() -> None:
    """Heaters on a nearly steam-filled vessel: the relief valve opens and holds the pressure."""
    p_open, p_full, capacity = 15.75e6, 15.85e6, 5.0
    sol, _, _ = _run({"heaters": 2.52e6}, 2000.0, relief=(p_open, p_full, capacity))
    p_end = _pressure(sol, 2000.0)
    assert p_open < p_end < p_full
    # Quasi-steady at constant pressure: each kilogram relieved takes h_g away and frees its volume
    # v_g, refilled by evaporating liquid, so Q = m_r h_fg v_g / (v_g - v_f).
    s = pz.saturation_properties(p_end)
    m_r = pz.relief_valve_flow(p_end, p_open, p_full, capacity, p_open)
    vf, vg = 1.0 / s.rho_liquid, 1.0 / s.rho_vapour
    q_relieved = m_r * (s.h_vapour - s.h_liquid) * vg / (vg - vf)
    assert q_relieved == pytest.approx(2.52e6, rel=0.01)


def test_spray_flow_and_surge_enthalpy() -> None:
    assert pz.spray_flow(1.0, 0.4e6, 45.0, 0.4e6) == pytest.approx(45.0, rel=1e-6)
    assert pz.spray_flow(0.5, 0.1e6, 45.0, 0.4e6) == pytest.approx(11.25, rel=1e-5)
    assert pz.spray_flow(1.0, -0.1e6, 45.0, 0.4e6) == 0.0
    assert pz.surge_enthalpy(1.0, 1.0, 2.0) == 1.0
    assert pz.surge_enthalpy(-1.0, 1.0, 2.0) == 2.0

"""Tests of the compiled vessel state (nppsim.physics.vessel) against CoolProp IF97.

Two-phase references: :func:`nppsim.physics.pressurizer.state_from_mass_energy` (CoolProp IF97
saturation line). Single-phase references: (rho, u) made from a chosen (p, T) with CoolProp IF97,
so the vessel must give that p and T back. Bounds as stated in docs/models/water.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nppsim.physics import pressurizer as pz
from nppsim.physics import saturation, vessel, water, water_table
from nppsim.physics.tables import concatenate_tables
from nppsim.physics.vessel import (
    LIQUID_FULL,
    NO_STATE,
    SATURATED,
    VAPOUR_FULL,
    vessel_mass_energy,
    vessel_state,
)

MPA = 1e6
VOLUME = 79.0  # [m3], a VVER-1000 pressurizer
# CoolProp's IF97 saturation line steps at these pressures; the tables bridge them smoothly
STEP_ZONES = ((16.13 * MPA, 16.93 * MPA), (20.64 * MPA, 21.44 * MPA))


@pytest.fixture(scope="module")
def tables() -> tuple[np.ndarray, int, int]:
    tab, (off_sat, off_ph) = concatenate_tables(
        saturation.saturation_table(), water_table.ph_table()
    )
    return tab, off_sat, off_ph


def _in_step_zone(p: float) -> bool:
    return any(lo < p < hi for lo, hi in STEP_ZONES)


def test_saturated_vessel_matches_coolprop(tables: tuple) -> None:
    tab, o_s, o_p = tables
    rng = np.random.default_rng(11)
    worst = {True: np.zeros(5), False: np.zeros(5)}
    for _ in range(400):
        p0 = math.exp(rng.uniform(math.log(2e4), math.log(21.5 * MPA)))
        m, u = pz.mass_energy_from_level(p0, rng.uniform(0.02, 0.98) * VOLUME, VOLUME)
        got = vessel_state(tab, o_s, o_p, m, u, VOLUME, 15.7 * MPA)
        ref = pz.state_from_mass_energy(m, u, VOLUME, p0)
        assert got[-1] == SATURATED
        err = np.array(
            [
                abs(got[0] / ref.pressure - 1.0),
                abs(got[1] - ref.temperature),
                abs(got[3] - ref.void),
                abs(got[2] - ref.quality),
                abs(got[5] / ref.liquid_mass - 1.0),
            ]
        )
        zone = _in_step_zone(p0)
        worst[zone] = np.maximum(worst[zone], err)
    # pressure (rel), T [K], void, quality, liquid mass (rel)
    assert np.all(worst[False] <= [5e-6, 4e-4, 2e-5, 3e-5, 5e-5]), worst[False]
    assert np.all(worst[True] <= [5e-5, 4e-3, 3e-4, 2e-4, 3e-4]), worst[True]


def test_outputs_are_consistent(tables: tuple) -> None:
    tab, o_s, o_p = tables
    m, u = vessel_mass_energy(tab, o_s, 15.7 * MPA, 0.55 * VOLUME, VOLUME)
    p, t, x, void, v_f, m_f, m_g, h_f, h_g, rho_f, rho_g, _, _, status = vessel_state(
        tab, o_s, o_p, m, u, VOLUME, 12 * MPA
    )
    assert status == SATURATED
    assert p == pytest.approx(15.7 * MPA, rel=1e-9)
    assert v_f == pytest.approx(0.55 * VOLUME, rel=1e-8)
    assert m_f + m_g == pytest.approx(m, rel=1e-14)
    assert m_g == pytest.approx(x * m, rel=1e-14)
    assert v_f == pytest.approx(m_f / rho_f, rel=1e-14)
    assert void == pytest.approx(1.0 - v_f / VOLUME, rel=1e-14)
    assert m_g / rho_g + v_f == pytest.approx(VOLUME, rel=1e-12)
    # energy closes: U = m_f u_f + m_g u_g with u = h - p/rho
    energy = m_f * (h_f - p / rho_f) + m_g * (h_g - p / rho_g)
    assert energy == pytest.approx(u, rel=1e-12)
    assert t == pytest.approx(water.saturation_temperature(p), abs=1e-4)
    # the initial-state helper agrees with the CoolProp one
    ref = pz.mass_energy_from_level(15.7 * MPA, 0.55 * VOLUME, VOLUME)
    assert (m, u) == pytest.approx(ref, rel=1e-6)


def _single_phase_case(p0: float, t0: float) -> tuple[float, float]:
    rho = water.density_pt(p0, t0)
    u = water.enthalpy_pt(p0, t0) - p0 / rho
    return rho * VOLUME, rho * VOLUME * u


def test_water_solid_vessel_gives_back_its_pressure_and_temperature(tables: tuple) -> None:
    """(rho, u) of compressed water at (p0, T0) must give p0 and T0 back. Water is stiff
    (d rho/d p ~ 1e-6 kg/m3 per Pa), so the table's density error shows as kPa here."""
    tab, o_s, o_p = tables
    rng = np.random.default_rng(12)
    worst_p, worst_p_hot, worst_t = 0.0, 0.0, 0.0
    for _ in range(300):
        p0 = rng.uniform(0.5 * MPA, 24.5 * MPA)
        t_top = water.saturation_temperature(p0) - 1.0 if p0 < 21 * MPA else 640.0
        t0 = rng.uniform(285.0, t_top)
        m, u = _single_phase_case(p0, t0)
        got = vessel_state(tab, o_s, o_p, m, u, VOLUME, 15.7 * MPA)
        assert got[-1] == LIQUID_FULL
        assert (got[2], got[3], got[4], got[5], got[6]) == (0.0, 0.0, VOLUME, m, 0.0)
        worst_p = max(worst_p, abs(got[0] - p0))
        if t0 > 500.0:
            worst_p_hot = max(worst_p_hot, abs(got[0] - p0))
        worst_t = max(worst_t, abs(got[1] - t0))
    assert worst_p < 50e3
    assert worst_p_hot < 6e3
    assert worst_t < 5e-3


def test_steam_filled_vessel_gives_back_its_pressure_and_temperature(tables: tuple) -> None:
    tab, o_s, o_p = tables
    rng = np.random.default_rng(13)
    n = 0
    for _ in range(300):
        p0 = math.exp(rng.uniform(math.log(0.2 * MPA), math.log(20 * MPA)))
        t0 = water.saturation_temperature(p0) + rng.uniform(2.0, 200.0)
        if water.enthalpy_pt(p0, t0) > 3.15e6:  # beyond the table: tested below
            continue
        n += 1
        got = vessel_state(tab, o_s, o_p, *_single_phase_case(p0, t0), VOLUME, 6 * MPA)
        assert got[-1] == VAPOUR_FULL
        assert got[0] == pytest.approx(p0, rel=5e-6)
        assert got[1] == pytest.approx(t0, abs=6e-4)
    assert n > 150


def test_turning_water_solid_moves_pressure_by_less_than_100_pa(tables: tuple) -> None:
    """At x = 0 the solver changes from the saturation table to the (p, h) table."""
    tab, o_s, o_p = tables
    for p0 in (1 * MPA, 10 * MPA, 15.7 * MPA, 18 * MPA, 20.5 * MPA):
        m, u = vessel_mass_energy(tab, o_s, p0, VOLUME, VOLUME)  # saturated liquid, no steam
        before = vessel_state(tab, o_s, o_p, m * (1 - 1e-9), u * (1 - 1e-9), VOLUME, p0)
        after = vessel_state(tab, o_s, o_p, m * (1 + 1e-9), u * (1 + 1e-9), VOLUME, p0)
        assert (before[-1], after[-1]) == (SATURATED, LIQUID_FULL)
        assert abs(after[0] - before[0]) < 100.0
        assert abs(after[1] - before[1]) < 1e-3


@pytest.mark.parametrize(
    ("p0", "level", "solid_t"),
    [(15.7 * MPA, 0.5, None), (6.27 * MPA, 0.3, None), (0.1 * MPA, 0.9, None), (16 * MPA, 0, 600)],
)
def test_pressure_derivatives_are_those_of_the_solution(
    tables: tuple, p0: float, level: float, solid_t: float | None
) -> None:
    tab, o_s, o_p = tables
    if solid_t is None:
        m, u = vessel_mass_energy(tab, o_s, p0, level * VOLUME, VOLUME)
    else:
        m, u = _single_phase_case(p0, solid_t)
    got = vessel_state(tab, o_s, o_p, m, u, VOLUME, p0)
    dm, du = 1e-6 * m, 1e-7 * abs(u)

    def pressure(mm: float, uu: float) -> float:
        return vessel_state(tab, o_s, o_p, mm, uu, VOLUME, p0)[0]

    fd_m = (pressure(m + dm, u) - pressure(m - dm, u)) / (2 * dm)
    fd_u = (pressure(m, u + du) - pressure(m, u - du)) / (2 * du)
    assert got[11] == pytest.approx(fd_m, rel=2e-4)
    assert got[12] == pytest.approx(fd_u, rel=2e-4)


@pytest.mark.parametrize(
    ("m", "u", "v"),
    [
        (0.0, 1e9, VOLUME),
        (-5.0, 1e9, VOLUME),
        (1e4, 1e9, 0.0),
        (1e4, math.nan, VOLUME),
        (1e4, 1e4 * 5.0e6, VOLUME),  # 5 MJ/kg: hotter than any table
        (1e4, 1e4 * 1.0e3, VOLUME),  # 1 kJ/kg: colder than any table
        (VOLUME * 1500.0, VOLUME * 1500.0 * 1.0e6, VOLUME),  # denser than any water
    ],
)
def test_no_state_in_the_tables_gives_nan_and_a_status(
    tables: tuple, m: float, u: float, v: float
) -> None:
    tab, o_s, o_p = tables
    got = vessel_state(tab, o_s, o_p, m, u, v, 15.7 * MPA)
    assert got[-1] == NO_STATE
    assert all(math.isnan(x) for x in got[:-1])


def test_result_depends_on_the_arguments_only(tables: tuple) -> None:
    tab, o_s, o_p = tables
    m, u = vessel_mass_energy(tab, o_s, 15.9 * MPA, 40.0, VOLUME)
    first = vessel_state(tab, o_s, o_p, m, u, VOLUME, 15.7 * MPA)
    vessel_state(tab, o_s, o_p, 2 * m, u, VOLUME, 1 * MPA)  # anything in between
    vessel.vessel_states(tab, o_s, o_p, [m, m / 3], [u, u], VOLUME, 3 * MPA)
    assert vessel_state(tab, o_s, o_p, m, u, VOLUME, 15.7 * MPA) == first
    # other starting pressures converge to the same pressure within the tolerance (1e-10 p)
    for guess in (2e3, 6 * MPA, 21.8 * MPA, math.nan):
        again = vessel_state(tab, o_s, o_p, m, u, VOLUME, guess)
        assert again[0] == pytest.approx(first[0], rel=1e-9)


def test_array_access_matches_the_kernel(tables: tuple) -> None:
    tab, o_s, o_p = tables
    m0, u0 = vessel_mass_energy(tab, o_s, 6.27 * MPA, 30.0, VOLUME)
    masses = m0 * np.array([0.9, 1.0, 1.1])
    states = vessel.vessel_states(tab, o_s, o_p, masses, u0, VOLUME, 6.27 * MPA)
    for k, mk in enumerate(masses):
        ref = vessel_state(tab, o_s, o_p, mk, u0, VOLUME, 6.27 * MPA)
        assert states.pressure[k] == ref[0] and states.status[k] == ref[-1]

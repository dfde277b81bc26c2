"""Tests of nppsim.physics.heat_transfer: properties, resistances, film and the node solver."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nppsim.physics import heat_transfer as ht
from nppsim.physics import water

DATA = json.loads((Path(__file__).parent / "data" / "uo2_conductivity_reference.json").read_text())

# VVER-1000 rod (plants-research.md §1.3): pellet OD 7.57 mm (M), cladding OD 9.1 mm (S),
# cladding ID 7.73 mm (S2, public VVER preset code), triangular pitch 12.75 mm (S2).
VVER_ROD = ht.RodGeometry(
    fuel_radius=7.57e-3 / 2, clad_inner_radius=7.73e-3 / 2, clad_outer_radius=9.1e-3 / 2
)
VVER_PITCH = 12.75e-3


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("point", DATA["points"])
def test_uo2_conductivity_within_fink_uncertainty_of_reference(point: dict) -> None:
    band = next(b for b in DATA["band"] if point["t_k"] <= b["t_max_k"])
    assert ht.uo2_conductivity(point["t_k"]) == pytest.approx(
        point["k_w_per_m_k"], rel=band["rtol"]
    )


@pytest.mark.parametrize(("t1", "t2"), [(300.0, 600.0), (600.0, 2000.0), (273.15, 3120.0)])
def test_uo2_conduction_integral_matches_quadrature(t1: float, t2: float) -> None:
    numeric = quad(ht.uo2_conductivity, t1, t2, epsabs=0.0, epsrel=1e-13)[0]
    assert ht.uo2_conductivity_integral(t1, t2) == pytest.approx(numeric, rel=1e-12)
    assert ht.uo2_conductivity_integral(t2, t1) == pytest.approx(-numeric, rel=1e-12)


def test_zr1nb_conduction_integral_matches_quadrature() -> None:
    numeric = quad(ht.zr1nb_conductivity, 550.0, 700.0, epsabs=0.0, epsrel=1e-13)[0]
    assert ht.zr1nb_conductivity_integral(550.0, 700.0) == pytest.approx(numeric, rel=1e-12)


def test_specific_heats_positive_and_rising_in_normal_range() -> None:
    t = np.linspace(300.0, 2500.0, 100)
    cp = ht.uo2_specific_heat(t)
    assert np.all(cp > 0.0) and np.all(np.diff(cp) > 0.0)
    t_clad = np.linspace(300.0, 870.0, 50)  # alpha phase, below the transformation peak
    assert np.all(np.diff(ht.zr1nb_specific_heat(t_clad)) >= 0.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ht.uo2_conductivity(3500.0),
        lambda: ht.uo2_conductivity(np.array([500.0, 200.0])),
        lambda: ht.zr1nb_conductivity(2500.0),
        lambda: ht.uo2_specific_heat(100.0),
    ],
)
def test_property_out_of_range_raises(call) -> None:
    with pytest.raises(ValueError, match="temperature"):
        call()


# --------------------------------------------------------------------------------------------------
# Coolant side
# --------------------------------------------------------------------------------------------------


def test_dittus_boelter_hand_computed() -> None:
    re, pr = 5.0e5, 0.9
    hand_heating = 0.023 * re**0.8 * pr**0.4
    hand_cooling = 0.023 * re**0.8 * pr**0.3
    assert ht.dittus_boelter_nusselt(re, pr) == pytest.approx(hand_heating, rel=1e-14)
    assert ht.dittus_boelter_nusselt(re, pr, heating=False) == pytest.approx(
        hand_cooling, rel=1e-14
    )
    k, d_h = 0.55, 0.0106
    assert ht.heat_transfer_coefficient(hand_heating, k, d_h) == pytest.approx(
        hand_heating * k / d_h, rel=1e-14
    )


def test_hydraulic_diameter_from_unit_cell() -> None:
    p, d = VVER_PITCH, 2.0 * VVER_ROD.clad_outer_radius
    area = math.sqrt(3.0) / 4.0 * p**2 - math.pi * d**2 / 8.0  # triangle less half a rod
    wetted = math.pi * d / 2.0
    assert ht.hydraulic_diameter_triangular(p, d) == pytest.approx(4 * area / wetted, rel=1e-14)


def test_weisman_factor() -> None:
    x = VVER_PITCH / (2.0 * VVER_ROD.clad_outer_radius)
    assert ht.weisman_factor(x) == pytest.approx((0.026 * x - 0.006) / 0.023, rel=1e-14)
    with pytest.raises(ValueError, match="pitch_over_diameter"):
        ht.weisman_factor(1.8)


# --------------------------------------------------------------------------------------------------
# Node solver
# --------------------------------------------------------------------------------------------------


def test_constant_conductivity_gives_parabolic_results() -> None:
    q, t_b, h, h_gap, k_f, k_c = 20.0e3, 570.0, 4.0e4, 6.0e3, 3.0, 18.0
    g = VVER_ROD
    node = ht.steady_state_node(q, t_b, h, h_gap, g, fuel_conductivity=k_f, clad_conductivity=k_c)
    t_co = t_b + q / (2 * math.pi * g.clad_outer_radius * h)
    t_ci = t_co + q * math.log(g.clad_outer_radius / g.clad_inner_radius) / (2 * math.pi * k_c)
    t_fs = t_ci + q / (2 * math.pi * g.fuel_radius * h_gap)
    assert node.clad_surface == pytest.approx(t_co, rel=1e-14)
    assert node.clad_inner == pytest.approx(t_ci, rel=1e-14)
    assert node.fuel_surface == pytest.approx(t_fs, rel=1e-14)
    assert node.fuel_centre == pytest.approx(t_fs + q / (4 * math.pi * k_f), rel=1e-14)
    assert node.fuel_average == pytest.approx(t_fs + q / (8 * math.pi * k_f), rel=1e-14)
    # the same with the resistance functions
    assert node.fuel_average - node.fuel_surface == pytest.approx(
        q * ht.fuel_resistance_average(k_f), rel=1e-12
    )
    assert node.fuel_centre - node.fuel_surface == pytest.approx(
        q * ht.fuel_resistance_centre(k_f), rel=1e-12
    )
    assert node.clad_inner - node.clad_surface == pytest.approx(
        q * ht.clad_resistance(g.clad_inner_radius, g.clad_outer_radius, k_c), rel=1e-12
    )
    assert node.fuel_surface - node.clad_inner == pytest.approx(
        q * ht.gap_resistance(g.fuel_radius, h_gap), rel=1e-12
    )
    assert node.clad_surface - t_b == pytest.approx(
        q * ht.film_resistance(g.clad_outer_radius, h), rel=1e-12
    )


def test_constant_conductivity_as_callable_matches_numeric_path() -> None:
    args = (20.0e3, 570.0, 4.0e4, 6.0e3, VVER_ROD)
    exact = ht.steady_state_node(*args, fuel_conductivity=3.0, clad_conductivity=18.0)
    numeric = ht.steady_state_node(
        *args, fuel_conductivity=lambda _t: 3.0, clad_conductivity=lambda _t: 18.0
    )
    np.testing.assert_allclose(numeric, exact, rtol=1e-10)


def test_solver_satisfies_conduction_integrals() -> None:
    q = 25.0e3
    node = ht.steady_state_node(q, 580.0, 4.0e4, 5.0e3, VVER_ROD)
    fuel = quad(ht.uo2_conductivity, node.fuel_surface, node.fuel_centre, epsrel=1e-12)[0]
    assert fuel == pytest.approx(q / (4 * math.pi), rel=1e-9)
    g = VVER_ROD
    clad = quad(ht.zr1nb_conductivity, node.clad_surface, node.clad_inner, epsrel=1e-12)[0]
    expected = q * math.log(g.clad_outer_radius / g.clad_inner_radius) / (2 * math.pi)
    assert clad == pytest.approx(expected, rel=1e-9)
    # volume average: integral of T over s = r^2/R^2 along the conduction-integral profile
    s_nodes, weights = np.polynomial.legendre.leggauss(40)
    s = 0.5 * (s_nodes + 1.0)
    profile = [
        ht.steady_state_node(
            q * (1.0 - si), node.fuel_surface, 1e30, 1e30, VVER_ROD, clad_conductivity=1e30
        ).fuel_centre
        for si in s
    ]
    assert 0.5 * np.dot(weights, profile) == pytest.approx(node.fuel_average, abs=1e-6)


def test_zero_power_is_isothermal() -> None:
    node = ht.steady_state_node(0.0, 560.0, 4.0e4, 5.0e3, VVER_ROD)
    assert node == (560.0,) * 5


def test_melting_raises() -> None:
    with pytest.raises(ValueError, match="3120"):
        ht.steady_state_node(90.0e3, 600.0, 4.0e4, 2.0e3, VVER_ROD)


@settings(max_examples=60, deadline=None)
@given(
    q=st.floats(min_value=1.0e3, max_value=40.0e3),
    t_b=st.floats(min_value=290.0, max_value=620.0),
    h=st.floats(min_value=1.0e4, max_value=1.0e5),
    h_gap=st.floats(min_value=3.0e3, max_value=2.0e4),
)
def test_monotonicity(q: float, t_b: float, h: float, h_gap: float) -> None:
    """Temperatures rise inward, rise with q', and the fuel cools when the gap conducts better."""
    node = ht.steady_state_node(q, t_b, h, h_gap, VVER_ROD)
    chain = (t_b, *node[:3], node.fuel_average, node.fuel_centre)
    assert all(a < b for a, b in itertools.pairwise(chain))
    hotter = ht.steady_state_node(1.05 * q, t_b, h, h_gap, VVER_ROD)
    assert all(b > a for a, b in zip(node, hotter, strict=True))
    better_gap = ht.steady_state_node(q, t_b, h, 1.2 * h_gap, VVER_ROD)
    assert better_gap.fuel_average < node.fuel_average
    assert better_gap.fuel_centre < node.fuel_centre


def _vver_average_node(h_gap: float) -> ht.NodeTemperatures:
    """VVER-1000 core-average node (plants-research.md §1.2-1.3): 3000 MWt over 50 856 rods of
    3.53 m; coolant 15.7 MPa, mean of 289 and 319 °C; 17 600 kg/s over the lattice flow area."""
    q = 3000.0e6 / (50_856 * 3.53)
    p, t_b = 15.7e6, 273.15 + 0.5 * (289.0 + 319.0)
    d = 2.0 * VVER_ROD.clad_outer_radius
    flow_area = 50_856 * (math.sqrt(3.0) / 2.0 * VVER_PITCH**2 - math.pi * d**2 / 4.0)
    d_h = ht.hydraulic_diameter_triangular(VVER_PITCH, d)
    re = 17_600.0 / flow_area * d_h / water.viscosity_pt(p, t_b)
    nu = ht.dittus_boelter_nusselt(re, water.prandtl_pt(p, t_b))
    h = ht.heat_transfer_coefficient(nu, water.conductivity_pt(p, t_b), d_h)
    return ht.steady_state_node(q, t_b, h, h_gap, VVER_ROD)


@pytest.mark.parametrize("h_gap", [5.0e3, 1.0e4])
def test_vver1000_average_fuel_temperature_plausible(h_gap: float) -> None:
    """Sanity band, not validation: a fresh-fuel core-average pellet at 167 W/cm sits at roughly
    800-1000 K for gap conductances of 5-10 kW/m2/K (Todreas & Kazimi ch. 8 worked examples give
    similar values for PWR rods)."""
    node = _vver_average_node(h_gap)
    assert 800.0 < node.fuel_average < 1000.0
    assert node.fuel_centre < 1400.0

"""Tests of nppsim.physics.steam_generator: geometry, design UA, design point, conservation."""

from __future__ import annotations

import math

import CoolProp.CoolProp as CP
import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp

from nppsim.physics import pressurizer as pz
from nppsim.physics import steam_generator as sg
from nppsim.physics import thermal_mixing as tm
from nppsim.physics import turbine as tb

GEOM = sg.SteamGeneratorGeometry(
    diameter=4.0,
    length=13.84,
    bundle_volume=24.46,
    bundle_bottom=0.2,
    bundle_top=2.2,
    collector_volume=7.0,
)
# Design point (plants-research.md §1.2, §1.4; vver1000-v446.toml plant sections).
POWER = 750e6  # [W]
P_PRIMARY = 15.7e6  # [Pa]
P_STEAM = 6.27e6  # [Pa]
T_HOT, T_COLD = 320.0 + 273.15, 289.0 + 273.15  # [K]
T_FEED = 220.0 + 273.15  # [K]
STEAM_DESIGN = 1470e3 / 3600  # [kg/s]
N_NODES = 4
PRIMARY_MASS = 20.6 * 700.0  # tubes + collectors [kg]

_W = CP.AbstractState("IF97", "Water")


def _t_ph(p: float, h: float) -> float:
    _W.update(CP.HmassP_INPUTS, h, p)
    return _W.T()


def test_segment_area_against_quadrature_of_chord() -> None:
    for z in (0.0, 0.3, 1.0, 2.0, 3.1, 4.0):
        ref = quad(lambda s: 2.0 * math.sqrt(max(s * (4.0 - s), 0.0)), 0.0, z)[0]
        assert sg.segment_area(z, 4.0) == pytest.approx(ref, rel=1e-9, abs=1e-12)
    assert sg.segment_area(2.0, 4.0) == pytest.approx(2.0 * math.pi)


def test_level_volume_round_trip_and_monotonic() -> None:
    levels = np.linspace(0.0, 4.0, 81)
    vols = np.array([sg.liquid_volume_at_level(z, GEOM) for z in levels])
    assert np.all(np.diff(vols) > 0.0)
    assert vols[-1] == pytest.approx(GEOM.free_volume, rel=1e-12)
    for z, v in zip(levels, vols, strict=True):
        assert sg.level_from_liquid_volume(v, GEOM) == pytest.approx(z, abs=1e-9)


def test_design_ua_tends_to_lmtd_and_reproduces_outlet() -> None:
    t_sat = pz.saturation_properties(P_STEAM).temperature
    lmtd = (T_HOT - T_COLD) / math.log((T_HOT - t_sat) / (T_COLD - t_sat))
    ua4, m = sg.design_ua(POWER, T_HOT, T_COLD, P_PRIMARY, t_sat, 4)
    ua64, _ = sg.design_ua(POWER, T_HOT, T_COLD, P_PRIMARY, t_sat, 64)
    assert ua4 > ua64 > POWER / lmtd * 0.97  # mixed nodes need more UA than counterflow
    assert ua64 == pytest.approx(POWER / lmtd, rel=0.03)  # c_p varies ~10 % over 289-320 degC
    _W.update(CP.PT_INPUTS, P_PRIMARY, T_HOT)
    h_hot = _W.hmass()
    _W.update(CP.PT_INPUTS, P_PRIMARY, T_COLD)
    assert m == pytest.approx(POWER / (h_hot - _W.hmass()), rel=1e-12)


def _design() -> dict[str, float]:
    s = pz.saturation_properties(P_STEAM)
    ua, m_primary = sg.design_ua(POWER, T_HOT, T_COLD, P_PRIMARY, s.temperature, N_NODES)
    h_feed = tb.feedwater_enthalpy(T_FEED, P_STEAM + 0.7e6)
    steam = POWER / (s.h_vapour - h_feed)
    _W.update(CP.PT_INPUTS, P_PRIMARY, T_HOT)
    return {
        "ua": ua,
        "m_primary": m_primary,
        "h_feed": h_feed,
        "steam": steam,
        "h_hot": _W.hmass(),
        "t_sat": s.temperature,
    }


def test_design_point_figures_are_consistent() -> None:
    d = _design()
    assert d["steam"] == pytest.approx(STEAM_DESIGN, rel=1e-3)  # 1470 t/h per SG
    assert d["m_primary"] == pytest.approx(4400.0, rel=0.03)  # per-loop flow of PR §1.2
    assert d["ua"] / 6115.0 == pytest.approx(6.4e3, rel=0.05)  # U over the 6115 m2 area


def _simulate(t_end: float, p_start: float, t_nodes_start: float):
    """Primary chain + secondary pool, fixed primary inlet, feed and a choked steam valve."""
    d = _design()
    free = GEOM.free_volume
    level0 = 2.4
    m0, u0 = pz.mass_energy_from_level(p_start, sg.liquid_volume_at_level(level0, GEOM), free)
    _W.update(CP.PT_INPUTS, P_PRIMARY, t_nodes_start)
    h_nodes0 = np.full(N_NODES, _W.hmass())
    guess = [p_start]

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        h = y[:N_NODES]
        s = pz.state_from_mass_energy(y[N_NODES], y[N_NODES + 1], free, guess[0])
        guess[0] = s.pressure
        t_primary = np.array([_t_ph(P_PRIMARY, x) for x in h])
        cover = sg.bundle_coverage(sg.level_from_liquid_volume(s.liquid_volume, GEOM), 0.2, 2.2)
        q = sg.node_heat_flows(t_primary, s.temperature, d["ua"] * cover)
        dh = tm.chain_enthalpy_derivatives(
            d["m_primary"], d["h_hot"], 0.0, h, PRIMARY_MASS / N_NODES, -q
        )
        steam = tb.choked_steam_flow(1.0, s.pressure, d["steam"], P_STEAM)
        dm, du = sg.secondary_derivatives(q.sum(), d["steam"], d["h_feed"], steam, s.h_vapour)
        e_in = q.sum() + d["steam"] * d["h_feed"] - steam * s.h_vapour
        return np.concatenate((dh, [dm, du, d["steam"] - steam, e_in]))

    y0 = np.concatenate((h_nodes0, [m0, u0, 0.0, 0.0]))
    sol = solve_ivp(
        rhs,
        (0.0, t_end),
        y0,
        method="BDF",
        rtol=1e-9,
        atol=np.concatenate((np.full(N_NODES, 1e-3), [1e-4, 1.0, 1e-4, 1.0])),
    )
    assert sol.success
    return sol, d, (m0, u0)


def test_design_point_is_reached_from_a_perturbed_start() -> None:
    sol, d, (m0, u0) = _simulate(1500.0, p_start=6.0e6, t_nodes_start=300.0 + 273.15)
    y = sol.y[:, -1]
    s = pz.state_from_mass_energy(y[N_NODES], y[N_NODES + 1], GEOM.free_volume, P_STEAM)
    assert s.pressure == pytest.approx(P_STEAM, abs=500.0)
    assert _t_ph(P_PRIMARY, y[N_NODES - 1]) == pytest.approx(T_COLD, abs=0.02)
    heat = d["m_primary"] * (d["h_hot"] - y[N_NODES - 1])
    assert heat == pytest.approx(POWER, rel=5e-4)
    # Conservation over the whole transient, against the quadratures of the boundary flows.
    assert y[N_NODES] - m0 == pytest.approx(y[N_NODES + 2], abs=1e-3)
    assert y[N_NODES + 1] - u0 == pytest.approx(y[N_NODES + 3], rel=1e-8, abs=1e3)


def test_operating_ua() -> None:
    assert sg.operating_ua(39e6, 4300.0, 4300.0) == pytest.approx(39e6)
    assert sg.operating_ua(39e6, 4300.0, 4300.0, coverage=0.5) == pytest.approx(19.5e6)
    half = sg.operating_ua(39e6, 2150.0, 4300.0, primary_share=0.25)
    assert half == pytest.approx(39e6 / (0.25 * 2.0**0.8 + 0.75))
    assert sg.operating_ua(39e6, 0.0, 4300.0) > 0.0  # flow floor keeps some heat transfer


def test_bundle_coverage() -> None:
    assert sg.bundle_coverage(2.4, 0.2, 2.2) == 1.0
    assert sg.bundle_coverage(1.2, 0.2, 2.2) == pytest.approx(0.5)
    assert sg.bundle_coverage(0.1, 0.2, 2.2) == 0.0


# -- swell and shrink, the narrow-range level (issue 8) -------------------------------------------
def test_void_grows_with_heat_and_falls_with_pressure() -> None:
    """V_v = t_r Q / (h_fg rho_g): proportional to the heat; at a higher pressure (denser steam)
    less void for the same heat (shrink), at a lower pressure more (swell)."""

    def props(p: float) -> tuple[float, float]:
        w = CP.AbstractState("IF97", "Water")
        w.update(CP.PQ_INPUTS, p, 1.0)
        hg, rg = w.hmass(), w.rhomass()
        w.update(CP.PQ_INPUTS, p, 0.0)
        return hg - w.hmass(), rg

    h1, r1 = props(6.27e6)
    v = sg.void_equilibrium(750e6, h1, r1, 1.5)
    assert v == pytest.approx(1.5 * 750e6 / (h1 * r1))
    assert sg.void_equilibrium(375e6, h1, r1, 1.5) == pytest.approx(v / 2)
    h2, r2 = props(6.8e6)
    assert sg.void_equilibrium(750e6, h2, r2, 1.5) < 0.95 * v
    assert sg.void_equilibrium(-1e6, h1, r1, 1.5) == 0.0


def test_narrow_range_reads_the_water_between_its_taps() -> None:
    """No void: the reading is the level itself within the span (clipped outside); with a void
    fraction alpha the span holds (1 - alpha) of the mixture, so in a vessel of constant
    cross-section the reading exceeds the collapsed level by alpha (z_lo - z_bottom)."""
    lo, hi = 1.9, 3.3
    assert sg.narrow_range_level(2.5, 0.0, lo, hi) == pytest.approx(2.5)
    assert sg.narrow_range_level(1.0, 0.0, lo, hi) == lo
    assert sg.narrow_range_level(4.0, 0.0, lo, hi) == hi
    z_b, collapsed, alpha = 0.2, 2.4, 0.2
    mixture = z_b + (collapsed - z_b) / (1 - alpha)
    reading = sg.narrow_range_level(mixture, alpha, lo, hi)
    assert reading == pytest.approx(collapsed + alpha * (lo - z_b))
    assert sg.pool_void_fraction(20.0, 80.0, 10.0) == pytest.approx(20.0 / 90.0)
    assert sg.pool_void_fraction(0.0, 5.0, 10.0) == 0.0

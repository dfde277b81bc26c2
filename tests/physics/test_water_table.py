"""Tests of the compiled (p, h) water table (nppsim.physics.water_table) against CoolProp IF97.

The bounds asserted here are the ones stated in docs/models/water.md: about twice the largest
deviation measured over 270,000 random points by ``benchmarks/water.py --points 20000 --seeds 6``
(this test draws 1,500 in the same proportions: uniform, above 16.5 MPa, near saturation).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from nppsim.physics import saturation, vessel, water, water_table
from nppsim.physics.tables import concatenate_tables
from nppsim.physics.water_table import (
    LIQUID,
    NEAR_CRITICAL,
    OUTSIDE,
    TWO_PHASE,
    VAPOUR,
    ph_all,
    ph_properties,
    ph_state,
    ph_transport,
)

SEED = 97
N_POINTS = 1500
MPA = 1e6

# Largest error allowed per band: T absolute [K]; rho, cp, mu, k relative; the derivatives
# relative to the band's largest |value| (a derivative through zero has no relative error).
BOUNDS: dict[str, dict[str, float]] = {
    "liquid p<=16.5 MPa": {
        "T": 2e-3,
        "rho": 1.5e-5,
        "cp": 1.5e-3,
        "mu": 6e-4,
        "k": 5e-4,
        "drho_dh": 3e-3,
        "drho_dp": 5e-3,
    },
    "liquid p>16.5 MPa": {
        "T": 2e-3,
        "rho": 2e-5,
        "cp": 6e-3,
        "mu": 1e-3,
        "k": 5e-4,
        "drho_dh": 4e-3,
        "drho_dp": 2e-2,
    },
    "vapour p<=16.5 MPa": {
        "T": 2e-3,
        "rho": 7e-5,
        "cp": 3e-3,
        "mu": 1e-5,
        "k": 8e-4,
        "drho_dh": 2.5e-3,
        "drho_dp": 4e-3,
    },
    "vapour p>16.5 MPa": {
        "T": 3e-3,
        "rho": 3e-5,
        "cp": 3e-3,
        "mu": 1.2e-5,
        "k": 8e-4,
        "drho_dh": 4e-3,
        "drho_dp": 4e-2,
    },
    "two-phase": {"T": 2e-4, "rho": 4e-4, "drho_dh": 8e-4, "drho_dp": 8e-4},
    # derivatives not compared: the reference's finite differences may straddle IF97's step
    "near IF97 region boundaries": {"T": 7e-3, "rho": 7e-5, "cp": 5e-3, "mu": 6e-5, "k": 1e-3},
}


@pytest.fixture(scope="module")
def table() -> np.ndarray:
    return water_table.ph_table()


@pytest.fixture(scope="module")
def sample(table: np.ndarray) -> dict:
    """Random points with the CoolProp IF97 reference and the table's values.

    As in benchmarks/water.py: n points over the whole table (log-uniform in p, uniform in h),
    n/2 at 16-25 MPa (region 3 and above the critical pressure), n/2 within 30 kJ/kg outside the
    saturation lines and n/4 within 30 kJ/kg inside them.
    """
    rng = np.random.default_rng(SEED)
    n = N_POINTS * 4 // 9
    parts_p = [np.exp(rng.uniform(math.log(0.1 * MPA), math.log(25 * MPA), n))]
    parts_h = [rng.uniform(0.05e6, 3.2e6, n)]
    parts_p.append(rng.uniform(16 * MPA, 25 * MPA, n // 2))
    parts_h.append(rng.uniform(0.05e6, 3.2e6, n // 2))
    for m, sign in ((n // 2, 1.0), (n // 4, -1.0)):
        pp = np.exp(rng.uniform(math.log(0.1 * MPA), math.log(21 * MPA), m))
        side = rng.integers(0, 2, m)
        dist = sign * rng.uniform(0.0, 30e3, m)
        parts_p.append(pp)
        parts_h.append(
            np.array(
                [
                    water.saturated_liquid_enthalpy(float(a)) - d
                    if s == 0
                    else water.saturated_vapour_enthalpy(float(a)) + d
                    for a, s, d in zip(pp, side, dist, strict=True)
                ]
            )
        )
    p = np.concatenate(parts_p)
    h = np.concatenate(parts_h)
    refs = [water.reference_ph(float(a), float(b)) for a, b in zip(p, h, strict=True)]
    ref = np.array([r[:7] for r in refs]).T
    phase = np.array([r.phase for r in refs])
    near = np.array(
        [
            water.region_boundary_distance(float(a), r.temperature) < 2.0
            for a, r in zip(p, refs, strict=True)
        ]
    )
    return {
        "p": p,
        "h": h,
        "ref": ref,
        "phase": phase,
        "near": near,
        "got": ph_properties(table, p, h),
    }


def _band(sample: dict, name: str) -> np.ndarray:
    p, phase, near, status = sample["p"], sample["phase"], sample["near"], sample["got"].status
    ok = status >= 0
    low = p <= 16.5 * MPA
    liquid = (phase == "liquid") | ((phase == "supercritical") & (status == LIQUID))
    vapour = (phase == "vapour") | ((phase == "supercritical") & (status == VAPOUR))
    return {
        "liquid p<=16.5 MPa": liquid & low & ok,
        "liquid p>16.5 MPa": liquid & ~low & ok & ~near,
        "vapour p<=16.5 MPa": vapour & low & ok,
        "vapour p>16.5 MPa": vapour & ~low & ok & ~near,
        "two-phase": (phase == "two-phase") & ok,
        "near IF97 region boundaries": near & ok & (phase != "two-phase"),
    }[name]


@pytest.mark.parametrize("band", list(BOUNDS))
def test_table_matches_coolprop_if97_within_stated_bounds(sample: dict, band: str) -> None:
    m = _band(sample, band)
    assert m.sum() >= (5 if band.startswith("near") else 40), "too few points in the band"
    got, ref = sample["got"], sample["ref"]
    columns = {
        "T": (got.temperature, 0),
        "rho": (got.density, 1),
        "drho_dh": (got.drho_dh, 2),
        "drho_dp": (got.drho_dp, 3),
        "cp": (got.cp, 4),
        "mu": (got.viscosity, 5),
        "k": (got.conductivity, 6),
    }
    errors = {}
    for name, bound in BOUNDS[band].items():
        value, row = columns[name]
        if name == "T":
            err = np.max(np.abs(value[m] - ref[row][m]))
        elif name.startswith("drho"):
            err = np.max(np.abs(value[m] - ref[row][m])) / np.max(np.abs(ref[row][m]))
        else:
            err = np.max(np.abs(value[m] / ref[row][m] - 1.0))
        errors[name] = err
        assert err <= bound, f"{band}: {name} error {err:.2e} > {bound:.1e}"
    print(band, {k: f"{v:.1e}" for k, v in errors.items()})


def test_status_is_the_phase_of_the_point(sample: dict) -> None:
    p, h, phase, status = sample["p"], sample["h"], sample["phase"], sample["got"].status
    grid = water_table.PhGrid()
    below = p < grid.p_split
    assert np.all(status[below & (phase == "liquid")] == LIQUID)
    assert np.all(status[below & (phase == "vapour")] == VAPOUR)
    assert np.all(status[below & (phase == "two-phase")] == TWO_PHASE)
    # from p_split up: liquid-like below h_f(p_split), vapour-like above h_vapour_high, and the
    # near-critical gap between
    h_l = water.saturated_liquid_enthalpy(grid.p_split)
    above = ~below
    assert np.all(status[above & (h <= h_l)] == LIQUID)
    assert np.all(status[above & (h >= grid.h_vapour_high)] == VAPOUR)
    assert np.all(status[above & (h > h_l) & (h < grid.h_vapour_high)] == NEAR_CRITICAL)
    assert np.all(status[(phase == "liquid") & (status >= 0)] == LIQUID)
    assert np.all(status[(phase == "vapour") & (status >= 0)] == VAPOUR)


def _nan_everywhere(values: tuple) -> bool:
    return all(math.isnan(v) for v in values[:-1])


@pytest.mark.parametrize(
    ("p", "h", "status"),
    [
        (0.09 * MPA, 0.3e6, OUTSIDE),
        (25.5 * MPA, 0.3e6, OUTSIDE),
        (15 * MPA, 0.04e6, OUTSIDE),
        (1 * MPA, 3.3e6, OUTSIDE),
        (math.nan, 1e6, OUTSIDE),
        (15 * MPA, math.nan, OUTSIDE),
        (23 * MPA, 2.0e6, NEAR_CRITICAL),  # pseudo-critical band
        (21.5 * MPA, 1.95e6, NEAR_CRITICAL),  # liquid above h_f(21 MPa), below critical pressure
        (22.0 * MPA, 2.2e6, NEAR_CRITICAL),
    ],
)
def test_outside_the_table_every_value_is_nan_with_a_status(
    table: np.ndarray, p: float, h: float, status: int
) -> None:
    for kernel in (ph_state, ph_transport, ph_all):
        result = kernel(table, 0, p, h)
        assert result[-1] == status
        assert _nan_everywhere(result)


def test_edges_of_the_table_are_inside(table: np.ndarray) -> None:
    for p in (0.1 * MPA, 21 * MPA, 25 * MPA):
        for h in (0.05e6, 3.2e6):
            t, rho, _, _, status = ph_state(table, 0, p, h)
            assert status in (LIQUID, VAPOUR)
            ref = water.reference_ph(p, h)
            assert t == pytest.approx(ref.temperature, abs=5e-3)
            assert rho == pytest.approx(ref.density, rel=1e-4)


def test_two_phase_is_the_homogeneous_mixture_and_continuous(table: np.ndarray) -> None:
    p = 6.27 * MPA
    h_f, h_g = water.saturated_liquid_enthalpy(p), water.saturated_vapour_enthalpy(p)
    rho_f, rho_g = water.saturated_liquid_density(p), water.saturated_vapour_density(p)
    for x in (0.01, 0.3, 0.9):
        t, rho, drho_dh, _, status = ph_state(table, 0, p, h_f + x * (h_g - h_f))
        assert status == TWO_PHASE
        assert t == pytest.approx(water.saturation_temperature(p), abs=1e-4)
        assert rho == pytest.approx(1.0 / ((1 - x) / rho_f + x / rho_g), rel=1e-5)
        assert drho_dh < 0.0
    # every returned value is continuous across both saturation lines (kinks, no steps): find
    # the table's own saturation line by bisection on the status, then look just either side
    for h_sat in (h_f, h_g):
        lo, hi = h_sat - 20.0, h_sat + 20.0
        status_lo = ph_state(table, 0, p, lo)[-1]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if ph_state(table, 0, p, mid)[-1] == status_lo:
                lo = mid
            else:
                hi = mid
        assert abs(lo - h_sat) < 1.0  # the table's saturation line is within 1 J/kg of IF97's
        below = ph_all(table, 0, p, lo - 1e-6)
        above = ph_all(table, 0, p, hi + 1e-6)
        assert {below[-1], above[-1]} in ({LIQUID, TWO_PHASE}, {TWO_PHASE, VAPOUR})
        for i in (0, 1, 4, 5, 6):
            assert above[i] == pytest.approx(below[i], rel=1e-9)
    # transport properties in the two-phase region: linear in quality between saturated values
    mid = ph_transport(table, 0, p, 0.5 * (h_f + h_g))
    ends = [ph_transport(table, 0, p, v) for v in (h_f, h_g)]
    assert mid[1] == pytest.approx(0.5 * (ends[0][1] + ends[1][1]), rel=1e-6)


def test_derivatives_are_those_of_the_interpolant(sample: dict, table: np.ndarray) -> None:
    """drho/dh and drho/dp equal finite differences of the table's own density."""
    got = sample["got"]
    idx = np.flatnonzero((got.status == LIQUID) | (got.status == VAPOUR))[:300]
    p, h = sample["p"][idx], sample["h"][idx]
    dh = 1.0
    dp = 1e-7 * p
    rho_h = (ph_properties(table, p, h + dh).density - ph_properties(table, p, h - dh).density) / (
        2 * dh
    )
    rho_p = (ph_properties(table, p + dp, h).density - ph_properties(table, p - dp, h).density) / (
        2 * dp
    )
    scale_h = np.max(np.abs(got.drho_dh[idx]))
    scale_p = np.abs(got.drho_dp[idx]) + 1e-3 * np.max(np.abs(got.drho_dp[idx]))
    assert np.max(np.abs(rho_h - got.drho_dh[idx])) / scale_h < 1e-5
    assert np.max(np.abs(rho_p - got.drho_dp[idx]) / scale_p) < 1e-3


def _max_derivative_step(table: np.ndarray, p: float, h0: float, h1: float) -> float:
    """Largest change of drho/dh between neighbouring points of a fine sweep, relative."""
    h = np.linspace(h0, h1, 40001)
    d = ph_properties(table, p, h).drho_dh
    return float(np.max(np.abs(np.diff(d))) / np.max(np.abs(d)))


def test_density_slope_has_no_steps_along_h(table: np.ndarray) -> None:
    """C1 in h: the sweep crosses every node of the liquid branch; its slope moves smoothly.

    The same check on a table interpolated linearly in h finds the steps at its nodes, so it
    can fail.
    """
    p = 15.7 * MPA
    h_f = water.saturated_liquid_enthalpy(p)
    smooth = _max_derivative_step(table, p, 0.06e6, h_f - 1.0)
    linear = water_table.ph_table(water_table.PhGrid(order_h=1))
    kinked = _max_derivative_step(linear, p, 0.06e6, h_f - 1.0)
    assert smooth < 2e-3
    assert kinked > 10 * smooth


def test_density_slope_has_no_steps_along_p(table: np.ndarray) -> None:
    """C1 in p at fixed h below p_split (liquid at 1.2 MJ/kg from 9 to 20.9 MPa)."""
    p = np.linspace(9 * MPA, 20.9 * MPA, 40001)
    d = ph_properties(table, p, 1.2e6).drho_dp
    assert np.max(np.abs(np.diff(d))) / np.max(np.abs(d)) < 1e-4


def test_at_p_split_steps_are_within_the_stated_bounds(table: np.ndarray) -> None:
    """At p_split the table changes grid (docs/models/water.md): liquid values are continuous,
    the vapour branch is re-gridded (steps of the size of the interpolation error), and
    (d rho/d p)_h steps by up to a few per cent next to the saturation line."""
    p = water_table.PhGrid().p_split
    worst: dict[tuple[int, str], float] = {}
    for h in np.linspace(0.05e6, 3.2e6, 1500):
        below = ph_all(table, 0, p * (1 - 1e-13), h)
        at = ph_all(table, 0, p, h)
        if at[-1] < 0:
            continue
        assert below[-1] == at[-1]
        for i, name in ((0, "T"), (1, "rho"), (3, "drho_dp")):
            err = abs(at[i] - below[i]) if name == "T" else abs(at[i] / below[i] - 1.0)
            worst[at[-1], name] = max(worst.get((at[-1], name), 0.0), err)
    assert worst[LIQUID, "T"] < 1e-9 and worst[LIQUID, "rho"] < 1e-11
    assert worst[VAPOUR, "T"] < 2e-3 and worst[VAPOUR, "rho"] < 1e-5
    assert worst[LIQUID, "drho_dp"] < 0.05 and worst[VAPOUR, "drho_dp"] < 0.01


def test_table_at_an_offset_gives_the_same_bits(table: np.ndarray) -> None:
    sat = saturation.saturation_table()
    junk = np.full(37, 7.0)
    packed, (off_sat, off_ph) = concatenate_tables(sat, table, start=37)
    vector = np.concatenate((junk, packed))
    for p, h in ((15.7 * MPA, 1.3e6), (6 * MPA, 2.9e6), (1 * MPA, 1.5e6)):
        assert ph_all(vector, off_ph, p, h) == ph_all(table, 0, p, h)
    assert off_sat == 37


def test_python_backend_gives_the_compiled_results(table: np.ndarray) -> None:
    """With NUMBA_DISABLE_JIT=1 the same functions run as plain Python and agree (the (p, h),
    saturation and vessel kernels)."""
    points = [(15.7 * MPA, 1.3e6), (6.27 * MPA, 2.0e6), (0.2 * MPA, 3.0e6), (23 * MPA, 1.2e6)]
    script = f"""
import json
from nppsim.physics import saturation as s, vessel as v, water_table as w
from nppsim.physics.tables import concatenate_tables
t, (o_s, o_p) = concatenate_tables(s.saturation_table(), w.ph_table())
out = [list(w.ph_all(t, o_p, p, h)) for p, h in {points!r}]
out.append(list(s.saturation(t, o_s, 6.27e6)))
out.append(list(v.vessel_state(t, o_s, o_p, 3.0e4, 3.0e4 * 1.2e6, 79.0, 15.7e6)))
out.append(list(v.vessel_state(t, o_s, o_p, 79.0 * 650.0, 79.0 * 650.0 * 1.45e6, 79.0, 1e7)))
print(json.dumps(out))
"""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    python = json.loads(out.stdout)
    tab, (o_s, o_p) = concatenate_tables(saturation.saturation_table(), table)
    compiled = [ph_all(tab, o_p, p, h) for p, h in points]
    compiled.append(saturation.saturation(tab, o_s, 6.27e6))
    compiled.append(vessel.vessel_state(tab, o_s, o_p, 3.0e4, 3.0e4 * 1.2e6, 79.0, 15.7e6))
    compiled.append(
        vessel.vessel_state(tab, o_s, o_p, 79.0 * 650.0, 79.0 * 650.0 * 1.45e6, 79.0, 1e7)
    )
    for row, ref in zip(python, compiled, strict=True):
        assert row[-1] == ref[-1]
        np.testing.assert_allclose(row[:-1], ref[:-1], rtol=1e-12)


def test_former_api_build_table_and_lookup(table: np.ndarray) -> None:
    tab = water_table.build_table()
    h = np.array([1.1e6, 1.3e6, 1.5e6])
    t, rho, drho = water_table.lookup(tab, 15.7 * MPA, h)
    for i, hi in enumerate(h):
        ref = ph_state(table, 0, 15.7 * MPA, hi)
        assert (t[i], rho[i], drho[i]) == (ref[0], ref[1], ref[2])
    with pytest.raises(ValueError, match="outside"):
        water_table.lookup(tab, 15.7 * MPA, np.array([1.3e6, 3.5e6]))
    with pytest.raises(ValueError, match="near-critical"):
        water_table.lookup(tab, 23 * MPA, np.array([2.0e6]))
    with pytest.raises(ValueError, match="exceeds the water table"):
        water_table.build_table(p_max=30 * MPA)

"""Tests of the compiled saturation-line and isentropic-drop tables (nppsim.physics.saturation).

References: CoolProp IF97 (values at PQ inputs; derivatives by central differences of 1e-6 p).
The bounds are those stated in docs/models/water.md (about twice the largest deviation measured
over 20,000 random pressures).
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from nppsim.physics import saturation, turbine, water
from nppsim.physics.saturation import (
    OUTSIDE,
    isentropic_drop,
    isentropic_drop_table,
    isentropic_drops,
    saturation_table,
    saturation_temperature,
    saturation_values,
)

MPA = 1e6
NAMES = ("T", "rho_f", "rho_g", "h_f", "h_g", "u_f", "u_g")

# (band, p_lo, p_hi, bound on values (relative), bound on d/dp (relative, floor 1 % of the
# band's largest |value|), or None: not compared, see the test of the 21.04 MPa step)
BANDS = [
    ("1 kPa-16.2 MPa", 1e3, 16.2 * MPA, 1e-6, 1e-3),
    ("smoothed IF97 step at 16.53 MPa", 16.2 * MPA, 16.9 * MPA, 1.2e-4, 1e-2),
    ("16.9-20.7 MPa", 16.9 * MPA, 20.7 * MPA, 1e-5, 6e-3),
    ("smoothed IF97 step at 21.04 MPa", 20.7 * MPA, 21.4 * MPA, 2.5e-3, None),
    ("21.4-21.85 MPa", 21.4 * MPA, 21.85 * MPA, 5e-6, 1e-3),
]


def _coolprop(p: float) -> np.ndarray:
    """IF97 saturation values at p, with u = h - p/rho (its definition; see the module doc)."""
    rho_f, rho_g = water.saturated_liquid_density(p), water.saturated_vapour_density(p)
    h_f, h_g = water.saturated_liquid_enthalpy(p), water.saturated_vapour_enthalpy(p)
    t = water.saturation_temperature(p)
    return np.array([t, rho_f, rho_g, h_f, h_g, h_f - p / rho_f, h_g - p / rho_g])


@pytest.fixture(scope="module")
def table() -> np.ndarray:
    return saturation_table()


@pytest.mark.parametrize(("band", "p_lo", "p_hi", "bound", "dbound"), BANDS)
def test_saturation_matches_coolprop_if97(
    table: np.ndarray, band: str, p_lo: float, p_hi: float, bound: float, dbound: float | None
) -> None:
    rng = np.random.default_rng(zlib.crc32(band.encode()))
    p = np.exp(rng.uniform(math.log(p_lo), math.log(p_hi), 400))
    # a central difference straddling one of CoolProp's steps is no derivative
    for t_jump in saturation.IF97_JUMP_TEMPERATURES:
        p = p[np.abs(p - water.saturation_pressure(t_jump)) > 3e-6 * p]
    got = saturation_values(table, p)
    assert np.all(got.status == 0)
    values = np.array(got[:7])
    slopes = np.array(got[7:14])
    ref = np.array([_coolprop(float(x)) for x in p]).T
    dref = np.array(
        [(_coolprop(x * (1 + 1e-6)) - _coolprop(x * (1 - 1e-6))) / (2e-6 * x) for x in p]
    ).T
    for k, name in enumerate(NAMES):
        err = np.max(np.abs(values[k] / ref[k] - 1.0))
        assert err <= bound, f"{band}: {name} {err:.2e} > {bound:.1e}"
        if dbound is not None:
            scale = np.abs(dref[k]) + 1e-2 * np.max(np.abs(dref[k]))
            derr = np.max(np.abs(slopes[k] - dref[k]) / scale)
            assert derr <= dbound, f"{band}: d{name}/dp {derr:.2e} > {dbound:.1e}"


def test_derivatives_are_those_of_the_interpolant(table: np.ndarray) -> None:
    """Including the smoothed 21.04 MPa zone, where CoolProp's own slope is erratic."""
    p = np.exp(np.linspace(math.log(2e3), math.log(21.8 * MPA), 3001))
    got = saturation_values(table, p)
    up = saturation_values(table, p * (1 + 1e-7))
    down = saturation_values(table, p * (1 - 1e-7))
    for k in range(7):
        fd = (up[k] - down[k]) / (2e-7 * p)
        scale = np.abs(got[7 + k]) + 1e-3 * np.max(np.abs(got[7 + k]))
        assert np.max(np.abs(fd - got[7 + k]) / scale) < 1e-5, NAMES[k]


def test_internal_energy_is_h_minus_pv_exactly(table: np.ndarray) -> None:
    p = np.geomspace(1e3, 21.8 * MPA, 500)
    got = saturation_values(table, p)
    np.testing.assert_allclose(got.u_f, got.h_f - p / got.rho_f, rtol=1e-14)
    np.testing.assert_allclose(got.u_g, got.h_g - p / got.rho_g, rtol=1e-14)


def test_saturation_temperature_kernel_agrees(table: np.ndarray) -> None:
    for p in (2e3, 0.1 * MPA, 6.27 * MPA, 15.7 * MPA, 21.5 * MPA):
        full = saturation.saturation(table, 0, p)
        t, dt, status = saturation_temperature(table, 0, p)
        assert (t, dt, status) == (full[0], full[7], 0)


@pytest.mark.parametrize("p", [999.0, 21.86 * MPA, 25 * MPA, -1.0, math.nan, math.inf])
def test_outside_the_table_every_value_is_nan(table: np.ndarray, p: float) -> None:
    full = saturation.saturation(table, 0, p)
    assert full[-1] == OUTSIDE
    assert all(math.isnan(v) for v in full[:-1])
    t = saturation_temperature(table, 0, p)
    assert t[-1] == OUTSIDE and math.isnan(t[0]) and math.isnan(t[1])


def test_table_ends_are_inside(table: np.ndarray) -> None:
    grid = saturation.SaturationGrid()
    for p in (grid.p_min, grid.p_max):
        assert saturation.saturation(table, 0, p)[-1] == 0
        assert saturation_temperature(table, 0, p)[0] == pytest.approx(
            water.saturation_temperature(p), rel=1e-9
        )


def test_smoothing_bridges_coolprops_step_at_16_53_mpa(table: np.ndarray) -> None:
    """Across the region 1/3 step the table stays within half the step (plus the interpolation
    error) of CoolProp on either side. (At 21.04 MPa CoolProp's slopes are erratic on the upper
    side, so only the band bound of the values holds there.)"""
    for t_jump in saturation.IF97_JUMP_TEMPERATURES[:1]:
        pj = water.saturation_pressure(t_jump)
        step = _coolprop(pj * (1 + 1e-9)) - _coolprop(pj * (1 - 1e-9))
        for side in (-1.0, 1.0):
            p = pj * (1 + side * 1e-9)
            got = np.array(saturation.saturation(table, 0, p)[:7])
            assert np.all(np.abs(got - _coolprop(p)) <= 0.5 * np.abs(step) + 5e-6 * got)


# ---- isentropic drop -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drop_table() -> np.ndarray:
    return isentropic_drop_table(5.0e3)


def _drop_reference(p: float, p_exhaust: float) -> float:
    """h_g(p) - h(p_exhaust, s_g(p)) with CoolProp IF97 (saturated state from PQ inputs)."""
    from nppsim.physics._coolprop import coolprop, state

    cp, st = coolprop(), state("test.isentropic")
    st.update(cp.PQ_INPUTS, p, 1.0)
    h_in, s_in = st.hmass(), st.smass()
    st.update(cp.PSmass_INPUTS, p_exhaust, s_in)
    return h_in - st.hmass()


def test_isentropic_drop_matches_coolprop(drop_table: np.ndarray) -> None:
    rng = np.random.default_rng(5)
    p = np.exp(rng.uniform(math.log(0.05 * MPA), math.log(21 * MPA), 600))
    got, slope, status = isentropic_drops(drop_table, p)
    assert np.all(status == 0)
    ref = np.array([_drop_reference(x, 5.0e3) for x in p])
    err = np.abs(got / ref - 1.0)
    zone = np.abs(p - 16.53 * MPA) < 0.37 * MPA  # the smoothed IF97 step
    assert np.max(err[~zone]) < 3e-6
    assert np.max(err[zone]) < 3e-5
    # the turbine module's function (CoolProp's (p, h) input at h_g, whose backward equation
    # is consistent to some 1e-5) agrees to its own accuracy
    old = [
        turbine.isentropic_enthalpy_drop(x, water.saturated_vapour_enthalpy(x), 5.0e3) for x in p
    ]
    assert np.max(np.abs(got / np.array(old) - 1.0)) < 5e-4
    # the slope is the interpolant's
    up = isentropic_drops(drop_table, p * (1 + 1e-7))[0]
    down = isentropic_drops(drop_table, p * (1 - 1e-7))[0]
    fd = (up - down) / (2e-7 * p)
    assert np.max(np.abs(fd - slope)) / np.max(np.abs(slope)) < 1e-5


def test_isentropic_drop_outside_and_misuse(drop_table: np.ndarray) -> None:
    for p in (0.04 * MPA, 22 * MPA, math.nan):
        v, d, status = isentropic_drop(drop_table, 0, p)
        assert status == OUTSIDE and math.isnan(v) and math.isnan(d)
    with pytest.raises(ValueError, match="condenser pressure"):
        isentropic_drop_table(0.1 * MPA)
    with pytest.raises(ValueError, match="sub-kind"):
        saturation_values(drop_table, 1e6)

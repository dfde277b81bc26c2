"""Tests of nppsim.physics.water against the IAPWS-IF97 verification tables and for consistency."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nppsim.physics import water

DATA = json.loads((Path(__file__).parent / "data" / "if97_verification.json").read_text())
MPA = 1.0e6
KJ = 1.0e3


@pytest.mark.parametrize("row", DATA["region1"] + DATA["region2"])
def test_if97_verification_v_h_cp(row: dict) -> None:
    p, t = row["p_mpa"] * MPA, row["t_k"]
    rtol = DATA["rtol"]
    assert 1.0 / water.density_pt(p, t) == pytest.approx(row["v_m3_per_kg"], rel=rtol)
    assert water.enthalpy_pt(p, t) == pytest.approx(row["h_kj_per_kg"] * KJ, rel=rtol)
    assert water.cp_pt(p, t) == pytest.approx(row["cp_kj_per_kg_k"] * KJ, rel=rtol)


@pytest.mark.parametrize("row", DATA["saturation_pressure"])
def test_if97_saturation_pressure(row: dict) -> None:
    assert water.saturation_pressure(row["t_k"]) == pytest.approx(
        row["p_mpa"] * MPA, rel=DATA["rtol"]
    )


@pytest.mark.parametrize("row", DATA["saturation_temperature"])
def test_if97_saturation_temperature(row: dict) -> None:
    assert water.saturation_temperature(row["p_mpa"] * MPA) == pytest.approx(
        row["t_k"], rel=DATA["rtol"]
    )


@pytest.mark.parametrize("row", DATA["backward_t_ph_region1"])
def test_temperature_ph_within_if97_backward_consistency(row: dict) -> None:
    t = water.temperature_ph(row["p_mpa"] * MPA, row["h_kj_per_kg"] * KJ)
    assert abs(t - row["t_k"]) <= DATA["backward_tolerance_k"]


def test_temperature_ph_round_trip_regions_1_and_2() -> None:
    """T(p, h(p, T)) == T below the region-3 pressures, away from saturation."""
    worst = 0.0
    for p in np.linspace(0.1e6, 16.0e6, 12):
        t_sat = water.saturation_temperature(p)
        for t in np.linspace(280.0, 1000.0, 60):
            if abs(t - t_sat) < 0.05:
                continue
            worst = max(worst, abs(water.temperature_ph(p, water.enthalpy_pt(p, t)) - t))
    assert worst < 1e-6


def test_saturation_round_trip() -> None:
    for t in np.linspace(280.0, 640.0, 19):
        assert water.saturation_temperature(water.saturation_pressure(t)) == pytest.approx(
            t, abs=1e-7
        )


def test_ph_functions_evaluate_at_refined_temperature() -> None:
    p, h = 15.7e6, 1.3e6
    t = water.temperature_ph(p, h)
    assert water.density_ph(p, h) == pytest.approx(water.density_pt(p, t), rel=1e-12)
    assert water.cp_ph(p, h) == pytest.approx(water.cp_pt(p, t), rel=1e-12)
    assert water.viscosity_ph(p, h) == pytest.approx(water.viscosity_pt(p, t), rel=1e-12)
    assert water.conductivity_ph(p, h) == pytest.approx(water.conductivity_pt(p, t), rel=1e-12)
    assert water.prandtl_ph(p, h) == pytest.approx(water.prandtl_pt(p, t), rel=1e-12)


def test_prandtl_definition() -> None:
    p, t = 15.7e6, 570.0
    expected = water.cp_pt(p, t) * water.viscosity_pt(p, t) / water.conductivity_pt(p, t)
    assert water.prandtl_pt(p, t) == pytest.approx(expected, rel=1e-14)


def test_saturation_properties_consistent() -> None:
    p = 6.27e6
    h_f, h_g = water.saturated_liquid_enthalpy(p), water.saturated_vapour_enthalpy(p)
    assert water.latent_heat(p) == pytest.approx(h_g - h_f, rel=1e-14)
    assert water.saturated_liquid_density(p) > water.saturated_vapour_density(p) > 0.0
    t_sat = water.saturation_temperature(p)
    # on the saturation line the (p, h) functions give T_sat and the mixture density
    h_mid = 0.5 * (h_f + h_g)
    assert water.temperature_ph(p, h_mid) == pytest.approx(t_sat, abs=1e-6)
    rho_mix = 1.0 / (
        0.5 / water.saturated_liquid_density(p) + 0.5 / water.saturated_vapour_density(p)
    )
    assert water.density_ph(p, h_mid) == pytest.approx(rho_mix, rel=1e-6)


def test_arrays_broadcast_like_scalars() -> None:
    p = np.array([[10e6], [15.7e6]])
    t = np.array([500.0, 560.0, 600.0])
    rho = water.density_pt(p, t)
    assert rho.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert rho[i, j] == water.density_pt(float(p[i, 0]), float(t[j]))
    assert isinstance(water.density_pt(15.7e6, 560.0), float)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: water.density_pt(3e6, 200.0), ("temperature", "200.0")),
        (lambda: water.density_pt(150e6, 500.0), ("pressure", "150000000.0")),
        (lambda: water.cp_pt(60e6, 1500.0), ("temperature", "1500.0")),
        (lambda: water.temperature_ph(3e6, -1e6), ("enthalpy", "-1000000.0")),
        (lambda: water.cp_ph(6e6, 1.5e6), ("two-phase", "cp")),
        (lambda: water.saturation_temperature(30e6), ("pressure", "30000000.0")),
        (lambda: water.saturation_pressure(700.0), ("temperature", "700.0")),
    ],
)
def test_out_of_range_raises_value_error_naming_quantity(call, words: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)

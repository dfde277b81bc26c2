"""The built-in plant scenarios: each runs to its end, conserves energy and primary mass, and
follows its documented qualitative course (docs/scenarios/<name>.md)."""

from __future__ import annotations

import pytest
from scenario_runs import run

PLANT_SCENARIOS = [
    "steady-state",
    "load-follow",
    "turbine-trip",
    "load-rejection",
    "rcp-trip-one",
    "rcp-start",
    "rcp-trip-all",
    "rod-drop",
    "boron-dilution",
    "feedwater-loss",
    "station-blackout",
    "steam-line-break",
    "turbine-trip-partial",
    "feedwater-pump-trip-one",
]


def trips(r) -> list[str]:
    return [e["name"] for e in r.events if e["kind"] == "trip"]


def kinds(r) -> set[str]:
    return {e["kind"] for e in r.events}


def at(df, col, t):
    """Value of ``col`` at the last recorded time <= t [s]."""
    return float(df.loc[df["time_s"] <= t, col].iloc[-1])


def _check_conservation(r):
    df = r.timeseries
    produced = df["energy_prompt_j"].iloc[-1] + df["energy_decay_j"].iloc[-1]
    assert abs(df["energy_balance_residual_j"].iloc[-1]) <= 0.005 * produced
    dm = df["mass_primary_kg"].iloc[-1] - df["mass_primary_kg"].iloc[0]
    boundary = df["mass_primary_boundary_kg"].iloc[-1]
    # water compressibility is not modelled: allow 0.5 % of the primary inventory
    assert abs(dm - boundary) <= 0.005 * df["mass_primary_kg"].iloc[0]


REQUIRED_COLUMNS = [
    "power_thermal_w",
    "power_electric_w",
    "power_decay_w",
    "temp_coolant_inlet_k",
    "temp_coolant_outlet_k",
    "temp_fuel_max_k",
    "pressure_primary_pa",
    "pressure_steam_pa",
    "level_pressurizer_m",
    "level_sg1_m",
    "level_sg2_m",
    "level_sg3_m",
    "level_sg4_m",
    "flow_loop1_kg_s",
    "flow_loop2_kg_s",
    "flow_loop3_kg_s",
    "flow_loop4_kg_s",
    "boron_ppm",
    "bank_position_frac",
    "reactivity_total",
]


def test_steady_state_scenario():
    r = run("steady-state")
    assert r.status == "completed"
    df = r.timeseries
    for c in REQUIRED_COLUMNS:
        assert c in df
    p = df["power_thermal_w"]
    assert (p.max() - p.min()) / 3000e6 < 0.002
    assert not trips(r)
    _check_conservation(r)


@pytest.mark.slow
@pytest.mark.parametrize("name", PLANT_SCENARIOS[1:])
def test_completes_and_conserves(name):
    r = run(name)
    assert r.status == "completed", r.message
    assert r.timeseries["time_s"].iloc[-1] == pytest.approx(r.scenario.duration)
    _check_conservation(r)


@pytest.mark.slow
def test_load_follow():
    r = run("load-follow")
    df = r.timeseries
    assert not trips(r)
    assert at(df, "power_thermal_w", 9 * 3600) / 3000e6 == pytest.approx(0.5, abs=0.03)
    assert df["power_thermal_w"].iloc[-1] / 3000e6 == pytest.approx(1.0, abs=0.03)
    assert at(df, "power_electric_w", 9 * 3600) < 0.6e9
    # xenon moves and the boron controller answers it
    xe = df["xenon_number_density_per_m3"]
    assert xe.max() / xe.min() > 1.05
    assert df["boron_ppm"].max() - df["boron_ppm"].min() > 10.0
    assert df["pressure_primary_pa"].sub(15.7e6).abs().max() < 0.2e6


@pytest.mark.slow
def test_turbine_trip():
    r = run("turbine-trip")
    df = r.timeseries
    assert trips(r) == ["turbine_trip"]
    assert df["pressure_primary_pa"].max() < 18.6e6  # below the pressurizer safety valves
    assert df["flow_bru_k_kg_s"].max() > 100.0
    assert df["power_electric_w"].iloc[-1] < 1e6
    assert df["power_thermal_w"].iloc[-1] < 0.05 * 3000e6
    assert at(df, "temp_fuel_max_k", 200) < at(df, "temp_fuel_max_k", 59)


@pytest.mark.slow
def test_load_rejection():
    r = run("load-rejection")
    df = r.timeseries
    assert not trips(r)
    assert "fast_power_reduction" in kinds(r)
    assert df["power_thermal_w"].iloc[-1] < 0.6 * 3000e6
    assert df["power_electric_w"].iloc[-1] < 0.15e9
    assert df["flow_bru_k_kg_s"].max() > 100.0
    assert df["pressure_steam_pa"].max() < 8.24e6  # SG safety valves not reached


@pytest.mark.slow
def test_rcp_trip_one():
    r = run("rcp-trip-one")
    df = r.timeseries
    assert not trips(r)  # power reduced without a reactor trip
    assert {"urb", "power_limiter", "preventive"} <= kinds(r)  # URB, ROM, PZ-1
    assert df["flow_loop1_kg_s"].iloc[-1] < 0.0  # idle loop runs backwards
    assert df["flow_loop2_kg_s"].iloc[-1] > 4409.0
    vessel = df["flow_vessel_kg_s"]
    assert 0.65 < vessel.iloc[-1] / vessel.iloc[0] < 0.85
    assert df["power_thermal_w"].iloc[-1] / 3000e6 == pytest.approx(0.67, abs=0.05)


@pytest.mark.slow
def test_rcp_start():
    r = run("rcp-start")
    df = r.timeseries
    assert not trips(r)
    assert df["flow_loop4_kg_s"].iloc[0] < 0.0 < df["flow_loop4_kg_s"].iloc[-1]
    assert df["flow_vessel_kg_s"].iloc[-1] > 1.25 * df["flow_vessel_kg_s"].iloc[0]
    # cold water from the restarted loop: a small power excursion, then back to the setpoint
    assert df["power_thermal_w"].max() > 1.005 * df["power_thermal_w"].iloc[0]
    assert df["power_thermal_w"].iloc[-1] / 3000e6 == pytest.approx(0.275, abs=0.02)
    # the beginning-of-cycle core (30.7 EFPD): more boron than at the design's middle of cycle
    assert df["boron_ppm"].iloc[0] > 1000.0


@pytest.mark.slow
def test_rcp_trip_all():
    r = run("rcp-trip-all")
    df = r.timeseries
    assert trips(r) == ["pumps_lost"]
    flow = df["flow_vessel_kg_s"]
    assert 0.02 < flow.iloc[-1] / flow.iloc[0] < 0.10  # natural circulation
    assert df["temp_fuel_max_k"].iloc[-1] < at(df, "temp_fuel_max_k", 59)
    assert df["temp_coolant_outlet_k"].iloc[-1] < at(df, "temp_coolant_outlet_k", 59)


@pytest.mark.slow
def test_rod_drop():
    r = run("rod-drop")
    df = r.timeseries
    assert not trips(r)
    p = df["power_thermal_w"]
    assert p.min() < 0.98 * 3000e6
    # the dropped cluster is signalled: the power limiter allows 60 %, PZ-1 drives the regulating
    # groups in until the power is there
    assert {"power_limiter", "preventive"} <= kinds(r)
    assert p.iloc[-1] / 3000e6 == pytest.approx(0.6, abs=0.03)
    assert df["bank_position_G10_frac"].iloc[-1] < df["bank_position_G10_frac"].iloc[0]


@pytest.mark.slow
def test_boron_dilution():
    r = run("boron-dilution")
    df = r.timeseries
    assert trips(r) == ["high_flux"]
    assert df["power_thermal_w"].max() > 1.05 * 3000e6
    assert df["temp_fuel_max_k"].iloc[-1] < 700.0


@pytest.mark.slow
def test_feedwater_loss():
    r = run("feedwater-loss")
    df = r.timeseries
    assert trips(r) == ["low_sg_level"]
    assert at(df, "level_sg1_m", 90) < 2.4
    assert df["pressure_primary_pa"].max() < 18.6e6
    assert df["power_thermal_w"].iloc[-1] < 0.05 * 3000e6


@pytest.mark.slow
def test_station_blackout():
    r = run("station-blackout")
    df = r.timeseries
    assert trips(r) == ["pumps_lost"]
    assert df["flow_bru_a_kg_s"].max() > 10.0  # decay heat to the atmosphere
    flow = df["flow_vessel_kg_s"]
    assert 0.01 < flow.iloc[-1] / flow.iloc[0] < 0.10  # natural circulation
    late = df[df["time_s"] > 600]
    assert late["temp_fuel_max_k"].max() < at(df, "temp_fuel_max_k", 59)
    assert df["temp_fuel_max_k"].iloc[-1] < 650.0
    assert df["temp_coolant_outlet_k"].iloc[-1] < at(df, "temp_coolant_outlet_k", 59)
    assert df["level_sg1_m"].iloc[-1] < 2.4  # SGs boil off without feed


@pytest.mark.slow
def test_steam_line_break():
    r = run("steam-line-break")
    df = r.timeseries
    assert trips(r) == ["low_steam_pressure"]
    assert "isolation" in kinds(r)
    assert df["pressure_steam_pa"].min() < 4.9e6
    assert df["temp_coolant_inlet_k"].min() < at(df, "temp_coolant_inlet_k", 59) - 5.0
    assert df["flow_break_kg_s"].max() > 500.0

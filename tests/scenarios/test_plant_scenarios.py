"""The built-in plant scenarios: each runs to its end, conserves energy and primary mass, and
follows its documented qualitative course (docs/scenarios/<name>.md)."""

from __future__ import annotations

import numpy as np
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
    "loss-of-offsite-power",
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
    # make-up, let-down, relief and injected water: 0.5 % of the primary inventory
    assert abs(dm - boundary) <= 0.005 * df["mass_primary_kg"].iloc[0]
    # boron: what the make-up, let-down and injections brought or took, 0.5 % of the inventory
    db = df["boron_primary_kg"].iloc[-1] - df["boron_primary_kg"].iloc[0]
    assert (
        abs(db - df["boron_primary_boundary_kg"].iloc[-1]) <= 0.005 * df["boron_primary_kg"].iloc[0]
    )


# The fastest a concentration can physically change in these scenarios: the emergency boron
# injection's 5 kg/s of 7000 ppm concentrate reaches the core mixed into about 1.3 t/s of loop
# flow per loop (0.1 ppm/s averaged; a few ppm/s at the front), a full-capacity feed and bleed
# of clean water changes the circuit by 0.05 ppm/s. A step (the old scheduled jump of 283 ppm)
# is thousands of ppm/s between two recorded rows.
BORON_RATE_MAX = 2.0  # [ppm/s]


# The pressurizer's water also concentrates its boron when it flashes (the steam carries none)
# and dilutes it when steam condenses into it: the fraction of the liquid that flashes per kelvin
# of saturation temperature is (dh_f/dT_sat)/h_fg (IF97, CoolProp), so a fast depressurization
# (a steam-line break) moves the pressurizer's boron by c (dh_f/dT)/h_fg |dT_sat/dt| on top.
_P_FLASH = np.linspace(5e6, 20e6, 61)


def _flash_fraction_per_kelvin(p: np.ndarray) -> np.ndarray:
    import CoolProp.CoolProp as CP

    out = []
    for pp in _P_FLASH:
        t0, t1 = (
            CP.PropsSI("T", "P", pp, "Q", 0, "Water"),
            CP.PropsSI("T", "P", pp * 1.001, "Q", 0, "Water"),
        )
        h0, h1 = (
            CP.PropsSI("H", "P", pp, "Q", 0, "Water"),
            CP.PropsSI("H", "P", pp * 1.001, "Q", 0, "Water"),
        )
        out.append((h1 - h0) / (t1 - t0) / (CP.PropsSI("H", "P", pp, "Q", 1, "Water") - h0))
    return np.interp(p, _P_FLASH, out)


def _check_boron_continuous(r):
    """Boron changes at a bounded rate between every pair of recorded rows, trips included."""
    df = r.timeseries
    t = df["time_s"].to_numpy()
    dt = np.diff(t)
    ok = dt > 0
    for col in ("boron_ppm", "boron_pzr_ppm"):
        c = df[col].to_numpy()
        rate = np.abs(np.diff(c))[ok] / dt[ok]
        limit = np.full_like(rate, BORON_RATE_MAX)
        if col == "boron_pzr_ppm":
            t_sat = df["temp_saturation_pzr_k"].to_numpy()
            p = df["pressure_primary_pa"].to_numpy()[1:][ok]
            flash = np.abs(np.diff(t_sat))[ok] / dt[ok] * _flash_fraction_per_kelvin(p)
            limit += np.maximum(c[1:], c[:-1])[ok] * flash
        worst = int(np.argmax(rate - limit))
        assert rate[worst] <= limit[worst], (
            f"{col} changes at {rate[worst]:.3g} ppm/s (limit {limit[worst]:.3g} ppm/s)"
        )


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
    _check_boron_continuous(r)


@pytest.mark.slow
@pytest.mark.parametrize("name", PLANT_SCENARIOS[1:])
def test_completes_and_conserves(name):
    r = run(name)
    assert r.status == "completed", r.message
    assert r.timeseries["time_s"].iloc[-1] == pytest.approx(r.scenario.duration)
    _check_conservation(r)
    _check_boron_continuous(r)


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
    # the pressure stays inside the pressurizer's control band, within the spray's full opening
    # (0.6 MPa) of the setpoint either way, far from the trips (14.7 and 17.65 MPa); the spray
    # starts only 0.25 MPa above the setpoint, so a 0.2 MPa bound (before issue 8) would ask
    # the pressure to stay where no controller acts on it
    assert df["pressure_primary_pa"].sub(15.7e6).abs().max() < 0.6e6


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
    # the insurge compresses the pressurizer's steam: the pressure peaks above its initial value
    # (beyond the spray's start offset of 0.25 MPa: with URB the reactor power, and so the
    # insurge, falls faster than it did without it), the spray opens and holds it below the
    # high-pressure trip (17.65 MPa) and the relief valve (18.1 MPa)
    p = df["pressure_primary_pa"]
    assert p.max() > p.iloc[0] + 0.25e6
    assert p.max() < 17.65e6
    assert df["flow_spray_kg_s"].max() > 1.0  # opens (with URB the insurge is smaller)
    assert df["flow_pzr_relief_kg_s"].max() == 0.0
    assert not [e for e in r.events if e["kind"] == "valve"]


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
    """Clean water through the make-up at the pumps' 60 t/h: the dilution reaches the core after
    its transit through the loop, the reactor trips on high flux; the dilution goes on after
    the trip, continuously, at the feed and bleed's rate, and the core stays subcritical."""
    r = run("boron-dilution")
    df = r.timeseries
    assert trips(r) == ["high_flux"]
    assert df["power_thermal_w"].max() > 1.05 * 3000e6
    assert df["temp_fuel_max_k"].iloc[-1] < 700.0
    b = df["boron_ppm"]
    assert b.iloc[-1] < at(df, "boron_ppm", 400) - 100.0  # diluted on through the trip
    # monotone while the reactor is at power: PZ-1 (power above the allowed) drives the groups in
    # and delays the trip (issue 8); after the trip the shrink draws the pressurizer's water,
    # less diluted than the loops, back into the circuit, so the loop boron may rise a little
    trip = next(e["time_s"] for e in r.events if e["kind"] == "trip")
    t_s = df["time_s"].to_numpy()
    assert np.all(np.diff(b.to_numpy()[(t_s > 100) & (t_s < trip)]) <= 1e-6)  # monotone
    assert b.iloc[-1] < b[t_s < trip].iloc[-1]  # and diluted further after it
    assert df["flow_boron_feed_kg_s"].iloc[-1] == pytest.approx(60 / 3.6, rel=1e-9)
    trip = next(e["time_s"] for e in r.events if e["kind"] == "trip")
    after = df[df["time_s"] > trip + 10.0]
    assert after["reactivity_total"].max() < -0.02


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
    """No off-site power and no diesels: no emergency feedwater, make-up or heaters."""
    r = run("station-blackout")
    df = r.timeseries
    assert trips(r) == ["pumps_lost"]
    names = {e["name"] for e in r.events}
    assert "diesels_ready" not in names and not any(n.startswith("diesel_load") for n in names)
    late = df[df["time_s"] > 120]
    assert late["flow_emergency_feed_kg_s"].max() == 0.0
    # the main feed flow dies with the feed pumps through the valves' 5 s lag (e^-24 by 180 s)
    assert df[df["time_s"] > 180]["flow_feed_kg_s"].max() < 1e-6
    assert late["flow_makeup_kg_s"].max() < 1e-9
    # the heaters lose their supply at 60 s: the power they give the water dies as their thermal
    # lag (30 s), from what they gave at that instant
    tau = 30.0
    p0 = at(df, "power_heaters_w", 60.0)
    bound = p0 * np.exp(-(late["time_s"] - 60.0) / tau) * (1 + 1e-3) + 1.0
    assert (late["power_heaters_w"] <= bound).all()
    assert df["power_heaters_w"].iloc[-1] < 1.0
    assert df["flow_bru_a_kg_s"].max() > 10.0  # decay heat to the atmosphere
    flow = df["flow_vessel_kg_s"]
    assert 0.01 < flow.iloc[-1] / flow.iloc[0] < 0.10  # natural circulation
    late = df[df["time_s"] > 600]
    assert late["temp_fuel_max_k"].max() < at(df, "temp_fuel_max_k", 59)
    assert df["temp_fuel_max_k"].iloc[-1] < 650.0
    assert df["temp_coolant_outlet_k"].iloc[-1] < at(df, "temp_coolant_outlet_k", 59)
    assert df["level_sg1_m"].iloc[-1] < 2.4  # SGs boil off without feed


@pytest.mark.slow
def test_loss_of_offsite_power():
    """Loss of off-site power: the diesels start and take the loads in sequence; the emergency
    feedwater holds the steam generators (unlike the station blackout) and the make-up
    returns."""
    r = run("loss-of-offsite-power")
    df = r.timeseries
    assert trips(r) == ["pumps_lost"]
    ev = {e["name"]: e["time_s"] for e in r.events}
    assert ev["diesels_ready"] == pytest.approx(75.0)
    assert ev["diesel_load_eccs"] == pytest.approx(75.0)
    assert ev["diesel_load_efw"] == pytest.approx(80.0)
    assert ev["diesel_load_makeup"] == pytest.approx(90.0)
    assert "eccs_actuated" not in ev  # no ECCS signal: the pumps stay off
    assert df["flow_eccs_kg_s"].max() == 0.0
    late = df[df["time_s"] > 600]
    assert late["flow_feed_kg_s"].min() > 1.0  # emergency feed on the diesels
    assert late["flow_makeup_kg_s"].max() > 1.0  # make-up back
    assert df["level_sg1_m"].iloc[-1] > run("station-blackout").timeseries["level_sg1_m"].iloc[-1]
    flow = df["flow_vessel_kg_s"]
    assert 0.01 < flow.iloc[-1] / flow.iloc[0] < 0.10  # natural circulation
    assert df["temp_fuel_max_k"].iloc[-1] < 650.0


@pytest.mark.slow
def test_steam_line_break():
    """Overcooling: the primary shrinks to the ECCS signal, the injection systems start, the
    emergency boron injection borates the primary and the core stays subcritical after the
    trip."""
    r = run("steam-line-break")
    df = r.timeseries
    assert trips(r) == ["low_steam_pressure"]
    assert "isolation" in kinds(r)
    assert df["pressure_steam_pa"].min() < 4.9e6
    assert df["temp_coolant_inlet_k"].min() < at(df, "temp_coolant_inlet_k", 59) - 5.0
    assert df["flow_break_kg_s"].max() > 500.0
    ev = {e["name"]: e["time_s"] for e in r.events}
    assert "eccs_actuated" in ev and "boron_injection_running" in ev
    assert df["flow_boron_injection_kg_s"].max() > 4.0
    assert df["boron_ppm"].iloc[-1] > df["boron_ppm"].iloc[0] + 30.0
    trip = next(e["time_s"] for e in r.events if e["kind"] == "trip")
    after = df[df["time_s"] > trip + 5.0]
    assert after["reactivity_total"].max() < -0.03  # subcritical by more than 3000 pcm
    assert after["power_fission_w"].iloc[-1] < 1e-4 * 3000e6

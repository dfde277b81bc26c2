"""The built-in plant scenarios: each runs to its end, conserves energy and primary mass, and
follows its documented qualitative course (docs/scenarios/<name>.md)."""

from __future__ import annotations

import numpy as np
import pytest
from scenario_runs import run

from nppsim.plant.components.pressurizer import SURGE_BLEND

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


# The fastest the core's concentration can physically change in these scenarios: the emergency
# boron injection's 5 kg/s of 7000 ppm concentrate reaches the core mixed into about 1.3 t/s of
# loop flow per loop (0.1 ppm/s averaged; a few ppm/s at the front), a full-capacity feed and
# bleed of clean water changes the circuit by 0.05 ppm/s. A step (the old scheduled jump of 283
# ppm) is thousands of ppm/s between two recorded rows.
BORON_RATE_MAX = 2.0  # [ppm/s]


def _pzr_liquid_mass_min(r) -> np.ndarray:
    """A lower bound of the pressurizer's liquid [kg] at every row: the liquid volume under the
    recorded level (the design's vessel) times the saturated liquid's density at the recorded
    pressure (subcooled liquid is denser)."""
    from nppsim.designs.plant_sections import plant_sections
    from nppsim.physics import pressurizer as pzr
    from nppsim.physics.water import saturated_liquid_density

    pp = plant_sections(r.scenario.design_obj()).pressurizer
    df = r.timeseries
    v_l = np.array(
        [
            pzr.liquid_volume_vessel(lv, pp.inner_diameter.si, pp.head_depth.si, pp.total_volume.si)
            for lv in df["level_pressurizer_m"]
        ]
    )
    return v_l * saturated_liquid_density(df["pressure_primary_pa"].to_numpy())


def _pzr_boron_rate_bound(r) -> np.ndarray:
    """The fastest the pressurizer liquid's concentration C can change [ppm/s] at every row, from
    its flows and water at that moment. Boron enters the liquid only with water (insurge W > 0,
    spray) and never leaves with steam (boric acid is hardly volatile), so
    m_l dC/dt = W_in (C_in - C) + spray (C_sp - C) - C (phase change), and
    |dC/dt| <= [(W_in + spray) dC_max + C (flashing + condensation + rain-out)] / m_l,
    with dC_max the spread of the concentrations of the run (core and pressurizer). Flashing in a
    fast depressurisation concentrates the liquid (0.1 MPa/s flashes 0.4 %/s of it near 14 MPa:
    2.5 ppm/s at 700 ppm in the steam-line break); the condensing steam dilutes it."""
    df = r.timeseries
    c = df["boron_pzr_ppm"].to_numpy()
    both = np.concatenate([c, df["boron_ppm"].to_numpy()])
    spread = both.max() - both.min()
    # the insurge at the hot leg's concentration, blended smoothly into the outsurge over
    # SURGE_BLEND (the model's switch, so a small outsurge still carries some hot-leg water)
    surge = df["flow_surge_kg_s"].to_numpy()
    hot = 0.5 * (1.0 + np.tanh(surge / SURGE_BLEND))
    inflow = np.abs(surge) * hot + df["flow_spray_kg_s"].to_numpy()
    phase = sum(
        np.abs(df[f"flow_pzr_{k}_kg_s"].to_numpy())
        for k in ("flashing", "rainout", "interface", "wall_condensation", "spray_condensation")
    )
    return (inflow * spread + c * phase) / _pzr_liquid_mass_min(r)


# The integrator's error allowance on a concentration in one step (relative tolerance 1e-6),
# with a factor of 10: changes this small are numerical, not physical.
BORON_STEP_NOISE = 1e-5  # [1, of the concentration]


def _check_boron_continuous(r):
    """Boron changes at a bounded rate between every pair of recorded rows, trips included: the
    core's at most :data:`BORON_RATE_MAX`, the pressurizer's no faster than its flows at the two
    rows allow (:func:`_pzr_boron_rate_bound`, with a factor 1.5 for the flows' change within
    the interval), each plus the integrator's noise. A step is a finite change over a vanishing
    interval (two rows at one time, where an event fires) and fails both."""
    df = r.timeseries
    t = df["time_s"].to_numpy()
    dt = np.diff(t)
    bound = _pzr_boron_rate_bound(r)
    limits = {
        "boron_ppm": np.full(len(dt), BORON_RATE_MAX),
        "boron_pzr_ppm": 1.5 * np.maximum(bound[:-1], bound[1:]),
    }
    for col, limit in limits.items():
        c = df[col].to_numpy()
        change = np.abs(np.diff(c))
        allowed = limit * dt + BORON_STEP_NOISE * np.maximum(c[:-1], c[1:])
        worst = np.argmax(change - allowed)
        assert change[worst] <= allowed[worst], (
            f"{col} changes by {change[worst]:.3g} ppm in {dt[worst]:.3g} s at "
            f"{t[worst]:.1f} s (bound {limit[worst]:.3g} ppm/s)"
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
    # the pressurizer control holds the pressure within 0.2 MPa of its setpoint in slow load
    # follow, as a VVER-1000's does: the spray starts 0.15 MPa above it and the back-up heaters
    # 0.17 MPa below (design file, [control.pressurizer]); the course measured 15.53-15.85 MPa
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
    # the insurge compresses the pressurizer's steam: the pressure peaks above its initial value
    # (beyond the spray's start offset; with URB the reactor power, and so the insurge, falls
    # faster than it did without it), the spray opens and holds it below the high-pressure trip
    # (17.65 MPa) and the relief valve (18.1 MPa)
    from nppsim.designs.plant_sections import plant_sections

    spray_start = plant_sections(r.scenario.design_obj()).control.pressurizer.spray_start_offset
    p = df["pressure_primary_pa"]
    assert p.max() > p.iloc[0] + spray_start.si
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
    b = df["boron_ppm"].to_numpy()
    t = df["time_s"].to_numpy()
    assert b[-1] < at(df, "boron_ppm", 400) - 100.0  # diluted on through the trip
    # monotone, but for the pressurizer's outsurge after the trip: the coolant shrinks and the
    # pressurizer, out of the circulation, sends its water, 13-30 ppm richer than the diluted
    # loops, through the hot leg into the circulation. The core's boron may rise for the time
    # that water takes to pass (a minute at most), by no more than that water brings when mixed
    # into the primary: sum of outsurge x (C_pzr - C_core) over the primary water.
    trip = next(e["time_s"] for e in r.events if e["kind"] == "trip")
    rise = np.diff(b) > 1e-6
    late = t[1:] > 100.0
    assert not np.any(rise & late & ~((t[1:] > trip) & (t[1:] < trip + 60.0)))
    win = (t >= trip) & (t <= trip + 60.0)
    out = np.maximum(-df["flow_surge_kg_s"].to_numpy(), 0.0)
    excess = np.maximum(df["boron_pzr_ppm"].to_numpy() - b, 0.0)
    brought = np.trapezoid((out * excess)[win], t[win]) / df["mass_primary_kg"].iloc[0]
    b_win = b[win]
    largest_rise = np.max(b_win - np.minimum.accumulate(b_win))
    assert 0.0 < largest_rise <= brought
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
    # no emergency feedwater without the diesels: after the pumps' power is lost the feed
    # capacity is zero; what is left is the feed valves' first-order lag running down from the
    # main feed flow (1640 kg/s, time constant 5 s: 0.008 kg/s after 60 s), which never rises
    # and adds under 1 kg after 120 s, where the emergency feed would bring 167 kg/s
    assert df["supply_efw"].iloc[-1] < 0.5
    # ... and the log says so: the pumps are started but do not run without their supply
    ef = [e["detail"] for e in r.events if e["name"] == "emergency_feed"]
    assert ef and all("without supply" in x for x in ef)
    late = df[df["time_s"] > 120]
    feed = late["flow_feed_kg_s"].to_numpy()
    assert np.all(np.diff(feed) <= 1e-6)  # never rises (but for the integrator's noise)
    assert np.trapezoid(np.maximum(feed, 0.0), late["time_s"]) < 1.0
    assert abs(feed[-1]) < 1e-6
    assert late["flow_makeup_kg_s"].max() < 1e-9
    # the heaters lose their supply at 60 s; the heat stored in their elements still reaches the
    # water with their time constant (30 s: 8 kW of the 60 kW at 120 s), never rising
    assert df["supply_heaters"].iloc[-1] < 0.5
    assert np.all(np.diff(late["power_heaters_w"].to_numpy()) <= 1e-3)
    assert df.loc[df["time_s"] > 300, "power_heaters_w"].max() < 1e3
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

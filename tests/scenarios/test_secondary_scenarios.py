"""Issue 8, the secondary side and the power control and limitation, held to what a VVER-1000
does, on the built-in scenarios (each runs once per session, shared with the other tests).

The bars: electric power below 1 % of rated within 1 s of a turbine trip; the loss of one of four
pumps at full power drops the URB group and settles near two thirds of rated power without a
reactor trip, the idle loop in reverse flow; the loss of one of two feed pumps reduces the power
without a trip; a dropped cluster ends below 100 % with a protective action logged; emergency
feedwater holds the steam-generator levels in a band after a loss of main feedwater; a load
rejection runs the unit on house load at speed. Energy and primary mass balances are checked for
every plant scenario in ``test_plant_scenarios.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scenario_runs import run

from nppsim.designs import load_design
from nppsim.designs.plant_sections import plant_sections

P_E_RATED = 1000e6  # [W] gross electric rating of the V-446
P_TH_RATED = 3000e6  # [W]


@pytest.fixture(scope="module")
def ps():
    return plant_sections(load_design("vver1000-v446"))


def trips(r) -> list[str]:
    return [e["name"] for e in r.events if e["kind"] == "trip"]


def kinds(r) -> set[str]:
    return {e["kind"] for e in r.events}


def first(r, kind: str, name: str | None = None) -> float:
    """Time of the first event of ``kind`` (and ``name``)."""
    return min(
        e["time_s"] for e in r.events if e["kind"] == kind and (name is None or e["name"] == name)
    )


def window(df, t0: float, t1: float):
    return df[(df["time_s"] >= t0) & (df["time_s"] <= t1)]


def at(df, col: str, t: float) -> float:
    return float(np.interp(t, df["time_s"], df[col]))


def electric_after_trip_check(r) -> None:
    """Electric power below 1 % of rated from 1 s after the turbine trip to the end."""
    df = r.timeseries
    t_trip = first(r, "mode", "turbine_tripped")
    late = df[df["time_s"] >= t_trip + 1.0]
    assert late["power_electric_w"].abs().max() < 0.01 * P_E_RATED
    assert at(df, "power_electric_w", t_trip + 1.0) < 0.01 * P_E_RATED
    # the stop valves are shut well within the second
    assert at(df, "turbine_stop_valve_frac", t_trip + 0.6) < 0.01


@pytest.mark.slow
def test_turbine_trip_electric_power_falls_within_a_second():
    r = run("turbine-trip")
    df = r.timeseries
    assert trips(r) == ["turbine_trip"]
    electric_after_trip_check(r)
    # the motoring generator is taken off by the reverse-power relay
    t_open = first(r, "mode", "generator_breaker_open")
    assert 60.0 < t_open < 66.0
    assert df["generator_breaker"].iloc[-1] == 0.0
    assert df["turbine_speed"].iloc[-1] < 0.99  # the shaft coasts down


@pytest.mark.slow
def test_turbine_trip_shrinks_the_measured_level_and_cools_the_feedwater(ps):
    r = run("turbine-trip")
    df = r.timeseries
    level0 = at(df, "level_sg1_measured_m", 59.0)
    # shrink: the pressure rises, the pool's void collapses and the measured level falls first
    assert window(df, 60.0, 120.0)["level_sg1_measured_m"].min() < level0 - 0.05
    assert window(df, 60.0, 120.0)["void_sg1_m3"].min() < 0.5 * at(df, "void_sg1_m3", 59.0)
    # the heaters lose their extraction steam: the feedwater cools toward the deaerator's
    t_fw0 = at(df, "temp_feedwater_k", 59.0)
    t_da = ps.turbine.deaerator_temperature.si
    assert t_fw0 == pytest.approx(ps.steam_generators.feedwater_temperature.si, abs=1.0)
    tau = ps.turbine.heater_time_constant.si
    expected = t_da + (t_fw0 - t_da) * np.exp(-240.0 / tau)  # first-order lag, enthalpy ~ T
    assert at(df, "temp_feedwater_k", 300.0) == pytest.approx(expected, abs=3.0)


@pytest.mark.slow
def test_turbine_trip_partial_keeps_the_reactor_on_line(ps):
    r = run("turbine-trip-partial")
    df = r.timeseries
    assert not trips(r)
    assert "urb" in kinds(r)
    electric_after_trip_check(r)
    assert df["flow_bru_k_kg_s"].max() > 100.0  # BRU-K takes the steam
    n = df["power_relative"]
    assert 0.2 < n.iloc[-1] < 0.55
    assert df["level_sg_measured_min_m"].min() > ps.protection.low_sg_level.si


@pytest.mark.slow
def test_load_rejection_runs_on_house_load_at_speed(ps):
    r = run("load-rejection")
    df = r.timeseries
    assert not trips(r)
    assert {"urb", "fast_power_reduction"} <= kinds(r)
    speed = df["turbine_speed"]
    assert 1.01 < speed.max() < ps.protection.turbine_overspeed.si  # no overspeed trip
    last = df[df["time_s"] >= df["time_s"].iloc[-1] - 300.0]
    assert last["turbine_speed"].sub(1.0).abs().max() < 0.01  # at speed
    assert df["generator_breaker"].iloc[-1] == 1.0
    house = ps.turbine.house_load.si * P_E_RATED
    assert df["power_electric_w"].iloc[-1] == pytest.approx(house, rel=1e-6)
    assert df["power_relative"].iloc[-1] == pytest.approx(0.40, abs=0.03)


@pytest.mark.slow
def test_one_pump_lost_drops_the_urb_group_and_settles_near_two_thirds(ps):
    r = run("rcp-trip-one")
    df = r.timeseries
    assert not trips(r)
    assert first(r, "urb") == pytest.approx(60.0)
    urb = ps.control.power_limitation.urb_group
    assert df[f"bank_position_{urb}_frac"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert "pz1_power" in {e["name"] for e in r.events if e["kind"] == "preventive"}
    last = df[df["time_s"] >= df["time_s"].iloc[-1] - 300.0]
    assert last["power_relative"].mean() == pytest.approx(2.0 / 3.0, abs=0.03)
    assert last["power_relative"].max() - last["power_relative"].min() < 0.02
    assert df["flow_loop1_kg_s"].iloc[-1] < -0.2 * df["flow_loop1_kg_s"].iloc[0]  # reverse flow


@pytest.mark.slow
def test_one_feed_pump_lost_reduces_the_power_without_a_trip(ps):
    """Defect (b) of issue 7: ``feedwater_pump_trip`` with ``count = 1`` at full power."""
    r = run("feedwater-pump-trip-one")
    df = r.timeseries
    assert not trips(r)
    assert {"urb", "power_limiter"} <= kinds(r)
    assert df["power_relative"].iloc[-1] == pytest.approx(0.5, abs=0.03)
    assert df["level_sg_measured_min_m"].min() > ps.protection.low_sg_level.si + 0.05
    assert df["flow_feed_main_kg_s"].iloc[-1] == pytest.approx(
        df["flow_steam_kg_s"].iloc[-1], rel=0.02
    )


@pytest.mark.slow
def test_dropped_cluster_ends_below_full_power_with_a_protective_action_logged():
    r = run("rod-drop")
    df = r.timeseries
    assert not trips(r)
    assert "power_limiter" in kinds(r)
    assert df["power_relative"].iloc[-1] < 0.95
    assert df["power_relative"].iloc[-1] == pytest.approx(0.6, abs=0.03)


@pytest.mark.slow
def test_emergency_feedwater_holds_the_levels_in_a_band(ps):
    r = run("feedwater-loss")
    df = r.timeseries
    assert trips(r) == ["low_sg_level"]
    ef = ps.emergency_feedwater
    t_on = first(r, "mode", "emergency_feed")
    assert t_on == pytest.approx(first(r, "signal", "emergency_feed_start") + ef.start_delay.si)
    late = df[df["time_s"] >= 1200.0]
    lo = ef.level_setpoint.si - ef.level_band.si / 2 - 0.02
    hi = ef.level_setpoint.si + ef.level_band.si / 2 + 0.02
    for i in range(1, 5):
        col = f"level_sg{i}_measured_m"
        assert lo < late[col].min() and late[col].max() < hi, col
    assert df["flow_emergency_feed_kg_s"].iloc[-1] > 0.0
    # the valves throttle: no deep overcooling of the primary
    assert df["temp_coolant_inlet_k"].min() > 273.15 + 270.0

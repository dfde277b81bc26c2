"""The bar of issue 9: turbine-trip, rcp-trip-one and station-blackout run on every design to which
they apply (``nppsim run SCENARIO --design NAME``), with what each must show; scenarios that do not
apply are refused with the reason.
"""

from __future__ import annotations

import pytest

from nppsim import results
from nppsim.designs import load_design
from nppsim.errors import InputError
from nppsim.scenarios import for_design, load_scenario

NEW = ["vver1000-v528", "vver-toi", "ritm200n"]


def _run(name: str, design: str):
    res = results.run(for_design(load_scenario(name), design))
    assert res.status == "completed", res.message
    return res


def _events(res, kind):
    return [e for e in res.events if e["kind"] == kind]


@pytest.mark.slow
@pytest.mark.parametrize("design", NEW)
def test_turbine_trip(design):
    d = load_design(design)
    res = _run("turbine-trip", design)
    df = res.timeseries
    assert df["power_electric_w"].iloc[-1] < 1e-3 * d.rating.power_electric_gross.si
    # the steam goes to the condenser; the steam generators' safety valves stay shut
    assert df["flow_bru_k_kg_s"].max() > 0.0
    assert df["flow_sg_safety_kg_s"].max() == 0.0
    # the primary stays subcooled and below its relief valves
    assert df["subcooling_margin_k"].min() > 10.0
    if design == "ritm200n":
        # no reactor trip: the power-reduction table brings the small plant down, on BRU-K
        assert not _events(res, "trip")
        assert df["power_thermal_w"].iloc[-1] < 0.4 * d.rating.power_thermal.si
    else:
        assert _events(res, "trip")[0]["name"] == "turbine_trip"


@pytest.mark.slow
@pytest.mark.parametrize("design", NEW)
def test_one_pump_trip_reduces_power_without_a_trip(design):
    d = load_design(design)
    res = _run("rcp-trip-one", design)
    df = res.timeseries
    assert not _events(res, "trip")
    frac = df["power_thermal_w"].iloc[-1] / d.rating.power_thermal.si
    assert 0.6 < frac < 0.75  # the fast power reduction to the three-pump limit
    flow = df["flow_vessel_kg_s"].iloc[-1] / df["flow_vessel_kg_s"].iloc[0]
    assert 0.7 < flow < 0.85


@pytest.mark.slow
@pytest.mark.parametrize("design", NEW)
def test_station_blackout_passive_heat_removal_and_natural_circulation(design):
    d = load_design(design)
    res = _run("station-blackout", design)
    df = res.timeseries
    assert _events(res, "trip")[0]["name"] == "pumps_lost"
    # every new design has passive heat removal: actuated 30 s after the blackout
    modes = [e for e in _events(res, "mode") if e["name"] == "passive_heat_removal"]
    assert modes and modes[0]["time_s"] == pytest.approx(90.0, abs=0.5)
    end = df.iloc[-1]
    # natural circulation: a few per cent of the forced flow carries the decay heat
    assert 0.01 < end["flow_vessel_kg_s"] / d.coolant.mass_flow.si < 0.1
    assert end["power_sg_w"] == pytest.approx(end["power_thermal_w"], rel=0.15)
    assert df["subcooling_margin_k"].min() > 10.0
    assert end["temp_coolant_outlet_k"] < d.coolant.outlet_temperature.si


@pytest.mark.parametrize(
    ("scenario", "design", "why"),
    [
        ("steam-line-break", "ritm200n", "steam_generator = horizontal"),
        ("rcp-start", "ritm200n", "layout = loop"),
        ("boron-dilution", "ritm200n", "soluble_boron = true"),
        ("station-blackout-24h", "vver1000-v446", "passive_heat_removal = true"),
    ],
)
def test_scenarios_that_do_not_apply_are_refused(scenario, design, why):
    with pytest.raises(InputError, match=why.replace(" ", r"\s")):
        for_design(load_scenario(scenario), design)


def test_eccs_start_is_refused_on_a_design_without_active_eccs(tmp_path):
    """The integral plant has no hydro-accumulators or injection pumps: starting the ECCS by hand
    is refused when the scenario is read, not ignored during the run."""
    from nppsim.scenarios import parse_scenario

    data = {
        "scenario": {
            "name": "eccs",
            "title": "ECCS by hand",
            "design": "ritm200n",
            "duration": "10 s",
            "model": "plant",
        },
        "initial": {"power": "100 %"},
        "events": [{"time": "1 s", "kind": "eccs_start"}],
    }
    with pytest.raises(InputError, match=r"emergency_cooling\s=\strue"):
        parse_scenario(data, tmp_path / "eccs.toml")
    data["scenario"]["design"] = "vver1000-v446"
    assert parse_scenario(data, tmp_path / "eccs.toml").events

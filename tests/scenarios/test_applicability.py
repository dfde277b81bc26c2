"""Scenario applicability as data: what a scenario needs of a design, and the clear refusal where a
design lacks it (``nppsim scenarios --design``, ``nppsim run SCENARIO --design``)."""

from __future__ import annotations

import pytest

from nppsim.designs import load_design
from nppsim.designs.features import features, unmet
from nppsim.errors import InputError
from nppsim.scenarios import applies_to, for_design, load_scenario, parse_scenario, requirements

DESIGNS = ["vver1000-v446", "vver1000-v528", "vver-toi", "ritm200n"]


def test_features_of_the_programme_designs():
    f = {n: features(load_design(n)) for n in DESIGNS}
    assert f["vver1000-v446"]["steam_generator"] == "horizontal"
    assert f["vver1000-v446"]["passive_heat_removal"] is False
    assert f["vver1000-v528"]["passive_heat_removal"] is True
    assert f["vver-toi"]["second_stage_accumulators"] is True
    r = f["ritm200n"]
    assert r["layout"] == "integral" and r["steam_generator"] == "once_through"
    assert r["pressurizer"] == "gas" and r["pump_type"] == "canned"
    assert r["soluble_boron"] is False and r["pumps"] == 4
    assert all(x["model"] == "plant" for x in f.values())


def test_requirement_semantics():
    feats = {"pumps": 4, "steam_generator": "horizontal", "soluble_boron": True}
    assert unmet({"pumps": 2, "steam_generator": "horizontal"}, feats) == []
    assert unmet({"pumps": 6}, feats) == ["needs pumps >= 6 (the design has 4)"]
    assert unmet({"soluble_boron": False}, feats)
    assert unmet({"pressurizer": "gas"}, feats) == ["needs pressurizer = gas (the design has none)"]


@pytest.mark.parametrize(
    ("scenario", "fragment"),
    [
        ("steam-line-break", "steam_generator = horizontal (the design has once_through)"),
        ("boron-dilution", "soluble_boron = true (the design has false)"),
        ("rcp-start", "layout = loop (the design has integral)"),
        ("rod-withdrawal", "banks of ritm200n"),
    ],
)
def test_scenarios_that_do_not_apply_to_the_integral_plant_say_why(scenario, fragment):
    sc = load_scenario(scenario)
    why = applies_to(sc, "ritm200n")
    assert why and any(fragment in w for w in why), why
    with pytest.raises(InputError) as exc:
        for_design(sc, "ritm200n")
    assert fragment in str(exc.value)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("scenario", ["steady-state", "turbine-trip", "station-blackout"])
def test_the_bar_scenarios_apply_to_every_design(design, scenario):
    sc = load_scenario(scenario)
    assert applies_to(sc, design) == []
    on = for_design(sc, design)
    assert on.scenario.design == design and on.events == sc.events


def test_pump_trip_applies_where_there_are_pumps():
    sc = load_scenario("rcp-trip-one")
    assert requirements(sc)["pumps"] == 2
    for d in DESIGNS:
        assert applies_to(sc, d) == []


def test_passive_scenarios_need_the_passive_systems():
    sc = load_scenario("station-blackout-24h")
    assert applies_to(sc, "vver1000-v446") == [
        "needs passive_heat_removal = true (the design has false)"
    ]
    assert applies_to(sc, "vver1000-v528") == []


def test_an_unknown_requirement_is_refused_with_the_known_ones():
    data = {
        "scenario": {
            "name": "x",
            "title": "x",
            "design": "vver1000-v446",
            "model": "plant",
            "duration": "1 min",
            "requires": {"turbine_colour": "green"},
        },
        "initial": {"power": "100 %"},
    }
    with pytest.raises(InputError, match=r"scenario\.requires\.turbine_colour.*steam_generator"):
        parse_scenario(data, "x.toml")


def test_setpoints_the_integral_plant_has_no_controller_for_are_refused():
    data = {
        "scenario": {
            "name": "x",
            "title": "x",
            "design": "ritm200n",
            "model": "plant",
            "duration": "10 min",
        },
        "initial": {"power": "100 %"},
        "events": [{"time": "1 min", "kind": "setpoint", "controller": "sg_level", "value": "2 m"}],
    }
    with pytest.raises(InputError, match="no level"):
        parse_scenario(data, "x.toml")

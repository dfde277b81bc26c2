"""The whole-plant network: steady state within the design tolerances, at rest for an hour,
conservation of energy and primary mass, input errors."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine.simulation import Simulation
from nppsim.errors import InputError
from nppsim.plant.model import Model
from nppsim.scenarios import parse_scenario


@pytest.fixture(scope="module")
def plant(v446):
    return Model(v446, "plant")


def _outputs(model, y, d):
    w = model.net.signal_vector(0.0, y, d)
    return {c: float(w[i]) for c, i, _ in model.net.columns()}


def test_full_power_steady_state_within_design_tolerances(plant):
    y, d = plant.steady_state(1.0)
    o = _outputs(plant, y, d)
    assert o["power_thermal_w"] == pytest.approx(3000e6, rel=0.01)
    assert o["temp_coolant_inlet_k"] - 273.15 == pytest.approx(289.0, abs=2.0)
    assert o["temp_coolant_outlet_k"] - 273.15 == pytest.approx(320.0, abs=3.0)
    assert o["pressure_primary_pa"] == pytest.approx(15.7e6, abs=0.1e6)
    assert o["pressure_steam_pa"] == pytest.approx(6.27e6, abs=0.15e6)
    assert o["power_electric_w"] == pytest.approx(1000e6, rel=0.03)
    # the right-hand side is at rest (slow states aside, everything within round-off)
    dy = plant.net.rhs(0.0, y, d)
    assert abs(dy[plant.net.s_index("turbine.header")]) < 10.0  # [Pa/s]
    assert np.max(np.abs(dy[plant.net.states["circuit.flow"].slice])) < 0.1  # loop flows [kg/s2]


@pytest.mark.parametrize("power", [0.1, 0.3, 0.5, 0.75])
def test_part_load_steady_states(plant, power):
    y, d = plant.steady_state(power)
    o = _outputs(plant, y, d)
    assert o["power_thermal_w"] == pytest.approx(power * 3000e6, rel=1e-6)
    assert o["pressure_primary_pa"] == pytest.approx(15.7e6, abs=1e3)
    # constant steam pressure programme: inlet temperature falls toward T_sat of the header
    assert 270.0 < o["temp_coolant_inlet_k"] - 273.15 < 289.5
    assert o["power_electric_w"] == pytest.approx(power * 1000e6, rel=0.1)
    # the level controllers hold the measured (narrow-range) level of the full-power state: with
    # less void in the pool at part load the water (collapsed) level stands higher
    assert o["level_sg1_measured_m"] == pytest.approx(plant.data.level_measured_setpoint, abs=1e-6)
    assert o["level_sg1_m"] > 2.4
    # the feedwater is colder at part load (less extraction steam to the heaters)
    assert o["temp_feedwater_k"] < 493.15 - 10.0 * (1.0 - power)


def test_plant_at_rest_for_an_hour(plant):
    y0, d0 = plant.steady_state(1.0)
    sim = Simulation(plant, y0, d0)
    sim.advance(3600.0)
    df = sim.results()
    p = df["power_thermal_w"]
    assert (p.max() - p.min()) / 3000e6 < 0.002
    for col in ("temp_coolant_inlet_k", "temp_coolant_outlet_k"):
        assert df[col].max() - df[col].min() < 0.1
    assert df["pressure_primary_pa"].max() - df["pressure_primary_pa"].min() < 0.01e6
    assert not [e for e in sim.log if e["kind"] == "trip"]


def test_three_pump_steady_state_has_reverse_flow_in_the_idle_loop(plant):
    y, d = plant.steady_state(0.275, pumps_off=(4,))
    o = _outputs(plant, y, d)
    assert o["flow_loop4_kg_s"] < 0.0
    assert o["flow_loop1_kg_s"] > 4400.0


def test_bad_steady_state_inputs(plant):
    with pytest.raises(InputError, match=r"initial\.power"):
        plant.steady_state(1.05)  # 0 % (hot zero power) to 100 %
    with pytest.raises(InputError, match=r"initial\.pumps_off"):
        plant.steady_state(0.5, pumps_off=(5,))
    with pytest.raises(InputError, match=r"initial\.pumps_off"):
        plant.steady_state(0.5, pumps_off=(1, 2))


def _scenario(events: str, extra: str = "") -> dict:
    import tomllib

    text = f"""
[scenario]
name = "t"
title = "t"
design = "vver1000-v446"
model = "plant"
duration = "10 min"

[initial]
power = "100 %"
{extra}

{events}
"""
    return tomllib.loads(text)


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ('[[events]]\ntime = "1 s"\nkind = "pump_trip"\npump = 5', "events[0].pump"),
        ('[[events]]\ntime = "1 s"\nkind = "pump_trip"\npump = 0', "events[0].pump"),
        (
            '[[events]]\ntime = "1 s"\nkind = "steam_line_break"\nsg = 7\narea = "0.1 m2"',
            "events[0].sg",
        ),
        ('[[events]]\ntime = "1 s"\nkind = "reactor_explodes"', "events[0]"),
        ('[[events]]\ntime = "1 s"\nkind = "flow"\ntarget = "50 %"', "events[0].kind"),
        (
            '[[events]]\ntime = "1 s"\nkind = "turbine_load"\ntarget = "300 %"\nrate = "1 %/min"',
            "events[0].target",
        ),
        (
            '[[events]]\ntime = "1 s"\nkind = "steam_line_break"\nsg = 1\narea = "5 m2"',
            "events[0].area",
        ),
    ],
)
def test_bad_plant_events_are_one_line_errors(events, field):
    with pytest.raises(InputError) as err:
        parse_scenario(_scenario(events), "bad.toml")
    msg = str(err.value)
    assert "\n" not in msg
    assert "bad.toml" in msg
    assert field in msg


@pytest.mark.parametrize(
    ("controller", "value"),
    [
        ("primary_pressure", "19 MPa"),
        ("primary_pressure", "14 MPa"),
        ("steam_pressure", "7 MPa"),
        ("sg_level", "1.0 m"),
        ("pressurizer_level", "11 m"),
    ],
)
def test_setpoints_outside_the_design_range_are_refused(controller, value):
    ev = (
        '[[events]]\ntime = "1 s"\nkind = "setpoint"\n'
        f'controller = "{controller}"\nvalue = "{value}"'
    )
    with pytest.raises(InputError) as err:
        parse_scenario(_scenario(ev), "sp.toml")
    msg = str(err.value)
    assert "\n" not in msg and "sp.toml" in msg and "events[0].value" in msg and controller in msg


def test_setpoint_with_a_wrong_unit_is_refused():
    ev = '[[events]]\ntime = "1 s"\nkind = "setpoint"\ncontroller = "sg_level"\nvalue = "2 MPa"'
    with pytest.raises(InputError, match=r"sp\.toml"):
        parse_scenario(_scenario(ev), "sp.toml")


def test_plant_events_refused_by_the_core_model():
    data = _scenario('[[events]]\ntime = "1 s"\nkind = "turbine_trip"')
    data["scenario"]["model"] = "core"
    with pytest.raises(InputError, match="plant event"):
        parse_scenario(data, "core.toml")


@pytest.mark.slow
def test_reactor_follows_turbine_load_in_power_mode():
    """Turbine in power mode: the rods keep the steam pressure while the load goes 100 -> 80 %."""
    from nppsim import results

    data = _scenario(
        '[[events]]\ntime = "60 s"\nkind = "turbine_load"\ntarget = "80 %"\nrate = "1 %/min"'
    )
    data["scenario"]["duration"] = "1 h"
    r = results.run(parse_scenario(data, "tl.toml"))
    df = r.timeseries
    assert r.status == "completed"
    assert not [e for e in r.events if e["kind"] == "trip"]
    assert df["power_electric_w"].iloc[-1] == pytest.approx(800e6, rel=0.01)
    assert df["power_thermal_w"].iloc[-1] / 3000e6 == pytest.approx(0.8, abs=0.03)
    assert df["pressure_header_pa"].sub(5.88e6).abs().max() < 0.15e6
    assert df["flow_bru_k_kg_s"].max() == 0.0

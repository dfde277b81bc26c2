"""Steady states from cold shutdown to full power, or a clear error (issue 7, deliverable 5).

The core model starts anywhere from cold shutdown (0.1 MPa, 20 degC, subcritical at its source
level) to hot full power; the plant model from hot zero power (critical, or subcritical at the
source level) to full power, and refuses cold states, which need the residual heat removal
system. A state outside the water-property tables, or a boiling core channel, is an error naming
the initial value: the tables' status codes are checked, nothing is clipped.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from nppsim.engine.run import RunSpec, run
from nppsim.engine.simulation import Simulation
from nppsim.errors import InputError
from nppsim.plant.assemble import ZERO_POWER_SUBCRITICALITY, _Props, _TableError
from nppsim.plant.model import Model
from nppsim.scenarios import parse_scenario

P_NOM = 3000e6


@pytest.fixture(scope="module")
def core(v446):
    return Model(v446, "core")


@pytest.fixture(scope="module")
def plant(v446):
    return Model(v446, "plant")


def _out(model, y, d, t=0.0):
    w = model.net.signal_vector(t, y, d)
    return {c: float(w[i]) for c, i, _ in model.net.columns()}


def _source_level(v446, rho):
    """n = S Lambda / |rho|: the level a source holds a subcritical core at."""
    return v446.kinetics.neutron_source.si * v446.kinetics.generation_time.si / abs(rho)


def _at_rest(model, y, d, hours=1.0):
    sim = Simulation(model, y, d)
    sim.advance(3600.0 * hours)
    return sim


# -- core model -----------------------------------------------------------------------------------
def test_cold_shutdown_core_is_at_rest_at_its_source_level(core, v446):
    y, d = core.steady_state(
        0.0,
        subcriticality=0.02,
        pressure=0.1e6,
        inlet_temperature=293.15,
        rod_control="manual",
    )
    o = _out(core, y, d)
    n = _source_level(v446, 0.02)
    assert o["power_relative"] == pytest.approx(n, rel=1e-12)
    assert o["reactivity_total"] == pytest.approx(-0.02, abs=1e-12)
    for col in ("temp_coolant_inlet_k", "temp_coolant_outlet_k", "temp_fuel_avg_k"):
        assert o[col] == pytest.approx(293.15, abs=1e-3), col
    # a cold, xenon-free core is far more reactive than at hot full power: more boron
    assert 1000.0 < o["boron_ppm"] < v446.reactivity.boron_max.si
    assert o["reactivity_doppler"] > 0.01 and o["reactivity_moderator"] > 0.01
    sim = _at_rest(core, y, d)
    r = sim.read(["power_relative", "temp_fuel_avg_k", "boron_ppm"])
    assert r["power_relative"] == pytest.approx(n, rel=1e-6)
    assert r["temp_fuel_avg_k"] == pytest.approx(293.15, abs=1e-3)
    assert not sim.log


def test_hot_zero_power_core_is_critical_to_one_pcm(core, v446):
    y, d = core.steady_state(0.0, rod_control="manual")
    o = _out(core, y, d)
    assert o["reactivity_total"] == pytest.approx(-ZERO_POWER_SUBCRITICALITY, abs=1e-12)
    assert o["power_relative"] == pytest.approx(_source_level(v446, ZERO_POWER_SUBCRITICALITY))
    assert o["temp_coolant_outlet_k"] == pytest.approx(o["temp_coolant_inlet_k"], abs=0.01)
    sim = _at_rest(core, y, d)
    assert sim.read(["power_relative"])["power_relative"] == pytest.approx(
        o["power_relative"], rel=1e-6
    )


@pytest.mark.parametrize("power", [1e-8, 1e-6, 1e-3, 0.005])
def test_low_powers_are_at_rest_at_the_source_level_reactivity(core, v446, power):
    y, d = core.steady_state(power, rod_control="manual")
    o = _out(core, y, d)
    assert o["power_relative"] == power
    # critical with the source: rho = -S Lambda / n (1000 pcm below critical at 1e-8)
    assert o["reactivity_total"] == pytest.approx(-_source_level(v446, 1.0) / power, rel=1e-6)
    f = core.net.rhs(0.0, y, d)
    st = core.net.states
    kinetics = [
        st.index("core.n"),
        *range(st["core.c"].start, st["core.c"].start + st["core.c"].size),
    ]
    # the neutron level and the precursors at rest relative to their own (tiny) size
    assert np.max(np.abs(f[kinetics] / y[kinetics])) < 1e-9
    moving = [i for i, n in enumerate(st.labels()) if "energy" in n] + kinetics
    rest = np.delete(f / np.maximum(np.abs(y), 1.0), moving)
    assert np.max(np.abs(rest)) < 1e-9


@pytest.mark.parametrize(("rate", "trip"), [(0.05, None), (0.5, "short_period")])
def test_a_cold_core_started_up_by_dilution(core, rate, trip):
    """From a cold, subcritical core (500 pcm, 60 degC, 2 MPa) a dilution of 100 ppm (900 pcm)
    takes it critical. Slowly (0.05 ppm/s) the power rises from the source level by seven decades
    until the fuel and moderator feedback hold it; fast (0.5 ppm/s) the period falls below 10 s
    and the protection trips the reactor. A start-up the steady state must allow."""
    from nppsim import actions as A

    y, d = core.steady_state(
        0.0, subcriticality=0.005, pressure=2e6, inlet_temperature=333.15, rod_control="manual"
    )
    cb = y[core.net.s_index("core.boron")]
    dil = A.BoronChange.model_validate({"target": cb - 100.0, "rate": rate}, context={"si": True})
    sim = Simulation(core, y, d, actions=[(10.0, dil)])
    n0 = sim.read(["core.n"])["core.n"]
    sim.advance(2500.0)
    trips = [e["name"] for e in sim.log if e["kind"] == "trip"]
    r = sim.read(["core.n", "temp_fuel_avg_k", "reactivity_total"])
    if trip is None:
        assert not trips
        assert r["core.n"] > 1e6 * n0 and r["core.n"] > 0.05
        assert r["temp_fuel_avg_k"] > 333.15 + 30.0  # the feedback that holds it
        assert abs(r["reactivity_total"]) < 1e-5  # critical again, at power
    else:
        assert trips == [trip]
        assert r["core.n"] < n0


def test_core_scenario_from_cold_shutdown_runs():
    text = """
[scenario]
name = "cold"
title = "Cold shutdown core at rest"
design = "vver1000-v446"
duration = "1 h"

[initial]
power = "0 %"
subcriticality = "2000 pcm"
pressure = "0.1 MPa"
inlet_temperature = "20 degC"
rod_control = "manual"
"""
    sc = parse_scenario(tomllib.loads(text), "cold.toml")
    assert sc.initial.subcriticality == pytest.approx(0.02)
    assert sc.initial.inlet_temperature == pytest.approx(293.15)
    res = run(RunSpec(scenario=sc))
    assert res.status == "completed"
    df = res.timeseries
    assert df["temp_coolant_inlet_k"].iloc[-1] == pytest.approx(293.15, abs=1e-6)
    assert df["reactivity_total"].iloc[-1] == pytest.approx(-0.02, abs=1e-9)


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        (
            dict(power=0.0, pressure=0.1e6, inlet_temperature=278.15),
            "initial.inlet_temperature",
            "outside the water-property tables",
        ),
        (
            dict(power=0.0, pressure=0.1e6, inlet_temperature=380.15),
            "initial.inlet_temperature",
            "steam",
        ),
        (dict(power=0.0, pressure=30e6), "initial.pressure", "outside the water-property tables"),
        (dict(power=1.0, pressure=0.1e6, inlet_temperature=363.15), "initial.power", "boiling"),
        (dict(power=1.2), "initial.power", "0 % to 100 %"),
        (dict(power=0.5, subcriticality=0.01), "initial.subcriticality", "power = '0 %'"),
        (dict(power=0.0, subcriticality=0.2), "initial.critical", "no steady state"),
        (dict(power=1e-13), "initial.critical", "no steady state"),
    ],
)
def test_core_states_that_cannot_be_computed_are_clear_errors(core, kw, field, text):
    with pytest.raises(InputError) as err:
        core.steady_state(file="s.toml", **kw)
    msg = str(err.value)
    assert err.value.field == field, msg
    assert text in msg
    assert "\n" not in msg and "s.toml" in msg


def test_property_lookups_check_the_table_status(core):
    pr = _Props(core.net)
    t, rho = pr.t_rho(15.7e6, 1.3e6)
    assert 560.0 < t < 600.0 and 650.0 < rho < 800.0
    for press, h in ((15.7e6, 3.0e6), (0.05e6, 1.0e6), (15.7e6, 0.01e6), (6e6, 2.0e6)):
        with pytest.raises(_TableError):  # steam, pressure and enthalpy outside, two-phase
            pr.t_rho(press, h)
    with pytest.raises(_TableError):
        pr.sat(30e6)


# -- plant model ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("power", "sub"), [(0.0, None), (0.0, 0.01), (0.001, None), (0.02, None)])
def test_plant_from_hot_zero_power_is_at_rest(plant, v446, power, sub):
    y, d = plant.steady_state(power, subcriticality=sub, rod_control="manual")
    o = _out(plant, y, d)
    n = power if power > 0 else _source_level(v446, sub or ZERO_POWER_SUBCRITICALITY)
    assert o["power_relative"] == pytest.approx(n, rel=1e-12)
    assert o["pressure_primary_pa"] == pytest.approx(15.7e6, abs=1e3)
    # hot: the primary sits just above the saturation temperature of the steam header, heated
    # by the pumps (about 19 MW) and the core
    t_sat_header = 274.3 + 273.15
    assert t_sat_header < o["temp_coolant_inlet_k"] < t_sat_header + 2.0
    # the level controllers hold the measured (narrow-range) level of the full-power state; with
    # no boiling there is no void, so the collapsed level stands at that reading (issue 8)
    assert o["level_sg1_measured_m"] == pytest.approx(plant.data.level_measured_setpoint, abs=1e-6)
    # the pool's void goes with the heat (core and the pumps' 19 MW): the swell of the reading
    # over the collapsed level is that share of its full-power value (2.632 - 2.4 m), nearly
    swell_full = plant.data.level_measured_setpoint - 2.4
    share = n + 19e6 / 3000e6
    assert 0.5 * share * swell_full < o["level_sg1_measured_m"] - o["level_sg1_m"]
    assert o["level_sg1_measured_m"] - o["level_sg1_m"] < 1.5 * share * swell_full
    sim = _at_rest(plant, y, d, hours=0.5)
    r = sim.read(["power_relative", "temp_coolant_inlet_k", "pressure_steam_pa"])
    assert r["power_relative"] == pytest.approx(n, rel=1e-4)
    assert r["temp_coolant_inlet_k"] == pytest.approx(o["temp_coolant_inlet_k"], abs=0.01)
    assert r["pressure_steam_pa"] == pytest.approx(o["pressure_steam_pa"], abs=1e3)
    assert not [e for e in sim.log if e["kind"] in ("trip", "alarm")]


def test_plant_refuses_cold_states(plant):
    for kw, field in (
        (dict(inlet_temperature=333.15), "initial.inlet_temperature"),
        (dict(pressure=2e6), "initial.pressure"),
    ):
        with pytest.raises(InputError) as err:
            plant.steady_state(0.0, file="cold.toml", **kw)
        assert err.value.field == field
        assert "residual heat removal" in str(err.value)
    text = """
[scenario]
name = "cold-plant"
title = "t"
design = "vver1000-v446"
model = "plant"
duration = "1 h"

[initial]
power = "0 %"
inlet_temperature = "60 degC"
"""
    with pytest.raises(InputError, match=r"cold-plant\.toml: initial\.inlet_temperature .*core"):
        parse_scenario(tomllib.loads(text), "cold-plant.toml")


def test_scenario_initial_power_range():
    base = """
[scenario]
name = "p"
title = "t"
design = "vver1000-v446"
duration = "1 h"

[initial]
power = "{p}"
"""
    assert parse_scenario(tomllib.loads(base.format(p="0 %"))).initial.power == 0.0
    for bad in ("-1 %", "101 %"):
        with pytest.raises(InputError, match=r"initial\.power"):
            parse_scenario(tomllib.loads(base.format(p=bad)), "p.toml")

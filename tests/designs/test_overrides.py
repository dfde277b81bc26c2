"""Design values overridden in memory (``Design.with_overrides``, ``RunSpec.overrides``): the run
uses exactly them, in the physically expected direction; bad paths and values are one-line
input errors naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine.run import RunSpec, run
from nppsim.errors import InputError
from nppsim.plant.model import Model


def _peak(res, column):
    return float(res.timeseries[column].max())


@pytest.fixture(scope="module")
def withdrawal():
    """rod-withdrawal with the design's Doppler coefficient, a weaker and a stronger one."""
    out = {}
    for label, alpha in (("weak", -1.5e-5), ("design", None), ("strong", -3.5e-5)):
        ov = {} if alpha is None else {"reactivity.doppler_coefficient": alpha}
        out[label] = run(RunSpec(scenario="rod-withdrawal", overrides=ov))
    return out


def test_override_reaches_the_run_and_the_design_says_so(withdrawal, v446):
    res = withdrawal["weak"]
    assert res.status == "completed"
    q = res.design.reactivity.doppler_coefficient
    assert q.si == pytest.approx(-1.5e-5)
    assert q.unit == "pcm/K" and q.value == pytest.approx(-1.5)  # kept in the file's unit
    assert "override" in q.source
    assert v446.reactivity.doppler_coefficient.si == pytest.approx(-2.5e-5)  # file untouched
    # the model is built from the overridden value
    core = Model(res.design, "core").core
    from nppsim.plant.components.core import S_ALPHA_DOPPLER

    assert core.sc[S_ALPHA_DOPPLER] == pytest.approx(-1.5e-5)


def test_doppler_coefficient_changes_the_rod_withdrawal(withdrawal):
    """A bank withdrawal adds the same reactivity; the fuel temperature rise that compensates it
    goes as 1/|alpha_D|, so a weaker Doppler coefficient lets power and fuel temperature rise
    further."""
    p = {k: _peak(r, "power_thermal_w") for k, r in withdrawal.items()}
    tf = {k: _peak(r, "temp_fuel_avg_k") for k, r in withdrawal.items()}
    assert p["weak"] > p["design"] > p["strong"]
    assert tf["weak"] > tf["design"] > tf["strong"]
    # and the difference is not round-off: several % of power between the extremes
    assert (p["weak"] - p["strong"]) / p["design"] > 0.02
    # the withdrawal itself (the bank's course) is the same in the three runs
    z = [
        float(np.interp(100.0, r.timeseries["time_s"], r.timeseries["bank_position_G10_frac"]))
        for r in withdrawal.values()
    ]
    assert max(z) - min(z) < 1e-9 and z[0] > 0.2  # moving out, the same in the three
    # with the weak coefficient the power reaches the high-flux setpoint (107 %) and the
    # reactor trips; with the design's and the strong one it settles below, lower when stronger
    trips = {k: [e["name"] for e in r.events if e["kind"] == "trip"] for k, r in withdrawal.items()}
    assert trips == {"weak": ["high_flux"], "design": [], "strong": []}
    end = {k: r.timeseries["power_thermal_w"].iloc[-1] for k, r in withdrawal.items()}
    assert end["design"] > end["strong"] > 0.6 * 3e9


def test_pump_inertia_slows_the_coastdown():
    """rcp-trip-one with twice the rotor inertia: the tripped pump (1) coasts down more slowly,
    so its speed and its loop's forward flow stay higher for longer (tau = J w0^2 / P0)."""
    base = run(RunSpec(scenario="rcp-trip-one"))
    heavy = run(RunSpec(scenario="rcp-trip-one", overrides={"pumps.inertia": 8000.0}))
    assert base.status == heavy.status == "completed"
    t_trip = 60.0

    def at(res, col, t):
        df = res.timeseries
        return float(np.interp(t, df["time_s"], df[col]))

    for dt in (2.0, 5.0, 10.0):
        assert at(heavy, "speed_pump1_rad_s", t_trip + dt) > at(
            base, "speed_pump1_rad_s", t_trip + dt
        )
        assert at(heavy, "flow_loop1_kg_s", t_trip + dt) > at(base, "flow_loop1_kg_s", t_trip + dt)

    # the loop flow reverses later with the heavier rotor
    def reversal(res):
        df = res.timeseries[res.timeseries["time_s"] > t_trip]
        return float(df.loc[df["flow_loop1_kg_s"] < 0.0, "time_s"].iloc[0])

    assert reversal(heavy) > reversal(base) + 2.0
    # before the trip the two runs are the same plant (inertia does not enter the steady state)
    assert at(heavy, "flow_loop1_kg_s", 30.0) == pytest.approx(at(base, "flow_loop1_kg_s", 30.0))


@pytest.mark.parametrize(
    ("overrides", "field", "allowed"),
    [
        ({"pumps.inertial": 5000.0}, "pumps.inertial", "no field 'inertial'"),
        ({"pump.inertia": 5000.0}, "pump.inertia", "no field 'pump'"),
        ({"pumps.inertia": -5.0}, "pumps.inertia", "allowed range"),
        ({"pumps.inertia": "heavy"}, "pumps.inertia", "a number in SI units"),
        ({"reactivity.doppler_coefficient": 1e-5}, "reactivity.doppler_coefficient", "range"),
        ({"rods.banks[G11].worth": 0.01}, "rods.banks[G11].worth", "no item named 'G11'"),
        ({"rods.banks[7].worth": 0.01}, "rods.banks[7].worth", "index out of range"),
        ({"rods.banks[G10]": 0.01}, "rods.banks[G10]", "give a field"),
        ({"kinetics.beta": 0.0065}, "kinetics.beta", "list quantity"),
        ({"primary.loops": 0}, "primary.loops", "greater than or equal to 1"),
        ({"": 1.0}, "", "empty override path"),
    ],
)
def test_bad_overrides_are_errors_naming_the_field(v446, overrides, field, allowed):
    with pytest.raises(InputError) as err:
        v446.with_overrides(overrides, file="study.toml")
    e = err.value
    msg = str(e)
    assert "\n" not in msg
    assert e.field == field or field in msg
    assert allowed in msg
    assert "study.toml" in msg


def test_bad_override_in_a_run_spec_is_an_input_error():
    with pytest.raises(InputError, match=r"pumps\.inertia"):
        run(RunSpec(scenario="rcp-trip-one", overrides={"pumps.inertia": 1e9}))


def test_list_items_by_name_and_integer_fields(v446):
    d = v446.with_overrides({"rods.banks[G10].worth": 0.007, "core.axial_nodes": 6})
    assert d.rods.banks[0].worth.si == pytest.approx(0.007)
    assert d.core.axial_nodes == 6
    assert Model(d, "core").core.n_nodes == 6


def test_an_inconsistent_plant_is_refused_when_the_model_is_built(v446):
    d = v446.with_overrides({"pumps.count": 3})  # each section valid, the plant is not
    with pytest.raises(InputError, match=r"pumps\.count = 3"):
        Model(d, "plant")

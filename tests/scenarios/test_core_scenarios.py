"""The built-in core scenarios run to their end with the course their descriptions promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nppsim import results
from nppsim.designs import load_design
from nppsim.plant.model import Model
from nppsim.scenarios import load_scenario

P_NOM = 3e9


@pytest.fixture(scope="module")
def runs():
    return {
        name: results.run(load_scenario(name))
        for name in ("scram", "xenon-transient", "rod-withdrawal")
    }


def _at(df, t):
    return df.iloc[int(np.searchsorted(df["time_s"].to_numpy(), t))]


@pytest.mark.parametrize("name", ["scram", "xenon-transient", "rod-withdrawal"])
def test_runs_to_the_end_and_conserves_energy(runs, name):
    res = runs[name]
    df = res.timeseries
    assert res.status == "completed"
    assert df["time_s"].iloc[-1] == pytest.approx(res.scenario.duration)
    produced = df["energy_prompt_j"].iloc[-1] + df["energy_decay_j"].iloc[-1]
    residual = (
        produced
        - df["energy_removed_j"].iloc[-1]
        - (df["energy_stored_j"].iloc[-1] - df["energy_stored_j"].iloc[0])
    )
    assert abs(residual) < 1e-3 * produced


def test_scram_course(runs):
    df, ev = runs["scram"].timeseries, runs["scram"].events
    trips = [e for e in ev if e["kind"] == "trip"]
    assert [e["name"] for e in trips] == ["manual"] and trips[0]["time_s"] == 60.0
    assert _at(df, 120.0)["power_thermal_w"] < 0.05 * P_NOM  # decay heat within a minute
    # decay heat falls monotonically after the fission tail, except for the step of the ANS-5.1
    # capture factor G where the standard switches from its formula to the G_max table (1e4 s)
    after = df[df["time_s"] > 120.0]
    rises = np.flatnonzero(np.diff(after["power_decay_w"].to_numpy()) > 0)
    t_rise = after["time_s"].to_numpy()[rises + 1] - 60.0
    assert np.all(np.abs(t_rise - 1e4) < 1.0), t_rise
    x = df["xenon_number_density_per_m3"]
    t_peak = df["time_s"].iloc[int(x.idxmax())] - 60.0
    assert 6 * 3600 < t_peak < 12 * 3600  # the xenon peak
    assert x.max() > 1.5 * x.iloc[0]
    assert x.iloc[-1] < x.iloc[0]  # after three days xenon has decayed below equilibrium
    assert df["temp_fuel_avg_k"].iloc[-1] < df["temp_coolant_inlet_k"].iloc[-1] + 5.0


def test_xenon_transient_course(runs):
    df, ev = runs["xenon-transient"].timeseries, runs["xenon-transient"].events
    assert not [e for e in ev if e["kind"] == "trip"]
    assert _at(df, 6 * 3600)["power_relative"] == pytest.approx(0.5, abs=0.01)
    assert df["power_relative"].iloc[-1] == pytest.approx(1.0, abs=0.01)
    x = df["xenon_number_density_per_m3"]
    x0 = x.iloc[0]
    assert _at(df, 7 * 3600)["xenon_number_density_per_m3"] > x0  # rises after the reduction
    assert _at(df, 14 * 3600)["xenon_number_density_per_m3"] < x0  # burns out on the return
    # the controllers hold the core critical throughout
    assert np.max(np.abs(df["reactivity_total"])) < 50e-5


def test_rod_withdrawal_course(runs):
    df, ev = runs["rod-withdrawal"].timeseries, runs["rod-withdrawal"].events
    p0 = df["power_thermal_w"].iloc[0]
    assert p0 == pytest.approx(0.6 * P_NOM)
    assert df["power_thermal_w"].iloc[-1] > 1.3 * p0  # withdrawal raises power
    assert df["temp_fuel_avg_k"].iloc[-1] > df["temp_fuel_avg_k"].iloc[0] + 50.0
    # feedback balances the added reactivity: nearly critical again at the end
    assert abs(df["reactivity_total"].iloc[-1]) < 2e-5
    trips = [e for e in ev if e["kind"] == "trip"]
    assert not trips or trips[0]["name"] in ("high_flux", "short_period")


_model = None


def _core() -> Model:
    global _model
    if _model is None:
        _model = Model(load_design("vver1000-v446"), "core")
    return _model


@settings(max_examples=15, deadline=None)
@given(power=st.floats(0.01, 1.0), critical=st.sampled_from(["boron", "bank"]))
def test_any_steady_state_is_at_rest(power, critical):
    """At any power from 1 % to 100 % the computed state is a fixed point of the equations."""
    model = _core()
    try:
        y, d = model.steady_state(power, critical, rod_control="manual")
    except Exception as e:  # the banks alone cannot hold every power at fixed boron
        assert critical == "bank" and "no steady state" in str(e)
        return
    net = model.net
    dy = net.rhs(0.0, y, d)
    scale = np.maximum(np.abs(y), 1.0)
    core = slice(0, net.states["core.energy"].start)
    assert np.max(np.abs(dy[core]) / scale[core]) < 1e-8
    k = model.design.kinetics
    rho = net.signal_vector(0.0, y, d)[net.w_index("core.reactivity[0]")]
    assert rho == pytest.approx(-k.neutron_source.si * k.generation_time.si / power, abs=1e-12)

"""The core model: steady state at rest, energy conservation, decay heat after a trip,
snapshots, controllers, and agreement of a transient with the steady-state solver."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.errors import InputError, SolverError
from nppsim.physics.decay_heat import decay_heat_fraction
from nppsim.plant.core import CoreModel
from nppsim.scenarios import load_scenario
from nppsim.simulation import Event, Simulation


def _energy_balance_error(df) -> tuple[float, float]:
    """(|prompt + decay - removed - stored change|, energy produced) [J]."""
    produced = df["energy_prompt_j"].iloc[-1] + df["energy_decay_j"].iloc[-1]
    residual = (
        produced
        - df["energy_removed_j"].iloc[-1]
        - (df["energy_stored_j"].iloc[-1] - df["energy_stored_j"].iloc[0])
    )
    return abs(residual), produced


@pytest.mark.parametrize("power", [1.0, 0.5, 0.05])
def test_steady_state_stays_at_rest_for_an_hour(v446, power):
    model = CoreModel(v446)
    y0 = model.steady_state(power, "boron", rod_control="manual")
    sim = Simulation(model, y0)
    sim.advance(3600.0)
    df = sim.results()
    p = df["power_thermal_w"]
    assert abs(p.iloc[0] / (power * 3e9) - 1) < 1e-6  # the steady state is at the asked power
    assert (p.max() - p.min()) / p.iloc[0] < 1e-3  # under 0.1 % power drift
    for col in [c for c in df.columns if c.startswith("temp_")]:
        assert df[col].max() - df[col].min() < 0.1, col
    assert np.max(np.abs(model.rhs(0.0, y0)[:-3] / np.maximum(np.abs(y0[:-3]), 1.0))) < 1e-9


def test_full_power_steady_state_matches_design(v446):
    model = CoreModel(v446)
    y0 = model.steady_state(1.0)
    out = dict(zip(model.output_names, model.outputs(0.0, y0), strict=True))
    assert out["power_thermal_w"] == pytest.approx(3e9, rel=1e-9)
    assert out["temp_coolant_inlet_k"] == pytest.approx(289 + 273.15, abs=1e-6)
    # design outlet 319 degC (RUWIKI): the design's flow gives it within 2 K
    assert out["temp_coolant_outlet_k"] == pytest.approx(319 + 273.15, abs=2.0)
    assert out["boron_ppm"] == pytest.approx(700.0, abs=1e-6)
    assert out["reactivity_total"] == pytest.approx(0.0, abs=1e-9)
    assert 750 < out["temp_fuel_avg_k"] < 1100
    assert out["temp_fuel_max_k"] < 2800  # below UO2 melting (3120 K) with margin


def test_lower_power_needs_more_boron_with_less_xenon_and_cooler_fuel(v446):
    model = CoreModel(v446)
    o = {}
    for p in (1.0, 0.5):
        y = model.steady_state(p)
        o[p] = dict(zip(model.output_names, model.outputs(0.0, y), strict=True))
    assert o[0.5]["boron_ppm"] > o[1.0]["boron_ppm"]  # power defect compensated by boron
    assert o[0.5]["temp_fuel_avg_k"] < o[1.0]["temp_fuel_avg_k"]
    assert o[0.5]["xenon_number_density_per_m3"] < o[1.0]["xenon_number_density_per_m3"]


def test_energy_is_conserved_through_a_trip(v446):
    sc = load_scenario("scram")
    model = CoreModel(v446)
    y0 = model.steady_state(1.0)
    sim = Simulation(model, y0, events=sc.to_events())
    sim.advance(2 * 3600.0)
    residual, produced = _energy_balance_error(sim.results())
    assert residual < 1e-3 * produced


def test_decay_heat_after_trip_follows_ans51(v446):
    """Two methods: the dynamic group states after a scram vs the closed-form standard."""
    model = CoreModel(v446)
    y0 = model.steady_state(1.0)
    t_trip = 10.0
    sim = Simulation(model, y0, events=[Event(t_trip, "scram", "trip")])
    checks = [1000.0, 3600.0, 36000.0, 86400.0]
    for tc in checks:
        sim.advance(t_trip + tc)
        df = sim.results()
        got = df["power_decay_w"].iloc[-1] / 3e9
        want = float(
            decay_heat_fraction(tc, model.par.t_operating, v446.decay_heat.fission_fractions)
        )
        # the fissions of the neutron tail after the trip add a little; 1 % covers it
        assert got == pytest.approx(want, rel=0.01), tc


def test_snapshot_and_restore_reproduce_the_run(v446):
    sc = load_scenario("scram")
    model = CoreModel(v446)
    sim = Simulation(model, model.steady_state(1.0), events=sc.to_events())
    sim.advance(30.0)
    snap = sim.snapshot()
    sim.advance(600.0)
    first = sim.state()
    events_first = list(sim.log)
    sim.restore(snap)
    assert sim.t == 30.0
    sim.advance(600.0)
    second = sim.state()
    for k in first:
        assert second[k] == pytest.approx(first[k], rel=1e-6, abs=1e-9), k
    assert [e["kind"] for e in sim.log] == [e["kind"] for e in events_first]


def test_advance_in_small_steps_equals_one_advance(v446):
    model_a, model_b = CoreModel(v446), CoreModel(v446)
    ev = [Event(5.0, "reactivity_step", "step", {"rho": 1e-4})]
    a = Simulation(model_a, model_a.steady_state(1.0, rod_control="manual"), events=ev)
    b = Simulation(model_b, model_b.steady_state(1.0, rod_control="manual"), events=ev)
    a.advance(120.0)
    for t in np.arange(1.0, 121.0, 1.0):
        b.advance(float(t))
    assert b.state()["n"] == pytest.approx(a.state()["n"], rel=1e-5)


def test_transient_settles_at_the_steady_state_solvers_answer(v446):
    """A boron dilution with rods in manual: the state the transient settles at must be the
    steady state the solver computes at the same thermal power (two independent methods)."""
    model = CoreModel(v446)
    y0 = model.steady_state(0.8, "boron", rod_control="manual")
    cb0 = y0[model.s_boron]
    ev = [Event(10.0, "boron", "dilute", {"target": cb0 - 20.0, "rate": 1.0})]
    sim = Simulation(model, y0, events=ev)
    sim.advance(2000.0)
    df = sim.results()
    p_end = df["power_thermal_w"].iloc[-1] / 3e9
    assert p_end > 0.85  # dilution adds reactivity: power rises until feedback balances it
    # the algebraic steady state at that thermal power
    th = model._thermal_steady(p_end, 15.7e6, 289 + 273.15, 1.0)
    assert np.max(np.abs(th["temp_fuel"] - sim.y[model.s_tf])) < 0.05
    assert np.max(np.abs(th["h"] - sim.y[model.s_h])) < 60.0  # J/kg, about 0.01 K
    ys = sim.y.copy()
    ys[model.s_tf], ys[model.s_tc], ys[model.s_h] = th["temp_fuel"], th["temp_clad"], th["h"]
    # critical at the steady temperatures: the feedback that ended the transient is the one the
    # steady-state solver computes
    assert abs(model.reactivity(sim.t, ys)["total"]) < 1e-5


def test_power_controller_follows_setpoint(v446):
    model = CoreModel(v446)
    y0 = model.steady_state(1.0, rod_control="auto", boron_control="auto")
    ev = [Event(60.0, "power_setpoint", "down", {"target": 0.9, "rate": 0.01 / 60.0})]
    sim = Simulation(model, y0, events=ev)
    sim.advance(3600.0)
    assert sim.state()["n"] == pytest.approx(0.9, abs=0.01)


def test_trip_on_high_flux_is_latched_and_recorded(v446):
    model = CoreModel(v446)
    y0 = model.steady_state(1.0, rod_control="manual")
    sim = Simulation(model, y0, events=[Event(1.0, "reactivity_step", "big", {"rho": 3e-3})])
    sim.advance(60.0)
    trips = [e for e in sim.log if e["kind"] == "trip"]
    assert len(trips) == 1
    assert trips[0]["name"] in ("high_flux", "short_period")
    assert sim.state()["n"] < 0.1


def test_unreachable_steady_state_is_a_clear_error(v446):
    model = CoreModel(v446)
    with pytest.raises(InputError, match="no steady state"):
        model.steady_state(0.02, "bank", boron=0.0)


def test_solver_failure_keeps_results(v446, monkeypatch):
    model = CoreModel(v446)
    real = model.rhs

    def broken(t, y):
        dy = real(t, y)
        if t > 150.0:
            dy[:] = np.nan
        return dy

    monkeypatch.setattr(model, "rhs", broken)
    sim = Simulation(model, model.steady_state(1.0, rod_control="manual"))
    with pytest.raises(SolverError):
        sim.advance(1000.0)
    df = sim.results()
    assert len(df) > 5
    assert 0.0 < df["time_s"].iloc[-1] <= 150.0 + 1e-9
    assert sim.t == df["time_s"].iloc[-1]
    assert np.all(np.isfinite(df["power_thermal_w"]))


def test_run_that_fails_midway_keeps_and_writes_results(monkeypatch, tmp_path):
    """A solver failure: the run says why, and what was computed is written."""
    import json

    from nppsim import results

    real = CoreModel.rhs

    def broken(self, t, y):
        dy = real(self, t, y)
        if t > 100.0:
            dy[:] = np.nan
        return dy

    monkeypatch.setattr(CoreModel, "rhs", broken)
    res = results.run(load_scenario("scram"))
    assert res.status == "failed" and "t =" in res.message
    assert 0.0 < res.timeseries["time_s"].iloc[-1] <= 100.0 + 1e-9
    assert res.events[-1]["kind"] == "solver_failure"
    paths = results.write(res, tmp_path)
    meta = json.loads(paths["run"].read_text())
    assert meta["status"] == "failed" and meta["message"]

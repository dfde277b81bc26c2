"""The steerable engine's bars (issue 7): a clock that stops exactly where asked, actions
applied at the time they are given, snapshots that continue bit for bit, the same bytes from
two runs, threads that agree with serial runs, and clear errors for misuse.

Every comparison of two runs here is exact (``np.array_equal``): the engine promises the same
bits, not the same values within a tolerance.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nppsim import actions as A
from nppsim.engine.run import RunSpec, SolverOptions, build, run
from nppsim.engine.simulation import Simulation, SimulationError
from nppsim.plant.model import Model

THREE_LOOPS = Path(__file__).resolve().parents[1] / "data" / "vver1000-v446-3loop.toml"


@pytest.fixture(scope="module")
def core(v446):
    return Model(v446, "core")


@pytest.fixture(scope="module")
def plant(v446):
    return Model(v446, "plant")


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert a.shape == b.shape
    assert np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True)


def _recorded_times(sim: Simulation) -> np.ndarray:
    return sim.states_frame()["time_s"].to_numpy()


# -- the clock ------------------------------------------------------------------------------------
def test_advance_stops_the_clock_exactly_where_asked_and_reads_there(core):
    """advance(t) ends with the clock at t, between integrator steps; read() gives the values at
    t: those of the integrator's interpolant, which agree with a run forced to step onto t."""
    y0, d0 = core.steady_state(0.5, rod_control="manual")
    ramp = A.ReactivityRamp(rate="2 pcm/s", duration="100 s")
    sim = Simulation(core, y0, d0, actions=[(10.0, ramp)])
    t_ask = 47.123456789
    sim.advance(t_ask)
    assert sim.t == t_ask
    assert sim.integ.t > t_ask  # the integrator stepped beyond: the clock is between steps
    assert t_ask not in _recorded_times(sim)
    names = ["core.n", "power_thermal_w", "temp_fuel_avg_k", "reactivity_external"]
    got = sim.read(names)
    # the values at the clock are the state there and the signals of that state
    w = core.net.signal_vector(t_ask, sim.y, sim.d)
    assert got["power_thermal_w"] == w[core.net.signal_lookup("power_thermal_w")]
    assert got["core.n"] == sim.y[core.net.s_index("core.n")]
    assert got["reactivity_external"] == pytest.approx(2e-5 * (t_ask - 10.0), rel=1e-12)
    # results() ends with the clock's row
    df = sim.results()
    assert df["time_s"].iloc[-1] == t_ask
    assert df["power_thermal_w"].iloc[-1] == got["power_thermal_w"]
    # an independent reference: a tight run made to stop exactly at t (a no-op action there)
    ref = Simulation(
        core, y0, d0, actions=[(10.0, ramp), (t_ask, A.Control(boron="manual"))], rtol=1e-10
    )
    ref.advance(t_ask)
    n_ref = ref.read(["core.n"])["core.n"]
    assert got["core.n"] == pytest.approx(n_ref, rel=2e-5)


def test_advance_in_pieces_gives_the_bits_of_one_advance(plant):
    """Stopping the clock (at any times, between steps) disturbs nothing."""
    y0, d0 = plant.steady_state(1.0)
    ev = [(20.0, A.PumpTrip(pump=2))]
    a = Simulation(plant, y0, d0, actions=ev)
    a.advance(120.0)
    b = Simulation(plant, y0, d0, actions=ev)
    for t in np.concatenate((np.linspace(0.37, 119.0, 40), [120.0])):
        b.advance(float(t))
    assert np.array_equal(a.y, b.y)
    _same_frames(a.results(), b.results())
    assert a.log == b.log


# -- steering -------------------------------------------------------------------------------------
def test_submit_applies_the_action_at_the_clock(core):
    """submit(action) at t: the log entry is at t, the state changes from t (not before, not at
    a later integrator step), and nothing before t is altered."""
    y0, d0 = core.steady_state(1.0, rod_control="manual")
    base = Simulation(core, y0, d0)
    base.advance(3000.0)
    sim = Simulation(core, y0, d0)
    sim.advance(600.0)
    sim.advance(1800.0)  # long pieces: the integrator is well beyond 1800 s now
    assert sim.integ.t > 1800.0
    sim.submit(A.ReactivityStep(rho="-50 pcm", name="insert"))
    assert sim.t == 1800.0
    entry = [e for e in sim.log if e["name"] == "insert"]
    assert len(entry) == 1 and entry[0]["time_s"] == 1800.0
    sim.advance(3000.0)
    df = sim.results()
    before = df[df["time_s"] < 1800.0]
    ref = base.results()
    ref_before = ref[ref["time_s"] < 1800.0]
    # what was recorded before the action is the undisturbed run's, up to the clock
    _same_frames(before.reset_index(drop=True), ref_before.reset_index(drop=True))
    at = df[df["time_s"] == 1800.0]
    assert len(at) == 2  # the instant twice: just before and just after the action
    assert at["reactivity_external"].tolist() == [0.0, -50e-5]
    after = df[df["time_s"] > 1800.0]
    assert (after["reactivity_external"] == -50e-5).all()
    # the prompt drop follows at once: 1 s after the action the power is down by several %
    p0 = at["power_thermal_w"].iloc[0]
    p1 = float(np.interp(1801.0, after["time_s"], after["power_thermal_w"]))
    assert p1 < 0.95 * p0


def test_observers_see_the_recorded_rows_once_as_frames_and_as_arrays(core):
    """An observer (DataFrame) and a raw observer (array of the recorded columns) get the same
    rows, each recorded step once and in order, equal to the record's rows, across short and
    long advances and an action submitted between them (which drops what the integrator had
    computed beyond the clock)."""
    y0, d0 = core.steady_state(1.0, rod_control="manual")
    sim = Simulation(core, y0, d0)
    frames: list[pd.DataFrame] = []
    raws: list[tuple[np.ndarray, np.ndarray]] = []
    sim.add_observer(lambda ts, df: frames.append(df.copy()))
    sim.add_observer(lambda ts, rows: raws.append((ts.copy(), rows.copy())), raw=True)
    for t in np.arange(0.3, 30.0, 0.3):
        sim.advance(float(t))
    sim.advance(900.0)
    sim.submit(A.ReactivityStep(rho="-50 pcm", name="insert"))
    for t in np.arange(900.2, 905.0, 0.2):
        sim.advance(float(t))
    sim.advance(1500.0)
    df = pd.concat(frames, ignore_index=True)
    ts = np.concatenate([t for t, _ in raws])
    rows = np.concatenate([r for _, r in raws])
    assert len(frames) == len(raws) > 10
    assert np.array_equal(df["time_s"].to_numpy(), ts)
    assert np.array_equal(df.drop(columns="time_s").to_numpy(), rows, equal_nan=True)
    assert list(df.columns) == list(sim.results().columns)
    assert np.all(np.diff(ts) > 0)  # each step once, in order
    ref = sim.results()
    # every recorded step after the start is seen, but the action's instant (the clock was
    # already there, observers had seen that time) and the clock's own row of the record
    recorded = np.unique(ref["time_s"].to_numpy())
    seen = (recorded > 0.0) & (recorded != 900.0) & (recorded < sim.t)
    assert np.array_equal(recorded[seen], ts[ts < sim.t])
    ref = ref[ref["time_s"].isin(ts)].drop_duplicates("time_s", keep="last")
    assert np.array_equal(ref["time_s"].to_numpy(), ts)
    assert np.array_equal(ref.drop(columns="time_s").to_numpy(), rows, equal_nan=True)


def test_submit_at_a_later_time_is_applied_then(core):
    y0, d0 = core.steady_state(1.0, rod_control="manual")
    sim = Simulation(core, y0, d0)
    sim.advance(100.0)
    sim.submit(A.ReactivityStep(rho="10 pcm", name="later"), at=250.5)
    sim.advance(400.0)
    entry = [e for e in sim.log if e["name"] == "later"]
    assert len(entry) == 1 and entry[0]["time_s"] == 250.5
    df = sim.results()
    assert df.loc[df["time_s"] < 250.5, "reactivity_external"].eq(0.0).all()
    assert df.loc[df["time_s"] > 250.5, "reactivity_external"].eq(10e-5).all()


def test_submit_in_the_plant_trips_the_turbine_at_the_clock(plant):
    y0, d0 = plant.steady_state(1.0)
    sim = Simulation(plant, y0, d0)
    sim.advance(33.3)
    sim.submit(A.TurbineTrip(name="tt"))
    sim.advance(40.0)
    times = {e["name"]: e["time_s"] for e in sim.log}
    assert times["tt"] == 33.3
    assert times["turbine_trip"] == 33.3  # the protection's row fires at once (above 75 %)


# -- snapshots ------------------------------------------------------------------------------------
def _resume(spec: RunSpec, path: Path) -> Simulation:
    """A new model and simulation of the same spec, restored from a snapshot file."""
    _, sim = build(spec)
    sim.load(path)
    return sim


def test_a_run_split_by_save_and_load_equals_the_uninterrupted_run(tmp_path):
    """Split at several times: between integrator steps, just before a scheduled action, just
    before a located trip; each piece continues in a new model and simulation from the file."""
    spec = RunSpec(scenario="steam-line-break")
    _, full = build(spec)
    t_end = 150.0
    full.advance(t_end)
    trip = next(e for e in full.log if e["kind"] == "trip")
    t_trip = trip["time_s"]
    assert 60.0 < t_trip < t_end
    t_steps = _recorded_times(full)
    k = int(np.searchsorted(t_steps, 30.0))
    between = 0.5 * (t_steps[k] + t_steps[k + 1])  # strictly between two accepted steps
    splits = sorted(
        {
            between,
            math.nextafter(60.0, 0.0),  # just before the break opens (scheduled action at 60 s)
            60.0,
            t_trip - 1e-3,  # just before the trip the integrator locates
            math.nextafter(t_trip, 0.0),
            t_trip + 0.3 * (full.t - t_trip) / 10,
        }
    )
    sim = build(spec)[1]
    beyond = 0  # saves taken with the integrator's last step beyond the clock
    for i, t in enumerate(splits):
        sim.advance(t)
        beyond += sim.integ.t > sim.t
        path = tmp_path / f"piece{i}.npz"
        sim.save(path)
        sim = _resume(spec, path)
        assert sim.t == t
    assert beyond >= 3
    sim.advance(t_end)
    assert np.array_equal(sim.y, full.y)
    assert np.array_equal(sim.d, full.d)
    _same_frames(sim.states_frame(), full.states_frame())
    _same_frames(sim.results(), full.results())
    assert sim.log == full.log


def test_restore_continues_bit_for_bit_from_the_middle_of_a_step(core, tmp_path):
    y0, d0 = core.steady_state(1.0, rod_control="manual")
    ev = [(5.0, A.Scram())]
    a = Simulation(core, y0, d0, actions=ev)
    a.advance(7.77)
    assert a.integ.t > a.t  # snapshot taken with the integrator beyond the clock
    a.save(tmp_path / "s.npz")
    a.advance(2000.0)
    b = Simulation(core, y0, d0)  # no actions of its own: the snapshot brings everything
    b.load(tmp_path / "s.npz")
    b.advance(2000.0)
    assert np.array_equal(a.y, b.y)
    _same_frames(a.results(), b.results())
    assert a.log == b.log


def test_snapshot_of_another_model_is_refused(plant, v446):
    y0, d0 = plant.steady_state(1.0)
    sim = Simulation(plant, y0, d0)
    sim.advance(5.0)
    blob = sim.snapshot()
    others = [
        Model(load_three_loops(), "plant"),
        Model(v446.with_overrides({"pumps.inertia": 5000.0}), "plant"),
        Model(v446, "core"),
    ]
    for other in others:
        y, d = other.steady_state(1.0)
        target = Simulation(other, y, d)
        with pytest.raises(SimulationError, match="another model"):
            target.restore(blob)
        assert target.t == 0.0  # the refused snapshot left the simulation as it was
    with pytest.raises(SimulationError, match="not an nppsim snapshot"):
        sim.restore(b"not a snapshot")


def load_three_loops():
    from nppsim.designs import load_design

    return load_design(THREE_LOOPS)


# -- same bytes, threads --------------------------------------------------------------------------
def test_two_runs_write_identical_parquet_bytes(tmp_path):
    from nppsim.results import write

    spec = RunSpec(scenario="turbine-trip")
    first = run(spec)
    run(RunSpec(scenario="rcp-trip-one"))  # whatever ran before must not matter
    second = run(spec)
    a = write(first, tmp_path / "a")["timeseries"].read_bytes()
    b = write(second, tmp_path / "b")["timeseries"].read_bytes()
    assert a == b
    assert len(first.timeseries) > 100


def _thread_run(spec: RunSpec) -> tuple[pd.DataFrame, list, np.ndarray]:
    """Build the model (in this thread), run it, return results, log and final state."""
    _, sim = build(spec)
    sim.advance(spec.resolve()[0].duration)
    return sim.results(), list(sim.log), sim.y


def test_two_plants_in_two_threads_agree_with_serial_runs():
    specs = [
        RunSpec(scenario="turbine-trip"),
        RunSpec(scenario="rcp-trip-one", overrides={"pumps.inertia": 5000.0}),
    ]
    serial = [_thread_run(s) for s in specs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(_thread_run, specs))
    for (df_s, log_s, y_s), (df_t, log_t, y_t) in zip(serial, threaded, strict=True):
        _same_frames(df_s, df_t)
        assert log_s == log_t
        assert np.array_equal(y_s, y_t)


def _advanced(scenario: str, t: float) -> tuple[pd.DataFrame, list, np.ndarray]:
    _, sim = build(RunSpec(scenario=scenario))
    sim.advance(t)
    return sim.results(), list(sim.log), sim.y


def test_load_follow_again_after_other_runs_is_bit_identical():
    # the boron controller read the rod controller's "auto" signal before the controller (moved
    # late in the plant's evaluation order) had written it: whatever memory the signal vector got
    # decided the boron feed, so the run depended on what ran before it in the process
    first = _advanced("load-follow", 3 * 3600.0)  # past the 2 h power ramp
    run(RunSpec(scenario="turbine-trip"))
    run(RunSpec(scenario="boron-dilution"))
    second = _advanced("load-follow", 3 * 3600.0)
    _same_frames(first[0], second[0])
    assert first[1] == second[1]
    assert np.array_equal(first[2], second[2])
    assert first[0]["time_s"].iloc[-1] == 3 * 3600.0


def test_no_plant_signal_is_read_before_it_is_written():
    from nppsim.plant import kernel

    model, sim = build(RunSpec(scenario="load-follow"))
    sim.advance(7100.0)  # rods and boron in automatic, the banks off their reference
    net, y, d = model.net, sim.y.copy(), sim.d.copy()
    outs = []
    for fill in (np.nan, 0.0, 1e30):
        w = np.full(net.signals.size, fill)
        dydt = np.full(y.size, fill)
        kernel.evaluate(sim.t, y, net.p, net.ip, d, w, dydt)
        outs.append((w, dydt))
    # output-only signals are computed for the records (evaluate_all), not by the rhs: they keep
    # the fill; every other signal and every derivative must not depend on it
    computed = np.ones(net.signals.size, dtype=bool)
    computed[list(net._output_entries())] = False
    for w, dydt in outs[1:]:
        assert np.array_equal(w[computed], outs[0][0][computed], equal_nan=True)
        assert np.array_equal(dydt, outs[0][1], equal_nan=True)
    assert np.isfinite(outs[0][0][computed]).all()
    assert np.isfinite(outs[0][1]).all()


# -- misuse ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "soon", None])
def test_non_finite_or_non_numeric_times_are_refused(core, bad):
    y0, d0 = core.steady_state(1.0)
    sim = Simulation(core, y0, d0)
    with pytest.raises(SimulationError, match="t must be"):
        sim.advance(bad)
    if bad is not None:  # at=None means "now"
        with pytest.raises(SimulationError, match="at must be"):
            sim.submit(A.Scram(), at=bad)
    with pytest.raises(SimulationError, match="t0 must be"):
        Simulation(core, y0, d0, t0=bad)
    assert sim.t == 0.0
    assert not sim.log  # nothing was applied


def test_backward_times_are_refused(core):
    y0, d0 = core.steady_state(1.0)
    sim = Simulation(core, y0, d0)
    sim.advance(10.0)
    with pytest.raises(SimulationError, match="backwards"):
        sim.advance(9.999)
    with pytest.raises(SimulationError, match="backwards"):
        sim.advance(-1.0)
    with pytest.raises(SimulationError, match="in the past"):
        sim.submit(A.Scram(), at=5.0)
    assert sim.t == 10.0
    assert not sim.log  # nothing was applied


def test_unknown_backend_is_refused(core):
    y0, d0 = core.steady_state(1.0)
    with pytest.raises(SimulationError, match="backend"):
        Simulation(core, y0, d0, backend="euler")
    with pytest.raises(ValueError):
        SolverOptions(backend="euler")

"""Live runs and the run manager: pacing, commands at the time given, failures, idle runs,
persistence across a restart, and the topology the mimic draws."""

from __future__ import annotations

import time

import numpy as np
import pytest

from nppsim.designs import load_design
from nppsim.engine.scipy_backend import FAILED, Outcome
from nppsim.errors import SolverError
from nppsim.server.live import (
    Limits,
    RunError,
    RunManager,
    decimate_index,
    parse_command,
)
from nppsim.server.protocol import CreateRun
from nppsim.server.topology import topology


def wait_for(pred, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def manager(tmp_path):
    m = RunManager(tmp_path, Limits(tick=0.05, idle_timeout=0.5))
    yield m
    m.shutdown()


def test_paused_run_does_not_move_and_commands_apply_at_the_clock(manager):
    run = manager.create(CreateRun())
    time.sleep(0.3)
    assert run.sim.t == 0.0
    run.set_pace("max").result()
    wait_for(lambda: run.sim.t > 30.0, what="the clock to move")
    run.set_pace(0.0).result()
    t_paused = run.sim.t
    res = run.submit(parse_command(run.model, {"kind": "scram"})).result(10)
    assert res["t"] == t_paused
    assert res["entries"][0] == {
        "time_s": t_paused,
        "kind": "trip",
        "name": "manual",
        "detail": "manual reactor trip",
    }


def test_pace_never_runs_ahead_of_the_wall_clock(manager):
    run = manager.create(CreateRun(pace=10.0))
    w0 = time.monotonic()
    time.sleep(1.0)
    t = run.sim.t
    wall = time.monotonic() - w0
    # at most 10 x the wall time since the start (it may lag on a slow machine, never lead)
    assert 0.0 < t <= 10.0 * wall + 1e-9


def test_command_while_running_lands_between_slices(manager):
    run = manager.create(CreateRun(pace=5.0))
    wait_for(lambda: run.sim.t > 0.5)
    t_sent = run.sim.t
    res = run.submit(parse_command(run.model, {"kind": "scram"})).result(10)
    # applied after the clock was brought to the instant received: not before the send
    assert res["t"] >= t_sent
    log = run.export()[1]
    assert log[0]["kind"] == "trip" and log[0]["time_s"] == res["t"]


class _Poison:
    """A test action that puts a NaN into the state: the integrator must fail."""

    kind = "poison"

    def apply(self, model, t, y, d):
        y = y.copy()
        y[:] = np.nan
        return y, d, [{"time_s": t, "kind": "poison", "name": "poison"}]


def test_a_poisoned_command_is_refused_and_the_run_kept(manager):
    """An action that would make the state non-finite is refused; the run goes on."""
    run = manager.create(CreateRun())
    run.call(lambda: run.sim.advance(10.0)).result()
    with pytest.raises(SolverError, match="non-finite"):
        run.submit(_Poison()).result()  # type: ignore[arg-type]
    assert run.status != "failed"
    run.call(lambda: run.sim.advance(20.0)).result()
    assert run.sim.t == 20.0


def test_solver_failure_keeps_what_was_computed(manager):
    run = manager.create(CreateRun())
    run.call(lambda: run.sim.advance(10.0)).result()
    snap = manager.save_snapshot(run, "good")
    integ = run.sim.integ
    real = type(integ).advance
    failed = {"once": False}

    def failing(self, t_target, t_stop, max_steps):  # the integrator gives up once
        if not failed["once"]:
            failed["once"] = True
            return Outcome(FAILED, np.empty(0), np.empty((0, len(self.y))), message="forced")
        return real(self, t_target, t_stop, max_steps)

    integ.advance = failing.__get__(integ)  # type: ignore[method-assign]
    run.set_pace("max").result()
    wait_for(lambda: run.status == "failed", what="the failure")
    assert "integrator failed" in run.message
    df, _ = run.export()
    assert len(df) > 3 and df["time_s"].iloc[-1] >= snap.t
    with pytest.raises(RunError, match="failed"):
        run.submit(parse_command(run.model, {"kind": "scram"})).result()
    with pytest.raises(RunError, match="rewind"):
        run.set_pace(1.0).result()
    manager.rewind(run, snap.id)
    assert run.status == "paused" and run.sim.t == snap.t
    run.set_pace("max").result()
    wait_for(lambda: run.sim.t > snap.t + 5.0)
    assert run.status == "running"


def test_idle_runs_end_and_are_saved(manager):
    run = manager.create(CreateRun(pace="max"))
    wait_for(lambda: run.sim.t > 1.0)
    time.sleep(0.6)
    assert run.id in manager.idle_runs()
    snap = manager.end(run.id, "idle")
    assert run.id not in manager.runs and not run.alive
    assert snap is not None and snap.t > 1.0 and "idle" in snap.label
    run.viewers = 1  # a watched run is never idle
    assert manager.idle_runs(time.monotonic() + 1e6) == []


def test_restarted_server_keeps_saved_snapshots(tmp_path):
    m1 = RunManager(tmp_path, Limits(tick=0.05))
    run = m1.create(CreateRun(pace="max"))
    wait_for(lambda: run.sim.t > 20.0)
    run.set_pace(0.0).result()
    saved = m1.save_snapshot(run, "kept")
    t_end = run.sim.t
    m1.shutdown()  # the live run's final state is saved too
    m2 = RunManager(tmp_path, Limits(tick=0.05))
    try:
        labels = {s.label: s for s in m2.store.list()}
        assert "kept" in labels
        final = next(s for s in labels.values() if "server shut down" in s.label)
        assert final.t == t_end
        again = m2.create(CreateRun(snapshot=saved.id))
        assert again.sim.t == saved.t
        n = len(again.recorder._t[: again.recorder.n])
        assert n > 3  # the history came back with the snapshot
    finally:
        m2.shutdown()


def test_restored_run_continues_as_the_uninterrupted_one(manager):
    """A run started from a snapshot gives the same record as the run it was taken of."""
    a = manager.create(CreateRun(initial={"power": "90 %"}))
    a.call(lambda: a.sim.advance(5.5)).result()
    snap = manager.save_snapshot(a, "fork")
    b = manager.create(CreateRun(snapshot=snap.id))
    for r in (a, b):
        r.submit(parse_command(r.model, {"kind": "scram"})).result()
        r.call(lambda r=r: r.sim.advance(r.sim.t + 60.0)).result()
    da, db = a.export()[0], b.export()[0]
    assert da.shape == db.shape
    assert np.array_equal(da.to_numpy(), db.to_numpy())


def test_live_run_gives_the_bits_of_a_run_with_the_same_commands_at_the_same_times(manager):
    """Same commands at the same simulated times, same results: a live run paced on the wall
    clock (slices and updates as they come) and a run advanced straight to each command's time
    record the same bits; what the live run's viewers were sent (its recorder, fed by the
    engine's raw observer) is the record's rows."""
    a = manager.create(CreateRun(initial={"power": "90 %"}, pace=20.0))
    commands = [
        {"kind": "power_setpoint", "target": "80 %", "rate": "30 %/min"},
        {"kind": "scram"},
    ]
    times = []
    for cmd in commands:
        t0 = a.sim.t
        wait_for(lambda t0=t0: a.sim.t > t0 + 3.0, what="the live run to move")
        times.append(a.submit(parse_command(a.model, cmd)).result(10)["t"])
    wait_for(lambda: a.sim.t > times[-1] + 3.0, what="the live run to move")
    a.set_pace(0.0).result()
    t_end = a.sim.t
    b = manager.create(CreateRun(initial={"power": "90 %"}))
    for t, cmd in zip(times, commands, strict=True):
        b.call(lambda t=t: b.sim.advance(t)).result()
        assert b.submit(parse_command(b.model, cmd)).result(10)["t"] == t
    b.call(lambda: b.sim.advance(t_end)).result()
    da, db = a.export()[0], b.export()[0]
    assert da.shape == db.shape and len(da) > 20
    assert np.array_equal(da.to_numpy(), db.to_numpy(), equal_nan=True)
    n = a.recorder.n
    ts, rows = a.recorder._t[:n], a.recorder._x[:n]
    assert np.all(np.diff(ts) >= 0) and n > 10
    rec = da.drop_duplicates("time_s", keep="last").set_index("time_s")
    sent = rec.loc[np.unique(ts)].to_numpy()
    last = {t: k for k, t in enumerate(ts)}  # a time recorded twice: the row after the change
    assert np.array_equal(rows[[last[t] for t in np.unique(ts)]], sent, equal_nan=True)


def test_decimation_keeps_extremes():
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(10000, 2))
    xs[5555, 0] = 50.0
    xs[7777, 1] = -50.0
    idx = decimate_index(xs, 200)
    assert len(idx) <= 210
    assert {0, 9999, 5555, 7777} <= set(idx.tolist())
    assert np.all(np.diff(idx) > 0)
    assert len(decimate_index(xs[:50], 200)) == 50


def test_topology_core(v446):
    cols = ["power_relative", "temp_coolant_inlet_k", "bank_position_G10_frac"]
    t = topology(v446, "core", cols)
    assert t["kind"] == "core" and t["loops"] == [] and t["turbine"] is None
    assert t["reactor"]["bind"] == {"power": "power_relative", "t_in": "temp_coolant_inlet_k"}
    banks = {b["name"]: b["bind"] for b in t["reactor"]["banks"]}
    assert banks["G10"] == {"position": "bank_position_G10_frac"} and banks["G9"] == {}
    assert t["boundary"]["bind"] == {"t_in": "temp_coolant_inlet_k"}


def test_topology_plant(v446):
    t = topology(v446, "plant")
    assert len(t["loops"]) == 4
    assert [lp["pump"]["bind"]["speed"] for lp in t["loops"]] == [
        f"speed_pump{i}_rad_s" for i in range(1, 5)
    ]
    assert {lp["steam_generator"]["type"] for lp in t["loops"]} == {"horizontal"}
    assert t["pressurizer"]["loop"] in range(1, 5)
    steam = t["steam"]
    assert steam["bru_k"]["capacity"] > 0 and steam["bru_a"]["capacity"] > 0
    assert t["turbine"] and t["generator"]["rated_power"] == pytest.approx(1.0e9, rel=0.1)
    assert t["feedwater"]["pumps"] >= 1
    # bound against a model's columns: what it lacks is left out
    t2 = topology(v446, "plant", ["speed_pump1_rad_s", "power_electric_w"])
    assert t2["loops"][0]["pump"]["bind"] == {"speed": "speed_pump1_rad_s"}
    assert t2["loops"][1]["pump"]["bind"] == {}
    assert t2["generator"]["bind"] == {"power": "power_electric_w"}


def test_topology_tolerates_fewer_sections(v446):
    three = v446.model_copy(update={"primary": v446.primary.model_copy(update={"loops": 3})})
    assert len(topology(three, "plant")["loops"]) == 3
    bare = v446.model_copy(update={"turbine": None, "pressurizer": None})
    t = topology(bare, "plant")
    assert len(t["loops"]) == 4 and t["pressurizer"] is None
    assert t["steam"] is None and t["turbine"] is None and t["generator"] is None
    nothing = v446.model_copy(update={"primary": None, "turbine": None})
    assert topology(nothing, "plant")["loops"] == []
    # a design with ratings only has no banks; the RITM-200N (dynamic since issue 9) has its own
    assert topology(load_design("ir360"), "core")["reactor"]["banks"] == []
    ritm = load_design("ritm200n")
    assert [b["name"] for b in topology(ritm, "core")["reactor"]["banks"]] == ["AR", "KG", "AZ"]

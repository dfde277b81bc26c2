"""Running studies in this process (workers=0): rows, resumption, interruption, failures,
time series, summaries, plots and queries. The Dask runs are in test_study_dask.py."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from study_helpers import SMALL_GRID, write_study

from nppsim.engine.run import RunSpec, run
from nppsim.studies import load_study, make_plan, read_runs, read_timeseries, run_study
from nppsim.studies.analysis import summarize, tornado_table
from nppsim.studies.dataset import Dataset
from nppsim.studies.metrics import reduce


def _files(folder):
    return {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in (folder / "runs").iterdir()}


def test_rows_are_the_runs_metrics(small_grid, tmp_path):
    st = load_study(small_grid)
    out = tmp_path / "out"
    report = run_study(st, out, workers=0)
    assert (report.runs, report.ran, report.skipped, report.failed) == (4, 4, 0, 0)
    df = read_runs(out)
    assert df["run_id"].tolist() == [0, 1, 2, 3]
    assert (df["status"] == "completed").all()
    plan = make_plan(st)
    for task, row in zip(plan.tasks, df.itertuples(), strict=True):
        assert row.run_key == task.run_key
        res = run(RunSpec(scenario="rod-withdrawal", overrides=task.overrides))
        for m in st.metrics:
            expected = reduce(m, res.timeseries, res.events, res.scenario.duration)
            same = getattr(row, m.name) == expected or (
                math.isnan(expected) and math.isnan(getattr(row, m.name))
            )
            assert same, (m.name, getattr(row, m.name), expected)
        assert row.tripped == any(e["kind"] == "trip" for e in res.events)
        assert json.loads(row.events)[0]["kind"] == "bank"
    # the peak power grows with a weaker Doppler coefficient (-2.2 against -3.0 pcm/K)
    assert df.loc[2, "peak_power"] > df.loc[0, "peak_power"]
    assert (out / "study.toml").read_text() == small_grid.read_text()
    plan_json = json.loads((out / "plan.json").read_text())
    assert plan_json["runs"] == 4 and plan_json["metrics"][0]["unit"] == "MW"


def test_rerun_skips_finished_runs_and_keeps_their_files(small_grid, tmp_path):
    st = load_study(small_grid)
    out = tmp_path / "out"
    run_study(st, out, workers=0)
    before = _files(out)
    report = run_study(load_study(small_grid), out, workers=0)
    assert (report.ran, report.skipped) == (0, 4)
    assert _files(out) == before


def test_interrupted_study_keeps_what_finished_and_a_rerun_fills_the_rest(small_grid, tmp_path):
    out = tmp_path / "out"

    def stop_after_two(row, done, total):
        if done == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # held off while the row is written

    report = run_study(load_study(small_grid), out, workers=0, on_outcome=stop_after_two)
    assert report.interrupted and report.ran == 2
    kept = _files(out)
    assert len(kept) == 2
    assert not [f for f in (out / "runs").iterdir() if f.name.startswith(".tmp")]
    report = run_study(load_study(small_grid), out, workers=0)
    assert (report.ran, report.skipped, report.interrupted) == (2, 2, False)
    after = _files(out)
    assert {k: after[k] for k in kept} == kept  # the finished runs were not recomputed
    assert read_runs(out)["run_id"].tolist() == [0, 1, 2, 3]


def test_failed_run_is_recorded_and_the_study_goes_on(tmp_path):
    # a strong moderator coefficient leaves no bank-critical steady state at 60 % power
    text = SMALL_GRID.replace(
        'design = "rods.banks[G10].speed"\nunit = "%/s"\nvalues = [0.5, 0.65]',
        'design = "reactivity.moderator_density_coefficient"\nunit = "1/(g/cm3)"\n'
        "values = [0.08, 0.3]",
    ).replace('name = "g10_speed"', 'name = "moderator_density"')
    out = tmp_path / "out"
    report = run_study(load_study(write_study(tmp_path, text)), out, workers=0)
    assert report.ran == 4 and report.failed == 2
    df = read_runs(out)
    bad = df[df["moderator_density"] == 0.3]
    assert (bad["status"] == "failed").all()
    assert bad["message"].str.contains("no steady state").all()
    assert bad[["peak_power", "final_power", "energy"]].isna().all().all()
    good = df[df["moderator_density"] == 0.08]
    assert (good["status"] == "completed").all() and good["peak_power"].notna().all()
    s = summarize(out)
    assert (s.failed, s.completed) == (2, 2)
    assert s.failures is not None and s.failures.sum() == 2


def test_a_changed_study_moves_the_old_rows_aside(small_grid, tmp_path):
    out = tmp_path / "out"
    run_study(load_study(small_grid), out, workers=0)
    changed = write_study(tmp_path, SMALL_GRID.replace('unit = "MW"', 'unit = "GW"'), "b.toml")
    report = run_study(load_study(changed), out, workers=0, on_outcome=None)
    assert (report.ran, report.skipped) == (4, 0)
    assert len(list((out / "stale" / "runs").iterdir())) == 4
    df = read_runs(out)
    assert len(df) == 4 and df["peak_power"].max() < 10.0  # in GW now


def test_output_folder_must_be_a_study_folder(small_grid, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    from nppsim.errors import InputError

    with pytest.raises(InputError, match="study's output folder"):
        run_study(load_study(small_grid), tmp_path / "busy", workers=0)
    out = tmp_path / "out"
    run_study(load_study(small_grid), out, workers=0)
    other = write_study(tmp_path, SMALL_GRID.replace('"small-grid"', '"other"'), "other.toml")
    with pytest.raises(InputError, match="holds study 'small-grid'"):
        run_study(load_study(other), out, workers=0)


def test_scenario_parameters_and_time_series(tmp_path):
    text = SMALL_GRID.replace(
        'design = "rods.banks[G10].speed"\nunit = "%/s"\nvalues = [0.5, 0.65]',
        'scenario = "events[withdraw G10].time"\nunit = "s"\nvalues = [20, 45]',
    ).replace("[[metrics]]", "[output]\ntimeseries = true\n\n[[metrics]]", 1)
    text = text.replace("values = [-3.0, -2.2]", "values = [-2.5]")
    text = text.replace('name = "g10_speed"', 'name = "withdraw_time"')
    st = load_study(write_study(tmp_path, text))
    out = tmp_path / "out"
    run_study(st, out, workers=0)
    df = read_runs(out)
    assert df["withdraw_time"].tolist() == [20.0, 45.0]
    starts = [json.loads(e)[0] for e in df["events"]]
    assert [(e["kind"], e["time_s"]) for e in starts] == [("bank", 20.0), ("bank", 45.0)]
    ts = read_timeseries(out, 1)
    task = make_plan(st).tasks[1]
    direct = run(RunSpec(scenario=task.scenario))
    pd.testing.assert_frame_equal(ts.drop(columns="run_id"), direct.timeseries)


def test_summary_statistics_plots_and_cli(small_grid, tmp_path):
    out = tmp_path / "out"
    run_study(load_study(small_grid), out, workers=0)
    s = summarize(out)
    df = read_runs(out)
    x = df["peak_power"].to_numpy()
    assert s.stats.loc["peak_power", "mean"] == pytest.approx(x.mean(), rel=1e-14)
    assert s.stats.loc["peak_power", "p95"] == pytest.approx(np.percentile(x, 95), rel=1e-14)
    assert s.stats.loc["peak_power", "unit"] == "MW"
    assert (s.planned, s.finished, s.completed) == (4, 4, 4)
    assert s.tripped == int(df["tripped"].sum())
    tab = tornado_table(s, "peak_power")
    assert tab.empty  # 4 runs are too few for a tornado bar (MIN_POINTS)
    r = subprocess.run(
        [sys.executable, "-m", "nppsim.cli", "study", "show", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "160"},
    )
    assert r.returncode == 0, r.stderr
    assert "4 of 4 runs finished" in r.stdout and "peak_power" in r.stdout
    for name in ("histograms.png", "tornado.png", "scatter-peak_power.png"):
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG"


def test_dataset_reads_with_duckdb(small_grid, tmp_path):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is an optional extra (studies)")
    out = tmp_path / "out"
    run_study(load_study(small_grid), out, workers=0)
    con = duckdb.connect()
    rows = con.execute(
        "SELECT run_id, peak_power FROM read_parquet(?) WHERE status = 'completed' ORDER BY run_id",
        [str(out / "runs" / "*.parquet")],
    ).fetchall()
    df = read_runs(out)
    assert rows == list(zip(df["run_id"], df["peak_power"], strict=True))


def test_sobol_indices_of_a_known_function(tmp_path):
    """The Sobol' analysis wired to the dataset: rows of an analytic function (written as a
    study's rows, in arrival order reversed) give its indices.

    For y = a x1 + b x2 with x1, x2 uniform on [0, 1]: S1_i = a_i^2 / (a^2 + b^2) = ST_i.
    """
    text = SMALL_GRID.replace('method = "grid"', 'method = "sobol"\nsamples = 256\nseed = 5')
    text = text.replace(
        "values = [-3.0, -2.2]", 'distribution = "uniform"\nlow = -3.0\nhigh = -2.0'
    ).replace("values = [0.5, 0.65]", 'distribution = "uniform"\nlow = 0.5\nhigh = 0.6')
    st = load_study(write_study(tmp_path, text))
    plan = make_plan(st)
    ds = Dataset.prepare(tmp_path / "out", plan)
    for task in reversed(plan.tasks):
        x1 = (task.values[0] + 3.0) / 1.0
        x2 = (task.values[1] - 0.5) / 0.1
        row = {
            "run_id": task.run_id,
            "run_key": task.run_key,
            "status": "completed",
            "tripped": False,
            "trip_signal": "",
            "message": "",
            "wall_s": 0.0,
            "events": "[]",
            "doppler": task.values[0],
            "g10_speed": task.values[1],
            "peak_power": 3.0 * x1 + 1.0 * x2,
            "final_power": 1.0,
            "energy": 1.0,
            "trip_time": math.nan,
        }
        ds.write(row)
    s = summarize(tmp_path / "out")
    idx = s.indices["peak_power"]
    assert idx.loc["doppler", "S1"] == pytest.approx(0.9, abs=0.05)
    assert idx.loc["g10_speed", "S1"] == pytest.approx(0.1, abs=0.03)
    assert idx.loc["doppler", "ST"] == pytest.approx(0.9, abs=0.05)
    assert "final_power" not in s.indices  # the same value everywhere: said in a note
    assert any("final_power" in n and "same value" in n for n in s.notes)
    assert any("trip_time" in n for n in s.notes)  # no value anywhere: no indices


def test_a_run_that_kills_its_workers_is_a_failed_row(small_grid):
    """Dask gives up on a task that killed its worker process several times (KilledWorker):
    that is the run's outcome, a failed row with its parameters; a lost scheduler is not."""
    from types import SimpleNamespace

    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    from nppsim.studies.plan import StudyError
    from nppsim.studies.runner import _outcome

    plan = make_plan(load_study(small_grid))
    task = plan.tasks[1]

    class Future:
        def __init__(self, exc):
            self.exc = exc

        def result(self):
            raise self.exc

    killed = KilledWorker("run", SimpleNamespace(address="tcp://127.0.0.1:1"), 3)
    out = _outcome(Future(killed), plan.job, task, KilledWorker, FutureCancelledError)
    row = out["row"]
    assert (row["run_id"], row["status"]) == (1, "failed")
    assert "killed its worker process" in row["message"]
    assert (row["doppler"], row["g10_speed"]) == task.values
    assert math.isnan(row["peak_power"])
    Dataset.prepare(small_grid.parent / "out", plan).write(row)  # the row fits the schema
    with pytest.raises(StudyError, match="scheduler"):
        _outcome(Future(OSError("gone")), plan.job, task, KilledWorker, FutureCancelledError)

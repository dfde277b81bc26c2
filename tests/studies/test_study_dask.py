"""Studies on Dask: a local cluster of 1 and 2 workers, and a study killed half-way (slow: worker
processes start in seconds to tens of seconds)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from study_helpers import SMALL_LHS, write_study

from nppsim.studies import load_study, read_runs, run_study

pytestmark = pytest.mark.slow


def deterministic(df: pd.DataFrame) -> pd.DataFrame:
    """A dataset without its wall times (the only measured column)."""
    return df.drop(columns=["wall_s"]).sort_values("run_id").reset_index(drop=True)


def test_one_and_two_workers_give_the_same_dataset(tmp_path):
    """Also the same as without Dask (an external scheduler and workers: the turbine-trip test
    in test_study_builtin_plant.py)."""
    path = write_study(tmp_path, SMALL_LHS)
    outs = {}
    for n in (1, 2):
        out = tmp_path / f"w{n}"
        report = run_study(load_study(path), out, workers=n)
        assert (report.ran, report.failed, report.interrupted) == (12, 0, False)
        outs[n] = deterministic(read_runs(out))
    serial = tmp_path / "serial"
    run_study(load_study(path), serial, workers=0)
    assert len(outs[1]) == 12
    assert outs[1]["peak_power"].nunique() == 12
    pd.testing.assert_frame_equal(outs[1], outs[2], check_exact=True)
    pd.testing.assert_frame_equal(outs[1], deterministic(read_runs(serial)), check_exact=True)


def _scram_study(tmp_path):
    # 24 runs of the 72 h scram (about half a second each): long enough to stop half-way
    text = SMALL_LHS.replace('scenario = "rod-withdrawal"', 'scenario = "scram"')
    text = text.replace("samples = 12", "samples = 24").replace('from = "30 s"\n', "")
    return write_study(tmp_path, text, "scram-study.toml")


def test_killed_study_resumes_without_recomputing_finished_runs(tmp_path):
    path = _scram_study(tmp_path)
    out = tmp_path / "out"
    runs = out / "runs"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nppsim.cli",
            "study",
            "run",
            str(path),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the study and its workers
    )
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            done = [f for f in runs.glob("run-*.parquet")] if runs.exists() else []
            if len(done) >= 4 or proc.poll() is not None:
                break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(1.0)  # let the killed group's processes go
    kept = {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in runs.glob("run-*.parquet")}
    assert 0 < len(kept) < 24, f"not killed half-way: {len(kept)} runs were done"
    report = run_study(load_study(path), out, workers=0)
    assert (report.skipped, report.ran) == (len(kept), 24 - len(kept))
    after = {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in runs.glob("run-*.parquet")}
    assert {k: after[k] for k in kept} == kept  # the finished runs were not recomputed
    assert len(after) == 24
    assert read_runs(out)["run_id"].tolist() == list(range(24))
    assert not list(runs.glob(".tmp-*"))  # a stopped run's temporary file was removed

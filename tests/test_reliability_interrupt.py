"""Interruptions keep the work (issue 14, item 3): Ctrl-C (SIGINT) or SIGTERM during a run writes
what was computed with status ``interrupted``, says so, and exits 130; files are written under a
temporary name and renamed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from nppsim.checks import atomic_write
from nppsim.interrupt import EXIT_INTERRUPTED, Interruption, run_each

#: a long run: the whole plant following the load between 80 and 100 % every half hour for a
#: month (minutes of computing)
LONG = (
    '[scenario]\nname="long"\ntitle="Load cycles for a month"\ndesign="vver1000-v446"\n'
    'duration="30 d"\nmodel="plant"\n[initial]\npower="100 %"\n'
) + "".join(
    f'[[events]]\ntime="{30 * (k + 1)} min"\nkind="power_setpoint"\n'
    f'target="{80 if k % 2 == 0 else 100} %"\nrate="5 %/min"\n'
    for k in range(1400)
)


def _interrupt_run(tmp_path: Path, sig: int) -> tuple[subprocess.CompletedProcess, Path]:
    sc = tmp_path / "long.toml"
    sc.write_text(LONG)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "nppsim.cli", "run", str(sc), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 900
    for line in proc.stdout:  # the model is built and the run has started
        if line.startswith("simulating"):
            break
        assert time.monotonic() < deadline
    time.sleep(1.0)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), out


def _check_interrupted(r: subprocess.CompletedProcess, out: Path) -> None:
    assert r.returncode == EXIT_INTERRUPTED, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    assert "interrupted" in r.stderr
    meta = json.loads((out / "run.json").read_text())
    assert meta["status"] == "interrupted"
    df = pd.read_parquet(out / "timeseries.parquet")
    assert 0.0 < df["time_s"].iloc[-1] < 30 * 86400.0
    assert meta["simulated_time_s"] == df["time_s"].iloc[-1]
    assert (out / "overview.png").stat().st_size > 10_000
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]  # no leftovers


def test_sigint_during_a_long_run_writes_what_was_computed(tmp_path):
    r, out = _interrupt_run(tmp_path, signal.SIGINT)
    _check_interrupted(r, out)


@pytest.mark.slow
def test_sigterm_during_a_long_run_writes_what_was_computed(tmp_path):
    r, out = _interrupt_run(tmp_path, signal.SIGTERM)
    _check_interrupted(r, out)


def test_run_each_keeps_what_was_done():
    """A signal between items (validate's cases) keeps the finished ones."""

    def work(i: int) -> int:
        if i == 3:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)  # the handler raises meanwhile
        return i * i

    # the handler in force before (a process started in the background may ignore SIGINT: the
    # test installs Python's default so that the signal reaches run_each's handler)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        done, interrupted = run_each(list(range(10)), work)
        assert interrupted and done == [0, 1, 4]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
    finally:
        signal.signal(signal.SIGINT, before)


def test_soft_interruption_is_a_flag_then_a_stop():
    with Interruption(soft=True) as intr:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
        assert intr.requested and intr.signal_name == "SIGTERM"
        with pytest.raises(Exception, match="interrupted by SIGTERM"):
            intr.check()
        with pytest.raises(KeyboardInterrupt):  # a second signal stops at once
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)


def test_atomic_write_leaves_old_file_or_new(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("old")

    def fails(tmp: Path) -> None:
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(p, fails)
    assert p.read_text() == "old" and sorted(x.name for x in tmp_path.iterdir()) == ["x.json"]
    atomic_write(p, lambda tmp: tmp.write_text("new"))
    assert p.read_text() == "new"

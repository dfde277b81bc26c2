"""The command line: one-line errors, exit codes, outputs of a run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


def nppsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "nppsim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
        env=env,
    )


def test_scenarios_lists_builtins():
    r = nppsim("scenarios")
    assert r.returncode == 0
    for name in ("rod-withdrawal", "scram", "xenon-transient"):
        assert name in r.stdout


def test_designs_list_and_show():
    r = nppsim("designs")
    assert r.returncode == 0 and "vver1000-v446" in r.stdout
    r = nppsim("designs", "show", "vver1000-v446")
    assert r.returncode == 0
    assert "power_thermal" in r.stdout and "plants-research" in r.stdout
    # every section of the file is shown, the plant's too, not a hand-kept list
    for section in ("core.", "pumps.", "pressurizer.", "steam_generators.", "turbine."):
        assert section in r.stdout, section


@pytest.mark.parametrize(
    "text",
    [
        "[scenario\n",
        '[scenario]\nname="x"\ntitle="t"\ndesign="vver1000-v446"\nduration="-1 h"\n'
        '[initial]\npower="100 %"\n',
    ],
)
def test_bad_scenario_file_is_one_line_without_traceback(tmp_path, text):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    r = nppsim("run", str(p), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and str(p) in lines[0]


def test_unknown_scenario_name():
    r = nppsim("run", "no-such-scenario")
    assert r.returncode == 2 and "no-such-scenario" in r.stderr and "Traceback" not in r.stderr


def test_run_writes_parquet_json_and_plot(tmp_path):
    sc = tmp_path / "short.toml"
    sc.write_text(
        '[scenario]\nname="short"\ntitle="short trip"\ndesign="vver1000-v446"\n'
        'duration="2 min"\n[initial]\npower="100 %"\n'
        '[[events]]\ntime="10 s"\nkind="scram"\n'
    )
    out = tmp_path / "out"
    r = nppsim("run", str(sc), "--out", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out / "timeseries.parquet")
    for col in (
        "time_s",
        "power_thermal_w",
        "power_decay_w",
        "reactivity_total",
        "reactivity_xenon",
        "temp_fuel_avg_k",
        "temp_coolant_outlet_k",
        "xenon_number_density_per_m3",
    ):
        assert col in df.columns
    meta = json.loads((out / "run.json").read_text())
    assert meta["status"] == "completed"
    assert len(meta["inputs_sha256"]) == 64
    assert any(e["kind"] == "trip" and e["name"] == "manual" for e in meta["events"])
    assert (out / "overview.png").stat().st_size > 10_000

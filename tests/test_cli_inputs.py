"""Every input path, file and option is checked before any simulation starts: one line naming the
file, field, value and what is allowed; exit status 2; no traceback (issue 14, item 1)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nppsim.designs import _builtin_dir

V446 = _builtin_dir() / "vver1000-v446.toml"

SCENARIO = (
    '[scenario]\nname="short"\ntitle="short"\ndesign="{design}"\nduration="{duration}"\n'
    'model="{model}"\n[initial]\npower="100 %"\n'
)


def nppsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "nppsim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
        check=False,
        env=env,
    )


def one_line_error(r: subprocess.CompletedProcess, *needles: str) -> str:
    """The run failed with exit 2 and exactly one line on stderr naming the needles."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    lines = [x for x in r.stderr.strip().splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def scenario_file(tmp_path: Path, design: str = "vver1000-v446", model: str = "core") -> Path:
    p = tmp_path / "sc.toml"
    p.write_text(SCENARIO.format(design=design, duration="10 s", model=model))
    return p


def test_scenario_that_is_a_folder(tmp_path):
    d = tmp_path / "folder.toml"
    d.mkdir()
    one_line_error(nppsim("run", str(d), "--out", str(tmp_path / "o")), str(d), "is a folder")


def test_scenario_not_utf8(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes('[scenario]\nname = "caf\xe9"\n'.encode("latin-1"))
    one_line_error(nppsim("run", str(p), "--out", str(tmp_path / "o")), str(p), "not UTF-8")


def test_scenario_binary_file(tmp_path):
    p = tmp_path / "random.toml"
    p.write_bytes(bytes(range(256)) * 4)
    one_line_error(nppsim("run", str(p)), str(p))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_scenario_unreadable(tmp_path):
    p = scenario_file(tmp_path)
    p.chmod(0)
    one_line_error(nppsim("run", str(p), "--out", str(tmp_path / "o")), str(p), "cannot be read")


def test_scenario_without_toml_suffix(tmp_path):
    p = tmp_path / "scenario.txt"
    p.write_text(SCENARIO.format(design="vver1000-v446", duration="10 s", model="core"))
    one_line_error(nppsim("run", str(p)), str(p), ".toml")


def test_design_file_that_is_a_folder_or_binary(tmp_path):
    d = tmp_path / "d.toml"
    d.mkdir()
    one_line_error(nppsim("run", str(scenario_file(tmp_path, str(d)))), "scenario.design")
    d2 = tmp_path / "bin.toml"
    d2.write_bytes(b"\xff\xfe\x00garbage")
    one_line_error(nppsim("run", str(scenario_file(tmp_path, str(d2)))), "not UTF-8")
    one_line_error(nppsim("designs", "show", str(d2)), str(d2), "not UTF-8")
    one_line_error(nppsim("designs", "show", str(d)), "is a folder")


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda tmp: tmp / "file", "is not a folder"),
        (lambda tmp: Path("/dev/null"), "is not a folder"),
        (lambda tmp: tmp / "file" / "below", "is not a folder"),
        (lambda tmp: Path("/proc/nppsim-out"), "cannot be written"),
    ],
)
def test_unusable_out_is_refused_before_simulating(tmp_path, make, text):
    (tmp_path / "file").write_text("x")
    out = make(tmp_path)
    t0 = time.perf_counter()
    r = nppsim("run", "scram", "--out", str(out))
    one_line_error(r, "--out", str(out), text)
    assert "simulating" not in r.stdout
    assert time.perf_counter() - t0 < 60  # no model was built (that takes minutes here)


def test_out_holding_a_run_needs_overwrite(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "run.json").write_text("{}")
    (out / "notes.txt").write_text("mine")
    one_line_error(nppsim("run", "scram", "--out", str(out)), "already holds a run", "--overwrite")
    assert (out / "run.json").read_text() == "{}"  # untouched


def test_validate_report_checked_first(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = nppsim("validate", "--report", str(f))
    one_line_error(r, "--report", "is not a folder")
    rep = tmp_path / "rep"
    rep.mkdir()
    (rep / "report.md").write_text("old")
    one_line_error(nppsim("validate", "--report", str(rep)), "already holds", "--overwrite")


def test_programme_out_checked_first(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    one_line_error(nppsim("programme", "iran", "--samples", "10", "--out", str(f)), "--out")


def _design_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = V446.read_text()
    assert old in text
    p = tmp_path / "design.toml"
    p.write_text(text.replace(old, new, 1))
    return p


def test_design_whose_loop_flow_cannot_carry_the_power(tmp_path):
    """Every value in range, together no steady state: the quantity is named."""
    m = re.search(r"^loop_flow = \{ value = [0-9.]+", V446.read_text(), re.M)
    d = _design_copy(tmp_path, m.group(0), "loop_flow = { value = 100")
    sc = scenario_file(tmp_path, str(d), "plant")
    out = tmp_path / "o"
    line = one_line_error(nppsim("run", str(sc), "--out", str(out)), "primary.loop_flow", "100")
    assert "boil" in line and "kg/s" in line
    assert not out.exists()


def test_design_at_7_mpa_boils_at_its_inlet(tmp_path):
    m = re.search(r"\[coolant\]\npressure = \{ value = ([0-9.]+)", V446.read_text())
    d = _design_copy(tmp_path, m.group(0), m.group(0).replace(m.group(1), "7.0"))
    sc = scenario_file(tmp_path, str(d), "core")
    line = one_line_error(nppsim("run", str(sc)), str(d), "coolant.inlet_temperature")
    assert "saturation" in line


def test_site_out_checked_first(tmp_path):
    """A site run's --out is checked before four plants are built: a file, or a folder that
    holds an earlier site run (kept unless --overwrite)."""
    f = tmp_path / "file"
    f.write_text("x")
    one_line_error(nppsim("site", "run", "hormoz", "unit-trip", "--out", str(f)), "--out")
    out = tmp_path / "o"
    out.mkdir()
    (out / "site.json").write_text("{}")
    one_line_error(
        nppsim("site", "run", "hormoz", "unit-trip", "--out", str(out)),
        "already holds a site run",
        "--overwrite",
    )
    assert (out / "site.json").read_text() == "{}"  # untouched

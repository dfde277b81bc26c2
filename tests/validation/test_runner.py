"""Tests of the validation runner, report and ``validate`` command."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from nppsim.validation.base import CaseOutcome
from nppsim.validation.cli import validate
from nppsim.validation.report import write_report
from nppsim.validation.runner import (
    KINDS,
    discover,
    run_case,
    run_cases,
    shipped_case_dir,
    shipped_cases,
)

SHIPPED = shipped_cases()


def _copy_case(subdir: str, dest: Path, name: str | None = None) -> Path:
    """Copy the first shipped case of a folder into ``dest``."""
    src = sorted((shipped_case_dir() / subdir).glob("*.json"))[0]
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / (name or src.name)
    shutil.copy(src, out)
    return out


def _edit(path: Path, change) -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_shipped_cases_cover_the_kinds():
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in SHIPPED}
    assert {"point_kinetics", "xenon_shutdown"} <= kinds
    assert set(KINDS) == {"point_kinetics", "xenon_shutdown", "decay_heat"}
    assert (shipped_case_dir() / "README.md").is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_case_passes(path):
    outcome = run_case(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert outcome.passed, outcome.reason
    assert outcome.reason == ""
    assert outcome.worst_rel_error is not None
    # every expected number was checked
    n_expected = 0
    for key in ("expect", "expect_peak"):
        for field, value in data.get(key, {}).items():
            if field != "times_s":  # times are where values are expected, not values
                n_expected += len(value) if isinstance(value, list) else 1
    assert len(outcome.rows) == n_expected
    assert max(r[3] for r in outcome.rows) == outcome.worst_rel_error
    assert outcome.plot and outcome.plot["curves"]
    # the production path: run for the kinds that have one, or said not to represent the case
    pr = outcome.production
    if data["kind"] == "decay_heat":
        assert pr is None
    elif data["kind"] == "xenon_shutdown" or (
        data["reactivity"]["shape"] in ("step", "ramp") and "feedback" not in data
    ):
        assert pr is not None and pr.status == "pass", pr
        assert pr.rows and pr.worst_rel_error <= pr.rtol
    else:
        assert pr is not None and pr.status == "n/a" and pr.note


def test_bad_files_fail_with_reasons_and_the_others_run(tmp_path):
    good = _copy_case("xenon", tmp_path, "good.json")
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"name": "x", "kind": ', encoding="utf-8")
    unknown = _edit(_copy_case("xenon", tmp_path, "unknown.json"), lambda d: d.update(kind="boil"))
    no_rtol = _edit(_copy_case("xenon", tmp_path, "no_rtol.json"), lambda d: d.pop("rtol"))
    no_beta = _edit(
        _copy_case("point_kinetics", tmp_path, "no_beta.json"),
        lambda d: d["kinetics"].pop("beta"),
    )
    bad_shape = _edit(
        _copy_case("point_kinetics", tmp_path, "bad_shape.json"),
        lambda d: d["reactivity"].update(shape="square"),
    )
    short = _edit(
        _copy_case("point_kinetics", tmp_path, "short.json"),
        lambda d: d["kinetics"]["decay_constants_per_s"].pop(),
    )
    not_object = tmp_path / "list.json"
    not_object.write_text("[1, 2]", encoding="utf-8")
    paths = [malformed, unknown, good, no_rtol, no_beta, bad_shape, short, not_object]
    outcomes = run_cases(paths)
    assert [o.file for o in outcomes] == [str(p) for p in paths]
    by_file = {Path(o.file).name: o for o in outcomes}
    assert by_file["good.json"].passed
    expectations = {
        "malformed.json": "malformed JSON",
        "unknown.json": "kind = 'boil'",
        "no_rtol.json": "rtol",
        "no_beta.json": "kinetics.beta",
        "bad_shape.json": "reactivity.shape",
        "short.json": "kinetics.decay_constants_per_s",
        "list.json": "JSON object",
    }
    for name, text in expectations.items():
        o = by_file[name]
        assert not o.passed, name
        assert text in o.reason, (name, o.reason)
        assert str(tmp_path / name) in o.reason, (name, o.reason)
    assert "one of decay_heat, point_kinetics, xenon_shutdown" in by_file["unknown.json"].reason
    assert "<missing>" in by_file["no_beta.json"].reason


def test_wrong_expected_value_fails(tmp_path):
    def spoil(d):
        d["expect"]["n"][-1] *= 1.0 + 10 * d["rtol"]

    path = _edit(_copy_case("point_kinetics", tmp_path), spoil)
    outcome = run_case(path)
    assert not outcome.passed
    assert "1 of" in outcome.reason and "outside tolerance" in outcome.reason
    assert outcome.worst_rel_error == pytest.approx(10 * outcome.rtol, rel=1e-3)


def test_atol_is_honoured(tmp_path):
    def spoil(d):
        d["expect"]["peak_over_equilibrium"] *= 1.0 + 10 * d["rtol"]

    path = _edit(_copy_case("xenon", tmp_path), spoil)
    assert not run_case(path).passed
    _edit(path, lambda d: d.update(atol=1.0))
    assert run_case(path).passed


def _decay_heat_case(tmp_path: Path) -> Path:
    case = {
        "name": "fake_decay_heat",
        "kind": "decay_heat",
        "source": "test",
        "rtol": 1e-9,
        "operating_time_s": 1e7,
        "fission_fractions": {"U235": 1.0},
        "q_mev": 200.0,
        "capture_r": 0.6,
        "expect": {"times_s": [1.0, 10.0, 100.0], "fraction": [0.06, 0.05, 0.04]},
    }
    path = tmp_path / "dh.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def test_decay_heat_module_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nppsim.physics.decay_heat", None)  # import fails
    outcome = run_case(_decay_heat_case(tmp_path))
    assert not outcome.passed
    assert "nppsim.physics.decay_heat" in outcome.reason and "dh.json" in outcome.reason


def test_decay_heat_kind_checks_every_value(tmp_path, monkeypatch):
    calls = []

    def fake(t_s, t_operating_s, fission_fractions, q_mev=200.0, capture_r=0.6):
        calls.append((t_operating_s, dict(fission_fractions), q_mev, capture_r))
        t = np.asarray(t_s, dtype=float)
        return np.interp(np.log10(t), [0.0, 1.0, 2.0], [0.06, 0.05, 0.04])

    module = types.ModuleType("nppsim.physics.decay_heat")
    module.decay_heat_fraction = fake
    monkeypatch.setitem(sys.modules, "nppsim.physics.decay_heat", module)
    path = _decay_heat_case(tmp_path)
    outcome = run_case(path)
    assert outcome.passed, outcome.reason
    assert len(outcome.rows) == 3
    assert calls[0] == (1e7, {"U235": 1.0}, 200.0, 0.6)
    _edit(path, lambda d: d["expect"]["fraction"].__setitem__(1, 0.051))
    outcome = run_case(path)
    assert not outcome.passed and "t=10 s" in outcome.reason
    _edit(path, lambda d: d.pop("capture_r"))
    outcome = run_case(path)
    assert not outcome.passed and "capture_r" in outcome.reason


def test_discover_is_recursive_and_deduplicated(tmp_path):
    a = _copy_case("xenon", tmp_path / "a")
    b = _copy_case("point_kinetics", tmp_path / "a" / "deep")
    (tmp_path / "a" / "notes.txt").write_text("not a case", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "a", a, tmp_path / "missing"])
    assert found == sorted({a.resolve(), b.resolve()}, key=found.index)
    assert len(found) == 2


def test_report(tmp_path):
    paths = [_copy_case("xenon", tmp_path / "cases"), _copy_case("point_kinetics", tmp_path)]
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    outcomes = run_cases([*paths, broken], report_dir=tmp_path / "report")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "2 passed, 1 failed." in md
    for o in outcomes:
        assert f"| {o.name} |" in md
    pngs = sorted((tmp_path / "report").glob("*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 1000 for p in pngs)
    for p in pngs:
        assert f"]({p.name})" in md


def test_report_handles_awkward_names(tmp_path):
    o = CaseOutcome("a|b/c", "k", "s", None, False, None, "why | not", 0.0)
    path = write_report([o, o], tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "a\\|b/c" in text and "why \\| not" in text


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    app.command("validate")(validate)
    return app


def test_cli_exit_code_and_last_line(tmp_path, monkeypatch):
    written = []
    # the report itself is tested above; here only that --report reaches it (plots are slow)
    monkeypatch.setattr(
        "nppsim.validation.report.write_report", lambda outcomes, folder: written.append(folder)
    )
    runner = CliRunner()
    extra = tmp_path / "extra"
    _copy_case("xenon", extra, "extra_good.json")
    # the production path's columns are tested in test_production_path.py: the exact solvers here
    result = runner.invoke(_app(), ["validate", "--cases", str(extra), "--no-production"])
    n_total = len(SHIPPED) + 1
    assert result.exit_code == 0, result.output
    assert result.output.rstrip("\n").splitlines()[-1] == f"{n_total} passed, 0 failed"

    (extra / "bad.json").write_text("{not json", encoding="utf-8")
    report = tmp_path / "report"
    result = runner.invoke(
        _app(), ["validate", "--cases", str(extra), "--report", str(report), "--no-production"]
    )
    assert result.exit_code == 1
    assert result.output.rstrip("\n").splitlines()[-1] == f"{n_total} passed, 1 failed"
    # written beside --report under a temporary name, then renamed into it (never half a report)
    assert len(written) == 1 and written[0].parent == report.parent and report.is_dir()


def test_cli_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(_app(), ["validate", "--cases", str(tmp_path / "nope")])
    assert result.exit_code == 2

"""The ``programme`` commands: files, summary, list, compare, tornado, one-line errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from programme_helpers import write_toml
from typer.testing import CliRunner

from nppsim.programme.cli import programme_app
from nppsim.programme.load import list_what_ifs


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    a = typer.Typer()
    a.add_typer(programme_app, name="programme")

    @a.command("other")
    def other() -> None:  # a second command keeps Typer in sub-command mode
        """Placeholder."""

    return a


def _run(app: typer.Typer, args: list[str]):
    return CliRunner().invoke(app, args, env={"COLUMNS": "120"})


def test_run_is_the_default_and_writes_its_files(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["programme", "iran", "--samples", "400", "--until", "2050", "--seed", "3"]
    result = _run(app, [*args, "--out", str(out), "--excel"])
    assert result.exit_code == 0, result.output
    for name in (
        "programme.parquet",
        "summary.csv",
        "units.csv",
        "samples.csv",
        "probabilities.csv",
        "modes.csv",
        "costs.csv",
        "programme.xlsx",
        "timeline.png",
        "generation.png",
        "modes.png",
        "programme.json",
    ):
        assert (out / name).stat().st_size > 0, name
    frame = pd.read_parquet(out / "programme.parquet")
    assert set(frame["statistic"]) == {"mean", "p10", "p50", "p90"}
    assert {"capacity_mwe", "generation_twh", "swu_t", "natural_uranium_t"} <= set(frame.columns)
    assert frame.year.max() == 2050
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == 400 and "commercial_bushehr-2" in samples.columns
    xl = pd.read_excel(out / "programme.xlsx", sheet_name=None)
    assert set(xl) == {"summary", "units", "probabilities", "modes", "costs", "samples"}
    assert len(xl["samples"]) == 400
    assert xl["units"]["unit"].tolist() == pd.read_csv(out / "units.csv")["unit"].tolist()
    text = result.output
    assert "P(met) =" in text and "20,000 MWe" in text
    assert "Modes" in text and "goes ahead" in text and "does not" in text
    assert "mean" in text and "LCOE" in text
    assert "nppsim designs show vver1000-v528" in text
    # 'run' spelled out gives the same results (same seed, same inputs)
    out2 = tmp_path / "run2"
    again = _run(app, ["programme", "run", *args[2:], "--out", str(out2), "--no-plots"])
    assert again.exit_code == 0, again.output
    assert pd.read_csv(out / "summary.csv").equals(pd.read_csv(out2 / "summary.csv"))


def test_list_names_programmes_and_what_ifs(app: typer.Typer) -> None:
    result = _run(app, ["programme", "list"])
    assert result.exit_code == 0, result.output
    assert "iran" in result.output
    for name in list_what_ifs():
        assert name in result.output


def test_what_if_by_name_is_reported(app: typer.Typer, tmp_path: Path) -> None:
    args = ["programme", "--samples", "100", "--no-plots", "--out", str(tmp_path / "o")]
    result = _run(app, [*args, "--what-if", "delays-halved"])
    assert result.exit_code == 0, result.output
    assert "overridden: delay_factor = 0.5" in result.output


def test_command_line_overrides(app: typer.Typer, tmp_path: Path) -> None:
    args = ["programme", "--samples", "200", "--no-plots", "--out", str(tmp_path / "o")]
    result = _run(app, [*args, "--displaced", "marginal", "--unmet-share", "0.2"])
    assert result.exit_code == 0, result.output
    assert "set displaced.mode: 'fleet' -> 'marginal' (command line)" in result.output
    assert "marginal plant" in result.output and "unmet-demand share 20%" in result.output


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["programme", "nowhere"], "unknown programme"),
        (["programme", "--samples", "0"], "samples"),
        (["programme", "--until", "2300"], "until"),
        (["programme", "--what-if", "no-such-what-if"], "unknown what-if"),
        (["programme", "--unmet-share", "1.5"], "displaced.unmet_share"),
        (["programme", "--displaced", "average"], "displaced.mode"),
        (["programme", "--discount-rate", "45"], "cost.discount_rate"),
        (["programme", "tornado", "--metric", "nonsense"], "--metric"),
        (["programme", "backtest", "--group", "zz"], "--group"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    app: typer.Typer, tmp_path: Path, args: list[str], text: str
) -> None:
    extra = ["--out", str(tmp_path / "o")] if args[1] not in ("tornado", "backtest") else []
    result = _run(app, [*args, *extra])
    assert result.exit_code == 2, result.output
    out = result.output.strip()
    assert out.startswith("error:") and text in out, out
    assert len(out.splitlines()) == 1
    assert "Traceback" not in out


def test_bad_what_if_file_names_file_field_value(app: typer.Typer, tmp_path: Path) -> None:
    wi = write_toml(tmp_path / "bad.toml", '[set]\n"projects.hormoz.p_proceed.value" = 1.7\n')
    result = _run(app, ["programme", "--what-if", str(wi), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    line = result.output.strip()
    assert len(line.splitlines()) == 1
    assert "bad.toml" in line and "projects.hormoz.p_proceed" in line and "1.7" in line
    assert "between 0 and 1" in line


def test_bad_programme_file_names_unit_and_field(app: typer.Typer, tmp_path: Path) -> None:
    src = Path(__file__).parents[2] / "src" / "nppsim" / "programmes" / "iran.toml"
    text = src.read_text().replace('design = "vver1000-v528"', 'design = "vver-9999"', 1)
    bad = write_toml(tmp_path / "bad.toml", text)
    result = _run(app, ["programme", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "units[bushehr-2].design = 'vver-9999'" in result.output


def test_compare_and_tornado_write_figures(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "c"
    result = _run(
        app,
        [
            "programme",
            "compare",
            "--what-if",
            "no-war-stop",
            "--what-if",
            "suspension-2y-2027",
            "--samples",
            "300",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "compare.csv")
    assert frame.case.tolist()[0] == "base" and len(frame) == 3
    assert (out / "compare.png").stat().st_size > 0
    # a two-year stop makes the first unit later than the base; no stop makes it earlier
    base, no_stop, stop = frame.first_new_unit_p50
    assert no_stop < base < stop
    out = tmp_path / "t"
    result = _run(app, ["programme", "tornado", "--samples", "200", "--out", str(out)])
    assert result.exit_code == 0, result.output
    tor = pd.read_csv(out / "tornado.csv")
    assert len(tor) >= 10
    assert (out / "tornado-generation_end_mean.png").stat().st_size > 0
    row = tor.set_index("path").loc["projects.hormoz.p_proceed.value"]
    assert row.generation_end_mean_high > row.generation_end_mean_low


def test_help_is_complete(app: typer.Typer) -> None:
    result = _run(app, ["programme", "--help"])
    assert result.exit_code == 0
    for cmd in ("run", "list", "compare", "tornado", "refclass", "backtest"):
        assert cmd in result.output
        sub = _run(app, ["programme", cmd, "--help"])
        assert sub.exit_code == 0, cmd
    run_help = _run(app, ["programme", "run", "--help"]).output
    for opt in ("--samples", "--what-if", "--displaced", "--unmet-share", "--discount-rate"):
        assert opt in run_help

"""The ``programme`` command: files, summary, one-line errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from programme_helpers import write_toml
from typer.testing import CliRunner

from nppsim.programme.cli import programme


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    a = typer.Typer()
    a.command("programme")(programme)

    @a.command("other")
    def other() -> None:  # a second command keeps Typer in sub-command mode
        """Placeholder."""

    return a


def test_programme_writes_its_files(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        [
            "programme",
            "iran",
            "--samples",
            "400",
            "--until",
            "2050",
            "--seed",
            "3",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in (
        "programme.parquet",
        "units.csv",
        "timeline.png",
        "generation.png",
        "programme.json",
    ):
        assert (out / name).stat().st_size > 0, name
    frame = pd.read_parquet(out / "programme.parquet")
    for col in (
        "year",
        "quantile",
        "capacity_mwe",
        "generation_twh",
        "share_of_demand",
        "gas_saved_bcm",
        "co2_avoided_mt",
        "fuel_t",
    ):
        assert col in frame.columns
    assert set(frame["quantile"]) == {"p10", "p50", "p90"}
    assert frame.year.max() == 2050
    units = pd.read_csv(out / "units.csv")
    assert {
        "unit",
        "design",
        "status",
        "commercial_p10",
        "commercial_p50",
        "commercial_p90",
    } <= set(units.columns)
    assert "bushehr-2" in set(units.unit)
    assert "Commercial operation" in result.output
    assert "nppsim designs show vver1000-v528" in result.output
    assert "iran.toml" in result.output


def test_what_if_is_reported(app: typer.Typer, tmp_path: Path) -> None:
    wi = write_toml(tmp_path / "w.toml", 'title = "halved"\ndelay_factor = 0.5\n')
    result = CliRunner().invoke(
        app, ["programme", "--samples", "100", "--out", str(tmp_path / "o"), "--what-if", str(wi)]
    )
    assert result.exit_code == 0, result.output
    assert "overridden: delay_factor = 0.5" in result.output


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["programme", "nowhere"], "unknown programme"),
        (["programme", "--samples", "0"], "samples"),
        (["programme", "--until", "2300"], "until"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    app: typer.Typer, tmp_path: Path, args: list[str], text: str
) -> None:
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    out = result.output.strip()
    assert out.startswith("error:") and text in out
    assert len(out.splitlines()) == 1
    assert "Traceback" not in out


def test_bad_programme_file_names_unit_and_field(app: typer.Typer, tmp_path: Path) -> None:
    src = Path(__file__).parents[2] / "src" / "nppsim" / "programmes" / "iran.toml"
    text = src.read_text().replace('design = "vver1000-v528"', 'design = "vver-9999"', 1)
    bad = write_toml(tmp_path / "bad.toml", text)
    result = CliRunner().invoke(app, ["programme", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "units[bushehr-2].design = 'vver-9999'" in result.output

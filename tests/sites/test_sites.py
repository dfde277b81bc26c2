"""Sites (issue 9): site files, site scenarios, units on one clock, site totals, the CLI.

The site totals are checked against the sum of the units' own results (each unit's run written
by the engine), and the units' starting points against their design files' ratings: the test
does not trust the site code's arithmetic.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from nppsim.designs import load_design
from nppsim.errors import InputError
from nppsim.sites import (
    list_site_scenarios,
    list_sites,
    load_site,
    load_site_scenario,
    parse_site,
    parse_site_scenario,
)
from nppsim.sites.run import run_site, write_site


def test_built_in_sites_name_the_programme_units():
    assert {"bushehr", "hormoz"} <= set(list_sites())
    assert {"loss-of-offsite-power", "grid-demand", "unit-trip"} <= set(list_site_scenarios())
    b = load_site("bushehr")
    assert [(u.name, u.design) for u in b.units] == [
        ("bushehr-1", "vver1000-v446"),
        ("bushehr-2", "vver1000-v528"),
        ("bushehr-3", "vver1000-v528"),
    ]
    h = load_site("hormoz")
    assert [u.design for u in h.units] == ["vver-toi"] * 4
    for site in (b, h):
        for u in site.units:
            assert u.source.strip()
            load_design(u.design)  # every unit's design exists


def test_bad_site_files_are_clear_errors(tmp_path):
    base = {"site": {"name": "s", "title": "S"}, "units": [{"name": "a", "design": "vver-toi"}]}
    dup = dict(base, units=[{"name": "a", "design": "vver-toi"}] * 2)
    with pytest.raises(InputError, match="unique"):
        parse_site(dup, tmp_path / "s.toml")
    site = parse_site(base, tmp_path / "s.toml")
    with pytest.raises(InputError, match="units a"):
        site.unit(3, "x.toml")
    sc = {
        "scenario": {"name": "t", "title": "T", "duration": "1 min"},
        "initial": {"power": "100 %"},
        "events": [{"time": "10 s", "kind": "unit_trip", "unit": "nope"}],
    }
    parsed = parse_site_scenario(sc, tmp_path / "t.toml")
    with pytest.raises(InputError, match="nope"):
        run_site(site, parsed)


def _mixed_site():
    # two designs of different size on one site: a VVER-1000 and the small integral plant
    return parse_site(
        {
            "site": {"name": "mixed", "title": "Mixed test site"},
            "units": [
                {"name": "big", "design": "vver1000-v528"},
                {"name": "small", "design": "ritm200n"},
            ],
        }
    )


@pytest.fixture(scope="module")
def mixed_run():
    sc = parse_site_scenario(
        {
            "scenario": {"name": "mixed-test", "title": "test", "duration": "5 min"},
            "initial": {"power": "100 %"},
            "events": [
                {"time": "60 s", "kind": "loss_of_offsite_power", "units": ["small"]},
                {"time": "120 s", "kind": "unit_trip", "unit": 1, "how": "turbine"},
            ],
        }
    )
    return run_site(_mixed_site(), sc)


def test_units_run_on_one_clock_and_totals_are_the_sums(mixed_run, tmp_path):
    r = mixed_run
    assert r.status == "completed"
    fr = r.frame
    assert set(fr["unit"].unique()) == {"big", "small", "site"}
    assert {"time_s", "unit", "power_electric_w", "power_thermal_w"} <= set(fr.columns)
    big, small, site = (r.unit_frame(n) for n in ("big", "small", "site"))
    assert np.array_equal(big.index, small.index) and np.array_equal(big.index, site.index)
    assert big.index[-1] == pytest.approx(300.0)
    # the totals are the sums of the units' own values
    for c in ("power_electric_w", "power_thermal_w", "flow_steam_kg_s"):
        assert np.allclose(site[c], big[c] + small[c], rtol=1e-12, atol=1e-6)
    # at the start each unit is at its design rating
    r528, rritm = load_design("vver1000-v528").rating, load_design("ritm200n").rating
    assert site["power_thermal_w"].iloc[0] == pytest.approx(
        r528.power_thermal.si + rritm.power_thermal.si, rel=1e-6
    )
    # and the site's net output is its gross less each unit's house load
    ps528 = load_design("vver1000-v528").turbine
    psr = load_design("ritm200n").turbine
    house = (
        ps528.house_load.si * r528.power_electric_gross.si
        + psr.house_load.si * rritm.power_electric_gross.si
    )
    net = site["power_electric_net_w"] - site["power_electric_w"]
    assert np.allclose(net, -house, rtol=1e-9)
    # the site event reached only the unit it names, at its time
    small_ev = [e for e in r.units[1].sim.log if e["kind"] == "trip"]
    assert small_ev and min(e["time_s"] for e in small_ev) == pytest.approx(60.0, abs=0.5)
    assert big.loc[:119.0, "power_thermal_w"].min() > 0.99 * r528.power_thermal.si
    # the unit trip (turbine) of unit 1 at 120 s: its electric output falls to zero
    assert big["power_electric_w"].iloc[-1] < 0.01 * r528.power_electric_gross.si
    # results written: long form, per-unit folders and plots
    paths = write_site(r, tmp_path)
    back = pd.read_parquet(paths["site"])
    assert list(back.columns[:2]) == ["time_s", "unit"]
    assert len(back) == len(fr)
    for name in ("big", "small"):
        assert (tmp_path / name / "overview.png").stat().st_size > 10_000
        assert (tmp_path / name / "timeseries.parquet").exists()
    assert paths["plot"].stat().st_size > 10_000
    meta = json.loads(paths["meta"].read_text())
    assert meta["units"]["small"]["design"] == "ritm200n"
    assert [e["kind"] for e in meta["site_events"]] == ["loss_of_offsite_power", "unit_trip"]


def test_grid_demand_is_shared_by_the_units_on_line():
    """After one unit trips, a site demand of 90 % goes to the two left, each up to its rating."""
    site = load_site("bushehr")
    sc = load_site_scenario("unit-trip")
    r = run_site(site, sc)
    assert r.status == "completed"
    rated = [load_design(u.design).rating.power_electric_gross.si for u in site.units]
    first = r.unit_frame("bushehr-1")
    assert first["power_electric_w"].iloc[-1] < 0.01 * rated[0]
    # the site asks for 90 % of 3114 MW = 2803 MW; units 2 and 3 can give at most their ratings
    for i, name in ((1, "bushehr-2"), (2, "bushehr-3")):
        fr = r.unit_frame(name)
        assert fr["power_electric_w"].iloc[0] == pytest.approx(0.9 * rated[i], rel=0.03)
        assert fr["power_electric_w"].iloc[-1] == pytest.approx(rated[i], rel=0.03)
    ev = [e for e in r.events if e["kind"] == "grid_demand"]
    assert ev and ev[0]["units"] == ["bushehr-2", "bushehr-3"]


@pytest.mark.slow
def test_cli_runs_hormoz_loss_of_offsite_power(tmp_path):
    """The bar: four units together, site totals reported."""
    from typer.testing import CliRunner

    from nppsim.cli import app

    res = CliRunner().invoke(
        app, ["site", "run", "hormoz", "loss-of-offsite-power", "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "site totals" in res.output
    df = pd.read_parquet(tmp_path / "site.parquet")
    assert set(df["unit"].unique()) == {"hormoz-1", "hormoz-2", "hormoz-3", "hormoz-4", "site"}
    site = df[df["unit"] == "site"]
    toi = load_design("vver-toi").rating
    assert site["power_thermal_w"].iloc[0] == pytest.approx(4 * toi.power_thermal.si, rel=1e-6)
    assert site["power_electric_w"].iloc[0] == pytest.approx(
        4 * toi.power_electric_gross.si, rel=0.02
    )
    assert site["power_electric_w"].iloc[-1] < 1e6
    # after an hour every unit's decay heat is carried away: no unit above 2 % of rated
    assert site["power_thermal_w"].iloc[-1] < 0.02 * 4 * toi.power_thermal.si
    for i in range(1, 5):
        assert (tmp_path / f"hormoz-{i}" / "overview.png").exists()

"""The built-in plant studies. They need plant scenarios on the new engine
(:func:`nppsim.engine.run.run`); until the plant is ported they skip, saying so, and turn on by
themselves when it lands (the engine is asked, not a flag)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from study_helpers import ExternalCluster

from nppsim.studies import engine_can_run, load_study, read_runs, run_study
from nppsim.studies.analysis import summarize

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plant_engine() -> None:
    ok, why = engine_can_run("turbine-trip")
    if not ok:
        pytest.skip(f"plant scenarios do not run on the new engine yet: {why}")


def _deterministic(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["wall_s"]).sort_values("run_id").reset_index(drop=True)


def test_turbine_trip_study_on_a_local_and_an_external_cluster(plant_engine, tmp_path):
    """The bar: 64 runs on a local cluster of 2 workers, and again on a scheduler and 2 workers
    started by their own commands; the two datasets agree."""
    local = tmp_path / "local"
    report = run_study(load_study("turbine-trip-pressure"), local, workers=2)
    assert (report.runs, report.ran, report.interrupted) == (64, 64, False)
    df = read_runs(local)
    assert len(df) == 64
    assert (df["status"] == "completed").all(), df.loc[df["status"] != "completed", "message"]
    # above 75 % power a turbine trip trips the reactor at once; the primary then cools: its
    # pressure falls below nominal and never reaches the high-pressure trip setpoint
    design = load_study("turbine-trip-pressure").design
    nominal = design.coolant.pressure.si / 1e6
    assert df["tripped"].all() and (df["trip_time"] == 60.0).all()
    assert (df["min_pressure"] < nominal).all()
    assert (df["peak_pressure"] < design.protection.high_primary_pressure.si / 1e6).all()
    cluster = ExternalCluster(2, tmp_path)
    try:
        ext = tmp_path / "external"
        report = run_study(load_study("turbine-trip-pressure"), ext, scheduler=cluster.address)
        assert report.ran == 64
    finally:
        cluster.stop()
    pd.testing.assert_frame_equal(
        _deterministic(df), _deterministic(read_runs(ext)), check_exact=True
    )
    # more steam dump capacity cannot raise the peak steam pressure (all else equal), and the
    # smallest BRU-K needs the BRU-A more often than the largest
    for _, sub in df.groupby(["pump_inertia", "spray_capacity"]):
        p = sub.sort_values("bru_k_capacity")["peak_steam_pressure"].to_numpy()
        assert (p[1:] <= p[:-1] + 1e-4).all()
    small = df[df["bru_k_capacity"] == 2400]["bru_a_open_time"].notna().sum()
    large = df[df["bru_k_capacity"] == 4200]["bru_a_open_time"].notna().sum()
    assert small >= large


def test_rcp_trip_study_reduced(plant_engine, tmp_path):
    """rcp-trip-power with base N = 2 (10 runs): every run completes and the Sobol' indices are
    computed."""
    st = load_study("rcp-trip-power")
    sampler = st.spec.sampler.model_copy(update={"samples": 2})
    st.spec = st.spec.model_copy(update={"sampler": sampler})
    out = tmp_path / "rcp"
    report = run_study(st, out, workers=2)
    assert report.ran == 10
    df = read_runs(out)
    assert (df["status"] == "completed").all(), df["message"].tolist()
    assert all(math.isfinite(x) for x in df["final_power"])
    # the fast power reduction (URB, ROM, PZ-1) takes the reactor to about two thirds of full
    # power; with a strong moderator density coefficient (end of cycle) the cooling after the
    # URB drop adds reactivity fast enough for the short-period trip: those runs end tripped
    ok = ~df["tripped"]
    assert ok.any()
    assert df.loc[ok, "final_power"].between(60.0, 75.0).all()
    assert (df.loc[~ok, "final_power"] < 1.0).all()
    assert df.loc[~ok, "trip_time"].between(60.0, 120.0).all()
    s = summarize(out)
    assert "final_power" in s.indices

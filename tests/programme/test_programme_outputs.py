"""Analyst outputs: mean and quantiles, probabilities, target, modes, per-sample export."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.programme.results import (
    capacity_probabilities,
    modes_frame,
    samples_frame,
    summary_frame,
    target_summary,
    units_frame,
)
from nppsim.programme.timebase import date_to_s


def test_summary_has_mean_and_quantiles(iran_run) -> None:
    f = summary_frame(iran_run)
    assert list(f.statistic.cat.categories) == ["mean", "p10", "p50", "p90"]
    y = f[f.year == 2050].set_index("statistic")
    i = 2050 - iran_run.years[0]
    assert y.loc["mean", "generation_twh"] == pytest.approx(iran_run.energy[:, i].mean() / 3.6e15)
    assert y.loc["p50", "capacity_mwe"] == pytest.approx(
        np.quantile(iran_run.capacity[:, i], 0.5) / 1e6
    )


def test_probabilities_and_target(iran_run, iran_case) -> None:
    p = capacity_probabilities(iran_run)
    levels = [c for c in p.columns if c != "year"]
    vals = p[levels].to_numpy()
    assert np.all(np.diff(vals, axis=1) <= 0)  # higher levels are less likely
    tg = iran_case.programme.target
    cap = iran_run.capacity_at(date_to_s(tg.by.date))
    ts = target_summary(iran_run)
    assert ts["p_met"] == pytest.approx(np.mean(cap >= 20000e6))
    assert ts["capacity_at_date_mwe"]["mean"] == pytest.approx(cap.mean() / 1e6)
    # the modelled units cannot reach the target: they add up to less than 20 GW
    assert ts["max_modelled_mwe"] < 20000 and ts["p_met"] == 0.0


def test_modes_split_the_samples(iran_run) -> None:
    m = modes_frame(iran_run, 2060)
    h = m[m.project == "hormoz"].set_index("outcome")
    assert h.share.sum() == pytest.approx(1.0)
    assert h.loc["goes ahead", "generation_twh_p50"] > 2.5 * h.loc["does not", "generation_twh_p50"]
    # the overall mean is the share-weighted mean of the two modes
    i = 2060 - iran_run.years[0]
    overall = iran_run.energy[:, i].mean() / 3.6e15
    mix = (h.share * h.generation_twh_mean).sum()
    assert mix == pytest.approx(overall, rel=1e-9)


def test_per_sample_and_per_unit_exports_agree(iran_run) -> None:
    s = samples_frame(iran_run)
    assert len(s) == iran_run.samples
    c = iran_run.commercial_year("hormoz-1")
    assert np.array_equal(np.isnan(s["commercial_hormoz-1"]), ~np.isfinite(c))
    assert np.array_equal(s["proceed_hormoz"], iran_run.proceed["hormoz"])
    u = units_frame(iran_run).set_index("unit")
    assert u.loc["hormoz-1", "p_built"] == pytest.approx(np.mean(np.isfinite(c)))
    assert u.loc["bushehr-2", "official"] == "2029-03-20"

"""The distributions in iran.toml are what the shipped reference-class tables give."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nppsim.programme import refclass
from nppsim.programme.model import record_availability
from nppsim.units import to_si

YR = to_si(1.0, "yr")


def _fit_of(dist) -> refclass.LognormalFit:
    f = dist.fit
    if f.completed is not None:
        return refclass.fit_lognormal(f.completed, f.censored)
    if f.sample == "start_lags":
        return refclass.fit_lognormal_sample(refclass.start_lags(f.max_lag))
    if f.sample == "grid_to_commercial":
        return refclass.fit_lognormal_sample(refclass.grid_to_commercial_lags(f.group))
    return refclass.fit_group(f.group, f.restart, f.refresh)


def test_every_fitted_distribution_matches_its_fit(iran_case) -> None:
    checked = 0
    for name, dist in iran_case.programme.distributions.items():
        if dist.fit is None:
            continue
        fit = _fit_of(dist)
        sigma = fit.sigma_predictive if dist.fit.predictive else fit.sigma
        assert dist.median.si / YR == pytest.approx(fit.median, rel=5e-3), name
        assert dist.sigma.si == pytest.approx(sigma, abs=2e-3), name
        checked += 1
    assert checked >= 5


def test_group_a_non_china_counts_match_the_readme() -> None:
    done, censored = refclass.durations("a_non_china", refresh=False)
    assert done.size == 5 and censored.size == 14
    # Bushehr-1 measured from its 1995 restart: 18.7 y (data/README.md, item 3)
    assert max(done) == pytest.approx(18.73, abs=0.01)
    done_1975, _ = refclass.durations("a_non_china", restart=False, refresh=False)
    assert max(done_1975) == pytest.approx(38.4, abs=0.01)


def test_censored_fit_recovers_a_known_lognormal() -> None:
    rng = np.random.default_rng(3)
    t = np.exp(np.log(8.0) + 0.4 * rng.standard_normal(4000))
    cut = 9.0
    fit = refclass.fit_lognormal(t[t <= cut], np.full(np.sum(t > cut), cut))
    assert fit.median == pytest.approx(8.0, rel=0.02)
    assert fit.sigma == pytest.approx(0.4, rel=0.04)


def test_schedule_correlation(iran_case) -> None:
    r, n = refclass.same_site_correlation(3.0)
    assert iran_case.programme.schedule.correlation.si == pytest.approx(r, abs=0.005)
    assert n >= 50


def test_ramp_up_and_commissioning_factor(iran_case) -> None:
    klass = iran_case.programme.classes["vver1000"]
    assert klass.ramp_up.si_list == pytest.approx(list(refclass.ramp_up()), abs=1e-3)
    lf, n = refclass.commissioning_load_factor("a")
    assert klass.commissioning_load_factor.si == pytest.approx(lf, abs=1e-3)
    assert n == 6


def test_bushehr1_availability_gives_back_its_load_factor(iran_case) -> None:
    prog = iran_case.programme
    dist = prog.distributions["availability-bushehr1-record"]
    avail = record_availability(prog, dist)
    # A (1 - 60 d / 1 yr) is the recorded load factor of each year used
    rec = prog.unit("bushehr-1").record
    lf = [rec.load_factor.si_list[rec.years.index(y)] for y in dist.years]
    assert avail * (1 - 60 / 365.25) == pytest.approx(lf, rel=1e-9)
    assert np.all(avail <= 1.0)


def test_lognormal_quantiles_are_consistent() -> None:
    fit = refclass.fit_group("a_non_china")
    z = 1.2815515655446004
    assert fit.p90 / fit.median == pytest.approx(math.exp(z * fit.sigma_predictive))


def test_refresh_updates_completions_and_censoring_dates() -> None:
    upd = refclass.updates()
    assert set(upd.event) <= {"commercial_operation", "unfinished_on"}
    assert upd.source.str.len().min() > 10 and upd.confidence.isin(["S", "S2", "D", "M", "E"]).all()
    names = set(refclass.table("construction_durations.csv").name)
    assert set(upd.index) <= names  # every update names a unit of the table
    d0, c0 = refclass.durations("c_non_china", refresh=False)
    d1, c1 = refclass.durations("c_non_china", refresh=True)
    finished = int((upd.event == "commercial_operation").sum())
    assert d1.size == d0.size + finished and c1.size == c0.size - finished
    # an unfinished unit known unfinished later is censored at a greater age
    a0 = refclass.durations("a_non_china", refresh=False)[1]
    a1 = refclass.durations("a_non_china", refresh=True)[1]
    assert a1.size == a0.size and a1.sum() > a0.sum() + 10
    # Vogtle-4: 2013-11-19 to 2024-04-29
    assert any(abs(x - 10.44) < 0.01 for x in d1)


def test_cross_site_correlation_is_the_schedule_weight(iran_case) -> None:
    r, n = refclass.cross_site_correlation(3.0)
    assert iran_case.programme.shocks.schedule_weight.si == pytest.approx(r, abs=0.001)
    assert n > 500


def test_backtest_uses_only_earlier_information() -> None:
    b = refclass.backtest("c_non_china")
    assert len(b) >= 10
    assert np.all(b.n_completed >= 5)
    # more is known about later starts
    b = b.sort_values("start")
    assert b.n_completed.iloc[-1] >= b.n_completed.iloc[0]
    assert np.all((b.p10_yr < b.median_yr) & (b.median_yr < b.p90_yr))
    assert b.inside.mean() == pytest.approx((b.side == "inside").mean())


@pytest.mark.slow
def test_backtest_coverage_of_every_group() -> None:
    s = refclass.backtest_summary()
    assert (s.forecasts > 0).sum() >= 3
    ok = s[s.forecasts > 0]
    assert np.allclose(ok.inside_p10_p90 + ok.below_p10 + ok.above_p90, 1.0)

"""Cost and finance: interest during construction, spending profile, LCOE."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from programme_helpers import write_toml

from nppsim.programme import load_programme, simulate
from nppsim.programme.costs import crf, idc_factor, spent_fraction
from nppsim.programme.results import cost_summary, units_frame
from nppsim.programme.timebase import YEAR


def test_idc_of_uniform_spending_matches_the_integral() -> None:
    """Uniform spending over T at rate r: phi = ((1+r)^T - 1) / (T ln(1+r)) - 1 (exact integral)."""
    r, t = 0.07, 8.0
    exact = ((1 + r) ** t - 1) / (t * math.log1p(r)) - 1
    phi = float(idc_factor(np.array([t * YEAR]), r, 1.0, 1.0)[0])
    assert phi == pytest.approx(exact, rel=1e-3)
    assert float(idc_factor(np.array([t * YEAR]), 0.0, 2.0, 2.0)[0]) == pytest.approx(0.0)
    # later spending (beta 4, 2) capitalises less interest than early spending (2, 4)
    late = float(idc_factor(np.array([t * YEAR]), r, 4.0, 2.0)[0])
    early = float(idc_factor(np.array([t * YEAR]), r, 2.0, 4.0)[0])
    assert late < phi < early


def test_capital_recovery_factor() -> None:
    # 7 % over 40 years: 0.07 / (1 - 1.07^-40) = 0.07501
    assert crf(0.07, 40) == pytest.approx(0.075009, abs=1e-6)
    assert crf(0.0, 40) == pytest.approx(1 / 40)


def test_spending_profile_is_a_cdf() -> None:
    x = np.linspace(-0.5, 1.5, 41)
    f = spent_fraction(x, 2.0, 2.0)
    assert f[0] == 0.0 and f[-1] == pytest.approx(1.0)
    assert np.all(np.diff(f) >= 0)
    assert float(spent_fraction(np.array([0.5]), 2.0, 2.0)[0]) == pytest.approx(0.5)


def test_unit_costs_follow_the_equations(iran_run, iran_case) -> None:
    prog = iran_case.programme
    c = prog.cost
    uc = iran_run.unit_cost["bushehr-2"]
    d = iran_run.dates["bushehr-2"]
    t = d["commercial"] - d["start"]
    # overnight within the triangular range times the delay escalation (eq. 1)
    plan = prog.classes["vver1000"].planned_duration.si
    esc = 1 + c.delay_escalation.si * np.maximum(t - plan, 0) / YEAR
    per_kw = uc["overnight"] / esc / 974e6 * 1e3  # $/kWe
    ov = c.overnight["vver1000"]
    assert np.all(per_kw >= ov.low.value - 1e-6) and np.all(per_kw <= ov.high.value + 1e-6)
    # units of one project share their cost level
    assert np.allclose(
        uc["overnight"] / esc,
        iran_run.unit_cost["bushehr-3"]["overnight"]
        / (
            1
            + c.delay_escalation.si
            * np.maximum(
                iran_run.dates["bushehr-3"]["commercial"]
                - iran_run.dates["bushehr-3"]["start"]
                - plan,
                0,
            )
            / YEAR
        ),
    )
    # capital = overnight (1 + phi(T)) (eq. 2)
    phi = idc_factor(t, c.interest_rate.si, *c.spending_shape.si_list)
    assert np.allclose(uc["capital"], uc["overnight"] * (1 + phi))
    # longer construction, more interest
    order = np.argsort(t)
    assert np.mean(uc["idc"][order[-200:]]) > 2 * np.mean(uc["idc"][order[:200]])


def test_spending_adds_up_to_the_overnight_cost(iran_run) -> None:
    """Units finished before the horizon have spent exactly their overnight cost."""
    total = np.zeros(iran_run.samples)
    done = np.ones(iran_run.samples, dtype=bool)
    end = 2061.0
    for uid, uc in iran_run.unit_cost.items():
        total += np.nan_to_num(uc["overnight"])
        c = iran_run.commercial_year(uid)
        done &= ~np.isfinite(c) | (c < end)
    assert done.sum() > 100
    assert np.allclose(iran_run.spending.sum(axis=1)[done], total[done], rtol=1e-9)


def test_lcoe_rises_with_the_discount_rate(tmp_path: Path) -> None:
    lo = simulate(load_programme("iran", None, {"cost.discount_rate.value": 4}), 500, 2060, 1)
    hi = simulate(load_programme("iran", None, {"cost.discount_rate.value": 10}), 500, 2060, 1)
    f_lo = cost_summary(lo).set_index("quantity").loc["LCOE of the new units (fleet)"]
    f_hi = cost_summary(hi).set_index("quantity").loc["LCOE of the new units (fleet)"]
    assert f_hi.p50 > 1.4 * f_lo.p50
    # schedules are untouched by a financial input (same seed)
    assert np.array_equal(lo.energy, hi.energy)


def test_cost_outputs_have_statistics_and_sources(iran_run, iran_case) -> None:
    frame = cost_summary(iran_run)
    assert {"mean", "p10", "p50", "p90"} <= set(frame.columns)
    assert np.all(frame.p10 <= frame.p50) and np.all(frame.p50 <= frame.p90)
    units = units_frame(iran_run).set_index("unit")
    assert units.loc["bushehr-2", "lcoe_usd_per_mwh_p50"] > 50
    assert np.isnan(units.loc["bushehr-1", "capital_busd_p50"])  # operating: sunk, no cost
    for dist in iran_case.programme.cost.overnight.values():
        for m in (dist.low, dist.mode, dist.high):
            assert m.source and m.confidence


def test_bad_money_unit_is_refused(tmp_path: Path) -> None:
    from nppsim.errors import InputError

    wi = write_toml(tmp_path / "w.toml", '[set]\n"cost.prices.enrichment.unit" = "$/kg"\n')
    with pytest.raises(InputError) as info:
        load_programme("iran", wi)
    assert "cost.prices" in info.value.field and "w.toml" in str(info.value)

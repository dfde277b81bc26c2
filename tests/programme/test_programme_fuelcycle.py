"""Fuel cycle: the enrichment mass balance and value function, and the programme's fuel flows."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.designs import load_design
from nppsim.programme import simulate
from nppsim.programme.fuelcycle import feed_per_product, swu_per_product, value_function


def test_worked_example_feed_and_swu() -> None:
    """1 kg of 3.5 % from 0.711 % feed with 0.3 % tails: 7.785 kg feed, 6.785 kg tails, 4.34 SWU.

    Published worked example: nfc.rizgarmella.com, ch. 2 'Worked example: SWU calculation'
    (the same figures as WNA's '7.8 kg of natural U and 4.3 SWU per kg of 3.5 % product').
    """
    f = float(feed_per_product(0.035, 0.00711, 0.003))
    assert f == pytest.approx(7.785, abs=0.001)
    assert float(value_function(0.035)) == pytest.approx(3.085, abs=0.001)
    assert float(value_function(0.003)) == pytest.approx(5.771, abs=0.001)
    assert float(value_function(0.00711)) == pytest.approx(4.868, abs=0.001)
    assert float(swu_per_product(0.035, 0.00711, 0.003)) == pytest.approx(4.34, abs=0.005)


def test_lower_tails_need_less_feed_and_more_work() -> None:
    f30, w30 = feed_per_product(0.04, 0.00711, 0.003), swu_per_product(0.04, 0.00711, 0.003)
    f25, w25 = feed_per_product(0.04, 0.00711, 0.0025), swu_per_product(0.04, 0.00711, 0.0025)
    assert f25 < f30 and w25 > w30
    # U-235 is conserved: F x_f = P x_p + T x_t
    assert f25 * 0.00711 == pytest.approx(0.04 + (f25 - 1) * 0.0025)


def test_bad_assays_are_refused() -> None:
    with pytest.raises(ValueError):
        feed_per_product(0.005, 0.00711, 0.0025)
    with pytest.raises(ValueError):
        feed_per_product(0.04, 0.00711, 0.008)


def test_programme_fuel_flows_balance(iran_run, iran_case) -> None:
    prog = iran_case.programme
    fc = prog.fuel_cycle
    # natural uranium bought = feed to enrichment / (1 - conversion loss)
    assert np.allclose(iran_run.natural_uranium * (1 - fc.conversion_loss.si), iran_run.conversion)
    # loaded minus discharged = cores in service at the end of the horizon (first cores loaded
    # in the reported years, not yet discharged)
    loaded = iran_run.fuel.sum(axis=1)
    out = iran_run.spent_fuel.sum(axis=1)
    end = float(iran_run.years[-1] + 1)
    in_core = np.zeros(iran_run.samples)
    for u in prog.units:
        d = iran_run.dates[u.id]
        core = load_design(u.design).rating.fuel_loading.si
        first_in_window = u.first_fuel_load is None  # Bushehr 1 loaded in 2010, before 2011
        from nppsim.programme.timebase import year_start_s

        t_end = float(year_start_s(int(end)))
        loaded_core = (d["grid"] - fc.first_core_lead.si < t_end) & (d["grid"] < 1e11)
        if first_in_window:
            in_core += core * (loaded_core & (d["retire"] >= t_end))
        else:
            in_core -= core * (d["retire"] < t_end)
    assert np.allclose(loaded - out, in_core, rtol=1e-9, atol=1e-6)


def test_reload_swu_per_kg_matches_the_formula(iran_case) -> None:
    """Bushehr 1's recorded years: SWU / reload mass is the value-function figure at 4 %."""
    res = simulate(iran_case, samples=5, until=2030, seed=1)
    fc = iran_case.programme.fuel_cycle
    i = 2016 - res.years[0]
    expect = float(swu_per_product(0.04, fc.feed_assay.si, fc.tails_assay.si))
    assert res.swu[0, i] / res.fuel_reload[0, i] == pytest.approx(expect, rel=1e-12)
    assert res.fuel_first[0, i] == 0.0

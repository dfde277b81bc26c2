"""Displaced generation: fleet by year, marginal plant, unmet demand."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.programme import load_programme, simulate
from nppsim.programme.displaced import factors, fleet_shares, saved


def test_fleet_shares_from_reported_volumes(iran_case) -> None:
    prog = iran_case.programme
    years, shares = fleet_shares(prog)
    assert np.allclose(shares.sum(axis=0), 1.0)
    i = list(years).index(2024)
    # 2024: 70 bcm gas x 34.5 MJ/m3; 11.97 GL gas oil x 840 kg/m3 x 43 MJ/kg; 8.83 GL fuel oil
    gas, go, fo = 70e9 * 34.5e6, 11.97e6 * 840 * 43e6, 8.83e6 * 980 * 40.4e6
    assert shares[:, i] == pytest.approx(np.array([gas, go, fo]) / (gas + go + fo), rel=1e-9)
    assert 0.7 < shares[0, i] < 0.8  # gas about three quarters of the heat


def test_fleet_efficiency_by_year(iran_case) -> None:
    f = factors(iran_case.programme, np.array([2015, 2019, 2021, 2024, 2040]))
    eta = 1 / f["heat"]
    assert eta[0] == pytest.approx(0.378)  # constant before the first record
    assert eta[1] == pytest.approx(0.3856)
    assert eta[2] == pytest.approx(0.3856 + (0.396 - 0.3856) * 2 / 5)  # linear between
    assert eta[3] == eta[4] == pytest.approx(0.396)  # constant after the last


def test_saved_fuel_and_co2_by_hand(iran_case) -> None:
    prog = iran_case.programme
    e = np.full((1, 1), 3.6e15)  # 1 TWh in 2024
    out = saved(prog, np.array([2024]), e)
    f = factors(prog, np.array([2024]))
    q = 3.6e15 / 0.396
    assert out["heat"][0, 0] == pytest.approx(q)
    fuels = prog.displaced.fuels
    co2 = sum(q * f["share"][k, 0] * fuels[n].emission_factor.si for k, n in enumerate(fuels))
    assert out["co2"][0, 0] == pytest.approx(co2)
    # one TWh saves about 0.2 bcm of gas and 0.05 GL of liquids, about 0.6 Mt CO2
    assert out["gas"][0, 0] / 1e9 == pytest.approx(0.199, abs=0.005)
    assert 0.5e9 < out["co2"][0, 0] < 0.7e9


def test_marginal_mode_and_unmet_demand() -> None:
    base = simulate(load_programme("iran"), samples=300, until=2050, seed=1)
    marg = simulate(load_programme("iran", "marginal-ccgt"), samples=300, until=2050, seed=1)
    unmet = simulate(load_programme("iran", "unmet-demand"), samples=300, until=2050, seed=1)
    assert np.array_equal(base.energy, marg.energy)
    # marginal: all gas at 50 %: V = E / (0.5 x 34.5 MJ/m3); no liquids
    assert np.allclose(marg.gas_saved, marg.energy / (0.5 * 34.5e6))
    assert np.all(marg.liquid_saved == 0)
    assert np.allclose(marg.co2_avoided, marg.energy / 0.5 * 56100e-12)
    # a third of output meets unmet demand: savings scale by 0.67 exactly
    assert np.allclose(unmet.gas_saved, 0.67 * base.gas_saved)
    assert np.allclose(unmet.co2_avoided, 0.67 * base.co2_avoided)
    assert np.allclose(unmet.unmet_served, 0.33 * unmet.energy)

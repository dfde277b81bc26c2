"""The design files the programme needs: they load, and their ratings are the sourced ones."""

from __future__ import annotations

import pytest

from nppsim.designs import load_design
from nppsim.units import to_si

MW = 1e6
YR = to_si(1.0, "yr")


@pytest.mark.parametrize(
    ("name", "thermal_mw", "gross_mw", "net_mw"),
    [
        ("vver1000-v528", 3000, 1057, 974),
        ("vver-toi", 3300, 1255, 1161),
        ("ritm200n", 190, 55, 50),
        ("ir360", 1113, 360, 300),
    ],
)
def test_ratings(name: str, thermal_mw: float, gross_mw: float, net_mw: float) -> None:
    r = load_design(name).rating
    assert r.power_thermal.si == pytest.approx(thermal_mw * MW)
    assert r.power_electric_gross.si == pytest.approx(gross_mw * MW)
    assert r.power_electric_net.si == pytest.approx(net_mw * MW)


def test_every_programme_design_value_has_a_source() -> None:
    for name in ("vver1000-v528", "vver-toi", "ritm200n", "ir360"):
        r = load_design(name).rating
        for field in type(r).model_fields:
            q = getattr(r, field)
            assert q.source and q.confidence, (name, field)


def test_hormoz_units_add_up_to_the_5000_mw_contract() -> None:
    gross = load_design("vver-toi").rating.power_electric_gross.si
    assert 4 * gross == pytest.approx(5020 * MW)


def test_ritm200n_lifetime_and_refuelling() -> None:
    r = load_design("ritm200n").rating
    assert r.design_life.si == pytest.approx(60 * YR)
    assert 5 * YR <= r.refuelling_interval.si <= 6 * YR

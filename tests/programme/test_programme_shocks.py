"""Programme-wide factor, go/no-go correlation and dated suspensions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from programme_helpers import write_toml
from scipy import special

from nppsim.programme import load_programme, simulate
from nppsim.programme.timebase import YEAR, date_to_s, s_to_year

STOP_2027 = """
[[suspensions]]
id = "all-stop"
scope = ["programme"]
start = 2027-06-01
duration = "two-years"
source = "test"
confidence = "E"
note = "test"

[distributions.two-years]
kind = "fixed"
value = { value = 2, unit = "yr", source = "test", confidence = "E", note = "test" }
"""


def test_two_year_stop_shifts_p50_of_every_unit_under_construction(tmp_path: Path) -> None:
    """The bar: a 2-year suspension of all construction shifts each P50 by about 2 years."""
    base = simulate(load_programme("iran"), samples=2500, until=2060, seed=5)
    wi = write_toml(tmp_path / "w.toml", STOP_2027)
    res = simulate(load_programme("iran", wi), samples=2500, until=2060, seed=5)
    t_stop = s_to_year(np.array([date_to_s(__import__("datetime").date(2027, 6, 1))]))[0]
    for u in base.programme.units:
        if u.status != "under construction":
            continue
        b, s = base.commercial_year(u.id), res.commercial_year(u.id)
        # every sample still unfinished at the stop finishes exactly two years later
        later = b > t_stop
        assert np.allclose(s[later] - b[later], 2.0, atol=0.01), u.id
        assert np.array_equal(s[~later], b[~later]), u.id
        assert np.median(s) - np.median(b) == pytest.approx(2.0, abs=0.1), u.id
    # the shipped what-if does the same from 2027-01-01
    shipped = simulate(load_programme("iran", "suspension-2y-2027"), samples=2500, seed=5)
    for uid in ("bushehr-2", "bushehr-3"):
        shift = np.median(shipped.commercial_year(uid)) - np.median(base.commercial_year(uid))
        assert shift == pytest.approx(2.0, abs=0.1)


def test_a_start_inside_a_stop_waits_for_its_end(tmp_path: Path) -> None:
    wi = write_toml(tmp_path / "w.toml", STOP_2027)
    res = simulate(load_programme("iran", wi), samples=2000, until=2060, seed=2)
    t0, t1 = date_to_s(__import__("datetime").date(2027, 6, 1)), None
    t1 = t0 + 2 * YEAR
    for u in res.programme.units:
        s = res.dates[u.id]["start"]
        assert not np.any((s >= t0) & (s < t1)), u.id


def test_the_2026_stop_is_conditioned_on_what_is_known() -> None:
    case = load_programme("iran")
    res = simulate(case, samples=2000, seed=1)
    s = case.programme.suspensions[0]
    d = res.suspension_duration[s.id]
    known = date_to_s(s.known_until) - date_to_s(s.start)
    assert np.all(d >= known - 1e-6)
    # removing it brings Bushehr 2 forward by about the stop's median duration, not more
    res0 = simulate(load_programme("iran", "no-war-stop"), samples=2000, seed=1)
    shift = np.median(res.commercial_year("bushehr-2")) - np.median(
        res0.commercial_year("bushehr-2")
    )
    assert 0.5 < shift < np.quantile(d, 0.9) / YEAR


def test_common_factor_correlates_projects_as_specified(tmp_path: Path) -> None:
    """Go-ahead scores share w_g of their variance; marginal probabilities are kept."""
    wi = write_toml(
        tmp_path / "w.toml",
        '[set]\n"shocks.go_ahead_weight.value" = 0.8\n"shocks.schedule_weight.value" = 0.4\n',
    )
    case = load_programme("iran", wi)
    res = simulate(case, samples=10000, until=2060, seed=3)
    h, s = res.proceed["hormoz"], res.proceed["smr"]
    assert h.mean() == pytest.approx(0.6, abs=0.02)
    assert s.mean() == pytest.approx(0.4, abs=0.02)
    # P(both) of two latent normals with correlation 0.8 (bivariate normal orthant)
    z1, z2 = special.ndtri(0.6), special.ndtri(0.4)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200000, 2)) @ np.linalg.cholesky([[1, 0.8], [0.8, 1]]).T
    p_both = np.mean((x[:, 0] < z1) & (x[:, 1] < z2))
    assert np.mean(h & s) == pytest.approx(p_both, abs=0.015)
    assert np.mean(h & s) > 0.6 * 0.4 + 0.1  # far from independence
    base = simulate(load_programme("iran"), samples=10000, until=2060, seed=3)
    assert np.mean(base.proceed["hormoz"] & base.proceed["smr"]) < np.mean(h & s)


def test_independent_projects_when_weights_are_zero(tmp_path: Path) -> None:
    wi = write_toml(
        tmp_path / "w.toml",
        '[set]\n"shocks.go_ahead_weight.value" = 0.0\n"shocks.schedule_weight.value" = 0.0\n',
    )
    res = simulate(load_programme("iran", wi), samples=10000, until=2060, seed=4)
    h, s = res.proceed["hormoz"], res.proceed["smr"]
    assert np.mean(h & s) == pytest.approx(h.mean() * s.mean(), abs=0.01)


def test_same_seed_same_results_bit_for_bit() -> None:
    case = load_programme("iran", "suspension-2y-2027")
    a = simulate(case, samples=500, until=2060, seed=11)
    simulate(load_programme("iran"), samples=123, until=2040, seed=2)  # anything in between
    b = simulate(case, samples=500, until=2060, seed=11)
    for name in ("energy", "capacity", "swu", "natural_uranium", "spending", "spent_fuel"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for uid in a.unit_cost:
        assert np.array_equal(a.unit_cost[uid]["lcoe"], b.unit_cost[uid]["lcoe"], equal_nan=True)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (STOP_2027.replace('"programme"', '"site:Nowhere"'), "suspensions[all-stop].scope[0]"),
        (
            STOP_2027.replace('duration = "two-years"', 'duration = "nope"'),
            "suspensions[all-stop].duration",
        ),
    ],
)
def test_bad_suspension_names_its_field(tmp_path: Path, text: str, field: str) -> None:
    from nppsim.errors import InputError

    wi = write_toml(tmp_path / "w.toml", text)
    with pytest.raises(InputError) as info:
        load_programme("iran", wi)
    assert info.value.field == field

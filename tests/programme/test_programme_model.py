"""The Monte Carlo model: reproducible, bounded by capacity, true to the record and factors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from programme_helpers import write_toml

from nppsim.errors import InputError
from nppsim.programme import load_programme, simulate, summary_frame, units_frame
from nppsim.programme.load import list_what_ifs
from nppsim.programme.model import Sampler, recorded_generation
from nppsim.programme.results import sample_table
from nppsim.programme.timebase import date_to_s, s_to_year

TWH = 3.6e15


def test_reproducible_with_a_seed(iran_case) -> None:
    a = simulate(iran_case, samples=300, until=2050, seed=7)
    b = simulate(iran_case, samples=300, until=2050, seed=7)
    c = simulate(iran_case, samples=300, until=2050, seed=8)
    assert np.array_equal(a.energy, b.energy)
    assert np.array_equal(a.dates["hormoz-1"]["commercial"], b.dates["hormoz-1"]["commercial"])
    assert not np.array_equal(a.energy, c.energy)
    assert summary_frame(a).equals(summary_frame(b))


def test_generation_never_above_capacity_times_hours(iran_run) -> None:
    limit = iran_run.capacity * iran_run.year_length[None, :]
    assert np.all(iran_run.energy <= limit * (1 + 1e-12))
    frame = summary_frame(iran_run)
    hours = np.repeat(iran_run.year_length / 3600.0, 4)
    assert np.all(frame.generation_twh * 1e6 <= frame.capacity_mwe * hours * (1 + 1e-9))


def test_bushehr1_record_is_reported_not_modelled(iran_run, iran_case) -> None:
    prog = iran_case.programme
    assert recorded_generation(prog, "bushehr-1", iranian_year=1402) / TWH == pytest.approx(7.43)
    assert recorded_generation(prog, "bushehr-1", iranian_year=1403) / TWH == pytest.approx(7.02)
    assert iran_run.recorded_until == 2024
    for year in (2013, 2021, 2023, 2024):
        i = year - iran_run.years[0]
        col = iran_run.energy[:, i]
        assert np.all(col == col[0]), year
        assert col[0] == pytest.approx(recorded_generation(prog, "bushehr-1", year=year))
    # 2023 from PRIS: 75.74 % of 915 MWe over 8760 h
    i = 2023 - iran_run.years[0]
    assert iran_run.energy[0, i] / TWH == pytest.approx(0.7574 * 915e6 * 8760 / 1e12)
    # the record agrees with OWID/BP net generation (RC csv) within 0.03 TWh
    for year, twh in ((2013, 3.89), (2016, 5.92), (2020, 5.79)):
        assert iran_run.energy[0, year - iran_run.years[0]] / TWH == pytest.approx(twh, abs=0.03)


def test_cumulative_columns_are_running_totals(iran_run) -> None:
    t = sample_table(iran_run)
    for yearly, cum in (
        ("generation_twh", "generation_cum_twh"),
        ("gas_saved_bcm", "gas_saved_cum_bcm"),
        ("swu_t", "swu_cum_t"),
        ("spending_busd", "spending_cum_busd"),
    ):
        assert np.allclose(t[cum][:, -1], t[yearly].sum(axis=1)), cum


def test_share_uses_the_demand_projection(iran_run) -> None:
    i = 2023 - iran_run.years[0]
    assert iran_run.demand[i] / TWH == pytest.approx(382.9)
    j = 2024 - iran_run.years[0]
    assert iran_run.demand[j] / TWH == pytest.approx(382.9 * 1.03)
    assert np.allclose(iran_run.share, iran_run.energy / iran_run.demand)


def test_units_not_running_finish_after_the_status_date(iran_run, iran_case) -> None:
    t_status = date_to_s(iran_case.programme.programme.status_date)
    for u in iran_case.programme.units:
        d = iran_run.dates[u.id]
        assert np.all(d["grid"] <= d["commercial"])
        assert np.all(d["start"] <= d["grid"])
        if u.status != "operating":
            assert np.all(d["commercial"] > t_status), u.id
            assert np.all(d["grid"] >= t_status), u.id
        if u.status in ("planned", "contracted"):
            assert np.all(d["start"] >= t_status), u.id


def test_project_go_no_go_and_serial_build(iran_run) -> None:
    built = [np.isfinite(s_to_year(iran_run.dates[f"hormoz-{k}"]["commercial"])) for k in (1, 2)]
    assert np.array_equal(built[0], built[1])
    assert 0.6 < built[0].mean() < 0.8
    s1 = iran_run.dates["hormoz-1"]["start"][built[0]]
    s2 = iran_run.dates["hormoz-2"]["start"][built[0]]
    assert np.all(s2 > s1)


def test_fuel_includes_first_cores(iran_run) -> None:
    i = 2011 - iran_run.years[0]
    # Bushehr 1's first core was loaded in 2010, before the reported years: only reloads in 2011
    assert iran_run.fuel[0, i] < 1e3
    assert np.max(iran_run.fuel) > 70e3


def test_bad_run_settings(iran_case) -> None:
    with pytest.raises(InputError, match="samples"):
        simulate(iran_case, samples=0)
    with pytest.raises(InputError, match="until"):
        simulate(iran_case, samples=10, until=2200)


def test_what_if_cancel_keeps_other_draws(tmp_path: Path, iran_run) -> None:
    wi = write_toml(tmp_path / "w.toml", 'title = "no SMR"\ncancel = ["smr"]\n')
    res = simulate(load_programme("iran", wi), samples=2000, until=2060, seed=1)
    assert np.all(np.isinf(res.commercial_year("smr-1")))
    assert np.all(np.isinf(res.commercial_year("smr-2")))
    assert np.array_equal(
        res.dates["hormoz-3"]["commercial"], iran_run.dates["hormoz-3"]["commercial"]
    )
    assert res.adjustments.overridden == ["cancel smr: smr-1, smr-2"]
    assert bool(units_frame(res).set_index("unit").loc["smr-1", "cancelled"])


def test_what_if_delays_halved(tmp_path: Path) -> None:
    # without the 2026 stop, so that only working time (which the factor scales) is compared
    no_stop = 'remove_suspensions = ["bushehr-2026-war"]\n'
    w0 = write_toml(tmp_path / "w0.toml", no_stop)
    wi = write_toml(tmp_path / "w.toml", no_stop + "delay_factor = 0.5\n")
    ref = simulate(load_programme("iran", w0), samples=2000, until=2060, seed=1)
    res = simulate(load_programme("iran", wi), samples=2000, until=2060, seed=1)
    base = s_to_year(ref.dates["bushehr-2"]["commercial"])
    fast = s_to_year(res.dates["bushehr-2"]["commercial"])
    assert np.all(fast <= base + 1e-9)
    plan_end = s_to_year(np.array([date_to_s(date(2019, 9, 27))]))[0] + 5.9
    assert np.median(fast) == pytest.approx(plan_end + 0.5 * (np.median(base) - plan_end), abs=0.05)
    assert any("delay_factor = 0.5" in line for line in res.adjustments.overridden)


def test_what_if_set_by_dotted_path(tmp_path: Path) -> None:
    wi = write_toml(
        tmp_path / "w.toml",
        '[set]\n"displaced.marginal.efficiency.value" = 0.45\n'
        '"units.bushehr-2.construction_start.date" = 2019-11-10\n',
    )
    case = load_programme("iran", wi)
    assert case.programme.displaced.marginal.efficiency.si == 0.45
    assert case.programme.unit("bushehr-2").construction_start.date == date(2019, 11, 10)
    assert "set displaced.marginal.efficiency.value: 0.5 -> 0.45" in case.adjustments.overridden


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('cancel = ["smr-9"]\n', "cancel[0]"),
        ('[set]\n"displaced.efficency.value" = 0.5\n', "set.displaced.efficency.value"),
        ('remove_suspensions = ["nope"]\n', "remove_suspensions[0]"),
        ('[set]\n"units.bushehr-9.design" = "x"\n', "set.units.bushehr-9.design"),
        ("[units.nope]\ndelay_factor = 2\n", "units.nope"),
        ("delay = 2\n", "delay"),
    ],
)
def test_bad_what_if(tmp_path: Path, text: str, field: str) -> None:
    wi = write_toml(tmp_path / "w.toml", text)
    with pytest.raises(InputError) as info:
        load_programme("iran", wi)
    assert info.value.field == field
    assert "w.toml" in str(info.value)


def test_what_if_value_is_validated_like_the_file(tmp_path: Path) -> None:
    wi = write_toml(tmp_path / "w.toml", '[set]\n"projects.hormoz.p_proceed.value" = 1.5\n')
    with pytest.raises(InputError) as info:
        load_programme("iran", wi)
    assert info.value.field == "projects.hormoz.p_proceed"
    assert "w.toml" in str(info.value)


@pytest.mark.parametrize(
    "sampler",
    [
        Sampler("lognormal", np.log(5.0), 0.4),
        Sampler("triangular", 1.0, 2.0, 5.0),
        Sampler("uniform", 1.0, 3.0),
    ],
)
def test_sampler_ppf_inverts_cdf(sampler: Sampler) -> None:
    u = np.linspace(0.01, 0.99, 99)
    assert np.allclose(sampler.cdf(sampler.ppf(u)), u, atol=1e-12)


def test_empirical_sampler_draws_each_value_equally() -> None:
    s = Sampler("empirical", values=np.array([0.4, 0.8, 0.9]))
    draws = s.ppf(np.random.default_rng(0).random(30000))
    assert set(np.unique(draws)) == {0.4, 0.8, 0.9}
    assert np.allclose([np.mean(draws == v) for v in (0.4, 0.8, 0.9)], 1 / 3, atol=0.01)


@pytest.mark.parametrize("name", sorted(list_what_ifs()))
def test_shipped_what_ifs(name: str) -> None:
    case = load_programme("iran", name)
    assert case.adjustments.overridden and case.adjustments.title
    simulate(case, samples=50, until=2040, seed=1)


def test_cancelling_an_operating_unit_closes_it(tmp_path: Path, iran_case) -> None:
    wi = write_toml(tmp_path / "w.toml", 'cancel = ["bushehr-1", "bushehr-2-3"]\n')
    case = load_programme("iran", wi)
    assert "closes at the status date" in case.adjustments.overridden[0]
    res = simulate(case, samples=50, until=2030, seed=1)
    t_status = date_to_s(iran_case.programme.programme.status_date)
    assert np.all(res.dates["bushehr-1"]["retire"] == t_status)
    i = 2024 - res.years[0]
    assert np.all(res.energy[:, i] > 0)  # the record stays
    t = t_status + 86400.0
    others = sum(
        res.unit_power[u] * ((d["grid"] <= t) & (t < d["retire"]))
        for u, d in res.dates.items()
        if not u.startswith("bushehr")
    )
    assert np.array_equal(res.capacity_at(t), others)  # no Bushehr unit in service


def test_unit_and_class_factors_multiply(tmp_path: Path, iran_case) -> None:
    wi = write_toml(
        tmp_path / "w.toml",
        "delay_factor = 0.5\n[units.hormoz-1]\ndelay_factor = 0.8\n"
        "[classes.vver-toi]\ndelay_factor = 1.5\n",
    )
    adj = load_programme("iran", wi).adjustments
    assert adj.factor("hormoz-1") == pytest.approx(0.5 * 0.8 * 1.5)
    assert adj.factor("hormoz-2") == pytest.approx(0.75)
    assert adj.factor("bushehr-2") == pytest.approx(0.5)

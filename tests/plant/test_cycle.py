"""Core states through the cycle (issue 8, item 7): the design's [cycle] states replace the
critical boron, feedback coefficients and delayed-neutron fractions; scenarios choose one."""

from __future__ import annotations

import pytest

from nppsim.errors import InputError
from nppsim.plant.model import Model
from nppsim.scenarios import load_scenario, parse_scenario


def test_cycle_states_replace_the_core_data(v446):
    boc, eoc = v446.at_cycle("BOC"), v446.at_cycle("EOC")
    assert v446.at_cycle("MOC") is v446 and v446.at_cycle(None) is v446
    r = v446.reactivity
    assert boc.reactivity.critical_boron_full_power.si > r.critical_boron_full_power.si
    assert eoc.reactivity.critical_boron_full_power.si < r.critical_boron_full_power.si
    # the moderator coefficient grows in magnitude through the cycle, beta_eff falls
    assert (
        boc.reactivity.moderator_density_coefficient.si
        < r.moderator_density_coefficient.si
        < eoc.reactivity.moderator_density_coefficient.si
    )
    assert sum(boc.kinetics.beta.si_list) > sum(v446.kinetics.beta.si_list)
    assert sum(eoc.kinetics.beta.si_list) < sum(v446.kinetics.beta.si_list)
    assert boc.turbine == v446.turbine  # only the core data change


def test_unknown_cycle_state_is_a_clear_error(v446):
    with pytest.raises(InputError, match=r"BOC, EOC|MOC, BOC, EOC"):
        v446.at_cycle("XOC", "x.toml", "initial.cycle")
    data = {
        "scenario": {"name": "x", "title": "x", "design": "vver1000-v446", "duration": "1 h"},
        "initial": {"power": "100 %", "cycle": "XOC"},
    }
    with pytest.raises(InputError, match=r"initial\.cycle"):
        parse_scenario(data, "x.toml")


@pytest.mark.parametrize("state", ["BOC", "MOC", "EOC"])
def test_full_power_is_critical_at_the_state_critical_boron(v446, state):
    """The core alone at full power, made critical by boron, needs the state's critical boron."""
    design = v446.at_cycle(state)
    model = Model(design, "core")
    y, _ = model.steady_state(1.0, "boron")
    boron = float(y[model.net.s_index("core.boron")])
    assert boron == pytest.approx(design.reactivity.critical_boron_full_power.si, abs=0.5)


def test_rcp_start_is_a_beginning_of_cycle_test():
    sc = load_scenario("rcp-start")
    assert sc.initial.cycle == "BOC"
    design = sc.design_obj().at_cycle(sc.initial.cycle)
    assert design.cycle is not None
    boc = {s.name: s for s in design.cycle.states}["BOC"]
    assert boc.burnup.si == pytest.approx(30.7 * 86400.0)

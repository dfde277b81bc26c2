"""The primary side in the whole plant: the pressurizer's answer to an insurge and an outsurge
(two-region against equilibrium), its valves' set and reset pressures, boron carried by the
flow and changed by feed and bleed, and every signal and rate computed at every call."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.actions import parse_action
from nppsim.designs.plant_sections import plant_sections
from nppsim.engine.simulation import Simulation
from nppsim.errors import InputError
from nppsim.physics.boron import feed_and_bleed_solution
from nppsim.plant import kernel
from nppsim.plant.components import boron_transport as bt
from nppsim.plant.components import pressurizer as pz
from nppsim.plant.model import Model


@pytest.fixture(scope="module")
def plant(v446):
    return Model(v446, "plant")


@pytest.fixture(scope="module")
def plant_equilibrium(v446):
    return Model(v446.with_overrides({"pressurizer.model": "equilibrium"}), "plant")


def test_every_signal_and_rate_is_computed_at_every_call(plant):
    """The kernel writes every rate and every signal a two-region plant reads (a signal read
    before it is written would make the right-hand side depend on the memory it finds)."""
    y, d = plant.steady_state(1.0)
    net = plant.net
    w = np.full(net.signals.size, np.nan)
    dy = np.full(net.states.size, np.nan)
    kernel.evaluate(0.0, y, net.p, net.ip, d, w, dy)
    assert np.all(np.isfinite(dy))
    assert np.all(np.isfinite(w))


def test_two_region_steady_state(plant):
    """At rest: the pressure at its setpoint, the level at the programme's, the liquid a fraction
    of a kelvin subcooled, the wall a little below saturation (it condenses what the losses
    take), the heaters at the heat loss, and nothing moves."""
    y, d = plant.steady_state(1.0)
    net = plant.net
    w = net.signal_vector(0.0, y, d)

    def sig(name):
        return float(w[net.signal_lookup(name)])

    assert sig("pressure_primary_pa") == pytest.approx(15.7e6, abs=1.0)
    assert sig("level_pressurizer_m") == pytest.approx(8.03, abs=1e-9)
    t_sat = sig("temp_saturation_pzr_k")
    assert -0.5 < sig("temp_pzr_liquid_k") - t_sat < 0.0
    assert -2.0 < sig("temp_pzr_wall_k") - t_sat < 0.0
    assert sig("power_heaters_w") == pytest.approx(60e3)
    dy = net.rhs(0.0, y, d)
    sl = net.states["pressurizer.contents"].slice
    assert abs(dy[sl][4]) < 1e-3  # [Pa/s]
    assert np.max(np.abs(dy[sl][[0, 2]])) < 1e-6  # [kg/s]


def _run(model, actions, t_end, power=1.0):
    y0, d0 = model.steady_state(power)
    sim = Simulation(model, y0, d0)
    for t, a in actions:
        sim.advance(t)
        sim.submit(parse_action(a))
    sim.advance(t_end)
    return sim.results(), sim.log


@pytest.mark.slow
def test_insurge_raises_and_outsurge_lowers_the_pressure(plant, plant_equilibrium, v446):
    """A level setpoint 1 m up makes the make-up fill the pressurizer (an insurge of hot-leg
    water); 1 m down lets the let-down empty it (an outsurge). In the two-region pressurizer the
    insurge compresses the steam: the pressure climbs past the spray's start (the design's
    ``spray_start_offset`` above the setpoint), where the spray holds it; in the equilibrium
    model the same insurge condenses at once and the pressure hardly moves (+15 kPa per tonne of
    320 degC water). An outsurge lowers the pressure in both until the heaters hold it."""
    up = [(10.0, {"kind": "setpoint", "controller": "pressurizer_level", "value": "9.03 m"})]
    down = [(10.0, {"kind": "setpoint", "controller": "pressurizer_level", "value": "7.03 m"})]
    rise, fall = {}, {}
    for name, model in (("two_region", plant), ("equilibrium", plant_equilibrium)):
        df, _ = _run(model, up, 400.0)
        assert df["level_pressurizer_m"].iloc[-1] > 8.2
        assert df["flow_surge_kg_s"].iloc[-1] > 1.0
        rise[name] = df["pressure_primary_pa"].max() - 15.7e6
        if name == "two_region":
            assert df["flow_spray_kg_s"].max() > 0.0
        df, _ = _run(model, down, 400.0)
        assert df["level_pressurizer_m"].iloc[-1] < 7.9
        fall[name] = df["pressure_primary_pa"].min() - 15.7e6
    spray_start = plant_sections(v446).control.pressurizer.spray_start_offset.si
    assert rise["two_region"] > spray_start
    assert 0.0 <= rise["equilibrium"] < 0.05e6
    assert fall["two_region"] < -0.05e6
    assert fall["equilibrium"] < -0.05e6


def test_relief_valve_opens_at_its_set_and_closes_at_its_reset_pressure(plant):
    """The relief valve's state is discrete: its event function crosses zero at the set
    pressure when shut and at the reset pressure when open (located by the integrator), so the
    hysteresis is exact."""
    net = plant.net
    y, d = plant.steady_state(1.0)
    k_p = net.s_index("pressurizer.contents[pressure]")
    g_relief = net.root_names.index("pressurizer.valves[relief]")
    for p, shut_sign in ((18.0e6, -1), (18.2e6, 1)):
        y[k_p] = p
        assert np.sign(net.roots(0.0, y, d)[g_relief]) == shut_sign
    y, d, log = net.fire(g_relief, 0.0, y, d)
    assert d[net.d_index("pressurizer.relief")] == 1.0
    assert log[0]["name"] == "pzr_relief_opened"
    w = net.signal_vector(0.0, y, d)
    assert w[net.signal_lookup("flow_pzr_relief_kg_s")] == pytest.approx(50.0 * 18.2 / 18.1)
    for p, open_sign in ((17.4e6, -1), (17.2e6, 1)):
        y[k_p] = p
        assert np.sign(net.roots(0.0, y, d)[g_relief]) == open_sign
    y, d, log = net.fire(g_relief, 0.0, y, d)
    assert d[net.d_index("pressurizer.relief")] == 0.0
    assert log[0]["name"] == "pzr_relief_closed"


@pytest.mark.slow
def test_feed_and_bleed_dilutes_as_the_exponential(plant):
    """Clean water fed and bled at 60 t/h: the circuit's concentration follows
    C(t) = C_0 exp(-q t/M) (the pressurizer, out of the circulation, lags), the boron that
    left is what the let-down carried (balance to 1e-4), and no concentration ever steps."""
    q = 60e3 / 3600.0
    df, _ = _run(plant, [(0.0, {"kind": "feed_and_bleed", "flow": "60 t/h", "boron": "0 ppm"})],
                   1200.0)  # fmt: skip
    m_circ = float(plant.net.p[plant.net.params["boron_transport.data"].slice][bt.B_CIRCUIT_MASS])
    c0 = df["boron_ppm"].iloc[0]
    for t in (300.0, 600.0, 1200.0):
        c = float(np.interp(t, df["time_s"], df["boron_ppm"]))
        expected = feed_and_bleed_solution(t, c0, 0.0, q, m_circ)
        assert c == pytest.approx(expected, abs=0.02 * (c0 - expected) + 0.5)
    db = df["boron_primary_kg"].iloc[-1] - df["boron_primary_kg"].iloc[0]
    assert db == pytest.approx(df["boron_primary_boundary_kg"].iloc[-1], rel=1e-4)
    dt = np.diff(df["time_s"])
    rate = np.abs(np.diff(df["boron_ppm"]))[dt > 0] / dt[dt > 0]  # an action's rows: dt = 0
    assert rate.max() < 0.2
    assert df["boron_pzr_ppm"].iloc[-1] > df["boron_ppm"].iloc[-1]  # the pressurizer lags


def test_pressurizer_models_are_a_design_option(v446):
    """``[pressurizer] model`` picks the component's states (an unknown model is refused)."""
    assert Model(v446, "plant").net.by_name["pressurizer"].model == pz.TWO_REGION
    eq = Model(v446.with_overrides({"pressurizer.model": "equilibrium"}), "plant")
    assert eq.net.states["pressurizer.contents"].labels == [
        "pressurizer.contents[mass]",
        "pressurizer.contents[energy]",
    ]
    with pytest.raises(InputError, match=r"pressurizer\.model = 'three_region'"):
        v446.with_overrides({"pressurizer.model": "three_region"})

"""A three-loop variant of the V-446 (tests/data/vver1000-v446-3loop.toml: one loop removed, the
flows, pumps and steam generators rescaled by 4/3) is assembled from its design file alone: it
reaches its steady state near the four-loop design's, stays there, and runs turbine-trip
(issue 7's bar). Nothing in code knows the number of loops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nppsim.designs import load_design
from nppsim.engine.run import RunSpec, run
from nppsim.engine.simulation import Simulation
from nppsim.errors import InputError
from nppsim.plant.model import Model

PATH = Path(__file__).resolve().parents[1] / "data" / "vver1000-v446-3loop.toml"


@pytest.fixture(scope="module")
def design():
    return load_design(PATH)


@pytest.fixture(scope="module")
def plant(design):
    return Model(design, "plant")


@pytest.fixture(scope="module")
def four(v446):
    return Model(v446, "plant")


def _outputs(model, y, d):
    w = model.net.signal_vector(0.0, y, d)
    return {c: float(w[i]) for c, i, _ in model.net.columns()}


def test_the_design_file_is_valid_and_says_what_was_rescaled(design, v446):
    assert design.primary.loops == design.pumps.count == design.steam_generators.count == 3
    assert design.primary.surge_line_loop == 3
    # rescaled values are derived (D) with a note; the others keep the V-446 sources
    for q in (design.primary.loop_flow, design.pumps.rated_flow, design.pumps.inertia):
        assert q.confidence == "D" and "three-loop" in q.note
    assert design.primary.loop_flow.si * 3 == pytest.approx(design.coolant.mass_flow.si, rel=1e-4)
    assert design.steam_generators.thermal_power.si * 3 == pytest.approx(
        design.rating.power_thermal.si
    )
    assert design.rating == v446.rating and design.core == v446.core


def test_three_loops_are_assembled(plant):
    names = [c.name for c in plant.net.components]
    for kind in ("loop", "pump", "sg", "sg_level"):
        assert [n for n in names if n.rstrip("0123456789") == kind] == [
            f"{kind}{i}" for i in (1, 2, 3)
        ]
    cols = {c for c, _, _ in plant.net.columns()}
    assert {"flow_loop3_kg_s", "level_sg3_m"} <= cols
    assert "flow_loop4_kg_s" not in cols


def test_full_power_steady_state_is_near_the_four_loop_design(plant, four):
    y, d = plant.steady_state(1.0)
    o3 = _outputs(plant, y, d)
    o4 = _outputs(four, *four.steady_state(1.0))
    assert o3["power_thermal_w"] == pytest.approx(3000e6, rel=1e-9)
    for i in (1, 2, 3):
        assert o3[f"flow_loop{i}_kg_s"] == pytest.approx(17600 / 3, rel=0.01)
    # the same temperatures, pressures and electric output as the four-loop plant, closely
    for col, tol in (
        ("temp_coolant_inlet_k", 0.5),
        ("temp_coolant_outlet_k", 0.5),
        ("pressure_steam_pa", 0.02e6),
        ("pressure_primary_pa", 1e3),
    ):
        assert o3[col] == pytest.approx(o4[col], abs=tol), col
    assert o3["power_electric_w"] == pytest.approx(o4["power_electric_w"], rel=0.005)
    dy = plant.net.rhs(0.0, y, d)
    assert np.max(np.abs(dy[plant.net.states["circuit.flow"].slice])) < 0.1


def test_three_loops_stay_at_rest(plant):
    y0, d0 = plant.steady_state(1.0)
    sim = Simulation(plant, y0, d0)
    sim.advance(1800.0)
    df = sim.results()
    p = df["power_thermal_w"]
    assert (p.max() - p.min()) / 3000e6 < 0.002
    assert df["pressure_primary_pa"].max() - df["pressure_primary_pa"].min() < 0.01e6
    assert not [e for e in sim.log if e["kind"] in ("trip", "alarm")]


def test_turbine_trip_runs_on_three_loops():
    res = run(RunSpec(scenario="turbine-trip", design=str(PATH)))
    assert res.status == "completed", res.message
    assert res.design.name == "vver1000-v446-3loop"
    df = res.timeseries
    assert df["time_s"].iloc[-1] == pytest.approx(900.0)
    names = [(e["kind"], e["name"]) for e in res.events]
    assert ("trip", "turbine_trip") in names  # above 75 %: the reactor trips
    assert ("alarm", "bru_k_open") in names  # BRU-K takes the steam
    trip = next(e["time_s"] for e in res.events if e["name"] == "turbine_trip")
    assert trip == pytest.approx(60.0)
    after = df[df["time_s"] > 600.0]
    assert after["power_thermal_w"].max() < 0.05 * 3000e6  # decay heat only
    assert after["pressure_primary_pa"].between(14e6, 17e6).all()
    assert (df["level_sg3_m"] > 1.0).all()
    for col in df.columns:
        assert np.isfinite(df[col]).all(), col


def test_events_naming_a_fourth_loop_are_refused_for_three_loops():
    """rcp-trip-all trips pumps 1 to 4: with this design, pump 4 does not exist (checked against
    the design the run uses, not only the scenario's own)."""
    with pytest.raises(InputError, match=r"events\[3\]\.pump = 4: .*3 pumps"):
        run(RunSpec(scenario="rcp-trip-all", design=str(PATH)))
    with pytest.raises(InputError, match=r"rcp-start\.toml: events\[0\]\.pump = 4"):
        run(RunSpec(scenario="rcp-start", design=str(PATH)))

"""The model's validity range is watched (issue 14, item 2): leaving it stops the run with status
``stopped`` and a message naming the quantity, the place and the time; results up to there are
kept and written."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nppsim
from nppsim import results
from nppsim.engine.run import RunSpec, run
from nppsim.errors import ValidityError
from nppsim.scenarios import parse_scenario

DEPRESSURISATION = {
    "scenario": {
        "name": "depressurisation",
        "title": "Core depressurised to 5 MPa at full power",
        "design": "vver1000-v446",
        "duration": "10 min",
    },
    "initial": {"power": "100 %"},
    "events": [{"time": "60 s", "kind": "pressure", "target": "5 MPa", "duration": "2 min"}],
}


@pytest.fixture(scope="module")
def depressurised():
    sc = parse_scenario(DEPRESSURISATION)
    return run(RunSpec(scenario=sc))


def test_core_depressurised_to_5_mpa_does_not_complete(depressurised, tmp_path):
    res = depressurised
    assert res.status == "stopped"
    # the quantity, the place, the time
    assert "saturation" in res.message and "core channel" in res.message
    assert "t = " in res.message
    ev = [e for e in res.events if e["kind"] == "validity"]
    assert len(ev) == 1 and ev[0]["name"] == "saturation_core"
    t_stop = ev[0]["time_s"]
    df = res.timeseries
    # stopped where the hottest node reached saturation, during the ramp, not at its end
    assert 60.0 < t_stop < 180.0
    assert df["time_s"].iloc[-1] == pytest.approx(t_stop)
    # the pressure then: the saturation temperature of the pressure equals the outlet node's
    from nppsim.physics import water

    p_stop = float(df["pressure_primary_pa"].iloc[-1])
    t_sat = float(water.saturation_temperature(p_stop))
    assert t_sat == pytest.approx(float(df["temp_coolant_outlet_k"].iloc[-1]), abs=1.5)
    paths = results.write(res, tmp_path / "out")
    meta = json.loads(paths["run"].read_text())
    assert meta["status"] == "stopped" and meta["message"] == res.message
    assert meta["simulated_time_s"] == pytest.approx(t_stop)


def test_a_stopped_simulation_stays_stopped():
    sc = parse_scenario(DEPRESSURISATION)
    _, sim = nppsim.build(sc)
    with pytest.raises(ValidityError) as err:
        sim.advance(600.0)
    t = sim.t
    assert 60.0 < t < 180.0 and err.value.time_s == pytest.approx(t)
    assert err.value.name == "saturation_core"
    assert sim.stopped and "core channel" in sim.stopped
    n = len(sim.results())
    with pytest.raises(ValidityError):
        sim.advance(601.0)
    with pytest.raises(ValidityError):
        sim.submit(nppsim.actions.Scram())
    assert sim.t == t and len(sim.results()) == n
    # a snapshot keeps the stop; a simulation restored before it runs on
    snap = sim.snapshot()
    _, other = nppsim.build(sc)
    other.restore(snap)
    assert other.stopped == sim.stopped


def test_inlet_above_saturation_is_watched_too():
    """The prescribed inlet reaching saturation (the core model's boundary)."""
    data = json.loads(json.dumps(DEPRESSURISATION))
    data["initial"]["power"] = "5 %"
    data["events"] = [{"time": "10 s", "kind": "pressure", "target": "5 MPa", "duration": "60 s"}]
    res = run(RunSpec(scenario=parse_scenario(data)))
    assert res.status == "stopped"
    names = [e["name"] for e in res.events if e["kind"] == "validity"]
    assert names and names[0] in ("saturation_core", "saturation_core_inlet")


def test_watch_rows_of_the_plant_name_every_single_phase_region():
    from nppsim.plant.model import Model

    model = Model(nppsim.load_design("vver1000-v446"), "plant")
    watch = model.net.by_name["validity"]
    names = {r.name for r in watch.rows}
    for n in ("saturation_core", "saturation_upper_plenum", "saturation_lower_plenum"):
        assert n in names
    for i in range(1, 5):
        assert f"saturation_loop{i}" in names and f"tables_sg{i}_low" in names
    y0, d0 = model.steady_state(1.0)
    assert watch.violated(model.net, 0.0, y0, d0) == []
    # the margins are event functions of the integrator: negative at rest
    g = model.net.roots(0.0, y0, d0)
    k = watch.rec("G_ROWS")
    assert np.all(g[k : k + len(watch.rows)] < 0.0)

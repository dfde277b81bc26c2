"""Turbine load changes over the operating range (issue 8, item 9): the turbine follows its load
reference, the reactor keeps the steam pressure (the load fed forward), and every change settles
without sustained oscillation.

The bar, for a 10 % load reduction at 10 %/min from full power: no trip, no undershoot below
84 % of rated, near 90 % at the end, a power swing under 3 % of rated in the last five minutes of a
15-minute run; and the same for other changes of that kind (ramps from 1 %/min to the design's
fastest rate, steps of 10 %, from full and part power, down and up): the undershoot bound is the
target's thermal power less 6 % of rated. Gains and their reasoning: ``docs/models/control.md``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine.run import RunSpec, run
from nppsim.errors import InputError
from nppsim.scenarios import parse_scenario

P_E_RATED = 1000e6  # [W]


def scenario(p0: str, target: str, rate: str | None, duration: str = "15 min"):
    """A turbine load change at 60 s; increases start from a state made critical by the
    regulating groups (so that they can withdraw), decreases from boron."""
    up = float(target.split()[0]) > float(p0.split()[0])
    ev: dict = {"time": "60 s", "kind": "turbine_load", "target": target}
    if rate is not None:
        ev["rate"] = rate
    data = {
        "scenario": {
            "name": "load-change",
            "title": "load change",
            "design": "vver1000-v446",
            "model": "plant",
            "duration": duration,
        },
        "initial": {"power": p0, "critical": "bank" if up else "boron"},
        "events": [ev],
    }
    return parse_scenario(data, "load-change.toml")


def check(p0: str, target: str, rate: str | None, duration: str = "15 min") -> dict:
    r = run(RunSpec(scenario=scenario(p0, target, rate, duration)))
    assert r.status == "completed", r.message
    assert not [e for e in r.events if e["kind"] == "trip"]
    df = r.timeseries
    n = df["power_relative"].to_numpy()
    t = df["time_s"].to_numpy()
    goal = float(target.split()[0]) / 100.0
    last = t >= t[-1] - 300.0
    out = {
        "n_min": n[t >= 60.0].min(),
        "n_max": n[t >= 60.0].max(),
        "n_end": n[-1],
        "swing": n[last].max() - n[last].min(),
        "electric_end": df["power_electric_w"].iloc[-1] / P_E_RATED,
    }
    # the turbine reaches its load; the reactor settles near it (a little above at part load,
    # where the colder feedwater asks more heat per MW of electricity)
    assert out["electric_end"] == pytest.approx(goal, abs=0.01)
    assert out["n_end"] == pytest.approx(goal, abs=0.035)
    assert out["swing"] < 0.03, out
    assert out["n_min"] > min(float(p0.split()[0]) / 100.0, goal) - 0.06, out
    assert out["n_max"] < max(float(p0.split()[0]) / 100.0, goal) + 0.06, out
    return out


def test_ten_percent_at_ten_percent_per_minute_from_full_power():
    """The issue's case: 100 -> 90 % at 10 %/min (before: power down to 76 %, then +-300 MW)."""
    out = check("100 %", "90 %", "10 %/min")
    assert out["n_min"] > 0.84
    assert out["n_end"] == pytest.approx(0.90, abs=0.02)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("p0", "target", "rate", "duration"),
    [
        ("100 %", "80 %", "5 %/min", "15 min"),
        ("100 %", "90 %", "1 %/min", "30 min"),
        ("100 %", "90 %", None, "15 min"),
        ("75 %", "65 %", None, "15 min"),
        ("60 %", "50 %", None, "15 min"),
        ("50 %", "40 %", "10 %/min", "15 min"),
        ("100 %", "70 %", "10 %/min", "20 min"),
        ("90 %", "100 %", "10 %/min", "15 min"),
        ("60 %", "70 %", "10 %/min", "15 min"),
        ("80 %", "90 %", None, "15 min"),
    ],
    ids=lambda x: str(x).replace(" ", ""),
)
def test_load_changes_over_the_operating_range(p0, target, rate, duration):
    check(p0, target, rate, duration)


@pytest.mark.slow
def test_a_load_step_up_swells_the_measured_level():
    """Swell: a step up of the turbine load drops the steam pressure, the pool's void grows and
    the measured (narrow-range) level rises at first, although the water inventory (the collapsed
    level) falls: the measured level moves against the inventory. The step is limited by the
    control valves' opening rate (1 %/s), so the pressure falls by about 0.2 MPa over 15 s and
    the swell is about a centimetre; the shrink after a turbine trip (a fast pressure rise) is
    tested in ``tests/scenarios/test_secondary_scenarios.py``."""
    r = run(RunSpec(scenario=scenario("80 %", "90 %", None)))
    df = r.timeseries
    before = df[df["time_s"] <= 60.0].iloc[-1]
    early = df[(df["time_s"] > 60.0) & (df["time_s"] <= 120.0)]
    assert early["pressure_header_pa"].min() < before["pressure_header_pa"] - 0.15e6
    assert early["void_sg1_m3"].max() > 1.10 * before["void_sg1_m3"]
    k = early["level_sg1_measured_m"].idxmax()
    assert early.loc[k, "level_sg1_measured_m"] > before["level_sg1_measured_m"] + 0.005
    # at the measured level's peak the inventory has fallen: the rise is void, not water
    assert early.loc[k, "level_sg1_m"] < before["level_sg1_m"] - 0.005


def test_a_ramp_faster_than_the_design_allows_is_refused():
    with pytest.raises(InputError, match="rate") as e:
        scenario("100 %", "90 %", "20 %/min")
    assert "10 %/min" in str(e.value)


def test_overspeed_protection_trips_the_turbine():
    """With slow control valves and no intercept valves a load rejection overspeeds the shaft:
    the overspeed row of the protection table trips the turbine (and so the reactor above 75 %)."""
    data = {
        "scenario": {
            "name": "overspeed",
            "title": "overspeed",
            "design": "vver1000-v446",
            "model": "plant",
            "duration": "60 s",
        },
        "initial": {"power": "100 %"},
        "events": [{"time": "10 s", "kind": "load_rejection"}],
    }
    sc = parse_scenario(data, "overspeed.toml")
    r = run(
        RunSpec(
            scenario=sc,
            overrides={
                "turbine.control_valve_closing_time": 8.0,
                "turbine.intercept_valve_speed_start": 1.25,
                "turbine.intercept_valve_speed_full": 1.28,
            },
        )
    )
    df = r.timeseries
    names = [e["name"] for e in r.events]
    assert "turbine_tripped" in names
    t_trip = min(e["time_s"] for e in r.events if e["name"] == "turbine_tripped")
    assert float(np.interp(t_trip, df["time_s"], df["turbine_speed"])) == pytest.approx(
        1.11, abs=1e-3
    )
    assert df["turbine_speed"].max() < 1.2

"""Metric reductions against values worked out by hand on made-up time series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nppsim.studies.metrics import reduce, value_at
from nppsim.studies.schema import MetricDef

# a ramp 0 -> 10 over 0..10 s, an event at t = 4 s where the value jumps from 4 to 8 (recorded
# twice: just before and just after), then a ramp 8 -> 14 over 4..10 s
T = np.array([0.0, 2.0, 4.0, 4.0, 7.0, 10.0])
Y = np.array([0.0, 2.0, 4.0, 8.0, 11.0, 14.0])
TS = pd.DataFrame({"time_s": T, "x_pa": Y})
EVENTS = [
    {"time_s": 4.0, "kind": "trip", "name": "high_flux"},
    {"time_s": 6.0, "kind": "alarm", "name": "low_level"},
    {"time_s": 8.0, "kind": "alarm", "name": "high_level"},
]


def metric(reduce_: str, unit: str = "SI", factor: float = 1.0, offset: float = 0.0, **kw):
    q = None if reduce_ == "event_time" else "x_pa"
    return MetricDef("m", q, reduce_, unit, factor, offset, **kw)


def test_value_at_interpolates_and_takes_the_value_after_an_event():
    assert value_at(T, Y, 1.0) == 1.0
    assert value_at(T, Y, 4.0) == 8.0  # just after the event
    assert value_at(T, Y, 5.5) == pytest.approx(9.5)
    assert value_at(T, Y, 10.0) == 14.0
    assert math.isnan(value_at(T, Y, 10.5))


def test_extremes_over_the_run_and_over_a_window():
    assert reduce(metric("max"), TS, EVENTS, 10.0) == 14.0
    assert reduce(metric("min"), TS, EVENTS, 10.0) == 0.0
    # window 1..3 s: ends interpolated (1 and 3), no row inside but t = 2
    assert reduce(metric("max", from_s=1.0, to_s=3.0), TS, EVENTS, 10.0) == 3.0
    assert reduce(metric("min", from_s=5.0), TS, EVENTS, 10.0) == pytest.approx(9.0)


def test_integral_and_time_average_by_trapezoids():
    # 0..4 s: triangle of area 8; 4..10 s: trapezoid (8 + 14) / 2 * 6 = 66
    assert reduce(metric("integral"), TS, EVENTS, 10.0) == pytest.approx(74.0)
    assert reduce(metric("mean"), TS, EVENTS, 10.0) == pytest.approx(7.4)
    # 2..5 s: 2..4 s gives 6, 4..5 s gives (8 + 9) / 2 = 8.5
    assert reduce(metric("integral", from_s=2.0, to_s=5.0), TS, EVENTS, 10.0) == pytest.approx(14.5)


def test_value_at_a_time_and_at_the_end():
    assert reduce(metric("at", at_s=7.0), TS, EVENTS, 10.0) == 11.0
    assert reduce(metric("final"), TS, EVENTS, 10.0) == 14.0


def test_event_times():
    assert reduce(metric("event_time", event="trip"), TS, EVENTS, 10.0) == 4.0
    assert reduce(metric("event_time", event="alarm"), TS, EVENTS, 10.0) == 6.0
    m = metric("event_time", event="alarm", event_name="high_level")
    assert reduce(m, TS, EVENTS, 10.0) == 8.0
    assert math.isnan(reduce(metric("event_time", event="scram"), TS, EVENTS, 10.0))
    assert reduce(metric("event_time", "min", 60.0, event="trip"), TS, EVENTS, 10.0) == 4.0 / 60


def test_units_at_the_edge():
    ts = pd.DataFrame({"time_s": [0.0, 3600.0], "x_pa": [1e6, 3e6]})
    assert reduce(metric("max", "MPa", 1e6), ts, [], 3600.0) == 3.0
    # integral in MPa h: 2 MPa on average for 1 h
    assert reduce(metric("integral", "MPa h", 1e6 * 3600.0), ts, [], 3600.0) == pytest.approx(2.0)
    tk = pd.DataFrame({"time_s": [0.0, 1.0], "x_pa": [573.15, 600.0]})
    assert reduce(metric("max", "degC", 1.0, 273.15), tk, [], 1.0) == pytest.approx(326.85)

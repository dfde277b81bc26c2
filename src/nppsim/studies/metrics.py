"""Metrics: one number per run from its time series and events.

The recorded time series has a row at every accepted integrator step and two rows at each event
instant (just before and just after). Reductions over a window ``from`` .. ``to`` use the rows
inside it plus the values at its ends, interpolated linearly between the rows around them:

* ``max``, ``min``: extremes of those values;
* ``integral``: trapezoidal rule, ``sum((y_k + y_k+1) / 2 (t_k+1 - t_k))``;
* ``mean``: the integral divided by the window's length (a time average, not a row average);
* ``at``: the value at a time, linear between rows; at an event instant the value just after;
* ``final``: the value at the run's end;
* ``event_time``: the time of the first event of a kind (and name): NaN if there was none.

A metric of a run that did not complete is NaN: a maximum over part of a transient is not the
transient's maximum.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from nppsim.studies.schema import MetricDef


def value_at(t: np.ndarray, y: np.ndarray, at: float) -> float:
    """Value of the recorded ``y(t)`` at time ``at``: linear between rows; at a row's time
    the last row with that time (just after an event); NaN outside the record."""
    if len(t) == 0 or not t[0] <= at <= t[-1]:
        return math.nan
    i = int(np.searchsorted(t, at, side="right"))
    if t[i - 1] == at:
        return float(y[i - 1])
    t0, t1, y0, y1 = t[i - 1], t[i], y[i - 1], y[i]
    return float(y0 + (y1 - y0) * (at - t0) / (t1 - t0))


def _window(t: np.ndarray, y: np.ndarray, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
    inside = (t > t0) & (t < t1)
    tt = np.concatenate(([t0], t[inside], [t1]))
    yy = np.concatenate(([value_at(t, y, t0)], y[inside], [value_at(t, y, t1)]))
    return tt, yy


def reduce(m: MetricDef, ts: pd.DataFrame, events: list[dict[str, Any]], duration: float) -> float:
    """The metric ``m`` of one completed run, in the metric's unit.

    Parameters
    ----------
    m : MetricDef
        The metric (times in s).
    ts : DataFrame
        The run's time series (``time_s`` and SI columns).
    events : list of dict
        The run's events (``time_s``, ``kind``, ``name``).
    duration : float
        The scenario's duration [s] (the default end of a window).
    """
    if m.reduce == "event_time":
        for e in events:
            if e["kind"] == m.event and (m.event_name is None or e["name"] == m.event_name):
                return (float(e["time_s"]) - m.offset) / m.factor
        return math.nan
    assert m.quantity is not None
    t = ts["time_s"].to_numpy(dtype=float)
    y = ts[m.quantity].to_numpy(dtype=float)
    if m.reduce == "final":
        si = float(y[-1])
    elif m.reduce == "at":
        assert m.at_s is not None
        si = value_at(t, y, m.at_s)
    else:
        t0 = m.from_s if m.from_s is not None else float(t[0])
        t1 = m.to_s if m.to_s is not None else duration
        tt, yy = _window(t, y, t0, t1)
        if m.reduce == "max":
            si = float(np.max(yy))
        elif m.reduce == "min":
            si = float(np.min(yy))
        else:
            integral = float(np.sum(0.5 * (yy[1:] + yy[:-1]) * np.diff(tt)))
            si = integral / (t1 - t0) if m.reduce == "mean" else integral
    return (si - m.offset) / m.factor

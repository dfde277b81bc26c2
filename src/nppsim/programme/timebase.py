"""Calendar time for the programme model.

Inside the model a calendar instant is a number of seconds [s] since :data:`EPOCH` (2000-01-01
00:00, proleptic Gregorian, no leap seconds) and a duration is in seconds; years appear only at the
edges. A "year" as a unit of duration is the Julian year, 365.25 d (:data:`YEAR`, the ``yr`` of
:mod:`nppsim.units`); a calendar year is the interval between two New Year's days.
"""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = np.datetime64("2000-01-01", "s")
YEAR = 365.25 * 86400.0
"""Julian year [s]."""
NEVER = 1e12
"""Instant that stands for 'never' (about year 33 700) [s]: finite, so arithmetic stays exact."""


def date_to_s(d: date) -> float:
    """Seconds since :data:`EPOCH` at 00:00 of a date [s]."""
    return float((np.datetime64(d.isoformat(), "s") - EPOCH) / np.timedelta64(1, "s"))


def year_start_s(years: np.ndarray | int) -> np.ndarray:
    """Seconds since :data:`EPOCH` at 00:00 on 1 January of each year [s].

    Parameters
    ----------
    years : int or array of int
        Calendar years.
    """
    y = np.asarray(years, dtype=np.int64)
    starts = (y - 1970).astype("datetime64[Y]").astype("datetime64[s]")
    return ((starts - EPOCH) / np.timedelta64(1, "s")).astype(float)


def s_to_year(t: np.ndarray | float) -> np.ndarray:
    """Decimal calendar year of instants [s since EPOCH], e.g. 2013.73 for 23 Sep 2013.

    Instants at or beyond :data:`NEVER` give ``inf``.
    """
    t = np.asarray(t, dtype=float)
    out = np.full(t.shape, np.inf)
    ok = t < 0.5 * NEVER
    tt = t[ok]
    yi = np.floor(2000.0 + tt / YEAR).astype(np.int64)
    # correct the estimate by one year either way
    a = year_start_s(yi)
    yi = np.where(tt < a, yi - 1, yi)
    a = year_start_s(yi)
    b = year_start_s(yi + 1)
    yi = np.where(tt >= b, yi + 1, yi)
    a = year_start_s(yi)
    b = year_start_s(yi + 1)
    out[ok] = yi + (tt - a) / (b - a)
    return out


def iranian_year_bounds(year: int) -> tuple[date, date]:
    """First day and the day after the last of an Iranian (solar hijri) year.

    The year N begins at Nowruz, 20 or 21 March of Gregorian year N + 621, the day of the March
    equinox in Tehran. The first days of 1399-1405 are those of the published calendar (M); other
    years are taken to begin on 21 March, which can be one day off.

    Parameters
    ----------
    year : int
        Iranian year, e.g. 1402 (21 Mar 2023 to 19 Mar 2024).
    """
    first_day = {1399: 20, 1400: 21, 1401: 21, 1402: 21, 1403: 20, 1404: 21, 1405: 21}
    g = year + 621
    start = date(g, 3, first_day.get(year, 21))
    end = date(g + 1, 3, first_day.get(year + 1, 21))
    return start, end

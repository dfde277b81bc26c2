"""Reference classes: the evidence behind the programme's distributions.

The tables in ``nppsim/programme/data/`` (copied from ``shared/data/reference-class/``; sources,
data dates and caveats in ``data/README.md``) hold the construction histories of 215 reactor units
and the annual load factors of every VVER. This module turns them into the numbers that
``programmes/iran.toml`` states, so that each number there can be re-derived with one call (the
tests do so):

* :func:`fit_group` -- a lognormal fitted by maximum likelihood to the construction durations of a
  named group, keeping the unfinished (right-censored) units;
* :func:`start_lags` -- the gap between the construction starts of consecutive units at one site;
* :func:`same_site_correlation` -- how alike the construction durations of sister units are;
* :func:`grid_to_commercial_lags` -- the commissioning period, grid connection to commercial
  operation;
* :func:`commissioning_load_factor` and :func:`ramp_up` -- how hard new units run in their first
  years.

Durations are returned in years [yr] (365.25 d), as the tables give them; callers convert to SI.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy import optimize, special

DATA_DATE = date(2024, 3, 2)
"""Data date of the construction table (GeoNuclearData, IAEA PRIS update of 2024-03-02)."""

RESTARTS: dict[str, date] = {"Bushehr-1": date(1995, 1, 1)}
"""Construction restarts used instead of the PRIS first-concrete date.

Bushehr-1 was started by KWU/Siemens in 1975, halted in 1979 and completed by Atomstroyexport under
the January 1995 Iran-Russia agreement (data/README.md, item 3; year precision only). Its
Russian build, 1995-2013, is the evidence about a Russian export to Iran; the 1975 date measures a
revolution and a war.
"""

_EXCLUDED = ("Summer-2", "Summer-3")
"""Abandoned in 2017; dropped from every group, as in data/README.md."""

GROUPS: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "a": (
        "Russian VVER exports after 1991 (27 units)",
        lambda d: d.grp_a_russian_vver_export,
    ),
    "a_non_china": (
        "Russian VVER exports after 1991, outside China (19 units)",
        lambda d: d.grp_a_russian_vver_export & (d.country != "China"),
    ),
    "b": (
        "Russian domestic VVERs started in 2000 or later (9 units)",
        lambda d: d.grp_b_russia_vver_start_ge_2000,
    ),
    "c": (
        "all PWRs started in 1995 or later (133 units)",
        lambda d: d.grp_c_pwr_start_ge_1995,
    ),
    "c_non_china": (
        "PWRs started in 1995 or later, outside China (61 units)",
        lambda d: d.grp_c_pwr_start_ge_1995 & (d.country != "China"),
    ),
    "all_vver": ("all VVERs, any start", lambda d: d.is_vver.astype(bool)),
}
"""Named groups of ``construction_durations.csv`` (definitions in data/README.md, 'Groups')."""

_Z90 = float(special.ndtri(0.9))


def data_path(name: str) -> str:
    """Path of a shipped reference-class file (``construction_durations.csv`` ...)."""
    return str(resources.files("nppsim.programme") / "data" / name)


@cache
def table(name: str) -> pd.DataFrame:
    """A shipped reference-class table as a DataFrame (read once).

    Parameters
    ----------
    name : str
        File name in ``nppsim/programme/data/``.
    """
    dates = {
        "construction_durations.csv": [
            "construction_start",
            "grid_connection",
            "commercial_operation",
            "permanent_shutdown",
        ]
    }.get(name, [])
    return pd.read_csv(data_path(name), parse_dates=dates)


def _years(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (b - a).days / 365.25


def _group_rows(group: str) -> pd.DataFrame:
    if group not in GROUPS:
        raise KeyError(f"unknown group {group!r}; groups: {', '.join(GROUPS)}")
    d = table("construction_durations.csv")
    rows = d[GROUPS[group][1](d) & ~d.name.isin(_EXCLUDED)]
    return rows[rows.construction_start.notna()]


@cache
def updates() -> pd.DataFrame:
    """Events after :data:`DATA_DATE` from ``refclass_updates.csv``, one row per unit.

    ``event`` is ``commercial_operation`` (the unit finished on ``date``) or ``unfinished_on``
    (the unit was known to be unfinished on ``date``: it is censored there instead of at the data
    date). Every row has its source, source date and confidence tag.
    """
    u = pd.read_csv(data_path("refclass_updates.csv"), parse_dates=["date"])
    if u.name.duplicated().any():
        raise ValueError("refclass_updates.csv: one row per unit")
    return u.set_index("name")


def refreshed_until() -> date:
    """Latest date of any update (the refreshed table's effective data date, per unit)."""
    return updates().date.max().date()


def durations(
    group: str, restart: bool = True, refresh: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Construction durations of a group, to commercial operation.

    Parameters
    ----------
    group : str
        A key of :data:`GROUPS`.
    restart : bool
        Measure the units in :data:`RESTARTS` from their restart date.
    refresh : bool
        Apply :func:`updates`: completions since the data date count as finished, and units known
        to be unfinished at a later date are censored at that date. Units without an update stay
        censored at :data:`DATA_DATE` (nothing is assumed about them).

    Returns
    -------
    completed, censored : ndarray
        Years [yr] from construction start to commercial operation of the finished units, and the
        years elapsed at :data:`DATA_DATE` of the unfinished ones (right-censored). Cancelled units
        (no elapsed time) are left out.
    """
    rows = _group_rows(group)
    upd = updates() if refresh else None
    done, cens = [], []
    for r in rows.itertuples():
        start = (
            pd.Timestamp(RESTARTS[r.name])
            if restart and r.name in RESTARTS
            else (r.construction_start)
        )
        if pd.notna(r.commercial_operation):
            done.append(_years(start, r.commercial_operation))
        elif bool(r.censored_commercial) and pd.notna(r.years_elapsed_at_data_date):
            if upd is not None and r.name in upd.index:
                ev = upd.loc[r.name]
                if ev.event == "commercial_operation":
                    done.append(_years(start, ev.date))
                    continue
                cens.append(_years(start, max(ev.date, pd.Timestamp(DATA_DATE))))
                continue
            cens.append(_years(start, pd.Timestamp(DATA_DATE)))
    return np.asarray(done), np.asarray(cens)


@dataclass(frozen=True)
class LognormalFit:
    """A lognormal fitted to durations, ln T ~ N(mu, sigma^2).

    Attributes
    ----------
    median : float
        exp(mu) [yr].
    sigma : float
        Standard deviation of ln T (maximum-likelihood estimate) [1].
    mu_se : float
        Standard error of mu, from the observed information [1].
    sigma_predictive : float
        sqrt(sigma^2 + mu_se^2): the spread of ln T for a new unit when the uncertainty of the
        fitted median is folded in [1].
    n_completed, n_censored : int
        Observations used.
    """

    median: float
    sigma: float
    mu_se: float
    sigma_predictive: float
    n_completed: int
    n_censored: int

    @property
    def p10(self) -> float:
        """10th percentile with the predictive spread [yr]."""
        return self.median * math.exp(-_Z90 * self.sigma_predictive)

    @property
    def p90(self) -> float:
        """90th percentile with the predictive spread [yr]."""
        return self.median * math.exp(_Z90 * self.sigma_predictive)


def fit_lognormal(completed: Sequence[float], censored: Sequence[float] = ()) -> LognormalFit:
    """Maximum-likelihood lognormal for durations with right-censoring.

    The log-likelihood of mu and sigma is (Klein and Moeschberger, *Survival Analysis*, 2nd ed.,
    Springer 2003, §3.5)::

        l = sum_done [ln phi((ln t_i - mu)/sigma) - ln sigma - ln t_i]
            + sum_censored ln[1 - Phi((ln c_j - mu)/sigma)]

    Parameters
    ----------
    completed : sequence of float
        Durations of finished units [yr].
    censored : sequence of float
        Elapsed times of unfinished units [yr]: each is known only to last longer.

    Returns
    -------
    LognormalFit
    """
    x = np.log(np.asarray(completed, dtype=float))
    c = np.log(np.asarray(censored, dtype=float))
    if x.size < 2:
        raise ValueError("need at least two completed durations")

    def nll(p: np.ndarray) -> float:
        mu, log_s = p
        s = math.exp(log_s)
        zx, zc = (x - mu) / s, (c - mu) / s
        ll = np.sum(-0.5 * zx**2 - math.log(s)) + np.sum(special.log_ndtr(-zc))
        return -float(ll)

    p0 = np.array([x.mean(), math.log(max(x.std(ddof=1), 0.05))])
    res = optimize.minimize(
        nll, p0, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10000}
    )
    mu, log_s = res.x
    # observed information by central differences on (mu, log sigma)
    h = 1e-4
    f0 = nll(res.x)
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h, np.eye(2)[j] * h
            if i == j:
                hess[i, i] = (nll(res.x + ei) - 2 * f0 + nll(res.x - ei)) / h**2
            else:
                hess[i, j] = (
                    nll(res.x + ei + ej)
                    - nll(res.x + ei - ej)
                    - nll(res.x - ei + ej)
                    + nll(res.x - ei - ej)
                ) / (4 * h**2)
    cov = np.linalg.inv(hess)
    sigma = math.exp(log_s)
    mu_se = math.sqrt(max(cov[0, 0], 0.0))
    return LognormalFit(
        median=math.exp(mu),
        sigma=sigma,
        mu_se=mu_se,
        sigma_predictive=math.hypot(sigma, mu_se),
        n_completed=int(x.size),
        n_censored=int(c.size),
    )


def fit_group(group: str, restart: bool = True, refresh: bool = True) -> LognormalFit:
    """Lognormal fit to a group's construction durations (start to commercial operation).

    Parameters
    ----------
    group : str
        A key of :data:`GROUPS`.
    restart : bool
        Measure Bushehr-1 from its 1995 restart (:data:`RESTARTS`).
    refresh : bool
        Apply the updates since the data date (:func:`updates`).
    """
    done, cens = durations(group, restart, refresh)
    return fit_lognormal(done, cens)


def group_table(refresh: bool = True) -> pd.DataFrame:
    """Fits of every group: counts, median, sigma, predictive sigma, P10 and P90 [yr]."""
    rows = []
    for g, (label, _) in GROUPS.items():
        f = fit_group(g, refresh=refresh)
        rows.append(
            {
                "group": g,
                "description": label,
                "finished": f.n_completed,
                "unfinished": f.n_censored,
                "median_yr": f.median,
                "sigma": f.sigma,
                "sigma_predictive": f.sigma_predictive,
                "p10_yr": f.p10,
                "p90_yr": f.p90,
            }
        )
    return pd.DataFrame(rows)


def cross_site_correlation(max_lag: float = 3.0) -> tuple[float, int]:
    """Correlation of ln(duration) between finished units of one country at different sites.

    Pairs of units in the same country, at different sites, started less than ``max_lag`` years
    apart, both finished; each pair counted in both orders (a symmetric estimate). It measures how
    much a country-wide factor (policy, finance, industry, regulator) moves the durations of
    separate projects: the evidence for the programme's common schedule factor.

    Returns (Pearson correlation, number of distinct pairs).
    """
    d = table("construction_durations.csv")
    d = d[
        d.construction_start.notna()
        & ~d.name.isin(_EXCLUDED)
        & d.duration_to_commercial_yr.notna()
        & (d.duration_to_commercial_yr > 0)
    ].copy()
    d["site"] = d.name.str.replace(r"[- ]?\d+( \(.*\))?$", "", regex=True)
    xs: list[float] = []
    ys: list[float] = []
    for _, g in d.groupby("country"):
        for a, b in itertools.combinations(list(g.itertuples()), 2):
            if a.site == b.site:
                continue
            if abs(_years(a.construction_start, b.construction_start)) < max_lag:
                la, lb = (
                    math.log(a.duration_to_commercial_yr),
                    math.log(b.duration_to_commercial_yr),
                )
                xs += [la, lb]
                ys += [lb, la]
    return float(np.corrcoef(xs, ys)[0, 1]), len(xs) // 2


def _site_pairs(max_lag: float) -> pd.DataFrame:
    """Consecutive units at one site started less than ``max_lag`` years apart (one build phase)."""
    d = table("construction_durations.csv")
    d = d[d.construction_start.notna() & ~d.name.isin(_EXCLUDED)].copy()
    d["site"] = d.name.str.replace(r"[- ]?\d+( \(.*\))?$", "", regex=True)
    rows = []
    for _, g in d.groupby(["site", "country"]):
        g = g.sort_values("construction_start")
        recs = list(g.itertuples())
        for a, b in itertools.pairwise(recs):
            lag = _years(a.construction_start, b.construction_start)
            if lag < max_lag:
                rows.append(
                    {
                        "first": a.name,
                        "second": b.name,
                        "lag_yr": lag,
                        "russian_vver": bool(
                            (a.grp_a_russian_vver_export or a.grp_b_russia_vver_start_ge_2000)
                            and (b.grp_a_russian_vver_export or b.grp_b_russia_vver_start_ge_2000)
                        ),
                        "d_first": a.duration_to_commercial_yr,
                        "d_second": b.duration_to_commercial_yr,
                    }
                )
    return pd.DataFrame(rows)


def start_lags(max_lag: float = 5.0) -> np.ndarray:
    """Gaps between construction starts of consecutive Russian VVER units at one site [yr].

    Pairs where both units are in group (a) or (b) and the gap is below ``max_lag`` years (a longer
    gap is a new build phase, e.g. Kudankulam 2 to 3). These are the serial-build lags of Rosatom
    projects (Akkuyu, Belarus, El Dabaa, Kudankulam, Rooppur, Tianwan, Xudabu, Kursk II ...).
    """
    p = _site_pairs(max_lag)
    return p.loc[p.russian_vver, "lag_yr"].to_numpy()


def same_site_correlation(max_lag: float = 5.0) -> tuple[float, int]:
    """Correlation of ln(duration) between consecutive finished units of one build phase.

    All sites in the table (VVERs of any start, PWRs started from 1995), pairs started less than
    ``max_lag`` years apart, both finished. Returns (Pearson correlation, number of pairs).
    """
    p = _site_pairs(max_lag).dropna(subset=["d_first", "d_second"])
    p = p[(p.d_first > 0) & (p.d_second > 0)]
    r = float(np.corrcoef(np.log(p.d_first), np.log(p.d_second))[0, 1])
    return r, len(p)


def grid_to_commercial_lags(group: str = "a") -> np.ndarray:
    """Commissioning periods, grid connection to commercial operation, of a group [yr].

    Grid dates exist only for units connected by about November 2020 (PRIS-2020 snapshot), so
    later completions are missing (data/README.md, caveat 1).
    """
    rows = _group_rows(group)
    v = rows.grid_to_commercial_yr.dropna().to_numpy()
    return v[v > 0]


def fit_lognormal_sample(values: Sequence[float]) -> LognormalFit:
    """Lognormal fit to a complete (uncensored) sample [yr]."""
    return fit_lognormal(values, ())


NEWCOMER_UNITS = ("Bushehr-1", "Kudankulam-1", "Kudankulam-2", "Belarusian-1", "Belarusian-2")
"""First Russian-built VVERs in a host country new to them: Iran, India, Belarus."""


def _unit_dates(name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    d = table("construction_durations.csv")
    r = d[d.name == name].iloc[0]
    return r.grid_connection, r.commercial_operation


def _decimal_year(t: pd.Timestamp) -> float:
    y0 = pd.Timestamp(year=t.year, month=1, day=1)
    y1 = pd.Timestamp(year=t.year + 1, month=1, day=1)
    return t.year + (t - y0) / (y1 - y0)


def ramp_up(units: Sequence[str] = NEWCOMER_UNITS, n_years: int = 3) -> np.ndarray:
    """Load factor of the first operating years relative to the unit's later level.

    Operating year k of a calendar year y is ``floor(y + 0.5 - c)``, c the commercial-operation date
    as a decimal year (the convention of :mod:`nppsim.programme.model`); only full calendar years
    after the commercial year count. The level is the median load factor of the years with
    k >= ``n_years``; a unit without such years is skipped. The factor of year k is the mean over
    units of LF_k / level, capped at 1.

    Parameters
    ----------
    units : sequence of str
        Unit names as in ``vver_load_factors.csv``.
    n_years : int
        Number of ramp-up years.

    Returns
    -------
    ndarray, shape (n_years,)
        Ramp-up factors [1].
    """
    lf = table("vver_load_factors.csv")
    ratios: list[list[float]] = [[] for _ in range(n_years)]
    for name in units:
        _, c = _unit_dates(name)
        cy = _decimal_year(c)
        rows = lf[(lf.name == name) & (lf.year > c.year)]
        k = np.floor(rows.year.to_numpy() + 0.5 - cy).astype(int)
        v = rows.annual_load_factor_pct.to_numpy()
        mature = v[k >= n_years]
        if mature.size == 0:
            continue
        level = float(np.median(mature))
        for kk, vv in zip(k, v, strict=True):
            if 0 <= kk < n_years:
                ratios[kk].append(min(vv / level, 1.0))
    return np.array([float(np.mean(r)) for r in ratios])


def commissioning_load_factor(group: str = "a") -> tuple[float, int]:
    """Time-weighted load factor between grid connection and commercial operation.

    Uses each calendar year that ends before the unit's commercial operation: the energy of that
    year, LF x (length of year), is divided by the time connected in it. Units of the group with a
    grid date and load-factor data.

    Returns
    -------
    (float, int)
        Load factor [1] and number of unit-years used.
    """
    lf = table("vver_load_factors.csv")
    rows = _group_rows(group)
    energy, time, n = 0.0, 0.0, 0
    for r in rows.itertuples():
        g, c = r.grid_connection, r.commercial_operation
        if pd.isna(g) or pd.isna(c):
            continue
        for y in range(g.year, c.year):
            rec = lf[(lf.name == r.name) & (lf.year == y)]
            if rec.empty:
                continue
            a = pd.Timestamp(year=y, month=1, day=1)
            b = pd.Timestamp(year=y + 1, month=1, day=1)
            connected = (b - max(a, g)).days
            energy += float(rec.annual_load_factor_pct.iloc[0]) / 100.0 * (b - a).days
            time += connected
            n += 1
    return energy / time, n


BACKTEST_GROUPS = ("a", "c", "c_non_china", "all_vver")


def backtest(group: str, min_completed: int = 5, restart: bool = True) -> pd.DataFrame:
    """Forecast each finished unit's duration from what was known at its construction start.

    For every unit of ``group`` with a commercial-operation date (refreshed table), the lognormal is
    fitted (censored maximum likelihood, :func:`fit_lognormal`) to the other units of the group
    started before it: those finished by that date count with their durations, those still
    unfinished then are censored at their age on that date. The forecast is the predictive
    lognormal (median, predictive sigma); the outcome falls inside when P10 <= actual <= P90.
    Units whose information set has fewer than ``min_completed`` completions are skipped.

    Returns
    -------
    DataFrame
        ``name``, ``start``, ``actual_yr``, ``n_completed``, ``n_censored``, ``median_yr``,
        ``p10_yr``, ``p90_yr``, ``inside`` (bool), ``side`` (``below``, ``inside``, ``above``).
    """
    rows_g = _group_rows(group).copy()
    upd = updates()
    starts, ends = [], []
    for r in rows_g.itertuples():
        s = (
            pd.Timestamp(RESTARTS[r.name])
            if restart and r.name in RESTARTS
            else r.construction_start
        )
        end = r.commercial_operation
        if pd.isna(end) and r.name in upd.index and upd.loc[r.name].event == "commercial_operation":
            end = upd.loc[r.name].date
        starts.append(s)
        ends.append(end)
    rows_g["start"] = starts
    rows_g["end"] = ends
    out = []
    for r in rows_g.itertuples():
        if pd.isna(r.end):
            continue
        t0 = r.start
        known = rows_g[(rows_g.start < t0) & (rows_g.name != r.name)]
        done = [
            _years(k.start, k.end) for k in known.itertuples() if pd.notna(k.end) and k.end <= t0
        ]
        cens = [
            _years(k.start, t0)
            for k in known.itertuples()
            if (pd.isna(k.end) or k.end > t0) and _years(k.start, t0) > 0
        ]
        if len(done) < min_completed:
            continue
        f = fit_lognormal(done, cens)
        actual = _years(t0, r.end)
        side = "below" if actual < f.p10 else "above" if actual > f.p90 else "inside"
        out.append(
            {
                "name": r.name,
                "start": t0.date().isoformat(),
                "actual_yr": actual,
                "n_completed": f.n_completed,
                "n_censored": f.n_censored,
                "median_yr": f.median,
                "p10_yr": f.p10,
                "p90_yr": f.p90,
                "inside": side == "inside",
                "side": side,
            }
        )
    return pd.DataFrame(out)


def backtest_summary(groups: Sequence[str] = BACKTEST_GROUPS) -> pd.DataFrame:
    """Coverage of the P10-P90 band per group: share inside (0.80 expected), below and above."""
    rows = []
    for g in groups:
        b = backtest(g)
        n = len(b)
        rows.append(
            {
                "group": g,
                "forecasts": n,
                "inside_p10_p90": float(b.inside.mean()) if n else float("nan"),
                "below_p10": float((b.side == "below").mean()) if n else float("nan"),
                "above_p90": float((b.side == "above").mean()) if n else float("nan"),
            }
        )
    return pd.DataFrame(rows)

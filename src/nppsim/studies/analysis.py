"""What a study's runs say: statistics, correlations and sensitivity indices per metric.

* Statistics of each metric over the completed runs with a value (an ``event_time`` metric has
  none where the event did not happen): mean, standard deviation, P5, P50, P95 (linear
  interpolation between order statistics, NumPy's default), minimum and maximum.
* Shares of the finished runs that tripped the reactor and that failed, and the failures' messages.
* Spearman rank correlation of each metric with each parameter (monotonic dependence, robust to
  the metric's scale), for every design, from at least :data:`MIN_POINTS` values.
* With ``method = "sobol"``: first-order and total Sobol' indices with 95 % bootstrap
  confidence half-widths (``SALib.analyze.sobol``; Saltelli 2010 and Jansen estimators). With
  ``method = "morris"``: the elementary effects' mean of absolute values mu* (in the metric's
  unit, per the parameter's whole range) and their standard deviation sigma
  (``SALib.analyze.morris``; Campolongo et al. 2007). Both need every run of the design with a
  finite value; otherwise the summary says why they are missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nppsim.studies.dataset import read_plan, read_runs, read_samples
from nppsim.studies.samplers import salib_problem, unit_points

#: fewest values for a correlation or a tornado bar
MIN_POINTS = 8


@dataclass
class Summary:
    """The summary of a study's output folder (see the module docstring)."""

    plan: dict[str, Any]
    runs: pd.DataFrame
    planned: int
    finished: int
    completed: int
    failed: int
    tripped: int
    stats: pd.DataFrame
    correlations: pd.DataFrame
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: pd.Series | None = None

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.plan["parameters"])

    @property
    def metrics(self) -> list[dict[str, Any]]:
        return list(self.plan["metrics"])


def percentiles(x: np.ndarray) -> tuple[float, float, float]:
    """P5, P50 and P95 of ``x`` (NumPy's linear interpolation)."""
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    p5, p50, p95 = np.percentile(x, [5, 50, 95])
    return float(p5), float(p50), float(p95)


def summarize(root: Path | str) -> Summary:
    """Summarise a study's output folder (finished runs of its current plan)."""
    plan = read_plan(root)
    runs = read_runs(root)
    planned = len(read_samples(root))
    params = [p["name"] for p in plan["parameters"]]
    metrics = plan["metrics"]
    ok = runs[runs["status"] == "completed"] if len(runs) else runs
    rows = []
    for m in metrics:
        x = ok[m["name"]].to_numpy(dtype=float) if len(ok) else np.array([])
        x = x[np.isfinite(x)]
        p5, p50, p95 = percentiles(x)
        rows.append(
            {
                "metric": m["name"],
                "unit": m["unit"],
                "n": len(x),
                "mean": float(np.mean(x)) if len(x) else math.nan,
                "std": float(np.std(x, ddof=1)) if len(x) > 1 else math.nan,
                "p5": p5,
                "p50": p50,
                "p95": p95,
                "min": float(np.min(x)) if len(x) else math.nan,
                "max": float(np.max(x)) if len(x) else math.nan,
            }
        )
    stats = pd.DataFrame(rows).set_index("metric")
    corr = pd.DataFrame(index=[m["name"] for m in metrics], columns=params, dtype=float)
    for m in metrics:
        for p in params:
            sub = ok[[m["name"], p]].replace([np.inf, -np.inf], np.nan).dropna() if len(ok) else ok
            if len(sub) >= MIN_POINTS and sub[p].nunique() > 1 and sub[m["name"]].nunique() > 1:
                corr.loc[m["name"], p] = float(sub[m["name"]].corr(sub[p], method="spearman"))
    failed = runs[runs["status"] != "completed"] if len(runs) else runs
    summary = Summary(
        plan=plan,
        runs=runs,
        planned=planned,
        finished=len(runs),
        completed=len(ok),
        failed=len(failed),
        tripped=int(runs["tripped"].sum()) if len(runs) else 0,
        stats=stats,
        correlations=corr,
        failures=failed["message"].value_counts() if len(failed) else None,
    )
    if summary.finished < planned:
        summary.notes.append(
            f"{planned - summary.finished} of {planned} planned runs are not finished: "
            "rerun the study in this folder to fill them in"
        )
    method = plan["sampler"]["method"]
    if method in ("sobol", "morris"):
        _indices(summary, method)
    return summary


def _indices(summary: Summary, method: str) -> None:
    plan = summary.plan
    s = plan["sampler"]
    names = [p["name"] for p in plan["parameters"]]
    runs = summary.runs
    if summary.finished < summary.planned:
        summary.notes.append(f"{method} indices need every run of the design: not computed")
        return
    problem = salib_problem(names)
    for m in plan["metrics"]:
        y = runs.sort_values("run_id")[m["name"]].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            bad = int(np.sum(~np.isfinite(y)))
            summary.notes.append(
                f"{m['name']}: {bad} runs without a value (failed, or the event did not happen): "
                f"no {method} indices"
            )
            continue
        if np.ptp(y) == 0.0:
            summary.notes.append(f"{m['name']}: the same value in every run: no {method} indices")
            continue
        if method == "sobol":
            from SALib.analyze import sobol

            r = sobol.analyze(
                problem,
                y,
                calc_second_order=bool(s["second_order"]),
                num_resamples=200,
                conf_level=0.95,
                print_to_console=False,
                seed=int(s["seed"]),
            )
            df = pd.DataFrame(
                {"S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"], "ST_conf": r["ST_conf"]},
                index=names,
            )
        else:
            from SALib.analyze import morris

            x = unit_points(
                "morris", int(s["samples"]), names, int(s["seed"]), levels=int(s["levels"])
            )
            r = morris.analyze(
                problem,
                x,
                y,
                num_resamples=200,
                conf_level=0.95,
                print_to_console=False,
                num_levels=int(s["levels"]),
                seed=int(s["seed"]),
            )
            df = pd.DataFrame(
                {
                    "mu_star": np.asarray(r["mu_star"], dtype=float),
                    "mu_star_conf": np.asarray(r["mu_star_conf"], dtype=float),
                    "mu": np.asarray(r["mu"], dtype=float),
                    "sigma": np.asarray(r["sigma"], dtype=float),
                },
                index=names,
            )
        summary.indices[m["name"]] = df


def tornado_table(summary: Summary, metric: str, share: float = 0.2) -> pd.DataFrame:
    """Mean of ``metric`` over the runs with each parameter in its lowest and highest ``share``.

    A model-free tornado: for a grid, the lowest and highest levels; for a random design, the
    runs in the parameter's lowest and highest fifth. Rows sorted by the size of the swing.
    """
    ok = summary.runs[summary.runs["status"] == "completed"]
    rows = []
    for p in summary.parameters:
        sub = ok[[p["name"], metric]].replace([np.inf, -np.inf], np.nan).dropna()
        if sub[p["name"]].nunique() < 2 or len(sub) < MIN_POINTS:
            continue
        lo_cut, hi_cut = np.quantile(sub[p["name"]], [share, 1 - share])
        lo = sub[sub[p["name"]] <= lo_cut][metric]
        hi = sub[sub[p["name"]] >= hi_cut][metric]
        if len(lo) and len(hi):
            rows.append(
                {
                    "parameter": p["name"],
                    "unit": p["unit"],
                    "low_value": float(sub[p["name"]][sub[p["name"]] <= lo_cut].mean()),
                    "high_value": float(sub[p["name"]][sub[p["name"]] >= hi_cut].mean()),
                    "metric_low": float(lo.mean()),
                    "metric_high": float(hi.mean()),
                }
            )
    df = pd.DataFrame(
        rows,
        columns=["parameter", "unit", "low_value", "high_value", "metric_low", "metric_high"],
    )
    if len(df):
        df["swing"] = (df["metric_high"] - df["metric_low"]).abs()
        df = df.sort_values("swing", ascending=False).reset_index(drop=True)
    return df

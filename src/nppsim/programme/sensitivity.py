"""Sensitivity of the headline results: tornado over estimated inputs, reference-class groups.

Every variant is a full run with the same seed (common random numbers), so a difference between two
variants comes from the input changed, not from sampling noise. Inputs are changed through the
what-if machinery (a ``[set]`` dotted path), so each value is validated like the original.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import refclass
from .load import load_programme
from .model import ProgrammeResult, simulate
from .results import cost_summary
from .timebase import date_to_s

_J_PER_TWH = 3.6e15


def headline(res: ProgrammeResult) -> dict[str, float]:
    """The headline results a tornado or a group sensitivity reports.

    ``generation_end_mean`` mean net generation in the horizon year [TWh]; ``generation_cum_mean``
    mean cumulative generation [TWh]; ``capacity_target_mean`` mean net capacity in service at the
    target date [MWe]; ``p_target`` P(official target met); ``first_new_unit_p50`` P50 decimal year
    of commercial operation of the first unit under construction (inf beyond); ``lcoe_mean`` mean
    fleet LCOE of the new units [US$/MWh]; ``capital_mean`` mean capital of the units built
    [10^9 US$].
    """
    prog = res.programme
    first = next((u.id for u in prog.units if u.status == "under construction"), None)
    c = res.commercial_year(first) if first else np.array([np.inf])
    costs = cost_summary(res).set_index("quantity")
    return {
        "generation_end_mean": float(res.energy[:, -1].mean() / _J_PER_TWH),
        "generation_cum_mean": float(res.energy.sum(axis=1).mean() / _J_PER_TWH),
        "capacity_target_mean": float(res.capacity_at(date_to_s(prog.target.by.date)).mean() / 1e6),
        "p_target": res.target_probability(),
        "first_new_unit_p50": float(np.quantile(np.where(np.isfinite(c), c, 1e6), 0.5)),
        "lcoe_mean": float(costs.loc["LCOE of the new units (fleet)", "mean"]),
        "capital_mean": float(costs.loc["capital at commercial operation", "mean"]),
    }


METRIC_LABELS = {
    "generation_end_mean": "mean net generation in the horizon year [TWh]",
    "generation_cum_mean": "mean cumulative net generation [TWh]",
    "capacity_target_mean": "mean net capacity at the target date [MWe]",
    "p_target": "P(official target met)",
    "first_new_unit_p50": "P50 commercial operation of the first unit under construction [year]",
    "lcoe_mean": "mean LCOE of the new units [US$/MWh]",
    "capital_mean": "mean capital of the units built [bn US$]",
}


def tornado(
    source: str | Path = "iran",
    what_if: str | Path | None = None,
    samples: int = 2000,
    until: int = 2060,
    seed: int = 1,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Run the programme with each ``[[sensitivity]]`` input at its low and high value.

    Returns
    -------
    (DataFrame, dict)
        One row per input: ``path``, ``label``, ``low``, ``high`` and ``<metric>_low`` /
        ``<metric>_high`` for every metric of :func:`headline`; and the base case's metrics.
    """
    base_case = load_programme(source, what_if)
    base = headline(simulate(base_case, samples, until, seed))
    rows = []
    for s in base_case.programme.sensitivity:
        row: dict[str, object] = {"path": s.path, "label": s.label, "low": s.low, "high": s.high}
        for end, value in (("low", s.low), ("high", s.high)):
            case = load_programme(source, what_if, {s.path: value})
            h = headline(simulate(case, samples, until, seed))
            for k, v in h.items():
                row[f"{k}_{end}"] = v
        rows.append(row)
    return pd.DataFrame(rows), base


SENSITIVITY_GROUPS = ("a", "a_non_china", "b", "all_vver", "c_non_china")


def group_sensitivity(
    source: str | Path = "iran",
    distribution: str = "construction-vver-export",
    groups: tuple[str, ...] = SENSITIVITY_GROUPS,
    samples: int = 2000,
    until: int = 2060,
    seed: int = 1,
) -> pd.DataFrame:
    """Headline results with the construction-duration distribution refitted to other groups.

    The distribution (median and predictive sigma) is replaced by the censored lognormal fit of
    each reference-class group (refreshed, Bushehr 1 from its 1995 restart), everything else equal.
    """
    rows = []
    for g in groups:
        f = refclass.fit_group(g)
        case = load_programme(
            source,
            None,
            {
                f"distributions.{distribution}.median.value": round(f.median, 4),
                f"distributions.{distribution}.median.unit": "yr",
                f"distributions.{distribution}.sigma.value": round(f.sigma_predictive, 4),
            },
        )
        h = headline(simulate(case, samples, until, seed))
        rows.append(
            {
                "group": g,
                "description": refclass.GROUPS[g][0],
                "finished": f.n_completed,
                "unfinished": f.n_censored,
                "median_yr": f.median,
                "sigma_predictive": f.sigma_predictive,
                **h,
            }
        )
    return pd.DataFrame(rows)

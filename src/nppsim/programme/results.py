"""Summaries of a programme run: yearly quantiles, unit dates, files.

SI inside; the tables here are the edge where units are named in the column: ``capacity_mwe`` [MWe],
``generation_twh`` [TWh], ``gas_saved_bcm`` [10^9 m3], ``co2_avoided_mt`` [Mt = 10^9 kg], ``fuel_t``
[t of heavy metal], ``share_of_demand`` [1]. Quantiles are taken per year and per column (marginal):
the P50 of generation and the P50 of capacity need not come from the same sample. Cumulative columns
are quantiles of each sample's running total since ``report_from``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nppsim import __version__

from .model import ProgrammeResult
from .timebase import s_to_year

QUANTILES: dict[str, float] = {"p10": 0.10, "p50": 0.50, "p90": 0.90}
"""Reported quantiles. P10 is the low end: 10 % of samples lie below it."""

_W_PER_MW = 1e6
_J_PER_TWH = 3.6e15
_M3_PER_BCM = 1e9
_KG_PER_MT = 1e9
_KG_PER_T = 1e3

COLUMNS = (
    "capacity_mwe",
    "generation_twh",
    "share_of_demand",
    "gas_saved_bcm",
    "co2_avoided_mt",
    "fuel_t",
    "generation_cum_twh",
    "gas_saved_cum_bcm",
    "co2_avoided_cum_mt",
)


def sample_table(res: ProgrammeResult) -> dict[str, np.ndarray]:
    """Per-sample arrays (samples, years) in the named output units of :data:`COLUMNS`."""
    gen = res.energy / _J_PER_TWH
    gas = res.gas_saved / _M3_PER_BCM
    co2 = res.co2_avoided / _KG_PER_MT
    return {
        "capacity_mwe": res.capacity / _W_PER_MW,
        "generation_twh": gen,
        "share_of_demand": res.share,
        "gas_saved_bcm": gas,
        "co2_avoided_mt": co2,
        "fuel_t": res.fuel / _KG_PER_T,
        "generation_cum_twh": np.cumsum(gen, axis=1),
        "gas_saved_cum_bcm": np.cumsum(gas, axis=1),
        "co2_avoided_cum_mt": np.cumsum(co2, axis=1),
    }


def summary_frame(res: ProgrammeResult) -> pd.DataFrame:
    """Yearly P10, P50 and P90 of every output column, in long form.

    Returns
    -------
    DataFrame
        Columns ``year``, ``quantile`` (``p10``, ``p50``, ``p90``) and :data:`COLUMNS`; three
        rows per year.
    """
    table = sample_table(res)
    q = np.array(list(QUANTILES.values()))
    parts = {name: np.quantile(arr, q, axis=0) for name, arr in table.items()}
    rows = []
    for qi, qname in enumerate(QUANTILES):
        df = pd.DataFrame({"year": res.years, "quantile": qname})
        for name in COLUMNS:
            df[name] = parts[name][qi]
        rows.append(df)
    out = pd.concat(rows, ignore_index=True)
    out["quantile"] = pd.Categorical(out["quantile"], categories=list(QUANTILES), ordered=True)
    return out.sort_values(["year", "quantile"], ignore_index=True)


def _year_quantiles(years: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(years), years, 1e6)
    return np.quantile(finite, list(QUANTILES.values()))


def format_year(y: float, until: int) -> str:
    """A quantile of a date as a calendar year, or ``after <until>``."""
    return str(int(np.floor(y))) if y < until + 1 else f"after {until}"


def units_frame(res: ProgrammeResult) -> pd.DataFrame:
    """Per unit: design, status and the P10/P50/P90 calendar year of commercial operation.

    Years beyond the horizon read ``after <until>`` (this includes samples in which the unit is
    never built). ``p_by_until`` is the fraction of samples with commercial operation by the end of
    ``until``; ``p_built`` the fraction in which the unit is built at all; ``if_built_start_p50``
    and ``if_built_p10`` ... ``if_built_p90`` the years over those samples; ``planned`` the year of
    the original schedule, if any.
    """
    rows = []
    for u in res.programme.units:
        d = res.dates[u.id]
        c = s_to_year(d["commercial"])
        s = s_to_year(d["start"])
        qc = _year_quantiles(c)
        plan = u.planned_commercial_operation
        row: dict[str, Any] = {
            "unit": u.id,
            "name": u.name,
            "design": u.design,
            "status": u.status,
            "planned": str(plan.date.year) if plan else "",
        }
        for qname, v in zip(QUANTILES, qc, strict=True):
            row[f"commercial_{qname}"] = format_year(v, res.until)
        row["p_by_until"] = float(np.mean(c < res.until + 1))
        built = c[np.isfinite(c)]
        row["p_built"] = built.size / c.size
        started = s[np.isfinite(c)]
        row["if_built_start_p50"] = (
            format_year(float(np.median(started)), res.until)
            if started.size
            else f"after {res.until}"
        )
        for qname, v in zip(
            QUANTILES, _year_quantiles(built) if built.size else [np.inf] * 3, strict=True
        ):
            row[f"if_built_{qname}"] = format_year(v, res.until)
        row["cancelled"] = u.id in res.adjustments.cancelled
        rows.append(row)
    return pd.DataFrame(rows)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def metadata(res: ProgrammeResult) -> dict[str, Any]:
    """Inputs and settings of a run, for ``programme.json``."""
    files = {"programme": res.source}
    hashes = {}
    for key, p in (("programme", res.source), ("what_if", res.what_if)):
        if p and Path(p).is_file():
            hashes[key] = _sha256(Path(p))
            files[key] = p
    return {
        "nppsim_version": __version__,
        "programme": res.programme.programme.name,
        "status_date": res.programme.programme.status_date.isoformat(),
        "samples": res.samples,
        "seed": res.seed,
        "until": res.until,
        "files": files,
        "sha256": hashes,
        "what_if_title": res.adjustments.title,
        "overridden": res.adjustments.overridden,
        "recorded_until": res.recorded_until,
        "quantiles": QUANTILES,
        "displaced": {
            "efficiency": res.efficiency,
            "emission_factor_kg_per_J": res.emission_factor,
            "gas_lhv_J_per_m3": res.gas_lhv,
        },
    }


def write_outputs(res: ProgrammeResult, out: Path, plots: bool = True) -> dict[str, Path]:
    """Write ``programme.parquet``, ``units.csv``, ``programme.json`` and the two plots.

    Parameters
    ----------
    res : ProgrammeResult
    out : Path
        Output folder (created).
    plots : bool
        Also write ``timeline.png`` and ``generation.png``.

    Returns
    -------
    dict
        File role -> path.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / "programme.parquet",
        "units": out / "units.csv",
        "metadata": out / "programme.json",
    }
    frame = summary_frame(res)
    frame["quantile"] = frame["quantile"].astype(str)
    frame.to_parquet(paths["parquet"], index=False)
    units_frame(res).to_csv(paths["units"], index=False)
    paths["metadata"].write_text(json.dumps(metadata(res), indent=2) + "\n")
    if plots:
        from .plots import plot_generation, plot_timeline

        paths["timeline"] = plot_timeline(res, out / "timeline.png")
        paths["generation"] = plot_generation(res, out / "generation.png")
    return paths

"""Summaries of a programme run: yearly statistics, units, probabilities, modes, costs, files.

SI inside; the tables here are the edge where units are named in the column: ``capacity_mwe``
[MWe], ``generation_twh`` [TWh], ``gas_saved_bcm`` [10^9 m3], ``liquid_saved_bnl`` [10^9 litres of
gas oil and fuel oil], ``co2_avoided_mt`` [Mt = 10^9 kg], ``fuel_t``, ``spent_fuel_t`` [t of heavy
metal], ``natural_uranium_t`` and ``conversion_t`` [t U], ``swu_t`` [t-SWU = 1000 SWU],
``spending_busd`` [10^9 US$], ``share_of_demand`` [1]. Statistics are taken per year and per column
(marginal): the P50 of generation and the P50 of capacity need not come from the same sample.
Cumulative columns are statistics of each sample's running total since ``report_from``.
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
from .timebase import date_to_s, s_to_year, year_start_s

QUANTILES: dict[str, float] = {"p10": 0.10, "p50": 0.50, "p90": 0.90}
"""Reported quantiles. P10 is the low end: 10 % of samples lie below it."""
STATISTICS: tuple[str, ...] = ("mean", "p10", "p50", "p90")

_W_PER_MW = 1e6
_J_PER_TWH = 3.6e15
_J_PER_MWH = 3.6e9
_M3_PER_BCM = 1e9
_M3_PER_BNL = 1e6
_KG_PER_MT = 1e9
_KG_PER_T = 1e3
_USD_PER_BN = 1e9

COLUMNS = (
    "capacity_mwe",
    "generation_twh",
    "share_of_demand",
    "gas_saved_bcm",
    "liquid_saved_bnl",
    "co2_avoided_mt",
    "unmet_served_twh",
    "fuel_t",
    "first_cores_t",
    "natural_uranium_t",
    "conversion_t",
    "swu_t",
    "spent_fuel_t",
    "spending_busd",
    "generation_cum_twh",
    "gas_saved_cum_bcm",
    "liquid_saved_cum_bnl",
    "co2_avoided_cum_mt",
    "natural_uranium_cum_t",
    "swu_cum_t",
    "spent_fuel_cum_t",
    "spending_cum_busd",
)

CAPACITY_LEVELS_MW = (1000, 3000, 5000, 10000, 20000)
"""Capacities [MWe] of the probability table."""


def sample_table(res: ProgrammeResult) -> dict[str, np.ndarray]:
    """Per-sample arrays (samples, years) in the named output units of :data:`COLUMNS`."""
    gen = res.energy / _J_PER_TWH
    gas = res.gas_saved / _M3_PER_BCM
    liq = res.liquid_saved / _M3_PER_BNL
    co2 = res.co2_avoided / _KG_PER_MT
    nat = res.natural_uranium / _KG_PER_T
    swu = res.swu / _KG_PER_T
    spent = res.spent_fuel / _KG_PER_T
    spend = res.spending / _USD_PER_BN
    return {
        "capacity_mwe": res.capacity / _W_PER_MW,
        "generation_twh": gen,
        "share_of_demand": res.share,
        "gas_saved_bcm": gas,
        "liquid_saved_bnl": liq,
        "co2_avoided_mt": co2,
        "unmet_served_twh": res.unmet_served / _J_PER_TWH,
        "fuel_t": res.fuel / _KG_PER_T,
        "first_cores_t": res.fuel_first / _KG_PER_T,
        "natural_uranium_t": nat,
        "conversion_t": res.conversion / _KG_PER_T,
        "swu_t": swu,
        "spent_fuel_t": spent,
        "spending_busd": spend,
        "generation_cum_twh": np.cumsum(gen, axis=1),
        "gas_saved_cum_bcm": np.cumsum(gas, axis=1),
        "liquid_saved_cum_bnl": np.cumsum(liq, axis=1),
        "co2_avoided_cum_mt": np.cumsum(co2, axis=1),
        "natural_uranium_cum_t": np.cumsum(nat, axis=1),
        "swu_cum_t": np.cumsum(swu, axis=1),
        "spent_fuel_cum_t": np.cumsum(spent, axis=1),
        "spending_cum_busd": np.cumsum(spend, axis=1),
    }


def stats(arr: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    """Mean, P10, P50 and P90 of samples along ``axis`` (NaN-aware: NaN = not applicable)."""
    if np.isnan(arr).any():
        out = {"mean": np.nanmean(arr, axis=axis)}
        q = np.nanquantile(arr, list(QUANTILES.values()), axis=axis)
    else:
        out = {"mean": np.mean(arr, axis=axis)}
        q = np.quantile(arr, list(QUANTILES.values()), axis=axis)
    for i, name in enumerate(QUANTILES):
        out[name] = q[i]
    return out


def summary_frame(res: ProgrammeResult) -> pd.DataFrame:
    """Yearly mean, P10, P50 and P90 of every output column, in long form.

    Returns
    -------
    DataFrame
        Columns ``year``, ``statistic`` (``mean``, ``p10``, ``p50``, ``p90``) and
        :data:`COLUMNS`; four rows per year.
    """
    table = sample_table(res)
    parts = {name: stats(arr) for name, arr in table.items()}
    frames = []
    for st in STATISTICS:
        df = pd.DataFrame({"year": res.years, "statistic": st})
        for name in COLUMNS:
            df[name] = parts[name][st]
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["statistic"] = pd.Categorical(out["statistic"], categories=list(STATISTICS), ordered=True)
    return out.sort_values(["year", "statistic"], ignore_index=True)


def _year_quantiles(years: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(years), years, 1e6)
    return np.quantile(finite, list(QUANTILES.values()))


def format_year(y: float, until: int) -> str:
    """A quantile of a date as a calendar year, or ``after <until>``."""
    return str(int(np.floor(y))) if y < until + 1 else f"after {until}"


def _cost_stats(values: np.ndarray, scale: float) -> dict[str, float]:
    v = values[np.isfinite(values)] * scale
    if v.size == 0:
        return {k: float("nan") for k in STATISTICS}
    s = stats(v)
    return {k: float(s[k]) for k in STATISTICS}


def units_frame(res: ProgrammeResult) -> pd.DataFrame:
    """Per unit: design, status, dates (plan, official, P10/P50/P90) and costs.

    Years beyond the horizon read ``after <until>`` (this includes samples in which the unit is
    never built). ``p_by_until`` is the fraction of samples with commercial operation by the end of
    ``until``; ``p_by_official`` by the latest official date; ``p_built`` the fraction in which the
    unit is built at all; ``if_built_start_p50`` and ``if_built_p10`` ... ``if_built_p90`` the years
    over those samples; ``planned`` the year of the original schedule, ``official`` the latest
    official date. Costs over the samples in which the unit is built: overnight, interest during
    construction and capital at commercial operation [10^9 US$], LCOE [US$/MWh] (mean and P10,
    P50, P90).
    """
    rows = []
    for u in res.programme.units:
        d = res.dates[u.id]
        c = s_to_year(d["commercial"])
        s = s_to_year(d["start"])
        qc = _year_quantiles(c)
        plan = u.planned_commercial_operation
        off = u.official_commercial_operation
        row: dict[str, Any] = {
            "unit": u.id,
            "name": u.name,
            "design": u.design,
            "status": u.status,
            "net_mwe": res.unit_power[u.id] / _W_PER_MW,
            "planned": str(plan.date.year) if plan else "",
            "official": off.date.isoformat() if off else "",
        }
        for qname, v in zip(QUANTILES, qc, strict=True):
            row[f"commercial_{qname}"] = format_year(v, res.until)
        row["p_by_until"] = float(np.mean(c < res.until + 1))
        row["p_by_official"] = (
            float(np.mean(d["commercial"] <= date_to_s(off.date))) if off else float("nan")
        )
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
        uc = res.unit_cost.get(u.id)
        for key, scale, unit in (
            ("overnight", 1 / _USD_PER_BN, "busd"),
            ("idc", 1 / _USD_PER_BN, "busd"),
            ("capital", 1 / _USD_PER_BN, "busd"),
            ("lcoe", _J_PER_MWH, "usd_per_mwh"),
        ):
            st = _cost_stats(uc[key], scale) if uc else dict.fromkeys(STATISTICS, float("nan"))
            for k, v in st.items():
                row[f"{key}_{unit}_{k}"] = v
        rows.append(row)
    return pd.DataFrame(rows)


def capacity_probabilities(
    res: ProgrammeResult,
    levels_mw: tuple[float, ...] = CAPACITY_LEVELS_MW,
    years: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """P(net capacity in service at the end of a year >= a level), and the official target.

    Rows: years; columns: ``>= <level> MWe``. Capacity is counted at the last instant of the year
    (grid-connected, not retired). A last row gives P(target met): the official target's capacity
    at its date.
    """
    if years is None:
        years = tuple(y for y in (2030, 2035, 2041, 2045, 2050, 2055, 2060) if y <= res.until)
    rows = []
    for y in years:
        cap = res.capacity_at(float(year_start_s(y + 1)) - 1.0)
        row: dict[str, Any] = {"year": str(y)}
        for lev in levels_mw:
            row[f">= {lev:,.0f} MWe"] = float(np.mean(cap >= lev * _W_PER_MW * (1 - 1e-12)))
        rows.append(row)
    tg = res.programme.target
    cap = res.capacity_at(date_to_s(tg.by.date))
    row = {"year": f"target {tg.by.date.isoformat()}"}
    for lev in levels_mw:
        row[f">= {lev:,.0f} MWe"] = float(np.mean(cap >= lev * _W_PER_MW * (1 - 1e-12)))
    rows.append(row)
    return pd.DataFrame(rows)


def target_summary(res: ProgrammeResult) -> dict[str, Any]:
    """The official target against the run: probability met, capacity at its date, the pipeline."""
    tg = res.programme.target
    t = date_to_s(tg.by.date)
    cap = res.capacity_at(t) / _W_PER_MW
    st = stats(cap)
    return {
        "name": tg.name,
        "capacity_mwe": tg.capacity.si / _W_PER_MW,
        "by": tg.by.date.isoformat(),
        "p_met": res.target_probability(),
        "capacity_at_date_mwe": {k: float(v) for k, v in st.items()},
        "max_modelled_mwe": sum(res.unit_power.values()) / _W_PER_MW,
        "pipeline_mwe": sum(p.capacity.si for p in tg.pipeline) / _W_PER_MW,
    }


def uncertain_projects(res: ProgrammeResult) -> list[str]:
    """Projects whose go-ahead is uncertain (0 < p < 1), largest capacity first."""
    prog = res.programme
    size = {
        pid: sum(res.unit_power[u.id] for u in prog.units if u.project == pid)
        for pid in prog.projects
    }
    unsure = [pid for pid, p in prog.projects.items() if 0.0 < p.p_proceed.si < 1.0]
    return sorted(unsure, key=lambda pid: -size[pid])


def modes_frame(res: ProgrammeResult, year: int | None = None) -> pd.DataFrame:
    """Generation and capacity in a year conditional on each uncertain go/no-go decision.

    One row per project and outcome (goes ahead / not): share of samples, mean, P10, P50 and P90
    of generation [TWh] and of year-average capacity [MWe] in ``year`` (default the horizon).
    The modes of a bimodal total show here: each outcome's band is narrow where the marginal P50
    jumps between them.
    """
    year = res.until if year is None else year
    i = int(year - res.years[0])
    gen = res.energy[:, i] / _J_PER_TWH
    cap = res.capacity[:, i] / _W_PER_MW
    rows = []
    for pid in uncertain_projects(res):
        go = res.proceed[pid]
        for outcome, mask in (("goes ahead", go), ("does not", ~go)):
            row: dict[str, Any] = {
                "project": pid,
                "outcome": outcome,
                "share": float(mask.mean()),
                "year": year,
            }
            for name, arr in (("generation_twh", gen), ("capacity_mwe", cap)):
                st = stats(arr[mask]) if mask.any() else dict.fromkeys(STATISTICS, np.nan)
                for k in STATISTICS:
                    row[f"{name}_{k}"] = float(st[k])
            rows.append(row)
    return pd.DataFrame(rows)


def cost_summary(res: ProgrammeResult) -> pd.DataFrame:
    """Programme cost totals per sample: mean, P10, P50, P90.

    Rows: overnight cost, interest during construction and capital at commercial operation of the
    units built (all years, whatever the horizon) [10^9 US$]; capital spent to the horizon
    [10^9 US$]; fleet LCOE of the new units [US$/MWh] (their annual costs over their annual
    energy).
    """
    keys = ("overnight", "idc", "capital")
    tot = {k: np.zeros(res.samples) for k in keys}
    ann_c = np.zeros(res.samples)
    ann_e = np.zeros(res.samples)
    for uc in res.unit_cost.values():
        for k in keys:
            tot[k] += np.nan_to_num(uc[k])
        ann_c += np.nan_to_num(uc["annual_cost"])
        ann_e += np.nan_to_num(uc["annual_energy"])
    with np.errstate(invalid="ignore", divide="ignore"):
        fleet = np.where(ann_e > 0, ann_c / ann_e, np.nan) * _J_PER_MWH
    rows = []
    for label, arr, unit in (
        ("overnight cost of the units built", tot["overnight"] / _USD_PER_BN, "bn US$"),
        ("interest during construction", tot["idc"] / _USD_PER_BN, "bn US$"),
        ("capital at commercial operation", tot["capital"] / _USD_PER_BN, "bn US$"),
        (f"capital spent to {res.until}", res.spending.sum(axis=1) / _USD_PER_BN, "bn US$"),
        ("LCOE of the new units (fleet)", fleet, "US$/MWh"),
    ):
        st = stats(arr)
        rows.append({"quantity": label, "unit": unit, **{k: float(st[k]) for k in STATISTICS}})
    return pd.DataFrame(rows)


def samples_frame(res: ProgrammeResult, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """One row per sample: the draws that matter and the results they give.

    Columns: ``sample``; ``common_factor`` (z_g); ``proceed_<project>``; ``suspension_<id>_yr``;
    ``commercial_<unit>`` (decimal year, empty if never built); ``capacity_target_mwe`` (at the
    target date); ``generation_<year>_twh`` and ``capacity_<year>_mwe`` for milestone years;
    cumulative generation, gas, CO2, natural uranium, SWU to the horizon; capital of the units
    built [10^9 US$].
    """
    if years is None:
        years = tuple(y for y in (2030, 2035, 2041, 2050, 2060) if res.years[0] <= y <= res.until)
    out: dict[str, Any] = {"sample": np.arange(res.samples), "common_factor": res.common}
    for pid, go in res.proceed.items():
        out[f"proceed_{pid}"] = go
    for sid, dur in res.suspension_duration.items():
        out[f"suspension_{sid}_yr"] = dur / (365.25 * 86400.0)
    for uid in res.dates:
        y = res.commercial_year(uid)
        out[f"commercial_{uid}"] = np.where(np.isfinite(y), y, np.nan)
    out["capacity_target_mwe"] = res.capacity_at(date_to_s(res.programme.target.by.date)) / 1e6
    tab = sample_table(res)
    for y in years:
        i = int(y - res.years[0])
        out[f"generation_{y}_twh"] = tab["generation_twh"][:, i]
        out[f"capacity_{y}_mwe"] = tab["capacity_mwe"][:, i]
    for name in (
        "generation_cum_twh",
        "gas_saved_cum_bcm",
        "liquid_saved_cum_bnl",
        "co2_avoided_cum_mt",
        "natural_uranium_cum_t",
        "swu_cum_t",
        "spending_cum_busd",
    ):
        out[f"{name}_{res.until}"] = tab[name][:, -1]
    cap = np.zeros(res.samples)
    for uc in res.unit_cost.values():
        cap += np.nan_to_num(uc["capital"])
    out["capital_busd"] = cap / _USD_PER_BN
    return pd.DataFrame(out)


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
    prog = res.programme
    return {
        "nppsim_version": __version__,
        "programme": prog.programme.name,
        "status_date": prog.programme.status_date.isoformat(),
        "samples": res.samples,
        "seed": res.seed,
        "until": res.until,
        "files": files,
        "sha256": hashes,
        "what_if_title": res.adjustments.title,
        "overridden": res.adjustments.overridden,
        "recorded_until": res.recorded_until,
        "statistics": list(STATISTICS),
        "quantiles": QUANTILES,
        "target": target_summary(res),
        "displaced": {
            "mode": prog.displaced.mode,
            "unmet_share": prog.displaced.unmet_share.si,
        },
        "cost": {
            "currency": prog.cost.currency,
            "discount_rate": prog.cost.discount_rate.si,
            "interest_rate": prog.cost.interest_rate.si,
        },
        "fuel_cycle": {
            "feed_assay": prog.fuel_cycle.feed_assay.si,
            "tails_assay": prog.fuel_cycle.tails_assay.si,
        },
    }


def write_outputs(
    res: ProgrammeResult, out: Path, plots: bool = True, excel: bool = False
) -> dict[str, Path]:
    """Write the run's tables (CSV, Parquet), ``programme.json``, the plots and, optionally, Excel.

    Parameters
    ----------
    res : ProgrammeResult
    out : Path
        Output folder (created).
    plots : bool
        Also write ``timeline.png``, ``generation.png`` and ``modes.png``.
    excel : bool
        Also write ``programme.xlsx`` with one sheet per table (needs openpyxl).

    Returns
    -------
    dict
        File role -> path.
    """
    out.mkdir(parents=True, exist_ok=True)
    frame = summary_frame(res)
    frame["statistic"] = frame["statistic"].astype(str)
    tables = {
        "summary": frame,
        "units": units_frame(res),
        "probabilities": capacity_probabilities(res),
        "modes": modes_frame(res),
        "costs": cost_summary(res),
        "samples": samples_frame(res),
    }
    paths: dict[str, Path] = {"parquet": out / "programme.parquet"}
    frame.to_parquet(paths["parquet"], index=False)
    for name, df in tables.items():
        paths[name] = out / f"{name}.csv"
        df.to_csv(paths[name], index=False)
    paths["metadata"] = out / "programme.json"
    paths["metadata"].write_text(json.dumps(metadata(res), indent=2) + "\n")
    if excel:
        paths["excel"] = write_excel(tables, out / "programme.xlsx")
    if plots:
        from .plots import plot_generation, plot_modes, plot_timeline

        paths["timeline"] = plot_timeline(res, out / "timeline.png")
        paths["generation"] = plot_generation(res, out / "generation.png")
        paths["modes_plot"] = plot_modes(res, out / "modes.png")
    return paths


def write_excel(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write tables to one Excel workbook, one sheet each (openpyxl, write-only mode: fast).

    NaN cells are left empty; booleans and numbers keep their types.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, df in tables.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            ws.append(
                [
                    None
                    if isinstance(v, float) and v != v
                    else v.item()
                    if isinstance(v, np.generic)
                    else v
                    for v in row
                ]
            )
    wb.save(path)
    return path

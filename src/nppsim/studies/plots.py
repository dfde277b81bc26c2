"""Plots of a study (matplotlib, Agg backend): histograms, scatter plots, tornado charts and,
for Sobol' and Morris designs, the sensitivity indices.

Each function writes one PNG and returns its path; :func:`write_all` writes them all into a
folder (``DIR/plots`` by default for ``nppsim study show``).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from nppsim.studies.analysis import MIN_POINTS, Summary, tornado_table


def _grid(n: int, width: float = 4.0, height: float = 3.2) -> tuple[plt.Figure, np.ndarray]:
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(width * cols, height * rows), squeeze=False, constrained_layout=True
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


def _label(item: dict) -> str:
    return f"{item['name']} [{item['unit']}]"


def histograms(summary: Summary, path: Path) -> Path:
    """One histogram per metric over the completed runs, P5 / P50 / P95 marked."""
    metrics = summary.metrics
    fig, axes = _grid(len(metrics))
    ok = summary.runs[summary.runs["status"] == "completed"]
    for ax, m in zip(axes.flat, metrics, strict=False):
        x = ok[m["name"]].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if len(x):
            ax.hist(x, bins=min(30, max(5, int(np.sqrt(len(x))) + 1)), color="#4878a8")
            for q, style in zip(np.percentile(x, [5, 50, 95]), (":", "-", ":"), strict=True):
                ax.axvline(q, color="k", linestyle=style, linewidth=1)
        else:
            ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(_label(m))
        ax.set_ylabel("runs")
        ax.set_title(f"{m['name']} (n = {len(x)}; P5, P50, P95)", fontsize="medium")
    fig.suptitle(summary.plan["title"], fontsize="medium")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def scatter(summary: Summary, metric: dict, path: Path) -> Path:
    """``metric`` against each parameter; failed runs marked at the bottom, trips in red."""
    params = summary.parameters
    fig, axes = _grid(len(params))
    runs = summary.runs
    ok = runs[runs["status"] == "completed"]
    failed = runs[runs["status"] != "completed"]
    for ax, p in zip(axes.flat, params, strict=False):
        quiet = ok[~ok["tripped"]]
        trip = ok[ok["tripped"]]
        ax.scatter(quiet[p["name"]], quiet[metric["name"]], s=14, color="#4878a8", label="no trip")
        if len(trip):
            ax.scatter(trip[p["name"]], trip[metric["name"]], s=14, color="#c03030", label="trip")
        if len(failed):
            y = ax.get_ylim()[0]
            ax.scatter(
                failed[p["name"]], [y] * len(failed), marker="x", color="k", s=18, label="failed"
            )
        ax.set_xlabel(_label(p))
        ax.set_ylabel(_label(metric))
        rho = summary.correlations.loc[metric["name"], p["name"]]
        ax.set_title(f"Spearman rho = {rho:.2f}" if np.isfinite(rho) else "", fontsize="medium")
    axes.flat[0].legend(fontsize="small")
    fig.suptitle(f"{metric['name']} against each parameter", fontsize="medium")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def tornado(summary: Summary, path: Path) -> Path:
    """Per metric: its mean over the runs with each parameter low versus high (bars from the
    overall mean), parameters sorted by the swing."""
    metrics = summary.metrics
    fig, axes = _grid(len(metrics), width=5.5)
    ok = summary.runs[summary.runs["status"] == "completed"]
    for ax, m in zip(axes.flat, metrics, strict=False):
        tab = tornado_table(summary, m["name"])
        x = ok[m["name"]].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if not len(tab) or len(x) < MIN_POINTS:
            ax.text(
                0.5,
                0.5,
                f"{len(x)} values: too few",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_title(m["name"], fontsize="medium")
            ax.set_axis_off()
            continue
        base = float(np.mean(x))
        ys = np.arange(len(tab))[::-1]
        ax.barh(ys, tab["metric_low"] - base, left=base, color="#4878a8", label="parameter low")
        ax.barh(ys, tab["metric_high"] - base, left=base, color="#e08a30", label="parameter high")
        ax.axvline(base, color="k", linewidth=1)
        ax.set_yticks(ys, [f"{r.parameter} [{r.unit}]" for r in tab.itertuples()])
        ax.set_xlabel(_label(m))
        ax.set_title(m["name"], fontsize="medium")
        ax.legend(fontsize="small")
    fig.suptitle(
        "Mean of each metric over the runs with a parameter in its lowest / highest fifth "
        "(line: mean of all runs)",
        fontsize="medium",
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def indices(summary: Summary, path: Path) -> Path | None:
    """Sobol' (S1, ST) or Morris (mu*, sigma) indices per metric, with confidence bars."""
    if not summary.indices:
        return None
    items = list(summary.indices.items())
    fig, axes = _grid(len(items), width=5.0)
    for ax, (name, df) in zip(axes.flat, items, strict=False):
        y = np.arange(len(df))[::-1]
        if "S1" in df:
            ax.barh(y + 0.2, df["ST"], height=0.4, xerr=df["ST_conf"], label="total ST")
            ax.barh(y - 0.2, df["S1"], height=0.4, xerr=df["S1_conf"], label="first order S1")
            ax.set_xlabel("Sobol' index")
        else:
            ax.barh(y + 0.2, df["mu_star"], height=0.4, xerr=df["mu_star_conf"], label="mu*")
            ax.barh(y - 0.2, df["sigma"], height=0.4, label="sigma")
            unit = next(m["unit"] for m in summary.metrics if m["name"] == name)
            ax.set_xlabel(f"elementary effect [{unit}] per whole range")
        ax.set_yticks(y, list(df.index))
        ax.set_title(name, fontsize="medium")
        ax.legend(fontsize="small")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_all(summary: Summary, folder: Path) -> list[Path]:
    """Every plot of the study into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if not summary.completed:
        return []
    out = [histograms(summary, folder / "histograms.png"), tornado(summary, folder / "tornado.png")]
    for m in summary.metrics:
        out.append(scatter(summary, m, folder / f"scatter-{m['name']}.png"))
    idx = indices(summary, folder / "indices.png")
    if idx is not None:
        out.append(idx)
    return out

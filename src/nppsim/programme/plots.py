"""Plots of a programme run (matplotlib, Agg backend: no screen needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from .model import ProgrammeResult
from .timebase import date_to_s, s_to_year

_STATUS_COLOUR = {
    "operating": "#1b7837",
    "under construction": "#2166ac",
    "contracted": "#b2182b",
    "planned": "#8c6bb1",
}


def _q(x: np.ndarray, q: float, cap: float) -> float:
    """Quantile of finite decimal years (the samples in which the unit is built), capped."""
    v = x[np.isfinite(x)]
    return float(min(np.quantile(v, q), cap)) if v.size else cap


def plot_timeline(res: ProgrammeResult, path: Path) -> Path:
    """Each unit's construction (light bar) and operation (dark bar), P50 dates if it is built.

    Dates are quantiles over the samples in which the unit is built (its project proceeds and it is
    not cancelled). Whiskers show the P10-P90 spread of the construction start (thin) and of
    commercial operation (thick); the text at the right is the probability, over all samples, of
    commercial operation by the horizon.
    """
    units = res.programme.units
    x_end = res.until + 1
    x_start = min(2010, res.programme.programme.report_from)
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(units) + 1.8), constrained_layout=True)
    for i, u in enumerate(units):
        y = len(units) - 1 - i
        d = res.dates[u.id]
        s, c, r = (s_to_year(d[k]) for k in ("start", "commercial", "retire"))
        colour = _STATUS_COLOUR[u.status]
        s50, c50, r50 = (_q(v, 0.5, x_end) for v in (s, c, r))
        ax.barh(
            y,
            c50 - max(s50, x_start),
            left=max(s50, x_start),
            height=0.5,
            color=colour,
            alpha=0.3,
            edgecolor=colour,
        )
        ax.barh(y, min(r50, x_end) - c50, left=c50, height=0.5, color=colour, alpha=0.85)
        for v, lw, dy in ((s, 1.0, 0.36), (c, 2.5, 0.0)):
            lo, hi = _q(v, 0.1, x_end), _q(v, 0.9, x_end)
            if hi > lo:
                yy = y + dy
                ax.plot(
                    [max(lo, x_start), hi], [yy, yy], color="black", lw=lw, solid_capstyle="butt"
                )
                ax.plot([max(lo, x_start), hi], [yy, yy], color="black", lw=0, marker="|", ms=7)
        p = float(np.mean(c < x_end))
        ax.text(x_end + 0.3, y, f"{p:.0%}", va="center", fontsize=8)
    status_year = float(s_to_year(np.array([date_to_s(res.programme.programme.status_date)]))[0])
    ax.axvline(status_year, color="grey", ls="--", lw=1)
    ax.text(status_year, len(units) - 0.4, " status date", fontsize=8, color="grey")
    ax.set_yticks(range(len(units)), [u.name for u in reversed(units)], fontsize=8)
    ax.set_xlim(x_start, x_end + 3)
    ax.set_xlabel("year")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, alpha=0.85) for c in _STATUS_COLOUR.values()]
    ax.legend(
        handles,
        list(_STATUS_COLOUR),
        loc="lower left",
        fontsize=8,
        title="status",
        title_fontsize=8,
    )
    ax.set_title(
        f"{res.programme.programme.title}; {res.samples} samples, seed {res.seed}\n"
        "bars: construction (light) and operation (dark) at P50 dates if built; whiskers: P10-P90 "
        "if built\nof construction start (thin, above) and commercial operation (thick); "
        f"right: P(commercial operation by {res.until})",
        fontsize=9,
    )
    ax.grid(axis="x", alpha=0.3)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_generation(res: ProgrammeResult, path: Path) -> Path:
    """Fan chart of annual net generation [TWh] and of the share of national generation [%]."""
    years = res.years
    gen = res.energy / 3.6e15
    share = res.share * 100.0
    bands = ((0.05, 0.95, 0.15), (0.10, 0.90, 0.25), (0.25, 0.75, 0.4))
    fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True, constrained_layout=True)
    for ax, arr, label in (
        (axes[0], gen, "net generation [TWh/yr]"),
        (axes[1], share, "share of Iran's generation [%]"),
    ):
        for lo, hi, alpha in bands:
            ax.fill_between(
                years,
                np.quantile(arr, lo, axis=0),
                np.quantile(arr, hi, axis=0),
                color="#2166ac",
                alpha=alpha,
                lw=0,
                label=f"P{lo * 100:.0f}-P{hi * 100:.0f}",
            )
        ax.plot(years, np.quantile(arr, 0.5, axis=0), color="#08306b", lw=2, label="P50")
        ax.axvspan(years[0] - 0.5, res.recorded_until + 0.5, color="grey", alpha=0.12)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].text(
        years[0],
        axes[0].get_ylim()[1] * 0.95,
        " recorded (Bushehr 1, PRIS)",
        fontsize=8,
        va="top",
        color="grey",
    )
    axes[0].legend(loc="upper left", bbox_to_anchor=(0.0, 0.88), fontsize=8)
    axes[1].set_xlabel("year")
    axes[0].set_title(
        f"{res.programme.programme.title}: {res.samples} samples, seed {res.seed}", fontsize=10
    )
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path

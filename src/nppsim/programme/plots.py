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


_BANDS = ((0.05, 0.95, 0.15), (0.10, 0.90, 0.25), (0.25, 0.75, 0.4))


def _fan(ax, years, arr, colour, label=None, bands=_BANDS, mean=True) -> None:
    """Quantile bands, the P50 line and (dashed) the mean of samples (rows) per year (columns)."""
    for lo, hi, alpha in bands:
        ax.fill_between(
            years,
            np.quantile(arr, lo, axis=0),
            np.quantile(arr, hi, axis=0),
            color=colour,
            alpha=alpha,
            lw=0,
            label=f"P{lo * 100:.0f}-P{hi * 100:.0f}" if label is None else None,
        )
    ax.plot(
        years,
        np.quantile(arr, 0.5, axis=0),
        color=colour,
        lw=2,
        label="P50" if label is None else f"{label}: P50",
    )
    if mean:
        ax.plot(
            years,
            arr.mean(axis=0),
            color=colour,
            lw=1.2,
            ls="--",
            label="mean" if label is None else f"{label}: mean",
        )


def plot_generation(res: ProgrammeResult, path: Path) -> Path:
    """Fan charts of net capacity in service [MWe], net generation [TWh] and the share [%].

    Bands P5-P95, P10-P90, P25-P75, the P50 line and the mean (dashed); the recorded years shaded;
    the official target marked on the capacity panel.
    """
    years = res.years
    cap = res.capacity / 1e6
    gen = res.energy / 3.6e15
    share = res.share * 100.0
    fig, axes = plt.subplots(3, 1, figsize=(10, 10.5), sharex=True, constrained_layout=True)
    for ax, arr, label in (
        (axes[0], cap, "net capacity in service, year average [MWe]"),
        (axes[1], gen, "net generation [TWh/yr]"),
        (axes[2], share, "share of Iran's generation [%]"),
    ):
        _fan(ax, years, arr, "#2166ac")
        ax.axvspan(years[0] - 0.5, res.recorded_until + 0.5, color="grey", alpha=0.12)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    tg = res.programme.target
    ty = float(s_to_year(np.array([date_to_s(tg.by.date)]))[0])
    axes[0].plot([ty], [tg.capacity.si / 1e6], marker="*", ms=14, color="#b2182b", ls="none")
    axes[0].annotate(
        f"official target {tg.capacity.si / 1e6:,.0f} MWe by {tg.by.date.year}"
        f"\nP(met) = {res.target_probability():.1%}",
        (ty, tg.capacity.si / 1e6),
        textcoords="offset points",
        xytext=(-170, -30),
        fontsize=8,
        color="#b2182b",
    )
    axes[1].text(
        years[0],
        axes[1].get_ylim()[1] * 0.95,
        " recorded (Bushehr 1, PRIS)",
        fontsize=8,
        va="top",
        color="grey",
    )
    axes[0].legend(loc="upper left", fontsize=8)
    axes[2].set_xlabel("year")
    axes[0].set_title(
        f"{res.programme.programme.title}: {res.samples} samples, seed {res.seed}", fontsize=10
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_modes(res: ProgrammeResult, path: Path) -> Path:
    """Fans of capacity and generation conditional on the largest uncertain go/no-go decision.

    The samples in which the project goes ahead and those in which it does not each get their own
    fan (P10-P90 band, P50 line, dashed mean), so the two modes of the total stay visible.
    """
    from .results import uncertain_projects

    projects = uncertain_projects(res)
    fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True, constrained_layout=True)
    cap = res.capacity / 1e6
    gen = res.energy / 3.6e15
    if projects:
        pid = projects[0]
        go = res.proceed[pid]
        name = res.programme.projects[pid].name
        for ax, arr, label in (
            (axes[0], cap, "net capacity in service [MWe]"),
            (axes[1], gen, "net generation [TWh/yr]"),
        ):
            for mask, colour, text in (
                (go, "#1b7837", f"goes ahead ({go.mean():.0%})"),
                (~go, "#b2182b", f"does not ({(~go).mean():.0%})"),
            ):
                if mask.any():
                    _fan(ax, res.years, arr[mask], colour, label=text, bands=((0.1, 0.9, 0.2),))
            ax.set_ylabel(label)
            ax.grid(alpha=0.3)
        axes[0].legend(loc="upper left", fontsize=8)
        axes[0].set_title(
            f"Two modes: {name}\nfans conditional on the go/no-go (band P10-P90; "
            f"{res.samples} samples, seed {res.seed})",
            fontsize=10,
        )
    axes[1].set_xlabel("year")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_compare(results: dict[str, ProgrammeResult], path: Path) -> Path:
    """Several runs (what-ifs) in one figure: capacity and generation, P50 and P10-P90 bands."""
    colours = ["#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#35978f", "#4d4d4d"]
    fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True, constrained_layout=True)
    for i, (label, res) in enumerate(results.items()):
        colour = colours[i % len(colours)]
        for ax, arr in ((axes[0], res.capacity / 1e6), (axes[1], res.energy / 3.6e15)):
            _fan(ax, res.years, arr, colour, label=label, bands=((0.1, 0.9, 0.12),))
    axes[0].set_ylabel("net capacity in service [MWe]")
    axes[1].set_ylabel("net generation [TWh/yr]")
    axes[1].set_xlabel("year")
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=7)
    axes[0].set_title("What-ifs compared: P50 (solid), mean (dashed), P10-P90 (band)", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_tornado(frame, metric: str, label: str, base: float, path: Path) -> Path:
    """Tornado chart: the change of a headline result when each input goes to its low and high.

    ``frame`` is :func:`nppsim.programme.sensitivity.tornado`'s table.
    """
    f = frame.copy()
    f["swing"] = (f[f"{metric}_high"] - f[f"{metric}_low"]).abs()
    f = f.sort_values("swing")
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(f) + 1.6), constrained_layout=True)
    y = np.arange(len(f))
    lo = f[f"{metric}_low"].to_numpy() - base
    hi = f[f"{metric}_high"].to_numpy() - base
    ax.barh(y, lo, left=base, color="#92c5de", label="input at its low value")
    ax.barh(y, hi, left=base, color="#f4a582", label="input at its high value")
    ax.axvline(base, color="black", lw=1)
    labels = [f"{r.label} ({r.low:g} / {r.high:g})" for r in f.itertuples()]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(label)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Sensitivity of {label} (base {base:,.3g})", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

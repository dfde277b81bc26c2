"""Static plots of run results (matplotlib, Agg backend: no screen needed).

:func:`overview` draws the run's overview: for the core model power, reactivity, temperatures,
pressure, xenon and boron; for the plant powers, coolant and fuel temperatures, primary and steam
pressures, levels and flows. The figures are made to be read:

* legends sit outside the data (right of each panel);
* axes show plain numbers (no offset notation), and a quantity that barely moves is drawn on a
  minimum span (0.1 MPa, 2 K...), so round-off noise never looks like a transient;
* every event is marked by a vertical line through all panels and labelled in a strip above
  them, labels stacked in rows so that none overlaps another: initiating events (the scenario's
  actions: a pump trip, a rod drop, a load change, a break) in blue, protective actions (reactor
  trips, fast power reductions, isolations) in red and orange, a stop (the model's validity
  range left, a solver failure) in black, alarms and mode changes in grey;
* steam generators are drawn one by one where they differ (a steam-line break: the broken one
  against the intact ones), never as a mean that hides the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["classify_event", "event_label", "overview", "plant_overview"]

#: event classes and how they are drawn: colour, line style
_STYLE = {
    "initiating": ("tab:blue", "-"),
    "protective": ("tab:red", "--"),
    "reduction": ("tab:orange", "--"),
    "stop": ("black", "-"),
    "other": ("0.55", ":"),
}
_PROTECTIVE = {"trip", "isolation"}
_REDUCTION = {"fast_power_reduction", "fpr"}
_STOP = {"validity", "solver_failure"}
_RC = {
    "axes.formatter.useoffset": False,  # never "+1.57e7" with 1e-5 swings
    "axes.formatter.limits": (-4, 6),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": "small",
    "legend.frameon": False,
}


def classify_event(e: dict[str, Any]) -> str:
    """``initiating`` (a scenario action), ``protective`` (a trip, an isolation),
    ``reduction`` (a fast power reduction), ``stop`` (validity range left, solver failure) or
    ``other`` (alarms, mode changes, rods released)."""
    kind = e.get("kind", "")
    if kind in _PROTECTIVE:
        return "protective"
    if kind in _REDUCTION:
        return "reduction"
    if kind in _STOP:
        return "stop"
    from nppsim.actions import REGISTRY

    return "initiating" if kind in REGISTRY else "other"


def event_label(e: dict[str, Any]) -> str:
    """A short label: ``"turbine trip"``, ``"trip: low_steam_pressure"``, ``"bru_a_open"``."""
    kind, name = e.get("kind", ""), str(e.get("name", ""))
    words = kind.replace("_", " ")
    cls = classify_event(e)
    if cls == "initiating":
        default = not name or name.startswith(f"{kind}#")
        return words if default else f"{words}: {name}"
    if kind == "trip":
        return f"reactor trip: {name}"
    if cls == "reduction":
        return f"power reduction: {name.removeprefix('fpr_')}"
    if kind == "isolation":
        return f"isolation: {name}"
    if kind == "validity":
        return f"stopped: {name}"
    if kind == "solver_failure":
        return "solver failure"
    return name or words


def _time_axis(t_s: pd.Series) -> tuple[float, str]:
    """A readable time unit for the x axis: the divisor [s] and the label."""
    end = float(t_s.iloc[-1]) if len(t_s) else 0.0
    if end > 3 * 3600:
        return 3600.0, "time [h]"
    if end > 600:
        return 60.0, "time [min]"
    return 1.0, "time [s]"


def _legend(ax: Any) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def _min_span(ax: Any, span: float) -> None:
    """Widen the y range to at least ``span`` around its middle (noise stays flat)."""
    lo, hi = ax.get_ylim()
    if ax.get_yscale() == "linear" and hi - lo < span:
        mid = 0.5 * (lo + hi)
        ax.set_ylim(mid - 0.5 * span, mid + 0.5 * span)


def _sg_columns(df: pd.DataFrame, pattern: str) -> list[str]:
    return [pattern.format(i) for i in range(1, 17) if pattern.format(i) in df]


def sgs_differ(df: pd.DataFrame, cols: list[str], rel: float = 1e-3) -> bool:
    """Whether the steam generators' (or loops') ``cols`` differ by more than ``rel`` of their
    magnitude at some recorded time."""
    return len(groups(df, cols, rel)) > 1


def groups(df: pd.DataFrame, cols: list[str], rel: float = 1e-3) -> list[list[int]]:
    """``cols`` (one per steam generator or loop, numbered from 1) gathered into groups that do
    not differ (within ``rel`` of the largest magnitude, at every recorded time); each group
    a list of 1-based numbers."""
    if not cols:
        return []
    v = df[cols].to_numpy(dtype=float)
    scale = float(np.nanmax(np.abs(v))) if v.size else 1.0
    tol = rel * (scale or 1.0)
    out: list[list[int]] = []
    for j in range(len(cols)):
        for g in out:
            if np.nanmax(np.abs(v[:, j] - v[:, g[0] - 1])) <= tol:
                g.append(j + 1)
                break
        else:
            out.append([j + 1])
    return out


def group_name(numbers: list[int], prefix: str = "SG") -> str:
    """``[2, 3, 4]`` -> ``"SG2-4"``; ``[1, 3]`` -> ``"SG1, SG3"``; ``[1]`` -> ``"SG1"``."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{prefix}{numbers[0]}-{numbers[-1]}"
    return ", ".join(f"{prefix}{n}" for n in numbers)


def _per_sg(
    ax: Any, t: Any, df: pd.DataFrame, pattern: str, f: float, what: str, **kw: Any
) -> None:
    """One line per group of steam generators that differ from the others (the broken one,
    the intact ones), one line for all where none differs."""
    cols = _sg_columns(df, pattern)
    if not cols:
        return
    grs = groups(df, cols)
    for g in grs:
        name = group_name(g) if len(grs) > 1 else f"all {len(cols)} SGs"
        ax.plot(t, df[cols[g[0] - 1]] * f, lw=1.2, label=f"{what} {name}".strip(), **kw)


def _events(events: list[dict[str, Any]]) -> list[tuple[float, str, str]]:
    """(time [s], label, class) of every event, equal labels at one time merged (×n)."""
    out: list[tuple[float, str, str]] = []
    count: dict[tuple[float, str], int] = {}
    for e in events:
        key = (round(float(e["time_s"]), 6), event_label(e))
        if key in count:
            count[key] += 1
            continue
        count[key] = 1
        out.append((float(e["time_s"]), key[1], classify_event(e)))
    return [
        (t, lab if count[(round(t, 6), lab)] == 1 else f"{lab} ×{count[(round(t, 6), lab)]}", c)
        for t, lab, c in out
    ]


def _draw(
    df: pd.DataFrame,
    events: list[dict[str, Any]],
    title: str,
    panels: list[Callable[[Any, Any, pd.DataFrame], None]],
    heights: list[float],
    rows: int,
) -> tuple[Any, Any, list[Any], int]:
    """The figure with an event strip of ``rows`` rows; returns (fig, strip, texts, rows
    needed)."""
    div, xlabel = _time_axis(df["time_s"])
    t = df["time_s"] / div
    strip_h = 0.25 + 0.17 * max(rows, 1)
    fig = plt.figure(figsize=(11.5, strip_h + sum(heights) + 0.6), layout="constrained")
    gs = fig.add_gridspec(len(panels) + 1, 1, height_ratios=[strip_h, *heights])
    strip = fig.add_subplot(gs[0])
    axes = [fig.add_subplot(gs[i + 1], sharex=strip) for i in range(len(panels))]
    for ax, panel in zip(axes, panels, strict=True):
        panel(ax, t, df)
        _legend(ax)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel(xlabel)
    t_end = float(t.iloc[-1]) if len(t) else 1.0
    t_end = t_end if t_end > 0 else 1.0
    # an event at the very end (a stop) would hide under the frame: leave a little room
    at_end = any(e["time_s"] / div > 0.99 * t_end for e in events)
    strip.set_xlim(0.0, t_end * (1.015 if at_end else 1.0))
    strip.set_ylim(0.0, max(rows, 1))
    strip.set_yticks([])
    strip.tick_params(labelbottom=False, bottom=False)
    strip.grid(False)
    for side in ("left", "right", "top"):
        strip.spines[side].set_visible(False)
    strip.set_title(title, loc="left", fontsize="medium")
    items = _events(events)
    texts = []
    for x_s, label, cls in items:
        color, ls = _STYLE[cls]
        x = x_s / div
        lw = 1.6 if cls == "stop" else 0.9
        for ax in axes:
            ax.axvline(x, color=color, ls=ls, lw=lw, alpha=0.8)
        strip.axvline(x, color=color, ls=ls, lw=lw, alpha=0.8)
        right = x > 0.7 * t_end
        texts.append(
            strip.text(
                x,
                0.1,
                f" {label} ",
                color=color,
                fontsize=7.5,
                ha="right" if right else "left",
                va="bottom",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
            )
        )
    needed = _stack(fig, texts)
    return fig, strip, texts, needed


def _stack(fig: Any, texts: list[Any]) -> int:
    """Put each label on the lowest row where it overlaps no other (greedy, in pixels); return
    the number of rows used."""
    if not texts:
        return 1
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    spans = [(t.get_window_extent(renderer), t) for t in texts]
    spans.sort(key=lambda s: s[0].x0)
    ends: list[float] = []
    for bb, text in spans:
        for r, end in enumerate(ends):
            if bb.x0 > end + 2.0:
                ends[r] = bb.x1
                break
        else:
            ends.append(bb.x1)
            r = len(ends) - 1
        text.set_y(r + 0.1)
    return len(ends)


def _figure(
    df: pd.DataFrame,
    events: list[dict[str, Any]],
    title: str,
    panels: list[Callable[[Any, Any, pd.DataFrame], None]],
    heights: list[float],
    path: Path,
) -> None:
    with plt.rc_context(_RC):
        rows = 1
        fig, _, _, needed = _draw(df, events, title, panels, heights, rows)
        if needed != rows:  # the strip grows to the rows the labels need; draw again
            plt.close(fig)
            fig, _, _, needed = _draw(df, events, title, panels, heights, needed)
        fig.savefig(path, dpi=100)
        plt.close(fig)


# -- the core model ------------------------------------------------------------------------------
def _core_power(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["power_thermal_w"] / 1e6, label="thermal")
    ax.plot(t, df["power_decay_w"] / 1e6, label="decay heat", ls=":")
    ax.set_ylabel("power [MW]")
    p = df["power_thermal_w"]
    if len(p) and p.min() > 0 and p.max() / p.min() > 100:
        ax.set_yscale("log")  # a trip: decay heat is two decades below full power
    else:
        _min_span(ax, max(1.0, 0.01 * float(p.abs().max()) / 1e6))


def _core_reactivity(ax: Any, t: Any, df: pd.DataFrame) -> None:
    for col, lab in [
        ("reactivity_total", "total (absolute)"),
        ("reactivity_doppler", "Doppler"),
        ("reactivity_moderator", "moderator"),
        ("reactivity_boron", "boron"),
        ("reactivity_rods", "rods"),
        ("reactivity_xenon", "xenon"),
        ("reactivity_samarium", "samarium"),
        ("reactivity_external", "external"),
    ]:
        if col in df:
            base = 0.0 if col == "reactivity_total" else df[col].iloc[0]
            ax.plot(t, (df[col] - base) * 1e5, label=lab, lw=1.2)
    ax.set_ylabel("reactivity change\n[pcm]")
    _min_span(ax, 10.0)


def _core_temperatures(ax: Any, t: Any, df: pd.DataFrame) -> None:
    for col, lab in [
        ("temp_fuel_max_k", "fuel centre, hot rod"),
        ("temp_fuel_avg_k", "fuel average"),
        ("temp_coolant_outlet_k", "coolant outlet"),
        ("temp_coolant_inlet_k", "coolant inlet"),
    ]:
        ax.plot(t, df[col] - 273.15, label=lab)
    ax.set_ylabel("temperature [°C]")
    _min_span(ax, 2.0)


def _core_pressure(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["pressure_primary_pa"] / 1e6, label="primary (boundary)")
    ax.set_ylabel("pressure [MPa]")
    _min_span(ax, 0.1)


def _core_xenon(ax: Any, t: Any, df: pd.DataFrame) -> None:
    x = df["xenon_number_density_per_m3"]
    ax.plot(t, x, label="Xe-135")
    ax.set_ylabel("Xe-135 [1/m³]")
    _min_span(ax, 0.01 * float(x.abs().max() or 1.0))


def _core_boron(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["boron_ppm"], color="tab:green", label="boron")
    ax.set_ylabel("boron [ppm]")
    _min_span(ax, 5.0)


def overview(df: pd.DataFrame, events: list[dict], title: str, path: Path) -> None:
    """The overview of a run (see the module docstring), saved as a PNG at ``path``.

    For a plant run (the plant network's columns present) :func:`plant_overview` is drawn.
    """
    if "pressure_steam_pa" in df and "level_pressurizer_m" in df:
        plant_overview(df, events, title, path)
        return
    panels = [_core_power, _core_reactivity, _core_temperatures]
    if "pressure_primary_pa" in df:
        panels.append(_core_pressure)
    panels += [_core_xenon, _core_boron]
    _figure(df, events, title, panels, [2.3] * len(panels), Path(path))


# -- the plant -----------------------------------------------------------------------------------
def _plant_power(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["power_thermal_w"] / 1e6, label="reactor thermal")
    ax.plot(t, df["power_sg_w"] / 1e6, label="to steam generators")
    ax.plot(t, df["power_electric_w"] / 1e6, label="electric (gross)")
    ax.plot(t, df["power_decay_w"] / 1e6, label="decay heat", ls=":")
    ax.set_ylabel("power [MW]")
    _min_span(ax, 10.0)


def _plant_coolant(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(
        t,
        df["temp_saturation_pzr_k"] - 273.15,
        color="k",
        ls="--",
        lw=1,
        label="saturation (pressurizer)",
    )
    ax.plot(t, df["temp_coolant_outlet_k"] - 273.15, label="core outlet")
    hot = [f"temp_hot_loop{i}_k" for i in range(1, 17) if f"temp_hot_loop{i}_k" in df]
    cold = [f"temp_cold_loop{i}_k" for i in range(1, 17) if f"temp_cold_loop{i}_k" in df]
    # loops alike (hot and cold legs) share a line; a loop that differs gets its own
    both = pd.DataFrame(
        {
            i: np.concatenate((df[h].to_numpy(), df[c].to_numpy()))
            for i, (h, c) in enumerate(zip(hot, cold, strict=True))
        }
    )
    grs = groups(both, list(both.columns))
    if len(grs) > 1:
        for g in grs:
            name = group_name(g, "loop ")
            line = ax.plot(t, df[hot[g[0] - 1]] - 273.15, lw=1, label=f"hot leg, {name}")[0]
            ax.plot(
                t,
                df[cold[g[0] - 1]] - 273.15,
                lw=1,
                ls="-.",
                color=line.get_color(),
                label=f"cold leg, {name}",
            )
    else:
        ax.plot(t, df["temp_hot_leg_k"] - 273.15, label="hot legs")
        ax.plot(t, df["temp_cold_leg_k"] - 273.15, label="cold legs")
    ax.plot(t, df["temp_coolant_inlet_k"] - 273.15, ls=":", label="core inlet")
    ax.set_ylabel("coolant [°C]")
    _min_span(ax, 2.0)


def _plant_fuel(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["temp_fuel_max_k"] - 273.15, color="tab:red", label="fuel centre, hot rod")
    ax.plot(t, df["temp_fuel_avg_k"] - 273.15, color="tab:brown", label="fuel average")
    ax.set_ylabel("fuel [°C]")
    _min_span(ax, 5.0)


def _plant_primary_pressure(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["pressure_primary_pa"] / 1e6, label="primary (pressurizer)")
    ax.set_ylabel("primary\npressure [MPa]")
    _min_span(ax, 0.1)


def _plant_steam_pressure(ax: Any, t: Any, df: pd.DataFrame) -> None:
    _per_sg(ax, t, df, "pressure_sg{}_pa", 1e-6, "")
    ax.plot(t, df["pressure_header_pa"] / 1e6, color="k", ls="--", lw=1, label="steam header")
    ax.set_ylabel("steam\npressure [MPa]")
    _min_span(ax, 0.1)


def _plant_levels(ax: Any, t: Any, df: pd.DataFrame) -> None:
    ax.plot(t, df["level_pressurizer_m"], color="k", label="pressurizer")
    if "level_sg1_m" in df:
        _per_sg(ax, t, df, "level_sg{}_m", 1.0, "level", ls="--")
    elif "temp_steam_k" in df:  # once-through steam generators: no level, superheated steam
        a2 = ax.twinx()
        a2.plot(t, df["temp_steam_k"] - 273.15, color="tab:red", ls="--", label="steam temperature")
        a2.set_ylabel("steam [°C] (dashed)", color="tab:red")
        _min_span(a2, 1.0)
    ax.set_ylabel("level [m]")
    _min_span(ax, 0.1)


def _plant_flows(ax: Any, t: Any, df: pd.DataFrame) -> None:
    loops = [f"flow_loop{i}_kg_s" for i in range(1, 17) if f"flow_loop{i}_kg_s" in df]
    grs = groups(df, loops)
    for g in grs:
        name = group_name(g, "loop ") if len(grs) > 1 else f"each loop (all {len(loops)})"
        ax.plot(t, df[loops[g[0] - 1]], lw=1.2, label=name)
    steam = _sg_columns(df, "flow_steam{}_kg_s")
    if sgs_differ(df, steam):
        for g in groups(df, steam):
            ax.plot(t, df[steam[g[0] - 1]], lw=1, ls=":", label=f"steam {group_name(g)}")
    else:
        ax.plot(t, df["flow_steam_kg_s"], color="k", ls=":", label="steam (all SGs)")
    if "flow_break_kg_s" in df and float(df["flow_break_kg_s"].abs().max()) > 0.0:
        ax.plot(t, df["flow_break_kg_s"], color="tab:red", lw=1.5, label="break")
    ax.plot(t, df["flow_feed_kg_s"], color="tab:gray", lw=1, label="feedwater")
    ax.set_ylabel("flow [kg/s]")
    _min_span(ax, 20.0)


def plant_overview(df: pd.DataFrame, events: list[dict], title: str, path: Path) -> None:
    """Plant overview: powers, coolant and fuel temperatures, primary and steam pressures,
    levels and flows, every event marked (see the module docstring)."""
    panels = [
        _plant_power,
        _plant_coolant,
        _plant_fuel,
        _plant_primary_pressure,
        _plant_steam_pressure,
        _plant_levels,
        _plant_flows,
    ]
    _figure(df, events, title, panels, [2.1] * len(panels), Path(path))

"""Static plots of run results (matplotlib, Agg backend: no screen needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd


def _time_axis(t_s: pd.Series) -> tuple[pd.Series, str]:
    """Choose a readable time unit for the x axis."""
    end = float(t_s.iloc[-1]) if len(t_s) else 0.0
    if end > 3 * 3600:
        return t_s / 3600.0, "time [h]"
    if end > 600:
        return t_s / 60.0, "time [min]"
    return t_s, "time [s]"


def overview(df: pd.DataFrame, events: list[dict], title: str, path: Path) -> None:
    """Four panels: power, reactivity components, temperatures, xenon; trips marked."""
    t, xlabel = _time_axis(df["time_s"])
    scale = float(t.iloc[-1]) / float(df["time_s"].iloc[-1]) if df["time_s"].iloc[-1] else 1.0
    fig, ax = plt.subplots(4, 1, figsize=(10, 12), sharex=True, constrained_layout=True)
    ax[0].plot(t, df["power_thermal_w"] / 1e6, label="thermal")
    ax[0].plot(t, df["power_decay_w"] / 1e6, label="decay heat")
    ax[0].set_ylabel("power [MW]")
    p = df["power_thermal_w"]
    if len(p) and p.min() > 0 and p.max() / p.min() > 100:
        ax[0].set_yscale("log")  # a trip: decay heat is two decades below full power
    ax[0].legend(loc="best")
    for col, lab in [
        ("reactivity_total", "total"),
        ("reactivity_doppler", "Doppler"),
        ("reactivity_moderator", "moderator"),
        ("reactivity_boron", "boron"),
        ("reactivity_rods", "rods"),
        ("reactivity_xenon", "xenon"),
        ("reactivity_samarium", "samarium"),
        ("reactivity_external", "external"),
    ]:
        if col in df:
            base = df[col].iloc[0]
            ax[1].plot(t, (df[col] - (0 if col == "reactivity_total" else base)) * 1e5, label=lab)
    ax[1].set_ylabel("reactivity change [pcm]\n(total: absolute)")
    ax[1].legend(loc="best", ncol=4, fontsize="small")
    for col, lab in [
        ("temp_fuel_avg_k", "fuel average"),
        ("temp_fuel_max_k", "fuel max (hot rod)"),
        ("temp_coolant_outlet_k", "coolant outlet"),
        ("temp_coolant_inlet_k", "coolant inlet"),
    ]:
        ax[2].plot(t, df[col] - 273.15, label=lab)
    ax[2].set_ylabel("temperature [°C]")
    ax[2].legend(loc="best", fontsize="small")
    ax[3].plot(t, df["xenon_number_density_per_m3"], label="Xe-135")
    ax[3].set_ylabel("Xe-135 [1/m³]")
    ax3b = ax[3].twinx()
    ax3b.plot(t, df["boron_ppm"], color="tab:green", label="boron")
    ax3b.set_ylabel("boron [ppm]", color="tab:green")
    ax[3].set_xlabel(xlabel)
    for e in events:
        if e["kind"] in ("trip", "solver_failure"):
            for a in ax:
                a.axvline(e["time_s"] * scale, color="red", ls="--", lw=1)
            ax[0].annotate(
                f"{e['kind']}: {e['name']}",
                (e["time_s"] * scale, 0),
                xycoords=("data", "axes fraction"),
                color="red",
                rotation=90,
                va="bottom",
                ha="right",
                fontsize="small",
            )
    for a in ax:
        a.grid(alpha=0.3)
    fig.suptitle(title)
    fig.savefig(path, dpi=110)
    plt.close(fig)

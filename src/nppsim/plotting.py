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
    """Four panels: power, reactivity components, temperatures, xenon; trips marked.

    For a plant run (the plant network's columns present) the plant overview
    :func:`plant_overview` is drawn instead.
    """
    if "pressure_steam_pa" in df and "level_pressurizer_m" in df:
        plant_overview(df, events, title, path)
        return
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


def plant_overview(df: pd.DataFrame, events: list[dict], title: str, path: Path) -> None:
    """Plant overview: powers, temperatures, pressures, levels, flows; trips marked in red,
    fast power reductions in orange."""
    t, xlabel = _time_axis(df["time_s"])
    scale = float(t.iloc[-1]) / float(df["time_s"].iloc[-1]) if df["time_s"].iloc[-1] else 1.0
    fig, ax = plt.subplots(5, 1, figsize=(10, 15), sharex=True, constrained_layout=True)
    ax[0].plot(t, df["power_thermal_w"] / 1e6, label="reactor thermal")
    ax[0].plot(t, df["power_sg_w"] / 1e6, label="to steam generators")
    ax[0].plot(t, df["power_electric_w"] / 1e6, label="electric (gross)")
    ax[0].plot(t, df["power_decay_w"] / 1e6, label="decay heat", ls=":")
    ax[0].set_ylabel("power [MW]")
    ax[0].legend(loc="best", fontsize="small")
    for col, lab in [
        ("temp_coolant_outlet_k", "core outlet"),
        ("temp_hot_leg_k", "hot legs"),
        ("temp_coolant_inlet_k", "core inlet"),
        ("temp_saturation_pzr_k", "saturation (pressurizer)"),
    ]:
        ax[1].plot(t, df[col] - 273.15, label=lab)
    ax[1].set_ylabel("coolant [°C]")
    ax[1].legend(loc="upper left", fontsize="small")
    a1 = ax[1].twinx()
    a1.plot(t, df["temp_fuel_max_k"] - 273.15, color="k", ls=":", label="fuel max (hot rod)")
    a1.set_ylabel("fuel max [°C] (dotted)")
    a1.legend(loc="upper right", fontsize="small")
    ax[2].plot(t, df["pressure_primary_pa"] / 1e6, label="primary (pressurizer)")
    ax[2].set_ylabel("primary [MPa]")
    a2 = ax[2].twinx()
    a2.plot(t, df["pressure_steam_pa"] / 1e6, color="tab:red", label="steam (SG mean)")
    a2.plot(t, df["pressure_header_pa"] / 1e6, color="tab:orange", ls="--", label="header")
    a2.set_ylabel("steam [MPa]", color="tab:red")
    ax[2].legend(loc="upper left", fontsize="small")
    a2.legend(loc="upper right", fontsize="small")
    ax[3].plot(t, df["level_pressurizer_m"], label="pressurizer")
    ax[3].set_ylabel("pressurizer level [m]")
    a3 = ax[3].twinx()
    levels = [f"level_sg{i}_m" for i in range(1, 9) if f"level_sg{i}_m" in df]
    for col in levels:
        a3.plot(t, df[col], ls="--", lw=1, label=f"SG{col[8:-2]}")
    if levels:
        a3.set_ylabel("SG level [m] (dashed)")
    elif "temp_steam_k" in df:  # once-through steam generators: no level, superheated steam
        a3.plot(t, df["temp_steam_k"] - 273.15, ls="--", lw=1, color="tab:red", label="steam")
        a3.set_ylabel("steam temperature [°C] (dashed)")
    a3.legend(loc="upper right", fontsize="small", ncol=4)
    for i in range(1, 9):
        col = f"flow_loop{i}_kg_s"
        if col in df:
            ax[4].plot(t, df[col], label=f"loop {i}")
    ax[4].plot(t, df["flow_steam_kg_s"], color="k", ls=":", label="steam (all SGs)")
    ax[4].set_ylabel("flow [kg/s]")
    ax[4].legend(loc="best", fontsize="small", ncol=3)
    ax[4].set_xlabel(xlabel)
    for e in events:
        color = {"trip": "red", "solver_failure": "red", "fast_power_reduction": "orange"}.get(
            e["kind"]
        )
        if color is None:
            continue
        for a in ax:
            a.axvline(e["time_s"] * scale, color=color, ls="--", lw=1)
        ax[0].annotate(
            f"{e['kind']}: {e['name']}",
            (e["time_s"] * scale, 0),
            xycoords=("data", "axes fraction"),
            color=color,
            rotation=90,
            va="bottom",
            ha="right",
            fontsize="small",
        )
    for a in ax:
        a.grid(True, alpha=0.3)
    ax[0].set_title(title)
    fig.savefig(path, dpi=100)
    plt.close(fig)

"""Figures of the built-in plant scenarios for their pages (docs/scenarios/<name>.md).

    python docs/scenarios/figures.py [name ...]

writes ``docs/img/scenarios/<name>.png``: four panels over the run (powers; pressures; the
steam-generator levels as the plant measures them, the water and the mixture; a panel chosen for
the scenario), events marked. Without names: the scenarios listed in FIGURES.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nppsim import results  # noqa: E402
from nppsim.scenarios import load_scenario  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "img" / "scenarios"

#: the fourth panel of each scenario: (title, [(column, label, scale)])
FOURTH = {
    "turbine-trip": ("Turbine shaft", [("turbine_speed", "speed [1]", 1.0)]),
    "turbine-trip-partial": (
        "Steam dump and feedwater",
        [("flow_bru_k_kg_s", "BRU-K [t/h]", 3.6), ("temp_feedwater_k", "feedwater [K]", 1.0)],
    ),
    "load-rejection": ("Turbine shaft", [("turbine_speed", "speed [1]", 1.0)]),
    "rcp-trip-one": (
        "Loop flows [kg/s]",
        [("flow_loop1_kg_s", "loop 1", 1.0), ("flow_loop2_kg_s", "loop 2", 1.0)],
    ),
    "rcp-start": (
        "Loop flows [kg/s]",
        [("flow_loop4_kg_s", "loop 4", 1.0), ("flow_loop1_kg_s", "loop 1", 1.0)],
    ),
    "rod-drop": (
        "Regulating groups",
        [("bank_position_G10_frac", "G10", 1.0), ("bank_position_G9_frac", "G9", 1.0)],
    ),
    "feedwater-loss": (
        "Feedwater [kg/s]",
        [("flow_feed_main_kg_s", "main", 1.0), ("flow_emergency_feed_kg_s", "emergency", 1.0)],
    ),
    "feedwater-pump-trip-one": (
        "Feedwater and steam [kg/s]",
        [("flow_feed_kg_s", "feed", 1.0), ("flow_steam_kg_s", "steam", 1.0)],
    ),
    "load-follow": (
        "Boron [ppm] and groups [%]",
        [("boron_ppm", "boron", 1.0), ("bank_position_frac", "groups x 1000", 1000.0)],
    ),
}
FIGURES = list(FOURTH)


def figure(name: str) -> Path:
    r = results.run(load_scenario(name))
    df = r.timeseries
    long = df["time_s"].iloc[-1] > 7200
    t = df["time_s"] / (3600.0 if long else 1.0)
    unit = "h" if long else "s"
    fig, ax = plt.subplots(2, 2, figsize=(11, 7), sharex=True)
    a = ax[0, 0]
    a.plot(t, df["power_thermal_w"] / 30e6, label="thermal")
    a.plot(t, df["power_electric_w"] / 10e6, label="electric")
    if "power_allowed" in df:
        a.plot(t, 100 * df["power_allowed"].clip(upper=1.05), "--", label="allowed (ROM)")
    a.set_title("Power [% of rated]")
    a.legend(fontsize=8)
    a = ax[0, 1]
    a.plot(t, df["pressure_primary_pa"] / 1e6 - 9.0, label="primary - 9 MPa")
    a.plot(t, df["pressure_steam_pa"] / 1e6, label="steam generators")
    a.plot(t, df["pressure_header_pa"] / 1e6, label="header")
    a.set_title("Pressure [MPa]")
    a.legend(fontsize=8)
    a = ax[1, 0]
    a.plot(t, df["level_sg1_measured_m"], label="SG1 measured")
    a.plot(t, df["level_sg1_m"], label="SG1 water (collapsed)")
    a.plot(t, df["level_sg1_mixture_m"], ":", label="SG1 mixture")
    a.plot(t, df["level_pressurizer_m"] - 5.0, label="pressurizer - 5 m")
    a.set_title("Levels [m]")
    a.legend(fontsize=8)
    title, cols = FOURTH.get(name, ("Steam dump [t/h]", [("flow_bru_k_kg_s", "BRU-K", 3.6)]))
    a = ax[1, 1]
    for col, label, scale in cols:
        a.plot(t, df[col] * scale, label=label)
    a.set_title(title)
    a.legend(fontsize=8)
    for a in ax.flat:
        for e in r.events:
            if e["kind"] in ("trip", "urb"):
                a.axvline(e["time_s"] / (3600.0 if long else 1.0), color="r", lw=0.6, alpha=0.6)
        a.grid(alpha=0.3)
    for a in ax[1]:
        a.set_xlabel(f"time [{unit}]")
    fig.suptitle(f"{name}: {r.scenario.scenario.title}", fontsize=10)
    fig.tight_layout()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


if __name__ == "__main__":
    for n in sys.argv[1:] or FIGURES:
        print(figure(n))

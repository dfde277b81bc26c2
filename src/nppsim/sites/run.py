"""Running a site: every unit on one clock, site-wide events, results per unit and site totals.

Each unit is its own :class:`~nppsim.engine.simulation.Simulation` (its design, its steady state
at the scenario's initial power); the runner advances all of them to the same times (the site
events' times, and every ``sync`` seconds for progress) and applies each site event to the units
it concerns at its time, through the units' own actions (so a grid demand shared by the units
can depend on which of them are still on line). Results are interpolated onto one time grid
(the union of the units' recorded times) for the site totals.
"""

from __future__ import annotations

import json
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nppsim.errors import InputError, SolverError
from nppsim.sites import Site, SiteEvent, SiteScenario

#: columns summed over the units for the site rows (extensive quantities: powers and flows)
SUMMED_PREFIXES = ("power_", "flow_")
#: per-unit quantities shown in the site plot
PLOT_COLUMNS = (
    "power_electric_w",
    "power_thermal_w",
    "pressure_primary_pa",
    "temp_coolant_outlet_k",
)


@dataclass
class UnitRun:
    """One unit of a site run."""

    name: str
    design: Any
    scenario: Any
    model: Any
    sim: Any
    status: str = "completed"
    message: str = ""
    extra_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rated(self) -> float:
        """Rated gross electric power [W]."""
        return float(self.design.rating.power_electric_gross.si)

    def online(self) -> bool:
        """Whether the unit is generating: running, reactor not tripped, turbine on the grid."""
        if self.status != "completed":
            return False
        m, d = self.model, self.sim.d
        net = m.net
        if m.protection.is_tripped(net, d) or m.turbine_tripped(d):
            return False
        return bool(
            d[net.d_index("electric.grid")] > 0.5 and d[net.d_index("electric.offsite")] > 0.5
        )


@dataclass
class SiteResult:
    """What a site run produced."""

    site: Site
    scenario: SiteScenario
    units: list[UnitRun]
    frame: pd.DataFrame  # long form: time_s, unit, SI columns
    wall_s: float
    events: list[dict[str, Any]]

    @property
    def status(self) -> str:
        bad = [u for u in self.units if u.status != "completed"]
        return "completed" if not bad else "failed"

    def totals(self) -> pd.DataFrame:
        """The site rows (``unit == "site"``), indexed by time."""
        return self.frame[self.frame["unit"] == "site"].set_index("time_s")

    def unit_frame(self, name: str) -> pd.DataFrame:
        return self.frame[self.frame["unit"] == name].set_index("time_s")


def _unit_scenario(site: Site, sc: SiteScenario, unit_name: str, design: str) -> Any:
    from nppsim.scenarios import parse_scenario

    data = {
        "scenario": {
            "name": sc.name,
            "title": f"{sc.title} ({unit_name})",
            "description": sc.description,
            "design": design,
            "model": "plant",
            "duration": sc.raw.get("scenario", {}).get("duration", f"{sc.duration} s"),
        },
        "initial": dict(sc.initial),
    }
    return parse_scenario(data, sc.path or None)


def _unit_actions(ev: SiteEvent, site: Site, units: list[UnitRun], file: str | None) -> list:
    """The (unit, action) pairs of a site event at its time."""
    from nppsim.actions import parse_action

    def named(refs: Any) -> list[UnitRun]:
        if refs == "all":
            return list(units)
        out = []
        for r in refs:
            u = site.unit(r, file, "units")
            out.append(next(x for x in units if x.name == u.name))
        return out

    if ev.kind == "loss_of_offsite_power":
        return [(u, parse_action({"kind": "loss_of_offsite_power"})) for u in named(ev.units)]
    if ev.kind == "unit_trip":
        u = site.unit(ev.unit, file)  # type: ignore[arg-type]
        run = next(x for x in units if x.name == u.name)
        kind = "scram" if ev.how == "reactor" else "turbine_trip"
        return [(run, parse_action({"kind": kind, "name": f"{kind} ({u.name})"}))]
    if ev.kind == "unit_action":
        return [(u, parse_action(dict(ev.action or {}))) for u in named(ev.units)]
    # grid_demand: shared by the units on line, in proportion to their ratings
    online = [u for u in named(ev.units) if u.online()]
    if not online:
        return []
    total_rated = sum(u.rated for u in named(ev.units))
    demand = ev.demand if ev.demand_watts else (ev.demand or 0.0) * total_rated
    frac = min(float(demand) / sum(u.rated for u in online), 1.0)
    rate = ev.rate or 0.01 / 60.0
    return [
        (u, parse_action({"kind": "turbine_load", "target": frac, "rate": rate}, si=True))
        for u in online
    ]


def run_site(
    site: Site,
    scenario: SiteScenario,
    *,
    sync: float | None = None,
    progress: Callable[[float], None] | None = None,
    rtol: float = 1e-6,
) -> SiteResult:
    """Run every unit of ``site`` through ``scenario`` on one clock (see the module docstring).

    A unit whose integrator fails stops there (its results kept, its status ``failed``); the
    others go on.
    """
    from nppsim.designs import load_design
    from nppsim.engine.run import RunSpec, SolverOptions, build

    t0 = _time.perf_counter()
    units: list[UnitRun] = []
    for u in site.units:
        sc = _unit_scenario(site, scenario, u.name, u.design)
        design = load_design(u.design)
        model, sim = build(RunSpec(scenario=sc, design=design, solver=SolverOptions(rtol=rtol)))
        units.append(UnitRun(u.name, design, sc, model, sim))
    # check every event's actions against every unit's design before running
    file = scenario.path or None
    for i, ev in enumerate(scenario.events):
        if ev.kind == "grid_demand":
            continue
        for run, action in _unit_actions(ev, site, units, file):
            from nppsim.plant.model import DesignView

            action.check(DesignView(run.design, "plant"), f"events[{i}].", file)
    dur = scenario.duration
    step = sync if sync is not None else max(dur / 100.0, 1.0)
    stops = set(np.arange(step, dur, step).tolist()) | {ev.time for ev in scenario.events} | {dur}
    log: list[dict[str, Any]] = []
    pending = sorted(scenario.events, key=lambda e: e.time)
    for t in sorted(stops):
        for u in units:
            if u.status != "completed":
                continue
            try:
                u.sim.advance(t)
            except SolverError as e:
                u.status, u.message = "failed", str(e)
                u.extra_events.append({"time_s": u.sim.t, "kind": "solver_failure", "name": str(e)})
        while pending and pending[0].time <= t + 1e-9:
            ev = pending.pop(0)
            pairs = _unit_actions(ev, site, units, file)
            log.append(
                {
                    "time_s": t,
                    "kind": ev.kind,
                    "units": [u.name for u, _ in pairs],
                    "detail": ", ".join(f"{u.name}: {a.kind}" for u, a in pairs),
                }
            )
            for u, action in pairs:
                if u.status == "completed":
                    u.sim.submit(action)
        if progress is not None:
            progress(t)
    frame = _long_frame(units)
    return SiteResult(site, scenario, units, frame, _time.perf_counter() - t0, log)


def _long_frame(units: list[UnitRun]) -> pd.DataFrame:
    """Per-unit results on one time grid, in long form, with the site totals."""
    frames = {}
    for u in units:
        df = u.sim.results()
        df = df.drop_duplicates(subset="time_s", keep="last").sort_values("time_s")
        house = float(u.model.data.ps.turbine.house_load.si) * u.rated
        df["power_electric_net_w"] = df["power_electric_w"] - house
        frames[u.name] = df
    grid = np.unique(np.concatenate([f["time_s"].to_numpy() for f in frames.values()]))
    cols: list[str] = []
    for f in frames.values():
        cols += [c for c in f.columns if c != "time_s" and c not in cols]
    parts = []
    for name, f in frames.items():
        t = f["time_s"].to_numpy()
        data = {"time_s": grid, "unit": name}
        for c in cols:
            if c in f:
                v = f[c].to_numpy(dtype=float)
                # a unit that stopped early has no values after its end
                out = np.interp(grid, t, v)
                out[grid > t[-1] + 1e-9] = np.nan
                data[c] = out
            else:
                data[c] = np.full(grid.size, np.nan)
        parts.append(pd.DataFrame(data))
    site = {"time_s": grid, "unit": "site"}
    for c in cols:
        if c.startswith(SUMMED_PREFIXES):
            vals = np.vstack([p[c].to_numpy() for p in parts])
            site[c] = np.where(np.all(np.isnan(vals), axis=0), np.nan, np.nansum(vals, axis=0))
        else:
            site[c] = np.full(grid.size, np.nan)
    parts.append(pd.DataFrame(site))
    out = pd.concat(parts, ignore_index=True)
    out["unit"] = out["unit"].astype("string")
    return out


def write_site(result: SiteResult, out: Path) -> dict[str, Path]:
    """Write ``site.parquet``, ``site.json``, ``site.png`` and each unit's folder."""
    from nppsim import __version__
    from nppsim.engine.run import RunResult
    from nppsim.results import write

    out.mkdir(parents=True, exist_ok=True)
    paths = {"site": out / "site.parquet", "meta": out / "site.json", "plot": out / "site.png"}
    result.frame.to_parquet(paths["site"], index=False)
    for u in result.units:
        res = RunResult(
            scenario=u.scenario,
            design=u.design,
            timeseries=u.sim.results(),
            events=list(u.sim.log) + u.extra_events,
            status=u.status,
            message=u.message,
            stats=u.sim.integ.stats(),
        )
        write(res, out / u.name)
    meta = {
        "nppsim_version": __version__,
        "site": result.site.name,
        "site_file": result.site.path,
        "scenario": result.scenario.name,
        "scenario_file": result.scenario.path,
        "status": result.status,
        "wall_time_s": result.wall_s,
        "site_events": result.events,
        "units": {
            u.name: {
                "design": u.design.name,
                "status": u.status,
                "message": u.message,
                "events": list(u.sim.log) + u.extra_events,
            }
            for u in result.units
        },
    }
    paths["meta"].write_text(json.dumps(meta, indent=2, default=str))
    site_plot(result, paths["plot"])
    return paths


def site_plot(result: SiteResult, path: Path) -> None:
    """Site overview: electric output per unit and in all, thermal power, primary pressure and
    core outlet temperature per unit; site events marked."""
    from nppsim.plotting import _time_axis, plt

    fr = result.frame
    tot = result.totals()
    t_all = pd.Series(tot.index.to_numpy())
    div, xlabel = _time_axis(t_all)  # the time unit's divisor [s]
    scale = 1.0 / div
    t = t_all * scale
    fig, ax = plt.subplots(4, 1, figsize=(10, 13), sharex=True, constrained_layout=True)
    for u in result.units:
        f = fr[fr["unit"] == u.name]
        tt = f["time_s"].to_numpy() * scale
        ax[0].plot(tt, f["power_electric_w"] / 1e6, lw=1, label=u.name)
        ax[1].plot(tt, f["power_thermal_w"] / 1e6, lw=1, label=u.name)
        ax[2].plot(tt, f["pressure_primary_pa"] / 1e6, lw=1, label=u.name)
        ax[3].plot(tt, f["temp_coolant_outlet_k"] - 273.15, lw=1, label=u.name)
    ax[0].plot(t, tot["power_electric_w"].to_numpy() / 1e6, "k", lw=2, label="site (gross)")
    ax[0].plot(t, tot["power_electric_net_w"].to_numpy() / 1e6, "k--", lw=1.5, label="site (net)")
    ax[0].set_ylabel("electric [MW]")
    ax[1].plot(t, tot["power_thermal_w"].to_numpy() / 1e6, "k", lw=2, label="site")
    p = tot["power_thermal_w"].to_numpy()
    if len(p) and np.nanmin(p) > 0 and np.nanmax(p) / np.nanmin(p) > 100:
        ax[1].set_yscale("log")
    ax[1].set_ylabel("thermal [MW]")
    ax[2].set_ylabel("primary pressure [MPa]")
    ax[3].set_ylabel("core outlet [°C]")
    ax[3].set_xlabel(xlabel)
    for a in ax:
        a.grid(True, alpha=0.3)
        a.legend(loc="best", fontsize="small", ncol=3)
    for e in result.events:
        for a in ax:
            a.axvline(e["time_s"] * scale, color="red", ls="--", lw=1)
        ax[0].annotate(
            e["kind"],
            (e["time_s"] * scale, 0),
            xycoords=("data", "axes fraction"),
            color="red",
            rotation=90,
            va="bottom",
            ha="right",
            fontsize="small",
        )
    ax[0].set_title(f"{result.site.site.title}: {result.scenario.title}")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def check_site_scenario(site: Site, scenario: SiteScenario) -> None:
    """Refuse events naming units the site does not have (before building anything)."""
    file = scenario.path or None
    for i, ev in enumerate(scenario.events):
        if ev.unit is not None:
            site.unit(ev.unit, file, f"events[{i}].unit")
        if ev.units != "all":
            for r in ev.units:
                site.unit(r, file, f"events[{i}].units")
    if not site.units:
        raise InputError(site.path or None, "units", [], "a site needs units")

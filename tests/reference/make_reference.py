"""Record reference results of every built-in scenario: the course the rebuilt plant must keep.

Run from the repository root::

    python tests/reference/make_reference.py                 # every built-in scenario
    python tests/reference/make_reference.py turbine-trip    # some of them
    python tests/reference/make_reference.py --jobs 2        # runs in parallel processes

For each scenario it writes ``tests/reference/scenarios/<name>.json`` with

- the scenario, the git commit and commit date of the code it was made from (and whether ``src/``
  had uncommitted changes), the run's status and duration;
- the event log (kind, name, time) with a time tolerance per event;
- for each chosen quantity (:func:`quantities_for`) its values at chosen times
  (:func:`choose_times`), its maximum and minimum over the run with their times, and a tolerance
  (:data:`TOLERANCES`);
- the numerical noise: the largest difference of each pinned value, extremum and event time
  between the run at the default solver settings (``rtol = 1e-6``, the layout's ``atol``) and a
  run with both tolerances tightened a hundredfold. A tolerance is meaningful when it stands well
  above that noise (the JSON states the margin) and well below a physical change.

Values between recorded rows are interpolated **linearly in time** (:func:`value_at`, numpy
``interp``). Recorded rows are the integrator's accepted steps; a discontinuity (a scheduled event,
a trip, a bank or ramp reaching its end) appears as two rows at the same time. Pinned times keep
clear of discontinuities (never in the :data:`CLEAR_AFTER` seconds after one, nor exactly at one),
where the value on a straight line between sparse steps would be ill-conditioned.

The test ``tests/scenarios/test_reference_results.py`` reads these files and holds the current run
of each scenario to them. Re-make a reference only for a deliberate change, and say why in the
commit; prefer an entry in that test's ``CHANGES`` table, which keeps the old value visible.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT_DIR = HERE / "scenarios"

DEFAULT_RTOL = 1e-6  # the Simulation's default relative tolerance
NOISE_RTOL = 1e-8  # the tightened run that estimates the numerical noise of the default run
NOISE_ATOL_SCALE = 1e-2  # the layout's absolute tolerances are tightened by the same factor

CLEAR_AFTER = 1.0  # [s] no pinned time in this interval after a discontinuity
CLEAR_BEFORE = 0.01  # [s] nor this close before one

# -- design values the tolerances are scaled on (vver1000-v446 at its full-power steady state,
#    the design of every built-in scenario; see tests/reference/scenarios/steady-state.json t = 0)
P_THERMAL = 3000e6  # [W] rated thermal power
P_ELECTRIC = 1000e6  # [W] rated gross electric power
W_VESSEL = 17_637.0  # [kg/s] reactor vessel flow, four pumps
W_LOOP = 4_409.0  # [kg/s] one loop
W_STEAM = 1_644.0  # [kg/s] steam flow at full power (rated 5880 t/h)
OMEGA_PUMP = 103.7  # [rad/s] reactor coolant pump speed
XE_EQ = 2.246e21  # [1/m3] equilibrium xenon at full power
I_EQ = 7.575e21  # [1/m3] equilibrium iodine at full power
SM_EQ = 3.193e22  # [1/m3] equilibrium samarium at full power

#: Tolerances: (pattern of quantity names, absolute tolerance [SI], unit, reason). The first
#: matching pattern applies. Measured noise (JSON "noise") is far below each of these: typically by
#: a factor 10 to 1000; the smallest margins are written in each file's "noise" section.
TOLERANCES: list[tuple[str, float, str, str]] = [
    (
        r"power_decay_w",
        0.0005 * P_THERMAL,
        "W",
        "0.05 % of rated thermal power (1.5 MW): decay heat is a few % of rated, so 0.3 % of "
        "rated would hide a 10 % change of it; noise is below 0.01 MW",
    ),
    (
        r"power_electric_w",
        0.003 * P_ELECTRIC,
        "W",
        "0.3 % of rated gross electric power (3 MW)",
    ),
    (
        r"power_\w+_w",
        0.003 * P_THERMAL,
        "W",
        "0.3 % of rated thermal power (9 MW); a physical change (a feedback coefficient, a "
        "controller gain, a trip setpoint) moves power by percents",
    ),
    (r"power_relative", 0.003, "1", "0.3 % of rated power"),
    (
        r"temp_fuel_\w+_k",
        1.0,
        "K",
        "1 K: fuel temperatures sit 400-1000 K above the coolant and move ten times faster than "
        "coolant temperatures; a change in gap or fuel conductance moves them by tens of K",
    ),
    (
        r"temp_\w+_k|subcooling_margin_k",
        0.3,
        "K",
        "0.3 K: coolant and cladding temperatures; a physical change (heat transfer, mixing, "
        "feedback) moves them by kelvins",
    ),
    (
        r"pressure_\w+_pa",
        0.02e6,
        "Pa",
        "0.02 MPa: pressurizer and steam pressures move by MPa in these transients; valve and "
        "trip setpoints are 0.1-0.5 MPa apart",
    ),
    (
        r"level_\w+_m",
        0.015,
        "m",
        "1.5 cm of level (pressurizer: 0.2 % of its height; SG: trips are 30 cm below nominal)",
    ),
    (r"flow_(vessel|core)_kg_s", 0.005 * W_VESSEL, "kg/s", "0.5 % of nominal vessel flow"),
    (r"flow_loop\d+_kg_s", 0.005 * W_LOOP, "kg/s", "0.5 % of nominal loop flow"),
    (
        r"flow_(steam|feed|feed_main|emergency_feed|turbine|bru_k|bru_a|sg_safety|break)_kg_s",
        0.005 * W_STEAM,
        "kg/s",
        "0.5 % of full-power steam flow (8.2 kg/s); also for valve, break and feed flows",
    ),
    (
        r"flow_(spray|pzr_relief|makeup|letdown)_kg_s",
        0.5,
        "kg/s",
        "0.5 kg/s: pressurizer spray/relief and make-up/let-down are small flows (8 kg/s nominal)",
    ),
    (r"speed_pump\d+_rad_s", 0.005 * OMEGA_PUMP, "rad/s", "0.5 % of rated pump speed"),
    (r"boron_ppm", 1.0, "ppm", "1 ppm of boron (about 9 pcm)"),
    (
        r"bank_position\w*_frac",
        0.005,
        "1",
        "0.5 % of bank travel (a few pcm near the bank's middle)",
    ),
    (
        r"reactivity_\w+",
        5e-5,
        "1",
        "5 pcm: the power defect is about 15 pcm per % of power, so 0.3 % of power",
    ),
    (r"xenon_number_density_per_m3", 0.002 * XE_EQ, "1/m3", "0.2 % of equilibrium xenon (5 pcm)"),
    (r"iodine_number_density_per_m3", 0.002 * I_EQ, "1/m3", "0.2 % of equilibrium iodine"),
    (r"samarium_number_density_per_m3", 0.002 * SM_EQ, "1/m3", "0.2 % of equilibrium samarium"),
    (r"turbine_valve_frac", 0.005, "1", "0.5 % of turbine valve travel"),
    (
        r"turbine_speed",
        0.002,
        "1",
        "0.2 % of synchronous speed (6 rpm): the droop moves it by 4.5 % per unit load, an "
        "overspeed by several %",
    ),
]

EVENT_TIME_TOL_ABS = 0.5  # [s]
EVENT_TIME_TOL_REL = 0.01  # of the time since the first scheduled event


def event_time_tol(t: float, t_start: float) -> float:
    """Tolerance of an event time [s]: max(0.5 s, 1 % of the time since the transient began)."""
    return max(EVENT_TIME_TOL_ABS, EVENT_TIME_TOL_REL * max(t - t_start, 0.0))


def tolerance_of(quantity: str) -> tuple[float, str, str]:
    """(tolerance [SI], unit, reason) of a recorded quantity (:data:`TOLERANCES`)."""
    for pattern, tol, unit, reason in TOLERANCES:
        if re.fullmatch(pattern, quantity):
            return tol, unit, reason
    raise KeyError(f"no tolerance for {quantity!r}: add a pattern to TOLERANCES")


# -- what is pinned ------------------------------------------------------------------------------
PLANT_QUANTITIES = [
    "power_thermal_w",
    "power_electric_w",
    "temp_coolant_inlet_k",
    "temp_coolant_outlet_k",
    "temp_hot_leg_k",
    "temp_fuel_max_k",
    "pressure_primary_pa",
    "pressure_steam_pa",
    "pressure_header_pa",
    "level_pressurizer_m",
    "level_sg1_m",
    "flow_vessel_kg_s",
    "flow_loop1_kg_s",
    "flow_steam_kg_s",
    "boron_ppm",
    "bank_position_frac",
    "reactivity_total",
    "xenon_number_density_per_m3",
]
CORE_QUANTITIES = [
    "power_thermal_w",
    "power_decay_w",
    "power_relative",
    "reactivity_total",
    "reactivity_doppler",
    "reactivity_moderator",
    "reactivity_boron",
    "reactivity_rods",
    "reactivity_xenon",
    "temp_fuel_avg_k",
    "temp_fuel_max_k",
    "temp_clad_avg_k",
    "temp_coolant_inlet_k",
    "temp_coolant_outlet_k",
    "temp_coolant_avg_k",
    "pressure_primary_pa",
    "flow_core_kg_s",
    "boron_ppm",
    "bank_position_frac",
    "xenon_number_density_per_m3",
    "iodine_number_density_per_m3",
]
#: What else matters for a scenario (besides its model's list above).
EXTRA_QUANTITIES: dict[str, list[str]] = {
    "scram": ["reactivity_samarium", "samarium_number_density_per_m3"],
    "xenon-transient": ["bank_position_G10_frac", "bank_position_G9_frac"],
    "rod-withdrawal": ["bank_position_G10_frac", "bank_position_G9_frac"],
    "steady-state": ["power_decay_w", "flow_feed_kg_s", "subcooling_margin_k"],
    "load-follow": [
        "reactivity_xenon",
        "reactivity_boron",
        "flow_feed_kg_s",
        "turbine_valve_frac",
    ],
    "natural-circulation": ["power_decay_w", "flow_feed_kg_s", "temp_steam_k"],
    "power-manoeuvre": ["temp_steam_k", "flow_feed_kg_s", "turbine_valve_frac"],
    "station-blackout-24h": [
        "power_decay_w",
        "power_phrs_w",
        "flow_bru_a_kg_s",
        "flow_sg_safety_kg_s",
        "subcooling_margin_k",
    ],
    "turbine-trip": [
        "power_decay_w",
        "flow_bru_k_kg_s",
        "flow_bru_a_kg_s",
        "flow_sg_safety_kg_s",
        "flow_feed_kg_s",
        "turbine_speed",
        "level_sg1_measured_m",
        "temp_feedwater_k",
    ],
    "load-rejection": [
        "flow_bru_k_kg_s",
        "flow_bru_a_kg_s",
        "flow_sg_safety_kg_s",
        "flow_turbine_kg_s",
        "turbine_valve_frac",
        "turbine_speed",
        "bank_position_G7_frac",
    ],
    "rcp-trip-one": [
        "flow_loop2_kg_s",
        "speed_pump1_rad_s",
        "speed_pump2_rad_s",
        "level_sg2_m",
        "bank_position_G7_frac",
    ],
    "rcp-start": ["flow_loop2_kg_s", "flow_loop4_kg_s", "speed_pump4_rad_s", "level_sg4_m"],
    "rcp-trip-all": [
        "power_decay_w",
        "speed_pump1_rad_s",
        "speed_pump4_rad_s",
        "flow_loop4_kg_s",
        "flow_bru_k_kg_s",
        "subcooling_margin_k",
    ],
    "rod-drop": [
        "reactivity_external",
        "reactivity_rods",
        "power_electric_w",
        "bank_position_G10_frac",
        "bank_position_G9_frac",
    ],
    # the secondary side of issue 8: shaft, measured levels, heaters, URB, emergency feed
    "turbine-trip-partial": [
        "power_relative",
        "flow_bru_k_kg_s",
        "turbine_speed",
        "level_sg1_measured_m",
        "temp_feedwater_k",
        "bank_position_G7_frac",
    ],
    "feedwater-pump-trip-one": [
        "power_relative",
        "level_sg1_measured_m",
        "flow_feed_main_kg_s",
        "bank_position_G7_frac",
        "bank_position_G10_frac",
    ],
    "boron-dilution": ["reactivity_boron", "power_decay_w", "flow_bru_k_kg_s"],
    "feedwater-loss": [
        "level_sg2_m",
        "level_sg3_m",
        "level_sg4_m",
        "flow_feed_kg_s",
        "flow_bru_k_kg_s",
        "flow_bru_a_kg_s",
        "power_decay_w",
        "level_sg1_measured_m",
        "flow_emergency_feed_kg_s",
    ],
    "station-blackout": [
        "power_decay_w",
        "speed_pump1_rad_s",
        "speed_pump4_rad_s",
        "flow_bru_a_kg_s",
        "flow_sg_safety_kg_s",
        "flow_pzr_relief_kg_s",
        "subcooling_margin_k",
    ],
    "steam-line-break": [
        "flow_break_kg_s",
        "pressure_sg1_pa",
        "pressure_sg2_pa",
        "level_sg2_m",
        "flow_loop2_kg_s",
        "subcooling_margin_k",
        "power_decay_w",
    ],
}
#: Extra pinned times [s] (slow ramps whose middle the general rule would miss).
EXTRA_TIMES: dict[str, list[float]] = {
    "xenon-transient": [2.0 * 3600 + 1500, 10.0 * 3600 + 1500],
    "load-follow": [2.0 * 3600 + 1500, 10.0 * 3600 + 1500],
}

#: Known defects of the current model, recorded anyway (the rebuild fixes them; the test's CHANGES
#: table then names the values that move).
KNOWN_DEFECTS: dict[str, list[str]] = {
    "boron-dilution": [
        "Known defect (issue 7): the dilution is stopped by the reactor trip (boron rate set to "
        "zero at the trip, about 683 ppm), but its scheduled end still fires at the time the "
        "0.1 ppm/s ramp would have reached 400 ppm and sets the boron to 400 ppm in one step. "
        "The values pinned at or after that instant ('defect_boron_jump_s') of the quantities "
        "that jump there, and the extrema reached after it, are the defective course; "
        "'defect_affected' lists them as keys of the CHANGES table of "
        "tests/scenarios/test_reference_results.py. Note also that the docs "
        "(docs/scenarios/boron-dilution.md) say the dilution continues after the trip, which "
        "the current code does not do either (the boron rate is zeroed at the trip).",
    ],
    "feedwater-loss": [
        "This scenario trips both feed pumps (count = 2). The known defect of issue 7 "
        "(feedwater_pump_trip with count = 1 at full power trips the reactor on low SG level "
        "instead of the documented fast power reduction to 50 %) is not exercised by any "
        "built-in scenario, so no pinned value here carries it.",
    ],
    "rcp-trip-all": [
        "The four pump trips are separate events at the same instant and are applied one by one: "
        "the first starts a fast power reduction (one pump lost), the second trips the reactor. "
        "The 'fast_power_reduction' entry at 60 s is an artefact of that ordering, not a "
        "protection action a plant would take; a rebuild that evaluates simultaneous events "
        "together may drop it (record that in the test's CHANGES).",
    ],
}


def design_scales(design_name: str) -> dict[str, float]:
    """Factors that carry the V-446 tolerances of :data:`TOLERANCES` over to a scenario written
    for another design (issue 9): powers by the rated thermal (electric) power, flows by the
    vessel, loop and steam flows. All 1 for vver1000-v446."""
    from nppsim.designs import load_design

    d = load_design(design_name)
    if d.name == "vver1000-v446" or d.primary is None or d.turbine is None:
        return {}
    return {
        "thermal": d.rating.power_thermal.si / P_THERMAL,
        "electric": d.rating.power_electric_gross.si / P_ELECTRIC,
        "vessel": d.coolant.mass_flow.si / W_VESSEL,
        "loop": d.primary.loop_flow.si / W_LOOP,
        "steam": d.turbine.rated_steam_flow.si / W_STEAM,
    }


#: which scale factor applies to a quantity (first match)
SCALED: list[tuple[str, str]] = [
    (r"power_electric\w*_w", "electric"),
    (r"power_\w+_w", "thermal"),
    (r"flow_(vessel|core)_kg_s", "vessel"),
    (r"flow_loop\d+_kg_s", "loop"),
    (r"flow_(steam|feed|turbine|bru_k|bru_a|sg_safety|break)_kg_s", "steam"),
]


def scaled_tolerance(quantity: str, scales: dict[str, float]) -> tuple[float, str, str]:
    """:func:`tolerance_of`, scaled to the scenario's design (:func:`design_scales`)."""
    tol, unit, reason = tolerance_of(quantity)
    if scales:
        for pattern, key in SCALED:
            if re.fullmatch(pattern, quantity):
                f = scales[key]
                return tol * f, unit, f"{reason}; scaled by {f:.4g} to the scenario's design"
    return tol, unit, reason


def quantities_for(name: str, model: str) -> list[str]:
    base = PLANT_QUANTITIES if model == "plant" else CORE_QUANTITIES
    out = list(base)
    for q in EXTRA_QUANTITIES.get(name, []):
        if q not in out:
            out.append(q)
    return out


# -- running ---------------------------------------------------------------------------------------
def run_scenario(name: str, rtol: float = DEFAULT_RTOL, atol_scale: float = 1.0) -> dict[str, Any]:
    """Run a built-in scenario; at the default settings exactly as ``nppsim.results.run`` does.

    Returns ``timeseries`` (DataFrame), ``events`` (list of dicts), ``status``, ``message`` and
    ``wall_s``.
    """
    from nppsim import results
    from nppsim.engine.run import RunSpec, SolverOptions
    from nppsim.engine.run import build as engine_build
    from nppsim.errors import SolverError
    from nppsim.scenarios import load_scenario

    sc = load_scenario(name)
    if rtol == DEFAULT_RTOL and atol_scale == 1.0:
        r = results.run(sc)
        return {
            "timeseries": r.timeseries,
            "events": r.events,
            "status": r.status,
            "message": r.message,
            "wall_s": r.wall_s,
        }
    _, sim = engine_build(
        RunSpec(scenario=sc, solver=SolverOptions(rtol=rtol, atol_scale=atol_scale))
    )
    t0 = time.perf_counter()
    status, message = "completed", ""
    try:
        sim.advance(sc.duration)
    except SolverError as e:
        status, message = "failed", str(e)
    return {
        "timeseries": sim.results(),
        "events": list(sim.log),
        "status": status,
        "message": message,
        "wall_s": time.perf_counter() - t0,
    }


def _run_job(args: tuple[str, float, float]) -> tuple[str, float, dict[str, Any]]:
    name, rtol, scale = args
    return name, rtol, run_scenario(name, rtol, scale)


# -- reading a series ----------------------------------------------------------------------------
def value_at(df: pd.DataFrame, column: str, t: float) -> float:
    """Value of ``column`` at time ``t`` [s], linear in time between recorded rows."""
    return float(np.interp(t, df["time_s"].to_numpy(), df[column].to_numpy()))


def extremum(df: pd.DataFrame, column: str, which: str) -> tuple[float, float]:
    """(value, time [s]) of the maximum or minimum over the recorded rows (first occurrence)."""
    v = df[column].to_numpy()
    i = int(np.argmax(v) if which == "max" else np.argmin(v))
    return float(v[i]), float(df["time_s"].iloc[i])


def extremum_windows(
    df: pd.DataFrame, column: str, which: str, tol: float
) -> list[tuple[float, float]]:
    """Time intervals [s] where the series lies within ``tol`` of its maximum (or minimum).

    The time of an extremum is only meaningful to that resolution: on a plateau any time on it is
    as good. Each interval runs from the recorded row before the series enters the band to the row
    after it leaves (the crossing lies somewhere between them).
    """
    t = df["time_s"].to_numpy()
    v = df[column].to_numpy()
    best, _ = extremum(df, column, which)
    inside = v >= best - tol if which == "max" else v <= best + tol
    out: list[tuple[float, float]] = []
    i, n = 0, len(v)
    while i < n:
        if not inside[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and inside[j + 1]:
            j += 1
        lo, hi = float(t[max(i - 1, 0)]), float(t[min(j + 1, n - 1)])
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
        i = j + 1
    return out


def discontinuities(df: pd.DataFrame) -> np.ndarray:
    """Times [s] recorded twice: scheduled events, trips, inputs reaching the end of a ramp."""
    t = df["time_s"].to_numpy()
    return np.unique(t[1:][np.diff(t) == 0.0])


def choose_times(
    df: pd.DataFrame,
    duration: float,
    t_first: float,
    events: list[dict] = (),
    extra: list[float] = (),
) -> list[float]:
    """Pinned times [s]: the steady state, just before the first event, its fast phase, the
    course after each trip, then spread (geometrically from the first event, and evenly) over the
    rest of the run, plus ``extra``.

    No pinned time lies in the :data:`CLEAR_AFTER` seconds after a discontinuity (nor
    :data:`CLEAR_BEFORE` before one), nor while the rods fall after a trip (from the release of
    the rods to :data:`CLEAR_AFTER` after the last bank arrives): there a value is as sensitive
    to the trip's timing as to the model. A candidate there moves to the end of the interval; a
    candidate within 1 s (or 2 % of its distance from the first event) of a kept one is dropped.
    """
    disc = discontinuities(df)
    blocked = [(d - CLEAR_BEFORE, d + CLEAR_AFTER) for d in disc]
    logged = {float(e["time_s"]) for e in events}
    for e in events:
        if e["kind"] == "rods" and e["name"] == "scram_rods_released":
            # the banks' arrivals at the bottom: unlogged discontinuities within seconds
            t_r = float(e["time_s"])
            arrivals = [d for d in disc if t_r <= d <= t_r + 10.0 and d not in logged]
            blocked.append((t_r, max(arrivals, default=t_r) + CLEAR_AFTER))

    cand: list[float] = [0.0]
    if t_first < duration:
        if t_first > 20.0:
            cand.append(t_first - 10.0)
        cand += [t_first + dt for dt in (2.0, 5.0, 10.0, 20.0, 40.0)]
        span = duration - t_first
        if span > 60.0:
            cand += list(t_first + np.geomspace(60.0, span, 6))
    for e in events:
        if e["kind"] == "trip" and float(e["time_s"]) > t_first + 1.0:
            cand += [float(e["time_s"]) + dt for dt in (2.0, 10.0, 30.0)]
    cand += list(np.linspace(0.0, duration, 7)[1:])
    cand += list(extra)

    def clear(t: float) -> float:
        for _ in range(len(blocked) + 1):
            ends = [hi for lo, hi in blocked if lo <= t < hi]
            if not ends:
                return t
            t = max(ends)
        return t

    def nice(t: float) -> float:
        # readable times: up to 0.1 s below 100 s, whole seconds above (rounded up, away from
        # the discontinuity just passed); never past the end
        step = 0.1 if t < 100.0 else 1.0
        return min(round(math.ceil(t / step - 1e-9) * step, 1), duration)

    kept: list[float] = []
    for t in sorted(nice(clear(min(max(float(c), 0.0), duration))) for c in cand):
        if t > duration or clear(t) != t:
            continue
        gap = max(1.0, 0.02 * max(t - t_first, 0.0))
        if kept and t - kept[-1] < gap:
            continue
        kept.append(t)
    return kept


def _first_scheduled(name: str) -> float:
    from nppsim.scenarios import load_scenario

    sc = load_scenario(name)
    return min((e.time for e in sc.events), default=sc.duration)


def _scheduled(name: str) -> set[tuple[str, str, float]]:
    from nppsim.scenarios import load_scenario

    return {(e.kind, e.name, e.time) for e in load_scenario(name).events}


def event_table(name: str, events: list[dict]) -> list[dict[str, Any]]:
    """The event log with a time tolerance per entry: exact for a scheduled scenario event,
    :func:`event_time_tol` for what the model decides (trips, alarms, modes)."""
    t0 = _first_scheduled(name)
    scheduled = _scheduled(name)
    out = []
    for e in events:
        t = float(e["time_s"])
        exact = (e["kind"], e["name"], t) in scheduled
        out.append(
            {
                "time_s": t,
                "kind": e["kind"],
                "name": e["name"],
                "time_tol_s": 1e-6 if exact else event_time_tol(t, t0),
                "detail": str(e.get("detail", "")),
            }
        )
    return out


# -- git -----------------------------------------------------------------------------------------
def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return out.stdout.strip()


def provenance() -> dict[str, Any]:
    return {
        "git_commit": _git("rev-parse", "HEAD"),
        "git_commit_date": _git("log", "-1", "--format=%cI"),
        "src_modified": bool(_git("status", "--porcelain", "--", "src")),
        "made_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# -- the reference -------------------------------------------------------------------------------
def _boron_jump(df: pd.DataFrame) -> float | None:
    """Time [s] of the first step of more than 50 ppm in boron between two rows at one time."""
    t, b = df["time_s"].to_numpy(), df["boron_ppm"].to_numpy()
    same = np.flatnonzero((np.diff(t) == 0.0) & (np.abs(np.diff(b)) > 50.0))
    return float(t[same[0]]) if same.size else None


def make_reference(
    name: str, ref: dict[str, Any], noisy: dict[str, Any] | None, prov: dict[str, Any]
) -> dict[str, Any]:
    """The reference of one scenario from its default run (``ref``) and the tightened run."""
    from nppsim import __version__
    from nppsim.scenarios import load_scenario

    sc = load_scenario(name)
    df = ref["timeseries"]
    t_first = _first_scheduled(name)
    times = choose_times(df, sc.duration, t_first, ref["events"], EXTRA_TIMES.get(name, []))
    events = event_table(name, ref["events"])
    quantities: dict[str, Any] = {}
    noise: dict[str, Any] = {}
    scales = design_scales(sc.scenario.design)
    reasons: dict[str, str] = {}
    for q in quantities_for(name, sc.scenario.model):
        if q not in df.columns:  # a quantity the design has not (no SG level in a once-through SG)
            continue
        tol, unit, reasons[q] = scaled_tolerance(q, scales)
        vals = [value_at(df, q, t) for t in times]
        entry: dict[str, Any] = {"unit": unit, "tol": tol, "values": vals}
        for which in ("max", "min"):
            v, t = extremum(df, q, which)
            entry[which] = v
            entry[f"t_{which}"] = t
            entry[f"t_{which}_windows"] = [list(w) for w in extremum_windows(df, q, which, tol)]
        quantities[q] = entry
        if noisy is not None:
            dn = noisy["timeseries"]
            diffs = [abs(value_at(dn, q, t) - v) for t, v in zip(times, vals, strict=True)]
            diffs += [abs(extremum(dn, q, w)[0] - entry[w]) for w in ("max", "min")]
            k = int(np.argmax(diffs))
            worst = float(diffs[k])
            where = f"t = {times[k]:g} s" if k < len(times) else ("max", "min")[k - len(times)]
            noise[q] = {
                "max_abs_diff": worst,
                "where": where,
                "tol_over_noise": (tol / worst) if worst > 0 else None,
            }
    doc: dict[str, Any] = {
        "scenario": name,
        "title": sc.scenario.title,
        "model": sc.scenario.model,
        "design": sc.scenario.design,
        "made_from": {**prov, "nppsim_version": __version__},
        "solver": {"rtol": DEFAULT_RTOL, "atol": "the state layout's (default)"},
        "status": ref["status"],
        "message": ref["message"],
        "duration_s": sc.duration,
        "end_time_s": float(df["time_s"].iloc[-1]),
        "recorded_rows": len(df),
        "interpolation": (
            "values at times_s are linear in time between recorded rows (numpy.interp); max and "
            "min are over the recorded rows; t_max/t_min are the first row at the extremum, and "
            "t_*_windows the intervals where the series is within tol of it"
        ),
        "event_time_tolerance": (
            "scheduled scenario events: exact (1e-6 s); events the model decides (trips, alarms, "
            "modes, fast power reduction): max(0.5 s, 1 % of the time since the first scheduled "
            f"event at {t_first:g} s)"
        ),
        "extremum_time_tolerance": (
            "the time of a new maximum (minimum) must fall in one of t_max_windows "
            "(t_min_windows), widened by the event time tolerance at that time"
        ),
        "events": events,
        "times_s": times,
        "quantities": quantities,
        "tolerances": {q: reasons[q] for q in quantities},
        "notes": list(KNOWN_DEFECTS.get(name, [])),
    }
    if name == "boron-dilution":
        t_jump = _boron_jump(df)
        doc["defect_boron_jump_s"] = t_jump
        if t_jump is not None:
            i = int(np.flatnonzero(df["time_s"].to_numpy() == t_jump)[0])
            before, after = df.iloc[i], df.iloc[i + 1]
            affected = sorted(
                q for q in quantities if abs(after[q] - before[q]) > quantities[q]["tol"]
            )
            doc["defect_boron_ppm_before_after"] = [float(before.boron_ppm), float(after.boron_ppm)]
            # the pinned values that carry the defect, as keys of the test's CHANGES table
            t_key = f"{math.floor(t_jump * 10) / 10:g}"
            keys = [f"{q}@t>={t_key}" for q in affected if any(t >= t_jump for t in times)]
            for q in affected:
                keys += [f"{q}:{w}" for w in ("max", "min") if quantities[q][f"t_{w}"] >= t_jump]
            doc["defect_affected"] = keys
    if noisy is not None:
        ev_noise = _event_noise(ref["events"], noisy["events"])
        margins = [
            (n["tol_over_noise"], q) for q, n in noise.items() if n["tol_over_noise"] is not None
        ]
        doc["noise"] = {
            "method": (
                f"|default run - run with rtol = {NOISE_RTOL:g} and atol x {NOISE_ATOL_SCALE:g}| "
                "at the pinned times and for max and min (the default run's integration and "
                "interpolation error)"
            ),
            "status_tight": noisy["status"],
            "smallest_margin": (
                {"quantity": min(margins)[1], "tol_over_noise": min(margins)[0]}
                if margins
                else None
            ),
            "event_time_max_abs_diff_s": ev_noise,
            "quantities": noise,
        }
    return doc


def _event_noise(a: list[dict], b: list[dict]) -> float | str:
    """Largest time difference [s] between matching events of two runs (or what differs)."""
    ka = [(e["kind"], e["name"]) for e in a]
    kb = [(e["kind"], e["name"]) for e in b]
    if ka != kb:
        return f"event sequences differ: {ka} vs {kb}"
    return max((abs(x["time_s"] - y["time_s"]) for x, y in zip(a, b, strict=True)), default=0.0)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, float | np.floating):
        f = float(x)
        return f if math.isfinite(f) else str(f)
    if isinstance(x, np.integer):
        return int(x)
    return x


def main(argv: list[str] | None = None) -> int:
    from nppsim.scenarios import builtin_names

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="built-in scenarios (default: all)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    ap.add_argument("--no-noise", action="store_true", help="skip the tightened noise runs")
    args = ap.parse_args(argv)
    names = args.names or builtin_names()
    unknown = sorted(set(names) - set(builtin_names()))
    if unknown:
        ap.error(f"not built-in scenarios: {', '.join(unknown)}")
    prov = provenance()
    if prov["src_modified"]:
        print("warning: src/ has uncommitted changes; the reference records that", file=sys.stderr)
    jobs = [(n, DEFAULT_RTOL, 1.0) for n in names]
    if not args.no_noise:
        jobs += [(n, NOISE_RTOL, NOISE_ATOL_SCALE) for n in names]
    done: dict[tuple[str, float], dict[str, Any]] = {}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        for name, rtol, res in pool.map(_run_job, jobs):
            done[(name, rtol)] = res
            print(f"ran {name} (rtol {rtol:g}): {res['status']}, {res['wall_s']:.1f} s", flush=True)
    for name in names:
        ref = done[(name, DEFAULT_RTOL)]
        noisy = done.get((name, NOISE_RTOL))
        doc = make_reference(name, ref, noisy, prov)
        path = OUT_DIR / f"{name}.json"
        path.write_text(json.dumps(_jsonable(doc), indent=1) + "\n")
        margin = doc.get("noise", {}).get("smallest_margin")
        print(f"wrote {path.relative_to(REPO)}; smallest tol/noise: {margin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

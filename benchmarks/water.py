"""Benchmark of the water-property tables: build and load times, cost per kernel call, accuracy.

Prints, one figure per line:

* ``yardstick wall``: the machine yardstick (``../shared/benchmarks/yardstick.py``) in this run;
* ``build <table>``: building each table from CoolProp IF97 (seconds and yardstick units), and
  ``coolprop import``, which the first build pays;
* ``load <table>``: reading it back from the disk cache, and from the in-process cache;
* ``first call <kernel>``: the first call of each compiled kernel in this process (loading
  Numba's on-disk cache, or compiling if there is none);
* ``call <kernel>``: nanoseconds per call inside a compiled loop, and yardstick units per
  million calls;
* ``accuracy``: the largest deviation from CoolProp IF97 over random points, by band, of the
  (p, h) table (reference :func:`nppsim.physics.water.reference_ph`; 2.25 ``--points`` per
  ``--seeds``: uniform, at 16-25 MPa, and within 30 kJ/kg of the saturation lines), of the
  saturation table and of the vessel states (``--points`` 0 skips it);
* with ``--orders``: the same for linear instead of cubic interpolation in p and/or h, and for a
  bilinear table with ten times the nodes, to show what the bicubic choice buys.

Run: ``python benchmarks/water.py [--points N] [--seeds K] [--orders]`` (about a minute with the
defaults; the figures in docs/models/water.md come from ``--points 20000 --seeds 6 --orders``).
"""

from __future__ import annotations

import os

# one core: keep BLAS single-threaded so the figures are per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import importlib.util
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit

from nppsim.physics import saturation as sat_mod
from nppsim.physics import tables, vessel, water, water_table
from nppsim.physics.tables import concatenate_tables

ROOT = Path(__file__).resolve().parents[1]


def _yardstick() -> Callable[[], float]:
    path = ROOT.parent / "shared" / "benchmarks" / "yardstick.py"
    spec = importlib.util.spec_from_file_location("yardstick", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"yardstick not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.yardstick_seconds


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# ---- compiled loops (the cost of a call as a plant kernel sees it) -----------------------------


@njit
def _loop_saturation(tab, off, p):
    acc = 0.0
    for k in range(p.size):
        r = sat_mod.saturation(tab, off, p[k])
        acc += r[0] + r[13]
    return acc


@njit
def _loop_saturation_temperature(tab, off, p):
    acc = 0.0
    for k in range(p.size):
        acc += sat_mod.saturation_temperature(tab, off, p[k])[0]
    return acc


@njit
def _loop_isentropic(tab, off, p):
    acc = 0.0
    for k in range(p.size):
        acc += sat_mod.isentropic_drop(tab, off, p[k])[0]
    return acc


@njit
def _loop_ph_state(tab, off, p, h):
    acc = 0.0
    for k in range(p.size):
        r = water_table.ph_state(tab, off, p[k], h[k])
        acc += r[0] + r[3]
    return acc


@njit
def _loop_ph_all(tab, off, p, h):
    acc = 0.0
    for k in range(p.size):
        r = water_table.ph_all(tab, off, p[k], h[k])
        acc += r[0] + r[3] + r[6]
    return acc


@njit
def _loop_vessel(tab, o_s, o_p, m, u, vol, p_guess):
    acc = 0.0
    for k in range(m.size):
        acc += vessel.vessel_state(tab, o_s, o_p, m[k], u[k], vol, p_guess)[0]
    return acc


def _per_call(fn: Callable[..., float], n: int, *args: Any) -> float:
    fn(*args)
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best / n


# ---- accuracy -----------------------------------------------------------------------------------


def _reference(p: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray]:
    ref = np.full((7, p.size), np.nan)
    phase = []
    near = np.zeros(p.size, dtype=bool)
    for k in range(p.size):
        r = water.reference_ph(float(p[k]), float(h[k]))
        ref[:, k] = r[:7]
        phase.append(r.phase)
        near[k] = water.region_boundary_distance(float(p[k]), r.temperature) < 2.0
    return ref, phase, near


def _errors(
    table: np.ndarray,
    p: np.ndarray,
    h: np.ndarray,
    ref: np.ndarray,
    phase: list[str],
    near: np.ndarray,
) -> list[tuple[str, int, dict[str, float]]]:
    v = water_table.ph_properties(table, p, h)
    got = [v.temperature, v.density, v.drho_dh, v.drho_dp, v.cp, v.viscosity, v.conductivity]
    ph = np.array(phase)
    ok = v.status >= 0
    low = p <= 16.5e6
    bands = [
        ("liquid p<=16.5 MPa", (ph == "liquid") & low & ok),
        (
            "liquid p>16.5 MPa",
            ((ph == "liquid") | ((ph == "supercritical") & (v.status == 0))) & ~low & ok & ~near,
        ),
        ("vapour p<=16.5 MPa", (ph == "vapour") & low & ok),
        (
            "vapour p>16.5 MPa",
            ((ph == "vapour") | ((ph == "supercritical") & (v.status == 1))) & ~low & ok & ~near,
        ),
        ("two-phase", (ph == "two-phase") & ok),
        ("near IF97 region boundaries", near & ok & (ph != "two-phase")),
    ]
    out = []
    for name, m in bands:
        errs: dict[str, float] = {}
        if m.any():
            errs["T [K]"] = float(np.max(np.abs(got[0][m] - ref[0][m])))
            for label, c in (("rho", 1), ("cp", 4), ("mu", 5), ("k", 6)):
                if name != "two-phase":
                    errs[label] = float(np.max(np.abs(got[c][m] / ref[c][m] - 1.0)))
                elif label == "rho":
                    errs[label] = float(np.max(np.abs(got[c][m] / ref[c][m] - 1.0)))
            for label, c in (("drho/dh", 2), ("drho/dp", 3)):
                if name.startswith("near"):
                    continue  # the reference's finite differences may straddle IF97's step
                # relative to the band's largest magnitude: a derivative through zero has no
                # meaningful relative error
                scale = np.nanmax(np.abs(ref[c][m]))
                errs[label] = float(np.nanmax(np.abs(got[c][m] - ref[c][m])) / scale)
        out.append((name, int(m.sum()), errs))
    return out


def _sample(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points log-uniform in p and uniform in h over the table, n/2 at 16-25 MPa, n/2 within
    30 kJ/kg outside the saturation lines and n/4 within 30 kJ/kg inside them (two-phase)."""
    p1 = np.exp(rng.uniform(math.log(0.1e6), math.log(25e6), n))
    h1 = rng.uniform(0.05e6, 3.2e6, n)
    p2 = rng.uniform(16e6, 25e6, n // 2)
    h2 = rng.uniform(0.05e6, 3.2e6, n // 2)
    parts_p, parts_h = [p1, p2], [h1, h2]
    for m, sign in ((n // 2, 1.0), (n // 4, -1.0)):
        pp = np.exp(rng.uniform(math.log(0.1e6), math.log(21e6), m))
        side = rng.integers(0, 2, m)
        dist = sign * rng.uniform(0.0, 30e3, m)
        hh = [
            water.saturated_liquid_enthalpy(float(a)) - d
            if s == 0
            else water.saturated_vapour_enthalpy(float(a)) + d
            for a, s, d in zip(pp, side, dist, strict=True)
        ]
        parts_p.append(pp)
        parts_h.append(np.array(hh))
    return np.concatenate(parts_p), np.concatenate(parts_h)


def _merge(
    a: list[tuple[str, int, dict[str, float]]], b: list[tuple[str, int, dict[str, float]]]
) -> list[tuple[str, int, dict[str, float]]]:
    if not a:
        return b
    out = []
    for (name, n1, e1), (_, n2, e2) in zip(a, b, strict=True):
        out.append((name, n1 + n2, {k: max(e1.get(k, 0.0), e2.get(k, 0.0)) for k in e1 | e2}))
    return out


def _print_errors(title: str, rows: list[tuple[str, int, dict[str, float]]]) -> None:
    print(title)
    for name, n, errs in rows:
        cells = "  ".join(f"{k} {v:.1e}" for k, v in errs.items())
        print(f"  {name:30s} n={n:5d}  {cells}")


def _saturation_accuracy(table: np.ndarray, n: int, rng: np.random.Generator) -> None:
    """Largest deviation of the saturation table from CoolProp IF97, by pressure band."""
    names = ("T", "rho_f", "rho_g", "h_f", "h_g", "u_f", "u_g")

    def ref(p: float) -> np.ndarray:
        rho_f, rho_g = water.saturated_liquid_density(p), water.saturated_vapour_density(p)
        h_f, h_g = water.saturated_liquid_enthalpy(p), water.saturated_vapour_enthalpy(p)
        return np.array(
            [
                water.saturation_temperature(p),
                rho_f,
                rho_g,
                h_f,
                h_g,
                h_f - p / rho_f,
                h_g - p / rho_g,
            ]
        )

    jumps = [water.saturation_pressure(t) for t in sat_mod.IF97_JUMP_TEMPERATURES]
    print("accuracy of the saturation table (max relative: values / d/dp, floor 1 % of band max)")
    for lo, hi, label in (
        (1e3, 16.2e6, "1 kPa-16.2 MPa"),
        (16.2e6, 16.9e6, "16.2-16.9 MPa (smoothed IF97 step)"),
        (16.9e6, 20.7e6, "16.9-20.7 MPa"),
        (20.7e6, 21.4e6, "20.7-21.4 MPa (smoothed IF97 step)"),
        (21.4e6, 21.85e6, "21.4-21.85 MPa"),
    ):
        p = np.exp(rng.uniform(math.log(lo), math.log(hi), n))
        p = p[np.all([np.abs(p - pj) > 3e-6 * p for pj in jumps], axis=0)]
        got = sat_mod.saturation_values(table, p)
        r = np.array([ref(float(x)) for x in p]).T
        d = np.array([(ref(x * (1 + 1e-6)) - ref(x * (1 - 1e-6))) / (2e-6 * x) for x in p]).T
        cells = []
        for k, name in enumerate(names):
            err = np.max(np.abs(got[k] / r[k] - 1.0))
            scale = np.abs(d[k]) + 1e-2 * np.max(np.abs(d[k]))
            derr = np.max(np.abs(got[7 + k] - d[k]) / scale)
            cells.append(f"{name} {err:.1e}/{derr:.1e}")
        print(f"  {label:36s} " + "  ".join(cells))


def _vessel_accuracy(tab: np.ndarray, o_s: int, o_p: int, n: int, rng: np.random.Generator) -> None:
    """Vessel states against CoolProp: saturated (pressurizer solver), water-solid, steam-filled."""
    from nppsim.physics import pressurizer as pz

    vol = 79.0
    worst = {False: np.zeros(3), True: np.zeros(3)}
    for _ in range(n):
        p0 = math.exp(rng.uniform(math.log(2e4), math.log(21.5e6)))
        m, u = pz.mass_energy_from_level(p0, rng.uniform(0.02, 0.98) * vol, vol)
        got = vessel.vessel_state(tab, o_s, o_p, m, u, vol, 15.7e6)
        ref = pz.state_from_mass_energy(m, u, vol, p0)
        zone = abs(p0 - 16.53e6) < 0.4e6 or abs(p0 - 21.04e6) < 0.4e6
        err = [
            abs(got[0] / ref.pressure - 1),
            abs(got[1] - ref.temperature),
            abs(got[3] - ref.void),
        ]
        worst[zone] = np.maximum(worst[zone], err)
    print("accuracy of vessel_state")
    for zone, label in ((False, "saturated"), (True, "saturated, within 0.4 MPa of an IF97 step")):
        e = worst[zone]
        print(f"  {label:42s} p {e[0]:.1e} (rel)  T {e[1]:.1e} K  void {e[2]:.1e}")
    dp_all, dp_hot, dt_all = 0.0, 0.0, 0.0
    for _ in range(n):
        p0 = rng.uniform(0.5e6, 24.5e6)
        t0 = rng.uniform(285.0, water.saturation_temperature(p0) - 1.0 if p0 < 21e6 else 640.0)
        rho = water.density_pt(p0, t0)
        u = water.enthalpy_pt(p0, t0) - p0 / rho
        got = vessel.vessel_state(tab, o_s, o_p, rho * vol, rho * vol * u, vol, 15.7e6)
        dp_all = max(dp_all, abs(got[0] - p0))
        dp_hot = max(dp_hot, abs(got[0] - p0) if t0 > 500.0 else 0.0)
        dt_all = max(dt_all, abs(got[1] - t0))
    print(
        f"  {'water-solid (0.5-24.5 MPa, 285 K-T_sat)':42s} p {dp_all / 1e3:.1f} kPa "
        f"({dp_hot / 1e3:.1f} kPa above 500 K)  T {dt_all:.1e} K"
    )
    dp_v, dt_v = 0.0, 0.0
    for _ in range(n):
        p0 = math.exp(rng.uniform(math.log(0.2e6), math.log(20e6)))
        t0 = water.saturation_temperature(p0) + rng.uniform(2.0, 200.0)
        h0 = water.enthalpy_pt(p0, t0)
        if h0 > 3.15e6:
            continue
        rho = water.density_pt(p0, t0)
        got = vessel.vessel_state(tab, o_s, o_p, rho * vol, rho * vol * (h0 - p0 / rho), vol, 6e6)
        dp_v = max(dp_v, abs(got[0] / p0 - 1))
        dt_v = max(dt_v, abs(got[1] - t0))
    print(f"  {'steam-filled (0.2-20 MPa)':42s} p {dp_v:.1e} (rel)  T {dt_v:.1e} K")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=3000, help="accuracy sample (0: skip)")
    parser.add_argument("--seeds", type=int, default=1, help="repeat the (p, h) sample")
    parser.add_argument("--orders", action="store_true", help="compare interpolation orders")
    args = parser.parse_args()

    ys = _yardstick()()
    print(f"yardstick wall: {ys:.3f} s")

    def report(label: str, seconds: float) -> None:
        print(f"{label}: {seconds:.3f} s ({seconds / ys:.2f} yardstick units)")

    from nppsim.physics._coolprop import coolprop

    report("coolprop import", _timed(coolprop)[0])
    t_sat, sat = _timed(lambda: sat_mod.saturation_table(cache=False))
    report("build saturation table", t_sat)
    t_ph, ph = _timed(lambda: water_table.ph_table(cache=False))
    report("build (p, h) table", t_ph)
    t_is, isen = _timed(lambda: sat_mod.isentropic_drop_table(5.0e3, cache=False))
    report("build isentropic-drop table (5 kPa)", t_is)
    print(
        f"table sizes: saturation {sat.nbytes / 1e3:.0f} kB, (p, h) {ph.nbytes / 1e6:.2f} MB, "
        f"isentropic {isen.nbytes / 1e3:.0f} kB"
    )

    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = tmp
        try:
            tables.clear_memory_cache()
            water_table.ph_table()  # builds and writes the cache file
            sat_mod.saturation_table()
            tables.clear_memory_cache()
            report("load (p, h) table from disk", _timed(water_table.ph_table)[0])
            report("load saturation table from disk", _timed(sat_mod.saturation_table)[0])
            report("load (p, h) table from memory", _timed(water_table.ph_table)[0])
        finally:
            if old is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old
            tables.clear_memory_cache()

    tab, (o_s, o_p, o_i) = concatenate_tables(sat, ph, isen)
    report("first call saturation", _timed(lambda: sat_mod.saturation(tab, o_s, 1e6))[0])
    report("first call ph_all", _timed(lambda: water_table.ph_all(tab, o_p, 15e6, 1.2e6))[0])
    report(
        "first call vessel_state",
        _timed(lambda: vessel.vessel_state(tab, o_s, o_p, 3e4, 4.8e10, 79.0, 15.7e6))[0],
    )

    rng = np.random.default_rng(1)
    n = 200_000

    def call(label: str, seconds: float) -> None:
        print(
            f"call {label}: {seconds * 1e9:.0f} ns ({seconds * 1e6 / ys:.3f} yardstick units "
            "per million calls)"
        )

    p_sat = np.exp(rng.uniform(math.log(1e3), math.log(21.8e6), n))
    call("saturation", _per_call(_loop_saturation, n, tab, o_s, p_sat))
    call("saturation_temperature", _per_call(_loop_saturation_temperature, n, tab, o_s, p_sat))
    p_is = np.exp(rng.uniform(math.log(0.06e6), math.log(20e6), n))
    call("isentropic_drop", _per_call(_loop_isentropic, n, tab, o_i, p_is))
    p_pr = rng.uniform(14e6, 17e6, n)
    h_pr = rng.uniform(1.1e6, 1.55e6, n)
    call("ph_state (primary coolant)", _per_call(_loop_ph_state, n, tab, o_p, p_pr, h_pr))
    call("ph_all (primary coolant)", _per_call(_loop_ph_all, n, tab, o_p, p_pr, h_pr))
    p_any = np.exp(rng.uniform(math.log(0.1e6), math.log(25e6), n))
    h_any = rng.uniform(0.05e6, 3.2e6, n)
    call("ph_state (whole table)", _per_call(_loop_ph_state, n, tab, o_p, p_any, h_any))
    for label, p0, level, p_guess in (
        ("vessel_state (pressurizer, 15.7 MPa)", 15.7e6, 0.5, 15.7e6),
        ("vessel_state (steam generator, 6.3 MPa)", 6.27e6, 0.3, 6.27e6),
    ):
        m0, u0 = vessel.vessel_mass_energy(tab, o_s, p0, level * 79.0, 79.0)
        m = m0 * (1.0 + 2e-3 * rng.uniform(-1.0, 1.0, n))
        u = u0 * (1.0 + 2e-3 * rng.uniform(-1.0, 1.0, n))
        call(label, _per_call(_loop_vessel, n, tab, o_s, o_p, m, u, 79.0, p_guess))
    rho0 = water.density_pt(16e6, 600.0)
    u0 = water.enthalpy_pt(16e6, 600.0) - 16e6 / rho0
    m = np.full(n, rho0 * 79.0) * (1.0 + 1e-4 * rng.uniform(-1.0, 1.0, n))
    call(
        "vessel_state (water-solid, 16 MPa)",
        _per_call(_loop_vessel, n, tab, o_s, o_p, m, m * u0, 79.0, 15.7e6),
    )
    t0 = time.perf_counter()
    for k in range(2000):
        water.temperature_ph(float(p_pr[k]), float(h_pr[k]))
    call("for comparison: CoolProp water.temperature_ph", (time.perf_counter() - t0) / 2000)

    if args.points > 0:
        _saturation_accuracy(sat, max(args.points // 10, 50), rng)
        _vessel_accuracy(tab, o_s, o_p, max(args.points // 40, 50), rng)
        rows: list[tuple[str, int, dict[str, float]]] = []
        for seed in range(args.seeds):
            p, h = _sample(args.points, np.random.default_rng(100 + seed))
            t_ref, (ref, phase, near) = _timed(lambda p=p, h=h: _reference(p, h))
            print(f"accuracy reference: {p.size} points in {t_ref:.1f} s")
            rows = _merge(rows, _errors(ph, p, h, ref, phase, near))
        _print_errors(
            "accuracy of the (p, h) table against CoolProp IF97 (max abs T, max relative others)",
            rows,
        )
        if args.orders:
            for label, grid in (
                ("linear in p, cubic in h", water_table.PhGrid(order_p=1)),
                ("cubic in p, linear in h", water_table.PhGrid(order_h=1)),
                ("bilinear, same nodes", water_table.PhGrid(order_p=1, order_h=1)),
                (
                    "bilinear, 10x the nodes",
                    water_table.PhGrid(order_p=1, order_h=1, n_p_low=228, n_h=152),
                ),
            ):
                table = water_table.ph_table(grid, cache=False)
                _print_errors(
                    f"accuracy, {label} ({table.nbytes / 1e6:.1f} MB)",
                    _errors(table, p, h, ref, phase, near),
                )


if __name__ == "__main__":
    main()

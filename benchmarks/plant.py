"""Benchmark of the plant simulation (issues 7 and 13): speed and accuracy of every built-in plant
scenario, where the time goes, and the start-up cost.

For each scenario it prints

* ``real-time factor <scenario>: <number>``: simulated seconds per wall second of the engine at its
  defaults (compiled BDF, rtol 1e-6), best of ``--repeats`` runs after one warm-up run; building
  the model and its steady state is excluded;
* ``yardstick units <scenario>: <number>``: that wall time divided by the wall time of
  ``../shared/benchmarks/yardstick.py`` (machines here differ fourfold in speed; the ratio much
  less). The machine is shared and its load drifts, so the yardstick is measured just before and
  just after each scenario's timed runs, and the best of the two divides the best wall time;
* ``deviation <scenario> (<backend>): ...``: the largest deviation of each key quantity from a
  tight-tolerance run (compiled, rtol 1e-9, atol_scale 0.01), on a regular grid of the run read
  through each engine's dense output (``advance`` to each sample time, then ``read``: where the
  steps fell does not matter), against its stated tolerance (the key's last field), and the
  fraction of the tolerance used by the worst quantity;
* ``scipy BDF <scenario>: ...``: the same model under SciPy's BDF (``SolverOptions(backend=
  "scipy")``: SciPy's step loop in Python over the same compiled right-hand side, Jacobian and
  event functions), side by side with the compiled figures (``--no-scipy`` skips it: minutes).

``--profile`` prints instead where the time of a run goes (right-hand side, Jacobian, LU
factorizations, triangular solves, event functions, the integrator's own work, Python between the
calls, ``results()``), from the run's counters and unit costs measured on its own recorded states
(CPU time, best of several: the tables of docs/performance.md). ``--startup`` measures the
start-up: importing the kernel and ``nppsim run turbine-trip`` in fresh processes, with an empty
cache (compilation, tables) and with the cache filled.

Everything runs on one core (single-threaded BLAS). Run: ``python benchmarks/plant.py`` (``make
benchmark``); ``--scenarios turbine-trip load-follow`` for some of them;
``python benchmarks/plant.py --profile --scenarios turbine-trip``; ``... --startup``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# one core: keep BLAS single-threaded so the figures are per core
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from nppsim.engine.run import RunSpec, SolverOptions, build
from nppsim.scenarios import list_scenarios, load_scenario

REPO = Path(__file__).resolve().parents[1]
YARDSTICK = REPO.parent / "shared" / "benchmarks" / "yardstick.py"

#: tight reference: the compiled BDF with tolerances far below the defaults
TIGHT = SolverOptions(rtol=1e-9, atol_scale=0.01)

#: key quantities of the plant: column, label, scale to the printed unit, unit, and the largest
#: deviation from the tight run the default settings must stay within [SI]: a tenth to a
#: hundredth of what plant instruments resolve (thermal power +-2 %, pressures +-0.1 MPa,
#: temperatures +-1 K, levels +-5 cm, flows +-1 %)
PLANT_KEYS = (
    ("power_thermal_w", "power", 1e-6, "MW", 3e6),  # 0.1 % of 3,000 MW
    ("power_electric_w", "P_el", 1e-6, "MW", 1e6),  # 0.1 % of 1,000 MW
    ("pressure_primary_pa", "p_primary", 1e-3, "kPa", 2e3),
    ("pressure_steam_pa", "p_steam", 1e-3, "kPa", 2e3),
    ("temp_coolant_inlet_k", "T_in", 1.0, "K", 0.05),
    ("temp_coolant_outlet_k", "T_out", 1.0, "K", 0.05),
    ("temp_fuel_max_k", "T_fuel_max", 1.0, "K", 0.5),
    ("level_sg_min_m", "SG level", 1e3, "mm", 5e-3),
    ("level_pressurizer_m", "PZR level", 1e3, "mm", 5e-3),
    ("flow_core_kg_s", "core flow", 1.0, "kg/s", 10.0),  # 0.06 % of 17,600 kg/s
    ("flow_feed_kg_s", "feed flow", 1.0, "kg/s", 2.0),  # 0.1 % of 1,630 kg/s
    ("flow_steam_kg_s", "steam flow", 1.0, "kg/s", 2.0),
)


class Yardstick:
    """The shared yardstick, measured several times over a run (best and spread)."""

    def __init__(self) -> None:
        spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
        if spec is None or spec.loader is None or not YARDSTICK.exists():
            raise SystemExit(f"yardstick not found: {YARDSTICK}")
        self.mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.mod)
        self.values: list[float] = []

    def measure(self) -> float:
        """Wall time of the yardstick problem now [s] (its own best of 3)."""
        v = float(self.mod.yardstick_seconds())
        self.values.append(v)
        return v


def advance_walls(spec: RunSpec, repeats: int) -> tuple[list[float], dict[str, Any]]:
    """Wall times [s] of advancing the scenario to its end (model building excluded), and the
    integrator's counters of the last run."""
    walls = []
    stats: dict[str, Any] = {}
    duration = spec.resolve()[0].duration
    for _ in range(repeats):
        _, sim = build(spec)
        t0 = time.perf_counter()
        sim.advance(duration)
        walls.append(time.perf_counter() - t0)
        stats = {**sim.integ.stats(), "restarts": sim.n_restarts}
    return walls, stats


def sampled(spec: RunSpec, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list, str]:
    """The columns on a regular grid (every second, at most about 3,000 points) through the
    engine's dense output, the event log (kind, name, time) and the run's status."""
    duration = spec.resolve()[0].duration
    step = max(1.0, duration / 3000.0)
    times = np.arange(1, int(np.floor(duration / step)) + 1) * step
    _, sim = build(spec)
    out = np.full((times.size, len(columns)), np.nan)
    status = "completed"
    try:
        for k, t in enumerate(times):
            sim.advance(float(t))
            r = sim.read(list(columns))
            out[k] = [r[c] for c in columns]
    except Exception as exc:  # a failed run is reported, not raised
        status = f"failed ({exc})"
    events = sorted((e["kind"], e["name"], e["time_s"]) for e in sim.log)
    return times, out, events, status


def deviation_line(x: np.ndarray, ref: np.ndarray, keys, ev_x: list, ev_ref: list) -> str:
    """Each key's largest deviation (and tolerance), the worst fraction of a tolerance, and the
    largest shift of an event's time."""
    dev = np.nanmax(np.abs(x - ref), axis=0)
    parts = []
    worst = 0.0
    for k, (_, label, scale, unit, tol) in enumerate(keys):
        if tol is None:
            parts.append(f"{label} {dev[k] * scale:.2g} {unit}")
        else:
            parts.append(f"{label} {dev[k] * scale:.2g} {unit} (tolerance {tol * scale:.2g})")
            worst = max(worst, float(dev[k] / tol))
    if [e[:2] for e in ev_x] != [e[:2] for e in ev_ref]:
        ev = "events differ"
    else:
        shift = max((abs(a[2] - b[2]) for a, b in zip(ev_x, ev_ref, strict=True)), default=0.0)
        ev = f"event times within {shift:.2g} s"
    line = ", ".join(parts) + f"; {ev}"
    if any(k[4] is not None for k in keys):
        verdict = "within tolerance" if worst <= 1.0 else "OUTSIDE TOLERANCE"
        line += f"; worst {worst:.2f} of its tolerance: {verdict}"
    return line


def bench(
    names: Sequence[str], keys, repeats: int = 5, scipy: bool = True, accuracy: bool = True
) -> None:
    """Print the figures of the module docstring for the named scenarios."""
    ys = Yardstick()
    columns = [k[0] for k in keys]
    for name in names:
        spec = RunSpec(scenario=name)
        duration = spec.resolve()[0].duration
        advance_walls(spec, 1)  # warm-up: loads the compiled kernels
        y0 = ys.measure()
        walls, st = advance_walls(spec, repeats)
        y1 = ys.measure()
        wall, y_s = min(walls), min(y0, y1)
        print(
            f"{name}: {duration:g} s simulated, wall {wall:.4f} s (best of {repeats}, median "
            f"{float(np.median(walls)):.4f} s); {st.get('steps', 0)} steps, "
            f"{st.get('jac_calls', 0)} Jacobians, {st.get('rhs_calls', 0)} right-hand sides, "
            f"{st.get('restarts', 0)} restarts; yardstick {y0:.3f} s before, {y1:.3f} s after",
            flush=True,
        )
        print(f"real-time factor {name}: {duration / wall:.0f}", flush=True)
        print(f"yardstick units {name}: {wall / y_s:.3g}", flush=True)
        runs: dict[str, RunSpec] = {"compiled": spec}
        if scipy:
            s_spec = RunSpec(scenario=name, solver=SolverOptions(backend="scipy"))
            s_walls, _ = advance_walls(s_spec, 1)
            s_wall = min(s_walls)
            print(
                f"scipy BDF {name}: real-time factor {duration / s_wall:.3g}, yardstick units "
                f"{s_wall / y_s:.3g} (compiled: {duration / wall:.0f} and {wall / y_s:.3g}; "
                f"compiled {s_wall / wall:.0f} times faster)",
                flush=True,
            )
            runs["scipy"] = s_spec
        if accuracy:
            _, ref, ev_ref, st_ref = sampled(RunSpec(scenario=name, solver=TIGHT), columns)
            for backend, s in runs.items():
                _, x, ev_x, st_x = sampled(s, columns)
                if st_x != "completed" or st_ref != "completed":
                    print(f"deviation {name} ({backend}): run {st_x}, tight {st_ref}")
                    continue
                line = deviation_line(x, ref, keys, ev_x, ev_ref)
                print(f"deviation {name} ({backend}): {line}", flush=True)
    v = ys.values
    print(
        f"yardstick wall over the run: best {min(v):.3f} s, median {float(np.median(v)):.3f} s, "
        f"largest {max(v):.3f} s ({len(v)} measurements, each the best of 3)"
    )


# --------------------------------------------------------------------------------------------
# where the time goes (--profile)
# --------------------------------------------------------------------------------------------


def _cpu_best(fn: Any, repeats: int = 7) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def profile(name: str, repeats: int) -> None:
    """Where the time of a run goes (CPU time, see the module docstring)."""
    from nppsim._jit import njit
    from nppsim.engine import _linalg as la
    from nppsim.engine import bdf
    from nppsim.plant import kernel

    @njit(cache=False, nrt=True)
    def loop_rhs(ts, ys, p, ip, d, out, reps):  # pragma: no cover - compiled
        for _ in range(reps):
            for k in range(ts.shape[0]):
                kernel.rhs(ts[k], ys[k], p, ip, d, out)

    @njit(cache=False, nrt=True)
    def loop_jac(ts, ys, p, ip, d, jm, stride):  # pragma: no cover - compiled
        for k in range(0, ts.shape[0], stride):
            kernel.jac(ts[k], ys[k], p, ip, d, jm)

    @njit(cache=False, nrt=True)
    def loop_roots(ts, ys, p, ip, d, g, reps):  # pragma: no cover - compiled
        for _ in range(reps):
            for k in range(ts.shape[0]):
                kernel.roots(ts[k], ys[k], p, ip, d, g)

    @njit(cache=False, nrt=True)
    def loop_lu(n, jms, c, reps, mode):  # pragma: no cover - compiled
        """Factor (mode 0), refactor (1) or solve with (2) I - c J for each J, reps times."""
        nn = n * n
        ptr = np.zeros(n + 1, np.int64)
        idx = np.zeros(nn, np.int64)
        val = np.zeros(nn)
        mval = np.zeros(nn)
        order = np.zeros(n, np.int64)
        a = np.zeros((n, n))
        mark = np.zeros((n, n), np.int64)
        rowc = np.zeros((n, n), np.int64)
        colr = np.zeros((n, n), np.int64)
        iv = np.zeros((8, n), np.int64)
        fv = np.zeros((3, n))
        luptr = np.zeros(n + 1, np.int64)
        lusplit = np.zeros(n, np.int64)
        luidx = np.zeros(nn, np.int64)
        luval = np.zeros(nn)
        dinv = np.zeros(n)
        rperm = np.zeros(n, np.int64)
        b = np.ones(n)
        x = np.zeros(n)
        for m in range(jms.shape[0]):
            nnz = la.dense_to_csr(jms[m], ptr, idx, val)
            la.markowitz_order(n, ptr, idx, order, iv[7])
            for i in range(n):
                for q in range(ptr[i], ptr[i + 1]):
                    mval[q] = -c * val[q] + (1.0 if idx[q] == i else 0.0)
            la.sparse_lu_factor(
                n, ptr, idx, mval, order, a, mark, rowc, iv[0], colr, iv[1], rperm, iv[2],
                iv[3], iv[4], iv[5], fv[0], luptr, lusplit, luidx, luval, dinv,
            )  # fmt: skip
            for _ in range(reps):
                if mode == 0:
                    la.sparse_lu_factor(
                        n, ptr, idx, mval, order, a, mark, rowc, iv[0], colr, iv[1], rperm,
                        iv[2], iv[3], iv[4], iv[5], fv[0], luptr, lusplit, luidx, luval, dinv,
                    )  # fmt: skip
                elif mode == 1:
                    la.sparse_lu_refactor(
                        n, ptr, idx, mval, order, rperm, luptr, lusplit, luidx, luval, dinv,
                        fv[1], iv[6], fv[2],
                    )  # fmt: skip
                else:
                    la.sparse_lu_solve(
                        n, luptr, lusplit, luidx, luval, dinv, rperm, order, b, x, fv[1]
                    )
            if nnz < 0:
                return

    sc = load_scenario(name)
    # the run, with the time spent in the compiled step loop apart
    best = None
    for _ in range(repeats):
        model, sim = build(RunSpec(scenario=sc))
        spent = [0.0, 0]
        orig = bdf.advance_addr

        def wrapped(*a: Any, _o: Any = orig, _s: list = spent) -> Any:
            t0 = time.process_time()
            out = _o(*a)
            _s[0] += time.process_time() - t0
            _s[1] += 1
            return out

        bdf.advance_addr = wrapped
        try:
            t0 = time.process_time()
            sim.advance(sc.duration)
            total = time.process_time() - t0
        finally:
            bdf.advance_addr = orig
        t0 = time.process_time()
        df = sim.results()
        t_res = time.process_time() - t0
        if best is None or total < best[0]:
            best = (total, spent[0], spent[1], t_res, model, sim, len(df))
    assert best is not None
    total, compiled, n_calls, t_res, model, sim, n_rows = best
    st = sim.integ.stats()
    net = model.net
    n = net.states.size
    # unit costs over the run's own recorded states
    t_rhs = t_roots = t_jac = 0.0
    n_rec = n_jac = 0
    jms = []
    out = np.empty(n)
    g = np.empty(max(net.n_roots, 1))
    jm = np.zeros((n, n))
    for seg, ts, ys_ in sim._chunks:
        d = sim._segments[seg]
        ts = np.ascontiguousarray(ts)
        ys_ = np.ascontiguousarray(ys_)
        stride = max(1, len(ts) // 4)
        loop_rhs(ts[:1], ys_[:1], net.p, net.ip, d, out, 1)
        loop_jac(ts[:1], ys_[:1], net.p, net.ip, d, jm, 1)
        loop_roots(ts[:1], ys_[:1], net.p, net.ip, d, g, 1)
        args = (ts, ys_, net.p, net.ip, d)
        t_rhs += _cpu_best(lambda a=args: loop_rhs(*a, out, 3)) / 3
        t_roots += _cpu_best(lambda a=args: loop_roots(*a, g, 3)) / 3
        t_jac += _cpu_best(lambda a=args, s=stride: loop_jac(*a, jm, s), 3)
        n_rec += len(ts)
        n_jac += len(range(0, len(ts), stride))
        for k in range(0, len(ts), stride):
            jms.append(net.jac(ts[k], ys_[k], d))
    u_rhs, u_roots, u_jac = t_rhs / n_rec, t_roots / n_rec, t_jac / n_jac
    jarr = np.ascontiguousarray(np.array(jms[:: max(1, len(jms) // 8)]))
    c = 0.1  # a typical h/alpha [s] of these runs
    reps = 20
    loop_lu(n, jarr[:1], c, 1, 0)
    loop_lu(n, jarr[:1], c, 1, 1)
    loop_lu(n, jarr[:1], c, 1, 2)
    base = _cpu_best(lambda: loop_lu(n, jarr, c, 0, 0), 3)
    u_full = (_cpu_best(lambda: loop_lu(n, jarr, c, reps, 0), 3) - base) / (reps * len(jarr))
    u_refac = (_cpu_best(lambda: loop_lu(n, jarr, c, reps, 1), 3) - base) / (reps * len(jarr))
    u_solve = (_cpu_best(lambda: loop_lu(n, jarr, c, 10 * reps, 2), 3) - base) / (
        10 * reps * len(jarr)
    )
    n_full = st["lu_full_factorizations"]
    parts = {
        "right-hand side (Newton iterations, starts)": st["rhs_calls"] * u_rhs,
        "Jacobian": st["jac_calls"] * u_jac,
        "event functions": st["root_calls"] * u_roots,
        "LU, full factorizations": n_full * u_full,
        "LU, numeric refactorizations": (st["lu_factorizations"] - n_full) * u_refac,
        "triangular solves": st["lu_solves"] * u_solve,
    }
    own = compiled - sum(parts.values())
    groups = getattr(net, "n_colors", 0)
    print(f"## {name}: {sc.duration:g} s simulated, CPU {total * 1e3:.1f} ms (best of {repeats})")
    print(
        f"{n} states, {groups} column groups, {getattr(net, 'n_chain', 0)} closure columns; "
        f"{st['steps']} steps, {st['rejected']} rejected, {st['convergence_failures']} "
        f"convergence failures, {sim.n_restarts} restarts"
    )
    print()
    print("| part | count | unit cost [us] | CPU [ms] | share |")
    print("|---|---|---|---|---|")
    counts = {
        "right-hand side (Newton iterations, starts)": (st["rhs_calls"], u_rhs),
        "Jacobian": (st["jac_calls"], u_jac),
        "event functions": (st["root_calls"], u_roots),
        "LU, full factorizations": (n_full, u_full),
        "LU, numeric refactorizations": (st["lu_factorizations"] - n_full, u_refac),
        "triangular solves": (st["lu_solves"], u_solve),
    }
    for k, v in parts.items():
        cnt, u = counts[k]
        print(f"| {k} | {cnt} | {u * 1e6:.1f} | {v * 1e3:.1f} | {v / total:.0%} |")
    print(
        f"| integrator's own work (predictor, error test, history, events, records) | "
        f"{st['steps']} steps | {own / max(st['steps'], 1) * 1e6:.1f} | {own * 1e3:.1f} | "
        f"{own / total:.0%} |"
    )
    py = total - compiled
    print(
        f"| Python between the calls ({n_calls} calls, restarts, events, actions) | "
        f"{n_calls} | {py / max(n_calls, 1) * 1e6:.0f} | {py * 1e3:.1f} | {py / total:.0%} |"
    )
    print(f"| **run** | | | **{total * 1e3:.1f}** | 100% |")
    print(
        f"| results() ({n_rows} rows: signals over the recorded states, DataFrame) | 1 | | "
        f"{t_res * 1e3:.1f} | (after the run) |"
    )
    print()


# --------------------------------------------------------------------------------------------
# start-up
# --------------------------------------------------------------------------------------------


def _timed_process(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def startup(repeats: int) -> None:
    """First-run and cached-run times of importing the kernel and of a CLI run."""
    py = sys.executable
    nppsim_cli = str(Path(py).with_name("nppsim"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        env["NPPSIM_CACHE_DIR"] = str(Path(tmp) / "cache")
        out = str(Path(tmp) / "run")
        imp = [py, "-c", "import nppsim.plant.kernel"]
        run = [nppsim_cli, "run", "turbine-trip", "--out", out, "--overwrite"]
        print(f"| what | empty cache [s] | cached [s] (best of {repeats}) |")
        print("|---|---|---|")
        for label, cmd in (("import nppsim.plant.kernel", imp), ("nppsim run turbine-trip", run)):
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
            first = _timed_process(cmd, env)
            cached = min(_timed_process(cmd, env) for _ in range(repeats))
            print(f"| {label} | {first:.1f} | {cached:.2f} |", flush=True)
        base = min(_timed_process([py, "-c", "pass"], env) for _ in range(repeats))
        print(f"| python -c pass | | {base:.2f} |")


def main(model: str = "plant", keys=PLANT_KEYS) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="*", help="scenario names (default: all built-in)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per scenario (best)")
    parser.add_argument("--no-scipy", action="store_true", help="skip the SciPy BDF runs")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the tight-run check")
    parser.add_argument("--profile", action="store_true", help="where the time goes")
    parser.add_argument("--startup", action="store_true", help="start-up cost (fresh processes)")
    args = parser.parse_args()
    if args.startup:
        startup(args.repeats)
        return
    names = args.scenarios or [s.name for s in list_scenarios() if s.scenario.model == model]
    if args.profile:
        for name in args.scenarios or ["turbine-trip", "load-follow"]:
            profile(name, args.repeats)
        return
    bench(names, keys, args.repeats, not args.no_scipy, not args.no_accuracy)


if __name__ == "__main__":
    main()

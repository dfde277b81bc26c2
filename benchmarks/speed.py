"""Speed of the whole plant (issue 13): real-time factor, yardstick units, accuracy, SciPy.

For each built-in plant scenario this prints

* ``real-time factor <scenario>: <number>``: simulated seconds per wall second of the run
  (best of ``--repeats``, one core; building the model and its steady state is excluded);
* ``yardstick units <scenario>: <number>``: that wall time divided by the wall time of
  ``../shared/benchmarks/yardstick.py`` measured in the same run (best of its measurements, taken
  before, between and after the scenarios: the machines here are shared, so the spread is
  printed too);
* ``deviation <scenario>: ...``: the largest deviation of the key quantities (power, pressures,
  temperatures, levels, flows) from a tight-tolerance reference run of the same scenario
  (rtol 1e-9, atol_scale 0.01), each against its stated tolerance (:data:`TOLERANCES`); the
  quantities are sampled on a regular grid through the engine's dense output (``advance`` to
  each sample time and ``read``), so the comparison does not depend on where steps fell;
* ``scipy ...``: the same lines for the same model under plain SciPy BDF
  (``SolverOptions(backend="scipy")``: SciPy's step loop in Python over the same compiled
  right-hand side, Jacobian and event functions) and the speed-up of the compiled engine.

``--profile`` prints instead where the time of a run goes (right-hand side, Jacobian, LU
factorizations, triangular solves, event functions, the integrator's own work, Python between
the calls, ``results()``), from the run's counters and the unit costs measured on its own
recorded states (CPU time, best of several: the figures of docs/performance.md).
``--startup`` measures the start-up: importing the kernel and ``nppsim run turbine-trip`` in
fresh processes, with an empty cache (compilation, tables) and with the cache filled.

Run: ``python benchmarks/speed.py`` (all plant scenarios; ``--quick`` for turbine-trip and
load-follow without SciPy), ``python benchmarks/speed.py --profile turbine-trip load-follow``,
``python benchmarks/speed.py --startup``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# one core: keep BLAS single-threaded (SciPy's BDF factors with LAPACK)
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from nppsim.engine.run import RunSpec, SolverOptions, build
from nppsim.scenarios import builtin_names, load_scenario

REPO = Path(__file__).resolve().parents[1]
YARDSTICK = REPO.parent / "shared" / "benchmarks" / "yardstick.py"

#: The tight-tolerance reference of every comparison.
REFERENCE = SolverOptions(rtol=1e-9, atol_scale=0.01)

#: Key quantities (recorded columns) and the largest deviation from the reference that the
#: default settings must stay within [SI]: a tenth to a hundredth of what plant instruments
#: resolve (thermal power +-2 %, pressures +-0.1 MPa, temperatures +-1 K, levels +-5 cm).
TOLERANCES: dict[str, float] = {
    "power_thermal_w": 3e6,  # 0.1 % of 3,000 MW
    "power_electric_w": 1e6,  # 0.1 % of 1,000 MW
    "pressure_primary_pa": 2e3,
    "pressure_steam_pa": 2e3,
    "pressure_header_pa": 2e3,
    "temp_coolant_inlet_k": 0.05,
    "temp_coolant_outlet_k": 0.05,
    "temp_fuel_avg_k": 0.1,
    "temp_fuel_max_k": 0.5,
    "level_pressurizer_m": 5e-3,
    "level_sg_min_m": 5e-3,
    "flow_core_kg_s": 10.0,  # 0.06 % of 17,600 kg/s
    "flow_feed_kg_s": 2.0,  # 0.1 % of 1,630 kg/s rated steam
    "flow_steam_kg_s": 2.0,
    "flow_surge_kg_s": 1.0,
}
#: How each kind of quantity is shown: (prefix of its columns, unit, factor from SI).
KINDS = (
    ("power", "MW", 1e-6),
    ("pressure", "kPa", 1e-3),
    ("temp", "K", 1.0),
    ("level", "mm", 1e3),
    ("flow", "kg/s", 1.0),
)


# --------------------------------------------------------------------------------------------
# yardstick
# --------------------------------------------------------------------------------------------


def _load_yardstick() -> Any:
    if not YARDSTICK.exists():
        return None
    spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["yardstick"] = mod
    spec.loader.exec_module(mod)
    return mod


class Yardstick:
    """The yardstick measured several times over the run (best and spread)."""

    def __init__(self) -> None:
        self.mod = _load_yardstick()
        self.values: list[float] = []

    def measure(self) -> None:
        if self.mod is not None:
            self.values.append(float(self.mod.yardstick_seconds()))

    @property
    def best(self) -> float:
        return min(self.values) if self.values else float("nan")

    def describe(self) -> str:
        if not self.values:
            return f"yardstick: not found at {YARDSTICK}"
        v = self.values
        return (
            f"yardstick wall: {min(v):.3f} s (best of {len(v)} measurements of best-of-3 "
            f"over the run; median {statistics.median(v):.3f} s, largest {max(v):.3f} s)"
        )


# --------------------------------------------------------------------------------------------
# runs
# --------------------------------------------------------------------------------------------


def plant_scenarios() -> list[str]:
    """The built-in scenarios of the whole plant."""
    return [n for n in builtin_names() if load_scenario(n).scenario.model == "plant"]


def timed(name: str, solver: SolverOptions, repeats: int) -> tuple[list[float], dict[str, Any]]:
    """Wall times [s] of ``repeats`` runs (model built outside the timing) and the last stats."""
    sc = load_scenario(name)
    walls = []
    stats: dict[str, Any] = {}
    for _ in range(repeats):
        _, sim = build(RunSpec(scenario=sc, solver=solver))
        t0 = time.perf_counter()
        sim.advance(sc.duration)
        walls.append(time.perf_counter() - t0)
        stats = sim.integ.stats() if hasattr(sim.integ, "stats") else {}
        stats = {**stats, "n_restarts": sim.n_restarts}
    return walls, stats


def sample_times(duration: float) -> np.ndarray:
    """A regular grid over the run: every second, at most about 3,000 points."""
    step = max(1.0, duration / 3000.0)
    n = int(np.floor(duration / step))
    return np.arange(1, n + 1) * step


def sampled(name: str, solver: SolverOptions) -> tuple[np.ndarray, np.ndarray]:
    """The key quantities on :func:`sample_times` (dense output of the engine)."""
    sc = load_scenario(name)
    _, sim = build(RunSpec(scenario=sc, solver=solver))
    keys = list(TOLERANCES)
    times = sample_times(sc.duration)
    out = np.empty((times.size, len(keys)))
    for k, t in enumerate(times):
        sim.advance(float(t))
        r = sim.read(keys)
        out[k] = [r[q] for q in keys]
    return times, out


def deviation_line(x: np.ndarray, ref: np.ndarray) -> tuple[str, float]:
    """The largest deviation per kind of quantity, and the worst fraction of a tolerance."""
    keys = list(TOLERANCES)
    dev = np.nanmax(np.abs(x - ref), axis=0)
    frac = dev / np.array([TOLERANCES[k] for k in keys])
    parts = []
    for prefix, unit, factor in KINDS:
        idx = [i for i, k in enumerate(keys) if k.startswith(prefix)]
        i = max(idx, key=lambda j: frac[j])
        parts.append(
            f"{prefix} {dev[i] * factor:.3g} {unit} ({keys[i]}, tolerance "
            f"{TOLERANCES[keys[i]] * factor:.3g})"
        )
    worst = float(np.nanmax(frac))
    verdict = "within tolerance" if worst <= 1.0 else "OUTSIDE TOLERANCE"
    return "; ".join(parts) + f" -> {worst:.2f} of the tolerance, {verdict}", worst


# --------------------------------------------------------------------------------------------
# the benchmark
# --------------------------------------------------------------------------------------------


def benchmark(names: list[str], repeats: int, scipy: bool, reference: bool) -> None:
    ys = Yardstick()
    ys.measure()
    print(f"yardstick wall (first): {ys.best:.3f} s", flush=True)
    rows = []
    for k, name in enumerate(names):
        sc = load_scenario(name)
        timed(name, SolverOptions(), 1)  # warm-up (loads the compiled kernels)
        walls, st = timed(name, SolverOptions(), repeats)
        best = min(walls)
        if k % 4 == 3:
            ys.measure()
        print(
            f"{name}: {sc.duration:g} s simulated, wall {best:.4f} s (best of {repeats}; "
            f"median {statistics.median(walls):.4f} s), {st.get('steps', 0)} steps, "
            f"{st.get('jac_calls', 0)} Jacobians, {st.get('rhs_calls', 0)} right-hand sides",
            flush=True,
        )
        print(f"real-time factor {name}: {sc.duration / best:.0f}", flush=True)
        print(f"yardstick units {name}: {best / ys.best:.3f}", flush=True)
        row = {"name": name, "wall": best, "rtf": sc.duration / best}
        if reference:
            _, ref = sampled(name, REFERENCE)
            _, x = sampled(name, SolverOptions())
            line, worst = deviation_line(x, ref)
            print(f"deviation {name}: {line}", flush=True)
            row["worst"] = worst
        if scipy:
            s_walls, s_st = timed(name, SolverOptions(backend="scipy"), 1)
            s_best = min(s_walls)
            print(
                f"scipy {name}: wall {s_best:.3f} s, {s_st.get('steps', 0)} steps "
                f"(SciPy BDF over the same compiled functions)",
                flush=True,
            )
            print(f"scipy real-time factor {name}: {sc.duration / s_best:.0f}", flush=True)
            print(f"scipy yardstick units {name}: {s_best / ys.best:.3f}", flush=True)
            print(f"speed-up over scipy {name}: {s_best / best:.1f}", flush=True)
            row["scipy"] = s_best
            if reference:
                _, xs = sampled(name, SolverOptions(backend="scipy"))
                line, _ = deviation_line(xs, ref)
                print(f"scipy deviation {name}: {line}", flush=True)
        rows.append(row)
    ys.measure()
    print(ys.describe())
    print()
    print("| scenario | wall [s] | real-time factor | yardstick units | worst deviation "
          "[tolerance] | SciPy wall [s] | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        # units with the best and the largest yardstick of the run: the spread of the figure
        lo, hi = r["wall"] / max(ys.values), r["wall"] / ys.best
        print(
            f"| {r['name']} | {r['wall']:.4f} | {r['rtf']:.0f} | {hi:.3f} ({lo:.3f} to {hi:.3f}) "
            f"| {r.get('worst', float('nan')):.2f} | {r.get('scipy', float('nan')):.2f} | "
            f"{r.get('scipy', float('nan')) / r['wall']:.0f} |"
        )


# --------------------------------------------------------------------------------------------
# profile
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

    @njit(cache=False)
    def loop_rhs(ts, ys, p, ip, d, out, reps):  # pragma: no cover - compiled
        for _ in range(reps):
            for k in range(ts.shape[0]):
                kernel.rhs(ts[k], ys[k], p, ip, d, out)

    @njit(cache=False)
    def loop_jac(ts, ys, p, ip, d, jm, stride):  # pragma: no cover - compiled
        for k in range(0, ts.shape[0], stride):
            kernel.jac(ts[k], ys[k], p, ip, d, jm)

    @njit(cache=False)
    def loop_roots(ts, ys, p, ip, d, g, reps):  # pragma: no cover - compiled
        for _ in range(reps):
            for k in range(ts.shape[0]):
                kernel.roots(ts[k], ys[k], p, ip, d, g)

    @njit(cache=False)
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
        run = [nppsim_cli, "run", "turbine-trip", "--out", out]
        print(f"| what | empty cache [s] | cached [s] (best of {repeats}) |")
        print("|---|---|---|")
        for label, cmd in (("import nppsim.plant.kernel", imp), ("nppsim run turbine-trip", run)):
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
            first = _timed_process(cmd, env)
            cached = min(_timed_process(cmd, env) for _ in range(repeats))
            print(f"| {label} | {first:.1f} | {cached:.2f} |", flush=True)
        base = min(_timed_process([py, "-c", "pass"], env) for _ in range(repeats))
        print(f"| python -c pass | | {base:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenarios", nargs="*", help="plant scenarios (default: all)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="turbine-trip and load-follow, no SciPy")
    ap.add_argument("--no-scipy", action="store_true")
    ap.add_argument("--no-reference", action="store_true", help="skip the accuracy check")
    ap.add_argument("--profile", action="store_true", help="where the time goes")
    ap.add_argument("--startup", action="store_true", help="start-up costs (fresh processes)")
    args = ap.parse_args()
    names = args.scenarios or (["turbine-trip", "load-follow"] if args.quick else None)
    if args.startup:
        startup(args.repeats)
        return
    if args.profile:
        for name in names or ["turbine-trip", "load-follow"]:
            profile(name, args.repeats)
        return
    benchmark(
        names or plant_scenarios(),
        args.repeats,
        scipy=not (args.no_scipy or args.quick),
        reference=not args.no_reference,
    )


if __name__ == "__main__":
    main()

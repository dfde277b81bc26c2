"""Benchmark of the compiled stiff integrator (:mod:`nppsim.engine.bdf`) against SciPy's BDF.

The problem is the 190-state plant-like test problem of :mod:`nppsim.engine._problems`
(six-group point kinetics, 94 decay-heat groups in a diagonal block, four axial zones of fuel
conduction, a 23-volume loop with a steam generator, pressurizer, controllers and instrument
lags), in three runs:

* ``load-follow``: 24 h, the turbine demand swings from 100 % to 75 % and back;
* ``trip``: 15 min after a reactivity step of 0.002: high-power trip (an event), scram;
* ``load-step``: 15 min after a turbine demand step to 70 %.

For each run it prints the wall time (best of several, one core) of nppsim's integrator and of
``scipy.integrate.solve_ivp(method="BDF")`` with the same compiled right-hand side and Jacobian
(called from Python; the trip handled by a terminal event and a second call), their steps and
function counts, and the figures in yardstick units (wall time divided by the wall time of
``../shared/benchmarks/yardstick.py`` measured in the same run). Then the cost of the parts:
right-hand side, LU factorization (full and numeric refactorization), triangular solve, the
integrator's own work per step, the Python-to-compiled call, and the compile and cache-load
times (measured in fresh processes).

Run: ``python benchmarks/integrator.py`` (``--quick`` skips SciPy and the compile timing).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: SciPy's LAPACK single-threaded
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from scipy.integrate import solve_ivp

from nppsim._jit import njit
from nppsim.engine import _problems as P
from nppsim.engine._linalg import (
    dense_to_csr,
    markowitz_order,
    sparse_lu_factor,
    sparse_lu_refactor,
    sparse_lu_solve,
)
from nppsim.engine.bdf import BDF, Status

REPO = Path(__file__).resolve().parents[1]
YARDSTICK = REPO.parent / "shared" / "benchmarks" / "yardstick.py"
RTOL = 1e-6

SCENARIOS = {
    "load-follow": (P.plant_discrete(swing=0.25), 86400.0),
    "trip": (P.plant_discrete(rho_ext=0.002), 900.0),
    "load-step": (P.plant_discrete(demand=0.7), 900.0),
}


def yardstick_seconds() -> float:
    """Wall time [s] of the shared yardstick problem (imported by path, measured now)."""
    spec = importlib.util.spec_from_file_location("yardstick", YARDSTICK)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(YARDSTICK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return float(module.yardstick_seconds())


def make_nppsim(d: np.ndarray) -> BDF:
    """The integrator for the plant-like problem (allocation, first restart)."""
    return BDF(
        P.plant_rhs, P.plant_jac, P.plant_roots, 3, d=d, y0=P.plant_steady_state(), rtol=RTOL,
        atol=P.plant_atol(), record_capacity=4096,
    )  # fmt: skip


def run_nppsim(d: np.ndarray, t_end: float, s: BDF | None = None) -> tuple[BDF, int]:
    """One run with the trip handled as the engine would: scram, restart, go on."""
    if s is None:
        s = make_nppsim(d)
    calls = 0
    while True:
        r = s.advance(t_end, t_end)
        calls += 1
        if r.status == Status.STOP:
            return s, calls
        if r.status == Status.EVENT:
            dd = s.d.copy()
            dd[0] = 1.0
            s.set_discrete(dd)


def run_scipy(d: np.ndarray, t_end: float) -> tuple[int, int, int, int, float]:
    """solve_ivp(BDF) with the same compiled functions; returns steps, nfev, njev, nlu, y_N."""
    pz, ipz = np.zeros(1), np.zeros(1, dtype=np.int64)
    n = P.PLANT_N
    dd = d.copy()

    def f(t: float, y: np.ndarray) -> np.ndarray:
        out = np.empty(n)
        P.plant_rhs(t, np.ascontiguousarray(y), pz, ipz, dd, out)
        return out

    def jac(t: float, y: np.ndarray) -> np.ndarray:
        out = np.zeros((n, n))
        P.plant_jac(t, np.ascontiguousarray(y), pz, ipz, dd, out)
        return out

    def trip(t: float, y: np.ndarray) -> float:
        g = np.empty(3)
        P.plant_roots(t, np.ascontiguousarray(y), pz, ipz, dd, g)
        return float(g.max())

    trip.terminal = True  # type: ignore[attr-defined]
    trip.direction = 1  # type: ignore[attr-defined]
    y0 = P.plant_steady_state()
    t0 = 0.0
    steps = nfev = njev = nlu = 0
    while True:
        sol = solve_ivp(
            f, (t0, t_end), y0, method="BDF", jac=jac, rtol=RTOL, atol=P.plant_atol(),
            events=trip,
        )  # fmt: skip
        if not sol.success:
            raise RuntimeError(sol.message)
        steps += sol.t.size - 1
        nfev, njev, nlu = nfev + sol.nfev, njev + sol.njev, nlu + sol.nlu
        if sol.status == 1:  # the trip: scram and go on
            t0 = float(sol.t_events[0][0])
            y0 = sol.y_events[0][0]
            dd[0] = 1.0
            continue
        return steps, nfev, njev, nlu, float(sol.y[P.O_N, -1])


def best_of(fn, repeats: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


@njit(nrt=True)
def _time_rhs(reps: int, y: np.ndarray, d: np.ndarray) -> float:  # pragma: no cover
    f = np.empty_like(y)
    p, ip = np.zeros(1), np.zeros(1, dtype=np.int64)
    s = 0.0
    for _ in range(reps):
        P.plant_rhs(0.0, y, p, ip, d, f)
        s += f[0]
    return s


@njit(nrt=True)
def _time_lu(reps: int, mode: int, n: int, ptr, idx, mval, order):  # pragma: no cover
    a = np.zeros((n, n))
    mark = np.zeros((n, n), dtype=np.int64)
    rc = np.zeros((n, n), dtype=np.int64)
    cr = np.zeros((n, n), dtype=np.int64)
    iv = np.zeros((8, n), dtype=np.int64)
    fv = np.zeros((3, n))
    luptr = np.zeros(n + 1, dtype=np.int64)
    lus = np.zeros(n, dtype=np.int64)
    luidx = np.zeros(n * n, dtype=np.int64)
    luval = np.zeros(n * n)
    dinv = np.zeros(n)
    rperm = np.zeros(n, dtype=np.int64)
    b = np.ones(n)
    x = np.zeros(n)
    _, nnz, _ = sparse_lu_factor(
        n, ptr, idx, mval, order, a, mark, rc, iv[0], cr, iv[1], rperm, iv[2], iv[3], iv[4],
        iv[5], fv[0], luptr, lus, luidx, luval, dinv,
    )  # fmt: skip
    for _ in range(reps):
        if mode == 0:
            sparse_lu_factor(
                n, ptr, idx, mval, order, a, mark, rc, iv[0], cr, iv[1], rperm, iv[2], iv[3],
                iv[4], iv[5], fv[0], luptr, lus, luidx, luval, dinv,
            )  # fmt: skip
        elif mode == 1:
            sparse_lu_refactor(
                n, ptr, idx, mval, order, rperm, luptr, lus, luidx, luval, dinv, fv[1], iv[6],
                fv[0],
            )  # fmt: skip
        else:
            sparse_lu_solve(n, luptr, lus, luidx, luval, dinv, rperm, order, b, x, fv[2])
    return nnz


def part_costs() -> dict[str, float]:
    """CPU cost [s] of one rhs call, one full LU, one refactorization, one solve (190 states)."""
    n = P.PLANT_N
    y = P.plant_steady_state()
    d = P.plant_discrete()
    jac = np.zeros((n, n))
    P.plant_jac(0.0, y, np.zeros(1), np.zeros(1, dtype=np.int64), d, jac)
    ptr, idx, val = np.zeros(n + 1, dtype=np.int64), np.zeros(n * n, np.int64), np.zeros(n * n)
    nnz = dense_to_csr(jac, ptr, idx, val)
    order = np.zeros(n, dtype=np.int64)
    markowitz_order(n, ptr, idx, order, np.zeros(n, dtype=np.int64))
    c = 0.05
    mval = -c * val
    for i in range(n):
        for q in range(ptr[i], ptr[i + 1]):
            if idx[q] == i:
                mval[q] += 1.0
    out: dict[str, float] = {"jac_nnz": float(nnz)}
    _time_rhs(1, y, d)
    reps = 200_000
    t0 = time.perf_counter()
    _time_rhs(reps, y, d)
    out["rhs"] = (time.perf_counter() - t0) / reps
    for name, mode, reps in (("lu_full", 0, 2000), ("lu_refactor", 1, 5000), ("solve", 2, 50_000)):
        lu_nnz = _time_lu(1, mode, n, ptr, idx, mval, order)
        t0 = time.perf_counter()
        _time_lu(reps, mode, n, ptr, idx, mval, order)
        out[name] = (time.perf_counter() - t0) / reps
    out["lu_nnz"] = float(lu_nnz + n)
    return out


def diagonal_overhead(n: int = P.PLANT_N) -> tuple[float, int]:
    """Wall time per step [s] on n independent decays (rates 1e-3 to 1e3 /s): the Jacobian
    is diagonal, so this is the integrator's own work per step (predictor, Newton loop, error
    test, history update, order selection, records), with a trivial right-hand side and LU.
    Timed from t = 10 s to 1000 s, after the first steps have touched every work array."""
    lam = np.logspace(-3.0, 3.0, n)
    best = np.inf
    steps = 0
    for _ in range(5):
        s = BDF(P.decay_rhs, P.decay_jac, p=lam, y0=np.ones(n), rtol=RTOL, atol=1e-9,
                record_capacity=2000)  # fmt: skip
        s.advance(10.0, 10.0)
        before = s.stats["steps"]
        t0 = time.perf_counter()
        s.advance(1000.0, 1000.0)
        best = min(best, time.perf_counter() - t0)
        steps = s.stats["steps"] - before
    return best / steps, steps


def call_overhead() -> tuple[float, float]:
    """Cost [s] of BDF.advance returning at once (target reached) and of a one-step call
    (3-state problem with steps of at most 1 ms)."""
    s = BDF(P.poly_rhs, P.poly_jac, y0=np.zeros(3), h_max=1e-3)
    s.advance(1e-3, 1e-3)
    reps = 20_000
    t0 = time.perf_counter()
    for _ in range(reps):
        s.advance(0.0)
    empty = (time.perf_counter() - t0) / reps
    t0 = time.perf_counter()
    for _ in range(reps):
        s.advance(np.inf, max_steps=1)
    one = (time.perf_counter() - t0) / reps
    return empty, one


def compile_times() -> tuple[float, float]:
    """Seconds to import and run once in a fresh process with an empty cache, then cached."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from nppsim.engine import bdf, _problems as P\n"
        "s = bdf.BDF(P.plant_rhs, P.plant_jac, P.plant_roots, 3, d=P.plant_discrete(),"
        " y0=P.plant_steady_state(), atol=P.plant_atol())\n"
        "s.advance(10.0, 10.0)\n"
        "print(time.perf_counter() - t0)\n"
    )
    out = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for _ in range(2):
            r = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            out.append(float(r.stdout.split()[-1]))
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip SciPy and compile timing")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    yard = yardstick_seconds()
    print(f"yardstick wall: {yard:.3f} s")
    costs = part_costs()
    run_nppsim(*SCENARIOS["trip"])  # warm-up
    for name, (d, t_end) in SCENARIOS.items():
        wall, (s, calls) = best_of(lambda d=d, t_end=t_end: run_nppsim(d, t_end), args.repeats)
        setup, _ = best_of(lambda d=d: make_nppsim(d), args.repeats)
        st = s.stats
        linalg = (
            st["lu_full_factorizations"] * costs["lu_full"]
            + (st["lu_factorizations"] - st["lu_full_factorizations"]) * costs["lu_refactor"]
            + st["lu_solves"] * costs["solve"]
        )
        own = (wall - setup - st["rhs_calls"] * costs["rhs"] - linalg) / st["steps"]
        print(
            f"nppsim {name}: wall {wall * 1e3:.2f} ms, yardstick units {wall / yard:.4f}, "
            f"real-time factor {t_end / wall:.3g}, steps {st['steps']} "
            f"(rejected {st['rejected']}), rhs {st['rhs_calls']}, jac {st['jac_calls']}, "
            f"LU {st['lu_factorizations']} ({st['lu_full_factorizations']} full), "
            f"solves {st['lu_solves']}, python calls {calls}; of the wall time, setup "
            f"(allocation, first restart) {setup * 1e3:.2f} ms"
        )
        per_step = (wall - setup) / st["steps"]
        print(
            f"nppsim {name}: {per_step * 1e6:.1f} us/step after setup = rhs "
            f"{st['rhs_calls'] * costs['rhs'] / st['steps'] * 1e6:.1f} + LU and solves "
            f"{linalg / st['steps'] * 1e6:.1f} + the rest (integrator, jac, events) "
            f"{own * 1e6:.1f} us; final n = {s.y[P.O_N]:.5f}"
        )
        if not args.quick:
            repeats = 1 if t_end > 10_000 else 2
            wall_sp, out = best_of(lambda d=d, t_end=t_end: run_scipy(d, t_end), repeats)
            steps, nfev, njev, nlu, n_end = out  # type: ignore[misc]
            print(
                f"scipy BDF {name}: wall {wall_sp * 1e3:.1f} ms, yardstick units "
                f"{wall_sp / yard:.4f}, steps {steps}, rhs {nfev}, jac {njev}, LU {nlu}, "
                f"final n = {n_end:.5f}; nppsim is {wall_sp / wall:.0f} x faster"
            )
    print(
        f"parts (190 states, J with {costs['jac_nnz']:.0f} non-zeros, LU factors "
        f"{costs['lu_nnz']:.0f}): rhs {costs['rhs'] * 1e6:.2f} us, full LU "
        f"{costs['lu_full'] * 1e6:.1f} us, refactorization {costs['lu_refactor'] * 1e6:.1f} us, "
        f"solve {costs['solve'] * 1e6:.2f} us (dense n^3/3 = {P.PLANT_N**3 / 3:.3g} flops)"
    )
    diag, diag_steps = diagonal_overhead()
    print(
        f"integrator's own work (190 independent decays, diagonal J, {diag_steps} steps): "
        f"{diag * 1e6:.1f} us/step, {diag / P.PLANT_N * 1e9:.0f} ns per state and step"
    )
    empty, one = call_overhead()
    print(
        f"python call: advance returning at once {empty * 1e6:.1f} us, "
        f"one step of a 3-state problem {one * 1e6:.1f} us"
    )
    if not args.quick:
        cold, warm = compile_times()
        print(
            f"fresh process, import + first run of the plant problem: {cold:.1f} s with an empty "
            f"cache (compilation), {warm:.1f} s with the cache"
        )


if __name__ == "__main__":
    main()

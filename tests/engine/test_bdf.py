"""The compiled stiff integrator against independent references.

References: analytic solutions, the exact inhour solution of point kinetics
(:func:`nppsim.physics.point_kinetics.solve`), SciPy's Radau IIA at tight tolerances, the roots
of the integrator's own interpolant found by Brent's method, and bit-for-bit identity where
determinism is claimed.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from nppsim.engine import _problems as P
from nppsim.engine.bdf import BDF, Status
from nppsim.errors import SolverError
from nppsim.physics import point_kinetics as pk

REPO = Path(__file__).resolve().parents[2]


def run_to(s: BDF, t_end: float, *, on_event=None) -> tuple[np.ndarray, np.ndarray]:
    """Advance to exactly ``t_end`` (as a hard stop); returns all recorded steps."""
    ts, ys = [], []
    while True:
        r = s.advance(t_end, t_end)
        ts.append(r.t.copy())
        ys.append(r.y.copy())
        if r.status == Status.STOP:
            break
        if r.status == Status.EVENT:
            assert on_event is not None, f"unexpected event {r.event} at t = {s.t}"
            on_event(s, r.event)
    return np.concatenate(ts), np.concatenate(ys)


def kinetics(rho: float, rtol: float, gen: float = 2e-5) -> BDF:
    return BDF(
        P.kinetics_rhs,
        P.kinetics_jac,
        P.kinetics_roots,
        1,
        p=np.r_[gen, P.BETA, P.LAMBDA_D],
        ip=[6],
        d=[rho, 1e300],
        y0=np.ones(7),
        rtol=rtol,
        atol=1e-12,
    )


def plant(d: np.ndarray, rtol: float = 1e-6, capacity: int = 1024) -> BDF:
    return BDF(
        P.plant_rhs,
        P.plant_jac,
        P.plant_roots,
        3,
        d=d,
        y0=P.plant_steady_state(),
        rtol=rtol,
        atol=P.plant_atol(),
        record_capacity=capacity,
    )


def scram(s: BDF, event: int) -> None:
    d = s.d.copy()
    d[0] = 1.0
    s.set_discrete(d)


# --------------------------------------------------------------------------------------------------
# Accuracy against references
# --------------------------------------------------------------------------------------------------


def test_exponential_decay_matches_analytic() -> None:
    lam = np.array([1.0, 10.0, 0.1, 1.0e4])  # the last is stiff
    rtol = 1e-8
    s = BDF(P.decay_rhs, P.decay_jac, p=lam, y0=np.ones(4), rtol=rtol, atol=1e-14)
    t, y = run_to(s, 5.0)
    assert s.t == 5.0
    exact = np.exp(-np.outer(t, lam))
    # global error within 10 rtol of the largest value (the solution decays from 1)
    assert np.max(np.abs(y - exact)) < 10 * rtol
    # dense output inside the last step, same accuracy
    tq = np.linspace(s.t_prev, s.t, 7)
    assert np.max(np.abs(s.dense(tq) - np.exp(-np.outer(tq, lam)))) < 10 * rtol
    with pytest.raises(ValueError, match="dense output"):
        s.dense(s.t_prev - 0.1 * s.h)


def test_robertson_matches_radau_and_conserves_mass() -> None:
    """Robertson's stiff kinetics (Hairer & Wanner 1996, §IV.1) to t = 4e10 against SciPy's
    Radau IIA at rtol 1e-10; y1 + y2 + y3 = 1 is a linear invariant that BDF keeps to
    round-off."""

    def f(t, y):
        return [
            -0.04 * y[0] + 1e4 * y[1] * y[2],
            0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2,
            3e7 * y[1] ** 2,
        ]

    def jac(t, y):
        return [
            [-0.04, 1e4 * y[2], 1e4 * y[1]],
            [0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1]],
            [0.0, 6e7 * y[1], 0.0],
        ]

    times = np.array([0.4, 40.0, 4e3, 4e5, 4e7, 4e10])
    ref = solve_ivp(
        f, (0, times[-1]), [1.0, 0, 0], "Radau", t_eval=times, jac=jac, rtol=1e-10,
        atol=[1e-20, 1e-24, 1e-20],
    )  # fmt: skip
    rtol, atol = 1e-7, np.array([1e-12, 1e-16, 1e-12])
    s = BDF(P.robertson_rhs, P.robertson_jac, y0=[1.0, 0.0, 0.0], rtol=rtol, atol=atol)
    out = []
    for t_end in times:
        run_to(s, t_end)
        out.append(s.y)
        assert abs(s.y.sum() - 1.0) < 1e-14
    out = np.array(out).T
    # global error in units of the local tolerance (atol + rtol |y|): a few tens at most
    weighted = np.abs(out - ref.y) / (atol[:, None] + rtol * np.abs(ref.y))
    assert weighted.max() < 50


def test_van_der_pol_mu_1000_crossing_times() -> None:
    """vdp1000 (Shampine & Reichelt 1997): the upward zero crossing of y1 near t = 1614, a
    sharp transition, against Radau at rtol 1e-10; the error falls with the tolerance."""
    mu = 1000.0

    def f(t, y):
        return [y[1], mu * (1 - y[0] ** 2) * y[1] - y[0]]

    def jac(t, y):
        return [[0.0, 1.0], [-2 * mu * y[0] * y[1] - 1, mu * (1 - y[0] ** 2)]]

    def g(t, y):
        return y[0]

    g.direction = 1
    ref = solve_ivp(f, (0, 2000), [2.0, 0.0], "Radau", jac=jac, events=g, rtol=1e-10, atol=1e-10)
    t_ref = ref.t_events[0][0]
    errors = []
    for rtol in (1e-5, 1e-7):
        s = BDF(P.vdp_rhs, P.vdp_jac, P.vdp_roots, 1, p=[mu], y0=[2.0, 0.0], rtol=rtol, atol=rtol)
        crossings: list[float] = []
        run_to(s, 2000.0, on_event=lambda s, ev, out=crossings: out.append(s.t))
        assert len(crossings) == 1
        errors.append(abs(crossings[0] - t_ref))
    assert errors[0] < 1e-3 * t_ref
    assert errors[1] < 3e-5 * t_ref
    assert errors[1] < errors[0] / 10


@pytest.mark.parametrize("rho", [0.003, -0.01, 0.0075])
def test_point_kinetics_step_matches_inhour_solution(rho: float) -> None:
    """Six-group point kinetics after a reactivity step (below, above prompt critical, and a
    shutdown) against the exact inhour-root solution."""
    times = np.array([1e-3, 0.01, 0.1, 1.0, 10.0, 30.0])
    if rho > 0.0065:
        times = times[times <= 0.1]  # prompt supercritical: n grows as exp(t / 0.0004 s)
    ex = pk.solve(P.BETA, P.LAMBDA_D, 2e-5, pk.Step(rho), times, method="exact")
    rtol = 1e-8
    s = kinetics(rho, rtol)
    out = []
    for t_end in times:
        run_to(s, t_end)
        out.append(s.y)
    out = np.array(out)
    # relative error of n and of the precursors below 100 rtol (global error of a growing mode)
    assert np.max(np.abs(out[:, 0] / ex.n - 1.0)) < 100 * rtol
    assert np.max(np.abs(out[:, 1:] / ex.c.T - 1.0)) < 100 * rtol


def test_error_scales_with_rtol() -> None:
    """Largest global error of point kinetics over every recorded step of 20 s, for rtol 1e-4
    to 1e-10: within 30 rtol, and down by more than a decade per two decades of rtol."""
    rho = 0.003
    errs = []
    for rtol in (1e-4, 1e-6, 1e-8, 1e-10):
        s = kinetics(rho, rtol)
        t, y = run_to(s, 20.0)
        ex = pk.solve(P.BETA, P.LAMBDA_D, 2e-5, pk.Step(rho), t, method="exact")
        err = np.max(np.abs(y[:, 0] / ex.n - 1.0))
        errs.append(err)
        assert err < 30 * rtol
    for a, b in itertools.pairwise(errs):
        assert b < a / 10
    slope = np.polyfit(np.log10([1e-4, 1e-6, 1e-8, 1e-10]), np.log10(errs), 1)[0]
    assert 0.7 < slope < 1.3


# --------------------------------------------------------------------------------------------------
# Events, stops, restarts
# --------------------------------------------------------------------------------------------------


def test_event_time_is_the_root_of_the_interpolant() -> None:
    """y = (t, t^2, sin t): the crossing sin t = 0.5 is located to 1e-10 relative on the
    step's interpolant (the root of that polynomial found by Brent's method on a twin run
    without events), on the side where g >= 0; and to solution accuracy from pi/6."""
    rtol = 1e-9
    kw = {"y0": np.zeros(3), "rtol": rtol, "atol": 1e-12, "h0": 1e-3}
    s = BDF(P.poly_rhs, P.poly_jac, P.poly_roots, 3, d=[2.25, 0.5, -1.0], **kw)
    twin = BDF(P.poly_rhs, P.poly_jac, P.poly_roots, 3, d=[1e300, 1e300, -1.0], **kw)
    r = s.advance(6.0, 6.0)
    assert r.status == Status.EVENT and r.event == 1
    assert list(s.fired) == [False, True, False]
    t_ev = s.t
    while twin.t < t_ev:
        twin.advance(np.inf, max_steps=1)
    assert twin.t_prev < t_ev <= twin.t
    t_root = brentq(lambda t: twin.dense(t)[2] - 0.5, twin.t_prev, twin.t, xtol=1e-15, rtol=1e-15)
    assert 0.0 <= t_ev - t_root < 1e-10 * t_root
    assert abs(t_ev - np.pi / 6) < 10 * rtol
    # the state is cut at the event and equals the interpolant there; recorded as last step
    np.testing.assert_array_equal(r.t[-1], t_ev)
    np.testing.assert_array_equal(r.y[-1], s.y)
    np.testing.assert_allclose(s.y, twin.dense(t_ev), rtol=0, atol=1e-15)
    # the run goes on without restart; t^2 = 2.25 fires at t = 1.5
    r = s.advance(6.0, 6.0)
    assert r.status == Status.EVENT and r.event == 0
    assert abs(s.t - 1.5) < 10 * rtol
    assert s.advance(6.0, 6.0).status == Status.STOP  # sin t next crosses 0.5 at 2 pi + pi/6


def test_t_stop_is_landed_exactly_and_never_passed() -> None:
    rtol = 1e-7
    s = kinetics(0.001, rtol)
    stops = [0.1234567, 0.5, 0.5 + 1e-9, 2.0, 7.77]
    last_t = 0.0
    for t_stop in stops:
        r = s.advance(np.inf, t_stop)
        assert r.status == Status.STOP
        assert s.t == t_stop  # exactly, bit for bit
        assert np.all(r.t <= t_stop) and r.t[-1] == t_stop
        assert np.all(np.diff(np.r_[last_t, r.t]) > 0)
        last_t = t_stop
    ex = pk.solve(P.BETA, P.LAMBDA_D, 2e-5, pk.Step(0.001), [7.77], method="exact")
    assert abs(s.y[0] / ex.n[0] - 1.0) < 100 * rtol
    # a target before the stop: the integrator may pass the target, never the stop
    r = s.advance(8.0, 8.0001)
    assert r.status in (Status.TARGET, Status.STOP) and 8.0 <= s.t <= 8.0001
    with pytest.raises(SolverError, match="t_stop must be >= t"):
        s.advance(10.0, 1.0)  # a stop in the past
    # a stop within round-off of t (too close for a step) is reached too
    t_next = np.nextafter(np.nextafter(s.t, np.inf), np.inf)
    r = s.advance(np.inf, t_next)
    assert r.status == Status.STOP and s.t == t_next and r.n == 1
    assert s.advance(np.inf, 9.0).status == Status.STOP and s.t == 9.0


def test_frequent_stops_do_not_freeze_the_step_size() -> None:
    """A stop every second (as a steered engine may ask) costs about one step per stop, not
    several: the steps shortened to meet stops keep the step-size growth going."""
    d = P.plant_discrete(demand=0.7)
    free = plant(d)
    run_to(free, 300.0)
    s = plant(d)
    for t_stop in np.arange(1.0, 300.5, 1.0):
        run_to(s, t_stop)
    assert s.t == 300.0
    assert s.stats["steps"] <= 300 + free.stats["steps"]
    # the same solution within 100 local tolerances (the two runs take different steps)
    weighted = np.abs(s.y - free.y) / (P.plant_atol() + 1e-6 * np.abs(free.y))
    assert weighted.max() < 100


def test_restart_after_a_reactivity_step() -> None:
    """Critical until t = 1 s, then a step of 0.003 applied with set_discrete at a hard stop
    (restart): afterwards n follows the exact solution shifted by 1 s."""
    rtol = 1e-8
    s = kinetics(0.0, rtol)
    run_to(s, 1.0)
    np.testing.assert_allclose(s.y, 1.0, rtol=1e-12)
    s.set_discrete([0.003, 1e300])
    assert s.order == 1 and s.stats["restarts"] == 2
    times = np.array([1.001, 1.1, 2.0, 11.0])
    ex = pk.solve(P.BETA, P.LAMBDA_D, 2e-5, pk.Step(0.003), times - 1.0, method="exact")
    for t_end, n_ex in zip(times, ex.n, strict=True):
        run_to(s, t_end)
        assert abs(s.y[0] / n_ex - 1.0) < 100 * rtol


def test_event_then_restart_with_new_discrete_state() -> None:
    """Power reaches 1.5 (event), the caller inserts -0.01 and restarts: the event time matches
    the exact solution, and the power then falls as the exact two-phase solution says."""
    rtol = 1e-9
    s = kinetics(0.004, rtol)
    s.set_discrete([0.004, 1.5], restart=False)
    r = s.advance(100.0, 100.0)
    assert r.status == Status.EVENT and r.event == 0
    t_ev = s.t
    ex = pk.solve(P.BETA, P.LAMBDA_D, 2e-5, pk.Step(0.004), [t_ev], method="exact")
    # n(t_ev) = 1.5 to the solution accuracy; the event sits on the g >= 0 side
    assert s.y[0] >= 1.5 - 1e-12
    assert abs(ex.n[0] - 1.5) < 1e-6
    s.set_discrete([-0.01, 1e300])  # scram-like step and no more events
    run_to(s, t_ev + 5.0)
    assert s.y[0] < 0.5


def test_plant_trip_event_and_scram() -> None:
    """The 190-state plant-like problem: a reactivity step of 0.002 trips the reactor on high
    power (event 0 at n = 1.10); after the scram the power falls to decay-heat levels."""
    s = plant(P.plant_discrete(rho_ext=0.002))
    events = []
    run_to(s, 60.0, on_event=lambda s, ev: (events.append((ev, s.t, s.y[P.O_N])), scram(s, ev)))
    assert len(events) == 1 and events[0][0] == 0
    assert abs(events[0][2] - 1.10) < 1e-6
    assert 0.0 < s.y[P.O_N] < 0.1
    st = s.stats
    assert st["jac_calls"] < st["steps"] / 5 and st["lu_factorizations"] < st["steps"] / 2
    assert st["lu_nnz"] < 0.12 * P.PLANT_N**2  # about nnz(J): no fill-in to speak of


# --------------------------------------------------------------------------------------------------
# Determinism, snapshots, threads
# --------------------------------------------------------------------------------------------------


def _plant_run(s: BDF, t_end: float) -> tuple[np.ndarray, np.ndarray]:
    return run_to(s, t_end, on_event=scram)


def test_snapshot_continues_bit_for_bit() -> None:
    """Snapshots (bytes, copy) taken at a hard stop before and after a trip continue exactly as
    the original: same recorded steps, same final state arrays, same counters."""
    d = P.plant_discrete(rho_ext=0.0015, demand=0.9)
    for split in (0.7, 30.0):  # before and after the trip
        s = plant(d)
        _plant_run(s, split)
        snapshot = s.to_bytes()
        copy = s.copy()
        t2, y2 = _plant_run(s, 200.0)
        restored = BDF.from_bytes(snapshot, P.plant_rhs, P.plant_jac, P.plant_roots)
        t3, y3 = _plant_run(restored, 200.0)
        t4, y4 = _plant_run(copy, 200.0)
        assert t2.size > 20
        for t, y in ((t3, y3), (t4, y4)):
            np.testing.assert_array_equal(t, t2)
            np.testing.assert_array_equal(y, y2)
        for other in (restored, copy):
            np.testing.assert_array_equal(other.fs, s.fs)
            np.testing.assert_array_equal(other.ist, s.ist)
            np.testing.assert_array_equal(other.d, s.d)


def test_snapshot_in_the_middle_of_a_step_sequence() -> None:
    """A snapshot taken when the record buffer filled (not at a stop) continues bit for bit as
    the uninterrupted run, and so does a run whose records come in chunks of 7 steps."""
    d = P.plant_discrete(demand=0.7)
    ref = plant(d)
    t_ref, y_ref = _plant_run(ref, 300.0)
    s = plant(d, capacity=7)
    chunks_t, chunks_y = [], []
    snapshot = None
    while True:
        r = s.advance(300.0, 300.0)
        chunks_t.append(r.t.copy())
        chunks_y.append(r.y.copy())
        if snapshot is None and r.status == Status.MAX_STEPS:
            snapshot = s.get_state()
        if r.status == Status.STOP:
            break
        assert r.status == Status.MAX_STEPS
    np.testing.assert_array_equal(np.concatenate(chunks_t), t_ref)
    np.testing.assert_array_equal(np.concatenate(chunks_y), y_ref)
    restored = plant(d)
    restored.set_state(snapshot)
    t3, y3 = _plant_run(restored, 300.0)
    np.testing.assert_array_equal(t3, t_ref[7:])
    np.testing.assert_array_equal(y3, y_ref[7:])


def test_two_threads_give_the_serial_bits() -> None:
    cases = [P.plant_discrete(rho_ext=0.002), P.plant_discrete(demand=0.6)]
    serial = [_plant_run(plant(d), 120.0) for d in cases]
    results: list = [None, None]

    def work(i: int) -> None:
        results[i] = _plant_run(plant(cases[i]), 120.0)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for (ts, ys), (tt, yt) in zip(serial, results, strict=True):
        np.testing.assert_array_equal(ts, tt)
        np.testing.assert_array_equal(ys, yt)


def test_same_inputs_same_bits_whatever_ran_before() -> None:
    d = P.plant_discrete(demand=0.8)
    a = _plant_run(plant(d), 100.0)
    _plant_run(plant(P.plant_discrete(rho_ext=0.002)), 50.0)  # something else in between
    kinetics(0.003, 1e-6).advance(1.0, 1.0)
    b = _plant_run(plant(d), 100.0)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_second_process_loads_the_compiled_code_from_the_cache() -> None:
    code = (
        "import numpy as np\n"
        "from nppsim.engine import bdf, _problems as P\n"
        "s = bdf.BDF(P.decay_rhs, P.decay_jac, p=[1.0], y0=[1.0])\n"
        "s.advance(1.0, 1.0)\n"
        "fs = [bdf.advance_core, bdf.advance_addr, bdf.restart_addr, bdf.dense_core]\n"
        "print(sum(sum(f.stats.cache_hits.values()) for f in fs),"
        " sum(sum(f.stats.cache_misses.values()) for f in fs))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    hits, misses = map(int, out.stdout.split())
    assert hits == 4 and misses == 0


@pytest.mark.slow
def test_python_backend_matches_compiled() -> None:
    """With NUMBA_DISABLE_JIT=1 the same kernels run as Python and give the same numbers."""
    code = (
        "import numpy as np\n"
        "from nppsim.engine import bdf, _problems as P\n"
        "s = bdf.BDF(P.kinetics_rhs, P.kinetics_jac, P.kinetics_roots, 1,"
        " p=np.r_[2e-5, P.BETA, P.LAMBDA_D], ip=[6], d=[0.003, 1e300], y0=np.ones(7),"
        " rtol=1e-6, atol=1e-12)\n"
        "s.advance(2.0, 2.0)\n"
        "print(' '.join(float(v).hex() for v in s.y), s.stats['steps'])\n"
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
        env=env,
    )  # fmt: skip
    *y_hex, steps = out.stdout.split()
    s = kinetics(0.003, 1e-6)
    s.advance(2.0, 2.0)
    assert int(steps) == s.stats["steps"]
    np.testing.assert_allclose([float.fromhex(v) for v in y_hex], s.y, rtol=1e-12)


# --------------------------------------------------------------------------------------------------
# Failures and bad input
# --------------------------------------------------------------------------------------------------


def test_blow_up_is_reported_not_hidden() -> None:
    s = BDF(P.blowup_rhs, P.blowup_jac, y0=[1.0], rtol=1e-6, atol=1e-9)
    with pytest.raises(SolverError, match=r"integrator failed at t = 0\.99"):
        s.advance(2.0, 2.0)
    s = BDF(P.blowup_rhs, P.blowup_jac, y0=[1.0], rtol=1e-6, atol=1e-9)
    r = s.advance(2.0, 2.0, check=False)
    assert r.status < 0 and 0.99 < s.t < 1.0
    assert np.all(np.diff(r.t) > 0) and np.all(np.isfinite(r.y))


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="rtol"):
        BDF(P.decay_rhs, P.decay_jac, p=[1.0], y0=[1.0], rtol=0.5)
    with pytest.raises(ValueError, match="atol"):
        BDF(P.decay_rhs, P.decay_jac, p=[1.0], y0=[1.0], atol=-1.0)
    with pytest.raises(ValueError, match="roots"):
        BDF(P.decay_rhs, P.decay_jac, None, 2, p=[1.0], y0=[1.0])
    with pytest.raises(TypeError, match="compiled"):
        BDF(lambda *a: None, P.decay_jac, p=[1.0], y0=[1.0])
    s = BDF(P.decay_rhs, P.decay_jac, p=[1.0], y0=[1.0])
    with pytest.raises(ValueError, match="y must have 1"):
        s.restart(0.0, [1.0, 2.0])
    r = s.advance(1.0, 1.0, rec_t=np.zeros(4), rec_y=np.zeros((4, 3)), check=False)
    assert r.status == Status.BAD_INPUT
    with pytest.raises(ValueError, match="n = 1"):
        BDF(P.decay_rhs, P.decay_jac, p=[1.0, 1.0], y0=[1.0, 1.0]).set_state(s.get_state())


def test_jacobian_pattern_only_grows() -> None:
    """A new Jacobian outside the stored pattern is stored on the union of both (the old
    positions as explicit zeros), so that the next Jacobians fit it."""
    from nppsim.engine._linalg import dense_to_csr
    from nppsim.engine.bdf import _csr_union

    n = 3
    ptr = np.zeros(n + 1, np.int64)
    idx = np.zeros(n * n, np.int64)
    val = np.zeros(n * n)
    old = np.array([[1.0, 5.0, 0.0], [0.0, 2.0, 0.0], [7.0, 0.0, 3.0]])
    nnz_old = dense_to_csr(old, ptr, idx, val)
    new = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 4.0], [0.0, 0.0, 0.0]])
    nnz = _csr_union(new, ptr, idx, val, n, nnz_old)
    got = {(i, int(idx[q])): float(val[q]) for i in range(n) for q in range(ptr[i], ptr[i + 1])}
    assert nnz == 6
    assert got == {
        (0, 0): 1.0, (0, 1): 0.0, (1, 1): 0.0, (1, 2): 4.0, (2, 0): 0.0, (2, 2): 0.0,
    }  # fmt: skip


def test_csr_refill_fits_exactly_the_stored_pattern() -> None:
    """A dense Jacobian fits the stored pattern iff it has no non-zero outside it; when it fits,
    the pattern's values are its entries there (explicit zeros included)."""
    from nppsim.engine._linalg import dense_to_csr
    from nppsim.engine.bdf import _csr_refill

    rng = np.random.default_rng(7)
    n = 40
    for trial in range(30):
        mask = rng.random((n, n)) < 0.1
        pattern = np.where(mask, 1.0, 0.0)
        ptr = np.zeros(n + 1, np.int64)
        idx = np.zeros(n * n, np.int64)
        val = np.zeros(n * n)
        nnz = dense_to_csr(pattern, ptr, idx, val)
        stored = np.zeros((n, n), bool)
        for i in range(n):
            stored[i, idx[ptr[i] : ptr[i + 1]]] = True
        # inside the pattern, some of it zero now
        a = np.where(stored & (rng.random((n, n)) < 0.7), rng.normal(size=(n, n)), 0.0)
        if trial % 2:
            # one non-zero outside the pattern
            i, j = np.argwhere(~stored)[rng.integers(np.count_nonzero(~stored))]
            a[i, j] = 1e-300
        fits = _csr_refill(a, ptr, idx, val, n)
        assert fits == (trial % 2 == 0)
        if fits:
            for i in range(n):
                row = slice(ptr[i], ptr[i + 1])
                assert np.array_equal(val[row], a[i, idx[row]])
        assert nnz == ptr[n]

"""The plant's Jacobian (issue 13): the structured one (column groups from the declared
dependencies, the closure by the chain rule, analytic columns) against a dense one, column by
column through the whole right-hand side, at states along built-in scenarios.

A dependency left out of a component's declarations (a signal that reads a state it does not
declare), a closure input missed by the chain rule, or a wrong grouping shows up here as an entry
the structured Jacobian lacks. The only entries it leaves out on purpose are those of the *sinks*
(state blocks no rate reads, the energy balance's integrals): their rows keep their own block
only (see :meth:`Network._jacobian_structure`); they are compared for that block alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine.run import RunSpec, build
from nppsim.plant import kernel

#: scenario, times [s] at which the Jacobian is compared (before and after its events)
CASES = [
    ("turbine-trip", (5.0, 40.0, 300.0)),
    ("rcp-start", (30.0, 70.0)),
    ("load-follow", (7200.0,)),
    ("rcp-trip-one", (20.0,)),
    # the other designs: a gas pressurizer's closure, passive heat removal (a closure declared for
    # the structure only), second-stage accumulators
    ("natural-circulation", (30.0, 300.0)),
    ("power-manoeuvre", (600.0,)),
    ("station-blackout-24h", (120.0, 3600.0)),
]


def _dense(net, t, y, d):
    """Forward differences of every column through the whole right-hand side, with the same
    increments as the kernel (so that only the structure can differ)."""
    n = y.size
    typ = net.p[net.ip[kernel.IP_P_JAC_TYP] : net.ip[kernel.IP_P_JAC_TYP] + n]
    f0 = net.rhs(t, y, d)
    out = np.empty((n, n))
    for j in range(n):
        yp = y.copy()
        yp[j] = y[j] + 1e-7 * max(abs(y[j]), typ[j])
        out[:, j] = (net.rhs(t, yp, d) - f0) / (yp[j] - y[j])
    return out, typ


@pytest.mark.parametrize(("scenario", "times"), CASES, ids=[c[0] for c in CASES])
def test_structured_jacobian_matches_dense_differences(scenario, times):
    model, sim = build(RunSpec(scenario=scenario))
    net = model.net
    sinks = sorted(net.sinks)
    block = np.empty(net.states.size, dtype=np.int64)
    for b, e in enumerate(net.states.entries.values()):
        block[e.start : e.start + e.size] = b
    for t in times:
        sim.advance(t)
        y, d = sim.y, sim.d
        jd, typ = _dense(net, t, y, d)
        js = net.jac(t, y, d)
        # sink rows: only their own block is required (other entries may be filled by
        # analytic columns, or not)
        for i in sinks:
            other = block != block[i]
            jd[i, other] = 0.0
            js[i, other] = 0.0
        # compare in scaled units (column j per typical change of state j), each row against
        # its largest entry: differences of the same increments agree to round-off and the
        # first-order error of the chain rule, far below 1e-4 of the row
        scaled_d = jd * typ[None, :]
        scaled_s = js * typ[None, :]
        row = np.maximum(np.max(np.abs(scaled_d), axis=1), 1e-300)
        err = np.abs(scaled_s - scaled_d) / row[:, None]
        bad = np.argwhere(err > 1e-4)
        names = net.states.labels()
        msg = [
            f"d {names[i]} / d {names[j]}: structured {js[i, j]:.6g}, dense {jd[i, j]:.6g} "
            f"({err[i, j]:.2g} of the row)"
            for i, j in bad[:10]
        ]
        assert bad.size == 0, f"{scenario} at t = {t} s: {len(bad)} entries differ:\n" + "\n".join(
            msg
        )


#: states at which the Jacobian of the column groups' subsets is compared with the one that runs
#: every schedule entry for each group (before, during and after the scenarios' events)
SUBSET_CASES = [
    ("turbine-trip", (5.0, 40.0, 61.0, 70.0, 300.0)),
    ("rcp-start", (30.0, 70.0)),
    ("load-follow", (7200.0, 30000.0)),
    ("rcp-trip-one", (20.0,)),
    ("natural-circulation", (30.0, 300.0)),
    ("power-manoeuvre", (600.0,)),
    ("station-blackout-24h", (120.0, 3600.0)),
]


def _jac(net, t, y, d, subset):
    ip = net.ip.copy()
    ip[kernel.IP_JAC_SUBSET] = int(subset)
    out = np.empty((y.size, y.size))
    kernel.jac(float(t), np.ascontiguousarray(y, dtype=float), net.p, ip, d, out)
    return out


@pytest.mark.parametrize(("scenario", "times"), SUBSET_CASES, ids=[c[0] for c in SUBSET_CASES])
def test_group_subsets_give_the_same_jacobian(scenario, times):
    """Each column group runs only the schedule entries its columns reach (the network's
    ``group_entries``); the Jacobian must be the one of every entry run for every group, bit for
    bit (the same arithmetic on the same inputs)."""
    model, sim = build(RunSpec(scenario=scenario))
    net = model.net
    assert net.ip[kernel.IP_JAC_SUBSET] == 1
    # the subsets are what makes the Jacobian cheaper: most groups run a part of the schedule
    sizes = [len(s) for s in net.group_entries]
    assert len(sizes) == net.n_colors
    assert np.mean(sizes) < 0.8 * len(net.components)
    for t in times:
        sim.advance(t)
        y, d = sim.y, sim.d
        full = _jac(net, t, y, d, subset=False)
        sub = _jac(net, t, y, d, subset=True)
        assert np.all(np.isfinite(full))
        same = full.view(np.uint64) == sub.view(np.uint64)
        bad = np.argwhere(~same)
        names = net.states.labels()
        msg = [
            f"d {names[i]} / d {names[j]}: subsets {sub[i, j]!r}, every entry {full[i, j]!r}"
            for i, j in bad[:10]
        ]
        assert bad.size == 0, f"{scenario} at t = {t} s: {len(bad)} entries differ:\n" + "\n".join(
            msg
        )
        np.testing.assert_array_equal(net.jac(t, y, d), sub)


def _units(io):
    """Schedule entries that must run together: those writing a common rate (one adds to a rate
    another writes)."""
    units = []
    for s in range(len(io)):
        unit = {s}
        todo = [s]
        while todo:
            a = todo.pop()
            for b in range(len(io)):
                if b not in unit and io[a]["f_out"] & io[b]["f_out"]:
                    unit.add(b)
                    todo.append(b)
        units.append(sorted(unit))
    return units


@pytest.mark.parametrize(
    ("scenario", "t"),
    [("turbine-trip", 61.0), ("natural-circulation", 300.0), ("station-blackout-24h", 3600.0)],
)
def test_schedule_io_declares_every_read_and_write(scenario, t):
    """What the group subsets rely on: each schedule entry (with the entries writing a rate it
    writes), run alone on arrays that hold other numbers wherever the network says it neither
    reads nor writes, writes nothing outside its declared signals and rates and reproduces, bit
    for bit, its signals and rates of a whole evaluation. A read the network does not know of
    gives another number; a write outside the declared sets changes a number that must stay.
    (The other numbers are the values at y moved by a thousandth: finite and in range, so that
    no iteration of a kernel runs away on them.)"""
    model, sim = build(RunSpec(scenario=scenario))
    net = model.net
    sim.advance(t)
    y, d, p, ip = np.ascontiguousarray(sim.y), sim.d, net.p, net.ip
    ny, nw = net.states.size, net.signals.size
    typ = p[ip[kernel.IP_P_JAC_TYP] : ip[kernel.IP_P_JAC_TYP] + ny]
    w0 = np.full(nw, np.nan)
    f0 = np.full(ny, np.nan)
    kernel._open(float(t), y, p, ip, d, w0, f0)
    computed = np.isfinite(w0)  # closure and output-only signals are not computed before
    w_at = np.where(computed, w0, 0.0)
    y_other = y + 1e-3 * np.maximum(np.abs(y), typ)
    w_other = w_at + 1e-3 * np.maximum(np.abs(w_at), 1.0)
    f_other = np.where(np.isfinite(f0), f0, 0.0) * 1.001 + 1.0
    io = net.schedule_io()
    outputs = set(net._output_entries())
    units = {tuple(u) for u in _units(io)}
    for unit in units:
        reads_y = sorted(set().union(*(io[s]["y"] for s in unit)))
        w_out = set().union(*(io[s]["w_out"] for s in unit))
        f_out = set().union(*(io[s]["f_out"] for s in unit))
        reads_w = sorted(set().union(*(io[s]["w"] for s in unit)) - w_out)
        yn = y_other.copy()
        yn[reads_y] = y[reads_y]
        wn = w_other.copy()
        wn[reads_w] = w_at[reads_w]
        w_in = wn.copy()
        fn = f_other.copy()
        kernel.open_entries(float(t), yn, p, ip, d, wn, fn, np.array(unit, dtype=np.int64))
        label = ", ".join(net.components[s].name for s in unit)
        keep_w = np.array([k not in w_out for k in range(nw)])
        keep_f = np.array([i not in f_out for i in range(ny)])
        stray_w = np.flatnonzero(keep_w & (wn != w_in))
        assert stray_w.size == 0, f"{label} writes signals {stray_w[:5]} it does not own"
        stray_f = np.flatnonzero(keep_f & (fn != f_other))
        assert stray_f.size == 0, f"{label} writes rates {stray_f[:5]} it does not declare"
        for k in sorted(w_out - outputs):
            if computed[k]:
                assert wn[k] == w0[k], (
                    f"{label}: signal {k} is {wn[k]!r} alone, {w0[k]!r} in the whole evaluation "
                    "(a read the network does not know of)"
                )
        for i in sorted(f_out):
            if np.isfinite(f0[i]):
                assert fn[i] == f0[i], (
                    f"{label}: rate of {net.states.labels()[i]} is {fn[i]!r} alone, {f0[i]!r} in "
                    "the whole evaluation (a read the network does not know of)"
                )
    assert len(units) >= len(net.components) // 2

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

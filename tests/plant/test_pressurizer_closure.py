"""The surge closure reads the primary nodes' densities and density slopes from the signals their
own components computed (loops, plenums, core channel) instead of looking them up again
(issue 13): the numbers must be the very ones of a look-up at the pressurizer's pressure."""

from __future__ import annotations

import numpy as np
import pytest

from nppsim.engine.run import RunSpec, build
from nppsim.plant import kernel
from nppsim.plant.components import pressurizer as pz

#: scenarios of the three designs with a steam pressurizer, and times [s] (before and after
#: their transients)
CASES = [
    ("turbine-trip", (5.0, 61.0, 300.0)),
    ("rcp-trip-one", (20.0,)),
    ("station-blackout-24h", (120.0, 3600.0)),
]


@pytest.mark.parametrize(("scenario", "times"), CASES, ids=[c[0] for c in CASES])
def test_node_properties_from_signals_equal_a_look_up(scenario, times):
    model, sim = build(RunSpec(scenario=scenario))
    net = model.net
    ip, p = net.ip, net.p
    rz = kernel._single_pzr(ip)
    assert rz >= 0
    n_nodes = ip[rz + pz.F.N_NODES]
    for t in times:
        sim.advance(t)
        y, d = sim.y, sim.d
        w = kernel.signals_at(t, y, p, ip, d)
        looked_up = np.empty((4, n_nodes))
        pz.node_props(t, y, p, ip, d, w, rz, looked_up)
        from_signals = np.empty((4, n_nodes))
        pz.node_props_from_signals(t, y, p, ip, d, w, rz, from_signals)
        assert np.array_equal(from_signals, looked_up), (
            f"{scenario} at {t} s: largest difference "
            f"{np.max(np.abs(from_signals - looked_up)):.3g}"
        )

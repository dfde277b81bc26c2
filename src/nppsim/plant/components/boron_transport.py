"""Boron carried by the coolant: concentrations of the loop nodes and plenums, the core's rate, and
the make-up system's feed and bleed.

States: the boron concentration [ppm] of every loop node (hot leg, steam-generator tubes, cold
leg) and of the upper and lower plenums. The core channel's concentration is the core's own state
(``core.boron``, which its reactivity uses); this component gives its rate,
``m_ch (C_lower - C_core) / M_core`` with M_core the channel's water, sum rho_j V_j of its nodes
(the water the balance counts; the channel's fixed mass of its energy equation differs by a
fraction of a per cent, which lost boron in a feed and bleed). Every node is well mixed and fed
upwind, exactly like its enthalpy (:mod:`nppsim.physics.boron`): each node lists its streams (a
flow signal times a factor, entering when positive, with the concentration of a source node).
The surge, make-up, let-down and injections are added in the pressurizer's closure, which knows
the surge.

**Feed and bleed.** The boron controller's rate of change (automatic: the regulating banks'
position; manual: an operator's boration or dilution) is turned into a flow of clean water or of
boric acid concentrate that the make-up pumps add while the same flow is let down
(:func:`nppsim.physics.boron.feed_and_bleed_flow`), up to the pumps' capacity; an operator or a
malfunction may add a flow of make-up at a given concentration (``manual_flow``,
``manual_boron``: an uncontrolled dilution). The pressurizer takes ``feed`` (the extra make-up
and let-down) and ``feed_boron`` (its concentration) into its make-up.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics.boron import feed_and_bleed_flow
from nppsim.plant.component import Component, Declarer

CODE = 19

# scalars, by position in P_DATA
B_CIRCUIT_MASS, B_CLEAN, B_CONCENTRATE, B_FEED_MAX, B_CORE_MASS, B_CORE_VOLUME = range(6)
N_DATA = 6


class F(IntEnum):
    """The record of the boron transport in ``ip``."""

    Y_CONC = 0
    N_NODES = 1
    I_RHO = 2
    P_VOLUME = 3
    I_STREAM_PTR = 4
    I_STREAM_FLOW = 5
    P_STREAM_FACTOR = 6
    I_STREAM_SOURCE = 7
    I_CORE_SOURCE = 8
    P_DATA = 9
    D_MANUAL_FLOW = 10
    D_MANUAL_BORON = 11
    IN_RATE = 12
    IN_CORE_FLOW = 13
    I_CORE_BORON = 14
    W_CORE_RATE = 15
    W_FEED = 16
    W_FEED_BORON = 17
    W_FEED_CONTROL = 18
    N_CORE_NODES = 19
    I_CORE_RHO = 20


@njit
def signals(t, y, p, ip, d, w, r):
    """The core's boron rate and the feed and bleed."""
    q = ip[r + F.P_DATA]
    c_core = y[ip[ip[r + F.I_CORE_BORON]]]
    c_lo = y[ip[ip[r + F.I_CORE_SOURCE]]]
    m_ch = w[ip[r + F.IN_CORE_FLOW]]
    m_core = 0.0
    for j in range(ip[r + F.N_CORE_NODES]):
        m_core += w[ip[ip[r + F.I_CORE_RHO] + j]]
    m_core *= p[q + B_CORE_VOLUME]
    w[ip[r + F.W_CORE_RATE]] = max(m_ch, 0.0) * (c_lo - c_core) / m_core
    rate = w[ip[r + F.IN_RATE]]
    c_src = p[q + B_CLEAN] if rate < 0.0 else p[q + B_CONCENTRATE]
    q_ctl = feed_and_bleed_flow(rate, c_core, c_src, p[q + B_CIRCUIT_MASS], p[q + B_FEED_MAX])
    q_man = d[ip[r + F.D_MANUAL_FLOW]]
    total = q_ctl + q_man
    w[ip[r + F.W_FEED_CONTROL]] = q_ctl
    w[ip[r + F.W_FEED]] = total
    if total > 0.0:
        w[ip[r + F.W_FEED_BORON]] = (q_ctl * c_src + q_man * d[ip[r + F.D_MANUAL_BORON]]) / total
    else:
        w[ip[r + F.W_FEED_BORON]] = 0.0


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Upwind transport between the nodes (the closure adds surge, make-up and injections)."""
    yc = ip[r + F.Y_CONC]
    ptr = ip[r + F.I_STREAM_PTR]
    flows = ip[r + F.I_STREAM_FLOW]
    fac = ip[r + F.P_STREAM_FACTOR]
    src = ip[r + F.I_STREAM_SOURCE]
    rho = ip[r + F.I_RHO]
    vol = ip[r + F.P_VOLUME]
    for i in range(ip[r + F.N_NODES]):
        c = y[yc + i]
        acc = 0.0
        for k in range(ip[ptr + i], ip[ptr + i + 1]):
            f = w[ip[flows + k]] * p[fac + k]
            if f > 0.0:
                acc += f * (y[ip[src + k]] - c)
        dydt[yc + i] = acc / (w[ip[rho + i]] * p[vol + i])


class BoronTransport(Component):
    """Boron transport (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"boron_transport"``).
    nodes : list of (label, density signal, volume [m3])
        The nodes whose concentration is a state here.
    streams : list of list of (flow signal, factor, source state label)
        For each node, the streams that enter it when flow x factor > 0.
    core_source : str
        State label of the node feeding the core (the lower plenum's concentration).
    data : sequence of float
        circulating water mass [kg], clean water and concentrate [ppm], feed capacity [kg/s],
        core channel water at the nominal state [kg], volume of one core channel node [m3]
        (``B_*``).
    core_rho : list of str
        Density signals of the core's channel nodes (their water carries ``core_boron``).
    links : dict
        Signals: ``rate`` (boron controller [ppm/s]), ``core_flow`` (core channel flow [kg/s]),
        ``core_boron`` (the state label of the core's concentration [ppm]).
    """

    kind = "boron_transport"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        nodes: list[tuple[str, str, float]],
        streams: list[list[tuple[str, float, str]]],
        core_source: str,
        data: Any,
        links: dict[str, str],
        core_rho: list[str],
    ) -> None:
        super().__init__(name)
        if len(streams) != len(nodes):
            raise ValueError("boron transport: one stream list per node")
        self.nodes, self.streams = nodes, streams
        self.core_source = core_source
        self.core_boron = links["core_boron"]
        self.data = np.asarray(data, dtype=float)
        self.links = links
        self.core_rho = core_rho

    def labels(self) -> list[str]:
        """State labels of the nodes' concentrations."""
        return [f"{self.name}.conc[{n[0]}]" for n in self.nodes]

    def declare(self, b: Declarer) -> None:
        nn = len(self.nodes)
        b.state(
            "conc",
            nn,
            "ppm",
            1e-6,
            labels=[f"conc[{n[0]}]" for n in self.nodes],
            description="boron concentration of the loop nodes and plenums",
        )
        b.count("nodes", nn)
        b.signal_refs("rho", [n[1] for n in self.nodes])
        b.param("volume", [n[2] for n in self.nodes], "m3")
        ptr = [0]
        flows: list[str] = []
        factors: list[float] = []
        sources: list[str] = []
        for st in self.streams:
            for f, fac, src in st:
                flows.append(f)
                factors.append(fac)
                sources.append(src)
            ptr.append(len(flows))
        b.int_param("stream_ptr", ptr)
        b.signal_refs("stream_flow", flows)
        b.param("stream_factor", factors)
        b.state_refs("stream_source", sources)
        b.state_refs("core_source", [self.core_source])
        b.state_refs("core_boron", [self.core_boron])
        b.param("data", self.data, description="circuit mass, clean, concentrate, feed max, core")
        b.count("core_nodes", len(self.core_rho))
        b.signal_refs("core_rho", self.core_rho)
        b.discrete("manual_flow", 0.0, "kg/s", description="make-up added at manual_boron")
        b.discrete("manual_boron", 0.0, "ppm", description="concentration of the manual make-up")
        for k in ("rate", "core_flow"):
            b.port(k, self.links[k])
        core = (f"state:{self.core_source}", f"state:{self.core_boron}")
        b.signal("core_rate", "ppm/s", depends=(*core, "port:core_flow", "refs:core_rho"))
        b.signal("feed", "kg/s", columns="flow_boron_feed_kg_s", depends=(*core, "port:rate"))
        b.signal("feed_boron", "ppm", columns="boron_feed_ppm", depends=(*core, "port:rate"))
        b.signal("feed_control", "kg/s", depends=(*core, "port:rate"))
        # sources outside this component (the core's concentration feeding the upper plenum)
        outside = sorted(
            {x.partition("[")[0] for x in sources if not x.startswith(f"{self.name}.")}
        )
        b.depends("conc", ("refs:stream_flow", "refs:rho", *(f"state:{x}" for x in outside)))
        # a chain: each node reads itself and its sources only
        own = self.labels()
        b.element_depends(
            "conc", [[own[i], *(src for _, _, src in st)] for i, st in enumerate(self.streams)]
        )

    # -- between steps -------------------------------------------------------------------------
    def set_manual(self, net: Any, d: np.ndarray, flow: float, boron: float) -> None:
        """Add (or stop, ``flow = 0``) make-up at ``boron`` [ppm], ``flow`` [kg/s]."""
        d[net.d_index(f"{self.name}.manual_flow")] = flow
        d[net.d_index(f"{self.name}.manual_boron")] = boron

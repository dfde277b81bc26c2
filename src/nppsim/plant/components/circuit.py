"""The hydraulic circuit: the flows of N loops in parallel that share the reactor vessel.

Each loop runs from the upper plenum to the lower plenum (hot leg, steam generator, pump, cold
leg); the vessel path returns through the downcomer and the core. The states are the loop flows;
with the plenums incompressible the plenum pressure difference follows algebraically:

.. math::

    I_i \\dot m_i' = \\Delta p_{pump,i} - K_i \\dot m_i|\\dot m_i| + B_i - X,
    \\qquad X = \\frac{\\sum_i A_i/I_i - A_v/I_v}{\\sum_i 1/I_i + 1/I_v}

(:func:`nppsim.physics.pump.parallel_loops_flow_derivatives`), with the buoyancy
B_i = g dz (rho_cold - rho_hot) between the steam generator's and the core's thermal centres
(natural circulation). A stopped pump lets X drive its loop backwards.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics import pump as pmp
from nppsim.plant.component import Component, Declarer

CODE = 10
GRAVITY = 9.80665  # standard gravity [m/s2] (CGPM 1901)


class F(IntEnum):
    """The record of the circuit in ``ip``."""

    Y_FLOW = 0
    N_LOOPS = 1
    I_DP = 2
    I_RHO_COLD = 3
    I_RHO_HOT = 4
    P_HYDRAULICS = 5
    W_FLOW = 6
    W_VESSEL = 7
    W_FRACTION = 8
    W_CORE = 9


# by position in the P_HYDRAULICS block
H_K_LOOP, H_K_VESSEL, H_I_LOOP, H_I_VESSEL, H_DZ, H_FLOW_NOM = range(6)


@njit
def signals(t, y, p, ip, d, w, r):
    """Loop flows, vessel flow and the core's flow fraction."""
    nl = ip[r + F.N_LOOPS]
    yf = ip[r + F.Y_FLOW]
    wf = ip[r + F.W_FLOW]
    m_v = 0.0
    for i in range(nl):
        w[wf + i] = y[yf + i]
        m_v += y[yf + i]
    h = ip[r + F.P_HYDRAULICS]
    w[ip[r + F.W_VESSEL]] = m_v
    w[ip[r + F.W_CORE]] = max(m_v, 0.0)
    w[ip[r + F.W_FRACTION]] = max(m_v, 1e-3 * p[h + H_FLOW_NOM]) / p[h + H_FLOW_NOM]


@njit(nrt=True)
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Loop-flow rates from the parallel-loop momentum equations."""
    nl = ip[r + F.N_LOOPS]
    yf = ip[r + F.Y_FLOW]
    h = ip[r + F.P_HYDRAULICS]
    loops = np.empty((4, nl))  # one allocation for the four per-loop arrays
    dp = loops[0]
    kl = loops[1]
    il = loops[2]
    buoy = loops[3]
    for i in range(nl):
        dp[i] = w[ip[ip[r + F.I_DP] + i]]
        kl[i] = p[h + H_K_LOOP]
        il[i] = p[h + H_I_LOOP]
        buoy[i] = (
            GRAVITY
            * p[h + H_DZ]
            * (w[ip[ip[r + F.I_RHO_COLD] + i]] - w[ip[ip[r + F.I_RHO_HOT] + i]])
        )
    pmp.parallel_loops_k(
        y[yf : yf + nl],
        dp,
        kl,
        il,
        buoy,
        p[h + H_K_VESSEL],
        p[h + H_I_VESSEL],
        0.0,
        dydt[yf : yf + nl],
    )


class Circuit(Component):
    """The parallel loops' hydraulics (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"circuit"``).
    n_loops : int
        Number of loops.
    k_loop, k_vessel : float
        Loss coefficients [Pa s2/kg2].
    i_loop, i_vessel : float
        Inertances sum L/A [1/m].
    dz : float
        Height of the steam generators' thermal centre over the core's [m].
    flow_nominal : float
        Nominal vessel flow [kg/s] (the core's flow fraction is relative to it).
    dp, rho_cold, rho_hot : list of str
        Per loop: the pump's pressure-rise signal, the cold- and hot-leg densities.
    """

    kind = "circuit"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        n_loops: int,
        *,
        k_loop: float,
        k_vessel: float,
        i_loop: float,
        i_vessel: float,
        dz: float,
        flow_nominal: float,
        dp: list[str],
        rho_cold: list[str],
        rho_hot: list[str],
    ) -> None:
        super().__init__(name)
        self.n_loops = n_loops
        self.values = np.array([k_loop, k_vessel, i_loop, i_vessel, dz, flow_nominal])
        self.refs = (dp, rho_cold, rho_hot)

    def declare(self, b: Declarer) -> None:
        nl = self.n_loops
        b.state("flow", nl, "kg/s", 1e-2, description="loop mass flows, forward positive")
        b.count("loops", nl)
        b.signal_refs("dp", self.refs[0])
        b.signal_refs("rho_cold", self.refs[1])
        b.signal_refs("rho_hot", self.refs[2])
        b.param("hydraulics", self.values, description="K_loop, K_vessel, I_loop, I_vessel, dz")
        b.signal(
            "flow",
            "kg/s",
            nl,
            columns=[f"flow_loop{i + 1}_kg_s" for i in range(nl)],
            depends=("flow",),
        )
        b.signal("vessel", "kg/s", columns="flow_vessel_kg_s", depends=("flow",))
        b.signal("fraction", "1", depends=("flow",))
        b.signal("core", "kg/s", depends=("flow",))
        b.depends("flow", ("flow", "refs:dp", "refs:rho_cold", "refs:rho_hot"))

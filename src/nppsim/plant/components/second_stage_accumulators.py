"""Second-stage hydro-accumulators (HA-2): passive injection of borated water at low pressure.

The tanks (lumped: one inventory for all of them) open through check valves when the primary
pressure falls below their opening pressure, and inject through throttling devices whose flow
falls in stages as the tanks empty (the design makes the water last about a day):

.. math::

    \\frac{dM}{dt} = -\\dot m, \\qquad
    \\dot m = v(p)\\, q(1 - M/M_0)\\, e(M), \\qquad
    v(p) = \\min(\\max((p_o - p)/\\Delta p, 0), 1)

with q the stage flow of the fraction already injected (steps blended over half a per cent of the
inventory, so the right-hand side stays smooth for the integrator) and e(M) = tanh(M / 0.001 M_0)
closing the flow as the tanks run dry.

The water enters the primary where the make-up does (a cold leg) at the tanks' temperature. That
node is a rigid-water node whose expansion goes to the pressurizer (the surge closure,
:mod:`.pressurizer`); the injected mass therefore goes to the pressurizer's *make-up* port (this
component's ``makeup_total`` signal: the make-up controller's flow plus the injection), which
brings it into the node at the node's enthalpy, and the difference ``m (h_tank - h_node)`` is the
heat this component adds to the node's enthalpy rate in its derivatives phase (scheduled after
the loop's). It appears in the energy balance as a boundary heat (the balance's list of heats
into the water). The real HA-2 inject into the upper plenum and the downcomer; one injection
point is a simplification.
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.plant.component import Component, Declarer

CODE = 41
STAGE_BLEND = 0.005  # [1] width of the smooth step between stages (fraction of the inventory)
EMPTY_BLEND = 0.001  # [1] the flow closes over this last fraction of the inventory

# by position in the P_DATA block (stages follow: fractions, then flows)
A_MASS0, A_P_OPEN, A_BAND, A_H_WATER, A_N_STAGES = range(5)
N_HEAD = 5


class F(IntEnum):
    """The record of the HA-2 in ``ip``."""

    Y_INVENTORY = 0
    P_DATA = 1
    P_NODE_VOLUME = 2
    I_NODE = 3
    D_AVAILABLE = 4
    IN_PRESSURE = 5
    IN_MAKEUP = 6
    IN_NODE_H = 7
    IN_NODE_RHO = 8
    W_FLOW = 9
    W_MAKEUP_TOTAL = 10
    W_HEAT = 11
    W_INVENTORY = 12


@njit
def stage_flow(used, fractions, flows, n):
    """Flow of the stage that a used fraction ``used`` of the inventory falls in [kg/s] (smooth
    steps of width STAGE_BLEND at the stage boundaries)."""
    q = flows[0]
    edge = 0.0
    for k in range(n - 1):
        edge += fractions[k]
        s = 0.5 * (1.0 + math.tanh((used - edge) / STAGE_BLEND))
        q += (flows[k + 1] - flows[k]) * s
    return q


@njit
def injection(t, y, p, ip, d, w, r):
    """The injected flow [kg/s]."""
    q = ip[r + F.P_DATA]
    m0 = p[q + A_MASS0]
    mass = y[ip[r + F.Y_INVENTORY]]
    n = int(p[q + A_N_STAGES])
    used = 1.0 - mass / m0
    qs = stage_flow(used, p[q + N_HEAD : q + N_HEAD + n], p[q + N_HEAD + n : q + N_HEAD + 2 * n], n)
    press = w[ip[r + F.IN_PRESSURE]]
    valve = min(max((p[q + A_P_OPEN] - press) / p[q + A_BAND], 0.0), 1.0)
    empty = math.tanh(max(mass, 0.0) / (EMPTY_BLEND * m0))
    return d[ip[r + F.D_AVAILABLE]] * valve * qs * empty


@njit
def signals(t, y, p, ip, d, w, r):
    """Injected flow, the make-up total for the pressurizer, and the heat into the node."""
    q = ip[r + F.P_DATA]
    m = injection(t, y, p, ip, d, w, r)
    w[ip[r + F.W_FLOW]] = m
    w[ip[r + F.W_MAKEUP_TOTAL]] = w[ip[r + F.IN_MAKEUP]] + m
    w[ip[r + F.W_HEAT]] = m * (p[q + A_H_WATER] - w[ip[r + F.IN_NODE_H]])
    w[ip[r + F.W_INVENTORY]] = y[ip[r + F.Y_INVENTORY]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The tanks empty; the injection node receives the enthalpy difference."""
    dydt[ip[r + F.Y_INVENTORY]] = -w[ip[r + F.W_FLOW]]
    node_mass = w[ip[r + F.IN_NODE_RHO]] * p[ip[r + F.P_NODE_VOLUME]]
    dydt[ip[ip[r + F.I_NODE]]] += w[ip[r + F.W_HEAT]] / node_mass


class SecondStageAccumulators(Component):
    """The HA-2 tanks (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"ha2"``).
    data : ndarray
        The P_DATA block: M_0 [kg], opening pressure [Pa], band [Pa], water enthalpy [J/kg],
        number of stages, the stages' fractions [1], their flows [kg/s].
    node_state, node_h, node_rho : str
        The injection node's enthalpy state, its enthalpy and density signals.
    node_volume : float
        The node's volume [m3].
    pressure, makeup : str
        Signals of the primary pressure and of the make-up controller's flow.
    """

    kind = "second_stage_accumulators"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        data: np.ndarray,
        *,
        node_state: str,
        node_h: str,
        node_rho: str,
        node_volume: float,
        pressure: str,
        makeup: str,
    ) -> None:
        super().__init__(name)
        self.data = np.asarray(data, dtype=float)
        self.node_state, self.node_h, self.node_rho = node_state, node_h, node_rho
        self.node_volume = node_volume
        self.pressure, self.makeup = pressure, makeup

    @property
    def mass0(self) -> float:
        return float(self.data[A_MASS0])

    def declare(self, b: Declarer) -> None:
        b.state("inventory", 1, "kg", 1e-1, description="water left in the tanks")
        b.param("data", self.data, description="inventory, opening, band, enthalpy, stages")
        b.param("node_volume", self.node_volume, "m3")
        b.state_refs("node", [self.node_state], before_closure=False)
        b.discrete("available", 1.0, description="tanks available (1) or isolated (0)")
        b.port("pressure", self.pressure)
        b.port("makeup", self.makeup)
        b.port("node_h", self.node_h)
        b.port("node_rho", self.node_rho)
        inj = ("inventory", "port:pressure")
        b.signal("flow", "kg/s", columns="flow_ha2_kg_s", depends=inj)
        b.signal("makeup_total", "kg/s", depends=(*inj, "port:makeup"))
        b.signal("heat", "W", columns="power_ha2_w", depends=(*inj, "port:node_h"))
        b.signal("inventory", "kg", columns="mass_ha2_kg", depends=("inventory",))
        b.depends("inventory", inj)
        # the derivatives phase writes into the node's enthalpy rate
        b.closure([self.node_state], ("inventory",))

    def initial_inventory(self) -> float:
        """Full tanks [kg]."""
        return self.mass0

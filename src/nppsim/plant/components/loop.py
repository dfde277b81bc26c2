"""A primary coolant loop: hot leg, steam-generator tube nodes, cold leg with the pump.

The loop is a chain of well-mixed nodes, from the upper plenum to the lower plenum: the hot leg,
``n_sg`` nodes of the steam generator's tube bundle, and the cold leg with the pump casing. With
forward flow each node receives the water of the node before it (the hot leg the upper plenum's);
with reverse flow, of the node after it (the cold leg the lower plenum's):

.. math:: M_j \\frac{dh_j}{dt} = |\\dot m|\\,(h_{j\\mp1} - h_j) + Q_j

with Q_j minus the steam generator's heat on the tube nodes and the pump's shaft power on the
cold leg (:func:`nppsim.physics.thermal_mixing.mixing_volume_derivative`). The loop's flow is a
state of the hydraulic circuit (:mod:`nppsim.plant.components.circuit`). Water is incompressible
in pressure here: node masses follow from the node enthalpies at the primary pressure, and the
expansion of the water goes to the pressurizer (its closure, :mod:`.pressurizer`).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.physics.thermal_mixing import mixing_volume_derivative
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 7


class F(IntEnum):
    """The record of a loop in ``ip``."""

    Y_H = 0
    N_NODES = 1
    N_SG = 2
    P_VOLUME = 3
    IN_PRESSURE = 4
    IN_FLOW = 5
    IN_H_UP = 6
    IN_H_LO = 7
    IN_Q_SG = 8
    IN_PUMP_HEAT = 9
    W_NODE_TEMP = 10
    W_NODE_RHO = 11
    W_NODE_DRHO = 12
    W_H_HOT = 13
    W_H_COLD = 14
    W_TEMP_HOT = 15
    W_TEMP_COLD = 16
    W_RHO_HOT = 17
    W_RHO_COLD = 18
    W_STATUS = 19
    W_NODE_DRHO_DP = 20


@njit
def signals(t, y, p, ip, d, w, r):
    """Node temperatures, densities and density slopes at the primary pressure."""
    press = w[ip[r + F.IN_PRESSURE]]
    yh = ip[r + F.Y_H]
    nn = ip[r + F.N_NODES]
    wt = ip[r + F.W_NODE_TEMP]
    wr = ip[r + F.W_NODE_RHO]
    wd = ip[r + F.W_NODE_DRHO]
    wp = ip[r + F.W_NODE_DRHO_DP]
    worst = props.nodes(p, ip, press, y, yh, nn, w, wt, wr, wd, wp)
    w[ip[r + F.W_STATUS]] = worst
    w[ip[r + F.W_H_HOT]] = y[yh]
    w[ip[r + F.W_H_COLD]] = y[yh + nn - 1]
    w[ip[r + F.W_TEMP_HOT]] = w[wt]
    w[ip[r + F.W_TEMP_COLD]] = w[wt + nn - 1]
    w[ip[r + F.W_RHO_HOT]] = w[wr]
    w[ip[r + F.W_RHO_COLD]] = w[wr + nn - 1]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Enthalpy rates of the chain (upwind in the flow direction)."""
    m = w[ip[r + F.IN_FLOW]]
    yh = ip[r + F.Y_H]
    nn = ip[r + F.N_NODES]
    nsg = ip[r + F.N_SG]
    wr = ip[r + F.W_NODE_RHO]
    vol = ip[r + F.P_VOLUME]
    qs = ip[r + F.IN_Q_SG]
    h_up = w[ip[r + F.IN_H_UP]]
    h_lo = w[ip[r + F.IN_H_LO]]
    for j in range(nn):
        h_before = h_up if j == 0 else y[yh + j - 1]
        h_after = h_lo if j == nn - 1 else y[yh + j + 1]
        heat = 0.0
        if 1 <= j <= nsg:
            heat = -w[qs + j - 1]
        elif j == nn - 1:
            heat = w[ip[r + F.IN_PUMP_HEAT]]
        mass = w[wr + j] * p[vol + j]
        dydt[yh + j] = mixing_volume_derivative(m, h_before, h_after, y[yh + j], mass, heat)


class Loop(Component):
    """A coolant loop (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"loop1"``).
    volumes : array_like
        Node volumes, hot leg first [m3] (``n_sg + 2`` of them).
    n_sg : int
        Steam-generator tube nodes.
    column : str
        Label used in recorded columns (``"loop1"``).
    """

    kind = "loop"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        volumes: np.ndarray,
        n_sg: int,
        *,
        pressure: str,
        flow: str,
        h_up: str,
        h_lo: str,
        q_sg: str,
        pump_heat: str,
    ) -> None:
        super().__init__(name)
        self.volumes = np.asarray(volumes, dtype=float)
        self.n_sg = n_sg
        self.links = {
            "pressure": pressure,
            "flow": flow,
            "h_up": h_up,
            "h_lo": h_lo,
            "q_sg": q_sg,
            "pump_heat": pump_heat,
        }

    @property
    def n_nodes(self) -> int:
        return self.n_sg + 2

    def declare(self, b: Declarer) -> None:
        nn = self.n_nodes
        labels = ["h[hot]", *[f"h[sg{j}]" for j in range(self.n_sg)], "h[cold]"]
        b.state(
            "h",
            nn,
            "J/kg",
            1e-1,
            labels=labels,
            description="coolant enthalpy of the nodes: hot leg, SG tubes, cold leg",
        )
        b.count("nodes", nn)
        b.count("sg", self.n_sg)
        b.param("volume", self.volumes, "m3", "node volumes")
        for k, v in self.links.items():
            b.port(k, v)
        b.signal("node_temp", "K", nn, depends=("h", "port:pressure"))
        b.signal("node_rho", "kg/m3", nn, depends=("h", "port:pressure"))
        b.signal("node_drho", "kg2/(m3 J)", nn, depends=("h", "port:pressure"))
        b.signal("node_drho_dp", "kg/(m3 Pa)", nn, depends=("h", "port:pressure"))
        # the hot leg is the first node, the cold leg the last (element-wise for the Jacobian)
        hot, cold = "h[0]", "h[-1]"
        b.signal("h_hot", "J/kg", depends=(hot,))
        b.signal("h_cold", "J/kg", depends=(cold,))
        b.signal("temp_hot", "K", columns=f"temp_hot_{self.name}_k", depends=(hot, "port:pressure"))
        b.signal(
            "temp_cold", "K", columns=f"temp_cold_{self.name}_k", depends=(cold, "port:pressure")
        )
        b.signal("rho_hot", "kg/m3", depends=(hot, "port:pressure"))
        b.signal("rho_cold", "kg/m3", depends=(cold, "port:pressure"))
        b.signal("status", "1", depends=(), description="worst water-table status of the nodes")
        b.depends(
            "h",
            (
                "h",
                "port:flow",
                "port:h_up",
                "port:h_lo",
                "port:q_sg",
                "port:pump_heat",
                "port:pressure",
            ),
        )

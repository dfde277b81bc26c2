"""Energy and mass bookkeeping of the whole plant, to check conservation.

States: the integrals of the energy that crosses the plant's boundary (pump work into the water,
heater power, pressurizer losses and relief, make-up less let-down, steam leaving the steam
generators, feedwater entering, emergency core cooling injection) in full-power seconds
(J / P_nom), of the primary mass that crosses it (make-up less let-down less relief plus
injection) [kg], and of the boron that crosses it [ppm kg]. Signals: what entered and left [J],
what is stored as internal energy (fuel and cladding, primary water
sum rho V (h - p/rho) at the primary pressure, pressurizer contents and wall, steam-generator
contents) [J], the residual

.. math:: E_{in} - E_{out} - (E_{stored} - E_{stored,0})

which a conserving model keeps near zero, the primary mass [kg] and the boron in the primary
[kg], with what crossed the boundary [kg]. The node masses are rho(p, h) V, whose rates the
pressurizer's surge closure sends to the pressurizer.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from nppsim._jit import njit
from nppsim.plant import props
from nppsim.plant.component import Component, Declarer

CODE = 17


class F(IntEnum):
    """The record of the balance in ``ip``."""

    Y_ENERGY = 0
    Y_MASS = 1
    Y_BORON = 2
    P_SCALARS = 3
    N_PUMPS = 4
    I_PUMP_HEAT = 5
    N_SG = 6
    I_SG_OUT = 7
    I_SG_U = 8
    N_NODES = 9
    I_NODE_H = 10
    I_NODE_BORON = 11
    P_NODE_VOLUME = 12
    P_NODE_MASS = 13  # (kept in the record: the fixed masses of the core's channel nodes)
    D_STORED0 = 14
    IN_HEATERS = 15
    IN_PZR_OUT = 16
    IN_MAKEUP = 17
    IN_FEED = 18
    IN_MASS = 19
    IN_CORE_ENERGY = 20
    IN_FUEL_CLAD = 21
    IN_PRESSURE = 22
    IN_PZR_MASS = 23
    IN_PZR_ENERGY = 24
    IN_PZR_BORON = 25
    IN_BORON_IN = 26
    IN_ECCS_FLOW = 27
    IN_ECCS_ENERGY = 28
    IN_ECCS_BORON = 29
    W_IN = 30
    W_OUT = 31
    W_STORED = 32
    W_RESIDUAL = 33
    W_MASS = 34
    W_MASS_BOUNDARY = 35
    W_PUMPS = 36
    W_BORON = 37
    W_BORON_BOUNDARY = 38
    Y_PASSIVE = 39
    N_PASSIVE = 40
    I_PASSIVE = 41
    P_PASSIVE_SIGN = 42


B_P_NOM, B_P_REF = 0, 1
N_ENERGY = 7  # pumps, heaters, pressurizer out, make-up, steam out, feed in, injection


@njit
def _inventory(y, p, ip, w, r):
    """Mass [kg], internal energy [J] and boron [ppm kg] of the primary nodes."""
    press = w[ip[r + F.IN_PRESSURE]]
    ih = ip[r + F.I_NODE_H]
    ib = ip[r + F.I_NODE_BORON]
    pv = ip[r + F.P_NODE_VOLUME]
    energy = 0.0
    mass = 0.0
    boron = 0.0
    for j in range(ip[r + F.N_NODES]):
        h = y[ip[ih + j]]
        _, rho, _, _ = props.node(p, ip, press, h)
        # the water the node holds: rho V (the surge closure sends d(rho V)/dt to the
        # pressurizer; the core channel's fixed mass is its own energy equation's, not this)
        m = rho * p[pv + j]
        mass += m
        energy += m * h - press * p[pv + j]
        boron += m * y[ip[ib + j]]
    return mass, energy, boron


@njit
def signals(t, y, p, ip, d, w, r):
    """The pumps' heat (the only signal a rate reads)."""
    pumps = 0.0
    ph = ip[r + F.I_PUMP_HEAT]
    for i in range(ip[r + F.N_PUMPS]):
        pumps += w[ip[ph + i]]
    w[ip[r + F.W_PUMPS]] = pumps


@njit(nrt=True)
def outputs(t, y, p, ip, d, w, r):
    """Energy in, out, stored, the residual, the primary mass and boron (output-only: computed when
    signals are read or recorded, not while integrating)."""
    sc = ip[r + F.P_SCALARS]
    p_nom = p[sc + B_P_NOM]
    ye = ip[r + F.Y_ENERGY]
    e = np.empty(N_ENERGY)
    for k in range(N_ENERGY):
        e[k] = y[ye + k] * p_nom
    ce = ip[r + F.IN_CORE_ENERGY]
    # with the heats of passive systems across the boundary (signed: + into the plant's water)
    e_in = w[ce] + w[ce + 1] + e[0] + e[1] + e[3] + e[5] + e[6] + y[ip[r + F.Y_PASSIVE]] * p_nom
    e_out = e[2] + e[4]
    mass, energy, boron = _inventory(y, p, ip, w, r)
    stored = w[ip[r + F.IN_FUEL_CLAD]] + energy + w[ip[r + F.IN_PZR_ENERGY]]
    su = ip[r + F.I_SG_U]
    for i in range(ip[r + F.N_SG]):
        stored += y[ip[su + i]]
    w[ip[r + F.W_IN]] = e_in
    w[ip[r + F.W_OUT]] = e_out
    w[ip[r + F.W_STORED]] = stored
    w[ip[r + F.W_RESIDUAL]] = e_in - e_out - (stored - d[ip[r + F.D_STORED0]])
    w[ip[r + F.W_MASS]] = mass + w[ip[r + F.IN_PZR_MASS]]
    w[ip[r + F.W_MASS_BOUNDARY]] = y[ip[r + F.Y_MASS]]
    w[ip[r + F.W_BORON]] = 1e-6 * (boron + w[ip[r + F.IN_PZR_BORON]])
    w[ip[r + F.W_BORON_BOUNDARY]] = 1e-6 * y[ip[r + F.Y_BORON]]


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """The boundary integrals."""
    sc = ip[r + F.P_SCALARS]
    p_nom = p[sc + B_P_NOM]
    ye = ip[r + F.Y_ENERGY]
    sg_out = 0.0
    so = ip[r + F.I_SG_OUT]
    for i in range(ip[r + F.N_SG]):
        sg_out += w[ip[so + i]]
    dydt[ye] = w[ip[r + F.W_PUMPS]] / p_nom
    dydt[ye + 1] = w[ip[r + F.IN_HEATERS]] / p_nom
    dydt[ye + 2] = w[ip[r + F.IN_PZR_OUT]] / p_nom
    dydt[ye + 3] = w[ip[r + F.IN_MAKEUP]] / p_nom
    dydt[ye + 4] = sg_out / p_nom
    dydt[ye + 5] = w[ip[r + F.IN_FEED]] / p_nom
    dydt[ye + 6] = w[ip[r + F.IN_ECCS_ENERGY]] / p_nom
    dydt[ip[r + F.Y_MASS]] = w[ip[r + F.IN_MASS]] + w[ip[r + F.IN_ECCS_FLOW]]
    dydt[ip[r + F.Y_BORON]] = w[ip[r + F.IN_BORON_IN]] + w[ip[r + F.IN_ECCS_BORON]]
    q = 0.0
    ps = ip[r + F.I_PASSIVE]
    sg = ip[r + F.P_PASSIVE_SIGN]
    for i in range(ip[r + F.N_PASSIVE]):
        q += p[sg + i] * w[ip[ps + i]]
    dydt[ip[r + F.Y_PASSIVE]] = q / p_nom


class Balance(Component):
    """Energy and mass bookkeeping (see the module docstring)."""

    kind = "balance"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        p_nom: float,
        p_ref: float,
        pump_heat: list[str],
        sg_out: list[str],
        sg_energy: list[str],
        nodes: list[tuple[str, str, float, float]],
        links: dict[str, str],
        passive: list[tuple[str, float]] | None = None,
    ) -> None:
        super().__init__(name)
        # heats of passive systems crossing the boundary: (signal [W], +1 into the water or -1)
        self.passive = list(passive or [])
        self.scalars = np.array([p_nom, p_ref])
        self.pump_heat, self.sg_out, self.sg_energy = pump_heat, sg_out, sg_energy
        self.nodes = nodes
        self.links = links

    def declare(self, b: Declarer) -> None:
        b.state(
            "energy",
            N_ENERGY,
            "s",
            1e-5,
            labels=[
                "energy[pumps]",
                "energy[heaters]",
                "energy[pzr_out]",
                "energy[makeup]",
                "energy[steam_out]",
                "energy[feed_in]",
                "energy[injection]",
            ],
            description="boundary energy integrals (full-power seconds)",
        )
        b.state("mass", 1, "kg", 1.0, description="primary mass crossing the boundary")
        b.state("boron", 1, "ppm kg", 1e2, description="boron crossing the boundary")
        b.state(
            "passive",
            1,
            "s",
            1e-5,
            description="energy of passive systems crossing the boundary (full-power seconds)",
        )
        b.count("passive", len(self.passive))
        b.signal_refs("passive", [x for x, _ in self.passive])
        b.param("passive_sign", [sg for _, sg in self.passive] or [0.0])
        b.param("scalars", self.scalars, description="P_nom, reference pressure")
        b.count("pumps", len(self.pump_heat))
        b.signal_refs("pump_heat", self.pump_heat)
        b.count("sg", len(self.sg_out))
        b.signal_refs("sg_out", self.sg_out)
        b.state_refs("sg_u", self.sg_energy, before_closure=False)
        b.count("nodes", len(self.nodes))
        b.state_refs("node_h", [n[0] for n in self.nodes], before_closure=False)
        b.state_refs("node_boron", [n[1] for n in self.nodes], before_closure=False)
        b.param("node_volume", [n[2] for n in self.nodes], "m3")
        b.param("node_mass", [n[3] for n in self.nodes], "kg")
        b.discrete("stored0", 0.0, "J", description="stored energy at the start")
        ports = (
            "heaters",
            "pzr_out",
            "makeup",
            "feed",
            "mass",
            "core_energy",
            "fuel_clad",
            "pressure",
            "pzr_mass",
            "pzr_energy",
            "pzr_boron",
            "boron_in",
            "eccs_flow",
            "eccs_energy",
            "eccs_boron",
        )
        for k in ports:
            b.port(k, self.links[k])
        b.signal("in", "J", columns="energy_plant_in_j", output=True)
        b.signal("out", "J", columns="energy_plant_out_j", output=True)
        b.signal("stored", "J", columns="energy_plant_stored_j", output=True)
        b.signal("residual", "J", columns="energy_balance_residual_j", output=True)
        b.signal("mass", "kg", columns="mass_primary_kg", output=True)
        b.signal("mass_boundary", "kg", columns="mass_primary_boundary_kg", output=True)
        b.signal("pumps", "W", columns="power_pumps_w", depends=("refs:pump_heat",))
        b.signal("boron", "kg", columns="boron_primary_kg", output=True)
        b.signal("boron_boundary", "kg", columns="boron_primary_boundary_kg", output=True)
        b.depends(
            "energy",
            (
                "refs:pump_heat",
                "refs:sg_out",
                "port:heaters",
                "port:pzr_out",
                "port:makeup",
                "port:feed",
                "port:eccs_energy",
            ),
        )
        b.depends("mass", ("port:mass", "port:eccs_flow"))
        b.depends("boron", ("port:boron_in", "port:eccs_boron"))
        b.depends("passive", ("refs:passive",))

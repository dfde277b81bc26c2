"""Energy and mass bookkeeping of the whole plant, to check conservation.

States: the integrals of the energy that crosses the plant's boundary (pump work into the water,
heater power, pressurizer losses and relief, make-up less let-down, steam leaving the steam
generators, feedwater entering) in full-power seconds (J / P_nom), and of the primary mass that
crosses it (make-up less let-down less relief) [kg]. Signals: what entered and left [J], what is
stored (fuel and cladding, primary water at the nominal pressure's densities, pressurizer and
steam-generator contents) [J], the residual

.. math:: E_{in} - E_{out} - (E_{stored} - E_{stored,0})

which a conserving model keeps near zero, and the primary mass [kg]. Water is taken as
incompressible in pressure in the primary (the expansion goes to the pressurizer), so the
inventories use the densities at the nominal pressure.
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
    P_SCALARS = 2
    N_PUMPS = 3
    I_PUMP_HEAT = 4
    N_SG = 5
    I_SG_OUT = 6
    I_SG_U = 7
    N_NODES = 8
    I_NODE_H = 9
    P_NODE_VOLUME = 10
    D_STORED0 = 11
    IN_HEATERS = 12
    IN_PZR_OUT = 13
    IN_MAKEUP = 14
    IN_FEED = 15
    IN_MASS = 16
    IN_CORE_ENERGY = 17
    IN_FUEL_CLAD = 18
    I_PZR = 19
    W_IN = 20
    W_OUT = 21
    W_STORED = 22
    W_RESIDUAL = 23
    W_MASS = 24
    W_MASS_BOUNDARY = 25
    W_PUMPS = 26


B_P_NOM, B_P_REF = 0, 1


@njit
def _inventory(y, p, ip, r):
    sc = ip[r + F.P_SCALARS]
    p_ref = p[sc + B_P_REF]
    ih = ip[r + F.I_NODE_H]
    pv = ip[r + F.P_NODE_VOLUME]
    energy = 0.0
    mass = 0.0
    for j in range(ip[r + F.N_NODES]):
        h = y[ip[ih + j]]
        _, rho, _, _ = props.node(p, ip, p_ref, h)
        mass += rho * p[pv + j]
        energy += rho * p[pv + j] * h
    return mass, energy


@njit
def signals(t, y, p, ip, d, w, r):
    """The pumps' heat (the only signal a rate reads)."""
    pumps = 0.0
    ph = ip[r + F.I_PUMP_HEAT]
    for i in range(ip[r + F.N_PUMPS]):
        pumps += w[ip[ph + i]]
    w[ip[r + F.W_PUMPS]] = pumps


@njit
def outputs(t, y, p, ip, d, w, r):
    """Energy in, out, stored, the residual, and the primary mass (output-only: computed when
    signals are read or recorded, not while integrating)."""
    sc = ip[r + F.P_SCALARS]
    p_nom = p[sc + B_P_NOM]
    ye = ip[r + F.Y_ENERGY]
    e = np.empty(6)
    for k in range(6):
        e[k] = y[ye + k] * p_nom
    ce = ip[r + F.IN_CORE_ENERGY]
    e_in = w[ce] + w[ce + 1] + e[0] + e[1] + e[3] + e[5]
    e_out = e[2] + e[4]
    mass, energy = _inventory(y, p, ip, r)
    pz = ip[r + F.I_PZR]
    stored = w[ip[r + F.IN_FUEL_CLAD]] + energy + y[ip[pz + 1]]
    su = ip[r + F.I_SG_U]
    for i in range(ip[r + F.N_SG]):
        stored += y[ip[su + i]]
    w[ip[r + F.W_IN]] = e_in
    w[ip[r + F.W_OUT]] = e_out
    w[ip[r + F.W_STORED]] = stored
    w[ip[r + F.W_RESIDUAL]] = e_in - e_out - (stored - d[ip[r + F.D_STORED0]])
    w[ip[r + F.W_MASS]] = mass + y[ip[pz]]
    w[ip[r + F.W_MASS_BOUNDARY]] = y[ip[r + F.Y_MASS]]


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
    dydt[ip[r + F.Y_MASS]] = w[ip[r + F.IN_MASS]]


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
        nodes: list[tuple[str, float]],
        pzr: str,
        links: dict[str, str],
    ) -> None:
        super().__init__(name)
        self.scalars = np.array([p_nom, p_ref])
        self.pump_heat, self.sg_out, self.sg_energy = pump_heat, sg_out, sg_energy
        self.nodes = nodes
        self.pzr = pzr
        self.links = links

    def declare(self, b: Declarer) -> None:
        b.state(
            "energy",
            6,
            "s",
            1e-5,
            labels=[
                "energy[pumps]",
                "energy[heaters]",
                "energy[pzr_out]",
                "energy[makeup]",
                "energy[steam_out]",
                "energy[feed_in]",
            ],
            description="boundary energy integrals (full-power seconds)",
        )
        b.state("mass", 1, "kg", 1.0, description="primary mass crossing the boundary")
        b.param("scalars", self.scalars, description="P_nom, reference pressure")
        b.count("pumps", len(self.pump_heat))
        b.signal_refs("pump_heat", self.pump_heat)
        b.count("sg", len(self.sg_out))
        b.signal_refs("sg_out", self.sg_out)
        b.state_refs("sg_u", self.sg_energy)
        b.count("nodes", len(self.nodes))
        b.state_refs("node_h", [n[0] for n in self.nodes])
        b.param("node_volume", [n[1] for n in self.nodes], "m3")
        b.state_refs("pzr", [f"{self.pzr}.mass", f"{self.pzr}.energy"])
        b.discrete("stored0", 0.0, "J", description="stored energy at the start")
        for k in ("heaters", "pzr_out", "makeup", "feed", "mass", "core_energy", "fuel_clad"):
            b.port(k, self.links[k])
        b.signal("in", "J", columns="energy_plant_in_j", output=True)
        b.signal("out", "J", columns="energy_plant_out_j", output=True)
        b.signal("stored", "J", columns="energy_plant_stored_j", output=True)
        b.signal("residual", "J", columns="energy_balance_residual_j", output=True)
        b.signal("mass", "kg", columns="mass_primary_kg", output=True)
        b.signal("mass_boundary", "kg", columns="mass_primary_boundary_kg", output=True)
        b.signal("pumps", "W", columns="power_pumps_w", depends=("refs:pump_heat",))
        b.depends(
            "energy",
            (
                "refs:pump_heat",
                "refs:sg_out",
                "port:heaters",
                "port:pzr_out",
                "port:makeup",
                "port:feed",
            ),
        )
        b.depends("mass", ("port:mass",))

"""Emergency core cooling of the primary: injection pump groups and hydro-accumulators.

**Pump groups** (emergency boron injection, high- and low-pressure injection; any number, each
with its pumps, curve, water, boron and tank): started by the protection's ``eccs`` action (a row
of the design's trip table: low primary pressure, low subcooling margin), each group's pumps are
running after their start delay and deliver while their bus is supplied (``supply_eccs`` of the
electrical supply: off-site power or the diesels' load sequence) and their tank holds water, on
their head curve against the primary pressure (:mod:`nppsim.physics.emergency_cooling`). A group's
flow is split between injection targets (cold legs, upper plenum, downcomer and lower plenum) as
the design says.

**Hydro-accumulators**: passive, always armed; each discharges into its target through its check
valve once the primary pressure falls below its gas pressure, until it is nearly empty and its
isolation valves close (a located event).

Injected water enters the primary nodes through the pressurizer's closure (mass, energy and boron:
:mod:`nppsim.plant.components.pressurizer`); the signals ``inj_flow``, ``inj_h`` and
``inj_boron`` hold what reaches each target.

States: the water volume of each accumulator [m3] and the volume each pump group has drawn from
its tank [m3].
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any

import numpy as np

from nppsim._jit import njit
from nppsim.physics import emergency_cooling as ec
from nppsim.plant.component import Component, Declarer

CODE = 18

# per accumulator, by position in its P_ACC row
(
    A_TANK,  # tank volume [m3]
    A_GAS0,  # gas volume charged [m3]
    A_P0,  # gas pressure charged [Pa]
    A_EXPONENT,  # polytropic exponent [1]
    A_HEAD,  # static head of the water column [Pa]
    A_FLOW,  # line flow at A_DP [kg/s]
    A_DP,  # [Pa]
    A_RESIDUAL,  # water volume at which the isolation valves close [m3]
    A_RHO,  # water density [kg/m3]
    A_H,  # water enthalpy [J/kg]
    A_BORON,  # [ppm]
    A_TARGET,  # index of the injection target
) = range(12)
N_ACC_DATA = 12

# per pump group, by position in its P_GROUP row
(
    G_DISPLACEMENT,  # 1: positive displacement, 0: centrifugal
    G_PUMPS,  # number of pumps [1]
    G_FLOW,  # rated flow of one pump [kg/s]
    G_DP0,  # shut-off pressure rise (centrifugal) or maximum (displacement) [Pa]
    G_DP1,  # rated pressure rise (centrifugal) or fall-off band (displacement) [Pa]
    G_SUCTION,  # suction pressure [Pa]
    G_RHO,  # water density [kg/m3]
    G_H,  # water enthalpy [J/kg]
    G_BORON,  # [ppm]
    G_TANK,  # water available [m3] (inf: a sump)
    G_DELAY,  # start delay [s]
) = range(11)
N_GROUP_DATA = 11


class F(IntEnum):
    """The record of the emergency core cooling in ``ip``."""

    Y_WATER = 0
    Y_PUMPED = 1
    N_ACC = 2
    N_GROUPS = 3
    N_TARGETS = 4
    P_ACC = 5
    P_GROUP = 6
    P_SPLIT = 7
    D_ACTUATED = 8
    D_READY = 9
    D_RUNNING = 10
    D_ISOLATED = 11
    IN_PRESSURE = 12
    IN_SUPPLY = 13
    W_ACC_FLOW = 14
    W_ACC_PRESSURE = 15
    W_GROUP_FLOW = 16
    W_INJ_FLOW = 17
    W_INJ_H = 18
    W_INJ_BORON = 19
    W_TOTAL = 20
    W_ENERGY_IN = 21
    W_BORON_IN = 22
    G_ISOLATE = 23


@njit
def signals(t, y, p, ip, d, w, r):
    """Accumulator and pump flows, and what reaches each injection target."""
    press = w[ip[r + F.IN_PRESSURE]]
    supply = w[ip[r + F.IN_SUPPLY]] > 0.5
    na = ip[r + F.N_ACC]
    ng = ip[r + F.N_GROUPS]
    nt = ip[r + F.N_TARGETS]
    wf = ip[r + F.W_INJ_FLOW]
    wh = ip[r + F.W_INJ_H]
    wb = ip[r + F.W_INJ_BORON]
    for k in range(nt):
        w[wf + k] = 0.0
        w[wh + k] = 0.0  # energy flux first, divided by the flow below
        w[wb + k] = 0.0  # boron flux first
    total = 0.0
    energy = 0.0
    boron = 0.0
    for a in range(na):
        q = ip[r + F.P_ACC] + a * N_ACC_DATA
        vw = y[ip[r + F.Y_WATER] + a]
        pg = ec.accumulator_gas_pressure(
            vw, p[q + A_TANK], p[q + A_GAS0], p[q + A_P0], p[q + A_EXPONENT]
        )
        m = 0.0
        if d[ip[r + F.D_ISOLATED] + a] < 0.5:
            m = ec.accumulator_flow(pg, p[q + A_HEAD], press, p[q + A_FLOW], p[q + A_DP])
            m *= math.tanh(max(vw, 0.0) / 0.05)  # an empty tank passes nothing
        w[ip[r + F.W_ACC_FLOW] + a] = m
        w[ip[r + F.W_ACC_PRESSURE] + a] = pg
        k = int(p[q + A_TARGET])
        w[wf + k] += m
        w[wh + k] += m * p[q + A_H]
        w[wb + k] += m * p[q + A_BORON]
        total += m
        energy += m * p[q + A_H]
        boron += m * p[q + A_BORON]
    split = ip[r + F.P_SPLIT]
    for g in range(ng):
        q = ip[r + F.P_GROUP] + g * N_GROUP_DATA
        m = 0.0
        if supply and d[ip[r + F.D_RUNNING] + g] > 0.5:
            back = press - p[q + G_SUCTION]
            if p[q + G_DISPLACEMENT] > 0.5:
                one = ec.displacement_pump_flow(back, p[q + G_DP0], p[q + G_DP1], p[q + G_FLOW])
            else:
                one = ec.centrifugal_pump_flow(back, p[q + G_DP0], p[q + G_DP1], p[q + G_FLOW])
            left = p[q + G_TANK] - y[ip[r + F.Y_PUMPED] + g]
            m = p[q + G_PUMPS] * one * math.tanh(max(left, 0.0) / 0.5)
        w[ip[r + F.W_GROUP_FLOW] + g] = m
        for k in range(nt):
            f = m * p[split + g * nt + k]
            w[wf + k] += f
            w[wh + k] += f * p[q + G_H]
            w[wb + k] += f * p[q + G_BORON]
        total += m
        energy += m * p[q + G_H]
        boron += m * p[q + G_BORON]
    for k in range(nt):
        f = w[wf + k]
        if f > 0.0:
            w[wh + k] /= f
            w[wb + k] /= f
        else:
            w[wh + k] = 0.0
            w[wb + k] = 0.0
    w[ip[r + F.W_TOTAL]] = total
    w[ip[r + F.W_ENERGY_IN]] = energy
    w[ip[r + F.W_BORON_IN]] = boron


@njit
def derivatives(t, y, p, ip, d, w, dydt, r):
    """Accumulators empty, tanks are drawn down."""
    for a in range(ip[r + F.N_ACC]):
        q = ip[r + F.P_ACC] + a * N_ACC_DATA
        dydt[ip[r + F.Y_WATER] + a] = -w[ip[r + F.W_ACC_FLOW] + a] / p[q + A_RHO]
    for g in range(ip[r + F.N_GROUPS]):
        q = ip[r + F.P_GROUP] + g * N_GROUP_DATA
        dydt[ip[r + F.Y_PUMPED] + g] = w[ip[r + F.W_GROUP_FLOW] + g] / p[q + G_RHO]


@njit
def roots(t, y, p, ip, d, w, g, r):
    """An accumulator's isolation valves close when its water falls to the residual volume."""
    for a in range(ip[r + F.N_ACC]):
        q = ip[r + F.P_ACC] + a * N_ACC_DATA
        gk = -1.0
        if d[ip[r + F.D_ISOLATED] + a] < 0.5:
            res = p[q + A_RESIDUAL]
            gk = (res - y[ip[r + F.Y_WATER] + a]) / max(res, 1e-3)
        g[ip[r + F.G_ISOLATE] + a] = gk


class Accumulator:
    """One hydro-accumulator (SI): tank and gas volumes, charge pressure, line, water."""

    def __init__(self, **kw: float) -> None:
        self.row = np.zeros(N_ACC_DATA)
        keys = (
            "tank", "gas0", "p0", "exponent", "head", "flow", "dp", "residual", "rho", "h",
            "boron", "target",
        )  # fmt: skip
        for i, k in enumerate(keys):
            self.row[i] = float(kw[k])

    @property
    def water0(self) -> float:
        return float(self.row[A_TANK] - self.row[A_GAS0])


class PumpGroup:
    """One injection pump group (SI) and how its flow is split between the targets."""

    def __init__(self, name: str, split: list[float], **kw: float) -> None:
        self.name = name
        self.split = np.asarray(split, dtype=float)
        self.row = np.zeros(N_GROUP_DATA)
        keys = (
            "displacement", "pumps", "flow", "dp0", "dp1", "suction", "rho", "h", "boron",
            "tank", "delay",
        )  # fmt: skip
        for i, k in enumerate(keys):
            self.row[i] = float(kw[k])


class EmergencyCooling(Component):
    """Emergency core cooling (see the module docstring).

    Parameters
    ----------
    name : str
        Instance name (``"eccs"``).
    accumulators : list of Accumulator
    groups : list of PumpGroup
    targets : list of str
        Names of the injection targets (``"upper_plenum"``, ``"cold1"``...), in order.
    pressure, supply : str
        Signals: primary pressure, and the supply of the ECCS buses.
    """

    kind = "eccs"
    code = CODE
    Field = F

    def __init__(
        self,
        name: str,
        *,
        accumulators: list[Accumulator],
        groups: list[PumpGroup],
        targets: list[str],
        pressure: str,
        supply: str,
    ) -> None:
        super().__init__(name)
        self.accumulators, self.groups, self.targets = accumulators, groups, targets
        self.links = {"pressure": pressure, "supply": supply}
        for g in groups:
            if g.split.size != len(targets) or abs(g.split.sum() - 1.0) > 1e-9:
                raise ValueError(f"ECCS group {g.name}: the split must sum to 1 over the targets")

    def declare(self, b: Declarer) -> None:
        na, ng, nt = len(self.accumulators), len(self.groups), len(self.targets)
        b.state(
            "water",
            na,
            "m3",
            1e-6,
            labels=[f"water[acc{a + 1}]" for a in range(na)],
            description="water in each hydro-accumulator",
        )
        b.state(
            "pumped",
            ng,
            "m3",
            1e-6,
            labels=[f"pumped[{g.name}]" for g in self.groups],
            description="water each pump group has drawn from its tank",
        )
        b.count("acc", na)
        b.count("groups", ng)
        b.count("targets", nt)
        rows_a = np.concatenate([a.row for a in self.accumulators]) if na else np.zeros(1)
        rows_g = np.concatenate([g.row for g in self.groups]) if ng else np.zeros(1)
        split = np.concatenate([g.split for g in self.groups]) if ng else np.zeros(1)
        b.param("acc", rows_a, description="accumulators (see A_* in the module)")
        b.param("group", rows_g, description="pump groups (see G_* in the module)")
        b.param("split", split, description="share of each group's flow per target")
        b.discrete("actuated", 0.0, description="ECCS actuation signal (latched)")
        b.discrete(
            "ready",
            np.full(max(ng, 1), math.inf),
            "s",
            scheduled=True,
            description="time each pump group is at speed after the actuation",
        )
        b.discrete("running", np.zeros(max(ng, 1)), description="pump group started")
        b.discrete("isolated", np.zeros(max(na, 1)), description="accumulator isolated")
        for k, v in self.links.items():
            b.port(k, v)
        b.signal(
            "acc_flow", "kg/s", na, columns=[f"flow_acc{a + 1}_kg_s" for a in range(na)],
            depends=("water", "port:pressure"),
        )  # fmt: skip
        b.signal(
            "acc_pressure", "Pa", na, columns=[f"pressure_acc{a + 1}_pa" for a in range(na)],
            depends=("water",),
        )  # fmt: skip
        b.signal(
            "group_flow", "kg/s", ng, columns=[f"flow_{g.name}_kg_s" for g in self.groups],
            depends=("pumped", "port:pressure", "port:supply"),
        )  # fmt: skip
        dep = ("water", "pumped", "port:pressure", "port:supply")
        b.signal("inj_flow", "kg/s", nt, depends=dep)
        b.signal("inj_h", "J/kg", nt, depends=dep)
        b.signal("inj_boron", "ppm", nt, depends=dep)
        b.signal("total", "kg/s", columns="flow_eccs_kg_s", depends=dep)
        b.signal("energy_in", "W", depends=dep)
        b.signal("boron_in", "ppm kg/s", depends=dep)
        b.roots("isolate", [f"acc{a + 1}" for a in range(na)], "accumulator isolation")
        b.depends("water", ("water", "port:pressure"))
        b.depends("pumped", ("pumped", "port:pressure", "port:supply"))

    def initial_water(self) -> np.ndarray:
        """Water volumes of the charged accumulators [m3]."""
        return np.array([a.water0 for a in self.accumulators])

    # -- between steps -------------------------------------------------------------------------
    def on_protective_eccs(
        self, net: Any, t: float, y: np.ndarray, d: np.ndarray, row: Any
    ) -> tuple[np.ndarray, np.ndarray, list[dict]]:
        """The ECCS actuation signal: the pump groups start (each ready after its delay)."""
        k = net.d_index(f"{self.name}.actuated")
        if d[k] > 0.5:
            return y, d, []
        d[k] = 1.0
        rd = net.discrete[f"{self.name}.ready"].start
        for i, g in enumerate(self.groups):
            d[rd + i] = t + g.row[G_DELAY]
        return y, d, [{"time_s": t, "kind": "eccs", "name": "eccs_actuated", "detail": row.name}]

    def on_ready(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """A pump group has reached speed."""
        d[net.discrete[f"{self.name}.running"].start + k] = 1.0
        return y, d, [{"time_s": t, "kind": "eccs", "name": f"{self.groups[k].name}_running"}]

    def on_isolate(self, net: Any, t: float, y: np.ndarray, d: np.ndarray, k: int):
        """An accumulator is nearly empty: its isolation valves close."""
        d[net.discrete[f"{self.name}.isolated"].start + k] = 1.0
        return y, d, [{"time_s": t, "kind": "eccs", "name": f"acc{k + 1}_isolated"}]

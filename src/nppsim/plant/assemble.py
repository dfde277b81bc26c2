"""Assembling networks from designs: which components, how they connect, their initial state.

:func:`core_network` builds the core studied alone (the core component and a boundary component
that prescribes pressure, inlet temperature and flow); the plant network of a design with plant
sections is built from the topology its design file declares.
"""

from __future__ import annotations

import numpy as np

from nppsim.designs import Design
from nppsim.errors import InputError
from nppsim.plant.components.boron_control import MANUAL as BORON_MANUAL
from nppsim.plant.components.boron_control import BoronControl
from nppsim.plant.components.boundary import Boundary
from nppsim.plant.components.core import Core
from nppsim.plant.components.protection import Protection, TripRow
from nppsim.plant.components.rod_control import AUTO, MANUAL, RodControl
from nppsim.plant.network import Network


def core_trip_rows(design: Design) -> list[TripRow]:
    """The core's trip table: high neutron power and short period (``[protection]``)."""
    pr = design.protection
    return [
        TripRow(
            "high_flux",
            "core.power_relative",
            "above",
            pr.high_flux.si,
            detail="neutron power {value:.1f} % of nominal",
            scale=100.0,
        ),
        TripRow(
            "short_period",
            "core.period_inverse",
            "above",
            1.0 / pr.short_period.si,
            detail=f"period shorter than {pr.short_period.si:g} s",
        ),
    ]


def core_network(design: Design) -> Network:
    """The core alone with prescribed boundary conditions (design's nominal values)."""
    cool = design.coolant
    ctl = design.control
    r = design.reactivity
    comps = [
        Boundary("boundary", cool.pressure.si, cool.inlet_temperature.si, 1.0),
        Core("core", design),
        RodControl("rods", band=ctl.power_error_band.si),
        BoronControl(
            "boron",
            rate_max=ctl.boron_rate_max.si,
            bank_ref=ctl.bank_position_reference.si,
            bank_band=ctl.bank_position_band.si,
            dead_band=0.0,
            boron_min=r.boron_min.si,
            boron_max=r.boron_max.si,
        ),
        Protection("protection", core_trip_rows(design), design.rods.scram_delay.si),
    ]
    conn = {
        "core.pressure": "boundary.pressure",
        "core.h_in": "boundary.h_in",
        "core.flow": "boundary.flow",
        "core.rod_demand": "rods.demand",
        "core.boron_rate": "boron.rate",
    }
    return Network(comps, conn)


def core_steady_state(
    net: Network,
    power: float,
    critical: str = "boron",
    *,
    pressure: float | None = None,
    inlet_temperature: float | None = None,
    flow: float = 1.0,
    boron: float | None = None,
    rod_control: str = "auto",
    boron_control: str = "manual",
    file: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Steady state of the core network at relative power ``power`` (1 % to 100 %).

    Xenon, samarium, precursors and decay heat are in equilibrium; temperatures solve the steady
    conduction and coolant energy balance; the core is made critical by boron
    (``critical="boron"``) or by the regulating banks (``"bank"``, boron fixed).

    Returns
    -------
    (ndarray, ndarray)
        The state ``y`` and the discrete state ``d``.
    """
    core: Core = net.by_name["core"]  # type: ignore[assignment]
    design = core.design
    if not 0.01 <= power <= 1.0:
        raise InputError(file, "initial.power", f"{100 * power:g} %", "allowed 1 % to 100 %")
    press = design.coolant.pressure.si if pressure is None else pressure
    t_in = design.coolant.inlet_temperature.si if inlet_temperature is None else inlet_temperature
    y = np.zeros(net.states.size)
    d = net.d0.copy()
    bnd = net.by_name["boundary"]
    for which, v in (("pressure", press), ("inlet_temperature", t_in), ("flow", flow)):
        k = net.discrete[f"{bnd.name}.{which}"].start
        d[k : k + 4] = (0.0, v, 0.0, v)
    core.steady_state(net, y, d, power, press, t_in, flow, boron)
    rods = net.by_name["rods"]
    k = net.discrete[f"{rods.name}.setpoint"].start
    d[k : k + 4] = (0.0, power, 0.0, power)
    d[net.d_index(f"{rods.name}.mode")] = AUTO if rod_control == "auto" else MANUAL
    d[net.d_index("boron.mode")] = 0.0 if boron_control == "auto" else BORON_MANUAL
    core.make_critical(net, y, d, critical, file)
    net.set_typical(y)
    return y, d

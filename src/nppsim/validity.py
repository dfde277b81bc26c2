"""Before a run: can the design make a steady state inside the model's validity range?

Every value of a design file is checked against its own range when the file is read
(:mod:`nppsim.designs`). Values that are each in range can still not make a plant together: a
loop flow of 100 kg/s cannot carry 3000 MW without boiling, a 7 MPa primary circuit boils at a
289 °C inlet. This module checks such combinations before the model is built, and turns what the
steady-state solvers cannot reach into one-line errors naming the quantity
(:class:`nppsim.errors.InputError`, exit status 2 at the command line), so that no run starts from
a state the model does not describe. During a run, the same limits are watched by the validity
component (:mod:`nppsim.plant.components.validity`), which stops the run where they are crossed.

The checks use the IAPWS-IF97 saturation line (CoolProp, :mod:`nppsim.physics.water`), which the
run loads anyway.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nppsim.designs import Design
from nppsim.errors import InputError, NppsimError

__all__ = ["build_model", "check_design", "steady_state"]


def _degc(kelvin: float) -> str:
    return f"{kelvin - 273.15:.1f} °C"


def check_design(design: Design, kind: str, power: float = 1.0) -> None:
    """Refuse a design whose values cannot make a single-phase steady state at ``power``.

    Parameters
    ----------
    design : Design
        The design (overrides applied).
    kind : {"core", "plant"}
        The model to be built.
    power : float
        Relative power of the steady state [1].

    Raises
    ------
    InputError
        Naming the design file, the quantity, its value and what would be needed.
    """
    from nppsim.physics import water

    file = design.path or None
    cool = design.coolant
    if cool is None:
        return
    p_core = cool.pressure.si
    t_in = cool.inlet_temperature.si
    t_sat = float(water.saturation_temperature(p_core))
    if t_in >= t_sat:
        raise InputError(
            file,
            "coolant.inlet_temperature",
            f"{cool.inlet_temperature.value} {cool.inlet_temperature.unit}",
            f"at or above saturation ({_degc(t_sat)}) at coolant.pressure "
            f"{p_core / 1e6:g} MPa: the coolant model is single-phase; give an inlet below "
            f"{_degc(t_sat)} or a higher pressure",
        )
    if cool.outlet_temperature.si >= t_sat:
        raise InputError(
            file,
            "coolant.outlet_temperature",
            f"{cool.outlet_temperature.value} {cool.outlet_temperature.unit}",
            f"at or above saturation ({_degc(t_sat)}) at coolant.pressure {p_core / 1e6:g} MPa: "
            "the coolant model is single-phase",
        )
    q = power * design.rating.power_thermal.si
    h_in = float(water.enthalpy_pt(p_core, t_in))
    h_f = float(water.saturated_liquid_enthalpy(p_core))
    if kind == "core":
        m = cool.mass_flow.si * (1.0 - design.core.bypass_fraction.si)
        if m * (h_f - h_in) <= q:
            need = q / (h_f - h_in) / (1.0 - design.core.bypass_fraction.si)
            raise InputError(
                file,
                "coolant.mass_flow",
                f"{cool.mass_flow.value} {cool.mass_flow.unit}",
                f"cannot carry {q / 1e6:.0f} MW from the inlet ({_degc(t_in)}) without reaching "
                f"saturation ({_degc(t_sat)} at {p_core / 1e6:g} MPa): the core outlet would "
                f"boil; at least {need:.0f} kg/s is needed",
            )
        return
    if design.primary is None:
        return
    from nppsim.designs.plant_sections import plant_sections

    ps = plant_sections(design)
    pr = ps.primary
    # a gas pressurizer (integral layout) has no pressure setpoint: its nominal pressure is the
    # design's coolant pressure (the gas inventory is set from it)
    pzc = ps.control.pressurizer
    p_plant = (
        pzc.pressure_setpoint.si
        if hasattr(pzc, "pressure_setpoint")
        else design.coolant.pressure.si
    )
    t_sat_plant = float(water.saturation_temperature(p_plant))
    h_f_plant = float(water.saturated_liquid_enthalpy(p_plant))
    sg_p = ps.steam_generators.steam_pressure.si
    t_sg = float(water.saturation_temperature(sg_p))
    if t_sg >= t_sat_plant:
        raise InputError(
            file,
            "steam_generators.steam_pressure",
            f"{ps.steam_generators.steam_pressure.value} {ps.steam_generators.steam_pressure.unit}",
            f"boils at {_degc(t_sg)}, not below the primary saturation temperature "
            f"({_degc(t_sat_plant)} at {p_plant / 1e6:g} MPa): the steam generators could not "
            "take the core's heat from single-phase primary water",
        )
    # the loops' flow is set by the pumps against resistances sized for the design loop flow;
    # the coldest the primary can be is the steam generators' saturation temperature
    h_cold = float(water.enthalpy_pt(p_plant, t_sg))
    m = pr.loops * pr.loop_flow.si * (1.0 - design.core.bypass_fraction.si)
    if m * (h_f_plant - h_cold) <= q:
        need = q / (h_f_plant - h_cold) / (1.0 - design.core.bypass_fraction.si) / pr.loops
        raise InputError(
            file,
            "primary.loop_flow",
            f"{pr.loop_flow.value} {pr.loop_flow.unit}",
            f"{pr.loops} loops of it cannot carry {q / 1e6:.0f} MW of core power without "
            f"boiling (from at least {_degc(t_sg)}, the steam generators' saturation, to "
            f"{_degc(t_sat_plant)}, saturation at {p_plant / 1e6:g} MPa); at least {need:.0f} "
            "kg/s per loop is needed",
        )


def _where(design: Design) -> str | None:
    return design.path or None


def build_model(design: Design, kind: str) -> Any:
    """The model of ``design`` (:class:`nppsim.plant.model.Model`), its construction errors
    turned into one-line input errors naming the design."""
    from nppsim.plant.model import Model

    try:
        return Model(design, kind)
    except NppsimError:
        raise
    except (ValueError, ArithmeticError, RuntimeError) as e:
        raise InputError(
            _where(design), "design", design.name, f"the {kind} model cannot be built: {e}"
        ) from None


def steady_state(
    model: Any, power: float, critical: str, file: str | None = None, **kw: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The model's steady state (:meth:`nppsim.plant.model.Model.steady_state`), checked.

    A steady state the solvers cannot reach, or one outside the model's validity range (coolant
    at saturation in a single-phase region, a pressure outside the tables), is an
    :class:`~nppsim.errors.InputError` naming the quantity, not a traceback.
    """
    design = model.design
    try:
        y0, d0 = model.steady_state(power, critical, file=file, **kw)
    except NppsimError:
        raise
    except (ValueError, ArithmeticError, RuntimeError) as e:
        raise InputError(
            _where(design),
            "design",
            design.name,
            f"no steady state of the {model.kind} model at {100 * power:g} % power: {_reason(e)}",
        ) from None
    if not np.all(np.isfinite(y0)) or np.any(np.isnan(d0)):
        raise InputError(
            _where(design),
            "design",
            design.name,
            f"the steady state of the {model.kind} model at {100 * power:g} % power is not finite",
        )
    watch = model.net.by_name.get("validity")
    if watch is not None:
        bad = watch.violated(model.net, 0.0, y0, d0)
        if bad:
            raise InputError(
                _where(design),
                "design",
                design.name,
                f"the steady state at {100 * power:g} % power lies outside the model's range: "
                f"{watch.describe(model.net, 0.0, y0, d0, bad[0])}",
            )
    return y0, d0


def _reason(e: Exception) -> str:
    """A solver's exception in words."""
    text = str(e)
    if "outside the tables" in text:
        return f"the coolant would leave the water-property tables ({text})"
    return text or type(e).__name__

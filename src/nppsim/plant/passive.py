"""Assembly of the passive safety systems a design file has (``[passive_safety]``).

Called from :func:`nppsim.plant.assemble.plant_network` (and from the integral layout's assembly):
each function returns nothing when the design has no such system, so designs without passive
systems are assembled exactly as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nppsim.plant.components import passive_heat_removal as _phrs
from nppsim.plant.components import second_stage_accumulators as _ha2


def heat_removal_trains(
    design: Any, n_sg: int, *, horizontal: bool = True
) -> list[_phrs.PassiveHeatRemoval]:
    """One PHRS train per steam generator (``phrs1``...), or none.

    With ``horizontal`` the train takes its heat from the steam generator's energy state
    (``sg{i}.energy``); otherwise the steam generator reads it (``phrs{i}.heat``).
    """
    from nppsim.physics import water

    ps = getattr(design, "passive_safety", None)
    hr = ps.heat_removal if ps is not None else None
    if hr is None:
        return []
    data = np.zeros(_phrs.N_DATA)
    data[_phrs.H_CAPACITY] = hr.capacity.si
    data[_phrs.H_T_SAT_DESIGN] = float(water.saturation_temperature(hr.design_pressure.si))
    data[_phrs.H_T_AIR] = hr.air_temperature.si
    data[_phrs.H_EXPONENT] = hr.exponent.si
    data[_phrs.H_TAU] = hr.time_constant.si
    data[_phrs.H_P_LOW] = hr.regulation_low.si
    data[_phrs.H_P_HIGH] = hr.regulation_high.si
    if data[_phrs.H_T_SAT_DESIGN] <= data[_phrs.H_T_AIR]:
        from nppsim.errors import InputError

        raise InputError(
            design.path or None,
            "passive_safety.heat_removal.design_pressure",
            hr.design_pressure.value,
            "its saturation temperature must exceed air_temperature",
        )
    trains = min(hr.trains, n_sg)
    return [
        _phrs.PassiveHeatRemoval(
            f"phrs{i + 1}",
            data,
            temp_sat=f"sg{i + 1}.temp_sat",
            pressure=f"sg{i + 1}.pressure",
            target=f"sg{i + 1}.energy" if horizontal else None,
            index=i + 1,
        )
        for i in range(trains)
    ]


def second_stage_accumulators(
    design: Any, *, node: tuple[str, str, str, float], makeup: str
) -> _ha2.SecondStageAccumulators | None:
    """The HA-2 component (``ha2``), or None.

    Parameters
    ----------
    node : (state, h signal, rho signal, volume)
        Where the water enters (the make-up node).
    makeup : str
        The make-up controller's flow signal (the pressurizer's make-up port then reads
        ``ha2.makeup_total``).
    """
    from nppsim.physics import water

    ps = getattr(design, "passive_safety", None)
    acc = ps.second_stage_accumulators if ps is not None else None
    if acc is None:
        return None
    t_w = acc.water_temperature.si
    p_ref = acc.opening_pressure.si
    rho = float(water.density_pt(p_ref, t_w))
    h_w = float(water.enthalpy_pt(p_ref, t_w))
    fr, fl = acc.stage_fractions.si_list, acc.stage_flows.si_list
    head = [acc.tanks * acc.tank_volume.si * rho, p_ref, acc.pressure_band.si, h_w, len(fr)]
    data = np.array(head + list(fr) + list(fl), dtype=float)
    st, h, r, v = node
    return _ha2.SecondStageAccumulators(
        "ha2",
        data,
        node_state=st,
        node_h=h,
        node_rho=r,
        node_volume=v,
        pressure="pressurizer.pressure",
        makeup=makeup,
    )


def balance_heats(comps: list[Any]) -> list[tuple[str, float]]:
    """Heats of the passive systems that cross the plant's boundary, signed (+1 into the water):
    the HA-2's enthalpy difference, the PHRS trains' heat to the air (for the energy balance)."""
    out: list[tuple[str, float]] = []
    for c in comps:
        if isinstance(c, _ha2.SecondStageAccumulators):
            out.append((f"{c.name}.heat", 1.0))
        elif isinstance(c, _phrs.PassiveHeatRemoval):
            out.append((f"{c.name}.heat", -1.0))
    return out


def initial_state(net: Any, y: np.ndarray) -> None:
    """Full HA-2 tanks and PHRS trains at rest in a steady state."""
    for c in net.components:
        if isinstance(c, _ha2.SecondStageAccumulators):
            y[net.s_index(f"{c.name}.inventory")] = c.mass0
        elif isinstance(c, _phrs.PassiveHeatRemoval):
            y[net.s_index(f"{c.name}.heat")] = 0.0

"""What the mimic diagram draws: a design's topology with each element bound to recorded columns.

:func:`topology` turns a design (and the model kind) into a plain description that the page
draws as SVG: the reactor with its rod banks, and for the plant the loops (each with its pump and
steam generator), the pressurizer on its loop, the steam lines and header, the steam dumps
(BRU-K to the condenser, BRU-A to the atmosphere), the steam-generator safety valves, the
turbine, the generator and the feedwater. Each element lists the recorded columns it shows
(``bind``), resolved against the model's columns: a column the model does not record is left out
(the page shows a dash), so the description is tolerant of designs with fewer sections and of
models that record other quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nppsim.designs import Design


def _si(q: Any, default: float = 0.0) -> float:
    """The SI value of a design quantity (or ``default`` if absent)."""
    if q is None:
        return default
    v = getattr(q, "si", q)
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


class _Binder:
    def __init__(self, columns: Sequence[str] | None) -> None:
        self.columns = None if columns is None else set(columns)

    def __call__(self, *candidates: str) -> str | None:
        """The first candidate the model records (the first one when no model is known)."""
        if self.columns is None:
            return candidates[0] if candidates else None
        for c in candidates:
            if c in self.columns:
                return c
        return None

    def group(self, **spec: tuple[str, ...] | str) -> dict[str, str]:
        out = {}
        for key, cands in spec.items():
            c = self(*((cands,) if isinstance(cands, str) else cands))
            if c is not None:
                out[key] = c
        return out


def _first_attr(obj: Any, names: Sequence[str]) -> Any:
    for n in names:
        v = getattr(obj, n, None)
        if v is not None:
            return v
    return None


def topology(design: Design, kind: str, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """The mimic's description of ``design`` as a ``kind`` ("core" or "plant") model.

    Parameters
    ----------
    design : Design
        The design object.
    kind : {"core", "plant"}
        The model: the core alone (reactor and its boundary conditions) or the whole plant.
    columns : sequence of str, optional
        The model's recorded columns; bindings to columns it lacks are left out. ``None``
        (no model at hand) keeps each element's first candidate column.

    Returns
    -------
    dict
        ``{"design", "title", "kind", "reactor", "boundary" | None, "loops", "pressurizer",
        "steam", "turbine", "generator", "feedwater"}``; absent parts are ``None`` or empty.
    """
    bind = _Binder(columns)
    rods = design.rods
    banks = []
    if rods is not None:
        for b in rods.banks:
            col = bind(f"bank_position_{b.name}_frac")
            banks.append(
                {
                    "name": b.name,
                    "regulating": b.name in rods.regulating_banks,
                    "bind": {"position": col} if col else {},
                }
            )
    out: dict[str, Any] = {
        "design": design.name,
        "title": design.design.title,
        "kind": kind,
        "power_thermal_w": _si(design.rating.power_thermal),
        "reactor": {
            "type": design.design.reactor_type,
            "banks": banks,
            "bind": bind.group(
                power=("power_relative",),
                power_w=("power_thermal_w",),
                setpoint=("power_setpoint",),
                reactivity=("reactivity_total",),
                boron=("boron_ppm",),
                fuel_max=("temp_fuel_max_k",),
                t_in=("temp_coolant_inlet_k", "temp_cold_leg_k"),
                t_out=("temp_coolant_outlet_k", "temp_hot_leg_k"),
                flow=("flow_core_kg_s", "flow_vessel_kg_s"),
                pressure=("pressure_primary_pa",),
            ),
        },
        "boundary": None,
        "loops": [],
        "pressurizer": None,
        "steam": None,
        "turbine": None,
        "generator": None,
        "feedwater": None,
    }
    if kind != "plant":
        out["boundary"] = {
            "bind": bind.group(
                t_in=("temp_coolant_inlet_k",),
                flow=("flow_core_kg_s",),
                pressure=("pressure_primary_pa",),
                t_out=("temp_coolant_outlet_k",),
            )
        }
        return out
    _plant(design, bind, out)
    return out


def _plant(design: Design, bind: _Binder, out: dict[str, Any]) -> None:
    """Fill the plant sections that the design has."""
    primary = design.primary
    n_loops = int(primary.loops) if primary is not None else 0
    sgs = design.steam_generators
    pumps = design.pumps
    sg_type = "horizontal"
    declared = _first_attr(sgs, ("type", "kind", "sg_type")) if sgs is not None else None
    if isinstance(declared, str):
        sg_type = declared
    elif "integral" in design.design.reactor_type.lower():
        sg_type = "integral"
    pump_type = "canned" if "canned" in design.design.reactor_type.lower() else "induction"
    declared_pump = _first_attr(pumps, ("type", "kind")) if pumps is not None else None
    if isinstance(declared_pump, str):
        pump_type = declared_pump
    rated_speed = _si(getattr(pumps, "rated_speed", None), 0.0)
    for i in range(1, n_loops + 1):
        out["loops"].append(
            {
                "index": i,
                "bind": bind.group(flow=(f"flow_loop{i}_kg_s",)),
                "pump": {
                    "type": pump_type,
                    "rated_speed": rated_speed,
                    "bind": bind.group(speed=(f"speed_pump{i}_rad_s", f"pump{i}.speed")),
                },
                "steam_generator": {
                    "type": sg_type,
                    "bind": bind.group(level=(f"level_sg{i}_m",), pressure=(f"pressure_sg{i}_pa",)),
                },
            }
        )
    out["bind_loops"] = bind.group(
        t_hot=("temp_hot_leg_k",), t_cold=("temp_cold_leg_k",), flow=("flow_vessel_kg_s",)
    )
    pz = design.pressurizer
    if pz is not None and n_loops:
        topo = getattr(design, "topology", None)
        loop = _first_attr(pz, ("surge_line_loop", "surge_loop", "loop"))
        if loop is None:
            loop = _first_attr(primary, ("pressurizer_loop", "surge_line_loop"))
        if loop is None and topo is not None:
            loop = _first_attr(topo, ("pressurizer_loop", "surge_line_loop"))
        loop = int(loop) if isinstance(loop, int | float) and 1 <= loop <= n_loops else 1
        out["pressurizer"] = {
            "loop": loop,
            "total_volume": _si(pz.total_volume),
            "height": _si(pz.total_volume) / max(1e-9, 3.14159 * _si(pz.inner_diameter) ** 2 / 4),
            "bind": bind.group(
                level=("level_pressurizer_m",),
                level_setpoint=("level_pressurizer_setpoint_m",),
                pressure=("pressure_primary_pa",),
                heaters=("power_heaters_w",),
                spray=("flow_spray_kg_s",),
                relief=("flow_pzr_relief_kg_s",),
                subcooling=("subcooling_margin_k",),
            ),
        }
    tb = design.turbine
    if tb is None:
        return
    out["steam"] = {
        "bind": bind.group(
            header_pressure=("pressure_header_pa", "pressure_steam_pa"),
            steam_flow=("flow_steam_kg_s",),
            break_flow=("flow_break_kg_s",),
        ),
        "bru_k": {
            "capacity": _si(tb.bru_k_capacity),
            "bind": bind.group(flow=("flow_bru_k_kg_s",)),
        }
        if _si(tb.bru_k_capacity) > 0
        else None,
        "bru_a": {
            "capacity": _si(tb.bru_a_capacity),
            "bind": bind.group(flow=("flow_bru_a_kg_s",)),
        }
        if _si(tb.bru_a_capacity) > 0
        else None,
        "safety_valves": {
            "capacity": _si(tb.sg_safety_capacity),
            "bind": bind.group(flow=("flow_sg_safety_kg_s",)),
        }
        if _si(tb.sg_safety_capacity) > 0
        else None,
    }
    out["turbine"] = {
        "rated_steam_flow": _si(tb.rated_steam_flow),
        "bind": bind.group(flow=("flow_turbine_kg_s",), valve=("turbine_valve_frac",)),
    }
    out["generator"] = {
        "rated_power": _si(design.rating.power_electric_gross),
        "bind": bind.group(power=("power_electric_w",)),
    }
    feed_pumps = _first_attr(tb, ("feed_pumps", "feed_pump_count"))
    out["feedwater"] = {
        "pumps": int(feed_pumps) if isinstance(feed_pumps, int | float) else 2,
        "bind": bind.group(flow=("flow_feed_kg_s",)),
    }

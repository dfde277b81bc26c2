"""What a design has, as data: the features that scenarios and actions require.

A scenario file may say what it needs (``[scenario.requires]``)::

    [scenario.requires]
    steam_generator = "horizontal"   # a break of a horizontal SG's steam line
    pumps = 2                        # at least two reactor coolant pumps

and an action class may too (``Action.requires``). :func:`features` lists a design's features;
:func:`unmet` compares requirements with them. A string or boolean requirement must equal the
design's feature; a number is a minimum.

Features
--------
``model``
    ``"plant"`` (core and plant sections), ``"core"`` (core sections only) or ``"ratings"``.
``layout``
    ``"loop"`` (loops of piping outside the vessel) or ``"integral"`` (steam generators and
    pumps inside the vessel).
``steam_generator``
    ``"horizontal"`` (with a drum, a level and a steam line that can break) or
    ``"once_through"`` (superheated steam, no level).
``pressurizer``
    ``"steam"`` (heaters and spray) or ``"gas"``.
``pump_type``
    ``"induction"`` or ``"canned"``.
``pumps``, ``steam_generators``, ``feed_pumps``
    How many.
``soluble_boron``
    Whether reactivity is controlled by boron in the coolant.
``emergency_cooling``
    Whether the design has active emergency core cooling (hydro-accumulators, injection pumps).
``passive_heat_removal``, ``second_stage_accumulators``
    The passive safety systems the design has.
"""

from __future__ import annotations

from typing import Any

#: every feature name, with what it means (for error messages and docs)
FEATURES: dict[str, str] = {
    "model": "plant, core or ratings",
    "layout": "loop or integral",
    "steam_generator": "horizontal or once_through",
    "pressurizer": "steam or gas",
    "pump_type": "induction or canned",
    "pumps": "number of reactor coolant pumps",
    "steam_generators": "number of steam generators",
    "feed_pumps": "number of main feed pumps",
    "soluble_boron": "true or false",
    "emergency_cooling": "true or false",
    "passive_heat_removal": "true or false",
    "second_stage_accumulators": "true or false",
}


def features(design: Any) -> dict[str, Any]:
    """The features of a design object (see the module docstring)."""
    out: dict[str, Any] = {}
    if not getattr(design, "has_dynamics", False):
        out["model"] = "ratings"
        return out
    r = design.reactivity
    out["soluble_boron"] = bool(r.boron_max.si > 0.0)
    if design.primary is None or design.steam_generators is None:
        out["model"] = "core"
        return out
    out["model"] = "plant"
    out["layout"] = design.primary.layout
    out["steam_generator"] = design.steam_generators.type
    out["pressurizer"] = getattr(design.pressurizer, "type", "steam")
    out["pump_type"] = design.pumps.type
    out["pumps"] = int(design.pumps.count)
    out["steam_generators"] = int(design.steam_generators.count)
    out["feed_pumps"] = int(design.turbine.feed_pumps) if design.turbine is not None else 0
    # active emergency core cooling: hydro-accumulators and injection pumps (the integral plant
    # relies on its passive systems and has none)
    out["emergency_cooling"] = getattr(design, "emergency_cooling", None) is not None
    ps = getattr(design, "passive_safety", None)
    out["passive_heat_removal"] = bool(ps is not None and ps.heat_removal is not None)
    out["second_stage_accumulators"] = bool(
        ps is not None and ps.second_stage_accumulators is not None
    )
    return out


def unmet(requires: dict[str, Any], feats: dict[str, Any]) -> list[str]:
    """The requirements a design's features do not meet, each as a sentence."""
    out = []
    for key, want in requires.items():
        have = feats.get(key)
        if isinstance(want, bool) or isinstance(want, str):
            ok = have == want
            need = f"{key} = {str(want).lower() if isinstance(want, bool) else want}"
        else:
            ok = isinstance(have, int | float) and not isinstance(have, bool) and have >= want
            need = f"{key} >= {want}"
        if not ok:
            shown = (
                "none" if have is None else str(have).lower() if isinstance(have, bool) else have
            )
            out.append(f"needs {need} (the design has {shown})")
    return out


def check_keys(requires: dict[str, Any]) -> str | None:
    """An unknown requirement name, or None."""
    for key in requires:
        if key not in FEATURES:
            return key
    return None

"""Units of study parameters and metrics: which units measure the same kind of quantity.

:mod:`nppsim.units` converts a unit to SI by a factor and an offset; it does not know that
``"MPa"`` and ``"kg m2"`` measure different things. A study converts values between a unit the user
writes and the unit a design field or a recorded quantity is in, so it checks here that the two
are of one kind (a pressure given for a pump inertia is an error, never a silent wrong answer).

A recorded quantity's SI unit is named by the end of its column name (``pressure_primary_pa``,
``power_thermal_w``, ``flow_bru_k_kg_s``; see :meth:`nppsim.engine.simulation.Simulation.results`).
"""

from __future__ import annotations

import re

from nppsim.units import is_known, to_si

#: units measuring one kind of quantity (a unit may be in two kinds: K is a temperature and a
#: temperature difference)
KINDS: dict[str, tuple[str, ...]] = {
    "dimensionless": ("1", "-", "%", "pcm"),
    "time": ("s", "ms", "min", "h", "d", "yr"),
    "rate": ("1/s", "1/s (ramp)", "1/min", "%/s", "%/min"),
    "power": ("W", "kW", "MW", "GW", "MWe"),
    "pressure": ("Pa", "kPa", "MPa", "bar"),
    "temperature": ("K", "degC"),
    "temperature difference": ("delta_K", "K"),
    "temperature rate": ("K/s", "K/min"),
    "per kelvin": ("1/K", "pcm/K"),
    "per ppm": ("1/ppm", "pcm/ppm"),
    "per density": ("1/(kg/m3)", "1/(g/cm3)"),
    "boron": ("ppm",),
    "boron rate": ("ppm/s", "ppm/min", "ppm/h"),
    "length": ("m", "cm", "mm"),
    "mass": ("kg", "t", "tHM"),
    "mass flow": ("kg/s", "t/h"),
    "angular speed": ("rad/s", "rpm"),
    "energy": ("J", "kJ", "MJ", "GJ", "MWh", "TWh"),
    "number density": ("1/m3",),
}

# output units of metrics that nppsim.units has no entry for: unit -> factor to SI
_EXTRA: dict[str, float] = {
    "J": 1.0,
    "kJ": 1e3,
    "MJ": 1e6,
    "GJ": 1e9,
    "MWh": 3.6e9,
    "1/m3": 1.0,
}

# column-name endings of recorded quantities -> kind of quantity (longest ending first)
_SUFFIX_KIND: list[tuple[str, str]] = [
    ("_per_m3", "number density"),
    ("_ppm_s", "boron rate"),
    ("_kg_s", "mass flow"),
    ("_rad_s", "angular speed"),
    ("_frac", "dimensionless"),
    ("_ppm", "boron"),
    ("_kg", "mass"),
    ("_pa", "pressure"),
    ("_w", "power"),
    ("_j", "energy"),
    ("_k", "temperature"),
    ("_m", "length"),
    ("_s", "time"),
]
_DIMENSIONLESS_NAMES = re.compile(r"^(reactivity_.*|power_relative|power_setpoint|rod_demand)$")
_SI_UNIT = {
    "dimensionless": "1",
    "time": "s",
    "power": "W",
    "pressure": "Pa",
    "temperature": "K",
    "temperature difference": "K",
    "boron": "ppm",
    "boron rate": "ppm/s",
    "length": "m",
    "mass": "kg",
    "mass flow": "kg/s",
    "angular speed": "rad/s",
    "energy": "J",
    "number density": "1/m3",
}


def known(unit: str) -> bool:
    """Whether ``unit`` can be converted (nppsim's table or the energy units of metrics)."""
    return is_known(unit) or unit in _EXTRA


def factor_offset(unit: str) -> tuple[float, float]:
    """``(factor, offset)`` with ``si = value * factor + offset``."""
    if unit in _EXTRA:
        return _EXTRA[unit], 0.0
    offset = to_si(0.0, unit)
    return to_si(1.0, unit) - offset, offset


def si_from(value: float, unit: str) -> float:
    """``value`` given in ``unit``, in SI (as :func:`nppsim.units.to_si` converts design files)."""
    if unit in _EXTRA:
        return value * _EXTRA[unit]
    return to_si(value, unit)


def si_to(value_si: float, unit: str) -> float:
    """An SI value expressed in ``unit``."""
    f, o = factor_offset(unit)
    return (value_si - o) / f


def kinds_of(unit: str) -> set[str]:
    """The kinds of quantity ``unit`` measures (empty if it is in no kind of the table)."""
    return {k for k, units in KINDS.items() if unit in units}


def compatible(a: str, b: str) -> bool:
    """Whether a value in unit ``a`` can stand for one in unit ``b`` (same kind, or same unit)."""
    return a == b or bool(kinds_of(a) & kinds_of(b))


def quantity_kind(column: str) -> str | None:
    """Kind of a recorded quantity from its column name; None if the name does not tell.

    A temperature margin or difference (``subcooling_margin_k``) is a temperature difference.
    """
    if _DIMENSIONLESS_NAMES.match(column):
        return "dimensionless"
    for suffix, kind in _SUFFIX_KIND:
        if column.endswith(suffix):
            if kind == "temperature" and ("margin" in column or "delta" in column):
                return "temperature difference"
            return kind
    return None


def si_unit(kind: str) -> str:
    """The SI unit of a kind of quantity."""
    return _SI_UNIT.get(kind, "SI")


def units_of(kind: str) -> tuple[str, ...]:
    """The units of a kind of quantity."""
    return KINDS.get(kind, ())

"""Units at the edges of nppsim.

Inside nppsim every quantity is SI (K, Pa, W, kg, m, s, absolute reactivity). Files written by
people may use other units, always named: ``duration = "72 h"``,
``{ value = 3000, unit = "MW" }``. This module is the one place that converts them, by an explicit
table (no silent guesses).
"""

from __future__ import annotations

import re

# unit -> (factor, offset): si = value * factor + offset
_UNITS: dict[str, tuple[float, float]] = {
    # dimensionless
    "1": (1.0, 0.0),
    "-": (1.0, 0.0),
    "%": (1e-2, 0.0),
    "pcm": (1e-5, 0.0),
    "ppm": (1.0, 0.0),  # boron concentration is kept in ppm (mass) inside too: see nomenclature
    # time
    "s": (1.0, 0.0),
    "ms": (1e-3, 0.0),
    "min": (60.0, 0.0),
    "h": (3600.0, 0.0),
    "d": (86400.0, 0.0),
    "yr": (365.25 * 86400.0, 0.0),
    "1/s": (1.0, 0.0),
    # power
    "W": (1.0, 0.0),
    "kW": (1e3, 0.0),
    "MW": (1e6, 0.0),
    "GW": (1e9, 0.0),
    # pressure
    "Pa": (1.0, 0.0),
    "kPa": (1e3, 0.0),
    "MPa": (1e6, 0.0),
    "bar": (1e5, 0.0),
    # temperature
    "K": (1.0, 0.0),
    "degC": (1.0, 273.15),
    # temperature difference and coefficients
    "delta_K": (1.0, 0.0),
    "1/K": (1.0, 0.0),
    "pcm/K": (1e-5, 0.0),
    "pcm/ppm": (1e-5, 0.0),
    "pcm/%": (1e-5 / 1e-2, 0.0),
    "1/ppm": (1.0, 0.0),
    "1/(kg/m3)": (1.0, 0.0),
    "1/(g/cm3)": (1e-3, 0.0),
    # length, area, volume
    "m": (1.0, 0.0),
    "cm": (1e-2, 0.0),
    "mm": (1e-3, 0.0),
    "m2": (1.0, 0.0),
    "m3": (1.0, 0.0),
    # mass and flow
    "kg": (1.0, 0.0),
    "t": (1e3, 0.0),
    "kg/s": (1.0, 0.0),
    "t/h": (1e3 / 3600.0, 0.0),
    "m3/h": (1.0 / 3600.0, 0.0),  # volumetric flow [m3/s]
    "kg/m3": (1.0, 0.0),
    "kg m2": (1.0, 0.0),
    # thermal
    "W/m/K": (1.0, 0.0),
    "W/m2/K": (1.0, 0.0),
    "J/kg/K": (1.0, 0.0),
    "J/K": (1.0, 0.0),
    "MJ/K": (1e6, 0.0),
    "kJ/kg": (1e3, 0.0),
    # neutronics
    "1/cm2/s": (1e4, 0.0),
    "1/m2/s": (1.0, 0.0),
    "barn": (1e-28, 0.0),
    "m2 (cross-section)": (1.0, 0.0),
    "MeV": (1.602176634e-13, 0.0),
    # speed
    "rpm": (2.0 * 3.141592653589793 / 60.0, 0.0),
    "rad/s": (1.0, 0.0),
    "1/s (ramp)": (1.0, 0.0),
    "%/min": (1e-2 / 60.0, 0.0),
    "%/s": (1e-2, 0.0),
    "1/Pa": (1.0, 0.0),
    "%/MPa": (1e-2 / 1e6, 0.0),
    "ppm/s": (1.0, 0.0),
    "ppm/min": (1.0 / 60.0, 0.0),
    "ppm/h": (1.0 / 3600.0, 0.0),
    "K/s": (1.0, 0.0),
    "K/min": (1.0 / 60.0, 0.0),
    "1/min": (1.0 / 60.0, 0.0),
    "pcm/s": (1e-5, 0.0),
    # money and energy at the programme level
    "MWe": (1e6, 0.0),
    "TWh": (3.6e15, 0.0),
    "MJ/m3": (1e6, 0.0),
    "kg/TJ": (1e-12, 0.0),
    "tHM": (1e3, 0.0),
    "MWd/kgU": (86400e6, 0.0),  # burnup [J/kg]
    "$": (1.0, 0.0),
}

KNOWN_UNITS = tuple(_UNITS)

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*?)?\s*$")

TIME_UNITS = ("ms", "s", "min", "h", "d", "yr")


def to_si(value: float, unit: str) -> float:
    """Convert ``value`` given in ``unit`` to SI.

    Parameters
    ----------
    value : float
        Number in the named unit.
    unit : str
        One of :data:`KNOWN_UNITS`.

    Returns
    -------
    float
        The value in SI (see module docstring). Raises ``KeyError`` for an unknown unit.
    """
    factor, offset = _UNITS[unit]
    return value * factor + offset


def is_known(unit: str) -> bool:
    """Whether ``unit`` is in the conversion table."""
    return unit in _UNITS


def parse_quantity(text: str, allowed_units: tuple[str, ...]) -> float:
    """Parse ``"72 h"`` style text into SI.

    Parameters
    ----------
    text : str
        A number followed by a unit, e.g. ``"72 h"``, ``"15.7 MPa"``.
    allowed_units : tuple of str
        Units accepted for this quantity.

    Returns
    -------
    float
        The value in SI. Raises ``ValueError`` with a message saying what is allowed.
    """
    if not isinstance(text, str):
        raise ValueError(f"must be a string with a unit, one of {', '.join(allowed_units)}")
    m = _QUANTITY.match(text)
    if m is None:
        raise ValueError(f"must be a number and a unit, e.g. '10 {allowed_units[0]}'")
    number, unit = m.group(1), m.group(2)
    if not unit:
        raise ValueError(f"has no unit; give one of {', '.join(allowed_units)}")
    if unit not in allowed_units:
        allowed = ", ".join(allowed_units)
        raise ValueError(f"unit {unit!r} is not allowed here; give one of {allowed}")
    return to_si(float(number), unit)


def parse_duration(text: str) -> float:
    """Parse a duration such as ``"72 h"`` into seconds [s]."""
    return parse_quantity(text, TIME_UNITS)
